/*
 * stack/mdd/mdd_conf.h - the movement detector's configuration
 * (mdd.conf(5)): the parsed form, the parser and the printer of the
 * normalised text (`mdd -nv`).  The parser never exits or logs; errors come
 * back as "FILE:LINE: message" in the caller's buffer.
 */
#ifndef MIP6_MDD_CONF_H
#define MIP6_MDD_CONF_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stack/mdd/md_core.h"

struct sbuf;

#define MDD_PREF_DEFAULT	100

struct mdd_conf {
	size_t		niface;
	struct md_iface_conf iface[MD_IFACE_MAX];	/* ifindex 0 */
	size_t		nhome;
	struct md_prefix home[MD_HOME_MAX];
	bool		optimistic_dad;
	unsigned	ra_loss_intervals;
	unsigned	ra_interval_default_ms;
	unsigned	nud_hold_down_ms;
	char		bus[108];
	char		control[108];
	char		user[32];
};

/* The defaults of mdd.conf(5): no interfaces, no home prefixes. */
void	mdd_conf_init(struct mdd_conf *);
/* Parse a file or a string; 0, or -1 with "NAME:LINE: message". */
int	mdd_conf_load(struct mdd_conf *, const char *path, char *err,
	    size_t errlen);
int	mdd_conf_parse(struct mdd_conf *, const char *name, const char *text,
	    size_t len, char *err, size_t errlen);
/* What needs the whole file: at least one interface. */
int	mdd_conf_check(const struct mdd_conf *, char *err, size_t errlen);
/* The normalised text: every setting, defaults included, re-parsable. */
void	mdd_conf_print(struct sbuf *, const struct mdd_conf *);

#endif
