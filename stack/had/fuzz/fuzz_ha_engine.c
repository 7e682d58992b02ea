/*
 * fuzz_ha_engine.c - libFuzzer harness for the home agent's protocol
 * engine: every input is a ring-buffer record as the eBPF program hands
 * it over (struct m6_sig + packet bytes), on a home agent with a real
 * home link, a mobile router with prefixes, authentication off (so that
 * forged registrations get deep into the engine) and virtual time.
 *
 * Input layout: byte 0 picks the record's reason (M6S_*), byte 1 its
 * flags (0x01 reverse-tunneled, 0x04 came inside IPv4/UDP to port 4191
 * from a NAT: RFC 5555) and how far virtual time advances before it (so
 * timers - DAD, unsolicited NAs, expiry, BRR - fire between inputs), the
 * rest is the packet from its IPv6 header on.  The home agent is also a
 * dual-stack one (IPv4 address, pool, a node with an IPv4 home address).
 * One home address (2001:db8:1::e5) has manual IPsec SAs (RFC 3776): its
 * BUs must come inside ESP (NULL encryption inbound, so the seed's inner
 * BU is visible to mutation; AES-CBC outbound: the BA is sealed), which
 * takes inputs through the ESP path of the engine (SPI lookup, replay
 * window, ICV, the rebuilt plaintext packet; seed corpus/ha_engine/bu_esp).
 *
 * The oracle: everything the engine sends must decode with packets/ and
 * without an error-severity violation (the engine builds its packets
 * with the encoder; a malformed one is a bug, found here as an abort).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packets/arp.h"
#include "packets/pkt.h"
#include "packets/viol.h"
#include "stack/had/ha_engine.h"
#include "stack/had/had_conf.h"
#include "stack/lib/tests/nullops.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char conf_text[] =
    "interface home0 home-link\n"
    "interface ext0\n"
    "home-prefix 2001:db8:1::/64\n"
    "home-agent-address 2001:db8:1::1\n"
    "authentication none\n"
    "default-policy allow\n"
    "max-bindings 512\n"
    "max-binding-lifetime 600\n"
    "binding-refresh-lead 20\n"
    "dad-transmits 1\n"
    "retrans-timer 1000\n"
    "mobile-node 2001:db8:1::d0 {\n"
    "\tmobile-router\n"
    "\tmobile-network-prefix 2001:db8:100::/64\n"
    "\tipv4-prefix 203.0.113.0/24\n"
    "}\n"
    "ipv4-address 198.51.100.1/24\n"
    "ipv4-pool 198.51.100.64/30\n"
    "mobile-node 2001:db8:1::b0 {\n"
    "\tipv4-home-address 198.51.100.7\n"
    "}\n"
    "sa in spi 0x1000 peer 2001:db8:1::e5 enc null auth hmac-sha1 "
    "0x0102030405060708090a0b0c0d0e0f1011121314\n"
    "sa out spi 0x1001 peer 2001:db8:1::e5 enc aes-cbc "
    "0x00112233445566778899aabbccddeeff auth hmac-sha1 "
    "0x0102030405060708090a0b0c0d0e0f1011121314\n";

static struct ha_engine *eng;
static uint64_t now = 1000000;
static struct pkt out;

static void
check_sent(const uint8_t *p, size_t len)
{
	/* IPv6, or IPv4 for the replies to IPv4-tunneled BUs */
	pkt_decode(&out, PKT_LINK_RAW, p, len);
	if (viol_count_severity(&out.viol, VS_ERROR) > 0)
		abort();
}

static void
op_send(void *ctx, unsigned oif, const uint8_t *p, size_t len)
{
	(void)ctx;
	(void)oif;
	check_sent(p, len);
}

static void
op_send_l2(void *ctx, unsigned oif, const uint8_t mac[6], const uint8_t *p,
    size_t len)
{
	struct arp_msg m;

	(void)ctx;
	(void)oif;
	(void)mac;
	/* proxy ARP for IPv4 home addresses: an ARP body, well formed */
	if (len > 0 && p[0] == 0) {
		if (len != ARP_LEN || arp_decode(&m, p, len) != 0)
			abort();
		return;
	}
	check_sent(p, len);
}

