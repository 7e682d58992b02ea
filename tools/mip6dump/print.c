/*
 * print.c - mip6dump's per-packet output: one line per packet (or the
 * verbose form under it), or one JSON object per line, each followed by
 * the packet's violations.  The packet itself is always printed by the
 * library (pkt_print_short/verbose/json, viol_format/viol_json); this file
 * adds the packet number, the time stamp and the lengths.  Formats are in
 * mip6dump(1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "mip6dump.h"
#include "out.h"

/*
 * The room put_ts() writes in: the seconds' buffer (24), or at most 20
 * digits and a sign, the point and a block of 8 digits.
 */
#define TS_ROOM		32

/*
 * "1700000000.000123": seconds with six decimals, written at d; returns
 * the end.  Consecutive packets mostly share their second, so the
 * seconds' text is kept per thread and copied.
 */
static char *
put_ts(char *d, const struct frame *f)
{
	static _Thread_local int64_t last_sec;
	static _Thread_local char sec_text[24];
	static _Thread_local size_t sec_len;
	struct sbuf sb;

	if (sec_len == 0 || f->sec != last_sec) {
		sbuf_init(&sb, sec_text, sizeof(sec_text));
		sbuf_int(&sb, f->sec);
		last_sec = f->sec;
		sec_len = sb.len;
	}
	memcpy(d, sec_text, sizeof(sec_text));
	d += sec_len;
	*d++ = '.';
	return sbuf_fmt_digits(d, f->usec % 1000000u, 6);
}

/* The time stamp into a small buffer (the piecewise paths). */
static size_t
fmt_ts(char *buf, const struct frame *f)
{
	return (size_t)(put_ts(buf, f) - buf);
}

static void
end_line(struct sbuf *sb)
{
	if (sb->len == 0 || sb->buf[sb->len - 1] != '\n')
		sbuf_putc(sb, '\n');
}

/* ----------------------------------------------------------------- text */

/* "packet 17: <message> [error mh-checksum, RFC 6275 §6.1.1, offset 58]" */
static void
text_violation(struct sbuf *sb, uint64_t n, const struct viol *v)
{
	const char *clause = viol_clause(v->code);

	sbuf_puts(sb, "packet ");
	sbuf_uint(sb, n);
	sbuf_puts(sb, ": ");
	viol_format(sb, v);
	sbuf_puts(sb, " [");
	sbuf_puts(sb, viol_severity_name(viol_severity(v->code)));
	sbuf_putc(sb, ' ');
	sbuf_puts(sb, viol_name(v->code));
	if (clause[0] != '\0') {
		sbuf_puts(sb, ", ");
		sbuf_puts(sb, clause);
	}
	sbuf_puts(sb, ", offset ");
	sbuf_uint(sb, v->off);
	sbuf_puts(sb, "]\n");
}

static void
text_violations(struct sbuf *sb, const struct print_ctx *c)
{
	const struct viol_list *vl = &c->p->viol;
	size_t i;

	for (i = 0; i < vl->n; i++)
		text_violation(sb, c->f->n, &vl->v[i]);
	if (vl->dropped > 0)
		sbuf_printf(sb, "packet %" PRIu64 ": %zu more violations not "
		    "recorded\n", c->f->n, vl->dropped);
}

static void
text_packet(struct sbuf *sb, const void *arg)
{
	const struct print_ctx *c = arg;
	char ts[TS_ROOM];
	char *p = sbuf_room(sb, SBUF_UINT_MAX + TS_ROOM + 2);

	if (p != NULL) {
		p = sbuf_fmt_uint(p, c->f->n);
		*p++ = ' ';
		p = put_ts(p, c->f);
		*p++ = ' ';
		sbuf_advance(sb, p);
	} else {
		sbuf_uint(sb, c->f->n);
		sbuf_putc(sb, ' ');
		sbuf_putn(sb, ts, fmt_ts(ts, c->f));
		sbuf_putc(sb, ' ');
	}
	pkt_print_short(sb, c->p);
	end_line(sb);
	if (c->opts->verbose) {
		pkt_print_verbose(sb, c->p);
		end_line(sb);
	}
	text_violations(sb, c);
}

static void
text_violations_only(struct sbuf *sb, const void *arg)
{
	text_violations(sb, arg);
}

/* ----------------------------------------------------------------- JSON */

/*
 * The members mip6dump adds around the library's objects are constant
 * keys: they are written as literals, which at millions of packets per
 * second is measurably cheaper than the general JSON writer.
 */
#define PUT_LIT(sb, lit)	sbuf_putn((sb), (lit), sizeof(lit) - 1)

