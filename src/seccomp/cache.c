/* seccomp/cache: compiled programs kept under <state root>/.seccomp-cache/.
 *
 * libseccomp needs several milliseconds for Docker's default profile, more
 * than the rest of `create` spends in user space; the profile rarely
 * changes between containers. The key hashes the profile as parsed (so
 * whitespace and key order in config.json do not matter), the native
 * architecture, libseccomp's version and API level, and this file's
 * format. A file is used only if its header, length and checksum hold;
 * anything else is a miss, and a miss just compiles. Files are written
 * atomically (rename), so a reader never sees half a program. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "seccomp/seccomp.h"
#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define CACHE_DIR ".seccomp-cache"
#define CACHE_MAGIC "BERTHSC1"
#define CACHE_FORMAT 1u

struct cache_header {
        char magic[8];
        uint64_t key;
        uint32_t len;                   /* instructions that follow */
        uint32_t flags;
        uint32_t notify;
        uint32_t reserved;
        uint64_t checksum;              /* FNV-1a of the instructions */
};

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
        const unsigned char *p = data;

        for (size_t i = 0; i < len; i++) {
                h ^= p[i];
                h *= FNV_PRIME;
        }
        return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
        return fnv(h, &v, sizeof(v));
}

/* Strings with their length first, so ["ab","c"] and ["a","bc"] differ. */
static uint64_t fnv_str(uint64_t h, const char *s)
{
        size_t n = s ? strlen(s) : SIZE_MAX;

        h = fnv_u64(h, n);
        return s ? fnv(h, s, n) : h;
}

static uint64_t fnv_opt(uint64_t h, const opt_u64 *o)
{
        return fnv_u64(fnv_u64(h, o->set), o->set ? o->v : 0);
}

static uint64_t key_syscall(uint64_t h, const struct spec_seccomp_syscall *sc)
{
        h = fnv_u64(h, sc->n_names);
        for (size_t j = 0; j < sc->n_names; j++)
                h = fnv_str(h, sc->names[j]);
        h = fnv_u64(fnv_opt(fnv_u64(h, sc->action), &sc->errno_ret), sc->n_args);
        for (size_t j = 0; j < sc->n_args; j++) {
                const struct spec_seccomp_arg *a = &sc->args[j];

                h = fnv_u64(fnv_u64(fnv_u64(fnv_u64(h, a->index), a->value), a->value_two), a->op);
        }
        return h;
}

uint64_t seccomp_cache_key(const struct spec_seccomp *s)
{
        const struct scmp_version *v = seccomp_version();
        uint64_t h = FNV_OFFSET;

        h = fnv_u64(h, CACHE_FORMAT);
        h = fnv_u64(h, ((uint64_t)v->major << 32) | (v->minor << 16) | v->micro);
        h = fnv_u64(h, seccomp_api_get());
        h = fnv_u64(h, seccomp_arch_native());
        h = fnv_u64(fnv_opt(fnv_u64(h, s->default_action), &s->default_errno_ret), s->flags);
        h = fnv_u64(h, s->n_architectures);
        for (size_t i = 0; i < s->n_architectures; i++)
                h = fnv_str(h, s->architectures[i]);
        /* The listener path decides whether notify needs one at all. */
        h = fnv_str(h, s->listener_path);
        h = fnv_u64(h, s->n_syscalls);
        for (size_t i = 0; i < s->n_syscalls; i++)
                h = key_syscall(h, &s->syscalls[i]);
        return h;
}

static int cache_read(int dir_fd, const char *name, uint64_t key, struct seccomp_program *ret)
{
        _cleanup_free_ char *buf = NULL;
        struct cache_header hdr;
        size_t size;
        struct sock_filter *prog;

        if (fs_read_at(dir_fd, name, sizeof(hdr) + BPF_MAXINSNS * sizeof(struct sock_filter), &buf, &size) < 0)
                return -ENOENT;
        if (size < sizeof(hdr))
                return -EBADMSG;
        memcpy(&hdr, buf, sizeof(hdr));
        if (memcmp(hdr.magic, CACHE_MAGIC, sizeof(hdr.magic)) != 0 || hdr.key != key || hdr.len == 0 ||
            hdr.len > BPF_MAXINSNS || size != sizeof(hdr) + hdr.len * sizeof(struct sock_filter) ||
            hdr.checksum != fnv(FNV_OFFSET, buf + sizeof(hdr), size - sizeof(hdr)))
                return -EBADMSG;
        prog = malloc(size - sizeof(hdr));
        if (!prog)
                return -ENOMEM;
        memcpy(prog, buf + sizeof(hdr), size - sizeof(hdr));
        *ret = (struct seccomp_program){ .filter = prog, .len = hdr.len, .flags = hdr.flags, .notify = hdr.notify };
        return 0;
}

static int cache_write(int dir_fd, const char *name, uint64_t key, const struct seccomp_program *p)
{
        size_t body = p->len * sizeof(struct sock_filter);
        _cleanup_free_ char *buf = malloc(sizeof(struct cache_header) + body);
        struct cache_header hdr = {
                .key = key, .len = (uint32_t)p->len, .flags = p->flags, .notify = p->notify,
                .checksum = fnv(FNV_OFFSET, p->filter, body),
        };

        if (!buf)
                return -ENOMEM;
        memcpy(hdr.magic, CACHE_MAGIC, sizeof(hdr.magic));
        memcpy(buf, &hdr, sizeof(hdr));
        memcpy(buf + sizeof(hdr), p->filter, body);
        return fs_write_atomic_at(dir_fd, name, buf, sizeof(hdr) + body, 0600);
}

int seccomp_compile_cached(const struct spec_seccomp *s, int root_fd, struct seccomp_program *ret, bool *ret_hit,
                           struct berr *e)
{
        _cleanup_close_ int dir_fd = -EBADF;
        uint64_t key;
        char name[32];
        int r;

        *ret_hit = false;
        if (!s->present)
                return seccomp_compile(s, ret, e);
        key = seccomp_cache_key(s);
        snprintf(name, sizeof(name), "%016llx.bpf", (unsigned long long)key);
        if (mkdirat(root_fd, CACHE_DIR, 0700) < 0 && errno != EEXIST)
                log_debug("seccomp cache: mkdir %s: %s", CACHE_DIR, strerror(errno));
        dir_fd = openat(root_fd, CACHE_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir_fd >= 0 && cache_read(dir_fd, name, key, ret) == 0) {
                *ret_hit = true;
                log_debug("seccomp cache: hit %s", name);
                return 0;
        }
        r = seccomp_compile(s, ret, e);
        if (r < 0)
                return r;
        if (dir_fd >= 0 && (r = cache_write(dir_fd, name, key, ret)) < 0)
                log_debug("seccomp cache: write %s: %s", name, strerror(-r));
        else if (dir_fd >= 0)
                log_debug("seccomp cache: stored %s", name);
        return 0;
}
