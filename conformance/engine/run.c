/*
 * run.c - execute a case's timeline and judge it (see run.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "emul.h"
#include "field.h"
#include "intr.h"
#include "netdev.h"
#include "nut.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "results.h"
#include "run.h"
#include "tmpl.h"
#include "util.h"
#include "vars.h"
#include "verdict.h"

#define TEXT_MAX	16384

void
run_cfg_default(struct run_cfg *cfg)
{
	tol_default(&cfg->tol);
	cfg->late_grace_us = LATE_GRACE_US_DEFAULT;
	cfg->emul = NULL;
}

/* A frame the NUT sent, kept until an expectation takes it. */
struct rx {
	struct frame	*f;
	size_t		 log;		/* its entry in the result log */
	bool		 consumed;
};

struct runner {
	const struct mcase	*c;
	const struct nutdesc	*nut;
	struct netdev		*nd;
	struct nutctl		*ctl;
	const struct run_cfg	*cfg;
	struct case_result	*res;
	struct vars		 vars;
	int64_t			 t0;		/* device time of time 0 */
	int64_t			 prev;		/* the previous event, rel. */
	int64_t			 deadline;	/* the case timeout, rel. */
	struct rx		*rx;
	size_t			 nrx;
	struct pkt		*pkt;
	bool			 failed;	/* skip on to the cleanup */
	char			*text;		/* TEXT_MAX scratch */
};

enum evres {
	EVR_OK,
	EVR_FAIL,
	EVR_ERROR
};

/* A received frame, its ESP opened with the NUT description's SAs. */
static void
run_decode(struct runner *r, const uint8_t *data, size_t len)
{
	struct pkt_esp_keys k = nut_esp_keys(r->nut);

	pkt_decode_keys(r->pkt, PKT_LINK_ETHER, data, len, len, &k);
}

static int64_t
now_rel(struct runner *r)
{
	return netdev_now(r->nd) - r->t0;
}

/* ----------------------------------------------------------- verdicts */

static enum evres
fail(struct runner *r, const struct event *ev, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum evres
fail(struct runner *r, const struct event *ev, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ev->phase == PH_CLEANUP && r->res->v != VERDICT_PASS) {
		str_fmt(r->text, TEXT_MAX, "the cleanup failed too: %s", msg);
		result_detail(r->res, r->text);
		return EVR_FAIL;
	}
	result_set(r->res, verdict_of_phase(ev->phase), false, "%s", msg);
	return EVR_FAIL;
}

