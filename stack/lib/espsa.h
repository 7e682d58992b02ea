/*
 * stack/lib/espsa.h - the manually keyed IPsec SAs that protect the
 * MN-HA signalling (RFC 3776, RFC 4877 §4 with manual keys): the `sa`
 * statement of had.conf(5) and mnd.conf(5), and the SA table the
 * unprivileged engines keep (lookup by SPI inbound, by peer outbound,
 * sequence numbers, anti-replay windows, counters).
 *
 * Why in the stack and not the kernel: the target kernel has no ESP (see
 * stack/DESIGN.md, "IPsec for the signalling without kernel ESP"); the
 * eBPF programs hand ESP addressed to the node to the signalling ring
 * and the engine opens it here, with packets/esp.[ch] as the codec.
 *
 * The transformation is the kernel's own for transport mode: an inbound
 * packet is rebuilt without its ESP header and trailer (the header before
 * it announces the inner protocol, the Payload Length shrinks: RFC 4303
 * §3.4.4.1), so the engines decode and handle it like any unprotected
 * packet; an outbound packet gets its ESP header after the IPv6 header
 * and the Hop-by-Hop, Routing and Destination Options headers (RFC 4303
 * §3.1.1; RFC 6275 §6.3, §6.4: after the RH2 of a BA and the HAO of a BU).
 *
 * Nothing here logs (the engines do, rate-limited); keys never leave the
 * table except through espsa_print(..., true), which is how the parent
 * hands them to the engine.
 */
#ifndef MIP6_STACK_ESPSA_H
#define MIP6_STACK_ESPSA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/esp.h"

struct pkt;

struct sbuf;
struct jw;

#define ESPSA_MAX	1024	/* SAs per configuration */
#define ESPSA_PKT_MAX	2048	/* largest signalling packet sealed */

enum espsa_dir { ESPSA_IN = 0, ESPSA_OUT = 1 };

/* One `sa` statement. */
struct espsa_conf {
	enum espsa_dir	dir;
	struct in6_addr	peer;	/* the MN's HoA on the HA, the HA on the MN */
	struct esp_sa	sa;
	/* in: `replay no`, no anti-replay window (RFC 4303 §3.4.3 leaves
	   it to the receiver; a manually keyed peer that restarts begins
	   again at 1, §3.3.3) */
	bool		no_replay;
	unsigned	line;	/* where it was configured (not compared) */
};

struct espsa_cnt {
	uint64_t	ok;		/* opened / sealed */
	uint64_t	bad_icv;	/* RFC 4303 §3.4.4: ICV failed */
	uint64_t	replay;		/* §3.4.3: duplicate or too old */
	uint64_t	malformed;	/* short, misaligned, bad padding */
	uint64_t	peer;		/* opened, but not from the SA's peer */
	uint64_t	seq_exhausted;	/* out: refused, §3.3.3 no cycling */
};

/* One SA with its state. */
struct espsa {
	struct espsa_conf c;
	uint32_t	seq;		/* out: last number sent, 0 none */
	struct esp_replay win;		/* in */
	bool		exhausted;	/* out: said once that it is */
	struct espsa_cnt cnt;
};

struct espsa_table {
	size_t		n;
	struct espsa	*sa;		/* malloc'd */
	uint64_t	no_sa;		/* RFC 4303 §3.4.2: unknown SPI */
	uint64_t	unprotected;	/* RFC 3776 §4.1: should have been
					   in ESP (the engines count it) */
};

/*
 * The words after `sa` on one line, e.g.
 *   out spi 0x1000 peer 2001:db8:1::100 enc aes-cbc 0x<key>
 *       auth hmac-sha1 0x<key>
 * (enc null and auth none take no key; spi in hex with 0x or decimal;
 * `replay yes|no` for an inbound SA, default yes; the pairs in any order,
 * each once).  0, or -1 with a message (no file or
 * line: the caller adds them) in err.  The SA is esp_sa_check'ed.
 */
int	espsa_parse(const char *const *words, size_t n, struct espsa_conf *,
	    char *err, size_t errlen);
/*
 * Checks of the whole set (RFC 3776 §4.1, §5): inbound SPIs unique (they
 * are what an inbound packet is looked up by), at most one outbound SA
 * per peer, and a peer with an SA in one direction has one in the other
 * (a protected BU needs a protected BA back).  0, or -1 with the message
 * and *bad the index of the statement to blame.
 */
