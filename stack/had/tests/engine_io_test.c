/*
 * engine_io_test.c - what had's unprivileged engine does with the two
 * descriptors the parent passes it (DESIGN.md, privilege separation):
 * it reads the signaling ring as `nobody` through m6_sig_reader (and
 * cannot write to it), and sends frames through the link-layer queue
 * (had_l2q_proc.c) whose refused frames are dropped and counted, never queued
 * without bound.
 */
#include <atf-c.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "packets/pkt.h"
#include "packets/tests/testutil.h"
#include "stack/bpf/tests/planetest.h"
#include "stack/had/had_l2q.h"
#include "stack/lib/daemon.h"

#define HA	"2001:db8:1::1"
#define HOA	"2001:db8:1::100"
#define COA	"2001:db8:2::100"

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_peer[6] = { 2, 0, 0, 0, 0, 0x99 };

/* ------------------------------------------------------------- the ring */

/* A BU with a Home Address option, as the program sees it on m6a. */
static size_t
bu_frame(uint8_t *buf, size_t cap)
{
	struct in6_addr hoa = tu_in6(HOA);
	struct mh_msg *m;
	struct pkt p;
	size_t n;

	pt_push_eth(&p, mac_a, mac_peer);
	pt_push_ip6(&p, COA, HA, 64);
	ATF_REQUIRE(pkt_push_hao(&p, &hoa) != NULL);
	m = pkt_push_mh(&p, MH_BU);
	ATF_REQUIRE(m != NULL);
	m->u.bu.seq = 4660;
	m->u.bu.flags = MH_BU_A | MH_BU_H;
	m->u.bu.lifetime = 100;
	ATF_REQUIRE_EQ(pkt_encode(&p, buf, cap, &n), 0);
	return n;
}

struct seen {
	unsigned	n;
	uint16_t	reason;
	uint32_t	caplen;
};

static void
count_record(void *arg, const struct m6_sig *s, const uint8_t *data)
{
	struct seen *v = arg;

	(void)data;
	v->n++;
	v->reason = s->reason;
	v->caplen = s->caplen;
}

/*
 * The child, as the engine: drop to nobody, read the ring through the
 * passed fd.  Exit 0 when it saw exactly the one record and could not
 * write to the map; else a code saying what went wrong.
 */
static void __attribute__((noreturn))
engine_reader(int map_fd, uint32_t want_caplen)
{
	struct m6_sig_reader *r;
	struct seen v = { 0 };
	struct pollfd pfd;
	char err[256];
	uint32_t key = 0, val = 0;

	daemon_drop_privileges(getpwnam("nobody"), "test");
	if (geteuid() == 0)
		_exit(10);
	if ((r = m6_sig_reader_new(map_fd, err, sizeof err)) == NULL)
		_exit(11);
	pfd = (struct pollfd){ .fd = m6_sig_reader_fd(r), .events = POLLIN };
	if (poll(&pfd, 1, 5000) != 1)
		_exit(12);
	if (m6_sig_reader_consume(r, count_record, &v) != 1 || v.n != 1)
		_exit(13);
	if (v.reason != M6S_HAO || v.caplen != want_caplen)
		_exit(14);
	/* The ring is read-only to us: no update, whatever the key. */
	if (bpf_map_update_elem(map_fd, &key, &val, BPF_ANY) == 0)
		_exit(15);
	m6_sig_reader_free(r);
	_exit(0);
}

PT_TC(ring_read_unprivileged, "the engine, as nobody with only the ring "
    "map's fd, reads a BU's record; the parent then finds the ring empty "
    "(one consumer position)")
{
	struct m6_plane *pl;
	uint8_t in[512];
	size_t len;
	struct seen v = { 0 };
	int map_fd, st;
	pid_t pid;

	pt_private_netns();
	pt_sh("ip link add m6a address 02:00:00:00:00:0a type veth "
	    "peer name m6b");
	pt_sh("ip link set m6a up && ip link set m6b up");
	pt_sh("ip -6 addr add " HA "/64 dev m6a nodad");
	pl = pt_open(pt_state_dir(), 64);
	ATF_REQUIRE_EQ(m6_plane_local_set(pl, pt_in6(HA), M6L_HA_ADDR), 0);
	len = bu_frame(in, sizeof in);
	pt_run_prog(m6_plane_prog_fd(pl), if_nametoindex("m6a"),
	    if_nametoindex("m6a"), in, len, 1);
	PT_COUNTERS(pl, { M6C_SIG_OUT, 1 });

	map_fd = dup(m6_plane_sig_map_fd(pl));	/* as SCM_RIGHTS would */
	ATF_REQUIRE(map_fd >= 0);
	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0)
		engine_reader(map_fd, (uint32_t)(len - 14));
	close(map_fd);
	ATF_REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "engine reader failed (status %d)", st);
	ATF_CHECK_EQ(m6_plane_sig_consume(pl, count_record, &v), 0);
	ATF_CHECK_EQ(v.n, 0);
	ATF_CHECK_EQ(m6_plane_destroy(pl), 0);
}

/* ------------------------------------------------------------- the queue */

static void
ipv6_bytes(uint8_t *pkt, size_t len, uint8_t fill)
{
	memset(pkt, fill, len);
	pkt[0] = 0x60;
}

