/*
 * mh.h - the Mobility Header (RFC 6275 §6.1, RFC 3963, RFC 5555, RFC 5648):
 * message and option model, decoder, encoder, printers.
 *
 * Types 0-7 are decoded field by field; types 8-23 (and any other value)
 * are named opaque messages whose data is kept as bytes.  Mobility options
 * are table-driven (mh_opt.c): one row per option type with its minimum
 * length, alignment (x*n+y), the messages that may carry it and its decode,
 * encode and print functions.  Unknown options are kept and skipped by
 * length (RFC 6275 §6.2.1).
 */
#ifndef MIP6_PACKETS_MH_H
#define MIP6_PACKETS_MH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rbuf;
struct wbuf;
struct sbuf;
struct jw;
struct viol_list;

#define IPPROTO_MH_		135	/* IPPROTO_MH in <netinet/in.h> */
#define MH_PAYLOAD_NONE		59	/* IPPROTO_NONE, RFC 6275 §6.1.1 */
#define MH_MAX_LEN		2048	/* (255 + 1) * 8 */
#define MH_OPT_MAX		48	/* options kept per message */
#define MH_BODY_MAX		(MH_MAX_LEN - 6)

enum mh_type {
	MH_BRR = 0, MH_HOTI = 1, MH_COTI = 2, MH_HOT = 3, MH_COT = 4,
	MH_BU = 5, MH_BA = 6, MH_BE = 7,
	MH_FBU = 8, MH_FBACK = 9, MH_FNA = 10, MH_EXPERIMENTAL = 11,
	MH_HAS = 12, MH_HEARTBEAT = 13, MH_HI = 14, MH_HACK = 15,
	MH_BRI = 16, MH_LRI = 17, MH_LRA = 18, MH_UPN = 19, MH_UPA = 20,
	MH_FLOW_BINDING = 21, MH_SUBS_QUERY = 22, MH_SUBS_RESPONSE = 23,
	MH_TYPE_KNOWN_MAX = 23
};

/* Binding Update flags, the 16-bit word at MH offset 8. */
#define MH_BU_A	0x8000	/* Acknowledge (RFC 6275 §6.1.7) */
#define MH_BU_H	0x4000	/* Home registration */
#define MH_BU_L	0x2000	/* Link-local address compatibility */
#define MH_BU_K	0x1000	/* Key management mobility capability */
#define MH_BU_M	0x0800	/* MAP registration (RFC 5380) */
#define MH_BU_R	0x0400	/* Mobile Router (RFC 3963 §4.1) */
#define MH_BU_P	0x0200	/* Proxy registration (RFC 5213) */
#define MH_BU_F	0x0100	/* Force UDP encapsulation (RFC 5555 §3.1.3) */
#define MH_BU_T	0x0080	/* TLV-header format (RFC 5845) */
#define MH_BU_B	0x0040	/* Bulk binding update (RFC 6602) */
#define MH_BU_S	0x0020	/* Subscription information (RFC 7161) */
#define MH_BU_D	0x0010	/* DMM (RFC 8885) */

/* Binding Acknowledgement flags, the octet at MH offset 7. */
#define MH_BA_K	0x80	/* RFC 6275 §6.1.8 */
#define MH_BA_R	0x40	/* RFC 3963 §4.2 */
#define MH_BA_P	0x20	/* RFC 5213 */
#define MH_BA_T	0x10	/* RFC 5845 */
#define MH_BA_B	0x08	/* RFC 6602 */
#define MH_BA_S	0x04	/* RFC 7161 */
#define MH_BA_D	0x02	/* RFC 8885 */

/* Binding Acknowledgement status values used by our code (IANA). */
enum mh_ba_status {
	BA_ACCEPTED = 0, BA_ACCEPTED_PREFIX_DISCOVERY = 1,
	BA_UNSPECIFIED = 128, BA_PROHIBITED = 129, BA_NO_RESOURCES = 130,
	BA_HOME_REG_UNSUPPORTED = 131, BA_NOT_HOME_SUBNET = 132,
	BA_NOT_HOME_AGENT = 133, BA_DAD_FAILED = 134, BA_SEQ_OUT_OF_WINDOW = 135,
	BA_EXPIRED_HOME_NONCE = 136, BA_EXPIRED_COA_NONCE = 137,
	BA_EXPIRED_NONCES = 138, BA_REG_TYPE_CHANGE = 139,
	BA_MR_NOT_PERMITTED = 140, BA_INVALID_PREFIX = 141,
	BA_PREFIX_NOT_AUTHORIZED = 142, BA_FORWARDING_SETUP_FAILED = 143,
	BA_ID_MISMATCH = 144, BA_MESG_ID_REQUIRED = 145, BA_AUTH_FAILED = 146,
	BA_INVALID_COA = 174
};

