#!/usr/bin/env python3
"""seccomp_agent: a small seccomp notify agent for test-seccomp.sh.

Listens on a unix socket (the config's linux.seccomp.listenerPath), takes
one connection from the runtime, saves the container process state it gets
(JSON) to STATE_FILE, keeps the listener fd sent with it (SCM_RIGHTS), and
answers every notified syscall with the error -ERRNO until the container
is gone. Each answered syscall number is appended to STATE_FILE.calls.

usage: seccomp_agent.py SOCKET STATE_FILE ERRNO
"""
import fcntl
import json
import os
import select
import socket
import struct
import sys

# linux/seccomp.h: struct seccomp_notif is 80 bytes (id, pid, flags, then
# struct seccomp_data: nr, arch, ip, args[6]); seccomp_notif_resp is 24.
NOTIF_SIZE = 80
RESP_FMT = "=QqiI"
IOC_RECV = 0xC0000000 | (NOTIF_SIZE << 16) | (ord("!") << 8) | 0
IOC_SEND = 0xC0000000 | (struct.calcsize(RESP_FMT) << 16) | (ord("!") << 8) | 1


def main():
    path, state_file, err = sys.argv[1], sys.argv[2], int(sys.argv[3])
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 1 << 20, 4)
    # A long state may come in more than one read.
    conn.settimeout(0.5)
    while True:
        try:
            json.loads(msg)
            break
        except ValueError:
            more = conn.recv(1 << 20)
            if not more:
                break
            msg += more
    with open(state_file + ".tmp", "wb") as f:
        f.write(msg)
    os.rename(state_file + ".tmp", state_file)
    state = json.loads(msg)
    listener = fds[state["fds"].index("seccompFd")]
    poll = select.poll()
    poll.register(listener, select.POLLIN)
    while True:
        events = poll.poll(30000)
        if not events or events[0][1] & (select.POLLHUP | select.POLLERR):
            return
        buf = bytearray(NOTIF_SIZE)
        try:
            fcntl.ioctl(listener, IOC_RECV, buf, True)
        except OSError:
            return  # the process went away meanwhile
        notif_id, _pid, _flags, nr = struct.unpack_from("=QIII", buf)
        with open(state_file + ".calls", "a") as f:
            f.write("%d\n" % nr)
        resp = bytearray(struct.pack(RESP_FMT, notif_id, 0, -err, 0))
        try:
            fcntl.ioctl(listener, IOC_SEND, resp, True)
        except OSError:
            pass


if __name__ == "__main__":
    main()
