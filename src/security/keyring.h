/* keyring: a session keyring of the container's own, so that keys of the
 * caller's session (and of other containers) are out of its reach. */
#pragma once

#include "util/berr.h"

/* Join a new session keyring named "_ses.<id>" (the name runc gives it),
 * usable by its possessor and owner only. A kernel
 * without keyrings (or a seccomp profile around berth that hides keyctl) is
 * not an error: there is nothing to isolate then. */
int keyring_join_new_session(const char *id, struct berr *e);
