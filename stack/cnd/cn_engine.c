/*
 * stack/cnd/cn_engine.c - the correspondent node's protocol engine (see
 * cn_engine.h): Mobility Header checks (RFC 6275 §9.2), the Return
 * Routability responder (§5.2, §9.4), Binding Update verification and
 * the binding cache (§9.5), Binding Acknowledgements (§9.5.4), Binding
 * Refresh Requests (§9.5.5), Binding Errors (§9.3.3), the binding cache
 * entry state machine.  Every packet goes through the packets/ library;
 * the RR crypto is packets/rr.c's.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/buf.h"
#include "packets/pkt.h"
#include "packets/ptb.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "stack/cnd/cn_engine_impl.h"
#include "stack/lib/m6addr.h"

#define IP6_HDR		40
#define RH2_LEN		24	/* RFC 6275 §6.4.1: Hdr Ext Len 2 */
#define IP6_MIN_MTU	1280
#define ICMP6_QUOTE_MAX	(IP6_MIN_MTU - IP6_HDR - 8)	/* RFC 4443 §2.4 */
#define LIFETIME_UNIT_MS 4000	/* BU/BA lifetime unit (RFC 6275 §6.1.7) */
#define LOG_PER_SEC	10	/* input complaints logged per second */
#define ICMP_PER_SEC	10
/* §9.5.5: a BRR when the binding is about to expire; we ask once, at
   BRR_PERCENT of the granted lifetime. */
#define BRR_PERCENT	90
#define MS		1000ull

/* ------------------------------------------------------ state machine */

enum cn_bce_event {
	EV_ACCEPT,	/* a verified BU with a lifetime (§9.5.2) */
	EV_BRR,		/* BRR_PERCENT of the lifetime passed (§9.5.5) */
	EV_DEREG,	/* lifetime 0 or CoA == HoA (§9.5.3) */
	EV_EXPIRE,	/* lifetime over (§9.5.2) */
	EV_DELETE,	/* operator reset, restore of a dead entry */
	CNB_NEVENTS
};

#define X	CNB_NSTATES	/* not allowed */

static const uint8_t cnb_next[CNB_NSTATES][CNB_NEVENTS] = {
	[CNB_FREE] = {
		[EV_ACCEPT] = CNB_BOUND, [EV_BRR] = X, [EV_DEREG] = CNB_FREE,
		[EV_EXPIRE] = X, [EV_DELETE] = CNB_FREE,
	},
	[CNB_BOUND] = {
		[EV_ACCEPT] = CNB_BOUND, [EV_BRR] = CNB_REFRESHING,
		[EV_DEREG] = CNB_FREE, [EV_EXPIRE] = CNB_FREE,
		[EV_DELETE] = CNB_FREE,
	},
	[CNB_REFRESHING] = {
		[EV_ACCEPT] = CNB_BOUND, [EV_BRR] = X,
		[EV_DEREG] = CNB_FREE, [EV_EXPIRE] = CNB_FREE,
		[EV_DELETE] = CNB_FREE,
	},
};

#undef X

static const char *const cnb_state_names[CNB_NSTATES] = {
	[CNB_FREE] = "free",
	[CNB_BOUND] = "bound",
	[CNB_REFRESHING] = "refreshing",
};

static const char *const cnb_event_names[CNB_NEVENTS] = {
	[EV_ACCEPT] = "accept", [EV_BRR] = "brr", [EV_DEREG] = "dereg",
	[EV_EXPIRE] = "expire", [EV_DELETE] = "delete",
};

const char *
cn_bce_state_name(unsigned state)
{
	return state < CNB_NSTATES ? cnb_state_names[state] : "?";
}

/* ------------------------------------------------------------ helpers */

static bool
addr_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Unicast, not ::, ::1 or link-local: an address a binding may use
   (RFC 6275 §9.5.1 "unicast routable"). */
static bool
addr_routable(const struct in6_addr *a)
{
	static const struct in6_addr any, lo = { .s6_addr = { [15] = 1 } };

	return !addr_eq(a, &any) && !addr_eq(a, &lo) && a->s6_addr[0] != 0xff &&
	    !(a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80);
}

