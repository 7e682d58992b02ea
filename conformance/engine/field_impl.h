/*
 * field_impl.h - private glue between field.c (generic accessors, values,
 * the header layers), field_mh.c (Mobility Header tables) and
 * field_icmp6.c (ICMPv6 tables).  Not used outside these files.
 */
#ifndef MIP6_CONF_FIELD_IMPL_H
#define MIP6_CONF_FIELD_IMPL_H

#include <stddef.h>

#include "field.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MEMBER_SIZE(T, m)	((uint16_t)sizeof(((T *)0)->m))

/* Generic accessors driven by fdef.base/off/size/arg/keep. */
bool	fget_num(const struct fdef *, const struct fctx *, struct fval *);
const char *fset_num(const struct fdef *, struct fctx *, const struct fval *);
bool	fget_flag(const struct fdef *, const struct fctx *, struct fval *);
const char *fset_flag(const struct fdef *, struct fctx *,
	    const struct fval *);
/* Reserved bits of a flag word: arg is the mask of the undefined bits. */
bool	fget_res(const struct fdef *, const struct fctx *, struct fval *);
const char *fset_res(const struct fdef *, struct fctx *, const struct fval *);
bool	fget_raw(const struct fdef *, const struct fctx *, struct fval *);
const char *fset_raw(const struct fdef *, struct fctx *, const struct fval *);
/* hoa= / rh2= on mh and icmp6 lines (FK_EXT): pkt_hao() / pkt_rh2(). */
/* A byte-string value from / into a message body of `cap` bytes. */
bool	fval_from_bytes(struct fval *, const uint8_t *, size_t);
void	fval_to_bytes(const struct fval *, uint8_t *body, uint16_t *len,
	    size_t cap);
bool	fget_hao(const struct fdef *, const struct fctx *, struct fval *);
bool	fget_rh2(const struct fdef *, const struct fctx *, struct fval *);

/* The struct a generic accessor works on. */
void	*fbase_ptr(const struct fdef *, const struct fctx *);

/* Parsers shared by the tables. */
bool	parse_in6_prefix(const char *, struct in6_addr *, unsigned *plen);
bool	parse_hex_bytes(const char *, uint8_t *, size_t cap, size_t *n);
void	fmt_in6_prefix(char *, size_t, const struct in6_addr *, unsigned);

/* Row builders.  H: in struct hdr; M: in struct mh_msg; I: in icmp6_msg. */
#define F_NUM(nm, b, T, m, unitstr, scale, keepbits, dc) { \
	.name = nm, .kind = FK_FIELD, .type = FV_UINT, .unit = unitstr, \
	.arg = scale, .base = b, .off = (uint16_t)offsetof(T, m), \
	.size = MEMBER_SIZE(T, m), .keep = keepbits, .get = fget_num, \
	.set = fset_num, .doc = dc }
#define F_HEX(nm, b, T, m, keepbits, dc) { \
	.name = nm, .kind = FK_FIELD, .type = FV_HEX16, .arg = 1, \
	.base = b, .off = (uint16_t)offsetof(T, m), \
	.size = MEMBER_SIZE(T, m), .keep = keepbits, .get = fget_num, \
	.set = fset_num, .doc = dc }
#define F_RAW(nm, ty, b, T, m, dc) { \
	.name = nm, .kind = FK_FIELD, .type = ty, .base = b, \
	.off = (uint16_t)offsetof(T, m), .size = MEMBER_SIZE(T, m), \
	.get = fget_raw, .set = fset_raw, .doc = dc }
#define F_FLAG(nm, b, T, m, mask, dc) { \
	.name = nm, .kind = FK_FLAG, .type = FV_BOOL, .arg = mask, \
	.base = b, .off = (uint16_t)offsetof(T, m), \
	.size = MEMBER_SIZE(T, m), .get = fget_flag, .set = fset_flag, \
	.doc = dc }
#define F_RES(nm, b, T, m, mask, dc) { \
	.name = nm, .kind = FK_FIELD, .type = FV_HEX16, .arg = mask, \
	.base = b, .off = (uint16_t)offsetof(T, m), \
	.size = MEMBER_SIZE(T, m), .get = fget_res, .set = fset_res, \
	.doc = dc }

/* field_mh.c / field_icmp6.c */
size_t	mh_tables(int msgtype, const struct field_tab **, size_t);
size_t	icmp6_tables(int msgtype, const struct field_tab **, size_t);
const struct fdef *mh_generic_opt(void);
int	mh_msgtype_parse(const char *);
const char *mh_msgtype_name(int);
int	icmp6_msgtype_parse(const char *);
const char *icmp6_msgtype_name(int);

#endif
