/* json: berth's one wrapper around yajl.
 *
 * Writing goes through struct jw (yajl_gen underneath). Reading parses into a
 * yajl_tree (json_val) with a nesting-depth guard in front, because yajl's
 * tree free is recursive and a hostile file could nest a million levels. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_tree.h>

#include "util/berr.h"

typedef yajl_val json_val;

#define JSON_MAX_DEPTH 64

/* Parse buf (not necessarily NUL-terminated). Errors name `file`. */
int json_parse(const char *file, const char *buf, size_t len, json_val *ret, struct berr *e);
static inline void json_freep(json_val *v) { if (*v) yajl_tree_free(*v); }
#define _cleanup_json_ __attribute__((cleanup(json_freep)))

/* Member `key` of an object, NULL when absent or v is not an object. */
json_val json_get(json_val obj, const char *key);
/* "object", "array", "string", "number", "boolean" or "null". */
const char *json_type_name(json_val v);

/* ---- writer ---- */
struct jw;
enum jw_style { JW_COMPACT, JW_PRETTY_TAB, JW_PRETTY_2SP };
struct jw *jw_new(enum jw_style style);
void jw_free(struct jw *w);
static inline void jw_freep(struct jw **w) { jw_free(*w); }
#define _cleanup_jw_ __attribute__((cleanup(jw_freep)))

void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);   /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_uint(struct jw *w, uint64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_strv(struct jw *w, char *const *v); /* NULL-terminated list as array */
static inline void jw_kstr(struct jw *w, const char *k, const char *s) { jw_key(w, k); jw_str(w, s); }
static inline void jw_kint(struct jw *w, const char *k, int64_t v) { jw_key(w, k); jw_int(w, v); }
static inline void jw_kuint(struct jw *w, const char *k, uint64_t v) { jw_key(w, k); jw_uint(w, v); }
static inline void jw_kbool(struct jw *w, const char *k, bool v) { jw_key(w, k); jw_bool(w, v); }

/* The text written so far (not NUL-terminated beyond len; valid until next write). */
const char *jw_text(struct jw *w, size_t *ret_len);
/* Non-zero if any generator call failed (misuse or out of memory). */
int jw_error(struct jw *w);
