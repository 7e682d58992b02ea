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
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/pkt_cls.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "stack/bpf/mip6_bpf.h"

#define M6_AF_INET6	10
#define M6_IP6_HLEN	40
#define M6_MAX_EXTHDR	8	/* extension headers walked at most */
#define M6_MAX_OPTS	8	/* options scanned per Destination Options */
#define M6_TUN_HLIM	64	/* outer hop limit of our tunnel packets */

#define ICMP6_RS		133
#define ICMP6_RA		134
#define ICMP6_NS		135
#define ICMP6_NA		136
#define ICMP6_REDIRECT		137
#define ICMP6_DHAAD_REQUEST	144	/* RFC 6275 §6.5 */
#define ICMP6_MPS		146	/* RFC 6275 §6.7 */
#define IP6OPT_PAD1		0
#define IP6OPT_HAO		201	/* RFC 6275 §6.3 */
#define IP6OPT_HAO_LEN		16

char LICENSE[] SEC("license") = "Dual BSD/GPL";	/* bpf_fib_lookup is GPL */

/* ------------------------------------------------------------- maps */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);		/* user space sets it */
	__type(key, struct m6_in6);
	__type(value, struct m6_bind);
} m6_bind SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 4096);
	__type(key, struct m6_lpm6);
	__type(value, struct m6_mnp);
} m6_mnp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct m6_in6);
	__type(value, m6_u32);
} m6_local SEC(".maps");

/* Filled on demand (user space writes it): a virtual home link, or a
   real one with few bindings, pays nothing for its 2 x max-bindings. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 4096);
	__type(key, struct m6_in6);
	__type(value, m6_u32);
} m6_ndp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, M6C_MAX);
	__type(key, m6_u32);
	__type(value, m6_u64);
} m6_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} m6_sig SEC(".maps");

/* ------------------------------------------------------------- packet */

/* The IPv6 header without bitfields (RFC 8200 §3). */
struct m6_ip6hdr {
	__be32		vtcfl;		/* version, traffic class, flow */
	__be16		plen;
	__u8		nh;
	__u8		hlim;
	struct m6_in6	src;
	struct m6_in6	dst;
};

/* What the walk learned about the packet at ETH_HLEN. */
struct m6_pkt {
	struct m6_ip6hdr ip6;
	__u32		l4;		/* offset of the final header */
	__u32		end;		/* ETH_HLEN + 40 + payload length */
	__u32		local;		/* m6_local flags of dst, 0 not ours */
	__u8		proto;		/* final Next Header */
	__u8		has_hao;
	struct m6_in6	hoa;		/* the Home Address option's address */
};

enum m6_parse {
	M6P_OK,
	M6P_SKIP,	/* not an IPv6 packet we can judge: kernel's */
	M6P_MALFORMED,	/* cut short or inconsistent */
};

/* A ring record: the header and room for the snapped bytes. */
struct m6_sig_rec {
	struct m6_sig	h;
	__u8		data[M6_SIG_SNAPLEN];
};

static __always_inline void
count(__u32 idx)
{
	m6_u64 *v = bpf_map_lookup_elem(&m6_cnt, &idx);

	if (v)
		*v += 1;	/* per-CPU slot: no atomics needed */
}

