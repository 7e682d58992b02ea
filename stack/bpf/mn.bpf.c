/*
 * stack/bpf/mn.bpf.c - the mobile node's (and mobile router's) kernel
 * half: tc clsact programs on every managed interface (stack/DESIGN.md,
 * "The mobile node / mobile router").
 *
 * Egress, source = a home address while away:
 *  - peer with an active route-optimised binding (mn_ro): a Destination
 *    Options header with the Home Address option goes in after the IPv6
 *    header and the source becomes the care-of address (RFC 6275 §11.3.1,
 *    §6.3); Mobility Headers (the HoTI) are never route-optimised;
 *  - otherwise IPv6-in-IPv6 from the care-of address to the home agent
 *    (RFC 6275 §11.3.1, RFC 2473);
 *  then out of the care-of interface via the default router (a
 *  route-optimised packet the kernel already routed out of the care-of
 *  interface goes on with its Ethernet header: ro_out); a packet
 *  that no longer fits that interface's MTU goes to the daemon (M6S_PTB,
 *  it sends the Packet Too Big) and is dropped.
 * Ingress:
 *  - a mobile router's mobile network (mn_mnp) -> tunnel to the HA (RFC
 *    3963 §5.5: no route optimisation for mobile networks);
 *  - IPv6-in-IPv6 from the HA to a care-of address -> decapsulated;
 *    signaling inside goes to the daemon; traffic from a correspondent
 *    with no route optimisation raises a (rate-limited) RR hint;
 *  - Type 2 Routing header carrying a home address -> removed, the home
 *    address becomes the destination (RFC 6275 §6.4, §11.3.3);
 *  - Mobility Headers, ESP (RFC 3776), DHAAD Replies, MPAs to us -> the
 *    daemon; ICMPv6 errors quoting our HAO or a Mobility Header -> copied
 *    to the daemon.
 * DSMIPv6 (RFC 5555, m6_v4.h): IPv4 from our IPv4 home address (mn_hoa4)
 * or an MR's IPv4 network is tunneled IPv4-in-IPv6, or with an IPv4
 * care-of address IPv4-in-IPv4 / IPv4-in-UDP (our port -> 4191); IPv6
 * from a home address with an IPv4 care-of address IPv6-in-IPv4 / -UDP.
 * Ingress from the HA's IPv4 address (or IPv4-in-IPv6 from its IPv6 one)
 * is stripped; a BA inside UDP goes to the ring (M6SF_UDP4).
 * Upper-layer checksums are never touched: they cover a pseudo-header
 * with the home address on both sides (RFC 6275 §6.3, §6.4).
 */
#include "stack/bpf/m6_prog.h"
#include "stack/bpf/m6_v4.h"

#define ICMP6_DHAAD_REPLY	145	/* RFC 6275 §6.6 */
#define ICMP6_MPA		147	/* RFC 6275 §6.8 */
#define ICMP6_ERROR_MAX		127	/* RFC 4443 §2.1: errors are 0-127 */

/* ------------------------------------------------------------- maps */

M6_MAP(mn_hoa, HASH, 64, struct m6_in6, struct m6_mn_hoa, 0);
M6_MAP(mn_ro, HASH, 1024, struct m6_ro_key, struct m6_mn_ro, 0);
M6_MAP(mn_mnp, LPM_TRIE, 256, struct m6_lpm6, struct m6_mnp,
    BPF_F_NO_PREALLOC);
M6_MAP(mn_hint, LRU_HASH, 1024, struct m6_in6, m6_u64, 0);
/* DSMIPv6 (RFC 5555): our IPv4 home address / an MR's IPv4 prefixes. */
M6_MAP(mn_hoa4, LPM_TRIE, 64, struct m6_lpm4, struct m6_mnp,
    BPF_F_NO_PREALLOC);

/* The canonical Destination Options header with a HAO (wire-formats.md
   §4.1): NH, Hdr Ext Len 2, PadN(2 data octets), C9 10 <HoA>: 24 octets,
   the HAO at 8n+6. */
struct m6_hao_hdr {
	__u8		nh;
	__u8		len;
	__u8		padn[4];
	__u8		type;
	__u8		olen;
	struct m6_in6	hoa;
};

/* ------------------------------------------------------------- helpers */

