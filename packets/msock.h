/*
 * msock.h - the mobility-socket bus message format (version 1): what the
 * daemons of one node (mnd, cnd, had, mdd and any replacement movement
 * detector) tell each other over mip6busd, modelled on SHISA's MIPSOCK
 * (kame/sys/net/mipsock.h; stack-anchors.md §2.3) with its type numbers.
 *
 * Wire format, all integers in network byte order:
 *
 *	0      2      3      4            8           12          16
 *	+------+------+------+------------+-----------+-----------+
 *	| len  | ver  | type |    pid     |    seq    |   errno   |
 *	+------+------+------+------------+-----------+-----------+
 *	| attributes: { u16 attr type, u16 attr length (value octets),
 *	|               value, zero padding to a multiple of 4 } ...
 *
 * len counts the whole message (header included), at most MSOCK_MAX.
 * ver is MSOCK_VERSION; a message of another version is rejected whole.
 * pid is stamped by the hub from the sender's credentials (SO_PEERCRED):
 * what a client writes there is overwritten.  seq is the sender's own
 * counter.  errno is 0, or set by the hub: ENOBUFS on the first message
 * a client gets after the hub dropped some for it.  Unknown attribute
 * types are skipped (a newer sender may add some), and so are known ones
 * the message type does not carry; an attribute whose length is not its
 * type's, that is repeated where it may not be, or that runs past len
 * (padding included) is an error.  Attributes are written in number
 * order.  The attributes a type requires and allows are listed in the
 * table in msock.c (one row per message type) and documented in
 * mip6-bus(7) (stack/mip6-bus.7).
 *
 * The library never logs or exits; decoding never reads past the buffer.
 */
#ifndef MIP6_PACKETS_MSOCK_H
#define MIP6_PACKETS_MSOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;
struct jw;

#define MSOCK_VERSION	1
#define MSOCK_HDRLEN	16
#define MSOCK_MAX	1024		/* longest message */

/* Message types: SHISA's numbers where SHISA has the message. */
enum msock_type {
	MSOCK_NODETYPE_INFO = 1,	/* a daemon announces its role */
	MSOCK_BC_ADD = 2,		/* binding cache entry added/updated */
	MSOCK_BC_REMOVE = 4,
	MSOCK_BC_FLUSH = 5,
	MSOCK_BUL_ADD = 6,		/* binding update list entry bound */
	MSOCK_BUL_REMOVE = 8,
	MSOCK_BUL_FLUSH = 9,
	MSOCK_MD_INFO = 10,		/* movement: new primary CoA, home */
	MSOCK_HOME_HINT = 11,		/* an RA showed a home prefix */
	MSOCK_RR_HINT = 12,		/* tunneled traffic from a peer */
	MSOCK_BE_HINT = 13,		/* HAO without binding (send a BE) */
	MSOCK_DAD = 14,			/* reserved: DAD is user space */
	MSOCK_TYPE_MAX = 15
};

/* Attribute types. */
enum msock_attr {
	MSA_NODETYPE = 1,	/* u32, MSOCK_NODE_* bits */
	MSA_ENABLE = 2,		/* u32, 0 or 1 */
	MSA_HOA = 3,		/* 16: home address */
	MSA_COA = 4,		/* 16: care-of address */
	MSA_PEER = 5,		/* 16: HA or correspondent (BUL), the
				   binding's CN/HA address (BC) */
	MSA_LIFETIME = 6,	/* u32 seconds */
	MSA_FLAGS = 7,		/* u32: BU flags (packets/mh.h MH_BU_*) */
	MSA_BID = 8,		/* u32: binding identifier (RFC 5648), 0 none */
	MSA_STATE = 9,		/* u32: daemon state number (BUL FSM) */
	MSA_IFINDEX = 10,	/* u32: interface (MD_INFO: of the CoA) */
	MSA_HOA_IFINDEX = 11,	/* u32 */
	MSA_COMMAND = 12,	/* u32: MSOCK_MD_* (MD_INFO) */
	MSA_HINT = 13,		/* u32: MSOCK_HINT_* (MD_INFO) */
	MSA_ROUTER = 14,	/* 16: the default router's link-local
				   address on ifindex (MD_INFO) */
	MSA_ROUTER_MAC = 15,	/* 6: its link-layer address */
	MSA_PREFIX = 16,	/* 17: prefix length octet + 16 address
				   octets (HOME_HINT, BUL_ADD of an MR,
				   MD_INFO dereghome: the home prefixes
				   seen) */
	MSA_STATUS = 17,	/* u32: BE status (BE_HINT) */
	MSA_COA4 = 18,		/* 4: IPv4 care-of address (RFC 5555) */
	MSA_HOA4 = 19,		/* 4: IPv4 home address (RFC 5555) */
	MSA_ATTR_MAX = 20
};

