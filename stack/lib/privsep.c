/*
 * stack/lib/privsep.c - framing for the parent/engine socketpair (see
 * privsep.h).  SOCK_SEQPACKET keeps message boundaries, so a message is
 * one sendmsg/recvmsg; a passed descriptor rides in SCM_RIGHTS.  A batch
 * is messages back to back in one datagram; ps_rx_recv takes several
 * datagrams in one recvmmsg.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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

/* ------------------------------------------------------------- batches */

void
ps_batch_init(struct ps_batch *b, int sock)
{
	b->sock = sock;
	ps_batch_clear(b);
}

void
ps_batch_clear(struct ps_batch *b)
{
	b->nmsg = 0;
	b->len = 0;
}

int
ps_batch_add(struct ps_batch *b, uint16_t type, const void *a, size_t alen,
    const void *p2, size_t blen)
{
	struct ps_hdr h = { .type = type, .len = (uint32_t)(alen + blen) };
	size_t need = sizeof h + alen + blen;

	if (need > PS_MSG_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (need > sizeof b->buf - b->len) {
		errno = ENOBUFS;
		return -1;
	}
	memcpy(b->buf + b->len, &h, sizeof h);
	b->len += sizeof h;
	if (alen > 0)
		memcpy(b->buf + b->len, a, alen);
	b->len += alen;
	if (blen > 0)
		memcpy(b->buf + b->len, p2, blen);
	b->len += blen;
	b->nmsg++;
	return 0;
}

int
ps_batch_flush(struct ps_batch *b)
{
	if (b->nmsg == 0)
		return 0;
	for (;;) {
		if (send(b->sock, b->buf, b->len, MSG_NOSIGNAL) >= 0)
			break;
		if (errno != EINTR)
			return -1;
	}
	ps_batch_clear(b);
	return 0;
}

int
ps_batch_flush_wait(struct ps_batch *b)
{
	while (ps_batch_flush(b) < 0) {
		struct pollfd p = { .fd = b->sock, .events = POLLOUT };

		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -1;
		(void)poll(&p, 1, 1000);
	}
	return 0;
}

int
ps_batch_add_wait(struct ps_batch *b, uint16_t type, const void *a,
    size_t alen, const void *p2, size_t blen)
{
	while (ps_batch_add(b, type, a, alen, p2, blen) < 0)
		if (errno != ENOBUFS || ps_batch_flush_wait(b) < 0)
			return -1;
	return 0;
}

int
ps_next(const uint8_t *dgram, size_t len, size_t *off, struct ps_msg *m)
{
	struct ps_hdr h;

	if (*off >= len)
		return 0;
	if (len - *off < sizeof h)
		return -1;
	memcpy(&h, dgram + *off, sizeof h);
	if (h.len > len - *off - sizeof h)
		return -1;
	m->type = h.type;
	m->data = dgram + *off + sizeof h;
	m->len = h.len;
	*off += sizeof h + h.len;
	return 1;
}

int
ps_rx_recv(int sock, struct ps_rx *rx)
{
	struct mmsghdr mm[PS_RX_DGRAMS];
	struct iovec iov[PS_RX_DGRAMS];
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cm[PS_RX_DGRAMS];
	unsigned i, kept = 0;
	int n;

	rx->n = 0;
	rx->truncated = 0;
	for (i = 0; i < PS_RX_DGRAMS; i++) {
		iov[i] = (struct iovec){ rx->buf[i], sizeof rx->buf[i] };
		mm[i].msg_hdr = (struct msghdr){
			.msg_iov = &iov[i], .msg_iovlen = 1,
			.msg_control = cm[i].buf,
			.msg_controllen = sizeof cm[i].buf,
		};
		mm[i].msg_len = 0;
	}
	do
		n = recvmmsg(sock, mm, PS_RX_DGRAMS,
		    MSG_DONTWAIT | MSG_CMSG_CLOEXEC, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -1;
	for (i = 0; i < (unsigned)n; i++) {
		int fd = take_fd(&mm[i].msg_hdr);

		if (mm[i].msg_len == 0) {
			/* End of file: the datagrams before it count; the
			   next call reports the end. */
			if (fd >= 0)
				close(fd);
			break;
		}
		if (mm[i].msg_hdr.msg_flags & MSG_TRUNC) {
			if (fd >= 0)
				close(fd);
			rx->truncated++;
			continue;
		}
		if (kept != i)
			memmove(rx->buf[kept], rx->buf[i], mm[i].msg_len);
		rx->len[kept] = mm[i].msg_len;
		rx->fd[kept] = fd;
		kept++;
	}
	rx->n = kept;
	if (kept == 0 && rx->truncated == 0) {
		errno = 0;
		return -1;
	}
	return (int)kept;
}
