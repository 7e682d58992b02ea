/*
 * stack/lib/proc.c - see proc.h.
 */
#include <errno.h>
#include <event2/event.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/lib/ctl.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/log.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/version.h"

pid_t
proc_fork_child(void (*child_main)(int, const struct passwd *),
    const struct passwd *pw, int *sock, char *err, size_t errlen)
{
	int sv[2];
	pid_t pid;

	if (ps_socketpair(sv) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		for (int fd = 3; fd < 1024; fd++)
			if (fd != sv[1])
				close(fd);
		child_main(sv[1], pw);
		_exit(1);
	}
	close(sv[1]);
	*sock = sv[0];
	return pid;
}

void
proc_send_wait(int sock, const char *who, uint16_t type, const void *a,
    size_t alen, const void *b, size_t blen)
{
	while (ps_send(sock, type, a, alen, b, blen, -1) < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			struct pollfd p = { .fd = sock, .events = POLLOUT };

			(void)poll(&p, 1, 1000);
			continue;
		}
		log_msg(LOG_ERR, "%s: lost parent: %s", who, strerror(errno));
		_exit(1);
	}
}

int
proc_drain(int sock, uint8_t *buf, size_t cap, int max, proc_msg_cb *cb,
    void *arg)
{
	for (int i = 0; i < max; i++) {
		uint16_t type;
		int fd;
		ssize_t n = ps_recv(sock, &type, buf, cap, &fd);

		if (n < 0) {
			if (errno == EBADMSG)
				continue;
			return -1;
		}
		if (type == 0)
			return 0;
		cb(arg, type, buf, (size_t)n, fd);
	}
	return 0;
}

int
proc_raw6_send(int sock, unsigned oif, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };

	if (len < 40 || (pkt[0] >> 4) != 6) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&dst.sin6_addr, pkt + 24, 16);
	if (IN6_IS_ADDR_LINKLOCAL(&dst.sin6_addr) ||
	    IN6_IS_ADDR_MULTICAST(&dst.sin6_addr))
		dst.sin6_scope_id = oif;
	return sendto(sock, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&dst,
	    sizeof dst) < 0 ? -1 : 0;
}

int
proc_raw4_send(int sock, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };

	if (len < 20 || (pkt[0] >> 4) != 4) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&dst.sin_addr, pkt + 16, 4);
	return sendto(sock, pkt, len, MSG_DONTWAIT, (struct sockaddr *)&dst,
	    sizeof dst) < 0 ? -1 : 0;
}

void
proc_timer_at(struct event *ev, uint64_t deadline_ms)
{
	uint64_t now, d;
	struct timeval tv;

	if (deadline_ms == UINT64_MAX) {
		evtimer_del(ev);
		return;
	}
	now = boottime_ms();
	d = deadline_ms > now ? deadline_ms - now : 0;
	tv.tv_sec = (time_t)(d / 1000);
	tv.tv_usec = (suseconds_t)(d % 1000) * 1000;
	evtimer_add(ev, &tv);
}

void
proc_warn_private_bpffs(void)
{
	struct stat self, init;

	if (stat("/proc/self/ns/mnt", &self) == 0 &&
	    stat("/proc/1/ns/mnt", &init) == 0 && self.st_ino != init.st_ino)
		log_msg(LOG_WARNING, "running in a private mount namespace "
		    "(ip netns exec?): pinned maps may not outlive this "
		    "process; use nsenter --net=/run/netns/NAME to keep "
		    "bindings across restarts");
}

int
proc_open_raw_and_ctl(const char *control, int *raw_sock, int *ctl_sock,
    char *err, size_t errlen)
{
	*raw_sock = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (*raw_sock < 0) {
		snprintf(err, errlen, "raw IPv6 socket: %s", strerror(errno));
		return -1;
	}
	if ((*ctl_sock = ctl_listen(control)) < 0) {
		snprintf(err, errlen, "control socket %s: %s", control,
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
proc_usage(FILE *f, const char *name, const char *default_conf,
    bool cleanup)
{
	fprintf(f,
	    "usage: %s [-dhnv] [-f file]%s [--version]\n"
	    "  -f file     configuration (default %s)\n"
	    "  -n          check the configuration and exit\n"
	    "  -v          with -n: print the normalised configuration;\n"
	    "              otherwise: log debug messages\n"
	    "  -d          stay in the foreground, log to stderr\n"
	    "%s"
	    "  --version   print the version and exit\n"
	    "  -h, --help  this text\n", name, cleanup ? " [--cleanup]" : "",
	    default_conf, cleanup ? "  --cleanup   remove the pinned maps "
	    "and tc filters, then exit\n" : "");
}

int
proc_getopt(int argc, char **argv, const char *name, void (*usage)(FILE *),
    struct proc_opts *o)
{
	static const struct option longopts[] = {
		{ "cleanup", no_argument, NULL, 'C' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "df:hnv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': o->foreground = true; break;
		case 'f': o->conf_path = optarg; break;
		case 'n': o->check = true; break;
		case 'v': o->verbose++; break;
		case 'C': o->cleanup = true; break;
		case 'V': printf("%s (mip6kit) %s\n", name, MIP6KIT_VERSION);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 64;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 64;
	}
	return -1;
}

static void
reload_body(void *arg, struct jw *jw)
{
	const char *err = arg;

	jw_obj_open(jw, NULL);
	if (err != NULL)
		jw_str(jw, "error", err);
	else
		jw_bool(jw, "reloaded", true);
	jw_obj_close(jw);
}

char *
proc_reload_answer(const char *daemon, const char *err, size_t *len)
{
	return ctl_render(daemon, reload_body, NULL, (void *)(uintptr_t)err,
	    false, len);
}

void
proc_ctl_reload(int fd, const char *daemon,
    int (*reload)(void *, char *, size_t), void *arg)
{
	char err[400], *ans;	/* mdd's reasons are up to 400 bytes */
	size_t len;
	int rc = reload(arg, err, sizeof(err));

	if (rc < 0)
		log_msg(LOG_ERR, "reload: %s (old configuration kept)", err);
	ans = proc_reload_answer(daemon, rc < 0 ? err : NULL, &len);
	if (ans == NULL)
		close(fd);
	else
		(void)ctl_write_reply(fd, ans, len);	/* closes fd */
	free(ans);
}

int
proc_text_add(struct proc_text *t, const void *piece, size_t len, size_t max)
{
	size_t old = t->len;
	char *n;

	/* not realloc: a configuration text holds SA keys (espsa.h), and
	   the old block is wiped before it is freed */
	if (old + len > max || (n = malloc(old + len + 1)) == NULL) {
		proc_text_clear(t);
		return -1;
	}
	if (old > 0)
		memcpy(n, t->buf, old);
	proc_text_clear(t);
	memcpy(n + old, piece, len);
	t->buf = n;
	t->len = old + len;
	t->buf[t->len] = '\0';
	return 0;
}

void
proc_text_clear(struct proc_text *t)
{
	if (t->buf != NULL)
		explicit_bzero(t->buf, t->len);
	free(t->buf);
	t->buf = NULL;
	t->len = 0;
}
