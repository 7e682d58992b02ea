/*
 * stack/bpf/m6_prog.h - what the tc programs (ha.bpf.c, mn.bpf.c,
 * cn.bpf.c) share: the maps every plane has (m6_local, m6_cnt, m6_sig),
 * the IPv6 header and extension-header walk, counters, ring records,
 * header insertion/removal right after the IPv6 header, the MTU check
 * before a packet grows (M6S_PTB) and the redirect towards a next hop.  BPF only; header-only.  A program may size
 * m6_local and m6_sig by defining M6_LOCAL_ENTRIES / M6_SIG_BYTES first.
 *
 * Every header read goes through bpf_skb_load_bytes (non-linear skbs are
 * read correctly, computed offsets need no packet-pointer proofs).
 * Inserting or removing a header with BPF_ADJ_ROOM_NET keeps GSO and
 * partial checksums right: the upper-layer checksum covers a pseudo-header
 * with the home address, which neither program changes (RFC 6275 §6.3,
 * §6.4).
 */
#ifndef MIP6_M6_PROG_H
#define MIP6_M6_PROG_H

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
#define M6_HINT_NS	1000000000ULL	/* one hint per peer per second */

#define IP6OPT_PAD1		0
#define IP6OPT_PADN		1
#define IP6OPT_HAO		201	/* RFC 6275 §6.3 */
#define IP6OPT_HAO_LEN		16
#define M6_HAO_HDR_LEN		24	/* NH, len 2, PadN(4), HAO(18) */
#define M6_RH2_LEN		24	/* RFC 6275 §6.4 */
#define M6_RH2_TYPE		2
#define M6_MIN_MTU		1280	/* RFC 8200 §5 */

char LICENSE[] SEC("license") = "Dual BSD/GPL";	/* bpf_fib_lookup is GPL */

/* ------------------------------------------------------------- maps */

/* A map declaration on one line: name, BPF_MAP_TYPE_ suffix, entries,
   key and value types, map_flags. */
#define M6_MAP(name, kind, n, k, v, fl)					\
	struct {							\
		__uint(type, BPF_MAP_TYPE_##kind);			\
		__uint(max_entries, n);					\
		__uint(map_flags, fl);					\
		__type(key, k);						\
		__type(value, v);					\
	} name SEC(".maps")

#ifndef M6_LOCAL_ENTRIES
#define M6_LOCAL_ENTRIES	256
#endif
#ifndef M6_SIG_BYTES
#define M6_SIG_BYTES		(1 << 20)
#endif

/* Own addresses (HA, care-of, home, correspondent): value M6L_*. */
M6_MAP(m6_local, HASH, M6_LOCAL_ENTRIES, struct m6_in6, m6_u32, 0);
M6_MAP(m6_cnt, PERCPU_ARRAY, M6C_MAX, m6_u32, m6_u64, 0);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, M6_SIG_BYTES);
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

/* The Type 2 Routing header (RFC 6275 §6.4). */
struct m6_rh2 {
	__u8		nh;
	__u8		len;		/* 2 */
	__u8		type;		/* 2 */
	__u8		segleft;	/* 1 */
	__u32		reserved;
	struct m6_in6	hoa;
};

/* What the parse (and the extension-header walk) learned. */
struct m6_pkt {
	struct m6_ip6hdr ip6;
	__u32		l4;		/* offset of the final header */
	__u32		end;		/* end of the packet's bytes */
	__u32		local;		/* m6_local flags of dst, 0 not ours */
	__u32		dopt_off;	/* Destination Options with the HAO */
	__u32		dopt_len;
	__u32		hao_off;	/* the HAO's Option Type octet */
	__u32		rh_off;		/* first Routing header, 0 none */
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

static __always_inline int
in6_is_zero(const struct m6_in6 *a)
{
	const __u32 *x = (const __u32 *)a;

	return (x[0] | x[1] | x[2] | x[3]) == 0;
}

static __always_inline int
in6_is_multicast(const struct m6_in6 *a)
{
	return a->b[0] == 0xff;
}

static __always_inline int
in6_is_linklocal(const struct m6_in6 *a)
{
	return a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80;
}

/*
 * Look for a Home Address option in the Destination Options header at
 * off (hlen bytes).  0, or -1 when an option overruns the header or the
 * HAO has the wrong length (RFC 6275 §6.3: Option Length 16).
 */
static __always_inline int
scan_hao(struct __sk_buff *skb, struct m6_pkt *w, __u32 off, __u32 hlen)
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
			    bpf_skb_load_bytes(skb, o + 2, &w->hoa,
			    sizeof w->hoa))
				return -1;
			w->has_hao = 1;
			w->hao_off = o;
			w->dopt_off = off;
			w->dopt_len = hlen;
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
 * Walk the extension headers from off (first Next Header nh) up to end
 * (RFC 8200 §4): at most M6_MAX_EXTHDR, a Fragment header ends the walk
 * (what follows may be in another fragment), the first Home Address
 * option and the first Routing header are noted.  -1 when cut short or
 * inconsistent.
 */