static __always_inline int
in6_eq(const struct m6_in6 *a, const struct m6_in6 *b)
{
	const __u32 *x = (const __u32 *)a, *y = (const __u32 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

static __always_inline void
in6_copy(void *dst, const struct m6_in6 *src)
{
	__u32 *d = dst;
	const __u32 *s = (const __u32 *)src;

	d[0] = s[0];
	d[1] = s[1];
	d[2] = s[2];
	d[3] = s[3];
}

/*
 * Look for a Home Address option in the Destination Options header at
 * off (hlen bytes).  0, or -1 when an option overruns the header or the
 * HAO has the wrong length (RFC 6275 §6.3: Option Length 16).
 */
static __always_inline int
scan_hao(struct __sk_buff *skb, struct m6_pkt *p, __u32 off, __u32 hlen)
{
	__u32 o = off + 2, oend = off + hlen;
	__u8 tl[2];
	int i;

	for (i = 0; i < M6_MAX_OPTS; i++) {
		if (o >= oend)
			return 0;
		if (bpf_skb_load_bytes(skb, o, tl, 1))
			return -1;
		if (tl[0] == IP6OPT_PAD1) {
			o++;
			continue;
		}
		if (o + 2 > oend || bpf_skb_load_bytes(skb, o, tl, 2))
			return -1;
		if (o + 2 + tl[1] > oend)
			return -1;
		if (tl[0] == IP6OPT_HAO) {
			if (tl[1] != IP6OPT_HAO_LEN ||
			    bpf_skb_load_bytes(skb, o + 2, &p->hoa,
			    sizeof p->hoa))
				return -1;
			p->has_hao = 1;
			return 0;
		}
		o += 2 + tl[1];
	}
	return 0;	/* more options than we scan: no HAO seen */
}

static __always_inline int
is_exthdr(__u8 nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_DSTOPTS ||
	    nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT ||
	    nh == IPPROTO_AH;
}

/*
 * Parse the IPv6 header at ETH_HLEN and walk its extension headers (RFC
 * 8200 §4): at most M6_MAX_EXTHDR, a Fragment header ends the walk (what
 * follows may be in another fragment), the first Home Address option is
 * noted.  p->local is valid whenever the IPv6 header was read, so a
 * malformed packet can be judged ours or not.
 */
static __always_inline enum m6_parse
parse(struct __sk_buff *skb, struct m6_pkt *p)
{
	__u32 off = ETH_HLEN + M6_IP6_HLEN, hlen, *local;
	__u8 nh, eh[2];
	int i;

	p->local = 0;
	p->has_hao = 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &p->ip6, sizeof p->ip6))
		return M6P_SKIP;
	if ((bpf_ntohl(p->ip6.vtcfl) >> 28) != 6)
		return M6P_SKIP;
	local = bpf_map_lookup_elem(&m6_local, &p->ip6.dst);
	if (local)
		p->local = *local;
	nh = p->ip6.nh;
	/* Payload Length 0 with Hop-by-Hop first: a jumbogram (RFC 2675). */
	if (p->ip6.plen == 0 && nh == IPPROTO_HOPOPTS)
		return M6P_SKIP;
	p->end = off + bpf_ntohs(p->ip6.plen);
	if (p->end > skb->len)
		return M6P_MALFORMED;
	for (i = 0; i <= M6_MAX_EXTHDR; i++) {
		if (!is_exthdr(nh) || nh == IPPROTO_FRAGMENT) {
			p->proto = nh;
			p->l4 = off;
			return M6P_OK;
		}
		if (i == M6_MAX_EXTHDR)
			break;
		/* RFC 8200 §4.1: Hop-by-Hop only right after the header. */
		if (nh == IPPROTO_HOPOPTS && i != 0)
			return M6P_MALFORMED;
		if (off + 2 > p->end || bpf_skb_load_bytes(skb, off, eh, 2))
			return M6P_MALFORMED;
		if (nh == IPPROTO_AH)
			hlen = ((__u32)eh[1] + 2) * 4;	/* RFC 4302 §2.2 */
		else
			hlen = ((__u32)eh[1] + 1) * 8;
		if (off + hlen > p->end)
			return M6P_MALFORMED;
		if (nh == IPPROTO_DSTOPTS && !p->has_hao &&
		    scan_hao(skb, p, off, hlen) < 0)
			return M6P_MALFORMED;
		nh = eh[0];
		off += hlen;
	}
	return M6P_MALFORMED;	/* longer chain than we walk */
}

/* ------------------------------------------------------------- verdicts */

/* Handed to the kernel as it arrived. */
static __always_inline int
pass(void)
{
	count(M6C_PASS);
	return TC_ACT_OK;
}

