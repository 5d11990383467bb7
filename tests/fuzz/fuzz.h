/* fuzz.h: the libFuzzer entry point every target defines. The same target
 * links either with libFuzzer (`make fuzz`, clang) or with replay.c, which
 * runs it over the seed corpus and the saved crashes in `make check`. */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
