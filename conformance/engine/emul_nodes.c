/*
 * emul_nodes.c - the nodes the tester plays around the NUT (emul.h):
 * forged identities from the NUT description's `node` lines that answer
 * Neighbor Solicitations for their addresses (and Echo Requests, when
 * declared with echo=yes), ARP requests for their IPv4 addresses (RFC 826;
 * DSMIPv6 cases put IPv4 care-of addresses and routers on tester links)
 * and, for routers and home agents, send Router
 * Advertisements; movement switches which emulated
 * router advertises (TAHI's model: the MN under test sees a new router).
 *
 * Every frame is built and encoded by packets/ (checksums included).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emul.h"
#include "netdev.h"
#include "nut.h"
#include "packets/arp.h"
#include "packets/pkt.h"
#include "util.h"

#define EMUL_ADDRS_MAX	4
#define RA_INTERVAL_US	3000000		/* default: 3 s */
#define RA_LIFETIME_S	1800		/* RFC 4861 §6.2.1 default */
#define PI_VALID_S	2592000		/* RFC 4861 §6.2.1 defaults */
#define PI_PREFERRED_S	604800

/* The attributes that are addresses on the node's link (answered). */
static const char *const onlink_keys[] = { "addr", "ll", "coa", NULL };
/* The IPv4 ones, answered by ARP (an IPv4 host or router, an IPv4 CoA). */
static const char *const onlink4_keys[] = { "addr4", "v4coa", NULL };

struct enode {
	char		 name[48];
	char		 link[48];
	uint8_t		 mac[6];
	struct in6_addr	 addr[EMUL_ADDRS_MAX];
	size_t		 naddr;
	struct in_addr	 addr4[EMUL_ADDRS_MAX];
	size_t		 naddr4;
	bool		 router, ha, advertising;
	bool		 echo;		/* answers Echo Requests */
	struct in6_addr	 ll, prefix;
	uint8_t		 plen;
	int64_t		 interval_us, next_ra;
};

struct emul_nodes {
	struct emul	 em;	/* first: the runner's view */
	struct enode	*n;
	size_t		 nn;
	struct pkt	 pkt;	/* scratch */
};

static bool
mac_parse(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	int i;

	if (s == NULL || sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2],
	    &b[3], &b[4], &b[5]) != 6)
		return false;
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			return false;
		mac[i] = (uint8_t)b[i];
	}
	return true;
}

static const char *
nattr(const struct nut_node *nd, const char *key)
{
	size_t i;

	for (i = 0; i < nd->nattr; i++)
		if (strcmp(nd->attr[i].key, key) == 0)
			return nd->attr[i].val;
	return NULL;
}

