/* state: container directories, their lock, state.json, and derived status
 * (see state.h for the layout and the rules). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/log.h"
#include "util/passwd.h"
#include "util/signals.h"

#define STATE_FILE "state.json"
#define STATE_MAX_SIZE (4u << 20)

void container_state_done(struct container_state *s)
{
        free(s->id);
        free(s->bundle);
        free(s->rootfs);
        free(s->created);
        free(s->owner);
        free(s->cgroup_path);
        for (size_t i = 0; i < s->n_annotations; i++) {
                free(s->annotations[i].key);
                free(s->annotations[i].value);
        }
        free(s->annotations);
        *s = (struct container_state){};
}

const char *container_status_name(enum container_status st)
{
        static const char *const names[] = {
                [STATUS_CREATING] = "creating", [STATUS_CREATED] = "created",
                [STATUS_RUNNING] = "running", [STATUS_PAUSED] = "paused",
                [STATUS_STOPPED] = "stopped",
        };
        return names[st];
}

void state_dir_close(struct state_dir *d)
{
        d->dir_fd = safe_close(d->dir_fd);
        d->root_fd = safe_close(d->root_fd);
}

int state_validate_id(const char *id, struct berr *e)
{
        size_t len = strlen(id);

        if (len == 0)
                return berr_set(e, -EINVAL, "invalid container id: empty");
        if (len >= STATE_ID_MAX)
                return berr_set(e, -EINVAL, "invalid container id: longer than %d bytes", STATE_ID_MAX - 1);
        if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return berr_set(e, -EINVAL, "invalid container id \"%s\"", id);
        for (const char *p = id; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
                        return berr_set(e, -EINVAL,
                                        "invalid container id \"%s\": only letters, digits and _+-. are allowed", id);
        return 0;
}

/* Whoever can write the state root can plant a container's state.json and
 * have berth signal or delete the pid it names, or run poststop hooks from
 * its config: the root must be the caller's alone. This matters most for
 * the /tmp/berth-UID fallback, which another user could make first. */
int state_root_check(int fd, const char *root, struct berr *e)
{
        struct stat st;

        if (fstat(fd, &st) < 0)
                return berr_sys(e, -errno, "stat state root %s", root);
        if (st.st_uid != geteuid())
                return berr_set(e, -EPERM, "state root %s belongs to uid %u, not to uid %u: use another --root", root,
                                (unsigned)st.st_uid, (unsigned)geteuid());
        if (st.st_mode & (S_IWGRP | S_IWOTH))
                return berr_set(e, -EPERM, "state root %s is writable by others (mode %04o): chmod go-w it", root,
                                (unsigned)(st.st_mode & 07777));
        return 0;
}

int state_root_open(const char *root, int *ret_fd, struct berr *e)
{
        int r, fd;

        r = fs_mkdir_p(root, 0700);
        if (r < 0)
                return berr_sys(e, r, "create state root %s", root);
        fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return berr_sys(e, -errno, "open state root %s", root);
        r = state_root_check(fd, root, e);
        if (r < 0) {
                close(fd);
                return r;
        }
        *ret_fd = fd;
        return 0;
}

static int state_lock(int dir_fd, struct berr *e)
{
        struct stat st;

        if (RETRY_EINTR(flock(dir_fd, LOCK_EX)) < 0)
                return berr_sys(e, -errno, "lock state directory");
        /* The holder before us may have deleted the directory. */
        if (fstat(dir_fd, &st) < 0)
                return berr_sys(e, -errno, "stat state directory");
        if (st.st_nlink == 0)
                return berr_set(e, -ENOENT, "does not exist");
        return 0;
}

