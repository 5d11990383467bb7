/* berth-netdev: move one host interface into a container's network
 * namespace, for berth (linux.netDevices; see netdev.h). It is a program of
 * its own so that libmnl is loaded by the containers that ask for a device
 * and by no other berth process.
 *
 *   berth-netdev HOST_NAME NAME      the namespace open on fd 3
 *
 * Exit status 0 when done; otherwise what failed, one line on stderr, and
 * the errno as the status (1 when it is none of 1-125); 255 for a usage
 * error. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "namespaces/net.h"

#define NETDEV_NS_FD 3

int main(int argc, char **argv)
{
        struct berr e = {};
        int r;

        if (argc != 3 || fcntl(NETDEV_NS_FD, F_GETFD) < 0) {
                fputs("berth-netdev: started by berth only (HOST_NAME NAME, the network namespace on fd 3)\n",
                      stderr);
                return 255;
        }
        r = net_move_device(argv[1], argv[2], NETDEV_NS_FD, &e);
        if (r == 0)
                return 0;
        fprintf(stderr, "%s\n", e.msg);
        return -r > 0 && -r < 126 ? -r : 1;
}