static int
prefix_parse(const char *s, struct in6_addr *a, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash;
	long l;

	str_copy(buf, s, sizeof(buf));
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	l = strtol(slash + 1, NULL, 10);
	if (l < 1 || l > 128 || inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	*plen = (uint8_t)l;
	return 0;
}

static int
node_router(struct enode *e, const struct nut_node *nd, char *err,
    size_t cap)
{
	const char *s;

	e->echo = (s = nattr(nd, "echo")) != NULL && strcmp(s, "yes") == 0;
	e->router = (s = nattr(nd, "router")) != NULL && strcmp(s, "yes") == 0;
	e->ha = (s = nattr(nd, "ha")) != NULL && strcmp(s, "yes") == 0;
	if (e->ha)
		e->router = true;	/* RFC 6275 §7.1: an HA is a router */
	if (!e->router)
		return 0;
	e->advertising = (s = nattr(nd, "advertise")) == NULL ||
	    strcmp(s, "no") != 0;
	if ((s = nattr(nd, "ll")) == NULL || inet_pton(AF_INET6, s, &e->ll)
	    != 1) {
		snprintf(err, cap, "emulated router %s needs ll=LINK-LOCAL "
		    "(RFC 4861 §6.1.2: RAs come from it)", nd->name);
		return -1;
	}
	if ((s = nattr(nd, "prefix")) != NULL &&
	    prefix_parse(s, &e->prefix, &e->plen) < 0) {
		snprintf(err, cap, "emulated router %s: prefix '%s' is not "
		    "PREFIX/LEN", nd->name, s);
		return -1;
	}
	e->interval_us = RA_INTERVAL_US;
	if ((s = nattr(nd, "ra-interval")) != NULL) {
		double d = strtod(s, NULL);

		if (d < 0.05 || d > 1800) {
			snprintf(err, cap, "emulated router %s: ra-interval "
			    "'%s' (0.05 to 1800 s, RFC 6275 §7.5)", nd->name,
			    s);
			return -1;
		}
		e->interval_us = (int64_t)(d * 1e6);
	}
	e->next_ra = INT64_MIN;
	return 0;
}

/*
 * The node's addresses under `keys` (AF_INET6: answered by NA, AF_INET:
 * by ARP) into `out`, room for EMUL_ADDRS_MAX of `size` octets each,
 * counted in *n.
 */
static int
load_addrs(const struct nut_node *nd, const char *const *keys, int family,
    void *out, size_t size, size_t *n, char *err, size_t cap)
{
	size_t i, k;

	for (k = 0; keys[k] != NULL; k++)
		for (i = 0; i < nd->nattr; i++) {
			if (strcmp(nd->attr[i].key, keys[k]) != 0 ||
			    *n == EMUL_ADDRS_MAX)
				continue;
			if (inet_pton(family, nd->attr[i].val,
			    (uint8_t *)out + *n * size) != 1) {
				snprintf(err, cap, "emulated node %s: %s='%s' "
				    "is not an %s address", nd->name,
				    nd->attr[i].key, nd->attr[i].val,
				    family == AF_INET ? "IPv4" : "IPv6");
				return -1;
			}
			(*n)++;
		}
	return 0;
}

static int
node_load(struct enode *e, const struct nut_node *nd, char *err, size_t cap)
{
	memset(e, 0, sizeof(*e));
	str_copy(e->name, nd->name, sizeof(e->name));
	str_copy(e->link, nd->link, sizeof(e->link));
	if (!mac_parse(nattr(nd, "mac"), e->mac)) {
		snprintf(err, cap, "emulated node %s has no mac=xx:xx:xx:xx:xx:"
		    "xx", nd->name);
		return -1;
	}
	if (load_addrs(nd, onlink_keys, AF_INET6, e->addr, sizeof(e->addr[0]),
	    &e->naddr, err, cap) < 0 || load_addrs(nd, onlink4_keys, AF_INET,
	    e->addr4, sizeof(e->addr4[0]), &e->naddr4, err, cap) < 0)
		return -1;
	return node_router(e, nd, err, cap);
}

static const struct enode *owner(const struct emul_nodes *, const char *,
	    const struct in6_addr *);

/* ------------------------------------------------------ building frames */

static bool
encode(struct emul_nodes *en, const char *link, struct frame *out)
{
	str_copy(out->link, link, sizeof(out->link));
	out->ts_us = 0;
	return pkt_encode(&en->pkt, out->data, sizeof(out->data), &out->len)
	    == 0;
}

static void
push_eth_ip6(struct pkt *p, const uint8_t src_mac[6], const uint8_t dst_mac[6],
    const struct in6_addr *src, const struct in6_addr *dst, uint8_t hlim)
{
	struct hdr *h;

	pkt_init(p, PKT_LINK_ETHER);
	h = pkt_push(p, HDR_ETH);
	memcpy(h->u.eth.src, src_mac, 6);
	memcpy(h->u.eth.dst, dst_mac, 6);
	h->u.eth.ethertype = 0x86dd;
	h = pkt_push(p, HDR_IPV6);
	h->u.ip6.hlim = hlim;
	h->u.ip6.src = *src;
	h->u.ip6.dst = *dst;
}

/*
 * A solicited Neighbor Advertisement (RFC 4861 §7.2.4): to the
 * solicitation's source, S and O set (R for routers), with the target's
 * link-layer address; to all-nodes with S clear when the source was the
 * unspecified address (DAD).
 */
static void
build_na(struct emul_nodes *en, const struct enode *e,
    const struct in6_addr *target, const struct hdr_eth *ns_eth,
    const struct in6_addr *ns_src)
{
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct in6_addr dst = *ns_src;
	const uint8_t *dmac = ns_eth->src;
	struct icmp6_msg *m;
	struct nd_opt *o;
	bool dad = IN6_IS_ADDR_UNSPECIFIED(ns_src);

	if (dad) {
		inet_pton(AF_INET6, "ff02::1", &dst);
		dmac = allnodes_mac;
	}
	/* RFC 4861 §7.1.2: ND messages go with hop limit 255. */
	push_eth_ip6(&en->pkt, e->mac, dmac, target, &dst, 255);
	m = pkt_push_icmp6(&en->pkt, ICMP6_T_NA, 0);
	m->u.nsna.flags = ND_NA_O | (dad ? 0 : ND_NA_S) |
	    (e->router ? ND_NA_R : 0);
	m->u.nsna.target = *target;
	if ((o = icmp6_add_opt(m, NDOPT_TLLA)) != NULL)
		memcpy(o->u.lladdr, e->mac, 6);
}

/*
 * A Router Advertisement to all-nodes from the router's link-local
 * address (RFC 4861 §6.1.2, §6.2.3), with the Mobile IPv6 additions of
 * RFC 6275 §7: the H flag and a Home Agent Information option for a home
 * agent (§7.1, §7.4), the Advertisement Interval option (§7.3), and the
 * Prefix Information option (R set for a home agent: its global address
 * is in the prefix field, §7.2).
 */
static void
build_ra(struct emul_nodes *en, const struct enode *e)
{
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct in6_addr allnodes;
	struct icmp6_msg *m;
	struct nd_opt *o;

	inet_pton(AF_INET6, "ff02::1", &allnodes);
	push_eth_ip6(&en->pkt, e->mac, allnodes_mac, &e->ll, &allnodes, 255);
	m = pkt_push_icmp6(&en->pkt, ICMP6_T_RA, 0);
	m->u.ra.hop_limit = 64;
	m->u.ra.flags = e->ha ? ND_RA_H : 0;
	m->u.ra.lifetime = RA_LIFETIME_S;
	if ((o = icmp6_add_opt(m, NDOPT_SLLA)) != NULL)
		memcpy(o->u.lladdr, e->mac, 6);
	if (e->plen != 0 && (o = icmp6_add_opt(m, NDOPT_PREFIX)) != NULL) {
		o->u.prefix.plen = e->plen;
		o->u.prefix.flags = ND_PI_L | ND_PI_A;
		o->u.prefix.valid = PI_VALID_S;
		o->u.prefix.preferred = PI_PREFERRED_S;
		o->u.prefix.prefix = e->prefix;
		if (e->ha && e->naddr > 0) {
			size_t i;

			for (i = 0; i < e->naddr; i++)
				if (!IN6_IS_ADDR_LINKLOCAL(&e->addr[i])) {
					o->u.prefix.flags |= ND_PI_R;
					o->u.prefix.prefix = e->addr[i];
					break;
				}
		}
	}
	if ((o = icmp6_add_opt(m, NDOPT_ADV_INTERVAL)) != NULL)
		o->u.adv_interval = (uint32_t)(e->interval_us / 1000);
	if (e->ha && (o = icmp6_add_opt(m, NDOPT_HA_INFO)) != NULL) {
		o->u.hainfo.preference = 0;
		o->u.hainfo.lifetime = RA_LIFETIME_S;
	}
}

/*
 * An Echo Reply to an Echo Request for the node (RFC 4443 §4.2): the
 * request's Identifier, Sequence Number and data, back to its source.
 */
static void
build_echo_reply(struct emul_nodes *en, const struct enode *e,
    const struct pkt *req)
{
	const struct hdr *eth = pkt_find(req, HDR_ETH),
	    *ip6 = pkt_find(req, HDR_IPV6);
	struct icmp6_msg *m;

	push_eth_ip6(&en->pkt, e->mac, eth->u.eth.src, &ip6->u.ip6.dst,
	    &ip6->u.ip6.src, 64);
	m = pkt_push_icmp6(&en->pkt, ICMP6_T_ECHO_REPLY, 0);
	m->u.echo.id = req->icmp6.u.echo.id;
	m->u.echo.seq = req->icmp6.u.echo.seq;
	m->body_len = req->icmp6.body_len;
	memcpy(m->body, req->icmp6.body, req->icmp6.body_len);
}

/* An Echo Request for a node that answers them, whole (not truncated). */
static const struct enode *
echo_for(const struct emul_nodes *en, const struct frame *f,
    const struct pkt *p)
{
	const struct hdr *ip6 = pkt_find(p, HDR_IPV6);
	const struct enode *e;

	if (p->icmp6.type != ICMP6_T_ECHO_REQUEST || ip6 == NULL ||
	    pkt_find(p, HDR_ETH) == NULL ||
	    (size_t)p->icmp6.len != 8u + p->icmp6.body_len)
		return NULL;
	e = owner(en, f->link, &ip6->u.ip6.dst);
	return e != NULL && e->echo ? e : NULL;
}

/*
 * The ARP reply for the emulated node owning the request's target (RFC
 * 826): from the node's MAC to the asker's.  NULL when the frame is not an
 * Ethernet ARP request for one of the link's emulated IPv4 addresses.
 */
static const struct enode *
arp_reply(struct emul_nodes *en, const struct frame *f, const struct pkt *p)
{
	const struct hdr *eth = pkt_find(p, HDR_ETH),
	    *arp = pkt_find(p, HDR_ARP);
	const struct arp_msg *req;
	struct arp_msg *rep;
	struct hdr *h;
	size_t i, k;

	if (eth == NULL || arp == NULL || arp->u.arp.op != ARP_OP_REQUEST)
		return NULL;
	req = &arp->u.arp;
	for (i = 0; i < en->nn; i++) {
		const struct enode *e = &en->n[i];

		if (strcmp(e->link, f->link) != 0)
			continue;
		for (k = 0; k < e->naddr4; k++) {
			if (e->addr4[k].s_addr != req->tpa.s_addr)
				continue;
			pkt_init(&en->pkt, PKT_LINK_ETHER);
			h = pkt_push(&en->pkt, HDR_ETH);
			memcpy(h->u.eth.src, e->mac, 6);
			memcpy(h->u.eth.dst, req->sha, 6);
			if ((h = pkt_push(&en->pkt, HDR_ARP)) == NULL)
				return NULL;
			rep = &h->u.arp;
			rep->op = ARP_OP_REPLY;
			memcpy(rep->sha, e->mac, 6);
			rep->spa = req->tpa;
			memcpy(rep->tha, req->sha, 6);
			rep->tpa = req->spa;
			return e;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ the ops */

static const struct enode *
owner(const struct emul_nodes *en, const char *link,
    const struct in6_addr *target)
{
	size_t i, k;

	for (i = 0; i < en->nn; i++) {
		if (strcmp(en->n[i].link, link) != 0)
			continue;
		for (k = 0; k < en->n[i].naddr; k++)
			if (memcmp(&en->n[i].addr[k], target,
			    sizeof(*target)) == 0)
				return &en->n[i];
	}
	return NULL;
}

static enum emul_take
en_frame(struct emul *em, const struct frame *f, const struct pkt *p,
    struct frame *out)
{
	struct emul_nodes *en = (struct emul_nodes *)em;
	const struct hdr *eth = pkt_find(p, HDR_ETH),
	    *ip6 = pkt_find(p, HDR_IPV6);
	const struct enode *e;

	if ((e = arp_reply(en, f, p)) != NULL)
		return encode(en, e->link, out) ? EMUL_REPLY : EMUL_TAKEN;
	if (p->has_icmp6 && (e = echo_for(en, f, p)) != NULL) {
		build_echo_reply(en, e, p);
		return encode(en, e->link, out) ? EMUL_REPLY : EMUL_TAKEN;
	}
	if (!p->has_icmp6 || p->icmp6.type != ICMP6_T_NS || eth == NULL ||
	    ip6 == NULL)
		return EMUL_PASS;
	if ((e = owner(en, f->link, &p->icmp6.u.nsna.target)) == NULL)
		return EMUL_PASS;	/* not ours: the case may judge it */
	build_na(en, e, &p->icmp6.u.nsna.target, &eth->u.eth,
	    &ip6->u.ip6.src);
	return encode(en, e->link, out) ? EMUL_REPLY : EMUL_TAKEN;
}

static bool
en_tick(struct emul *em, int64_t now, struct frame *out, int64_t *next)
{
	struct emul_nodes *en = (struct emul_nodes *)em;
	size_t i;

	*next = INT64_MAX;
	for (i = 0; i < en->nn; i++) {
		struct enode *e = &en->n[i];

		if (!e->router || !e->advertising)
			continue;
		if (e->next_ra <= now) {
			e->next_ra = now + e->interval_us;
			build_ra(en, e);
			if (encode(en, e->link, out))
				return true;
		}
		if (e->next_ra < *next)
			*next = e->next_ra;
	}
	return false;
}

static void
en_close(struct emul *em)
{
	struct emul_nodes *en = (struct emul_nodes *)em;

	free(en->n);
	free(en);
}

static int
en_advertise(struct emul *em, const char *router, char *err, size_t cap)
{
	if (strcmp(router, "none") == 0)
		router = NULL;
	if (emul_nodes_move(em, router) == 0)
		return 0;
	snprintf(err, cap, "no emulated router %s (a node line with "
	    "router=yes or ha=yes)", router);
	return -1;
}

static const struct emul_ops en_ops = {
	en_frame, en_tick, en_close, en_advertise
};

struct emul *
emul_nodes_open(const struct nutdesc *d, char *err, size_t cap)
{
	struct emul_nodes *en = xcalloc(1, sizeof(*en));
	size_t i;

	en->em.ops = &en_ops;
	en->n = xcalloc(d->nnodes > 0 ? d->nnodes : 1, sizeof(*en->n));
	for (i = 0; i < d->nnodes; i++) {
		if (node_load(&en->n[i], &d->nodes[i], err, cap) < 0) {
			en_close(&en->em);
			return NULL;
		}
		en->nn++;
	}
	return &en->em;
}

int
emul_nodes_move(struct emul *em, const char *router)
{
	struct emul_nodes *en = (struct emul_nodes *)em;
	size_t i;
	bool found = router == NULL || router[0] == '\0';

	if (em->ops != &en_ops)		/* not ours: no routers to move */
		return -1;
	for (i = 0; i < en->nn; i++)
		if (en->n[i].router && router != NULL &&
		    strcmp(en->n[i].name, router) == 0)
			found = true;
	if (!found)
		return -1;
	for (i = 0; i < en->nn; i++) {
		struct enode *e = &en->n[i];
		bool on = router != NULL && strcmp(e->name, router) == 0;

		if (!e->router)
			continue;
		/* The new router advertises at once (the MN's movement
		 * detection starts from its first RA). */
		if (on && !e->advertising)
			e->next_ra = INT64_MIN;
		e->advertising = on;
	}
	return 0;
}
