/* mount/options: an OCI mount's "options" -> struct mount_opts (see options.h).
 *
 * One table names every option berth recognises and what it does; anything
 * else is filesystem data, as in runc. Options are applied in order and the
 * last one of a pair wins ("ro,rw" is rw), which is what mount(8) does. */
#include "config.h"

#include <errno.h>
#include <linux/mount.h>        /* MOUNT_ATTR_*, MS_*; never with <sys/mount.h> (glibc 2.36 clash) */
#include <stdlib.h>
#include <string.h>

#include "mount/options.h"
#include "util/cleanup.h"

enum opt_kind {
        OPT_ATTR,               /* a MOUNT_ATTR_* bit: set, or clear with .clear */
        OPT_ATIME,              /* an atime mode: set, or cancel with .clear */
        OPT_SB_FLAG,            /* a generic superblock flag, passed as a data key */
        OPT_PROPAGATION,        /* MS_PRIVATE, ... */
        OPT_BIND,
        OPT_IDMAP,
        OPT_TMPCOPYUP,
        OPT_IGNORE,             /* accepted, no effect */
};

struct opt_def {
        const char *name;
        enum opt_kind kind;
        bool clear;             /* the "undo" form: rw, suid, atime, async, ... */
        bool recursive;         /* r* forms: the whole subtree */
        uint64_t value;         /* attr bit, atime mode or MS_* propagation */
        const char *sb_key;     /* OPT_SB_FLAG: the data key this option sets or removes */
};

#define ATTR(n, c, r, v)        { n, OPT_ATTR, c, r, v, NULL }
#define ATIME(n, c, r, v)       { n, OPT_ATIME, c, r, v, NULL }
#define SB(n, c, k)             { n, OPT_SB_FLAG, c, false, 0, k }
#define PROP(n, r, v)           { n, OPT_PROPAGATION, false, r, v, NULL }

static const struct opt_def opt_table[] = {
        ATTR("ro", false, false, MOUNT_ATTR_RDONLY),       ATTR("rw", true, false, MOUNT_ATTR_RDONLY),
        ATTR("nosuid", false, false, MOUNT_ATTR_NOSUID),   ATTR("suid", true, false, MOUNT_ATTR_NOSUID),
        ATTR("nodev", false, false, MOUNT_ATTR_NODEV),     ATTR("dev", true, false, MOUNT_ATTR_NODEV),
        ATTR("noexec", false, false, MOUNT_ATTR_NOEXEC),   ATTR("exec", true, false, MOUNT_ATTR_NOEXEC),
        ATTR("nodiratime", false, false, MOUNT_ATTR_NODIRATIME),
        ATTR("diratime", true, false, MOUNT_ATTR_NODIRATIME),
        ATTR("nosymfollow", false, false, MOUNT_ATTR_NOSYMFOLLOW),
        ATTR("symfollow", true, false, MOUNT_ATTR_NOSYMFOLLOW),
        ATIME("relatime", false, false, MOUNT_ATTR_RELATIME),
        ATIME("norelatime", true, false, MOUNT_ATTR_RELATIME),
        ATIME("noatime", false, false, MOUNT_ATTR_NOATIME),
        ATIME("atime", true, false, MOUNT_ATTR_NOATIME),
        ATIME("strictatime", false, false, MOUNT_ATTR_STRICTATIME),
        ATIME("nostrictatime", true, false, MOUNT_ATTR_STRICTATIME),

        ATTR("rro", false, true, MOUNT_ATTR_RDONLY),       ATTR("rrw", true, true, MOUNT_ATTR_RDONLY),
        ATTR("rnosuid", false, true, MOUNT_ATTR_NOSUID),   ATTR("rsuid", true, true, MOUNT_ATTR_NOSUID),
        ATTR("rnodev", false, true, MOUNT_ATTR_NODEV),     ATTR("rdev", true, true, MOUNT_ATTR_NODEV),
        ATTR("rnoexec", false, true, MOUNT_ATTR_NOEXEC),   ATTR("rexec", true, true, MOUNT_ATTR_NOEXEC),
        ATTR("rnodiratime", false, true, MOUNT_ATTR_NODIRATIME),
        ATTR("rdiratime", true, true, MOUNT_ATTR_NODIRATIME),
        ATTR("rnosymfollow", false, true, MOUNT_ATTR_NOSYMFOLLOW),
        ATTR("rsymfollow", true, true, MOUNT_ATTR_NOSYMFOLLOW),
        ATIME("rrelatime", false, true, MOUNT_ATTR_RELATIME),
        ATIME("rnorelatime", true, true, MOUNT_ATTR_RELATIME),
        ATIME("rnoatime", false, true, MOUNT_ATTR_NOATIME),
        ATIME("ratime", true, true, MOUNT_ATTR_NOATIME),
        ATIME("rstrictatime", false, true, MOUNT_ATTR_STRICTATIME),
        ATIME("rnostrictatime", true, true, MOUNT_ATTR_STRICTATIME),

        SB("sync", false, "sync"),              SB("async", true, "sync"),
        SB("dirsync", false, "dirsync"),
        SB("lazytime", false, "lazytime"),      SB("nolazytime", true, "lazytime"),
        SB("mand", false, "mand"),              SB("nomand", true, "mand"),

        PROP("private", false, MS_PRIVATE),     PROP("rprivate", true, MS_PRIVATE),
        PROP("shared", false, MS_SHARED),       PROP("rshared", true, MS_SHARED),
        PROP("slave", false, MS_SLAVE),         PROP("rslave", true, MS_SLAVE),
        PROP("unbindable", false, MS_UNBINDABLE), PROP("runbindable", true, MS_UNBINDABLE),

        { "bind", OPT_BIND, false, false, 0, NULL },
        { "rbind", OPT_BIND, false, true, 0, NULL },
        { "idmap", OPT_IDMAP, false, false, 0, NULL },
        { "ridmap", OPT_IDMAP, false, true, 0, NULL },
        /* The mount is always made fresh, so there is nothing to remount;
         * "defaults" means "no change" in fstab. */
        { "remount", OPT_IGNORE, false, false, 0, NULL },
        { "defaults", OPT_IGNORE, false, false, 0, NULL },
        /* mount(2) took these as flags; fsconfig(2) has no key for them and
         * filesystems refuse them as data (EINVAL on tmpfs). "silent" only
         * quietened the kernel log, and i_version is always on where the
         * filesystem supports it, so accepting them changes nothing. */
        { "silent", OPT_IGNORE, false, false, 0, NULL },
        { "loud", OPT_IGNORE, false, false, 0, NULL },
        { "iversion", OPT_IGNORE, false, false, 0, NULL },
        { "noiversion", OPT_IGNORE, false, false, 0, NULL },
        /* runc's extension: copy the destination's old contents into a new
         * tmpfs (mount/copyup.c). */
        { "tmpcopyup", OPT_TMPCOPYUP, false, false, 0, NULL },
};