static enum evres
error(struct runner *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum evres
error(struct runner *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	result_set(r->res, VERDICT_ERROR, true, "%s", msg);
	return EVR_ERROR;
}

/* ------------------------------------------------------------ frames */

static void
add_rx(struct runner *r, struct frame *f)
{
	struct rx *x = xgrow(&r->rx, &r->nrx, sizeof(*x));

	x->f = f;
	x->log = r->res->nlog;
	result_log(r->res, LOG_RECV, f->ts_us - r->t0, f->link, 0, NULL,
	    f->data, f->len);
}

static void
consume(struct runner *r, size_t i, const char *tmpl)
{
	r->rx[i].consumed = true;
	str_copy(r->res->log[r->rx[i].log].matched, tmpl,
	    sizeof(r->res->log[0].matched));
}

#define EMUL_TEXT	"(emulation)"

/* Send what the emulation has to send; the log shows it. */
static int
emul_send(struct runner *r, const struct frame *out)
{
	int64_t ts;

	if (netdev_send(r->nd, out->link, out->data, out->len, &ts) < 0)
		return -1;
	result_log(r->res, LOG_SEND, ts - r->t0, out->link, 0, EMUL_TEXT,
	    out->data, out->len);
	return 0;
}

/* Let the emulation send what is due; the device time of its next. */
static int
emul_tick(struct runner *r, int64_t *next, struct frame *tmp)
{
	struct emul *em = r->cfg->emul;

	*next = INT64_MAX;
	if (em == NULL)
		return 0;
	while (em->ops->tick(em, netdev_now(r->nd), tmp, next))
		if (emul_send(r, tmp) < 0)
			return -1;
	return 0;
}

/* Offer a frame to the emulation; true when it took it. */
static bool
emul_take(struct runner *r, size_t i, struct frame *tmp, int *err)
{
	struct emul *em = r->cfg->emul;
	enum emul_take t;

	if (em == NULL)
		return false;
	run_decode(r, r->rx[i].f->data, r->rx[i].f->len);
	t = em->ops->frame(em, r->rx[i].f, r->pkt, tmp);
	if (t == EMUL_PASS)
		return false;
	consume(r, i, EMUL_TEXT);
	if (t == EMUL_REPLY && emul_send(r, tmp) < 0)
		*err = -1;
	return true;
}

/*
 * Receive one frame for the judge until `until` (relative): 1, 0 (time
 * up) or -1.  Frames the emulation takes are logged and passed over.
 */
static int
recv_one(struct runner *r, int64_t until)
{
	struct frame *f, *tmp = r->cfg->emul != NULL ? xmalloc(sizeof(*tmp)) :
	    NULL;
	int64_t next, dl;
	int k, err = 0;

	for (;;) {
		if (emul_tick(r, &next, tmp) < 0) {
			k = -1;
			break;
		}
		dl = r->t0 + until < next ? r->t0 + until : next;
		f = xmalloc(sizeof(*f));
		k = netdev_recv(r->nd, dl, f);
		if (k <= 0) {
			free(f);
			if (k == 0 && dl < r->t0 + until)
				continue;	/* the emulation is due */
			break;
		}
		add_rx(r, f);
		if (!emul_take(r, r->nrx - 1, tmp, &err))
			break;
		if (err < 0) {
			k = -1;
			break;
		}
	}
	free(tmp);
	return k;
}

/* Let time pass until `until`, keeping what arrives. */
static enum evres
wait_until(struct runner *r, int64_t until)
{
	int k;

	while ((k = recv_one(r, until)) > 0)
		;
	if (k < 0)
		return error(r, "network device: %s", r->nd->err);
	return EVR_OK;
}

/* ------------------------------------------------------- diagnostics */

static void
indent_lines(struct case_result *res, const char *text, const char *pre)
{
	const char *line = text, *nl;
	char buf[1100];

	for (; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl == NULL)
			nl = line + strlen(line);
		str_fmt(buf, sizeof(buf), "%s%.*s", pre, (int)(nl - line),
		    line);
		result_detail(res, buf);
		if (*nl == '\0')
			break;
	}
}

static void
dump_expected(struct runner *r, const struct tmpl *t)
{
	struct sbuf sb;
	char head[200];

	snprintf(head, sizeof(head), "expected (%s, %s:%d):", t->name,
	    r->c->file, t->line);
	result_detail(r->res, head);
	sbuf_init(&sb, r->text, TEXT_MAX);
	tmpl_fmt_line(t, &r->vars, &sb);
	indent_lines(r->res, sbuf_str(&sb), "  ");
	sbuf_init(&sb, r->text, TEXT_MAX);
	tmpl_fmt_verbose(t, &r->vars, &sb, 4);
	indent_lines(r->res, sbuf_str(&sb), "");
}

static void
dump_actual(struct runner *r, size_t i)
{
	const struct frame *f = r->rx[i].f;
	struct sbuf sb;
	char head[200], t[32];

	timing_fmt(t, sizeof(t), f->ts_us - r->t0);
	snprintf(head, sizeof(head), "actual (%s at %s s):", f->link, t);
	result_detail(r->res, head);
	run_decode(r, f->data, f->len);
	sbuf_init(&sb, r->text, TEXT_MAX);
	pkt_print_short(&sb, r->pkt);
	indent_lines(r->res, sbuf_str(&sb), "  ");
	sbuf_init(&sb, r->text, TEXT_MAX);
	pkt_print_verbose(&sb, r->pkt);
	indent_lines(r->res, sbuf_str(&sb), "    ");
}

