/* mount/options: translate an OCI mount's "options" strings into what the
 * mount executor applies with the new mount API (fsconfig, mount_setattr,
 * propagation). Pure: no syscalls, unit-tested and fuzzed on its own. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/berr.h"

struct mount_opts {
        bool bind;                      /* "bind" or "rbind" */
        bool recursive;                 /* "rbind": clone the whole subtree */
        /* MOUNT_ATTR_* bits applied to the mount itself; attr_clr also holds
         * MOUNT_ATTR__ATIME whenever an atime option was given. */
        uint64_t attr_set, attr_clr;
        /* "rro", "rnosuid", ...: applied with AT_RECURSIVE over the subtree. */
        uint64_t rec_attr_set, rec_attr_clr;
        /* MS_PRIVATE / MS_SHARED / MS_SLAVE / MS_UNBINDABLE, or 0 (last one wins). */
        unsigned long propagation;
        bool propagation_recursive;     /* "rprivate", "rshared", ... */
        bool idmap, ridmap;             /* "idmap" / "ridmap" */
        bool readonly;                  /* "ro" given (also in attr_set) */
        bool tmpcopyup;                 /* "tmpcopyup": fill a new tmpfs from the image (copyup.h) */
        /* Filesystem (superblock) options for fsconfig, in order, NULL-terminated:
         * "mode=755" -> key "mode" value "755"; "newinstance" -> key, value NULL.
         * Generic superblock flags (sync, dirsync, lazytime, mand) are passed
         * here too, as keys without a value; their "no" forms remove them. */
        char **data_keys;
        char **data_values;             /* parallel to data_keys; NULL entries for flags */
        unsigned n_data;
        const char *selinux_context;    /* linux.mountLabel for the new filesystems; not owned */
};

/* Parse options (NULL-terminated; may be NULL). Unknown options are passed
 * as filesystem data, as runc does; a recognised flag with a "=value" or an
 * empty option is an error naming it. */
int mount_opts_parse(char *const *options, struct mount_opts *ret, struct berr *e);
void mount_opts_free(struct mount_opts *o);

/* The names mount_opts_parse() recognises and accepts, in table order, for
 * `berth features`; NULL past the end. */
const char *mount_opts_name_at(size_t i);