static void elog(struct cn_engine *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
elog(struct cn_engine *e, int prio, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (e->ops.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	e->ops.log(e->ops.ctx, prio, msg);
}

/* A dropped input: counted by the caller, logged at most LOG_PER_SEC. */
static void
input_log(struct cn_engine *e, const char *what, const struct in6_addr *src)
{
	char a[IN6_STRLEN];

	if (ratelim_take(&e->rl_log, e->now))
		elog(e, LOG_NOTICE, "dropped %s from %s", what,
		    src != NULL ? in6_fmt(src, a) : "?");
}

/* ----------------------------------------------------- binding cache */

static size_t
bc_slot(const struct cn_engine *e, const struct in6_addr *hoa)
{
	uint64_t h = 0xcbf29ce484222325ull ^ e->hash_seed;	/* FNV-1a */
	size_t i;

	for (i = 0; i < sizeof(hoa->s6_addr); i++)
		h = (h ^ hoa->s6_addr[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29)) & (e->nbucket - 1);
}

static struct cn_bce *
bc_find(const struct cn_engine *e, const struct in6_addr *hoa)
{
	struct cn_bce *b;

	for (b = e->bucket[bc_slot(e, hoa)]; b != NULL; b = b->next)
		if (addr_eq(&b->hoa, hoa))
			return b;
	return NULL;
}

static struct cn_bce *
bc_add(struct cn_engine *e, const struct in6_addr *hoa)
{
	struct cn_bce *b = calloc(1, sizeof(*b));
	size_t s;

	if (b == NULL)
		return NULL;
	b->hoa = *hoa;
	s = bc_slot(e, hoa);
	b->next = e->bucket[s];
	e->bucket[s] = b;
	e->count++;
	return b;
}

static void
bc_del(struct cn_engine *e, struct cn_bce *b)
{
	struct cn_bce **pp = &e->bucket[bc_slot(e, &b->hoa)];

	for (; *pp != NULL; pp = &(*pp)->next)
		if (*pp == b) {
			*pp = b->next;
			e->count--;
			free(b);
			return;
		}
}

/* Iteration: *bucket = 0 and prev = NULL to start; NULL at the end. */
struct cn_bce *
cn_bc_next(const struct cn_engine *e, size_t *bucket, struct cn_bce *prev)
{
	if (prev != NULL && prev->next != NULL)
		return prev->next;
	if (prev != NULL)
		(*bucket)++;
	for (; *bucket < e->nbucket; (*bucket)++)
		if (e->bucket[*bucket] != NULL)
			return e->bucket[*bucket];
	return NULL;
}

static uint64_t
bce_deadline(const struct cn_bce *b)
{
	if (b->state == CNB_BOUND && b->brr_ms != 0 && b->brr_ms < b->expires_ms)
		return b->brr_ms;
	return b->expires_ms;
}

/* ------------------------------------------------------------ sending */

static struct pkt *
tx_start(struct cn_engine *e, const struct in6_addr *src,
    const struct in6_addr *dst)
{
	pkt_start_ipv6(&e->tx, src, dst, 64);
	return &e->tx;
}

/* Encode e->tx into e->txbuf; the length, or 0 when it does not fit. */
static size_t
tx_encode(struct cn_engine *e)
{
	size_t len;

	if (pkt_encode(&e->tx, e->txbuf, sizeof(e->txbuf), &len) != 0) {
		elog(e, LOG_ERR, "cannot encode an outgoing packet");
		return 0;
	}
	return len;
}

static bool
tx_send(struct cn_engine *e)
{
	size_t len = tx_encode(e);

	if (len == 0)
		return false;
	e->ops.send(e->ops.ctx, e->txbuf, len);
	return true;
}

/* ---------------------------------------------------------------- bus */

static void
bus_bc(struct cn_engine *e, uint8_t type, const struct cn_bce *b)
{
	struct msock_msg m;

	if (e->ops.bus == NULL)
		return;
	msock_init(&m, type);
	msock_set_in6(&m, MSA_HOA, &b->hoa);
	msock_set_in6(&m, MSA_COA, &b->coa);
	msock_set_in6(&m, MSA_PEER, &b->cn);
	msock_set_u32(&m, MSA_LIFETIME, type == MSOCK_BC_ADD ?
	    (uint32_t)b->lifetime * 4 : 0);
	msock_set_u32(&m, MSA_FLAGS, b->bu_flags);
	e->ops.bus(e->ops.ctx, &m);
}

static void
bus_be_hint(struct cn_engine *e, const struct in6_addr *hoa,
    const struct in6_addr *peer, const struct in6_addr *coa)
{
	struct msock_msg m;

	if (e->ops.bus == NULL)
		return;
	msock_init(&m, MSOCK_BE_HINT);
	msock_set_in6(&m, MSA_HOA, hoa);
	msock_set_in6(&m, MSA_PEER, peer);
	msock_set_in6(&m, MSA_COA, coa);
	msock_set_u32(&m, MSA_STATUS, BE_UNKNOWN_HAO);
	e->ops.bus(e->ops.ctx, &m);
}

/* -------------------------------------------------- entry life cycle */

static int
bce_publish(struct cn_engine *e, const struct cn_bce *b)
{
	struct m6_cn_bind r;

	memset(&r, 0, sizeof(r));
	m6_from_in6(&r.coa, &b->coa);
	r.flags = M6B_ACTIVE;
	r.registered_ms = b->registered_ms;
	r.expires_ms = b->expires_ms;
	r.seq = b->seq;
	r.lifetime = b->lifetime;
	r.state = b->state;
	m6_from_in6(&r.cn, &b->cn);
	return e->ops.bind_set(e->ops.ctx, &b->hoa, &r);
}

/*
 * The one place an entry changes state.  Entering BOUND (again) installs
 * the forwarding entry and tells the bus; entering FREE removes both and
 * frees the entry.  -1 when the kernel refused the entry (it is gone).
 */
static int
bce_transition(struct cn_engine *e, struct cn_bce *b, enum cn_bce_event ev)
{
	unsigned from = b->state, to = cnb_next[from][ev];
	char a[IN6_STRLEN];

	if (to >= CNB_NSTATES) {
		elog(e, LOG_ERR, "binding %s: event %s in state %s ignored",
		    in6_fmt(&b->hoa, a), cnb_event_names[ev],
		    cnb_state_names[from]);
		return 0;
	}
	b->state = (uint8_t)to;
	if (to == CNB_FREE) {
		if (from != CNB_FREE) {
			e->ops.bind_del(e->ops.ctx, &b->hoa);
			bus_bc(e, MSOCK_BC_REMOVE, b);
		}
		bc_del(e, b);
		return 0;
	}
	if (ev == EV_ACCEPT) {
		if (bce_publish(e, b) != 0) {
			e->cnt.drop_bind_failed++;
			b->state = CNB_FREE;
			if (from != CNB_FREE)
				e->ops.bind_del(e->ops.ctx, &b->hoa);
			bc_del(e, b);
			return -1;
		}
		bus_bc(e, MSOCK_BC_ADD, b);
	} else if (bce_publish(e, b) != 0)	/* the durable state moved */
		e->cnt.drop_bind_failed++;
	return 0;
}

static void
send_brr(struct cn_engine *e, const struct cn_bce *b)
{
	/*
	 * RFC 6275 §6.1: no Mobility Header but the BA carries a Type 2
	 * Routing header, so the BRR goes to the home address (the home
	 * agent tunnels it), like the HoT.  The decoder rates a BRR with
	 * one a warning (packets/viol.c, V_RH2_ON_BRR): we never send it.
	 */
	tx_start(e, &b->cn, &b->hoa);
	if (pkt_push_mh(&e->tx, MH_BRR) != NULL && tx_send(e))
		e->cnt.tx_brr++;
}

/* The one timeout handler: what a deadline means in each state. */
static void
bce_timeout(struct cn_engine *e, struct cn_bce *b)
{
	char a[IN6_STRLEN];

	if (e->now >= b->expires_ms) {
		/* §9.5.2: the entry goes at the end of its lifetime */
		elog(e, LOG_INFO, "binding for %s expired",
		    in6_fmt(&b->hoa, a));
		e->cnt.expired++;
		if (b->state == CNB_REFRESHING)
			e->cnt.brr_sent_no_reply++;
		bce_transition(e, b, EV_EXPIRE);
		return;
	}
	if (b->state == CNB_BOUND && b->brr_ms != 0 && e->now >= b->brr_ms) {
		if (addr_routable(&b->cn))
			send_brr(e, b);
		bce_transition(e, b, EV_BRR);
	}
}

/* ---------------------------------------------------------- nonces */

/* RFC 6275 §5.2.7: the Kcn a nonce's tokens are made with. */
static const uint8_t *
kcn_of(const struct cn_engine *e, const struct rr_nonce *n)
{
	return e->have_prev_kcn && n->created < e->kcn_since ? e->prev_kcn :
	    e->rr.kcn;
}

int
cn_engine_rotate_kcn(struct cn_engine *e, uint64_t now_ms)
{
	uint8_t fresh[RR_KCN_LEN];
	size_t i;

	if (rr_random(fresh, sizeof(fresh)) < 0)
		return -1;
	/* Nonces older than the previous key would need the key before
	   it, which goes now: forget them (BA 136-138 if used). */
	for (i = 0; i < RR_NONCE_SLOTS; i++)
		if (e->have_prev_kcn && e->rr.slots[i].created < e->kcn_since)
			e->rr.slots[i].valid = false;
	memcpy(e->prev_kcn, e->rr.kcn, RR_KCN_LEN);
	memcpy(e->rr.kcn, fresh, RR_KCN_LEN);
	e->have_prev_kcn = true;
	e->kcn_since = now_ms;
	e->cnt.kcn_rotations++;
	return 0;
}

/* ------------------------------------------------------- ICMP, BE */

/* RFC 6275 §9.3.3, §6.1.9: a Binding Error, rate-limited. */
static void
send_be(struct cn_engine *e, const struct hdr_ipv6 *ip, uint8_t status,
    const struct in6_addr *hoa)
{
	static const struct in6_addr none;
	struct mh_msg *m;

	if (!addr_routable(&ip->src) || ip->dst.s6_addr[0] == 0xff)
		return;
	if (!ratelim_take(&e->rl_be, e->now)) {
		e->cnt.drop_rate_limited++;
		return;
	}
	tx_start(e, &ip->dst, &ip->src);
	if ((m = pkt_push_mh(&e->tx, MH_BE)) == NULL)
		return;
	m->u.be.status = status;
	m->u.be.hoa = hoa != NULL ? *hoa : none;
	if (!tx_send(e))
		return;
	e->cnt.tx_be++;
	e->cnt.be_status[status]++;
}

/* RFC 6275 §9.2: ICMPv6 Parameter Problem, code 0, at `pointer`. */
static void
send_param_prob(struct cn_engine *e, const struct hdr_ipv6 *ip,
    uint32_t pointer, const uint8_t *quote, size_t qlen)
{
	struct icmp6_msg *m;

	if (!addr_routable(&ip->src) || ip->dst.s6_addr[0] == 0xff)
		return;
	if (!ratelim_take(&e->rl_icmp, e->now)) {
		e->cnt.drop_rate_limited++;
		return;
	}
	tx_start(e, &ip->dst, &ip->src);
	if ((m = pkt_push_icmp6(&e->tx, ICMP6_T_PARAM_PROB, 0)) == NULL)
		return;
	m->u.pointer = pointer;
	m->body_len = (uint16_t)(qlen < ICMP6_QUOTE_MAX ? qlen :
	    ICMP6_QUOTE_MAX);
	memcpy(m->body, quote, m->body_len);
	if (tx_send(e))
		e->cnt.tx_param_prob++;
}

/* ----------------------------------------------------- HoTI, CoTI */

/*
 * RFC 6275 §9.4.1-§9.4.4: a HoT (CoT) to the source of the HoTI (CoTI),
 * from the address it was sent to, with its cookie, the current nonce's
 * index and the keygen token over the source address.
 */
static void
answer_init(struct cn_engine *e, const struct hdr_ipv6 *ip, bool home)
{
	const struct rr_nonce *n = rr_cn_current(&e->rr, e->now);
	struct mh_msg *m;
	int rc;

	if (n == NULL) {
		elog(e, LOG_ERR, "no nonce: random numbers failed");
		return;
	}
	tx_start(e, &ip->dst, &ip->src);
	if ((m = pkt_push_mh(&e->tx, home ? MH_HOT : MH_COT)) == NULL)
		return;
	m->u.test.nonce_index = n->index;
	memcpy(m->u.test.cookie, e->rx.mh.u.init.cookie, RR_TOKEN_LEN);
	rc = home ? rr_home_token(kcn_of(e, n), &ip->src, n->nonce,
	    m->u.test.token) : rr_careof_token(kcn_of(e, n), &ip->src,
	    n->nonce, m->u.test.token);
	if (rc != 0 || !tx_send(e))
		return;
	if (home)
		e->cnt.tx_hot++;
	else
		e->cnt.tx_cot++;
}

static void
input_init(struct cn_engine *e, const struct hdr_ipv6 *ip, bool home)
{
	if (home)
		e->cnt.rx_hoti++;
	else
		e->cnt.rx_coti++;
	if (!addr_routable(&ip->src) || ip->dst.s6_addr[0] == 0xff) {
		e->cnt.drop_bad_addr++;
		input_log(e, "test init from a bad address", &ip->src);
		return;
	}
	answer_init(e, ip, home);
}

/* ------------------------------------------------------ registration */

/* One Binding Update as the checks and the BA need it. */
struct cn_bu {
	struct in6_addr	src;		/* IPv6 source: where the BA goes */
	struct in6_addr	cn;		/* our address it was sent to */
	struct in6_addr	hoa, coa;
	uint16_t	seq, flags, lifetime;
	bool		has_ni, has_bad, dereg;
	uint16_t	home_index, careof_index;
	const uint8_t	*mh;		/* the MH as received */
	size_t		mh_len;
	bool		have_kbm;	/* verified: sign the BA */
	uint8_t		kbm[RR_KBM_LEN];
};

/*
 * RFC 6275 §9.5.4: the BA goes to the BU's source from the address the
 * BU was sent to, with a Type 2 Routing header holding the home address
 * unless that source is the home address, and a Binding Authorization
 * Data option computed with Kbm when the BU was verified with it
 * (§6.1.8, §5.2.6: authenticator over CoA | CN | BA).  The MH checksum
 * pseudo-header has the home address as destination (§6.1.1, RH2).
 */
static void
send_ba(struct cn_engine *e, const struct cn_bu *r, uint8_t status,
    uint16_t seq, uint16_t lifetime)
{
	bool rh2 = !addr_eq(&r->src, &r->hoa);
	struct mh_opt *o;
	struct mh_msg *m;
	size_t len, off = IP6_HDR + (rh2 ? RH2_LEN : 0);

	tx_start(e, &r->cn, &r->src);
	if (rh2 && pkt_push_rh2(&e->tx, &r->hoa) == NULL)
		return;
	if ((m = pkt_push_mh(&e->tx, MH_BA)) == NULL)
		return;
	m->u.ba.status = status;
	m->u.ba.seq = seq;
	m->u.ba.lifetime = lifetime;
	if (r->have_kbm) {
		if ((o = mh_add_opt(m, MHOPT_BAD)) == NULL)
			return;
		o->var_len = RR_AUTH_LEN;
	}
	if ((len = tx_encode(e)) == 0 || len <= off)
		return;
	if (r->have_kbm && rr_sign_mh(e->txbuf + off, len - off, r->kbm,
	    &r->coa, &r->cn, &r->cn, &r->hoa) != 0) {
		elog(e, LOG_ERR, "cannot sign a Binding Acknowledgement");
		return;
	}
	e->ops.send(e->ops.ctx, e->txbuf, len);
	e->cnt.tx_ba++;
	e->cnt.ba_status[status]++;
}

static void
reject(struct cn_engine *e, const struct cn_bu *r, uint8_t status,
    uint16_t seq)
{
	char a[IN6_STRLEN];

	if (ratelim_take(&e->rl_log, e->now))
		elog(e, LOG_INFO, "binding update for %s rejected: %u %s",
		    in6_fmt(&r->hoa, a), status, mh_ba_status_name(status));
	send_ba(e, r, status, seq, 0);
}

/*
 * RFC 6275 §9.5.1: greater than the last accepted number modulo 2^16;
 * a number in the last one and the 32768 before it is not.
 */
static bool
seq_newer(uint16_t seq, uint16_t last)
{
	uint16_t d = (uint16_t)(seq - last);

	return d != 0 && d < 0x8000;
}

/* The fields of a decoded BU; false when its addresses are unusable. */
static bool
parse_bu(struct cn_engine *e, const struct hdr_ipv6 *ip, const uint8_t *data,
    struct cn_bu *r)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct in6_addr *hao = pkt_hao(&e->rx);
	const struct hdr *h = pkt_find_last(&e->rx, HDR_MH);
	size_t i;

	memset(r, 0, sizeof(*r));
	r->src = ip->src;
	r->cn = ip->dst;
	r->hoa = hao != NULL ? *hao : ip->src;
	r->coa = ip->src;
	r->seq = m->u.bu.seq;
	r->flags = m->u.bu.flags;
	r->lifetime = m->u.bu.lifetime;
	for (i = 0; i < m->nopts && i < MH_OPT_MAX; i++) {
		const struct mh_opt *o = &m->opts[i];

		if (o->type == MHOPT_ACOA)
			r->coa = o->u.acoa;
		else if (o->type == MHOPT_NI) {
			r->has_ni = true;
			r->home_index = o->u.ni.home;
			r->careof_index = o->u.ni.careof;
		} else if (o->type == MHOPT_BAD)
			r->has_bad = true;
	}
	/* §9.5.3: a request to delete the binding */
	r->dereg = r->lifetime == 0 || addr_eq(&r->coa, &r->hoa);
	if (h == NULL)
		return false;
	r->mh = data + h->off;
	r->mh_len = h->len;
	/* §9.5.1: the home address and the care-of address must be
	   unicast routable */
	return addr_routable(&r->hoa) && addr_routable(&r->coa) &&
	    r->cn.s6_addr[0] != 0xff;
}

/*
 * RFC 6275 §9.5.1, §5.2.5, §5.2.6: the nonces the indices name, the
 * keygen tokens over the home and care-of addresses, Kbm, and the
 * authenticator.  Returns 0 when verified, a BA status (136-138) when a
 * nonce index is no longer known, -1 when the BU must be dropped.
 * A request to delete a binding needs the home keygen token only.
 */
static int
verify_bu(struct cn_engine *e, struct cn_bu *r)
{
	const struct rr_nonce *hn, *cn = NULL;
	uint8_t home[RR_TOKEN_LEN], careof[RR_TOKEN_LEN];
	int ok;

	hn = rr_cn_lookup(&e->rr, r->home_index, e->now);
	if (!r->dereg)
		cn = rr_cn_lookup(&e->rr, r->careof_index, e->now);
	if (hn == NULL && !r->dereg && cn == NULL)
		return BA_EXPIRED_NONCES;
	if (hn == NULL)
		return BA_EXPIRED_HOME_NONCE;
	if (!r->dereg && cn == NULL)
		return BA_EXPIRED_COA_NONCE;
	if (rr_home_token(kcn_of(e, hn), &r->hoa, hn->nonce, home) != 0 ||
	    (cn != NULL && rr_careof_token(kcn_of(e, cn), &r->coa, cn->nonce,
	    careof) != 0) ||
	    rr_kbm(home, cn != NULL ? careof : NULL, r->kbm) != 0)
		return -1;
	ok = rr_verify_mh(r->mh, r->mh_len, r->kbm, &r->coa, &r->cn);
	if (ok != 1)
		return -1;
	r->have_kbm = true;
	return 0;
}

/* §9.5.2: lifetime at most MAX_RR_BINDING_LIFETIME (and ours). */
static uint16_t
grant_lifetime(const struct cn_engine *e, uint16_t asked)
{
	uint32_t max_u = e->conf.max_lifetime / 4;

	return (uint16_t)(asked < max_u ? asked : max_u);
}

static void
accept_bu(struct cn_engine *e, const struct cn_bu *r, struct cn_bce *b)
{
	uint16_t granted = grant_lifetime(e, r->lifetime);
	uint64_t life_ms = (uint64_t)granted * LIFETIME_UNIT_MS;

	if (b == NULL) {
		if (e->count >= e->conf.max_bindings ||
		    (b = bc_add(e, &r->hoa)) == NULL) {
			reject(e, r, BA_NO_RESOURCES, r->seq);
			return;
		}
		b->registered_ms = e->now;
	}
	b->coa = r->coa;
	b->cn = r->cn;
	b->seq = r->seq;
	b->bu_flags = r->flags;
	b->lifetime = granted;
	b->expires_ms = e->now + life_ms;
	b->brr_ms = e->now + life_ms * BRR_PERCENT / 100;
	if (bce_transition(e, b, EV_ACCEPT) != 0) {
		reject(e, r, BA_NO_RESOURCES, r->seq);
		return;
	}
	/* §9.5.4: a BA when asked for */
	if (r->flags & MH_BU_A)
		send_ba(e, r, BA_ACCEPTED, r->seq, granted);
}

/* §9.5.3: delete the entry; a BA (lifetime 0) when asked for. */
static void
deregister(struct cn_engine *e, const struct cn_bu *r, struct cn_bce *b)
{
	if (b != NULL)
		bce_transition(e, b, EV_DEREG);
	if (r->flags & MH_BU_A)
		send_ba(e, r, BA_ACCEPTED, r->seq, 0);
}

/* RFC 6275 §9.5.1 in its order, then §9.5.2 / §9.5.3. */
static void
process_bu(struct cn_engine *e, struct cn_bu *r)
{
	struct cn_bce *b = bc_find(e, &r->hoa);
	int st;

	/* §10.3.1 (via §9.5.1): we are no home agent */
	if (r->flags & MH_BU_H) {
		if (r->has_ni) {
			/* §9.5.1: "MUST NOT be present" with H: invalid */
			e->cnt.drop_home_reg_ni++;
			input_log(e, "home registration with Nonce Indices",
			    &r->src);
			return;
		}
		reject(e, r, BA_HOME_REG_UNSUPPORTED, r->seq);
		return;
	}
	/* §9.5.1: Nonce Indices and Binding Authorization Data (last,
	   checked by the decoder and rr_verify_mh) are required */
	if (!r->has_ni) {
		e->cnt.drop_no_nonce_indices++;
		input_log(e, "Binding Update without Nonce Indices", &r->src);
		return;
	}
	if (!r->has_bad) {
		e->cnt.drop_no_bad++;
		input_log(e, "Binding Update without Binding Authorization "
		    "Data", &r->src);
		return;
	}
	/* §9.5.1: unknown nonce indices: BA 136, 137 or 138 (always
	   sent, §9.5.4); a wrong authenticator: silently dropped */
	if ((st = verify_bu(e, r)) > 0) {
		reject(e, r, (uint8_t)st, r->seq);
		return;
	}
	if (st < 0) {
		e->cnt.drop_auth_failed++;
		input_log(e, "Binding Update with a wrong authenticator",
		    &r->src);
		return;
	}
	/* §9.5.1: 135 carries the last accepted sequence number */
	if (b != NULL && !seq_newer(r->seq, b->seq)) {
		reject(e, r, BA_SEQ_OUT_OF_WINDOW, b->seq);
		return;
	}
	if (r->dereg)
		deregister(e, r, b);
	else
		accept_bu(e, r, b);
}

/* ------------------------------------------------------------- input */

/*
 * RFC 6275 §9.3.1 as the eBPF program applies it: a Home Address option
 * with no binding for (HoA, source) is dropped and answered with a BE
 * status 1 (§9.3.3); the bus hears about it too.
 */
static void
hao_unbound(struct cn_engine *e, const struct hdr_ipv6 *ip,
    const struct in6_addr *hao)
{
	e->cnt.rx_hao_no_binding++;
	send_be(e, ip, BE_UNKNOWN_HAO, hao);
	bus_be_hint(e, hao, &ip->dst, &ip->src);
}

/* A bound (HoA, CoA): the eBPF program should have swapped it. */
static bool
hao_bound(const struct cn_engine *e, const struct in6_addr *hao,
    const struct in6_addr *src)
{
	const struct cn_bce *b = bc_find(e, hao);

	return b != NULL && addr_eq(&b->coa, src);
}

static void
input_mh(struct cn_engine *e, const uint8_t *data, size_t len,
    const struct hdr_ipv6 *ip, bool decoded)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct in6_addr *hao = pkt_hao(&e->rx);
	const struct hdr *h = pkt_find_last(&e->rx, HDR_MH);
	struct cn_bu r;

	/* §9.2: a bad checksum is dropped silently */
	if (viol_has(&e->rx.viol, V_MH_CHECKSUM)) {
		e->cnt.drop_checksum++;
		return;
	}
	/* §9.2: Parameter Problem code 0 at Payload Proto (offset 0) or
	   Header Len (offset 1) */
	if (h != NULL && (viol_has(&e->rx.viol, V_MH_PAYLOAD_PROTO) ||
	    viol_has(&e->rx.viol, V_MH_HDRLEN_SHORT))) {
		e->cnt.drop_malformed++;
		send_param_prob(e, ip, (uint32_t)h->off +
		    (viol_has(&e->rx.viol, V_MH_PAYLOAD_PROTO) ? 0 : 1),
		    data, len);
		return;
	}
	/* §9.4.1, §9.4.2: a HoTI or CoTI with a Home Address option is
	   silently ignored */
	if (hao != NULL && (m->type == MH_HOTI || m->type == MH_COTI)) {
		e->cnt.drop_init_with_hao++;
		input_log(e, "test init with a Home Address option", &ip->src);
		return;
	}
	/* §9.3.1: a HAO (which only a BU may carry, §6.1) without a
	   binding: BE status 1 */
	if (hao != NULL && m->type != MH_BU && !hao_bound(e, hao, &ip->src)) {
		hao_unbound(e, ip, hao);
		return;
	}
	if (!decoded || viol_has(&e->rx.viol, V_MH_BAD_NOT_LAST) ||
	    viol_count_severity(&e->rx.viol, VS_ERROR) > 0) {
		e->cnt.drop_malformed++;
		input_log(e, "malformed Mobility Header", &ip->src);
		return;
	}
	switch (m->type) {
	case MH_HOTI:
	case MH_COTI:
		input_init(e, ip, m->type == MH_HOTI);
		break;
	case MH_BU:
		e->cnt.rx_bu++;
		if (!parse_bu(e, ip, data, &r)) {
			e->cnt.drop_bad_addr++;
			input_log(e, "Binding Update with a bad address",
			    &ip->src);
			return;
		}
		process_bu(e, &r);
		break;
	case MH_BRR:
	case MH_HOT:
	case MH_COT:
	case MH_BA:
	case MH_BE:
		/* messages for mobile nodes and home agents */
		e->cnt.drop_not_for_us++;
		break;
	default:
		/* §9.2: BE status 2 with the HoA if there was one */
		e->cnt.rx_unknown_mh++;
		send_be(e, ip, BE_UNKNOWN_MH_TYPE, hao);
		break;
	}
}