/* "ba_ok (BA)": the template and the message its last layer names. */
static void
tmpl_title(const struct tmpl *t, char *buf, size_t cap)
{
	const struct tlayer *l = t->nlayer > 0 ? &t->layers[t->nlayer - 1] :
	    NULL;

	if (l != NULL && l->def->word == W_MSGTYPE && l->word != NULL &&
	    strcmp(l->word, "*") != 0)
		snprintf(buf, cap, "%s (%s)", t->name, l->word);
	else
		snprintf(buf, cap, "%s", t->name);
}

/* "within 1.500 s", "at 1.000 s (tolerance 0.125 s)", ... */
static void
when_fmt(const struct event *ev, const struct window *w, char *buf,
    size_t cap)
{
	char a[32];

	if (w->any) {
		timing_fmt(a, sizeof(a), w->hi);
		snprintf(buf, cap, "by %s s (the case timeout)", a);
	} else if (ev->when.kind == TIME_REL && ev->when.range &&
	    ev->when.lo_us == 0) {
		timing_fmt(a, sizeof(a), ev->when.hi_us);
		snprintf(buf, cap, "within %s s", a);
	} else
		window_fmt(buf, cap, w);
}

/* ------------------------------------------------------------ events */

static bool
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	int i;

	if (s == NULL || sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5]) != 6)
		return false;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

static enum evres
ev_send(struct runner *r, const struct event *ev, const struct window *w)
{
	const struct tmpl *t = &r->c->tmpls[ev->tmpl[0]];
	const struct nut_link *l = nut_link(r->nut, ev->link);
	uint8_t buf[FRAME_MAX];
	struct tmpl_link tl;
	char err[400];
	size_t len;
	int64_t ts;

	if (l == NULL)
		return error(r, "%s:%d: %s is not a link of the NUT set-up %s",
		    r->c->file, ev->line, ev->link, r->nut->path);
	memset(&tl, 0, sizeof(tl));
	parse_mac(nut_link_attr(l, true, "mac"), tl.src_mac);
	parse_mac(nut_link_attr(l, false, "mac"), tl.dst_mac);
	if (!w->any && wait_until(r, w->nominal) != EVR_OK)
		return EVR_ERROR;
	if (tmpl_encode(t, &r->vars, &tl, r->pkt, buf, sizeof(buf), &len,
	    err, sizeof(err)) < 0)
		return error(r, "%s:%d: cannot build %s: %s", r->c->file,
		    ev->line, t->name, err);
	if (netdev_send(r->nd, ev->link, buf, len, &ts) < 0)
		return error(r, "%s:%d: network device: %s", r->c->file,
		    ev->line, r->nd->err);
	r->prev = ts - r->t0;
	tmpl_esp_sent(t, &r->vars);
	result_log(r->res, LOG_SEND, r->prev, ev->link, ev->line, t->name,
	    buf, len);
	return EVR_OK;
}

static enum evres
ev_nut(struct runner *r, const struct event *ev, const struct window *w)
{
	char *argv[16], val[16][VAR_VALUE_MAX], e[300], line[300];
	size_t i, k = 0;

	if (!w->any && wait_until(r, w->nominal) != EVR_OK)
		return EVR_ERROR;
	line[0] = '\0';
	for (i = 0; i < ev->argc && i < 16; i++) {
		if (!vars_expand(&r->vars, ev->argv[i], val[i], sizeof(val[i]),
		    e, sizeof(e)))
			return error(r, "%s:%d: %s", r->c->file, ev->line, e);
		argv[i] = val[i];
		if (k < sizeof(line))
			k += (size_t)snprintf(line + k, sizeof(line) - k,
			    "%s%s", i > 0 ? " " : "", val[i]);
	}
	result_log(r->res, LOG_NUT, now_rel(r), NULL, ev->line, line, NULL,
	    0);
	if (nutctl_verb(r->ctl, argv, i, e, sizeof(e)) < 0)
		return fail(r, ev, "%s:%d: nut %s: %s", r->c->file, ev->line,
		    argv[0], e);
	r->prev = now_rel(r);
	return EVR_OK;
}

/*
 * Movement: the emulation switches which router advertises (TAHI moves a
 * mobile node under test by changing the router it hears).  Logged with
 * the control verbs; a case that needs routers where none are emulated
 * is an error of the set-up, not of the NUT.
 */
