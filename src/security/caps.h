/* caps: the container process's capability sets, through libcap (which
 * appears in this file and nowhere else). */
#pragma once

#include "spec/spec.h"
#include "util/berr.h"

/* Drop every capability not in the bounding set. Needs CAP_SETPCAP, so it
 * runs before the switch to the container user. */
int caps_drop_bounding(const struct spec_caps *c, struct berr *e);

/* Set effective, permitted and inheritable, then raise ambient. Runs after
 * the switch to the container user (with PR_SET_KEEPCAPS held across it). */
int caps_apply(const struct spec_caps *c, struct berr *e);

/* Highest capability number the running kernel knows. */
int caps_last_cap(void);