enum mh_be_status { BE_UNKNOWN_HAO = 1, BE_UNKNOWN_MH_TYPE = 2 };

/* DSMIPv6 IPv4 Address Acknowledgement status (RFC 5555 §3.2.1). */
enum mh_v4ack_status {
	V4ACK_SUCCESS = 0, V4ACK_UNSPECIFIED = 128, V4ACK_PROHIBITED = 129,
	V4ACK_INCORRECT_HOA = 130, V4ACK_INVALID_ADDR = 131,
	V4ACK_DYNAMIC_UNAVAILABLE = 132, V4ACK_PREFIX_UNAUTHORIZED = 133
};

enum mh_opt_type {
	MHOPT_PAD1 = 0, MHOPT_PADN = 1, MHOPT_BRA = 2, MHOPT_ACOA = 3,
	MHOPT_NI = 4, MHOPT_BAD = 5, MHOPT_MNP = 6, MHOPT_MNID = 8,
	MHOPT_AUTH = 9, MHOPT_MESGID = 10, MHOPT_V4HOA = 29,
	MHOPT_V4ACK = 30, MHOPT_NATD = 31, MHOPT_V4COA = 32, MHOPT_BID = 35
};

#define MHOPT_V4HOA_P		0x0200	/* prefix requested (RFC 5555) */
#define MHOPT_NATD_F		0x8000	/* UDP encapsulation required */
#define MHOPT_BID_H		0x80	/* simultaneous home/foreign (RFC 5648) */
#define MHOPT_MNID_NAI		1	/* RFC 4283 subtype */
#define MHOPT_AUTH_MN_HA	1	/* RFC 4285 subtype: MN-HA */
#define MHOPT_AUTH_MN_AAA	2	/* RFC 4285 subtype: MN-AAA */
#define MH_BAD_AUTH_LEN		12	/* HMAC-SHA1-96 (RFC 6275 §6.2.7) */

/*
 * One mobility option.  Known types are decoded into `u`; the variable part
 * of an option (the BAD authenticator, the MN identifier, the RFC 4285
 * authentication data, PadN contents, all data of an unknown option) lives
 * in var[0 .. var_len).
 */
struct mh_opt {
	uint8_t		type;
	uint8_t		len;	/* the Length octet (not for Pad1) */
	bool		keep_len; /* encode: emit `len` as is (malformed) */
	uint16_t	off;	/* decode: Type octet offset from MH start */
	union {
		uint16_t	bra_interval;	/* units of 4 s */
		struct in6_addr	acoa;
		struct {
			uint16_t home, careof;
		} ni;
		struct {
			uint8_t		reserved, plen;
			struct in6_addr	prefix;
		} mnp;
		struct {
			uint8_t subtype;
		} mnid;
		struct {
			uint8_t		subtype;
			uint32_t	spi;
		} auth;
		uint64_t	mesg_id;	/* RFC 4285 timestamp */
		struct {
			uint8_t		plen;	/* 6 bits */
			bool		p;
			uint16_t	reserved;	/* 9 bits */
			struct in_addr	addr;
		} v4hoa;
		struct {
			uint8_t		status;
			uint8_t		plen;	/* 6 bits */
			uint8_t		reserved;	/* 2 bits */
			struct in_addr	addr;
		} v4ack;
		struct {
			bool		f;
			uint16_t	reserved;	/* 15 bits */
			uint32_t	refresh;	/* seconds */
		} natd;
		struct {
			uint16_t	reserved;
			struct in_addr	addr;
		} v4coa;
		struct {
			uint16_t	bid;
			uint8_t		status;
			bool		h;
			uint8_t		prio;	/* BID-PRI, 7 bits */
			uint8_t		coa_family; /* 0, AF_INET, AF_INET6 */
			struct in_addr	coa4;
			struct in6_addr	coa6;
		} bid;
	} u;
	uint8_t		var_len;
	uint8_t		var[255];
};

