/*
 * arp_test.c - ARP bodies (RFC 826, arp.h): decode of a request and encode
 * of the reply, byte for byte against vectors scapy 2.5.0 built
 * (ARP(op=1, hwsrc=02:00:00:00:11:01, psrc=192.0.2.1, pdst=192.0.2.10)
 * and the op=2 answer), and refusal of what is not Ethernet/IPv4 ARP.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <string.h>

#include "packets/arp.h"

static const uint8_t request[ARP_LEN] = {
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x11, 0x01, 0xc0, 0x00, 0x02, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x0a
};
static const uint8_t reply[ARP_LEN] = {
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,
	0x02, 0x00, 0x00, 0x00, 0x10, 0xb0, 0xc0, 0x00, 0x02, 0x0a,
	0x02, 0x00, 0x00, 0x00, 0x11, 0x01, 0xc0, 0x00, 0x02, 0x01
};

ATF_TC_WITHOUT_HEAD(decodes_a_request);
ATF_TC_BODY(decodes_a_request, tc)
{
	const uint8_t sha[6] = { 2, 0, 0, 0, 0x11, 0x01 };
	struct arp_msg m;

	ATF_REQUIRE_EQ(arp_decode(&m, request, sizeof(request)), 0);
	ATF_CHECK_EQ(m.op, ARP_OP_REQUEST);
	ATF_CHECK(memcmp(m.sha, sha, 6) == 0);
	ATF_CHECK_EQ(ntohl(m.spa.s_addr), 0xc0000201u);
	ATF_CHECK_EQ(ntohl(m.tpa.s_addr), 0xc000020au);
}

ATF_TC_WITHOUT_HEAD(encodes_the_reply);
ATF_TC_BODY(encodes_the_reply, tc)
{
	struct arp_msg m = { .op = ARP_OP_REPLY,
	    .sha = { 2, 0, 0, 0, 0x10, 0xb0 }, .tha = { 2, 0, 0, 0, 0x11, 1 } };
	uint8_t out[ARP_LEN];

	inet_pton(AF_INET, "192.0.2.10", &m.spa);
	inet_pton(AF_INET, "192.0.2.1", &m.tpa);
	memset(out, 0xee, sizeof(out));
	arp_encode(&m, out);
	ATF_CHECK(memcmp(out, reply, sizeof(reply)) == 0);
}

ATF_TC_WITHOUT_HEAD(refuses_short_and_foreign_bodies);
ATF_TC_BODY(refuses_short_and_foreign_bodies, tc)
{
	uint8_t other[ARP_LEN];
	struct arp_msg m;

	ATF_CHECK_EQ(arp_decode(&m, request, ARP_LEN - 1), -1);
	memcpy(other, request, sizeof(other));
	other[3] = 0xdd;	/* protocol 0x08dd: not IPv4 */
	ATF_CHECK_EQ(arp_decode(&m, other, sizeof(other)), -1);
	memcpy(other, request, sizeof(other));
	other[4] = 8;		/* hardware length 8: not Ethernet */
	ATF_CHECK_EQ(arp_decode(&m, other, sizeof(other)), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, decodes_a_request);
	ATF_TP_ADD_TC(tp, encodes_the_reply);
	ATF_TP_ADD_TC(tp, refuses_short_and_foreign_bodies);
	return atf_no_error();
}
