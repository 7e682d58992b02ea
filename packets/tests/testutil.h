/*
 * testutil.h - helpers shared by the packets/ test programs: hex literals
 * to bytes, byte-exact comparison with a readable diff, address parsing.
 */
#ifndef MIP6_TESTUTIL_H
#define MIP6_TESTUTIL_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* Parse hex ("3b 03 05 00", spaces and '|' ignored); returns the length. */
size_t	tu_hex(const char *hex, uint8_t *out, size_t cap);
/* Parse an address literal or abort the test. */
struct in6_addr tu_in6(const char *);
struct in_addr tu_in4(const char *);
/*
 * Compare `got` with `want`; on mismatch fail the test with the first
 * differing offset and both buffers in hex.
 */
void	tu_bytes_eq(const char *what, const uint8_t *got, size_t got_len,
	    const uint8_t *want, size_t want_len);
/* Path of a file in the source tree (MIP6_SRCDIR/rel). */
const char *tu_srcpath(const char *rel);

#endif
