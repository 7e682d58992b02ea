/*
 * ptb_test.c - the Packet Too Big builder (packets/ptb.c, RFC 4443 §3.2):
 * the bytes on the wire (type 2, code 0, MTU, quote, checksum, length
 * within 1280), the 1280 floor of the MTU (RFC 8200 §5) and the packets
 * that must get no error (RFC 4443 §2.4 (e)).
 */
#include <atf-c.h>
#include <string.h>

#include "packets/cksum.h"
#include "packets/pkt.h"
#include "packets/ptb.h"
#include "packets/tests/testutil.h"

#define SENDER	"2001:db8:3::5"
#define HOA	"2001:db8:1::100"
#define HA	"2001:db8:1::1"

static uint8_t quote[2048], out[2048];
static size_t qlen, outlen;

/* The dropped packet: sender -> dst, Echo Request with `body` bytes, or
   an ICMPv6 message of `type` (an error when < 128). */
static void
make_quote(const char *src, const char *dst, uint8_t type, uint16_t body)
{
	struct in6_addr s = tu_in6(src), d = tu_in6(dst);
	struct icmp6_msg *m;
	struct pkt p;
	uint16_t i;

	ATF_REQUIRE(pkt_start_ipv6(&p, &s, &d, 64) != NULL);
	ATF_REQUIRE((m = pkt_push_icmp6(&p, type, 0)) != NULL);
	for (i = 0; i < body; i++)
		m->body[i] = (uint8_t)(i * 7);
	m->body_len = body;
	ATF_REQUIRE_EQ(pkt_encode(&p, quote, sizeof(quote), &qlen), 0);
}

static int
build(const char *src, uint32_t mtu, size_t len)
{
	struct in6_addr s = tu_in6(src);
	struct pkt tx;

	if (ptb_build(&tx, &s, mtu, quote, len) < 0)
		return -1;
	ATF_REQUIRE_EQ(pkt_encode(&tx, out, sizeof(out), &outlen), 0);
	return 0;
}

static uint32_t
be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

ATF_TC_WITHOUT_HEAD(bytes_on_the_wire);
ATF_TC_BODY(bytes_on_the_wire, tc)
{
	struct in6_addr s = tu_in6(HA), d = tu_in6(SENDER);
	uint32_t sum;

	make_quote(SENDER, HOA, ICMP6_T_ECHO_REQUEST, 1280);
	ATF_REQUIRE_EQ(qlen, 1328);
	ATF_REQUIRE_EQ(build(HA, 1460, qlen), 0);
	ATF_CHECK_EQ(outlen, 1280);		/* RFC 4443 §2.4 (c) */
	ATF_CHECK_EQ(out[0] >> 4, 6);
	ATF_CHECK_EQ(out[4] << 8 | out[5], 1280 - 40);
	ATF_CHECK_EQ(out[6], 58);
	ATF_CHECK_EQ(out[7], 64);
	ATF_CHECK(memcmp(out + 8, &s, 16) == 0);
	ATF_CHECK(memcmp(out + 24, &d, 16) == 0);	/* the sender */
	ATF_CHECK_EQ(out[40], 2);		/* Packet Too Big */
	ATF_CHECK_EQ(out[41], 0);
	ATF_CHECK_EQ(be32(out + 44), 1460);
	tu_bytes_eq("quote", out + 48, outlen - 48, quote, PTB_QUOTE_MAX);
	/* the checksum over pseudo-header and message sums to 0xffff */
	sum = cksum_pseudo6(&s, &d, (uint32_t)(outlen - 40), 58);
	sum = cksum_add(sum, out + 40, outlen - 40);
	ATF_CHECK_EQ(cksum_finish(sum), 0);
	ATF_CHECK(out[42] != 0 || out[43] != 0);
}

ATF_TC_WITHOUT_HEAD(short_quote_whole);
ATF_TC_BODY(short_quote_whole, tc)
{
	struct in6_addr qs, qd;

	make_quote(SENDER, HOA, ICMP6_T_ECHO_REQUEST, 100);
	ATF_REQUIRE_EQ(ptb_quoted_addrs(quote, qlen, &qs, &qd), 0);
	ATF_CHECK(memcmp(&qs, tu_in6(SENDER).s6_addr, 16) == 0);
	ATF_CHECK(memcmp(&qd, tu_in6(HOA).s6_addr, 16) == 0);
	ATF_REQUIRE_EQ(build(HOA, 1476, qlen), 0);
	ATF_CHECK_EQ(outlen, 48 + qlen);
	tu_bytes_eq("quote", out + 48, outlen - 48, quote, qlen);
}

ATF_TC_WITHOUT_HEAD(mtu_floor);
ATF_TC_BODY(mtu_floor, tc)
{
	make_quote(SENDER, HOA, ICMP6_T_ECHO_REQUEST, 8);
	ATF_REQUIRE_EQ(build(HA, 1000, qlen), 0);
	ATF_CHECK_EQ(be32(out + 44), 1280);	/* RFC 8200 §5 */
	ATF_REQUIRE_EQ(build(HA, 1281, qlen), 0);
	ATF_CHECK_EQ(be32(out + 44), 1281);
}

ATF_TC_WITHOUT_HEAD(no_error_allowed);
ATF_TC_BODY(no_error_allowed, tc)
{
	struct in6_addr qs, qd;

	/* RFC 4443 §2.4 (e): not for an ICMPv6 error ... */
	make_quote(SENDER, HOA, ICMP6_T_DST_UNREACH, 48);
	ATF_CHECK_EQ(build(HA, 1400, qlen), -1);
	/* ... but for an informational message */
	make_quote(SENDER, HOA, ICMP6_T_ECHO_REPLY, 48);
	ATF_CHECK_EQ(build(HA, 1400, qlen), 0);
	/* not to an unspecified or multicast source */
	make_quote("::", HOA, ICMP6_T_ECHO_REQUEST, 48);
	ATF_CHECK_EQ(build(HA, 1400, qlen), -1);
	make_quote("ff02::1", HOA, ICMP6_T_ECHO_REQUEST, 48);
	ATF_CHECK_EQ(build(HA, 1400, qlen), -1);
	/* not IPv6, or cut inside the IPv6 header */
	make_quote(SENDER, HOA, ICMP6_T_ECHO_REQUEST, 48);
	ATF_CHECK_EQ(build(HA, 1400, 39), -1);
	ATF_CHECK_EQ(ptb_quoted_addrs(quote, 39, &qs, &qd), -1);
	quote[0] = 0x45;
	ATF_CHECK_EQ(build(HA, 1400, qlen), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bytes_on_the_wire);
	ATF_TP_ADD_TC(tp, short_quote_whole);
	ATF_TP_ADD_TC(tp, mtu_floor);
	ATF_TP_ADD_TC(tp, no_error_allowed);
	return atf_no_error();
}
