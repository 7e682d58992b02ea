/*
 * busd_test.c - mip6busd, the bus hub, run as a process on a socket in a
 * temporary folder, with raw SOCK_SEQPACKET clients: broadcast to every
 * other client and never back to the sender, the pid stamp, order,
 * malformed messages dropped and counted (ctl JSON), drop-oldest overflow
 * with ENOBUFS on the next message, status of clients, clean exit; and the
 * stack/lib/bus.c client reconnecting after the hub restarts.
 */
#include <arpa/inet.h>
#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <json-c/json.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "packets/msock.h"
#include "stack/lib/bus.h"
#include "stack/lib/ctl.h"
#include "stack/lib/log.h"

/* Every case runs a hub: root (the daemon refuses less), a timeout. */
#define BUSD_TC(name, timeout)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "require.user", "root");		\
		atf_tc_set_md_var(tc, "timeout", timeout);		\
	}

struct hub {
	char	dir[64];
	char	bus[96], ctl[96];
	pid_t	pid;
};

static int64_t
now_ms(void)
{
	return (int64_t)boottime_ms();
}

/* The daemon beside the test tree: BUILD/stack/mip6busd/tests/x -> BUILD. */
static void
daemon_path(char *out, size_t cap)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *p;
	int i;

	ATF_REQUIRE(n > 0 && (size_t)n + 10 < cap);
	self[n] = '\0';
	for (i = 0; i < 4; i++) {
		p = strrchr(self, '/');
		ATF_REQUIRE(p != NULL);
		*p = '\0';
	}
	strcpy(out, self);
	strcat(out, "/mip6busd");
	ATF_REQUIRE_MSG(access(out, X_OK) == 0, "no daemon at %s", out);
}

/* Start (or restart) the hub; wait until its control socket answers. */
static void
hub_start(struct hub *h)
{
	char bin[PATH_MAX], err[128], *ans;
	int64_t deadline = now_ms() + 10000;

	daemon_path(bin, sizeof(bin));
	if (h->dir[0] == '\0') {
		snprintf(h->dir, sizeof(h->dir), "/tmp/busd_test.XXXXXX");
		ATF_REQUIRE(mkdtemp(h->dir) != NULL);
		snprintf(h->bus, sizeof(h->bus), "%s/run/bus", h->dir);
		snprintf(h->ctl, sizeof(h->ctl), "%s/run/mip6busd.sock",
		    h->dir);
	}
	h->pid = fork();
	ATF_REQUIRE(h->pid >= 0);
	if (h->pid == 0) {
		execl(bin, "mip6busd", "-d", "-b", h->bus, "-s", h->ctl,
		    (char *)NULL);
		_exit(127);
	}
	while (now_ms() < deadline) {
		ans = ctl_call(h->ctl, "counters", 2000, err, sizeof(err));
		if (ans != NULL) {
			free(ans);
			return;
		}
		usleep(20000);
	}
	atf_tc_fail("mip6busd did not come up");
}

static int
hub_stop(struct hub *h)
{
	int st = -1;

	if (h->pid > 0) {
		kill(h->pid, SIGTERM);
		waitpid(h->pid, &st, 0);
		h->pid = 0;
	}
	return st;
}

static void
hub_cleanup(struct hub *h)
{
	char cmd[128];

	hub_stop(h);
	if (h->dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", h->dir);
		(void)system(cmd);
	}
}

static int
client(const struct hub *h)
{
	int fd = bus_dial(h->bus, false);

	ATF_REQUIRE_MSG(fd >= 0, "connect %s: %s", h->bus, strerror(errno));
	return fd;
}

/* The hub's JSON answer to a request, parsed. */
static json_object *
hub_ctl(const struct hub *h, const char *req)
{
	char err[128], *ans;
	json_object *o;

	ans = ctl_call(h->ctl, req, 5000, err, sizeof(err));
	ATF_REQUIRE_MSG(ans != NULL, "ctl %s: %s", req, err);
	o = json_tokener_parse(ans);
	ATF_REQUIRE_MSG(o != NULL, "not JSON: %s", ans);
	free(ans);
	return o;
}

