/*
 * stack/bpf/ha.bpf.c - the home agent's forwarding plane: one tc/clsact
 * ingress program on every HA interface (see stack/DESIGN.md).
 *
 *  - A packet to a bound home address, or inside a mobile network prefix,
 *    is encapsulated IPv6-in-IPv6 to the care-of address (RFC 6275
 *    §10.4.1, RFC 2473 §3, RFC 3963 §6.5) and redirected after a FIB
 *    lookup; too big for the tunnel: a PTB record for the daemon, dropped.
 *  - A reverse-tunnelled packet to the HA address is decapsulated only
 *    when the outer source is the care-of address bound to the inner
 *    source (RFC 6275 §10.4.5, RFC 3963 §6.6).
 *  - Signaling to us (Mobility Header, ESP (RFC 3776), Home Address option,
 *    DHAAD Request, Mobile Prefix Solicitation) goes to the m6_sig ring and
 *    is dropped: the kernel knows none of it and would answer Parameter
 *    Problem.
 *    Router Advertisements and NS/NA for watched targets are copied.
 *  - DSMIPv6 (RFC 5555, m6_v4.h): IPv4 to an IPv4 home address or prefix
 *    (m6_bind4) is tunneled IPv4-in-IPv6, IPv4-in-IPv4 or IPv4-in-UDP to
 *    port udp_port; IPv6 to a home address with an IPv4 care-of address
 *    IPv6-in-IPv4 / IPv6-in-UDP.  To our IPv4 address: UDP 4191 and
 *    protocol 41 / 4 are decapsulated only from the binding's outer
 *    address (and port); a BU inside goes to the ring (M6SF_UDP4 /
 *    M6SF_IP4).  IPv4-in-IPv6 from a care-of address is checked as the
 *    IPv6 reverse tunnel is.
 *  - Everything else goes to the kernel untouched.
 *
 * Every header read goes through bpf_skb_load_bytes, so offsets that the
 * extension-header walk computes need no packet-pointer proofs and
 * non-linear skbs are read correctly.
 */
/* had's sizes for the maps every plane has (m6_prog.h). */
#define M6_LOCAL_ENTRIES	64
#define M6_SIG_BYTES		(4 << 20)
#include "stack/bpf/m6_prog.h"
#include "stack/bpf/m6_v4.h"

#define ICMP6_RS		133
#define ICMP6_RA		134
#define ICMP6_NS		135
#define ICMP6_NA		136
#define ICMP6_REDIRECT		137
#define ICMP6_DHAAD_REQUEST	144	/* RFC 6275 §6.5 */
#define ICMP6_MPS		146	/* RFC 6275 §6.7 */

/* ------------------------------------------------------------- maps */

/* m6_bind: user space sets the size (max-bindings). */
M6_MAP(m6_bind, HASH, 1024, struct m6_in6, struct m6_bind, 0);
M6_MAP(m6_mnp, LPM_TRIE, 4096, struct m6_lpm6, struct m6_mnp,
    BPF_F_NO_PREALLOC);
/* Filled on demand (user space writes it): a virtual home link, or a
   real one with few bindings, pays nothing for its 2 x max-bindings. */
M6_MAP(m6_ndp, HASH, 4096, struct m6_in6, m6_u32, BPF_F_NO_PREALLOC);
/* DSMIPv6 (RFC 5555): IPv4 home addresses / prefixes -> IPv6 HoA; user
   space sets the size (max-bindings). */
M6_MAP(m6_bind4, LPM_TRIE, 1024, struct m6_lpm4, struct m6_mnp,
    BPF_F_NO_PREALLOC);

/* ------------------------------------------------------------- tunnel */

/*
 * The binding that covers an address: its own (a home address) or that
 * of the mobile router whose prefix contains it.  Only active bindings.
 */
static __always_inline struct m6_bind *
binding_for(const struct m6_in6 *addr, int *known)
{
	struct m6_lpm6 key = { .prefixlen = 128 };
	struct m6_mnp *mnp;
	struct m6_bind *b;

	*known = 0;
	b = bpf_map_lookup_elem(&m6_bind, addr);
	if (b && (b->flags & M6B_ACTIVE)) {
		*known = 1;
		return b;
	}
	key.addr = *addr;
	mnp = bpf_map_lookup_elem(&m6_mnp, &key);
	if (!mnp)
		return NULL;
	b = bpf_map_lookup_elem(&m6_bind, &mnp->hoa);
	if (!b || !(b->flags & M6B_ACTIVE))
		return NULL;
	*known = 1;
	return b;
}

