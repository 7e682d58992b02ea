/*
 * nl_priv.h - the request/answer loop shared by nl.c (rtnetlink) and
 * nft.c (nfnetlink batches).
 */
#ifndef MIP6TOPO_NL_PRIV_H
#define MIP6TOPO_NL_PRIV_H

#include <libmnl/libmnl.h>
#include <stddef.h>

struct nl;

int	nl_exchange(struct nl *, const void *req, size_t len,
	    unsigned int seq, int nacks, mnl_cb_t cb, void *data, char *why,
	    size_t whylen);

#endif
