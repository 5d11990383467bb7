/* namespaces/net: rtnetlink requests in the container's network namespace
 * (see net.h). libmnl is used here and nowhere else in berth.
 *
 * A new network namespace has only "lo", and it is down: without bringing it
 * up, even 127.0.0.1 is unreachable inside the container. runc does this for
 * every container with a private netns; so do we. */
#include "config.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>             /* if_nametoindex, IFF_UP; not with <linux/if.h> */
#include <sys/socket.h>

#include "namespaces/net.h"
#include "util/cleanup.h"

static void mnl_socket_closep(struct mnl_socket **nl)
{
        if (*nl) {
                int saved = errno;

                mnl_socket_close(*nl);
                errno = saved;
        }
}

#define _cleanup_mnl_ _cleanup_(mnl_socket_closep)

/* MNL_SOCKET_BUFFER_SIZE calls sysconf() (a VLA); 8 KiB is its upper bound.
 * The unions keep the buffers aligned for struct nlmsghdr. */
#define NET_RECV_SIZE 8192

static int neg_errno(void)
{
        return errno > 0 ? -errno : -EIO;
}

/* Send one request that asks for an ACK and wait for it. The kernel answers
 * with an NLMSG_ERROR whose error is 0 on success; mnl_cb_run() turns a
 * non-zero one into -1 with errno set (and a reply from the wrong sequence or
 * port into EPROTO / ESRCH). */
static int net_request(struct nlmsghdr *nlh)
{
        _cleanup_mnl_ struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
        union { struct nlmsghdr h; char buf[NET_RECV_SIZE]; } rx;
        unsigned portid, seq = nlh->nlmsg_seq;
        ssize_t n;
        int r;

        if (!nl)
                return neg_errno();
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
                return neg_errno();
        portid = mnl_socket_get_portid(nl);
        nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
        if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
                return neg_errno();
        do {
                n = mnl_socket_recvfrom(nl, rx.buf, sizeof(rx.buf));
                if (n < 0)
                        return neg_errno();
                r = mnl_cb_run(rx.buf, (size_t)n, seq, portid, NULL, NULL);
        } while (r == MNL_CB_OK);
        /* MNL_CB_STOP: the ACK arrived. */
        return r < 0 ? neg_errno() : 0;
}

int net_loopback_up(struct berr *e)
{
        union { struct nlmsghdr h; char buf[NLMSG_SPACE(sizeof(struct ifinfomsg))]; } req;
        struct nlmsghdr *nlh;
        struct ifinfomsg *ifm;
        unsigned ifindex;
        int r;

        ifindex = if_nametoindex("lo");
        if (ifindex == 0)
                return berr_sys(e, neg_errno(), "bring up lo: find interface");
        nlh = mnl_nlmsg_put_header(req.buf);
        nlh->nlmsg_type = RTM_NEWLINK;
        nlh->nlmsg_seq = 1;
        ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
        ifm->ifi_family = AF_UNSPEC;
        ifm->ifi_index = (int)ifindex;
        ifm->ifi_flags = IFF_UP;
        ifm->ifi_change = IFF_UP;       /* touch only IFF_UP */
        r = net_request(nlh);
        if (r < 0)
                return berr_sys(e, r, "bring up lo");
        return 0;
}
