/*
 * bpfplane_test.c - the daemons' handle on the forwarding plane
 * (stack/lib/bpfplane.c): pinned maps that survive a restart, the map
 * updates (one by one and in batches) and walks, flush, counters, the
 * ring buffer, unpinning, the tc attachment (kept after close, replaced
 * by a restarted daemon, removed by detach) and the exact error texts.
 *
 * Interfaces live in a network namespace private to the test process.
 */
#include <atf-c.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "packets/pkt.h"
#include "packets/tests/testutil.h"
#include "stack/bpf/tests/planetest.h"

static struct m6_bind
binding(const char *coa, uint16_t seq, uint64_t expires_ms)
{
	struct m6_bind b;

	memset(&b, 0, sizeof b);
	memcpy(b.coa.b, tu_in6(coa).s6_addr, 16);
	memcpy(b.ha.b, tu_in6("2001:db8:1::1").s6_addr, 16);
	b.flags = M6B_ACTIVE | M6B_PROXY;
	b.home_ifindex = 3;
	b.registered_ms = 1000;
	b.refreshed_ms = 2000;
	b.expires_ms = expires_ms;
	b.seq = seq;
	b.bu_flags = 0xd000;
	b.lifetime = 100;
	b.state = 2;
	b.nmnp = 1;
	b.spi = 0x1234;
	return b;
}

static void
set(struct m6_plane *pl, const char *hoa, const struct m6_bind *b)
{
	struct in6_addr a = tu_in6(hoa);

	ATF_REQUIRE_EQ(m6_plane_bind_set(pl, &a, b), 0);
}

/* What the walks saw. */
struct seen {
	size_t		n, stop_after;
	struct in6_addr	addr[8];
	struct m6_bind	b[8];
	struct had_prefix pfx[8];
};

static int
see_bind(void *arg, const struct in6_addr *hoa, const struct m6_bind *b)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->addr[s->n] = *hoa;
		s->b[s->n] = *b;
	}
	s->n++;
	return s->stop_after != 0 && s->n >= s->stop_after;
}

static int
see_mnp(void *arg, const struct had_prefix *p, const struct in6_addr *hoa)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->pfx[s->n] = *p;
		s->addr[s->n] = *hoa;
	}
	s->n++;
	return 0;
}

/* max_entries of a pinned map. */
static uint32_t
pinned_max(const char *dir, const char *name)
{
	struct bpf_map_info info;
	uint32_t len = sizeof info;
	char path[256];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	ATF_REQUIRE_MSG(fd >= 0, "%s: not pinned", path);
	memset(&info, 0, sizeof info);
	ATF_REQUIRE_EQ(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	return info.max_entries;
}

/* Entries in a pinned map. */
static size_t
pinned_count(const char *dir, const char *name)
{
	uint8_t key[64], next[64];
	char path[256];
	size_t n = 0;
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ATF_REQUIRE((fd = bpf_obj_get(path)) >= 0);
	if (bpf_map_get_next_key(fd, NULL, key) == 0) {
		n = 1;
		while (bpf_map_get_next_key(fd, key, next) == 0) {
			memcpy(key, next, sizeof key);
			n++;
		}
	}
	close(fd);
	return n;
}

PT_TC(restart_keeps_bindings, "close and reopen (a restart): the pinned "
    "maps are reused with every binding and its durable fields")
{
	const char *dir = pt_state_dir();
	const char *names[] = { M6_MAP_BIND, M6_MAP_MNP, M6_MAP_LOCAL,
	    M6_MAP_NDP, M6_MAP_CNT, M6_MAP_SIG };
	struct m6_bind b1 = binding("2001:db8:2::100", 4660, 400000);
	struct m6_plane *pl;
	struct stat st;
	struct seen s;
	size_t i;

	pl = pt_open(dir, 32);
	for (i = 0; i < 6; i++) {
		char path[256];

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		ATF_CHECK_MSG(stat(path, &st) == 0, "%s not pinned", path);
	}
	ATF_CHECK_EQ(pinned_max(dir, M6_MAP_BIND), 32);
	ATF_CHECK_EQ(pinned_max(dir, M6_MAP_SIG), 4u << 20);
	set(pl, "2001:db8:1::100", &b1);
	m6_plane_close(pl);		/* kill -9 would do the same */

	pl = pt_open(dir, 500);		/* a new max-bindings: kept */
	ATF_CHECK_EQ(pinned_max(dir, M6_MAP_BIND), 32);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_bind_foreach(pl, see_bind, &s), 0);
	ATF_REQUIRE_EQ(s.n, 1);
	ATF_CHECK(memcmp(&s.addr[0], tu_in6("2001:db8:1::100").s6_addr,
	    16) == 0);
	ATF_CHECK(memcmp(&s.b[0], &b1, sizeof b1) == 0);
	ATF_CHECK_EQ(s.b[0].seq, 4660);
	ATF_CHECK_EQ(s.b[0].expires_ms, 400000);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
	ATF_CHECK_MSG(stat(dir, &st) < 0, "%s still there", dir);
}

