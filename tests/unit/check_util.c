/* Unit tests for the util layer: the error record, JSON parsing limits and
 * writing, atomic writes and rm -rf. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/berr.h"
#include "util/cleanup.h"
#include "util/cpulist.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/log.h"
#include "util/passwd.h"

START_TEST(test_berr_wrap)
{
        struct berr e;

        ck_assert_int_eq(berr_sys(&e, -ENOENT, "mount %s", "/proc"), -ENOENT);
        ck_assert_str_eq(e.msg, "mount /proc: No such file or directory");
        ck_assert_int_eq(berr_wrap(&e, "container %s", "abc"), -ENOENT);
        ck_assert_str_eq(e.msg, "container abc: mount /proc: No such file or directory");
        ck_assert_int_eq(berr_set(&e, 0, "x"), -EINVAL);
}
END_TEST

START_TEST(test_berr_truncates)
{
        struct berr e;
        char big[3000];

        memset(big, 'a', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        berr_set(&e, -EINVAL, "%s", big);
        ck_assert_uint_eq(strlen(e.msg), BERR_MSG_MAX - 1);
        berr_wrap(&e, "ctx");
        ck_assert_uint_eq(strlen(e.msg), BERR_MSG_MAX - 1);
        ck_assert(strncmp(e.msg, "ctx: aaa", 8) == 0);
}
END_TEST

START_TEST(test_json_depth_guard)
{
        size_t n = 100000;
        char *buf = malloc(2 * n);
        json_val v = NULL;
        struct berr e;

        memset(buf, '[', n);
        memset(buf + n, ']', n);
        ck_assert_int_lt(json_parse("x.json", buf, 2 * n, &v, &e), 0);
        ck_assert_str_eq(e.msg, "x.json: invalid JSON: nested deeper than 64 levels");
        /* Brackets inside strings do not count. */
        memset(buf, '[', 200);
        memcpy(buf, "{\"a\":\"", 6);
        memcpy(buf + 200, "\"}", 2);
        ck_assert_int_eq(json_parse("x.json", buf, 202, &v, &e), 0);
        yajl_tree_free(v);
        free(buf);
}
END_TEST

START_TEST(test_json_errors)
{
        json_val v = NULL;
        struct berr e;

        ck_assert_int_lt(json_parse("c.json", "{\"a\":", 5, &v, &e), 0);
        ck_assert(strncmp(e.msg, "c.json: invalid JSON: ", 22) == 0);
        ck_assert_int_lt(json_parse("c.json", "{\"a\":\"\xff\"}", 8, &v, &e), 0);
        ck_assert_int_lt(json_parse("c.json", "{}\0", 3, &v, &e), 0);
        ck_assert_str_eq(e.msg, "c.json: invalid JSON: contains a NUL byte");
}
END_TEST

START_TEST(test_json_writer)
{
        struct jw *w = jw_new(JW_COMPACT);
        const char *t;
        size_t len;

        jw_obj_begin(w);
        jw_kstr(w, "s", "a\"b");
        jw_kuint(w, "u", UINT64_MAX);
        jw_kint(w, "i", -5);
        jw_key(w, "n");
        jw_str(w, NULL);
        jw_obj_end(w);
        ck_assert_int_eq(jw_error(w), 0);
        t = jw_text(w, &len);
        ck_assert_str_eq(t, "{\"s\":\"a\\\"b\",\"u\":18446744073709551615,\"i\":-5,\"n\":null}");
        jw_free(w);
}
END_TEST

/* Pretty output writes empty containers as "[]" and "{}", and leaves
 * look-alikes inside strings alone. */
START_TEST(test_json_writer_pretty_empty)
{
        struct jw *w = jw_new(JW_PRETTY_2SP);
        const char *t;
        size_t len;

        jw_obj_begin(w);
        jw_key(w, "a");
        jw_arr_begin(w);
        jw_arr_end(w);
        jw_key(w, "o");
        jw_obj_begin(w);
        jw_obj_end(w);
        jw_kstr(w, "s", "[\n ]\\");
        jw_key(w, "x");
        jw_arr_begin(w);
        jw_int(w, 1);
        jw_arr_end(w);
        jw_obj_end(w);
        ck_assert_int_eq(jw_error(w), 0);
        t = jw_text(w, &len);
        ck_assert_str_eq(t, "{\n  \"a\": [],\n  \"o\": {},\n  \"s\": \"[\\n ]\\\\\",\n  \"x\": [\n    1\n  ]\n}\n");
        ck_assert_uint_eq(len, strlen(t));
        jw_free(w);
}
END_TEST

