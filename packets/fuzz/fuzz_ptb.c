/*
 * fuzz_ptb.c - libFuzzer harness for the Packet Too Big builder (ptb.c):
 * the daemons' engines hand it the first octets of a packet their eBPF
 * program dropped for its size, that is bytes from the network.
 * ptb_quoted_addrs() and ptb_build() must never read out of bounds; a
 * built message must encode, fit the IPv6 minimum MTU (RFC 4443 §2.4 (c)),
 * go to the quoted packet's source, and carry an MTU of at least 1280.
 * Likewise its IPv4 sibling, icmp4_frag_needed() (icmp4.c, the home
 * agent's answer to a DSMIPv6 packet with DF that no longer fits): an
 * error built is at most 576 octets (RFC 1812 §4.3.2.3), goes to the
 * quoted source, is type 3 code 4 with an MTU of at least 68, and
 * decodes (pkt_decode, ip4_icmp.c) without a violation.
 * The first 4 input octets are the MTU, the rest the quote.  Seeds:
 * packets/fuzz/corpus/ptb/.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/icmp4.h"
#include "packets/pkt.h"
#include "packets/ptb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The IPv4 Fragmentation Needed built from the same quote and MTU. */
static void
frag_needed(const uint8_t *quote, size_t qlen, uint32_t mtu)
{
	static uint8_t out[ICMP4_ERR_MAX];
	static struct pkt rx;
	struct in_addr src = { .s_addr = htonl(0xc0000201) }, qsrc;
	uint16_t m = mtu > 0xffff ? 0xffff : (uint16_t)mtu;
	size_t len;
	int have = icmp4_quoted_src(quote, qlen, &qsrc);

	if (icmp4_frag_needed(out, sizeof(out), &len, &src, m, quote,
	    qlen) < 0)
		return;
	if (have < 0)
		abort();	/* built from a quote that is not IPv4 */
	if (len > ICMP4_ERR_MAX || len < 28)
		abort();
	if (memcmp(out + 16, &qsrc, 4) != 0 || out[20] != 3 || out[21] != 4)
		abort();
	if (((uint32_t)out[26] << 8 | out[27]) < ICMP4_MIN_MTU)
		abort();
	if (pkt_decode(&rx, PKT_LINK_RAW, out, len) < 0 || rx.viol.n != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[2048];
	struct in6_addr src, qsrc, qdst;
	struct pkt tx;
	size_t len;
	uint32_t mtu;
	int have;

	if (size < 4)
		return 0;
	mtu = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
	    (uint32_t)data[2] << 8 | data[3];
	data += 4;
	size -= 4;
	frag_needed(data, size, mtu);
	have = ptb_quoted_addrs(data, size, &qsrc, &qdst);
	memset(&src, 0, sizeof(src));
	src.s6_addr[0] = 0x20;
	src.s6_addr[1] = 0x01;
	src.s6_addr[15] = 1;
	if (ptb_build(&tx, &src, mtu, data, size) < 0)
		return 0;
	if (have < 0)
		abort();	/* built from a quote that is not IPv6 */
	if (pkt_encode(&tx, out, sizeof(out), &len) < 0)
		abort();
	if (len > PTB_MIN_MTU || len < 48)
		abort();
	/* to the quoted packet's source; ICMPv6 type 2; MTU >= 1280 */
	if (memcmp(out + 24, &qsrc, 16) != 0 || out[40] != 2)
		abort();
	if (((uint32_t)out[44] << 24 | (uint32_t)out[45] << 16 |
	    (uint32_t)out[46] << 8 | out[47]) < PTB_MIN_MTU)
		abort();
	return 0;
}