static int64_t
json_int_at(json_object *o, const char *k1, const char *k2)
{
	json_object *v;

	ATF_REQUIRE_MSG(json_object_object_get_ex(o, k1, &v), "no %s", k1);
	if (k2 != NULL)
		ATF_REQUIRE_MSG(json_object_object_get_ex(v, k2, &v),
		    "no %s.%s", k1, k2);
	return json_object_get_int64(v);
}

static int64_t
counter(const struct hub *h, const char *name)
{
	json_object *o = hub_ctl(h, "counters");
	int64_t v = json_int_at(o, "counters", name);

	json_object_put(o);
	return v;
}

/* Wait until the hub has n clients (connect is asynchronous to accept). */
static void
wait_clients(const struct hub *h, int64_t n)
{
	int64_t deadline = now_ms() + 10000;
	json_object *o, *arr;
	size_t got = 0;

	while (now_ms() < deadline) {
		o = hub_ctl(h, "status");
		ATF_REQUIRE(json_object_object_get_ex(o, "clients", &arr));
		got = json_object_array_length(arr);
		json_object_put(o);
		if ((int64_t)got == n)
			return;
		usleep(20000);
	}
	atf_tc_fail("hub has %zu clients, want %lld", got, (long long)n);
}

static void
send_msg(int fd, struct msock_msg *m)
{
	uint8_t buf[MSOCK_MAX];
	int len = msock_encode(m, buf, sizeof(buf));

	ATF_REQUIRE(len > 0);
	ATF_REQUIRE_EQ(send(fd, buf, (size_t)len, MSG_NOSIGNAL), len);
}

static void
rr_hint(struct msock_msg *m, uint32_t seq)
{
	struct in6_addr hoa, peer;

	inet_pton(AF_INET6, "2001:db8:1::100", &hoa);
	inet_pton(AF_INET6, "2001:db8:3::5", &peer);
	msock_init(m, MSOCK_RR_HINT);
	m->seq = seq;
	m->pid = 12345;		/* the hub must overwrite it */
	msock_set_in6(m, MSA_HOA, &hoa);
	msock_set_in6(m, MSA_PEER, &peer);
}

/* Receive one message within timeout_ms: 1, or 0 when none came. */
static int
recv_msg(int fd, int timeout_ms, struct msock_msg *m)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t buf[MSOCK_MAX + 1];
	ssize_t n;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	n = recv(fd, buf, sizeof(buf), 0);
	ATF_REQUIRE_MSG(n > 0, "recv: %zd", n);
	ATF_REQUIRE_EQ(msock_decode(buf, (size_t)n, m), MSOCK_OK);
	return 1;
}

BUSD_TC(broadcast_to_others_only, "60")
ATF_TC_BODY(broadcast_to_others_only, tc)
{
	struct hub h = { .pid = 0 };
	struct msock_msg m, r;
	int a, b, c, i;

	hub_start(&h);
	a = client(&h);
	b = client(&h);
	c = client(&h);
	wait_clients(&h, 3);
	rr_hint(&m, 41);
	send_msg(a, &m);
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE_MSG(recv_msg(i == 0 ? b : c, 5000, &r) == 1,
		    "client %d got nothing", i);
		ATF_CHECK_EQ(r.type, MSOCK_RR_HINT);
		ATF_CHECK_EQ(r.seq, 41);
		/* SO_PEERCRED: this process, not what the sender wrote */
		ATF_CHECK_EQ(r.pid, (uint32_t)getpid());
		ATF_CHECK(memcmp(&r.hoa, &m.hoa, 16) == 0);
	}
	/* never back to the sender; b's answer goes to a and c */
	ATF_CHECK_EQ(recv_msg(a, 300, &r), 0);
	rr_hint(&m, 42);
	send_msg(b, &m);
	ATF_CHECK_EQ(recv_msg(a, 5000, &r), 1);
	ATF_CHECK_EQ(r.seq, 42);
	ATF_CHECK_EQ(recv_msg(c, 5000, &r), 1);
	ATF_CHECK_EQ(r.seq, 42);
	ATF_CHECK_EQ(recv_msg(b, 300, &r), 0);
	ATF_CHECK_EQ(counter(&h, "messages"), 2);
	ATF_CHECK_EQ(counter(&h, "delivered"), 4);
	close(a);
	close(b);
	close(c);
	/* a client that leaves is forgotten */
	wait_clients(&h, 0);
	hub_cleanup(&h);
}

