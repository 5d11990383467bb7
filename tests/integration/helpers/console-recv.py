#!/usr/bin/python3
"""console-recv.py: the receiving end of --console-socket, as a test needs it.

Usage: console-recv.py SOCKET OUT [--input TEXT] [--timeout SECONDS] [--fdinfo FILE]

Listens on the unix socket SOCKET (created here; the file READY is written
next to it as SOCKET.ready once listening), accepts one connection, takes
the pty master fd sent with SCM_RIGHTS, writes TEXT to it (once the
workload has written something, or after 2 s), and copies everything the pty
says into OUT until the slave side is closed (EIO) or the timeout expires.
With --fdinfo, /proc/self/fdinfo of the received fd goes to FILE (its
mnt_id and tty index tell which devpts it belongs to). When done, OUT is
complete and the file OUT.done says so (a test reads OUT in a command
substitution, where `wait` on the receiver cannot work: it is not the
subshell's child). Exits 0 when a fd was received, 1 otherwise.
"""
import argparse
import array
import os
import select
import socket
import sys
import time


def receive_fd(conn):
    fds = array.array("i")
    msg, anc, _flags, _addr = conn.recvmsg(1024, socket.CMSG_SPACE(4 * fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if len(fds) != 1:
        sys.exit("console-recv: expected one fd, got %d (data %r)" % (len(fds), msg))
    return fds[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("out")
    ap.add_argument("--input", default=None)
    ap.add_argument("--timeout", type=float, default=15)
    ap.add_argument("--fdinfo", default=None)
    a = ap.parse_args()

    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(a.socket)
    srv.listen(1)
    with open(a.socket + ".ready", "w") as f:
        f.write("ready\n")
    srv.settimeout(a.timeout)
    conn, _ = srv.accept()
    master = receive_fd(conn)
    conn.close()
    if a.fdinfo:
        with open("/proc/self/fdinfo/%d" % master) as src, open(a.fdinfo, "w") as dst:
            dst.write(src.read())
            dst.write("link: %s\n" % os.readlink("/proc/self/fd/%d" % master))
    deadline = time.monotonic() + a.timeout
    sent = a.input is None
    got_output = False
    start = time.monotonic()
    with open(a.out, "wb") as out:
        while time.monotonic() < deadline:
            # Type once the workload has said something (it runs by then),
            # or after 2 s for one that never does.
            if not sent and (got_output or time.monotonic() - start > 2):
                os.write(master, a.input.encode())
                sent = True
            r, _, _ = select.select([master], [], [], 0.1)
            if not r:
                continue
            try:
                data = os.read(master, 4096)
            except OSError:
                break  # EIO: every slave fd is closed
            if not data:
                break
            got_output = True
            out.write(data)
            out.flush()
    with open(a.out + ".done", "w") as f:
        f.write("done\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
