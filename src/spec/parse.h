/* spec/parse.h: internal to src/spec. The table-driven JSON walker that turns
 * yajl trees into the structs of spec.h, and the name tables the parser uses
 * that are not part of the public API. Nothing outside src/spec includes it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec/spec.h"
#include "util/json.h"

/* ---- where we are in the document --------------------------------------- */

/* One step of a JSON path, on the C stack: a chain of these names the value
 * being parsed, and is only turned into text when an error is reported. */
enum jp_kind { JP_ROOT, JP_FIELD, JP_INDEX, JP_KEY };

struct jp_ctx {
        const char *file;
        struct berr *e;
};

struct jp {
        const struct jp *up;
        enum jp_kind kind;
        const char *name;               /* JP_FIELD, JP_KEY */
        size_t index;                   /* JP_INDEX */
        const struct jp_ctx *ctx;
};

#define JP_AT_FIELD(at, n) (&(struct jp){ .up = (at), .kind = JP_FIELD, .name = (n), .ctx = (at)->ctx })
#define JP_AT_INDEX(at, i) (&(struct jp){ .up = (at), .kind = JP_INDEX, .index = (i), .ctx = (at)->ctx })
#define JP_AT_KEY(at, k) (&(struct jp){ .up = (at), .kind = JP_KEY, .name = (k), .ctx = (at)->ctx })

/* "<file>: <path>: <message>" into the error record; returns -EINVAL. */
int jp_fail(const struct jp *at, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "expected <want>, got <JSON type of v>". */
int jp_fail_type(const struct jp *at, json_val v, const char *want);

/* "expected <what>, got "<s>"" and "unknown <noun> "<s>"". The config's
 * text is quoted, escaped and shortened: it is untrusted and ends up in logs. */
int jp_fail_got(const struct jp *at, const char *what, const char *s);
int jp_fail_unknown(const struct jp *at, const char *noun, const char *s);

/* ---- field tables ------------------------------------------------------- */

enum sf_kind {
        SK_BOOL,        /* bool */
        SK_OPT_BOOL,    /* opt_bool */
        SK_INT,         /* any integer member of .size bytes, within .min...max */
        SK_OPT_I64,     /* opt_i64 within .min...max */
        SK_OPT_U64,     /* opt_u64 within .min...max */
        SK_STR,         /* char *; optional "" is stored as NULL (absent) */
        SK_STRV,        /* char ** NULL-terminated, count at .off_n */
        SK_NAME,        /* string looked up with .lookup, stored in a .size-byte member */
        SK_FLAGS,       /* array of names OR-ed into a .size-byte mask */
        SK_OBJ,         /* nested object: .sub applied at base + .off */
        SK_ARRAY,       /* array of .size-byte elements, count at .off_n */
        SK_MAP,         /* object of arbitrary keys: elements as SK_ARRAY, key at .key_off */
        SK_FN,          /* anything else: .fn(at, v, base + .off) */
};

#define SF_REQUIRED     (1u << 0)
#define SF_NONEMPTY     (1u << 1)       /* arrays and required strings: not empty */
#define SF_ALWAYS       (1u << 2)       /* SK_STRV: an empty list when absent */
#define SF_BITNUM       (1u << 3)       /* SK_FLAGS: lookup gives a bit number, not a mask */

struct sf_table;
typedef int (*sf_fn)(const struct jp *at, json_val v, void *p);
/* Extra check on a string (an element of a list, a map key...). */
typedef int (*sf_check)(const struct jp *at, const char *s);

struct sf_field {
        const char *name;
        enum sf_kind kind;
        unsigned flags;
        size_t off;
        size_t off_n;                   /* SK_STRV, SK_ARRAY, SK_MAP: size_t count */
        size_t size;                    /* SK_INT, SK_FLAGS: member size; SK_ARRAY, SK_MAP: element size */
        size_t key_off;                 /* SK_MAP: char * in the element that takes the key */
        bool has_present;               /* set the bool at .present_off when present */
        size_t present_off;
        int64_t min;
        uint64_t max;
        const struct sf_table *sub;     /* SK_OBJ; SK_ARRAY, SK_MAP elements (or .fn) */
        sf_fn fn;
        int (*lookup)(const char *name);        /* SK_NAME, SK_FLAGS: -1 when unknown */
        const char *noun;                       /* "unknown <noun> ..." */
        sf_check check;                 /* SK_STR, SK_STRV items, SK_MAP keys */
};

struct sf_table {
        const struct sf_field *fields;
        size_t n_fields;
        /* Runs after the fields, for rules that span them; at is the object. */
        int (*post)(const struct jp *at, json_val v, void *base);
};

#define SF_TABLE(f, p) { .fields = (f), .n_fields = sizeof(f) / sizeof((f)[0]), .post = (p) }

#define SF_MEMBER_SIZE(T, m) sizeof(((T *)0)->m)

#define SF_BOOL(n, T, m, ...) { .name = n, .kind = SK_BOOL, .off = offsetof(T, m), __VA_ARGS__ }
#define SF_OPT_BOOL(n, T, m) { .name = n, .kind = SK_OPT_BOOL, .off = offsetof(T, m) }
#define SF_INT(n, T, m, lo, hi, ...) { .name = n, .kind = SK_INT, .off = offsetof(T, m), \
        .size = SF_MEMBER_SIZE(T, m), .min = (lo), .max = (hi), __VA_ARGS__ }
#define SF_OPT_I64(n, T, m, lo, hi, ...) { .name = n, .kind = SK_OPT_I64, .off = offsetof(T, m), \
        .min = (lo), .max = (hi), __VA_ARGS__ }