/*
 * A packet to our HA address carrying IPv6 (Next Header 41).  RFC 6275
 * §10.4.5 / RFC 3963 §6.6: decapsulate only when the outer source is the
 * care-of address of the binding for the inner source.  0 decapsulated,
 * else the packet is to be dropped (counted).
 */
static __always_inline int
reverse_tunnel(struct __sk_buff *skb, const struct m6_pkt *p)
{
	struct m6_ip6hdr in;
	struct m6_bind *b;
	int known;

	if (p->l4 + M6_IP6_HLEN > p->end ||
	    bpf_skb_load_bytes(skb, p->l4, &in, sizeof in) ||
	    (bpf_ntohl(in.vtcfl) >> 28) != 6) {
		count(M6C_DROP_MALFORMED);
		return -1;
	}
	b = binding_for(&in.src, &known);
	if (!b) {
		count(M6C_DROP_RT_NO_BINDING);
		return -1;
	}
	if (!in6_eq(&b->coa, &p->ip6.src)) {
		count(M6C_DROP_RT_COA);
		return -1;
	}
	/* Remove the outer header and any of its extension headers. */
	if (bpf_skb_adjust_room(skb, -(__s32)(p->l4 - ETH_HLEN),
	    BPF_ADJ_ROOM_MAC, 0)) {
		count(M6C_DROP_ENCAP_FAIL);
		return -1;
	}
	count(M6C_TUN_DECAP);
	return 0;
}

/*
 * Tunnel the packet to the binding's care-of address (RFC 6275 §10.4.1,
 * RFC 2473 §3: the inner hop limit is decremented as when forwarding).
 */
static __always_inline int
tunnel_out(struct __sk_buff *skb, const struct m6_pkt *p,
    const struct m6_bind *b, __u16 sflags, const struct m6_in6 *tun_src)
{
	struct bpf_fib_lookup fib = {};
	struct bpf_redir_neigh nh = {};
	struct m6_ip6hdr outer = {};
	__u32 ilen = p->end - ETH_HLEN;
	__u8 mac[2 * ETH_ALEN];
	__u64 fl;
	__u8 hlim;
	long rc;

	/*
	 * RFC 8200 §3, RFC 4443 §3.3: hop limit 1 or 0 is not forwarded and
	 * the sender gets a Time Exceeded.  The daemon sends it: the kernel
	 * may have no route to a mobile network prefix (it lives in
	 * m6_mnp, not in the routing table) and would not answer.
	 */
	if (p->ip6.hlim <= 1) {
		count(M6C_HLIM);
		return sig_drop(skb, p, M6S_HLIM, sflags, tun_src);
	}
	fib.family = M6_AF_INET6;
	fib.ifindex = skb->ingress_ifindex;
	fib.tot_len = segment_len(skb, p) + M6_IP6_HLEN;
	in6_copy(fib.ipv6_src, &b->ha);
	in6_copy(fib.ipv6_dst, &b->coa);
	rc = bpf_fib_lookup(skb, &fib, sizeof fib, 0);
	/* The path MTU towards the CoA (route MTUs included) less the
	   tunnel header (RFC 2473 §7.1). */
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return too_big(skb, p, sender_mtu(fib.mtu_result,
		    M6_IP6_HLEN), sflags, tun_src);

	outer.vtcfl = bpf_htonl(0x60000000);
	outer.plen = bpf_htons(ilen);
	outer.nh = IPPROTO_IPV6;
	outer.hlim = M6_TUN_HLIM;
	outer.src = b->ha;
	outer.dst = b->coa;
	hlim = p->ip6.hlim - 1;
	/* When the lookup checked the grown segments against the path MTU
	   (tot_len), gso_size, the inner payload of each segment, stays:
	   the kernel would otherwise cut it by the 40 octets again (and it
	   refuses UDP GSO aggregates without FIXED_GSO).  The inner
	   checksum is untouched: a NIC's verdict on it stands. */
	fl = BPF_F_ADJ_ROOM_ENCAP_L3_IPV6 | BPF_F_ADJ_ROOM_NO_CSUM_RESET;
	if (rc == BPF_FIB_LKUP_RET_SUCCESS || rc == BPF_FIB_LKUP_RET_NO_NEIGH)
		fl |= BPF_F_ADJ_ROOM_FIXED_GSO;
	if (bpf_skb_adjust_room(skb, M6_IP6_HLEN, BPF_ADJ_ROOM_MAC, fl) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN, &outer, sizeof outer,
	    BPF_F_RECOMPUTE_CSUM) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN + M6_IP6_HLEN +
	    __builtin_offsetof(struct m6_ip6hdr, hlim), &hlim, 1,
	    BPF_F_RECOMPUTE_CSUM)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_ENCAP);

	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		/* Destination then source MAC: one store. */
		__builtin_memcpy(mac, fib.dmac, ETH_ALEN);
		__builtin_memcpy(mac + ETH_ALEN, fib.smac, ETH_ALEN);
		if (bpf_skb_store_bytes(skb, 0, mac, sizeof mac, 0))
			break;
		return bpf_redirect(fib.ifindex, 0);
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		/* The kernel resolves the next hop and queues meanwhile. */
		nh.nh_family = M6_AF_INET6;
		__builtin_memcpy(nh.ipv6_nh, fib.ipv6_dst, sizeof nh.ipv6_nh);
		return bpf_redirect_neigh(fib.ifindex, &nh, sizeof nh, 0);
	default:
		break;
	}
	count(M6C_FIB_MISS);	/* the kernel routes the tunnel packet */
	return TC_ACT_OK;
}

