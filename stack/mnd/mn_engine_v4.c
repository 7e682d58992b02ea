/*
 * stack/mnd/mn_engine_v4.c - the mobile node engine's Dual-Stack MIPv6
 * part (RFC 5555): the IPv4 Home Address option (29) and the IPv4
 * Care-of Address option (32) in home registrations, the IPv4 Address
 * Acknowledgement (30) and NAT Detection (31) options of the BA, the
 * IPv4 home address's life (installed through ops.hoa4), and the mn_hoa
 * flags of a registration from an IPv4 care-of address.
 *
 * Rules marked [R] are from memory of RFC 5555 §4-§5 (stack/DESIGN.md,
 * conformance/cases/dsmip/RFC5555-CLAUSES.md), not checked against its
 * text.  An IPv4 care-of address is held as IPv4-mapped (::ffff:a.b.c.d)
 * in e->coa, as the maps hold it.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <syslog.h>

#include "packets/mh.h"
#include "stack/lib/m6addr.h"
#include "stack/mnd/mn_engine_impl.h"

static const char *const v4_names[MN_V4_NSTATES] = {
	"off", "asking", "bound", "refused", "unsupported"
};

const char *
mn_v4_state_name(unsigned s)
{
	return s < MN_V4_NSTATES ? v4_names[s] : "?";
}

bool
mn_coa_is_v4(const struct mn_engine *e)
{
	return e->have_coa && IN6_IS_ADDR_V4MAPPED(&e->coa);
}

struct in_addr
mn_coa4(const struct mn_engine *e)
{
	struct in_addr a;

	memcpy(&a, e->coa.s6_addr + 12, 4);
	return a;
}

/* Whether the next home BU carries the IPv4 Home Address option. */
static bool
v4_asking(const struct mn_home *h)
{
	return h->conf.v4mode != MND_V4_NONE &&
	    h->v4_state != MN_V4_REFUSED && h->v4_state != MN_V4_UNSUPPORTED;
}

/*
 * RFC 5555 §3.1.1: Prefix-len 32 for one address (3.1.1-a); 0.0.0.0 asks
 * the home agent to assign one (3.1.1-f); P and the prefix length for a
 * mobile network prefix, P only in a new request, the allocated length
 * once granted (3.1.1-b, -d); Reserved bits zero (3.1.1-e [R]).
 */
static bool
add_v4hoa(struct mn_home *h, struct mh_msg *m)
{
	struct mh_opt *o = mh_add_opt(m, MHOPT_V4HOA);
	bool bound = h->v4_state == MN_V4_BOUND;

	if (o == NULL)
		return false;
	switch (h->conf.v4mode) {
	case MND_V4_STATIC:
		o->u.v4hoa.addr = h->conf.v4addr;
		o->u.v4hoa.plen = 32;
		break;
	case MND_V4_DYNAMIC:
		if (bound)
			o->u.v4hoa.addr = h->v4_addr;
		o->u.v4hoa.plen = 32;
		break;
	case MND_V4_PREFIX:
	default:
		o->u.v4hoa.addr = h->v4_prefix_granted ? h->v4_addr :
		    h->conf.v4addr;
		o->u.v4hoa.plen = h->v4_prefix_granted ? h->v4_plen :
		    h->conf.v4plen;
		o->u.v4hoa.p = !h->v4_prefix_granted;
		break;
	}
	if (h->v4_state == MN_V4_OFF)
		h->v4_state = MN_V4_ASKING;
	return true;
}

/*
 * The DSMIPv6 part of a home registration (not a de-registration).
 * From an IPv4 care-of address: RFC 5555 §4.2 [R] (4.2-a) the IPv4
 * Care-of Address option, §3.1.3 [R] F when configured (force-udp).
 */
bool
mn_v4_add_bu_opts(struct mn_engine *e, struct mn_bul *b, struct mh_msg *m)
{
	struct mn_home *h = &e->home[b->hidx];
	struct mh_opt *o;

	if (v4_asking(h) && !add_v4hoa(h, m))
		return false;
	if (!mn_coa_is_v4(e))
		return true;
	if (e->conf.force_udp) {
		m->u.bu.flags |= MH_BU_F;
		b->flags |= MH_BU_F;
	}
	if ((o = mh_add_opt(m, MHOPT_V4COA)) == NULL)
		return false;
	o->u.v4coa.addr = mn_coa4(e);
	return true;
}

static void
v4_log(struct mn_engine *e, int prio, const char *what,
    const struct in_addr *a, unsigned plen)
{
	char s[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, a, s, sizeof(s));
	mn_log(e, prio, "IPv4 home address %s/%u: %s", s, plen, what);
}

