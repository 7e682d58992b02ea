/*
 * msockwatch - print the mobility-socket bus traffic live, or send one
 * message (msockwatch(8)), like SHISA's tool of the same name.
 *
 *   msockwatch [-jq] [-b bus] [-c count] [-w seconds]
 *   msockwatch [-b bus] -s "TYPE attr=value ..."
 *
 * A plain blocking client of mip6busd (a listener: it announces no node
 * type, so nothing is addressed to it but it hears everything).  Exit
 * status: 0 ok, 1 no hub (or the hub went away), 2 -w ran out before any
 * message arrived, 64 bad usage (including a message -s cannot read).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packets/msock.h"
#include "packets/sbuf.h"
#include "stack/lib/bus.h"
#include "stack/lib/log.h"
#include "stack/lib/version.h"

#define EX_USAGE_	64
#define EX_NOHUB	1
#define EX_NOMSG	2

struct opts {
	const char	*bus;
	const char	*send;
	bool		 json, quiet;
	unsigned long	 count;		/* 0: no limit */
	long		 wait_ms;	/* < 0: no limit */
};

static const char usage_text[] =
    "usage: msockwatch [-hjq] [-b bus] [-c count] [-w seconds] [--version]\n"
    "       msockwatch [-b bus] -s \"TYPE attr=value ...\"\n"
    "  -b bus      the bus socket (default " MIP6_BUS_PATH ")\n"
    "  -c count    exit after count messages\n"
    "  -w seconds  exit after that time (status 2 if no message came)\n"
    "  -j          one JSON object per line\n"
    "  -q          no timestamp before each line\n"
    "  -s message  send one message and exit, e.g.\n"
    "              -s \"md-info rereg ifindex=4 coa=2001:db8:2::2\"\n"
    "  -h          this help\n"
    "  --version   print the version\n";

static int
bad_usage(const char *fmt, const char *arg)
{
	if (fmt != NULL) {
		fputs("msockwatch: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return EX_USAGE_;
}

/* A message -s cannot read: said plainly, without the whole usage. */
static int
bad_message(const char *what)
{
	fprintf(stderr, "msockwatch: -s: %s\n", what);
	return EX_USAGE_;
}

static int
send_one(const struct opts *o)
{
	uint8_t buf[MSOCK_MAX];
	struct msock_msg m;
	enum msock_err e;
	unsigned which;
	char err[160];
	int fd, len;

	if (msock_from_text(&m, o->send, err, sizeof(err)) < 0)
		return bad_message(err);
	if ((e = msock_check_attr(&m, &which)) != MSOCK_OK) {
		snprintf(err, sizeof(err), "%s: %s%s%s", msock_type_name(m.type),
		    msock_err_str(e), which != 0 ? ": " : "",
		    which != 0 ? msock_attr_name(which) : "");
		return bad_message(err);
	}
	if (m.seq == 0)
		m.seq = 1;
	len = msock_encode(&m, buf, sizeof(buf));
	if (len < 0)
		return bad_message("cannot encode");
	if ((fd = bus_dial(o->bus, false)) < 0) {
		fprintf(stderr, "msockwatch: %s: %s (is mip6busd running?)\n",
		    o->bus, strerror(errno));
		return EX_NOHUB;
	}
	if (send(fd, buf, (size_t)len, MSG_NOSIGNAL) != len) {
		fprintf(stderr, "msockwatch: send: %s\n", strerror(errno));
		close(fd);
		return EX_NOHUB;
	}
	close(fd);
	return 0;
}

static void
print_message(const struct opts *o, const struct msock_msg *m)
{
	char line[4096], stamp[64];
	struct timespec ts;
	struct sbuf sb;
	struct jw jw;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	sbuf_init(&sb, line, sizeof(line));
	if (o->json) {
		snprintf(stamp, sizeof(stamp), "%lld.%03ld",
		    (long long)ts.tv_sec, ts.tv_nsec / 1000000);
		jw_init(&jw, &sb);
		jw_obj_open(&jw, NULL);
		jw_raw(&jw, "time", stamp);
		msock_json_members(&jw, m);
		jw_obj_close(&jw);
	} else {
		if (!o->quiet) {
			localtime_r(&ts.tv_sec, &tm);
			strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
			sbuf_printf(&sb, "%s.%03ld ", stamp,
			    ts.tv_nsec / 1000000);
		}
		msock_print(&sb, m);
	}
	puts(sbuf_str(&sb));
	fflush(stdout);
}

/* One datagram: printed, or reported on stderr when it does not decode. */
static bool
take_message(const struct opts *o, int fd)
{
	uint8_t buf[BUS_RECV_CAP];
	struct msock_msg m;
	enum msock_err e;
	ssize_t n;

	n = bus_recv(fd, buf, true);
	if (n <= 0)
		return false;
	if ((size_t)n > MSOCK_MAX)
		e = MSOCK_E_LEN;
	else
		e = msock_decode(buf, (size_t)n, &m);
	if (e != MSOCK_OK) {
		fprintf(stderr, "msockwatch: undecodable message (%zd octets): "
		    "%s\n", n, msock_err_str(e));
		return true;
	}
	print_message(o, &m);
	return true;
}

static int
watch(const struct opts *o)
{
	int64_t deadline = o->wait_ms >= 0 ? (int64_t)boottime_ms() + o->wait_ms : -1;
	unsigned long seen = 0;
	struct pollfd pfd;
	int fd, r, left;

	if ((fd = bus_dial(o->bus, false)) < 0) {
		fprintf(stderr, "msockwatch: %s: %s (is mip6busd running?)\n",
		    o->bus, strerror(errno));
		return EX_NOHUB;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (o->count == 0 || seen < o->count) {
		left = -1;
		if (deadline >= 0) {
			int64_t d = deadline - (int64_t)boottime_ms();

			if (d <= 0)
				break;
			left = d > INT_MAX ? INT_MAX : (int)d;
		}
		r = poll(&pfd, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		if (r == 0)
			continue;
		if (!take_message(o, fd)) {
			fprintf(stderr, "msockwatch: the hub closed the bus\n");
			close(fd);
			return EX_NOHUB;
		}
		seen++;
	}
	close(fd);
	if (o->wait_ms >= 0 && seen == 0)
		return EX_NOMSG;
	return 0;
}

static bool
parse_count(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0' && *v <= max;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { MIP6_BUS_PATH, NULL, false, false, 0, -1 };
	unsigned long v;
	int ch;

	while ((ch = getopt_long(argc, argv, "b:c:hjqs:w:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'b': o.bus = optarg; break;
		case 'c':
			if (!parse_count(optarg, ULONG_MAX, &o.count) ||
			    o.count == 0)
				return bad_usage("-c %s: not a count", optarg);
			break;
		case 'h': fputs(usage_text, stdout); return 0;
		case 'j': o.json = true; break;
		case 'q': o.quiet = true; break;
		case 's': o.send = optarg; break;
		case 'w':
			if (!parse_count(optarg, 86400 * 365, &v))
				return bad_usage("-w %s: not a number of "
				    "seconds", optarg);
			o.wait_ms = (long)v * 1000;
			break;
		case 'V': printf("msockwatch (mip6kit) %s\n", MIP6KIT_VERSION);
			return 0;
		default: return bad_usage(NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage("unexpected argument \"%s\"", argv[optind]);
	if (o.send != NULL && (o.json || o.quiet || o.count || o.wait_ms >= 0))
		return bad_usage("%s", "-s sends: -c, -j, -q, -w do not apply");
	return o.send != NULL ? send_one(&o) : watch(&o);
}