static enum evres
ev_advertise(struct runner *r, const struct event *ev,
    const struct window *w)
{
	struct emul *em = r->cfg->emul;
	char e[300], line[120];

	if (!w->any && wait_until(r, w->nominal) != EVR_OK)
		return EVR_ERROR;
	if (em == NULL || em->ops->advertise == NULL)
		return error(r, "%s:%d: advertise %s: the tester emulates no "
		    "routers here (netdev afpacket with node lines "
		    "router=yes)", r->c->file, ev->line, ev->argv[0]);
	snprintf(line, sizeof(line), "advertise %s", ev->argv[0]);
	result_log(r->res, LOG_NUT, now_rel(r), NULL, ev->line, line, NULL,
	    0);
	if (em->ops->advertise(em, ev->argv[0], e, sizeof(e)) < 0)
		return error(r, "%s:%d: advertise: %s", r->c->file, ev->line,
		    e);
	r->prev = now_rel(r);
	return EVR_OK;
}

/* What the best candidate for one template of an expect event was. */
struct cand {
	int		 rx;
	struct match_res m;
};

/* How an expect event names what it waits for. */
static void
event_title(struct runner *r, const struct event *ev, const struct tmpl *t,
    char *buf, size_t cap)
{
	size_t i, k;

	if (ev->mode == EVM_ONE) {
		tmpl_title(t, buf, cap);
		return;
	}
	k = (size_t)snprintf(buf, cap, "%s", ev->mode == EVM_SET ? "{" :
	    "oneof(");
	for (i = 0; i < ev->ntmpl && k < cap; i++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%s", i > 0 ? ", " :
		    "", r->c->tmpls[ev->tmpl[i]].name);
	if (k < cap)
		snprintf(buf + k, cap - k, "%s", ev->mode == EVM_SET ? "}" :
		    ")");
	if (ev->mode == EVM_SET && k < cap) {
		k = strlen(buf);
		snprintf(buf + k, cap - k, " (%s missing)", t->name);
	}
}

static enum evres
report_missing(struct runner *r, const struct event *ev,
    const struct window *w, const struct tmpl *t, const struct cand *b)
{
	char name[200], when[100], sh[600];
	struct sbuf sb;
	enum evres e;

	event_title(r, ev, t, name, sizeof(name));
	when_fmt(ev, w, when, sizeof(when));
	if (b->rx < 0)
		return fail(r, ev, "%s:%d: expected %s %s; nothing received",
		    r->c->file, ev->line, name, when);
	if (b->m.shape)
		e = fail(r, ev, "%s:%d: %s", r->c->file, b->m.line, b->m.why);
	else {
		run_decode(r, r->rx[b->rx].f->data,
		    r->rx[b->rx].f->len);
		sbuf_init(&sb, sh, sizeof(sh));
		pkt_print_short(&sb, r->pkt);
		e = fail(r, ev, "%s:%d: expected %s %s; nothing matched; "
		    "closest candidate: %s", r->c->file, ev->line, name, when,
		    sbuf_str(&sb));
	}
	if (r->res->v == VERDICT_CLEANUP_FAIL || ev->phase != PH_CLEANUP) {
		if (b->m.shape)
			str_fmt(r->text, TEXT_MAX, "no frame matched %s %s; the "
			    "closest candidate is below", name, when);
		else
			str_fmt(r->text, TEXT_MAX, "the closest candidate "
			    "differs: %s", b->m.why);
		result_detail(r->res, r->text);
		dump_expected(r, t);
		dump_actual(r, (size_t)b->rx);
	}
	return e;
}

static enum evres
report_timing(struct runner *r, const struct event *ev,
    const struct window *w, const struct tmpl *t, size_t i)
{
	char name[100], exp[100], at[32];
	enum evres e;

	tmpl_title(t, name, sizeof(name));
	window_fmt(exp, sizeof(exp), w);
	timing_fmt(at, sizeof(at), r->rx[i].f->ts_us - r->t0);
	e = fail(r, ev, "%s:%d: timing error: expected %s %s but it happened "
	    "at %s s", r->c->file, ev->line, name, exp, at);
	dump_actual(r, i);
	return e;
}

