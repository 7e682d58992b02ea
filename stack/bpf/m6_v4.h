/*
 * stack/bpf/m6_v4.h - what the DSMIPv6 (RFC 5555) data paths of ha.bpf.c
 * and mn.bpf.c share: the IPv4 and UDP headers, IPv4-mapped addresses,
 * an IPv4 parse, the header checksum, outer-header insertion (IPv4,
 * IPv4/UDP to port 4191, IPv6 carrying IPv4) and removal with
 * bpf_skb_adjust_room(BPF_ADJ_ROOM_MAC) and its ENCAP/DECAP flags (GSO
 * packets stay segmentable, skb->protocol follows the new outer / inner
 * version), ring records for packets that arrived inside IPv4, and the
 * redirect after an AF_INET / AF_INET6 FIB lookup.  BPF only; include
 * after m6_prog.h.
 *
 * Path MTU for an IPv4 packet (inner IPv4, DF set) that no longer fits
 * once tunneled: counted drop_too_big and an M6S_PTB record whose copied
 * bytes start with that IPv4 header (version nibble 4) and whose mtu is
 * what the sender must use: the daemon answers ICMP "fragmentation
 * needed" (RFC 792, RFC 1191).  Without DF it is dropped too, counted
 * drop_too_big, no record: this plane does not fragment.
 */
#ifndef MIP6_M6_V4_H
#define MIP6_M6_V4_H

#include "stack/bpf/m6_prog.h"

#define M6_AF_INET	2
#define M6_IP4_HLEN	20
#define M6_UDP_HLEN	8
#define M6_DSMIP_PORT	4191	/* RFC 5555 §4.1 */
#define M6_IP4_DF	0x4000
#define M6_IP4_MF	0x2000
#define M6_IP4_OFFMASK	0x1fff
#define M6_IP4_MIN_MTU	68	/* RFC 791 */
#define M6_TUN_TTL	64	/* outer TTL of our tunnel packets */
#define M6_ETH_TYPE_OFF	12

/* Not in every installed linux/bpf.h (kernel 6.3+). */
#ifndef BPF_F_ADJ_ROOM_DECAP_L3_IPV4
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV4	(1ULL << 7)
#define BPF_F_ADJ_ROOM_DECAP_L3_IPV6	(1ULL << 8)
#endif

/* The IPv4 header without bitfields (RFC 791 §3.1). */
struct m6_ip4hdr {
	__u8		vihl;
	__u8		tos;
	__be16		tot_len;
	__be16		id;
	__be16		frag;
	__u8		ttl;
	__u8		proto;
	__u16		check;
	__u8		src[4];
	__u8		dst[4];
};

struct m6_udphdr {
	__be16		sport;
	__be16		dport;
	__be16		len;
	__u16		check;
};

/* An IPv4 header and UDP header as one store. */
struct m6_ip4udp {
	struct m6_ip4hdr ip;
	struct m6_udphdr udp;
};

/* What the IPv4 parse learned. */
struct m6_p4 {
	struct m6_ip4hdr ip4;
	__u32		l4;		/* offset of the payload */
	__u32		end;		/* end of the IPv4 packet */
	__u32		local;		/* m6_local flags of ::ffff:dst */
};

/* ::ffff:a.b.c.d (RFC 4291 §2.5.5.2). */
static __always_inline void
v4_mapped(struct m6_in6 *m, const __u8 a[4])
{
	__u32 *w = (__u32 *)m;

	w[0] = 0;
	w[1] = 0;
	w[2] = bpf_htonl(0xffff);
	__builtin_memcpy(&m->b[12], a, 4);
}

static __always_inline int
is_v4_mapped(const struct m6_in6 *m)
{
	const __u32 *w = (const __u32 *)m;

	return w[0] == 0 && w[1] == 0 && w[2] == bpf_htonl(0xffff);
}