/* ------------------------------------------------- DSMIPv6 (RFC 5555) */

/* The active binding an IPv4 home address (or an address inside an IPv4
   mobile network prefix) belongs to: m6_bind4, then m6_bind. */
static __always_inline struct m6_bind *
binding4_for(const __u8 a[4])
{
	struct m6_lpm4 key = { .prefixlen = 32 };
	struct m6_mnp *m;
	struct m6_bind *b;

	__builtin_memcpy(key.addr, a, 4);
	m = bpf_map_lookup_elem(&m6_bind4, &key);
	if (!m)
		return NULL;
	b = bpf_map_lookup_elem(&m6_bind, &m->hoa);
	return b && (b->flags & M6B_ACTIVE) ? b : NULL;
}

/* The FIB lookup found the next hop, so it checked tot_len (the grown
   segment) against the path MTU. */
#define FIB_MTU_CHECKED(rc)	((rc) == BPF_FIB_LKUP_RET_SUCCESS || \
				 (rc) == BPF_FIB_LKUP_RET_NO_NEIGH)

/* The outer header we add towards a binding: IPv6, IPv4 or IPv4/UDP. */
static __always_inline __u32
outer_len(const struct m6_bind *b)
{
	if (!(b->flags & M6B_V4COA))
		return M6_IP6_HLEN;
	return M6_IP4_HLEN + ((b->flags & M6B_UDP) ? M6_UDP_HLEN : 0);
}

/* RFC 5555 §4.1, §4.2: IPv4 (protocol proto) or IPv4/UDP from port 4191
   to the port the binding's BU came from, HA's IPv4 address -> CoA. */
static __always_inline int
encap_to_v4coa(struct __sk_buff *skb, const struct m6_bind *b, __u32 ilen,
    __u8 proto, __u16 df, int mtu_checked)
{
	int udp = (b->flags & M6B_UDP) != 0;
	struct m6_ip4udp h;

	outer4_build(&h, &b->ha.b[12], &b->coa.b[12], ilen, udp,
	    bpf_htons(M6_DSMIP_PORT), b->udp_port, proto, df);
	return encap4(skb, &h, udp, mtu_checked);
}

/*
 * An IPv6 packet to a home address whose care-of address is IPv4 (RFC
 * 5555 §4.2): IPv6-in-IPv4 or IPv6-in-UDP/IPv4, hop limit and path MTU
 * as tunnel_out does for an IPv6 care-of address.
 */