int	espsa_check_set(const struct espsa_conf *, size_t n, size_t *bad,
	    char *err, size_t errlen);
/* The statement again, one line ending in '\n'; keys only when `keys`
   (the engine's copy), else "enc aes-cbc auth hmac-sha1" and no keys. */
void	espsa_print(struct sbuf *, const struct espsa_conf *, bool keys);
bool	espsa_conf_equal(const struct espsa_conf *, const struct espsa_conf *);

/*
 * The runtime table from the configured SAs.  Reconfiguring keeps the
 * sequence number, replay window and counters of every SA configured
 * identically before (a reload must not reset what the peer expects).
 * 0, or -1 (out of memory: the table is unchanged).
 */
int	espsa_table_set(struct espsa_table *, const struct espsa_conf *,
	    size_t n);
void	espsa_table_free(struct espsa_table *);
/* Counters, sequence numbers and replay windows back to a new SA's (a
   conformance case's clean start: ha_engine_reset). */
void	espsa_table_reset(struct espsa_table *);
struct espsa *espsa_find_in(struct espsa_table *, uint32_t spi);
struct espsa *espsa_find_out(struct espsa_table *, const struct in6_addr *);
/* RFC 3776 §4.1: signalling from/to this peer must be protected. */
bool	espsa_required(const struct espsa_table *, const struct in6_addr *);

enum espsa_res {
	ESPSA_OK = 0,
	ESPSA_NO_SA,		/* inbound: no SA for the SPI */
	ESPSA_ICV,		/* integrity check failed */
	ESPSA_REPLAY,		/* sequence number seen or left of window */
	ESPSA_MALFORMED,	/* short, misaligned, bad padding, no room */
	ESPSA_EXHAUSTED,	/* outbound: sequence number space used up */
};

const char *espsa_res_name(enum espsa_res);

/*
 * Where the ESP header of a decoded IPv6 packet is, for espsa_open_pkt():
 * right after the IPv6 header and its Hop-by-Hop, Routing and Destination
 * Options headers (RFC 4303 §3.1.1, transport mode), with the offset of
 * the Next Header octet announcing it.  False when there is no ESP there.
 * Whether the packet came inside IPv4 the caller checks: RFC 5555 with ESP
 * is not done.
 */
bool	espsa_locate(const struct pkt *, size_t *esp_off, size_t *nh_off);
/*
 * Inbound transport mode (RFC 4303 §3.4): pkt[0..len) is an IPv6 packet
 * (IPv6 header first) whose ESP header starts at esp_off and whose
 * preceding header's Next Header octet is at nh_off.  The SA is found by
 * SPI, the ICV checked, then the replay window (advanced only now: §3.4.3,
 * after the ICV held), then the payload decrypted.  On ESPSA_OK out[] holds
 * the packet without ESP (Payload Length and Next Header fixed) and *sa
 * the SA; the SA's or the table's counters tell every outcome.
 */
enum espsa_res espsa_open_pkt(struct espsa_table *, const uint8_t *pkt,
	    size_t len, size_t esp_off, size_t nh_off, uint8_t *out,
	    size_t cap, size_t *outlen, struct espsa **sa);
/*
 * Outbound transport mode: the IPv6 packet in buf[0..*len) gets an ESP
 * header after its Hop-by-Hop, Routing and Destination Options headers,
 * the rest sealed with the next sequence number (*len grows, cap bounds
 * it).  RFC 4303 §3.3.3: a manual SA's sequence number never cycles: at
 * 2^32 - 1 it is ESPSA_EXHAUSTED and nothing is sent.
 */
enum espsa_res espsa_seal_pkt(struct espsa *, uint8_t *buf, size_t *len,
	    size_t cap);

/* "esp": {"esp_ok","esp_bad_icv","esp_replay","esp_no_sa",
   "esp_malformed","esp_peer_mismatch","esp_unprotected",
   "esp_seq_exhausted" (totals), "sas":[{"dir","spi","peer","enc","auth",
   "seq","ok","bad_icv","replay","malformed","peer_mismatch",
   "seq_exhausted"}]} (no keys). */
void	espsa_json(struct jw *, const struct espsa_table *);

#endif
