/* selfexe: the berth binary that enters a container runs from a sealed
 * memfd copy of itself (CVE-2019-5736).
 *
 * The container init and exec'd processes are clones of the berth process,
 * so until they execve the workload their /proc/<pid>/exe is berth's binary
 * on the host; and a workload "#!/proc/self/exe" makes the kernel execute
 * that binary inside the container. Either way a container process could
 * open the host binary through the magic link and, once berth has exited
 * (no more ETXTBSY), overwrite it. Running from a memfd sealed against
 * writes, growing and shrinking leaves nothing writable behind the link. */
#pragma once

#include "util/berr.h"

/* The environment variable that marks the re-executed copy (loop guard);
 * it carries the binary's host path. */
#define SELFEXE_ENV "_BERTH_SELFEXE"

/* If this process already runs from a sealed memfd, return 0 (and drop the
 * marker from the environment). Otherwise copy the binary into a sealed
 * memfd and execveat() it with argv and the marker: does not return on
 * success. */
int selfexe_ensure_sealed(char **argv, struct berr *e);

/* Whether the running binary is a sealed memfd (1), not (0), or -errno. */
int selfexe_is_sealed(void);

/* The berth binary's absolute path on the host, also when running from the
 * memfd copy; NULL if unknown. For what runs berth again later (the shim's
 * exit helper) and finds files beside it (berth-shim). */
const char *selfexe_path(void);
