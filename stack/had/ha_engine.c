/*
 * stack/had/ha_engine.c - the home agent's protocol engine (see
 * ha_engine.h): input dispatch, Mobility Header checks (RFC 6275 §9.2),
 * Home Address option checks (§9.3.1), home registration and
 * de-registration (§9.5.1, §10.3.1, §10.3.2), NEMO prefixes (RFC 3963
 * §6.1-6.2), RFC 4285 MN-HA authentication, the binding cache entry state
 * machine, refresh requests and expiry, Binding Errors, ICMPv6 errors.
 *
 * Neighbor Discovery on the home link (proxy DAD, proxy ND) is ha_nd's,
 * home agent and prefix discovery ha_disc's; the engine routes their
 * messages to them.  Every packet goes through the packets/ library.
 */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "packets/buf.h"
#include "packets/icmp4.h"
#include "packets/pkt.h"
#include "packets/rr.h"
#include "packets/sbuf.h"
#include "stack/had/ha_disc.h"
#include "stack/had/ha_engine_impl.h"
#include "stack/had/ha_util.h"
#include "stack/had/ha_nd.h"

#define IP6_MIN_MTU	1280
#define IP6_HDR		40
/* An ICMPv6 error quotes as much as fits the minimum MTU (RFC 4443 §2.4). */
#define ICMP6_QUOTE_MAX	(IP6_MIN_MTU - IP6_HDR - 8)
#define LOG_PER_SEC	10	/* input complaints logged per second */
#define DAD_GUARD_MS	1000	/* past transmits x retrans: ha_nd is stuck */
#define LIFETIME_UNIT_MS 4000	/* BU/BA lifetime unit (RFC 6275 §6.1.7) */
#define INFINITE_LFT	0xffffffffu

/* ------------------------------------------------------ state machine */

/*
 * Binding cache entry events.  The table says where each one leads;
 * bce_transition() does what entering and leaving a state implies.
 */
enum bce_event {
	EV_DAD_START,	/* first registration on a real home link */
	EV_ACCEPT,	/* BU accepted (after DAD if one ran) */
	EV_DAD_FAIL,	/* DAD found the address in use (or never ended) */
	EV_DEREG,	/* lifetime 0 or CoA == HoA (RFC 6275 §10.3.2) */
	EV_EXPIRE,	/* lifetime over (RFC 6275 §10.3.1) */
	EV_DELETE,	/* operator, reset, reconfiguration, setup failure */
	BCE_NEVENTS
};

#define X	BCE_NSTATES	/* not allowed */

static const uint8_t bce_next[BCE_NSTATES][BCE_NEVENTS] = {
	[BCE_FREE] = {
		[EV_DAD_START] = BCE_DAD_PENDING, [EV_ACCEPT] = BCE_BOUND,
		[EV_DAD_FAIL] = X, [EV_DEREG] = X, [EV_EXPIRE] = X,
		[EV_DELETE] = BCE_FREE,
	},
	[BCE_DAD_PENDING] = {
		[EV_DAD_START] = BCE_DAD_PENDING, [EV_ACCEPT] = BCE_BOUND,
		[EV_DAD_FAIL] = BCE_FREE, [EV_DEREG] = BCE_FREE,
		[EV_EXPIRE] = BCE_FREE, [EV_DELETE] = BCE_FREE,
	},
	[BCE_BOUND] = {
		[EV_DAD_START] = X, [EV_ACCEPT] = BCE_BOUND,
		[EV_DAD_FAIL] = X, [EV_DEREG] = BCE_FREE,
		[EV_EXPIRE] = BCE_FREE, [EV_DELETE] = BCE_FREE,
	},
};

#undef X

static const char *const bce_state_names[BCE_NSTATES] = {
	[BCE_FREE] = "free",
	[BCE_DAD_PENDING] = "dad_pending",
	[BCE_BOUND] = "bound",
};

static const char *const bce_event_names[BCE_NEVENTS] = {
	[EV_DAD_START] = "dad-start", [EV_ACCEPT] = "accept",
	[EV_DAD_FAIL] = "dad-fail", [EV_DEREG] = "dereg",
	[EV_EXPIRE] = "expire", [EV_DELETE] = "delete",
};

const char *
bce_state_name(unsigned state)
{
	return state < BCE_NSTATES ? bce_state_names[state] : "?";
}

/* ------------------------------------------------------------ helpers */

static bool
prefix_overlap(const struct had_prefix *a, const struct had_prefix *b)
{
	return a->plen <= b->plen ? had_prefix_contains(a, &b->addr) :
	    had_prefix_contains(b, &a->addr);
}

static bool
prefix_eq(const struct had_prefix *a, const struct had_prefix *b)
{
	return a->plen == b->plen && had_prefix_contains(a, &b->addr);
}

static void
to_m6(struct m6_in6 *dst, const struct in6_addr *src)
{
	memcpy(dst->b, src->s6_addr, sizeof(dst->b));
}

static void
from_m6(struct in6_addr *dst, const struct m6_in6 *src)
{
	memcpy(dst->s6_addr, src->b, sizeof(src->b));
}

/* ------------------------------------------------------------ logging */

#define elog(e, ...)	ha_ops_log(&(e)->ops, __VA_ARGS__)

bool
ha_engine_log_ok(struct ha_engine *e)
{
	return ratelim_take(&e->rl_log, e->now);
}

/* A complaint about input: logged at most LOG_PER_SEC times a second. */
static void
input_log(struct ha_engine *e, const char *what, const struct in6_addr *src)
{
	char a[IN6_STRLEN];

	if (!ratelim_take(&e->rl_log, e->now))
		return;
	elog(e, LOG_NOTICE, "dropped %s from %s", what,
	    src != NULL ? in6_fmt(src, a) : "?");
}

static void
drop_malformed(struct ha_engine *e, const char *what,
    const struct in6_addr *src)
{
	e->cnt.drop_malformed++;
	input_log(e, what, src);
}

/* --------------------------------------------------------- mn access */

/* An index over conf.mn so a BU finds its entry in O(1). */
static int
mn_index_build(struct ha_engine *e)
{
	size_t n = 16, i, j;

	free(e->mn_index);
	e->mn_index = NULL;
	e->mn_index_n = 0;
	if (e->conf.nmn == 0)
		return 0;
	while (n < e->conf.nmn * 2)
		n *= 2;
	e->mn_index = calloc(n, sizeof(*e->mn_index));
	if (e->mn_index == NULL)
		return -1;
	e->mn_index_n = n;
	for (i = 0; i < e->conf.nmn; i++) {
		j = (size_t)bc_hash(&e->conf.mn[i].hoa, e->hash_seed) &
		    (n - 1);
		while (e->mn_index[j] != 0)
			j = (j + 1) & (n - 1);
		e->mn_index[j] = (uint32_t)i + 1;
	}
	return 0;
}

static const struct had_mn *
mn_lookup(const struct ha_engine *e, const struct in6_addr *hoa)
{
	size_t n = e->mn_index_n, j;
	const struct had_mn *mn;

	if (n == 0)
		return NULL;
	j = (size_t)bc_hash(hoa, e->hash_seed) & (n - 1);
	for (; e->mn_index[j] != 0; j = (j + 1) & (n - 1)) {
		mn = &e->conf.mn[e->mn_index[j] - 1];
		if (in6_eq(&mn->hoa, hoa))
			return mn;
	}
	return NULL;
}

static const struct had_home_prefix *
home_prefix_of(const struct ha_engine *e, const struct in6_addr *a)
{
	size_t i;

	for (i = 0; i < e->conf.nprefix && i < HAD_PREFIX_MAX; i++)
		if (had_prefix_contains(&e->conf.prefix[i].pfx, a))
			return &e->conf.prefix[i];
	return NULL;
}

static bool
policy_allows(const struct ha_engine *e, const struct had_mn *mn)
{
	return (mn != NULL ? mn->policy : e->conf.default_policy) ==
	    HAD_ALLOW;
}

/* The interface attached to the home link, 0 when none is known. */
static unsigned
home_ifindex(struct ha_engine *e)
{
	size_t i;

	for (i = 0; i < e->nifaces; i++)
		if (e->ifaces[i].home_link)
			return e->ifaces[i].ifindex;
	if (!e->warned_no_home_if) {
		e->warned_no_home_if = true;
		elog(e, LOG_WARNING, "no home link interface: home "
		    "registrations get no proxy DAD or proxy ND");
	}
	return 0;
}

static int
conf_copy(struct had_conf *dst, const struct had_conf *src)
{
	*dst = *src;
	dst->mn = NULL;
	/* the SAs live in the engine's table (e->esp), keys included */
	dst->sa = NULL;
	dst->nsa = 0;
	if (src->nmn == 0)
		return 0;
	dst->mn = malloc(src->nmn * sizeof(*dst->mn));
	if (dst->mn == NULL)
		return -1;
	memcpy(dst->mn, src->mn, src->nmn * sizeof(*dst->mn));
	return 0;
}

/* ------------------------------------------------------------ sending */

static struct pkt *
tx_start(struct ha_engine *e, const struct in6_addr *src,
    const struct in6_addr *dst)
{
	pkt_start_ipv6(&e->tx, src, dst, 64);
	return &e->tx;
}

/*
 * Every packet leaves here: straight back to the link-layer source of
 * the packet being served when it goes to that packet's IPv6 source,
 * else routed by the kernel.
 */
