/*
 * stack/had/ha_engine_ctl.c - the engine's answers to control requests
 * (mip6ctl): the binding cache, counters, status and the HA list, each
 * one JSON object whose shape mip6ctl and the tests rely on.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "packets/mh.h"
#include "packets/sbuf.h"
#include "stack/had/ha_disc.h"
#include "stack/had/ha_engine_impl.h"

#define CTL_WORDS	4
#define CTL_WORD_MAX	64

/* "A H L K R": the letters of the accepted BU's flags. */
static void
flags_text(uint16_t flags, char *out, size_t cap)
{
	static const struct {
		uint16_t	bit;
		char		letter;
	} letters[] = {
		{ MH_BU_A, 'A' }, { MH_BU_H, 'H' }, { MH_BU_L, 'L' },
		{ MH_BU_K, 'K' }, { MH_BU_R, 'R' },
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++) {
		if ((flags & letters[i].bit) == 0 || n + 3 > cap)
			continue;
		if (n > 0)
			out[n++] = ' ';
		out[n++] = letters[i].letter;
	}
	out[n] = '\0';
}

static void
prefix_json(struct jw *jw, const struct had_prefix *p)
{
	char a[IN6_STRLEN], text[IN6_STRLEN + 5];

	snprintf(text, sizeof(text), "%s/%u", in6_fmt(&p->addr, a), p->plen);
	jw_str(jw, NULL, text);
}

static void
binding_json(struct jw *jw, const struct bce *b, uint64_t now)
{
	/* an entry in DAD shows the registration it waits to accept */
	const struct bu_req *r = b->pend != NULL ? &b->pend->r : NULL;
	const struct had_prefix *mnp = r != NULL ? r->mnp : b->mnp;
	size_t i, nmnp = r != NULL ? r->nmnp : b->nmnp;
	char flags[16];

	flags_text(r != NULL ? r->flags : b->bu_flags, flags, sizeof(flags));
	jw_obj_open(jw, NULL);
	jw_in6(jw, "hoa", &b->hoa);
	jw_in6(jw, "coa", r != NULL ? &r->coa : &b->coa);
	jw_uint(jw, "seq", r != NULL ? r->seq : b->seq);
	jw_uint(jw, "lifetime", 4u * (r != NULL ? r->granted : b->lifetime));
	jw_uint(jw, "remaining", r == NULL && b->expires_ms > now ?
	    (b->expires_ms - now) / 1000 : 0);
	jw_str(jw, "flags", flags);
	jw_str(jw, "state", bce_state_name(b->state));
	jw_bool(jw, "router", r != NULL ? r->router : b->router);
	jw_arr_open(jw, "mnp");
	for (i = 0; i < nmnp; i++)
		prefix_json(jw, &mnp[i]);
	jw_arr_close(jw);
	jw_uint(jw, "home_ifindex", b->home_ifindex);
	dsmip_binding_json(jw, b);
	jw_obj_close(jw);
}

static void
bindings_json(struct ha_engine *e, uint64_t now, struct jw *jw)
{
	size_t cur = 0;
	struct bce *b;

	jw_obj_open(jw, NULL);
	jw_arr_open(jw, "bindings");
	while ((b = bc_next(e->bc, &cur)) != NULL)
		binding_json(jw, b, now);
	jw_arr_close(jw);
	jw_obj_close(jw);
}