/*
 * A client that sends and closes at once (msockwatch -s) while the hub has
 * something to write to it: writing fails, yet its message must still
 * reach the others.  The hub is stopped while a and then b write, so that
 * it sees a's message first and fails to pass it to the closed b before
 * it reads b's.
 */
BUSD_TC(closed_sender_not_lost, "60")
ATF_TC_BODY(closed_sender_not_lost, tc)
{
	struct hub h = { .pid = 0 };
	struct msock_msg m, r;
	int a, b, c;

	hub_start(&h);
	a = client(&h);
	b = client(&h);
	c = client(&h);
	wait_clients(&h, 3);
	ATF_REQUIRE_EQ(kill(h.pid, SIGSTOP), 0);
	rr_hint(&m, 1);
	send_msg(a, &m);
	rr_hint(&m, 2);
	send_msg(b, &m);
	close(b);
	ATF_REQUIRE_EQ(kill(h.pid, SIGCONT), 0);
	ATF_REQUIRE_MSG(recv_msg(c, 5000, &r) == 1, "c got nothing");
	ATF_CHECK_EQ(r.seq, 1);
	ATF_REQUIRE_MSG(recv_msg(c, 5000, &r) == 1,
	    "the closed sender's message was lost");
	ATF_CHECK_EQ(r.seq, 2);
	ATF_CHECK_EQ(recv_msg(a, 5000, &r), 1);
	ATF_CHECK_EQ(r.seq, 2);
	wait_clients(&h, 2);
	ATF_CHECK_EQ(counter(&h, "messages"), 2);
	close(a);
	close(c);
	hub_cleanup(&h);
}

BUSD_TC(order_preserved, "60")
ATF_TC_BODY(order_preserved, tc)
{
	struct hub h = { .pid = 0 };
	struct msock_msg m, r;
	uint32_t i, want = 1;
	int a, b;

	hub_start(&h);
	a = client(&h);
	b = client(&h);
	wait_clients(&h, 2);
	/* fewer than the queue holds: all arrive, in order, none marked */
	for (i = 1; i <= 200; i++) {
		rr_hint(&m, i);
		send_msg(a, &m);
	}
	while (want <= 200 && recv_msg(b, 5000, &r) == 1) {
		ATF_REQUIRE_EQ_MSG(r.seq, want, "got seq %u, want %u", r.seq,
		    want);
		ATF_CHECK_EQ(r.err, 0);
		want++;
	}
	ATF_CHECK_EQ(want, 201);
	ATF_CHECK_EQ(counter(&h, "dropped"), 0);
	close(a);
	close(b);
	hub_cleanup(&h);
}

