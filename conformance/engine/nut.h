/*
 * nut.h - the node under test: its description file and its control.
 *
 * A NUT description (a .nut file under conformance/nut/, described in
 * mip6conf-case(5)) says what the
 * NUT is and how to reach it:
 *
 *   nut linux-plain
 *   title Linux without Mobile IPv6
 *   role node
 *   capability none
 *   netdev fake linux-plain.responder       (or: netdev afpacket)
 *   control fake                            (local NETNS, ssh DEST, manual)
 *   command reset "ip -6 neigh flush all"   (what a control verb runs)
 *   topology one-link link0
 *   link link0 tester=tn0 mac=02:00:00:00:00:a0
 *   iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1
 *   node tn link0 mac=02:00:00:00:00:a0 addr=2001:db8:1::a0
 *   sa mn-to-ha spi 0x1000 enc aes-cbc 0x<key> auth hmac-sha1 0x<key>
 *
 * Its names become variables ($nut.addr, $nut.link0.mac, $tn.addr,
 * $link0.tester ...; an SA's text SPI:ENC:KEY:AUTH:KEY is $sa.NAME and
 * its SPI $sa.NAME.spi, which the case language's `esp sa=NAME` uses),
 * its SAs open the ESP the NUT sends (RFC 4303 transport mode), its roles and capabilities decide which cases are
 * skipped, and its control section how the timeline's `nut VERB` events
 * reach the node.
 */
#ifndef MIP6_CONF_NUT_H
#define MIP6_CONF_NUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets/pkt.h"
#include "vars.h"

struct cerr;
struct mcase;

/* ------------------------------------------------------ control verbs */

/*
 * The verbs a timeline may use (`0 nut reset`), with their argument
 * counts.  RFC 6275 test set-ups need to start, stop and reset the stack,
 * enable a role, configure addresses and routes, and for MN/MR cases
 * trigger movement (TAHI's remote scripts: reboot.rmt, mip6EnableHA.rmt,
 * manualaddrconf.rmt, route.rmt).
 */
struct nut_verb {
	const char	*name;
	int		 min_args, max_args;
	const char	*usage;
	const char	*doc;
};

const struct nut_verb *nut_verbs(void);	/* NULL-terminated by name */
const struct nut_verb *nut_verb_lookup(const char *);
/* NULL, or why argv (verb first) is not a valid control event. */
const char *nut_verb_check(char *const *argv, size_t argc);

enum nut_control_kind {
	NUTCTL_FAKE,	/* record the verbs (tests) */
	NUTCTL_LOCAL,	/* run the verb's command in a network namespace */
	NUTCTL_SSH,	/* run it with ssh DEST */
	NUTCTL_MANUAL	/* print what to do and wait for Enter */
};

enum nut_netdev_kind {
	NUTDEV_FAKE,	/* a scripted responder (netdev_fake.c) */
	NUTDEV_AFPACKET	/* the tester's interfaces (next step) */
};

struct nut_attr {
	char	*key;
	char	*val;
};

/* A link of the set-up: the tester's interface and the NUT's. */
struct nut_link {
	char		 name[48];
	struct nut_attr	*tester;	/* link LINK tester=IF mac=... */
	size_t		 ntester;
	struct nut_attr	*nut;		/* iface LINK dev=IF mac=... */
	size_t		 nnut;
};

/* An emulated node (router, MN, HA, CN played by the tester). */
struct nut_node {
	char		 name[48];
	char		 link[48];
	struct nut_attr	*attr;
	size_t		 nattr;
};

struct nut_topo {
	char	 name[48];
	char	**links;
	size_t	 nlinks;
};

struct nut_cmd {
	char	*verb;
	char	*cmd;
};

struct nutdesc {
	char			*path;
	char			 name[48];
	char			*title;
	unsigned		 roles;
	char			**caps;
	size_t			 ncaps;
	enum nut_control_kind	 control;
	char			*control_arg;	/* netns, ssh destination */
	struct nut_cmd		*cmds;
	size_t			 ncmds;
	enum nut_netdev_kind	 netdev;
	char			*netdev_arg;	/* the responder file */
	struct nut_link		*links;
	size_t			 nlinks;
	struct nut_node		*nodes;
	size_t			 nnodes;
	struct nut_topo		*topos;
	size_t			 ntopos;
	char			**fail_verbs;	/* fake control: verbs that fail */
	size_t			 nfail;
	/* manual ESP SAs (`sa` lines), both directions: sa_names[i] names
	   sas[i] */
	struct esp_sa		*sas;
	size_t			 nsas;
	char			**sa_names;
	size_t			 nsa_names;
};

struct nutdesc *nut_parse(const char *path, const char *text, struct cerr *);
struct nutdesc *nut_load(const char *path, struct cerr *);
void	nut_free(struct nutdesc *);

/* The variables the description defines ($nut.addr, $tn.mac, ...). */
void	nut_vars(const struct nutdesc *, struct vars *);
bool	nut_has_cap(const struct nutdesc *, const char *);
/* The SAs of the `sa` lines, for pkt_decode_keys(). */
struct pkt_esp_keys nut_esp_keys(const struct nutdesc *);
const struct nut_link *nut_link(const struct nutdesc *, const char *name);
/* Does the NUT offer the topology? */
bool	nut_has_topology(const struct nutdesc *, const char *);
/*
 * Why a case does not apply to this NUT ("role ha not declared by the NUT",
 * "capability dhaad not claimed by the NUT", "topology ha-home not
 * provided"), or NULL when it applies.
 */
const char *nut_skip_reason(const struct nutdesc *, const struct mcase *,
	    char *buf, size_t cap);
/* A link attribute: the tester's MAC on `link` ("tester" side) etc. */
const char *nut_link_attr(const struct nut_link *, bool tester,
	    const char *key);

/* ------------------------------------------------------------ control */

struct nutctl;

struct nutctl_ops {
	/* Returns 0, or -1 with a message in err. */
	int	(*verb)(struct nutctl *, char *const *argv, size_t argc,
		    char *err, size_t cap);
	void	(*close)(struct nutctl *);
};

#define NUTCTL_LOG_MAX	64

struct nutctl {
	const struct nutctl_ops	*ops;
	const struct nutdesc	*nut;
	/* What was done, one line per verb ("reset", "enable ha"). */
	size_t			 nlog;
	char			 log[NUTCTL_LOG_MAX][128];
};

/* The control back-end the description names. */
/* Does the description give a command for this verb? */
bool	nut_has_command(const struct nutdesc *, const char *verb);
struct nutctl *nutctl_open(const struct nutdesc *, char *err, size_t cap);
int	nutctl_verb(struct nutctl *, char *const *argv, size_t argc,
	    char *err, size_t cap);
void	nutctl_close(struct nutctl *);

#endif