PT_TC(bindings_and_prefixes, "bind set/replace/delete, the walks (and "
    "stopping them), MNP keys with host bits cleared, a full map")
{
	const char *dir = pt_state_dir();
	struct m6_bind b1 = binding("2001:db8:2::100", 1, 10),
	    b2 = binding("2001:db8:2::200", 2, 20);
	struct had_prefix p = { tu_in6("2001:db8:10:ff::1"), 48 }, bad;
	struct in6_addr hoa = tu_in6("2001:db8:1::200");
	struct m6_plane *pl;
	struct seen s;
	char name[64];
	int i, rc;

	pl = pt_open(dir, 8);
	set(pl, "2001:db8:1::100", &b1);
	set(pl, "2001:db8:1::200", &b2);
	b2.seq = 3;
	set(pl, "2001:db8:1::200", &b2);	/* replaces */
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_bind_foreach(pl, see_bind, &s), 0);
	ATF_REQUIRE_EQ(s.n, 2);
	ATF_CHECK(s.b[0].seq + s.b[1].seq == 1 + 3);
	memset(&s, 0, sizeof s);
	s.stop_after = 1;
	ATF_REQUIRE_EQ(m6_plane_bind_foreach(pl, see_bind, &s), 0);
	ATF_CHECK_EQ(s.n, 1);

	ATF_REQUIRE_EQ(m6_plane_bind_del(pl, &hoa), 0);
	ATF_CHECK_EQ(m6_plane_bind_del(pl, &hoa), 0);	/* absent: fine */
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_BIND), 1);

	/* 8 entries at most: the ninth is refused */
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof name, "2001:db8:1::%x", 0x300 + i);
		hoa = tu_in6(name);
		rc = m6_plane_bind_set(pl, &hoa, &b1);
		if (i < 7)
			ATF_CHECK_EQ(rc, 0);
		else
			ATF_CHECK_EQ(rc, -E2BIG);
	}

	hoa = tu_in6("2001:db8:1::200");
	ATF_REQUIRE_EQ(m6_plane_mnp_set(pl, &p, &hoa), 0);
	memset(&s, 0, sizeof s);
	ATF_REQUIRE_EQ(m6_plane_mnp_foreach(pl, see_mnp, &s), 0);
	ATF_REQUIRE_EQ(s.n, 1);
	ATF_CHECK_EQ(s.pfx[0].plen, 48);
	ATF_CHECK(memcmp(&s.pfx[0].addr, tu_in6("2001:db8:10::").s6_addr,
	    16) == 0);
	ATF_CHECK(memcmp(&s.addr[0], hoa.s6_addr, 16) == 0);
	bad = p;
	bad.plen = 129;
	ATF_CHECK_EQ(m6_plane_mnp_set(pl, &bad, &hoa), -EINVAL);
	p.addr = tu_in6("2001:db8:10::");	/* same prefix, other bits */
	ATF_REQUIRE_EQ(m6_plane_mnp_del(pl, &p), 0);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_MNP), 0);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
}

PT_TC(bind_set_batch, "many bindings in one call: every entry set in "
    "order (a later one for the same HoA wins) across several kernel "
    "batches; a full map stops at the entry refused, those before it set")
{
	const char *dir = pt_state_dir();
	static struct in6_addr hoa[600];
	static struct m6_bind b[600];
	struct m6_bind got;
	struct m6_in6 key;
	struct m6_plane *pl;
	size_t i, done = 99;
	char name[64], path[256];
	int fd;

	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof name, "2001:db8:1::%zx", i + 1);
		hoa[i] = tu_in6(name);
		b[i] = binding("2001:db8:2::100", (uint16_t)i, 1000 + i);
	}
	hoa[599] = hoa[3];	/* the same HoA again, later: it wins */
	pl = pt_open(dir, 600);
	ATF_REQUIRE_EQ(m6_plane_bind_set_batch(pl, hoa, b, 600, &done), 0);
	ATF_CHECK_EQ(done, 600);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_BIND), 599);
	snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_BIND);
	ATF_REQUIRE((fd = bpf_obj_get(path)) >= 0);
	for (i = 0; i < 599; i++) {
		memcpy(key.b, hoa[i].s6_addr, 16);
		ATF_REQUIRE_EQ(bpf_map_lookup_elem(fd, &key, &got), 0);
		ATF_CHECK_EQ(got.seq, i == 3 ? 599 : i);
		ATF_CHECK_EQ(got.expires_ms, i == 3 ? 1599 : 1000 + i);
	}
	close(fd);
	/* One entry: the plain update path. */
	b[0].seq = 7777;
	ATF_REQUIRE_EQ(m6_plane_bind_set_batch(pl, hoa, b, 1, &done), 0);
	ATF_CHECK_EQ(done, 1);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);

	pl = pt_open(dir, 8);
	ATF_CHECK(m6_plane_bind_set_batch(pl, hoa, b, 12, &done) < 0);
	ATF_CHECK_EQ(done, 8);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_BIND), 8);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
}

