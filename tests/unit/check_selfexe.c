/* check_selfexe: which containers need berth's sealed copy, and berth-stub
 * run from its sealed memfd (src/security/selfexe.c, src/stub/stub.c). */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "security/selfexe.h"
#include "spec/spec.h"
#include "stub/stub.h"
#include "util/cleanup.h"

#define PTRACE (UINT64_C(1) << CAP_SYS_PTRACE)
#define NET_BIND (UINT64_C(1) << CAP_NET_BIND_SERVICE)

struct copy_case {
        const char *what;
        bool userns, pidns_path, nnp, has_caps;
        uid_t uid;
        uint64_t bounding, permitted, ambient;
        const char *selinux, *apparmor;
        bool copy;
};

static const struct copy_case copy_cases[] = {
        { .what = "a plain container" },
        { .what = "an SELinux label", .selinux = "system_u:system_r:container_t:s0", .copy = true },
        { .what = "an AppArmor profile", .apparmor = "docker-default", .copy = true },
        { .what = "CAP_SYS_PTRACE", .has_caps = true, .bounding = PTRACE, .permitted = PTRACE, .copy = true },
        { .what = "CAP_SYS_PTRACE in a user namespace", .userns = true, .has_caps = true, .bounding = PTRACE },
        { .what = "a joined pid namespace", .pidns_path = true, .copy = true },
        { .what = "a joined pid namespace with a user namespace", .pidns_path = true, .userns = true },
        { .what = "no_new_privs, not root, permitted beyond ambient", .nnp = true, .uid = 1000, .has_caps = true,
          .bounding = NET_BIND, .permitted = NET_BIND, .copy = true },
        { .what = "no_new_privs, not root, permitted == ambient", .nnp = true, .uid = 1000, .has_caps = true,
          .bounding = NET_BIND, .permitted = NET_BIND, .ambient = NET_BIND },
        { .what = "no_new_privs as root", .nnp = true, .has_caps = true, .bounding = NET_BIND, .permitted = NET_BIND },
        { .what = "not root, without no_new_privs", .uid = 1000, .has_caps = true, .bounding = NET_BIND,
          .permitted = NET_BIND },
};

START_TEST(test_needs_copy)
{
        const struct copy_case *t = &copy_cases[_i];
        struct spec_linux l = {};
        struct spec_process p = {};
        char *selinux = t->selinux ? strdup(t->selinux) : NULL, *apparmor = t->apparmor ? strdup(t->apparmor) : NULL;
        char pidns[] = "/proc/1/ns/pid";

        l.ns[SPEC_NS_USER].present = t->userns;
        l.ns[SPEC_NS_PID].present = true;
        l.ns[SPEC_NS_PID].path = t->pidns_path ? pidns : NULL;
        p.no_new_privileges = t->nnp;
        p.user.uid = t->uid;
        p.has_caps = t->has_caps;
        p.caps.bounding = t->bounding;
        p.caps.permitted = p.caps.effective = t->permitted;
        p.caps.ambient = p.caps.inheritable = t->ambient;
        p.selinux_label = selinux;
        p.apparmor_profile = apparmor;
        /* Not root, berth always takes the copy. */
        ck_assert_msg(selfexe_needs_copy(&l, &p) == (t->copy || geteuid() != 0), "%s", t->what);
        free(selinux);
        free(apparmor);
}
END_TEST

/* Run argv through the stub in a child; its exit status and stderr. */
static int stub_run(char *const argv[], char *err, size_t size)
{
        int pipefd[2], status;
        size_t done = 0;
        ssize_t n;
        pid_t pid;

        ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                char path[] = "PATH=/usr/bin:/bin";
                char *env[] = { path, NULL };

                dup2(pipefd[1], STDERR_FILENO);
                selfexe_execve("pfx: ", argv[0], argv, env);
                _exit(99);
        }
        close(pipefd[1]);
        while (done < size - 1 && (n = read(pipefd[0], err + done, size - 1 - done)) > 0)
                done += (size_t)n;
        err[done] = '\0';
        close(pipefd[0]);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status), "%s: killed by signal %d", argv[0], WTERMSIG(status));
        return WEXITSTATUS(status);
}

START_TEST(test_stub)
{
        char sh[] = "/bin/sh", c[] = "-c", script[] = "[ \"$0\" = /bin/sh ] && exit 7", nonexistent[] = "/nonexistent/x",
             root[] = "/";
        char *ok[] = { sh, c, script, NULL }, *missing[] = { nonexistent, NULL }, *dir[] = { root, NULL };
        struct berr e = {};
        char err[512];
        int seals;

        ck_assert_int_eq(selfexe_stub_prepare(&e), 0);
        ck_assert_int_ge(selfexe_stub_fd(), 0);
        seals = fcntl(selfexe_stub_fd(), F_GET_SEALS);
        ck_assert_int_eq(seals & (F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL),
                         F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
        ck_assert_int_lt(write(selfexe_stub_fd(), "x", 1), 0);
        ck_assert_int_eq(stub_run(ok, err, sizeof(err)), 7);
        ck_assert_str_eq(err, "");
        ck_assert_int_eq(stub_run(missing, err, sizeof(err)), 127);
        ck_assert_str_eq(err, "pfx: exec \"/nonexistent/x\": No such file or directory\n");
        ck_assert_int_eq(stub_run(dir, err, sizeof(err)), 126);
        ck_assert_str_eq(err, "pfx: exec \"/\": Permission denied\n");
}
END_TEST

/* What "#!/proc/self/exe" would make of it: another argv[0], no run. */
START_TEST(test_stub_refuses_other_callers)
{
        struct berr e = {};
        int status;
        pid_t pid;

        ck_assert_int_eq(selfexe_stub_prepare(&e), 0);
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                char self[] = "/proc/self/exe", none[] = "", exe[] = "/bin/true", arg0[] = "true";
                char *argv[] = { self, none, exe, arg0, NULL };
                char *env[] = { NULL };

                close(STDERR_FILENO);
                execveat(selfexe_stub_fd(), "", argv, env, AT_EMPTY_PATH);
                _exit(99);
        }
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        ck_assert_int_eq(WEXITSTATUS(status), 1);
}
END_TEST

int main(void)
{
        Suite *s = suite_create("selfexe");
        TCase *tc = tcase_create("selfexe");

        tcase_add_loop_test(tc, test_needs_copy, 0, (int)ELEMENTSOF(copy_cases));
        tcase_add_test(tc, test_stub);
        tcase_add_test(tc, test_stub_refuses_other_callers);
        suite_add_tcase(s, tc);
        return unit_run(s);
}
