/* namespaces/net: rtnetlink requests (see net.h), through libmnl, which is
 * used here and nowhere else. This file is linked into berth-netdev, the
 * helper berth runs for linux.netDevices, and not into berth: a library
 * berth linked would cost every berth process its loading (berth is a
 * static binary where the toolchain allows, and Debian ships no libmnl.a).
 *
 * linux.netDevices moves host interfaces into the container's namespace.
 * The move drops their addresses (the kernel flushes them on a namespace
 * change), and the runtime-spec asks for them to be kept: they are read
 * before and added back after, with the interface's up/down state. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>             /* IFF_UP; not with <linux/if.h> */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
#define NET_REQ_SIZE 512
#define NET_MAX_ADDRS 64

static int neg_errno(void)
{
        return errno > 0 ? -errno : -EIO;
}

static int net_open(struct mnl_socket **ret)
{
        struct mnl_socket *nl;
        int r;

        nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
        if (!nl)
                return neg_errno();
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
                r = neg_errno();
                mnl_socket_close(nl);
                return r;
        }
        *ret = nl;
        return 0;
}

/* A socket belongs to the network namespace it is created in: step into
 * netns_fd for the socket() call only. The caller is single-threaded and
 * holds CAP_SYS_ADMIN over both namespaces (host root). */
static int net_open_in(int netns_fd, struct mnl_socket **ret)
{
        _cleanup_close_ int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        int r;

        if (self < 0)
                return -errno;
        if (setns(netns_fd, CLONE_NEWNET) < 0)
                return -errno;
        r = net_open(ret);
        if (setns(self, CLONE_NEWNET) < 0)
                abort();        /* the runtime would go on in the container's namespace */
        return r;
}

/* Send one request and read replies until it is done: a dump ends with
 * NLMSG_DONE, anything else (sent with NLM_F_ACK) with an NLMSG_ERROR whose
 * error is 0; mnl_cb_run() turns a non-zero one into -1 with errno set. */
static int net_talk(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
        union { struct nlmsghdr h; char buf[NET_RECV_SIZE]; } rx;
        unsigned portid = mnl_socket_get_portid(nl), seq = nlh->nlmsg_seq;
        ssize_t n;
        int r;

        /* NLM_F_DUMP's bits mean CREATE/EXCL/REPLACE on a NEW request: only
         * a GET (type 2 mod 4 in rtnetlink) can be a dump. */
        bool dump = nlh->nlmsg_type % 4 == 2 && (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

        nlh->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
        if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
                return neg_errno();
        do {
                n = mnl_socket_recvfrom(nl, rx.buf, sizeof(rx.buf));
                if (n < 0)
                        return neg_errno();
                r = mnl_cb_run(rx.buf, (size_t)n, seq, portid, cb, data);
        } while (r == MNL_CB_OK);
        return r < 0 ? neg_errno() : 0;
}

static struct nlmsghdr *net_msg(void *buf, uint16_t type, uint16_t flags, void *extra, size_t extra_len)
{
        struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = flags;
        nlh->nlmsg_seq = 1;
        memcpy(mnl_nlmsg_put_extra_header(nlh, extra_len), extra, extra_len);
        return nlh;
}

/* Set or clear IFF_UP, touching no other flag. */
static int net_link_set_up(struct mnl_socket *nl, int ifindex, bool up)
{
        union { struct nlmsghdr h; char buf[NET_REQ_SIZE]; } req;
        struct ifinfomsg ifm = {
                .ifi_family = AF_UNSPEC, .ifi_index = ifindex,
                .ifi_flags = up ? IFF_UP : 0, .ifi_change = IFF_UP,
        };

        return net_talk(nl, net_msg(req.buf, RTM_NEWLINK, 0, &ifm, sizeof(ifm)), NULL, NULL);
}

/* ---- moving an interface ------------------------------------------------- */

struct net_link {
        int index;
        unsigned flags;
};

static int net_link_cb(const struct nlmsghdr *nlh, void *data)
{
        const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
        struct net_link *l = data;

        if (nlh->nlmsg_type == RTM_NEWLINK) {
                l->index = ifm->ifi_index;
                l->flags = ifm->ifi_flags;
        }
        return MNL_CB_OK;
}

/* Index and flags of the interface called name, in nl's namespace. */
static int net_link_get(struct mnl_socket *nl, const char *name, struct net_link *ret)
{
        union { struct nlmsghdr h; char buf[NET_REQ_SIZE]; } req;
        struct ifinfomsg ifm = { .ifi_family = AF_UNSPEC };
        struct nlmsghdr *nlh = net_msg(req.buf, RTM_GETLINK, 0, &ifm, sizeof(ifm));
        int r;

        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
        *ret = (struct net_link){ .index = -1 };
        /* A GETLINK answers with the link, then an ACK. */
        r = net_talk(nl, nlh, net_link_cb, ret);
        if (r == 0 && ret->index < 0)
                r = -ENODEV;
        return r;
}

struct net_addr {
        struct ifaddrmsg ifa;
        uint8_t local[16], address[16], broadcast[4];
        size_t len;                     /* of local and address: 4 or 16 */
        bool has_local, has_address, has_broadcast;
};

struct net_addrs {
        int index;
        struct net_addr a[NET_MAX_ADDRS];
        size_t n;
};

static void net_addr_copy(const struct nlattr *attr, uint8_t *to, size_t len, bool *has)
{
        if (mnl_attr_get_payload_len(attr) != len)
                return;
        memcpy(to, mnl_attr_get_payload(attr), len);
        *has = true;
}

static int net_addr_cb(const struct nlmsghdr *nlh, void *data)
{
        const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
        struct net_addrs *as = data;
        const struct nlattr *attr;
        struct net_addr *a;

        if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != as->index || as->n == NET_MAX_ADDRS)
                return MNL_CB_OK;
        /* The kernel makes an IPv6 link-local address itself on link-up. */
        if (ifa->ifa_family == AF_INET6 && ifa->ifa_scope == RT_SCOPE_LINK)
                return MNL_CB_OK;
        if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
                return MNL_CB_OK;
        a = &as->a[as->n++];
        *a = (struct net_addr){ .ifa = *ifa, .len = ifa->ifa_family == AF_INET ? 4 : 16 };
        mnl_attr_for_each(attr, nlh, sizeof(*ifa)) {
                switch (mnl_attr_get_type(attr)) {
                case IFA_LOCAL: net_addr_copy(attr, a->local, a->len, &a->has_local); break;
                case IFA_ADDRESS: net_addr_copy(attr, a->address, a->len, &a->has_address); break;
                case IFA_BROADCAST: net_addr_copy(attr, a->broadcast, 4, &a->has_broadcast); break;
                }
        }
        return MNL_CB_OK;
}

