/*
 * stack/lib/tests/proc_test.c - the daemons' shared process helpers
 * (proc.h: command line, raw IPv6 and IPv4 sends, the child fork and the
 * channel drain) and control answers (ctl_async.h: the envelope, growth,
 * the engine answer, the write to a slow client, the reload answer and
 * its service, proc_ctl_reload), the pieces of
 * a configuration text, and readfile.h.
 */
#include <atf-c.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/bpf/mip6_bpf.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/privsep.h"
#include "stack/lib/proc.h"
#include "stack/lib/readfile.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: t\n");
}

static int
getopt_of(struct proc_opts *o, int argc, const char *const *args)
{
	char *argv[8];

	for (int i = 0; i < argc; i++)
		argv[i] = strdup(args[i]);
	argv[argc] = NULL;
	optind = 1;
	*o = (struct proc_opts){ .conf_path = "/etc/x.conf" };
	return proc_getopt(argc, argv, "t", usage, o);
}

ATF_TC_WITHOUT_HEAD(getopt);
ATF_TC_BODY(getopt, tc)
{
	struct proc_opts o;

	ATF_REQUIRE_EQ(getopt_of(&o, 1, (const char *[]){ "t" }), -1);
	ATF_REQUIRE_STREQ(o.conf_path, "/etc/x.conf");
	ATF_REQUIRE(!o.foreground && !o.check && !o.cleanup && !o.verbose);
	ATF_REQUIRE_EQ(getopt_of(&o, 6, (const char *[]){ "t", "-d", "-v",
	    "-nv", "-f", "/a" }), -1);
	ATF_REQUIRE(o.foreground && o.check);
	ATF_REQUIRE_EQ(o.verbose, 2);
	ATF_REQUIRE_STREQ(o.conf_path, "/a");
	ATF_REQUIRE_EQ(getopt_of(&o, 2, (const char *[]){ "t", "--cleanup" }),
	    -1);
	ATF_REQUIRE(o.cleanup);
	ATF_REQUIRE_EQ(getopt_of(&o, 2, (const char *[]){ "t", "extra" }), 64);
	ATF_REQUIRE_EQ(getopt_of(&o, 2, (const char *[]){ "t", "-x" }), 64);
	ATF_REQUIRE_EQ(getopt_of(&o, 2, (const char *[]){ "t", "--help" }), 0);
}

ATF_TC_WITHOUT_HEAD(readfile);
ATF_TC_BODY(readfile, tc)
{
	char err[200], *t;
	size_t len;
	FILE *f;

	f = fopen("a.conf", "w");
	fputs("interface x\n", f);
	fclose(f);
	t = readfile("a.conf", 100, &len, err, sizeof(err));
	ATF_REQUIRE(t != NULL);
	ATF_REQUIRE_EQ(len, 12);
	ATF_REQUIRE_STREQ(t, "interface x\n");
	free(t);
	/* exactly max is fine, one more is not */
	ATF_REQUIRE((t = readfile("a.conf", 12, &len, err, sizeof(err))));
	free(t);
	ATF_REQUIRE(readfile("a.conf", 11, &len, err, sizeof(err)) == NULL);
	ATF_REQUIRE_STREQ(err, "a.conf: file too large");
	ATF_REQUIRE(readfile("none.conf", 11, &len, err, sizeof(err)) == NULL);
	ATF_REQUIRE(strstr(err, "none.conf: No such file") == err);
}