BUSD_TC(malformed_dropped_and_counted, "60")
ATF_TC_BODY(malformed_dropped_and_counted, tc)
{
	static const uint8_t bad_version[16] = { 0, 16, 2, 10 };
	static const uint8_t too_short[8] = { 0, 8, 1, 10 };
	uint8_t too_long[MSOCK_MAX + 100];
	struct hub h = { .pid = 0 };
	struct msock_msg m, r;
	json_object *o, *arr, *cl;
	int a, b;

	hub_start(&h);
	a = client(&h);
	wait_clients(&h, 1);
	b = client(&h);
	wait_clients(&h, 2);
	memset(too_long, 0, sizeof(too_long));
	ATF_REQUIRE(send(a, bad_version, sizeof(bad_version), 0) > 0);
	ATF_REQUIRE(send(a, too_short, sizeof(too_short), 0) > 0);
	ATF_REQUIRE(send(a, too_long, sizeof(too_long), 0) > 0);
	rr_hint(&m, 7);
	send_msg(a, &m);
	/* only the valid one arrives */
	ATF_REQUIRE_EQ(recv_msg(b, 5000, &r), 1);
	ATF_CHECK_EQ(r.seq, 7);
	ATF_CHECK_EQ(recv_msg(b, 300, &r), 0);
	ATF_CHECK_EQ(counter(&h, "malformed"), 3);
	ATF_CHECK_EQ(counter(&h, "messages"), 1);
	/* counted for the sender, in connection order */
	o = hub_ctl(&h, "status");
	ATF_REQUIRE(json_object_object_get_ex(o, "clients", &arr));
	ATF_REQUIRE_EQ(json_object_array_length(arr), 2);
	cl = json_object_array_get_idx(arr, 0);
	ATF_CHECK_EQ(json_int_at(cl, "malformed", NULL), 3);
	ATF_CHECK_EQ(json_int_at(cl, "sent", NULL), 1);
	ATF_CHECK_EQ(json_int_at(cl, "pid", NULL), getpid());
	cl = json_object_array_get_idx(arr, 1);
	ATF_CHECK_EQ(json_int_at(cl, "malformed", NULL), 0);
	ATF_CHECK_EQ(json_int_at(cl, "received", NULL), 1);
	json_object_put(o);
	close(a);
	close(b);
	hub_cleanup(&h);
}

BUSD_TC(overflow_drops_oldest, "120")
ATF_TC_BODY(overflow_drops_oldest, tc)
{
	enum { N = 1500 };
	struct hub h = { .pid = 0 };
	struct msock_msg m, r;
	uint32_t prev = 0, gaps = 0, got = 0, marked = 0;
	int64_t dropped;
	int a, b, i;

	hub_start(&h);
	a = client(&h);
	b = client(&h);
	wait_clients(&h, 2);
	/* b reads nothing while a sends far more than b's socket and its
	   queue in the hub hold */
	for (i = 1; i <= N; i++) {
		rr_hint(&m, (uint32_t)i);
		send_msg(a, &m);
	}
	/* the hub has handled them all once "messages" says so */
	for (i = 0; i < 500 && counter(&h, "messages") < N; i++)
		usleep(20000);
	ATF_REQUIRE_EQ(counter(&h, "messages"), N);
	dropped = counter(&h, "dropped");
	ATF_REQUIRE_MSG(dropped > 0, "nothing dropped: the test sent too few");
	/* generous per-message wait: the machine may be loaded */
	while (prev < N && recv_msg(b, 5000, &r) == 1) {
		got++;
		if (r.seq != prev + 1) {
			gaps++;
			/* the first message after the gap says so */
			ATF_CHECK_EQ_MSG(r.err, ENOBUFS, "seq %u after %u: "
			    "errno %u", r.seq, prev, r.err);
		}
		if (r.err == ENOBUFS)
			marked++;
		ATF_REQUIRE_MSG(r.seq > prev, "seq %u after %u", r.seq, prev);
		prev = r.seq;
	}
	/* drop-oldest: the newest arrived, one gap, one mark, nothing more */
	ATF_CHECK_EQ(prev, N);
	ATF_CHECK_EQ(recv_msg(b, 300, &r), 0);
	ATF_CHECK_EQ(gaps, 1);
	ATF_CHECK_EQ(marked, 1);
	ATF_CHECK_EQ_MSG((int64_t)got + dropped, N, "got %u, dropped %lld",
	    got, (long long)dropped);
	ATF_CHECK(got >= 256);
	close(a);
	close(b);
	hub_cleanup(&h);
}

