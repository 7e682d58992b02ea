/*
 * icmp6.h - ICMPv6 as Mobile IPv6 uses it: errors and echo (RFC 4443),
 * Neighbor Discovery RS/RA/NS/NA with the Mobile IPv6 changes (RFC 4861,
 * RFC 6275 §7: RA H flag, Prefix Information R flag, Advertisement Interval
 * and Home Agent Information options; RFC 3963 §7 R bit), Dynamic Home
 * Agent Address Discovery (144/145) and Mobile Prefix Solicitation and
 * Advertisement (146/147, RFC 6275 §6.5-6.8).
 */
#ifndef MIP6_PACKETS_ICMP6_H
#define MIP6_PACKETS_ICMP6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbuf;
struct wbuf;
struct sbuf;
struct jw;
struct viol_list;

enum icmp6_type {
	ICMP6_T_DST_UNREACH = 1, ICMP6_T_PKT_TOO_BIG = 2,
	ICMP6_T_TIME_EXCEEDED = 3, ICMP6_T_PARAM_PROB = 4,
	ICMP6_T_ECHO_REQUEST = 128, ICMP6_T_ECHO_REPLY = 129,
	ICMP6_T_RS = 133, ICMP6_T_RA = 134, ICMP6_T_NS = 135,
	ICMP6_T_NA = 136, ICMP6_T_REDIRECT = 137,
	ICMP6_T_DHAAD_REQUEST = 144, ICMP6_T_DHAAD_REPLY = 145,
	ICMP6_T_MPS = 146, ICMP6_T_MPA = 147
};

/* Parameter Problem codes (RFC 4443 §3.4). */
#define ICMP6_PARAMPROB_HEADER	0
#define ICMP6_PARAMPROB_NEXTHDR	1
#define ICMP6_PARAMPROB_OPTION	2

#define ICMP6_DHAAD_R	0x8000	/* NEMO mobile router support (RFC 3963) */
#define ICMP6_MPA_M	0x8000
#define ICMP6_MPA_O	0x4000
#define ND_RA_M		0x80
#define ND_RA_O		0x40
#define ND_RA_H		0x20	/* Home Agent (RFC 6275 §7.1) */
#define ND_NA_R		0x80000000u
#define ND_NA_S		0x40000000u
#define ND_NA_O		0x20000000u
#define ND_PI_L		0x80
#define ND_PI_A		0x40
#define ND_PI_R		0x20	/* Router Address (RFC 6275 §7.2) */
#define ND_HAI_R	0x8000	/* HA supports NEMO (RFC 3963 §7.1) */

enum nd_opt_type {
	NDOPT_SLLA = 1, NDOPT_TLLA = 2, NDOPT_PREFIX = 3, NDOPT_REDIRECTED = 4,
	NDOPT_MTU = 5, NDOPT_ADV_INTERVAL = 7, NDOPT_HA_INFO = 8
};

#define ND_OPT_MAX	16
#define ICMP6_DHAAD_MAX	32	/* addresses kept from a DHAAD Reply */
#define ICMP6_BODY_MAX	1280

struct nd_opt {
	uint8_t		type;
	uint8_t		len;		/* in units of 8 octets */
	bool		keep_len;
	uint16_t	off;		/* decode: offset within the message */
	union {
		uint8_t		lladdr[6];	/* SLLA, TLLA (Ethernet) */
		struct {
			uint8_t		plen;
			uint8_t		flags;	/* ND_PI_* */
			uint32_t	valid, preferred;
			uint32_t	reserved2;
			struct in6_addr	prefix;
		} prefix;
		uint32_t	mtu;
		uint32_t	adv_interval;	/* milliseconds */
		struct {
			uint16_t	flags;	/* ND_HAI_R + reserved */
			int16_t		preference;
			uint16_t	lifetime;	/* seconds */
		} hainfo;
	} u;
	uint8_t		raw_len;	/* other types: data after type/len */
	uint8_t		raw[48];
};

struct icmp6_msg {
	uint8_t		type;
	uint8_t		code;
	uint16_t	checksum;
	union {
		uint32_t	pointer;	/* Parameter Problem */
		uint32_t	mtu;		/* Packet Too Big */
		uint32_t	unused;		/* other errors */
		struct {
			uint16_t id, seq;
		} echo;
		struct {
			uint16_t	id;
			uint16_t	flags;	/* ICMP6_DHAAD_R + reserved */
			size_t		naddrs;	/* Reply */
			struct in6_addr	addrs[ICMP6_DHAAD_MAX];
		} dhaad;
		struct {
			uint16_t id;
			uint16_t flags;		/* MPA: ICMP6_MPA_M/O */
		} mp;
		struct {
			uint8_t		hop_limit;
			uint8_t		flags;	/* ND_RA_* incl. Prf */
			uint16_t	lifetime;
			uint32_t	reachable, retrans;
		} ra;
		uint32_t	rs_reserved;
		struct {
			uint32_t	flags;	/* NA: ND_NA_*; NS: reserved */
			struct in6_addr	target;
		} nsna;
	} u;
	size_t		nopts;
	struct nd_opt	opts[ND_OPT_MAX];
	bool		opts_truncated;
	/* Errors: the invoking packet; echo: the data; others: unparsed rest. */
	uint16_t	body_len;
	uint8_t		body[ICMP6_BODY_MAX];
	uint16_t	len;		/* decode: message length */
};

#define ICMP6_KEEP_CKSUM	0x01
#define ICMP6_KEEP_OPTLEN	0x02	/* honour nd_opt.keep_len */

void	icmp6_init(struct icmp6_msg *, uint8_t type, uint8_t code);
struct nd_opt *icmp6_add_opt(struct icmp6_msg *, uint8_t type);
const struct nd_opt *icmp6_find_opt(const struct icmp6_msg *, uint8_t type);

/*
 * Decode the ICMPv6 message at the cursor (the rest of the packet); `src`
 * and `dst` (NULL to skip) are the pseudo-header addresses after the HAO
 * and Routing header rules; `hop_limit` of the carrying IPv6 header is
 * checked for ND messages (-1 to skip).
 */
int	icmp6_decode(struct icmp6_msg *, struct rbuf *, size_t base,
	    const struct in6_addr *src, const struct in6_addr *dst,
	    int hop_limit, struct viol_list *);
int	icmp6_encode(const struct icmp6_msg *, struct wbuf *, unsigned keep,
	    const struct in6_addr *src, const struct in6_addr *dst);

const char *icmp6_type_name(uint8_t type);	/* "DHAAD Request" */
const char *icmp6_type_abbrev(uint8_t type);	/* "dhaad-req" */
const char *nd_opt_name(uint8_t type);

/* Short form, e.g. "DHAAD-Reply id=7 R ha=2001:db8:1::1,2001:db8:1::2". */
void	icmp6_print_short(struct sbuf *, const struct icmp6_msg *);
void	icmp6_print_verbose(struct sbuf *, const struct icmp6_msg *,
	    int indent);
void	icmp6_print_json(struct jw *, const char *key,
	    const struct icmp6_msg *);
/* Is this a message the conformance tester ignores unless asked (ND, MLD)? */
bool	icmp6_is_noise(uint8_t type);

#endif