/* Cut short or inconsistent: ours are dropped, others are the kernel's. */
static __always_inline int
malformed(const struct m6_pkt *p)
{
	if (!p->local)
		return pass();
	count(M6C_DROP_MALFORMED);
	return TC_ACT_SHOT;
}

/*
 * Copy the IPv6 packet (after any decapsulation) to the m6_sig ring.  0,
 * or -1 when the ring is full (counted).
 */
static __always_inline int
sig_out(struct __sk_buff *skb, const struct m6_pkt *p, __u16 reason,
    __u16 flags, const struct m6_in6 *tun_src, __u32 mtu)
{
	struct m6_sig_rec *r;
	__u32 wirelen = p->end - ETH_HLEN;
	/* 64-bit arithmetic: the verifier must see the bounds of the very
	   register passed to bpf_skb_load_bytes. */
	__u64 caplen = (__u64)p->end - ETH_HLEN;

	if (caplen > M6_SIG_SNAPLEN) {
		caplen = M6_SIG_SNAPLEN;
		flags |= M6SF_TRUNC;
	}
	r = bpf_ringbuf_reserve(&m6_sig, sizeof *r, 0);
	if (!r) {
		count(M6C_DROP_RING_FULL);
		return -1;
	}
	r->h.ts_ns = bpf_ktime_get_boot_ns();
	r->h.ifindex = skb->ingress_ifindex;
	r->h.reason = reason;
	r->h.flags = flags;
	r->h.wirelen = wirelen;
	r->h.mtu = mtu;
	r->h.reserved = 0;
	if (flags & M6SF_DECAP)
		r->h.tun_src = *tun_src;
	else
		__builtin_memset(&r->h.tun_src, 0, sizeof r->h.tun_src);
	r->h.reserved2 = 0;
	if (bpf_skb_load_bytes(skb, 0, r->h.l2_dst, 6) ||
	    bpf_skb_load_bytes(skb, 6, r->h.l2_src, 6)) {
		__builtin_memset(r->h.l2_dst, 0, 6);
		__builtin_memset(r->h.l2_src, 0, 6);
	}
	/* The verifier wants the length proven within [1, SNAPLEN]. */
	if (caplen == 0 ||
	    bpf_skb_load_bytes(skb, ETH_HLEN, r->data, caplen))
		caplen = 0;
	r->h.caplen = caplen;
	bpf_ringbuf_submit(r, 0);
	count(M6C_SIG_OUT);
	return 0;
}

/* Signaling for the daemon that the kernel must not see. */
static __always_inline int
sig_drop(struct __sk_buff *skb, const struct m6_pkt *p, __u16 reason,
    __u16 flags, const struct m6_in6 *tun_src)
{
	sig_out(skb, p, reason, flags, tun_src, 0);
	return TC_ACT_SHOT;
}

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
 * The length of the largest packet the skb will leave as: the whole
 * packet, or for a GSO aggregate one segment (headers + gso_size).
 */
static __always_inline __u32
segment_len(struct __sk_buff *skb, const struct m6_pkt *p)
{
	__u32 hdrs = p->l4 - ETH_HLEN;
	__u8 doff;

	if (skb->gso_size == 0)
		return p->end - ETH_HLEN;
	if (p->proto == IPPROTO_TCP) {
		if (bpf_skb_load_bytes(skb, p->l4 + 12, &doff, 1))
			return p->end - ETH_HLEN;
		hdrs += (doff >> 4) * 4;
	} else if (p->proto == IPPROTO_UDP) {
		hdrs += 8;
	}
	return hdrs + skb->gso_size;
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
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED) {
		/* The record carries the path MTU towards the CoA; the daemon
		   sends the Packet Too Big with that less the tunnel header
		   (RFC 2473 §7.1). */
		sig_out(skb, p, M6S_PTB, sflags, tun_src, fib.mtu_result);
		count(M6C_DROP_TOO_BIG);
		return TC_ACT_SHOT;
	}

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

	if (skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	rc = parse(skb, &p);
	if (rc == M6P_SKIP)
		return pass();
	if (rc == M6P_MALFORMED)
		return malformed(&p);

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
