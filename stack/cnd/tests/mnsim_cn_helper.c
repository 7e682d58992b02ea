/*
 * stack/cnd/tests/mnsim_cn_helper.c - a simulated mobile node for the cnd
 * namespace test: the return routability procedure and a Binding Update
 * with a correspondent, the mobile node's side done here with packets/
 * (HoTI from the home address, CoTI from the care-of address, tokens
 * from the HoT and CoT, Kbm, the BU with a Home Address option, Nonce
 * Indices and Binding Authorization Data), then the BA checked (status,
 * Type 2 Routing header, authenticator).  With -e it then sends an echo
 * request from the care-of address with a Home Address option and waits
 * for the reply with a Type 2 Routing header (route optimisation by
 * cn.bpf.c).  With -b it only sends that echo request and waits for a
 * Binding Error (status 1: no binding for that home address).
 *
 *   mnsim_cn_helper -i IF -c COA -H HOA -n CN [-s SEQ] [-l LIFETIME_UNITS]
 *                   [-e | -b] [-t TIMEOUT_MS]
 *
 * Packets leave on a raw IPv6 socket (headers built here) and are read on
 * an AF_PACKET socket on IF.  Prints one line per step; exits 0 when the
 * BA has status 0 (and, with -e, the echo reply came back with RH2; with
 * -b, when the BE came), 1 otherwise, 2 on a usage or system error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"

static struct in6_addr coa, hoa, cn;
static int raw_sock = -1, pkt_sock = -1;
static int timeout_ms = 5000;
static struct pkt tx, rx;

static void
die(const char *what)
{
	fprintf(stderr, "mnsim_cn_helper: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
open_sockets(const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
	};

	raw_sock = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	pkt_sock = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IPV6));
	if (raw_sock < 0 || pkt_sock < 0)
		die("socket");
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0)
		die(ifname);
	if (bind(pkt_sock, (struct sockaddr *)&sll, sizeof sll) < 0)
		die("bind");
}

/* Encode tx and send it; returns the MH offset in buf via *mh_off. */
static size_t
encode(uint8_t *buf, size_t cap, size_t *mh_off)
{
	static struct pkt d;
	const struct hdr *h;
	size_t len;

	if (pkt_encode(&tx, buf, cap, &len) != 0) {
		fprintf(stderr, "mnsim_cn_helper: cannot encode\n");
		exit(2);
	}
	pkt_decode(&d, PKT_LINK_IPV6, buf, len);
	h = pkt_find_last(&d, HDR_MH);
	if (mh_off != NULL)
		*mh_off = h != NULL ? h->off : 0;
	return len;
}

static void
send_raw(const uint8_t *buf, size_t len)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };

	memcpy(&dst.sin6_addr, buf + 24, 16);
	if (sendto(raw_sock, buf, len, 0, (struct sockaddr *)&dst,
	    sizeof dst) < 0)
		die("sendto");
}

static struct hdr *
tx_start(const struct in6_addr *src, const struct in6_addr *dst)
{
	struct hdr *h;

	pkt_init(&tx, PKT_LINK_IPV6);
	h = pkt_push(&tx, HDR_IPV6);
	h->u.ip6.src = *src;
	h->u.ip6.dst = *dst;
	h->u.ip6.hlim = 64;
	return h;
}

static void
send_init(uint8_t type, const struct in6_addr *src, uint8_t cookie)
{
	uint8_t buf[256];
	struct mh_msg *m;

	tx_start(src, &cn);
	m = pkt_push_mh(&tx, type);
	memset(m->u.init.cookie, cookie, sizeof m->u.init.cookie);
	send_raw(buf, encode(buf, sizeof buf, NULL));
}

/*
 * Wait for an incoming packet that `want` accepts (decoded into rx);
 * false on timeout.  raw/rawlen: the packet's bytes.
 */
static bool
wait_for(bool (*want)(void *), void *arg, uint8_t *raw, size_t *rawlen)
{
	uint64_t end = now_ms() + (uint64_t)timeout_ms;

	for (;;) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof from;
		struct pollfd p = { .fd = pkt_sock, .events = POLLIN };
		uint64_t t = now_ms();
		ssize_t n;

		if (t >= end)
			return false;
		if (poll(&p, 1, (int)(end - t)) <= 0)
			continue;
		n = recvfrom(pkt_sock, raw, 2048, 0, (struct sockaddr *)&from,
		    &fl);
		if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING)
			continue;
		pkt_decode(&rx, PKT_LINK_IPV6, raw, (size_t)n);
		*rawlen = (size_t)n;
		if (want(arg))
			return true;
	}
}

static bool
is_mh(void *arg)
{
	return rx.has_mh && rx.mh.type == *(uint8_t *)arg;
}

/* The HoT and the CoT; either order. */
static void
do_rr(uint16_t *hidx, uint8_t htok[8], uint16_t *cidx, uint8_t ctok[8])
{
	uint8_t raw[2048];
	size_t len;
	bool got_h = false, got_c = false;
	uint8_t t;

	send_init(MH_HOTI, &hoa, 0x11);
	send_init(MH_COTI, &coa, 0x22);
	while (!got_h || !got_c) {
		t = got_h ? MH_COT : MH_HOT;
		if (!wait_for(is_mh, &t, raw, &len)) {
			printf("timeout waiting for %s\n", mh_type_abbrev(t));
			exit(1);
		}
		if (t == MH_HOT) {
			*hidx = rx.mh.u.test.nonce_index;
			memcpy(htok, rx.mh.u.test.token, 8);
			got_h = true;
		} else {
			*cidx = rx.mh.u.test.nonce_index;
			memcpy(ctok, rx.mh.u.test.token, 8);
			got_c = true;
		}
		printf("%s index=%u\n", mh_type_abbrev(t), t == MH_HOT ?
		    *hidx : *cidx);
	}
}