/* The parser's working state: the result plus each level's atime mode. */
struct opts_state {
        struct mount_opts o;
        int atime, rec_atime;           /* MOUNT_ATTR_<mode>, or -1 when no atime option */
        size_t cap;                     /* allocated entries in data_keys/values */
};

static const struct opt_def *opt_lookup(const char *name, size_t len)
{
        for (size_t i = 0; i < ELEMENTSOF(opt_table); i++)
                if (strlen(opt_table[i].name) == len && strncmp(opt_table[i].name, name, len) == 0)
                        return &opt_table[i];
        return NULL;
}

const char *mount_opts_name_at(size_t i)
{
        return i < ELEMENTSOF(opt_table) ? opt_table[i].name : NULL;
}

static void bits_apply(uint64_t *set, uint64_t *clr, uint64_t bit, bool clear)
{
        if (clear) {
                *clr |= bit;
                *set &= ~bit;
        } else {
                *set |= bit;
                *clr &= ~bit;
        }
}

/* The atime modes are one three-way setting, not bits. A cancelling form
 * ("atime" cancels noatime) falls back to the kernel's default, relatime,
 * when it cancels the current mode and leaves any other mode alone: that is
 * what mount(2) did for runc. So "norelatime" alone means relatime; ask for
 * strictatime to get every access recorded. */
static void atime_apply(int *mode, const struct opt_def *d)
{
        if (!d->clear)
                *mode = (int)d->value;
        else if (*mode < 0 || *mode == (int)d->value)
                *mode = MOUNT_ATTR_RELATIME;
}

static void data_remove(struct mount_opts *o, const char *key)
{
        unsigned j = 0;

        for (unsigned i = 0; i < o->n_data; i++) {
                if (!o->data_values[i] && strcmp(o->data_keys[i], key) == 0) {
                        free(o->data_keys[i]);
                        continue;
                }
                o->data_keys[j] = o->data_keys[i];
                o->data_values[j++] = o->data_values[i];
        }
        o->n_data = j;
        o->data_keys[j] = o->data_values[j] = NULL;
}

/* Room for one more entry and the NULL terminators. */
static int data_reserve(struct opts_state *st)
{
        struct mount_opts *o = &st->o;
        size_t cap = st->cap ? st->cap * 2 : 8;
        char **p;

        if (o->n_data + 1 < st->cap)
                return 0;
        p = realloc(o->data_keys, cap * sizeof(char *));
        if (!p)
                return -ENOMEM;
        o->data_keys = p;
        p = realloc(o->data_values, cap * sizeof(char *));
        if (!p)
                return -ENOMEM;
        o->data_values = p;
        st->cap = cap;
        o->data_keys[o->n_data] = o->data_values[o->n_data] = NULL;
        return 0;
}