static void
emit(struct ha_engine *e, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct in6_addr dst;
	uint8_t mac[6];

	/* RFC 5555 §4.2 [R]: a reply inside IPv4 goes back to the frame it
	   answers; what answers no frame (a BRR) is routed by the kernel */
	if (len > 0 && (pkt[0] >> 4) == 4) {
		if (e->ops.send_l2 != NULL && e->hint.valid)
			e->ops.send_l2(e->ops.ctx, e->hint.ifindex,
			    e->hint.mac, pkt, len);
		else
			e->ops.send(e->ops.ctx, 0, pkt, len);
		return;
	}
	if (e->ops.send_l2 == NULL || len < IP6_HDR) {
		e->ops.send(e->ops.ctx, oif, pkt, len);
		return;
	}
	memcpy(&dst, pkt + 24, sizeof(dst));
	if (e->hint.valid && in6_eq(&dst, &e->hint.dst)) {
		e->ops.send_l2(e->ops.ctx, e->hint.ifindex, e->hint.mac, pkt,
		    len);
		return;
	}
	/*
	 * Multicast on a given link goes to its RFC 2464 §7 MAC: through
	 * the kernel, each solicited-node group a DAD probe goes to would
	 * take a neighbour entry, and a flood of registrations would fill
	 * the table and make every later send fail.
	 */
	if (in6_multicast(&dst) && oif != 0) {
		mac[0] = 0x33;
		mac[1] = 0x33;
		memcpy(mac + 2, &dst.s6_addr[12], 4);
		e->ops.send_l2(e->ops.ctx, oif, mac, pkt, len);
		return;
	}
	e->ops.send(e->ops.ctx, oif, pkt, len);
}

static bool
tx_send(struct ha_engine *e, unsigned oif)
{
	size_t len;

	if (pkt_encode(&e->tx, e->txbuf, sizeof(e->txbuf), &len) != 0) {
		elog(e, LOG_ERR, "cannot encode an outgoing packet");
		return false;
	}
	emit(e, oif, e->txbuf, len);
	return true;
}

/*
 * RFC 3776 §3: the packet built in e->tx inside ESP (transport mode) with
 * the SA to its peer.  A manual SA whose sequence numbers are used up
 * sends nothing any more (RFC 4303 §3.3.3), said once.
 */
static bool
tx_send_esp(struct ha_engine *e, unsigned oif, struct espsa *sa)
{
	char a[IN6_STRLEN];
	enum espsa_res r;
	size_t len;

	if (pkt_encode(&e->tx, e->txbuf, sizeof(e->txbuf), &len) != 0) {
		elog(e, LOG_ERR, "cannot encode an outgoing packet");
		return false;
	}
	if ((r = espsa_seal_pkt(sa, e->txbuf, &len, sizeof(e->txbuf))) !=
	    ESPSA_OK) {
		if (r != ESPSA_EXHAUSTED || !sa->exhausted)
			elog(e, LOG_ERR, "cannot send to %s inside ESP (SPI "
			    "0x%x): %s%s", in6_fmt(&sa->c.peer, a),
			    (unsigned)sa->c.sa.spi, espsa_res_name(r),
			    r == ESPSA_EXHAUSTED ? ": configure a new SA" : "");
		sa->exhausted = r == ESPSA_EXHAUSTED;
		return false;
	}
	emit(e, oif, e->txbuf, len);
	return true;
}

/* Our source for a reply to a packet sent to `dst`. */
static const struct in6_addr *
reply_src(const struct ha_engine *e, const struct in6_addr *dst)
{
	return in6_multicast(dst) || in6_unspecified(dst) ? &e->ha_addr : dst;
}

/* The Type octet offset of the last option of `type` in an encoded MH. */
static int
mh_opt_offset(const uint8_t *mh, size_t len, uint8_t type, size_t *off)
{
	struct rbuf b;
	uint8_t t, l;
	bool found = false;

	rbuf_init(&b, mh, len);
	rbuf_skip(&b, 12);	/* BU and BA options start at 12 */
	while (!b.err && rbuf_left(&b) > 0) {
		if ((t = rbuf_u8(&b)) == MHOPT_PAD1)
			continue;
		if (t == type) {
			*off = b.off - 1;
			found = true;
		}
		l = rbuf_u8(&b);
		rbuf_skip(&b, l);
	}
	return found && !b.err ? 0 : -1;
}

/*
 * RFC 4285 §5: the MN-HA authenticator of an outgoing BA over
 * CoA | HoA | MH data up to the SPI, with the MN's shared key.
 */
static int
sign_ba(struct ha_engine *e, const struct bu_req *r, struct mh_opt *auth)
{
	const struct had_mn *mn = mn_lookup(e, &r->hoa);
	uint8_t out[AUTH4285_LEN];
	struct wbuf w;
	size_t off;

	if (mn == NULL)
		return -1;
	wbuf_init(&w, e->macbuf, sizeof(e->macbuf));
	if (mh_encode(&e->tx.mh, &w, 0, NULL) != 0 ||
	    mh_opt_offset(e->macbuf, w.len, MHOPT_AUTH, &off) != 0 ||
	    auth4285_compute(mn->key, mn->keylen, &r->coa, &r->hoa,
	    e->macbuf, off + 7, out) != 0)
		return -1;
	memcpy(auth->var, out, sizeof(out));
	return 0;
}

/* The RFC 4285 options of a BA answering an authenticated BU. */
static int
add_auth_opts(struct ha_engine *e, struct mh_msg *m, const struct bu_req *r)
{
	struct mh_opt *o;

	if ((o = mh_add_opt(m, MHOPT_MNID)) == NULL)
		return -1;
	o->u.mnid.subtype = r->mnid_subtype;
	o->var_len = r->mnid_len;
	memcpy(o->var, r->mnid, r->mnid_len);
	if (r->has_mesg_id) {
		if ((o = mh_add_opt(m, MHOPT_MESGID)) == NULL)
			return -1;
		o->u.mesg_id = r->mesg_id;
	}
	/* RFC 4285 §5: the authentication option comes last */
	if ((o = mh_add_opt(m, MHOPT_AUTH)) == NULL)
		return -1;
	o->u.auth.subtype = MHOPT_AUTH_MN_HA;
	o->u.auth.spi = r->spi;
	o->var_len = AUTH4285_LEN;
	return sign_ba(e, r, o);
}

/*
 * RFC 6275 §9.5.4, §10.3.1: the BA goes back to the BU's source from the
 * address the BU was sent to, with a Type 2 Routing header holding the
 * home address unless the MN is at home.  The sequence number is the BU's
 * (or the last accepted one for status 135).
 */
static void send_ba_now(struct ha_engine *, const struct bu_req *, uint8_t,
    uint16_t, uint16_t, uint8_t);

static void
send_ba(struct ha_engine *e, const struct bu_req *r, uint8_t status,
    uint16_t seq, uint16_t lifetime, uint8_t flags)
{
	struct l2hint saved = e->hint;

	/* A BA sent after proxy DAD goes the way the BU came. */
	if (r->reply.valid)
		e->hint = r->reply;
	send_ba_now(e, r, status, seq, lifetime, flags);
	e->hint = saved;
}

/* RFC 3776 §4.1: the BA to a protected BU in ESP with the SA to the
   home address (after the RH2: RFC 6275 §6.4, RFC 8200 §4.1). */
static bool
ba_send_esp(struct ha_engine *e, const struct bu_req *r)
{
	struct espsa *sa = espsa_find_out(&e->esp, &r->hoa);
	char a[IN6_STRLEN];

	if (sa == NULL) {	/* a reload took the SA away meanwhile */
		if (ratelim_take(&e->rl_log, e->now))
			elog(e, LOG_NOTICE, "no outbound SA for %s any more: "
			    "Binding Acknowledgement not sent",
			    in6_fmt(&r->hoa, a));
		return false;
	}
	return tx_send_esp(e, 0, sa);
}

static void
send_ba_now(struct ha_engine *e, const struct bu_req *r, uint8_t status,
    uint16_t seq, uint16_t lifetime, uint8_t flags)
{
	struct mh_msg *m;
	struct pkt *t;

	if (r->udp4 || r->ip4) {
		/* RFC 5555 §4.2 [R]: IPv4 care-of address: in IPv4 (UDP),
		   to the home address, no Type 2 Routing header */
		if (dsmip_tx_start(e, r) == NULL)
			return;
		t = &e->tx;
	} else {
		t = tx_start(e, &r->dst, &r->src);
		if (!in6_eq(&r->src, &r->hoa) &&
		    pkt_push_rh2(t, &r->hoa) == NULL)
			return;
	}
	if ((m = pkt_push_mh(t, MH_BA)) == NULL)
		return;
	m->u.ba.status = status;
	/* K clear: no key management mobility (RFC 6275 §10.3.1) */
	m->u.ba.flags = flags;
	m->u.ba.seq = seq;
	m->u.ba.lifetime = lifetime;
	if (dsmip_ba_opts(e, m, r) != 0)
		return;
	if (r->sign && add_auth_opts(e, m, r) != 0) {
		elog(e, LOG_ERR, "cannot sign a Binding Acknowledgement");
		return;
	}
	if (!(r->esp ? ba_send_esp(e, r) : tx_send(e, 0)))
		return;
	e->cnt.tx_ba++;
	e->cnt.ba_status[status]++;
}

static void
reject(struct ha_engine *e, const struct bu_req *r, uint8_t status,
    uint16_t seq)
{
	char a[IN6_STRLEN];

	if (ratelim_take(&e->rl_log, e->now))
		elog(e, LOG_INFO, "binding update for %s rejected: %u %s",
		    in6_fmt(&r->hoa, a), status, mh_ba_status_name(status));
	send_ba(e, r, status, seq, 0, 0);
}

