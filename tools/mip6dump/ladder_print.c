/*
 * ladder_print.c - rendering of the ladder (text and JSON lines): per
 * binding a header, one row per message with its annotations, and a
 * summary; at the end the totals.  Formats are in mip6dump(1).
 */
#include <inttypes.h>
#include <string.h>

#include "packets/sbuf.h"
#include "ladder_int.h"
#include "out.h"

struct row_arg {
	const struct ladder	*l;
	const struct binding	*b;
	const struct row	*r;
};

/* "1.234" from microseconds: milliseconds with three decimals. */
static void
fmt_ms3(struct sbuf *sb, int64_t us)
{
	uint64_t a = us < 0 ? (uint64_t)-us : (uint64_t)us;

	sbuf_printf(sb, "%s%" PRIu64 ".%03" PRIu64, us < 0 ? "-" : "",
	    a / 1000, a % 1000);
}

void
fmt_duration(struct sbuf *sb, int64_t us)
{
	uint64_t a = us < 0 ? (uint64_t)-us : (uint64_t)us, ms;

	if (a < 1000000) {
		fmt_ms3(sb, us);
		sbuf_puts(sb, " ms");
		return;
	}
	ms = (a + 500) / 1000;
	sbuf_printf(sb, "%s%" PRIu64 ".%03" PRIu64 " s", us < 0 ? "-" : "",
	    ms / 1000, ms % 1000);
}

void
fmt_tenths(struct sbuf *sb, unsigned v)
{
	sbuf_printf(sb, "%u.%u", v / 10, v % 10);
}

/* Seconds since the first packet, with microseconds. */
static void
fmt_rel(struct sbuf *sb, const struct ladder *l, int64_t t_us)
{
	int64_t rel = t_us - l->t0_us;
	uint64_t a = rel < 0 ? (uint64_t)-rel : (uint64_t)rel;

	sbuf_printf(sb, "%s%" PRIu64 ".%06" PRIu64, rel < 0 ? "-" : "",
	    a / 1000000, a % 1000000);
}

static const char *
peer_label(const struct binding *b)
{
	return b->home ? "HA" : "CN";
}

static const char *
mn_label(const struct binding *b)
{
	return b->provisional ? "CoA" : "MN";
}

static const char *
role_name(const struct binding *b)
{
	return b->home ? "home agent" : "correspondent";
}

static void
fmt_dir(struct sbuf *sb, const struct binding *b, const struct row *r)
{
	if (r->from_peer)
		sbuf_printf(sb, "%s->%s", peer_label(b), mn_label(b));
	else
		sbuf_printf(sb, "%s->%s", mn_label(b), peer_label(b));
}

/* ----------------------------------------------------------------- text */

static void
text_header(struct sbuf *sb, const void *arg)
{
	const struct binding *b = ((const struct row_arg *)arg)->b;

	sbuf_puts(sb, "binding ");
	sbuf_in6(sb, &b->mn);
	sbuf_puts(sb, " <-> ");
	sbuf_in6(sb, &b->peer);
	sbuf_printf(sb, " (%s%s%s)\n", role_name(b),
	    b->provisional ? ", care-of address, home address unknown" : "",
	    b->evicted ? ", evicted" : "");
	if (b->dropped > 0)
		sbuf_printf(sb, "  (%" PRIu64 " earlier rows dropped)\n",
		    b->dropped);
}

static void
text_row(struct sbuf *sb, const void *arg)
{
	const struct row_arg *ra = arg;
	char rel[32];
	struct sbuf t;

	sbuf_init(&t, rel, sizeof(rel));
	fmt_rel(&t, ra->l, ra->r->t_us);
	sbuf_printf(sb, "  %11s  #%-5" PRIu64 " ", rel, ra->r->n);
	fmt_dir(sb, ra->b, ra->r);
	sbuf_puts(sb, "  ");
	sbuf_puts(sb, ra->r->msg);
	if (ra->r->note[0] != '\0')
		sbuf_printf(sb, "  [%s]", ra->r->note);
	sbuf_putc(sb, '\n');
}

static void
text_rtt(struct sbuf *sb, const struct bstats *st)
{
	if (st->nrtt == 0) {
		sbuf_puts(sb, "-");
		return;
	}
	sbuf_puts(sb, "min/avg/max ");
	fmt_ms3(sb, st->rtt_min);
	sbuf_putc(sb, '/');
	fmt_ms3(sb, (st->rtt_sum + st->nrtt / 2) / st->nrtt);
	sbuf_putc(sb, '/');
	fmt_ms3(sb, st->rtt_max);
	sbuf_puts(sb, " ms");
}

static void
text_summary(struct sbuf *sb, const void *arg)
{
	const struct bstats *st = &((const struct row_arg *)arg)->b->st;

	sbuf_printf(sb, "  summary: %u registrations (%u accepted, "
	    "%u rejected, %u without BA), %u retransmissions, max back-off ",
	    st->regs, st->accepted, st->rejected, st->no_ba, st->retx);
	if (st->max_backoff10 > 0) {
		sbuf_putc(sb, 'x');
		fmt_tenths(sb, st->max_backoff10);
	} else
		sbuf_putc(sb, '-');
	sbuf_puts(sb, ", BU->BA RTT ");
	text_rtt(sb, st);
	sbuf_printf(sb, ", %u home tests, %u care-of tests, %u BRR, %u BE\n\n",
	    st->home_tests, st->careof_tests, st->brr, st->be);
}

static void
print_text(struct ladder *l, struct binding *b)
{
	struct row_arg ra = { l, b, NULL };
	size_t i;

	out_record(l->out, text_header, &ra);
	for (i = 0; i < b->count; i++) {
		ra.r = binding_row(b, i);
		out_record(l->out, text_row, &ra);
	}
	out_record(l->out, text_summary, &ra);
}

