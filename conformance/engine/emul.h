/*
 * emul.h - the hook through which the tester emulates the nodes of a
 * topology around the NUT (TAHI's emulated R0, HA0, CN0, MN0X): answering
 * Neighbor Solicitations for their addresses, sending Router
 * Advertisements on their links, answering the NUT's echo requests.
 *
 * The runner hands every frame from the NUT to the emulation before any
 * expectation sees it, and lets the emulation send what is due as time
 * passes; what the emulation takes or sends is logged, and is not judged.
 * The emulated routers and HA/CN themselves are the next piece of the
 * network side; the runner and its tests only need this interface.
 */
#ifndef MIP6_CONF_EMUL_H
#define MIP6_CONF_EMUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct frame;
struct pkt;
struct emul;

enum emul_take {
	EMUL_PASS,	/* not for the emulation: judge it */
	EMUL_TAKEN,	/* handled, nothing to send */
	EMUL_REPLY	/* handled; send `out` */
};

struct emul_ops {
	/* A frame from the NUT (`p` is its decode). */
	enum emul_take (*frame)(struct emul *, const struct frame *,
		    const struct pkt *, struct frame *out);
	/*
	 * Time is `now` (device time): fill `out` and return true when a
	 * frame is due (the runner calls again at once), else return false
	 * and set *next to when the next one will be (INT64_MAX: none).
	 */
	bool	(*tick)(struct emul *, int64_t now, struct frame *out,
		    int64_t *next);
	void	(*close)(struct emul *);
	/*
	 * Movement (a timeline's `advertise ROUTER` event): from now on
	 * only `router` advertises ("none": no router).  0, or -1 with a
	 * message in err when the emulation has no such router.  NULL: the
	 * emulation has no routers.
	 */
	int	(*advertise)(struct emul *, const char *router, char *err,
		    size_t cap);
};

struct emul {
	const struct emul_ops	*ops;
};

/*
 * The emulated nodes of a NUT description (emul_nodes.c): every `node`
 * line is a forged identity on its link.  It answers Neighbor
 * Solicitations for its on-link addresses (attributes addr, ll, coa) with
 * its MAC, ARP requests for its IPv4 addresses (addr4, v4coa) likewise,
 * and with `echo=yes` Echo Requests to them; one with
 * `router=yes` sends Router Advertisements from its link-local address
 * (`ll`) every `ra-interval` seconds (default 3) with its `prefix`
 * (PREFIX/LEN) and, with `ha=yes`, the H flag and a Home Agent
 * Information option.  See mip6conf-case(5), NUT DESCRIPTIONS.
 */
struct nutdesc;

struct emul *emul_nodes_open(const struct nutdesc *, char *err, size_t cap);
/*
 * Movement (TAHI: the tester switches which emulated router
 * advertises): from now on only `router` on its link sends RAs ("" or
 * NULL: none).  0, or -1 when no such router is emulated.  The
 * emulation's `advertise` op ("none" for no router).
 */
int	emul_nodes_move(struct emul *, const char *router);

static inline void
emul_close(struct emul *em)
{
	if (em != NULL)
		em->ops->close(em);
}

#endif
