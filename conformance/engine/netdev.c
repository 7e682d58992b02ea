/*
 * netdev.c - the network devices (see netdev.h): the scripted fake NUT on
 * virtual time, and the selection of a device from a NUT description.
 * The AF_PACKET device is netdev_afpacket.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "netdev.h"
#include "nut.h"
#include "packets/pkt.h"
#include "tmpl.h"
#include "util.h"
#include "vars.h"

void
netdev_close(struct netdev *nd)
{
	size_t i;

	if (nd == NULL)
		return;
	for (i = 0; i < nd->npcaps; i++)
		free(nd->pcaps[i]);
	free(nd->pcaps);
	nd->ops->close(nd);
}

/* ----------------------------------------------------------- fake NUT */

struct pending {
	int64_t		 at;
	char		 link[48];
	size_t		 len;
	uint8_t		*data;
};

struct fake {
	struct netdev		 nd;	/* first: the runner's view */
	struct mcase		*resp;	/* owned when loaded by netdev_open */
	bool			 own_resp;
	const struct nutdesc	*nut;
	struct vars		 vars;
	int64_t			 now;
	struct pending		*q;	/* sorted by time */
	size_t			 nq;
	size_t			 nsent;
	struct pkt		*pkt;	/* scratch */
};

static void
link_macs(const struct fake *f, const char *link, struct tmpl_link *tl)
{
	const struct nut_link *l = f->nut != NULL ? nut_link(f->nut, link) :
	    NULL;
	const char *s;
	unsigned b[6];
	int i;

	memset(tl, 0, sizeof(*tl));
	if (l == NULL)
		return;
	/* The NUT answers: from its own MAC to the tester's. */
	if ((s = nut_link_attr(l, false, "mac")) != NULL &&
	    sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
	    &b[5]) == 6)
		for (i = 0; i < 6; i++)
			tl->src_mac[i] = (uint8_t)b[i];
	if ((s = nut_link_attr(l, true, "mac")) != NULL &&
	    sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
	    &b[5]) == 6)
		for (i = 0; i < 6; i++)
			tl->dst_mac[i] = (uint8_t)b[i];
}

static int
fake_schedule(struct fake *f, const struct rule *r, const struct vars *vs,
    int64_t at)
{
	const struct tmpl *t = &f->resp->tmpls[r->reply];
	uint8_t buf[FRAME_MAX];
	struct tmpl_link tl;
	struct pending *p;
	char err[300];
	size_t len, i;

	link_macs(f, r->link, &tl);
	if (tmpl_encode(t, vs, &tl, f->pkt, buf, sizeof(buf), &len, err,
	    sizeof(err)) < 0) {
		str_fmt(f->nd.err, sizeof(f->nd.err), "%s:%d: responder "
		    "cannot build %s: %s", f->resp->file, r->line, t->name,
		    err);
		return -1;
	}
	tmpl_esp_sent(t, &f->vars);
	p = xgrow(&f->q, &f->nq, sizeof(*p));
	/* keep the queue sorted; equal times stay in rule order */
	for (i = f->nq - 1; i > 0 && f->q[i - 1].at > at; i--)
		f->q[i] = f->q[i - 1];
	p = &f->q[i];
	p->at = at;
	str_copy(p->link, r->link, sizeof(p->link));
	p->len = len;
	p->data = xmalloc(len);
	memcpy(p->data, buf, len);
	return 0;
}

static int
fake_send(struct netdev *nd, const char *link, const uint8_t *data,
    size_t len, int64_t *ts)
{
	struct fake *f = (struct fake *)nd;
	struct pkt_esp_keys keys;
	struct match_res m;
	struct vars vs;
	size_t i, k;
	int r = 0;

	*ts = f->now;
	f->nsent++;
	keys = nut_esp_keys(f->nut);
	pkt_decode_keys(f->pkt, PKT_LINK_ETHER, data, len, len, &keys);
	for (i = 0; i < f->resp->nrule; i++) {
		const struct rule *rl = &f->resp->rules[i];

		if (rl->at || strcmp(rl->link, link) != 0)
			continue;
		tmpl_match_frame(&f->resp->tmpls[rl->match], &f->vars, f->pkt,
		    data, len, &m);
		if (m.error) {
			str_fmt(nd->err, sizeof(nd->err), "%s:%d: responder: "
			    "%s", f->resp->file, rl->line, m.why);
			return -1;
		}
		if (!m.matched)
			continue;
		vars_init(&vs);
		vars_copy(&vs, &f->vars);
		for (k = 0; k < m.ncap; k++)
			vars_set(&vs, m.cap[k].name, m.cap[k].val);
		r = fake_schedule(f, rl, &vs, f->now + rl->delay_us);
		vars_free(&vs);
		break;	/* the first rule that matches answers */
	}
	return r;
}