/* ----------------------------------------------------------------- JSON */

/* A number with a fixed number of decimals, through a scratch sbuf. */
static void
jw_ms3(struct jw *jw, const char *key, int64_t us)
{
	char tmp[32];
	struct sbuf t;

	sbuf_init(&t, tmp, sizeof(tmp));
	fmt_ms3(&t, us);
	jw_raw(jw, key, tmp);
}

static void
jw_tenths(struct jw *jw, const char *key, unsigned v)
{
	char tmp[16];
	struct sbuf t;

	sbuf_init(&t, tmp, sizeof(tmp));
	fmt_tenths(&t, v);
	jw_raw(jw, key, tmp);
}

static void
json_notes(struct jw *jw, const char *note)
{
	const char *p = note, *sep;

	jw_arr_open(jw, "notes");
	while (*p != '\0') {
		sep = strstr(p, "; ");
		if (sep == NULL) {
			jw_str(jw, NULL, p);
			break;
		}
		jw_strn(jw, NULL, p, (size_t)(sep - p));
		p = sep + 2;
	}
	jw_arr_close(jw);
}

static void
json_row(struct jw *jw, const struct ladder *l, const struct binding *b,
    const struct row *r)
{
	char tmp[32];
	struct sbuf t;

	jw_obj_open(jw, NULL);
	jw_uint(jw, "n", r->n);
	sbuf_init(&t, tmp, sizeof(tmp));
	fmt_rel(&t, l, r->t_us);
	jw_raw(jw, "t", tmp);
	sbuf_init(&t, tmp, sizeof(tmp));
	fmt_dir(&t, b, r);
	jw_str(jw, "dir", tmp);
	jw_str(jw, "msg", r->msg);
	json_notes(jw, r->note);
	if (r->rtt_us >= 0)
		jw_ms3(jw, "rtt_ms", r->rtt_us);
	if (r->retx > 0)
		jw_uint(jw, "retransmission", r->retx);
	if (r->backoff10 > 0)
		jw_tenths(jw, "backoff", r->backoff10);
	jw_obj_close(jw);
}

static void
json_summary(struct jw *jw, const struct bstats *st)
{
	jw_obj_open(jw, "summary");
	jw_uint(jw, "registrations", st->regs);
	jw_uint(jw, "accepted", st->accepted);
	jw_uint(jw, "rejected", st->rejected);
	jw_uint(jw, "no_ba", st->no_ba);
	jw_uint(jw, "retransmissions", st->retx);
	if (st->max_backoff10 > 0)
		jw_tenths(jw, "max_backoff", st->max_backoff10);
	else
		jw_null(jw, "max_backoff");
	if (st->nrtt > 0) {
		jw_obj_open(jw, "rtt_ms");
		jw_ms3(jw, "min", st->rtt_min);
		jw_ms3(jw, "avg", (st->rtt_sum + st->nrtt / 2) / st->nrtt);
		jw_ms3(jw, "max", st->rtt_max);
		jw_uint(jw, "count", st->nrtt);
		jw_obj_close(jw);
	} else
		jw_null(jw, "rtt_ms");
	jw_uint(jw, "home_tests", st->home_tests);
	jw_uint(jw, "careof_tests", st->careof_tests);
	jw_uint(jw, "brr", st->brr);
	jw_uint(jw, "be", st->be);
	jw_obj_close(jw);
}

static void
json_binding(struct sbuf *sb, const void *arg)
{
	const struct row_arg *ra = arg;
	const struct binding *b = ra->b;
	struct jw jw;
	size_t i;

	jw_init(&jw, sb);
	jw_obj_open(&jw, NULL);
	jw_obj_open(&jw, "binding");
	jw_in6(&jw, "mn", &b->mn);
	jw_in6(&jw, "peer", &b->peer);
	jw_str(&jw, "role", role_name(b));
	jw_bool(&jw, "provisional", b->provisional);
	jw_bool(&jw, "evicted", b->evicted);
	jw_obj_close(&jw);
	jw_uint(&jw, "rows_dropped", b->dropped);
	jw_arr_open(&jw, "rows");
	for (i = 0; i < b->count; i++)
		json_row(&jw, ra->l, b,
		    binding_row((struct binding *)b, i));
	jw_arr_close(&jw);
	json_summary(&jw, &b->st);
	jw_obj_close(&jw);
	sbuf_putc(sb, '\n');
}

void
ladder_print_binding(struct ladder *l, struct binding *b)
{
	struct row_arg ra = { l, b, NULL };

	l->printed++;
	if (l->json)
		out_record(l->out, json_binding, &ra);
	else
		print_text(l, b);
}

static void
totals(struct sbuf *sb, const void *arg)
{
	const struct ladder *l = arg;
	struct jw jw;

	if (!l->json) {
		sbuf_printf(sb, "ladder: %" PRIu64 " bindings, %" PRIu64
		    " evicted (max %zu)\n", l->printed, l->evicted, l->max);
		return;
	}
	jw_init(&jw, sb);
	jw_obj_open(&jw, NULL);
	jw_obj_open(&jw, "ladder");
	jw_uint(&jw, "bindings", l->printed);
	jw_uint(&jw, "evicted", l->evicted);
	jw_uint(&jw, "max_bindings", l->max);
	jw_obj_close(&jw);
	jw_obj_close(&jw);
	sbuf_putc(sb, '\n');
}

void
ladder_print_totals(struct ladder *l)
{
	out_record(l->out, totals, l);
}
