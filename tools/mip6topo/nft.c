/*
 * nft.c - the one nftables rule mip6topo writes: IPv4 source NAT
 * (masquerade) on a router namespace's outside interface, for the
 * DSMIPv6 (RFC 5555) IPv4-only foreign link behind a NAT.
 *
 * It is the same rule as the nft(8) script
 *
 *	table ip mip6topo {
 *		chain postrouting {
 *			type nat hook postrouting priority 100;
 *			oifname "IFNAME" masquerade
 *		}
 *	}
 *
 * sent as one nfnetlink batch (BATCH_BEGIN, NEWTABLE, NEWCHAIN, NEWRULE,
 * BATCH_END) with libmnl, so neither nft nor libnftnl is needed.  The
 * table lives in the node's namespace and goes away with it.
 * Message layouts: linux/netfilter/nf_tables.h, nfnetlink.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "mip6topo.h"
#include "nl.h"
#include "nl_priv.h"

#define NFT_TABLE	"mip6topo"
#define NFT_CHAIN	"postrouting"
#define NAT_SRC_PRIO	100	/* NF_IP_PRI_NAT_SRC */

static struct nlmsghdr *
nft_put(struct mnl_nlmsg_batch *b, uint16_t type, uint16_t flags,
    uint8_t family, uint16_t res_id, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(
	    mnl_nlmsg_batch_current(b));
	struct nfgenmsg *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return nlh;
}

static uint16_t
nft_type(int msg)
{
	return (uint16_t)((NFNL_SUBSYS_NFTABLES << 8) | msg);
}

/* One expression of a rule: NFTA_LIST_ELEM { NAME, DATA { ... } }. */
static struct nlattr *
expr_start(struct nlmsghdr *nlh, const char *name, struct nlattr **data)
{
	struct nlattr *elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);

	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, name);
	*data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	return elem;
}

static void
expr_end(struct nlmsghdr *nlh, struct nlattr *elem, struct nlattr *data)
{
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
}

/* oifname "IFNAME" masquerade */
static void
put_rule_exprs(struct nlmsghdr *nlh, const char *ifname)
{
	char name[IFNAMSIZ];
	struct nlattr *list, *elem, *data, *cmpdata;

	memset(name, 0, sizeof(name));
	snprintf(name, sizeof(name), "%s", ifname);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);

	elem = expr_start(nlh, "meta", &data);
	mnl_attr_put_u32(nlh, NFTA_META_KEY, htonl(NFT_META_OIFNAME));
	mnl_attr_put_u32(nlh, NFTA_META_DREG, htonl(NFT_REG_1));
	expr_end(nlh, elem, data);

	elem = expr_start(nlh, "cmp", &data);
	mnl_attr_put_u32(nlh, NFTA_CMP_SREG, htonl(NFT_REG_1));
	mnl_attr_put_u32(nlh, NFTA_CMP_OP, htonl(NFT_CMP_EQ));
	cmpdata = mnl_attr_nest_start(nlh, NFTA_CMP_DATA);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, sizeof(name), name);
	mnl_attr_nest_end(nlh, cmpdata);
	expr_end(nlh, elem, data);

	elem = expr_start(nlh, "masq", &data);
	expr_end(nlh, elem, data);

	mnl_attr_nest_end(nlh, list);
}

int
nl_nft_masquerade(struct nl *nl, const char *ifname, char *err)
{
	static char buf[8192];
	char why[256];
	/* libmnl: the limit is half the buffer, the rest absorbs overrun. */
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf,
	    sizeof(buf) / 2);
	struct nlmsghdr *nlh;
	struct nlattr *hook;
	uint32_t seq = ++nl->seq, first;
	int rc;

	nft_put(b, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES,
	    seq++);
	mnl_nlmsg_batch_next(b);
	first = seq;

	nlh = nft_put(b, nft_type(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_ACK,
	    NFPROTO_IPV4, 0, seq++);
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, NFT_TABLE);
	mnl_nlmsg_batch_next(b);

	nlh = nft_put(b, nft_type(NFT_MSG_NEWCHAIN), NLM_F_CREATE | NLM_F_ACK,
	    NFPROTO_IPV4, 0, seq++);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, NFT_TABLE);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, NFT_CHAIN);
	hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
	mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(NF_INET_POST_ROUTING));
	mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl(NAT_SRC_PRIO));
	mnl_attr_nest_end(nlh, hook);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, "nat");
	mnl_nlmsg_batch_next(b);

	nlh = nft_put(b, nft_type(NFT_MSG_NEWRULE),
	    NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, NFPROTO_IPV4, 0, seq++);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, NFT_TABLE);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, NFT_CHAIN);
	put_rule_exprs(nlh, ifname);
	mnl_nlmsg_batch_next(b);

	nft_put(b, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES,
	    seq++);
	mnl_nlmsg_batch_next(b);
	nl->seq = seq;

	rc = nl_exchange(nl, mnl_nlmsg_batch_head(b),
	    mnl_nlmsg_batch_size(b), first, 3, NULL, NULL, why, sizeof(why));
	mnl_nlmsg_batch_stop(b);
	if (rc < 0)
		return errf(err, "nat masquerade %s: %s", ifname, why);
	return 0;
}
