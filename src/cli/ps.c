/* berth ps: the processes of a container, from its cgroup. The json form
 * is what containerd's shim calls: an array of pids, as runc prints it. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "process/control.h"
#include "util/cleanup.h"
#include "util/json.h"

static const char usage[] =
        "Usage: berth ps [OPTIONS] CONTAINER_ID [PS_OPTIONS...]\n\n"
        "List the processes in the container's cgroup. The table form runs ps(1)\n"
        "with PS_OPTIONS (default -ef) and keeps the header and the container's\n"
        "lines; the json form prints an array of pids.\n\n"
        "Options:\n"
        "  -f, --format FMT   table (default) or json\n"
        "  -h, --help         show this help\n";

static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int ps_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_ps = {
        .name = "ps", .summary = "list the processes of a container", .usage = usage, .run = ps_main,
};

static int ps_json(const int *pids, size_t n)
{
        _cleanup_jw_ struct jw *w = jw_new(JW_COMPACT);
        const char *text;
        size_t len;

        if (!w)
                return -ENOMEM;
        jw_arr_begin(w);
        for (size_t i = 0; i < n; i++)
                jw_int(w, pids[i]);
        jw_arr_end(w);
        text = jw_text(w, &len);
        printf("%.*s\n", (int)len, text);
        return 0;
}

static bool has_pid(const int *pids, size_t n, long pid)
{
        for (size_t i = 0; i < n; i++)
                if (pids[i] == pid)
                        return true;
        return false;
}

/* Column of "PID" in ps's header, counted in whitespace-separated fields. */
static int pid_column(const char *header)
{
        int col = 0;

        for (const char *p = header + strspn(header, " \t"); *p; col++) {
                size_t n = strcspn(p, " \t\n");

                if (n == 3 && strncmp(p, "PID", 3) == 0)
                        return col;
                p += n;
                p += strspn(p, " \t\n");
        }
        return -1;
}

static long field(const char *line, int col)
{
        const char *p = line + strspn(line, " \t");

        for (int i = 0; i < col && *p; i++) {
                p += strcspn(p, " \t");
                p += strspn(p, " \t");
        }
        return strtol(p, NULL, 10);
}

static int ps_table(const int *pids, size_t n, char **args, int nargs, struct berr *e)
{
        _cleanup_free_ char *cmd = NULL, *line = NULL;
        size_t cap = 0, len = 3;
        int col = -1, st;
        FILE *f;

        for (int i = 0; i < nargs; i++)
                len += strlen(args[i]) * 4 + 3;
        cmd = malloc(len + 16);
        if (!cmd)
                return berr_sys(e, -ENOMEM, "ps");
        strcpy(cmd, "ps");
        if (nargs == 0)
                strcat(cmd, " -ef");
        for (int i = 0; i < nargs; i++) {       /* single-quoted for sh */
                strcat(cmd, " '");
                for (const char *s = args[i]; *s; s++)
                        strcat(cmd, *s == '\'' ? "'\\''" : (char[]){ *s, 0 });
                strcat(cmd, "'");
        }
        f = popen(cmd, "re");
        if (!f)
                return berr_sys(e, -errno, "run ps");
        while (getline(&line, &cap, f) > 0) {
                if (col < 0) {
                        col = pid_column(line);
                        fputs(line, stdout);
                } else if (has_pid(pids, n, field(line, col))) {
                        fputs(line, stdout);
                }
        }
        st = pclose(f);
        if (col < 0)
                return berr_set(e, -EINVAL, "ps output has no PID column");
        return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : berr_set(e, -EINVAL, "ps failed");
}

static int ps_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        _cleanup_free_ int *pids = NULL;
        const char *format = "table";
        size_t n;
        int c, r;

        while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
                switch (c) {
                case 'f': format = optarg; break;
                case 'h': return cli_help(&cli_cmd_ps);
                default: return cli_usage_error(&cli_cmd_ps, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
                return cli_usage_error(&cli_cmd_ps, e, "invalid --format \"%s\": expected table or json", format);
        if (optind >= argc)
                return cli_usage_error(&cli_cmd_ps, e, "expected CONTAINER_ID");
        if (strcmp(format, "json") == 0 && argc - optind > 1)
                return cli_usage_error(&cli_cmd_ps, e, "ps options cannot be given with --format json");
        r = container_pids(g->root, argv[optind], &pids, &n, e);
        if (r < 0)
                return r;
        if (strcmp(format, "json") == 0)
                return ps_json(pids, n) < 0 ? berr_sys(e, -ENOMEM, "ps") : 0;
        return ps_table(pids, n, argv + optind + 1, argc - optind - 1, e);
}