static enum evres
report_invalid(struct runner *r, const struct event *ev,
    const struct tmpl *t, const struct match_res *m, size_t i)
{
	char name[100];
	enum evres e;

	tmpl_title(t, name, sizeof(name));
	e = fail(r, ev, "%s:%d: %s is malformed: %s", r->c->file, ev->line,
	    name, m->why);
	dump_expected(r, t);
	dump_actual(r, i);
	return e;
}

struct expect_state {
	const struct event	*ev;
	struct window		 w;
	bool			 pending[EV_TMPL_MAX];
	size_t			 npending;
	struct cand		 best[EV_TMPL_MAX];
	int64_t			 last;
};

static void
apply_captures(struct runner *r, const struct match_res *m)
{
	size_t k;

	for (k = 0; k < m->ncap; k++)
		vars_set(&r->vars, m->cap[k].name, m->cap[k].val);
}

/* Look at frame i for the event; EVR_OK also when it did not match. */
static enum evres
expect_frame(struct runner *r, struct expect_state *st, size_t i)
{
	const struct event *ev = st->ev;
	struct match_res m;
	size_t j, k;

	run_decode(r, r->rx[i].f->data, r->rx[i].f->len);
	for (j = 0; j < ev->ntmpl; j++) {
		const struct tmpl *t = &r->c->tmpls[ev->tmpl[j]];

		if (!st->pending[j])
			continue;
		tmpl_match_frame(t, &r->vars, r->pkt, r->rx[i].f->data,
		    r->rx[i].f->len, &m);
		if (m.error)
			return error(r, "%s:%d: %s", r->c->file, m.line, m.why);
		if (m.invalid) {
			consume(r, i, t->name);
			return report_invalid(r, ev, t, &m, i);
		}
		if (!m.matched) {
			if (st->best[j].rx < 0 || m.score > st->best[j].m.score) {
				st->best[j].rx = (int)i;
				st->best[j].m = m;
			}
			continue;
		}
		consume(r, i, t->name);
		if (timing_check(&st->w, r->rx[i].f->ts_us - r->t0) !=
		    TIMING_OK)
			return report_timing(r, ev, &st->w, t, i);
		apply_captures(r, &m);
		st->last = r->rx[i].f->ts_us - r->t0;
		if (ev->mode == EVM_SET) {
			st->pending[j] = false;
			st->npending--;
		} else {
			for (k = 0; k < ev->ntmpl; k++)
				st->pending[k] = false;
			st->npending = 0;
		}
		return EVR_OK;
	}
	return EVR_OK;
}

static enum evres
ev_expect(struct runner *r, const struct event *ev, const struct window *w)
{
	struct expect_state st;
	size_t scan = 0, j;
	int64_t until = w->hi;
	enum evres e;
	int k;

	memset(&st, 0, sizeof(st));
	st.ev = ev;
	st.w = *w;
	for (j = 0; j < ev->ntmpl; j++) {
		st.pending[j] = true;
		st.best[j].rx = -1;
	}
	st.npending = ev->mode == EVM_SET ? ev->ntmpl : 1;
	if (!w->any) {	/* listen a little longer to tell late from never */
		until = w->hi + r->cfg->late_grace_us;
		if (until > r->deadline)
			until = w->hi > r->deadline ? w->hi : r->deadline;
	}
	for (;;) {
		for (; scan < r->nrx && st.npending > 0; scan++)
			if (!r->rx[scan].consumed &&
			    (e = expect_frame(r, &st, scan)) != EVR_OK)
				return e;
		if (st.npending == 0)
			break;
		if ((k = recv_one(r, until)) < 0)
			return error(r, "network device: %s", r->nd->err);
		if (k == 0)
			break;
	}
	if (st.npending == 0) {
		r->prev = st.last;
		return EVR_OK;
	}
	for (j = 0; j < ev->ntmpl && !st.pending[j]; j++)
		;
	return report_missing(r, ev, w, &r->c->tmpls[ev->tmpl[j]],
	    &st.best[j]);
}

