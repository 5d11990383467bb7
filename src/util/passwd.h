/* passwd: look a user up in the text of an /etc/passwd file. Pure but for
 * passwd_host_name: the caller reads the file (from a container's rootfs:
 * hostile input).
 *
 * The host's users too are looked up in /etc/passwd, not through NSS, as
 * runc's static builds do: berth is a static binary where the toolchain
 * allows, and glibc's NSS would load its modules with dlopen. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* The home directory of the first entry with uid, as a new string; NULL
 * when there is none (or it has no usable home), or on ENOMEM. Malformed
 * lines are skipped. */
char *passwd_home(const char *text, uid_t uid);

/* The name of the first entry with uid, as a new string; NULL when there is
 * none (or it is empty), or on ENOMEM. */
char *passwd_name(const char *text, uid_t uid);

/* The name of uid in the host's /etc/passwd, into buf; -ENOENT when it has
 * none (or cannot be read). */
int passwd_host_name(uid_t uid, char *buf, size_t size);
