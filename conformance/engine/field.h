/*
 * field.h - table-driven access to the fields of a packet, by the names of
 * the packets/ short-form vocabulary (mh_print.c, icmp6_print.c,
 * pkt_print.c): one table of named fields per header kind, Mobility Header
 * message type and ICMPv6 type, each field with a getter returning a typed
 * value (used to match received packets) and a setter (used to build the
 * packets a case sends).
 *
 * A template layer line names a layer (ether, ipv6, hao, mh, icmp6, ...),
 * then for mh and icmp6 the message type token as printed ("BU",
 * "param-problem"), for hao and rh2 an address, then fields:
 *
 *   FK_FIELD  always present            seq=5  lifetime<=400s
 *   FK_FLAG   a bit, shown as a letter  A  !K
 *   FK_OPT    may be absent             acoa=2001:db8::1  !bra  bra=*
 *
 * Setters of length, next-header and checksum fields also set the
 * packets/ keep bits, so an overridden value goes on the wire as given.
 */
#ifndef MIP6_CONF_FIELD_H
#define MIP6_CONF_FIELD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/pkt.h"

enum fv_type {
	FV_UINT,	/* unsigned, decimal (or 0x hex as input) */
	FV_HEX16,	/* unsigned shown as 0x%04x (checksums, reserved) */
	FV_IN6,
	FV_IN4,
	FV_MAC,
	FV_BYTES,	/* hex string */
	FV_STR,		/* a canonical text form (prefix lists, mnp=...) */
	FV_BOOL		/* flags */
};

#define FV_BYTES_MAX	255
#define FV_STR_MAX	256

struct fval {
	enum fv_type	type;
	uint64_t	u;
	struct in6_addr	a6;
	struct in_addr	a4;
	uint8_t		mac[6];
	uint8_t		bytes[FV_BYTES_MAX];
	size_t		nbytes;
	char		str[FV_STR_MAX];
};

enum fkind {
	FK_FIELD,	/* always present */
	FK_FLAG,	/* a bit: SET / ABSENT in templates */
	FK_OPT,		/* an option or other part that may be absent */
	FK_EXT,		/* hoa= / rh2= on mh and icmp6 lines: the address of
			   a Home Address option / Type 2 Routing header,
			   which a sent packet gets as its own header */
	FK_CTL,		/* send-only control: pad=none */
	FK_SIGN,	/* tokens=HOME[/CAREOF] on BU and BA lines: the
			   Binding Authorization Data made (sent) or
			   verified (patterns) with the Kbm of these keygen
			   tokens, RFC 6275 §5.2.5-§5.2.6 */
	FK_SA		/* sa=NAME on esp lines: the NUT description's SA
			   (the variable $sa.NAME) seals the layers after
			   it (sent) or opened them (patterns) */
};

/* Where a field lives: the packet, the index of the layer's header, and
 * for repeated options which occurrence (0 = first). */
struct fctx {
	struct pkt	*p;
	size_t		 hi;
	unsigned	 nth;
	unsigned	 param;		/* the N of a generic "optN" key */
};

struct fdef;
typedef bool	(*fget_fn)(const struct fdef *, const struct fctx *,
		    struct fval *);
/* Returns NULL, or a message ("lifetime 401 s is not a multiple of 4"). */
typedef const char *(*fset_fn)(const struct fdef *, struct fctx *,
		    const struct fval *);
/* Parse a value's text into the canonical typed value. */
typedef bool	(*fparse_fn)(const struct fdef *, const char *,
		    struct fval *, char *err, size_t);

/* Which struct a generic accessor reads: the header, p->mh, p->icmp6. */
enum fbase {
	FB_HDR,
	FB_MH,
	FB_ICMP6
};

