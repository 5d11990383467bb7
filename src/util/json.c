/* json: yajl wrapped once (see json.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "util/cleanup.h"
#include "util/json.h"

/* Reject nesting deeper than JSON_MAX_DEPTH before yajl builds a tree.
 * Brackets inside strings do not count; escapes are skipped. */
static int json_check_depth(const char *buf, size_t len)
{
        bool in_str = false;
        int depth = 0;

        for (size_t i = 0; i < len; i++) {
                char c = buf[i];

                if (in_str) {
                        if (c == '\\')
                                i++;
                        else if (c == '"')
                                in_str = false;
                } else if (c == '"') {
                        in_str = true;
                } else if (c == '{' || c == '[') {
                        if (++depth > JSON_MAX_DEPTH)
                                return -1;
                } else if (c == '}' || c == ']') {
                        depth--;
                }
        }
        return 0;
}

static int json_cmp_keys(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first key that appears twice in obj, or NULL. Small objects compare
 * pairwise; large ones (annotations can hold thousands) sort a copy. */
static const char *json_object_duplicate(json_val obj, int *ret_err)
{
        size_t n = obj->u.object.len;
        _cleanup_free_ const char **keys = NULL;

        if (n <= 16) {
                for (size_t i = 1; i < n; i++)
                        for (size_t j = 0; j < i; j++)
                                if (strcmp(obj->u.object.keys[i], obj->u.object.keys[j]) == 0)
                                        return obj->u.object.keys[i];
                return NULL;
        }
        keys = malloc(n * sizeof(*keys));
        if (!keys) {
                *ret_err = -ENOMEM;
                return NULL;
        }
        memcpy(keys, obj->u.object.keys, n * sizeof(*keys));
        qsort(keys, n, sizeof(*keys), json_cmp_keys);
        for (size_t i = 1; i < n; i++)
                if (strcmp(keys[i], keys[i - 1]) == 0)
                        return keys[i];
        return NULL;
}

/* A key given twice is refused: yajl keeps both and a reader would pick one
 * silently, so two programs could read one config differently. The
 * recursion is bounded by JSON_MAX_DEPTH. */
static int json_check_duplicates(const char *file, json_val v, struct berr *e)
{
        size_t n = 0;
        json_val *values = NULL;
        int r = 0;

        if (YAJL_IS_OBJECT(v)) {
                const char *dup = json_object_duplicate(v, &r);

                if (r < 0)
                        return berr_sys(e, r, "%s", file);
                if (dup)
                        return berr_set(e, -EINVAL, "%s: invalid JSON: duplicate key \"%.64s\"", file, dup);
                n = v->u.object.len;
                values = v->u.object.values;
        } else if (YAJL_IS_ARRAY(v)) {
                n = v->u.array.len;
                values = v->u.array.values;
        }
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = json_check_duplicates(file, values[i], e);
        return r;
}

int json_parse(const char *file, const char *buf, size_t len, json_val *ret, struct berr *e)
{
        int r;

        _cleanup_free_ char *copy = NULL;
        char errbuf[512] = "";
        json_val v;

        if (len > 0 && memchr(buf, '\0', len))
                return berr_set(e, -EINVAL, "%s: invalid JSON: contains a NUL byte", file);
        if (json_check_depth(buf, len) < 0)
                return berr_set(e, -EINVAL, "%s: invalid JSON: nested deeper than %d levels", file, JSON_MAX_DEPTH);
        copy = strndup(buf, len);
        if (!copy)
                return berr_sys(e, -ENOMEM, "%s", file);
        v = yajl_tree_parse(copy, errbuf, sizeof(errbuf));
        if (!v) {
                /* yajl's message spans lines (it quotes the input); keep the first. */
                errbuf[strcspn(errbuf, "\n")] = '\0';
                return berr_set(e, -EINVAL, "%s: invalid JSON: %s", file,
                                errbuf[0] ? errbuf : "parse error");
        }
        r = json_check_duplicates(file, v, e);
        if (r < 0) {
                yajl_tree_free(v);
                return r;
        }
        *ret = v;
        return 0;
}

json_val json_get(json_val obj, const char *key)
{
        if (!YAJL_IS_OBJECT(obj))
                return NULL;
        for (size_t i = 0; i < obj->u.object.len; i++)
                if (strcmp(obj->u.object.keys[i], key) == 0)
                        return obj->u.object.values[i];
        return NULL;
}

const char *json_type_name(json_val v)
{
        if (!v || YAJL_IS_NULL(v))
                return "null";
        if (YAJL_IS_OBJECT(v))
                return "object";
        if (YAJL_IS_ARRAY(v))
                return "array";
        if (YAJL_IS_STRING(v))
                return "string";
        if (YAJL_IS_NUMBER(v))
                return "number";
        return "boolean";
}

struct jw {
        yajl_gen g;
        int err;
        bool pretty;
        char *text;                     /* jw_text's tidied copy (pretty only) */
};

struct jw *jw_new(enum jw_style style)
{
        struct jw *w = calloc(1, sizeof(*w));

        if (!w)
                return NULL;
        w->g = yajl_gen_alloc(NULL);
        if (!w->g) {
                free(w);
                return NULL;
        }
        if (style != JW_COMPACT) {
                w->pretty = true;
                yajl_gen_config(w->g, yajl_gen_beautify, 1);
                yajl_gen_config(w->g, yajl_gen_indent_string, style == JW_PRETTY_TAB ? "\t" : "  ");
        }
        /* Write the caller's strings as given (state and logs carry them
         * through); config input is validated as UTF-8 when parsed. */
        yajl_gen_config(w->g, yajl_gen_validate_utf8, 0);
        return w;
}

void jw_free(struct jw *w)
{
        if (!w)
                return;
        yajl_gen_free(w->g);
        free(w->text);
        free(w);
}

static void jw_check(struct jw *w, yajl_gen_status st)
{
        if (st != yajl_gen_status_ok && !w->err)
                w->err = st;
}

void jw_obj_begin(struct jw *w) { jw_check(w, yajl_gen_map_open(w->g)); }
void jw_obj_end(struct jw *w) { jw_check(w, yajl_gen_map_close(w->g)); }
void jw_arr_begin(struct jw *w) { jw_check(w, yajl_gen_array_open(w->g)); }
void jw_arr_end(struct jw *w) { jw_check(w, yajl_gen_array_close(w->g)); }
void jw_null(struct jw *w) { jw_check(w, yajl_gen_null(w->g)); }
void jw_bool(struct jw *w, bool v) { jw_check(w, yajl_gen_bool(w->g, v)); }
void jw_int(struct jw *w, int64_t v) { jw_check(w, yajl_gen_integer(w->g, v)); }

void jw_key(struct jw *w, const char *key)
{
        jw_check(w, yajl_gen_string(w->g, (const unsigned char *)key, strlen(key)));
}

void jw_str(struct jw *w, const char *s)
{
        if (!s)
                jw_null(w);
        else
                jw_check(w, yajl_gen_string(w->g, (const unsigned char *)s, strlen(s)));
}

/* yajl_gen_integer takes long long; values above LLONG_MAX go out as text. */
void jw_uint(struct jw *w, uint64_t v)
{
        char num[24];
        int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);

        jw_check(w, yajl_gen_number(w->g, num, (size_t)n));
}

