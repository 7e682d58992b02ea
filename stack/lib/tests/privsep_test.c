/*
 * privsep_test.c - the parent/engine channel (privsep.c): single
 * messages with and without a passed descriptor, batches (several
 * messages in one datagram: exact bytes back, the ENOBUFS/EMSGSIZE
 * limits, a flush refused by a full peer keeps the batch, the waiting
 * variants wait for the peer to read), several
 * datagrams per ps_rx_recv, malformed datagrams, the peer closing.
 */
#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stack/lib/privsep.h"

static struct ps_rx rx;		/* 256 KiB: not on the stack */
static struct ps_batch batch;

static void
pair(int sv[2])
{
	ATF_REQUIRE_EQ(ps_socketpair(sv), 0);
}

/* The next message of datagram i, which must be (type, bytes). */
static void
expect_msg(unsigned i, size_t *off, uint16_t type, const void *bytes,
    size_t len)
{
	struct ps_msg m;

	ATF_REQUIRE_EQ(ps_next(rx.buf[i], rx.len[i], off, &m), 1);
	ATF_CHECK_EQ(m.type, type);
	ATF_REQUIRE_EQ(m.len, len);
	if (len > 0)
		ATF_CHECK(memcmp(m.data, bytes, len) == 0);
}

static void
expect_end(unsigned i, size_t off)
{
	struct ps_msg m;

	ATF_CHECK_EQ(ps_next(rx.buf[i], rx.len[i], &off, &m), 0);
}

ATF_TC_WITHOUT_HEAD(batch_roundtrip);
ATF_TC_BODY(batch_roundtrip, tc)
{
	const char a[] = "head", b[] = "tail-part", c[] = "x";
	uint8_t both[sizeof a - 1 + sizeof b - 1];
	size_t off = 0;
	int sv[2];

	pair(sv);
	ps_batch_init(&batch, sv[0]);
	ATF_CHECK_EQ(ps_rx_recv(sv[1], &rx), 0);	/* nothing yet */
	ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_PKT, a, 4, b, 9), 0);
	ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_RESTORE_DONE, NULL, 0, NULL,
	    0), 0);
	ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_SEND, NULL, 0, c, 1), 0);
	ATF_CHECK_EQ(batch.nmsg, 3);
	ATF_CHECK_EQ(batch.len, 3 * sizeof(struct ps_hdr) + 4 + 9 + 1);
	ATF_REQUIRE_EQ(ps_batch_flush(&batch), 0);
	ATF_CHECK_EQ(batch.nmsg, 0);
	ATF_CHECK_EQ(batch.len, 0);
	ATF_CHECK_EQ(ps_batch_flush(&batch), 0);	/* empty: no datagram */

	ATF_REQUIRE_EQ(ps_rx_recv(sv[1], &rx), 1);
	ATF_CHECK_EQ(rx.fd[0], -1);
	ATF_CHECK_EQ(rx.len[0], 3 * sizeof(struct ps_hdr) + 14);
	memcpy(both, a, 4);
	memcpy(both + 4, b, 9);
	expect_msg(0, &off, PS_PKT, both, sizeof both);
	expect_msg(0, &off, PS_RESTORE_DONE, NULL, 0);
	expect_msg(0, &off, PS_SEND, c, 1);
	expect_end(0, off);
	ATF_CHECK_EQ(ps_rx_recv(sv[1], &rx), 0);
	close(sv[0]);
	close(sv[1]);
}

ATF_TC_WITHOUT_HEAD(batch_limits);
ATF_TC_BODY(batch_limits, tc)
{
	static uint8_t big[PS_MSG_MAX];
	uint8_t rec[1000];
	unsigned added = 0;
	size_t off = 0;
	int sv[2];

	pair(sv);
	ps_batch_init(&batch, sv[0]);
	memset(rec, 0xab, sizeof rec);
	while (ps_batch_add(&batch, PS_PKT, rec, sizeof rec, NULL, 0) == 0)
		added++;
	ATF_CHECK_EQ(errno, ENOBUFS);
	/* As many as fit in one datagram, and nothing lost by the refusal. */
	ATF_CHECK_EQ(added, PS_MSG_MAX / (sizeof(struct ps_hdr) + 1000));
	ATF_CHECK_EQ(batch.nmsg, added);
	ATF_REQUIRE_EQ(ps_batch_flush(&batch), 0);
	ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_PKT, rec, sizeof rec, NULL, 0),
	    0);
	/* One message can fill a datagram, not more. */
	ATF_CHECK_EQ(ps_batch_add(&batch, PS_PKT, big,
	    PS_MSG_MAX - sizeof(struct ps_hdr), NULL, 0), -1);
	ATF_CHECK_EQ(errno, ENOBUFS);
	ATF_REQUIRE_EQ(ps_batch_flush(&batch), 0);
	ATF_CHECK_EQ(ps_batch_add(&batch, PS_PKT, big,
	    PS_MSG_MAX - sizeof(struct ps_hdr) + 1, NULL, 0), -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_PKT, big,
	    PS_MSG_MAX - sizeof(struct ps_hdr) - 1, big, 1), 0);
	ATF_REQUIRE_EQ(ps_batch_flush(&batch), 0);

	ATF_REQUIRE_EQ(ps_rx_recv(sv[1], &rx), 3);
	for (unsigned i = 0; i < added; i++)
		expect_msg(0, &off, PS_PKT, rec, sizeof rec);
	expect_end(0, off);
	off = 0;
	expect_msg(1, &off, PS_PKT, rec, sizeof rec);
	expect_end(1, off);
	ATF_CHECK_EQ(rx.len[2], PS_MSG_MAX);
	close(sv[0]);
	close(sv[1]);
}

