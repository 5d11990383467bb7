/* oci-floor: the kernel work of an OCI `run` of bench.sh's bundles, with no
 * runtime around it. bench.sh reports it beside `unshare` as a second
 * floor: what is left between it and a runtime is the runtime's own cost
 * (its start-up, parsing config.json, the state directory, the checks that
 * keep a hostile image in its rootfs, the protection of the runtime binary).
 *
 *   oci-floor [-n] [-m MASKED]... [-r READONLY]... ROOTFS PROGRAM [ARG]...
 *
 * It does what `berth spec`'s default config asks, in the order runtimes
 * do it: clone3 into new mount, pid, ipc and uts namespaces (and network
 * with -n, loopback up) and into a new cgroup; the seven default mounts,
 * the six default devices and the /dev symlinks; pivot_root; the masked
 * and read-only paths; hostname, RLIMIT_NOFILE, the bounding set and
 * capabilities of the default process, no_new_privs; exec. It takes plain
 * mount(2) paths, checks nothing it need not and loads no device cgroup
 * program, so that it stays a lower bound. bench.sh checks that its bundles
 * still have the mounts, namespaces and capabilities written in here. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PATHS 32

struct floor_opts {
        const char *rootfs;
        char **argv;
        const char *masked[MAX_PATHS], *readonly[MAX_PATHS];
        int n_masked, n_readonly;
        int net;
};

static void die(const char *what)
{
        fprintf(stderr, "oci-floor: %s: %s\n", what, strerror(errno));
        _exit(120);
}

static void floor_mounts(void)
{
        static const struct {
                const char *src, *dst, *type, *data;
                unsigned long flags;
        } m[] = {
                { "proc", "proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
                { "tmpfs", "dev", "tmpfs", "mode=755,size=65536k", MS_NOSUID | MS_STRICTATIME },
                { "devpts", "dev/pts", "devpts", "newinstance,ptmxmode=0666,mode=0620,gid=5", MS_NOSUID | MS_NOEXEC },
                { "shm", "dev/shm", "tmpfs", "mode=1777,size=65536k", MS_NOSUID | MS_NOEXEC | MS_NODEV },
                { "mqueue", "dev/mqueue", "mqueue", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV },
                { "sysfs", "sys", "sysfs", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY },
                { "cgroup", "sys/fs/cgroup", "cgroup2", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY },
        };

        for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
                if (mkdir(m[i].dst, 0755) < 0 && errno != EEXIST)
                        die(m[i].dst);
                if (mount(m[i].src, m[i].dst, m[i].type, m[i].flags, m[i].data) < 0)
                        die(m[i].dst);
        }
}

static void floor_devices(void)
{
        static const struct {
                const char *name;
                unsigned major, minor;
        } dev[] = {
                { "dev/null", 1, 3 }, { "dev/zero", 1, 5 }, { "dev/full", 1, 7 },
                { "dev/random", 1, 8 }, { "dev/urandom", 1, 9 }, { "dev/tty", 5, 0 },
        };
        static const char *const link[][2] = {
                { "/proc/self/fd", "dev/fd" }, { "/proc/self/fd/0", "dev/stdin" },
                { "/proc/self/fd/1", "dev/stdout" }, { "/proc/self/fd/2", "dev/stderr" },
                { "pts/ptmx", "dev/ptmx" },
        };

        for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++)
                if (mknod(dev[i].name, S_IFCHR | 0666, makedev(dev[i].major, dev[i].minor)) < 0)
                        die(dev[i].name);
        for (size_t i = 0; i < sizeof(link) / sizeof(link[0]); i++)
                if (symlink(link[i][0], link[i][1]) < 0)
                        die(link[i][1]);
}

/* After pivot_root: paths are the container's. A missing one is skipped,
 * as the runtimes do. */
