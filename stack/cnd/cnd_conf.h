/*
 * stack/cnd/cnd_conf.h - the correspondent node's configuration
 * (cnd.conf(5)): the parsed form, the parser and the printer of the
 * normalised text.
 *
 * As for had, the normalised text (`cnd -nv`) is also what the privileged
 * parent hands the unprivileged engine: one grammar, one parser, one
 * printer.  The parser never exits or logs; errors come back as
 * "NAME:LINE: message" in the caller's buffer.
 */
#ifndef MIP6_CND_CONF_H
#define MIP6_CND_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/sbuf.h"

#define CND_IFACE_MAX		16
/* RFC 6275 §12 */
#define CND_MAX_RR_BINDING_LIFETIME	420	/* s */
#define CND_MAX_NONCE_LIFETIME		240	/* s */
#define CND_MAX_TOKEN_LIFETIME		210	/* s */

#define CND_DEFAULT_CONTROL	"/run/mip6kit/cnd.sock"
#define CND_DEFAULT_STATE_DIR	"/sys/fs/bpf/mip6kit/cnd"
#define CND_DEFAULT_BUS		"/run/mip6kit/bus"

struct cnd_conf {
	size_t		niface;
	char		iface[CND_IFACE_MAX][IF_NAMESIZE];
	uint32_t	max_bindings;	/* BA 130 beyond it */
	uint32_t	max_lifetime;	/* s, <= MAX_RR_BINDING_LIFETIME */
	uint32_t	nonce_lifetime;	/* s, MAX_NONCE_LIFETIME */
	uint32_t	token_lifetime;	/* s, MAX_TOKEN_LIFETIME */
	uint32_t	kcn_lifetime;	/* s between Kcn rotations */
	uint32_t	rate_be;	/* Binding Errors a second */
	char		bus[108];	/* mip6busd socket */
	char		control[108];	/* control socket */
	char		state_dir[256];	/* pinned maps */
	char		user[32];	/* unprivileged engine user */
};

/* Defaults of cnd.conf(5), no interfaces. */
void	cnd_conf_init(struct cnd_conf *);
/* Parse a text into *c (initialised by the call): 0, or -1 with
   "NAME:LINE: message" in err (NAME labels the text: its file). */
int	cnd_conf_parse(struct cnd_conf *, const char *name, const char *text,
	    size_t len, char *err, size_t errlen);
/* Checks across statements (lifetimes consistent, an interface). */
int	cnd_conf_check(const struct cnd_conf *, char *err, size_t errlen);
/* The normalised text: every setting, defaults included, re-parsable. */
void	cnd_conf_print(struct sbuf *, const struct cnd_conf *);
#define CND_CONF_TEXT_MAX	4096	/* always holds cnd_conf_print's text */

#endif
