/*
 * plane_helper.c - drive the forwarding plane from shell tests
 * (ha_fwd_test.sh) the way had does, one command per run:
 *
 *   plane_helper DIR attach IFNAME      load (pins under DIR), attach, exit
 *   plane_helper DIR local ADDR FLAGS   m6_local entry (FLAGS 0 removes)
 *   plane_helper DIR bind HOA COA HA    an active binding
 *   plane_helper DIR bindv4 HOA COA4 HA4 PORT
 *                                       DSMIPv6: an active binding with
 *                                       an IPv4 CoA, over UDP from PORT
 *                                       (0: protocol 41 / 4)
 *   plane_helper DIR bind4 A.B.C.D/LEN HOA
 *                                       DSMIPv6: an IPv4 home address or
 *                                       prefix to HOA's binding (m6_bind4)
 *   plane_helper DIR counters           "name value" per counter
 *   plane_helper DIR unpin              remove the pins and DIR
 *   plane_helper - send SRC DST [OSRC ODST]
 *                                       an ICMPv6 Echo Request (or, with
 *                                       OSRC/ODST, a Reply tunnelled in
 *                                       OSRC > ODST) on a raw socket
 *
 * Packets are built with the packets/ library.  Exit 0, or 1 with a
 * message on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "packets/pkt.h"
#include "stack/bpf/tests/helperutil.h"
#include "stack/lib/bpfplane.h"

static struct m6_plane *
open_plane(const char *dir)
{
	char err[512];
	struct m6_plane *pl = m6_plane_open(dir, 64, err, sizeof err);

	if (pl == NULL)
		die("%s", err);
	return pl;
}

static void
cmd_attach(struct m6_plane *pl, const char *ifname)
{
	unsigned ifindex = if_nametoindex(ifname);
	char err[512];

	if (ifindex == 0)
		die("%s: %s", ifname, strerror(errno));
	if (m6_plane_attach(pl, ifindex, err, sizeof err) < 0)
		die("%s", err);
}

static int
cmd_local(struct m6_plane *pl, const char *a, const char *flags)
{
	struct in6_addr local = addr(a);

	return m6_plane_local_set(pl, &local, (uint32_t)strtoul(flags, NULL,
	    0));
}

static void
cmd_bind(struct m6_plane *pl, char **av)
{
	struct in6_addr hoa = addr(av[0]), coa = addr(av[1]), ha = addr(av[2]);
	struct m6_bind b;
	int rc;

	memset(&b, 0, sizeof b);
	memcpy(b.coa.b, coa.s6_addr, 16);
	memcpy(b.ha.b, ha.s6_addr, 16);
	b.flags = M6B_ACTIVE;
	if ((rc = m6_plane_bind_set(pl, &hoa, &b)) < 0)
		die("bind %s: %s", av[0], strerror(-rc));
}

/* "A.B.C.D/LEN" (LEN 32 when absent). */
static void
pfx4(const char *s, struct in_addr *a, unsigned *plen)
{
	char buf[64], *slash;

	snprintf(buf, sizeof buf, "%s", s);
	*plen = 32;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash = '\0';
		*plen = (unsigned)strtoul(slash + 1, NULL, 10);
	}
	if (inet_pton(AF_INET, buf, a) != 1)
		die("%s: not an IPv4 prefix", s);
}

/* ::ffff:A.B.C.D */
static struct m6_in6
mapped4(const char *s)
{
	struct m6_in6 m;

	memset(&m, 0, sizeof m);
	m.b[10] = m.b[11] = 0xff;
	if (inet_pton(AF_INET, s, &m.b[12]) != 1)
		die("%s: not an IPv4 address", s);
	return m;
}

static void
cmd_bindv4(struct m6_plane *pl, char **av)
{
	struct in6_addr hoa = addr(av[0]);
	unsigned port = (unsigned)strtoul(av[3], NULL, 10);
	struct m6_bind b;
	int rc;

	memset(&b, 0, sizeof b);
	b.coa = mapped4(av[1]);
	b.ha = mapped4(av[2]);
	b.flags = M6B_ACTIVE | M6B_V4COA | (port ? M6B_UDP : 0);
	b.udp_port = htons((uint16_t)port);
	if ((rc = m6_plane_bind_set(pl, &hoa, &b)) < 0)
		die("bindv4 %s: %s", av[0], strerror(-rc));
}

