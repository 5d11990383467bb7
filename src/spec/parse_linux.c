/* spec/parse_linux: the "linux" object of config.json except resources and
 * seccomp (parse_resources.c, parse_seccomp.c): namespaces, id mappings, time
 * offsets, devices, paths, personality, netDevices, and the rules tying them. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "spec/parse.h"
#include "util/cleanup.h"

/* ---- namespaces --------------------------------------------------------- */

static const struct sf_field ns_path_field =
        SF_STR("path", struct spec_namespace, path, .check = sf_check_abs_path);

static int parse_namespace(const struct jp *at, json_val v, struct spec_namespace *ns)
{
        const struct jp *type_at = JP_AT_FIELD(at, "type");
        json_val tv;
        int r, t;

        if (!YAJL_IS_OBJECT(v))
                return jp_fail_type(at, v, "object");
        tv = sf_get(v, "type");
        if (!tv)
                return jp_fail(type_at, "required");
        r = sf_name(type_at, tv, spec_ns_from_name, "namespace type", &t);
        if (r < 0)
                return r;
        if (ns[t].present)
                return jp_fail(at, "duplicate namespace type \"%s\"", spec_ns_name((enum spec_ns_type)t));
        ns[t].present = true;
        return sf_parse_field(JP_AT_FIELD(at, "path"), sf_get(v, "path"), &ns_path_field, &ns[t]);
}