static void floor_masked_and_readonly(const struct floor_opts *o)
{
        const unsigned long ro = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
        struct stat st;

        for (int i = 0; i < o->n_masked; i++) {
                if (stat(o->masked[i], &st) < 0)
                        continue;
                if (S_ISDIR(st.st_mode) ? mount("tmpfs", o->masked[i], "tmpfs", MS_RDONLY, NULL) < 0
                                        : mount("/dev/null", o->masked[i], NULL, MS_BIND, NULL) < 0)
                        die(o->masked[i]);
        }
        for (int i = 0; i < o->n_readonly; i++) {
                if (mount(o->readonly[i], o->readonly[i], NULL, MS_BIND | MS_REC, NULL) < 0) {
                        if (errno == ENOENT)
                                continue;
                        die(o->readonly[i]);
                }
                if (mount(NULL, o->readonly[i], NULL, ro, NULL) < 0)
                        die(o->readonly[i]);
        }
}

static void floor_loopback_up(void)
{
        struct ifreq ifr = { .ifr_name = "lo" };
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                die("lo");
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                die("lo up");
        close(fd);
}

/* The default process: AUDIT_WRITE, KILL and NET_BIND_SERVICE. */
static void floor_process(void)
{
        const uint64_t keep = 1ULL << CAP_AUDIT_WRITE | 1ULL << CAP_KILL | 1ULL << CAP_NET_BIND_SERVICE;
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[2] = {};
        const struct rlimit nofile = { 1024, 1024 };

        if (sethostname("berth", 5) < 0)
                die("sethostname");
        if (setrlimit(RLIMIT_NOFILE, &nofile) < 0)
                die("RLIMIT_NOFILE");
        for (int c = 0; c <= CAP_LAST_CAP; c++)
                if (!(keep >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
                        die("bounding set");
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                die("no_new_privs");
        d[0].effective = d[0].permitted = d[0].inheritable = (uint32_t)keep;
        if (syscall(SYS_capset, &h, d) < 0)
                die("capset");
}

static void floor_child(const struct floor_opts *o)
{
        if (o->net)
                floor_loopback_up();
        if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
                die("make / a slave");
        if (mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
                die("bind the rootfs");
        if (chdir(o->rootfs) < 0)
                die(o->rootfs);
        floor_mounts();
        floor_devices();
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                die("pivot_root");
        if (umount2(".", MNT_DETACH) < 0)
                die("detach the old root");
        if (chdir("/") < 0)
                die("chdir /");
        floor_masked_and_readonly(o);
        floor_process();
        execv(o->argv[0], o->argv);
        die(o->argv[0]);
}

static void usage(void)
{
        fprintf(stderr, "usage: oci-floor [-n] [-m MASKED]... [-r READONLY]... ROOTFS PROGRAM [ARG]...\n");
        exit(2);
}

static void parse(int argc, char **argv, struct floor_opts *o)
{
        int c;

        while ((c = getopt(argc, argv, "+nm:r:")) != -1) {
                if (c == 'n')
                        o->net = 1;
                else if (c == 'm' && o->n_masked < MAX_PATHS)
                        o->masked[o->n_masked++] = optarg;
                else if (c == 'r' && o->n_readonly < MAX_PATHS)
                        o->readonly[o->n_readonly++] = optarg;
                else
                        usage();
        }
        if (argc - optind < 2)
                usage();
        o->rootfs = argv[optind];
        o->argv = argv + optind + 1;
}

int main(int argc, char **argv)
{
        struct floor_opts o = {};
        struct clone_args args = {
                .flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_INTO_CGROUP,
                .exit_signal = SIGCHLD,
        };
        char cgroup[64];
        int cgroup_fd, status;
        long pid;

        parse(argc, argv, &o);
        if (o.net)
                args.flags |= CLONE_NEWNET;
        snprintf(cgroup, sizeof(cgroup), "/sys/fs/cgroup/oci-floor-%d", (int)getpid());
        if (mkdir(cgroup, 0755) < 0)
                die(cgroup);
        cgroup_fd = open(cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgroup_fd < 0)
                die(cgroup);
        args.cgroup = (uint64_t)cgroup_fd;
        pid = syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0)
                die("clone3");
        if (pid == 0)
                floor_child(&o);
        if (waitpid((pid_t)pid, &status, 0) < 0)
                die("waitpid");
        if (rmdir(cgroup) < 0)
                die(cgroup);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
