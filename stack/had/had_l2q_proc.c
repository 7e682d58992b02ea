/*
 * stack/had/had_l2q_proc.c - had's queue of link-layer frames: copies of the
 * IPv6 packets, sent with one sendmmsg per flush (see had_l2q.h); process code (the
 * fuzz harness, which links only the engine, leaves *_proc.c out).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <string.h>

#include "stack/had/had_l2q.h"

void
l2q_init(struct l2q *q, int sock, uint64_t *cnt)
{
	q->sock = sock;
	q->cnt = cnt;
	q->rl = (struct log_rl)LOG_RL_INIT(5, 20);
	q->n = 0;
	q->used = 0;
}

void
l2q_send_failed(uint64_t *cnt, struct log_rl *rl, size_t len, unsigned oif)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)
		cnt[PC_SEND_DROP]++;
	else
		cnt[PC_SEND_FAIL]++;
	log_rl(rl, boottime_ms(), LOG_WARNING, "send %zu bytes (oif %u): %s",
	    len, oif, strerror(errno));
}

/*
 * By the first octet: IPv6 or IPv4 (version), or an ARP body (hardware
 * type 0x0001 starts with a zero octet): proxy ARP for RFC 5555's IPv4
 * home addresses.
 */
uint16_t
l2q_ethertype(const uint8_t *pkt, size_t len)
{
	if (len == 0)
		return ETH_P_IPV6;
	if ((pkt[0] >> 4) == 4)
		return ETH_P_IP;
	if (pkt[0] == 0 && len >= 28)
		return ETH_P_ARP;
	return ETH_P_IPV6;
}

int
l2q_add(struct l2q *q, unsigned ifindex, const uint8_t mac[6],
    const uint8_t *pkt, size_t len)
{
	struct sockaddr_ll *sll;
	uint8_t *copy;

	if (len > sizeof q->buf) {
		errno = EMSGSIZE;
		return -1;
	}
	if (q->n == L2Q_FRAMES || len > sizeof q->buf - q->used)
		l2q_flush(q);
	copy = q->buf + q->used;
	memcpy(copy, pkt, len);
	q->used += len;
	sll = &q->to[q->n];
	*sll = (struct sockaddr_ll){
		.sll_family = AF_PACKET,
		.sll_protocol = htons(l2q_ethertype(pkt, len)),
		.sll_ifindex = (int)ifindex,
		.sll_halen = 6,
	};
	memcpy(sll->sll_addr, mac, 6);
	q->iov[q->n] = (struct iovec){ copy, len };
	q->msg[q->n].msg_hdr = (struct msghdr){
		.msg_name = sll, .msg_namelen = sizeof *sll,
		.msg_iov = &q->iov[q->n], .msg_iovlen = 1,
	};
	q->n++;
	return 0;
}

void
l2q_flush(struct l2q *q)
{
	size_t off = 0;

	while (off < q->n) {
		int n = sendmmsg(q->sock, q->msg + off, (unsigned)(q->n - off),
		    MSG_DONTWAIT);

		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* Never block the loop: the frame that failed is dropped
		   and counted, the rest still go. */
		l2q_send_failed(q->cnt, &q->rl, q->iov[off].iov_len,
		    (unsigned)q->to[off].sll_ifindex);
		off++;
	}
	q->n = 0;
	q->used = 0;
}
