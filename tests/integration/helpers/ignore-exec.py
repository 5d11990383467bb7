#!/usr/bin/env python3
"""ignore-exec.py SIG... -- CMD [ARG...]: run CMD with these signals ignored.

Python's signal module (glibc's sigaction) cannot touch 32 and 33, the
real-time signals glibc keeps for itself, yet a process can inherit them
ignored. The raw rt_sigaction syscall can set them; ignored dispositions
survive execve, so CMD starts with them."""
import ctypes
import os
import platform
import sys

# rt_sigaction's number per machine (asm/unistd.h).
SYS_RT_SIGACTION = {"x86_64": 13, "aarch64": 134}


def main():
    if "--" not in sys.argv:
        sys.exit("usage: ignore-exec.py SIG... -- CMD [ARG...]")
    split = sys.argv.index("--")
    sigs, cmd = [int(s) for s in sys.argv[1:split]], sys.argv[split + 1:]
    nr = SYS_RT_SIGACTION.get(platform.machine())
    if nr is None or not cmd:
        sys.exit("ignore-exec.py: no rt_sigaction number for " + platform.machine())
    libc = ctypes.CDLL(None, use_errno=True)
    # struct sigaction as the kernel reads it: handler SIG_IGN (1), no
    # flags, no restorer, empty mask.
    act = (ctypes.c_uint64 * 4)(1, 0, 0, 0)
    for sig in sigs:
        if libc.syscall(nr, sig, ctypes.byref(act), None, 8) != 0:
            sys.exit("ignore-exec.py: rt_sigaction(%d): %s" % (sig, os.strerror(ctypes.get_errno())))
    os.execvp(cmd[0], cmd)


main()
