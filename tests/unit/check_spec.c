/* check_spec: the config.json parser (src/spec). runc's own configs and a
 * Podman-like one parse into the expected structs; a table of broken configs
 * gives exact messages; every node of a rich config, replaced or removed,
 * fails cleanly (LSan checks that nothing half-built leaks). */
#include "config.h"
#include "unit.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "spec/spec.h"
#include "util/cleanup.h"
#include "util/json.h"

#define CAPS(...) caps_mask((const int[]){ __VA_ARGS__, -1 })

/* Hand-written configs use ' for " so that they stay readable. */
static char *dq(const char *s)
{
        char *r = strdup(s);

        ck_assert_ptr_nonnull(r);
        for (char *p = r; *p; p++)
                if (*p == '\'')
                        *p = '"';
        return r;
}

static int parse_raw(const char *json, size_t len, struct spec **ret, struct berr *e)
{
        berr_clear(e);
        *ret = NULL;
        return spec_parse("config.json", json, len, ret, e);
}

static struct spec *parse_ok(const char *json)
{
        struct berr e;
        struct spec *s;
        int r = parse_raw(json, strlen(json), &s, &e);

        ck_assert_msg(r == 0, "unexpected failure: %s", e.msg);
        ck_assert_ptr_nonnull(s);
        return s;
}

static struct spec *parse_ok_q(const char *json)
{
        _cleanup_free_ char *j = dq(json);

        return parse_ok(j);
}

static uint64_t caps_mask(const int *caps)
{
        uint64_t m = 0;

        for (; *caps >= 0; caps++)
                m |= UINT64_C(1) << *caps;
        return m;
}

static void assert_strv(char **v, size_t n, const char *const *want)
{
        size_t i = 0;

        for (; want[i]; i++) {
                ck_assert_uint_lt(i, n);
                ck_assert_str_eq(v[i], want[i]);
        }
        ck_assert_uint_eq(n, i);
        ck_assert_ptr_null(v[n]);
}

#define STRV(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* `runc spec` of runc 1.1.5, white space removed. */
static const char runc_spec[] =
        "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"terminal\":true,\"user\":{\"uid\":0,\"gid\":0},"
        "\"args\":[\"sh\"],"
        "\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
        "\"TERM=xterm\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_AUDIT_WRITE\","
        "\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
        "\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
        "\"CAP_NET_BIND_SERVICE\"],\"ambient\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
        "\"CAP_NET_BIND_SERVICE\"]},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,"
        "\"soft\":1024}],\"noNewPrivileges\":true},\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
        "\"hostname\":\"runc\",\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\","
        "\"source\":\"proc\"},{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
        "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
        "{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
        "\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\","
        "\"gid=5\"]},{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\","
        "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},"
        "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\","
        "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},{\"destination\":\"/sys\",\"type\":\"sysfs\","
        "\"source\":\"sysfs\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
        "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
        "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"relatime\",\"ro\"]}],"
        "\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]},"
        "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
        "{\"type\":\"uts\"},{\"type\":\"mount\"}],\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\","
        "\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\",\"/proc/timer_list\","
        "\"/proc/timer_stats\",\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\"],"
        "\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\","
        "\"/proc/sysrq-trigger\"]}}";

/* `runc spec --rootless` of runc 1.1.5, white space removed. */
static const char runc_spec_rootless[] =
        "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"terminal\":true,\"user\":{\"uid\":0,\"gid\":0},"
        "\"args\":[\"sh\"],"
        "\"env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
        "\"TERM=xterm\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":[\"CAP_AUDIT_WRITE\","
        "\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"],\"effective\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
        "\"CAP_NET_BIND_SERVICE\"],\"permitted\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
        "\"CAP_NET_BIND_SERVICE\"],\"ambient\":[\"CAP_AUDIT_WRITE\",\"CAP_KILL\","
        "\"CAP_NET_BIND_SERVICE\"]},\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,"
        "\"soft\":1024}],\"noNewPrivileges\":true},\"root\":{\"path\":\"rootfs\",\"readonly\":true},"
        "\"hostname\":\"runc\",\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\","
        "\"source\":\"proc\"},{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
        "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
        "{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
        "\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\"]},"
        "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",\"options\":[\"nosuid\","
        "\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},{\"destination\":\"/dev/mqueue\","
        "\"type\":\"mqueue\",\"source\":\"mqueue\",\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
        "{\"destination\":\"/sys\",\"type\":\"none\",\"source\":\"/sys\",\"options\":[\"rbind\","
        "\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},{\"destination\":\"/sys/fs/cgroup\","
        "\"type\":\"cgroup\",\"source\":\"cgroup\",\"options\":[\"nosuid\",\"noexec\",\"nodev\","
        "\"relatime\",\"ro\"]}],\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":0,"
        "\"size\":1}],\"gidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}],"
        "\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},"
        "{\"type\":\"mount\"},{\"type\":\"user\"}],\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\","
        "\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\",\"/proc/timer_list\","
        "\"/proc/timer_stats\",\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\"],"
        "\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\","
        "\"/proc/sysrq-trigger\"]}}";