int state_dir_create(const char *root, const char *id, struct state_dir *ret, struct berr *e)
{
        struct state_dir d = STATE_DIR_INIT;
        int r;

        r = state_validate_id(id, e);
        if (r < 0)
                return r;
        r = state_root_open(root, &d.root_fd, e);
        if (r < 0)
                return r;
        if (mkdirat(d.root_fd, id, 0700) < 0) {
                r = -errno;
                state_dir_close(&d);
                if (r == -EEXIST)
                        return berr_set(e, r, "already exists");
                return berr_sys(e, r, "create state directory %s/%s", root, id);
        }
        d.dir_fd = openat(d.root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (d.dir_fd < 0) {
                r = berr_sys(e, -errno, "open state directory %s/%s", root, id);
                unlinkat(d.root_fd, id, AT_REMOVEDIR);
                state_dir_close(&d);
                return r;
        }
        r = state_lock(d.dir_fd, e);
        if (r < 0) {
                unlinkat(d.root_fd, id, AT_REMOVEDIR);
                state_dir_close(&d);
                return r;
        }
        snprintf(d.id, sizeof(d.id), "%s", id);
        *ret = d;
        return 0;
}

int state_dir_open(const char *root, const char *id, bool exclusive, struct state_dir *ret, struct berr *e)
{
        struct state_dir d = STATE_DIR_INIT;
        int r;

        r = state_validate_id(id, e);
        if (r < 0)
                return r;
        d.root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (d.root_fd < 0 && errno == ENOENT)
                return berr_set(e, -ENOENT, "does not exist");
        if (d.root_fd < 0)
                return berr_sys(e, -errno, "open state root %s", root);
        r = state_root_check(d.root_fd, root, e);
        if (r < 0) {
                state_dir_close(&d);
                return r;
        }
        d.dir_fd = openat(d.root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (d.dir_fd < 0) {
                r = -errno;
                state_dir_close(&d);
                if (r == -ENOENT)
                        return berr_set(e, r, "does not exist");
                return berr_sys(e, r, "open state directory");
        }
        if (exclusive) {
                r = state_lock(d.dir_fd, e);
                if (r < 0) {
                        state_dir_close(&d);
                        return r;
                }
        }
        snprintf(d.id, sizeof(d.id), "%s", id);
        *ret = d;
        return 0;
}

int state_dir_remove(struct state_dir *d, struct berr *e)
{
        int r = fs_rm_rf_at(d->root_fd, d->id);

        if (r < 0)
                return berr_sys(e, r, "remove state directory");
        return 0;
}

static void state_write_annotations(struct jw *w, const struct container_state *s)
{
        jw_key(w, "annotations");
        jw_obj_begin(w);
        for (size_t i = 0; i < s->n_annotations; i++)
                jw_kstr(w, s->annotations[i].key, s->annotations[i].value);
        jw_obj_end(w);
}

static void state_write_exit(struct jw *w, const struct shim_exit *x)
{
        const struct timespec ts = { .tv_sec = (time_t)x->sec, .tv_nsec = (long)x->nsec };
        const char *name = x->signal ? signal_to_string(x->signal) : NULL;
        char stamp[64];

        log_format_time(&ts, stamp, sizeof(stamp));
        jw_kint(w, "exitCode", x->code);
        if (x->signal)
                jw_kstr(w, "exitSignal", name ? name : "unknown");
        jw_kstr(w, "exitedAt", stamp);
}

const char *state_owner(const struct container_state *s, char *buf, size_t size)
{
        /* `list` asks for every container, most often of one owner. */
        static bool cached;
        static uid_t cached_uid;
        static char cached_name[64];

        if (s->owner)
                return s->owner;
        if (!s->has_owner_uid)
                return "";
        if (!cached || cached_uid != s->owner_uid) {
                if (passwd_host_name(s->owner_uid, cached_name, sizeof(cached_name)) < 0)
                        snprintf(cached_name, sizeof(cached_name), "%u", (unsigned)s->owner_uid);
                cached_uid = s->owner_uid;
                cached = true;
        }
        snprintf(buf, size, "%s", cached_name);
        return buf;
}

void state_write_oci(struct jw *w, const struct container_state *s, enum container_status st)
{
        bool live = st != STATUS_STOPPED;
        char owner[64];

        jw_obj_begin(w);
        jw_kstr(w, "ociVersion", "1.2.0");
        jw_kstr(w, "id", s->id);
        jw_kint(w, "pid", live ? s->pid : 0);
        jw_kstr(w, "status", container_status_name(st));
        jw_kstr(w, "bundle", s->bundle);
        jw_kstr(w, "rootfs", s->rootfs);
        jw_kstr(w, "created", s->created);
        jw_kstr(w, "owner", state_owner(s, owner, sizeof(owner)));
        if (s->n_annotations > 0)
                state_write_annotations(w, s);
        if (!live && s->has_exit)
                state_write_exit(w, &s->exit);
        jw_obj_end(w);
}

int state_oci_text(const struct container_state *s, enum container_status st, char **ret, size_t *ret_len,
                   struct berr *e)
{
        _cleanup_jw_ struct jw *w = jw_new(JW_COMPACT);
        const char *text;
        size_t len;

        if (!w)
                return berr_set(e, -ENOMEM, "out of memory");
        state_write_oci(w, s, st);
        if (jw_error(w) < 0)
                return berr_set(e, -EINVAL, "cannot encode state");
        text = jw_text(w, &len);
        *ret = strndup(text, len);
        if (!*ret)
                return berr_set(e, -ENOMEM, "out of memory");
        *ret_len = len;
        return 0;
}

/* "hooks": the names of the kinds present, as config.json spells them. */
static void state_write_hooks(struct jw *w, unsigned hooks)
{
        jw_key(w, "hooks");
        jw_arr_begin(w);
        for (int k = 0; k < SPEC_HOOK__MAX; k++)
                if ((hooks >> k) & 1)
                        jw_str(w, spec_hook_name(k));
        jw_arr_end(w);
}

int state_stage(struct state_dir *d, const struct container_state *s, struct berr *e)
{
        _cleanup_jw_ struct jw *w = jw_new(JW_COMPACT);
        const char *text;
        size_t len;
        int r;

        if (!w)
                return berr_set(e, -ENOMEM, "out of memory");
        jw_obj_begin(w);
        jw_kstr(w, "id", s->id);
        jw_kstr(w, "bundle", s->bundle);
        jw_kstr(w, "rootfs", s->rootfs);
        jw_kint(w, "pid", s->pid);
        jw_kuint(w, "pid_start", s->pid_start);
        jw_kstr(w, "created", s->created);
        if (s->owner)
                jw_kstr(w, "owner", s->owner);
        if (s->has_owner_uid)
                jw_kuint(w, "owner_uid", s->owner_uid);
        jw_kstr(w, "cgroup_path", s->cgroup_path);
        if (s->hooks_known)
                state_write_hooks(w, s->hooks);
        state_write_annotations(w, s);
        jw_obj_end(w);
        if (jw_error(w) < 0)
                return berr_set(e, -EINVAL, "cannot encode state");
        text = jw_text(w, &len);
        r = fs_write_staged_at(d->dir_fd, STATE_FILE, text, len, 0600);
        if (r < 0)
                return berr_sys(e, r, "write %s", STATE_FILE);
        return 0;
}

int state_commit(struct state_dir *d, struct berr *e)
{
        int r = fs_commit_staged_at(d->dir_fd, STATE_FILE);

        return r < 0 ? berr_sys(e, r, "write %s", STATE_FILE) : 0;
}

int state_write(struct state_dir *d, const struct container_state *s, struct berr *e)
{
        int r = state_stage(d, s, e);

        return r < 0 ? r : state_commit(d, e);
}

int state_write_cgroup(struct state_dir *d, const char *path, struct berr *e)
{
        int r = fs_write_atomic_at(d->dir_fd, STATE_CGROUP, path, strlen(path), 0600);

        return r < 0 ? berr_sys(e, r, "write %s", STATE_CGROUP) : 0;
}

int state_read_cgroup(struct state_dir *d, char **ret)
{
        size_t len;
        int r = fs_read_at(d->dir_fd, STATE_CGROUP, 4096, ret, &len);

        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        return r;
}

static int state_dup_str(json_val root, const char *key, bool required, char **ret)
{
        json_val v = json_get(root, key);

        if (!v || YAJL_IS_NULL(v)) {
                *ret = NULL;
                return required ? -EINVAL : 0;
        }
        if (!YAJL_IS_STRING(v))
                return -EINVAL;
        *ret = strdup(v->u.string);
        return *ret ? 0 : -ENOMEM;
}

static int state_read_annotations(json_val root, struct container_state *s)
{
        json_val a = json_get(root, "annotations");
        size_t n;

        if (!YAJL_IS_OBJECT(a))
                return 0;
        n = a->u.object.len;
        s->annotations = calloc(n ? n : 1, sizeof(*s->annotations));
        if (!s->annotations)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                json_val v = a->u.object.values[i];

                if (!YAJL_IS_STRING(v))
                        return -EINVAL;
                s->annotations[i].key = strdup(a->u.object.keys[i]);
                s->annotations[i].value = strdup(v->u.string);
                s->n_annotations++;
                if (!s->annotations[i].key || !s->annotations[i].value)
                        return -ENOMEM;
        }
        return 0;
}

/* A name this berth does not know (written by a newer one) leaves the set
 * unknown: start and delete then read config.json to see. */
static int state_read_hooks(json_val root, struct container_state *s)
{
        json_val a = json_get(root, "hooks");
        unsigned hooks = 0;

        if (!a)
                return 0;
        if (!YAJL_IS_ARRAY(a))
                return -EINVAL;
        for (size_t i = 0; i < a->u.array.len; i++) {
                json_val v = a->u.array.values[i];
                int k;

                if (!YAJL_IS_STRING(v))
                        return -EINVAL;
                for (k = 0; k < SPEC_HOOK__MAX && strcmp(spec_hook_name(k), v->u.string) != 0; k++)
                        ;
                if (k == SPEC_HOOK__MAX)
                        return 0;
                hooks |= 1U << k;
        }
        s->hooks = hooks;
        s->hooks_known = true;
        return 0;
}

static int state_decode(json_val root, struct container_state *s)
{
        json_val pid = json_get(root, "pid"), start = json_get(root, "pid_start"), uid = json_get(root, "owner_uid");
        int r = 0;

        if (!YAJL_IS_INTEGER(pid) || !YAJL_IS_INTEGER(start))
                return -EINVAL;
        if (uid) {
                if (!YAJL_IS_INTEGER(uid) || YAJL_GET_INTEGER(uid) < 0 || YAJL_GET_INTEGER(uid) > UINT32_MAX)
                        return -EINVAL;
                s->has_owner_uid = true;
                s->owner_uid = (uid_t)YAJL_GET_INTEGER(uid);
        }
        s->pid = (pid_t)YAJL_GET_INTEGER(pid);
        s->pid_start = (uint64_t)YAJL_GET_INTEGER(start);
        r = r ?: state_dup_str(root, "id", true, &s->id);
        r = r ?: state_dup_str(root, "bundle", true, &s->bundle);
        r = r ?: state_dup_str(root, "rootfs", true, &s->rootfs);
        r = r ?: state_dup_str(root, "created", true, &s->created);
        r = r ?: state_dup_str(root, "owner", false, &s->owner);
        r = r ?: state_dup_str(root, "cgroup_path", false, &s->cgroup_path);
        r = r ?: state_read_hooks(root, s);
        r = r ?: state_read_annotations(root, s);
        return r;
}

/* The shim's record: one line, "CODE SIGNAL SEC.NSEC" (shim/protocol.h). */
static int state_read_exit(int dir_fd, struct shim_exit *ret)
{
        _cleanup_free_ char *buf = NULL;
        long long sec, nsec;
        int code, sig, r;

        r = fs_read_at(dir_fd, SHIM_EXIT, 128, &buf, NULL);
        if (r < 0)
                return r;
        if (sscanf(buf, "%d %d %lld.%lld", &code, &sig, &sec, &nsec) != 4)
                return -EIO;
        *ret = (struct shim_exit){ .code = code, .signal = sig, .sec = sec, .nsec = nsec };
        return 0;
}

int state_read(struct state_dir *d, struct container_state *ret, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        _cleanup_json_ json_val root = NULL;
        struct container_state s = {};
        size_t len;
        int r;

        r = fs_read_at(d->dir_fd, STATE_FILE, STATE_MAX_SIZE, &buf, &len);
        if (r == -ENOENT)
                return berr_set(e, r, "does not exist");
        if (r < 0)
                return berr_sys(e, r, "read %s", STATE_FILE);
        r = json_parse(STATE_FILE, buf, len, &root, e);
        if (r < 0)
                return r;
        r = state_decode(root, &s);
        if (r < 0) {
                container_state_done(&s);
                return berr_set(e, r, "%s is corrupt", STATE_FILE);
        }
        s.has_exit = state_read_exit(d->dir_fd, &s.exit) == 0;
        *ret = s;
        return 0;
}

int proc_start_time(pid_t pid, uint64_t *ret_start, bool *ret_zombie)
{
        _cleanup_free_ char *buf = NULL;
        unsigned long long start;
        char path[64], st;
        const char *p;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        r = fs_read_at(AT_FDCWD, path, 8192, &buf, NULL);
        if (r < 0)
                return r;
        /* comm may contain spaces and parentheses: parse after the last ')'. */
        p = strrchr(buf, ')');
        if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                         &st, &start) != 2)
                return -EIO;
        *ret_start = start;
        if (ret_zombie)
                *ret_zombie = st == 'Z' || st == 'X';
        return 0;
}

/* `pause` sets cgroup.freeze (the cgroups layer is beside this one, so
 * the file is read here). */
static bool state_cgroup_frozen(const char *cgroup_path)
{
        _cleanup_close_ int dfd = -EBADF;
        _cleanup_free_ char *v = NULL;

        if (!cgroup_path)
                return false;
        dfd = open(cgroup_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || fs_read_at(dfd, "cgroup.freeze", 64, &v, NULL) < 0)
                return false;
        return v[0] == '1';
}

enum container_status state_status(struct state_dir *d, const struct container_state *s)
{
        uint64_t start;
        bool zombie;

        if (s->pid <= 0)
                return STATUS_STOPPED;
        if (proc_start_time(s->pid, &start, &zombie) < 0 || start != s->pid_start || zombie)
                return STATUS_STOPPED;
        if (faccessat(d->dir_fd, STATE_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                return STATUS_CREATED;
        return state_cgroup_frozen(s->cgroup_path) ? STATUS_PAUSED : STATUS_RUNNING;
}