ATF_TC_WITHOUT_HEAD(l2q_refused_counted);
ATF_TC_BODY(l2q_refused_counted, tc)
{
	static struct l2q q;
	uint64_t cnt[PC_MAX] = { 0 };
	uint8_t pkt[60];

	ipv6_bytes(pkt, sizeof pkt, 1);
	l2q_init(&q, -1, cnt);		/* EBADF: a failure, not a drop */
	for (int i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(l2q_add(&q, 1, mac_peer, pkt, sizeof pkt), 0);
	ATF_CHECK_EQ(q.n, 3);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL], 0);
	l2q_flush(&q);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL], 3);
	ATF_CHECK_EQ(cnt[PC_SEND_DROP], 0);
	ATF_CHECK_EQ(q.n, 0);
	ATF_CHECK_EQ(q.used, 0);
}

ATF_TC_WITHOUT_HEAD(l2q_bounded);
ATF_TC_BODY(l2q_bounded, tc)
{
	static struct l2q q;
	static uint8_t big[L2Q_BYTES + 1];
	uint64_t cnt[PC_MAX] = { 0 };
	uint8_t pkt[60];

	ipv6_bytes(pkt, sizeof pkt, 2);
	l2q_init(&q, -1, cnt);
	/* A full queue of frames goes out before the next is queued. */
	for (unsigned i = 0; i < L2Q_FRAMES; i++)
		ATF_REQUIRE_EQ(l2q_add(&q, 1, mac_peer, pkt, sizeof pkt), 0);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL], 0);
	ATF_REQUIRE_EQ(l2q_add(&q, 1, mac_peer, pkt, sizeof pkt), 0);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL], L2Q_FRAMES);
	ATF_CHECK_EQ(q.n, 1);
	/* Likewise when the bytes would not fit (60 queued + this). */
	ipv6_bytes(big, L2Q_BYTES - 40, 3);
	ATF_REQUIRE_EQ(l2q_add(&q, 1, mac_peer, big, L2Q_BYTES - 40), 0);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL], L2Q_FRAMES + 1);
	ATF_CHECK_EQ(q.n, 1);
	/* Larger than the queue: refused, nothing queued or counted. */
	errno = 0;
	ATF_CHECK_EQ(l2q_add(&q, 1, mac_peer, big, sizeof big), -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_CHECK_EQ(q.n, 1);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL], L2Q_FRAMES + 1);
}

PT_TC(l2q_sends_frames, "queued frames leave on the link in order, to "
    "the given MAC, as IPv6, with the exact bytes")
{
	static struct l2q q;
	uint64_t cnt[PC_MAX] = { 0 };
	uint8_t pkt[2][80], got[256];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETH_P_IPV6) };
	struct pollfd pfd;
	int tx, rx;

	pt_private_netns();
	pt_sh("ip link add m6a type veth peer name m6b "
	    "address 02:00:00:00:00:99");
	/* No IPv6 of the kernel's own (MLD, DAD) on the link: only ours. */
	pt_write("/proc/sys/net/ipv6/conf/m6a/disable_ipv6", "1");
	pt_write("/proc/sys/net/ipv6/conf/m6b/disable_ipv6", "1");
	pt_sh("ip link set m6a up && ip link set m6b up");
	rx = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IPV6));
	ATF_REQUIRE(rx >= 0);
	sll.sll_ifindex = (int)if_nametoindex("m6b");
	ATF_REQUIRE_EQ(bind(rx, (struct sockaddr *)&sll, sizeof sll), 0);
	tx = socket(AF_PACKET, SOCK_DGRAM, 0);	/* as had's parent opens it */
	ATF_REQUIRE(tx >= 0);
	l2q_init(&q, tx, cnt);
	for (int i = 0; i < 2; i++) {
		ipv6_bytes(pkt[i], sizeof pkt[i], (uint8_t)(0x40 + i));
		ATF_REQUIRE_EQ(l2q_add(&q, if_nametoindex("m6a"), mac_peer,
		    pkt[i], sizeof pkt[i]), 0);
	}
	l2q_flush(&q);
	ATF_CHECK_EQ(cnt[PC_SEND_FAIL] + cnt[PC_SEND_DROP], 0);
	for (int i = 0; i < 2; i++) {
		ssize_t n;

		pfd = (struct pollfd){ .fd = rx, .events = POLLIN };
		ATF_REQUIRE_EQ_MSG(poll(&pfd, 1, 5000), 1, "frame %d", i);
		n = recv(rx, got, sizeof got, 0);
		ATF_REQUIRE_EQ(n, 14 + (ssize_t)sizeof pkt[i]);
		tu_bytes_eq("destination MAC", got, 6, mac_peer, 6);
		ATF_CHECK_EQ(got[12], 0x86);
		ATF_CHECK_EQ(got[13], 0xdd);
		tu_bytes_eq("packet", got + 14, (size_t)n - 14, pkt[i],
		    sizeof pkt[i]);
	}
	close(tx);
	close(rx);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ring_read_unprivileged);
	ATF_TP_ADD_TC(tp, l2q_refused_counted);
	ATF_TP_ADD_TC(tp, l2q_bounded);
	ATF_TP_ADD_TC(tp, l2q_sends_frames);
	return atf_no_error();
}
