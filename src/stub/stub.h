/* stub: the arguments of berth-stub (src/stub/stub.c), the last program a
 * container's process runs before its own (see security/selfexe.h).
 *
 *   argv[0]   STUB_ARGV0, the mark that berth started it
 *   argv[1]   what to put before a failure's message on stderr ("" for none)
 *   argv[2]   the executable to run, already looked up in PATH
 *   argv[3..] the process's own argv, from its argv[0]
 *
 * The environment passes through as the process's. Shared by berth and the
 * stub, so libc only. */
#pragma once

#define STUB_ARGV0 "berth-stub"
#define STUB_ARG_PREFIX 1
#define STUB_ARG_EXE 2
#define STUB_ARG_ARGV 3