static int
fake_recv(struct netdev *nd, int64_t deadline, struct frame *fr)
{
	struct fake *f = (struct fake *)nd;
	struct pending p;

	if (f->nq == 0 || f->q[0].at > deadline) {
		if (deadline > f->now)
			f->now = deadline;
		return 0;
	}
	p = f->q[0];
	memmove(f->q, f->q + 1, (f->nq - 1) * sizeof(*f->q));
	f->nq--;
	if (p.at > f->now)
		f->now = p.at;
	str_copy(fr->link, p.link, sizeof(fr->link));
	fr->ts_us = f->now;
	fr->len = p.len < sizeof(fr->data) ? p.len : sizeof(fr->data);
	memcpy(fr->data, p.data, fr->len);
	free(p.data);
	return 1;
}

static int64_t
fake_now(struct netdev *nd)
{
	return ((struct fake *)nd)->now;
}

static void
fake_close(struct netdev *nd)
{
	struct fake *f = (struct fake *)nd;
	size_t i;

	for (i = 0; i < f->nq; i++)
		free(f->q[i].data);
	free(f->q);
	vars_free(&f->vars);
	if (f->own_resp)
		case_free(f->resp);
	free(f->pkt);
	free(f);
}

static const struct netdev_ops fake_ops = {
	fake_send, fake_recv, fake_now, fake_close
};

size_t
netdev_fake_sent(const struct netdev *nd)
{
	return ((const struct fake *)nd)->nsent;
}

struct netdev *
netdev_fake_open(const struct mcase *resp, const struct nutdesc *nut,
    const struct vars *vs, char *err, size_t cap)
{
	struct fake *f = xcalloc(1, sizeof(*f));
	char val[VAR_VALUE_MAX], e[200];
	size_t i;

	f->nd.ops = &fake_ops;
	f->resp = (struct mcase *)resp;
	f->nut = nut;
	f->pkt = xmalloc(sizeof(*f->pkt));
	vars_init(&f->vars);
	if (vs != NULL)
		vars_copy(&f->vars, vs);
	for (i = 0; i < resp->nset; i++) {
		if (!vars_expand(&f->vars, resp->sets[i].expr, val,
		    sizeof(val), e, sizeof(e))) {
			snprintf(err, cap, "%s:%d: %s", resp->file,
			    resp->sets[i].line, e);
			fake_close(&f->nd);
			return NULL;
		}
		vars_set(&f->vars, resp->sets[i].name, val);
	}
	for (i = 0; i < resp->nrule; i++)
		if (resp->rules[i].at && fake_schedule(f, &resp->rules[i],
		    &f->vars, resp->rules[i].when_us) < 0) {
			str_fmt(err, cap, "%s", f->nd.err);
			fake_close(&f->nd);
			return NULL;
		}
	return &f->nd;
}

struct netdev *
netdev_open(const struct nutdesc *nut, const struct vars *vs, char *err,
    size_t cap)
{
	struct netdev *nd;
	struct mcase *resp;
	struct cerr e;

	if (nut->netdev == NUTDEV_AFPACKET) {
		snprintf(err, cap, "%s: netdev afpacket needs the tester's "
		    "interfaces of a topology run (mip6conf brings one up per "
		    "case and calls netdev_afpacket_open)", nut->path);
		return NULL;
	}
	cerr_init(&e);
	if ((resp = case_load(nut->netdev_arg, &e)) == NULL) {
		snprintf(err, cap, "%s", cerr_first(&e));
		return NULL;
	}
	if (!resp->responder) {
		snprintf(err, cap, "%s: not a responder file (it must start "
		    "with 'responder NAME')", nut->netdev_arg);
		case_free(resp);
		return NULL;
	}
	if ((nd = netdev_fake_open(resp, nut, vs, err, cap)) == NULL) {
		case_free(resp);
		return NULL;
	}
	((struct fake *)nd)->own_resp = true;
	return nd;
}
