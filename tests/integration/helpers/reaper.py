#!/usr/bin/env python3
"""reaper.py: stand in for conmon. Become a child subreaper, run
`BERTH --root ROOT create` (no --shim/--no-shim: berth must notice), then
`start`, and reap the container's init ourselves. Prints one JSON object:
the init's parent right after create, whether a berth process of the
container was left running, and the exit status we reaped."""
import ctypes
import json
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


def berth_processes(cid, init):
    """Processes of berth's that name the container (a shim would), but the
    init, which runs berth's code until `start`."""
    found = []
    for p in os.listdir("/proc"):
        if not p.isdigit() or int(p) == init:
            continue
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
            with open(f"/proc/{p}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(b"berth" in a for a in argv[:1]) and cid.encode() in argv:
            found.append(" ".join(a.decode(errors="replace") for a in argv if a))
    return found


def main():
    berth, root, bundle, cid = sys.argv[1:5]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("prctl: %s" % os.strerror(ctypes.get_errno()))
    pidfile = os.path.join(root, cid + ".pid")
    subprocess.run([berth, "--root", root, "create", "-b", bundle, "--pid-file", pidfile, cid],
                   check=True, stdout=subprocess.DEVNULL)
    with open(pidfile) as f:
        pid = int(f.read())
    with open(f"/proc/{pid}/stat") as f:
        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
    left = berth_processes(cid, pid)
    subprocess.run([berth, "--root", root, "start", cid], check=True)
    while True:
        reaped, status = os.waitpid(-1, 0)
        if reaped == pid:
            break
    print(json.dumps({"init_parent_is_us": ppid == os.getpid(), "berth_left": left,
                      "exit": os.waitstatus_to_exitcode(status)}))


if __name__ == "__main__":
    main()