static void assert_runc_common(const struct spec *s)
{
        const struct spec_process *p = &s->process;
        uint64_t caps = CAPS(CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE);

        ck_assert_str_eq(s->oci_version, "1.0.2-dev");
        ck_assert(s->has_process);
        ck_assert(p->terminal);
        ck_assert_uint_eq(p->user.uid, 0);
        ck_assert_uint_eq(p->user.gid, 0);
        ck_assert(!p->user.umask.set);
        assert_strv(p->args, p->n_args, STRV("sh"));
        assert_strv(p->env, p->n_env,
                    STRV("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        ck_assert_str_eq(p->cwd, "/");
        ck_assert(p->has_caps);
        ck_assert_uint_eq(p->caps.bounding, caps);
        ck_assert_uint_eq(p->caps.effective, caps);
        ck_assert_uint_eq(p->caps.permitted, caps);
        ck_assert_uint_eq(p->caps.ambient, caps);
        ck_assert_uint_eq(p->caps.inheritable, 0);
        ck_assert_uint_eq(p->n_rlimits, 1);
        ck_assert_int_eq(p->rlimits[0].type, RLIMIT_NOFILE);
        ck_assert_uint_eq(p->rlimits[0].soft, 1024);
        ck_assert_uint_eq(p->rlimits[0].hard, 1024);
        ck_assert(p->no_new_privileges);
        ck_assert_ptr_null(p->apparmor_profile);
        ck_assert(!p->oom_score_adj.set);
        ck_assert_str_eq(s->root.path, "rootfs");
        ck_assert(s->root.readonly);
        ck_assert_str_eq(s->hostname, "runc");
        ck_assert_ptr_null(s->domainname);
        ck_assert_uint_eq(s->n_mounts, 7);
        ck_assert_str_eq(s->mounts[0].destination, "/proc");
        ck_assert_str_eq(s->mounts[0].type, "proc");
        ck_assert_str_eq(s->mounts[0].source, "proc");
        ck_assert_ptr_null(s->mounts[0].options);
        ck_assert_uint_eq(s->mounts[0].n_options, 0);
        assert_strv(s->mounts[1].options, s->mounts[1].n_options,
                    STRV("nosuid", "strictatime", "mode=755", "size=65536k"));
        ck_assert_str_eq(s->mounts[6].destination, "/sys/fs/cgroup");
        for (int k = 0; k < SPEC_HOOK__MAX; k++)
                ck_assert_uint_eq(s->hooks[k].n, 0);
        ck_assert_uint_eq(s->n_annotations, 0);
        ck_assert_uint_eq(s->linux.n_masked_paths, 10);
        ck_assert_str_eq(s->linux.masked_paths[0], "/proc/acpi");
        ck_assert_str_eq(s->linux.masked_paths[9], "/proc/scsi");
        assert_strv(s->linux.readonly_paths, s->linux.n_readonly_paths,
                    STRV("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        ck_assert(!s->linux.seccomp.present);
        ck_assert_int_eq(s->linux.rootfs_propagation, SPEC_PROP_UNSET);
        ck_assert_ptr_null(s->linux.cgroups_path);
        for (int t = 0; t < SPEC_NS__MAX; t++)
                ck_assert_ptr_null(s->linux.ns[t].path);
        ck_assert(s->linux.ns[SPEC_NS_PID].present && s->linux.ns[SPEC_NS_IPC].present);
        ck_assert(s->linux.ns[SPEC_NS_UTS].present && s->linux.ns[SPEC_NS_MNT].present);
        ck_assert(!s->linux.ns[SPEC_NS_CGROUP].present && !s->linux.ns[SPEC_NS_TIME].present);
}

START_TEST(test_runc_spec)
{
        _cleanup_spec_ struct spec *s = parse_ok(runc_spec);

        assert_runc_common(s);
        assert_strv(s->mounts[2].options, s->mounts[2].n_options,
                    STRV("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        ck_assert(s->linux.ns[SPEC_NS_NET].present);
        ck_assert(!s->linux.ns[SPEC_NS_USER].present);
        ck_assert_uint_eq(s->linux.n_uid_mappings, 0);
        ck_assert(s->linux.resources.present);
        ck_assert_uint_eq(s->linux.resources.n_devices, 1);
        ck_assert(!s->linux.resources.devices[0].allow);
        ck_assert_int_eq(s->linux.resources.devices[0].type, 'a');
        ck_assert(!s->linux.resources.devices[0].major.set && !s->linux.resources.devices[0].minor.set);
        ck_assert_str_eq(s->linux.resources.devices[0].access, "rwm");
        ck_assert(!s->linux.resources.memory.limit.set);
}
END_TEST

START_TEST(test_runc_spec_rootless)
{
        _cleanup_spec_ struct spec *s = parse_ok(runc_spec_rootless);
        const struct spec_linux *l = &s->linux;

        assert_runc_common(s);
        ck_assert_uint_eq(s->mounts[2].n_options, 5);
        ck_assert_str_eq(s->mounts[5].type, "none");
        ck_assert_str_eq(s->mounts[5].source, "/sys");
        assert_strv(s->mounts[5].options, s->mounts[5].n_options, STRV("rbind", "nosuid", "noexec", "nodev", "ro"));
        ck_assert(l->ns[SPEC_NS_USER].present && !l->ns[SPEC_NS_NET].present);
        ck_assert_uint_eq(l->n_uid_mappings, 1);
        ck_assert_uint_eq(l->n_gid_mappings, 1);
        ck_assert_uint_eq(l->uid_mappings[0].container_id, 0);
        ck_assert_uint_eq(l->uid_mappings[0].host_id, 0);
        ck_assert_uint_eq(l->uid_mappings[0].size, 1);
        ck_assert(!l->resources.present);
}
END_TEST

/* A config in the style of what Podman writes, with every section. Unknown
 * members (commandLine, username, memoryPolicy, vm, windows) must be ignored. */
static const char podman_like[] =
        "{'ociVersion':'1.2.0',"
        "'process':{'terminal':false,'consoleSize':{'height':24,'width':80},"
        "'user':{'uid':1000,'gid':1000,'umask':18,'additionalGids':[10,4294967295],'username':'x'},"
        "'args':['/bin/sh','-c','echo hi'],'env':['PATH=/usr/bin','HOSTNAME=pod'],'cwd':'/home/user',"
        "'capabilities':{'bounding':['CAP_CHOWN','CAP_CHECKPOINT_RESTORE'],'effective':['CAP_CHOWN'],"
        "'inheritable':[],'permitted':['CAP_CHOWN','CAP_SYS_ADMIN'],'ambient':[]},"
        "'rlimits':[{'type':'RLIMIT_NOFILE','soft':1024,'hard':524288},"
        "{'type':'RLIMIT_NPROC','soft':18446744073709551615,'hard':18446744073709551615}],"
        "'noNewPrivileges':true,'apparmorProfile':'containers-default-0.50.1',"
        "'selinuxLabel':'system_u:system_r:container_t:s0:c1,c2','oomScoreAdj':-999,"
        "'scheduler':{'policy':'SCHED_BATCH','nice':5,'flags':['SCHED_FLAG_RESET_ON_FORK','SCHED_FLAG_UTIL_CLAMP_MAX']},"
        "'ioPriority':{'class':'IOPRIO_CLASS_IDLE','priority':7},"
        "'execCPUAffinity':{'initial':'0-3','final':'1'},'commandLine':'ignored'},"
        "'root':{'path':'/var/lib/containers/storage/overlay/abc/merged','readonly':false},"
        "'hostname':'pod','domainname':'example.org',"
        "'mounts':[{'destination':'/proc','type':'proc','source':'proc','options':['nosuid','noexec','nodev']},"
        "{'destination':'/data','type':'bind','source':'/srv/data','options':['rbind','idmap'],"
        "'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}],"
        "'gidMappings':[{'containerID':0,'hostID':200000,'size':65536}]}],"
        "'hooks':{'prestart':[{'path':'/usr/bin/netns-hook','args':['netns-hook','up'],'env':['A=1'],'timeout':5}],"
        "'createRuntime':[{'path':'/usr/libexec/oci/hooks.d/a'},{'path':'/usr/libexec/oci/hooks.d/b'}],"
        "'poststop':[{'path':'/bin/cleanup','timeout':2147483647}]},"
        "'annotations':{'io.podman.annotations.init':'FALSE','org.opencontainers.image.stopSignal':'15'},"
        "'linux':{'namespaces':[{'type':'pid'},{'type':'network','path':'/run/netns/cni-1234'},{'type':'ipc'},"
        "{'type':'uts'},{'type':'mount'},{'type':'user'},{'type':'cgroup'},{'type':'time'}],"
        "'uidMappings':[{'containerID':0,'hostID':1000,'size':1},{'containerID':1,'hostID':100000,'size':65536}],"
        "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}],"
        "'timeOffsets':{'monotonic':{'secs':-86400,'nanosecs':5},'boottime':{'secs':3600}},"
        "'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229,'fileMode':438,'uid':0,'gid':0},"
        "{'path':'/dev/pipe0','type':'p'}],"
        "'cgroupsPath':'machine.slice:libpod:abc',"
        "'resources':{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'c','major':10,'minor':229,"
        "'access':'rw'},{'allow':true,'type':'b','major':8}],"
        "'memory':{'limit':536870912,'reservation':268435456,'swap':-1,'kernel':-1,'kernelTCP':0,'swappiness':60,"
        "'disableOOMKiller':false,'useHierarchy':true,'checkBeforeUpdate':true},"
        "'cpu':{'shares':1024,'quota':-1,'burst':1000,'period':100000,'realtimeRuntime':950000,"
        "'realtimePeriod':1000000,'cpus':'0-3','mems':'0','idle':1},"
        "'pids':{'limit':2048},"
        "'blockIO':{'weight':500,'leafWeight':300,'weightDevice':[{'major':8,'minor':0,'weight':600}],"
        "'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}],"
        "'throttleWriteIOPSDevice':[{'major':8,'minor':16,'rate':300}]},"
        "'hugepageLimits':[{'pageSize':'2MB','limit':209715200},{'pageSize':'1GB','limit':0}],"
        "'network':{'classID':1048577,'priorities':[{'name':'eth0','priority':500}]},"
        "'rdma':{'mlx5_1':{'hcaHandles':3,'hcaObjects':10000}},"
        "'unified':{'memory.high':'400M','io.max':'8:0 rbps=1048576'}},"
        "'sysctl':{'net.ipv4.ip_forward':'1','net.ipv4.ping_group_range':'0 2147483647'},"
        "'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,"
        "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86','SCMP_ARCH_X32'],"
        "'flags':['SECCOMP_FILTER_FLAG_LOG','SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'],"
        "'listenerPath':'/run/seccomp.sock','listenerMetadata':'meta',"
        "'syscalls':[{'names':['read','write'],'action':'SCMP_ACT_ALLOW'},"
        "{'names':['personality'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':4294967295,'op':'SCMP_CMP_EQ'}]},"
        "{'names':['clone'],'action':'SCMP_ACT_ERRNO','errnoRet':38,'args':[{'index':5,"
        "'value':18446744073709551615,'valueTwo':2114060288,'op':'SCMP_CMP_MASKED_EQ'}]},"
        "{'names':['mount'],'action':'SCMP_ACT_NOTIFY'}]},"
        "'rootfsPropagation':'rslave','maskedPaths':['/proc/kcore','/sys/firmware'],'readonlyPaths':['/proc/sys'],"
        "'mountLabel':'system_u:object_r:container_file_t:s0:c1,c2','personality':{'domain':'LINUX32','flags':[]},"
        "'intelRdt':{'closID':'guaranteed_group','l3CacheSchema':'L3:0=7f0'},"
        "'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0'}},"
        "'vm':{'hypervisor':{'path':'/usr/bin/qemu'}},'windows':{'layerFolders':['x']}}";

static void assert_podman_process(const struct spec_process *p)
{
        ck_assert(!p->terminal);
        ck_assert(p->console_size.set);
        ck_assert_uint_eq(p->console_size.height, 24);
        ck_assert_uint_eq(p->console_size.width, 80);
        ck_assert_uint_eq(p->user.uid, 1000);
        ck_assert(p->user.umask.set && p->user.umask.v == 18);
        ck_assert_uint_eq(p->user.n_additional_gids, 2);
        ck_assert_uint_eq(p->user.additional_gids[1], 4294967295u);
        assert_strv(p->args, p->n_args, STRV("/bin/sh", "-c", "echo hi"));
        ck_assert_str_eq(p->cwd, "/home/user");
        ck_assert_uint_eq(p->caps.bounding, CAPS(CAP_CHOWN, CAP_CHECKPOINT_RESTORE));
        ck_assert_uint_eq(p->caps.permitted, CAPS(CAP_CHOWN, CAP_SYS_ADMIN));
        ck_assert_uint_eq(p->caps.inheritable | p->caps.ambient, 0);
        ck_assert_uint_eq(p->n_rlimits, 2);
        ck_assert_int_eq(p->rlimits[1].type, RLIMIT_NPROC);
        ck_assert_uint_eq(p->rlimits[1].soft, UINT64_MAX);
        ck_assert_str_eq(p->apparmor_profile, "containers-default-0.50.1");
        ck_assert_str_eq(p->selinux_label, "system_u:system_r:container_t:s0:c1,c2");
        ck_assert(p->oom_score_adj.set && p->oom_score_adj.v == -999);
        ck_assert(p->scheduler.set);
        ck_assert_int_eq(p->scheduler.policy, SPEC_SCHED_BATCH);
        ck_assert_int_eq(p->scheduler.nice, 5);
        ck_assert_uint_eq(p->scheduler.flags, 0x01 | 0x40); /* RESET_ON_FORK | UTIL_CLAMP_MAX */
        ck_assert(p->io_priority.set);
        ck_assert_int_eq(p->io_priority.class, SPEC_IOPRIO_CLASS_IDLE);
        ck_assert_int_eq(p->io_priority.priority, 7);
        ck_assert_str_eq(p->exec_cpu_affinity_initial, "0-3");
        ck_assert_str_eq(p->exec_cpu_affinity_final, "1");
}

static void assert_podman_top(const struct spec *s)
{
        ck_assert_str_eq(s->domainname, "example.org");
        ck_assert_uint_eq(s->n_mounts, 2);
        ck_assert_uint_eq(s->mounts[1].n_uid_mappings, 1);
        ck_assert_uint_eq(s->mounts[1].gid_mappings[0].host_id, 200000);
        ck_assert_uint_eq(s->hooks[SPEC_HOOK_PRESTART].n, 1);
        ck_assert_str_eq(s->hooks[SPEC_HOOK_PRESTART].hooks[0].path, "/usr/bin/netns-hook");
        assert_strv(s->hooks[SPEC_HOOK_PRESTART].hooks[0].args, s->hooks[SPEC_HOOK_PRESTART].hooks[0].n_args,
                    STRV("netns-hook", "up"));
        ck_assert(s->hooks[SPEC_HOOK_PRESTART].hooks[0].timeout.v == 5);
        ck_assert_uint_eq(s->hooks[SPEC_HOOK_CREATE_RUNTIME].n, 2);
        /* args and env are empty lists, not NULL, when absent. */
        ck_assert_ptr_nonnull(s->hooks[SPEC_HOOK_CREATE_RUNTIME].hooks[1].args);
        ck_assert_ptr_null(s->hooks[SPEC_HOOK_CREATE_RUNTIME].hooks[1].env[0]);
        ck_assert(!s->hooks[SPEC_HOOK_CREATE_RUNTIME].hooks[1].timeout.set);
        ck_assert_uint_eq(s->hooks[SPEC_HOOK_POSTSTOP].n, 1);
        ck_assert_uint_eq(s->hooks[SPEC_HOOK_START_CONTAINER].n, 0);
        ck_assert_uint_eq(s->n_annotations, 2);
        ck_assert_str_eq(s->annotations[1].key, "org.opencontainers.image.stopSignal");
        ck_assert_str_eq(s->annotations[1].value, "15");
}

static void assert_podman_linux(const struct spec_linux *l)
{
        ck_assert_str_eq(l->ns[SPEC_NS_NET].path, "/run/netns/cni-1234");
        ck_assert(l->ns[SPEC_NS_TIME].present && l->ns[SPEC_NS_CGROUP].present);
        ck_assert_uint_eq(l->n_uid_mappings, 2);
        ck_assert_uint_eq(l->uid_mappings[1].host_id, 100000);
        ck_assert(l->time_offsets_monotonic.set && l->time_offsets_monotonic.secs == -86400);
        ck_assert_uint_eq(l->time_offsets_monotonic.nanosecs, 5);
        ck_assert(l->time_offsets_boottime.set && l->time_offsets_boottime.secs == 3600);
        ck_assert_uint_eq(l->n_devices, 2);
        ck_assert_int_eq(l->devices[0].type, 'c');
        ck_assert_int_eq(l->devices[0].minor, 229);
        ck_assert(l->devices[0].file_mode.set && l->devices[0].file_mode.v == 0666);
        ck_assert_int_eq(l->devices[1].type, 'p');
        ck_assert(!l->devices[1].uid.set);
        ck_assert_str_eq(l->cgroups_path, "machine.slice:libpod:abc");
        ck_assert_uint_eq(l->n_sysctl, 2);
        ck_assert_str_eq(l->sysctl[1].value, "0 2147483647");
        ck_assert_int_eq(l->rootfs_propagation, SPEC_PROP_SLAVE);
        ck_assert(l->rootfs_propagation_recursive);
        ck_assert_str_eq(l->mount_label, "system_u:object_r:container_file_t:s0:c1,c2");
        ck_assert(l->personality.set);
        ck_assert_int_eq(l->personality.domain, PER_LINUX32);
        ck_assert_uint_eq(l->n_net_devices, 0);
        ck_assert(l->has_intel_rdt);
}

static void assert_podman_resources(const struct spec_resources *r)
{
        ck_assert(r->present);
        ck_assert_uint_eq(r->n_devices, 3);
        ck_assert_str_eq(r->devices[1].access, "rw");
        ck_assert(r->devices[2].major.set && !r->devices[2].minor.set);
        ck_assert_str_eq(r->devices[2].access, "rwm");
        ck_assert(r->memory.limit.v == 536870912 && r->memory.swap.v == -1);
        ck_assert(r->memory.swappiness.set && r->memory.swappiness.v == 60);
        ck_assert(r->memory.disable_oom_killer.set && !r->memory.disable_oom_killer.v);
        ck_assert(r->memory.check_before_update.v);
        ck_assert(r->cpu.quota.set && r->cpu.quota.v == -1);
        ck_assert(r->cpu.burst.v == 1000 && r->cpu.idle.v == 1);
        ck_assert_str_eq(r->cpu.cpus, "0-3");
        ck_assert(r->pids.limit.set && r->pids.limit.v == 2048);
        ck_assert(r->block_io.weight.v == 500 && r->block_io.leaf_weight.v == 300);
        ck_assert(r->block_io.weight_device[0].weight.v == 600 && !r->block_io.weight_device[0].leaf_weight.set);
        ck_assert_uint_eq(r->block_io.n_throttle_read_bps, 1);
        ck_assert_uint_eq(r->block_io.throttle_read_bps[0].rate, 1048576);
        ck_assert_uint_eq(r->block_io.n_throttle_write_bps, 0);
        ck_assert_int_eq(r->block_io.throttle_write_iops[0].minor, 16);
        ck_assert_str_eq(r->hugepage_limits[1].page_size, "1GB");
        ck_assert(r->network.class_id.v == 1048577);
        ck_assert_str_eq(r->network.priorities[0].key, "eth0");
        ck_assert_str_eq(r->network.priorities[0].value, "500");
        ck_assert_str_eq(r->rdma[0].device, "mlx5_1");
        ck_assert(r->rdma[0].hca_objects.v == 10000);
        ck_assert_str_eq(r->unified[1].value, "8:0 rbps=1048576");
}

static void assert_podman_seccomp(const struct spec_seccomp *sc)
{
        ck_assert(sc->present);
        ck_assert_int_eq(sc->default_action, SPEC_SCMP_ACT_ERRNO);
        ck_assert(sc->default_errno_ret.set && sc->default_errno_ret.v == 1);
        assert_strv(sc->architectures, sc->n_architectures, STRV("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"));
        ck_assert_uint_eq(sc->flags, SPEC_SECCOMP_FLAG_LOG | SPEC_SECCOMP_FLAG_WAIT_KILLABLE_RECV);
        ck_assert_str_eq(sc->listener_path, "/run/seccomp.sock");
        ck_assert_uint_eq(sc->n_syscalls, 4);
        assert_strv(sc->syscalls[0].names, sc->syscalls[0].n_names, STRV("read", "write"));
        ck_assert_uint_eq(sc->syscalls[1].args[0].value, 4294967295u);
        ck_assert_int_eq(sc->syscalls[2].action, SPEC_SCMP_ACT_ERRNO);
        ck_assert(sc->syscalls[2].errno_ret.v == 38);
        ck_assert_uint_eq(sc->syscalls[2].args[0].index, 5);
        ck_assert_uint_eq(sc->syscalls[2].args[0].value, UINT64_MAX);
        ck_assert_uint_eq(sc->syscalls[2].args[0].value_two, 2114060288);
        ck_assert_int_eq(sc->syscalls[2].args[0].op, SPEC_SCMP_CMP_MASKED_EQ);
        ck_assert_int_eq(sc->syscalls[3].action, SPEC_SCMP_ACT_NOTIFY);
}

START_TEST(test_podman_like)
{
        _cleanup_spec_ struct spec *s = parse_ok_q(podman_like);

        assert_podman_process(&s->process);
        assert_podman_top(s);
        assert_podman_linux(&s->linux);
        assert_podman_resources(&s->linux.resources);
        assert_podman_seccomp(&s->linux.seccomp);
}
END_TEST

/* netDevices move into a network namespace berth creates. */
START_TEST(test_net_devices)
{
        _cleanup_spec_ struct spec *s = parse_ok_q(
                "{'process':{'args':['sh'],'cwd':'/'},'root':{'path':'r'},"
                "'linux':{'namespaces':[{'type':'network'}],"
                "'netDevices':{'eth1':{'name':'ctr1'},'eth2':{}}}}");

        ck_assert_uint_eq(s->linux.n_net_devices, 2);
        ck_assert_str_eq(s->linux.net_devices[0].host_name, "eth1");
        ck_assert_str_eq(s->linux.net_devices[0].name, "ctr1");
        ck_assert_str_eq(s->linux.net_devices[1].host_name, "eth2");
        ck_assert_ptr_null(s->linux.net_devices[1].name);
}
END_TEST

/* ---- the table of broken configs ---------------------------------------- */

#define ARGS_CWD "'args':['sh'],'cwd':'/'"
#define PROC(x) "{'process':{" x "},'root':{'path':'r'}}"
#define TOP(x) "{'process':{" ARGS_CWD "},'root':{'path':'r'}," x "}"
#define LINUX(x) TOP("'linux':{" x "}")
#define RES(x) LINUX("'resources':{" x "}")
#define SCMP(x) LINUX("'seccomp':{" x "}")
#define SYSCALL(x) SCMP("'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{" x "}]")
#define NS_USER "'namespaces':[{'type':'user'}]"
#define E "config.json: "

static const struct { const char *json, *msg; } invalid[] = {
        { "", E "invalid JSON: parse error: premature EOF" },
        { "{'process':{'args':['sh'", E "invalid JSON: parse error: premature EOF" },
        { "{'a':1}x", E "invalid JSON: parse error: trailing garbage" },
        { TOP("'hostname':'\xff\xfe'"), E "invalid JSON: lexical error: invalid bytes in UTF8 string." },
        { TOP("'hostname':'a\\u0000b'"), E "invalid JSON: \\u0000 in a string is not supported" },
        { "{'process':{'args':['a'],'cwd':'/'},'root':{'path':'r'},'process':{'args':['b'],'cwd':'/'}}",
          E "invalid JSON: duplicate key \"process\"" },
        { TOP("'mounts':[{'destination':'/a','type':'tmpfs','type':'bind'}]"),
          E "invalid JSON: duplicate key \"type\"" },
        { TOP("'annotations':{'k0':'v','k1':'v','k2':'v','k3':'v','k4':'v','k5':'v','k6':'v','k7':'v','k8':'v','k9':'v','k10':'v','k11':'v','k12':'v','k13':'v','k14':'v','k15':'v','k16':'v','k17':'v','k18':'v','k19':'v','k7':'again'}"), E "invalid JSON: duplicate key \"k7\"" },
        { "[]", E ".: expected object, got array" },
        { "{}", E ".process: required" },
        { "{'process':null,'root':{'path':'r'}}", E ".process: required" },
        { "{'ociVersion':1}", E ".ociVersion: expected string, got number" },
        { PROC("'cwd':'/'"), E ".process.args: required" },
        { PROC("'args':[],'cwd':'/'"), E ".process.args: expected a non-empty array, got []" },
        { PROC("'args':[1],'cwd':'/'"), E ".process.args[0]: expected string, got number" },
        { PROC("'args':'sh','cwd':'/'"), E ".process.args: expected array, got string" },
        { PROC("'args':['sh']"), E ".process.cwd: required" },
        { PROC("'args':['sh'],'cwd':'tmp'"), E ".process.cwd: expected an absolute path, got \"tmp\"" },
        { PROC(ARGS_CWD ",'env':['A=1',null]"), E ".process.env[1]: expected string, got null" },
        { PROC(ARGS_CWD ",'env':['A=1','B']"), E ".process.env[1]: expected \"NAME=value\", got \"B\"" },
        { TOP("'hooks':{'prestart':[{'path':'/h','env':['=x']}]}"),
          E ".hooks.prestart[0].env[0]: expected \"NAME=value\", got \"=x\"" },
        { PROC(ARGS_CWD ",'terminal':'yes'"), E ".process.terminal: expected boolean, got string" },
        { PROC(ARGS_CWD ",'user':[]"), E ".process.user: expected object, got array" },
        { PROC(ARGS_CWD ",'user':{'uid':-1}"), E ".process.user.uid: expected integer in range 0..4294967295, got -1" },
        { PROC(ARGS_CWD ",'user':{'uid':4294967296}"),
          E ".process.user.uid: expected integer in range 0..4294967295, got 4294967296" },
        { PROC(ARGS_CWD ",'user':{'gid':1.5}"), E ".process.user.gid: expected integer, got 1.5" },
        { PROC(ARGS_CWD ",'user':{'gid':1e3}"), E ".process.user.gid: expected integer, got 1e3" },
        { PROC(ARGS_CWD ",'user':{'additionalGids':[1,'2']}"),
          E ".process.user.additionalGids[1]: expected integer, got string" },
        { PROC(ARGS_CWD ",'capabilities':{'bounding':['CAP_KILL','CAP_FOO']}"),
          E ".process.capabilities.bounding[1]: unknown capability \"CAP_FOO\"" },
        { PROC(ARGS_CWD ",'capabilities':{'ambient':'CAP_KILL'}"),
          E ".process.capabilities.ambient: expected array, got string" },
        { PROC(ARGS_CWD ",'rlimits':[{'type':'RLIMIT_FOO','soft':1,'hard':1}]"),
          E ".process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"" },
        { PROC(ARGS_CWD ",'rlimits':[{'type':'RLIMIT_CORE','soft':2048,'hard':1024}]"),
          E ".process.rlimits[0].soft: expected at most the hard limit 1024, got 2048" },
        { PROC(ARGS_CWD ",'rlimits':[{'type':'RLIMIT_NOFILE','soft':1,'hard':1},"
                        "{'type':'RLIMIT_NOFILE','soft':2,'hard':2}]"),
          E ".process.rlimits[1]: duplicate rlimit \"RLIMIT_NOFILE\"" },
        { PROC(ARGS_CWD ",'rlimits':[{'type':'RLIMIT_CORE','soft':1}]"), E ".process.rlimits[0].hard: required" },
        { PROC(ARGS_CWD ",'oomScoreAdj':1001"), E ".process.oomScoreAdj: expected integer in range -1000..1000, got 1001" },
        { PROC(ARGS_CWD ",'scheduler':{'policy':'SCHED_FOO'}"),
          E ".process.scheduler.policy: unknown scheduler policy \"SCHED_FOO\"" },
        { PROC(ARGS_CWD ",'scheduler':{'policy':'SCHED_OTHER','nice':-21}"),
          E ".process.scheduler.nice: expected integer in range -20..19, got -21" },
        { PROC(ARGS_CWD ",'scheduler':{'policy':'SCHED_RR','flags':['SCHED_FLAG_X']}"),
          E ".process.scheduler.flags[0]: unknown scheduler flag \"SCHED_FLAG_X\"" },
        { PROC(ARGS_CWD ",'ioPriority':{'priority':1}"), E ".process.ioPriority.class: required" },
        { PROC(ARGS_CWD ",'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':8}"),
          E ".process.ioPriority.priority: expected integer in range 0..7, got 8" },
        { PROC(ARGS_CWD ",'consoleSize':{'height':1}"), E ".process.consoleSize.width: required" },
        { "{'process':{" ARGS_CWD "}}", E ".root: required" },
        { "{'process':{" ARGS_CWD "},'root':{}}", E ".root.path: required" },
        { "{'process':{" ARGS_CWD "},'root':{'path':''}}", E ".root.path: expected a non-empty string, got \"\"" },
        { TOP("'hostname':'h'"), E ".hostname: requires a uts namespace" },
        { TOP("'domainname':'d'"), E ".domainname: requires a uts namespace" },
        { TOP("'hostname':'" "0123456789012345678901234567890123456789012345678901234567890123x',"
              "'linux':{'namespaces':[{'type':'uts'}]}"),
          E ".hostname: expected at most 64 bytes, got 65" },
        { TOP("'mounts':[{'destination':'/a'},{'destination':'/b'},{'destination':'tmp'}]"),
          E ".mounts[2].destination: expected an absolute path, got \"tmp\"" },
        { TOP("'mounts':[{'type':'tmpfs'}]"), E ".mounts[0].destination: required" },
        { TOP("'mounts':[{'destination':'/a','options':['ro',1]}]"), E ".mounts[0].options[1]: expected string, got number" },
        { TOP("'mounts':[{'destination':'/a','uidMappings':[{'containerID':0,'hostID':1,'size':1}]}]"),
          E ".mounts[0].gidMappings: required with uidMappings" },
        { TOP("'hooks':{'prestart':[{'path':'hook'}]}"), E ".hooks.prestart[0].path: expected an absolute path, got \"hook\"" },
        { TOP("'hooks':{'poststop':[{'path':'/h','timeout':0}]}"),
          E ".hooks.poststop[0].timeout: expected integer in range 1..2147483647, got 0" },
        { TOP("'hooks':{'createRuntime':{}}"), E ".hooks.createRuntime: expected array, got object" },
        { TOP("'annotations':{'a':'b','c':1}"), E ".annotations[\"c\"]: expected string, got number" },
        { TOP("'annotations':{'':'x'}"), E ".annotations[\"\"]: expected a non-empty key, got \"\"" },
        { TOP("'linux':[]"), E ".linux: expected object, got array" },
        { LINUX("'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},{'type':'foo'}]"),
          E ".linux.namespaces[3].type: unknown namespace type \"foo\"" },
        { LINUX("'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'pid'}]"),
          E ".linux.namespaces[2]: duplicate namespace type \"pid\"" },
        { LINUX("'namespaces':[{'path':'/proc/1/ns/net'}]"), E ".linux.namespaces[0].type: required" },
        { LINUX("'namespaces':[{'type':'network','path':'proc/1/ns/net'}]"),
          E ".linux.namespaces[0].path: expected an absolute path, got \"proc/1/ns/net\"" },
        { LINUX("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
          E ".linux.uidMappings: requires a new user namespace" },
        { LINUX("'namespaces':[{'type':'user','path':'/proc/1/ns/user'}],"
                "'gidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
          E ".linux.gidMappings: requires a new user namespace" },
        { LINUX(NS_USER ",'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
          E ".linux.gidMappings: required with a new user namespace" },
        { LINUX(NS_USER ",'uidMappings':[{'containerID':0,'hostID':1000,'size':0}]"),
          E ".linux.uidMappings[0].size: expected integer in range 1..4294967295, got 0" },
        { LINUX(NS_USER ",'uidMappings':[{'containerID':0,'size':1}]"), E ".linux.uidMappings[0].hostID: required" },
        { LINUX("'timeOffsets':{'boottime':{'secs':1}}"), E ".linux.timeOffsets: requires a new time namespace" },
        { LINUX("'timeOffsets':{'realtime':{'secs':1}}"), E ".linux.timeOffsets[\"realtime\"]: unknown clock \"realtime\"" },
        { LINUX("'timeOffsets':{'monotonic':{'nanosecs':1000000000}}"),
          E ".linux.timeOffsets[\"monotonic\"].nanosecs: expected integer in range 0..999999999, got 1000000000" },
        { LINUX("'devices':[{'path':'/dev/x','type':'x','major':1,'minor':1}]"),
          E ".linux.devices[0].type: unknown device type \"x\"" },
        { LINUX("'devices':[{'path':'/dev/x','type':'c','minor':1}]"), E ".linux.devices[0].major: required" },
        { LINUX("'devices':[{'path':'dev/x','type':'p'}]"), E ".linux.devices[0].path: expected an absolute path, got \"dev/x\"" },
        { RES("'memory':{'limit':'1G'}"), E ".linux.resources.memory.limit: expected integer, got string" },
        { RES("'memory':{'swappiness':101}"), E ".linux.resources.memory.swappiness: expected integer in range 0..100, got 101" },
        { RES("'cpu':{'shares':-1}"), E ".linux.resources.cpu.shares: expected integer in range 0..18446744073709551615, got -1" },
        { RES("'cpu':{'quota':9223372036854775808}"),
          E ".linux.resources.cpu.quota: expected integer in range -9223372036854775808..9223372036854775807, "
            "got 9223372036854775808" },
        { RES("'devices':[{'allow':true,'access':'rwx'}]"),
          E ".linux.resources.devices[0].access: expected a combination of \"r\", \"w\" and \"m\", got \"rwx\"" },
        { RES("'devices':[{'allow':true,'access':'rr'}]"),
          E ".linux.resources.devices[0].access: expected a combination of \"r\", \"w\" and \"m\", got \"rr\"" },
        { RES("'devices':[{'allow':true,'type':'p'}]"), E ".linux.resources.devices[0].type: unknown device type \"p\"" },
        { RES("'devices':[{'access':'r'}]"), E ".linux.resources.devices[0].allow: required" },
        { RES("'pids':{}"), E ".linux.resources.pids.limit: required" },
        { RES("'blockIO':{'weight':70000}"), E ".linux.resources.blockIO.weight: expected integer in range 0..65535, got 70000" },
        { RES("'blockIO':{'weightDevice':[{'major':8,'minor':0}]}"),
          E ".linux.resources.blockIO.weightDevice[0]: expected weight or leafWeight, got neither" },
        { RES("'blockIO':{'throttleReadIOPSDevice':[{'major':8,'minor':0}]}"),
          E ".linux.resources.blockIO.throttleReadIOPSDevice[0].rate: required" },
        { RES("'hugepageLimits':[{'pageSize':'../x','limit':1}]"),
          E ".linux.resources.hugepageLimits[0].pageSize: expected a page size like \"2MB\", got \"../x\"" },
        { RES("'network':{'priorities':[{'name':'eth0'}]}"), E ".linux.resources.network.priorities[0].priority: required" },
        { RES("'rdma':{'mlx5_0':{'hcaHandles':'x'}}"), E ".linux.resources.rdma[\"mlx5_0\"].hcaHandles: expected integer, got string" },
        { RES("'unified':{'../cgroup.procs':'0'}"),
          E ".linux.resources.unified[\"../cgroup.procs\"]: expected a cgroup file name, got \"../cgroup.procs\"" },
        { LINUX("'sysctl':{'net.ipv4.ip_forward':1}"), E ".linux.sysctl[\"net.ipv4.ip_forward\"]: expected string, got number" },
        { LINUX("'sysctl':{'net/../../etc':'1'}"), E ".linux.sysctl[\"net/../../etc\"]: expected a sysctl name, got \"net/../../etc\"" },
        { SCMP("'architectures':[]"), E ".linux.seccomp.defaultAction: required" },
        { SCMP("'defaultAction':'SCMP_ACT_FOO'"), E ".linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_FOO\"" },
        { SCMP("'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_X86','SCMP_ARCH_Z80']"),
          E ".linux.seccomp.architectures[1]: unknown seccomp architecture \"SCMP_ARCH_Z80\"" },
        { SCMP("'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_FOO']"),
          E ".linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_FOO\"" },
        { SYSCALL("'names':[],'action':'SCMP_ACT_ALLOW'"), E ".linux.seccomp.syscalls[0].names: expected a non-empty array, got []" },
        { SYSCALL("'names':[''],'action':'SCMP_ACT_ALLOW'"),
          E ".linux.seccomp.syscalls[0].names[0]: expected a non-empty string, got \"\"" },
        { SYSCALL("'names':['read']"), E ".linux.seccomp.syscalls[0].action: required" },
        { SYSCALL("'names':['read'],'action':'SCMP_ACT_ALLOW','args':[{'index':6,'value':0,'op':'SCMP_CMP_EQ'}]"),
          E ".linux.seccomp.syscalls[0].args[0].index: expected integer in range 0..5, got 6" },
        { SYSCALL("'names':['read'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':0,'op':'SCMP_CMP_XX'}]"),
          E ".linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator \"SCMP_CMP_XX\"" },
        { SYSCALL("'names':['read'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':18446744073709551616,'op':'SCMP_CMP_EQ'}]"),
          E ".linux.seccomp.syscalls[0].args[0].value: expected integer in range 0..18446744073709551615, "
            "got 18446744073709551616" },
        { LINUX("'rootfsPropagation':'rprivatee'"), E ".linux.rootfsPropagation: unknown rootfs propagation \"rprivatee\"" },
        { LINUX("'maskedPaths':['/proc/acpi','proc/kcore']"), E ".linux.maskedPaths[1]: expected an absolute path, got \"proc/kcore\"" },
        { LINUX("'readonlyPaths':'/proc/sys'"), E ".linux.readonlyPaths: expected array, got string" },
        { LINUX("'personality':{'domain':'LINUX64'}"), E ".linux.personality.domain: unknown personality domain \"LINUX64\"" },
        { LINUX("'personality':{'domain':'LINUX','flags':['X']}"), E ".linux.personality.flags[0]: unknown personality flag \"X\"" },
        { LINUX("'namespaces':[{'type':'network','path':'/run/netns/x'}],'netDevices':{'eth0':{}}"),
          E ".linux.netDevices: requires a new network namespace" },
        { LINUX("'netDevices':{'eth0':{'name':'a/b'}}"),
          E ".linux.netDevices[\"eth0\"].name: expected a network interface name, got \"a/b\"" },
        { LINUX("'netDevices':{'a-very-long-ifname':{}}"),
          E ".linux.netDevices[\"a-very-long-ifname\"]: expected a network interface name, got \"a-very-long-ifname\"" },
        { LINUX("'intelRdt':true"), E ".linux.intelRdt: expected object, got boolean" },
        /* Untrusted text is quoted and escaped in messages. */
        { LINUX("'namespaces':[{'type':'a\\'b\\n'}]"), E ".linux.namespaces[0].type: unknown namespace type \"a\\\"b\\u000a\"" },
};

START_TEST(test_invalid)
{
        _cleanup_free_ char *json = dq(invalid[_i].json);
        struct spec *s;
        struct berr e;
        int r = parse_raw(json, strlen(json), &s, &e);

        ck_assert_msg(r == -EINVAL, "#%d %s: parsed (r=%d)", _i, invalid[_i].json, r);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(e.code, -EINVAL);
        ck_assert_str_eq(e.msg, invalid[_i].msg);
}
END_TEST

/* `exec --process FILE`: a process object alone, as conmon writes it. */
START_TEST(test_process_file)
{
        _cleanup_free_ char *ok = dq("{'terminal': true, 'args': ['sh', '-c', 'id'], 'env': ['A=1'], 'cwd': '/tmp',"
                                     " 'user': {'uid': 1000, 'gid': 1000, 'additionalGids': [5]},"
                                     " 'capabilities': {'effective': ['CAP_KILL']},"
                                     " 'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 10, 'hard': 20}]}");
        _cleanup_free_ char *bad = dq("{'args': 'sh', 'cwd': '/'}");
        _cleanup_free_ char *rel = dq("{'args': ['sh'], 'cwd': 'tmp'}");
        struct spec_process p;
        struct berr e;

        ck_assert_int_eq(spec_parse_process("p.json", ok, strlen(ok), &p, &e), 0);
        ck_assert(p.terminal);
        ck_assert_int_eq(p.n_args, 3);
        ck_assert_str_eq(p.args[2], "id");
        ck_assert_str_eq(p.cwd, "/tmp");
        ck_assert_int_eq(p.user.uid, 1000);
        ck_assert_int_eq(p.user.n_additional_gids, 1);
        ck_assert(p.has_caps);
        ck_assert_int_eq(p.n_rlimits, 1);
        spec_process_free(&p);
        ck_assert_int_eq(spec_parse_process("p.json", bad, strlen(bad), &p, &e), -EINVAL);
        ck_assert_str_eq(e.msg, "p.json: .args: expected array, got string");
        ck_assert_int_eq(spec_parse_process("p.json", rel, strlen(rel), &p, &e), -EINVAL);
        ck_assert_msg(strstr(e.msg, "p.json: .cwd") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_deep_nesting)
{
        size_t depth = 10000;
        _cleanup_free_ char *json = malloc(2 * depth + 1);
        struct spec *s;
        struct berr e;

        ck_assert_ptr_nonnull(json);
        memset(json, '[', depth);
        memset(json + depth, ']', depth);
        ck_assert_int_eq(parse_raw(json, 2 * depth, &s, &e), -EINVAL);
        ck_assert_str_eq(e.msg, "config.json: invalid JSON: nested deeper than 64 levels");
}
END_TEST

START_TEST(test_nul_byte)
{
        static const char json[] = "{\"ociVersion\":\"1\0\"}";
        struct spec *s;
        struct berr e;

        ck_assert_int_eq(parse_raw(json, sizeof(json) - 1, &s, &e), -EINVAL);
        ck_assert_str_eq(e.msg, "config.json: invalid JSON: contains a NUL byte");
}
END_TEST

START_TEST(test_long_values_shortened)
{
        char json[4096], name[1001];
        struct spec *s;
        struct berr e;

        memset(name, 'x', sizeof(name) - 1);
        name[sizeof(name) - 1] = '\0';
        snprintf(json, sizeof(json), LINUX("'namespaces':[{'type':'%s'}]"), name);
        for (char *c = json; *c; c++)
                if (*c == '\'')
                        *c = '"';
        ck_assert_int_eq(parse_raw(json, strlen(json), &s, &e), -EINVAL);
        ck_assert_msg(strlen(e.msg) < 200, "%s", e.msg);
        ck_assert_msg(strstr(e.msg, "unknown namespace type \"xxx") && strstr(e.msg, "xxx...\""), "%s", e.msg);
}
END_TEST

/* ---- what is accepted --------------------------------------------------- */

START_TEST(test_unknown_and_null_ignored)
{
        _cleanup_spec_ struct spec *s = parse_ok_q(
                "{'future':{'x':[1,2]},'process':{" ARGS_CWD ",'user':{'uid':5,'username':'u'},'env':null,"
                "'apparmorProfile':'','capabilities':{'bounding':['CAP_KILL'],'secret':[1]}},"
                "'root':{'path':'r','extra':true},'hostname':'','annotations':null,"
                "'linux':{'namespaces':[{'type':'network','path':''}],'seccomp':null,'resources':{'pids':{'limit':-1}},"
                "'unknownLinux':{'a':1}}}");

        ck_assert_uint_eq(s->process.user.uid, 5);
        ck_assert_uint_eq(s->process.user.gid, 0);
        ck_assert_ptr_nonnull(s->process.env);
        ck_assert_ptr_null(s->process.env[0]);
        ck_assert_uint_eq(s->process.n_env, 0);
        ck_assert_ptr_null(s->process.apparmor_profile);
        ck_assert_uint_eq(s->process.caps.bounding, CAPS(CAP_KILL));
        /* "" is unset: no hostname, so no UTS namespace needed; path "" means create. */
        ck_assert_ptr_null(s->hostname);
        ck_assert(s->linux.ns[SPEC_NS_NET].present);
        ck_assert_ptr_null(s->linux.ns[SPEC_NS_NET].path);
        ck_assert(!s->linux.seccomp.present);
        ck_assert(s->linux.resources.pids.limit.set && s->linux.resources.pids.limit.v == -1);
        ck_assert_ptr_null(s->oci_version);
}
END_TEST

START_TEST(test_integer_edges)
{
        _cleanup_spec_ struct spec *s = parse_ok_q(
                "{'process':{" ARGS_CWD ",'user':{'uid':4294967295,'gid':0},'oomScoreAdj':-1000,"
                "'rlimits':[{'type':'RLIMIT_AS','soft':0,'hard':18446744073709551615}]},'root':{'path':'r'},"
                "'linux':{'resources':{'memory':{'limit':-9223372036854775808,'swap':9223372036854775807}}}}");

        ck_assert_uint_eq(s->process.user.uid, 4294967295u);
        ck_assert_int_eq(s->process.oom_score_adj.v, -1000);
        ck_assert_uint_eq(s->process.rlimits[0].hard, UINT64_MAX);
        ck_assert(s->linux.resources.memory.limit.v == INT64_MIN);
        ck_assert(s->linux.resources.memory.swap.v == INT64_MAX);
}
END_TEST

START_TEST(test_propagation_and_ns_names)
{
        static const struct { const char *name; enum spec_propagation p; bool rec; } props[] = {
                { "private", SPEC_PROP_PRIVATE, false }, { "rprivate", SPEC_PROP_PRIVATE, true },
                { "shared", SPEC_PROP_SHARED, false }, { "rshared", SPEC_PROP_SHARED, true },
                { "slave", SPEC_PROP_SLAVE, false }, { "rslave", SPEC_PROP_SLAVE, true },
                { "unbindable", SPEC_PROP_UNBINDABLE, false }, { "runbindable", SPEC_PROP_UNBINDABLE, true },
        };

        for (size_t i = 0; i < ELEMENTSOF(props); i++) {
                char json[256];
                _cleanup_spec_ struct spec *s = NULL;

                snprintf(json, sizeof(json), LINUX("'rootfsPropagation':'%s'"), props[i].name);
                s = parse_ok_q(json);
                ck_assert_int_eq(s->linux.rootfs_propagation, props[i].p);
                ck_assert_int_eq(s->linux.rootfs_propagation_recursive, props[i].rec);
        }
        for (int t = 0; t < SPEC_NS__MAX; t++)
                ck_assert_int_eq(spec_ns_from_name(spec_ns_name((enum spec_ns_type)t)), t);
        ck_assert_int_eq(spec_ns_from_name("network"), SPEC_NS_NET);
        ck_assert_int_eq(spec_ns_from_name("mount"), SPEC_NS_MNT);
        ck_assert_int_eq(spec_ns_from_name("net"), -1);
        ck_assert_ptr_null(spec_ns_name(SPEC_NS__MAX));
}
END_TEST

START_TEST(test_name_tables)
{
        size_t i;

        ck_assert_int_eq(spec_cap_last(), CAP_LAST_CAP);
        for (int c = 0; c <= spec_cap_last(); c++)
                ck_assert_int_eq(spec_cap_from_name(spec_cap_name(c)), c);
        ck_assert_int_eq(spec_cap_from_name("CAP_BPF"), CAP_BPF);
        ck_assert_int_eq(spec_cap_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
        ck_assert_ptr_null(spec_cap_name(CAP_LAST_CAP + 1));
        ck_assert_ptr_null(spec_cap_name(-1));
        for (int r = 0; r < RLIMIT_NLIMITS; r++)
                ck_assert_int_eq(spec_rlimit_from_name(spec_rlimit_name(r)), r);
        ck_assert_int_eq(spec_rlimit_from_name("RLIMIT_NOFILE"), RLIMIT_NOFILE);
        ck_assert_str_eq(spec_hook_name(SPEC_HOOK_CREATE_CONTAINER), "createContainer");
        ck_assert_str_eq(spec_hook_name(SPEC_HOOK_POSTSTOP), "poststop");
        for (i = 0; spec_seccomp_action_name_at(i); i++)
                ck_assert_int_eq(spec_seccomp_action_from_name(spec_seccomp_action_name_at(i)), (int)i);
        ck_assert_uint_eq(i, 9);
        ck_assert_str_eq(spec_seccomp_action_name(SPEC_SCMP_ACT_KILL_PROCESS), "SCMP_ACT_KILL_PROCESS");
        for (i = 0; spec_seccomp_op_name_at(i); i++)
                ck_assert_str_eq(spec_seccomp_op_name((enum spec_seccomp_op)i), spec_seccomp_op_name_at(i));
        ck_assert_uint_eq(i, 7);
        for (i = 0; spec_seccomp_arch_name_at(i); i++)
                ck_assert(spec_seccomp_arch_known(spec_seccomp_arch_name_at(i)));
        ck_assert_uint_ge(i, 23);
        ck_assert(!spec_seccomp_arch_known("x86_64"));
        for (i = 0; spec_seccomp_flag_name_at(i); i++)
                ck_assert_int_eq(spec_seccomp_flag_from_name(spec_seccomp_flag_name_at(i)), 1 << i);
        ck_assert_uint_eq(i, 4);
        ck_assert_int_eq(spec_seccomp_flag_from_name("SECCOMP_FILTER_FLAG_TSYNC"), SPEC_SECCOMP_FLAG_TSYNC);
        ck_assert_int_eq(spec_seccomp_flag_from_name("SECCOMP_FILTER_FLAG_SPEC_ALLOW"), SPEC_SECCOMP_FLAG_SPEC_ALLOW);
}
END_TEST

/* ---- every node of the rich config, broken one at a time ---------------- */

enum { MUT_DELETE, MUT_TRUE, MUT_STRING, MUT_EMPTY_STRING, MUT_NEGATIVE, MUT_FRACTION, MUT_OBJECT,
       MUT_ARRAY, MUT_BIG, MUT__MAX };

struct mutation {
        size_t target, counter;
        int mode;
};

static void gen_wrong(yajl_gen g, int mode)
{
        static const char *const nums[] = { [MUT_NEGATIVE] = "-1", [MUT_FRACTION] = "0.5", [MUT_BIG] = "1e400" };

        switch (mode) {
        case MUT_TRUE:
                yajl_gen_bool(g, 1);
                break;
        case MUT_STRING:
        case MUT_EMPTY_STRING:
                yajl_gen_string(g, (const unsigned char *)"x", mode == MUT_STRING);
                break;
        case MUT_OBJECT:
                yajl_gen_map_open(g);
                yajl_gen_map_close(g);
                break;
        case MUT_ARRAY:
                yajl_gen_array_open(g);
                yajl_gen_integer(g, 1);
                yajl_gen_array_close(g);
                break;
        default:
                yajl_gen_number(g, nums[mode], strlen(nums[mode]));
                break;
        }
}

static void gen_node(yajl_gen g, const char *key, json_val v, struct mutation *m);

static void gen_plain(yajl_gen g, json_val v, struct mutation *m)
{
        if (YAJL_IS_OBJECT(v)) {
                yajl_gen_map_open(g);
                for (size_t i = 0; i < v->u.object.len; i++)
                        gen_node(g, v->u.object.keys[i], v->u.object.values[i], m);
                yajl_gen_map_close(g);
        } else if (YAJL_IS_ARRAY(v)) {
                yajl_gen_array_open(g);
                for (size_t i = 0; i < v->u.array.len; i++)
                        gen_node(g, NULL, v->u.array.values[i], m);
                yajl_gen_array_close(g);
        } else if (YAJL_IS_STRING(v)) {
                yajl_gen_string(g, (const unsigned char *)v->u.string, strlen(v->u.string));
        } else if (YAJL_IS_NUMBER(v)) {
                yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
        } else if (YAJL_IS_NULL(v)) {
                yajl_gen_null(g);
        } else {
                yajl_gen_bool(g, YAJL_IS_TRUE(v));
        }
}

/* Write v, except node number m->target: left out, or replaced. */
static void gen_node(yajl_gen g, const char *key, json_val v, struct mutation *m)
{
        bool hit = m->counter++ == m->target;

        if (hit && m->mode == MUT_DELETE)
                return;
        if (key)
                yajl_gen_string(g, (const unsigned char *)key, strlen(key));
        if (hit)
                gen_wrong(g, m->mode);
        else
                gen_plain(g, v, m);
}

static size_t mutate_and_parse(json_val tree, size_t target, int mode)
{
        struct mutation m = { .target = target, .mode = mode };
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *buf;
        struct spec *s;
        struct berr e;
        size_t len;

        ck_assert_ptr_nonnull(g);
        gen_node(g, NULL, tree, &m);
        yajl_gen_get_buf(g, &buf, &len);
        if (parse_raw((const char *)buf, len, &s, &e) < 0) {
                ck_assert_int_eq(e.code, -EINVAL);
                ck_assert_msg(strncmp(e.msg, "config.json: .", 14) == 0 ||
                              strncmp(e.msg, "config.json: invalid JSON", 25) == 0, "%s", e.msg);
                ck_assert_ptr_null(s);
        }
        spec_free(s);
        yajl_gen_free(g);
        return m.counter;
}

START_TEST(test_every_node_broken)
{
        _cleanup_free_ char *json = dq(podman_like);
        _cleanup_json_ json_val tree = NULL;
        struct berr e;
        size_t nodes;

        ck_assert_int_eq(json_parse("podman", json, strlen(json), &tree, &e), 0);
        nodes = mutate_and_parse(tree, SIZE_MAX, MUT_TRUE);
        ck_assert_uint_gt(nodes, 300);
        for (size_t t = 0; t < nodes; t++)
                for (int mode = 0; mode < MUT__MAX; mode++)
                        mutate_and_parse(tree, t, mode);
}
END_TEST

START_TEST(test_every_truncation)
{
        _cleanup_free_ char *json = dq(podman_like);
        size_t len = strlen(json);

        for (size_t n = 0; n < len; n++) {
                struct spec *s;
                struct berr e;

                ck_assert_int_eq(parse_raw(json, n, &s, &e), -EINVAL);
                ck_assert_msg(strncmp(e.msg, "config.json: invalid JSON: ", 27) == 0, "%zu: %s", n, e.msg);
        }
}
END_TEST

/* ---- spec_load ---------------------------------------------------------- */

static void write_file(int dirfd, const char *name, const char *data)
{
        _cleanup_close_ int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, data, strlen(data)), (ssize_t)strlen(data));
}

static void assert_load_fails(int dirfd, const char *msg)
{
        struct spec *s = NULL;
        struct berr e;

        berr_clear(&e);
        ck_assert_int_lt(spec_load(dirfd, &s, &e), 0);
        ck_assert_ptr_null(s);
        ck_assert_str_eq(e.msg, msg);
}

START_TEST(test_load)
{
        char dir[] = "/tmp/check_spec.XXXXXX";
        _cleanup_close_ int dirfd = -EBADF, fd = -EBADF;
        _cleanup_spec_ struct spec *s = NULL;
        struct berr e;

        ck_assert_ptr_nonnull(mkdtemp(dir));
        dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dirfd, 0);
        assert_load_fails(dirfd, "config.json: No such file or directory");
        write_file(dirfd, "config.json", runc_spec);
        ck_assert_int_eq(spec_load(dirfd, &s, &e), 0);
        ck_assert_str_eq(s->process.args[0], "sh");
        write_file(dirfd, "config.json", "{\"process\":{}}");
        assert_load_fails(dirfd, "config.json: .process.args: required");
        /* Larger than 16 MiB: refused before parsing (a sparse file). */
        fd = openat(dirfd, "config.json", O_WRONLY | O_TRUNC | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(ftruncate(fd, 16 * 1024 * 1024 + 1), 0);
        assert_load_fails(dirfd, "config.json: larger than 16 MiB");
        ck_assert_int_eq(unlinkat(dirfd, "config.json", 0), 0);
        write_file(dirfd, "real.json", runc_spec);
        ck_assert_int_eq(symlinkat("real.json", dirfd, "config.json"), 0);
        assert_load_fails(dirfd, "config.json: Too many levels of symbolic links");
        ck_assert_int_eq(unlinkat(dirfd, "config.json", 0), 0);
        ck_assert_int_eq(unlinkat(dirfd, "real.json", 0), 0);
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_free_null)
{
        spec_free(NULL);
}
END_TEST

static Suite *spec_suite(void)
{
        Suite *s = suite_create("spec");
        TCase *tc = tcase_create("parse");

        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_runc_spec);
        tcase_add_test(tc, test_runc_spec_rootless);
        tcase_add_test(tc, test_podman_like);
        tcase_add_test(tc, test_net_devices);
        tcase_add_loop_test(tc, test_invalid, 0, (int)ELEMENTSOF(invalid));
        tcase_add_test(tc, test_deep_nesting);
        tcase_add_test(tc, test_nul_byte);
        tcase_add_test(tc, test_long_values_shortened);
        tcase_add_test(tc, test_unknown_and_null_ignored);
        tcase_add_test(tc, test_integer_edges);
        tcase_add_test(tc, test_propagation_and_ns_names);
        tcase_add_test(tc, test_name_tables);
        tcase_add_test(tc, test_every_node_broken);
        tcase_add_test(tc, test_every_truncation);
        tcase_add_test(tc, test_load);
        tcase_add_test(tc, test_free_null);
        tcase_add_test(tc, test_process_file);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        return unit_run(spec_suite());
}