static __always_inline struct m6_mn_hoa *
away_hoa(const struct m6_in6 *a)
{
	struct m6_mn_hoa *h = bpf_map_lookup_elem(&mn_hoa, a);

	return h && (h->flags & M6H_AWAY) ? h : NULL;
}

static __always_inline struct m6_mn_ro *
active_ro(const struct m6_in6 *hoa, const struct m6_in6 *peer)
{
	struct m6_ro_key k = { .hoa = *hoa, .peer = *peer };
	struct m6_mn_ro *ro = bpf_map_lookup_elem(&mn_ro, &k);

	return ro && (ro->flags & M6R_ACTIVE) ? ro : NULL;
}

/*
 * IPv6-in-IPv6 from the care-of address to the home agent (RFC 2473 §3),
 * then out of the care-of interface.  fwd: the packet is forwarded (a
 * mobile network's), so its hop limit drops by one (RFC 2473 §3.1).
 */
static __always_inline int
tunnel_to_ha(struct __sk_buff *skb, const struct m6_pkt *p,
    const struct m6_mn_hoa *h, int fwd)
{
	struct m6_ip6hdr outer = {};
	__u8 hlim = p->ip6.hlim - 1;
	__u32 mtu;

	if (fwd && p->ip6.hlim <= 1) {
		count(M6C_HLIM);	/* the kernel sends Time Exceeded */
		return TC_ACT_OK;
	}
	mtu = grown_too_big(skb, p, h->coa_ifindex ? h->coa_ifindex :
	    skb->ifindex, M6_IP6_HLEN);
	if (mtu)
		return too_big(skb, p, mtu, 0, NULL);
	outer.vtcfl = bpf_htonl(0x60000000);
	outer.plen = bpf_htons((__u16)(p->end - ETH_HLEN));
	outer.nh = IPPROTO_IPV6;
	outer.hlim = M6_TUN_HLIM;
	outer.src = h->coa;
	outer.dst = h->ha;
	/* The grown segments were checked against the MTU: gso_size (the
	   inner payload of a segment) stays (see M6_ADJ_EXTHDR). */
	if (bpf_skb_adjust_room(skb, M6_IP6_HLEN, BPF_ADJ_ROOM_MAC,
	    BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 | M6_ADJ_EXTHDR) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN, &outer, sizeof outer,
	    BPF_F_RECOMPUTE_CSUM) ||
	    (fwd && bpf_skb_store_bytes(skb, ETH_HLEN + M6_IP6_HLEN +
	    __builtin_offsetof(struct m6_ip6hdr, hlim), &hlim, 1,
	    BPF_F_RECOMPUTE_CSUM))) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_ENCAP);
	return redirect_via(skb, h->coa_ifindex, &h->gw);
}

/*
 * A route-optimised packet keeps its destination: when the kernel routed
 * it out of the care-of interface, the Ethernet header it built is for
 * that route's next hop to the peer, so the packet goes on as it is (no
 * second route and neighbour lookup, no second pass through tc egress).
 * From another interface (the kernel's route is not yet the care-of
 * link's) it is sent via the default router of the care-of link.
 */
static __always_inline int
ro_out(struct __sk_buff *skb, const struct m6_mn_hoa *h)
{
	if (!h->coa_ifindex || h->coa_ifindex == skb->ifindex)
		return TC_ACT_OK;
	return redirect_via(skb, h->coa_ifindex, &h->gw);
}

/*
 * Route optimisation (RFC 6275 §11.3.1): Destination Options with the
 * HAO right after the IPv6 header, source <- care-of address.  A Routing
 * header must stay in front of it (§6.3) and Hop-by-Hop first (RFC 8200
 * §4.1): such packets take the tunnel instead.  -1: not done.
 */
static __always_inline int
hao_insert(struct __sk_buff *skb, const struct m6_pkt *p,
    const struct m6_mn_hoa *h, const struct m6_mn_ro *ro)
{
	struct m6_hao_hdr d = {
		.nh = p->ip6.nh, .len = 2,
		.padn = { IP6OPT_PADN, 2, 0, 0 },
		.type = IP6OPT_HAO, .olen = IP6OPT_HAO_LEN,
		.hoa = p->ip6.src,
	};
	__u32 mtu;

	if (p->ip6.nh == IPPROTO_HOPOPTS || p->ip6.nh == IPPROTO_ROUTING ||
	    p->has_hao)
		return -1;
	mtu = grown_too_big(skb, p, h->coa_ifindex ? h->coa_ifindex :
	    skb->ifindex, M6_HAO_HDR_LEN);
	if (mtu)
		return too_big(skb, p, mtu, 0, NULL);
	if (hdr_insert(skb, &d, sizeof d) ||
	    ip6_fix(skb, p, IPPROTO_DSTOPTS, M6_HAO_HDR_LEN) ||
	    ip6_set_addr(skb, IP6_SRC, &ro->coa)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_HAO_INSERT);
	return ro_out(skb, h);
}

