#!/usr/bin/python3
"""ctd-update.py: containerd's Tasks.Update, which ctr 1.6 has no command for.

Usage: ctd-update.py SOCKET NAMESPACE CONTAINER RESOURCES-JSON

Sends an UpdateTaskRequest whose resources are RESOURCES-JSON (an OCI
LinuxResources object) to containerd at SOCKET, as `docker update` or the
CRI plugin would; containerd's runc shim then runs `RUNTIME update
--resources -` with it. The protobuf message is encoded by hand (two
fields, an Any), so only python3-grpcio is needed. Prints the error and
exits 1 when the call fails.
"""
import sys

import grpc

# containerd's typeurl registers the runtime-spec types under this prefix
# and marshals them as JSON inside the Any.
RESOURCES_URL = "types.containerd.io/opencontainers/runtime-spec/1/LinuxResources"


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, payload):
    """A length-delimited protobuf field (wire type 2)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sock, namespace, container, resources = sys.argv[1:]
    any_msg = field(1, RESOURCES_URL.encode()) + field(2, resources.encode())
    request = field(1, container.encode()) + field(2, any_msg)
    with grpc.insecure_channel("unix://" + sock) as channel:
        update = channel.unary_unary("/containerd.services.tasks.v1.Tasks/Update")
        try:
            update(request, metadata=[("containerd-namespace", namespace)], timeout=20)
        except grpc.RpcError as e:
            print("update: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