static enum evres
ev_expect_none(struct runner *r, const struct event *ev,
    const struct window *w)
{
	const struct tmpl *t = &r->c->tmpls[ev->tmpl[0]];
	int64_t start = w->nominal, end = start + ev->dur_us;
	char name[100], d[32], s[32], at[32];
	struct match_res m;
	size_t i = 0;
	int k;

	tmpl_title(t, name, sizeof(name));
	for (;;) {
		for (; i < r->nrx; i++) {
			int64_t ts = r->rx[i].f->ts_us - r->t0;

			if (r->rx[i].consumed || ts < start || ts > end)
				continue;
			run_decode(r, r->rx[i].f->data,
			    r->rx[i].f->len);
			tmpl_match_frame(t, &r->vars, r->pkt,
			    r->rx[i].f->data, r->rx[i].f->len, &m);
			if (m.error)
				return error(r, "%s:%d: %s", r->c->file,
				    m.line, m.why);
			if (!m.matched && !m.invalid)
				continue;
			consume(r, i, t->name);
			timing_fmt(d, sizeof(d), ev->dur_us);
			timing_fmt(s, sizeof(s), start);
			timing_fmt(at, sizeof(at), ts);
			fail(r, ev, "%s:%d: expected no %s for %s s from %s s, "
			    "but one came at %s s", r->c->file, ev->line, name,
			    d, s, at);
			dump_actual(r, i);
			return EVR_FAIL;
		}
		if ((k = recv_one(r, end)) < 0)
			return error(r, "network device: %s", r->nd->err);
		if (k == 0)
			break;
	}
	r->prev = end;
	return EVR_OK;
}

static enum evres
run_event(struct runner *r, const struct event *ev)
{
	struct window w = timing_window(&ev->when, r->prev, r->deadline,
	    &r->cfg->tol);
	char a[32], b[32];

	if (!w.any && w.nominal > r->deadline) {
		timing_fmt(a, sizeof(a), w.nominal);
		timing_fmt(b, sizeof(b), r->deadline);
		return error(r, "%s:%d: the event is due at %s s, after the "
		    "case timeout of %s s", r->c->file, ev->line, a, b);
	}
	switch (ev->kind) {
	case EV_SEND:
		return ev_send(r, ev, &w);
	case EV_EXPECT:
		return ev_expect(r, ev, &w);
	case EV_EXPECT_NONE:
		return ev_expect_none(r, ev, &w);
	case EV_NUT:
		return ev_nut(r, ev, &w);
	case EV_ADVERTISE:
		return ev_advertise(r, ev, &w);
	case EV_SLEEP:
		if (wait_until(r, r->prev + ev->dur_us) != EVR_OK)
			return EVR_ERROR;
		r->prev += ev->dur_us;
		return EVR_OK;
	}
	return EVR_OK;
}

/* ------------------------------------------------------------ the case */

static bool
setup_vars(struct runner *r)
{
	char val[VAR_VALUE_MAX], e[300];
	size_t i;

	vars_init(&r->vars);
	nut_vars(r->nut, &r->vars);
	for (i = 0; i < r->c->nset; i++) {
		if (!vars_expand(&r->vars, r->c->sets[i].expr, val, sizeof(val),
		    e, sizeof(e))) {
			error(r, "%s:%d: set %s: %s", r->c->file,
			    r->c->sets[i].line, r->c->sets[i].name, e);
			return false;
		}
		vars_set(&r->vars, r->c->sets[i].name, val);
	}
	return true;
}

/* Does the decoded frame i match a `tolerate` template of the case? */
static bool
tolerated(struct runner *r, size_t i)
{
	struct match_res m;
	size_t k;

	for (k = 0; k < r->c->ntmpl; k++) {
		if (!r->c->tmpls[k].tolerated)
			continue;
		tmpl_match_frame(&r->c->tmpls[k], &r->vars, r->pkt,
		    r->rx[i].f->data, r->rx[i].f->len, &m);
		if (m.matched)
			return true;
	}
	return false;
}