static __always_inline int
v4_eq(const __u8 a[4], const __u8 b[4])
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* The header checksum of a 20-octet IPv4 header (RFC 791, RFC 1071). */
static __always_inline __u16
ip4_csum(const struct m6_ip4hdr *h)
{
	const __u16 *w = (const __u16 *)h;
	__u32 sum = 0;
	int i;

	for (i = 0; i < M6_IP4_HLEN / 2; i++)
		sum += w[i];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/*
 * The IPv4 header at off (ETH_HLEN, or inside a tunnel): version 4, IHL
 * of at least 5, Total Length covering the header and within the skb.
 * 0, or -1 when cut short or inconsistent.
 */
static __always_inline int
parse4_at(struct __sk_buff *skb, struct m6_p4 *p, __u32 off)
{
	__u32 hl, tl;

	if (bpf_skb_load_bytes(skb, off, &p->ip4, sizeof p->ip4))
		return -1;
	hl = (p->ip4.vihl & 0x0f) * 4;
	tl = bpf_ntohs(p->ip4.tot_len);
	if ((p->ip4.vihl >> 4) != 4 || hl < M6_IP4_HLEN || tl < hl ||
	    off + tl > skb->len)
		return -1;
	p->l4 = off + hl;
	p->end = off + tl;
	return 0;
}

/* Our m6_local flags for an IPv4 address (kept IPv4-mapped). */
static __always_inline __u32
local4(const __u8 a[4])
{
	struct m6_in6 m;
	__u32 *f;

	v4_mapped(&m, a);
	f = bpf_map_lookup_elem(&m6_local, &m);
	return f ? *f : 0;
}

/* A later fragment (offset non-zero) carries no upper-layer header. */
static __always_inline int
ip4_later_frag(const struct m6_ip4hdr *h)
{
	return (bpf_ntohs(h->frag) & M6_IP4_OFFMASK) != 0;
}

/* ------------------------------------------------------- ring records */

/*
 * Copy the bytes [off, end) (an IPv6 packet that arrived inside IPv4, or
 * an IPv4 packet for M6S_PTB) to the m6_sig ring.  With M6SF_UDP4 or
 * M6SF_IP4, tun_src is ::ffff:<outer source>, tun_dst4 the outer
 * destination and udp_sport the outer UDP source port (M6SF_UDP4).
 */
static __always_inline int
sig4_out(struct __sk_buff *skb, __u32 off, __u32 end, __u16 reason,
    __u16 flags, const struct m6_ip4hdr *outer, __be16 sport, __u32 mtu)
{
	struct m6_sig_rec *r;
	__u64 caplen = end > off ? (__u64)end - off : 0;

	r = bpf_ringbuf_reserve(&m6_sig, sizeof *r, 0);
	if (!r) {
		count(M6C_DROP_RING_FULL);
		return -1;
	}
	r->h.ts_ns = bpf_ktime_get_boot_ns();
	r->h.ifindex = skb->ingress_ifindex ? skb->ingress_ifindex :
	    skb->ifindex;
	r->h.reason = reason;
	r->h.wirelen = (__u32)caplen;
	r->h.mtu = mtu;
	r->h.udp_sport = sport;
	r->h.reserved = 0;
	if (outer) {
		v4_mapped(&r->h.tun_src, outer->src);
		__builtin_memcpy(r->h.tun_dst4, outer->dst, 4);
	} else {
		__builtin_memset(&r->h.tun_src, 0, sizeof r->h.tun_src);
		__builtin_memset(r->h.tun_dst4, 0, 4);
	}
	if (caplen > M6_SIG_SNAPLEN) {
		caplen = M6_SIG_SNAPLEN;
		flags |= M6SF_TRUNC;
	}
	r->h.flags = flags;
	sig_finish(skb, r, off, caplen);
	return 0;
}

/* ------------------------------------------------------- header edits */

/* The Ethernet type after an encapsulation or decapsulation. */
static __always_inline int
set_ethertype(struct __sk_buff *skb, __u16 type)
{
	__be16 t = bpf_htons(type);

	return bpf_skb_store_bytes(skb, M6_ETH_TYPE_OFF, &t, sizeof t, 0);
}

/*
 * An outer IPv4 header (with udp: and a UDP header from port 4191 or to
 * it) in front of an inner packet of ilen octets.  Checksums: the IPv4
 * header's computed; UDP 0 (RFC 768: none computed over IPv4; RFC 5555
 * §4.1 does not require one).
 */
static __always_inline void
outer4_build(struct m6_ip4udp *h, const __u8 src[4], const __u8 dst[4],
    __u32 ilen, int udp, __be16 sport, __be16 dport, __u8 proto, __u16 df)
{
	__u32 hlen = M6_IP4_HLEN + (udp ? M6_UDP_HLEN : 0);

	h->ip.vihl = 0x45;
	h->ip.tos = 0;
	h->ip.tot_len = bpf_htons((__u16)(hlen + ilen));
	/* RFC 6864 §4.1: the ID matters only when fragments may exist. */
	h->ip.id = df ? 0 : (__be16)bpf_get_prandom_u32();
	h->ip.frag = bpf_htons(df);
	h->ip.ttl = M6_TUN_TTL;
	h->ip.proto = udp ? IPPROTO_UDP : proto;
	h->ip.check = 0;
	__builtin_memcpy(h->ip.src, src, 4);
	__builtin_memcpy(h->ip.dst, dst, 4);
	h->ip.check = ip4_csum(&h->ip);
	h->udp.sport = sport;
	h->udp.dport = dport;
	h->udp.len = bpf_htons((__u16)(M6_UDP_HLEN + ilen));
	h->udp.check = 0;
}

/* The adjust_room flags of an encapsulation.  mtu_checked: the grown
   segments were checked against the path (segment_len + header <= MTU),
   so gso_size, each segment's payload, stays (FIXED_GSO; the kernel
   would otherwise cut it by the header again, and it refuses non-TCP GSO
   aggregates without the flag), as tunnel_out does. */
static __always_inline __u64
encap_flags(__u64 fl, int mtu_checked)
{
	return mtu_checked ? fl | BPF_F_ADJ_ROOM_FIXED_GSO : fl;
}

/*
 * Insert the outer IPv4 (/UDP) header h right after the Ethernet header:
 * the kernel marks the skb encapsulated (SKB_GSO_IPXIP4 or
 * SKB_GSO_UDP_TUNNEL for GSO) and sets skb->protocol to IPv4; the
 * Ethernet type is ours to set.  0, or -1.
 */
static __always_inline int
encap4(struct __sk_buff *skb, const struct m6_ip4udp *h, int udp,
    int mtu_checked)
{
	__u64 fl = encap_flags(BPF_F_ADJ_ROOM_ENCAP_L3_IPV4, mtu_checked);
	__u32 hlen = M6_IP4_HLEN;

	if (udp) {
		fl |= BPF_F_ADJ_ROOM_ENCAP_L4_UDP;
		hlen += M6_UDP_HLEN;
	}
	if (bpf_skb_adjust_room(skb, hlen, BPF_ADJ_ROOM_MAC, fl) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN, h, hlen,
	    BPF_F_RECOMPUTE_CSUM) ||
	    set_ethertype(skb, ETH_P_IP))
		return -1;
	return 0;
}