static __always_inline int
tunnel6_v4coa(struct __sk_buff *skb, const struct m6_pkt *p,
    const struct m6_bind *b, __u16 sflags, const struct m6_in6 *tun_src)
{
	struct bpf_fib_lookup fib = {};
	__u32 ilen = p->end - ETH_HLEN, hlen = outer_len(b);
	long rc;

	/* RFC 8200 §3, RFC 4443 §3.3, as tunnel_out. */
	if (p->ip6.hlim <= 1) {
		count(M6C_HLIM);
		return sig_drop(skb, p, M6S_HLIM, sflags, tun_src);
	}
	rc = fib_outer(skb, &fib, 1, &b->ha, &b->coa,
	    segment_len(skb, p) + hlen);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED)
		return too_big(skb, p, sender_mtu(fib.mtu_result, hlen),
		    sflags, tun_src);
	/* DF set: the path MTU is ours to find (the PTB above). */
	if (encap_to_v4coa(skb, b, ilen, IPPROTO_IPV6, M6_IP4_DF,
	    FIB_MTU_CHECKED(rc)) ||
	    hlim_dec6(skb, ETH_HLEN + hlen, p->ip6.hlim)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_ENCAP);
	count(M6C_TUN4_ENCAP);
	return fib_redirect(skb, &fib, rc);
}

/*
 * An IPv4 packet to an IPv4 home address or mobile network (RFC 5555
 * §4.1-§4.3): IPv4-in-IPv6 to an IPv6 care-of address, or IPv4-in-IPv4 /
 * IPv4-in-UDP/IPv4 to an IPv4 one; the inner TTL drops by one (RFC 2003
 * §3.1, RFC 2473 §3.1).  TTL <= 1: counted (hlim) and left to the kernel,
 * which answers Time Exceeded (RFC 1812 §5.3.1) as for any IPv4 packet.
 * Too big: see m6_v4.h.
 */
static __always_inline int
tunnel4_out(struct __sk_buff *skb, const struct m6_p4 *p,
    const struct m6_bind *b)
{
	struct bpf_fib_lookup fib = {};
	__u32 ilen = p->end - ETH_HLEN, hlen = outer_len(b), mtu;
	__u16 df = bpf_ntohs(p->ip4.frag) & M6_IP4_DF;
	int v4 = (b->flags & M6B_V4COA) != 0, err;
	long rc;

	if (p->ip4.ttl <= 1) {
		count(M6C_HLIM);
		return TC_ACT_OK;
	}
	rc = fib_outer(skb, &fib, v4, &b->ha, &b->coa,
	    segment_len4(skb, p) + hlen);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		count(M6C_DROP_TOO_BIG);
		mtu = fib.mtu_result >= M6_IP4_MIN_MTU + hlen ?
		    fib.mtu_result - hlen : M6_IP4_MIN_MTU;
		if (df)
			sig4_out(skb, ETH_HLEN, p->end, M6S_PTB, 0, NULL, 0,
			    mtu);
		return TC_ACT_SHOT;
	}
	/* RFC 2003 §3.1: the outer DF is the inner one. */
	if (v4)
		err = encap_to_v4coa(skb, b, ilen, IPPROTO_IPIP, df,
		    FIB_MTU_CHECKED(rc));
	else
		err = encap6_ip4(skb, &b->ha, &b->coa, ilen,
		    FIB_MTU_CHECKED(rc));
	if (err || ttl_dec4(skb, ETH_HLEN + hlen, &p->ip4)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_ENCAP);
	count(M6C_TUN4_ENCAP);
	return fib_redirect(skb, &fib, rc);
}

/*
 * A decapsulated IPv4 packet: to another bound IPv4 home address (mobile
 * node to mobile node) straight into that binding's tunnel, as deliver()
 * does for IPv6 (the kernel would look for the away node on the home
 * link); anything else to the kernel, which forwards it.
 */
static __always_inline int
inner4_on(struct __sk_buff *skb)
{
	struct m6_bind *b;
	struct m6_p4 q;

	if (parse4_at(skb, &q, ETH_HLEN) < 0)
		return TC_ACT_OK;
	b = binding4_for(q.ip4.dst);
	return b ? tunnel4_out(skb, &q, b) : TC_ACT_OK;
}