/* Frames nobody expected: a significant one makes a PASS a WARN. */
static void
judge_unexpected(struct runner *r)
{
	char what[64], t[32], sh[600], line[800];
	struct sbuf sb;
	size_t i;
	bool first = true;

	for (i = 0; i < r->nrx; i++) {
		struct logent *e = &r->res->log[r->rx[i].log];

		if (r->rx[i].consumed)
			continue;
		run_decode(r, r->rx[i].f->data,
		    r->rx[i].f->len);
		if (!frame_significant(r->pkt, what, sizeof(what)) ||
		    tolerated(r, i))
			continue;
		e->significant = true;
		sbuf_init(&sb, sh, sizeof(sh));
		pkt_print_short(&sb, r->pkt);
		timing_fmt(t, sizeof(t), e->t_us);
		str_fmt(line, sizeof(line), "unexpected %s from the NUT on %s at "
		    "%s s: %s", what, e->link, t, sbuf_str(&sb));
		if (first && r->res->v == VERDICT_PASS)
			result_set(r->res, VERDICT_WARN, false, "%s: %s",
			    r->c->file, line);
		else if (r->res->v == VERDICT_WARN)
			result_detail(r->res, line);
		first = false;
	}
}

/*
 * mip6conf was told to stop (SIGINT, SIGTERM, SIGHUP): the case did not
 * finish, whatever its events had shown so far, so it is the tool's
 * ERROR, not the NUT's FAIL; the reason says where it stopped.
 */
static void
interrupted(struct runner *r, const struct event *ev)
{
	char t[32], where[200];

	timing_fmt(t, sizeof(t), now_rel(r));
	if (ev != NULL)
		snprintf(where, sizeof(where), " at the event of %s:%d",
		    r->c->file, ev->line);
	else
		where[0] = '\0';
	if (r->res->v != VERDICT_PASS && r->res->v != VERDICT_ERROR)
		result_detail(r->res, r->res->reason);	/* keep what it had */
	result_set(r->res, VERDICT_ERROR, true, "interrupted by %s at %s s%s; "
	    "the case did not finish", intr_name(), t, where);
}

static void
runner_free(struct runner *r)
{
	size_t i;

	for (i = 0; i < r->nrx; i++)
		free(r->rx[i].f);
	free(r->rx);
	vars_free(&r->vars);
	free(r->pkt);
	free(r->text);
}

void
run_case(const struct mcase *c, const struct nutdesc *nut, struct netdev *nd,
    struct nutctl *ctl, const struct run_cfg *cfg, struct case_result *res)
{
	struct runner r;
	char why[200];
	size_t i;
	enum evres e;

	utc_now(res->started, sizeof(res->started));
	if (nut_skip_reason(nut, c, why, sizeof(why)) != NULL) {
		result_set(res, VERDICT_SKIP, true, "%s", why);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.nut = nut;
	r.nd = nd;
	r.ctl = ctl;
	r.cfg = cfg;
	r.res = res;
	r.pkt = xmalloc(sizeof(*r.pkt));
	r.text = xmalloc(TEXT_MAX);
	r.t0 = netdev_now(nd);
	r.deadline = (int64_t)c->timeout_s * 1000000;
	if (setup_vars(&r)) {
		for (i = 0; i < c->nevent && intr_signal() == 0; i++) {
			if (r.failed && c->events[i].phase != PH_CLEANUP)
				continue;
			e = run_event(&r, &c->events[i]);
			if (e == EVR_ERROR)
				break;
			if (e == EVR_FAIL)
				r.failed = true;
		}
		if (intr_signal() != 0)
			interrupted(&r, i < c->nevent ? &c->events[i] : NULL);
		else if (res->v != VERDICT_ERROR &&
		    wait_until(&r, now_rel(&r)) == EVR_OK)
			judge_unexpected(&r);
	}
	res->duration_us = now_rel(&r);
	if (nd->npcaps > 0)
		for (i = 0; i < nd->npcaps; i++) {
			char **slot = xgrow(&res->pcaps, &res->npcaps,
			    sizeof(*slot));

			*slot = xstrdup(nd->pcaps[i]);
		}
	runner_free(&r);
}