PT_TC(flush_keeps_local, "flush removes bindings, prefixes and ND "
    "watches; the local addresses stay")
{
	const char *dir = pt_state_dir();
	struct m6_bind b1 = binding("2001:db8:2::100", 1, 10);
	struct had_prefix p = { tu_in6("2001:db8:10::"), 48 };
	struct in6_addr a = tu_in6("2001:db8:1::100"),
	    ha = tu_in6("2001:db8:1::1");
	struct m6_plane *pl;

	pl = pt_open(dir, 8);
	set(pl, "2001:db8:1::100", &b1);
	ATF_REQUIRE_EQ(m6_plane_mnp_set(pl, &p, &a), 0);
	ATF_REQUIRE_EQ(m6_plane_ndp_set(pl, &a, M6N_DAD), 0);
	ATF_REQUIRE_EQ(m6_plane_local_set(pl, &ha, M6L_HA_ADDR), 0);
	ATF_REQUIRE_EQ(m6_plane_flush(pl), 0);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_BIND), 0);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_MNP), 0);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_NDP), 0);
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_LOCAL), 1);
	ATF_REQUIRE_EQ(m6_plane_local_set(pl, &ha, 0), 0);	/* removes */
	ATF_CHECK_EQ(pinned_count(dir, M6_MAP_LOCAL), 0);
	ATF_CHECK_EQ(m6_plane_flush(pl), 0);	/* empty: fine */
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
}

/* Run the program once on a frame (loopback, no FIB needed). */
static int
run(struct m6_plane *pl, const uint8_t *frame, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
	    .data_size_in = (uint32_t)len, .repeat = 1);

	ATF_REQUIRE_EQ(bpf_prog_test_run_opts(m6_plane_prog_fd(pl), &o), 0);
	return (int)o.retval;
}

/* A Binding Update with a Home Address option to the HA. */
static size_t
bu_frame(uint8_t *buf, size_t cap)
{
	struct in6_addr hoa = tu_in6("2001:db8:1::100");
	struct mh_msg *m;
	struct hdr *h;
	struct pkt p;
	size_t n;

	pkt_init(&p, PKT_LINK_ETHER);
	ATF_REQUIRE((h = pkt_push(&p, HDR_ETH)) != NULL);
	h->u.eth.dst[0] = 2;
	h->u.eth.src[0] = 2;
	ATF_REQUIRE((h = pkt_push(&p, HDR_IPV6)) != NULL);
	h->u.ip6.src = tu_in6("2001:db8:2::100");
	h->u.ip6.dst = tu_in6("2001:db8:1::1");
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	ATF_REQUIRE((m = pkt_push_mh(&p, MH_BU)) != NULL);
	m->u.bu.seq = 9;
	ATF_REQUIRE_EQ(pkt_encode(&p, buf, cap, &n), 0);
	return n;
}