BUSD_TC(status_and_clean_exit, "60")
ATF_TC_BODY(status_and_clean_exit, tc)
{
	struct hub h = { .pid = 0 };
	json_object *o, *arr, *cl, *v;
	struct msock_msg m;
	char pidfile[128];
	struct stat st;
	int a, status;

	hub_start(&h);
	ATF_REQUIRE_EQ(stat(h.bus, &st), 0);
	ATF_CHECK(S_ISSOCK(st.st_mode));
	ATF_CHECK_EQ(st.st_mode & 0777, 0600);
	a = client(&h);
	msock_init(&m, MSOCK_NODETYPE_INFO);
	msock_set_u32(&m, MSA_NODETYPE, MSOCK_NODE_MN | MSOCK_NODE_MR);
	send_msg(a, &m);
	while (counter(&h, "messages") < 1)
		usleep(20000);
	o = hub_ctl(&h, "status");
	ATF_CHECK_STREQ(json_object_get_string(
	    json_object_object_get(o, "daemon")), "mip6busd");
	ATF_CHECK_STREQ(json_object_get_string(
	    json_object_object_get(o, "bus")), h.bus);
	ATF_REQUIRE(json_object_object_get_ex(o, "clients", &arr));
	cl = json_object_array_get_idx(arr, 0);
	ATF_REQUIRE(json_object_object_get_ex(cl, "nodetype", &v));
	ATF_CHECK_STREQ(json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN), "[\"mn\",\"mr\"]");
	ATF_REQUIRE(json_object_object_get_ex(cl, "connected_since", &v));
	ATF_CHECK_EQ(strlen(json_object_get_string(v)), 20);
	json_object_put(o);
	/* a second hub on the same bus refuses to start, and leaves the
	   live socket alone (the probe connects with the bus's type) */
	{
		char bin[PATH_MAX], ctl2[128];
		pid_t p2;
		int st2, fd2;

		daemon_path(bin, sizeof(bin));
		snprintf(ctl2, sizeof(ctl2), "%s/other.sock", h.dir);
		p2 = fork();
		ATF_REQUIRE(p2 >= 0);
		if (p2 == 0) {
			execl(bin, "mip6busd", "-d", "-b", h.bus, "-s", ctl2,
			    (char *)NULL);
			_exit(127);
		}
		ATF_REQUIRE_EQ(waitpid(p2, &st2, 0), p2);
		ATF_CHECK(WIFEXITED(st2) && WEXITSTATUS(st2) == 1);
		fd2 = bus_dial(h.bus, false);
		ATF_CHECK(fd2 >= 0);
		wait_clients(&h, 2);
		close(fd2);
		wait_clients(&h, 1);
	}
	o = hub_ctl(&h, "frobnicate");
	ATF_CHECK(json_object_object_get(o, "error") != NULL);
	json_object_put(o);
	close(a);
	snprintf(pidfile, sizeof(pidfile), "%s/run/mip6busd.pid", h.dir);
	ATF_CHECK_EQ(access(pidfile, F_OK), 0);
	status = hub_stop(&h);
	ATF_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* its socket files are gone */
	ATF_CHECK_EQ(access(h.bus, F_OK), -1);
	ATF_CHECK_EQ(access(h.ctl, F_OK), -1);
	ATF_CHECK_EQ(access(pidfile, F_OK), -1);
	hub_cleanup(&h);
}

/* ------------------------------------------------------------ bus.c */

struct watcher {
	int		 states[8];
	unsigned	 nstates;
	struct msock_msg last;
	unsigned	 nmsgs;
};

static void
on_state(void *arg, bool connected)
{
	struct watcher *w = arg;

	if (w->nstates < 8)
		w->states[w->nstates++] = connected;
}

static void
on_msg(void *arg, const struct msock_msg *m, const uint8_t *raw, size_t len)
{
	struct watcher *w = arg;

	ATF_CHECK_EQ(len, (size_t)(raw[0] << 8 | raw[1]));
	w->last = *m;
	w->nmsgs++;
}

/* Run the loop until cond holds or timeout_ms passes. */
#define RUN_UNTIL(base, cond, timeout_ms) do {				\
	int64_t dl_ = now_ms() + (timeout_ms);				\
	struct timeval tv_ = { 0, 20000 };				\
	while (!(cond) && now_ms() < dl_) {				\
		event_base_loopexit((base), &tv_);			\
		event_base_dispatch(base);				\
	}								\
} while (0)