static int parse_namespaces(const struct jp *at, json_val v, void *p)
{
        int r;

        if (!YAJL_IS_ARRAY(v))
                return jp_fail_type(at, v, "array");
        for (size_t i = 0; i < v->u.array.len; i++) {
                r = parse_namespace(JP_AT_INDEX(at, i), v->u.array.values[i], p);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- id mappings, time offsets ------------------------------------------ */

/* A zero-sized range is refused by the kernel when the map is written; say
 * so while the JSON path is still known. */
static const struct sf_field idmap_fields[] = {
        SF_INT("containerID", struct spec_id_mapping, container_id, 0, UINT32_MAX, .flags = SF_REQUIRED),
        SF_INT("hostID", struct spec_id_mapping, host_id, 0, UINT32_MAX, .flags = SF_REQUIRED),
        SF_INT("size", struct spec_id_mapping, size, 1, UINT32_MAX, .flags = SF_REQUIRED),
};
const struct sf_table spec_idmap_table = SF_TABLE(idmap_fields, NULL);

static const struct sf_field time_offset_fields[] = {
        SF_INT("secs", struct spec_time_offset, secs, SF_I64_MIN, SF_I64_MAX),
        SF_INT("nanosecs", struct spec_time_offset, nanosecs, 0, 999999999),
};
static const struct sf_table time_offset_table = SF_TABLE(time_offset_fields, NULL);

static int parse_time_offsets(const struct jp *at, json_val v, void *base)
{
        struct spec_linux *l = base;
        int r;

        if (!YAJL_IS_OBJECT(v))
                return jp_fail_type(at, v, "object");
        for (size_t i = 0; i < v->u.object.len; i++) {
                const struct jp *kat = JP_AT_KEY(at, v->u.object.keys[i]);
                int clock = spec_time_clock_from_name(v->u.object.keys[i]);
                struct spec_time_offset *o = clock == 0 ? &l->time_offsets_monotonic : &l->time_offsets_boottime;

                if (clock < 0)
                        return jp_fail_unknown(kat, "clock", v->u.object.keys[i]);
                r = sf_parse_object(kat, v->u.object.values[i], &time_offset_table, o);
                if (r < 0)
                        return r;
                o->set = true;
        }
        return 0;
}

/* ---- devices ------------------------------------------------------------ */

static int parse_device_type(const struct jp *at, json_val v, void *p)
{
        return sf_char_in(at, v, "cbup", "device type", p);
}

/* A FIFO needs no numbers; every other node does. */
static int device_post(const struct jp *at, json_val v, void *base)
{
        const struct spec_device *d = base;

        if (d->type == 'p')
                return 0;
        if (!sf_get(v, "major"))
                return jp_fail(JP_AT_FIELD(at, "major"), "required");
        if (!sf_get(v, "minor"))
                return jp_fail(JP_AT_FIELD(at, "minor"), "required");
        return 0;
}

static const struct sf_field device_fields[] = {
        SF_FN("type", struct spec_device, type, parse_device_type, .flags = SF_REQUIRED),
        SF_STR("path", struct spec_device, path, .flags = SF_REQUIRED, .check = sf_check_abs_path),
        SF_INT("major", struct spec_device, major, SF_I64_MIN, SF_I64_MAX),
        SF_INT("minor", struct spec_device, minor, SF_I64_MIN, SF_I64_MAX),
        SF_OPT_U64("fileMode", struct spec_device, file_mode, UINT32_MAX),
        SF_OPT_U64("uid", struct spec_device, uid, UINT32_MAX),
        SF_OPT_U64("gid", struct spec_device, gid, UINT32_MAX),
};
static const struct sf_table device_table = SF_TABLE(device_fields, device_post);

/* ---- rootfsPropagation, personality ------------------------------------- */

static int parse_propagation(const struct jp *at, json_val v, void *base)
{
        struct spec_linux *l = base;
        int r, x;

        r = sf_name(at, v, spec_propagation_from_name, "rootfs propagation", &x);
        if (r < 0)
                return r;
        l->rootfs_propagation = (enum spec_propagation)(x & ~SPEC_PROP_RECURSIVE_BIT);
        l->rootfs_propagation_recursive = x & SPEC_PROP_RECURSIVE_BIT;
        return 0;
}

/* runtime-spec 1.2 defines no personality flag yet: any one is unknown. */
static int parse_personality_flags(const struct jp *at, json_val v, void *p)
{
        const char *s;
        int r;

        if (!YAJL_IS_ARRAY(v))
                return jp_fail_type(at, v, "array");
        if (v->u.array.len == 0)
                return 0;
        r = sf_string(JP_AT_INDEX(at, 0), v->u.array.values[0], &s);
        if (r < 0)
                return r;
        return jp_fail_unknown(JP_AT_INDEX(at, 0), "personality flag", s);
}

static const struct sf_field personality_fields[] = {
        SF_NAME("domain", struct spec_linux, personality.domain, spec_personality_from_name,
                "personality domain", .flags = SF_REQUIRED),
        SF_FN_BASE("flags", parse_personality_flags),
};
static const struct sf_table personality_table = SF_TABLE(personality_fields, NULL);

/* ---- names that end up in paths ----------------------------------------- */

/* Interface names as the kernel takes them (dev_valid_name()): at most
 * IFNAMSIZ - 1 bytes, not "." or "..", no '/', ':' or white space. */
static int check_ifname(const struct jp *at, const char *s)
{
        size_t len = strlen(s);
        bool ok = len > 0 && len < 16 && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;

        for (const char *c = s; ok && *c; c++)
                ok = *c != '/' && *c != ':' && !isspace((unsigned char)*c);
        if (!ok)
                return jp_fail_got(at, "a network interface name", s);
        return 0;
}

/* Keys become paths under /proc/sys: refuse anything that could climb out. */
static int check_sysctl_key(const struct jp *at, const char *s)
{
        if (s[0] == '/' || s[0] == '.' || strstr(s, ".."))
                return jp_fail_got(at, "a sysctl name", s);
        return 0;
}

static const struct sf_field netdev_fields[] = {
        SF_STR("name", struct spec_net_device, name, .check = check_ifname),
};
static const struct sf_table netdev_table = SF_TABLE(netdev_fields, NULL);

/* ---- cross-field rules -------------------------------------------------- */

static bool ns_created(const struct spec_linux *l, enum spec_ns_type t)
{
        return l->ns[t].present && !l->ns[t].path;
}

/* Mappings are written for a user namespace berth creates; one that is joined
 * already has its own, and a new one without them leaves every id unmapped. */
static int check_mappings(const struct jp *at, const struct spec_linux *l)
{
        bool created = ns_created(l, SPEC_NS_USER);

        if (!created && l->n_uid_mappings > 0)
                return jp_fail(JP_AT_FIELD(at, "uidMappings"), "requires a new user namespace");
        if (!created && l->n_gid_mappings > 0)
                return jp_fail(JP_AT_FIELD(at, "gidMappings"), "requires a new user namespace");
        if (created && l->n_uid_mappings == 0)
                return jp_fail(JP_AT_FIELD(at, "uidMappings"), "required with a new user namespace");
        if (created && l->n_gid_mappings == 0)
                return jp_fail(JP_AT_FIELD(at, "gidMappings"), "required with a new user namespace");
        return 0;
}

/* Interfaces move into a network namespace berth makes; two may not end
 * up with one name there. */
static int check_net_devices(const struct jp *at, const struct spec_linux *l)
{
        if (l->n_net_devices > 0 && !ns_created(l, SPEC_NS_NET))
                return jp_fail(JP_AT_FIELD(at, "netDevices"), "requires a new network namespace");
        for (size_t i = 0; i < l->n_net_devices; i++) {
                const struct spec_net_device *a = &l->net_devices[i];
                const char *name = a->name ? a->name : a->host_name;

                for (size_t j = 0; j < i; j++) {
                        const struct spec_net_device *b = &l->net_devices[j];

                        if (strcmp(name, b->name ? b->name : b->host_name) == 0)
                                return jp_fail(JP_AT_FIELD(JP_AT_FIELD(at, "netDevices"), a->host_name),
                                               "the name \"%s\" is already given to \"%s\"", name, b->host_name);
                }
        }
        return 0;
}

static int linux_post(const struct jp *at, json_val v, void *base)
{
        const struct spec_linux *l = base;
        int r = check_mappings(at, l);

        if (r < 0)
                return r;
        /* Offsets can only be written before the first process enters a new
         * time namespace (time_namespaces(7)). */
        if ((l->time_offsets_monotonic.set || l->time_offsets_boottime.set) && !ns_created(l, SPEC_NS_TIME))
                return jp_fail(JP_AT_FIELD(at, "timeOffsets"), "requires a new time namespace");
        return check_net_devices(at, l);
}

static const struct sf_field linux_fields[] = {
        SF_FN("namespaces", struct spec_linux, ns, parse_namespaces),
        SF_ARRAY("uidMappings", struct spec_linux, uid_mappings, &spec_idmap_table),
        SF_ARRAY("gidMappings", struct spec_linux, gid_mappings, &spec_idmap_table),
        SF_FN_BASE("timeOffsets", parse_time_offsets),
        SF_ARRAY("devices", struct spec_linux, devices, &device_table),
        SF_STR("cgroupsPath", struct spec_linux, cgroups_path),
        SF_OBJ("resources", struct spec_linux, resources, &spec_resources_table,
               SF_PRESENT_AT(struct spec_linux, resources.present)),
        SF_MAP("sysctl", struct spec_linux, sysctl, key, NULL, .fn = sf_kv_value, .check = check_sysctl_key),
        SF_OBJ("seccomp", struct spec_linux, seccomp, &spec_seccomp_table,
               SF_PRESENT_AT(struct spec_linux, seccomp.present)),
        SF_FN_BASE("rootfsPropagation", parse_propagation),
        SF_STRV("maskedPaths", struct spec_linux, masked_paths, .check = sf_check_abs_path),
        SF_STRV("readonlyPaths", struct spec_linux, readonly_paths, .check = sf_check_abs_path),
        SF_STR("mountLabel", struct spec_linux, mount_label),
        SF_INLINE("personality", &personality_table, SF_PRESENT_AT(struct spec_linux, personality.set)),
        SF_MAP("netDevices", struct spec_linux, net_devices, host_name, &netdev_table, .check = check_ifname),
        SF_FN("intelRdt", struct spec_linux, has_intel_rdt, sf_presence),
};
const struct sf_table spec_linux_table = SF_TABLE(linux_fields, linux_post);