/* ------------------------------------------------- DSMIPv6 (RFC 5555) */

/* The mn_hoa entry an IPv4 address (our IPv4 home address, or inside an
   MR's IPv4 mobile network) belongs to; NULL: none. */
static __always_inline struct m6_mn_hoa *
hoa4_entry(const __u8 a[4])
{
	struct m6_lpm4 key = { .prefixlen = 32 };
	struct m6_mnp *m;

	__builtin_memcpy(key.addr, a, 4);
	m = bpf_map_lookup_elem(&mn_hoa4, &key);
	return m ? bpf_map_lookup_elem(&mn_hoa, &m->hoa) : NULL;
}

/* The outer header towards the HA: IPv6, IPv4 or IPv4/UDP. */
static __always_inline __u32
mn_outer_len(const struct m6_mn_hoa *h)
{
	if (!(h->flags & M6H_V4COA))
		return M6_IP6_HLEN;
	return M6_IP4_HLEN + ((h->flags & M6H_UDP) ? M6_UDP_HLEN : 0);
}

/* RFC 5555 §4.1, §4.3: IPv4 (protocol proto) or IPv4/UDP from our port
   (that of the BU, so data shares the NAT's mapping) to 4191, our IPv4
   care-of address -> the HA's IPv4 address. */
static __always_inline int
encap_to_ha4(struct __sk_buff *skb, const struct m6_mn_hoa *h, __u32 ilen,
    __u8 proto, __u16 df)
{
	/* The callers checked the grown segments against the care-of
	   interface's MTU (FIXED_GSO). */
	int udp = (h->flags & M6H_UDP) != 0;
	struct m6_ip4udp o;

	outer4_build(&o, &h->coa.b[12], &h->ha.b[12], ilen, udp,
	    h->udp_sport, bpf_htons(M6_DSMIP_PORT), proto, df);
	return encap4(skb, &o, udp, 1);
}

/*
 * An IPv6 packet from a home address (fwd: from an MR's mobile network)
 * while our care-of address is IPv4 (RFC 5555 §4.3): IPv6-in-IPv4 or
 * IPv6-in-UDP/IPv4 to the HA, out of the care-of interface; the kernel
 * routes the IPv4 packet and resolves its next hop (the IPv4 default
 * router of the care-of link), as redirect_via does without a gateway.
 */
static __always_inline int
tunnel6_to_ha4(struct __sk_buff *skb, const struct m6_pkt *p,
    const struct m6_mn_hoa *h, int fwd)
{
	__u32 hlen = mn_outer_len(h), mtu;

	if (fwd && p->ip6.hlim <= 1) {
		count(M6C_HLIM);	/* the kernel sends Time Exceeded */
		return TC_ACT_OK;
	}
	mtu = grown_too_big(skb, p, h->coa_ifindex ? h->coa_ifindex :
	    skb->ifindex, hlen);
	if (mtu)
		return too_big(skb, p, mtu, 0, NULL);
	if (encap_to_ha4(skb, h, p->end - ETH_HLEN, IPPROTO_IPV6,
	    M6_IP4_DF) ||
	    (fwd && hlim_dec6(skb, ETH_HLEN + hlen, p->ip6.hlim))) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_ENCAP);
	count(M6C_TUN4_ENCAP);
	return redirect_via(skb, h->coa_ifindex, NULL);
}

/*
 * An IPv4 packet from our IPv4 home address or an MR's IPv4 mobile
 * network (fwd) while away (RFC 5555 §4.3): IPv4-in-IPv6 from an IPv6
 * care-of address, else IPv4-in-IPv4 / IPv4-in-UDP/IPv4.  Too big for
 * the care-of interface: see m6_v4.h (M6S_PTB with the IPv4 bytes when
 * DF is set).
 */