BUSD_TC(bus_client_reconnects, "60")
/*
 * (Re)start the hub with a raw listener on it; the bus client connects
 * within its retry second and announces itself first.  The listener.
 */
static int
hub_up_and_announced(struct hub *h, struct event_base *base, struct bus *bus)
{
	struct msock_msg r;
	int raw;

	hub_start(h);
	raw = client(h);
	RUN_UNTIL(base, bus_connected(bus), 5000);
	ATF_REQUIRE(bus_connected(bus));
	ATF_REQUIRE_EQ(recv_msg(raw, 5000, &r), 1);
	ATF_CHECK_EQ(r.type, MSOCK_NODETYPE_INFO);
	ATF_CHECK_EQ(r.nodetype, MSOCK_NODE_MD);
	return raw;
}

ATF_TC_BODY(bus_client_reconnects, tc)
{
	struct event_base *base = event_base_new();
	struct hub h = { .pid = 0 };
	struct watcher w = { .nstates = 0 };
	struct bus_stats st;
	struct msock_msg m, r;
	struct bus *bus;
	int raw;

	ATF_REQUIRE(base != NULL);
	hub_start(&h);
	hub_stop(&h);
	/* no hub: bus_open still succeeds and keeps trying */
	bus = bus_open(base, h.bus, MSOCK_NODE_MD, on_msg, on_state, &w);
	ATF_REQUIRE(bus != NULL);
	ATF_CHECK(!bus_connected(bus));
	rr_hint(&m, 0);
	ATF_CHECK_EQ(bus_send(bus, &m), -1);
	ATF_CHECK_EQ(errno, ENOTCONN);
	/* it announces itself (seq 2), then its message follows */
	raw = hub_up_and_announced(&h, base, bus);
	rr_hint(&m, 0);
	ATF_REQUIRE_EQ(bus_send(bus, &m), 0);
	ATF_CHECK_EQ(m.seq, 3);		/* 1 refused above, 2 the announce */
	ATF_REQUIRE_EQ(recv_msg(raw, 5000, &r), 1);
	ATF_CHECK_EQ(r.type, MSOCK_RR_HINT);
	ATF_CHECK_EQ(r.seq, 3);
	/* and hears what others say */
	rr_hint(&m, 99);
	send_msg(raw, &m);
	RUN_UNTIL(base, w.nmsgs == 1, 5000);
	ATF_REQUIRE_EQ(w.nmsgs, 1);
	ATF_CHECK_EQ(w.last.seq, 99);
	ATF_CHECK_EQ(w.last.pid, (uint32_t)getpid());
	close(raw);
	/* the hub restarts: disconnected, then connected again */
	hub_stop(&h);
	RUN_UNTIL(base, !bus_connected(bus), 5000);
	ATF_REQUIRE(!bus_connected(bus));
	raw = hub_up_and_announced(&h, base, bus);
	ATF_REQUIRE_EQ(w.nstates, 3);
	ATF_CHECK(w.states[0] == 1 && w.states[1] == 0 && w.states[2] == 1);
	bus_stats(bus, &st);
	ATF_CHECK_EQ(st.reconnects, 1);
	ATF_CHECK_EQ(st.sent, 3);
	ATF_CHECK_EQ(st.dropped, 1);
	ATF_CHECK_EQ(st.received, 1);
	ATF_CHECK_EQ(st.malformed, 0);
	bus_close(bus);
	close(raw);
	hub_cleanup(&h);
	event_base_free(base);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, broadcast_to_others_only);
	ATF_TP_ADD_TC(tp, order_preserved);
	ATF_TP_ADD_TC(tp, closed_sender_not_lost);
	ATF_TP_ADD_TC(tp, malformed_dropped_and_counted);
	ATF_TP_ADD_TC(tp, overflow_drops_oldest);
	ATF_TP_ADD_TC(tp, status_and_clean_exit);
	ATF_TP_ADD_TC(tp, bus_client_reconnects);
	return atf_no_error();
}