/* RFC 6275 §9.3.3, §6.1.9: a Binding Error, rate-limited. */
static void
send_be(struct ha_engine *e, const struct hdr_ipv6 *ip, uint8_t status,
    const struct in6_addr *hoa)
{
	static const struct in6_addr none;
	struct mh_msg *m;

	if (!in6_unicast(&ip->src) || in6_linklocal(&ip->src))
		return;
	if (!ratelim_take(&e->rl_be, e->now)) {
		e->cnt.drop_rate_limited++;
		return;
	}
	tx_start(e, reply_src(e, &ip->dst), &ip->src);
	if ((m = pkt_push_mh(&e->tx, MH_BE)) == NULL)
		return;
	m->u.be.status = status;
	m->u.be.hoa = hoa != NULL ? *hoa : none;
	if (!tx_send(e, 0))
		return;
	e->cnt.tx_be++;
	e->cnt.be_status[status]++;
}

/* An ICMPv6 error quoting the invoking packet (RFC 4443 §2.4). */
static void
send_icmp_error(struct ha_engine *e, const struct in6_addr *src,
    const struct in6_addr *dst, uint8_t type, uint32_t param,
    const uint8_t *quote, size_t qlen)
{
	struct icmp6_msg *m;

	/* RFC 4443 §2.4 (e): never to a multicast or unspecified source */
	if (!in6_unicast(dst))
		return;
	if (!ratelim_take(&e->rl_icmp, e->now)) {
		e->cnt.drop_rate_limited++;
		return;
	}
	tx_start(e, src, dst);
	if ((m = pkt_push_icmp6(&e->tx, type, 0)) == NULL)
		return;
	if (type == ICMP6_T_PKT_TOO_BIG)
		m->u.mtu = param;
	else
		m->u.pointer = param;
	m->body_len = (uint16_t)(qlen < ICMP6_QUOTE_MAX ? qlen :
	    ICMP6_QUOTE_MAX);
	memcpy(m->body, quote, m->body_len);
	if (!tx_send(e, 0))
		return;
	if (type == ICMP6_T_PKT_TOO_BIG)
		e->cnt.tx_ptb++;
	else if (type == ICMP6_T_TIME_EXCEEDED)
		e->cnt.tx_time_exceeded++;
	else
		e->cnt.tx_param_prob++;
}

/*
 * Ask the MN to refresh before expiry.  RFC 6275 §6.1: no Mobility Header
 * but the BA may carry a Type 2 Routing header, so the BRR goes to the
 * home address through the MN's tunnel (IPv6 in IPv6 to the CoA, RFC
 * 6275 §10.4.2), where the MN takes it as sent to that binding.
 */
static void
send_brr(struct ha_engine *e, const struct bce *b)
{
	struct hdr *inner;

	/* an IPv4 care-of address: inside IPv4(/UDP 4191 to the NAT's
	   port), the way the BA went (RFC 5555 §4.1, §4.2) */
	if (b->v4coa_mode) {
		if (dsmip_brr_start(e, b) == NULL ||
		    pkt_push_mh(&e->tx, MH_BRR) == NULL || !tx_send(e, 0))
			return;
		e->cnt.tx_brr++;
		e->cnt.dsmip.tx_brr_udp4++;
		return;
	}
	tx_start(e, &b->ha, &b->coa);
	if ((inner = pkt_push(&e->tx, HDR_IPV6)) == NULL)
		return;
	inner->u.ip6.src = b->ha;
	inner->u.ip6.dst = b->hoa;
	inner->u.ip6.hlim = 64;
	if (pkt_push_mh(&e->tx, MH_BRR) == NULL)
		return;
	if (tx_send(e, 0))
		e->cnt.tx_brr++;
}

/* ------------------------------------------------ sub-module wrappers */

/* The ICMPv6 type of an IPv6 packet, 0 when it carries none. */
static uint8_t
icmp6_type_of(const uint8_t *pkt, size_t len)
{
	struct rbuf b;
	uint8_t nh, l;
	int i;

	rbuf_init(&b, pkt, len);
	rbuf_skip(&b, 6);
	nh = rbuf_u8(&b);
	rbuf_skip(&b, IP6_HDR - 7);
	for (i = 0; i < 8 && !b.err; i++) {
		if (nh == IPPROTO_ICMPV6)
			return rbuf_u8(&b);
		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING &&
		    nh != IPPROTO_DSTOPTS)
			return 0;
		nh = rbuf_u8(&b);
		l = rbuf_u8(&b);
		rbuf_skip(&b, ((size_t)l + 1) * 8 - 2);
	}
	return 0;
}

/* ha_nd and ha_disc send through here, so their messages are counted. */
static void
sub_send(void *ctx, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct ha_engine *e = ctx;

	switch (icmp6_type_of(pkt, len)) {
	case ICMP6_T_NA:
		e->cnt.tx_na++;
		break;
	case ICMP6_T_NS:
		e->cnt.tx_ns++;
		break;
	case ICMP6_T_DHAAD_REPLY:
		e->cnt.tx_dhaad++;
		break;
	case ICMP6_T_MPA:
		e->cnt.tx_mpa++;
		break;
	default:
		break;
	}
	emit(e, oif, pkt, len);
}

static int
sub_bind_set(void *ctx, const struct in6_addr *hoa, const struct m6_bind *b)
{
	struct ha_engine *e = ctx;

	return e->ops.bind_set(e->ops.ctx, hoa, b);
}

static void
sub_bind_del(void *ctx, const struct in6_addr *hoa)
{
	struct ha_engine *e = ctx;

	e->ops.bind_del(e->ops.ctx, hoa);
}

static int
sub_mnp_set(void *ctx, const struct had_prefix *p, const struct in6_addr *hoa)
{
	struct ha_engine *e = ctx;

	return e->ops.mnp_set(e->ops.ctx, p, hoa);
}

static void
sub_mnp_del(void *ctx, const struct had_prefix *p)
{
	struct ha_engine *e = ctx;

	e->ops.mnp_del(e->ops.ctx, p);
}

static void
sub_ndp_watch(void *ctx, const struct in6_addr *target, uint32_t flags)
{
	struct ha_engine *e = ctx;

	if (e->ops.ndp_watch != NULL)
		e->ops.ndp_watch(e->ops.ctx, target, flags);
}

static void
sub_log(void *ctx, int prio, const char *msg)
{
	struct ha_engine *e = ctx;

	if (e->ops.log != NULL)
		e->ops.log(e->ops.ctx, prio, msg);
}

/* ------------------------------------------------- entry life cycle */

/* Leaving the cache: undo what the kernel and ha_nd hold for it. */
static void
bce_release(struct ha_engine *e, struct bce *b, bool was_bound)
{
	size_t i;

	if (was_bound) {
		dsmip_release(e, b);
		for (i = 0; i < b->nmnp; i++)
			e->ops.mnp_del(e->ops.ctx, &b->mnp[i]);
		e->ops.bind_del(e->ops.ctx, &b->hoa);
	}
	if (b->proxying)
		ha_nd_proxy_stop(e->nd, &b->hoa);
	bc_del(e->bc, b);
}

/* The one place an entry changes state. */
static void
bce_transition(struct ha_engine *e, struct bce *b, enum bce_event ev)
{
	unsigned from = b->state, to = bce_next[from][ev];
	char a[IN6_STRLEN];

	if (to >= BCE_NSTATES) {
		elog(e, LOG_ERR, "binding %s: event %s in state %s ignored",
		    in6_fmt(&b->hoa, a), bce_event_names[ev],
		    bce_state_names[from]);
		return;
	}
	if (from == BCE_DAD_PENDING && to != BCE_DAD_PENDING) {
		e->dad_pending--;
		if (b->pend != NULL && b->pend->running)
			ha_nd_dad_cancel(e->nd, &b->hoa);
		free(b->pend);
		b->pend = NULL;
	}
	if (from != BCE_DAD_PENDING && to == BCE_DAD_PENDING)
		e->dad_pending++;
	b->state = (uint8_t)to;
	if (to == BCE_FREE)
		bce_release(e, b, from == BCE_BOUND);
}

/* The next deadline: the BRR while it is due, then expiry. */
static void
bce_arm(struct ha_engine *e, struct bce *b)
{
	uint64_t t = b->expires_ms;

	if (b->brr_ms != 0 && !b->brr_sent && b->brr_ms < t)
		t = b->brr_ms;
	bc_timer_set(e->bc, b, t);
}