static __always_inline int
tunnel4_to_ha(struct __sk_buff *skb, const struct m6_p4 *p,
    const struct m6_mn_hoa *h, int fwd)
{
	__u32 hlen = mn_outer_len(h), ifindex, mtu = 0;
	__u16 df = bpf_ntohs(p->ip4.frag) & M6_IP4_DF;
	__u32 ilen = p->end - ETH_HLEN;
	int err;

	if (fwd && p->ip4.ttl <= 1) {
		count(M6C_HLIM);	/* the kernel sends Time Exceeded */
		return TC_ACT_OK;
	}
	ifindex = h->coa_ifindex ? h->coa_ifindex : skb->ifindex;
	/* bpf_check_mtu's FRAG_NEEDED (> 0) still reports the MTU. */
	if (bpf_check_mtu(skb, ifindex, &mtu, 0, 0) >= 0 && mtu &&
	    segment_len4(skb, p) + hlen > mtu) {
		count(M6C_DROP_TOO_BIG);
		if (df)
			sig4_out(skb, ETH_HLEN, p->end, M6S_PTB, 0, NULL, 0,
			    mtu >= M6_IP4_MIN_MTU + hlen ? mtu - hlen :
			    M6_IP4_MIN_MTU);
		return TC_ACT_SHOT;
	}
	if (h->flags & M6H_V4COA)
		err = encap_to_ha4(skb, h, ilen, IPPROTO_IPIP, df);
	else
		err = encap6_ip4(skb, &h->coa, &h->ha, ilen, 1);
	if (err || (fwd && ttl_dec4(skb, ETH_HLEN + hlen, &p->ip4))) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_ENCAP);
	count(M6C_TUN4_ENCAP);
	return redirect_via(skb, h->coa_ifindex,
	    (h->flags & M6H_V4COA) ? NULL : &h->gw);
}

/* IPv4 multicast or limited broadcast: stays on its link. */
static __always_inline int
ip4_link_scope(const __u8 a[4])
{
	return a[0] >= 224;
}

/* IPv4 egress: from our IPv4 home address while away -> the tunnel. */
static __always_inline int
mn_egress4(struct __sk_buff *skb)
{
	struct m6_mn_hoa *h;
	struct m6_p4 p;

	if (parse4_at(skb, &p, ETH_HLEN) < 0 || ip4_link_scope(p.ip4.dst))
		return TC_ACT_OK;
	h = hoa4_entry(p.ip4.src);
	if (!h || !(h->flags & M6H_AWAY))
		return TC_ACT_OK;
	return tunnel4_to_ha(skb, &p, h, 0);
}

/*
 * IPv4-in-IPv6 from our HA to an IPv6 care-of address (RFC 5555 §4.3):
 * decapsulated when the inner destination is our IPv4 home address (or
 * inside our IPv4 mobile network) whose HA sent it.  -1: not such.
 */
static __always_inline int
from_ha_4in6(struct __sk_buff *skb, const struct m6_pkt *p)
{
	struct m6_mn_hoa *h;
	struct m6_ip4hdr in;

	if (p->l4 + M6_IP4_HLEN > p->end ||
	    bpf_skb_load_bytes(skb, p->l4, &in, sizeof in) ||
	    (in.vihl >> 4) != 4)
		return -1;
	h = hoa4_entry(in.dst);
	if (!h || !in6_eq(&h->ha, &p->ip6.src))
		return -1;
	if (decap_to(skb, p->l4 - ETH_HLEN, 1)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_DECAP);
	count(M6C_TUN4_DECAP);
	return TC_ACT_OK;
}

/* ------------------------------------------------------------- egress */