struct fdef {
	const char	*name;		/* the printer's token name */
	enum fkind	 kind;
	enum fv_type	 type;
	const char	*unit;		/* accepted and shown suffix: "s" */
	uint32_t	 arg;		/* flag mask, option type, scale ... */
	/* Generic accessors: an integer, address or byte array of `size`
	 * octets at `off` in the `base` struct; `keep` are the packets/ keep
	 * bits an explicit value sets (HDR_KEEP_*, MH_KEEP_*, ...). */
	uint8_t		 base;		/* enum fbase */
	uint16_t	 off;
	uint16_t	 size;
	unsigned	 keep;
	fget_fn		 get;
	fset_fn		 set;		/* NULL: cannot be sent */
	fparse_fn	 parse;		/* NULL: by type */
	uint64_t	 max;		/* FV_UINT: largest value as written
					   (0: what `size` octets hold) */
	const char	*doc;
};

struct field_tab {
	const struct fdef *f;
	size_t		   n;
};

enum word_kind {
	W_NONE,
	W_MSGTYPE,	/* mh, icmp6: the type token is required */
	W_ADDR		/* hao, rh2: an optional address */
};

struct layer_def {
	const char	*name;
	enum hdr_kind	 kind;
	enum word_kind	 word;
	const char	*doc;
	/* The tables that apply for a message type (-1: any, for "*"). */
	size_t	(*tables)(int msgtype, const struct field_tab **out, size_t);
	/* Does a decoded header match this layer's kind (hao: a DSTOPT with
	 * a Home Address option)? */
	bool	(*accepts)(const struct pkt *, size_t hi);
	/* Append the header with its defaults (msgtype/addr from the word);
	 * returns its index or -1 when the packet is full. */
	int	(*push)(struct pkt *, int msgtype, const struct in6_addr *);
};

const struct layer_def *layer_lookup(const char *name);
/* NULL-terminated list of all layers, for documentation and tests. */
const struct layer_def *const *layer_all(void);
/*
 * The field `key` of a layer for a message type; NULL when it has none.
 * Generic option names ("opt42" on mh lines) resolve to a shared row.
 */
const struct fdef *field_lookup(const struct layer_def *, int msgtype,
	    const char *key);

/* The N of a generic "optN" key (0 for any other key). */
unsigned field_key_param(const char *key);
/*
 * The Length octet of the mobility option a FK_OPT field of an mh line
 * names ("acoa.len=20" in a template): get it from the nth option, or set
 * it on the last option of that type so it is emitted as given.
 */
bool	field_optlen_get(const struct fdef *, const struct fctx *,
	    uint64_t *);
const char *field_optlen_set(const struct fdef *, struct fctx *, uint64_t);

/* Message type tokens: -1 unknown, MSGTYPE_ANY for "*". */
#define MSGTYPE_ANY	(-2)
int	msgtype_parse(const struct layer_def *, const char *word);
/* "BU", "param-problem"; "*" for MSGTYPE_ANY. */
const char *msgtype_name(const struct layer_def *, int type);
/* The message type of the packet's header at hi (mh or icmp6), or -1. */
int	msgtype_of(const struct layer_def *, const struct pkt *, size_t hi);

/*
 * Parse a value for a field (a number may carry the field's unit suffix;
 * an FV_UINT field takes decimal or 0x hex).  false with a message.
 */
bool	fval_parse(const struct fdef *, const char *, struct fval *,
	    char *err, size_t);
/* Compare two values of a field: <0, 0, >0 (numbers), 0 / 1 (others). */
int	fval_cmp(const struct fval *, const struct fval *);
bool	fval_ordered(const struct fdef *);	/* < > apply */
/* The value as the printer shows it: "400s", "0x3d80", "2001:db8::1". */
void	fval_fmt(const struct fdef *, const struct fval *, char *, size_t);

/* ICMPv6 type tokens of icmp6_print.c, for tests: NULL-terminated. */
struct icmp6_tok {
	const char	*tok;
	uint8_t		 type;
};
const struct icmp6_tok *icmp6_tokens(void);

#endif
