/*
 * ping_helper.c - a minimal ping for the mip6topo tests, so that they do
 * not depend on iputils being installed: send ICMP or ICMPv6 Echo Requests
 * to ADDR from the current network namespace (run it under
 * `ip netns exec`) and exit 0 at the first matching Echo Reply.
 *
 *	ping_helper [-c COUNT] [-W MS] [-p PATTERN] ADDR
 *
 * Exit status: 0 a reply came, 1 none did, 2 usage or socket error.  The
 * payload carries PATTERN (default "mip6topo-ping") so that a test can
 * find its own packets in a capture.
 *
 * Echo formats: RFC 792 (ICMP type 8/0), RFC 4443 §4.1-4.2 (ICMPv6
 * 128/129); the kernel fills the ICMPv6 checksum on raw sockets
 * (RFC 3542 §3.1), ICMP's is ours.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packets/buf.h"
#include "packets/cksum.h"

#define ECHO_REQUEST4	8
#define ECHO_REPLY4	0
#define ECHO_REQUEST6	128
#define ECHO_REPLY6	129

struct target {
	int			family;
	struct sockaddr_storage	sa;
	socklen_t		salen;
};

/* A numeric address; link-local ones as fe80::1%IFNAME. */
static int
parse_target(const char *s, struct target *t)
{
	struct addrinfo hints, *ai;

	memset(t, 0, sizeof(*t));
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_RAW;
	if (getaddrinfo(s, NULL, &hints, &ai) != 0)
		return -1;
	if (ai->ai_addrlen > sizeof(t->sa)) {
		freeaddrinfo(ai);
		return -1;
	}
	t->family = ai->ai_family;
	t->salen = ai->ai_addrlen;
	memcpy(&t->sa, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
}

static size_t
build_echo(uint8_t *buf, size_t cap, int family, uint16_t id, uint16_t seq,
    const char *pattern)
{
	struct wbuf w;

	wbuf_init(&w, buf, cap);
	wbuf_u8(&w, family == AF_INET6 ? ECHO_REQUEST6 : ECHO_REQUEST4);
	wbuf_u8(&w, 0);			/* code */
	wbuf_u16(&w, 0);		/* checksum, below */
	wbuf_u16(&w, id);
	wbuf_u16(&w, seq);
	wbuf_bytes(&w, pattern, strlen(pattern));
	if (w.err)
		return 0;
	if (family == AF_INET)
		wbuf_set_u16(&w, 2, cksum_plain(buf, w.len, 2));
	return w.len;
}

/* True when `buf` is our Echo Reply (IPv4: after the IP header). */
static bool
is_reply(const uint8_t *buf, size_t len, int family, uint16_t id)
{
	struct rbuf r;

	rbuf_init(&r, buf, len);
	if (family == AF_INET) {
		uint8_t vihl = rbuf_u8(&r);

		if ((vihl >> 4) != 4 || (vihl & 15) < 5)
			return false;
		rbuf_init(&r, buf, len);
		rbuf_skip(&r, (size_t)(vihl & 15) * 4);
	}
	if (rbuf_u8(&r) != (family == AF_INET6 ? ECHO_REPLY6 : ECHO_REPLY4))
		return false;
	rbuf_skip(&r, 3);		/* code, checksum */
	return rbuf_u16(&r) == id && !r.err;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
wait_reply(int fd, int family, uint16_t id, int ms)
{
	long long until = now_ms() + ms;
	uint8_t buf[2048];

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long long left = until - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return false;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0 && is_reply(buf, (size_t)n, family, id))
			return true;
	}
}

int
main(int argc, char **argv)
{
	const char *pattern = "mip6topo-ping";
	int count = 3, wait_ms = 1000, c, fd;
	uint16_t id = (uint16_t)getpid();
	struct target t;
	uint8_t pkt[256];

	while ((c = getopt(argc, argv, "c:W:p:")) != -1) {
		switch (c) {
		case 'c':
			count = atoi(optarg);
			break;
		case 'W':
			wait_ms = atoi(optarg);
			break;
		case 'p':
			pattern = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1 || parse_target(argv[optind], &t) < 0 ||
	    count < 1 || wait_ms < 1) {
		fprintf(stderr, "usage: ping_helper [-c COUNT] [-W MS] "
		    "[-p PATTERN] ADDR\n");
		return 2;
	}
	fd = socket(t.family, SOCK_RAW, t.family == AF_INET6 ?
	    IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0) {
		perror("ping_helper: socket");
		return 2;
	}
	for (int seq = 1; seq <= count; seq++) {
		size_t len = build_echo(pkt, sizeof(pkt), t.family, id,
		    (uint16_t)seq, pattern);

		if (len == 0 || sendto(fd, pkt, len, 0,
		    (struct sockaddr *)&t.sa, t.salen) < 0) {
			fprintf(stderr, "ping_helper: send to %s: %s\n",
			    argv[optind], strerror(errno));
			continue;
		}
		if (wait_reply(fd, t.family, id, wait_ms)) {
			printf("reply from %s\n", argv[optind]);
			close(fd);
			return 0;
		}
	}
	fprintf(stderr, "ping_helper: no reply from %s\n", argv[optind]);
	close(fd);
	return 1;
}