void jw_strv(struct jw *w, char *const *v)
{
        jw_arr_begin(w);
        for (; v && *v; v++)
                jw_str(w, *v);
        jw_arr_end(w);
}

/* yajl's beautifier writes an empty array or object as "[", a blank line
 * and "]". Collapse an opener followed only by whitespace up to its closer
 * into "[]" / "{}", outside strings (whose newlines yajl always escapes). */
static size_t jw_tidy(char *out, const char *in, size_t len)
{
        bool in_str = false, esc = false;
        size_t o = 0;

        for (size_t i = 0; i < len; i++) {
                char c = in[i];

                out[o++] = c;
                if (in_str) {
                        if (esc)
                                esc = false;
                        else if (c == '\\')
                                esc = true;
                        else if (c == '"')
                                in_str = false;
                        continue;
                }
                if (c == '"') {
                        in_str = true;
                        continue;
                }
                if (c != '[' && c != '{')
                        continue;
                size_t j = i + 1;
                while (j < len && strchr(" \t\n", in[j]))
                        j++;
                if (j < len && in[j] == (c == '[' ? ']' : '}')) {
                        out[o++] = in[j];
                        i = j;
                }
        }
        out[o] = '\0';
        return o;
}

const char *jw_text(struct jw *w, size_t *ret_len)
{
        const unsigned char *buf = NULL;
        size_t len = 0;
        char *t;

        yajl_gen_get_buf(w->g, &buf, &len);
        if (w->pretty && (t = realloc(w->text, len + 1))) {
                w->text = t;
                *ret_len = jw_tidy(t, (const char *)buf, len);
                return t;
        }
        *ret_len = len;
        return (const char *)buf;
}

int jw_error(struct jw *w) { return w->err ? -EINVAL : 0; }