/*
 * IPv4-in-IPv6 to our HA address (RFC 5555 §4.3 reverse tunnel from an
 * IPv6 care-of address): accepted only when the inner source is an IPv4
 * home address (m6_bind4) whose binding's care-of address is the outer
 * source.  Stripped, then as inner4_on says.
 */
static __always_inline int
rt4in6(struct __sk_buff *skb, const struct m6_pkt *p)
{
	struct m6_ip4hdr in;
	struct m6_bind *b;

	if (p->l4 + M6_IP4_HLEN > p->end ||
	    bpf_skb_load_bytes(skb, p->l4, &in, sizeof in) ||
	    (in.vihl >> 4) != 4) {
		count(M6C_DROP_MALFORMED);
		return TC_ACT_SHOT;
	}
	b = binding4_for(in.src);
	if (!b) {
		count(M6C_DROP_RT_NO_BINDING);
		return TC_ACT_SHOT;
	}
	if ((b->flags & M6B_V4COA) || !in6_eq(&b->coa, &p->ip6.src)) {
		count(M6C_DROP_RT_COA);
		return TC_ACT_SHOT;
	}
	if (decap_to(skb, p->l4 - ETH_HLEN, 1)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_TUN_DECAP);
	count(M6C_TUN4_DECAP);
	return inner4_on(skb);
}

/* ------------------------------------------------------------- ICMPv6 */

/*
 * ICMPv6 the daemon wants: DHAAD Request and MPS to us (RFC 6275 §10.5,
 * §11.4.2: taken), RA and NS/NA for watched targets (copied).  ND stays
 * on its link: it is never tunnelled.  -1 when the message is none of
 * these.
 */
static __always_inline int
icmp6_in(struct __sk_buff *skb, const struct m6_pkt *p, __u16 sflags,
    const struct m6_in6 *tun_src)
{
	struct m6_in6 target;
	__u8 type;

	if (p->l4 + 4 > p->end || bpf_skb_load_bytes(skb, p->l4, &type, 1))
		return -1;
	if (p->local && (type == ICMP6_DHAAD_REQUEST || type == ICMP6_MPS))
		return sig_drop(skb, p, M6S_ICMP_HA, sflags, tun_src);
	if (type == ICMP6_RA) {
		sig_out(skb, p, M6S_RA, sflags, tun_src, 0);
	} else if (type == ICMP6_NS || type == ICMP6_NA) {
		/* RFC 4861 §4.3, §4.4: the target follows 4 reserved bytes. */
		if (p->l4 + 24 <= p->end &&
		    !bpf_skb_load_bytes(skb, p->l4 + 8, &target, sizeof target) &&
		    bpf_map_lookup_elem(&m6_ndp, &target))
			sig_out(skb, p, M6S_ND, sflags, tun_src, 0);
	} else if (type != ICMP6_RS && type != ICMP6_REDIRECT) {
		return -1;
	}
	if (sflags & M6SF_DECAP)
		return TC_ACT_OK;
	return pass();
}

/* ------------------------------------------------------------- program */

/* Steps 3-5 for a parsed packet (the inner one after decapsulation). */
static __always_inline int
deliver(struct __sk_buff *skb, const struct m6_pkt *p, __u16 sflags,
    const struct m6_in6 *tun_src)
{
	struct m6_bind *b;
	int rc, known;

	if (p->local) {
		/* RFC 6275 §9.3.1: the kernel drops an HAO with Parameter
		   Problem; the daemon verifies it against its bindings. */
		if (p->has_hao)
			return sig_drop(skb, p, M6S_HAO, sflags, tun_src);
		/* RFC 3776: ESP carries the MN's BUs; the kernel has no
		   ESP (it would answer Parameter Problem): the engine
		   opens it, so it travels like a Mobility Header. */
		if (p->proto == IPPROTO_MH || p->proto == IPPROTO_ESP)
			return sig_drop(skb, p, M6S_MH, sflags, tun_src);
	}
	if (p->proto == IPPROTO_ICMPV6) {
		rc = icmp6_in(skb, p, sflags, tun_src);
		if (rc >= 0)
			return rc;
	}
	if (!p->local) {
		b = binding_for(&p->ip6.dst, &known);
		if (b && (b->flags & M6B_V4COA))	/* RFC 5555 */
			return tunnel6_v4coa(skb, p, b, sflags, tun_src);
		if (b)
			return tunnel_out(skb, p, b, sflags, tun_src);
	}
	if (sflags & M6SF_DECAP)
		return TC_ACT_OK;	/* counted as tun_decap */
	return pass();
}