/* Take the IPv4 home address (or prefix) off: map entry, lo, route. */
void
mn_v4_clear(struct mn_engine *e, struct mn_home *h)
{
	if (h->v4_installed && e->ops.hoa4 != NULL)
		e->ops.hoa4(e->ops.ctx, &h->conf.pfx.addr, &h->v4_addr,
		    h->v4_plen, h->v4_ifindex, false);
	if (h->v4_installed)
		v4_log(e, LOG_INFO, "removed", &h->v4_addr, h->v4_plen);
	h->v4_installed = false;
	h->ka_timer = 0;
}

/*
 * RFC 5555 §4.5 [R], as RFC 6275 §11.5.4 for the IPv6 home address: back
 * home (after the de-registration, when the home agent no longer proxy
 * ARPs for it) a configured IPv4 home address goes on the home link with
 * the home link's prefix length and is announced; on leaving home it
 * goes back to the loopback before any registration.  Only a static
 * address: a dynamic one was the home agent's to lend and was released
 * with the binding, a prefix belongs to the mobile network.
 */
void
mn_v4_place(struct mn_engine *e, struct mn_home *h, bool home)
{
	if (h->conf.v4mode != MND_V4_STATIC || e->ops.place_hoa4 == NULL ||
	    (!home && !h->v4_home))
		return;
	e->ops.place_hoa4(e->ops.ctx, &h->conf.pfx.addr, &h->conf.v4addr,
	    home ? h->conf.v4home_plen : 32, home ? h->home_ifindex : 0);
	if (home && !h->v4_home)
		v4_log(e, LOG_INFO, "on the home link", &h->conf.v4addr,
		    h->conf.v4home_plen);
	h->v4_home = home;
}

/* A registration from scratch (IDLE, reset): ask again (§4.4.3 [R]). */
void
mn_v4_fresh(struct mn_engine *e, struct mn_home *h)
{
	mn_v4_clear(e, h);
	h->v4_state = h->conf.v4mode == MND_V4_NONE ? MN_V4_OFF :
	    MN_V4_ASKING;
	h->v4_status = 0;
	h->v4_prefix_granted = false;
	h->nat = h->udp = h->natd_f = false;
	h->refresh_s = 0;
}

/* Status 0: the acknowledged address goes in place (RFC 5555 §4.4.3 [R]:
   only then is it used). */
static void
v4_accept(struct mn_engine *e, struct mn_home *h, const struct mh_opt *o)
{
	uint8_t plen = o->u.v4ack.plen;

	if (h->conf.v4mode != MND_V4_PREFIX)
		plen = 32;
	if (o->u.v4ack.addr.s_addr == 0 || plen == 0 || plen > 32) {
		/* nothing usable was acknowledged: as a failure */
		e->cnt.drop[MN_DROP_MALFORMED]++;
		mn_log(e, LOG_WARNING, "IPv4 Address Acknowledgement 0 "
		    "without a usable address");
		h->v4_state = MN_V4_REFUSED;
		mn_v4_clear(e, h);
		return;
	}
	if (h->v4_installed && (h->v4_addr.s_addr != o->u.v4ack.addr.s_addr ||
	    h->v4_plen != plen || h->v4_ifindex != e->coa_ifindex))
		mn_v4_clear(e, h);
	h->v4_state = MN_V4_BOUND;
	h->v4_addr = o->u.v4ack.addr;
	h->v4_plen = plen;
	if (h->conf.v4mode == MND_V4_PREFIX)
		h->v4_prefix_granted = true;
	if (h->v4_installed)
		return;
	h->v4_ifindex = e->coa_ifindex;
	if (e->ops.hoa4 != NULL)
		e->ops.hoa4(e->ops.ctx, &h->conf.pfx.addr, &h->v4_addr,
		    h->v4_plen, h->v4_ifindex, true);
	h->v4_installed = true;
	v4_log(e, LOG_NOTICE, "acknowledged", &h->v4_addr, h->v4_plen);
}

/* RFC 5555 §4.4.3 [R]: the IPv4 Address Acknowledgement of a home BA. */
static void
v4_ack(struct mn_engine *e, struct mn_home *h, const struct mh_msg *m)
{
	const struct mh_opt *o = mh_find_opt(m, MHOPT_V4ACK);

	if (!v4_asking(h) && h->v4_state != MN_V4_BOUND)
		return;
	if (o == NULL) {
		/* 4.4.3-b: the HA does not do DSMIPv6; stop asking until a
		   registration from scratch, send no IPv4 */
		if (h->v4_state != MN_V4_UNSUPPORTED)
			mn_log(e, LOG_WARNING, "BA without an IPv4 Address "
			    "Acknowledgement: the home agent does not support "
			    "DSMIPv6; no IPv4 home address");
		h->v4_state = MN_V4_UNSUPPORTED;
		mn_v4_clear(e, h);
		return;
	}
	h->v4_status = o->u.v4ack.status;
	if (o->u.v4ack.status < 128) {
		v4_accept(e, h, o);
		return;
	}
	/* 4.4.3-a: a failure: the IPv4 home address is not used */
	mn_log(e, LOG_WARNING, "IPv4 Address Acknowledgement status %u: no "
	    "IPv4 home address", o->u.v4ack.status);
	h->v4_state = MN_V4_REFUSED;
	mn_v4_clear(e, h);
}

