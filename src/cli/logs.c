/* berth logs: print what a shim-supervised container wrote. The log is in
 * the CRI format ("TIME STREAM F|P CONTENT" per record, see berth(8)); this
 * prints the content again, stdout's to stdout and stderr's to stderr. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cli/cli.h"
#include "shim/client.h"
#include "state/state.h"
#include "util/cleanup.h"

static const char usage[] =
        "Usage: berth logs [OPTIONS] CONTAINER_ID\n\n"
        "Print the output of a container that a shim supervises: its stdout to stdout\n"
        "and its stderr to stderr (a terminal's output is stdout), from the log in\n"
        "the container's state directory or its --log-path.\n\n"
        "Options:\n"
        "  -f, --follow       keep printing what the container writes until it exits\n"
        "  -t, --timestamps   start each line with the time the shim read it (RFC 3339)\n"
        "  -h, --help         show this help\n";

static const struct option opts[] = {
        { "follow", no_argument, NULL, 'f' },
        { "timestamps", no_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int logs_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_logs = {
        .name = "logs", .summary = "print a container's output", .usage = usage, .run = logs_main,
};

struct logs {
        FILE *f;
        bool timestamps;
        bool line_start[2];             /* per stream: the next record begins a line */
        char *line;
        size_t size;
};

/* One record; records that are not in the format are skipped. */
static void logs_record(struct logs *l, char *rec, size_t len)
{
        char *stream, *tag, *content;
        int fd, i;

        rec[len - 1] = '\0';            /* the newline */
        stream = strchr(rec, ' ');
        if (!stream)
                return;
        *stream++ = '\0';
        tag = strchr(stream, ' ');
        if (!tag || (tag[1] != 'F' && tag[1] != 'P') || tag[2] != ' ')
                return;
        *tag = '\0';
        content = tag + 3;
        i = strcmp(stream, "stderr") == 0;
        fd = i ? STDERR_FILENO : STDOUT_FILENO;
        if (l->timestamps && l->line_start[i])
                dprintf(fd, "%s ", rec);
        dprintf(fd, "%s%s", content, tag[1] == 'F' ? "\n" : "");
        l->line_start[i] = tag[1] == 'F';
}

/* Print every whole record from the current position; a record still being
 * written (no newline yet) is left for the next round. */
static void logs_print(struct logs *l)
{
        for (;;) {
                long at = ftell(l->f);
                ssize_t n = getline(&l->line, &l->size, l->f);

                if (n <= 0) {
                        clearerr(l->f);
                        return;
                }
                if (l->line[n - 1] != '\n') {
                        fseek(l->f, at, SEEK_SET);
                        return;
                }
                logs_record(l, l->line, (size_t)n);
        }
}

/* Done following once the container is stopped and its shim has recorded
 * the exit (it logs everything first), or no shim is left to write. */
static bool logs_finished(const char *root, const char *id)
{
        struct state_dir d = STATE_DIR_INIT;
        struct container_state st = {};
        struct berr ignored;
        bool done = true;

        if (state_dir_open(root, id, false, &d, &ignored) == 0 && state_read(&d, &st, &ignored) == 0)
                done = state_status(&d, &st) == STATUS_STOPPED &&
                       (st.has_exit || !shim_alive(d.dir_fd));
        container_state_done(&st);
        state_dir_close(&d);
        return done;
}

static int logs_follow(struct logs *l, const char *root, const char *id, int dir_fd)
{
        _cleanup_close_ int ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        char path[64], buf[4096];
        struct pollfd p;

        if (ino < 0)
                return -errno;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fileno(l->f));
        if (inotify_add_watch(ino, path, IN_MODIFY) < 0)
                return -errno;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", dir_fd);
        if (inotify_add_watch(ino, path, IN_CREATE | IN_MOVED_TO | IN_DELETE_SELF) < 0)
                return -errno;
        p = (struct pollfd){ .fd = ino, .events = POLLIN };
        while (!logs_finished(root, id)) {
                /* A shim killed sends no event: look again now and then. */
                if (poll(&p, 1, 1000) > 0)
                        while (read(ino, buf, sizeof(buf)) > 0)
                                ;
                logs_print(l);
        }
        logs_print(l);
        return 0;
}

static int logs_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct state_dir d = STATE_DIR_INIT;
        struct logs l = { .line_start = { true, true } };
        bool follow = false;
        int c, r, fd;

        while ((c = getopt_long(argc, argv, "+fth", opts, NULL)) != -1) {
                switch (c) {
                case 'f': follow = true; break;
                case 't': l.timestamps = true; break;
                case 'h': return cli_help(&cli_cmd_logs);
                default: return cli_usage_error(&cli_cmd_logs, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_logs, argc, optind, 1, e);
        if (r < 0)
                return r;
        r = state_dir_open(g->root, argv[optind], false, &d, e);
        if (r < 0)
                return berr_wrap(e, "container %s", argv[optind]);
        fd = openat(d.dir_fd, SHIM_LOG, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 && errno == ENOENT)
                r = berr_set(e, -ENOENT, "container %s has no log: no shim supervises it (its output goes "
                             "where its creator's went)", argv[optind]);
        else if (fd < 0)
                r = berr_sys(e, -errno, "container %s: open its log", argv[optind]);
        if (r == 0) {
                l.f = fdopen(fd, "r");
                if (!l.f) {
                        close(fd);
                        r = berr_sys(e, -errno, "fdopen");
                }
        }
        if (r == 0) {
                logs_print(&l);
                if (follow && logs_follow(&l, g->root, argv[optind], d.dir_fd) < 0)
                        r = berr_sys(e, -errno, "container %s: follow its log", argv[optind]);
        }
        if (l.f)
                fclose(l.f);
        free(l.line);
        state_dir_close(&d);
        return r;
}
