/*
 * LD_PRELOAD shim for the lab's charon instances.
 *
 * The lab kernel accepts XFRM policies but has no ESP: XFRM_MSG_NEWSA and
 * XFRM_MSG_UPDSA fail ("Protocol not supported" / "Requested type not
 * found"), and charon then tears the CHILD_SA down.  The shim lets charon
 * believe the SA install succeeded, and nothing else:
 *
 *  - A NEWSA/UPDSA request on a NETLINK_XFRM socket is not given to the
 *    kernel.  In its place the shim sends a bare NLMSG_NOOP header with the
 *    same sequence number, pid and NLM_F_REQUEST|NLM_F_ACK.  The kernel
 *    acknowledges control messages with error 0 (netlink_rcv_skb), so the
 *    acknowledgement charon waits for is a genuine kernel answer, read from
 *    the socket the usual way.  The SA itself is never installed.
 *  - setsockopt(SOL_UDP, UDP_ENCAP) reports success without enabling ESP
 *    decapsulation on the socket, so the kernel never takes UDP 4500 packets
 *    away from charon.
 *
 * Every other call goes to the kernel unchanged (policies, SPI allocation,
 * queries, deletes).  Each substitution is reported on stderr.
 *
 * Build: gcc -shared -fPIC -O2 -o xfrm_ack_shim.so xfrm_ack_shim.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#ifndef UDP_ENCAP
#define UDP_ENCAP 100
#endif

typedef ssize_t (*sendto_fn)(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
typedef ssize_t (*sendmsg_fn)(int, const struct msghdr *, int);
typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);

static int
is_xfrm_socket(int fd)
{
	int domain = 0, proto = 0;
	socklen_t len = sizeof(domain);

	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0 || domain != AF_NETLINK)
		return 0;
	len = sizeof(proto);
	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) != 0)
		return 0;
	return proto == NETLINK_XFRM;
}

/* Returns 1 and fills *noop when buf starts with an SA install request. */
static int
sa_install_request(int fd, const void *buf, size_t len, struct nlmsghdr *noop)
{
	struct nlmsghdr hdr;

	if (len < sizeof(hdr))
		return 0;
	memcpy(&hdr, buf, sizeof(hdr));
	if (hdr.nlmsg_type != XFRM_MSG_NEWSA && hdr.nlmsg_type != XFRM_MSG_UPDSA)
		return 0;
	if (!is_xfrm_socket(fd))
		return 0;
	memset(noop, 0, sizeof(*noop));
	noop->nlmsg_len = NLMSG_LENGTH(0);
	noop->nlmsg_type = NLMSG_NOOP;
	noop->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	noop->nlmsg_seq = hdr.nlmsg_seq;
	noop->nlmsg_pid = hdr.nlmsg_pid;
	fprintf(stderr,
		"xfrm-ack-shim: acknowledging %s seq %u without "
		"installing it\n",
		hdr.nlmsg_type == XFRM_MSG_NEWSA ? "XFRM_MSG_NEWSA" : "XFRM_MSG_UPDSA",
		hdr.nlmsg_seq);
	return 1;
}

ssize_t
sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr,
       socklen_t addrlen)
{
	static sendto_fn real;
	struct nlmsghdr noop;

	if (!real)
		real = (sendto_fn)dlsym(RTLD_NEXT, "sendto");
	if (sa_install_request(fd, buf, len, &noop)) {
		ssize_t n = real(fd, &noop, noop.nlmsg_len, flags, addr, addrlen);
		return n == (ssize_t)noop.nlmsg_len ? (ssize_t)len : n;
	}
	return real(fd, buf, len, flags, addr, addrlen);
}

ssize_t
send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t
sendmsg(int fd, const struct msghdr *msg, int flags)
{
	static sendmsg_fn real;
	struct nlmsghdr noop;

	if (!real)
		real = (sendmsg_fn)dlsym(RTLD_NEXT, "sendmsg");
	if (msg && msg->msg_iovlen == 1 &&
	    sa_install_request(fd, msg->msg_iov[0].iov_base, msg->msg_iov[0].iov_len, &noop)) {
		struct iovec iov = {&noop, noop.nlmsg_len};
		struct msghdr copy = *msg;
		ssize_t n;

		copy.msg_iov = &iov;
		n = real(fd, &copy, flags);
		return n == (ssize_t)noop.nlmsg_len ? (ssize_t)msg->msg_iov[0].iov_len : n;
	}
	return real(fd, msg, flags);
}

int
setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	static setsockopt_fn real;

	if (!real)
		real = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
	if (level == SOL_UDP && name == UDP_ENCAP) {
		fprintf(stderr, "xfrm-ack-shim: leaving UDP_ENCAP off on fd %d\n", fd);
		return 0;
	}
	return real(fd, level, name, val, len);
}
