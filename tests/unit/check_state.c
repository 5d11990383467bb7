/* Unit tests for the state store: ids, directory creation and locking,
 * state.json round trip, derived status, removal. No root needed: the
 * state root is a temporary directory. */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"

static char root[] = "/tmp/berth-check-state-XXXXXX";

static void setup(void)
{
        ck_assert_ptr_nonnull(mkdtemp(root));
}

static void teardown(void)
{
        fs_rm_rf_at(AT_FDCWD, root);
        strcpy(root, "/tmp/berth-check-state-XXXXXX");
}

START_TEST(test_validate_id)
{
        static const char *const good[] = { "a", "web-1", "x_y.z+1", "A1" };
        static const char *const bad[] = { "", ".", "..", "a/b", "a b", "ü", "a\n" };
        struct berr e;

        for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
                ck_assert_int_eq(state_validate_id(good[i], &e), 0);
        for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                ck_assert_int_lt(state_validate_id(bad[i], &e), 0);
                ck_assert_ptr_nonnull(strstr(e.msg, "invalid container id"));
        }
}
END_TEST

static struct container_state sample(pid_t pid, uint64_t start)
{
        static char id[] = "c1", bundle[] = "/b", rootfs[] = "/b/rootfs", owner[] = "root",
                created[] = "2026-01-01T00:00:00.000000000Z", k[] = "k", v[] = "v";
        static struct spec_key_value ann[] = { { k, v } };
        struct container_state s = {
                .id = id, .bundle = bundle, .rootfs = rootfs, .pid = pid, .pid_start = start,
                .created = created, .owner = owner, .annotations = ann, .n_annotations = 1,
        };
        return s;
}

START_TEST(test_create_twice_fails)
{
        struct state_dir a = STATE_DIR_INIT, b = STATE_DIR_INIT;
        struct berr e;

        ck_assert_int_eq(state_dir_create(root, "c1", &a, &e), 0);
        ck_assert_int_eq(state_dir_create(root, "c1", &b, &e), -EEXIST);
        ck_assert_str_eq(e.msg, "already exists");
        state_dir_close(&a);
}
END_TEST

START_TEST(test_roundtrip_and_status)
{
        struct state_dir d = STATE_DIR_INIT, r = STATE_DIR_INIT;
        struct container_state in, out = {};
        uint64_t start;
        struct berr e;

        ck_assert_int_eq(proc_start_time(getpid(), &start, NULL), 0);
        in = sample(getpid(), start);
        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(state_write(&d, &in, &e), 0);
        ck_assert_int_eq(state_dir_open(root, "c1", false, &r, &e), 0);
        ck_assert_int_eq(state_read(&r, &out, &e), 0);
        ck_assert_str_eq(out.id, "c1");
        ck_assert_str_eq(out.rootfs, "/b/rootfs");
        ck_assert_int_eq(out.pid, getpid());
        ck_assert_uint_eq(out.pid_start, start);
        ck_assert_uint_eq(out.n_annotations, 1);
        ck_assert_str_eq(out.annotations[0].value, "v");
        ck_assert_str_eq(out.owner, "root");
        ck_assert(!out.has_owner_uid);
        /* A live process: running without the fifo, created with it. */
        ck_assert_int_eq(state_status(&r, &out), STATUS_RUNNING);
        ck_assert_int_eq(mkfifoat(r.dir_fd, STATE_FIFO, 0600), 0);
        ck_assert_int_eq(state_status(&r, &out), STATUS_CREATED);
        /* A recycled pid (other start time) is not our container. */
        out.pid_start = start + 1;
        ck_assert_int_eq(state_status(&r, &out), STATUS_STOPPED);
        container_state_done(&out);
        state_dir_close(&r);
        state_dir_close(&d);
}
END_TEST

/* create records the owner's uid; the name is looked up when shown. */
START_TEST(test_owner_uid)
{
        struct state_dir d = STATE_DIR_INIT, r = STATE_DIR_INIT;
        struct container_state in = sample(1, 1), out = {};
        char buf[64];
        struct berr e;

        in.owner = NULL;
        in.has_owner_uid = true;
        in.owner_uid = 0;
        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(state_write(&d, &in, &e), 0);
        ck_assert_int_eq(state_dir_open(root, "c1", false, &r, &e), 0);
        ck_assert_int_eq(state_read(&r, &out, &e), 0);
        ck_assert_ptr_null(out.owner);
        ck_assert(out.has_owner_uid);
        ck_assert_uint_eq(out.owner_uid, 0);
        ck_assert_str_eq(state_owner(&out, buf, sizeof(buf)), "root");
        out.owner_uid = 3999999;        /* no such user: its number */
        ck_assert_str_eq(state_owner(&out, buf, sizeof(buf)), "3999999");
        out.has_owner_uid = false;
        ck_assert_str_eq(state_owner(&out, buf, sizeof(buf)), "");
        container_state_done(&out);
        state_dir_close(&r);
        state_dir_close(&d);
}
END_TEST

