/*
 * stack/bpf/mip6_bpf.h - what the eBPF forwarding plane and the daemons
 * share: the layout of every pinned map, the record the programs hand to
 * user space through the signaling ring buffer, and the counter indices.
 *
 * Included by the BPF programs (clang -target bpf) and by user space, so
 * it uses only fixed-width types and no libc.  Addresses are in network
 * byte order (struct m6_in6 is 16 raw bytes), everything else host order.
 *
 * The kernel holds only what it needs to forward (SHISA's split): a
 * binding's care-of address and tunnel source.  The rest of the record is
 * the daemon's durable state: it lives in the same pinned map so that a
 * restarted daemon (kill -9 included) resumes sequence checks, refresh and
 * expiry where it stopped, while forwarding never stopped.
 */
#ifndef MIP6_BPF_H
#define MIP6_BPF_H

#ifdef __bpf__
#include <linux/types.h>
typedef __u8 m6_u8;
typedef __u16 m6_u16;
typedef __u32 m6_u32;
typedef __u64 m6_u64;
#else
#include <stdint.h>
typedef uint8_t m6_u8;
typedef uint16_t m6_u16;
typedef uint32_t m6_u32;
typedef uint64_t m6_u64;
#endif

/* Map names (also the pin file names under the daemon's state dir). */
#define M6_MAP_BIND	"m6_bind"
#define M6_MAP_MNP	"m6_mnp"
#define M6_MAP_LOCAL	"m6_local"
#define M6_MAP_NDP	"m6_ndp"
#define M6_MAP_CNT	"m6_cnt"
#define M6_MAP_SIG	"m6_sig"
#define M6_MAP_BIND4	"m6_bind4"	/* DSMIPv6 (RFC 5555) */

/* An IPv6 address as 16 bytes in network order (same layout as in6_addr). */
struct m6_in6 {
	m6_u8	b[16];
};

/*
 * m6_bind: HASH, key struct m6_in6 (the home address), value m6_bind.
 * One entry per binding cache entry of a home agent.
 */
#define M6B_ACTIVE	0x0001	/* forward: tunnel packets to the HoA */
#define M6B_ROUTER	0x0002	/* a mobile router (R flag accepted) */
#define M6B_PROXY	0x0004	/* HA defends the HoA on the home link */
/*
 * DSMIPv6 (RFC 5555).  M6B_V4COA: the care-of address is IPv4: coa and
 * ha hold IPv4-mapped addresses (::ffff:a.b.c.d; coa is the outer source
 * the BU came from, the NAT's public address when there is one) and the
 * tunnel's outer header is IPv4.  M6B_UDP: that header is IPv4/UDP, from
 * port 4191 to udp_port (NAT found, or F set: §4.1, §4.2); without it,
 * IPv6-in-IPv4 (protocol 41) / IPv4-in-IPv4 (4).  M6B_V4HOA: the binding
 * owns entries in m6_bind4.
 */
#define M6B_V4COA	0x0008
#define M6B_UDP		0x0010
#define M6B_V4HOA	0x0020

struct m6_bind {
	/* Read by the BPF programs. */
	struct m6_in6	coa;		/* tunnel destination */
	struct m6_in6	ha;		/* tunnel source: our HA address */
	m6_u32		flags;		/* M6B_* */
	m6_u32		home_ifindex;	/* 0: virtual home link */
	/* The daemon's durable state; the programs never read it. */
	m6_u64		registered_ms;	/* CLOCK_BOOTTIME, first accepted */
	m6_u64		refreshed_ms;	/* last accepted BU */
	m6_u64		expires_ms;	/* binding lifetime end */
	m6_u16		seq;		/* last accepted Sequence Number */
	m6_u16		bu_flags;	/* flags of the last accepted BU */
	m6_u16		lifetime;	/* granted, 4-second units */
	m6_u8		state;		/* daemon's BCE state (enum bce_state) */
	m6_u8		nmnp;		/* prefixes in m6_mnp for this HoA */
	m6_u32		spi;		/* RFC 4285 SPI used, 0 none */
	m6_u16		udp_port;	/* M6B_UDP: the MN's (or its NAT's)
					   source port, network order */
	m6_u16		reserved;
};

