/* berth events: runc's event stream for a container. --stats prints one
 * {"type":"stats","id":...,"data":{...}} and exits; without it, a stats
 * event every --interval and an {"type":"oom"} event whenever
 * memory.events counts a new OOM kill, until the container stops. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "cli/cli.h"
#include "process/control.h"
#include "util/cleanup.h"
#include "util/json.h"

static const char usage[] =
        "Usage: berth events [OPTIONS] CONTAINER_ID\n\n"
        "Print the container's events as JSON lines, as runc does: \"stats\" events\n"
        "(cpu, memory, pids, blkio and hugetlb figures from its cgroup) and \"oom\"\n"
        "events, until the container stops.\n\n"
        "Options:\n"
        "      --stats          print one stats event and exit\n"
        "      --interval TIME  time between stats events (default 5s; 500ms, 2s, 1m)\n"
        "  -h, --help           show this help\n";

enum { OPT_STATS = 256, OPT_INTERVAL };

static const struct option opts[] = {
        { "stats", no_argument, NULL, OPT_STATS },
        { "interval", required_argument, NULL, OPT_INTERVAL },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int events_main(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_events = {
        .name = "events", .summary = "print a container's stats and OOM events", .usage = usage,
        .run = events_main,
};

/* Go durations as runc takes them: a number with ms, s, m or h. */
static int parse_interval(const char *s, int *ret_ms)
{
        char *end;
        double v = strtod(s, &end);
        double mult = strcmp(end, "ms") == 0 ? 1 : strcmp(end, "s") == 0 ? 1000 : strcmp(end, "m") == 0 ? 60000
                      : strcmp(end, "h") == 0 ? 3600000 : -1;

        if (end == s || mult < 0 || v <= 0 || v * mult > 86400000)
                return -EINVAL;
        *ret_ms = (int)(v * mult) > 0 ? (int)(v * mult) : 1;
        return 0;
}

static int emit(const char *type, const char *id, const char *path, struct berr *e)
{
        _cleanup_jw_ struct jw *w = jw_new(JW_COMPACT);
        const char *text;
        size_t len;
        int r = 0;

        if (!w)
                return berr_sys(e, -ENOMEM, "events");
        jw_obj_begin(w);
        jw_kstr(w, "type", type);
        jw_kstr(w, "id", id);
        if (path) {
                jw_key(w, "data");
                r = cgroup_stats_write(path, w, e);
        }
        if (r < 0)
                return r;
        jw_obj_end(w);
        text = jw_text(w, &len);
        printf("%.*s\n", (int)len, text);
        fflush(stdout);
        return 0;
}

/* An "oom" event per OOM kill counted since *seen. */
static int events_ooms(const char *id, const char *path, uint64_t *seen, struct berr *e)
{
        uint64_t now = cgroup_oom_kills(path);
        int r = 0;

        for (; r == 0 && *seen < now; (*seen)++)
                r = emit("oom", id, NULL, e);
        return r;
}

static int events_loop(const char *id, const char *path, int interval_ms, struct cli_global *g, struct berr *e)
{
        _cleanup_close_ int ino = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        _cleanup_free_ char *file = NULL;
        uint64_t ooms = cgroup_oom_kills(path);
        int r = 0;

        if (asprintf(&file, "%s/memory.events", path) < 0)
                return berr_sys(e, -ENOMEM, "events");
        if (ino >= 0)
                inotify_add_watch(ino, file, IN_MODIFY);        /* no memory controller: stats only */
        for (;;) {
                struct pollfd p = { .fd = ino, .events = POLLIN };
                _cleanup_free_ char *again = NULL;
                char buf[4096];
                bool running = false;

                if (poll(&p, 1, interval_ms) > 0) {
                        while (read(ino, buf, sizeof(buf)) > 0)
                                ;
                        r = events_ooms(id, path, &ooms, e);
                } else {
                        r = emit("stats", id, path, e);
                }
                if (r == 0)
                        r = container_cgroup(g->root, id, &again, &running, e);
                /* memory.events changes for "max" and "oom" before
                 * "oom_kill": the kill that stopped the container may not
                 * have been counted when it was read above. */
                if (r == 0 && !running)
                        r = events_ooms(id, path, &ooms, e);
                if (r < 0 || !running)
                        return r;
        }
}

static int events_main(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        _cleanup_free_ char *path = NULL;
        bool stats = false, running = false;
        int c, r, interval_ms = 5000;

        while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
                switch (c) {
                case OPT_STATS: stats = true; break;
                case OPT_INTERVAL:
                        if (parse_interval(optarg, &interval_ms) < 0)
                                return cli_usage_error(&cli_cmd_events, e, "invalid --interval \"%s\"", optarg);
                        break;
                case 'h': return cli_help(&cli_cmd_events);
                default: return cli_usage_error(&cli_cmd_events, e, "unknown option \"%s\"", argv[optind - 1]);
                }
        }
        r = cli_require_args(&cli_cmd_events, argc, optind, 1, e);
        if (r == 0)
                r = container_cgroup(g->root, argv[optind], &path, &running, e);
        if (r == 0 && !running)
                r = berr_set(e, -EINVAL, "container %s is not running", argv[optind]);
        if (r < 0)
                return r;
        if (stats)
                return emit("stats", argv[optind], path, e);
        return events_loop(argv[optind], path, interval_ms, g, e);
}
