/* spec/parse: the entry points (spec_load, spec_parse) and the top level of
 * config.json: ociVersion, root, process, hostname, mounts, hooks and
 * annotations. The "process" and "linux" objects have their own files. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "spec/parse.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define SPEC_MAX_SIZE (16u * 1024 * 1024)

static const struct sf_field root_fields[] = {
        SF_STR("path", struct spec_root, path, .flags = SF_REQUIRED | SF_NONEMPTY),
        SF_BOOL("readonly", struct spec_root, readonly),
};
static const struct sf_table root_table = SF_TABLE(root_fields, NULL);

/* An idmapped mount needs both maps (mount_setattr() takes one user
 * namespace carrying both). */
static int mount_post(const struct jp *at, json_val v, void *base)
{
        const struct spec_mount *m = base;

        if (m->n_uid_mappings > 0 && m->n_gid_mappings == 0)
                return jp_fail(JP_AT_FIELD(at, "gidMappings"), "required with uidMappings");
        if (m->n_gid_mappings > 0 && m->n_uid_mappings == 0)
                return jp_fail(JP_AT_FIELD(at, "uidMappings"), "required with gidMappings");
        return 0;
}

static const struct sf_field mount_fields[] = {
        SF_STR("destination", struct spec_mount, destination, .flags = SF_REQUIRED, .check = sf_check_abs_path),
        SF_STR("type", struct spec_mount, type),
        SF_STR("source", struct spec_mount, source),
        SF_STRV("options", struct spec_mount, options),
        SF_ARRAY("uidMappings", struct spec_mount, uid_mappings, &spec_idmap_table),
        SF_ARRAY("gidMappings", struct spec_mount, gid_mappings, &spec_idmap_table),
};
static const struct sf_table mount_table = SF_TABLE(mount_fields, mount_post);

static const struct sf_field hook_fields[] = {
        SF_STR("path", struct spec_hook, path, .flags = SF_REQUIRED, .check = sf_check_abs_path),
        SF_STRV("args", struct spec_hook, args, .flags = SF_ALWAYS),
        SF_STRV("env", struct spec_hook, env, .flags = SF_ALWAYS, .check = sf_check_env),
        SF_OPT_I64("timeout", struct spec_hook, timeout, 1, INT32_MAX),
};
static const struct sf_table hook_table = SF_TABLE(hook_fields, NULL);

/* One descriptor serves the six lists; the member name comes from names.c. */
static const struct sf_field hook_list_field =
        SF_ARRAY_N("", struct spec_hook_list, hooks, n, &hook_table);

