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
#include "util/fs.h"
#include "util/json.h"

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
        ck_assert_int_eq(fs_rm_rf_at(AT_FDCWD, dir), 0);
        /* The symlink was removed, not followed. */
        ck_assert_int_eq(access("/etc/passwd", F_OK), 0);
        ck_assert_int_eq(access(dir, F_OK), -1);
        close(dfd);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("util");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_berr_wrap);
        tcase_add_test(tc, test_berr_truncates);
        tcase_add_test(tc, test_json_depth_guard);
        tcase_add_test(tc, test_json_errors);
        tcase_add_test(tc, test_json_writer);
        tcase_add_test(tc, test_json_writer_pretty_empty);
        tcase_add_test(tc, test_atomic_write_and_rm);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
