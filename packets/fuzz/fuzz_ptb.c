/*
 * fuzz_ptb.c - libFuzzer harness for the Packet Too Big builder (ptb.c):
 * the daemons' engines hand it the first octets of a packet their eBPF
 * program dropped for its size, that is bytes from the network.
 * ptb_quoted_addrs() and ptb_build() must never read out of bounds; a
 * built message must encode, fit the IPv6 minimum MTU (RFC 4443 §2.4 (c)),
 * go to the quoted packet's source, and carry an MTU of at least 1280.
 * The first 4 input octets are the MTU, the rest the quote.  Seeds:
 * packets/fuzz/corpus/ptb/.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/ptb.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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