/*
 * The plane dropped our packet to a home address as too big once given
 * its RH2 (M6S_PTB): a Packet Too Big to the packet's source, from it
 * (RFC 4443 §3.2).  A correspondent is a host: what leaves it is its
 * own, so the PTB is delivered locally and the kernel lowers the path
 * MTU to the home address.
 */
static void
input_ptb(struct cn_engine *e, const struct m6_sig *sig,
    const uint8_t *data)
{
	struct in6_addr src, dst;

	e->cnt.rx_ptb++;
	if (ptb_quoted_addrs(data, sig->caplen, &src, &dst) < 0) {
		e->cnt.drop_malformed++;
		input_log(e, "too-big packet that is not IPv6", NULL);
		return;
	}
	if (!ratelim_take(&e->rl_icmp, e->now)) {	/* RFC 4443 §2.4 (f) */
		e->cnt.drop_rate_limited++;
		return;
	}
	if (ptb_build(&e->tx, &src, sig->mtu, data, sig->caplen) == 0 &&
	    tx_send(e))
		e->cnt.tx_ptb++;
}

void
cn_engine_input(struct cn_engine *e, const struct m6_sig *sig,
    const uint8_t *data, uint64_t now_ms)
{
	const struct hdr_ipv6 *ip;
	const struct in6_addr *hao;
	bool decoded;

	e->now = now_ms;
	if (sig == NULL || data == NULL)
		return;
	if (sig->reason == M6S_PTB) {
		input_ptb(e, sig, data);
		return;
	}
	/*
	 * A Mobility Header shorter than its type's fixed part does not
	 * decode, yet §9.2 answers its Header Len with a Parameter Problem:
	 * it goes on to input_mh, which drops it after that check.
	 */
	decoded = pkt_decode(&e->rx, PKT_LINK_IPV6, data, sig->caplen) == 0;
	if ((ip = pkt_inner_ip6(&e->rx)) == NULL ||
	    (!decoded && !e->rx.has_mh)) {
		e->cnt.drop_malformed++;
		input_log(e, "truncated packet", NULL);
		return;
	}
	hao = pkt_hao(&e->rx);
	if (sig->reason == M6S_BE_HINT) {
		e->cnt.rx_be_hint++;
		if (hao != NULL && !hao_bound(e, hao, &ip->src))
			hao_unbound(e, ip, hao);
		else
			e->cnt.drop_not_for_us++;
		return;
	}
	if (e->rx.has_mh)
		input_mh(e, data, sig->caplen, ip, decoded);
	else if (hao != NULL && !hao_bound(e, hao, &ip->src))
		hao_unbound(e, ip, hao);
	else
		e->cnt.drop_not_for_us++;
}