static void
counters_json(const struct ha_engine *e, struct jw *jw)
{
	const struct ha_counters *c = &e->cnt;
	char key[8];
	size_t i;

	jw_obj_open(jw, NULL);
	jw_obj_open(jw, "rx");
	jw_uint(jw, "BU", c->rx_bu);
	jw_uint(jw, "unknown_mh", c->rx_unknown_mh);
	jw_uint(jw, "hao_no_binding", c->rx_hao_no_binding);
	jw_uint(jw, "NS", c->rx_ns);
	jw_uint(jw, "NA", c->rx_na);
	jw_uint(jw, "RA", c->rx_ra);
	jw_uint(jw, "DHAAD", c->rx_dhaad);
	jw_uint(jw, "MPS", c->rx_mps);
	jw_uint(jw, "PTB", c->rx_ptb);
	jw_uint(jw, "hop_limit", c->rx_hlim);
	jw_obj_close(jw);
	jw_obj_open(jw, "tx");
	jw_uint(jw, "BA", c->tx_ba);
	jw_uint(jw, "BE", c->tx_be);
	jw_uint(jw, "BRR", c->tx_brr);
	jw_uint(jw, "NA", c->tx_na);
	jw_uint(jw, "NS", c->tx_ns);
	jw_uint(jw, "DHAAD", c->tx_dhaad);
	jw_uint(jw, "MPA", c->tx_mpa);
	jw_uint(jw, "param_prob", c->tx_param_prob);
	jw_uint(jw, "PTB", c->tx_ptb);
	jw_uint(jw, "time_exceeded", c->tx_time_exceeded);
	jw_obj_close(jw);
	/* only the statuses sent so far */
	jw_obj_open(jw, "ba_status");
	for (i = 0; i < 256; i++)
		if (c->ba_status[i] != 0) {
			snprintf(key, sizeof(key), "%zu", i);
			jw_uint(jw, key, c->ba_status[i]);
		}
	jw_obj_close(jw);
	jw_obj_open(jw, "be_status");
	jw_uint(jw, "1", c->be_status[1]);
	jw_uint(jw, "2", c->be_status[2]);
	jw_obj_close(jw);
	jw_obj_open(jw, "drops");
	jw_uint(jw, "malformed", c->drop_malformed);
	jw_uint(jw, "checksum", c->drop_checksum);
	jw_uint(jw, "rate_limited", c->drop_rate_limited);
	jw_uint(jw, "not_for_us", c->drop_not_for_us);
	jw_obj_close(jw);
	dsmip_counters_json(e, jw);
	espsa_json(jw, &e->esp);	/* RFC 3776: no keys */
	jw_obj_close(jw);
}

static void
status_json(const struct ha_engine *e, struct jw *jw)
{
	jw_obj_open(jw, NULL);
	jw_uint(jw, "bindings", bc_count(e->bc) - e->dad_pending);
	jw_uint(jw, "max_bindings", e->conf.max_bindings);
	jw_in6(jw, "ha_addr", &e->ha_addr);
	jw_str(jw, "auth", e->conf.auth == HAD_AUTH_RFC4285 ? "rfc4285" :
	    "none");
	jw_uint(jw, "dad_pending", e->dad_pending);
	jw_obj_close(jw);
}

static int
ctl_error(struct jw *jw, const char *fmt, const char *arg)
{
	char msg[160];

	snprintf(msg, sizeof(msg), fmt, arg);
	jw_obj_open(jw, NULL);
	jw_str(jw, "error", msg);
	jw_obj_close(jw);
	return -1;
}

/* Split a request into words; the count, or -1 when too long. */
static int
split_words(const char *req, char w[CTL_WORDS][CTL_WORD_MAX])
{
	int n = 0;
	size_t len;

	for (;;) {
		req += strspn(req, " \t\r\n");
		if (*req == '\0')
			return n;
		len = strcspn(req, " \t\r\n");
		if (n == CTL_WORDS || len >= CTL_WORD_MAX)
			return -1;
		memcpy(w[n], req, len);
		w[n++][len] = '\0';
		req += len;
	}
}

int
ha_ctl_request(struct ha_engine *e, const char *request, uint64_t now,
    struct jw *jw)
{
	char w[CTL_WORDS][CTL_WORD_MAX];
	struct in6_addr hoa;
	int n = split_words(request != NULL ? request : "", w);

	if (n < 1)
		return ctl_error(jw, "bad request%s", "");
	if (strcmp(w[0], "bindings") == 0 && n == 1) {
		bindings_json(e, now, jw);
		return 0;
	}
	if (strcmp(w[0], "bindings") == 0 && n == 3 &&
	    strcmp(w[1], "delete") == 0) {
		if (inet_pton(AF_INET6, w[2], &hoa) != 1)
			return ctl_error(jw, "bad address %s", w[2]);
		if (ha_engine_delete(e, &hoa) != 0)
			return ctl_error(jw, "no binding for %s", w[2]);
		jw_obj_open(jw, NULL);
		jw_str(jw, "deleted", w[2]);
		jw_obj_close(jw);
		return 0;
	}
	if (strcmp(w[0], "counters") == 0 && n == 1) {
		counters_json(e, jw);
		return 0;
	}
	if (strcmp(w[0], "status") == 0 && n == 1) {
		status_json(e, jw);
		return 0;
	}
	if (strcmp(w[0], "halist") == 0 && n == 1) {
		ha_disc_ctl_halist(e->disc, now, jw);
		return 0;
	}
	return ctl_error(jw, "unknown request '%s'", w[0]);
}
