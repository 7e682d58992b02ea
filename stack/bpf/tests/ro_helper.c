/*
 * ro_helper.c - drive the mobile node's and the correspondent node's
 * eBPF planes from shell tests (ro_fwd_test.sh) the way mnd and cnd do,
 * one command per run:
 *
 *   ro_helper mn|cn DIR attach IFNAME   load (pins under DIR), attach to
 *                                       ingress and egress, exit
 *   ro_helper mn|cn DIR local ADDR      an own address (M6L_OWN)
 *   ro_helper mn DIR hoa HOA COA HA GW IFNAME
 *                                       an away home address
 *   ro_helper mn DIR ro HOA PEER COA    active route optimisation
 *   ro_helper mn DIR hoav4 HOA COA4 HA4 PORT IFNAME
 *                                       DSMIPv6: away with an IPv4 CoA,
 *                                       over UDP from PORT (0: protocol
 *                                       41 / 4)
 *   ro_helper mn DIR hoa4 A.B.C.D/LEN HOA
 *                                       DSMIPv6: an IPv4 home address or
 *                                       MR prefix of HOA (mn_hoa4)
 *   ro_helper cn DIR bind HOA COA       an active binding
 *   ro_helper mn|cn DIR counters        "name value" per counter
 *   ro_helper mn|cn DIR unpin           remove the pins and DIR
 *   ro_helper - nocsum IFNAME           checksum offload off (tx and rx),
 *                                       so receivers verify checksums
 *
 * Exit 0, or 1 with a message on stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/bpf/tests/helperutil.h"
#include "stack/lib/cnplane.h"
#include "stack/lib/mnplane.h"

static struct m6_in6
m6(const char *s)
{
	struct in6_addr a = addr(s);
	struct m6_in6 m;

	memcpy(m.b, a.s6_addr, 16);
	return m;
}

static unsigned
ifindex(const char *name)
{
	unsigned i = if_nametoindex(name);

	if (i == 0)
		die("%s: %s", name, strerror(errno));
	return i;
}

static void
check(const char *what, int rc)
{
	if (rc < 0)
		die("%s: %s", what, strerror(-rc));
}

static void
print_counters(const uint64_t c[M6C_MAX])
{
	int i;

	for (i = 0; i < M6C_MAX; i++)
		printf("%s %llu\n", m6_counter_name(i),
		    (unsigned long long)c[i]);
}

/* SIOCETHTOOL: one on/off setting. */
static void
ethtool_set(int s, const char *ifname, uint32_t cmd, uint32_t on)
{
	struct ethtool_value ev = { .cmd = cmd, .data = on };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(s, SIOCETHTOOL, &ifr) < 0)
		die("%s: ethtool %#x: %s", ifname, cmd, strerror(errno));
}

static void
cmd_nocsum(const char *ifname)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0)
		die("socket: %s", strerror(errno));
	ethtool_set(s, ifname, ETHTOOL_STXCSUM, 0);
	ethtool_set(s, ifname, ETHTOOL_SRXCSUM, 0);
	close(s);
}

