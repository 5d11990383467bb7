/* berth list: every container under the state root, as a table or JSON. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/json.h"
#include "util/signals.h"

static const char usage[] =
        "Usage: berth list [OPTIONS]\n\n"
        "List the containers under the state root.\n\n"
        "Options:\n"
        "  -f, --format FMT   table (default) or json (an array of OCI states)\n"
        "  -q, --quiet        print only the container ids\n"
        "  -h, --help         show this help\n";

static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int list_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_list = {
        .name = "list", .summary = "list containers", .usage = usage, .run = list_main,
};

struct entry {
        struct container_state st;
        enum container_status status;
};

static int entry_cmp(const void *a, const void *b)
{
        return strcmp(((const struct entry *)a)->st.id, ((const struct entry *)b)->st.id);
}

/* Read every container that has a state; ones being created are skipped. */
static int list_load(const char *root, struct entry **ret, size_t *ret_n, struct berr *e)
{
        struct entry *v = NULL;
        struct dirent *de;
        size_t n = 0;
        int r, fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d;

        *ret = NULL;
        *ret_n = 0;
        if (fd < 0)
                return errno == ENOENT ? 0 : berr_sys(e, -errno, "list %s", root);
        r = state_root_check(fd, root, e);
        if (r < 0) {
                close(fd);
                return r;
        }
        d = fdopendir(fd);
        if (!d) {
                r = berr_sys(e, -errno, "list %s", root);
                close(fd);
                return r;
        }
        while ((de = readdir(d))) {
                struct state_dir sd = STATE_DIR_INIT;
                struct berr ignored;
                struct entry *nv, ent = {};

                if (de->d_name[0] == '.' || state_dir_open(root, de->d_name, false, &sd, &ignored) < 0)
                        continue;
                if (state_read(&sd, &ent.st, &ignored) == 0) {
                        ent.status = state_status(&sd, &ent.st);
                        nv = realloc(v, (n + 1) * sizeof(*v));
                        if (nv) {
                                v = nv;
                                v[n++] = ent;
                        } else {
                                container_state_done(&ent.st);
                        }
                }
                state_dir_close(&sd);
        }
        closedir(d);
        if (n > 0)
                qsort(v, n, sizeof(*v), entry_cmp);
        *ret = v;
        *ret_n = n;
        return 0;
}

static void list_json(const struct entry *v, size_t n)
{
        _cleanup_jw_ struct jw *w = jw_new(JW_COMPACT);
        const char *text;
        size_t len;

        if (!w)
                return;
        jw_arr_begin(w);
        for (size_t i = 0; i < n; i++)
                state_write_oci(w, &v[i].st, v[i].status);
        jw_arr_end(w);
        text = jw_text(w, &len);
        printf("%.*s\n", (int)len, text);
}

/* How a stopped container ended, when its shim saw it: "3", "SIGKILL". */
static void list_exit(const struct entry *v, char *buf, size_t size)
{
        const char *sig = v->st.exit.signal ? signal_to_string(v->st.exit.signal) : NULL;

        buf[0] = '\0';
        if (v->status != STATUS_STOPPED || !v->st.has_exit)
                return;
        if (v->st.exit.signal)
                snprintf(buf, size, "%s", sig ? sig : "signal");
        else
                snprintf(buf, size, "%d", v->st.exit.code);
}

static int list_width(int w, const char *s)
{
        return (int)strlen(s) + 3 > w ? (int)strlen(s) + 3 : w;
}

/* Columns as runc's tabwriter lays them out: at least 12 wide, 3 apart;
 * runc's six, then EXIT. */
static void list_table(const struct entry *v, size_t n)
{
        int wid = 12, wbundle = 12, wcreated = 12, wowner = 12;
        char pid[16], code[32], owner[64];

        for (size_t i = 0; i < n; i++) {
                wid = list_width(wid, v[i].st.id);
                wbundle = list_width(wbundle, v[i].st.bundle);
                wcreated = list_width(wcreated, v[i].st.created);
                wowner = list_width(wowner, state_owner(&v[i].st, owner, sizeof(owner)));
        }
        printf("%-*s%-12s%-12s%-*s%-*s%-*s%s\n", wid, "ID", "PID", "STATUS", wbundle, "BUNDLE", wcreated, "CREATED",
               wowner, "OWNER", "EXIT");
        for (size_t i = 0; i < n; i++) {
                bool live = v[i].status != STATUS_STOPPED;

                snprintf(pid, sizeof(pid), "%d", live ? (int)v[i].st.pid : 0);
                list_exit(&v[i], code, sizeof(code));
                printf("%-*s%-12s%-12s%-*s%-*s%-*s%s\n", wid, v[i].st.id, pid, container_status_name(v[i].status),
                       wbundle, v[i].st.bundle, wcreated, v[i].st.created, wowner,
                       state_owner(&v[i].st, owner, sizeof(owner)), code);
        }
}

static int list_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        const char *format = "table";
        struct entry *v;
        bool quiet = false;
        size_t n;
        int c, r;

        while ((c = getopt_long(argc, argv, "+f:qh", opts, NULL)) != -1) {
                switch (c) {
                case 'f': format = optarg; break;
                case 'q': quiet = true; break;
                case 'h': return cli_help(&cli_cmd_list);
                default: return cli_usage_error(&cli_cmd_list, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
                return cli_usage_error(&cli_cmd_list, e, "--format: expected table or json, got \"%s\"", format);
        r = cli_require_args(&cli_cmd_list, argc, optind, 0, e);
        if (r < 0)
                return r;
        r = list_load(g->root, &v, &n, e);
        if (r < 0)
                return r;
        if (quiet)
                for (size_t i = 0; i < n; i++)
                        printf("%s\n", v[i].st.id);
        else if (strcmp(format, "json") == 0)
                list_json(v, n);
        else
                list_table(v, n);
        for (size_t i = 0; i < n; i++)
                container_state_done(&v[i].st);
        free(v);
        return 0;
}