/* The one timeout handler: what a deadline means in each state. */
static void
bce_timeout(struct ha_engine *e, struct bce *b)
{
	struct bu_req r;
	char a[IN6_STRLEN];

	switch (b->state) {
	case BCE_DAD_PENDING:
		/* ha_nd never answered: give up rather than hold the MN */
		elog(e, LOG_ERR, "proxy DAD for %s never finished",
		    in6_fmt(&b->hoa, a));
		r = b->pend->r;
		bce_transition(e, b, EV_DAD_FAIL);
		reject(e, &r, BA_UNSPECIFIED, r.seq);
		break;
	case BCE_BOUND:
		/* RFC 6275 §10.3.1: the entry is deleted at lifetime end */
		if (e->now >= b->expires_ms) {
			elog(e, LOG_INFO, "binding for %s expired",
			    in6_fmt(&b->hoa, a));
			bce_transition(e, b, EV_EXPIRE);
			return;
		}
		if (b->brr_ms != 0 && !b->brr_sent && e->now >= b->brr_ms) {
			send_brr(e, b);
			b->brr_sent = true;
		}
		bce_arm(e, b);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------ registration */

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

/*
 * RFC 6275 §10.3.1: the lifetime granted is at most the one asked for,
 * our maximum and the home prefix's valid lifetime (prefix lifetimes in
 * 4-second units by dropping the two low bits).  Status 1 when the prefix
 * is or becomes deprecated during the binding or invalid at its end.
 */
static void
grant_lifetime(const struct ha_engine *e, struct bu_req *r,
    const struct had_home_prefix *hp)
{
	uint32_t g = r->req_lifetime, max_u, valid_u, pref_u;

	max_u = e->conf.max_lifetime != 0 ? e->conf.max_lifetime / 4 :
	    UINT32_MAX;
	valid_u = hp->valid_lft == INFINITE_LFT ? UINT32_MAX :
	    hp->valid_lft >> 2;
	pref_u = hp->preferred_lft == INFINITE_LFT ? UINT32_MAX :
	    hp->preferred_lft >> 2;
	if (g > max_u)
		g = max_u;
	if (g > valid_u)
		g = valid_u;
	r->granted = (uint16_t)g;
	r->status = BA_ACCEPTED;
	if (pref_u < g || (valid_u != UINT32_MAX && valid_u <= g))
		r->status = BA_ACCEPTED_PREFIX_DISCOVERY;
}

/* RFC 3963 §6.1: a prefix a mobile router may not claim. */
static bool
mnp_invalid(const struct ha_engine *e, const struct had_prefix *p)
{
	size_t i;

	if (p->plen == 0 || p->plen > 128 || in6_multicast(&p->addr) ||
	    in6_linklocal(&p->addr) || in6_unspecified(&p->addr) ||
	    in6_loopback(&p->addr))
		return true;
	for (i = 0; i < e->conf.nprefix && i < HAD_PREFIX_MAX; i++)
		if (prefix_overlap(&e->conf.prefix[i].pfx, p))
			return true;
	return false;
}

static bool
mnp_authorized(const struct had_mn *mn, const struct had_prefix *p)
{
	size_t i;

	for (i = 0; i < mn->nmnp && i < HAD_MNP_MAX; i++)
		if (mn->mnp[i].plen <= p->plen &&
		    had_prefix_contains(&mn->mnp[i], &p->addr))
			return true;
	return false;
}

/*
 * RFC 3963 §6.1-6.2: a BU with R from a router allowed to be one; its
 * prefixes from Mobile Network Prefix options (explicit mode), each valid
 * and authorized, or from the configuration (implicit mode).  0 or a BA
 * status.
 */
static uint8_t
nemo_check(const struct ha_engine *e, struct bu_req *r,
    const struct had_mn *mn)
{
	size_t i;

	if ((r->flags & MH_BU_R) == 0) {
		r->router = false;
		r->nmnp = 0;	/* RFC 3963 §6.1: options ignored */
		return 0;
	}
	if (!e->conf.accept_router || mn == NULL || !mn->router)
		return BA_MR_NOT_PERMITTED;
	r->router = true;
	if (r->mnp_overflow)
		return BA_NO_RESOURCES;
	if (r->nmnp == 0) {
		/* implicit mode: nothing configured -> forwarding not set */
		if (mn->nmnp == 0)
			return BA_FORWARDING_SETUP_FAILED;
		r->nmnp = (uint8_t)(mn->nmnp < HAD_MNP_MAX ? mn->nmnp :
		    HAD_MNP_MAX);
		memcpy(r->mnp, mn->mnp, r->nmnp * sizeof(r->mnp[0]));
		return 0;
	}
	for (i = 0; i < r->nmnp; i++)
		if (mnp_invalid(e, &r->mnp[i]))
			return BA_INVALID_PREFIX;
	for (i = 0; i < r->nmnp; i++)
		if (!mnp_authorized(mn, &r->mnp[i]))
			return BA_PREFIX_NOT_AUTHORIZED;
	return 0;
}

static bool
mnp_listed(const struct had_prefix *list, size_t n,
    const struct had_prefix *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (prefix_eq(&list[i], p))
			return true;
	return false;
}

/*
 * Route the request's prefixes through the binding and stop routing the
 * ones it no longer claims.  -1 when the kernel refused one (the ones
 * added by this call are removed again).
 */
static int
mnp_apply(struct ha_engine *e, struct bce *b, const struct bu_req *r)
{
	size_t i, j;

	for (i = 0; i < r->nmnp; i++) {
		if (mnp_listed(b->mnp, b->nmnp, &r->mnp[i]))
			continue;
		if (e->ops.mnp_set(e->ops.ctx, &r->mnp[i], &r->hoa) != 0) {
			for (j = 0; j < i; j++)
				if (!mnp_listed(b->mnp, b->nmnp, &r->mnp[j]))
					e->ops.mnp_del(e->ops.ctx, &r->mnp[j]);
			return -1;
		}
	}
	for (i = 0; i < b->nmnp; i++)
		if (!mnp_listed(r->mnp, r->nmnp, &b->mnp[i]))
			e->ops.mnp_del(e->ops.ctx, &b->mnp[i]);
	b->nmnp = 0;
	if (r->nmnp > 0) {
		if (bce_mnp_room(b) != 0) {
			for (i = 0; i < r->nmnp; i++)
				e->ops.mnp_del(e->ops.ctx, &r->mnp[i]);
			return -1;
		}
		memcpy(b->mnp, r->mnp, r->nmnp * sizeof(r->mnp[0]));
		b->nmnp = r->nmnp;
	}
	return 0;
}

static void
fill_record(const struct bce *b, struct m6_bind *mb)
{
	memset(mb, 0, sizeof(*mb));
	to_m6(&mb->coa, &b->coa);
	to_m6(&mb->ha, &b->ha);
	mb->flags = M6B_ACTIVE;
	if (b->router)
		mb->flags |= M6B_ROUTER;
	if (b->home_ifindex != 0)
		mb->flags |= M6B_PROXY;
	mb->home_ifindex = b->home_ifindex;
	mb->registered_ms = b->registered_ms;
	mb->refreshed_ms = b->refreshed_ms;
	mb->expires_ms = b->expires_ms;
	mb->seq = b->seq;
	mb->bu_flags = b->bu_flags;
	mb->lifetime = b->lifetime;
	mb->state = BCE_BOUND;
	mb->nmnp = b->nmnp;
	mb->spi = b->spi;
	dsmip_fill_record(b, mb);
}

/* Proxy ND for the home address on the home link (RFC 6275 §10.4.1). */
static void
proxy_update(struct ha_engine *e, struct bce *b, bool linklocal)
{
	if (b->home_ifindex == 0)
		return;
	if (b->proxying && b->proxy_ll == linklocal)
		return;
	if (b->proxying)
		ha_nd_proxy_stop(e->nd, &b->hoa);
	b->proxying = ha_nd_proxy_start(e->nd, &b->hoa, linklocal,
	    b->home_ifindex, e->now) == 0;
	b->proxy_ll = linklocal;
}

/*
 * Accept a registration: b is NULL (new, no DAD), DAD_PENDING (DAD just
 * succeeded) or BOUND (refresh or move).  Kernel first, then the BA.
 */
static void
accept_bu(struct ha_engine *e, const struct bu_req *req, struct bce *b,
    unsigned ifindex)
{
	struct bce saved;
	struct m6_bind mb;
	bool first = b == NULL || b->state != BCE_BOUND;
	struct bu_req rr = *req, *r = &rr;
	bool v4_flag;

	if (b == NULL && (b = bc_add(e->bc, &r->hoa)) == NULL) {
		elog(e, LOG_ERR, "binding cache: out of memory");
		reject(e, r, BA_NO_RESOURCES, r->seq);
		return;
	}
	saved = *b;
	/* RFC 5555 §4.5 [R]: the IPv4 part once the IPv6 one is accepted */
	dsmip_decide(e, r, &saved);
	b->v4coa_mode = r->udp4 || r->ip4;
	b->udp_mode = r->udp_mode;
	b->udp_port = r->udp_mode ? r->sport : 0;
	b->coa = r->coa;
	b->ha = r->dst;
	if (b->v4coa_mode)	/* RFC 5555: the IPv4 tunnel's outer source */
		dsmip_mapped(&b->ha, &r->outer_dst);
	b->seq = r->seq;
	b->bu_flags = r->flags;
	b->lifetime = r->granted;
	b->router = r->router;
	b->spi = r->sign ? r->spi : 0;
	if (r->has_mesg_id)
		b->mesg_id = r->mesg_id;
	if (first) {
		b->registered_ms = e->now;
		b->home_ifindex = ifindex;
	}
	b->refreshed_ms = e->now;
	b->expires_ms = e->now + (uint64_t)r->granted * LIFETIME_UNIT_MS;
	b->brr_sent = false;
	b->brr_ms = 0;
	if (e->conf.brr_lead != 0 &&
	    (uint64_t)e->conf.brr_lead * 1000 < b->expires_ms - e->now)
		b->brr_ms = b->expires_ms - (uint64_t)e->conf.brr_lead * 1000;
	fill_record(b, &mb);
	mb.nmnp = r->nmnp;	/* what mnp_apply is about to install */
	v4_flag = r->v4_status == V4ACK_SUCCESS;
	if (v4_flag)
		mb.flags |= M6B_V4HOA;
	else
		mb.flags &= (uint16_t)~M6B_V4HOA;
	if (e->ops.bind_set(e->ops.ctx, &r->hoa, &mb) != 0) {
		elog(e, LOG_ERR, "forwarding entry refused by the kernel");
		dsmip_abandon(e, r);
		if (first)
			bce_transition(e, b, EV_DELETE);
		else
			*b = saved;	/* the kernel still has the old one */
		reject(e, r, BA_NO_RESOURCES, r->seq);
		return;
	}
	if (mnp_apply(e, b, r) != 0) {
		/* RFC 3963 §6.2: 143, and the half-made binding goes */
		elog(e, LOG_ERR, "mobile network prefix refused by the kernel");
		dsmip_abandon(e, r);
		if (first)	/* not BOUND yet: release would not undo it */
			e->ops.bind_del(e->ops.ctx, &r->hoa);
		bce_transition(e, b, EV_DELETE);
		reject(e, r, BA_FORWARDING_SETUP_FAILED, r->seq);
		return;
	}
	dsmip_apply(e, b, r);
	if (v4_flag != (b->v4_plen != 0)) {
		/* the kernel refused the IPv4 entry: the record says so */
		fill_record(b, &mb);
		(void)e->ops.bind_set(e->ops.ctx, &r->hoa, &mb);
	}
	proxy_update(e, b, (r->flags & MH_BU_L) != 0);
	bce_transition(e, b, EV_ACCEPT);
	bce_arm(e, b);
	send_ba(e, r, r->status, r->seq, r->granted,
	    r->router ? MH_BA_R : 0);
}

/* ha_nd's answer for a first registration (RFC 6275 §10.3.1). */
static void
dad_done(void *arg, const struct in6_addr *hoa, bool ok)
{
	struct ha_engine *e = arg;
	struct bce *b = bc_find(e->bc, hoa);
	struct bu_req r;

	if (b == NULL || b->state != BCE_DAD_PENDING || b->pend == NULL)
		return;
	b->pend->running = false;
	r = b->pend->r;
	if (!ok) {
		/* the address (or its link-local) is in use: 134 */
		bce_transition(e, b, EV_DAD_FAIL);
		reject(e, &r, BA_DAD_FAILED, r.seq);
		return;
	}
	bc_timer_set(e->bc, b, UINT64_MAX);
	accept_bu(e, &r, b, b->home_ifindex);
}

/*
 * RFC 6275 §10.3.1: unless it already has a binding for the address, the
 * HA performs DAD on the home link before it returns the BA.
 */
static void
start_dad(struct ha_engine *e, const struct bu_req *r, unsigned ifindex)
{
	struct bce *b;

	if ((b = bc_add(e->bc, &r->hoa)) == NULL ||
	    (b->pend = malloc(sizeof(*b->pend))) == NULL) {
		if (b != NULL)
			bc_del(e->bc, b);
		elog(e, LOG_ERR, "binding cache: out of memory");
		reject(e, r, BA_NO_RESOURCES, r->seq);
		return;
	}
	b->pend->r = *r;
	b->pend->running = true;
	b->home_ifindex = ifindex;
	bce_transition(e, b, EV_DAD_START);
	bc_timer_set(e->bc, b, e->now + (uint64_t)e->conf.dad_transmits *
	    e->conf.retrans_ms + DAD_GUARD_MS);
	/* `done` may run before this returns: b is not used afterwards */
	if (ha_nd_dad_start(e->nd, &r->hoa, (r->flags & MH_BU_L) != 0,
	    ifindex, e->now, dad_done, e) != 0 &&
	    (b = bc_find(e->bc, &r->hoa)) != NULL &&
	    b->state == BCE_DAD_PENDING) {
		b->pend->running = false;
		bce_transition(e, b, EV_DAD_FAIL);
		reject(e, r, BA_UNSPECIFIED, r->seq);
	}
}

/* RFC 6275 §10.3.2: home de-registration. */
static void
deregister(struct ha_engine *e, const struct bu_req *r, struct bce *b)
{
	if (b == NULL) {
		reject(e, r, BA_NOT_HOME_AGENT, r->seq);
		return;
	}
	/* a registration still in DAD is dropped with it */
	bce_transition(e, b, EV_DEREG);
	send_ba(e, r, BA_ACCEPTED, r->seq, 0, 0);
}

/*
 * RFC 4285 §4-§6: the MN-ID option names the node, the MN-HA
 * authentication option comes last and authenticates CoA | HoA | MH up
 * to its SPI with the node's key; a replay protection option must grow.
 * 0 or a BA status.
 */
static uint8_t
auth_check(struct ha_engine *e, const struct ha_input *in, struct bu_req *r,
    const struct had_mn *mn, const struct bce *b)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct hdr *mhh = pkt_find_last(&e->rx, HDR_MH);
	const struct mh_opt *auth = NULL;
	uint8_t want[AUTH4285_LEN], diff = 0;
	size_t i, end;

	for (i = m->nopts; i-- > 0;)
		if (m->opts[i].type != MHOPT_PAD1 &&
		    m->opts[i].type != MHOPT_PADN) {
			if (m->opts[i].type == MHOPT_AUTH)
				auth = &m->opts[i];
			break;
		}
	if (mn == NULL || mn->keylen == 0 || !r->has_mnid ||
	    (mn->idlen > 0 && (mn->idlen != r->mnid_len ||
	    memcmp(mn->id, r->mnid, r->mnid_len) != 0)))
		return BA_AUTH_FAILED;
	if (auth == NULL || auth->u.auth.subtype != MHOPT_AUTH_MN_HA ||
	    auth->var_len != AUTH4285_LEN ||
	    (mn->spi != 0 && auth->u.auth.spi != mn->spi) || mhh == NULL)
		return BA_AUTH_FAILED;
	end = (size_t)mhh->off + auth->off + 7;
	if (end > in->sig->caplen ||
	    auth4285_compute(mn->key, mn->keylen, &r->coa, &r->hoa,
	    in->data + mhh->off, (size_t)auth->off + 7, want) != 0)
		return BA_AUTH_FAILED;
	for (i = 0; i < AUTH4285_LEN; i++)	/* constant time */
		diff |= (uint8_t)(want[i] ^ auth->var[i]);
	if (diff != 0)
		return BA_AUTH_FAILED;
	r->sign = true;
	r->spi = auth->u.auth.spi;
	/* RFC 4285 §6: a replayed Identification */
	if (r->has_mesg_id && b != NULL && b->state == BCE_BOUND &&
	    r->mesg_id <= b->mesg_id)
		return BA_ID_MISMATCH;
	return 0;
}

/* The request from the decoded BU; false when it must be dropped. */
static bool
parse_bu(struct ha_engine *e, const struct hdr_ipv6 *ip, struct bu_req *r)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct in6_addr *hao = pkt_hao(&e->rx);
	const struct mh_opt *o;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->reply = e->hint;
	r->src = ip->src;
	r->dst = ip->dst;
	r->hoa = hao != NULL ? *hao : ip->src;
	r->coa = ip->src;
	r->seq = m->u.bu.seq;
	r->flags = m->u.bu.flags;
	r->req_lifetime = m->u.bu.lifetime;
	r->esp = e->rx_sa != NULL;
	r->v4_status = 0xff;	/* no IPv4 Address Acknowledgement */
	for (i = 0; i < m->nopts && i < MH_OPT_MAX; i++) {
		o = &m->opts[i];
		switch (o->type) {
		case MHOPT_ACOA:
			r->coa = o->u.acoa;
			break;
		case MHOPT_MNP:
			if (r->nmnp == HAD_MNP_MAX) {
				r->mnp_overflow = true;
				break;
			}
			r->mnp[r->nmnp].addr = o->u.mnp.prefix;
			r->mnp[r->nmnp].plen = o->u.mnp.plen;
			r->nmnp++;
			break;
		case MHOPT_MNID:
			r->has_mnid = true;
			r->mnid_subtype = o->u.mnid.subtype;
			r->mnid_len = o->var_len;
			memcpy(r->mnid, o->var, o->var_len);
			break;
		case MHOPT_MESGID:
			r->has_mesg_id = true;
			r->mesg_id = o->u.mesg_id;
			break;
		default:
			dsmip_parse_opt(r, o);
			break;
		}
	}
	/* RFC 6275 §9.5.1: the care-of address must be unicast routable */
	return in6_unicast(&r->coa) && !in6_linklocal(&r->coa) &&
	    in6_unicast(&r->hoa) && !in6_linklocal(&r->hoa) &&
	    in6_unicast(&r->src) && !in6_multicast(&r->dst);
}

