/* spec/parse_table: the table-driven walker under every config.json parser.
 * A table maps member names to offsetof() slots and value kinds; this file
 * checks JSON types and ranges, allocates, and names the JSON path on error. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/parse.h"
#include "util/cleanup.h"
#include "util/cpulist.h"

#define SF_QUOTE_MAX 96

static const char *sf_quote(const char *s, char buf[static SF_QUOTE_MAX])
{
        /* Room kept at the end for an escape, "...", the quote and the NUL. */
        const size_t room = SF_QUOTE_MAX - 12;
        size_t o = 0;

        buf[o++] = '"';
        while (*s && o < room) {
                unsigned char c = (unsigned char)*s;
                size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

                if (c == '"' || c == '\\') {
                        buf[o++] = '\\';
                        buf[o++] = (char)c;
                } else if (c < 0x20 || c == 0x7f) {
                        o += (size_t)snprintf(buf + o, SF_QUOTE_MAX - o, "\\u%04x", c);
                } else {
                        /* Never cut a UTF-8 sequence: the message may go into JSON logs. */
                        if (strnlen(s, n) < n || o + n > room)
                                break;
                        memcpy(buf + o, s, n);
                        o += n;
                        s += n;
                        continue;
                }
                s++;
        }
        if (*s) {
                memcpy(buf + o, "...", 3);
                o += 3;
        }
        buf[o++] = '"';
        buf[o] = '\0';
        return buf;
}

