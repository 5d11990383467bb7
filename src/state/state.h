/* state: the on-disk record of each container under the state root.
 *
 *   <root>/<id>/            created with mkdir (so one creator wins), 0700
 *   <root>/<id>/state.json  berth's record, always replaced by atomic rename
 *   <root>/<id>/config.json the config the container was created from
 *   <root>/<id>/exec.fifo   the start channel; present while "created"
 *   <root>/<id>/cgroup      the container's cgroup path, written before its
 *                           init is cloned: a create killed before state.json
 *                           still leaves delete --force the group to remove
 *   <root>/<id>/exit, shim.sock, container.log, poststop.done
 *                           a shim's (shim/protocol.h)
 *
 * Commands that change a container hold an exclusive flock on its directory;
 * readers (state, list) need no lock because state.json is never torn.
 * Status is derived, not stored: a live init (pid + start time, so a reused
 * pid is not mistaken for it) with the fifo present is "created", without it
 * "running"; anything else is "stopped". */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "shim/protocol.h"
#include "spec/spec.h"
#include "util/berr.h"

#define STATE_ID_MAX 1024
#define STATE_FIFO "exec.fifo"
#define STATE_CONFIG "config.json"
#define STATE_CGROUP "cgroup"

/* STATUS_CREATING is never derived from disk: it is what the hooks that
 * run during create (prestart, createRuntime, createContainer) are told. */
enum container_status {
        STATUS_CREATING, STATUS_CREATED, STATUS_RUNNING, STATUS_PAUSED, STATUS_STOPPED,
};

struct container_state {
        char *id;
        char *bundle;                   /* absolute */
        char *rootfs;                   /* absolute */
        pid_t pid;                      /* container init, as seen from the host */
        uint64_t pid_start;             /* its start time (/proc/PID/stat field 22) */
        char *created;                  /* RFC 3339 */
        /* The creator: create records the uid only (a user name would cost
         * a lookup on the critical path of run); a state.json of an older
         * berth has the name. state_owner() gives the name. */
        char *owner;
        bool has_owner_uid;
        uid_t owner_uid;
        struct spec_key_value *annotations;
        size_t n_annotations;
        char *cgroup_path;              /* absolute cgroup path, NULL when none */
        /* Which hook kinds the saved config has (bit 1 << spec_hook_kind),
         * so that start and delete read config.json only to run some.
         * Unknown for a state.json written without them: then assume any. */
        bool hooks_known;
        unsigned hooks;
        /* How the init ended, when a shim saw it (shim/protocol.h). */
        bool has_exit;
        struct shim_exit exit;
};

void container_state_done(struct container_state *s);

/* Whether the container's config may have hooks of this kind. */
static inline bool container_state_may_have_hooks(const struct container_state *s, enum spec_hook_kind kind)
{
        return !s->hooks_known || (s->hooks >> kind) & 1;
}
const char *container_status_name(enum container_status st);

/* An open container directory. */
struct state_dir {
        int root_fd;
        int dir_fd;
        char id[STATE_ID_MAX];
};
#define STATE_DIR_INIT { .root_fd = -EBADF, .dir_fd = -EBADF }
void state_dir_close(struct state_dir *d);

/* Check a container id: non-empty, at most 1024 bytes, letters, digits and
 * "_+-." only, not "." or "..": it becomes a directory name. */
int state_validate_id(const char *id, struct berr *e);

/* The state root (fd, opened from root) must belong to the caller and not
 * be writable by group or others: -EPERM with a message otherwise. */
int state_root_check(int fd, const char *root, struct berr *e);

/* Open (creating it 0700 if needed) the state root, and check it. */
int state_root_open(const char *root, int *ret_fd, struct berr *e);

/* Make <root>/<id>, failing with -EEXIST if it exists, and lock it. */
int state_dir_create(const char *root, const char *id, struct state_dir *ret, struct berr *e);

/* Open and lock an existing container (-ENOENT: "container X does not exist").
 * exclusive=false opens without a lock, for readers. */
int state_dir_open(const char *root, const char *id, bool exclusive, struct state_dir *ret, struct berr *e);

/* Remove the container's directory (the lock goes with it). */
int state_dir_remove(struct state_dir *d, struct berr *e);

int state_write(struct state_dir *d, const struct container_state *s, struct berr *e);
/* state_write in two steps (fs_write_staged_at): create writes state.json
 * while the init sets up, and commits it, a rename, once the init is ready. */
int state_stage(struct state_dir *d, const struct container_state *s, struct berr *e);
int state_commit(struct state_dir *d, struct berr *e);
/* -ENOENT (with a message) when state.json does not exist yet. The exit a
 * shim recorded comes along (has_exit). */
int state_read(struct state_dir *d, struct container_state *ret, struct berr *e);

/* The cgroup path recorded before clone: *ret is NULL when there is none. */
int state_write_cgroup(struct state_dir *d, const char *path, struct berr *e);
int state_read_cgroup(struct state_dir *d, char **ret);

/* Derive the status from the process and the start channel. */
enum container_status state_status(struct state_dir *d, const struct container_state *s);

/* Start time of a process (clock ticks after boot) and whether it is a zombie. */
int proc_start_time(pid_t pid, uint64_t *ret_start, bool *ret_zombie);

/* The creator's user name (from owner, or owner_uid in /etc/passwd; its number
 * if it has none): in buf, or in s. "" when the state records neither. */
const char *state_owner(const struct container_state *s, char *buf, size_t size);

/* Write the OCI state document (`berth state`, hooks' stdin, `list --format json`);
 * a stopped container's recorded exit adds exitCode, exitSignal, exitedAt. */
struct jw;
void state_write_oci(struct jw *w, const struct container_state *s, enum container_status st);
/* The same document as compact text in a new buffer (a hook's stdin). */
int state_oci_text(const struct container_state *s, enum container_status st, char **ret, size_t *ret_len,
                   struct berr *e);
