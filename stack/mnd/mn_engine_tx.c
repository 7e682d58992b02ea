/*
 * stack/mnd/mn_engine_tx.c - every packet the mobile node originates, built
 * with the packets/ library: Binding Updates to the home agent (RFC 6275
 * §11.7.1, RFC 3963 §5.1) and to correspondents with Binding
 * Authorization Data (§11.7.2), HoTI and CoTI (§11.6.1), the DHAAD
 * Request (§11.4.1), the Mobile Prefix Solicitation (§11.4.2), the
 * Neighbor Advertisement for a home address after returning home
 * (§11.5.4), Binding Errors (§9.2) and Packet Too Big (RFC 4443 §3.2).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <syslog.h>

#include "packets/pkt.h"
#include "packets/ptb.h"
#include "packets/rr.h"
#include "stack/mnd/mn_engine_impl.h"

#define ANYCAST_ID_HA	0x7e	/* RFC 2526 §3: Mobile IPv6 home agents */
#define HOP_LIMIT	64
#define ND_HOP_LIMIT	255	/* RFC 4861 §7.1.2 */

static const struct in6_addr all_nodes = {
	.s6_addr = { 0xff, 0x02, [15] = 0x01 }
};

/* Start e->tx: an IPv6 header, and a HAO when hoa is not NULL. */
static bool
tx_start(struct mn_engine *e, const struct in6_addr *src,
    const struct in6_addr *dst, const struct in6_addr *hoa, uint8_t hlim)
{
	if (pkt_start_ipv6(&e->tx, src, dst, hlim) == NULL)
		return false;
	return hoa == NULL || pkt_push_hao(&e->tx, hoa) != NULL;
}

static bool
tx_encode(struct mn_engine *e, size_t *len)
{
	if (pkt_encode(&e->tx, e->txbuf, sizeof(e->txbuf), len) != 0) {
		mn_log(e, LOG_ERR, "cannot encode an outgoing packet");
		return false;
	}
	return true;
}

static bool
tx_send(struct mn_engine *e, unsigned oif)
{
	size_t len;

	if (!tx_encode(e, &len))
		return false;
	e->ops.send(e->ops.ctx, oif, e->txbuf, len);
	return true;
}

/*
 * RFC 3776 §3, §4.1: the BU to a home agent we have SAs with goes inside
 * ESP in transport mode (after the HAO: RFC 6275 §6.3).  A manual SA
 * whose sequence numbers are used up sends nothing any more (RFC 4303
 * §3.3.3), said once.
 */
static bool
tx_send_esp(struct mn_engine *e, unsigned oif, struct espsa *sa)
{
	char a[INET6_ADDRSTRLEN];
	enum espsa_res r;
	size_t len;

	if (!tx_encode(e, &len))
		return false;
	if ((r = espsa_seal_pkt(sa, e->txbuf, &len, sizeof(e->txbuf))) !=
	    ESPSA_OK) {
		if (r != ESPSA_EXHAUSTED || !sa->exhausted)
			mn_log(e, LOG_ERR, "cannot send to %s inside ESP (SPI "
			    "0x%x): %s%s", inet_ntop(AF_INET6, &sa->c.peer, a,
			    sizeof(a)), (unsigned)sa->c.sa.spi,
			    espsa_res_name(r), r == ESPSA_EXHAUSTED ?
			    ": configure a new SA" : "");
		sa->exhausted = r == ESPSA_EXHAUSTED;
		return false;
	}
	e->ops.send(e->ops.ctx, oif, e->txbuf, len);
	return true;
}

/* ------------------------------------------------- Binding Updates */

/* RFC 3963 §5.1: in explicit mode, one option per mobile network prefix. */
static bool
add_mnp_opts(struct mn_engine *e, struct mh_msg *m)
{
	struct mh_opt *o;
	size_t i;

	if (!e->conf.mobile_router || e->conf.regmode != MND_REG_EXPLICIT)
		return true;
	for (i = 0; i < e->conf.nmnp; i++) {
		if ((o = mh_add_opt(m, MHOPT_MNP)) == NULL)
			return false;
		o->u.mnp.plen = e->conf.mnp[i].pfx.plen;
		o->u.mnp.prefix = e->conf.mnp[i].pfx.addr;
	}
	return true;
}

/*
 * RFC 6275 §11.7.1, RFC 3776 §4.1: ESP in transport mode does not cover
 * the IPv6 source address, so a BU inside ESP names its care-of address
 * in an Alternate Care-of Address option, which it does cover.
 */
static bool
add_acoa_opt(struct mh_msg *m, const struct in6_addr *coa)
{
	struct mh_opt *o;

	if ((o = mh_add_opt(m, MHOPT_ACOA)) == NULL)
		return false;
	o->u.acoa = *coa;
	return true;
}

