/*
 * stack/bpf/cn.bpf.c - the correspondent node's kernel half: tc clsact
 * programs on its interfaces (stack/DESIGN.md, "The correspondent node").
 *
 * Ingress, to one of our addresses (m6_local):
 *  - a Home Address option (RFC 6275 §9.3.1) whose home address is bound
 *    (cn_bind, M6B_ACTIVE) to the packet's source: the source becomes the
 *    home address and the option goes (the whole Destination Options
 *    header when it held only the HAO and padding, else the option is
 *    overwritten with PadN); passed to the kernel, which has no MIPv6 and
 *    would otherwise answer Parameter Problem;
 *  - a Mobility Header (HoTI, CoTI, BU with its HAO): to the daemon,
 *    which verifies everything itself; dropped in the kernel;
 *  - a HAO without a binding: dropped; the daemon is told (rate-limited
 *    per source) so it can send a Binding Error, status 1 (§9.3.3).
 * Egress, to a bound home address: a Type 2 Routing header with the home
 * address goes in after the IPv6 header and the care-of address becomes
 * the destination (RFC 6275 §9.3.2, §6.4).  Mobility Headers are never
 * given one (§6.1: only a BA carries a RH2, and the daemon builds its
 * own), nor packets that already have a Routing header.  A packet the
 * header would make too big for the interface goes to the daemon
 * (M6S_PTB: it sends the Packet Too Big) and is dropped.  The packet
 * then leaves by bpf_redirect_neigh (a route and neighbour lookup for
 * the care-of address, and a second pass through tc egress), unless the
 * next hop's MAC for the care-of address was learned from such a second
 * pass less than M6_L2_FRESH_NS ago on this interface (cn_l2): then only
 * the Ethernet destination is rewritten and the packet goes on.
 */
#include "stack/bpf/m6_prog.h"

/* ------------------------------------------------------------- maps */

M6_MAP(cn_bind, HASH, 1024, struct m6_in6, struct m6_cn_bind, 0);
M6_MAP(cn_hint, LRU_HASH, 4096, struct m6_in6, m6_u64, 0);

/*
 * The next hop the kernel chose for a care-of address: learned from a
 * packet with our RH2 on its way out (after bpf_redirect_neigh, or the
 * daemon's BA), trusted for M6_L2_FRESH_NS.  A soft cache, private to
 * the programs (not pinned): a route or neighbour change is followed
 * within that time, and a next hop that stops answering takes every
 * packet back to bpf_redirect_neigh once the entry is stale (the kernel
 * learns nothing new from a neighbour it cannot resolve).
 */
#define M6_L2_FRESH_NS	200000000ULL	/* 200 ms */
struct m6_cn_l2 {
	__u64		ts_ns;		/* bpf_ktime_get_boot_ns() learned */
	__u32		ifindex;	/* the interface it left by */
	__u8		dmac[ETH_ALEN];	/* its Ethernet destination */
	__u8		pad[2];
};
M6_MAP(cn_l2, LRU_HASH, 1024, struct m6_in6, struct m6_cn_l2, 0);

/* PadN over a whole HAO (18 octets): type 1, length 16, zeros. */
struct m6_padn18 {
	__u8		type;
	__u8		len;
	__u8		zero[16];
};

static __always_inline struct m6_cn_bind *
bound(const struct m6_in6 *hoa)
{
	struct m6_cn_bind *b = bpf_map_lookup_elem(&cn_bind, hoa);

	return b && (b->flags & M6B_ACTIVE) ? b : NULL;
}

/* ------------------------------------------------------------- ingress */

/*
 * 1 when the Destination Options header holding the HAO holds nothing
 * else but padding: the 24-octet canonical form (wire-formats.md §4.1)
 * or the HAO with Pad1/PadN around it.
 */
static __always_inline int
only_hao(struct __sk_buff *skb, const struct m6_pkt *w)
{
	__u32 o = w->dopt_off + 2, oend = w->dopt_off + w->dopt_len;
	__u8 tl[2];
	int i;

	for (i = 0; i < M6_MAX_OPTS; i++) {
		if (o >= oend)
			return 1;
		if (o == w->hao_off) {
			o += 2 + IP6OPT_HAO_LEN;
			continue;
		}
		if (bpf_skb_load_bytes(skb, o, tl, 1))
			return 0;
		if (tl[0] == IP6OPT_PAD1) {
			o++;
			continue;
		}
		if (tl[0] != IP6OPT_PADN || bpf_skb_load_bytes(skb, o, tl, 2))
			return 0;
		o += 2 + tl[1];
	}
	return 0;
}

/* Source <- home address, the HAO removed (RFC 6275 §9.3.1). */
static __always_inline int
hao_swap(struct __sk_buff *skb, const struct m6_pkt *p)
{
	struct m6_padn18 pad = { .type = IP6OPT_PADN, .len = 16 };
	__u8 nh;

	if (ip6_set_addr(skb, IP6_SRC, &p->hoa))
		goto fail;
	if (p->dopt_off == ETH_HLEN + M6_IP6_HLEN && only_hao(skb, p)) {
		if (bpf_skb_load_bytes(skb, p->dopt_off, &nh, 1) ||
		    hdr_remove(skb, p->dopt_len) ||
		    ip6_fix(skb, p, nh, -(int)p->dopt_len))
			goto fail;
	} else if (bpf_skb_store_bytes(skb, p->hao_off, &pad, sizeof pad,
	    BPF_F_RECOMPUTE_CSUM)) {
		goto fail;
	}
	count(M6C_HAO_SWAP);
	return TC_ACT_OK;
fail:
	count(M6C_DROP_ENCAP_FAIL);
	return TC_ACT_SHOT;
}

