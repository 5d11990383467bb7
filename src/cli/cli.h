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
        const char *argv0;
};

struct cli_command {
        const char *name;
        const char *summary;            /* one line for `berth --help` */
        const char *usage;              /* full text for `berth CMD --help` */
        int (*run)(struct cli_global *g, int argc, char **argv, struct berr *e);
};

/* Print cmd's usage to stdout (for --help) and return 0. */
int cli_help(const struct cli_command *cmd);
/* Report an argument error for cmd: fills e, returns -EINVAL. */
int cli_usage_error(const struct cli_command *cmd, struct berr *e, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* Require exactly `n` positional arguments after option parsing. */
int cli_require_args(const struct cli_command *cmd, int argc, int first, int n, struct berr *e);

extern const struct cli_command cli_cmd_spec, cli_cmd_create, cli_cmd_start, cli_cmd_run,
        cli_cmd_state, cli_cmd_kill, cli_cmd_delete, cli_cmd_list, cli_cmd_features;
