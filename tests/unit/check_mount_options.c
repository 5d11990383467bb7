/* Unit tests for mount/options: every class of option, last-wins pairs, the
 * atime modes, filesystem data, and the errors. Pure: no root needed. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount/options.h"
#include "mount/resolve.h"
#include "util/fs.h"
#include "util/cleanup.h"

#define OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The parser takes char *const * (spec strings are mutable); the literals
 * here are not, and it never writes through them. */
static char *const *mutable_strv(const char *const *v)
{
        return (char *const *)(uintptr_t)v;
}

static struct mount_opts parse_ok(const char *const *options)
{
        struct mount_opts o;
        struct berr e = {};
        int r = mount_opts_parse(mutable_strv(options), &o, &e);

        ck_assert_msg(r == 0, "parse failed: %d %s", r, e.msg);
        ck_assert_ptr_nonnull(o.data_keys);
        ck_assert_ptr_nonnull(o.data_values);
        ck_assert_ptr_null(o.data_keys[o.n_data]);
        return o;
}

/* A failed parse returns code, names `needle` in the message, and leaves
 * the caller's struct alone. */
static void parse_fails(const char *const *options, int code, const char *needle)
{
        struct mount_opts o = { .n_data = 12345 };
        struct berr e = {};
        int r = mount_opts_parse(mutable_strv(options), &o, &e);

        ck_assert_int_eq(r, code);
        ck_assert_int_eq(e.code, code);
        ck_assert_msg(strstr(e.msg, needle), "message \"%s\" lacks \"%s\"", e.msg, needle);
        ck_assert_uint_eq(o.n_data, 12345);
}

START_TEST(test_none)
{
        struct mount_opts o = parse_ok(NULL);

        ck_assert(!o.bind && !o.recursive && !o.idmap && !o.ridmap && !o.readonly);
        ck_assert_uint_eq(o.attr_set | o.attr_clr | o.rec_attr_set | o.rec_attr_clr, 0);
        ck_assert_uint_eq(o.propagation, 0);
        ck_assert_uint_eq(o.n_data, 0);
        mount_opts_free(&o);

        o = parse_ok(OPTS(NULL));
        ck_assert_uint_eq(o.n_data, 0);
        mount_opts_free(&o);
        mount_opts_free(&o);    /* freeing twice is harmless: free zeroes */
        mount_opts_free(NULL);
}
END_TEST

