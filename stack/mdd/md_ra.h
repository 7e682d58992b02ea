/*
 * stack/mdd/md_ra.h - turning a received Router Advertisement into the
 * fixed-size summary (struct md_ra) the reader process hands the parent.
 * Runs only in the unprivileged reader; decoding goes through packets/.
 */
#ifndef MIP6_MD_RA_H
#define MIP6_MD_RA_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/mdd/md_core.h"

enum md_ra_result {
	MD_RA_OK,		/* *out is a valid summary */
	MD_RA_MALFORMED,	/* an RA that breaks RFC 4861 §6.1.2 */
	MD_RA_NOT_RA		/* another ICMPv6 type (filter race) */
};

/*
 * Decode the ICMPv6 message `buf` (what a raw ICMPv6 socket returns: no
 * IPv6 header) received from src to dst with the given hop limit on
 * ifindex.  On MD_RA_MALFORMED, *why says what was wrong (a static
 * string).  The checksum is verified against src and dst.
 */
enum md_ra_result md_ra_decode(const uint8_t *buf, size_t len,
	    const struct in6_addr *src, const struct in6_addr *dst,
	    int hop_limit, unsigned ifindex, struct md_ra *out,
	    const char **why);

/* A Router Solicitation to all-routers (RFC 4861 §4.1), without options
   (so valid from the unspecified address).  Length or -1. */
int	md_rs_build(uint8_t *buf, size_t cap);

#endif
