/*
 * bcache_test.c - the binding cache storage (ha_bcache.c) at scale: a
 * quarter million home addresses added, found, deleted and added again
 * (the table grows, probe chains survive deletions), iteration that
 * tolerates deletion, and the deadline heap giving entries back in
 * deadline order through moves and cancellations.
 */
#include <atf-c.h>
#include <stdlib.h>
#include <string.h>

#include "stack/had/ha_bcache.h"

#define N	250000u

static struct in6_addr
hoa(uint32_t i)
{
	struct in6_addr a;

	memset(&a, 0, sizeof(a));
	a.s6_addr[0] = 0x20;
	a.s6_addr[1] = 0x01;
	a.s6_addr[2] = 0x0d;
	a.s6_addr[3] = 0xb8;
	a.s6_addr[12] = (uint8_t)(i >> 24);
	a.s6_addr[13] = (uint8_t)(i >> 16);
	a.s6_addr[14] = (uint8_t)(i >> 8);
	a.s6_addr[15] = (uint8_t)i;
	return a;
}

static struct bce *
add(struct bcache *bc, uint32_t i)
{
	struct in6_addr a = hoa(i);
	struct bce *b = bc_add(bc, &a);

	ATF_REQUIRE(b != NULL);
	b->state = BCE_BOUND;
	b->seq = (uint16_t)i;
	return b;
}

static struct bce *
find(struct bcache *bc, uint32_t i)
{
	struct in6_addr a = hoa(i);

	return bc_find(bc, &a);
}

ATF_TC_WITHOUT_HEAD(add_find_delete_at_scale);
ATF_TC_BODY(add_find_delete_at_scale, tc)
{
	struct bcache *bc = bc_new(12345);
	struct bce *b;
	uint32_t i, missing = 0, wrong = 0;

	ATF_REQUIRE(bc != NULL);
	for (i = 0; i < N; i++)
		add(bc, i);
	ATF_REQUIRE_EQ(bc_count(bc), N);
	for (i = 0; i < N; i++) {
		b = find(bc, i);
		if (b == NULL)
			missing++;
		else if (b->seq != (uint16_t)i)
			wrong++;
	}
	ATF_CHECK_EQ(missing, 0);
	ATF_CHECK_EQ(wrong, 0);
	for (i = 0; i < N; i += 2)
		bc_del(bc, find(bc, i));
	ATF_REQUIRE_EQ(bc_count(bc), N / 2);
	for (i = 0; i < N; i++)
		if ((find(bc, i) != NULL) != (i % 2 == 1))
			missing++;
	ATF_CHECK_EQ_MSG(missing, 0, "%u lookups wrong after deletions",
	    missing);
	/* freed slots are reused: the pool does not grow */
	for (i = 0; i < N; i += 2)
		add(bc, i);
	ATF_REQUIRE_EQ(bc_count(bc), N);
	for (i = 0; i < N; i++)
		if (find(bc, i) == NULL || find(bc, i)->seq != (uint16_t)i)
			missing++;
	ATF_CHECK_EQ(missing, 0);
	bc_free(bc);
}

ATF_TC_WITHOUT_HEAD(iterate_while_deleting);
ATF_TC_BODY(iterate_while_deleting, tc)
{
	struct bcache *bc = bc_new(1);
	size_t cur = 0, seen = 0;
	struct bce *b;
	uint32_t i;

	for (i = 0; i < 5000; i++)
		add(bc, i);
	while ((b = bc_next(bc, &cur)) != NULL) {
		seen++;
		bc_del(bc, b);
	}
	ATF_CHECK_EQ(seen, 5000);
	ATF_CHECK_EQ(bc_count(bc), 0);
	cur = 0;
	ATF_CHECK(bc_next(bc, &cur) == NULL);
	bc_free(bc);
}

ATF_TC_WITHOUT_HEAD(timers_in_deadline_order);
ATF_TC_BODY(timers_in_deadline_order, tc)
{
	struct bcache *bc = bc_new(7);
	uint64_t now = UINT64_MAX - 1;
	size_t popped = 0, cancelled = 0, out_of_order = 0;
	struct bce *b;
	uint32_t i;

	srandom(42);
	for (i = 0; i < 20000; i++)
		bc_timer_set(bc, add(bc, i), 1000 + (uint64_t)random() % 100000);
	/* move some earlier, some later, cancel some, delete some */
	for (i = 0; i < 20000; i += 7)
		bc_timer_set(bc, find(bc, i), 500 + (uint64_t)random() % 500);
	for (i = 3; i < 20000; i += 11)
		bc_timer_set(bc, find(bc, i), 200000 + (uint64_t)random() % 9);
	for (i = 5; i < 20000; i += 13, cancelled++)
		bc_timer_set(bc, find(bc, i), UINT64_MAX);
	for (i = 1; i < 20000; i += 17, cancelled++)
		if (find(bc, i)->deadline != UINT64_MAX)
			bc_del(bc, find(bc, i));
		else
			cancelled--;
	ATF_CHECK(bc_timer_next(bc) >= 500 && bc_timer_next(bc) < 1000);
	ATF_CHECK(bc_timer_pop(bc, 499) == NULL);
	while ((b = bc_timer_pop(bc, now)) != NULL) {
		if (b->deadline != UINT64_MAX)
			out_of_order++;	/* popped entries are disarmed */
		popped++;
	}
	ATF_CHECK_EQ(out_of_order, 0);
	ATF_CHECK_EQ(popped + cancelled, 20000);
	ATF_CHECK_EQ(bc_timer_next(bc), UINT64_MAX);
	bc_free(bc);
}

/* Popping yields non-decreasing deadlines. */
ATF_TC_WITHOUT_HEAD(pop_order);
ATF_TC_BODY(pop_order, tc)
{
	struct bcache *bc = bc_new(9);
	uint64_t prev = 0, t;
	struct bce *b;
	size_t bad = 0, n = 0;
	uint32_t i;

	srandom(7);
	for (i = 0; i < 10000; i++)
		bc_timer_set(bc, add(bc, i), (uint64_t)random() % 1000000);
	for (i = 0; i < 10000; i += 3)
		bc_timer_set(bc, find(bc, i), (uint64_t)random() % 1000000);
	while ((t = bc_timer_next(bc)) != UINT64_MAX) {
		b = bc_timer_pop(bc, t);
		ATF_REQUIRE(b != NULL);
		if (t < prev)
			bad++;
		prev = t;
		n++;
	}
	ATF_CHECK_EQ(bad, 0);
	ATF_CHECK_EQ(n, 10000);
	bc_free(bc);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, add_find_delete_at_scale);
	ATF_TP_ADD_TC(tp, iterate_while_deleting);
	ATF_TP_ADD_TC(tp, timers_in_deadline_order);
	ATF_TP_ADD_TC(tp, pop_order);
	return atf_no_error();
}