static int
op_bind4_set(void *ctx, const struct in_addr *p, unsigned plen,
    const struct in6_addr *h)
{
	(void)ctx;
	(void)p;
	(void)h;
	return plen > 32 ? -1 : 0;
}

static void
op_bind4_del(void *ctx, const struct in_addr *p, unsigned plen)
{
	(void)ctx;
	(void)p;
	if (plen == 0 || plen > 32)
		abort();	/* the engine never asks for those */
}

static const struct ha_ops ops = {
	.send = op_send, .send_l2 = op_send_l2, .bind_set = ha_null_bind_set,
	.bind_del = ha_null_bind_del, .mnp_set = ha_null_mnp_set,
	.mnp_del = ha_null_mnp_del, .ndp_watch = ha_null_ndp_watch,
	.log = ha_null_log, .bind4_set = op_bind4_set,
	.bind4_del = op_bind4_del,
};

static void
setup(void)
{
	static const struct ha_iface ifs[2] = {
		{ .ifindex = 2, .name = "home0", .home_link = true,
		  .mac = { 0x02, 0, 0, 0, 0x01, 0x01 }, .mtu = 1500,
		  .ll = { .s6_addr = { 0xfe, 0x80, [11] = 0xff, [12] = 0xfe,
		      [15] = 1 } } },
		{ .ifindex = 3, .name = "ext0",
		  .mac = { 0x02, 0, 0, 0, 0x02, 0x01 }, .mtu = 1500,
		  .ll = { .s6_addr = { 0xfe, 0x80, [15] = 2 } } },
	};
	struct had_conf c;
	char err[256];

	if (had_conf_parse(&c, "fuzz", conf_text, sizeof conf_text - 1, err,
	    sizeof err) < 0)
		abort();
	eng = ha_engine_new(&c, &ops, now);
	had_conf_free(&c);
	if (eng == NULL)
		abort();
	ha_engine_set_ifaces(eng, ifs, 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[M6_SIG_SNAPLEN];
	struct m6_sig sig;
	struct ha_input in = { .sig = &sig, .data = pkt };

	if (eng == NULL)
		setup();
	if (size < 2)
		return 0;
	memset(&sig, 0, sizeof sig);
	sig.reason = (uint16_t)(1 + data[0] % (M6S_MAX - 1));
	sig.flags = data[1] & M6SF_DECAP;
	sig.ifindex = (data[1] & 0x02) ? 2 : 3;
	sig.mtu = 1400;
	sig.l2_src[0] = 0x02;
	sig.l2_src[5] = data[1];
	if (sig.flags & M6SF_DECAP)
		sig.tun_src.b[0] = 0x20;
	if (data[1] & 0x04) {
		/* from NAT 192.0.2.20:40000 to our 198.51.100.1 */
		static const uint8_t nat[4] = { 192, 0, 2, 20 };
		static const uint8_t ours[4] = { 198, 51, 100, 1 };

		sig.flags = M6SF_UDP4;
		memset(&sig.tun_src, 0, sizeof sig.tun_src);
		sig.tun_src.b[10] = 0xff;
		sig.tun_src.b[11] = 0xff;
		memcpy(&sig.tun_src.b[12], nat, 4);
		memcpy(sig.tun_dst4, ours, 4);
		sig.udp_sport = 0x409c;		/* 40000, network order */
	}
	sig.caplen = (uint32_t)(size - 2 > sizeof pkt ? sizeof pkt : size - 2);
	sig.wirelen = sig.caplen;
	memcpy(pkt, data + 2, sig.caplen);
	/* Time moves on between inputs, by 0 to 31 s. */
	now += (uint64_t)(data[1] >> 3) * 1000;
	if (ha_engine_next_timeout(eng) <= now)
		ha_engine_timeout(eng, now);
	ha_engine_input(eng, &in, now);
	return 0;
}