/* Append key (and value, NULL for a flag); both copied. */
static int data_add(struct opts_state *st, const char *key, size_t key_len, const char *value)
{
        struct mount_opts *o = &st->o;
        _cleanup_free_ char *k = strndup(key, key_len), *v = value ? strdup(value) : NULL;

        if (!k || (value && !v) || data_reserve(st) < 0)
                return -ENOMEM;
        o->data_keys[o->n_data] = TAKE_PTR(k);
        o->data_values[o->n_data++] = TAKE_PTR(v);
        o->data_keys[o->n_data] = o->data_values[o->n_data] = NULL;
        return 0;
}

static int opt_apply(struct opts_state *st, const struct opt_def *d, struct berr *e)
{
        struct mount_opts *o = &st->o;

        switch (d->kind) {
        case OPT_ATTR:
                if (d->recursive)
                        bits_apply(&o->rec_attr_set, &o->rec_attr_clr, d->value, d->clear);
                else
                        bits_apply(&o->attr_set, &o->attr_clr, d->value, d->clear);
                break;
        case OPT_ATIME:
                atime_apply(d->recursive ? &st->rec_atime : &st->atime, d);
                break;
        case OPT_SB_FLAG:
                /* Remove an earlier setting so the last one wins; a clearing
                 * form adds nothing: a new superblock starts with it clear. */
                data_remove(o, d->sb_key);
                if (!d->clear)
                        return data_add(st, d->sb_key, strlen(d->sb_key), NULL);
                break;
        case OPT_PROPAGATION:
                o->propagation = d->value;
                o->propagation_recursive = d->recursive;
                break;
        case OPT_BIND:
                /* As in runc, "rbind" anywhere makes the bind recursive. */
                o->bind = true;
                o->recursive = o->recursive || d->recursive;
                break;
        case OPT_IDMAP:
                o->idmap = !d->recursive;
                o->ridmap = d->recursive;
                break;
        case OPT_TMPCOPYUP:
                o->tmpcopyup = true;
                break;
        case OPT_IGNORE:
                break;
        }
        return 0;
}

static int opt_parse_one(struct opts_state *st, const char *opt, struct berr *e)
{
        const char *eq = strchr(opt, '=');
        size_t name_len = eq ? (size_t)(eq - opt) : strlen(opt);
        const struct opt_def *d;
        int r;

        if (name_len == 0)
                return berr_set(e, -EINVAL, "mount option \"%s\": empty name", opt);
        d = opt_lookup(opt, name_len);
        if (d && eq)
                return berr_set(e, -EINVAL, "mount option \"%s\": \"%.*s\" takes no value",
                                opt, (int)name_len, opt);
        if (d)
                return opt_apply(st, d, e);
        r = data_add(st, opt, name_len, eq ? eq + 1 : NULL);
        if (r < 0)
                return berr_sys(e, r, "mount option \"%s\"", opt);
        return 0;
}

static void opts_finish(struct opts_state *st)
{
        struct mount_opts *o = &st->o;

        /* mount_setattr(2) takes an atime mode only together with all of
         * MOUNT_ATTR__ATIME in attr_clr. */
        if (st->atime >= 0) {
                o->attr_clr |= MOUNT_ATTR__ATIME;
                o->attr_set |= (uint64_t)st->atime;
        }
        if (st->rec_atime >= 0) {
                o->rec_attr_clr |= MOUNT_ATTR__ATIME;
                o->rec_attr_set |= (uint64_t)st->rec_atime;
        }
        o->readonly = o->attr_set & MOUNT_ATTR_RDONLY;
}

int mount_opts_parse(char *const *options, struct mount_opts *ret, struct berr *e)
{
        struct opts_state st = { .atime = -1, .rec_atime = -1 };
        int r;

        /* Always an array, so callers can walk data_keys to its NULL. */
        r = data_reserve(&st);
        if (r < 0)
                return berr_sys(e, r, "mount options");
        for (size_t i = 0; options && options[i]; i++) {
                if (!options[i][0]) {
                        r = berr_set(e, -EINVAL, "empty mount option (options[%zu])", i);
                        goto fail;
                }
                r = opt_parse_one(&st, options[i], e);
                if (r < 0)
                        goto fail;
        }
        opts_finish(&st);
        *ret = st.o;
        return 0;
fail:
        mount_opts_free(&st.o);
        return r;
}

void mount_opts_free(struct mount_opts *o)
{
        if (!o)
                return;
        for (unsigned i = 0; i < o->n_data; i++) {
                free(o->data_keys[i]);
                free(o->data_values[i]);
        }
        free(o->data_keys);
        free(o->data_values);
        *o = (struct mount_opts){};
}