/* RFC 6275 §9.5.1 then §10.3.1 / §10.3.2, in that order. */
static void
process_bu(struct ha_engine *e, const struct ha_input *in, struct bu_req *r)
{
	struct bce *b = bc_find(e->bc, &r->hoa);
	const struct had_mn *mn = mn_lookup(e, &r->hoa);
	const struct had_home_prefix *hp;
	unsigned ifindex;
	uint8_t st;

	/* RFC 3776 §4.1: a home address with SAs registers only inside
	   ESP; anything else is silently discarded */
	if (!r->esp && espsa_required(&e->esp, &r->hoa)) {
		e->esp.unprotected++;
		input_log(e, "Binding Update outside ESP", &r->hoa);
		return;
	}
	/* RFC 5555 §4.2 [R]: from an IPv4 care-of address */
	if ((st = dsmip_outer(e, in->sig, r)) != 0) {
		reject(e, r, st, r->seq);
		return;
	}
	if (e->conf.auth == HAD_AUTH_RFC4285 &&
	    (st = auth_check(e, in, r, mn, b)) != 0) {
		reject(e, r, st, r->seq);
		return;
	}
	/* §9.5.1: no correspondent registrations here; the type of an
	   existing binding may not change (139) */
	if ((r->flags & MH_BU_H) == 0) {
		reject(e, r, b != NULL ? BA_REG_TYPE_CHANGE :
		    BA_HOME_REG_UNSUPPORTED, r->seq);
		return;
	}
	/* §9.5.1: 135 carries the last accepted sequence number */
	if (b != NULL && b->state == BCE_BOUND && !seq_newer(r->seq, b->seq)) {
		reject(e, r, BA_SEQ_OUT_OF_WINDOW, b->seq);
		return;
	}
	if (r->req_lifetime == 0 || in6_eq(&r->coa, &r->hoa)) {
		deregister(e, r, b);
		return;
	}
	/* §10.3.1: on-link with respect to our prefix list */
	if ((hp = home_prefix_of(e, &r->hoa)) == NULL) {
		reject(e, r, BA_NOT_HOME_SUBNET, r->seq);
		return;
	}
	if (!policy_allows(e, mn)) {
		reject(e, r, BA_PROHIBITED, r->seq);
		return;
	}
	if ((st = nemo_check(e, r, mn)) != 0) {
		reject(e, r, st, r->seq);
		return;
	}
	if (b == NULL && e->conf.max_bindings != 0 &&
	    bc_count(e->bc) >= e->conf.max_bindings) {
		reject(e, r, BA_NO_RESOURCES, r->seq);
		return;
	}
	grant_lifetime(e, r, hp);
	if (r->granted == 0) {	/* the prefix is no longer valid */
		reject(e, r, BA_NOT_HOME_SUBNET, r->seq);
		return;
	}
	if (b != NULL && b->state == BCE_DAD_PENDING) {
		/* a newer BU while DAD runs: it is the one answered */
		b->pend->r = *r;
		return;
	}
	ifindex = hp->virtual_link ? 0 : home_ifindex(e);
	if (b == NULL && ifindex != 0 && e->conf.dad_transmits > 0) {
		start_dad(e, r, ifindex);
		return;
	}
	accept_bu(e, r, b, ifindex);
}