static int net_addrs_get(struct mnl_socket *nl, struct net_addrs *as)
{
        union { struct nlmsghdr h; char buf[NET_REQ_SIZE]; } req;
        struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };

        as->n = 0;
        return net_talk(nl, net_msg(req.buf, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa)), net_addr_cb, as);
}

static int net_addr_add(struct mnl_socket *nl, int ifindex, const struct net_addr *a)
{
        union { struct nlmsghdr h; char buf[NET_REQ_SIZE]; } req;
        struct ifaddrmsg ifa = a->ifa;
        struct nlmsghdr *nlh;
        int r;

        ifa.ifa_index = (unsigned)ifindex;
        nlh = net_msg(req.buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
        if (a->has_local)
                mnl_attr_put(nlh, IFA_LOCAL, a->len, a->local);
        if (a->has_address)
                mnl_attr_put(nlh, IFA_ADDRESS, a->len, a->address);
        if (a->has_broadcast)
                mnl_attr_put(nlh, IFA_BROADCAST, 4, a->broadcast);
        r = net_talk(nl, nlh, NULL, NULL);
        return r == -EEXIST ? 0 : r;
}

/* One RTM_NEWLINK moves and renames: the name never exists in the target
 * namespace under the host's name, so it cannot clash there. */
static int net_link_move(struct mnl_socket *nl, int ifindex, const char *new_name, int netns_fd)
{
        union { struct nlmsghdr h; char buf[NET_REQ_SIZE]; } req;
        struct ifinfomsg ifm = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex };
        struct nlmsghdr *nlh = net_msg(req.buf, RTM_NEWLINK, 0, &ifm, sizeof(ifm));

        mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
        mnl_attr_put_strz(nlh, IFLA_IFNAME, new_name);
        return net_talk(nl, nlh, NULL, NULL);
}

/* In the target namespace: the addresses back, then up if it was. */
static int net_link_restore(int netns_fd, const char *name, const struct net_addrs *as, bool up, struct berr *e)
{
        _cleanup_mnl_ struct mnl_socket *nl = NULL;
        struct net_link link;
        int r = net_open_in(netns_fd, &nl);

        if (r == 0)
                r = net_link_get(nl, name, &link);
        if (r < 0)
                return berr_sys(e, r, "find %s in the container", name);
        for (size_t i = 0; i < as->n; i++) {
                r = net_addr_add(nl, link.index, &as->a[i]);
                if (r < 0)
                        return berr_sys(e, r, "add address %zu to %s", i, name);
        }
        if (up && (r = net_link_set_up(nl, link.index, true)) < 0)
                return berr_sys(e, r, "bring up %s", name);
        return 0;
}

int net_move_device(const char *host_name, const char *name, int netns_fd, struct berr *e)
{
        _cleanup_mnl_ struct mnl_socket *nl = NULL;
        _cleanup_free_ struct net_addrs *as = calloc(1, sizeof(*as));
        struct net_link link;
        int r;

        if (!as)
                return berr_sys(e, -ENOMEM, "interface %s", host_name);
        r = net_open(&nl);
        if (r < 0)
                return berr_sys(e, r, "rtnetlink");
        r = net_link_get(nl, host_name, &link);
        if (r < 0)
                return berr_sys(e, r, "host interface %s", host_name);
        as->index = link.index;
        r = net_addrs_get(nl, as);
        if (r < 0)
                return berr_sys(e, r, "addresses of %s", host_name);
        r = net_link_move(nl, link.index, name, netns_fd);
        if (r < 0)
                return berr_sys(e, r, "move %s into the container as %s", host_name, name);
        return net_link_restore(netns_fd, name, as, link.flags & IFF_UP, e);
}