#define SF_OPT_U64(n, T, m, hi, ...) { .name = n, .kind = SK_OPT_U64, .off = offsetof(T, m), \
        .min = 0, .max = (hi), __VA_ARGS__ }
#define SF_STR(n, T, m, ...) { .name = n, .kind = SK_STR, .off = offsetof(T, m), __VA_ARGS__ }
#define SF_STRV(n, T, m, ...) { .name = n, .kind = SK_STRV, .off = offsetof(T, m), \
        .off_n = offsetof(T, n_##m), __VA_ARGS__ }
#define SF_NAME(n, T, m, lk, what, ...) { .name = n, .kind = SK_NAME, .off = offsetof(T, m), \
        .size = SF_MEMBER_SIZE(T, m), .lookup = (lk), .noun = (what), __VA_ARGS__ }
#define SF_FLAGS(n, T, m, lk, what, ...) { .name = n, .kind = SK_FLAGS, .off = offsetof(T, m), \
        .size = SF_MEMBER_SIZE(T, m), .lookup = (lk), .noun = (what), __VA_ARGS__ }
#define SF_OBJ(n, T, m, tbl, ...) { .name = n, .kind = SK_OBJ, .off = offsetof(T, m), .sub = (tbl), __VA_ARGS__ }
/* A nested object whose members live directly in T (not in a sub-struct). */
#define SF_INLINE(n, tbl, ...) { .name = n, .kind = SK_OBJ, .off = 0, .sub = (tbl), __VA_ARGS__ }
#define SF_ARRAY_N(n, T, m, cnt, tbl, ...) { .name = n, .kind = SK_ARRAY, .off = offsetof(T, m), \
        .off_n = offsetof(T, cnt), .size = sizeof(*((T *)0)->m), .sub = (tbl), __VA_ARGS__ }
#define SF_ARRAY(n, T, m, tbl, ...) SF_ARRAY_N(n, T, m, n_##m, tbl, __VA_ARGS__)
#define SF_MAP(n, T, m, key, tbl, ...) { .name = n, .kind = SK_MAP, .off = offsetof(T, m), \
        .off_n = offsetof(T, n_##m), .size = sizeof(*((T *)0)->m), \
        .key_off = offsetof(__typeof__(*((T *)0)->m), key), .sub = (tbl), __VA_ARGS__ }
#define SF_FN(n, T, m, f, ...) { .name = n, .kind = SK_FN, .off = offsetof(T, m), .fn = (f), __VA_ARGS__ }
/* A parser that needs the whole parent struct. */
#define SF_FN_BASE(n, f, ...) { .name = n, .kind = SK_FN, .off = 0, .fn = (f), __VA_ARGS__ }
#define SF_PRESENT_AT(T, m) .has_present = true, .present_off = offsetof(T, m)

#define SF_I64_MIN INT64_MIN
#define SF_I64_MAX ((uint64_t)INT64_MAX)

/* Parse object v with table t into base. */
int sf_parse_object(const struct jp *at, json_val v, const struct sf_table *t, void *base);
/* Parse one field of a table from its member value (absent: v == NULL). */
int sf_parse_field(const struct jp *at, json_val v, const struct sf_field *f, void *base);

/* ---- building blocks for SK_FN parsers ---------------------------------- */

/* Member `key` of obj, NULL when absent or null (Go reads null as absent). */
json_val sf_get(json_val obj, const char *key);

int sf_string(const struct jp *at, json_val v, const char **ret);       /* borrowed from the tree */
int sf_strdup(const struct jp *at, json_val v, char **ret);
/* An integer in min..max, as the bits of its two's complement. */
int sf_integer(const struct jp *at, json_val v, int64_t min, uint64_t max, uint64_t *ret);
/* A string from a closed set: lookup() >= 0, else "unknown <noun> "s"". */
int sf_name(const struct jp *at, json_val v, int (*lookup)(const char *), const char *noun, int *ret);

/* A one-letter string from `set` ("cbup"), else "unknown <noun> ...". */
int sf_char_in(const struct jp *at, json_val v, const char *set, const char *noun, char *ret);
/* SK_FN for map elements that are plain strings: into spec_key_value.value. */
int sf_kv_value(const struct jp *at, json_val v, void *kv);
/* SK_FN for objects only recorded as present: sets the bool. */
int sf_presence(const struct jp *at, json_val v, void *flag);

/* String checks usable as sf_field.check. */
int sf_check_abs_path(const struct jp *at, const char *s);
int sf_check_nonempty(const struct jp *at, const char *s);
int sf_check_env(const struct jp *at, const char *s);          /* "NAME=value" */
int sf_check_cpu_list(const struct jp *at, const char *s);     /* "0-3,7" */

/* Table rows shared between files. */
extern const struct sf_table spec_process_table, spec_linux_table, spec_resources_table,
        spec_seccomp_table, spec_idmap_table;

/* ---- name tables private to the parser (names.c) ------------------------ */

int spec_sched_policy_from_name(const char *name);     /* -> enum spec_sched_policy */
int spec_sched_flag_from_name(const char *name);       /* -> bit number of SCHED_FLAG_* */
int spec_ioprio_class_from_name(const char *name);     /* -> enum spec_ioprio_class */
int spec_personality_from_name(const char *name);      /* "LINUX" -> PER_LINUX */
/* "rshared" -> SPEC_PROP_SHARED | SPEC_PROP_RECURSIVE_BIT */
#define SPEC_PROP_RECURSIVE_BIT 0x100
int spec_propagation_from_name(const char *name);
int spec_time_clock_from_name(const char *name);       /* 0 monotonic, 1 boottime */