/* MSA_NODETYPE bits. */
#define MSOCK_NODE_MN	0x01
#define MSOCK_NODE_MR	0x02
#define MSOCK_NODE_HA	0x04
#define MSOCK_NODE_CN	0x08
#define MSOCK_NODE_MD	0x10	/* a movement detector */

/* MD_INFO commands (SHISA's). */
enum msock_md_command {
	MSOCK_MD_REREG = 1,	/* new primary CoA: register it */
	MSOCK_MD_DEREGHOME = 2,	/* back on the home link */
	MSOCK_MD_DEREGFOREIGN = 3, /* no usable CoA any more */
	MSOCK_MD_SCAN = 4	/* re-evaluate (e.g. after link change) */
};

/* MD_INFO hints: what identified the event. */
enum msock_md_hint {
	MSOCK_HINT_INDEX = 1,	/* the interface changed */
	MSOCK_HINT_ADDR = 2,	/* the address changed */
	MSOCK_HINT_HOME = 3	/* a home prefix was seen */
};

/*
 * MSA_STATE values: the registration states of SHISA's BUL FSM
 * (stack-anchors.md §2.4), so every daemon and msockwatch names them
 * alike.  A sender with other states sends its own numbers from 64 up.
 */
enum msock_state {
	MSOCK_ST_IDLE = 0,
	MSOCK_ST_RRINIT = 1,
	MSOCK_ST_RRREDO = 2,
	MSOCK_ST_RRDEL = 3,
	MSOCK_ST_WAITA = 4,
	MSOCK_ST_WAITAR = 5,
	MSOCK_ST_WAITD = 6,
	MSOCK_ST_BOUND = 7,
	MSOCK_ST_DHAAD = 8
};

#define MSOCK_PREFIX_MAX	8	/* MSA_PREFIX attributes kept */

/*
 * A decoded message.  `present` has bit (1u << MSA_x) for each attribute
 * seen; only those fields are meaningful.  MSA_PREFIX may repeat (a
 * mobile router's prefixes), the others may not.
 */
struct msock_msg {
	uint8_t		version;
	uint8_t		type;		/* enum msock_type */
	uint32_t	pid;
	uint32_t	seq;
	uint32_t	err;		/* the errno field */
	uint32_t	present;	/* 1u << enum msock_attr */

	uint32_t	nodetype, enable;
	struct in6_addr	hoa, coa, peer, router;
	uint32_t	lifetime, flags, bid, state;
	uint32_t	ifindex, hoa_ifindex;
	uint32_t	command, hint, status;
	uint8_t		router_mac[6];
	struct in_addr	coa4, hoa4;
	unsigned	nprefix;
	struct {
		uint8_t		plen;
		struct in6_addr	addr;
	} prefix[MSOCK_PREFIX_MAX];
};

/* Decode errors. */
enum msock_err {
	MSOCK_OK = 0,
	MSOCK_E_SHORT,		/* shorter than the header or than len */
	MSOCK_E_VERSION,	/* not MSOCK_VERSION */
	MSOCK_E_LEN,		/* len < header, > MSOCK_MAX, or != buffer */
	MSOCK_E_TYPE,		/* unknown message type */
	MSOCK_E_ATTR_LEN,	/* attribute of the wrong size or past len */
	MSOCK_E_ATTR_DUP,	/* a non-repeating attribute repeated */
	MSOCK_E_MISSING,	/* an attribute the type requires is absent */
	MSOCK_E_RANGE,		/* a value outside its range (command ...) */
	MSOCK_E_ATTR		/* (encoder only) an attribute the type does
				   not allow */
};