static int
do_bu(uint16_t seq, uint16_t lifetime)
{
	uint8_t buf[512], raw[2048], kbm[RR_KBM_LEN], htok[8], ctok[8];
	uint16_t hidx = 0, cidx = 0;
	const struct hdr *h;
	struct mh_opt *o;
	struct mh_msg *m;
	size_t len, off;
	uint8_t t = MH_BA;
	int ok;

	do_rr(&hidx, htok, &cidx, ctok);
	if (rr_kbm(htok, lifetime == 0 ? NULL : ctok, kbm) != 0)
		die("rr_kbm");
	tx_start(&coa, &cn);
	pkt_push_hao(&tx, &hoa);
	m = pkt_push_mh(&tx, MH_BU);
	m->u.bu.seq = seq;
	m->u.bu.flags = MH_BU_A;
	m->u.bu.lifetime = lifetime;
	o = mh_add_opt(m, MHOPT_NI);
	o->u.ni.home = hidx;
	o->u.ni.careof = cidx;
	o = mh_add_opt(m, MHOPT_BAD);
	o->var_len = RR_AUTH_LEN;
	len = encode(buf, sizeof buf, &off);
	if (rr_sign_mh(buf + off, len - off, kbm, &coa, &cn, &hoa, &cn) != 0)
		die("rr_sign_mh");
	send_raw(buf, len);
	if (!wait_for(is_mh, &t, raw, &len)) {
		printf("timeout waiting for BA\n");
		return 1;
	}
	h = pkt_find_last(&rx, HDR_MH);
	ok = mh_find_opt(&rx.mh, MHOPT_BAD) != NULL ? rr_verify_mh(raw +
	    h->off, h->len, kbm, &coa, &cn) : 0;
	printf("BA status=%u seq=%u lifetime=%u rh2=%s auth=%s\n",
	    rx.mh.u.ba.status, rx.mh.u.ba.seq, rx.mh.u.ba.lifetime,
	    pkt_rh2(&rx) != NULL && memcmp(pkt_rh2(&rx), &hoa, 16) == 0 ?
	    "hoa" : "none", ok == 1 ? "ok" : "bad");
	return rx.mh.u.ba.status == 0 && ok == 1 && pkt_rh2(&rx) != NULL ?
	    0 : 1;
}

static bool
is_echo_reply(void *arg)
{
	(void)arg;
	return rx.has_icmp6 && rx.icmp6.type == 129;
}

/* An echo request from the CoA with a HAO. */
static void
send_echo(void)
{
	uint8_t buf[256];
	struct icmp6_msg *m;

	tx_start(&coa, &cn);
	pkt_push_hao(&tx, &hoa);
	m = pkt_push_icmp6(&tx, 128, 0);
	m->u.echo.id = 0x4d36;
	m->u.echo.seq = 1;
	send_raw(buf, encode(buf, sizeof buf, NULL));
}

/* The reply must come to the CoA with an RH2 holding the HoA. */
static int
do_echo(void)
{
	uint8_t raw[2048];
	size_t len;
	const struct in6_addr *rh2;

	send_echo();
	if (!wait_for(is_echo_reply, NULL, raw, &len)) {
		printf("timeout waiting for the echo reply\n");
		return 1;
	}
	rh2 = pkt_rh2(&rx);
	printf("echo-reply dst=%s rh2=%s\n",
	    memcmp(&pkt_inner_ip6(&rx)->dst, &coa, 16) == 0 ? "coa" : "other",
	    rh2 != NULL && memcmp(rh2, &hoa, 16) == 0 ? "hoa" : "none");
	return rh2 != NULL && memcmp(rh2, &hoa, 16) == 0 ? 0 : 1;
}

/* Without a binding: a Binding Error for the HoA, to the CoA. */
static int
do_be(void)
{
	uint8_t raw[2048], t = MH_BE;
	size_t len;
	char a[IN6_STRLEN];

	send_echo();
	if (!wait_for(is_mh, &t, raw, &len)) {
		printf("timeout waiting for the BE\n");
		return 1;
	}
	printf("BE status=%u hoa=%s\n", rx.mh.u.be.status,
	    in6_fmt(&rx.mh.u.be.hoa, a));
	return rx.mh.u.be.status == BE_UNKNOWN_HAO ? 0 : 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mnsim_cn_helper -i IF -c COA -H HOA -n CN "
	    "[-s SEQ] [-l LIFETIME] [-e | -b] [-t MS]\n");
	exit(2);
}

static void
addr_arg(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		usage();
}

int
main(int argc, char **argv)
{
	const char *ifname = NULL;
	unsigned long seq = 1, lifetime = 100;
	bool echo = false, be = false;
	int ch, rc;

	while ((ch = getopt(argc, argv, "bc:eH:i:l:n:s:t:")) != -1) {
		switch (ch) {
		case 'b': be = true; break;
		case 'c': addr_arg(optarg, &coa); break;
		case 'e': echo = true; break;
		case 'H': addr_arg(optarg, &hoa); break;
		case 'i': ifname = optarg; break;
		case 'l': lifetime = strtoul(optarg, NULL, 0); break;
		case 'n': addr_arg(optarg, &cn); break;
		case 's': seq = strtoul(optarg, NULL, 0); break;
		case 't': timeout_ms = atoi(optarg); break;
		default: usage();
		}
	}
	if (ifname == NULL || seq > 0xffff || lifetime > 0xffff)
		usage();
	open_sockets(ifname);
	if (be)
		return do_be();
	rc = do_bu((uint16_t)seq, (uint16_t)lifetime);
	if (rc == 0 && echo)
		rc = do_echo();
	fflush(stdout);
	return rc;
}