static __always_inline int
walk(struct __sk_buff *skb, struct m6_pkt *w, __u32 off, __u8 nh, __u32 end)
{
	__u32 hlen;
	__u8 eh[2];
	int i;

	w->has_hao = 0;
	w->rh_off = 0;
	w->end = end;
	for (i = 0; i <= M6_MAX_EXTHDR; i++) {
		if (!is_exthdr(nh) || nh == IPPROTO_FRAGMENT) {
			w->proto = nh;
			w->l4 = off;
			return 0;
		}
		if (i == M6_MAX_EXTHDR)
			break;
		/* RFC 8200 §4.1: Hop-by-Hop only right after the header. */
		if (nh == IPPROTO_HOPOPTS && i != 0)
			return -1;
		if (off + 2 > end || bpf_skb_load_bytes(skb, off, eh, 2))
			return -1;
		if (nh == IPPROTO_AH)
			hlen = ((__u32)eh[1] + 2) * 4;	/* RFC 4302 §2.2 */
		else
			hlen = ((__u32)eh[1] + 1) * 8;
		if (off + hlen > end)
			return -1;
		if (nh == IPPROTO_DSTOPTS && !w->has_hao &&
		    scan_hao(skb, w, off, hlen) < 0)
			return -1;
		if (nh == IPPROTO_ROUTING && w->rh_off == 0)
			w->rh_off = off;
		nh = eh[0];
		off += hlen;
	}
	return -1;	/* longer chain than we walk */
}

/*
 * Parse the IPv6 header at ETH_HLEN and walk its extension headers.
 * p->local is valid whenever the IPv6 header was read, so a malformed
 * packet can be judged ours or not.
 */
static __always_inline enum m6_parse
parse(struct __sk_buff *skb, struct m6_pkt *p)
{
	__u32 off = ETH_HLEN + M6_IP6_HLEN, end, *local;

	p->local = 0;
	p->has_hao = 0;
	p->rh_off = 0;
	if (bpf_skb_load_bytes(skb, ETH_HLEN, &p->ip6, sizeof p->ip6))
		return M6P_SKIP;
	if ((bpf_ntohl(p->ip6.vtcfl) >> 28) != 6)
		return M6P_SKIP;
	local = bpf_map_lookup_elem(&m6_local, &p->ip6.dst);
	if (local)
		p->local = *local;
	/* Payload Length 0 with Hop-by-Hop first: a jumbogram (RFC 2675). */
	if (p->ip6.plen == 0 && p->ip6.nh == IPPROTO_HOPOPTS)
		return M6P_SKIP;
	end = off + bpf_ntohs(p->ip6.plen);
	if (end > skb->len)
		return M6P_MALFORMED;
	if (walk(skb, p, off, p->ip6.nh, end) < 0)
		return M6P_MALFORMED;
	return M6P_OK;
}