static inline bool
msock_has(const struct msock_msg *m, enum msock_attr a)
{
	return (m->present & (1u << a)) != 0;
}

/* Set a field and mark it present (encoder side). */
void	msock_init(struct msock_msg *, enum msock_type);
void	msock_set_u32(struct msock_msg *, enum msock_attr, uint32_t);
void	msock_set_in6(struct msock_msg *, enum msock_attr,
	    const struct in6_addr *);
void	msock_set_in4(struct msock_msg *, enum msock_attr,
	    const struct in_addr *);
void	msock_set_mac(struct msock_msg *, const uint8_t mac[6]);
/* -1 when MSOCK_PREFIX_MAX prefixes are there already. */
int	msock_add_prefix(struct msock_msg *, const struct in6_addr *,
	    uint8_t plen);

/*
 * Encode into buf; returns the length or -1 (buffer too small, or a
 * message the decoder would refuse: unknown type, a required attribute
 * missing, a value out of range; or an attribute the type does not
 * allow, which the decoder would skip).  Attributes go out in number
 * order, prefixes in the order added; the header's len and ver are the
 * encoder's, type/pid/seq/err the message's.
 */
int	msock_encode(const struct msock_msg *, uint8_t *buf, size_t cap);
/* Why msock_encode would refuse m (MSOCK_OK when it would not). */
enum msock_err msock_check(const struct msock_msg *);
/* The same, with the attribute at fault in *which (0 when none is). */
enum msock_err msock_check_attr(const struct msock_msg *, unsigned *which);
/*
 * Decode exactly len bytes.  Checks, in this order: E_SHORT (len < 16),
 * E_VERSION, E_LEN (header len < 16 or > MSOCK_MAX), E_SHORT (header len
 * > len), E_LEN (header len < len), E_TYPE, then each attribute (E_ATTR_LEN,
 * E_ATTR_DUP, E_RANGE), then E_MISSING.  A known attribute that the type
 * does not allow is skipped like an unknown one.  On error m holds what
 * was decoded so far.
 */
enum msock_err msock_decode(const uint8_t *buf, size_t len,
	    struct msock_msg *);
const char *msock_err_str(enum msock_err);

/* Names: "md-info", "bul-add" ... (NULL for an unknown number). */
const char *msock_type_name(unsigned type);
int	msock_type_from_name(const char *);	/* -1 unknown */
const char *msock_md_command_name(unsigned);	/* "rereg" ... */
int	msock_md_command_from_name(const char *);
const char *msock_attr_name(unsigned);		/* "hoa", "router-mac" ... */
const char *msock_state_name(unsigned);		/* "bound" ... or NULL */

/*
 * Printers.  One line, the vocabulary of logs and msockwatch:
 *   md-info pid=812 seq=3 rereg hint=addr ifindex=4 coa=2001:db8:2::2
 *       router=fe80::1
 *   bul-add pid=901 seq=7 hoa=2001:db8:1::100 coa=2001:db8:2::2
 *       peer=2001:db8:1::1 lifetime=400 flags=A,H state=bound
 * and JSON (one object, keys as the attribute names).
 */
void	msock_print(struct sbuf *, const struct msock_msg *);
void	msock_json(struct jw *, const struct msock_msg *);
/* The JSON object's members alone, for a caller that adds its own
   (msockwatch's "time"). */
void	msock_json_members(struct jw *, const struct msock_msg *);

/*
 * The printer's words read back (msockwatch -s, tests): "TYPE attr=value
 * ..." with the attribute names and value forms msock_print uses
 * ("md-info rereg ifindex=4 coa=2001:db8:2::2", "bul-add hoa=.. peer=..
 * flags=A,H state=bound prefix=2001:db8:10::/64"); a bare MD_INFO
 * command word, numbers in decimal or 0x hex, "seq=" and "errno=" set the
 * header.  0, or -1 with a message in err.  The result is not checked
 * against the type's table (msock_check does that).
 */
int	msock_from_text(struct msock_msg *, const char *text, char *err,
	    size_t errlen);

#endif
