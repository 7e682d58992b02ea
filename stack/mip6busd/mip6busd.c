/*
 * stack/mip6busd/mip6busd.c - mip6busd, the mobility-socket bus hub
 * (mip6busd(8), mip6-bus(7)): main, options, the control socket and the
 * process lifecycle around the hub of busd_hub.c.  One process, one
 * libevent loop; it parses only bus messages, from root clients.
 */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/lib/bus.h"
#include "stack/lib/ctl.h"
#include "stack/lib/daemon.h"
#include "stack/lib/log.h"
#include "stack/lib/version.h"
#include "stack/mip6busd/busd_hub.h"

#define DEFAULT_CTL	"/run/mip6kit/mip6busd.sock"
#define REPLY_MAX	(64u << 10)	/* BUSD_CLIENTS_MAX clients fit */

struct busd {
	const char	*bus_path;
	const char	*ctl_path;
	struct event_base *base;
	struct busd_hub	*hub;
	int		 ctl_sock;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: mip6busd [-dhv] [-b bus] [-s control] [--version]\n"
	    "  -b bus      the bus socket (default " MIP6_BUS_PATH ")\n"
	    "  -s control  the control socket (default " DEFAULT_CTL ")\n"
	    "  -d          stay in the foreground, log to stderr\n"
	    "  -v          log debug messages\n"
	    "  -h          this help\n"
	    "  --version   print the version\n");
}

/* One JSON answer: "status" (and "clients"), or "counters". */
static void
answer(const struct busd *d, const char *req, struct sbuf *sb)
{
	bool all = strcmp(req, "status") == 0 || strcmp(req, "clients") == 0;
	struct jw jw;

	jw_init(&jw, sb);
	jw_obj_open(&jw, NULL);
	jw_str(&jw, "daemon", "mip6busd");
	jw_str(&jw, "version", MIP6KIT_VERSION);
	if (all) {
		jw_str(&jw, "bus", d->bus_path);
		busd_hub_json_clients(d->hub, &jw);
		busd_hub_json_counters(d->hub, &jw);
	} else if (strcmp(req, "counters") == 0)
		busd_hub_json_counters(d->hub, &jw);
	else
		jw_str(&jw, "error", "unknown command (status, clients, "
		    "counters)");
	jw_obj_close(&jw);
	sbuf_putc(sb, '\n');
}

static void
on_ctl(evutil_socket_t lfd, short what, void *arg)
{
	struct busd *d = arg;
	char req[CTL_REQ_MAX], *out;
	struct sbuf sb;
	int fd;

	(void)what;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (ctl_read_request(fd, req, sizeof(req), 1000) < 0 ||
	    (out = malloc(REPLY_MAX)) == NULL) {
		close(fd);
		return;
	}
	sbuf_init(&sb, out, REPLY_MAX);
	answer(d, req, &sb);
	ctl_write_reply(fd, sbuf_str(&sb), sb.len);
	free(out);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct busd *d = arg;

	(void)what;
	log_msg(LOG_INFO, "signal %d: exiting", (int)sig);
	event_base_loopbreak(d->base);
}

/* Listeners and signals; -1 with a message logged. */
static int
setup(struct busd *d, struct event *ev[], size_t *nev)
{
	static const int sigs[] = { SIGTERM, SIGINT };
	size_t k, n = 0;

	d->hub = busd_hub_open(d->base, d->bus_path);
	if (d->hub == NULL) {
		log_msg(LOG_ERR, "%s: %s", d->bus_path, strerror(errno));
		return -1;
	}
	d->ctl_sock = ctl_listen(d->ctl_path);
	if (d->ctl_sock < 0) {
		log_msg(LOG_ERR, "%s: %s", d->ctl_path, strerror(errno));
		return -1;
	}
	ev[n++] = event_new(d->base, d->ctl_sock, EV_READ | EV_PERSIST,
	    on_ctl, d);
	for (k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
		ev[n++] = evsignal_new(d->base, sigs[k], on_signal, d);
	*nev = n;
	for (k = 0; k < n; k++)
		if (ev[k] == NULL || event_add(ev[k], NULL) < 0) {
			log_msg(LOG_ERR, "event setup failed");
			return -1;
		}
	return 0;
}

static void
teardown(struct busd *d, struct event *ev[], size_t nev)
{
	size_t k;

	for (k = 0; k < nev; k++)
		if (ev[k] != NULL)
			event_free(ev[k]);
	busd_hub_close(d->hub);
	if (d->ctl_sock >= 0) {
		close(d->ctl_sock);
		unlink(d->ctl_path);
		daemon_pidfile_remove(d->ctl_path);
	}
	event_base_free(d->base);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct busd d = { MIP6_BUS_PATH, DEFAULT_CTL, NULL, NULL, -1 };
	struct event *ev[4] = { NULL };
	bool foreground = false;
	int verbose = 0, ch, ready_fd = -1, st = 0;
	size_t nev = 0;

	while ((ch = getopt_long(argc, argv, "b:dhs:v", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'b': d.bus_path = optarg; break;
		case 'd': foreground = true; break;
		case 's': d.ctl_path = optarg; break;
		case 'v': verbose++; break;
		case 'V': printf("mip6busd (mip6kit) %s\n", MIP6KIT_VERSION);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 64;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 64;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "mip6busd: must run as root\n");
		return 1;
	}
	if (!foreground)
		ready_fd = daemon_start("mip6busd");
	/* Until ready, errors go to the caller's stderr. */
	log_init("mip6busd", true, verbose);
	signal(SIGPIPE, SIG_IGN);
	if ((d.base = event_base_new()) == NULL) {
		log_msg(LOG_ERR, "event_base_new failed");
		return 1;
	}
	if (setup(&d, ev, &nev) < 0) {
		teardown(&d, ev, nev);
		return 1;
	}
	daemon_pidfile_write(d.ctl_path);
	if (!foreground) {
		daemon_ready(ready_fd);
		log_init("mip6busd", false, verbose);
	}
	log_msg(LOG_INFO, "bus hub ready on %s", d.bus_path);
	if (event_base_dispatch(d.base) < 0)
		st = 1;
	teardown(&d, ev, nev);
	return st;
}