SEC("tc")
int
cn_ingress(struct __sk_buff *skb)
{
	struct m6_cn_bind *b;
	struct m6_pkt p;
	int r;

	if ((r = start(skb, &p)) >= 0)
		return r;
	if (!p.local)
		return pass();
	if (p.has_hao) {
		/* RFC 6275 §6.3: the HAO at 8n+6. */
		if ((p.hao_off - p.dopt_off) % 8 != 6) {
			count(M6C_DROP_MALFORMED);
			return TC_ACT_SHOT;
		}
		/* A BU from the care-of address: the daemon checks it. */
		if (p.proto == IPPROTO_MH)
			return sig_drop(skb, &p, M6S_MH, 0, NULL);
		b = bound(&p.hoa);
		if (b && in6_eq(&b->coa, &p.ip6.src))
			return hao_swap(skb, &p);
		/* RFC 6275 §9.3.1: no binding for the HAO -> Binding Error
		   status 1 (§9.3.3), rate-limited per source. */
		count(M6C_DROP_HAO_NO_BIND);
		if (hint_due(&cn_hint, &p.ip6.src)) {
			count(M6C_BE_HINT);
			sig_out(skb, &p, M6S_BE_HINT, 0, NULL, 0);
		}
		return TC_ACT_SHOT;
	}
	if (p.proto == IPPROTO_MH)
		return sig_drop(skb, &p, M6S_MH, 0, NULL);
	return pass();
}

/* ------------------------------------------------------------- egress */

/*
 * A packet with a Routing header first on its way out: when it is a RH2
 * to a bound home address sent to that binding's care-of address, its
 * Ethernet destination is the kernel's next hop for the care-of address
 * on this interface (cn_l2).
 */
static __always_inline void
l2_learn(struct __sk_buff *skb)
{
	struct m6_cn_l2 l2 = { .ifindex = skb->ifindex };
	struct m6_cn_bind *b;
	struct m6_in6 dst;
	struct m6_rh2 rh;

	if (bpf_skb_load_bytes(skb, ETH_HLEN + IP6_DST, &dst, sizeof dst) ||
	    bpf_skb_load_bytes(skb, ETH_HLEN + M6_IP6_HLEN, &rh, sizeof rh) ||
	    rh.type != M6_RH2_TYPE || rh.segleft != 1 ||
	    bpf_skb_load_bytes(skb, 0, l2.dmac, ETH_ALEN))
		return;
	b = bound(&rh.hoa);
	if (!b || !in6_eq(&b->coa, &dst))
		return;
	l2.ts_ns = bpf_ktime_get_boot_ns();
	bpf_map_update_elem(&cn_l2, &dst, &l2, BPF_ANY);
}

/*
 * Out by the next hop learned for coa when it is fresh and on this
 * interface: the packet's destination changed, so only the Ethernet
 * destination does; else bpf_redirect_neigh finds it (and l2_learn sees
 * the result).
 */
static __always_inline int
cn_out(struct __sk_buff *skb, const struct m6_in6 *coa)
{
	struct m6_cn_l2 *l2 = bpf_map_lookup_elem(&cn_l2, coa);

	if (l2 && l2->ifindex == skb->ifindex &&
	    bpf_ktime_get_boot_ns() - l2->ts_ns < M6_L2_FRESH_NS &&
	    bpf_skb_store_bytes(skb, 0, l2->dmac, ETH_ALEN, 0) == 0)
		return TC_ACT_OK;
	return redirect_via(skb, 0, NULL);
}

SEC("tc")
int
cn_egress(struct __sk_buff *skb)
{
	struct m6_cn_bind *b;
	struct m6_rh2 rh = { .len = 2, .type = M6_RH2_TYPE, .segleft = 1 };
	struct m6_in6 coa;
	struct m6_pkt p;
	__u32 mtu;

	if (skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	/* A Routing or Hop-by-Hop header first is never given a RH2 (below),
	   whatever the rest: among them every packet we made and redirected
	   (cn_out), which comes back here once through bpf_redirect_neigh
	   with the next hop's MAC (l2_learn).  Judged from the first 8
	   octets, without the lookups and the walk. */
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &p.ip6, 8) == 0 &&
	    (p.ip6.nh == IPPROTO_ROUTING || p.ip6.nh == IPPROTO_HOPOPTS)) {
		if (p.ip6.nh == IPPROTO_ROUTING)
			l2_learn(skb);
		return pass();
	}
	if (parse(skb, &p) != M6P_OK)
		return pass();
	b = bound(&p.ip6.dst);
	if (!b || p.proto == IPPROTO_MH || p.rh_off ||
	    p.ip6.nh == IPPROTO_HOPOPTS)
		return pass();
	mtu = grown_too_big(skb, &p, skb->ifindex, M6_RH2_LEN);
	if (mtu)
		return too_big(skb, &p, mtu, 0, NULL);
	coa = b->coa;
	rh.nh = p.ip6.nh;
	rh.hoa = p.ip6.dst;
	if (hdr_insert(skb, &rh, sizeof rh) ||
	    ip6_fix(skb, &p, IPPROTO_ROUTING, M6_RH2_LEN) ||
	    ip6_set_addr(skb, IP6_DST, &coa)) {
		count(M6C_DROP_ENCAP_FAIL);
		return TC_ACT_SHOT;
	}
	count(M6C_RH2_INSERT);
	return cn_out(skb, &coa);
}