/*
 * m6_mnp: LPM_TRIE (BPF_F_NO_PREALLOC), key m6_lpm6, value m6_mnp.  A
 * mobile network prefix (RFC 3963) routed through its router's tunnel:
 * the value names the HoA whose m6_bind entry holds the care-of address.
 */
struct m6_lpm6 {
	m6_u32		prefixlen;
	struct m6_in6	addr;
};
struct m6_mnp {
	struct m6_in6	hoa;
};

/*
 * m6_bind4: LPM_TRIE (BPF_F_NO_PREALLOC), key m6_lpm4, value m6_mnp.
 * DSMIPv6: an IPv4 home address (prefixlen 32) or IPv4 mobile network
 * prefix (RFC 5555 §3.1.1 P flag) routed through the tunnel of the IPv6
 * home address in the value (whose m6_bind entry holds the care-of
 * address).  The mobile node's mn_hoa4 has the same layout.
 */
struct m6_lpm4 {
	m6_u32		prefixlen;
	m6_u8		addr[4];
};

/*
 * m6_local: HASH, key m6_in6, value m6_u32 (M6L_*): the node's own
 * addresses that terminate signaling and tunnels.
 */
#define M6L_HA_ADDR	0x0001	/* home agent address: tunnel endpoint */
#define M6L_ANYCAST	0x0002	/* Home-Agents anycast address (DHAAD) */
#define M6L_OWN		0x0004	/* any other own address */

/*
 * m6_ndp: HASH, key m6_in6 (target address), value m6_u32 (M6N_*):
 * Neighbor Solicitations and Advertisements whose target is listed here
 * are copied to the daemon (and still passed to the kernel).
 */
#define M6N_DAD		0x0001	/* proxy DAD in progress for it */
#define M6N_PROXY	0x0002	/* proxy ND: the daemon answers NS */

/*
 * m6_sig: RINGBUF.  Each record is struct m6_sig followed by `caplen`
 * bytes of the packet from its (outermost remaining) IPv6 header on.
 */
#define M6_SIG_SNAPLEN	1280	/* bytes copied at most */

enum m6_sig_reason {
	M6S_MH = 1,		/* Mobility Header to us: dropped in kernel */
	M6S_HAO,		/* Home Address option to us: dropped */
	M6S_ICMP_HA,		/* DHAAD Request / MPS to us: dropped */
	M6S_RA,			/* Router Advertisement: passed too */
	M6S_ND,			/* NS/NA for a watched target: passed too */
	M6S_PTB,		/* too big once a tunnel header, HAO or
				   RH2 is added: dropped, send PTB.  An
				   IPv4 packet with DF (DSMIPv6 paths):
				   the bytes start with its IPv4 header,
				   the answer is ICMP "fragmentation
				   needed" (without DF: dropped, counted
				   drop_too_big, no record) */
	M6S_HLIM,		/* hop limit <= 1 to a bound HoA or mobile
				   network: dropped, send Time Exceeded */
	M6S_RR_HINT,		/* MN: tunneled packet from a correspondent
				   (inner source) with no active RO: passed */
	M6S_BE_HINT,		/* CN: HAO without a binding: dropped */
	M6S_ICMP_ERR,		/* MN: ICMPv6 error quoting our HAO or
				   Mobility Header: copied, passed */
	M6S_ICMP_MN,		/* MN: DHAAD Reply / MPA to us: dropped */
	M6S_MAX
};

#define M6SF_DECAP	0x0001	/* arrived inside the reverse tunnel */
#define M6SF_TRUNC	0x0002	/* caplen < wire length */
#define M6SF_RH2	0x0004	/* arrived with a Type 2 Routing header
				   (kept in the copied bytes) */
#define M6SF_UDP4	0x0008	/* arrived inside IPv4/UDP to port 4191
				   (RFC 5555 §4.1): tun_src is the outer
				   IPv4 source, IPv4-mapped; udp_sport and
				   tun_dst4 the rest of the outer header */