struct mh_msg {
	uint8_t		payload_proto;
	uint8_t		hdr_len;	/* Header Len: 8-octet units - 1 */
	uint8_t		type;
	uint8_t		reserved;
	uint16_t	checksum;
	union {
		struct {	/* BRR */
			uint16_t reserved;
		} brr;
		struct {	/* HoTI, CoTI */
			uint16_t	reserved;
			uint8_t		cookie[8];
		} init;
		struct {	/* HoT, CoT */
			uint16_t	nonce_index;
			uint8_t		cookie[8];
			uint8_t		token[8];
		} test;
		struct {
			uint16_t	seq;
			uint16_t	flags;	/* MH_BU_* incl. reserved */
			uint16_t	lifetime; /* units of 4 s */
		} bu;
		struct {
			uint8_t		status;
			uint8_t		flags;	/* MH_BA_* incl. reserved */
			uint16_t	seq;
			uint16_t	lifetime; /* units of 4 s */
		} ba;
		struct {
			uint8_t		status;
			uint8_t		reserved;
			struct in6_addr	hoa;
		} be;
	} u;
	/* Types >= 8: the message data after the checksum, as bytes. */
	uint16_t	body_len;
	uint8_t		body[MH_BODY_MAX];
	size_t		nopts;
	struct mh_opt	opts[MH_OPT_MAX];
	bool		opts_truncated;	/* decode: more than MH_OPT_MAX */
	/*
	 * decode: the bytes consumed, min(8 * (hdr_len + 1), bytes left), so
	 * bytes after the MH show up as what the cursor still holds.
	 */
	uint16_t	len;
};

/*
 * Encoding.  By default the encoder computes Header Len, the option Length
 * octets, the checksum, and the padding: Pad1/PadN entries in opts[] are
 * dropped and replaced by the padding each option's alignment needs, and
 * the message is padded to a multiple of 8.  A conformance case that wants
 * a malformed message sets the MH_KEEP_* bits.
 */
#define MH_KEEP_HDRLEN	0x01	/* emit hdr_len as given */
#define MH_KEEP_CKSUM	0x02	/* emit checksum as given */
#define MH_KEEP_PADDING	0x04	/* emit opts[] exactly, no auto padding */
#define MH_NO_CKSUM	0x08	/* leave the checksum field 0 (for BAD) */

/* Checksum addresses: already resolved by the caller (HAO, RH2 rules). */
struct mh_addrs {
	const struct in6_addr	*src;	/* NULL: checksum not computed */
	const struct in6_addr	*dst;
};

/* Fill a message with the type's defaults: Payload Proto 59, zeros. */
void	mh_init(struct mh_msg *, uint8_t type);
/* Append an option of the given type (zeroed); NULL if full. */
struct mh_opt *mh_add_opt(struct mh_msg *, uint8_t type);
const struct mh_opt *mh_find_opt(const struct mh_msg *, uint8_t type);

/*
 * Decode the MH at the cursor (which covers the rest of the packet).
 * `base` is the MH offset within the whole buffer, for violation offsets.
 * Returns 0 when the fixed part of the message was decoded (violations may
 * still have been recorded) and -1 when the MH is too short to decode.
 * With non-NULL addrs the checksum is verified (only over a fully captured
 * MH).  Truncation inside the MH is recorded here (V_MH_HDRLEN_PAST_END, or
 * V_TRUNCATED when not even Header Len was captured), so the caller need
 * not report it again.  Options, pads included, are kept in opts[] in wire
 * order; offsets in violations are base + offset within the MH.
 */
int	mh_decode(struct mh_msg *, struct rbuf *, size_t base,
	    const struct mh_addrs *, struct viol_list *);
/* Returns 0, or -1 when the output does not fit. */
int	mh_encode(const struct mh_msg *, struct wbuf *, unsigned keep,
	    const struct mh_addrs *);

const char *mh_type_name(uint8_t type);		/* "Binding Update" */
const char *mh_type_abbrev(uint8_t type);	/* "BU"; "MH-12" if none */
const char *mh_ba_status_name(uint8_t);
const char *mh_be_status_name(uint8_t);
const char *mh_opt_name(uint8_t type);		/* "Alternate Care-of Address" */
const char *mh_opt_abbrev(uint8_t type);	/* "acoa" */
/* Minimum Header Len for a type (RFC 6275 §9.2); 0 for unknown types. */
unsigned mh_min_hdr_len(uint8_t type);

/*
 * Printers.  The short form is one line and is the vocabulary the
 * conformance scripts and the daemons' logs use, e.g.
 *   BU seq=4660 A H K lifetime=400s hoa=2001:db8:1::100 acoa=2001:db8:2::200
 * `ctx` may supply the home address from a Home Address option (printed as
 * hoa=) and from a Type 2 Routing header (printed as rh2=).
 */
struct mh_print_ctx {
	const struct in6_addr	*hao;
	const struct in6_addr	*rh2;
};

void	mh_print_short(struct sbuf *, const struct mh_msg *,
	    const struct mh_print_ctx *);
/* Multi-line; each line starts with `indent` spaces and ends with '\n'. */
void	mh_print_verbose(struct sbuf *, const struct mh_msg *, int indent);
/* A JSON object (the caller supplies the key, or NULL in an array). */
void	mh_print_json(struct jw *, const char *key, const struct mh_msg *);

#endif