START_TEST(test_dead_pid_is_stopped)
{
        struct state_dir d = STATE_DIR_INIT;
        struct container_state s;
        struct berr e;
        pid_t child = fork();

        if (child == 0)
                _exit(0);
        waitpid(child, NULL, 0);
        s = sample(child, 1);
        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(state_status(&d, &s), STATUS_STOPPED);
        state_dir_close(&d);
}
END_TEST

START_TEST(test_missing_and_remove)
{
        struct state_dir d = STATE_DIR_INIT;
        struct container_state s = {};
        struct berr e;
        struct stat st;
        char path[128];

        ck_assert_int_eq(state_dir_open(root, "nope", true, &d, &e), -ENOENT);
        ck_assert_str_eq(e.msg, "does not exist");
        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        /* A directory with no state.json yet reads as missing. */
        ck_assert_int_eq(state_read(&d, &s, &e), -ENOENT);
        ck_assert_int_eq(state_dir_remove(&d, &e), 0);
        snprintf(path, sizeof(path), "%s/c1", root);
        ck_assert_int_eq(stat(path, &st), -1);
        state_dir_close(&d);
}
END_TEST

/* The cgroup record is there before state.json, for delete --force. */
START_TEST(test_cgroup_record)
{
        struct state_dir d = STATE_DIR_INIT;
        char *path = (char *)1;
        struct berr e;

        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(state_read_cgroup(&d, &path), 0);
        ck_assert_ptr_null(path);
        ck_assert_int_eq(state_write_cgroup(&d, "/sys/fs/cgroup/berth/c1", &e), 0);
        ck_assert_int_eq(state_read_cgroup(&d, &path), 0);
        ck_assert_str_eq(path, "/sys/fs/cgroup/berth/c1");
        free(path);
        ck_assert_int_eq(state_dir_remove(&d, &e), 0);
        state_dir_close(&d);
}
END_TEST

/* A state root someone else can write is refused. */
START_TEST(test_root_must_be_the_callers)
{
        char other[] = "/tmp/berth-check-state-other-XXXXXX";
        struct berr e;
        int fd = -EBADF;

        ck_assert_int_eq(chmod(root, 0777), 0);
        ck_assert_int_eq(state_root_open(root, &fd, &e), -EPERM);
        ck_assert_msg(strstr(e.msg, "is writable by others (mode 0777)"), "%s", e.msg);
        ck_assert_int_eq(chmod(root, 0700), 0);
        ck_assert_int_eq(state_root_open(root, &fd, &e), 0);
        close(fd);
        /* Owned by another uid: as root, make one; otherwise / is one. */
        ck_assert_ptr_nonnull(mkdtemp(other));
        if (geteuid() == 0)
                ck_assert_int_eq(chown(other, 12345, 12345), 0);
        ck_assert_int_eq(state_root_open(geteuid() == 0 ? other : "/", &fd, &e), -EPERM);
        ck_assert_msg(strstr(e.msg, "belongs to uid"), "%s", e.msg);
        rmdir(other);
}
END_TEST

START_TEST(test_corrupt_state)
{
        struct state_dir d = STATE_DIR_INIT;
        struct container_state s = {};
        struct berr e;

        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(fs_write_atomic_at(d.dir_fd, "state.json", "{\"id\":1}", 8, 0600), 0);
        ck_assert_int_lt(state_read(&d, &s, &e), 0);
        ck_assert_str_eq(e.msg, "state.json is corrupt");
        state_dir_close(&d);
}
END_TEST

/* The hook kinds the config has survive a round trip; a state.json without
 * them, or naming a kind this berth does not know, means "maybe any". */