START_TEST(test_atomic_write_and_rm)
{
        char dir[] = "/tmp/berth-check-util-XXXXXX";
        char *buf = NULL;
        size_t len;
        int dfd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_eq(fs_write_atomic_at(dfd, "f", "one", 3, 0600), 0);
        ck_assert_int_eq(fs_write_atomic_at(dfd, "f", "two!", 4, 0600), 0);
        ck_assert_int_eq(fs_read_at(dfd, "f", 100, &buf, &len), 0);
        ck_assert_str_eq(buf, "two!");
        free(buf);
        ck_assert_int_eq(fs_read_at(dfd, "f", 2, &buf, &len), -EFBIG);
        ck_assert_int_eq(mkdirat(dfd, "d", 0700), 0);
        ck_assert_int_eq(symlinkat("/etc", dfd, "d/link"), 0);
        ck_assert_int_eq(mkfifoat(dfd, "d/fifo", 0600), 0);
        ck_assert_int_eq(mkdirat(dfd, "d/e", 0700), 0);
        ck_assert_int_eq(close(openat(dfd, "d/e/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600)), 0);
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, dir), 0);
        /* The symlink was removed, not followed. */
        ck_assert_int_eq(access("/etc/passwd", F_OK), 0);
        ck_assert_int_eq(access(dir, F_OK), -1);
        close(dfd);
}
END_TEST

START_TEST(test_mkdir_p)
{
        char dir[] = "/tmp/berth-check-util-XXXXXX", path[128];
        struct stat st;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/a/b/c", dir);
        ck_assert_int_eq(fs_mkdir_p(path, 0700), 0);           /* parents missing */
        ck_assert_int_eq(stat(path, &st), 0);
        ck_assert(S_ISDIR(st.st_mode));
        ck_assert_int_eq(fs_mkdir_p(path, 0700), 0);           /* all there */
        snprintf(path, sizeof(path), "%s/a/b/d", dir);
        ck_assert_int_eq(fs_mkdir_p(path, 0700), 0);           /* only the last missing */
        ck_assert_int_eq(stat(path, &st), 0);
        snprintf(path, sizeof(path), "%s/a/b/d/f", dir);
        ck_assert_int_eq(close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)), 0);
        snprintf(path, sizeof(path), "%s/a/b/d/f/g", dir);
        ck_assert_int_eq(fs_mkdir_p(path, 0700), -ENOTDIR);   /* a file on the way */
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, dir), 0);
}
END_TEST

START_TEST(test_path_clean)
{
        static const struct { const char *in, *out; } cases[] = {
                { "/", "/" }, { "/proc", "/proc" }, { "//proc/./", "/proc" }, { "/a/../proc", "/proc" },
                { "/../../proc/sys/", "/proc/sys" }, { "/a/b/../../..", "/" }, { "/a/./b//c", "/a/b/c" },
                { "/proc/..", "/" }, { "/..proc/...", "/..proc/..." },
        };
        char buf[64];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                ck_assert_int_eq(fs_path_clean(cases[i].in, buf, sizeof(buf)), 0);
                ck_assert_msg(strcmp(buf, cases[i].out) == 0, "%s -> %s, want %s", cases[i].in, buf, cases[i].out);
        }
        ck_assert_int_eq(fs_path_clean("/0123456789", buf, 8), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_write_proc_only)
{
        char dir[] = "/tmp/berth-check-util-XXXXXX";
        int dfd;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_eq(fs_write_atomic_at(dfd, "f", "0", 1, 0600), 0);
        /* A file that is not on procfs is refused, not written. */
        ck_assert_int_eq(fs_write_proc_at(dfd, "f", "1"), -EXDEV);
        ck_assert_int_eq(fs_write_proc_at(AT_FDCWD, "/proc/self/comm", "check-util"), 0);
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, dir), 0);
        close(dfd);
}
END_TEST

START_TEST(test_cpulist_parse)
{
        cpu_set_t set;

        ck_assert_int_eq(cpulist_parse("0-3,8,10-11\n", &set), 0);
        ck_assert_int_eq(CPU_COUNT(&set), 7);
        ck_assert(CPU_ISSET(0, &set) && CPU_ISSET(3, &set) && CPU_ISSET(8, &set) && CPU_ISSET(11, &set));
        ck_assert(!CPU_ISSET(4, &set) && !CPU_ISSET(9, &set));
        ck_assert_int_eq(cpulist_parse(" 5 ", &set), 0);
        ck_assert_int_eq(CPU_COUNT(&set), 1);
        ck_assert(CPU_ISSET(5, &set));
        ck_assert_int_eq(cpulist_parse("1,1,1-2", &set), 0);
        ck_assert_int_eq(CPU_COUNT(&set), 2);
}
END_TEST

START_TEST(test_cpulist_rejects)
{
        static const char *const bad[] = {
                "", " ", ",", "1,", ",1", "3-1", "a", "1-", "-1", "1--2", "1 2", "0x1",
                "99999", "1024", "0-1024", "18446744073709551617",
        };
        cpu_set_t set;

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
                ck_assert_msg(cpulist_parse(bad[i], &set) == -EINVAL, "accepted \"%s\"", bad[i]);
        ck_assert_int_eq(cpulist_parse("1023", &set), 0);
}
END_TEST