/* A full peer refuses the flush; the batch waits, whole, for room. */
ATF_TC_WITHOUT_HEAD(flush_refused_keeps_batch);
ATF_TC_BODY(flush_refused_keeps_batch, tc)
{
	uint8_t rec[4000];
	unsigned sent = 0, got = 0;
	int sv[2], n, size = 16384;

	ATF_REQUIRE_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
	    sv), 0);
	ATF_REQUIRE_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size,
	    sizeof size), 0);
	ps_batch_init(&batch, sv[0]);
	memset(rec, 1, sizeof rec);
	for (;;) {
		ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_PKT, rec, sizeof rec,
		    NULL, 0), 0);
		if (ps_batch_flush(&batch) < 0)
			break;
		ATF_REQUIRE(++sent < 10000);
	}
	ATF_CHECK_EQ(errno, EAGAIN);
	ATF_CHECK_EQ(batch.nmsg, 1);
	ATF_CHECK_EQ(batch.len, sizeof(struct ps_hdr) + sizeof rec);
	while ((n = ps_rx_recv(sv[1], &rx)) > 0)
		got += (unsigned)n;
	ATF_CHECK_EQ(got, sent);
	ATF_REQUIRE_EQ(ps_batch_flush(&batch), 0);
	ATF_CHECK_EQ(ps_rx_recv(sv[1], &rx), 1);
	close(sv[0]);
	close(sv[1]);
}

/* The waiting variants block until the peer reads, then send it all. */
ATF_TC_WITHOUT_HEAD(wait_for_room);
ATF_TC_BODY(wait_for_room, tc)
{
	static uint8_t rec[30000], big[40000];
	unsigned sent = 0, got = 0;
	int sv[2], n, size = 131072, st;
	struct timespec t0, t1;
	pid_t pid;
	long ms;

	ATF_REQUIRE_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0,
	    sv), 0);
	ATF_REQUIRE_EQ(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size,
	    sizeof size), 0);
	ps_batch_init(&batch, sv[0]);
	do {
		ATF_REQUIRE_EQ(ps_batch_add(&batch, PS_PKT, rec, sizeof rec,
		    NULL, 0), 0);
		ATF_REQUIRE(++sent < 10000);
	} while (ps_batch_flush(&batch) == 0);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	/* A reader that starts 300 ms from now. */
	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		/* what was sent, what the batch holds, then big */
		alarm(20);
		usleep(300 * 1000);
		while (got < sent + 1 && (n = ps_rx_recv(sv[1], &rx)) >= 0) {
			got += (unsigned)n;
			if (n == 0)
				usleep(1000);
		}
		_exit(got == sent + 1 ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* big does not fit behind rec: the flush waits for the reader */
	ATF_REQUIRE_EQ(ps_batch_add_wait(&batch, PS_PKT, big, sizeof big,
	    NULL, 0), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ATF_CHECK_EQ(batch.nmsg, 1);
	ATF_CHECK_EQ(batch.len, sizeof(struct ps_hdr) + sizeof big);
	ATF_REQUIRE_EQ(ps_batch_flush_wait(&batch), 0);
	ATF_CHECK_EQ(batch.nmsg, 0);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
	    1000000;
	ATF_CHECK_MSG(ms >= 250, "waited %ld ms, the reader came at 300", ms);
	ATF_CHECK_EQ(ps_batch_add_wait(&batch, PS_PKT, big, sizeof big, big,
	    sizeof big), -1);
	ATF_CHECK_EQ(errno, EMSGSIZE);
	ATF_REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	ATF_CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "the reader did not get every datagram");
	close(sv[0]);
	close(sv[1]);
}