/* ------------------------------------------------------------ timers */

static uint64_t
kcn_deadline(const struct cn_engine *e)
{
	return e->kcn_since + (uint64_t)e->conf.kcn_lifetime * MS;
}

uint64_t
cn_engine_next_timeout(const struct cn_engine *e)
{
	uint64_t t = kcn_deadline(e), d;
	struct cn_bce *b = NULL;
	size_t k = 0;

	/* A linear walk: max-bindings is small for a correspondent, and
	   this runs once per input batch. */
	while ((b = cn_bc_next(e, &k, b)) != NULL)
		if ((d = bce_deadline(b)) < t)
			t = d;
	return t;
}

void
cn_engine_timeout(struct cn_engine *e, uint64_t now_ms)
{
	struct cn_bce *b, *next;
	size_t k;

	e->now = now_ms;
	if (now_ms >= kcn_deadline(e) && cn_engine_rotate_kcn(e, now_ms) != 0)
		elog(e, LOG_ERR, "Kcn rotation failed: random numbers");
	for (k = 0; k < e->nbucket; k++)
		for (b = e->bucket[k]; b != NULL; b = next) {
			next = b->next;	/* b may be freed */
			if (bce_deadline(b) <= now_ms)
				bce_timeout(e, b);
		}
}

/* ------------------------------------------------------ setup, state */