/* RFC 3339 in UTC with nanoseconds, whatever the local time zone. */
START_TEST(test_log_format_time)
{
        char buf[64];

        setenv("TZ", "America/New_York", 1);
        log_format_time(&(struct timespec){ .tv_sec = 0, .tv_nsec = 5 }, buf, sizeof(buf));
        ck_assert_str_eq(buf, "1970-01-01T00:00:00.000000005Z");
        log_format_time(&(struct timespec){ .tv_sec = 1764640000, .tv_nsec = 999999999 }, buf, sizeof(buf));
        ck_assert_str_eq(buf, "2025-12-02T01:46:40.999999999Z");
        unsetenv("TZ");
        /* The arithmetic agrees with gmtime_r, leap days, centuries and
         * times before 1970 included. */
        for (int64_t t = -2208988800LL; t < 4102444800LL; t += 86400 * 13 + 3607) {
                struct tm tm;
                char want[64];
                time_t tt = (time_t)t;

                gmtime_r(&tt, &tm);
                snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.000000000Z", tm.tm_year + 1900,
                         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
                log_format_time(&(struct timespec){ .tv_sec = tt }, buf, sizeof(buf));
                ck_assert_str_eq(buf, want);
        }
        log_format_time(&(struct timespec){ .tv_sec = 951782400 }, buf, sizeof(buf));
        ck_assert_str_eq(buf, "2000-02-29T00:00:00.000000000Z");
}
END_TEST

START_TEST(test_passwd_home)
{
        const char *text = "root:x:0:0:root:/root:/bin/sh\n"
                           "broken line\n"
                           "short:x:5\n"
                           "nohome:x:7:7:::/bin/sh\n"
                           "user:x:1000:1000:A User:/home/user:/bin/sh\n"
                           "dup:x:1000:1000::/home/dup:/bin/sh\n"
                           "last:x:2000:2000::/home/last";
        char *h;

        h = passwd_home(text, 0);
        ck_assert_str_eq(h, "/root");
        free(h);
        h = passwd_home(text, 1000);
        ck_assert_str_eq(h, "/home/user");
        free(h);
        /* The last line needs no newline. */
        h = passwd_home(text, 2000);
        ck_assert_str_eq(h, "/home/last");
        free(h);
        ck_assert_ptr_null(passwd_home(text, 7));
        ck_assert_ptr_null(passwd_home(text, 5));
        ck_assert_ptr_null(passwd_home(text, 42));
        ck_assert_ptr_null(passwd_home("", 0));
        /* "10000" is not uid 1000, nor " 1000". */
        ck_assert_ptr_null(passwd_home("a:x:10000:0::/a:/bin/sh\nb:x: 1000:0::/b:/bin/sh\n", 1000));
}
END_TEST

START_TEST(test_passwd_name)
{
        const char *text = "root:x:0:0:root:/root:/bin/sh\n"
                           "broken line\n"
                           ":x:5:5::/:/bin/sh\n"
                           "user:x:1000:1000:A User:/home/user:/bin/sh\n"
                           "dup:x:1000:1000::/home/dup:/bin/sh\n"
                           "last:x:2000";
        char *n;

        n = passwd_name(text, 0);
        ck_assert_str_eq(n, "root");
        free(n);
        /* The first of two entries with a uid. */
        n = passwd_name(text, 1000);
        ck_assert_str_eq(n, "user");
        free(n);
        n = passwd_name(text, 2000);
        ck_assert_str_eq(n, "last");
        free(n);
        ck_assert_ptr_null(passwd_name(text, 5));       /* empty name */
        ck_assert_ptr_null(passwd_name(text, 42));
        ck_assert_ptr_null(passwd_name("", 0));
}
END_TEST

/* The host's root, from the host's /etc/passwd (Debian's first line). */
START_TEST(test_passwd_host_name)
{
        char buf[64];

        ck_assert_int_eq(passwd_host_name(0, buf, sizeof(buf)), 0);
        ck_assert_str_eq(buf, "root");
        ck_assert_int_eq(passwd_host_name(4000000000u, buf, sizeof(buf)), -ENOENT);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_berr_wrap);
        tcase_add_test(tc, test_cpulist_parse);
        tcase_add_test(tc, test_cpulist_rejects);
        tcase_add_test(tc, test_log_format_time);
        tcase_add_test(tc, test_passwd_home);
        tcase_add_test(tc, test_passwd_name);
        tcase_add_test(tc, test_passwd_host_name);
        tcase_add_test(tc, test_berr_truncates);
        tcase_add_test(tc, test_json_depth_guard);
        tcase_add_test(tc, test_json_errors);
        tcase_add_test(tc, test_json_writer);
        tcase_add_test(tc, test_json_writer_pretty_empty);
        tcase_add_test(tc, test_atomic_write_and_rm);
        tcase_add_test(tc, test_mkdir_p);
        tcase_add_test(tc, test_path_clean);
        tcase_add_test(tc, test_write_proc_only);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
