#!/usr/bin/python3
"""pty-run.py: run a command on a new pty, as a terminal emulator would.

Usage: pty-run.py [--size ROWSxCOLS] [--resize ROWSxCOLS --after SECONDS]
                  [--input TEXT] -- COMMAND [ARGS...]

The command gets the pty as its controlling terminal and stdio; the window
size is set before it starts and, with --resize, changed later (the kernel
sends SIGWINCH to the foreground process group). Everything the command
writes goes to stdout; the exit status is the command's (128+N after a
signal).
"""
import argparse
import os
import pty
import select
import struct
import sys
import termios
import fcntl
import time


def size(s):
    rows, cols = s.split("x")
    return struct.pack("HHHH", int(rows), int(cols), 0, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="24x80")
    ap.add_argument("--resize", default=None)
    ap.add_argument("--after", type=float, default=0.5)
    ap.add_argument("--input", default=None)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    master, slave = pty.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, size(a.size))
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execvp(cmd[0], cmd)
    os.close(slave)
    start = time.monotonic()
    resized = a.resize is None
    sent = a.input is None
    out = b""
    while True:
        now = time.monotonic() - start
        if not resized and now > a.after:
            fcntl.ioctl(master, termios.TIOCSWINSZ, size(a.resize))
            resized = True
        if not sent and now > a.after:
            os.write(master, a.input.encode())
            sent = True
        r, _, _ = select.select([master], [], [], 0.05)
        if not r:
            continue
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