/*
 * RFC 5555 §4.2 [R] (4.2-a): from an IPv4 care-of address the BU goes
 * inside IPv4/UDP from that address (our UDP source port, which data
 * then shares, so both use one NAT mapping) to the home agent's IPv4
 * address, port 4191; inside, from the IPv6 home address to the home
 * agent, no Home Address option (mn_v4_add_bu_opts adds option 32).
 */
static bool
tx_home_bu_udp4(struct mn_engine *e, struct mn_bul *b)
{
	const struct mn_home *h = &e->home[b->hidx];
	struct in_addr src = mn_coa4(e);
	size_t len;

	if (!h->conf.has_ha4 || e->ops.send_udp4 == NULL) {
		e->cnt.drop[MN_DROP_NO_HA4]++;
		if (ratelim_take_window(&e->rl_log, e->now, 1))
			mn_log(e, LOG_WARNING, "IPv4 care-of address but no "
			    "home-agent-ipv4: no binding update sent");
		return false;
	}
	if (!tx_encode(e, &len))
		return false;
	e->ops.send_udp4(e->ops.ctx, e->coa_ifindex, &src, e->conf.udp_port,
	    &h->conf.ha4, e->txbuf, len);
	return true;
}

/*
 * RFC 6275 §11.7.1: from the care-of address with a Home Address option,
 * A and H set (K clear: no IPsec security associations); §11.5.4: a
 * de-registration from home comes from the home address, without HAO,
 * lifetime 0.  RFC 3963 §5.1: R set by a mobile router.
 */
bool
mn_tx_home_bu(struct mn_engine *e, struct mn_bul *b)
{
	struct mn_home *h = &e->home[b->hidx];
	const struct in6_addr *hoa = &h->conf.pfx.addr;
	struct espsa *sa;
	struct mh_msg *m;
	unsigned oif;
	bool udp4 = false;

	if (b->dereg && h->at_home) {
		if (!tx_start(e, hoa, &b->peer, NULL, HOP_LIMIT))
			return false;
		oif = h->home_ifindex;
	} else {
		if (!e->have_coa) {
			e->cnt.drop[MN_DROP_NO_COA]++;
			return false;
		}
		udp4 = mn_coa_is_v4(e);
		if (!tx_start(e, udp4 ? hoa : &e->coa, &b->peer,
		    udp4 ? NULL : hoa, HOP_LIMIT))
			return false;
		oif = e->coa_ifindex;
	}
	if ((m = pkt_push_mh(&e->tx, MH_BU)) == NULL)
		return false;
	m->u.bu.seq = b->seq;
	m->u.bu.flags = b->flags;
	m->u.bu.lifetime = b->dereg ? 0 : b->lifetime_req;
	if (!b->dereg && (!add_mnp_opts(e, m) || !mn_v4_add_bu_opts(e, b, m)))
		return false;
	sa = udp4 ? NULL : espsa_find_out(&e->esp, &b->peer);
	if (sa != NULL && !(b->dereg && h->at_home) && !add_acoa_opt(m, &e->coa))
		return false;
	if (udp4 ? !tx_home_bu_udp4(e, b) :
	    sa != NULL ? !tx_send_esp(e, oif, sa) : !tx_send(e, oif))
		return false;
	b->coa = b->dereg && h->at_home ? *hoa : e->coa;
	b->sent_ms = e->now;
	e->cnt.tx[MN_TX_BU]++;
	return true;
}

/* The offset and length of the Mobility Header in e->txbuf. */
static bool
tx_mh_span(struct mn_engine *e, size_t len, size_t *off, size_t *mhlen)
{
	const struct hdr *mh;

	if (pkt_decode(&e->scratch, PKT_LINK_IPV6, e->txbuf, len) != 0 ||
	    (mh = pkt_find_last(&e->scratch, HDR_MH)) == NULL)
		return false;
	*off = mh->off;
	*mhlen = len - mh->off;
	return true;
}

/*
 * RFC 6275 §11.7.2, §5.2.6: a BU to a correspondent carries the Nonce
 * Indices and, last, the Binding Authorization Data, whose authenticator
 * is First(96, HMAC_SHA1(Kbm, CoA | CN | MH data)).  A de-registration
 * from home (§11.5.4) comes from the home address without HAO (CoA ==
 * HoA) and Kbm = SHA1(home keygen token).
 */
