/*
 * fuzz_arp.c - libFuzzer harness for the ARP codec (arp.c), which the
 * conformance tester runs on every frame its emulated IPv4 nodes see:
 * arp_decode() on arbitrary bytes must never read out of bounds, and what
 * it accepts must encode back to the same 28 octets.  Seeds:
 * packets/fuzz/corpus/arp/ (a request, a reply, a short body, a body that
 * is not Ethernet over IPv4).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/arp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arp_msg m;
	uint8_t out[ARP_LEN];

	if (arp_decode(&m, data, size) < 0)
		return 0;
	arp_encode(&m, out);
	if (memcmp(out, data, ARP_LEN) != 0)
		abort();
	return 0;
}
