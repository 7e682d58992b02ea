/*
 * stack/bpf/tests/planetest.h - what the forwarding-plane tests share
 * (ha_prog_test, ro_prog_test): a private network namespace for the
 * test process, `ip` commands, a private pinned state directory that the
 * ATF cleanup finds again, exact counter checks, running a tc program
 * with BPF_PROG_TEST_RUN and checking ring records.  Header-only.
 */
#ifndef MIP6_PLANETEST_H
#define MIP6_PLANETEST_H

#include <atf-c.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "packets/pkt.h"
#include "packets/tests/testutil.h"
#include "stack/lib/bpfplane.h"
#include "stack/lib/cnplane.h"
#include "stack/lib/mnplane.h"

#define PT_STATE_FILE	"planetest.statedir"

/* Run a shell command (tests may use `ip`); fail the test on error. */
static inline void __attribute__((format(printf, 1, 2)))
pt_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		atf_tc_fail("`%s` failed: status %d", cmd, rc);
}

static inline void
pt_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		atf_tc_fail("%s: %s", path, strerror(errno));
	fputs(text, f);
	if (fclose(f) != 0)
		atf_tc_fail("%s: %s", path, strerror(errno));
}

/*
 * Move the test process into a network namespace of its own: it and the
 * interfaces created in it disappear when the process exits, whatever
 * happens to the test.
 */
static inline void
pt_private_netns(void)
{
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	if (unshare(CLONE_NEWNET) < 0)
		atf_tc_fail("unshare(CLONE_NEWNET): %s", strerror(errno));
	pt_sh("ip link set lo up");
}

/* A state directory of this process, remembered for the cleanup. */
static inline const char *
pt_state_dir(void)
{
	static char dir[128];

	snprintf(dir, sizeof dir, "/sys/fs/bpf/mip6kit-test-%ld",
	    (long)getpid());
	pt_write(PT_STATE_FILE, dir);
	return dir;
}

/* The ATF cleanup: unpin what the body's process left behind. */
static inline void
pt_cleanup_state(void)
{
	char dir[128] = "";
	FILE *f = fopen(PT_STATE_FILE, "r");

	if (f == NULL)
		return;
	/* Whichever plane it was (ha, mn or cn): each unpins its own map
	   names, the last one finds the directory empty. */
	if (fgets(dir, sizeof dir, f) != NULL && dir[0] == '/') {
		m6_plane_unpin(dir);
		mn_plane_unpin(dir);
		cn_plane_unpin(dir);
	}
	fclose(f);
}

static inline struct m6_plane *
pt_open(const char *dir, uint32_t max_bindings)
{
	char err[512];
	struct m6_plane *pl = m6_plane_open(dir, max_bindings, err,
	    sizeof err);

	if (pl == NULL)
		atf_tc_fail("m6_plane_open: %s", err);
	return pl;
}

struct pt_cnt {
	enum m6_counter	c;
	uint64_t	n;
};

/* The counters `got` must be exactly `want`; every other one is zero. */
static inline void
pt_counters_match(const uint64_t got[M6C_MAX], const struct pt_cnt *want,
    size_t n)
{
	uint64_t exp[M6C_MAX] = { 0 };
	char diff[512] = "";
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		exp[want[i].c] = want[i].n;
	for (i = 0; i < M6C_MAX; i++)
		if (got[i] != exp[i] && len < sizeof diff - 64)
			len += (size_t)snprintf(diff + len, sizeof diff - len,
			    " %s=%llu (want %llu)", m6_counter_name(i),
			    (unsigned long long)got[i],
			    (unsigned long long)exp[i]);
	if (len > 0)
		atf_tc_fail("counters differ:%s", diff);
}

/* The plane's counters must be exactly `want`. */
static inline void
pt_counters_are(struct m6_plane *pl, const struct pt_cnt *want, size_t n)
{
	uint64_t got[M6C_MAX];

	ATF_REQUIRE_EQ(m6_plane_counters(pl, got), 0);
	pt_counters_match(got, want, n);
}

#define PT_COUNTERS(pl, ...)						\
	pt_counters_are((pl), (const struct pt_cnt[]){ __VA_ARGS__ },	\
	    sizeof((const struct pt_cnt[]){ __VA_ARGS__ }) /		\
	    sizeof(struct pt_cnt))

/* A root test case whose cleanup unpins the state dir even after a
   failure. */
#define PT_TC(name, descr)						\
	ATF_TC_WITH_CLEANUP(name);					\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", descr);			\
		atf_tc_set_md_var(tc, "require.user", "root");		\
		atf_tc_set_md_var(tc, "timeout", "60");			\
	}								\
	ATF_TC_CLEANUP(name, tc)					\
	{								\
		pt_cleanup_state();					\
	}								\
	ATF_TC_BODY(name, tc)

