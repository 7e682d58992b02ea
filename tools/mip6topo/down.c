/*
 * down.c - `mip6topo down`: undo a run from its write-ahead record.
 *
 * The record is read newest line first.  Only four kinds of line need an
 * action, because everything else lives inside a namespace of the run
 * and goes with it (veth pairs, bridges, addresses, routes, sysctls, the
 * NAT table):
 *
 *	proc, capture	stop the process, if it is still the recorded one
 *			(all of them first, in parallel: they are the newest)
 *	hostif		give the host interface back, under its own name,
 *			with its MAC and admin state as they were
 *	netns		unmount and remove /run/netns/NAME
 *
 * Each action treats "already gone" as done, so `down` can be repeated
 * and can finish a half-built or half-removed run.  A failed action is
 * reported and the others still run; the record is kept until every
 * action has succeeded, so a later `down` can retry.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip6topo.h"
#include "netns.h"
#include "nl.h"
#include "proc.h"
#include "state.h"
#include "topo.h"
#include "up_priv.h"

#define STOP_GRACE_MS	2000

/*
 * Stop every recorded process of `kind` at once (they are independent),
 * the daemons before the capture process so that it records their last
 * packets.  The pid is word `pid_word`, its start time the next word.
 */
static int
stop_recorded(const struct record *rec, const char *kind, int pid_word,
    char *err)
{
	struct proc_id *p = calloc((size_t)rec->n + 1, sizeof(*p));
	int n = 0, rc;

	if (p == NULL)
		return errf(err, "out of memory");
	for (int i = rec->n - 1; i >= 0; i--) {
		const struct rec *r = &rec->rec[i];

		if (strcmp(r->argv[0], kind) != 0 || r->argc <= pid_word + 1)
			continue;
		p[n].pid = (pid_t)atoi(r->argv[pid_word]);
		p[n].start = strtoull(r->argv[pid_word + 1], NULL, 10);
		n++;
	}
	rc = proc_stop(p, n, STOP_GRACE_MS, err);
	free(p);
	return rc;
}

/* hostif LINK NSNAME CURNAME HOSTNAME ORIGMAC WASUP SETMAC */
static int
give_back(const struct rec *r, char *err)
{
	const char *ns = r->argv[2], *cur = r->argv[3], *hostname = r->argv[4];
	bool wasup = strcmp(r->argv[6], "1") == 0;
	bool setmac = strcmp(r->argv[7], "1") == 0;
	struct nl nl = { NULL, 0, 0 }, host;
	struct nl_link l;
	uint8_t mac[6];
	int rc = 0, fd;

	if (r->argc < 8)
		return errf(err, "record line %d: short hostif line",
		    r->lineno);
	if (nl_open(&host, NETLINK_ROUTE, err) < 0)
		return -1;
	if (netns_exists(ns) && (fd = netns_open(ns, err)) >= 0) {
		if (netns_enter(fd, err) == 0) {
			rc = nl_open(&nl, NETLINK_ROUTE, err);
			if (netns_leave(err) < 0)
				rc = -1;
		} else
			rc = -1;
		close(fd);
		if (rc == 0 && nl_link_get(&nl, cur, &l, err) == 0) {
			struct nl_linkset s = NL_LINKSET_INIT;

			if (setmac && topo_mac_parse(r->argv[5], mac))
				s.mac = mac;
			s.nsfd = netns_host_fd();
			s.newname = hostname;
			rc = nl_link_set(&nl, cur, &s, err);
		}
		nl_close(&nl);
	}
	/* Back home (now or earlier): as it was, up or down. */
	if (rc == 0 && wasup && nl_link_get(&host, hostname, &l, err) == 0 &&
	    !(l.flags & IFF_UP)) {
		struct nl_linkset s = NL_LINKSET_INIT;

		s.up = 1;
		rc = nl_link_set(&host, hostname, &s, err);
	}
	nl_close(&host);
	return rc;
}