/* IPv4-in-IPv6 (RFC 2473 §3, Next Header 4) from src to dst. */
static __always_inline int
encap6_ip4(struct __sk_buff *skb, const struct m6_in6 *src,
    const struct m6_in6 *dst, __u32 ilen, int mtu_checked)
{
	struct m6_ip6hdr o = {};

	o.vtcfl = bpf_htonl(0x60000000);
	o.plen = bpf_htons((__u16)ilen);
	o.nh = IPPROTO_IPIP;
	o.hlim = M6_TUN_HLIM;
	o.src = *src;
	o.dst = *dst;
	if (bpf_skb_adjust_room(skb, M6_IP6_HLEN, BPF_ADJ_ROOM_MAC,
	    encap_flags(BPF_F_ADJ_ROOM_ENCAP_L3_IPV6, mtu_checked)) ||
	    bpf_skb_store_bytes(skb, ETH_HLEN, &o, sizeof o,
	    BPF_F_RECOMPUTE_CSUM) ||
	    set_ethertype(skb, ETH_P_IPV6))
		return -1;
	return 0;
}

/*
 * Remove the len octets of outer headers after the Ethernet header; the
 * kernel switches skb->protocol to the inner version (DECAP_L3 flags),
 * the Ethernet type is ours to set.  0, or -1.
 */
static __always_inline int
decap_to(struct __sk_buff *skb, __u32 len, int inner_v4)
{
	__u64 fl = inner_v4 ? BPF_F_ADJ_ROOM_DECAP_L3_IPV4 :
	    BPF_F_ADJ_ROOM_DECAP_L3_IPV6;

	if (bpf_skb_adjust_room(skb, -(__s32)len, BPF_ADJ_ROOM_MAC, fl) ||
	    set_ethertype(skb, inner_v4 ? ETH_P_IP : ETH_P_IPV6))
		return -1;
	return 0;
}

/*
 * decap_to for a tunnel from an IPv4 care-of address or home agent (HA
 * and MN alike), counted: -1 (counted as an encapsulation failure) when
 * the kernel refused the edit.
 */
static __always_inline int
decap4_counted(struct __sk_buff *skb, __u32 len, int inner_v4)
{
	if (decap_to(skb, len, inner_v4)) {
		count(M6C_DROP_ENCAP_FAIL);
		return -1;
	}
	count(M6C_TUN_DECAP);
	count(M6C_TUN4_DECAP);
	return 0;
}