/* ------------------------------------------------------------- verdicts */

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
 * Every program's start: an IPv6 packet parsed into p (-1: go on), or
 * the verdict for what it cannot judge (the kernel's) or what is cut
 * short.
 */
static __always_inline int
start(struct __sk_buff *skb, struct m6_pkt *p)
{
	enum m6_parse rc;

	if (skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_OK;
	rc = parse(skb, p);
	if (rc == M6P_SKIP)
		return pass();
	if (rc == M6P_MALFORMED)
		return malformed(p);
	return -1;
}


/*
 * The end every ring record shares (sig_out here, sig4_out in m6_v4.h):
 * the frame's Ethernet addresses, caplen octets of the packet from off
 * (caplen already at most M6_SIG_SNAPLEN: the verifier wants it proven
 * within [1, SNAPLEN]), submitted and counted.
 */
static __always_inline void
sig_finish(struct __sk_buff *skb, struct m6_sig_rec *r, __u32 off,
    __u64 caplen)
{
	if (bpf_skb_load_bytes(skb, 0, r->h.l2_dst, 6) ||
	    bpf_skb_load_bytes(skb, 6, r->h.l2_src, 6)) {
		__builtin_memset(r->h.l2_dst, 0, 6);
		__builtin_memset(r->h.l2_src, 0, 6);
	}
	if (caplen == 0 || bpf_skb_load_bytes(skb, off, r->data, caplen))
		caplen = 0;
	r->h.caplen = caplen;
	bpf_ringbuf_submit(r, 0);
	count(M6C_SIG_OUT);
}
/*
 * Copy the IPv6 packet (after any decapsulation) to the m6_sig ring:
 * tun_src is recorded with M6SF_DECAP, mtu with M6S_PTB.  0, or -1 when
 * the ring is full (counted).
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
	/* on egress (mn, cn) the interface the packet leaves by */
	r->h.ifindex = skb->ingress_ifindex ? skb->ingress_ifindex :
	    skb->ifindex;
	r->h.reason = reason;
	r->h.flags = flags;
	r->h.wirelen = wirelen;
	r->h.mtu = mtu;
	r->h.udp_sport = 0;
	r->h.reserved = 0;
	if ((flags & M6SF_DECAP) && tun_src)
		r->h.tun_src = *tun_src;
	else
		__builtin_memset(&r->h.tun_src, 0, sizeof r->h.tun_src);
	__builtin_memset(r->h.tun_dst4, 0, sizeof r->h.tun_dst4);
	sig_finish(skb, r, ETH_HLEN, caplen);
	return 0;
}

/* ---------------------------------------------------------- path MTU */

/*
 * The length of the largest packet the skb will leave as, from its IPv6
 * header: the whole packet, or for a GSO aggregate one segment (headers
 * + gso_size).
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
 * The MTU a sender must use when we add `grow` bytes to its packets and
 * the link (or path) they then take has MTU `mtu` (RFC 4443 §3.2, RFC
 * 2473 §7.1).  Never below the IPv6 minimum (RFC 8200 §5): a tunnel over
 * a link of less than 1280 + grow would have to fragment; we do not, and
 * such a packet is counted (drop_too_big) and dropped.
 */
static __always_inline __u32
sender_mtu(__u32 mtu, __u32 grow)
{
	return mtu >= M6_MIN_MTU + grow ? mtu - grow : M6_MIN_MTU;
}

/*
 * 0 when the packet still fits the MTU of ifindex once `grow` bytes are
 * added, else the MTU its sender must use.  bpf_check_mtu only supplies
 * the device MTU: it calls every GSO aggregate a fit, so the segment
 * length is compared here.  An unknown ifindex is the redirect's failure
 * to report (0).
 */
static __always_inline __u32
grown_too_big(struct __sk_buff *skb, const struct m6_pkt *p, __u32 ifindex,
    __u32 grow)
{
	__u32 mtu = 0;

	if (bpf_check_mtu(skb, ifindex, &mtu, 0, 0) < 0 || mtu == 0)
		return 0;
	if (segment_len(skb, p) + grow <= mtu)
		return 0;
	return sender_mtu(mtu, grow);
}

/*
 * No silent drop (RFC 4443 §3.2): the daemon gets the packet's start
 * and the MTU to announce (M6S_PTB), and sends the Packet Too Big.
 */
static __always_inline int
too_big(struct __sk_buff *skb, const struct m6_pkt *p, __u32 mtu,
    __u16 sflags, const struct m6_in6 *tun_src)
{
	count(M6C_DROP_TOO_BIG);
	sig_out(skb, p, M6S_PTB, sflags, tun_src, mtu);
	return TC_ACT_SHOT;
}

/* Signaling for the daemon that the kernel must not see. */
static __always_inline int
sig_drop(struct __sk_buff *skb, const struct m6_pkt *p, __u16 reason,
    __u16 flags, const struct m6_in6 *tun_src)
{
	sig_out(skb, p, reason, flags, tun_src, 0);
	return TC_ACT_SHOT;
}

/*
 * A hint at most once a second per key (hints is an LRU map of the last
 * time): 1 when this one may go.
 */
static __always_inline int
hint_due(void *hints, const struct m6_in6 *key)
{
	__u64 now = bpf_ktime_get_boot_ns(), *last;

	last = bpf_map_lookup_elem(hints, key);
	if (last && now - *last < M6_HINT_NS)
		return 0;
	bpf_map_update_elem(hints, key, &now, BPF_ANY);
	return 1;
}

/* ------------------------------------------------------- header edits */

/* Rewrite the IPv6 header's Payload Length (delta) and Next Header:
   adjacent octets, one store. */
static __always_inline int
ip6_fix(struct __sk_buff *skb, const struct m6_pkt *p, __u8 nh, int delta)
{
	__u8 b[3];
	__u16 plen = (__u16)(bpf_ntohs(p->ip6.plen) + delta);

	b[0] = plen >> 8;
	b[1] = plen & 0xff;
	b[2] = nh;
	return bpf_skb_store_bytes(skb, ETH_HLEN +
	    __builtin_offsetof(struct m6_ip6hdr, plen), b, sizeof b,
	    BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
}

/* One address field of the IPv6 header. */
static __always_inline int
ip6_set_addr(struct __sk_buff *skb, __u32 field, const struct m6_in6 *a)
{
	return bpf_skb_store_bytes(skb, ETH_HLEN + field, a, sizeof *a,
	    BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
}
#define IP6_SRC	__builtin_offsetof(struct m6_ip6hdr, src)
#define IP6_DST	__builtin_offsetof(struct m6_ip6hdr, dst)

/*
 * bpf_skb_adjust_room flags for an extension header inserted or removed
 * right after the IPv6 header.  FIXED_GSO: gso_size is the upper-layer
 * payload of each segment, which the header does not change; every
 * insertion is preceded by the MTU check of the grown segments
 * (grown_too_big), so the kernel must not shrink gso_size on top of it
 * (it would cut the segments by the header's length again) nor grow it
 * on removal, and UDP GSO aggregates are refused without this flag
 * (-ENOTSUPP: they would be dropped as encap_fail).  NO_CSUM_RESET: the
 * upper-layer checksum stays valid (its pseudo-header has the home
 * address on both sides, RFC 6275 §6.3, §6.4), so a checksum a NIC
 * verified (CHECKSUM_UNNECESSARY) need not be computed again in
 * software.
 */
#define M6_ADJ_EXTHDR	(BPF_F_ADJ_ROOM_FIXED_GSO | \
			 BPF_F_ADJ_ROOM_NO_CSUM_RESET)

/* Insert len bytes right after the IPv6 header and write hdr there. */
static __always_inline int
hdr_insert(struct __sk_buff *skb, const void *hdr, __u32 len)
{
	if (bpf_skb_adjust_room(skb, len, BPF_ADJ_ROOM_NET, M6_ADJ_EXTHDR))
		return -1;
	return bpf_skb_store_bytes(skb, ETH_HLEN + M6_IP6_HLEN, hdr, len,
	    BPF_F_RECOMPUTE_CSUM) ? -1 : 0;
}

/* Remove len bytes right after the IPv6 header. */
static __always_inline int
hdr_remove(struct __sk_buff *skb, __u32 len)
{
	return bpf_skb_adjust_room(skb, -(__s32)len, BPF_ADJ_ROOM_NET,
	    M6_ADJ_EXTHDR) ? -1 : 0;
}

/*
 * Send the rewritten packet out of ifindex (0: the interface it is on)
 * towards gw, or with no gw wherever the kernel's route for its new
 * destination points through that interface; the kernel resolves the
 * neighbour.  (Not bpf_fib_lookup: it answers only where forwarding is
 * on, and a mobile or correspondent node is a host.)
 */
static __always_inline int
redirect_via(struct __sk_buff *skb, __u32 ifindex, const struct m6_in6 *gw)
{
	struct bpf_redir_neigh nh = {};

	if (!ifindex)
		ifindex = skb->ifindex;
	if (!gw || in6_is_zero(gw))
		return bpf_redirect_neigh(ifindex, NULL, 0, 0);
	nh.nh_family = M6_AF_INET6;
	__builtin_memcpy(nh.ipv6_nh, gw, sizeof nh.ipv6_nh);
	return bpf_redirect_neigh(ifindex, &nh, sizeof nh, 0);
}

#endif