/* ------------------------------------------------------------- input */

/* Violations after which nothing in the packet can be trusted. */
static bool
viol_fatal(enum viol_code c)
{
	switch (c) {
	case V_TRUNCATED:
	case V_IP6_VERSION:
	case V_IP6_PLEN:
	case V_EXT_PAST_END:
	case V_TLV_PAST_END:
	case V_HAO_LENGTH:
	case V_HAO_DUPLICATE:
	case V_RH_UNKNOWN_TYPE:
	case V_RH2_LENGTH:
	case V_RH2_SEGLEFT:
	case V_RH2_DUPLICATE:
	case V_FRAG_NOT_FIRST:
	case V_MH_HDRLEN_PAST_END:
	case V_MH_OPT_PAST_END:
	case V_MH_OPT_LENGTH:
	case V_ICMP6_LENGTH:
	case V_ND_OPT_ZERO_LEN:
	case V_ND_OPT_PAST_END:
	case V_ND_OPT_LENGTH:
	case V_ND_HOPLIMIT:
		return true;
	default:
		return false;
	}
}

static const struct viol *
viol_find(const struct viol_list *vl, enum viol_code c)
{
	size_t i;

	for (i = 0; i < vl->n && i < VIOL_MAX; i++)
		if (vl->v[i].code == c)
			return &vl->v[i];
	return NULL;
}

static bool
has_fatal(const struct viol_list *vl)
{
	size_t i;

	for (i = 0; i < vl->n && i < VIOL_MAX; i++)
		if (viol_fatal((enum viol_code)vl->v[i].code))
			return true;
	return false;
}

static struct bce *
bound_to(struct ha_engine *e, const struct in6_addr *hoa,
    const struct in6_addr *coa)
{
	struct bce *b = bc_find(e->bc, hoa);

	return b != NULL && b->state == BCE_BOUND && in6_eq(&b->coa, coa) ?
	    b : NULL;
}

/*
 * RFC 6275 §9.3.1: a Home Address option with no binding for (HoA,
 * source) is dropped and answered with a BE status 1.  True when the
 * packet was dropped.
 */
static bool
hao_unbound(struct ha_engine *e, const struct hdr_ipv6 *ip)
{
	const struct in6_addr *hao = pkt_hao(&e->rx);

	if (hao == NULL || bound_to(e, hao, &ip->src) != NULL)
		return false;
	e->cnt.rx_hao_no_binding++;
	send_be(e, ip, BE_UNKNOWN_HAO, hao);
	return true;
}

/* `decoded`: pkt_decode got through every header (see ha_engine_input). */
static void
input_mh(struct ha_engine *e, const struct ha_input *in,
    const struct hdr_ipv6 *ip, bool decoded)
{
	const struct mh_msg *m = &e->rx.mh;
	const struct viol *v;
	struct bu_req r;

	/* RFC 6275 §9.2: a bad checksum is dropped silently */
	if (viol_has(&e->rx.viol, V_MH_CHECKSUM)) {
		e->cnt.drop_checksum++;
		return;
	}
	if (has_fatal(&e->rx.viol)) {
		drop_malformed(e, "malformed Mobility Header", &ip->src);
		return;
	}
	if (m->type != MH_BU && hao_unbound(e, ip))
		return;
	/* RFC 6275 §9.2: Parameter Problem code 0 at the offending field */
	if ((v = viol_find(&e->rx.viol, V_MH_PAYLOAD_PROTO)) != NULL ||
	    (v = viol_find(&e->rx.viol, V_MH_HDRLEN_SHORT)) != NULL) {
		e->cnt.drop_malformed++;
		/* not for what came in ESP: the error would quote its
		   plaintext in clear */
		if (e->rx_sa == NULL)
			send_icmp_error(e, reply_src(e, &ip->dst), &ip->src,
			    ICMP6_T_PARAM_PROB, v->off, in->data,
			    in->sig->caplen);
		return;
	}
	if (!decoded) {
		drop_malformed(e, "truncated Mobility Header", &ip->src);
		return;
	}
	switch (m->type) {
	case MH_BU:
		e->cnt.rx_bu++;
		if (!parse_bu(e, ip, &r)) {
			drop_malformed(e, "Binding Update with a bad address",
			    &ip->src);
			return;
		}
		process_bu(e, in, &r);
		break;
	case MH_BRR:
	case MH_HOTI:
	case MH_COTI:
	case MH_HOT:
	case MH_COT:
	case MH_BA:
	case MH_BE:
		/* messages for mobile nodes or correspondents */
		e->cnt.drop_not_for_us++;
		break;
	default:
		/* RFC 6275 §9.2: BE status 2 with the HoA if there was one */
		e->cnt.rx_unknown_mh++;
		send_be(e, ip, BE_UNKNOWN_MH_TYPE, pkt_hao(&e->rx));
		break;
	}
}

/* RFC 6275 §10.6.2: a Mobile Prefix Solicitation from a bound MN. */
static void
input_mps(struct ha_engine *e, const struct ha_input *in,
    const struct hdr_ipv6 *ip)
{
	const struct in6_addr *hao = pkt_hao(&e->rx);
	struct in6_addr coa;
	struct bce *b;

	e->cnt.rx_mps++;
	if (hao != NULL) {
		if (hao_unbound(e, ip))
			return;
		b = bound_to(e, hao, &ip->src);
	} else if ((in->sig->flags & M6SF_DECAP) != 0) {
		/* reverse-tunneled: the outer source is the CoA */
		from_m6(&coa, &in->sig->tun_src);
		b = bound_to(e, &ip->src, &coa);
	} else
		b = NULL;
	if (b == NULL) {
		e->cnt.drop_not_for_us++;
		return;
	}
	ha_disc_mps(e->disc, &e->rx, &b->hoa, &b->coa, e->now);
}

static void
input_icmp6(struct ha_engine *e, const struct ha_input *in,
    const struct hdr_ipv6 *ip)
{
	if (viol_has(&e->rx.viol, V_ICMP6_CHECKSUM)) {
		e->cnt.drop_checksum++;
		return;
	}
	if (has_fatal(&e->rx.viol)) {
		drop_malformed(e, "malformed ICMPv6 message", &ip->src);
		return;
	}
	switch (e->rx.icmp6.type) {
	case ICMP6_T_NS:
		e->cnt.rx_ns++;
		ha_nd_input(e->nd, &e->rx, in->sig->ifindex, e->now);
		break;
	case ICMP6_T_NA:
		e->cnt.rx_na++;
		ha_nd_input(e->nd, &e->rx, in->sig->ifindex, e->now);
		break;
	case ICMP6_T_RA:
		e->cnt.rx_ra++;
		ha_disc_ra(e->disc, &e->rx, in->sig->ifindex, e->now);
		break;
	case ICMP6_T_DHAAD_REQUEST:
		e->cnt.rx_dhaad++;
		ha_disc_dhaad(e->disc, &e->rx, e->now);
		break;
	case ICMP6_T_MPS:
		input_mps(e, in, ip);
		break;
	default:
		if (!hao_unbound(e, ip))
			e->cnt.drop_not_for_us++;
		break;
	}
}

/*
 * RFC 2473 §7: a packet too big for the tunnel is answered with a Packet
 * Too Big carrying the tunnel MTU less the encapsulating header.
 */
/*
 * The source of a packet the data plane would have tunneled (its IPv6
 * header is all we read of it); false when it is not IPv6 or is cut.
 */