/*
 * RFC 5555 §3.2.2, §4.2, §4.3 [R]: from an IPv4 care-of address, the NAT
 * Detection option says a NAT is on the path (or, F, that UDP is wanted
 * anyway): then everything goes in UDP (4.2-f, 3.2.2-b) and the BU is
 * re-sent every Refresh Time to keep the NAT binding (4.3-a): 0 means
 * NATKATIMEOUT, all ones no keepalives (3.2.2-d).  Without the option,
 * no NAT: IPv6-in-IPv4, or UDP when we set F ourselves.
 */
static void
v4_natd(struct mn_engine *e, struct mn_home *h, const struct mh_msg *m)
{
	const struct mh_opt *o = mh_find_opt(m, MHOPT_NATD);
	uint32_t period;

	h->ka_timer = 0;
	if (!mn_coa_is_v4(e)) {
		h->nat = h->udp = h->natd_f = false;
		h->refresh_s = 0;
		return;
	}
	h->natd_f = o != NULL && o->u.natd.f;
	h->refresh_s = o != NULL ? o->u.natd.refresh : 0;
	h->nat = o != NULL && o->u.natd.refresh != MN_REFRESH_NONE;
	h->udp = h->nat || h->natd_f || e->conf.force_udp;
	if (o == NULL || !h->udp || o->u.natd.refresh == MN_REFRESH_NONE)
		return;
	period = o->u.natd.refresh == 0 ? MN_NATKATIMEOUT_S :
	    o->u.natd.refresh;
	h->ka_timer = e->now + (uint64_t)period * 1000;
}

/*
 * Whether a BA to a home registration came the right way: from an IPv4
 * care-of address it must come back inside UDP from the home agent's
 * IPv4 address (§4.2 [R], 4.2-c); anything else is not the home agent's.
 */
bool
mn_v4_ba_from_ok(const struct mn_engine *e, const struct mn_bul *b)
{
	const struct mn_home *h = &e->home[b->hidx];
	const struct m6_sig *sig = e->rx_sig;
	uint8_t ha4[16] = { [10] = 0xff, [11] = 0xff };
	struct in6_addr src;

	if (!mn_coa_is_v4(e) || b->dereg)
		return true;
	if (sig == NULL || (sig->flags & M6SF_UDP4) == 0 || !h->conf.has_ha4)
		return false;
	memcpy(ha4 + 12, &h->conf.ha4, 4);
	m6_to_in6(&src, &sig->tun_src);
	return memcmp(&src, ha4, 16) == 0;
}

/* A successful BA to a home registration (not a de-registration). */
void
mn_v4_ba(struct mn_engine *e, struct mn_bul *b, const struct mh_msg *m)
{
	struct mn_home *h = &e->home[b->hidx];

	v4_ack(e, h, m);
	v4_natd(e, h, m);
}

/*
 * A registration of an earlier run (mn_hoa): the tunnel stays as it was
 * (UDP or not), and a bound one from an IPv4 care-of address re-sends
 * its BU at once: the BA brings back the NAT state and the IPv4 home
 * address (§4.3 [R]: the NAT binding must not lapse meanwhile).
 */
void
mn_v4_restore(struct mn_engine *e, struct mn_home *h, const struct mn_bul *b,
    const struct m6_mn_hoa *r)
{
	if ((r->flags & M6H_V4COA) == 0)
		return;
	h->udp = (r->flags & M6H_UDP) != 0;
	if (b->reg == MN_REG_BOUND)
		h->ka_timer = e->now;
}

/*
 * The mn_hoa fields of a registration from an IPv4 care-of address
 * (mip6_bpf.h M6H_V4COA/M6H_UDP: coa and ha IPv4-mapped, our source
 * port) and M6H_V4HOA while an IPv4 home address is in mn_hoa4.
 */
void
mn_v4_hoa_flags(const struct mn_engine *e, const struct mn_home *h,
    struct m6_mn_hoa *r)
{
	if (h->v4_installed)
		r->flags |= M6H_V4HOA;
	if (!mn_coa_is_v4(e) || (r->flags & M6H_AWAY) == 0)
		return;
	r->flags |= M6H_V4COA;
	if (h->udp)
		r->flags |= M6H_UDP;
	memset(r->ha.b, 0, sizeof(r->ha.b));
	r->ha.b[10] = r->ha.b[11] = 0xff;
	memcpy(r->ha.b + 12, &h->conf.ha4, 4);
	r->udp_sport = htons(e->conf.udp_port);
}
