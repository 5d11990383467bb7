/* passwd: look a user up in the text of an /etc/passwd file. Pure: the
 * caller reads the file (from a container's rootfs: hostile input). */
#pragma once

#include <sys/types.h>

/* The home directory of the first entry with uid, as a new string; NULL
 * when there is none (or it has no usable home), or on ENOMEM. Malformed
 * lines are skipped. */
char *passwd_home(const char *text, uid_t uid);