bool
mn_tx_cn_bu(struct mn_engine *e, struct mn_bul *b)
{
	struct mn_home *h = &e->home[b->hidx];
	const struct in6_addr *hoa = &h->conf.pfx.addr;
	bool home = b->dereg && h->at_home;
	const struct in6_addr *coa = home ? hoa : &e->coa;
	uint8_t kbm[RR_KBM_LEN];
	struct mh_msg *m;
	struct mh_opt *o;
	size_t len, off, mhlen;

	if (!home && (!e->have_coa || mn_coa_is_v4(e))) {
		/* RFC 5555 §4.6: no route optimisation over IPv4 */
		e->cnt.drop[MN_DROP_NO_COA]++;
		return false;
	}
	if (rr_kbm(b->home_token, home ? NULL : b->careof_token, kbm) != 0 ||
	    !tx_start(e, coa, &b->peer, home ? NULL : hoa, HOP_LIMIT) ||
	    (m = pkt_push_mh(&e->tx, MH_BU)) == NULL)
		return false;
	m->u.bu.seq = b->seq;
	m->u.bu.flags = b->flags;
	m->u.bu.lifetime = b->lifetime_req;
	if ((o = mh_add_opt(m, MHOPT_NI)) == NULL)
		return false;
	o->u.ni.home = b->home_nonce;
	o->u.ni.careof = b->careof_nonce;
	if ((o = mh_add_opt(m, MHOPT_BAD)) == NULL)
		return false;
	o->var_len = RR_AUTH_LEN;
	if (!tx_encode(e, &len) || !tx_mh_span(e, len, &off, &mhlen) ||
	    rr_sign_mh(e->txbuf + off, mhlen, kbm, coa, &b->peer, hoa,
	    &b->peer) != 0) {
		mn_log(e, LOG_ERR, "cannot sign a binding update");
		return false;
	}
	e->ops.send(e->ops.ctx, home ? h->home_ifindex : e->coa_ifindex,
	    e->txbuf, len);
	b->coa = *coa;
	b->sent_ms = e->now;
	e->cnt.tx[MN_TX_BU]++;
	return true;
}

/* ------------------------------------------------ return routability */

/* RFC 6275 §11.6.1: a fresh cookie for each HoTI and CoTI. */
static bool
tx_init(struct mn_engine *e, struct mn_bul *b, uint8_t type,
    const struct in6_addr *src, uint8_t cookie[8], unsigned oif)
{
	struct mh_msg *m;

	if (rr_random(cookie, 8) != 0 ||
	    !tx_start(e, src, &b->peer, NULL, HOP_LIMIT) ||
	    (m = pkt_push_mh(&e->tx, type)) == NULL)
		return false;
	memcpy(m->u.init.cookie, cookie, 8);
	return tx_send(e, oif);
}

/* The HoTI leaves from the home address: mn.bpf.c tunnels it to the HA. */
bool
mn_tx_hoti(struct mn_engine *e, struct mn_bul *b)
{
	if (!tx_init(e, b, MH_HOTI, &e->home[b->hidx].conf.pfx.addr,
	    b->home_cookie, 0))
		return false;
	e->cnt.tx[MN_TX_HOTI]++;
	return true;
}

/* The CoTI goes straight from the care-of address. */
bool
mn_tx_coti(struct mn_engine *e, struct mn_bul *b)
{
	if (!e->have_coa || mn_coa_is_v4(e)) {
		e->cnt.drop[MN_DROP_NO_COA]++;
		return false;
	}
	if (!tx_init(e, b, MH_COTI, &e->coa, b->careof_cookie,
	    e->coa_ifindex))
		return false;
	e->cnt.tx[MN_TX_COTI]++;
	return true;
}

/* --------------------------------------------------- discovery, ND */

/*
 * RFC 2526 §2-3: the prefix, then ones, the last 7 bits the anycast ID
 * 0x7e; for a /64 the u/l bit is 0 (prefix:fdff:ffff:ffff:fffe).
 */