/*
 * Decrement the TTL of the IPv4 header at off (forwarding, RFC 1812
 * §5.3.1; RFC 2003 §3.1 for the inner header), with the header checksum
 * updated incrementally (RFC 1624).
 */
static __always_inline int
ttl_dec4(struct __sk_buff *skb, __u32 off, const struct m6_ip4hdr *h)
{
	__u16 oldw, neww;
	__u8 w[2];

	w[0] = h->ttl;
	w[1] = h->proto;
	__builtin_memcpy(&oldw, w, 2);
	w[0] = h->ttl - 1;
	__builtin_memcpy(&neww, w, 2);
	if (bpf_skb_store_bytes(skb, off +
	    __builtin_offsetof(struct m6_ip4hdr, ttl), &w[0], 1, 0))
		return -1;
	return bpf_l3_csum_replace(skb, off +
	    __builtin_offsetof(struct m6_ip4hdr, check), oldw, neww, 2) ?
	    -1 : 0;
}

/* The hop limit of the IPv6 header at off, less one. */
static __always_inline int
hlim_dec6(struct __sk_buff *skb, __u32 off, __u8 hlim)
{
	__u8 h = hlim - 1;

	return bpf_skb_store_bytes(skb, off +
	    __builtin_offsetof(struct m6_ip6hdr, hlim), &h, 1,
	    BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
}

/*
 * The largest packet an IPv4 packet leaves as: the whole of it, or for
 * a GSO aggregate one segment (headers + gso_size).
 */
static __always_inline __u32
segment_len4(struct __sk_buff *skb, const struct m6_p4 *p)
{
	__u32 hdrs = p->l4 - ETH_HLEN;
	__u8 doff;

	if (skb->gso_size == 0)
		return p->end - ETH_HLEN;
	if (p->ip4.proto == IPPROTO_TCP) {
		if (bpf_skb_load_bytes(skb, p->l4 + 12, &doff, 1))
			return p->end - ETH_HLEN;
		hdrs += (doff >> 4) * 4;
	} else if (p->ip4.proto == IPPROTO_UDP) {
		hdrs += 8;
	}
	return hdrs + skb->gso_size;
}

/* ------------------------------------------------------- FIB, redirect */

/*
 * A FIB lookup towards the tunnel's outer destination (AF_INET: the
 * last 4 octets of the mapped addresses), with tot_len so that the route
 * and device MTU are checked.  The lookup's answer.
 */
static __always_inline long
fib_outer(struct __sk_buff *skb, struct bpf_fib_lookup *fib, int v4,
    const struct m6_in6 *src, const struct m6_in6 *dst, __u32 tot_len)
{
	if (v4) {
		fib->family = M6_AF_INET;
		__builtin_memcpy(&fib->ipv4_src, &src->b[12], 4);
		__builtin_memcpy(&fib->ipv4_dst, &dst->b[12], 4);
	} else {
		fib->family = M6_AF_INET6;
		in6_copy(fib->ipv6_src, src);
		in6_copy(fib->ipv6_dst, dst);
	}
	fib->ifindex = skb->ingress_ifindex ? skb->ingress_ifindex :
	    skb->ifindex;
	fib->tot_len = tot_len;
	return bpf_fib_lookup(skb, fib, sizeof *fib, 0);
}

/* After the encapsulation: out to the next hop the lookup found (the
   kernel resolves it when it has no neighbour yet), or to the kernel's
   routing (fib_miss). */
static __always_inline int
fib_redirect(struct __sk_buff *skb, struct bpf_fib_lookup *fib, long rc)
{
	struct bpf_redir_neigh nh = {};

	switch (rc) {
	case BPF_FIB_LKUP_RET_SUCCESS:
		if (bpf_skb_store_bytes(skb, 0, fib->dmac, ETH_ALEN, 0) ||
		    bpf_skb_store_bytes(skb, ETH_ALEN, fib->smac, ETH_ALEN, 0))
			break;
		return bpf_redirect(fib->ifindex, 0);
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		if (fib->family == M6_AF_INET) {
			nh.nh_family = M6_AF_INET;
			nh.ipv4_nh = fib->ipv4_dst;
		} else {
			nh.nh_family = M6_AF_INET6;
			__builtin_memcpy(nh.ipv6_nh, fib->ipv6_dst,
			    sizeof nh.ipv6_nh);
		}
		return bpf_redirect_neigh(fib->ifindex, &nh, sizeof nh, 0);
	default:
		break;
	}
	count(M6C_FIB_MISS);
	return TC_ACT_OK;
}

#endif