static bool
tunnel_pkt_src(struct ha_engine *e, const struct ha_input *in,
    struct in6_addr *src)
{
	struct rbuf b;

	rbuf_init(&b, in->data, in->sig->caplen);
	if ((rbuf_u8(&b) >> 4) != 6) {
		drop_malformed(e, "tunnel packet that is not IPv6", NULL);
		return false;
	}
	rbuf_skip(&b, 7);
	rbuf_in6(&b, src);
	if (b.err || in6_unspecified(&e->ha_addr)) {
		drop_malformed(e, "short tunnel packet", NULL);
		return false;
	}
	return true;
}

/*
 * An IPv4 packet with DF too big for the IPv4 or IPv6 tunnel to its
 * binding (DSMIPv6): RFC 1191 §4, Fragmentation Needed with the tunnel
 * MTU to its source, from our ipv4-address, through the rate limiter of
 * the ICMPv6 errors.  The plane records only packets with DF (without
 * DF it drops them, counted drop_too_big); icmp4_frag_needed checks DF
 * again and refuses errors RFC 1122 §3.2.2 forbids.
 */
static void
input_ptb4(struct ha_engine *e, const struct ha_input *in)
{
	uint32_t mtu = in->sig->mtu > 0xffff ? 0xffff : in->sig->mtu;
	size_t len;

	if (e->conf.ipv4_plen == 0 ||
	    icmp4_frag_needed(e->txbuf, sizeof(e->txbuf), &len,
	    &e->conf.ipv4_addr, (uint16_t)mtu, in->data,
	    in->sig->caplen) < 0)
		return;
	if (!ratelim_take(&e->rl_icmp, e->now)) {
		e->cnt.drop_rate_limited++;
		return;
	}
	emit(e, 0, e->txbuf, len);
	e->cnt.tx_ptb++;
	e->cnt.dsmip.tx_frag_needed++;
}

static void
input_ptb(struct ha_engine *e, const struct ha_input *in)
{
	struct in6_addr src;
	uint32_t mtu;

	e->cnt.rx_ptb++;
	if (in->sig->caplen > 0 && (in->data[0] >> 4) == 4) {
		input_ptb4(e, in);
		return;
	}
	if (!tunnel_pkt_src(e, in, &src))
		return;
	/* the record's MTU already lacks the tunnel header (RFC 2473 §7.1) */
	mtu = in->sig->mtu < IP6_MIN_MTU ? IP6_MIN_MTU : in->sig->mtu;
	send_icmp_error(e, &e->ha_addr, &src, ICMP6_T_PKT_TOO_BIG, mtu,
	    in->data, in->sig->caplen);
}

/* RFC 4443 §3.3: hop limit exceeded in transit (code 0) to the sender. */
static void
input_hlim(struct ha_engine *e, const struct ha_input *in)
{
	struct in6_addr src;

	e->cnt.rx_hlim++;
	if (tunnel_pkt_src(e, in, &src))
		send_icmp_error(e, &e->ha_addr, &src, ICMP6_T_TIME_EXCEEDED,
		    0, in->data, in->sig->caplen);
}

static void set_hint(struct ha_engine *, const struct ha_input *);
static void input_one(struct ha_engine *, const struct ha_input *);

/*
 * RFC 4303 §3.4, RFC 3776: ESP to us.  Opened (SA by SPI, replay window,
 * ICV, decryption), then the packet without ESP is served like any other
 * with rx_sa saying it was protected.  Every failure is counted in the
 * SA table and dropped silently (§3.4.2-§3.4.4: auditable events).
 */
static void
input_esp(struct ha_engine *e, const struct ha_input *in,
    const struct in6_addr *src)
{
	struct m6_sig sig = *in->sig;
	struct ha_input inner = { &sig, e->espbuf };
	size_t esp_off, nh_off, len;
	struct espsa *sa;
	enum espsa_res r;
	char what[64];

	if (e->rx_sa != NULL || (in->sig->flags &
	    (M6SF_UDP4 | M6SF_IP4 | M6SF_TRUNC)) != 0 ||
	    !espsa_locate(&e->rx, &esp_off, &nh_off)) {
		/* ESP in ESP, in a tunnel, or cut short */
		drop_malformed(e, "ESP we cannot open", src);
		return;
	}
	r = espsa_open_pkt(&e->esp, in->data, in->sig->caplen, esp_off,
	    nh_off, e->espbuf, sizeof(e->espbuf), &len, &sa);
	if (r != ESPSA_OK) {
		snprintf(what, sizeof(what), "ESP (%s)", espsa_res_name(r));
		input_log(e, what, src);
		return;
	}
	sig.caplen = (uint32_t)len;
	e->rx_sa = sa;
	input_one(e, &inner);
	e->rx_sa = NULL;
}

/*
 * RFC 4301 §5.2 step 4: what an SA opened must come from its peer (the
 * home address: the HAO applies before ESP, RFC 6275 §6.3).  False, and
 * counted, when not.
 */
static bool
esp_from_peer(struct ha_engine *e, const struct hdr_ipv6 *ip)
{
	const struct in6_addr *hao = pkt_hao(&e->rx);
	const struct in6_addr *from = hao != NULL ? hao : &ip->src;

	if (e->rx_sa == NULL || in6_eq(from, &e->rx_sa->c.peer))
		return true;
	e->rx_sa->cnt.peer++;
	input_log(e, "ESP from another peer than its SA's", from);
	return false;
}

void
ha_engine_input(struct ha_engine *e, const struct ha_input *in,
    uint64_t now_ms)
{
	e->now = now_ms;
	if (in == NULL || in->sig == NULL || in->data == NULL)
		return;
	set_hint(e, in);
	input_one(e, in);
	e->hint.valid = false;
}

/*
 * The reply path of this input: its arrival interface and link-layer
 * source, good for replies to its (outer) IPv6 source.  Not for a
 * reverse-tunneled packet (its IPv6 source is not where the frame came
 * from) nor a frame without a unicast link-layer source.
 */
static void
set_hint(struct ha_engine *e, const struct ha_input *in)
{
	const struct m6_sig *s = in->sig;
	static const uint8_t zero[6];

	e->hint.valid = false;
	/* an IPv4-tunneled BU is answered to the frame's source (the MN's
	   router or NAT): RFC 5555 §4.2 [R] */
	if ((s->flags & M6SF_DECAP) != 0 &&
	    (s->flags & (M6SF_UDP4 | M6SF_IP4)) == 0)
		return;
	if (s->caplen < IP6_HDR ||
	    memcmp(s->l2_src, zero, 6) == 0 || (s->l2_src[0] & 1) != 0)
		return;
	e->hint.valid = true;
	e->hint.ifindex = s->ifindex;
	memcpy(e->hint.mac, s->l2_src, 6);
	memcpy(&e->hint.dst, in->data + 8, sizeof(e->hint.dst));
}

static void
input_one(struct ha_engine *e, const struct ha_input *in)
{
	const struct hdr_ipv6 *ip;
	bool decoded;

	if (in->sig->reason == M6S_PTB) {
		input_ptb(e, in);
		return;
	}
	if (in->sig->reason == M6S_HLIM) {
		input_hlim(e, in);
		return;
	}
	/*
	 * A Mobility Header shorter than its type's fixed part does not
	 * decode, yet RFC 6275 §9.2 answers its Header Len with a Parameter
	 * Problem: it goes on to input_mh, which drops it after that check.
	 */
	decoded = pkt_decode(&e->rx, PKT_LINK_IPV6, in->data,
	    in->sig->caplen) == 0;
	ip = pkt_inner_ip6(&e->rx);
	if (pkt_find(&e->rx, HDR_ESP) != NULL) {
		input_esp(e, in, ip != NULL ? &ip->src : NULL);
		return;
	}
	if (ip == NULL || (!decoded && !e->rx.has_mh)) {
		drop_malformed(e, "truncated packet", NULL);
		return;
	}
	if (!esp_from_peer(e, ip))
		return;
	/* RFC 5555 §4.2 [R]: through an IPv4 tunnel we take only BUs; the
	   rest was the data plane's (silently discarded here) */
	if ((in->sig->flags & (M6SF_UDP4 | M6SF_IP4)) != 0 &&
	    (!e->rx.has_mh || e->rx.mh.type != MH_BU)) {
		e->cnt.dsmip.udp4191_not_bu++;
		return;
	}
	if (e->rx.has_mh)
		input_mh(e, in, ip, decoded);
	else if (e->rx.has_icmp6)
		input_icmp6(e, in, ip);
	else if (!hao_unbound(e, ip))
		e->cnt.drop_not_for_us++;
}

/* ------------------------------------------------------------ timers */

uint64_t
ha_engine_next_timeout(const struct ha_engine *e)
{
	uint64_t t = bc_timer_next(e->bc), u;

	if ((u = ha_nd_next_timeout(e->nd)) < t)
		t = u;
	if ((u = ha_disc_next_timeout(e->disc)) < t)
		t = u;
	return t;
}

void
ha_engine_timeout(struct ha_engine *e, uint64_t now_ms)
{
	struct bce *b;

	e->now = now_ms;
	ha_nd_timeout(e->nd, now_ms);
	ha_disc_timeout(e->disc, now_ms);
	while ((b = bc_timer_pop(e->bc, now_ms)) != NULL)
		bce_timeout(e, b);
}

/* ------------------------------------------------------ setup, state */