static bool
forgotten(const struct record *rec, const char *name)
{
	for (int i = 0; i < rec->n; i++)
		if (strcmp(rec->rec[i].argv[0], "forget") == 0 &&
		    rec->rec[i].argc > 1 &&
		    strcmp(rec->rec[i].argv[1], name) == 0)
			return true;
	return false;
}

/* netns NODE NSNAME: only names this run could have made. */
static int
remove_ns(const struct record *rec, const struct rec *r, const char *id,
    char *err)
{
	char prefix[64];

	if (r->argc < 3 || forgotten(rec, r->argv[2]))
		return 0;
	snprintf(prefix, sizeof(prefix), "%s%s-", NS_PREFIX, id);
	if (strncmp(r->argv[2], prefix, strlen(prefix)) != 0 ||
	    strchr(r->argv[2], '/') != NULL)
		return errf(err, "record line %d: namespace %s is not one of "
		    "run %s's; left alone", r->lineno, r->argv[2], id);
	return netns_delete(r->argv[2], err);
}

static int
undo(const struct record *rec, const struct rec *r, const char *id,
    char *err)
{
	const char *kind = r->argv[0];

	if (strcmp(kind, "hostif") == 0)
		return give_back(r, err);
	if (strcmp(kind, "netns") == 0)
		return remove_ns(rec, r, id, err);
	return 0;
}

int
down_record(struct state *st, char *err)
{
	struct record rec;
	char why[ERRLEN];
	int failed = 0;

	if (netns_init(err) < 0)
		return -1;
	if (state_load(st->id, &rec, err) < 0)
		return -1;
	/* Processes are always the newest objects of a run. */
	if (stop_recorded(&rec, "proc", 2, why) < 0 ||
	    stop_recorded(&rec, "capture", 1, why) < 0) {
		failed++;
		snprintf(err, ERRLEN, "%s", why);
		fprintf(stderr, "mip6topo: down %s: %s\n", st->id, why);
	}
	for (int i = rec.n - 1; i >= 0; i--)
		if (undo(&rec, &rec.rec[i], st->id, why) < 0) {
			if (failed++ == 0)
				snprintf(err, ERRLEN, "%s", why);
			fprintf(stderr, "mip6topo: down %s: %s\n", st->id, why);
		}
	state_free(&rec);
	if (failed > 0)
		return -1;
	return state_remove(st, err);
}

int
topo_down(const char *id, char *err)
{
	struct state st;
	char dir[PATH_MAX];
	bool busy;
	int rc;

	if (!topo_id_ok(id))
		return errf(err, "bad run id '%s'", id);
	if (geteuid() != 0)
		return errf(err, "not root: mip6topo down needs root");
	if (state_open(&st, id, &busy, err) < 0) {
		if (busy)
			return -1;
		/* No record: never started, or already down.  A folder
		   left by an `up` killed before its first line goes. */
		state_run_dir(id, dir, sizeof(dir));
		if (rmdir(dir) < 0) {
			if (errno != ENOENT)
				return errf(err, "%s: %s", dir,
				    strerror(errno));
			fprintf(stderr, "mip6topo: run %s: nothing recorded "
			    "(already down)\n", id);
		}
		return 0;
	}
	rc = down_record(&st, err);
	state_close(&st);
	return rc;
}

int
topo_down_all(char *err)
{
	char (*ids)[STATE_IDLEN] = calloc(1024, STATE_IDLEN);
	char why[ERRLEN];
	int n, failed = 0;

	if (ids == NULL)
		return errf(err, "out of memory");
	if (state_list(ids, 1024, &n, err) < 0) {
		free(ids);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (topo_down(ids[i], why) < 0) {
			if (failed++ == 0)
				snprintf(err, ERRLEN, "%s", why);
			fprintf(stderr, "mip6topo: down %s: %s\n", ids[i], why);
		}
	free(ids);
	return failed > 0 ? -1 : 0;
}
