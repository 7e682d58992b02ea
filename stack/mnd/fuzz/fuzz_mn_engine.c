/*
 * fuzz_mn_engine.c - libFuzzer harness for the mobile node's protocol
 * engine: every input is a ring-buffer record as mn.bpf.c hands it over
 * (struct m6_sig + packet bytes) or, now and then, a movement message from
 * the bus, on virtual time.  The engine starts away from home with two
 * home addresses (one with a configured home agent, one discovering it
 * with DHAAD), route optimisation on, as a mobile router in explicit mode;
 * the first asks for a dynamic IPv4 home address (DSMIPv6, with the home
 * agent's IPv4 address), the second for a static one.  The first home
 * agent the DHAAD seed names (2001:db8:7::1) has manual IPsec SAs (RFC
 * 3776): BUs to it leave in ESP and its BAs must come so (NULL encryption
 * inbound, so the seed corpus/mn_engine/esp-ba shows its inner BA to
 * mutation), which takes inputs through the engine's ESP path.
 *
 * Input layout: byte 0 picks the record's reason (bits 0-1: M6S_MH,
 * M6S_ICMP_MN, M6S_RR_HINT or M6S_ICMP_ERR), bit 2 makes the harness
 * answer for the engine (a Binding Acknowledgement's or HoT/CoT's
 * sequence number or cookie is patched to the last one sent, so forged
 * inputs get past the checks into the state machines), bit 3 sends an
 * MD_INFO first (bit 4: dereghome instead of rereg; bit 5: another
 * care-of address; bit 6: an IPv4 one, RFC 5555), bit 7 makes the
 * record one that came inside IPv4/UDP from the home agent's IPv4
 * address (M6SF_UDP4); byte 1 says how far virtual time advances before the
 * record (0 to 255 s, so retransmissions, refreshes and expiry fire); the
 * rest is the packet from its IPv6 header on.
 *
 * The oracle: everything the engine sends must decode with packets/
 * without an error-severity violation (the engine builds its packets with
 * the encoder; a malformed one is a bug, found here as an abort).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/viol.h"
#include "stack/lib/tests/nullops.h"
#include "stack/mnd/mn_engine.h"
#include "stack/mnd/mnd_conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct mn_engine *eng;
static uint64_t now = 1000000;
static struct pkt out, in;
/* the last BU sequence number and HoTI/CoTI cookies the engine sent */
static uint16_t last_seq;
static uint8_t last_hoti[8], last_coti[8];

static void
op_send(void *ctx, unsigned oif, const uint8_t *p, size_t len)
{
	(void)ctx;
	(void)oif;
	pkt_decode(&out, PKT_LINK_IPV6, p, len);
	if (viol_count_severity(&out.viol, VS_ERROR) > 0)
		abort();
	if (!out.has_mh)
		return;
	if (out.mh.type == MH_BU)
		last_seq = out.mh.u.bu.seq;
	else if (out.mh.type == MH_HOTI)
		memcpy(last_hoti, out.mh.u.init.cookie, 8);
	else if (out.mh.type == MH_COTI)
		memcpy(last_coti, out.mh.u.init.cookie, 8);
}

static int
op_hoa_set(void *ctx, const struct in6_addr *hoa, const struct m6_mn_hoa *r)
{
	(void)ctx;
	(void)hoa;
	return r->seq % 7 == 0 ? -1 : 0;	/* the kernel refuses some */
}

static void
op_send_udp4(void *ctx, unsigned oif, const struct in_addr *src,
    uint16_t sport, const struct in_addr *dst, const uint8_t *p, size_t len)
{
	(void)src;
	(void)sport;
	(void)dst;
	op_send(ctx, oif, p, len);
}

static void
op_hoa4(void *ctx, const struct in6_addr *hoa, const struct in_addr *addr,
    uint8_t plen, unsigned coa_ifindex, bool on)
{
	(void)ctx;
	(void)hoa;
	(void)addr;
	(void)coa_ifindex;
	(void)on;
	if (plen == 0 || plen > 32)
		abort();
}

static const struct mn_ops ops = {
	.send = op_send, .hoa_set = op_hoa_set, .ro_set = mn_null_ro_set,
	.ro_del = mn_null_ro_del, .send_udp4 = op_send_udp4, .hoa4 = op_hoa4,
};

static void
md_info(uint32_t cmd, uint8_t variant, bool v4)
{
	struct msock_msg m;

	memset(&m, 0, sizeof(m));
	m.version = MSOCK_VERSION;
	m.type = MSOCK_MD_INFO;
	m.command = cmd;
	m.ifindex = cmd == MSOCK_MD_DEREGHOME ? 3 : 4;
	m.present = 1u << MSA_COMMAND | 1u << MSA_IFINDEX;
	if (cmd == MSOCK_MD_REREG && v4) {
		inet_pton(AF_INET, "192.0.2.10", &m.coa4);
		((uint8_t *)&m.coa4)[3] ^= variant;
		m.present |= 1u << MSA_COA4;
	} else if (cmd == MSOCK_MD_REREG) {
		inet_pton(AF_INET6, "2001:db8:2::200", &m.coa);
		m.coa.s6_addr[15] = variant;
		m.present |= 1u << MSA_COA;
	}
	mn_engine_bus(eng, &m, now);
}