static int parse_hooks(const struct jp *at, json_val v, void *p)
{
        struct spec_hook_list *lists = p;
        int r;

        if (!YAJL_IS_OBJECT(v))
                return jp_fail_type(at, v, "object");
        for (int k = 0; k < SPEC_HOOK__MAX; k++) {
                const char *name = spec_hook_name((enum spec_hook_kind)k);

                r = sf_parse_field(JP_AT_FIELD(at, name), sf_get(v, name), &hook_list_field, &lists[k]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* sethostname() outside a UTS namespace would rename the host, and the
 * kernel takes at most 64 bytes (__NEW_UTS_LEN) for either name: say so
 * here, not as an EINVAL from inside the container. */
static int spec_check_uts_name(const struct jp *at, const char *name, const struct spec *s)
{
        const char *v = strcmp(name, "hostname") == 0 ? s->hostname : s->domainname;

        if (!v)
                return 0;
        if (!s->linux.ns[SPEC_NS_UTS].present)
                return jp_fail(JP_AT_FIELD(at, name), "requires a uts namespace");
        if (strlen(v) > 64)
                return jp_fail(JP_AT_FIELD(at, name), "expected at most 64 bytes, got %zu", strlen(v));
        return 0;
}

static int spec_post(const struct jp *at, json_val v, void *base)
{
        int r = spec_check_uts_name(at, "hostname", base);

        return r < 0 ? r : spec_check_uts_name(at, "domainname", base);
}

static const struct sf_field spec_fields[] = {
        SF_STR("ociVersion", struct spec, oci_version),
        SF_OBJ("process", struct spec, process, &spec_process_table, .flags = SF_REQUIRED,
               SF_PRESENT_AT(struct spec, has_process)),
        SF_OBJ("root", struct spec, root, &root_table, .flags = SF_REQUIRED),
        SF_STR("hostname", struct spec, hostname),
        SF_STR("domainname", struct spec, domainname),
        SF_ARRAY("mounts", struct spec, mounts, &mount_table),
        SF_FN("hooks", struct spec, hooks, parse_hooks),
        SF_MAP("annotations", struct spec, annotations, key, NULL, .fn = sf_kv_value),
        SF_OBJ("linux", struct spec, linux, &spec_linux_table),
};
static const struct sf_table spec_table = SF_TABLE(spec_fields, spec_post);

/* yajl hands strings over NUL-terminated, so "a\u0000b" would silently
 * arrive as "a": a path or an argument cut short. Refuse it up front. A
 * backslash always starts an escape in valid JSON, so skipping the escaped
 * character is enough to find every "\u0000". */
static bool has_nul_escape(const char *buf, size_t len)
{
        for (size_t i = 0; i + 1 < len; i++) {
                if (buf[i] != '\\')
                        continue;
                if (buf[i + 1] == 'u' && len - i >= 6 && memcmp(buf + i + 2, "0000", 4) == 0)
                        return true;
                i++;
        }
        return false;
}

/* JSON text into a table's struct, with the checks every input gets (a
 * config.json, or one of its objects in a file of its own: exec --process,
 * update --resources) and errors naming file and JSON path. */
static int spec_parse_tree(const char *file, const char *buf, size_t len, const struct sf_table *table, void *ret,
                           json_val *ret_tree, struct berr *e)
{
        _cleanup_json_ json_val root = NULL;
        const struct jp_ctx ctx = { .file = file, .e = e };
        const struct jp top = { .kind = JP_ROOT, .ctx = &ctx };
        int r;

        if (len == 0)
                buf = "";       /* a NULL buffer may come with no bytes */
        if (has_nul_escape(buf, len))
                return berr_set(e, -EINVAL, "%s: invalid JSON: \\u0000 in a string is not supported", file);
        r = json_parse(file, buf, len, &root, e);
        if (r < 0)
                return r;
        r = sf_parse_object(&top, root, table, ret);
        if (r == 0 && ret_tree)
                *ret_tree = TAKE_PTR(root);
        return r;
}

static int spec_parse_part(const char *file, const char *buf, size_t len, const struct sf_table *table, void *ret,
                           struct berr *e)
{
        return spec_parse_tree(file, buf, len, table, ret, NULL, e);
}

int spec_parse(const char *file, const char *buf, size_t len, struct spec **ret, struct berr *e)
{
        _cleanup_spec_ struct spec *s = calloc(1, sizeof(*s));
        json_val tree = NULL;
        int r;

        if (!s)
                return berr_sys(e, -ENOMEM, "%s", file);
        r = spec_parse_tree(file, buf, len, &spec_table, s, &tree, e);
        if (r < 0)
                return r;
        s->parse_tree = tree;
        *ret = TAKE_PTR(s);
        return 0;
}

int spec_load_text(int bundle_dirfd, struct spec **ret, char **ret_text, size_t *ret_len, struct berr *e)
{
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        int r;

        r = fs_read_at(bundle_dirfd, "config.json", SPEC_MAX_SIZE, &buf, &len);
        if (r == -EFBIG)
                return berr_set(e, r, "config.json: larger than %u MiB", SPEC_MAX_SIZE >> 20);
        if (r < 0)
                return berr_sys(e, r, "config.json");
        r = spec_parse("config.json", buf, len, ret, e);
        if (r < 0)
                return r;
        if (ret_text) {
                *ret_text = TAKE_PTR(buf);
                *ret_len = len;
        }
        return 0;
}

int spec_load(int bundle_dirfd, struct spec **ret, struct berr *e)
{
        return spec_load_text(bundle_dirfd, ret, NULL, NULL, e);
}

int spec_parse_process(const char *file, const char *buf, size_t len, struct spec_process *ret, struct berr *e)
{
        struct spec_process p = {};
        int r = spec_parse_part(file, buf, len, &spec_process_table, &p, e);

        if (r < 0) {
                spec_process_free(&p);
                return r;
        }
        *ret = p;
        return 0;
}

int spec_resources_parse(const char *file, const char *buf, size_t len, struct spec_resources *ret, struct berr *e)
{
        int r;

        *ret = (struct spec_resources){};
        r = spec_parse_part(file, buf, len, &spec_resources_table, ret, e);
        if (r < 0) {
                spec_resources_free(ret);
                *ret = (struct spec_resources){};
                return r;
        }
        ret->present = true;
        return 0;
}