SEC("tc")
int
mn_egress(struct __sk_buff *skb)
{
	struct m6_mn_hoa *h;
	struct m6_mn_ro *ro;
	struct m6_pkt p;
	int r;

	/* What the kernel sends is its own: only one of ours that a
	   malformed packet is addressed to would make start() drop it. */
	if (skb->protocol == bpf_htons(ETH_P_IP))
		return mn_egress4(skb);		/* DSMIPv6 */
	/* Neither from an away home address nor to one of ours: the
	   kernel's whatever start() would find (it drops only malformed
	   packets to us), so no walk of the extension headers.  Among them
	   every packet we rewrote and redirected, which comes back here once
	   through bpf_redirect_neigh with the care-of address as its
	   source. */
	if (skb->protocol == bpf_htons(ETH_P_IPV6) &&
	    bpf_skb_load_bytes(skb, ETH_HLEN, &p.ip6, sizeof p.ip6) == 0 &&
	    (bpf_ntohl(p.ip6.vtcfl) >> 28) == 6 && !away_hoa(&p.ip6.src) &&
	    !bpf_map_lookup_elem(&m6_local, &p.ip6.dst))
		return pass();
	if ((r = start(skb, &p)) >= 0)
		return r;
	h = away_hoa(&p.ip6.src);
	if (!h)		/* from a care-of address, or at home */
		return pass();
	if (h->flags & M6H_V4COA)	/* RFC 5555: no RO over IPv4 */
		return tunnel6_to_ha4(skb, &p, h, 0);
	/* The HoTI (any Mobility Header from the home address) always goes
	   through the home agent (RFC 6275 §5.2.5, §11.6.1). */
	if (p.proto != IPPROTO_MH && !in6_is_multicast(&p.ip6.dst)) {
		ro = active_ro(&p.ip6.src, &p.ip6.dst);
		if (ro) {
			r = hao_insert(skb, &p, h, ro);
			if (r >= 0)
				return r;
		}
	}
	return tunnel_to_ha(skb, &p, h, 0);
}

/* ------------------------------------------------------------- ingress */

/* A mobile router's network: packets from it go through the tunnel. */
static __always_inline int
mnp_out(struct __sk_buff *skb, const struct m6_pkt *p)
{
	struct m6_lpm6 key = { .prefixlen = 128, .addr = p->ip6.src };
	struct m6_mnp *mnp;
	struct m6_mn_hoa *h;

	if (p->local || in6_is_multicast(&p->ip6.dst) ||
	    in6_is_linklocal(&p->ip6.dst) || in6_is_linklocal(&p->ip6.src))
		return -1;
	mnp = bpf_map_lookup_elem(&mn_mnp, &key);
	if (!mnp)
		return -1;
	h = away_hoa(&mnp->hoa);
	if (!h || !(h->flags & M6H_ROUTER) ||
	    skb->ingress_ifindex == h->coa_ifindex)
		return -1;
	key.addr = p->ip6.dst;		/* inside the mobile network: local */
	if (bpf_map_lookup_elem(&mn_mnp, &key))
		return -1;
	if (h->flags & M6H_V4COA)	/* DSMIPv6 */
		return tunnel6_to_ha4(skb, p, h, 1);
	return tunnel_to_ha(skb, p, h, 1);
}

/*
 * The quoted packet of an ICMPv6 error (RFC 4443 §2.1): 1 when it carries
 * our Home Address option or a Mobility Header (RFC 6275 §11.3.5: the
 * correspondent does not support route optimisation).
 */
static __always_inline int
quotes_ours(struct __sk_buff *skb, const struct m6_pkt *p)
{
	struct m6_ip6hdr q;
	struct m6_pkt w;
	__u32 off = p->l4 + 8;

	if (off + M6_IP6_HLEN > p->end ||
	    bpf_skb_load_bytes(skb, off, &q, sizeof q))
		return 0;
	/* A quoted packet may be cut anywhere: walk what is there. */
	if (walk(skb, &w, off + M6_IP6_HLEN, q.nh, p->end) < 0)
		return 0;
	return (w.has_hao && away_hoa(&w.hoa) != NULL) ||
	    w.proto == IPPROTO_MH;
}

/* ICMPv6 to us: -1 when the daemon does not want it. */
static __always_inline int
icmp6_in(struct __sk_buff *skb, const struct m6_pkt *p, __u16 sflags,
    const struct m6_in6 *tun_src)
{
	__u8 type;

	if (p->l4 + 4 > p->end ||
	    bpf_skb_load_bytes(skb, p->l4, &type, 1))
		return -1;
	if (type == ICMP6_DHAAD_REPLY || type == ICMP6_MPA)
		return sig_drop(skb, p, M6S_ICMP_MN, sflags, tun_src);
	if (type <= ICMP6_ERROR_MAX && quotes_ours(skb, p)) {
		sig_out(skb, p, M6S_ICMP_ERR, sflags, tun_src, 0);
		return TC_ACT_OK;
	}
	return -1;
}

