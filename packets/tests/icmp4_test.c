/*
 * icmp4_test.c - the ICMPv4 Fragmentation Needed builder (packets/icmp4.c,
 * RFC 792 type 3 code 4, RFC 1191 §4): the bytes on the wire (headers,
 * next-hop MTU, quote, both checksums), the 576-octet bound (RFC 1812
 * §4.3.2.3), the 68 floor of the MTU (RFC 791) and the packets that must
 * get no error (DF clear, later fragments, ICMP errors, no single host:
 * RFC 1191 §4, RFC 1122 §3.2.2).
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <string.h>

#include "packets/cksum.h"
#include "packets/icmp4.h"

static uint8_t quote[2048], out[2048];
static size_t outlen;

/* An IPv4 packet of len octets src -> 192.0.2.10, proto, frag field. */
static void
make_quote(const char *src, uint8_t proto, uint16_t frag, size_t len)
{
	size_t i;

	memset(quote, 0, sizeof(quote));
	quote[0] = 0x45;
	quote[2] = (uint8_t)(len >> 8);
	quote[3] = (uint8_t)len;
	quote[6] = (uint8_t)(frag >> 8);
	quote[7] = (uint8_t)frag;
	quote[8] = 63;
	quote[9] = proto;
	ATF_REQUIRE_EQ(inet_pton(AF_INET, src, quote + 12), 1);
	ATF_REQUIRE_EQ(inet_pton(AF_INET, "192.0.2.10", quote + 16), 1);
	for (i = 20; i < len; i++)
		quote[i] = (uint8_t)(i * 7);
	if (proto == 1)
		quote[20] = 8;		/* Echo Request */
}

static int
build(uint16_t mtu, size_t qlen)
{
	struct in_addr ha;

	ATF_REQUIRE_EQ(inet_pton(AF_INET, "198.51.100.1", &ha), 1);
	return icmp4_frag_needed(out, sizeof(out), &outlen, &ha, mtu, quote,
	    qlen);
}

static unsigned
be16(const uint8_t *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

ATF_TC_WITHOUT_HEAD(bytes_on_the_wire);
ATF_TC_BODY(bytes_on_the_wire, tc)
{
	static const uint8_t ha[4] = { 198, 51, 100, 1 };
	static const uint8_t cn[4] = { 203, 0, 113, 7 };

	make_quote("203.0.113.7", 17, 0x4000, 300);
	ATF_REQUIRE_EQ(build(1472, 300), 0);
	ATF_CHECK_EQ(outlen, 20 + 8 + 300);
	ATF_CHECK_EQ(out[0], 0x45);
	ATF_CHECK_EQ(be16(out + 2), outlen);
	ATF_CHECK_EQ(be16(out + 6), 0);		/* no DF on the error */
	ATF_CHECK_EQ(out[8], ICMP4_TTL);
	ATF_CHECK_EQ(out[9], 1);
	ATF_CHECK(memcmp(out + 12, ha, 4) == 0);
	ATF_CHECK(memcmp(out + 16, cn, 4) == 0);
	ATF_CHECK_EQ(cksum_finish(cksum_add(0, out, 20)), 0);
	ATF_CHECK_EQ(out[20], 3);
	ATF_CHECK_EQ(out[21], 4);
	ATF_CHECK_EQ(be16(out + 24), 0);
	ATF_CHECK_EQ(be16(out + 26), 1472);
	ATF_CHECK(memcmp(out + 28, quote, 300) == 0);
	ATF_CHECK_EQ(cksum_finish(cksum_add(0, out + 20, outlen - 20)), 0);
}

ATF_TC_WITHOUT_HEAD(quote_within_576);
ATF_TC_BODY(quote_within_576, tc)
{
	make_quote("203.0.113.7", 6, 0x4000, 1400);
	ATF_REQUIRE_EQ(build(1400, 1400), 0);
	ATF_CHECK_EQ(outlen, ICMP4_ERR_MAX);
	ATF_CHECK_EQ(be16(out + 2), ICMP4_ERR_MAX);
	ATF_CHECK(memcmp(out + 28, quote, ICMP4_QUOTE_MAX) == 0);
	ATF_CHECK_EQ(cksum_finish(cksum_add(0, out + 20, outlen - 20)), 0);
}

ATF_TC_WITHOUT_HEAD(mtu_floor);
ATF_TC_BODY(mtu_floor, tc)
{
	make_quote("203.0.113.7", 17, 0x4000, 100);
	ATF_REQUIRE_EQ(build(40, 100), 0);
	ATF_CHECK_EQ(be16(out + 26), ICMP4_MIN_MTU);
}

ATF_TC_WITHOUT_HEAD(no_error_for);
ATF_TC_BODY(no_error_for, tc)
{
	make_quote("203.0.113.7", 17, 0, 100);		/* DF clear */
	ATF_CHECK_EQ(build(1400, 100), -1);
	make_quote("203.0.113.7", 17, 0x4000 | 10, 100); /* later fragment */
	ATF_CHECK_EQ(build(1400, 100), -1);
	make_quote("203.0.113.7", 1, 0x4000, 100);	/* Echo: answered */
	ATF_CHECK_EQ(build(1400, 100), 0);
	quote[20] = 3;					/* an error: not */
	ATF_CHECK_EQ(build(1400, 100), -1);
	make_quote("224.0.0.9", 17, 0x4000, 100);
	ATF_CHECK_EQ(build(1400, 100), -1);
	make_quote("0.0.0.0", 17, 0x4000, 100);
	ATF_CHECK_EQ(build(1400, 100), -1);
	make_quote("203.0.113.7", 17, 0x4000, 100);
	ATF_CHECK_EQ(build(1400, 19), -1);		/* cut header */
	quote[0] = 0x60;				/* not IPv4 */
	ATF_CHECK_EQ(build(1400, 100), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bytes_on_the_wire);
	ATF_TP_ADD_TC(tp, quote_within_576);
	ATF_TP_ADD_TC(tp, mtu_floor);
	ATF_TP_ADD_TC(tp, no_error_for);
	return 0;
}