struct in6_addr
mn_ha_anycast(const struct mnd_prefix *p)
{
	struct in6_addr a = p->addr;
	unsigned i;

	for (i = p->plen; i < 128; i++)
		a.s6_addr[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	a.s6_addr[15] = (uint8_t)(0x80 | ANYCAST_ID_HA);
	if (p->plen == 64)
		a.s6_addr[8] &= (uint8_t)~0x02;
	return a;
}

/* RFC 6275 §11.4.1: to the Home-Agents anycast address, from the CoA;
   RFC 3963 §7.1: R set by a mobile router. */
bool
mn_tx_dhaad(struct mn_engine *e, struct mn_home *h)
{
	struct in6_addr dst = mn_ha_anycast(&h->conf.pfx);
	struct icmp6_msg *m;

	if (!e->have_coa || mn_coa_is_v4(e)) {
		/* DHAAD over IPv4 is out of scope (home-agent-ipv4) */
		e->cnt.drop[MN_DROP_NO_COA]++;
		return false;
	}
	if (!tx_start(e, &e->coa, &dst, NULL, HOP_LIMIT) ||
	    (m = pkt_push_icmp6(&e->tx, ICMP6_T_DHAAD_REQUEST, 0)) == NULL)
		return false;
	m->u.dhaad.id = h->dhaad_id;
	m->u.dhaad.flags = e->conf.mobile_router ? ICMP6_DHAAD_R : 0;
	if (!tx_send(e, e->coa_ifindex))
		return false;
	e->cnt.tx[MN_TX_DHAAD]++;
	return true;
}

/* RFC 6275 §11.4.2: to the HA, from the CoA, with a Home Address option. */
bool
mn_tx_mps(struct mn_engine *e, struct mn_home *h, const struct mn_bul *b)
{
	struct icmp6_msg *m;

	if (!e->have_coa || mn_coa_is_v4(e)) {
		e->cnt.drop[MN_DROP_NO_COA]++;
		return false;
	}
	if (!tx_start(e, &e->coa, &b->peer, &h->conf.pfx.addr, HOP_LIMIT) ||
	    (m = pkt_push_icmp6(&e->tx, ICMP6_T_MPS, 0)) == NULL)
		return false;
	m->u.mp.id = h->mps_id;
	if (!tx_send(e, e->coa_ifindex))
		return false;
	e->cnt.tx[MN_TX_MPS]++;
	return true;
}

static const struct mn_iface *
iface_by_index(const struct mn_engine *e, unsigned ifindex)
{
	size_t i;

	for (i = 0; i < e->nifaces; i++)
		if (e->ifaces[i].ifindex == ifindex)
			return &e->ifaces[i];
	return NULL;
}

/*
 * RFC 6275 §11.5.4: after the de-registration's BA, an NA to all-nodes
 * with the home address as target, our link-layer address, S clear and
 * O set (R for a mobile router, which is a router on that link).
 */
bool
mn_tx_na(struct mn_engine *e, struct mn_home *h)
{
	const struct mn_iface *ifc = iface_by_index(e, h->home_ifindex);
	struct icmp6_msg *m;
	struct nd_opt *o;

	if (ifc == NULL ||
	    !tx_start(e, &h->conf.pfx.addr, &all_nodes, NULL, ND_HOP_LIMIT) ||
	    (m = pkt_push_icmp6(&e->tx, ICMP6_T_NA, 0)) == NULL)
		return false;
	m->u.nsna.flags = ND_NA_O | (e->conf.mobile_router ? ND_NA_R : 0);
	m->u.nsna.target = h->conf.pfx.addr;
	if ((o = icmp6_add_opt(m, NDOPT_TLLA)) == NULL)
		return false;
	memcpy(o->u.lladdr, ifc->mac, 6);
	if (!tx_send(e, ifc->ifindex))
		return false;
	e->cnt.tx[MN_TX_NA]++;
	return true;
}

/* ------------------------------------------------------------ errors */

/*
 * RFC 6275 §9.2, §6.1.9: a Binding Error to the source of a mobility
 * header we could not take, from the address it reached, carrying the
 * Home Address option's address when it had one; rate-limited, and never
 * to a multicast, unspecified or link-local source.
 */
bool
mn_tx_be(struct mn_engine *e, const struct hdr_ipv6 *ip, uint8_t status)
{
	const struct in6_addr *hao = pkt_hao(&e->rx);
	struct mh_msg *m;

	if (IN6_IS_ADDR_UNSPECIFIED(&ip->src) ||
	    IN6_IS_ADDR_MULTICAST(&ip->src) || IN6_IS_ADDR_LINKLOCAL(&ip->src))
		return false;
	if (!ratelim_take_window(&e->rl_be, e->now, MN_BE_PER_SEC))
		return false;
	if (!tx_start(e, &ip->dst, &ip->src, NULL, HOP_LIMIT) ||
	    (m = pkt_push_mh(&e->tx, MH_BE)) == NULL)
		return false;
	m->u.be.status = status;
	if (hao != NULL)
		m->u.be.hoa = *hao;
	if (!tx_send(e, 0))
		return false;
	e->cnt.tx[MN_TX_BE]++;
	return true;
}

/*
 * RFC 4443 §3.2: the Packet Too Big for a packet the plane dropped as too
 * big once tunneled or given a HAO (packets/ptb.c), rate-limited (§2.4
 * (f)).
 */
bool
mn_tx_ptb(struct mn_engine *e, const struct in6_addr *src, uint32_t mtu,
    const uint8_t *quote, size_t qlen)
{
	if (!ratelim_take_window(&e->rl_ptb, e->now, MN_PTB_PER_SEC))
		return false;
	if (ptb_build(&e->tx, src, mtu, quote, qlen) < 0 || !tx_send(e, 0))
		return false;
	e->cnt.tx[MN_TX_PTB]++;
	return true;
}