/* Signaling to us after any decapsulation: -1 when it is none. */
static __always_inline int
signaling(struct __sk_buff *skb, const struct m6_pkt *p, __u16 sflags,
    const struct m6_in6 *tun_src)
{
	int ours = p->local || bpf_map_lookup_elem(&mn_hoa, &p->ip6.dst);
	int rc;

	/* ESP: the HA's BA in transport mode (RFC 3776), opened by the
	   engine (no kernel ESP), so it travels like a Mobility Header */
	if (ours && (p->proto == IPPROTO_MH || p->proto == IPPROTO_ESP))
		return sig_drop(skb, p, M6S_MH, sflags, tun_src);
	if (ours && p->proto == IPPROTO_ICMPV6) {
		rc = icmp6_in(skb, p, sflags, tun_src);
		if (rc >= 0)
			return rc;
	}
	return -1;
}

/*
 * Tunneled from our home agent to a care-of address (RFC 6275 §11.3.2):
 * decapsulate when the inner destination is a home address (or inside a
 * mobile network) whose HA sent it.  -1: not such a packet.
 */
static __always_inline int
from_ha(struct __sk_buff *skb, struct m6_pkt *p)
{
	struct m6_lpm6 key = { .prefixlen = 128 };
	struct m6_in6 ha = p->ip6.src, hoa;
	struct m6_mn_hoa *h;
	struct m6_ip6hdr in;
	struct m6_mnp *mnp;
	int r, to_mnp = 0;

	if (p->l4 + M6_IP6_HLEN > p->end ||
	    bpf_skb_load_bytes(skb, p->l4, &in, sizeof in) ||
	    (bpf_ntohl(in.vtcfl) >> 28) != 6)
		return -1;
	hoa = in.dst;
	h = bpf_map_lookup_elem(&mn_hoa, &hoa);
	if (!h) {
		key.addr = in.dst;
		mnp = bpf_map_lookup_elem(&mn_mnp, &key);
		if (!mnp)
			return -1;
		hoa = mnp->hoa;
		h = bpf_map_lookup_elem(&mn_hoa, &hoa);
		to_mnp = 1;
	}
	if (!h || !in6_eq(&h->ha, &ha))
		return -1;
	if (bpf_skb_adjust_room(skb, -(__s32)(p->l4 - ETH_HLEN),
	    BPF_ADJ_ROOM_MAC, 0)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_DECAP);
	if (parse(skb, p) != M6P_OK)
		return TC_ACT_OK;	/* the kernel judges the inner packet */
	/* RFC 6275 §11.3.2, §11.6.1: a correspondent's traffic through the
	   HA is the reason to start return routability with it; never for a
	   mobile network (RFC 3963 §5.5). */
	if (!to_mnp && !in6_eq(&p->ip6.src, &ha) && p->proto != IPPROTO_MH &&
	    !in6_is_multicast(&p->ip6.dst) &&
	    !active_ro(&hoa, &p->ip6.src) &&
	    hint_due(&mn_hint, &p->ip6.src)) {
		count(M6C_RR_HINT);
		sig_out(skb, p, M6S_RR_HINT, M6SF_DECAP, &ha, 0);
	}
	r = signaling(skb, p, M6SF_DECAP, &ha);
	return r >= 0 ? r : TC_ACT_OK;		/* counted as tun_decap */
}

/*
 * A Type 2 Routing header (RFC 6275 §6.4, §11.3.3) first after the IPv6
 * header, to one of our addresses: exactly one segment left, carrying a
 * home address of ours.  The header goes, the home address becomes the
 * destination; a Mobility Header (a BA, a BRR) goes to the daemon with
 * the header kept.  -1: not such a packet.
 */