/* One `sa` line's words (stack/lib/espsa.h) into c. */
static int
add_sa(struct mnd_conf *c, const char *line)
{
	char buf[256], *w[16], *save = NULL, *t;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (t = strtok_r(buf, " ", &save); t != NULL && n < 16;
	    t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return espsa_parse((const char *const *)w, n, &c->sa[c->nsa++], NULL,
	    0);
}

static void
setup(void)
{
	struct mnd_conf c;

	mnd_conf_init(&c);
	c.nhoa = 2;
	inet_pton(AF_INET6, "2001:db8:1::100", &c.hoa[0].pfx.addr);
	c.hoa[0].pfx.plen = 64;
	c.hoa[0].has_ha = true;
	inet_pton(AF_INET6, "2001:db8:1::1", &c.hoa[0].ha);
	inet_pton(AF_INET6, "2001:db8:7::100", &c.hoa[1].pfx.addr);
	c.hoa[1].pfx.plen = 64;
	c.hoa[0].v4mode = MND_V4_DYNAMIC;
	c.hoa[0].v4plen = 32;
	c.hoa[0].has_ha4 = true;
	inet_pton(AF_INET, "192.0.2.1", &c.hoa[0].ha4);
	c.hoa[1].v4mode = MND_V4_STATIC;
	c.hoa[1].v4plen = 32;
	inet_pton(AF_INET, "198.51.100.7", &c.hoa[1].v4addr);
	c.niface = 1;
	c.route_opt = true;
	c.mobile_router = true;
	c.regmode = MND_REG_EXPLICIT;
	c.nmnp = 1;
	inet_pton(AF_INET6, "2001:db8:100::", &c.mnp[0].pfx.addr);
	c.mnp[0].pfx.plen = 64;
	if (add_sa(&c, "out spi 0x1000 peer 2001:db8:7::1 enc aes-cbc "
	    "0x00112233445566778899aabbccddeeff auth hmac-sha1 "
	    "0x0102030405060708090a0b0c0d0e0f1011121314") < 0 ||
	    add_sa(&c, "in spi 0x1001 peer 2001:db8:7::1 enc null auth "
	    "hmac-sha1 0x0102030405060708090a0b0c0d0e0f1011121314") < 0)
		abort();
	eng = mn_engine_new(&c, &ops, now);
	if (eng == NULL)
		abort();
	md_info(MSOCK_MD_REREG, 0, false);
}

/* Make a forged BA, HoT or CoT answer what the engine sent last. */
static size_t
patch(uint8_t *buf, size_t len, size_t cap)
{
	size_t n;

	if (pkt_decode(&in, PKT_LINK_IPV6, buf, len) != 0 || !in.has_mh)
		return len;
	if (in.mh.type == MH_BA)
		in.mh.u.ba.seq = last_seq;
	else if (in.mh.type == MH_HOT)
		memcpy(in.mh.u.test.cookie, last_hoti, 8);
	else if (in.mh.type == MH_COT)
		memcpy(in.mh.u.test.cookie, last_coti, 8);
	else
		return len;
	return pkt_encode(&in, buf, cap, &n) == 0 ? n : len;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t reasons[4] = { M6S_MH, M6S_ICMP_MN,
	    M6S_RR_HINT, M6S_ICMP_ERR };
	static uint8_t buf[M6_SIG_SNAPLEN + 256];
	struct m6_sig sig;
	struct mn_input rec = { .sig = &sig, .data = buf };
	size_t len;
	uint64_t t;

	if (eng == NULL)
		setup();
	if (size < 2)
		return 0;
	now += (uint64_t)data[1] * 1000;
	while ((t = mn_engine_next_timeout(eng)) <= now)
		mn_engine_timeout(eng, t);
	if (data[0] & 0x08)
		md_info((data[0] & 0x10) ? MSOCK_MD_DEREGHOME : MSOCK_MD_REREG,
		    (data[0] & 0x20) ? 1 : 0, (data[0] & 0x40) != 0);
	len = size - 2 > M6_SIG_SNAPLEN ? M6_SIG_SNAPLEN : size - 2;
	memcpy(buf, data + 2, len);
	if (data[0] & 0x04)
		len = patch(buf, len, sizeof(buf));
	memset(&sig, 0, sizeof(sig));
	sig.reason = reasons[data[0] & 3];
	sig.ifindex = 4;
	sig.caplen = (uint32_t)len;
	sig.wirelen = (uint32_t)len;
	if (data[0] & 0x80) {
		sig.flags = M6SF_UDP4;
		sig.udp_sport = htons(4191);
		sig.tun_src.b[10] = sig.tun_src.b[11] = 0xff;
		inet_pton(AF_INET, "192.0.2.1", sig.tun_src.b + 12);
	}
	mn_engine_input(eng, &rec, now);
	return 0;
}