#define M6SF_IP4	0x0010	/* arrived inside IPv4 (protocol 41) from
				   tun_src (IPv4-mapped) to tun_dst4 */

struct m6_sig {
	m6_u64		ts_ns;		/* bpf_ktime_get_boot_ns() */
	m6_u32		ifindex;	/* arrival interface */
	m6_u16		reason;		/* enum m6_sig_reason */
	m6_u16		flags;		/* M6SF_* */
	m6_u32		caplen;		/* bytes that follow */
	m6_u32		wirelen;	/* IPv6 packet length on the wire */
	m6_u32		mtu;		/* M6S_PTB: the MTU the sender must
					   use (the egress or path MTU less
					   what we add, at least 1280) */
	m6_u16		udp_sport;	/* M6SF_UDP4: outer UDP source port,
					   network order */
	m6_u16		reserved;
	struct m6_in6	tun_src;	/* M6SF_DECAP: outer source (CoA) */
	/*
	 * The frame's Ethernet addresses: a reply to the packet's source
	 * can go straight back to l2_src on ifindex, with no neighbour
	 * resolution (a flood of packets from forged on-link sources then
	 * cannot stall replies to real ones in the neighbour queues).
	 */
	m6_u8		l2_src[6];
	m6_u8		l2_dst[6];
	m6_u8		tun_dst4[4];	/* M6SF_UDP4, M6SF_IP4: outer IPv4
					   destination (our IPv4 address) */
};

/*
 * m6_cnt: PERCPU_ARRAY of m6_u64, index enum m6_counter.  The names are
 * what `mip6ctl counters` prints (m6_counter_name in bpfplane.c).
 */
enum m6_counter {
	M6C_PASS = 0,		/* handed to the kernel unchanged */
	M6C_SIG_OUT,		/* records written to m6_sig */
	M6C_TUN_ENCAP,		/* packets tunneled to a care-of address */
	M6C_TUN_DECAP,		/* reverse-tunneled packets accepted */
	M6C_DROP_RING_FULL,	/* m6_sig full: signaling lost */
	M6C_DROP_RT_NO_BINDING,	/* reverse tunnel: inner source unbound */
	M6C_DROP_RT_COA,	/* reverse tunnel: outer source != CoA */
	M6C_DROP_MALFORMED,	/* headers cut short or inconsistent */
	M6C_DROP_ENCAP_FAIL,	/* bpf_skb_adjust_room failed */
	M6C_DROP_TOO_BIG,	/* egress MTU exceeded once grown
				   (M6S_PTB to the daemon) */
	M6C_FIB_MISS,		/* no route to the CoA: left to kernel */
	M6C_HLIM,		/* inner hop limit <= 1: left to kernel */
	/* mn.bpf.c and cn.bpf.c (appended: had's indices stay). */
	M6C_HAO_INSERT,		/* MN egress: HAO added (RO) */
	M6C_RH2_STRIP,		/* MN ingress: RH2 removed, dst <- HoA */
	M6C_HAO_SWAP,		/* CN ingress: src <- HoA, HAO removed */
	M6C_RH2_INSERT,		/* CN egress: RH2 added, dst <- CoA */
	M6C_DROP_HAO_NO_BIND,	/* CN: HAO without binding */
	M6C_RR_HINT,		/* MN: RR hints raised */
	M6C_BE_HINT,		/* CN: BE hints raised */
	M6C_DROP_RH2_BAD,	/* RH2 not for one of our HoAs */
	/* DSMIPv6 (RFC 5555, appended). */
	M6C_UDP4191_BAD_INNER,	/* UDP 4191 payload neither IPv4 nor
				   IPv6 (§4.1): dropped */
	M6C_UDP4191_UNKNOWN,	/* UDP 4191 from a source address or
				   port no binding names: dropped */
	M6C_TUN4_ENCAP,		/* of tun_encap: with an IPv4 outer
				   header or an IPv4 inner packet */
	M6C_TUN4_DECAP,		/* of tun_decap: likewise */
	M6C_MAX
};