/* --------------------------------------- DSMIPv6: IPv4 to the HA (§4) */

static __always_inline int
drop_malformed(void)
{
	count(M6C_DROP_MALFORMED);
	return TC_ACT_SHOT;
}

/*
 * The inner IPv6 packet at off..end that arrived inside IPv4 (UDP or
 * protocol 41): a Mobility Header (a BU: no binding needed yet) goes to
 * the ring with the outer header's addresses and port (RFC 5555 §4.1,
 * the daemon detects a NAT from them) and is dropped: 0.  Else the inner
 * source's binding, in *b (NULL: none): 1.  -1: malformed.
 */
static __always_inline int
inner6_in(struct __sk_buff *skb, const struct m6_p4 *p, __u32 off,
    __u32 end, __be16 sport, __u16 sflags, struct m6_bind **b)
{
	struct m6_pkt q;
	__u32 iend;
	int known;

	if (off + M6_IP6_HLEN > end ||
	    bpf_skb_load_bytes(skb, off, &q.ip6, sizeof q.ip6) ||
	    (bpf_ntohl(q.ip6.vtcfl) >> 28) != 6)
		return -1;
	iend = off + M6_IP6_HLEN + bpf_ntohs(q.ip6.plen);
	if (iend > end ||
	    walk(skb, &q, off + M6_IP6_HLEN, q.ip6.nh, iend) < 0)
		return -1;
	if (q.proto == IPPROTO_MH) {
		sig4_out(skb, off, iend, M6S_MH, sflags, &p->ip4, sport, 0);
		return 0;
	}
	*b = binding_for(&q.ip6.src, &known);
	return 1;
}

/*
 * A tunnel packet to our IPv4 address: IPv4/UDP to port 4191 (udp, from
 * sport) or protocol 41 / 4, the inner packet at off..end.  RFC 5555
 * §4.1, §4.3: accepted only when the binding of the inner source has an
 * IPv4 care-of address equal to the outer source and, over UDP, the
 * port its BU came from (a NAT's mapping); then stripped and the inner
 * packet delivered as a reverse-tunneled one (inner4_on, deliver).
 */
static __always_inline int
tunnel_in4(struct __sk_buff *skb, const struct m6_p4 *p, __u32 off,
    __u32 end, __be16 sport, int udp, int inner_v4)
{
	__u16 sflags = udp ? M6SF_UDP4 : M6SF_IP4;
	struct m6_bind *b = NULL;
	struct m6_ip4hdr in4;
	struct m6_in6 tun_src;
	struct m6_pkt q;
	enum m6_parse prc;
	int rc;

	if (inner_v4) {
		if (off + M6_IP4_HLEN > end ||
		    bpf_skb_load_bytes(skb, off, &in4, sizeof in4) ||
		    (in4.vihl >> 4) != 4)
			return drop_malformed();
		b = binding4_for(in4.src);
	} else {
		rc = inner6_in(skb, p, off, end, sport, sflags, &b);
		if (rc < 0)
			return drop_malformed();
		if (rc == 0)
			return TC_ACT_SHOT;	/* signaling, on the ring */
	}
	if (!b) {
		count(M6C_DROP_RT_NO_BINDING);
		return TC_ACT_SHOT;
	}
	v4_mapped(&tun_src, p->ip4.src);
	if (!(b->flags & M6B_V4COA) || !in6_eq(&b->coa, &tun_src) ||
	    udp != ((b->flags & M6B_UDP) != 0) ||
	    (udp && b->udp_port != sport)) {
		count(udp ? M6C_UDP4191_UNKNOWN : M6C_DROP_RT_COA);
		return TC_ACT_SHOT;
	}
	if (decap4_counted(skb, off - ETH_HLEN, inner_v4))
		return TC_ACT_SHOT;
	if (inner_v4)
		return inner4_on(skb);
	prc = parse(skb, &q);
	if (prc != M6P_OK)
		return TC_ACT_OK;	/* the kernel judges the inner packet */
	return deliver(skb, &q, M6SF_DECAP, &tun_src);
}

