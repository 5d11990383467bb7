#!/usr/bin/env python3
"""pending-exec.py SIG -- CMD [ARG...]: run CMD with SIG blocked and pending.

A pending signal and the blocked mask both survive execve: CMD starts with
SIG already delivered to it and waiting. For berth run, that is a signal
that arrived while it was still creating the container."""
import os
import signal
import sys


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: pending-exec.py SIG -- CMD [ARG...]")
    sig = signal.Signals["SIG" + sys.argv[1]]
    signal.pthread_sigmask(signal.SIG_BLOCK, [sig])
    os.kill(os.getpid(), sig)
    if sig not in signal.sigpending():
        sys.exit("pending-exec.py: SIG%s is not pending" % sys.argv[1])
    os.execvp(sys.argv[3], sys.argv[3:])


main()
