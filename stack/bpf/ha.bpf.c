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
 *  - Signaling to us (Mobility Header, Home Address option, DHAAD Request,
 *    Mobile Prefix Solicitation) goes to the m6_sig ring and is dropped:
 *    the kernel knows none of it and would answer Parameter Problem.
 *    Router Advertisements and NS/NA for watched targets are copied.
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
	if (bpf_skb_adjust_room(skb, M6_IP6_HLEN, BPF_ADJ_ROOM_MAC,
	    BPF_F_ADJ_ROOM_ENCAP_L3_IPV6) ||
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
		if (bpf_skb_store_bytes(skb, 0, fib.dmac, ETH_ALEN, 0) ||
		    bpf_skb_store_bytes(skb, ETH_ALEN, fib.smac, ETH_ALEN, 0))
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
		if (p->proto == IPPROTO_MH)
			return sig_drop(skb, p, M6S_MH, sflags, tun_src);
	}
	if (p->proto == IPPROTO_ICMPV6) {
		rc = icmp6_in(skb, p, sflags, tun_src);
		if (rc >= 0)
			return rc;
	}
	if (!p->local) {
		b = binding_for(&p->ip6.dst, &known);
		if (b)
			return tunnel_out(skb, p, b, sflags, tun_src);
	}
	if (sflags & M6SF_DECAP)
		return TC_ACT_OK;	/* counted as tun_decap */
	return pass();
}

SEC("tc")
int
ha_ingress(struct __sk_buff *skb)
{
	struct m6_in6 tun_src;
	struct m6_pkt p;
	enum m6_parse rc;
	int r;

	if ((r = start(skb, &p)) >= 0)
		return r;

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
