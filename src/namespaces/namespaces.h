/* namespaces: which namespaces a container creates or joins, and the id
 * maps of a new user namespace. Creation happens in clone3 (one call, user
 * namespace first by the kernel's own ordering, so it owns the others);
 * joining happens by setns on fds opened before clone. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "spec/spec.h"
#include "util/berr.h"

/* CLONE_NEW* flags for the namespaces the config creates (no path), all
 * but the time namespace, which the init makes with ns_create_time(). */
uint64_t ns_clone_flags(const struct spec_linux *l);

/* Bring the loopback interface up in the calling thread's network
 * namespace (a new one has only "lo", and down: even 127.0.0.1 would be
 * unreachable). */
int ns_loopback_up(struct berr *e);

/* Reject what this build cannot do yet, precisely. */
int ns_check_supported(const struct spec_linux *l, struct berr *e);

/* Namespaces to join, opened (O_CLOEXEC) before clone. */
struct ns_join {
        int fd[SPEC_NS__MAX];           /* -EBADF when not joined */
};
void ns_join_init(struct ns_join *j);
int ns_join_open(const struct spec_linux *l, struct ns_join *j, struct berr *e);
/* pid namespaces apply to children: the parent joins before clone3. */
int ns_join_for_children(struct ns_join *j, struct berr *e);
/* The rest, in the child: user first, so the others are entered with its
 * capabilities, then mount last so paths opened earlier stay valid. */
int ns_join_self(struct ns_join *j, struct berr *e);
void ns_join_close(struct ns_join *j);

/* In the init, after the user namespace: create the time namespace with
 * linux.timeOffsets and enter it, when the config asks for a new one. */
int ns_create_time(const struct spec_linux *l, struct berr *e);

/* Write uid_map/gid_map of process `pid` (the parent, after clone3). */
int ns_write_id_maps(pid_t pid, const struct spec_linux *l, struct berr *e);

/* An fd of a new user namespace with these maps (for idmapped mounts). */
int ns_userns_for_maps(const struct spec_id_mapping *uid, size_t n_uid, const struct spec_id_mapping *gid,
                       size_t n_gid, int *ret_fd, struct berr *e);