/* ------------------------------------------------- frames */

/* An address literal as a pointer (a few live at once). */
static inline const struct in6_addr *
pt_in6(const char *text)
{
	static struct in6_addr a[4];
	static unsigned i;

	i = (i + 1) % 4;
	a[i] = tu_in6(text);
	return &a[i];
}

/* Start an Ethernet frame. */
static inline void
pt_push_eth(struct pkt *p, const uint8_t dst[6], const uint8_t src[6])
{
	struct hdr *h;

	pkt_init(p, PKT_LINK_ETHER);
	ATF_REQUIRE((h = pkt_push(p, HDR_ETH)) != NULL);
	memcpy(h->u.eth.dst, dst, 6);
	memcpy(h->u.eth.src, src, 6);
}

static inline struct hdr *
pt_push_ip6(struct pkt *p, const char *src, const char *dst, uint8_t hlim)
{
	struct hdr *h = pkt_push(p, HDR_IPV6);

	ATF_REQUIRE(h != NULL);
	h->u.ip6.src = tu_in6(src);
	h->u.ip6.dst = tu_in6(dst);
	h->u.ip6.hlim = hlim;
	return h;
}

/* ------------------------------------------------- BPF_PROG_TEST_RUN */

#define PT_FRAME_MAX	2048

struct pt_run {
	int		verdict;
	uint8_t		out[PT_FRAME_MAX];
	size_t		outlen;
};

/* Run the tc program prog_fd on a frame, as on ifindex (ingress when
   ingress_ifindex is set). */
static inline struct pt_run
pt_run_prog(int prog_fd, unsigned ifindex, unsigned ingress_ifindex,
    const uint8_t *in, size_t len, unsigned repeat)
{
	struct __sk_buff ctx;
	struct pt_run r;
	int rc;

	memset(&ctx, 0, sizeof ctx);
	ctx.ifindex = ifindex;
	ctx.ingress_ifindex = ingress_ifindex;
	LIBBPF_OPTS(bpf_test_run_opts, o,
	    .data_in = in, .data_size_in = (uint32_t)len,
	    .data_out = r.out, .data_size_out = sizeof r.out,
	    .ctx_in = &ctx, .ctx_size_in = sizeof ctx,
	    .repeat = repeat);
	rc = bpf_prog_test_run_opts(prog_fd, &o);
	if (rc != 0)
		atf_tc_fail("bpf_prog_test_run_opts (%zu bytes): %s", len,
		    strerror(-rc));
	r.verdict = (int)o.retval;
	r.outlen = o.data_size_out;
	return r;
}

/* Ring records, as a consumer callback (pt_collect) gathers them. */
struct pt_recs {
	size_t		n;
	struct m6_sig	sig[4];
	uint8_t		data[4][M6_SIG_SNAPLEN];
};

static inline void
pt_collect(void *arg, const struct m6_sig *s, const uint8_t *data)
{
	struct pt_recs *r = arg;

	if (r->n < 4) {
		r->sig[r->n] = *s;
		memcpy(r->data[r->n], data, s->caplen);
	}
	r->n++;
}

/* The consumer's answer n must count what pt_collect saw. */
static inline void
pt_consumed(const struct pt_recs *r, int n)
{
	ATF_REQUIRE_MSG(n >= 0, "consume: %s", strerror(-n));
	ATF_REQUIRE_EQ((size_t)n, r->n);
}

/* Exactly one record: reason, flags, arrival ifindex, the tunnel source
   (NULL: not checked) and the IPv6 bytes (snapped to M6_SIG_SNAPLEN). */
static inline void
pt_one_record(const struct pt_recs *r, uint16_t reason, uint16_t flags,
    unsigned ifindex, const struct m6_in6 *tun_src, const uint8_t *ip6,
    size_t len)
{
	size_t cap = len < M6_SIG_SNAPLEN ? len : M6_SIG_SNAPLEN;

	ATF_REQUIRE_EQ(r->n, 1);
	ATF_CHECK_EQ(r->sig[0].reason, reason);
	ATF_CHECK_EQ(r->sig[0].flags, flags);
	ATF_CHECK_EQ(r->sig[0].ifindex, ifindex);
	ATF_CHECK_EQ(r->sig[0].wirelen, len);
	ATF_CHECK_EQ(r->sig[0].caplen, cap);
	ATF_CHECK(r->sig[0].ts_ns > 0);
	if (tun_src != NULL)
		ATF_CHECK(memcmp(&r->sig[0].tun_src, tun_src,
		    sizeof *tun_src) == 0);
	tu_bytes_eq("ring record", r->data[0], r->sig[0].caplen, ip6, cap);
}

#endif