/* IPv4/UDP to our IPv4 address: port 4191 is the DSMIPv6 tunnel (RFC
   5555 §4.1), its payload an IPv6 or IPv4 packet (version nibble). */
static __always_inline int
udp4191_in(struct __sk_buff *skb, const struct m6_p4 *p)
{
	struct m6_udphdr u;
	__u32 ulen;
	__u8 v;

	if (p->l4 + M6_UDP_HLEN > p->end ||
	    bpf_skb_load_bytes(skb, p->l4, &u, sizeof u))
		return drop_malformed();
	if (u.dport != bpf_htons(M6_DSMIP_PORT))
		return TC_ACT_OK;
	ulen = bpf_ntohs(u.len);
	if (ulen < M6_UDP_HLEN || p->l4 + ulen > p->end)
		return drop_malformed();
	if (ulen == M6_UDP_HLEN ||
	    bpf_skb_load_bytes(skb, p->l4 + M6_UDP_HLEN, &v, 1) ||
	    ((v >> 4) != 4 && (v >> 4) != 6)) {
		count(M6C_UDP4191_BAD_INNER);
		return TC_ACT_SHOT;
	}
	return tunnel_in4(skb, p, p->l4 + M6_UDP_HLEN, p->l4 + ulen, u.sport,
	    1, (v >> 4) == 4);
}

/*
 * IPv4 ingress (RFC 5555): tunnels to our IPv4 address, packets to an
 * IPv4 home address or mobile network; everything else is the kernel's.
 * Fragments to us are the kernel's too (it reassembles; a fragmented
 * UDP-encapsulated packet is then not seen here).  IPv4 left to the
 * kernel is not counted (pass counts IPv6 only, as before RFC 5555).
 */
static __always_inline int
ha_ipv4(struct __sk_buff *skb)
{
	struct m6_p4 p;
	struct m6_bind *b;

	if (parse4_at(skb, &p, ETH_HLEN) < 0)
		return local4(p.ip4.dst) ? drop_malformed() : TC_ACT_OK;
	p.local = local4(p.ip4.dst);
	if (p.local & M6L_HA_ADDR) {
		if (bpf_ntohs(p.ip4.frag) & (M6_IP4_MF | M6_IP4_OFFMASK))
			return TC_ACT_OK;
		if (p.ip4.proto == IPPROTO_UDP)
			return udp4191_in(skb, &p);
		if (p.ip4.proto == IPPROTO_IPV6 || p.ip4.proto == IPPROTO_IPIP)
			return tunnel_in4(skb, &p, p.l4, p.end, 0, 0,
			    p.ip4.proto == IPPROTO_IPIP);
		return TC_ACT_OK;
	}
	if (p.local)
		return TC_ACT_OK;
	b = binding4_for(p.ip4.dst);
	if (b)
		return tunnel4_out(skb, &p, b);
	return TC_ACT_OK;
}

SEC("tc")
int
ha_ingress(struct __sk_buff *skb)
{
	struct m6_in6 tun_src;
	struct m6_pkt p;
	enum m6_parse rc;
	int r;

	if (skb->protocol == bpf_htons(ETH_P_IP))
		return ha_ipv4(skb);		/* DSMIPv6 */
	if ((r = start(skb, &p)) >= 0)
		return r;
	if (p.proto == IPPROTO_IPIP && (p.local & M6L_HA_ADDR))
		return rt4in6(skb, &p);		/* DSMIPv6 */

	if (p.proto != IPPROTO_IPV6 || !(p.local & M6L_HA_ADDR))
		return deliver(skb, &p, 0, &p.ip6.src);

	tun_src = p.ip6.src;
	if (reverse_tunnel(skb, &p) < 0)
		return TC_ACT_SHOT;
	rc = parse(skb, &p);
	if (rc == M6P_SKIP)
		return TC_ACT_OK;
	if (rc == M6P_MALFORMED) {
		if (!p.local)
			return TC_ACT_OK;
		count(M6C_DROP_MALFORMED);
		return TC_ACT_SHOT;
	}
	return deliver(skb, &p, M6SF_DECAP, &tun_src);
}
