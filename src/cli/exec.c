/* berth exec: run a process in a running container, with runc's flags. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "process/container.h"
#include "util/cleanup.h"

static const char usage[] =
        "Usage: berth exec [OPTIONS] CONTAINER_ID [COMMAND [ARGS...]]\n\n"
        "Run a process in a running (or created) container. It joins every namespace\n"
        "and the cgroup of the container, and gets the container process's user,\n"
        "capabilities, rlimits, environment and no_new_privs from its config.json,\n"
        "changed by the options below; or the whole process from --process. In the\n"
        "foreground berth forwards signals, relays a terminal, and exits with the\n"
        "process's status (128+N when it was killed by signal N).\n\n"
        "Options:\n"
        "  -p, --process FILE        the process as an OCI process JSON object (ignores\n"
        "                            COMMAND and the options that describe the process)\n"
        "  -t, --tty                 allocate a pty in the container\n"
        "  -d, --detach              return once the process runs\n"
        "      --pid-file FILE       write the process's pid to FILE\n"
        "      --console-socket SOCK unix socket to receive the pty master (SCM_RIGHTS)\n"
        "      --cwd DIR             working directory in the container (absolute)\n"
        "  -e, --env KEY=VALUE       add an environment variable (repeatable)\n"
        "  -u, --user UID[:GID]      run as UID (and GID)\n"
        "  -g, --additional-gids GID add a supplementary group (repeatable)\n"
        "  -c, --cap CAP             add a capability, e.g. CAP_NET_ADMIN (repeatable)\n"
        "      --no-new-privs        set no_new_privs\n"
        "      --apparmor PROFILE    AppArmor profile (instead of the container's)\n"
        "      --process-label LABEL SELinux label (instead of the container's)\n"
        "      --preserve-fds N      pass N more fds, from fd 3\n"
        "      --ignore-paused       exec even if the container is paused\n"
        "  -h, --help                show this help\n";

enum {
        OPT_PID_FILE = 256, OPT_CONSOLE_SOCKET, OPT_CWD, OPT_NO_NEW_PRIVS, OPT_APPARMOR, OPT_LABEL,
        OPT_PRESERVE_FDS, OPT_IGNORE_PAUSED,
};

static const struct option opts[] = {
        { "process", required_argument, NULL, 'p' },
        { "tty", optional_argument, NULL, 't' },
        { "detach", no_argument, NULL, 'd' },
        { "pid-file", required_argument, NULL, OPT_PID_FILE },
        { "console-socket", required_argument, NULL, OPT_CONSOLE_SOCKET },
        { "cwd", required_argument, NULL, OPT_CWD },
        { "env", required_argument, NULL, 'e' },
        { "user", required_argument, NULL, 'u' },
        { "additional-gids", required_argument, NULL, 'g' },
        { "cap", required_argument, NULL, 'c' },
        { "no-new-privs", no_argument, NULL, OPT_NO_NEW_PRIVS },
        { "apparmor", required_argument, NULL, OPT_APPARMOR },
        { "process-label", required_argument, NULL, OPT_LABEL },
        { "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
        { "ignore-paused", no_argument, NULL, OPT_IGNORE_PAUSED },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int exec_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_exec = {
        .name = "exec", .summary = "run a process in a running container", .usage = usage, .run = exec_main,
};

static int push(void *arr, size_t *n, size_t size, const void *v)
{
        void **a = arr;
        char *p = realloc(*a, (*n + 2) * size);

        if (!p)
                return -ENOMEM;
        memcpy(p + *n * size, v, size);
        memset(p + (*n + 1) * size, 0, size);
        *a = p;
        (*n)++;
        return 0;
}

static int parse_number(const char *what, const char *arg, unsigned long max, unsigned long *ret, struct berr *e)
{
        char *end;

        errno = 0;
        *ret = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || arg[0] == '-' || *ret > max)
                return cli_usage_error(&cli_cmd_exec, e, "%s: expected a number, got \"%s\"", what, arg);
        return 0;
}

static int parse_tty(const char *arg, struct container_exec_opts *o, struct berr *e)
{
        if (!arg || strcmp(arg, "true") == 0)
                o->tty = 1;
        else if (strcmp(arg, "false") == 0)
                o->tty = 0;
        else
                return cli_usage_error(&cli_cmd_exec, e, "--tty: expected true or false, got \"%s\"", arg);
        return 0;
}

static int exec_option(int c, char *arg, struct container_exec_opts *o, struct berr *e)
{
        unsigned long n;
        gid_t gid;
        int r = 0;

        switch (c) {
        case 'p': o->process_file = arg; break;
        case 't': return parse_tty(arg, o, e);
        case 'd': o->detach = true; break;
        case OPT_PID_FILE: o->pid_file = arg; break;
        case OPT_CONSOLE_SOCKET: o->console_socket = arg; break;
        case OPT_CWD: o->cwd = arg; break;
        case 'e': r = push(&o->env, &o->n_env, sizeof(char *), &arg); break;
        case 'u': o->user = arg; break;
        case 'g':
                r = parse_number("--additional-gids", arg, 0xfffffffeUL, &n, e);
                if (r < 0)
                        return r;
                gid = (gid_t)n;
                r = push(&o->gids, &o->n_gids, sizeof(gid_t), &gid);
                break;
        case 'c': r = push(&o->caps, &o->n_caps, sizeof(char *), &arg); break;
        case OPT_NO_NEW_PRIVS: o->no_new_privs = true; break;
        case OPT_APPARMOR: o->apparmor = arg; break;
        case OPT_LABEL: o->process_label = arg; break;
        case OPT_PRESERVE_FDS:
                r = parse_number("--preserve-fds", arg, 65536, &n, e);
                o->preserve_fds = (unsigned)n;
                return r;
        case OPT_IGNORE_PAUSED: o->ignore_paused = true; break;
        default: return -ENOTTY;
        }
        return r < 0 ? berr_sys(e, r, "exec options") : 0;
}

static int exec_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        struct container_exec_opts o = { .root = g->root, .tty = -1 };
        int c, r = 0;

        while ((c = getopt_long(argc, argv, "+p:tde:u:g:c:h", opts, NULL)) != -1) {
                if (c == 'h') {
                        r = cli_help(&cli_cmd_exec);
                        goto out;
                }
                r = exec_option(c, optarg, &o, e);
                if (r == -ENOTTY)
                        r = cli_usage_error(&cli_cmd_exec, e, "unknown option \"%s\"", argv[optind - 1]);
                if (r < 0)
                        goto out;
        }
        if (optind >= argc) {
                r = cli_usage_error(&cli_cmd_exec, e, "expected a container id");
                goto out;
        }
        o.id = argv[optind];
        o.args = argv + optind + 1;
        o.n_args = (size_t)(argc - optind - 1);
        if (!o.process_file && o.n_args == 0) {
                r = cli_usage_error(&cli_cmd_exec, e, "expected a command to run, or --process");
                goto out;
        }
        r = container_exec(&o, e);
out:
        free(o.env);
        free(o.gids);
        free(o.caps);
        return r;
}