static void
apply_conf(struct cn_engine *e)
{
	e->rr.nonce_lifetime = e->conf.nonce_lifetime * (unsigned)MS;
	e->rr.nonce_interval = (e->conf.nonce_lifetime -
	    e->conf.token_lifetime) * (unsigned)MS;
	ratelim_init(&e->rl_be, e->conf.rate_be, e->now);
	ratelim_init(&e->rl_icmp, ICMP_PER_SEC, e->now);
	ratelim_init(&e->rl_log, LOG_PER_SEC, e->now);
}

/* Buckets for max-bindings entries at a load of at most one. */
static size_t
bucket_count(uint32_t max_bindings)
{
	size_t n = 16;

	while (n < max_bindings && n < (1u << 20))
		n <<= 1;
	return n;
}

struct cn_engine *
cn_engine_new(const struct cnd_conf *conf, const struct cn_ops *ops,
    uint64_t now_ms)
{
	uint8_t seed[sizeof(uint64_t)];
	struct cn_engine *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->conf = *conf;
	e->ops = *ops;
	e->now = now_ms;
	e->kcn_since = now_ms;
	e->nbucket = bucket_count(conf->max_bindings);
	/* RFC 6275 §5.2.3: a random Kcn; and a seed for the hash */
	if ((e->bucket = calloc(e->nbucket, sizeof(*e->bucket))) == NULL ||
	    rr_random(seed, sizeof(seed)) != 0 ||
	    rr_cn_init(&e->rr, now_ms) != 0) {
		cn_engine_free(e);
		return NULL;
	}
	memcpy(&e->hash_seed, seed, sizeof(seed));
	apply_conf(e);
	return e;
}

