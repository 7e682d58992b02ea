/*
 * mh_impl.h - private glue between mh.c (messages), mh_opt.c (the mobility
 * option table) and mh_print.c (printers).  Not part of the library's API:
 * only these three files include it.
 */
#ifndef MIP6_PACKETS_MH_IMPL_H
#define MIP6_PACKETS_MH_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mh.h"

struct rbuf;
struct wbuf;
struct sbuf;
struct jw;
struct viol_list;

/* Where an option decoder reports value violations. */
struct mh_opt_ctx {
	struct viol_list	*vl;
	size_t			 base;	/* buffer offset of the MH */
};

enum mh_opt_lenrule {
	OPT_LEN_NONE,		/* Pad1: no Length octet */
	OPT_LEN_EXACT,		/* Length must equal `len` */
	OPT_LEN_MIN		/* Length must be at least `len` */
};

/* Bit of an MH type in mh_opt_info.allowed (types 0-7 carry options). */
#define MH_TBIT(t)	(1u << (t))
#define MH_TALL		0xffu

/*
 * One row of the option table (mh_opt.c).  Alignment x*n+y counts the
 * option's Type octet from the start of the MH (RFC 6275 §6.2.1); x = 1
 * means no requirement.
 */
struct mh_opt_info {
	const char		*abbrev;	/* short-form token name */
	const char		*name;		/* IANA name */
	const char		*clause;	/* defining RFC section */
	enum mh_opt_lenrule	 lenrule;
	uint8_t			 len;
	uint8_t			 x, y;
	uint8_t			 allowed;	/* MH_TBIT() of the carriers */
	bool			 once;		/* at most one per message */
	/* `data` covers the option data (after Type and Length). */
	void	(*decode)(struct mh_opt *, struct rbuf *data,
		    const struct mh_opt_ctx *);
	void	(*encode)(const struct mh_opt *, struct wbuf *);
	void	(*print_short)(struct sbuf *, const struct mh_opt *);
	void	(*print_verbose)(struct sbuf *, const struct mh_opt *);
	void	(*print_json)(struct jw *, const struct mh_opt *);
};

/* The row for a type; unknown types get the generic opaque row. */
const struct mh_opt_info *mh_opt_info(uint8_t type);
bool	mh_opt_known(uint8_t type);

/*
 * Decode the options in `m` (the rest of the MH extent).  `off` is the
 * cursor's offset within the MH, `declared` the MH length Header Len
 * announces (an option ending beyond the captured bytes but within
 * `declared` is a capture truncation, already reported by the caller).
 */
void	mh_opts_decode(struct mh_msg *, struct rbuf *m, size_t off,
	    size_t declared, size_t base, struct viol_list *);
/* Encode opts[] (with auto padding unless MH_KEEP_PADDING). */
void	mh_opts_encode(const struct mh_msg *, struct wbuf *, size_t start,
	    unsigned keep);
/* Canonical padding of n octets: Pad1, or PadN with n-2 zero octets. */
void	mh_write_pad(struct wbuf *, size_t n);

#endif