static void
mn_cmd(const char *dir, int ac, char **av)
{
	char err[512];
	struct mn_plane *pl;
	uint64_t c[M6C_MAX];

	if (ac == 1 && strcmp(av[0], "unpin") == 0) {
		check("unpin", mn_plane_unpin(dir));
		return;
	}
	if ((pl = mn_plane_open(dir, err, sizeof err)) == NULL)
		die("%s", err);
	if (ac == 2 && strcmp(av[0], "attach") == 0) {
		if (mn_plane_attach(pl, ifindex(av[1]), err, sizeof err) < 0)
			die("%s", err);
	} else if (ac == 2 && strcmp(av[0], "local") == 0) {
		struct in6_addr a = addr(av[1]);

		check("local", mn_plane_local_set(pl, &a, M6L_OWN));
	} else if (ac == 6 && strcmp(av[0], "hoa") == 0) {
		struct m6_mn_hoa h = { .coa = m6(av[2]), .ha = m6(av[3]),
		    .gw = m6(av[4]), .flags = M6H_AWAY,
		    .coa_ifindex = ifindex(av[5]) };
		struct in6_addr hoa = addr(av[1]);

		check("hoa", mn_plane_hoa_set(pl, &hoa, &h));
	} else if (ac == 6 && strcmp(av[0], "hoav4") == 0) {
		unsigned port = (unsigned)strtoul(av[4], NULL, 10);
		struct in6_addr hoa = addr(av[1]);
		struct m6_mn_hoa h = { .flags = M6H_AWAY | M6H_V4COA |
		    (port ? M6H_UDP : 0), .coa_ifindex = ifindex(av[5]),
		    .udp_sport = htons((uint16_t)port) };

		h.coa.b[10] = h.coa.b[11] = h.ha.b[10] = h.ha.b[11] = 0xff;
		if (inet_pton(AF_INET, av[2], &h.coa.b[12]) != 1 ||
		    inet_pton(AF_INET, av[3], &h.ha.b[12]) != 1)
			die("hoav4: not IPv4 addresses");
		check("hoav4", mn_plane_hoa_set(pl, &hoa, &h));
	} else if (ac == 3 && strcmp(av[0], "hoa4") == 0) {
		struct in6_addr hoa = addr(av[2]);
		char buf[64], *slash;
		unsigned plen = 32;
		struct in_addr a;

		snprintf(buf, sizeof buf, "%s", av[1]);
		if ((slash = strchr(buf, '/')) != NULL) {
			*slash = '\0';
			plen = (unsigned)strtoul(slash + 1, NULL, 10);
		}
		if (inet_pton(AF_INET, buf, &a) != 1)
			die("%s: not an IPv4 prefix", av[1]);
		check("hoa4", mn_plane_hoa4_set(pl, &a, plen, &hoa));
	} else if (ac == 4 && strcmp(av[0], "ro") == 0) {
		struct m6_ro_key k = { m6(av[1]), m6(av[2]) };
		struct m6_mn_ro ro = { .coa = m6(av[3]),
		    .flags = M6R_ACTIVE };

		check("ro", mn_plane_ro_set(pl, &k, &ro));
	} else if (ac == 1 && strcmp(av[0], "counters") == 0) {
		check("counters", mn_plane_counters(pl, c));
		print_counters(c);
	} else {
		die("mn %s: unknown command or wrong arguments",
		    ac > 0 ? av[0] : "");
	}
	mn_plane_close(pl);	/* the filters and the pins stay */
}

static void
cn_cmd(const char *dir, int ac, char **av)
{
	char err[512];
	struct cn_plane *pl;
	uint64_t c[M6C_MAX];

	if (ac == 1 && strcmp(av[0], "unpin") == 0) {
		check("unpin", cn_plane_unpin(dir));
		return;
	}
	if ((pl = cn_plane_open(dir, 64, err, sizeof err)) == NULL)
		die("%s", err);
	if (ac == 2 && strcmp(av[0], "attach") == 0) {
		if (cn_plane_attach(pl, ifindex(av[1]), err, sizeof err) < 0)
			die("%s", err);
	} else if (ac == 2 && strcmp(av[0], "local") == 0) {
		struct in6_addr a = addr(av[1]);

		check("local", cn_plane_local_set(pl, &a, M6L_OWN));
	} else if (ac == 3 && strcmp(av[0], "bind") == 0) {
		struct m6_cn_bind b = { .coa = m6(av[2]),
		    .flags = M6B_ACTIVE };
		struct in6_addr hoa = addr(av[1]);

		check("bind", cn_plane_bind_set(pl, &hoa, &b));
	} else if (ac == 1 && strcmp(av[0], "counters") == 0) {
		check("counters", cn_plane_counters(pl, c));
		print_counters(c);
	} else {
		die("cn %s: unknown command or wrong arguments",
		    ac > 0 ? av[0] : "");
	}
	cn_plane_close(pl);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "-") == 0 &&
	    strcmp(argv[2], "nocsum") == 0)
		cmd_nocsum(argv[3]);
	else if (argc >= 4 && strcmp(argv[1], "mn") == 0)
		mn_cmd(argv[2], argc - 3, argv + 3);
	else if (argc >= 4 && strcmp(argv[1], "cn") == 0)
		cn_cmd(argv[2], argc - 3, argv + 3);
	else
		die("usage: ro_helper mn|cn DIR command [args] | "
		    "- nocsum IFNAME");
	return 0;
}
