/*
 * tmpl.h - packet templates: checking a template's layer lines against the
 * field tables (at parse time), building a packet to send from a template,
 * and matching a received packet against a pattern.
 *
 * Building: each layer line pushes its header (packets/pkt.h) and sets the
 * fields listed; lengths, next headers, padding and checksums are computed
 * by pkt_encode() unless a field overrides them.  A sent packet that does
 * not start with `ether` gets one, with the link's tester MAC as source and
 * the NUT's MAC as destination; an `ether` line without src= / dst= gets
 * those defaults too.  An `arp` line's sender hardware address defaults
 * to the Ethernet source, and an ARP request without ether dst= is
 * broadcast (RFC 826).
 *
 * Matching: the layer lines must match the received header stack in order
 * (a leading `ether` may be left out), then every item must hold.  A packet
 * that matches but breaks a MUST (a VS_ERROR violation of packets/ strict
 * validation, not tolerated by an `allow` line) is reported as invalid
 * with the violation's message.  Mismatches name the first failing item:
 * "BA field status: expected 0 vs actual 133".
 */
#ifndef MIP6_CONF_TMPL_H
#define MIP6_CONF_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "vars.h"

struct pkt;
struct sbuf;

/*
 * Check one parsed layer line of a template (pattern: declared with
 * `expect`).  Returns NULL or a message naming what is wrong, e.g.
 * "mh BU has no field 'sqe' (fields: seq lifetime A H ...)".
 */
const char *tmpl_check_layer(const struct tlayer *, bool pattern);

/* What a sent packet's link layer defaults to. */
struct tmpl_link {
	uint8_t	src_mac[6];	/* the tester's interface on the link */
	uint8_t	dst_mac[6];	/* the NUT's interface on the link */
};

/*
 * Build a packet from a template.  Returns 0, or -1 with a message in err
 * ("line 12: unknown variable $mn0.hoa").
 */
int	tmpl_build(const struct tmpl *, const struct vars *,
	    const struct tmpl_link *, struct pkt *, char *err, size_t);
/*
 * Build and encode into buf (cap octets; *len set).  A tokens= item on an
 * mh line signs the Binding Authorization Data option (added last when the
 * line has no bad=) with the Kbm of those keygen tokens, over the encoded
 * bytes (RFC 6275 §5.2.6), and recomputes the MH checksum.  0 or -1 with
 * a message in err.
 */
int	tmpl_encode(const struct tmpl *, const struct vars *,
	    const struct tmpl_link *, struct pkt *, uint8_t *buf, size_t cap,
	    size_t *len, char *err, size_t errcap);

/*
 * After a packet built from the template was sent: each `esp sa=NAME`
 * line's sequence number becomes the SA's last ($sa.NAME.seq), so the
 * next packet sealed with it in the run sends one more (RFC 4303 §3.3.3).
 */
void	tmpl_esp_sent(const struct tmpl *, struct vars *);

#define MATCH_WHY_MAX	512
#define MATCH_CAPS_MAX	8

struct match_res {
	bool	matched;	/* everything held and the packet is valid */
	bool	shape;	/* the layers and message types are those expected */
	bool	fields;	/* shape, and every item held */
	bool	invalid;	/* fields held but validation found an error */
	bool	error;	/* the template could not be evaluated (a tool
			   fault: an unknown variable, a bad value); `why`
			   says why and `line` where */
	int	score;	/* how much matched: the closest candidate is the
			   packet with the highest score */
	int	line;	/* the template line of the first mismatch */
	char	why[MATCH_WHY_MAX];
	size_t	ncap;
	struct {
		char	name[48];
		char	val[128];
	} cap[MATCH_CAPS_MAX];
};

void	tmpl_match(const struct tmpl *, const struct vars *,
	    const struct pkt *, struct match_res *);
/*
 * The same, given the received frame `p` was decoded from: a tokens= item
 * (Binding Authorization Data, RFC 6275 §5.2.6) verifies the
 * authenticator over the frame's bytes.  tmpl_match() has no frame, and a
 * tokens= item there is an error.
 */
void	tmpl_match_frame(const struct tmpl *, const struct vars *,
	    const struct pkt *, const uint8_t *frame, size_t len,
	    struct match_res *);

/*
 * The template as one line ("ipv6 src=... | mh BA status=0 K ...") with
 * the variables that can be expanded expanded, and as one layer a line
 * (each starting with `indent` spaces).
 */
void	tmpl_fmt_line(const struct tmpl *, const struct vars *, struct sbuf *);
void	tmpl_fmt_verbose(const struct tmpl *, const struct vars *,
	    struct sbuf *, int indent);

#endif