PT_TC(counters_and_names, "counters sum every CPU, zero, and print as "
    "short unique snake_case names")
{
	const char *dir = pt_state_dir();
	uint8_t frame[256];
	uint64_t c[M6C_MAX];
	struct m6_plane *pl;
	size_t len = bu_frame(frame, sizeof frame);
	int i, j;

	pt_private_netns();
	pl = pt_open(dir, 8);
	PT_COUNTERS(pl, { M6C_PASS, 0 });
	ATF_CHECK_EQ(run(pl, frame, len), TC_ACT_OK);	/* HA not local */
	ATF_CHECK_EQ(run(pl, frame, len), TC_ACT_OK);
	PT_COUNTERS(pl, { M6C_PASS, 2 });
	ATF_REQUIRE_EQ(m6_plane_counters_zero(pl), 0);
	PT_COUNTERS(pl, { M6C_PASS, 0 });
	ATF_REQUIRE_EQ(m6_plane_counters(pl, c), 0);

	ATF_CHECK_STREQ(m6_counter_name(M6C_PASS), "pass");
	ATF_CHECK_STREQ(m6_counter_name(M6C_DROP_RT_NO_BINDING),
	    "drop_rt_no_binding");
	ATF_CHECK_STREQ(m6_counter_name(M6C_HLIM), "hlim");
	ATF_CHECK_STREQ(m6_counter_name(M6C_MAX), "unknown");
	for (i = 0; i < M6C_MAX; i++) {
		const char *n = m6_counter_name(i);

		ATF_CHECK_MSG(n != NULL && strspn(n,
		    "abcdefghijklmnopqrstuvwxyz_0123456789") == strlen(n) &&
		    strlen(n) > 0 && strlen(n) < 24 && n[0] >= 'a' &&
		    n[0] <= 'z', "counter %d: %s", i, n);
		for (j = 0; j < i; j++)
			ATF_CHECK(strcmp(n, m6_counter_name(j)) != 0);
	}
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
}

static void
keep(void *arg, const struct m6_sig *s, const uint8_t *data)
{
	struct m6_sig *out = arg;

	*out = *s;
	ATF_CHECK_EQ(data[0] >> 4, 6);	/* the IPv6 header comes first */
}

PT_TC(ring_records, "the ring buffer fd polls readable when a record "
    "waits; consume hands each record over once")
{
	const char *dir = pt_state_dir();
	struct in6_addr ha = tu_in6("2001:db8:1::1");
	uint8_t frame[256];
	size_t len = bu_frame(frame, sizeof frame);
	struct m6_plane *pl;
	struct m6_sig sig;
	struct pollfd pfd;

	pt_private_netns();
	pl = pt_open(dir, 8);
	ATF_REQUIRE_EQ(m6_plane_local_set(pl, &ha, M6L_HA_ADDR), 0);
	pfd.fd = m6_plane_sig_fd(pl);
	pfd.events = POLLIN;
	ATF_REQUIRE(pfd.fd >= 0);
	ATF_CHECK_EQ(poll(&pfd, 1, 0), 0);
	ATF_CHECK_EQ(run(pl, frame, len), TC_ACT_SHOT);
	ATF_CHECK_EQ(poll(&pfd, 1, 1000), 1);
	memset(&sig, 0, sizeof sig);
	ATF_CHECK_EQ(m6_plane_sig_consume(pl, keep, &sig), 1);
	ATF_CHECK_EQ(sig.reason, M6S_HAO);
	ATF_CHECK_EQ(sig.caplen, len - 14);
	ATF_CHECK_EQ(m6_plane_sig_consume(pl, keep, &sig), 0);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
}

PT_TC(unpin_and_errors, "unpin removes what a crashed run left; the "
    "error texts name the path and the cause")
{
	const char *dir = pt_state_dir();
	char err[512], path[256];
	struct m6_plane *pl;
	struct stat st;
	int fd;

	ATF_CHECK_EQ(m6_plane_unpin(dir), 0);		/* nothing there */
	pl = pt_open(dir, 8);
	m6_plane_close(pl);
	ATF_REQUIRE(stat(dir, &st) == 0);
	ATF_CHECK_EQ(m6_plane_unpin(dir), 0);
	ATF_CHECK_MSG(stat(dir, &st) < 0, "%s still there", dir);

	ATF_CHECK(m6_plane_open("/tmp", 8, err, sizeof err) == NULL);
	ATF_CHECK_STREQ(err, "state dir /tmp: not on a bpf file system");

	ATF_REQUIRE_EQ(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/x", dir);
	/* a file where a directory should be (only maps pin on bpffs) */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(bpf_obj_pin(fd, path), 0);
	snprintf(path, sizeof path, "%s/x/had", dir);
	ATF_CHECK(m6_plane_open(path, 8, err, sizeof err) == NULL);
	{
		char want[300];

		snprintf(want, sizeof want, "state dir %s: Not a directory",
		    path);
		ATF_CHECK_STREQ(err, want);
	}
	snprintf(path, sizeof path, "%s/x", dir);
	unlink(path);

	/* a pinned m6_bind of another layout (an older build) */
	snprintf(path, sizeof path, "%s/" M6_MAP_BIND, dir);
	close(fd);
	fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 16, 8, 4, NULL);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE_EQ(bpf_obj_pin(fd, path), 0);
	close(fd);
	ATF_CHECK(m6_plane_open(dir, 8, err, sizeof err) == NULL);
	ATF_CHECK_MSG(strstr(err, "m6_bind: pinned map does not match this "
	    "build") != NULL && strstr(err, path) == err, "err: %s", err);
	ATF_CHECK_EQ(m6_plane_unpin(dir), 0);
	ATF_CHECK_MSG(stat(dir, &st) < 0, "%s still there", dir);
}