static __always_inline int
rh2_in(struct __sk_buff *skb, struct m6_pkt *p)
{
	struct m6_rh2 rh;
	int r;

	if (p->rh_off != ETH_HLEN + M6_IP6_HLEN ||
	    bpf_skb_load_bytes(skb, p->rh_off, &rh, sizeof rh) ||
	    rh.type != M6_RH2_TYPE)
		return -1;
	if (rh.len != 2 || rh.segleft != 1 ||
	    !bpf_map_lookup_elem(&mn_hoa, &rh.hoa)) {
		count(M6C_DROP_RH2_BAD);
		return TC_ACT_SHOT;
	}
	/* a BA inside ESP (RFC 3776) keeps its RH2 too: the RH2 comes
	   before ESP (RFC 6275 §6.4) and the engine opens it */
	if (p->proto == IPPROTO_MH || p->proto == IPPROTO_ESP)
		return sig_drop(skb, p, M6S_MH, M6SF_RH2, NULL);
	if (hdr_remove(skb, M6_RH2_LEN) ||
	    ip6_fix(skb, p, rh.nh, -M6_RH2_LEN) ||
	    ip6_set_addr(skb, IP6_DST, &rh.hoa)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_RH2_STRIP);
	/* TCP or UDP right behind: nothing for signaling() (below) to take,
	   no need to parse the packet again. */
	if (rh.nh == IPPROTO_TCP || rh.nh == IPPROTO_UDP)
		return TC_ACT_OK;
	if (parse(skb, p) != M6P_OK)
		return TC_ACT_OK;
	/* The header is gone: records from here on show the packet as the
	   kernel gets it. */
	r = signaling(skb, p, 0, NULL);
	return r >= 0 ? r : TC_ACT_OK;		/* counted as rh2_strip */
}

/* --------------------------------------------- DSMIPv6: IPv4 ingress */

/*
 * The inner packet at off..end of an IPv4 tunnel packet to our IPv4
 * care-of address (UDP from port 4191 to ours, or protocol 41 / 4):
 * accepted when the inner destination is a home address of ours (or in
 * our mobile network) whose HA's IPv4 address sent it with the tunnel
 * type registered (RFC 5555 §4.1, §4.3).  An inner Mobility Header to us
 * (the BA, no registration needed yet) goes to the ring with the outer
 * header's fields and is dropped, as mnd takes BAs today.
 */
static __always_inline int
mn_tunnel_in4(struct __sk_buff *skb, const struct m6_p4 *p, __u32 off,
    __u32 end, __be16 dport, int udp, int inner_v4)
{
	__u16 sflags = udp ? M6SF_UDP4 : M6SF_IP4;
	struct m6_lpm6 key = { .prefixlen = 128 };
	struct m6_mn_hoa *h = NULL;
	struct m6_in6 ha;
	struct m6_ip4hdr in4;
	struct m6_mnp *mnp;
	struct m6_pkt q;
	__u32 iend;
	int r;

	if (inner_v4) {
		if (off + M6_IP4_HLEN > end ||
		    bpf_skb_load_bytes(skb, off, &in4, sizeof in4) ||
		    (in4.vihl >> 4) != 4)
			goto malformed;
		h = hoa4_entry(in4.dst);
	} else {
		if (off + M6_IP6_HLEN > end ||
		    bpf_skb_load_bytes(skb, off, &q.ip6, sizeof q.ip6) ||
		    (bpf_ntohl(q.ip6.vtcfl) >> 28) != 6)
			goto malformed;
		iend = off + M6_IP6_HLEN + bpf_ntohs(q.ip6.plen);
		if (iend > end ||
		    walk(skb, &q, off + M6_IP6_HLEN, q.ip6.nh, iend) < 0)
			goto malformed;
		h = bpf_map_lookup_elem(&mn_hoa, &q.ip6.dst);
		if (q.proto == IPPROTO_MH && (h ||
		    bpf_map_lookup_elem(&m6_local, &q.ip6.dst))) {
			sig4_out(skb, off, iend, M6S_MH, sflags, &p->ip4,
			    udp ? bpf_htons(M6_DSMIP_PORT) : 0, 0);
			return TC_ACT_SHOT;
		}
		if (!h) {
			key.addr = q.ip6.dst;
			mnp = bpf_map_lookup_elem(&mn_mnp, &key);
			if (mnp)
				h = bpf_map_lookup_elem(&mn_hoa, &mnp->hoa);
		}
	}
	v4_mapped(&ha, p->ip4.src);
	if (!h || !(h->flags & M6H_V4COA) || !in6_eq(&h->ha, &ha) ||
	    udp != ((h->flags & M6H_UDP) != 0) ||
	    (udp && h->udp_sport != dport)) {
		if (!udp)
			return TC_ACT_OK;	/* not ours: the kernel's */
		count(M6C_UDP4191_UNKNOWN);
		return TC_ACT_SHOT;
	}
	if (decap4_counted(skb, off - ETH_HLEN, inner_v4))
		return TC_ACT_SHOT;
	if (inner_v4 || parse(skb, &q) != M6P_OK)
		return TC_ACT_OK;
	r = signaling(skb, &q, M6SF_DECAP, &ha);
	return r >= 0 ? r : TC_ACT_OK;
malformed:
	count(M6C_DROP_MALFORMED);
	return TC_ACT_SHOT;
}

