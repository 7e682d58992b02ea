/*
 * stack/bpf/tests/planetest.h - what the forwarding-plane tests share
 * (ha_prog_test, bpfplane_test): a private network namespace for the
 * test process, `ip` commands, a private pinned state directory that the
 * ATF cleanup finds again, and exact counter checks.  Header-only.
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

#include "stack/lib/bpfplane.h"

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
	if (fgets(dir, sizeof dir, f) != NULL && dir[0] == '/')
		m6_plane_unpin(dir);
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

/* The counters must be exactly `want`; every other counter is zero. */
static inline void
pt_counters_are(struct m6_plane *pl, const struct pt_cnt *want, size_t n)
{
	uint64_t got[M6C_MAX], exp[M6C_MAX] = { 0 };
	char diff[512] = "";
	size_t i, len = 0;

	ATF_REQUIRE_EQ(m6_plane_counters(pl, got), 0);
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

#endif