ATF_TC_WITHOUT_HEAD(raw6_send_checks);
ATF_TC_BODY(raw6_send_checks, tc)
{
	uint8_t v4[40] = { 0x45 };

	errno = 0;
	ATF_REQUIRE_EQ(proc_raw6_send(-1, 0, v4, sizeof(v4)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	ATF_REQUIRE_EQ(proc_raw6_send(-1, 0, v4, 39), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
}

ATF_TC_WITHOUT_HEAD(raw4_send_checks);
ATF_TC_BODY(raw4_send_checks, tc)
{
	uint8_t v6[40] = { 0x60 }, v4[20] = { 0x45 };

	errno = 0;
	ATF_REQUIRE_EQ(proc_raw4_send(-1, v6, sizeof(v6)), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	errno = 0;
	ATF_REQUIRE_EQ(proc_raw4_send(-1, v4, 19), -1);
	ATF_REQUIRE_EQ(errno, EINVAL);
	/* a well-formed header reaches sendto: the bad socket is its error */
	errno = 0;
	ATF_REQUIRE_EQ(proc_raw4_send(-1, v4, sizeof(v4)), -1);
	ATF_REQUIRE_EQ(errno, EBADF);
}

/* reload() of proc_ctl_reload: arg says whether it refuses. */
static int
reload_stub(void *arg, char *err, size_t errlen)
{
	if (*(int *)arg == 0)
		return 0;
	snprintf(err, errlen, "ipv4-address changed: restart");
	return -1;
}

/* What proc_ctl_reload answered on one end of a socketpair. */
static void
ctl_reload_answer(int refuse, char *buf, size_t cap)
{
	int sv[2];
	ssize_t n;
	size_t got = 0;

	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	proc_ctl_reload(sv[0], "had", reload_stub, &refuse);	/* closes */
	while (got < cap - 1 && (n = read(sv[1], buf + got,
	    cap - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(ctl_reload);
ATF_TC_BODY(ctl_reload, tc)
{
	char a[512];

	ctl_reload_answer(0, a, sizeof(a));
	ATF_CHECK_MSG(strstr(a, "\"daemon\":\"had\"") != NULL, "%s", a);
	ATF_CHECK_MSG(strstr(a, "\"reloaded\":true") != NULL, "%s", a);
	ATF_CHECK_MSG(strstr(a, "error") == NULL, "%s", a);
	ctl_reload_answer(1, a, sizeof(a));
	ATF_CHECK_MSG(strstr(a, "\"error\":\"ipv4-address changed: "
	    "restart\"") != NULL, "%s", a);
	ATF_CHECK_MSG(strstr(a, "reloaded") == NULL, "%s", a);
}

static void
big_body(void *arg, struct jw *jw)
{
	int *calls = arg;

	(*calls)++;
	jw_obj_open(jw, NULL);
	jw_arr_open(jw, "n");
	for (int i = 0; i < 20000; i++)
		jw_uint(jw, NULL, 1000000 + (unsigned)i);
	jw_arr_close(jw);
	jw_obj_close(jw);
}

static void
extra(void *arg, struct sbuf *sb)
{
	(void)arg;
	sbuf_puts(sb, ",\"x\":1");
}

ATF_TC_WITHOUT_HEAD(render_grows);
ATF_TC_BODY(render_grows, tc)
{
	size_t len = 0;
	int calls = 0;
	char *a;

	/* 160 kB: the 64 KiB first try is too small, the answer grows */
	a = ctl_render("t", big_body, extra, &calls, false, &len);
	ATF_REQUIRE(a != NULL);
	ATF_REQUIRE_EQ(calls, 2);
	ATF_REQUIRE(strncmp(a, "{\"daemon\":\"t\",\"version\":\"", 25) == 0);
	ATF_REQUIRE(strstr(a, "\"n\":[1000000,") != NULL);
	ATF_REQUIRE(strcmp(a + len - 8, ",\"x\":1}\n") == 0);
	free(a);
	/* with side effects: one try only */
	calls = 0;
	ATF_REQUIRE(ctl_render("t", big_body, NULL, &calls, true, &len) ==
	    NULL);
	ATF_REQUIRE_EQ(calls, 1);
}

static int nreset;

static void
eng_reset(void *eng)
{
	(void)eng;
	nreset++;
}

static int
eng_request(void *eng, const char *req, struct jw *jw)
{
	(void)eng;
	jw_obj_open(jw, NULL);
	jw_str(jw, "req", req);
	jw_obj_close(jw);
	return 0;
}

static const char *
pname(unsigned i)
{
	return i == 0 ? "zero" : "one";
}

ATF_TC_WITHOUT_HEAD(engine_answer);
ATF_TC_BODY(engine_answer, tc)
{
	static const uint64_t bpf[M6C_MAX] = { 7 }, parent[2] = { 3, 4 };
	struct ctl_engine ce = {
		.daemon = "t", .eng = &nreset, .reset = eng_reset,
		.request = eng_request, .bpf = bpf, .parent = parent,
		.nparent = 2, .parent_name = pname,
	};
	size_t len;
	char *a;

	a = ctl_engine_answer(&ce, "counters", &len);
	ATF_REQUIRE_MSG(strstr(a, "\"req\":\"counters\",\"bpf\":{\"pass\":7,")
	    != NULL && strstr(a, "\"parent\":{\"zero\":3,\"one\":4}}\n") !=
	    NULL, "%s", a);
	free(a);
	a = ctl_engine_answer(&ce, "reset", &len);
	ATF_REQUIRE(strstr(a, "\"reset\":true}") != NULL);
	ATF_REQUIRE_EQ(nreset, 1);
	free(a);
	ce.eng = NULL;
	a = ctl_engine_answer(&ce, "bindings", &len);
	ATF_REQUIRE(strstr(a, "\"error\":\"engine not configured yet\"") !=
	    NULL);
	free(a);
}

/* The child of proc_fork_child: echo one message back, then exit. */
static void
child(int sock, const struct passwd *pw)
{
	uint8_t buf[PS_MSG_MAX];
	uint16_t type = 0;
	int fd;
	ssize_t n = 0;

	(void)pw;
	for (int i = 0; i < 500 && type == 0; i++) {
		n = ps_recv(sock, &type, buf, sizeof(buf), &fd);
		if (type == 0)
			usleep(10000);
	}
	if (type != 0)
		proc_send_wait(sock, "child", (uint16_t)(type + 1), buf,
		    (size_t)n, NULL, 0);
	_exit(0);
}

struct got {
	uint16_t	type;
	char		text[16];
};

static void
on_msg(void *arg, uint16_t type, const uint8_t *p, size_t len, int fd)
{
	struct got *g = arg;

	(void)fd;
	g->type = type;
	memcpy(g->text, p, len < sizeof(g->text) ? len : sizeof(g->text) - 1);
}

ATF_TC_WITHOUT_HEAD(fork_and_drain);
ATF_TC_BODY(fork_and_drain, tc)
{
	uint8_t buf[PS_MSG_MAX];
	struct got g = { 0 };
	char err[200];
	int sock, st;
	pid_t pid;

	pid = proc_fork_child(child, NULL, &sock, err, sizeof(err));
	ATF_REQUIRE_MSG(pid > 0, "%s", err);
	ATF_REQUIRE(ps_send(sock, 7, "hello", 5, NULL, 0, -1) == 0);
	for (int i = 0; i < 500 && g.type == 0; i++) {
		ATF_REQUIRE(proc_drain(sock, buf, sizeof(buf), 4, on_msg, &g) ==
		    0 || g.type != 0);
		if (g.type == 0)
			usleep(10000);
	}
	ATF_REQUIRE_EQ(g.type, 8);
	ATF_REQUIRE_STREQ(g.text, "hello");
	ATF_REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	/* the child closed its end: -1 with errno 0 */
	errno = EINVAL;
	ATF_REQUIRE_EQ(proc_drain(sock, buf, sizeof(buf), 4, on_msg, &g), -1);
	ATF_REQUIRE_EQ(errno, 0);
	close(sock);
}

ATF_TC_WITHOUT_HEAD(reply_async);
ATF_TC_BODY(reply_async, tc)
{
	struct event_base *base = event_base_new();
	size_t len = 300000, got = 0;
	char *answer = malloc(len), buf[65536];
	int sv[2];
	ssize_t n = 0;

	ATF_REQUIRE(base != NULL && answer != NULL);
	memset(answer, 'a', len);
	ATF_REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	ATF_REQUIRE(ctl_reply_async(base, sv[0], answer, len) == 0);
	/* the loop writes as the client reads, then closes */
	(void)fcntl(sv[1], F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 10000; i++) {
		event_base_loop(base, EVLOOP_NONBLOCK);
		n = read(sv[1], buf, sizeof(buf));
		if (n == 0)
			break;
		if (n > 0)
			got += (size_t)n;
	}
	ATF_REQUIRE_EQ(got, len);
	close(sv[1]);
	event_base_free(base);
}

ATF_TC_WITHOUT_HEAD(reload_answer);
ATF_TC_BODY(reload_answer, tc)
{
	size_t len;
	char *a = proc_reload_answer("mdd", NULL, &len);

	ATF_REQUIRE(a != NULL);
	ATF_CHECK_EQ(len, strlen(a));
	ATF_CHECK_MSG(strstr(a, "\"daemon\":\"mdd\"") != NULL, "%s", a);
	ATF_CHECK_MSG(strstr(a, "\"version\":") != NULL, "%s", a);
	ATF_CHECK_MSG(strstr(a, "\"reloaded\":true") != NULL, "%s", a);
	ATF_CHECK(strstr(a, "error") == NULL);
	ATF_CHECK_EQ(a[len - 1], '\n');
	free(a);
	a = proc_reload_answer("mnd", "m.conf:3: \"x\" unknown", &len);
	ATF_REQUIRE(a != NULL);
	ATF_CHECK_MSG(strstr(a, "\"error\":\"m.conf:3: \\\"x\\\" "
	    "unknown\"") != NULL, "%s", a);
	ATF_CHECK(strstr(a, "reloaded") == NULL);
	free(a);
}

ATF_TC_WITHOUT_HEAD(usage_text);
ATF_TC_BODY(usage_text, tc)
{
	char *t = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&t, &n);

	ATF_REQUIRE(f != NULL);
	proc_usage(f, "xd", "/etc/x.conf", true);
	fclose(f);
	ATF_CHECK_MATCH("^usage: xd \\[-dhnv\\] \\[-f file\\] \\[--cleanup\\] "
	    "\\[--version\\]\n", t);
	ATF_CHECK(strstr(t, "(default /etc/x.conf)\n") != NULL);
	ATF_CHECK(strstr(t, "\n  --cleanup   remove") != NULL);
	ATF_CHECK(strstr(t, "\n  -h, --help  this text\n") != NULL);
	free(t);
	t = NULL;
	f = open_memstream(&t, &n);
	ATF_REQUIRE(f != NULL);
	proc_usage(f, "yd", "/etc/y.conf", false);
	fclose(f);
	ATF_CHECK_MATCH("^usage: yd \\[-dhnv\\] \\[-f file\\] "
	    "\\[--version\\]\n", t);
	ATF_CHECK(strstr(t, "cleanup") == NULL);
	free(t);
}

ATF_TC(raw_and_ctl);
ATF_TC_HEAD(raw_and_ctl, tc)
{
	atf_tc_set_md_var(tc, "require.user", "root");	/* SOCK_RAW */
}
ATF_TC_BODY(raw_and_ctl, tc)
{
	char err[200];
	int raw = -1, ctl = -1;
	struct stat st;

	ATF_REQUIRE_EQ(proc_open_raw_and_ctl("ctl.sock", &raw, &ctl, err,
	    sizeof err), 0);
	ATF_CHECK(raw >= 0 && ctl >= 0);
	ATF_CHECK(stat("ctl.sock", &st) == 0 && S_ISSOCK(st.st_mode));
	close(raw);
	close(ctl);
	ATF_CHECK_EQ(proc_open_raw_and_ctl("/dev/null/x.sock", &raw, &ctl,
	    err, sizeof err), -1);
	ATF_CHECK_MATCH("^control socket /dev/null/x.sock: ", err);
	close(raw);
}

ATF_TC_WITHOUT_HEAD(text_pieces);
ATF_TC_BODY(text_pieces, tc)
{
	struct proc_text t = { NULL, 0 };

	ATF_REQUIRE_EQ(proc_text_add(&t, "abc", 3, 6), 0);
	ATF_REQUIRE_EQ(proc_text_add(&t, "def", 3, 6), 0);
	ATF_CHECK_EQ(t.len, 6);
	ATF_CHECK_STREQ(t.buf, "abcdef");
	/* one byte over the bound: refused, and the text is emptied */
	ATF_CHECK_EQ(proc_text_add(&t, "g", 1, 6), -1);
	ATF_CHECK_EQ(t.len, 0);
	ATF_CHECK(t.buf == NULL);
	ATF_REQUIRE_EQ(proc_text_add(&t, "", 0, 6), 0);
	ATF_CHECK_STREQ(t.buf, "");
	proc_text_clear(&t);
	ATF_CHECK(t.buf == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, reload_answer);
	ATF_TP_ADD_TC(tp, text_pieces);
	ATF_TP_ADD_TC(tp, raw_and_ctl);
	ATF_TP_ADD_TC(tp, usage_text);
	ATF_TP_ADD_TC(tp, getopt);
	ATF_TP_ADD_TC(tp, readfile);
	ATF_TP_ADD_TC(tp, raw6_send_checks);
	ATF_TP_ADD_TC(tp, raw4_send_checks);
	ATF_TP_ADD_TC(tp, ctl_reload);
	ATF_TP_ADD_TC(tp, render_grows);
	ATF_TP_ADD_TC(tp, engine_answer);
	ATF_TP_ADD_TC(tp, fork_and_drain);
	ATF_TP_ADD_TC(tp, reply_async);
	return atf_no_error();
}