/* ps_send's datagrams, with a descriptor, come through ps_rx_recv too,
   several per call, and ps_recv still reads them one by one. */
ATF_TC_WITHOUT_HEAD(single_messages_and_fd);
ATF_TC_BODY(single_messages_and_fd, tc)
{
	uint8_t buf[PS_MSG_MAX];
	uint16_t type;
	int sv[2], p[2], fd;
	size_t off;
	char c;

	pair(sv);
	ATF_REQUIRE_EQ(pipe(p), 0);
	ATF_REQUIRE_EQ(ps_send(sv[0], PS_CTL, "req", 3, NULL, 0, p[1]), 0);
	for (int i = 0; i < PS_RX_DGRAMS; i++)	/* one more than fits */
		ATF_REQUIRE_EQ(ps_send(sv[0], PS_CONF, "c", 1, "onf", 3, -1),
		    0);
	ATF_REQUIRE_EQ(ps_rx_recv(sv[1], &rx), PS_RX_DGRAMS);
	off = 0;
	expect_msg(0, &off, PS_CTL, "req", 3);
	expect_end(0, off);
	ATF_REQUIRE(rx.fd[0] >= 0);
	ATF_CHECK(fcntl(rx.fd[0], F_GETFD) & FD_CLOEXEC);
	ATF_REQUIRE_EQ(write(rx.fd[0], "!", 1), 1);
	ATF_REQUIRE_EQ(read(p[0], &c, 1), 1);
	ATF_CHECK_EQ(c, '!');
	close(rx.fd[0]);
	for (unsigned i = 1; i < PS_RX_DGRAMS; i++) {
		off = 0;
		ATF_CHECK_EQ(rx.fd[i], -1);
		expect_msg(i, &off, PS_CONF, "conf", 4);
		expect_end(i, off);
	}
	ATF_REQUIRE_EQ(ps_recv(sv[1], &type, buf, sizeof buf, &fd), 4);
	ATF_CHECK_EQ(type, PS_CONF);
	ATF_CHECK_EQ(fd, -1);
	ATF_CHECK(memcmp(buf, "conf", 4) == 0);
	ATF_CHECK_EQ(ps_rx_recv(sv[1], &rx), 0);
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

/* A header or payload cut short: what came before it still counts. */
ATF_TC_WITHOUT_HEAD(malformed);
ATF_TC_BODY(malformed, tc)
{
	struct ps_hdr h = { .type = PS_PKT, .len = 2 };
	uint8_t d[64];
	struct ps_msg m;
	size_t off = 0, n;

	memcpy(d, &h, sizeof h);
	memcpy(d + sizeof h, "ok", 2);
	n = sizeof h + 2;
	h.len = 100;		/* more than the datagram holds */
	memcpy(d + n, &h, sizeof h);
	ATF_CHECK_EQ(ps_next(d, n + sizeof h + 3, &off, &m), 1);
	ATF_CHECK_EQ(m.len, 2);
	ATF_CHECK_EQ(ps_next(d, n + sizeof h + 3, &off, &m), -1);
	off = 0;
	ATF_CHECK_EQ(ps_next(d, n + 3, &off, &m), 1);	/* 3 stray bytes */
	ATF_CHECK_EQ(ps_next(d, n + 3, &off, &m), -1);
	off = 0;
	ATF_CHECK_EQ(ps_next(d, 0, &off, &m), 0);
}

ATF_TC_WITHOUT_HEAD(peer_closed);
ATF_TC_BODY(peer_closed, tc)
{
	int sv[2];
	size_t off = 0;

	pair(sv);
	ATF_REQUIRE_EQ(ps_send(sv[0], PS_READY, NULL, 0, NULL, 0, -1), 0);
	close(sv[0]);
	ATF_REQUIRE_EQ(ps_rx_recv(sv[1], &rx), 1);	/* what was sent */
	expect_msg(0, &off, PS_READY, NULL, 0);
	errno = EINVAL;
	ATF_CHECK_EQ(ps_rx_recv(sv[1], &rx), -1);	/* then the end */
	ATF_CHECK_EQ(errno, 0);
	close(sv[1]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, batch_roundtrip);
	ATF_TP_ADD_TC(tp, batch_limits);
	ATF_TP_ADD_TC(tp, flush_refused_keeps_batch);
	ATF_TP_ADD_TC(tp, wait_for_room);
	ATF_TP_ADD_TC(tp, single_messages_and_fd);
	ATF_TP_ADD_TC(tp, malformed);
	ATF_TP_ADD_TC(tp, peer_closed);
	return atf_no_error();
}