#define MOBILITY_TRUE	",\"mobility\":true,\"packet\":"
#define MOBILITY_FALSE	",\"mobility\":false,\"packet\":"
/* What json_head() writes at most. */
#define HEAD_ROOM	(3 * SBUF_UINT_MAX + TS_ROOM + 64)

/* json_head() near the end of the buffer: piece by piece. */
static void
json_head_bounded(struct sbuf *sb, const struct print_ctx *c, bool packet)
{
	char ts[TS_ROOM];

	PUT_LIT(sb, "{\"n\":");
	sbuf_uint(sb, c->f->n);
	PUT_LIT(sb, ",\"ts\":");
	sbuf_putn(sb, ts, fmt_ts(ts, c->f));
	if (!packet)
		return;
	PUT_LIT(sb, ",\"len\":");
	sbuf_uint(sb, c->f->len);
	PUT_LIT(sb, ",\"caplen\":");
	sbuf_uint(sb, c->f->caplen);
	if (c->mobility)
		PUT_LIT(sb, MOBILITY_TRUE);
	else
		PUT_LIT(sb, MOBILITY_FALSE);
}

/*
 * {"n":N,"ts":T and, for a packet, ,"len":L,"caplen":C,"mobility":B,
 * "packet": (the library's object follows): one check of the room.
 */
static void
json_head(struct sbuf *sb, const struct print_ctx *c, bool packet)
{
	char *p = sbuf_room(sb, HEAD_ROOM);

	if (p == NULL) {
		json_head_bounded(sb, c, packet);
		return;
	}
	memcpy(p, "{\"n\":", 5);
	p = sbuf_fmt_uint(p + 5, c->f->n);
	memcpy(p, ",\"ts\":", 6);
	p = put_ts(p + 6, c->f);
	if (packet) {
		memcpy(p, ",\"len\":", 7);
		p = sbuf_fmt_uint(p + 7, c->f->len);
		memcpy(p, ",\"caplen\":", 10);
		p = sbuf_fmt_uint(p + 10, c->f->caplen);
		if (c->mobility) {
			memcpy(p, MOBILITY_TRUE, sizeof(MOBILITY_TRUE) - 1);
			p += sizeof(MOBILITY_TRUE) - 1;
		} else {
			memcpy(p, MOBILITY_FALSE, sizeof(MOBILITY_FALSE) - 1);
			p += sizeof(MOBILITY_FALSE) - 1;
		}
	}
	sbuf_advance(sb, p);
}

/* ,"violations":[...] and the dropped count; then the closing brace. */
static void
json_violations_tail(struct sbuf *sb, const struct viol_list *vl)
{
	struct jw jw;
	size_t i;

	PUT_LIT(sb, ",\"violations\":[");
	for (i = 0; i < vl->n; i++) {
		if (i > 0)
			sbuf_putc(sb, ',');
		jw_init(&jw, sb);
		viol_json(&jw, &vl->v[i]);
	}
	sbuf_putc(sb, ']');
	if (vl->dropped > 0) {
		PUT_LIT(sb, ",\"violations_dropped\":");
		sbuf_uint(sb, vl->dropped);
	}
	PUT_LIT(sb, "}\n");
}

/* ,"violations_dropped":N when the list overflowed; the closing brace. */
static void
json_dropped_tail(struct sbuf *sb, const struct viol_list *vl)
{
	if (vl->dropped > 0) {
		PUT_LIT(sb, ",\"violations_dropped\":");
		sbuf_uint(sb, vl->dropped);
	}
	PUT_LIT(sb, "}\n");
}

static void
json_packet(struct sbuf *sb, const void *arg)
{
	const struct print_ctx *c = arg;
	struct jw jw;

	json_head(sb, c, true);
	/*
	 * pkt_print_json() writes one object value, as at the top level, with
	 * the packet's violations in it; brief unless -v (mip6dump(1)).
	 */
	jw_init(&jw, sb);
	jw.brief = !c->opts->verbose;
	pkt_print_json(&jw, c->p);
	json_dropped_tail(sb, &c->p->viol);
}

static void
json_violations_only(struct sbuf *sb, const void *arg)
{
	const struct print_ctx *c = arg;

	json_head(sb, c, false);
	json_violations_tail(sb, &c->p->viol);
}

/* --------------------------------------------------------------- public */

void
print_packet(struct out *o, const struct print_ctx *c)
{
	out_record(o, c->opts->json ? json_packet : text_packet, c);
}

void
print_violations(struct out *o, const struct print_ctx *c)
{
	out_record(o, c->opts->json ? json_violations_only :
	    text_violations_only, c);
}

void
print_summary(const struct stats *st)
{
	fprintf(stderr, "%" PRIu64 " packets, %" PRIu64 " mobility packets, %"
	    PRIu64 " with violations\n", st->packets, st->mobility,
	    st->with_viol);
}