static void
derive_ha_addr(struct ha_engine *e)
{
	const uint8_t *mac = NULL;
	size_t i;

	for (i = 0; i < e->nifaces; i++)
		if (e->ifaces[i].home_link) {
			mac = e->ifaces[i].mac;
			break;
		}
	/* unchanged when eui64 cannot be derived yet (no interfaces) */
	(void)had_conf_ha_addr(&e->conf, mac, &e->ha_addr);
}

static void
apply_conf(struct ha_engine *e)
{
	ratelim_init(&e->rl_be, e->conf.rate_be, e->now);
	ratelim_init(&e->rl_icmp, e->conf.rate_icmp, e->now);
	ratelim_init(&e->rl_log, LOG_PER_SEC, e->now);
	ha_nd_set_dad(e->nd, e->conf.dad_transmits, e->conf.retrans_ms);
	/* RFC 5555: no memory for the pool: dynamic requests get 132 */
	if (dsmip_pool_init(e) != 0)
		elog(e, LOG_ERR, "ipv4-pool: out of memory");
	derive_ha_addr(e);
	ha_disc_configure(e->disc, &e->conf, &e->ha_addr, e->now);
}

struct ha_engine *
ha_engine_new(const struct had_conf *conf, const struct ha_ops *ops,
    uint64_t now_ms)
{
	uint8_t seed[sizeof(uint64_t)];
	struct ha_engine *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->ops = *ops;
	e->sub_ops = (struct ha_ops){
		.ctx = e, .send = sub_send, .bind_set = sub_bind_set,
		.bind_del = sub_bind_del, .mnp_set = sub_mnp_set,
		.mnp_del = sub_mnp_del, .ndp_watch = sub_ndp_watch,
		.log = sub_log,
	};
	e->now = now_ms;
	/* a seed the senders cannot guess keeps hash chains short */
	if (rr_random(seed, sizeof(seed)) == 0)
		memcpy(&e->hash_seed, seed, sizeof(seed));
	else
		e->hash_seed = 0x5bd1e9955bd1e995ull;
	if (conf_copy(&e->conf, conf) != 0 || mn_index_build(e) != 0 ||
	    espsa_table_set(&e->esp, conf->sa, conf->nsa) != 0 ||
	    (e->bc = bc_new(e->hash_seed)) == NULL ||
	    (e->nd = ha_nd_new(&e->sub_ops)) == NULL ||
	    (e->disc = ha_disc_new(&e->sub_ops)) == NULL) {
		ha_engine_free(e);
		return NULL;
	}
	/* RFC 6275 §10.5.1: home agents of equal preference in random order */
	ha_disc_set_seed(e->disc, (uint32_t)(e->hash_seed | 1));
	apply_conf(e);
	if (e->conf.auth == HAD_AUTH_NONE)
		elog(e, LOG_WARNING, "authentication disabled (authentication "
		    "none): any node may register any allowed home address; "
		    "use only for conformance runs");
	return e;
}

void
ha_engine_free(struct ha_engine *e)
{
	size_t cur = 0;
	struct bce *b;

	if (e == NULL)
		return;
	if (e->bc != NULL)
		while ((b = bc_next(e->bc, &cur)) != NULL) {
			free(b->pend);
			b->pend = NULL;
		}
	bc_free(e->bc);
	ha_nd_free(e->nd);
	ha_disc_free(e->disc);
	dsmip_pool_free(e);
	dsmip_index_free(e);
	free(e->conf.mn);
	free(e->mn_index);
	espsa_table_free(&e->esp);
	free(e);
}

void
ha_engine_set_ifaces(struct ha_engine *e, const struct ha_iface *ifs,
    size_t n)
{
	if (n > HAD_IFACE_MAX)
		n = HAD_IFACE_MAX;
	memcpy(e->ifaces, ifs, n * sizeof(*ifs));
	e->nifaces = n;
	e->warned_no_home_if = false;
	ha_nd_set_ifaces(e->nd, e->ifaces, n);
	ha_disc_set_ifaces(e->disc, e->ifaces, n);
	if (e->conf.ha_addr_eui64) {
		derive_ha_addr(e);
		ha_disc_configure(e->disc, &e->conf, &e->ha_addr, e->now);
	}
}

const struct in6_addr *
ha_engine_ha_addr(const struct ha_engine *e)
{
	return &e->ha_addr;
}

/* Would the configuration still accept this binding? */
static bool
still_allowed(const struct ha_engine *e, const struct bce *b)
{
	const struct had_mn *mn = mn_lookup(e, &b->hoa);

	if (home_prefix_of(e, &b->hoa) == NULL || !policy_allows(e, mn))
		return false;
	return !b->router ||
	    (e->conf.accept_router && mn != NULL && mn->router);
}

int
ha_engine_reconf(struct ha_engine *e, const struct had_conf *conf)
{
	struct had_conf old = e->conf;
	char a[IN6_STRLEN];
	size_t cur = 0;
	struct bce *b;

	if (conf_copy(&e->conf, conf) != 0) {
		e->conf = old;
		return -1;
	}
	if (mn_index_build(e) != 0 ||
	    espsa_table_set(&e->esp, conf->sa, conf->nsa) != 0) {
		free(e->conf.mn);
		e->conf = old;
		(void)mn_index_build(e);
		return -1;
	}
	free(old.mn);
	apply_conf(e);
	while ((b = bc_next(e->bc, &cur)) != NULL)
		if (!still_allowed(e, b)) {
			elog(e, LOG_NOTICE, "binding for %s removed: no longer "
			    "allowed by the configuration", in6_fmt(&b->hoa, a));
			bce_transition(e, b, EV_DELETE);
		}
	/* RFC 6275 §10.6.2: the home prefixes changed: tell every bound MN */
	if (ha_disc_prefixes_changed(e->disc)) {
		cur = 0;
		while ((b = bc_next(e->bc, &cur)) != NULL)
			if (b->state == BCE_BOUND)
				ha_disc_mpa_unsolicited(e->disc, &b->hoa,
				    &b->coa, e->now);
	}
	return 0;
}

void
ha_engine_restore(struct ha_engine *e, const struct in6_addr *hoa,
    const struct m6_bind *rec, uint64_t now_ms)
{
	struct bce *b;

	e->now = now_ms;
	if (bc_find(e->bc, hoa) != NULL)
		return;		/* given twice: the first one stands */
	if (rec->expires_ms <= now_ms || rec->state != BCE_BOUND) {
		e->ops.bind_del(e->ops.ctx, hoa);
		return;
	}
	if ((b = bc_add(e->bc, hoa)) == NULL) {
		elog(e, LOG_ERR, "binding cache: out of memory on restore");
		return;
	}
	from_m6(&b->coa, &rec->coa);
	from_m6(&b->ha, &rec->ha);
	b->seq = rec->seq;
	b->bu_flags = rec->bu_flags;
	b->lifetime = rec->lifetime;
	b->router = (rec->flags & M6B_ROUTER) != 0;
	b->home_ifindex = rec->home_ifindex;
	b->registered_ms = rec->registered_ms;
	b->refreshed_ms = rec->refreshed_ms;
	b->expires_ms = rec->expires_ms;
	b->spi = rec->spi;
	dsmip_restore_record(b, rec);
	if (e->conf.brr_lead != 0 &&
	    (uint64_t)e->conf.brr_lead * 1000 < rec->expires_ms)
		b->brr_ms = rec->expires_ms - (uint64_t)e->conf.brr_lead * 1000;
	bce_transition(e, b, EV_ACCEPT);
	if ((rec->flags & M6B_PROXY) != 0)
		proxy_update(e, b, (b->bu_flags & MH_BU_L) != 0);
	bce_arm(e, b);
}

void
ha_engine_restore_mnp(struct ha_engine *e, const struct had_prefix *p,
    const struct in6_addr *hoa)
{
	struct bce *b = bc_find(e->bc, hoa);

	if (b == NULL || b->state != BCE_BOUND || b->nmnp >= HAD_MNP_MAX ||
	    bce_mnp_room(b) != 0) {
		e->ops.mnp_del(e->ops.ctx, p);
		return;
	}
	if (!mnp_listed(b->mnp, b->nmnp, p))
		b->mnp[b->nmnp++] = *p;
}

void
ha_engine_arp(struct ha_engine *e, unsigned ifindex, const uint8_t *body,
    size_t len, uint64_t now_ms)
{
	e->now = now_ms;
	if (body != NULL)
		dsmip_arp_input(e, ifindex, body, len);
}

void
ha_engine_restore4(struct ha_engine *e, const struct in_addr *pfx,
    unsigned plen, const struct in6_addr *hoa)
{
	dsmip_restore4(e, pfx, plen, hoa);
}

int
ha_engine_delete(struct ha_engine *e, const struct in6_addr *hoa)
{
	struct bce *b = bc_find(e->bc, hoa);

	if (b == NULL)
		return -1;
	bce_transition(e, b, EV_DELETE);
	return 0;
}

void
ha_engine_reset(struct ha_engine *e, uint64_t now_ms)
{
	size_t cur = 0;
	struct bce *b;

	e->now = now_ms;
	while ((b = bc_next(e->bc, &cur)) != NULL)
		bce_transition(e, b, EV_DELETE);
	ha_nd_reset(e->nd);
	ha_disc_reset(e->disc);
	memset(&e->cnt, 0, sizeof(e->cnt));
	espsa_table_reset(&e->esp);
	apply_conf(e);
}

int
ha_engine_ctl(struct ha_engine *e, const char *request, uint64_t now_ms,
    struct jw *jw)
{
	e->now = now_ms;
	return ha_ctl_request(e, request, now_ms, jw);
}
