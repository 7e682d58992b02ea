/*
 * stack/lib/privsep.c - framing for the parent/engine socketpair (see
 * privsep.h).  SOCK_SEQPACKET keeps message boundaries, so a message is
 * one sendmsg/recvmsg; a passed descriptor rides in SCM_RIGHTS.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "stack/lib/privsep.h"

int
ps_send(int sock, uint16_t type, const void *a, size_t alen, const void *b,
    size_t blen, int fd)
{
	struct ps_hdr h = { .type = type, .len = (uint32_t)(alen + blen) };
	struct iovec iov[3] = {
		{ .iov_base = &h, .iov_len = sizeof h },
		{ .iov_base = (void *)(uintptr_t)a, .iov_len = alen },
		{ .iov_base = (void *)(uintptr_t)b, .iov_len = blen },
	};
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 3 };

	if (sizeof h + alen + blen > PS_MSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&cm, 0, sizeof cm);
		msg.msg_control = cm.buf;
		msg.msg_controllen = sizeof cm.buf;
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof fd);
	}
	for (;;) {
		if (sendmsg(sock, &msg, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
}

static int
take_fd(struct msghdr *msg)
{
	struct cmsghdr *c;
	int fd = -1;

	for (c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int got;

			memcpy(&got, CMSG_DATA(c), sizeof got);
			if (fd < 0)
				fd = got;
			else
				close(got);	/* only one fd per message */
		}
	}
	return fd;
}

ssize_t
ps_recv(int sock, uint16_t *type, uint8_t *buf, size_t cap, int *fd)
{
	struct ps_hdr h;
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof h },
		{ .iov_base = buf, .iov_len = cap },
	};
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm;
	struct msghdr msg = {
		.msg_iov = iov, .msg_iovlen = 2,
		.msg_control = cm.buf, .msg_controllen = sizeof cm.buf,
	};
	ssize_t n;

	*type = 0;
	*fd = -1;
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	*fd = take_fd(&msg);
	if (n == 0) {
		errno = 0;
		return -1;
	}
	if ((size_t)n < sizeof h || (msg.msg_flags & MSG_TRUNC) ||
	    h.len != (size_t)n - sizeof h) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		errno = EBADMSG;
		return -1;
	}
	*type = h.type;
	return (ssize_t)h.len;
}

int
ps_socketpair(int sv[2])
{
	int size = 4 << 20;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, sv) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		/* Root may exceed wmem_max/rmem_max (the parent creates the
		   pair before the engine drops privileges); else best effort. */
		if (setsockopt(sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &size,
		    sizeof size) < 0)
			(void)setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size,
			    sizeof size);
		if (setsockopt(sv[i], SOL_SOCKET, SO_RCVBUFFORCE, &size,
		    sizeof size) < 0)
			(void)setsockopt(sv[i], SOL_SOCKET, SO_RCVBUF, &size,
			    sizeof size);
	}
	return 0;
}