static void
cmd_bind4(struct m6_plane *pl, char **av)
{
	struct in6_addr hoa = addr(av[1]);
	struct in_addr a;
	unsigned plen;
	int rc;

	pfx4(av[0], &a, &plen);
	if ((rc = m6_plane_bind4_set(pl, &a, plen, &hoa)) < 0)
		die("bind4 %s: %s", av[0], strerror(-rc));
}

static void
cmd_counters(struct m6_plane *pl)
{
	uint64_t c[M6C_MAX];
	int i, rc;

	if ((rc = m6_plane_counters(pl, c)) < 0)
		die("counters: %s", strerror(-rc));
	for (i = 0; i < M6C_MAX; i++)
		printf("%s %llu\n", m6_counter_name(i),
		    (unsigned long long)c[i]);
}

/* Echo Request src > dst, or an Echo Reply inside osrc > odst. */
static void
cmd_send(int ac, char **av)
{
	uint8_t buf[512];
	struct sockaddr_in6 to;
	struct icmp6_msg *m;
	struct hdr *h;
	struct pkt p;
	size_t len;
	int s, tunnel = ac == 4;

	pkt_init(&p, PKT_LINK_RAW);
	if (tunnel) {
		if ((h = pkt_push(&p, HDR_IPV6)) == NULL)
			die("no room");
		h->u.ip6.src = addr(av[2]);
		h->u.ip6.dst = addr(av[3]);
	}
	if ((h = pkt_push(&p, HDR_IPV6)) == NULL)
		die("no room");
	h->u.ip6.src = addr(av[0]);
	h->u.ip6.dst = addr(av[1]);
	m = pkt_push_icmp6(&p, tunnel ? ICMP6_T_ECHO_REPLY :
	    ICMP6_T_ECHO_REQUEST, 0);
	if (m == NULL)
		die("no room");
	m->u.echo.id = 0x6d36;
	m->u.echo.seq = 1;
	memcpy(m->body, "mip6kit", 7);
	m->body_len = 7;
	if (pkt_encode(&p, buf, sizeof buf, &len) < 0)
		die("encode failed");

	/* IPPROTO_RAW: we give the whole IPv6 packet (RFC 3542 §3). */
	if ((s = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)) < 0)
		die("socket: %s", strerror(errno));
	memset(&to, 0, sizeof to);
	to.sin6_family = AF_INET6;
	to.sin6_addr = p.h[0].u.ip6.dst;
	if (sendto(s, buf, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
		die("sendto: %s", strerror(errno));
	close(s);
}

int
main(int argc, char **argv)
{
	struct m6_plane *pl;
	const char *dir, *cmd;
	int rc = 0;

	if (argc < 3)
		die("usage: plane_helper DIR|- command [args]");
	dir = argv[1];
	cmd = argv[2];
	if (strcmp(cmd, "send") == 0) {
		if (argc != 5 && argc != 7)
			die("usage: send SRC DST [OSRC ODST]");
		cmd_send(argc - 3, argv + 3);
		return 0;
	}
	if (strcmp(cmd, "unpin") == 0) {
		if ((rc = m6_plane_unpin(dir)) < 0)
			die("unpin %s: %s", dir, strerror(-rc));
		return 0;
	}
	pl = open_plane(dir);
	if (strcmp(cmd, "attach") == 0 && argc == 4)
		cmd_attach(pl, argv[3]);
	else if (strcmp(cmd, "local") == 0 && argc == 5)
		rc = cmd_local(pl, argv[3], argv[4]);
	else if (strcmp(cmd, "bind") == 0 && argc == 6)
		cmd_bind(pl, argv + 3);
	else if (strcmp(cmd, "bindv4") == 0 && argc == 7)
		cmd_bindv4(pl, argv + 3);
	else if (strcmp(cmd, "bind4") == 0 && argc == 5)
		cmd_bind4(pl, argv + 3);
	else if (strcmp(cmd, "counters") == 0 && argc == 3)
		cmd_counters(pl);
	else
		die("%s: unknown command or wrong arguments", cmd);
	if (rc < 0)
		die("%s: %s", cmd, strerror(-rc));
	m6_plane_close(pl);	/* the filter and the pins stay */
	return 0;
}
