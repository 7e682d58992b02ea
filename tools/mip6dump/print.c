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

#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "mip6dump.h"
#include "out.h"

/*
 * "1700000000.000123": seconds with six decimals.  The fraction is printed
 * as 1000000 + usec and its leading "1" becomes the point, which keeps the
 * zeros and costs one fast integer conversion (this runs for every packet).
 */
static size_t
fmt_ts(char *buf, size_t cap, const struct frame *f)
{
	struct sbuf sb;
	size_t point;

	sbuf_init(&sb, buf, cap);
	sbuf_int(&sb, f->sec);
	point = sb.len;
	sbuf_uint(&sb, 1000000u + (f->usec % 1000000u));
	if (point < sb.len)
		sb.buf[point] = '.';
	return sb.len;
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
	char ts[32];

	sbuf_uint(sb, c->f->n);
	sbuf_putc(sb, ' ');
	sbuf_putn(sb, ts, fmt_ts(ts, sizeof(ts), c->f));
	sbuf_putc(sb, ' ');
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

/* {"n":N,"ts":T */
static void
json_head(struct sbuf *sb, const struct frame *f)
{
	char ts[32];

	PUT_LIT(sb, "{\"n\":");
	sbuf_uint(sb, f->n);
	PUT_LIT(sb, ",\"ts\":");
	sbuf_putn(sb, ts, fmt_ts(ts, sizeof(ts), f));
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

	json_head(sb, c->f);
	PUT_LIT(sb, ",\"len\":");
	sbuf_uint(sb, c->f->len);
	PUT_LIT(sb, ",\"caplen\":");
	sbuf_uint(sb, c->f->caplen);
	if (c->mobility)
		PUT_LIT(sb, ",\"mobility\":true,\"packet\":");
	else
		PUT_LIT(sb, ",\"mobility\":false,\"packet\":");
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

	json_head(sb, c->f);
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