/*
 * IPv4 ingress: tunnels from the HA to our IPv4 care-of address, and an
 * MR's IPv4 mobile network (from a non-care-of interface) to the tunnel.
 * Everything else (and fragments to us) is the kernel's, uncounted.
 */
static __always_inline int
mn_ingress4(struct __sk_buff *skb)
{
	struct m6_mn_hoa *h;
	struct m6_udphdr u;
	struct m6_p4 p;
	__u32 ulen;
	__u8 v;

	if (parse4_at(skb, &p, ETH_HLEN) < 0)
		return TC_ACT_OK;
	p.local = local4(p.ip4.dst);
	if (p.local) {
		if (bpf_ntohs(p.ip4.frag) & (M6_IP4_MF | M6_IP4_OFFMASK))
			return TC_ACT_OK;
		if (p.ip4.proto == IPPROTO_IPV6 || p.ip4.proto == IPPROTO_IPIP)
			return mn_tunnel_in4(skb, &p, p.l4, p.end, 0, 0,
			    p.ip4.proto == IPPROTO_IPIP);
		if (p.ip4.proto != IPPROTO_UDP ||
		    p.l4 + M6_UDP_HLEN > p.end ||
		    bpf_skb_load_bytes(skb, p.l4, &u, sizeof u) ||
		    u.sport != bpf_htons(M6_DSMIP_PORT))
			return TC_ACT_OK;
		ulen = bpf_ntohs(u.len);
		if (ulen < M6_UDP_HLEN || p.l4 + ulen > p.end) {
			count(M6C_DROP_MALFORMED);
			return TC_ACT_SHOT;
		}
		if (ulen == M6_UDP_HLEN ||
		    bpf_skb_load_bytes(skb, p.l4 + M6_UDP_HLEN, &v, 1) ||
		    ((v >> 4) != 4 && (v >> 4) != 6)) {
			count(M6C_UDP4191_BAD_INNER);
			return TC_ACT_SHOT;
		}
		return mn_tunnel_in4(skb, &p, p.l4 + M6_UDP_HLEN,
		    p.l4 + ulen, u.dport, 1, (v >> 4) == 4);
	}
	/* RFC 3963 §5.5 / RFC 5555: a mobile network's IPv4 traffic. */
	if (ip4_link_scope(p.ip4.dst) || hoa4_entry(p.ip4.dst))
		return TC_ACT_OK;
	h = hoa4_entry(p.ip4.src);
	if (!h || (h->flags & (M6H_AWAY | M6H_ROUTER)) !=
	    (M6H_AWAY | M6H_ROUTER) || skb->ingress_ifindex == h->coa_ifindex)
		return TC_ACT_OK;
	return tunnel4_to_ha(skb, &p, h, 1);
}

SEC("tc")
int
mn_ingress(struct __sk_buff *skb)
{
	struct m6_pkt p;
	int r;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		return mn_ingress4(skb);	/* DSMIPv6 */
	if ((r = start(skb, &p)) >= 0)
		return r;
	if (p.local && p.proto == IPPROTO_IPIP &&
	    p.l4 == ETH_HLEN + M6_IP6_HLEN) {
		r = from_ha_4in6(skb, &p);	/* DSMIPv6 */
		if (r >= 0)
			return r;
	}
	if (p.local && p.proto == IPPROTO_IPV6 &&
	    p.l4 == ETH_HLEN + M6_IP6_HLEN) {
		r = from_ha(skb, &p);
		if (r >= 0)
			return r;
	}
	if (p.local && p.rh_off) {
		r = rh2_in(skb, &p);
		if (r >= 0)
			return r;
	}
	r = mnp_out(skb, &p);
	if (r >= 0)
		return r;
	r = signaling(skb, &p, 0, NULL);
	return r >= 0 ? r : pass();
}