/*
 * The mobile node's maps (mn.bpf.c, pinned under mnd's state dir).
 *
 * mn_hoa: HASH, key m6_in6 (home address), value m6_mn_hoa.
 */
#define M6_MAP_MN_HOA	"mn_hoa"
#define M6_MAP_MN_RO	"mn_ro"
#define M6_MAP_MN_MNP	"mn_mnp"
#define M6_MAP_MN_HINT	"mn_hint"
#define M6_MAP_CN_BIND	"cn_bind"
#define M6_MAP_CN_HINT	"cn_hint"
#define M6_MAP_MN_HOA4	"mn_hoa4"	/* DSMIPv6 */

#define M6H_AWAY	0x0001	/* away from home: tunnel to the HA */
#define M6H_ROUTER	0x0002	/* a mobile router (mn_mnp in use) */
/* DSMIPv6 (RFC 5555), as M6B_V4COA / M6B_UDP on the HA: coa and ha are
   IPv4-mapped (our IPv4 care-of address, the HA's IPv4 address); with
   M6H_UDP the tunnel is IPv4/UDP from udp_sport to 4191, else protocol
   41 / 4.  M6H_V4HOA: entries in mn_hoa4 name this home address. */
#define M6H_V4COA	0x0004
#define M6H_UDP		0x0008
#define M6H_V4HOA	0x0010

struct m6_mn_hoa {
	/* Read by the programs. */
	struct m6_in6	coa;		/* outer source, RO source */
	struct m6_in6	ha;		/* tunnel destination */
	struct m6_in6	gw;		/* default router on coa_ifindex
					   (link-local): next hop */
	m6_u32		flags;		/* M6H_* */
	m6_u32		coa_ifindex;
	/* The engine's durable state of the home registration. */
	m6_u64		sent_ms;	/* last BU sent */
	m6_u64		expires_ms;	/* binding lifetime end */
	m6_u16		seq;		/* last Sequence Number sent */
	m6_u16		lifetime;	/* granted, 4-second units */
	m6_u8		reg_state;	/* registration FSM state */
	m6_u8		nmnp;
	m6_u16		udp_sport;	/* M6H_UDP: our source port (that of
					   the UDP-encapsulated BU, so that
					   data shares its NAT mapping),
					   network order */
};

/* mn_hoa4: LPM_TRIE, key m6_lpm4, value m6_mnp: our IPv4 home address
   (/32) or an MR's IPv4 mobile network prefix, and the IPv6 home address
   whose mn_hoa entry says how to reach the HA. */

/* mn_ro: HASH, key m6_ro_key, value m6_mn_ro (route optimisation). */
#define M6R_ACTIVE	0x0001	/* send with HAO from the CoA */

struct m6_ro_key {
	struct m6_in6	hoa;
	struct m6_in6	peer;		/* the correspondent */
};
struct m6_mn_ro {
	struct m6_in6	coa;
	m6_u32		flags;		/* M6R_* */
	m6_u32		reserved;
	m6_u64		expires_ms;
	m6_u16		seq;
	m6_u16		lifetime;	/* 4-second units */
	m6_u8		reg_state, rr_state;
	m6_u16		reserved2;
};

/* mn_mnp: LPM_TRIE, key m6_lpm6, value m6_mnp (the router's HoA).
   mn_hint / cn_hint: LRU_HASH, key m6_in6 (peer), value m6_u64
   (bpf_ktime_get_boot_ns of the last hint). */

/* cn_bind: HASH, key m6_in6 (home address), value m6_cn_bind. */
struct m6_cn_bind {
	struct m6_in6	coa;
	m6_u32		flags;		/* M6B_ACTIVE */
	m6_u32		reserved;
	m6_u64		registered_ms;
	m6_u64		expires_ms;
	m6_u16		seq;
	m6_u16		lifetime;	/* 4-second units */
	m6_u8		state;
	m6_u8		reserved2[3];
	struct m6_in6	cn;		/* our address in the binding (the
					   BU's destination): BRR source
					   after a restart (appended) */
};

#endif