START_TEST(test_attr_flags)
{
        struct mount_opts o = parse_ok(OPTS("ro", "nosuid", "nodev", "noexec", "nodiratime", "nosymfollow"));

        ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                          MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
        ck_assert_uint_eq(o.attr_clr, 0);
        ck_assert(o.readonly);
        ck_assert_uint_eq(o.rec_attr_set | o.rec_attr_clr, 0);
        ck_assert_uint_eq(o.n_data, 0);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rw", "suid", "dev", "exec", "diratime", "symfollow"));
        ck_assert_uint_eq(o.attr_set, 0);
        ck_assert_uint_eq(o.attr_clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                          MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
        ck_assert(!o.readonly);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_recursive_attr_flags)
{
        struct mount_opts o = parse_ok(OPTS("rro", "rnosuid", "rnodev", "rnoexec", "rnodiratime", "rnosymfollow"));

        ck_assert_uint_eq(o.rec_attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                          MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
        ck_assert_uint_eq(o.rec_attr_clr, 0);
        ck_assert_uint_eq(o.attr_set | o.attr_clr, 0);
        ck_assert(!o.readonly);         /* "readonly" is the mount's own "ro" */
        mount_opts_free(&o);

        o = parse_ok(OPTS("rrw", "rsuid", "rdev", "rexec", "rdiratime", "rsymfollow"));
        ck_assert_uint_eq(o.rec_attr_set, 0);
        ck_assert_uint_eq(o.rec_attr_clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
                          MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_last_wins)
{
        struct mount_opts o = parse_ok(OPTS("ro", "rw"));

        ck_assert(!o.readonly);
        ck_assert_uint_eq(o.attr_set & MOUNT_ATTR_RDONLY, 0);
        ck_assert_uint_eq(o.attr_clr & MOUNT_ATTR_RDONLY, MOUNT_ATTR_RDONLY);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rw", "ro"));
        ck_assert(o.readonly);
        ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_RDONLY);
        ck_assert_uint_eq(o.attr_clr, 0);
        mount_opts_free(&o);

        o = parse_ok(OPTS("suid", "nosuid", "exec", "noexec", "noexec", "exec"));
        ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_NOSUID);
        ck_assert_uint_eq(o.attr_clr, MOUNT_ATTR_NOEXEC);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rro", "rrw", "rnodev"));
        ck_assert_uint_eq(o.rec_attr_set, MOUNT_ATTR_NODEV);
        ck_assert_uint_eq(o.rec_attr_clr, MOUNT_ATTR_RDONLY);
        mount_opts_free(&o);
}
END_TEST

static void check_atime(const char *const *options, uint64_t mode)
{
        struct mount_opts o = parse_ok(options);

        ck_assert_uint_eq(o.attr_clr & MOUNT_ATTR__ATIME, MOUNT_ATTR__ATIME);
        ck_assert_uint_eq(o.attr_set & MOUNT_ATTR__ATIME, mode);
        ck_assert_uint_eq(o.rec_attr_set | o.rec_attr_clr, 0);
        mount_opts_free(&o);
}

START_TEST(test_atime)
{
        struct mount_opts o = parse_ok(OPTS("nosuid", "mode=755"));

        /* No atime option: the mount keeps whatever it has. */
        ck_assert_uint_eq((o.attr_set | o.attr_clr) & MOUNT_ATTR__ATIME, 0);
        mount_opts_free(&o);

        check_atime(OPTS("relatime"), MOUNT_ATTR_RELATIME);
        check_atime(OPTS("noatime"), MOUNT_ATTR_NOATIME);
        check_atime(OPTS("strictatime"), MOUNT_ATTR_STRICTATIME);
        /* One three-way setting: the last mode wins. */
        check_atime(OPTS("noatime", "strictatime"), MOUNT_ATTR_STRICTATIME);
        check_atime(OPTS("strictatime", "noatime"), MOUNT_ATTR_NOATIME);
        check_atime(OPTS("strictatime", "relatime"), MOUNT_ATTR_RELATIME);
        /* A cancelling form returns to relatime only if it cancels the mode in force. */
        check_atime(OPTS("noatime", "atime"), MOUNT_ATTR_RELATIME);
        check_atime(OPTS("strictatime", "atime"), MOUNT_ATTR_STRICTATIME);
        check_atime(OPTS("strictatime", "nostrictatime"), MOUNT_ATTR_RELATIME);
        check_atime(OPTS("noatime", "nostrictatime"), MOUNT_ATTR_NOATIME);
        check_atime(OPTS("noatime", "norelatime"), MOUNT_ATTR_NOATIME);
        check_atime(OPTS("atime"), MOUNT_ATTR_RELATIME);
        check_atime(OPTS("norelatime"), MOUNT_ATTR_RELATIME);
        /* nodiratime is its own bit, beside the mode. */
        o = parse_ok(OPTS("nodiratime", "noatime"));
        ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOATIME);
        ck_assert_uint_eq(o.attr_clr, MOUNT_ATTR__ATIME);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_recursive_atime)
{
        struct mount_opts o = parse_ok(OPTS("rnoatime"));

        ck_assert_uint_eq(o.rec_attr_set, MOUNT_ATTR_NOATIME);
        ck_assert_uint_eq(o.rec_attr_clr, MOUNT_ATTR__ATIME);
        ck_assert_uint_eq(o.attr_set | o.attr_clr, 0);
        mount_opts_free(&o);

        /* mount_setattr() refuses a partial MOUNT_ATTR__ATIME in attr_clr:
         * the cancelling forms must still clear the whole field. */
        o = parse_ok(OPTS("rnoatime", "ratime"));
        ck_assert_uint_eq(o.rec_attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
        ck_assert_uint_eq(o.rec_attr_clr, MOUNT_ATTR__ATIME);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rstrictatime", "rrelatime", "noatime"));
        ck_assert_uint_eq(o.rec_attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
        ck_assert_uint_eq(o.rec_attr_clr, MOUNT_ATTR__ATIME);
        ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_NOATIME);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rstrictatime", "rnostrictatime"));
        ck_assert_uint_eq(o.rec_attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_RELATIME);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rstrictatime", "rnorelatime"));
        ck_assert_uint_eq(o.rec_attr_set & MOUNT_ATTR__ATIME, MOUNT_ATTR_STRICTATIME);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_propagation)
{
        struct mount_opts o = parse_ok(OPTS("shared"));

        ck_assert_uint_eq(o.propagation, MS_SHARED);
        ck_assert(!o.propagation_recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("shared", "rprivate"));
        ck_assert_uint_eq(o.propagation, MS_PRIVATE);
        ck_assert(o.propagation_recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rslave", "unbindable"));
        ck_assert_uint_eq(o.propagation, MS_UNBINDABLE);
        ck_assert(!o.propagation_recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("private", "rshared"));
        ck_assert_uint_eq(o.propagation, MS_SHARED);
        ck_assert(o.propagation_recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("runbindable", "slave"));
        ck_assert_uint_eq(o.propagation, MS_SLAVE);
        ck_assert(!o.propagation_recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("slave", "runbindable"));
        ck_assert_uint_eq(o.propagation, MS_UNBINDABLE);
        ck_assert(o.propagation_recursive);
        ck_assert_uint_eq(o.n_data, 0);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_bind_and_idmap)
{
        struct mount_opts o = parse_ok(OPTS("bind"));

        ck_assert(o.bind && !o.recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("rbind", "ro"));
        ck_assert(o.bind && o.recursive && o.readonly);
        mount_opts_free(&o);

        /* As runc: once rbind is given, the bind stays recursive. */
        o = parse_ok(OPTS("rbind", "bind"));
        ck_assert(o.bind && o.recursive);
        mount_opts_free(&o);

        o = parse_ok(OPTS("idmap"));
        ck_assert(o.idmap && !o.ridmap);
        ck_assert(!o.bind);
        mount_opts_free(&o);

        o = parse_ok(OPTS("idmap", "ridmap"));
        ck_assert(!o.idmap && o.ridmap);
        mount_opts_free(&o);

        o = parse_ok(OPTS("ridmap", "idmap"));
        ck_assert(o.idmap && !o.ridmap);
        ck_assert_uint_eq(o.n_data, 0);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_superblock_flags)
{
        struct mount_opts o = parse_ok(OPTS("sync", "dirsync", "lazytime", "mand"));

        ck_assert_uint_eq(o.n_data, 4);
        ck_assert_str_eq(o.data_keys[0], "sync");
        ck_assert_str_eq(o.data_keys[1], "dirsync");
        ck_assert_str_eq(o.data_keys[2], "lazytime");
        ck_assert_str_eq(o.data_keys[3], "mand");
        for (unsigned i = 0; i < o.n_data; i++)
                ck_assert_ptr_null(o.data_values[i]);
        ck_assert_uint_eq(o.attr_set | o.attr_clr, 0);
        mount_opts_free(&o);

        /* The clearing forms remove the flag; the last one wins. */
        o = parse_ok(OPTS("sync", "mode=755", "async", "nolazytime", "lazytime", "mand", "nomand"));
        ck_assert_uint_eq(o.n_data, 2);
        ck_assert_str_eq(o.data_keys[0], "mode");
        ck_assert_str_eq(o.data_values[0], "755");
        ck_assert_str_eq(o.data_keys[1], "lazytime");
        ck_assert_ptr_null(o.data_values[1]);
        mount_opts_free(&o);

        o = parse_ok(OPTS("async", "sync"));
        ck_assert_uint_eq(o.n_data, 1);
        ck_assert_str_eq(o.data_keys[0], "sync");
        mount_opts_free(&o);

        /* A recognised flag takes no value. */
        parse_fails(OPTS("sync=1"), -EINVAL, "sync=1");
}
END_TEST

START_TEST(test_ignored)
{
        struct mount_opts o = parse_ok(OPTS("remount", "defaults", "silent", "loud", "iversion", "noiversion"));

        ck_assert_uint_eq(o.n_data, 0);
        ck_assert_uint_eq(o.attr_set | o.attr_clr | o.rec_attr_set | o.rec_attr_clr, 0);
        ck_assert(!o.bind && !o.readonly);
        ck_assert_uint_eq(o.propagation, 0);
        mount_opts_free(&o);
}
END_TEST

/* tmpcopyup is berth's to act on, not tmpfs data. */
START_TEST(test_tmpcopyup)
{
        struct mount_opts o = parse_ok(OPTS("mode=755", "tmpcopyup", "ro"));

        ck_assert(o.tmpcopyup && o.readonly);
        ck_assert_uint_eq(o.n_data, 1);
        ck_assert_str_eq(o.data_keys[0], "mode");
        mount_opts_free(&o);
        o = parse_ok(OPTS("mode=755"));
        ck_assert(!o.tmpcopyup);
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_filesystem_data)
{
        struct mount_opts o = parse_ok(OPTS("nosuid", "newinstance", "ptmxmode=0666", "mode=0620",
                                            "gid=5", "acl", "lowerdir=/a:/b", "key=a=b", "empty=",
                                            "context=\"u:r:t:s0:c1,c2\"", "RO"));
        static const char *const keys[] = { "newinstance", "ptmxmode", "mode", "gid", "acl",
                                            "lowerdir", "key", "empty", "context", "RO" };
        static const char *const values[] = { NULL, "0666", "0620", "5", NULL, "/a:/b", "a=b", "",
                                              "\"u:r:t:s0:c1,c2\"", NULL };

        ck_assert_uint_eq(o.n_data, ELEMENTSOF(keys));
        for (unsigned i = 0; i < o.n_data; i++) {
                ck_assert_str_eq(o.data_keys[i], keys[i]);
                if (values[i])
                        ck_assert_str_eq(o.data_values[i], values[i]);
                else
                        ck_assert_ptr_null(o.data_values[i]);
        }
        ck_assert_ptr_null(o.data_keys[o.n_data]);
        ck_assert_ptr_null(o.data_values[o.n_data]);
        ck_assert_uint_eq(o.attr_set, MOUNT_ATTR_NOSUID);
        ck_assert(!o.readonly);         /* option names are case-sensitive, as in runc */
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_many_data_options)
{
        const char *opts[101];
        char bufs[100][16];
        struct mount_opts o;

        for (int i = 0; i < 100; i++) {
                snprintf(bufs[i], sizeof(bufs[i]), "k%d=%d", i, i);
                opts[i] = bufs[i];
        }
        opts[100] = NULL;
        o = parse_ok(opts);
        ck_assert_uint_eq(o.n_data, 100);
        ck_assert_str_eq(o.data_keys[99], "k99");
        ck_assert_str_eq(o.data_values[99], "99");
        mount_opts_free(&o);
}
END_TEST

START_TEST(test_errors)
{
        parse_fails(OPTS(""), -EINVAL, "options[0]");
        parse_fails(OPTS("nosuid", ""), -EINVAL, "options[1]");
        parse_fails(OPTS("ro=1"), -EINVAL, "\"ro=1\"");
        parse_fails(OPTS("bind="), -EINVAL, "\"bind=\"");
        parse_fails(OPTS("rprivate=yes"), -EINVAL, "rprivate");
        parse_fails(OPTS("=755"), -EINVAL, "\"=755\"");
}
END_TEST

/* Every option runc 1.1.5 lists in `runc features` is recognised here,
 * except those runc itself now passes as data (acl, noacl). */
START_TEST(test_runc_options_recognised)
{
        static const char *const runc_opts[] = {
                "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
                "iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime", "noexec",
                "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
                "nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime", "relatime",
                "remount", "rexec", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime",
                "rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro",
                "rrw", "rshared", "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable",
                "rw", "shared", "silent", "slave", "strictatime", "suid", "symfollow", "sync",
                "unbindable", "idmap", "ridmap", "tmpcopyup",
        };

        for (size_t i = 0; i < ELEMENTSOF(runc_opts); i++) {
                bool listed = false;

                for (size_t j = 0; mount_opts_name_at(j); j++)
                        listed = listed || strcmp(mount_opts_name_at(j), runc_opts[i]) == 0;
                ck_assert_msg(listed, "%s is not in mount_opts_name_at()", runc_opts[i]);
        }
}
END_TEST

/* The features list and the parser agree: each listed name parses alone
 * without error and is not treated as filesystem data (superblock flags
 * become their own key, by design). */
START_TEST(test_listed_names_parse)
{
        size_t n = 0;

        for (const char *name; (name = mount_opts_name_at(n)); n++) {
                struct mount_opts o = parse_ok(OPTS(name));

                if (o.n_data > 0) {
                        ck_assert_uint_eq(o.n_data, 1);
                        ck_assert_str_eq(o.data_keys[0], name);
                        ck_assert_ptr_null(o.data_values[0]);
                }
                mount_opts_free(&o);
        }
        ck_assert_uint_ge(n, 60);
        ck_assert_ptr_null(mount_opts_name_at(n + 1));
}
END_TEST

/* Mount targets made inside a rootfs: symlinks resolve in it, the last
 * component alone or a whole missing chain is made, a dangling link is an
 * error. No root needed: openat2 confines the lookups. */
START_TEST(test_resolve_mkdir_open)
{
        char root[] = "/tmp/berth-check-resolve-XXXXXX", path[128];
        struct stat st;
        struct berr e;
        int rootfd, fd;

        ck_assert_ptr_nonnull(mkdtemp(root));
        rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(rootfd, 0);
        ck_assert_int_eq(mkdirat(rootfd, "a", 0755), 0);
        ck_assert_int_eq(symlinkat("/a", rootfd, "link"), 0);
        ck_assert_int_eq(symlinkat("/nope/x", rootfd, "dangling"), 0);

        /* the last component missing */
        ck_assert_int_eq(resolve_mkdir_open(rootfd, "/a/new", RESOLVE_LAST_DIR, &fd, &e), 0);
        close(fd);
        snprintf(path, sizeof(path), "%s/a/new", root);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert(S_ISDIR(st.st_mode));
        /* through an absolute symlink: inside the root, not the host's /a */
        ck_assert_int_eq(resolve_mkdir_open(rootfd, "/link/file/", RESOLVE_LAST_FILE, &fd, &e), 0);
        close(fd);
        snprintf(path, sizeof(path), "%s/a/file", root);
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert(S_ISREG(st.st_mode));
        /* a chain of missing directories, and .. that cannot leave the root */
        ck_assert_int_eq(resolve_mkdir_open(rootfd, "/../../x/y/z", RESOLVE_LAST_DIR, &fd, &e), 0);
        close(fd);
        snprintf(path, sizeof(path), "%s/x/y/z", root);
        ck_assert_int_eq(stat(path, &st), 0);
        /* there already */
        ck_assert_int_eq(resolve_mkdir_open(rootfd, "/x/y", RESOLVE_LAST_DIR, &fd, &e), 0);
        close(fd);
        /* a dangling link is not followed out nor replaced */
        ck_assert_int_eq(resolve_mkdir_open(rootfd, "/dangling", RESOLVE_LAST_DIR, &fd, &e), -ELOOP);
        ck_assert_ptr_nonnull(strstr(e.msg, "dangling symbolic link"));
        /* a file on the way */
        ck_assert_int_eq(resolve_mkdir_open(rootfd, "/a/file/sub", RESOLVE_LAST_DIR, &fd, &e), -ENOTDIR);
        close(rootfd);
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, root), 0);
}
END_TEST

static Suite *mount_options_suite(void)
{
        Suite *s = suite_create("mount_options");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_none);
        tcase_add_test(tc, test_attr_flags);
        tcase_add_test(tc, test_recursive_attr_flags);
        tcase_add_test(tc, test_last_wins);
        tcase_add_test(tc, test_atime);
        tcase_add_test(tc, test_recursive_atime);
        tcase_add_test(tc, test_propagation);
        tcase_add_test(tc, test_bind_and_idmap);
        tcase_add_test(tc, test_superblock_flags);
        tcase_add_test(tc, test_ignored);
        tcase_add_test(tc, test_tmpcopyup);
        tcase_add_test(tc, test_filesystem_data);
        tcase_add_test(tc, test_many_data_options);
        tcase_add_test(tc, test_errors);
        tcase_add_test(tc, test_runc_options_recognised);
        tcase_add_test(tc, test_listed_names_parse);
        tcase_add_test(tc, test_resolve_mkdir_open);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return unit_run(mount_options_suite());
}
