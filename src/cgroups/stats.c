/* stats: the figures of `events` in runc's JSON shape (the "data" of a
 * {"type":"stats"} event), read from the group's v2 files. A controller
 * that is not enabled (a hybrid host) leaves its figures at zero. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups/cgroup.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/json.h"

/* "key value" lines (cpu.stat, memory.stat, memory.events): value of key. */
static uint64_t kv(const char *text, const char *key)
{
        size_t n = strlen(key);

        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
                if (strncmp(p, key, n) == 0 && p[n] == ' ')
                        return strtoull(p + n + 1, NULL, 10);
        return 0;
}

static char *slurp(int dfd, const char *file)
{
        char *buf = NULL;

        return fs_read_at(dfd, file, 1u << 20, &buf, NULL) < 0 ? NULL : buf;
}

/* A single-number file; "max" is UINT64_MAX as runc reports it. */
static uint64_t num(int dfd, const char *file)
{
        _cleanup_free_ char *s = slurp(dfd, file);

        if (!s)
                return 0;
        return strncmp(s, "max", 3) == 0 ? UINT64_MAX : strtoull(s, NULL, 10);
}

static void stats_cpu(struct jw *w, int dfd)
{
        _cleanup_free_ char *s = slurp(dfd, "cpu.stat");
        const char *t = s ? s : "";

        jw_key(w, "cpu");
        jw_obj_begin(w);
        jw_key(w, "usage");
        jw_obj_begin(w);
        jw_kuint(w, "total", kv(t, "usage_usec") * 1000);
        jw_kuint(w, "kernel", kv(t, "system_usec") * 1000);
        jw_kuint(w, "user", kv(t, "user_usec") * 1000);
        jw_obj_end(w);
        jw_key(w, "throttling");
        jw_obj_begin(w);
        jw_kuint(w, "periods", kv(t, "nr_periods"));
        jw_kuint(w, "throttledPeriods", kv(t, "nr_throttled"));
        jw_kuint(w, "throttledTime", kv(t, "throttled_usec") * 1000);
        jw_obj_end(w);
        jw_obj_end(w);
}

static void stats_usage(struct jw *w, const char *key, uint64_t usage, uint64_t max, uint64_t limit, uint64_t fail)
{
        jw_key(w, key);
        jw_obj_begin(w);
        jw_kuint(w, "usage", usage);
        jw_kuint(w, "max", max);
        jw_kuint(w, "limit", limit);
        jw_kuint(w, "failcnt", fail);
        jw_obj_end(w);
}

static void stats_memory(struct jw *w, int dfd)
{
        _cleanup_free_ char *st = slurp(dfd, "memory.stat"), *ev = slurp(dfd, "memory.events");
        const char *t = st ? st : "";

        jw_key(w, "memory");
        jw_obj_begin(w);
        jw_kuint(w, "cache", kv(t, "file"));
        stats_usage(w, "usage", num(dfd, "memory.current"), num(dfd, "memory.peak"), num(dfd, "memory.max"),
                    ev ? kv(ev, "max") : 0);
        stats_usage(w, "swap", num(dfd, "memory.swap.current"), num(dfd, "memory.swap.peak"),
                    num(dfd, "memory.swap.max"), 0);
        jw_key(w, "raw");
        jw_obj_begin(w);
        for (char *line = st, *next; line && *line; line = next) {
                char *sp = strchr(line, ' ');

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (!sp)
                        continue;
                *sp = '\0';
                jw_kuint(w, line, strtoull(sp + 1, NULL, 10));
        }
        jw_obj_end(w);
        jw_obj_end(w);
}

static void stats_pids(struct jw *w, int dfd)
{
        uint64_t max = num(dfd, "pids.max");

        jw_key(w, "pids");
        jw_obj_begin(w);
        jw_kuint(w, "current", num(dfd, "pids.current"));
        jw_kuint(w, "limit", max == UINT64_MAX ? 0 : max);
        jw_obj_end(w);
}

/* io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." per device. */
static void stats_blkio_list(struct jw *w, const char *io, const char *key, const char *rkey, const char *wkey)
{
        jw_key(w, key);
        jw_arr_begin(w);
        for (const char *line = io; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
                unsigned maj, min;
                const char *ops[2][2] = { { rkey, "Read" }, { wkey, "Write" } };

                if (sscanf(line, "%u:%u", &maj, &min) != 2)
                        continue;
                for (size_t i = 0; i < 2; i++) {
                        const char *at = strstr(line, ops[i][0]);
                        const char *eol = strchr(line, '\n');

                        if (!at || (eol && at > eol))
                                continue;
                        jw_obj_begin(w);
                        jw_kuint(w, "major", maj);
                        jw_kuint(w, "minor", min);
                        jw_kstr(w, "op", ops[i][1]);
                        jw_kuint(w, "value", strtoull(at + strlen(ops[i][0]), NULL, 10));
                        jw_obj_end(w);
                }
        }
        jw_arr_end(w);
}

static void stats_blkio(struct jw *w, int dfd)
{
        _cleanup_free_ char *io = slurp(dfd, "io.stat");

        jw_key(w, "blkio");
        jw_obj_begin(w);
        stats_blkio_list(w, io, "ioServiceBytesRecursive", "rbytes=", "wbytes=");
        stats_blkio_list(w, io, "ioServicedRecursive", "rios=", "wios=");
        jw_obj_end(w);
}

static void stats_hugetlb(struct jw *w, int dfd)
{
        _cleanup_close_ int dup = fcntl(dfd, F_DUPFD_CLOEXEC, 3);
        DIR *d = dup >= 0 ? fdopendir(dup) : NULL;
        struct dirent *de;

        if (d)
                dup = -EBADF;           /* owned by d now */
        jw_key(w, "hugetlb");
        jw_obj_begin(w);
        while (d && (de = readdir(d))) {
                char size[32], file[96];
                _cleanup_free_ char *ev = NULL;

                if (sscanf(de->d_name, "hugetlb.%31[^.].current", size) != 1 || strstr(de->d_name, ".rsvd."))
                        continue;
                jw_key(w, size);
                jw_obj_begin(w);
                jw_kuint(w, "usage", num(dfd, de->d_name));
                snprintf(file, sizeof(file), "hugetlb.%s.events", size);
                ev = slurp(dfd, file);
                jw_kuint(w, "failcnt", ev ? kv(ev, "max") : 0);
                jw_obj_end(w);
        }
        if (d)
                closedir(d);
        jw_obj_end(w);
}

int cgroup_stats_write(const char *path, struct jw *w, struct berr *e)
{
        _cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dfd < 0)
                return berr_sys(e, -errno, "open cgroup %s", path);
        jw_obj_begin(w);
        stats_cpu(w, dfd);
        stats_memory(w, dfd);
        stats_pids(w, dfd);
        stats_blkio(w, dfd);
        stats_hugetlb(w, dfd);
        jw_obj_end(w);
        return 0;
}

uint64_t cgroup_oom_kills(const char *path)
{
        _cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *ev = dfd >= 0 ? slurp(dfd, "memory.events") : NULL;

        return ev ? kv(ev, "oom_kill") : 0;
}