static void jp_print(const struct jp *p, char *buf, size_t size, size_t *len)
{
        char q[SF_QUOTE_MAX];
        int n = 0;

        if (p->up)
                jp_print(p->up, buf, size, len);
        if (*len + 1 >= size)
                return;
        switch (p->kind) {
        case JP_ROOT:
                return;
        case JP_FIELD:
                n = snprintf(buf + *len, size - *len, ".%s", p->name);
                break;
        case JP_INDEX:
                n = snprintf(buf + *len, size - *len, "[%zu]", p->index);
                break;
        case JP_KEY:
                n = snprintf(buf + *len, size - *len, "[%s]", sf_quote(p->name, q));
                break;
        }
        if (n > 0)
                *len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

int jp_fail(const struct jp *at, const char *fmt, ...)
{
        char path[512] = "", msg[BERR_MSG_MAX];
        size_t len = 0;
        va_list ap;

        jp_print(at, path, sizeof(path), &len);
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        return berr_set(at->ctx->e, -EINVAL, "%s: %s: %s", at->ctx->file, len > 0 ? path : ".", msg);
}

int jp_fail_type(const struct jp *at, json_val v, const char *want)
{
        return jp_fail(at, "expected %s, got %s", want, json_type_name(v));
}

int jp_fail_got(const struct jp *at, const char *what, const char *s)
{
        char q[SF_QUOTE_MAX];

        return jp_fail(at, "expected %s, got %s", what, sf_quote(s, q));
}

int jp_fail_unknown(const struct jp *at, const char *noun, const char *s)
{
        char q[SF_QUOTE_MAX];

        return jp_fail(at, "unknown %s %s", noun, sf_quote(s, q));
}

/* ---- scalars ------------------------------------------------------------ */

int sf_string(const struct jp *at, json_val v, const char **ret)
{
        if (!YAJL_IS_STRING(v))
                return jp_fail_type(at, v, "string");
        *ret = v->u.string;
        return 0;
}

int sf_strdup(const struct jp *at, json_val v, char **ret)
{
        const char *s = "";
        int r = sf_string(at, v, &s);

        if (r < 0)
                return r;
        *ret = strdup(s);
        return *ret ? 0 : berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
}

static int sf_range_error(const struct jp *at, int64_t min, uint64_t max, const char *text)
{
        return jp_fail(at, "expected integer in range %" PRId64 "..%" PRIu64 ", got %s", min, max, text);
}

/* yajl keeps every number's text: parsing it ourselves gives the full uint64
 * range (yajl's own integer stops at LLONG_MAX) and tells 1 from 1.0 or 1e0,
 * which Go's decoder (and so runc) rejects for integer fields. */
int sf_integer(const struct jp *at, json_val v, int64_t min, uint64_t max, uint64_t *ret)
{
        const char *t;

        if (!YAJL_IS_NUMBER(v))
                return jp_fail_type(at, v, "integer");
        t = v->u.number.r;
        if (t[strspn(t, "-0123456789")] != '\0')
                return jp_fail(at, "expected integer, got %s", t);
        errno = 0;
        if (t[0] == '-') {
                long long x = strtoll(t, NULL, 10);

                if (errno != 0 || x < min || (x >= 0 && (uint64_t)x > max))
                        return sf_range_error(at, min, max, t);
                *ret = (uint64_t)x;
        } else {
                unsigned long long x = strtoull(t, NULL, 10);

                if (errno != 0 || x > max || (min > 0 && x < (uint64_t)min))
                        return sf_range_error(at, min, max, t);
                *ret = x;
        }
        return 0;
}

int sf_name(const struct jp *at, json_val v, int (*lookup)(const char *), const char *noun, int *ret)
{
        const char *s = "";
        int r = sf_string(at, v, &s);

        if (r < 0)
                return r;
        r = lookup(s);
        if (r < 0)
                return jp_fail_unknown(at, noun, s);
        *ret = r;
        return 0;
}

int sf_char_in(const struct jp *at, json_val v, const char *set, const char *noun, char *ret)
{
        const char *s = "";
        int r = sf_string(at, v, &s);

        if (r < 0)
                return r;
        if (s[0] == '\0' || s[1] != '\0' || !strchr(set, s[0]))
                return jp_fail_unknown(at, noun, s);
        *ret = s[0];
        return 0;
}

int sf_kv_value(const struct jp *at, json_val v, void *kv)
{
        return sf_strdup(at, v, &((struct spec_key_value *)kv)->value);
}

int sf_presence(const struct jp *at, json_val v, void *flag)
{
        if (!YAJL_IS_OBJECT(v))
                return jp_fail_type(at, v, "object");
        *(bool *)flag = true;
        return 0;
}

static int sf_bool(const struct jp *at, json_val v, bool *ret)
{
        if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
                return jp_fail_type(at, v, "boolean");
        *ret = YAJL_IS_TRUE(v);
        return 0;
}

int sf_check_abs_path(const struct jp *at, const char *s)
{
        if (s[0] != '/')
                return jp_fail_got(at, "an absolute path", s);
        return 0;
}

int sf_check_nonempty(const struct jp *at, const char *s)
{
        if (s[0] == '\0')
                return jp_fail_got(at, "a non-empty string", s);
        return 0;
}

/* "0-3,8": sched_setaffinity() takes no other form. */
int sf_check_cpu_list(const struct jp *at, const char *s)
{
        cpu_set_t set;

        if (cpulist_parse(s, &set) < 0)
                return jp_fail_got(at, "a CPU list such as \"0-3,7\"", s);
        return 0;
}

/* execve() would pass "FOO" along, but nothing can read it back as a
 * variable; runc refuses it too. */
int sf_check_env(const struct jp *at, const char *s)
{
        const char *eq = strchr(s, '=');

        if (!eq || eq == s)
                return jp_fail_got(at, "\"NAME=value\"", s);
        return 0;
}

/* Store an in-range integer into a member of its own width. */
static void sf_store_int(void *p, size_t size, uint64_t bits)
{
        uint8_t u8 = (uint8_t)bits;
        uint16_t u16 = (uint16_t)bits;
        uint32_t u32 = (uint32_t)bits;

        switch (size) {
        case 1:
                memcpy(p, &u8, 1);
                break;
        case 2:
                memcpy(p, &u16, 2);
                break;
        case 4:
                memcpy(p, &u32, 4);
                break;
        default:
                memcpy(p, &bits, 8);
                break;
        }
}

/* ---- field kinds -------------------------------------------------------- */

static int sf_parse_str(const struct jp *at, json_val v, const struct sf_field *f, char **out)
{
        const char *s = "";
        int r = sf_string(at, v, &s);

        if (r < 0)
                return r;
        /* Go's encoders write "" for an unset optional string (omitempty
         * aside), and runc reads "" as unset: do the same. */
        if (s[0] == '\0' && !(f->flags & SF_REQUIRED))
                return 0;
        if (f->flags & SF_NONEMPTY) {
                r = sf_check_nonempty(at, s);
                if (r < 0)
                        return r;
        }
        if (f->check) {
                r = f->check(at, s);
                if (r < 0)
                        return r;
        }
        *out = strdup(s);
        return *out ? 0 : berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
}

static int sf_check_array(const struct jp *at, json_val v, const struct sf_field *f)
{
        if (!YAJL_IS_ARRAY(v))
                return jp_fail_type(at, v, "array");
        if ((f->flags & SF_NONEMPTY) && v->u.array.len == 0)
                return jp_fail(at, "expected a non-empty array, got []");
        return 0;
}

static int sf_parse_strv(const struct jp *at, json_val v, const struct sf_field *f, void *base)
{
        char ***out = (char ***)((char *)base + f->off);
        size_t *n_out = (size_t *)((char *)base + f->off_n);
        int r = sf_check_array(at, v, f);

        if (r < 0)
                return r;
        /* Hang the vector on the struct before filling it: on error the
         * caller's spec_free() releases what was built (it stops at NULL). */
        *out = calloc(v->u.array.len + 1, sizeof(char *));
        if (!*out)
                return berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
        *n_out = v->u.array.len;
        for (size_t i = 0; i < v->u.array.len; i++) {
                const struct jp *ai = JP_AT_INDEX(at, i);
                const char *s = "";

                r = sf_string(ai, v->u.array.values[i], &s);
                if (r >= 0 && f->check)
                        r = f->check(ai, s);
                if (r < 0)
                        return r;
                (*out)[i] = strdup(s);
                if (!(*out)[i])
                        return berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
        }
        return 0;
}

static int sf_parse_flags(const struct jp *at, json_val v, const struct sf_field *f, void *base)
{
        uint64_t mask = 0;
        int r = sf_check_array(at, v, f);

        if (r < 0)
                return r;
        for (size_t i = 0; i < v->u.array.len; i++) {
                int bit;

                r = sf_name(JP_AT_INDEX(at, i), v->u.array.values[i], f->lookup, f->noun, &bit);
                if (r < 0)
                        return r;
                mask |= (f->flags & SF_BITNUM) ? UINT64_C(1) << bit : (uint64_t)bit;
        }
        sf_store_int((char *)base + f->off, f->size, mask);
        return 0;
}

static int sf_parse_element(const struct jp *at, json_val v, const struct sf_field *f, void *elem)
{
        return f->sub ? sf_parse_object(at, v, f->sub, elem) : f->fn(at, v, elem);
}

/* Allocate n zeroed elements and hang them on the struct first, so that a
 * failure half-way leaves something spec_free() can release. */
static int sf_alloc_elements(const struct jp *at, const struct sf_field *f, void *base, size_t n, char **ret)
{
        void **out = (void **)((char *)base + f->off);
        size_t *n_out = (size_t *)((char *)base + f->off_n);

        if (n == 0)
                return 0;
        *out = calloc(n, f->size);
        if (!*out)
                return berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
        *n_out = n;
        *ret = *out;
        return 0;
}

static int sf_parse_array(const struct jp *at, json_val v, const struct sf_field *f, void *base)
{
        char *elems = NULL;
        int r = sf_check_array(at, v, f);

        if (r >= 0)
                r = sf_alloc_elements(at, f, base, v->u.array.len, &elems);
        for (size_t i = 0; r >= 0 && i < v->u.array.len; i++)
                r = sf_parse_element(JP_AT_INDEX(at, i), v->u.array.values[i], f, elems + i * f->size);
        return r < 0 ? r : 0;
}

static int sf_parse_map_entry(const struct jp *at, const char *key, json_val v, const struct sf_field *f, char *elem)
{
        char **key_out = (char **)(elem + f->key_off);
        int r;

        if (key[0] == '\0')
                return jp_fail_got(at, "a non-empty key", key);
        if (f->check) {
                r = f->check(at, key);
                if (r < 0)
                        return r;
        }
        *key_out = strdup(key);
        if (!*key_out)
                return berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
        return sf_parse_element(at, v, f, elem);
}

static int sf_parse_map(const struct jp *at, json_val v, const struct sf_field *f, void *base)
{
        char *elems = NULL;
        int r;

        if (!YAJL_IS_OBJECT(v))
                return jp_fail_type(at, v, "object");
        r = sf_alloc_elements(at, f, base, v->u.object.len, &elems);
        for (size_t i = 0; r >= 0 && i < v->u.object.len; i++) {
                const char *key = v->u.object.keys[i];

                r = sf_parse_map_entry(JP_AT_KEY(at, key), key, v->u.object.values[i], f, elems + i * f->size);
        }
        return r < 0 ? r : 0;
}

static int sf_parse_scalar(const struct jp *at, json_val v, const struct sf_field *f, void *p)
{
        uint64_t bits = 0;
        int r, x = 0;

        switch (f->kind) {
        case SK_BOOL:
                return sf_bool(at, v, p);
        case SK_OPT_BOOL:
                r = sf_bool(at, v, &((opt_bool *)p)->v);
                ((opt_bool *)p)->set = r >= 0;
                return r;
        case SK_OPT_I64:
                r = sf_integer(at, v, f->min, f->max, &bits);
                *(opt_i64 *)p = (opt_i64){ .v = (int64_t)bits, .set = r >= 0 };
                return r;
        case SK_OPT_U64:
                r = sf_integer(at, v, f->min, f->max, &bits);
                *(opt_u64 *)p = (opt_u64){ .v = bits, .set = r >= 0 };
                return r;
        case SK_NAME:
                r = sf_name(at, v, f->lookup, f->noun, &x);
                bits = (uint64_t)(int64_t)x;
                break;
        default:
                r = sf_integer(at, v, f->min, f->max, &bits);
                break;
        }
        if (r >= 0)
                sf_store_int(p, f->size, bits);
        return r;
}

static int sf_parse_absent(const struct jp *at, const struct sf_field *f, void *base)
{
        if (f->flags & SF_REQUIRED)
                return jp_fail(at, "required");
        if (f->kind == SK_STRV && (f->flags & SF_ALWAYS)) {
                char ***out = (char ***)((char *)base + f->off);

                *out = calloc(1, sizeof(char *));
                if (!*out)
                        return berr_sys(at->ctx->e, -ENOMEM, "%s", at->ctx->file);
        }
        return 0;
}

int sf_parse_field(const struct jp *at, json_val v, const struct sf_field *f, void *base)
{
        void *p = (char *)base + f->off;

        if (!v)
                return sf_parse_absent(at, f, base);
        if (f->has_present)
                *(bool *)((char *)base + f->present_off) = true;
        switch (f->kind) {
        case SK_STR:
                return sf_parse_str(at, v, f, p);
        case SK_STRV:
                return sf_parse_strv(at, v, f, base);
        case SK_FLAGS:
                return sf_parse_flags(at, v, f, base);
        case SK_OBJ:
                return sf_parse_object(at, v, f->sub, p);
        case SK_ARRAY:
                return sf_parse_array(at, v, f, base);
        case SK_MAP:
                return sf_parse_map(at, v, f, base);
        case SK_FN:
                return f->fn(at, v, p);
        default:
                return sf_parse_scalar(at, v, f, p);
        }
}

json_val sf_get(json_val obj, const char *key)
{
        json_val m = json_get(obj, key);

        /* null is "absent", as Go's decoder (and so runc) reads it. */
        return m && YAJL_IS_NULL(m) ? NULL : m;
}

int sf_parse_object(const struct jp *at, json_val v, const struct sf_table *t, void *base)
{
        int r;

        if (!YAJL_IS_OBJECT(v))
                return jp_fail_type(at, v, "object");
        for (size_t i = 0; i < t->n_fields; i++) {
                const struct sf_field *f = &t->fields[i];

                r = sf_parse_field(JP_AT_FIELD(at, f->name), sf_get(v, f->name), f, base);
                if (r < 0)
                        return r;
        }
        return t->post ? t->post(at, v, base) : 0;
}
