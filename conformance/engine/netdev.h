/*
 * netdev.h - packet I/O behind an interface (packetdrill's netdev_ops), so
 * the runner does not know whether frames go to a scripted fake NUT, to
 * AF_PACKET sockets on veth pairs in network namespaces, or to a remote
 * wire server.  The clock belongs to the device: the fake one runs on
 * virtual time, so a timeline with 2 s timers runs in microseconds and
 * its timestamps are exact.
 *
 * Frames are Ethernet frames tagged with the name of the link (link0,
 * link1 ...) they were sent or captured on.
 */
#ifndef MIP6_CONF_NETDEV_H
#define MIP6_CONF_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mcase;
struct nutdesc;
struct vars;

#define FRAME_MAX	9216

struct frame {
	char	 link[48];
	int64_t	 ts_us;
	size_t	 len;
	uint8_t	 data[FRAME_MAX];
};

struct netdev;

struct netdev_ops {
	/* Send a frame on a link; *ts gets the time it left. 0 or -1. */
	int	(*send)(struct netdev *, const char *link, const uint8_t *,
		    size_t, int64_t *ts);
	/*
	 * Wait for the next frame from the NUT until `deadline` (device
	 * time).  1: a frame; 0: the deadline passed; -1: an error.
	 */
	int	(*recv)(struct netdev *, int64_t deadline, struct frame *);
	int64_t	(*now)(struct netdev *);	/* microseconds */
	void	(*close)(struct netdev *);
};

struct netdev {
	const struct netdev_ops	*ops;
	char			 err[512];
	/* Capture files written for this run (real devices). */
	char			**pcaps;
	size_t			 npcaps;
};

static inline int
netdev_send(struct netdev *nd, const char *link, const uint8_t *p, size_t n,
    int64_t *ts)
{
	return nd->ops->send(nd, link, p, n, ts);
}

static inline int
netdev_recv(struct netdev *nd, int64_t deadline, struct frame *f)
{
	return nd->ops->recv(nd, deadline, f);
}

static inline int64_t
netdev_now(struct netdev *nd)
{
	return nd->ops->now(nd);
}

void	netdev_close(struct netdev *);

/*
 * The fake NUT: a responder script (a file in the case language starting
 * with `responder NAME`) whose `on LINK PATTERN reply TEMPLATE [after D]`
 * rules answer the frames the runner sends, and whose `at T emit LINK
 * TEMPLATE` rules send frames unprompted.  `vs` gives the variables
 * (the NUT description's); the responder's `set` lines add to them.
 */
struct netdev *netdev_fake_open(const struct mcase *responder,
	    const struct nutdesc *, const struct vars *, char *err, size_t);
/* Frames the fake received from the runner (for tests). */
size_t	netdev_fake_sent(const struct netdev *);

/*
 * The real device (netdev_afpacket.c): one AF_PACKET socket to send and
 * one libpcap handle to capture per tester link, each opened inside the
 * network namespace `netns` (a path such as /run/netns/m6-ID-tn; NULL:
 * the caller's).  Captures see incoming frames only, so the tester's own
 * frames never come back as the NUT's.  Frames sent and received are
 * also written to `dump` (a pcap_dumper_t, DLT_EN10MB, not owned; NULL:
 * none) and flushed one by one; `pcap_path` (may be NULL) is the file's
 * name, listed in netdev.pcaps.  Device time is CLOCK_MONOTONIC in
 * microseconds; capture timestamps are mapped onto it.
 */
struct pcap_dumper;

struct afp_link {
	const char		*link;		/* link0 */
	const char		*netns;		/* /run/netns/NAME, or NULL */
	const char		*ifname;	/* tn0 */
	struct pcap_dumper	*dump;
	const char		*pcap_path;
};

struct netdev *netdev_afpacket_open(const struct afp_link *, size_t nlinks,
	    char *err, size_t cap);

/* The device a NUT description names (the fake loads its responder). */
struct netdev *netdev_open(const struct nutdesc *, const struct vars *,
	    char *err, size_t);

#endif
