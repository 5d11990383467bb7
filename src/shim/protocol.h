/* protocol: what berth and its shim (src/shim/shim.c) agree on: the files
 * the shim keeps in the container's state directory, the fds and arguments
 * it is started with, and the messages on its socket.
 *
 * The socket is SOCK_SEQPACKET, so every message arrives whole: one type
 * byte, then its payload. A client opens with one request (SHIM_REQ_*);
 * the shim answers SHIM_MSG_* messages. */
#pragma once

#include <stdint.h>

/* In <root>/<id>/ (see state/state.h for the rest). */
#define SHIM_SOCKET "shim.sock"         /* the shim listens here while it runs */
#define SHIM_EXIT "exit"                /* how the init ended; see shim_exit_format() */
#define SHIM_LOG "container.log"        /* the workload's output (CRI format), or a symlink to --log-path */
#define SHIM_POSTSTOP_DONE "poststop.done" /* the poststop hooks ran when the container exited */

/* The fds berth hands the shim at execve. */
enum {
        SHIM_FD_DIR = 3,                /* the container's state directory (its own open file
                                           description: the lock taken on another stays free) */
        SHIM_FD_LISTEN,                 /* listening socket, bound at SHIM_SOCKET */
        SHIM_FD_LOG,                    /* the log file, opened for append */
        SHIM_FD_OUT,                    /* stdout pipe, or the pty master with a terminal */
        SHIM_FD_ERR,                    /* stderr pipe; /dev/null with a terminal */
        SHIM_FD_READY,                  /* the shim writes SHIM_READY here and closes it */
        SHIM_FD__END,
};

/* argv: berth-shim ID PID TERMINAL(0|1) EXITED_HELPER(0|1) [BERTH ARGS...]; ID is
 * there for ps only.
 * With EXITED_HELPER, the shim runs BERTH ARGS once the init has exited and
 * its exit is recorded (poststop hooks, --rm). */
#define SHIM_ARGV_FIXED 5

#define SHIM_READY 'R'

/* Requests, client to shim. */
#define SHIM_REQ_WAIT 'W'               /* answer SHIM_MSG_EXIT once the init has exited */
#define SHIM_REQ_ATTACH 'A'             /* stream the output, take input; SHIM_MSG_HELLO first */
#define SHIM_REQ_QUIT 'Q'               /* the container is being deleted: exit */
/* Client to shim, after SHIM_REQ_ATTACH. */
#define SHIM_IN_DATA 'i'                /* bytes for the pty */
#define SHIM_IN_WINSIZE 'w'             /* a struct winsize for the pty */

/* Shim to client. */
#define SHIM_MSG_HELLO 'H'              /* one byte follows: 1 with a terminal */
#define SHIM_MSG_STDOUT 'o'
#define SHIM_MSG_STDERR 'e'
#define SHIM_MSG_EXIT 'X'               /* a struct shim_exit follows */

/* How the init ended: code is its exit status, or 128+signal. */
struct shim_exit {
        int32_t code;
        int32_t signal;                 /* 0 when it exited */
        int64_t sec;                    /* CLOCK_REALTIME of the reaping */
        int64_t nsec;
};

/* The largest message, header byte included. */
#define SHIM_MSG_MAX 8192

/* The exit file holds one line, "CODE SIGNAL SEC.NSEC\n". */
#define SHIM_EXIT_FORMAT "%d %d %lld.%09lld\n"