void
cn_engine_free(struct cn_engine *e)
{
	struct cn_bce *b, *next;
	size_t k;

	if (e == NULL)
		return;
	for (k = 0; e->bucket != NULL && k < e->nbucket; k++)
		for (b = e->bucket[k]; b != NULL; b = next) {
			next = b->next;
			free(b);
		}
	free(e->bucket);
	/* the node key is a secret */
	memset(&e->rr, 0, sizeof(e->rr));
	memset(e->prev_kcn, 0, sizeof(e->prev_kcn));
	free(e);
}

void
cn_engine_reconf(struct cn_engine *e, const struct cnd_conf *conf)
{
	size_t nbucket = e->nbucket;

	e->conf = *conf;
	e->nbucket = nbucket;	/* the table keeps its size */
	apply_conf(e);
}

void
cn_engine_restore(struct cn_engine *e, const struct in6_addr *hoa,
    const struct m6_cn_bind *rec, uint64_t now_ms)
{
	struct cn_bce *b;
	uint64_t life_ms;

	e->now = now_ms;
	if (bc_find(e, hoa) != NULL)
		return;
	if ((b = bc_add(e, hoa)) == NULL)
		return;
	m6_to_in6(&b->coa, &rec->coa);
	b->seq = rec->seq;
	b->lifetime = rec->lifetime;
	b->registered_ms = rec->registered_ms;
	b->expires_ms = rec->expires_ms;
	b->state = rec->state == CNB_REFRESHING ? CNB_REFRESHING : CNB_BOUND;
	m6_to_in6(&b->cn, &rec->cn);
	life_ms = (uint64_t)rec->lifetime * LIFETIME_UNIT_MS;
	/*
	 * §9.5.5: the BRR at BRR_PERCENT of the lifetime the last BU was
	 * granted (it came at expires - lifetime), from our address in the
	 * record; none when it was already sent (REFRESHING), or when the
	 * record has no address (written before the field existed).
	 */
	b->brr_ms = 0;
	if (b->state == CNB_BOUND && !IN6_IS_ADDR_UNSPECIFIED(&b->cn) &&
	    rec->expires_ms >= life_ms)
		b->brr_ms = rec->expires_ms - life_ms +
		    life_ms * BRR_PERCENT / 100;
	if (!(rec->flags & M6B_ACTIVE) || now_ms >= rec->expires_ms ||
	    rec->expires_ms - now_ms > life_ms) {
		/* dead, or a deadline this boot cannot have set */
		e->cnt.expired++;
		bce_transition(e, b, EV_DELETE);
	}
}

void
cn_engine_reset(struct cn_engine *e, uint64_t now_ms)
{
	struct cn_bce *b, *next;
	size_t k;

	e->now = now_ms;
	for (k = 0; k < e->nbucket; k++)
		for (b = e->bucket[k]; b != NULL; b = next) {
			next = b->next;
			bce_transition(e, b, EV_DELETE);
		}
	memset(&e->cnt, 0, sizeof(e->cnt));
}

int
cn_engine_ctl(struct cn_engine *e, const char *request, uint64_t now_ms,
    struct jw *jw)
{
	e->now = now_ms;
	return cn_ctl_request(e, request, now_ms, jw);
}