/* The id of the program our filter on ifindex runs, 0 if none. */
static uint32_t
filter_prog(unsigned ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex,
	    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = M6_TC_HANDLE,
	    .priority = M6_TC_PRIO);

	libbpf_print_fn_t prev = libbpf_set_print(NULL);	/* "not found" */
	int rc = bpf_tc_query(&hook, &opts);

	libbpf_set_print(prev);
	return rc < 0 ? 0 : opts.prog_id;
}

static uint32_t
prog_id(struct m6_plane *pl)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof info;

	memset(&info, 0, sizeof info);
	ATF_REQUIRE_EQ(bpf_obj_get_info_by_fd(m6_plane_prog_fd(pl), &info,
	    &len), 0);
	return info.id;
}

PT_TC(attach_survives_restart, "clsact ingress attach: the filter stays "
    "when the process closes, a restart replaces it, detach removes it, "
    "also without a plane")
{
	const char *dir = pt_state_dir();
	struct m6_plane *pl;
	char err[512];
	unsigned ifa;
	uint32_t first;

	pt_private_netns();
	pt_sh("ip link add m6a type veth peer name m6b");
	ifa = if_nametoindex("m6a");
	ATF_REQUIRE(ifa > 0);

	pl = pt_open(dir, 8);
	ATF_REQUIRE_MSG(m6_plane_attach(pl, ifa, err, sizeof err) == 0,
	    "%s", err);
	first = prog_id(pl);
	ATF_CHECK_EQ(filter_prog(ifa), first);
	ATF_REQUIRE_MSG(m6_plane_attach(pl, ifa, err, sizeof err) == 0,
	    "again: %s", err);
	m6_plane_close(pl);
	ATF_CHECK_EQ(filter_prog(ifa), first);	/* forwarding goes on */

	pl = pt_open(dir, 8);			/* the restarted daemon */
	ATF_CHECK(prog_id(pl) != first);
	ATF_REQUIRE_MSG(m6_plane_attach(pl, ifa, err, sizeof err) == 0,
	    "%s", err);
	ATF_CHECK_EQ(filter_prog(ifa), prog_id(pl));
	ATF_CHECK_EQ(m6_plane_detach(pl, ifa), 0);
	ATF_CHECK_EQ(filter_prog(ifa), 0);
	ATF_CHECK_EQ(m6_plane_detach(pl, ifa), -ENOENT);	/* not there */

	ATF_CHECK(m6_plane_attach(pl, 999999, err, sizeof err) < 0);
	ATF_CHECK_MSG(strncmp(err, "ifindex 999999: clsact: ", 24) == 0,
	    "err: %s", err);

	/* destroy detaches what this run attached */
	ATF_REQUIRE_MSG(m6_plane_attach(pl, ifa, err, sizeof err) == 0,
	    "%s", err);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
	ATF_CHECK_EQ(filter_prog(ifa), 0);

	/* after a crash: the filter is removed without a plane */
	pl = pt_open(dir, 8);
	ATF_REQUIRE_MSG(m6_plane_attach(pl, ifa, err, sizeof err) == 0,
	    "%s", err);
	m6_plane_close(pl);
	ATF_CHECK(filter_prog(ifa) != 0);
	ATF_CHECK_EQ(m6_plane_detach_ifindex(ifa), 0);
	ATF_CHECK_EQ(filter_prog(ifa), 0);
	ATF_CHECK_EQ(m6_plane_detach_ifindex(ifa), 0);	/* none: fine */
	ATF_CHECK_EQ(m6_plane_unpin(dir), 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, restart_keeps_bindings);
	ATF_TP_ADD_TC(tp, bindings_and_prefixes);
	ATF_TP_ADD_TC(tp, bind_set_batch);
	ATF_TP_ADD_TC(tp, flush_keeps_local);
	ATF_TP_ADD_TC(tp, counters_and_names);
	ATF_TP_ADD_TC(tp, ring_records);
	ATF_TP_ADD_TC(tp, unpin_and_errors);
	ATF_TP_ADD_TC(tp, attach_survives_restart);
	return atf_no_error();
}
