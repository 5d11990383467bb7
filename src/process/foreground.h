/* foreground: what berth does while a workload it started runs in the
 * foreground (`run`, `exec` without --detach): forward the signals berth
 * receives, relay its own terminal to the container's pty when there is
 * one, and return the workload's exit status. */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <termios.h>

#include "util/berr.h"

struct foreground {
        int sfd;                        /* signalfd of every signal */
        sigset_t old_mask;
        bool raw;                       /* stdin was put in raw mode */
        struct termios saved;
};

/* Block every signal (so none meant for the workload is lost before it
 * runs) and open the signalfd. Call before starting the workload. */
int foreground_begin(struct foreground *f, struct berr *e);

/* foreground_begin in two steps: block every signal before the workload
 * can start, open the signalfd later. What arrives in between stays
 * pending and is read from the signalfd. For `run`, whose create starts the
 * workload and must not find an fd of berth's among those it passes on. */
void foreground_block(struct foreground *f);
int foreground_open(struct foreground *f, struct berr *e);

/* Until the process of pidfd (a child of ours) exits: forward signals and,
 * with a pty master (console >= 0), relay stdin/stdout to it in raw mode
 * with the caller's window size (again on SIGWINCH). Returns the exit
 * status, 128+N after signal N. */
int foreground_wait(struct foreground *f, int pidfd, int console, struct berr *e);

/* Restore the terminal and the signal mask; close the signalfd. */
void foreground_end(struct foreground *f);