START_TEST(test_hooks_record)
{
        static const char old[] = "{\"id\":\"c1\",\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\",\"pid\":1,"
                                  "\"pid_start\":1,\"created\":\"x\"}";
        static const char newer[] = "{\"id\":\"c1\",\"bundle\":\"/b\",\"rootfs\":\"/b/rootfs\",\"pid\":1,"
                                    "\"pid_start\":1,\"created\":\"x\",\"hooks\":[\"poststop\",\"later\"]}";
        struct state_dir d = STATE_DIR_INIT;
        struct container_state in, out = {};
        struct berr e;

        in = sample(getpid(), 1);
        in.hooks_known = true;
        in.hooks = 1U << SPEC_HOOK_POSTSTOP | 1U << SPEC_HOOK_CREATE_RUNTIME;
        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(state_write(&d, &in, &e), 0);
        ck_assert_int_eq(state_read(&d, &out, &e), 0);
        ck_assert(out.hooks_known);
        ck_assert_uint_eq(out.hooks, in.hooks);
        ck_assert(container_state_may_have_hooks(&out, SPEC_HOOK_POSTSTOP));
        ck_assert(!container_state_may_have_hooks(&out, SPEC_HOOK_POSTSTART));
        container_state_done(&out);

        in.hooks = 0;
        ck_assert_int_eq(state_write(&d, &in, &e), 0);
        ck_assert_int_eq(state_read(&d, &out, &e), 0);
        ck_assert(out.hooks_known);
        ck_assert(!container_state_may_have_hooks(&out, SPEC_HOOK_POSTSTOP));
        container_state_done(&out);

        ck_assert_int_eq(fs_write_atomic_at(d.dir_fd, "state.json", old, sizeof(old) - 1, 0600), 0);
        ck_assert_int_eq(state_read(&d, &out, &e), 0);
        ck_assert(!out.hooks_known);
        ck_assert(container_state_may_have_hooks(&out, SPEC_HOOK_POSTSTART));
        container_state_done(&out);

        ck_assert_int_eq(fs_write_atomic_at(d.dir_fd, "state.json", newer, sizeof(newer) - 1, 0600), 0);
        ck_assert_int_eq(state_read(&d, &out, &e), 0);
        ck_assert(!out.hooks_known);
        ck_assert(container_state_may_have_hooks(&out, SPEC_HOOK_POSTSTART));
        container_state_done(&out);
        state_dir_close(&d);
}
END_TEST

/* A shim's exit record reaches the OCI state of a stopped container only. */
START_TEST(test_exit_record)
{
        static const char rec[] = "137 9 1764640000.000000042\n";
        struct state_dir d = STATE_DIR_INIT;
        struct container_state in, out = {};
        _cleanup_free_ char *text = NULL;
        struct berr e;
        size_t len;

        in = sample(getpid(), 1);
        ck_assert_int_eq(state_dir_create(root, "c1", &d, &e), 0);
        ck_assert_int_eq(state_write(&d, &in, &e), 0);
        ck_assert_int_eq(state_read(&d, &out, &e), 0);
        ck_assert(!out.has_exit);
        container_state_done(&out);
        ck_assert_int_eq(fs_write_atomic_at(d.dir_fd, SHIM_EXIT, rec, sizeof(rec) - 1, 0600), 0);
        ck_assert_int_eq(state_read(&d, &out, &e), 0);
        ck_assert(out.has_exit);
        ck_assert_int_eq(out.exit.code, 137);
        ck_assert_int_eq(out.exit.signal, 9);
        ck_assert_int_eq(state_oci_text(&out, STATUS_STOPPED, &text, &len, &e), 0);
        ck_assert_ptr_nonnull(strstr(text, "\"exitCode\":137,\"exitSignal\":\"SIGKILL\","
                                           "\"exitedAt\":\"2025-12-02T01:46:40.000000042Z\""));
        free(text);
        ck_assert_int_eq(state_oci_text(&out, STATUS_RUNNING, &text, &len, &e), 0);
        ck_assert_ptr_null(strstr(text, "exitCode"));
        container_state_done(&out);
        state_dir_close(&d);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("state");
        TCase *tc = tcase_create("core");

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_validate_id);
        tcase_add_test(tc, test_create_twice_fails);
        tcase_add_test(tc, test_roundtrip_and_status);
        tcase_add_test(tc, test_owner_uid);
        tcase_add_test(tc, test_hooks_record);
        tcase_add_test(tc, test_dead_pid_is_stopped);
        tcase_add_test(tc, test_missing_and_remove);
        tcase_add_test(tc, test_corrupt_state);
        tcase_add_test(tc, test_exit_record);
        tcase_add_test(tc, test_cgroup_record);
        tcase_add_test(tc, test_root_must_be_the_callers);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
