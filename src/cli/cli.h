/* cli: the command-line layer. One file per command; main.c parses the
 * global flags and dispatches. A command returns the process exit status
 * (>= 0: run/exec return the workload's) or a negative errno after filling
 * the error record, which main prints exactly once. */
#pragma once

#include <stdbool.h>

#include "util/berr.h"

struct cli_global {
        const char *root;               /* state root, resolved default applied */
        const char *log_file;
        const char *log_format;
        const char *log_level;
        bool debug;
        bool systemd_cgroup;
        int shim_mode;                  /* enum shim_mode: --shim, --no-shim, or neither */
        const char *argv0;
};

struct cli_command {
        const char *name;
        const char *summary;            /* one line for `berth --help` */
        const char *usage;              /* full text for `berth CMD --help` */
        int (*run)(struct cli_global *g, int argc, char **argv, struct berr *e);
        bool hidden;                    /* berth's own (the shim's exit helper): not in --help */
};

/* Print cmd's usage to stdout (for --help) and return 0. */
int cli_help(const struct cli_command *cmd);
/* Report an argument error for cmd: fills e, returns -EINVAL. */
int cli_usage_error(const struct cli_command *cmd, struct berr *e, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Require exactly `n` positional arguments after option parsing. */
int cli_require_args(const struct cli_command *cmd, int argc, int first, int n, struct berr *e);

/* Options that create and run share, with runc's names. */
struct container_create_opts;
enum {
        CLI_OPT_PID_FILE = 256, CLI_OPT_CONSOLE_SOCKET, CLI_OPT_NO_PIVOT, CLI_OPT_NO_NEW_KEYRING,
        CLI_OPT_PRESERVE_FDS, CLI_OPT_LOG_PATH,
        CLI_OPT__CREATE_END,            /* a command's own options number from here */
};
#define CLI_CREATE_OPTIONS \
        { "bundle", required_argument, NULL, 'b' }, \
        { "pid-file", required_argument, NULL, CLI_OPT_PID_FILE }, \
        { "console-socket", required_argument, NULL, CLI_OPT_CONSOLE_SOCKET }, \
        { "no-pivot", no_argument, NULL, CLI_OPT_NO_PIVOT }, \
        { "no-new-keyring", no_argument, NULL, CLI_OPT_NO_NEW_KEYRING }, \
        { "preserve-fds", required_argument, NULL, CLI_OPT_PRESERVE_FDS }, \
        { "log-path", required_argument, NULL, CLI_OPT_LOG_PATH }
#define CLI_CREATE_USAGE \
        "  -b, --bundle DIR          bundle directory holding config.json (default: .)\n" \
        "      --pid-file FILE       write the container init's pid to FILE\n" \
        "      --console-socket SOCK unix socket to receive the pty master (SCM_RIGHTS)\n" \
        "                            when process.terminal is true\n" \
        "      --no-pivot            enter the rootfs with MS_MOVE and chroot instead of\n" \
        "                            pivot_root (for a host root on ramfs; less safe)\n" \
        "      --no-new-keyring      keep the caller's session keyring instead of giving\n" \
        "                            the container its own\n" \
        "      --preserve-fds N      pass N more fds, from fd 3 (after any LISTEN_FDS)\n" \
        "      --log-path FILE       with a shim: the workload's log (CRI format), instead\n" \
        "                            of container.log in the state directory\n"
/* Handle option c of CLI_CREATE_OPTIONS: 1 when it was one, 0 when not,
 * negative after filling e. */
struct shim_opts;
int cli_create_option(const struct cli_command *cmd, int c, const char *arg, struct container_create_opts *o,
                      struct shim_opts *so, struct berr *e);
/* Create a detached container (create, run -d): under a shim, or as runc
 * does when berth's caller reaps it (see shim/shim.h). */
int cli_create_detached(struct cli_global *g, const struct container_create_opts *o, const struct shim_opts *so,
                        struct berr *e);
/* Socket activation: LISTEN_FDS sockets for this process become the
 * container's, as with runc. */
void cli_create_listen_fds(struct container_create_opts *o);

extern const struct cli_command cli_cmd_spec, cli_cmd_create, cli_cmd_start, cli_cmd_run,
        cli_cmd_state, cli_cmd_kill, cli_cmd_delete, cli_cmd_list, cli_cmd_features,
        cli_cmd_exec;
/* the shim's commands (src/cli/{attach,logs,wait,exited}.c) */
extern const struct cli_command cli_cmd_attach, cli_cmd_logs, cli_cmd_wait, cli_cmd_exited;
/* cgroup commands (src/cli/{pause,resume,ps,update,events}.c) */
extern const struct cli_command cli_cmd_pause, cli_cmd_resume, cli_cmd_ps, cli_cmd_update, cli_cmd_events;
