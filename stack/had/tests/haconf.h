/*
 * stack/had/tests/haconf.h - the home agent configuration the engine's
 * tests (engtest.h) and tools/mip6sigbench start from: an open virtual
 * home link 2001:db8:1::/64 (prefix lifetimes infinite), no
 * authentication, bindings up to 3600 s, 100 at most.  No ATF here: a
 * tool includes it too.
 */
#ifndef MIP6_HAD_TESTS_HACONF_H
#define MIP6_HAD_TESTS_HACONF_H

#include <arpa/inet.h>

#include "stack/had/had_conf.h"

static inline void
haconf_open_virtual(struct had_conf *c, const struct in6_addr *ha)
{
	had_conf_init(c);
	c->ha_addr_eui64 = false;
	c->ha_addr = *ha;
	c->nprefix = 1;
	(void)inet_pton(AF_INET6, "2001:db8:1::", &c->prefix[0].pfx.addr);
	c->prefix[0].pfx.plen = 64;
	c->prefix[0].virtual_link = true;
	c->prefix[0].valid_lft = 0xffffffffu;
	c->prefix[0].preferred_lft = 0xffffffffu;
	c->auth = HAD_AUTH_NONE;
	c->default_policy = HAD_ALLOW;
	c->max_lifetime = 3600;
	c->max_bindings = 100;
}

#endif
