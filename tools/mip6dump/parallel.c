/*
 * parallel.c - decode and print a capture file on several cores, with the
 * output in file order.
 *
 * Decoding, checking and printing one packet does not depend on any other
 * packet (the ladder, which does, never comes here), so the main thread
 * reads frames into batches, worker threads decode and print whole batches
 * into memory, and the main thread writes the finished batches in the order
 * they were read.  A ring of batches bounds the memory: the reader waits
 * when every batch is in use.  The output is byte for byte the output of
 * the single-threaded loop (tests compare them).
 *
 * When the capture's frames stay valid (a mapped file, see capture.c) the
 * batches only point at them, so reading is a few instructions a frame
 * and the reader never holds the workers back; otherwise (libpcap reuses
 * its buffer) the frame is copied into its batch's arena.  A finished
 * batch's output is written as it is, in one write.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/pkt.h"
#include "mip6dump.h"
#include "out.h"

#define BATCH_FRAMES	2048
#define BATCH_ARENA	(256 * 1024)	/* grows for large frames */
#define BATCH_OUT	(512 * 1024)	/* grows when a batch prints more */

enum batch_state { B_FREE, B_FILLED, B_BUSY, B_DONE };

struct batch {
	enum batch_state state;
	size_t		 nframes;
	struct frame	 frames[BATCH_FRAMES];
	bool		 in_arena[BATCH_FRAMES]; /* data: an arena offset */
	size_t		 arena_len, arena_cap;
	uint8_t		*arena;		/* the frames' bytes */
	struct out	 out;		/* memory mode: fp NULL */
	struct stats	 st;
};

struct pipeline {
	const struct opts *o;
	pthread_mutex_t	 mu;
	pthread_cond_t	 work;		/* a batch was filled, or stop */
	pthread_cond_t	 done;		/* a batch was finished */
	size_t		 nbatches;
	struct batch	*ring;
	size_t		 next_work;	/* next batch a worker takes */
	bool		 stop;
	bool		 failed;	/* a worker ran out of memory */
};

static int
batch_init(struct batch *b)
{
	memset(b, 0, sizeof(*b));
	b->arena = malloc(BATCH_ARENA);
	b->arena_cap = BATCH_ARENA;
	if (b->arena == NULL || out_init(&b->out, NULL, BATCH_OUT) != 0)
		return -1;
	return 0;
}

static void
batch_free(struct batch *b)
{
	free(b->arena);
	out_free(&b->out);
}

/*
 * Copy a frame into the batch (pcap's buffer is reused on the next read).
 * Frames keep offsets into the arena until the batch is processed, so the
 * arena may move when it grows.  Returns 1 when the batch is full.
 */
static int
batch_copy(struct batch *b, const struct frame *f)
{
	struct frame *dst = &b->frames[b->nframes];
	size_t need = b->arena_len + f->caplen, cap = b->arena_cap;
	uint8_t *na;

	if (need > cap) {
		while (cap < need)
			cap *= 2;
		if ((na = realloc(b->arena, cap)) == NULL)
			return -1;
		b->arena = na;
		b->arena_cap = cap;
	}
	*dst = *f;
	memcpy(b->arena + b->arena_len, f->data, f->caplen);
	/* offsets now, pointers once the arena no longer moves */
	dst->data = (const uint8_t *)(uintptr_t)b->arena_len;
	b->in_arena[b->nframes] = true;
	b->arena_len += f->caplen;
	b->nframes++;
	return b->nframes == BATCH_FRAMES ? 1 : 0;
}

/* A frame whose data stay valid: the batch points at them. */
static int
batch_point(struct batch *b, const struct frame *f)
{
	b->in_arena[b->nframes] = false;
	b->frames[b->nframes++] = *f;
	return b->nframes == BATCH_FRAMES ? 1 : 0;
}

static void
batch_process(const struct opts *o, struct batch *b, struct pkt *p)
{
	size_t i;

	memset(&b->st, 0, sizeof(b->st));
	b->out.len = 0;
	for (i = 0; i < b->nframes; i++) {
		struct frame *f = &b->frames[i];

		if (b->in_arena[i])
			f->data = b->arena + (uintptr_t)f->data;
		frame_process(o, p, &b->st, NULL, f, &b->out);
	}
}

static void *
worker(void *arg)
{
	struct pipeline *pl = arg;
	struct pkt *p = malloc(sizeof(*p));
	struct batch *b;

	pthread_mutex_lock(&pl->mu);
	if (p == NULL)
		pl->failed = true;
	for (;;) {
		b = &pl->ring[pl->next_work];
		while (!pl->stop && !pl->failed && b->state != B_FILLED) {
			pthread_cond_wait(&pl->work, &pl->mu);
			b = &pl->ring[pl->next_work];
		}
		if (pl->failed || (pl->stop && b->state != B_FILLED))
			break;
		b->state = B_BUSY;
		pl->next_work = (pl->next_work + 1) % pl->nbatches;
		pthread_mutex_unlock(&pl->mu);
		batch_process(pl->o, b, p);
		pthread_mutex_lock(&pl->mu);
		b->state = B_DONE;
		pthread_cond_broadcast(&pl->done);
	}
	pthread_cond_broadcast(&pl->done);
	pthread_mutex_unlock(&pl->mu);
	free(p);
	return NULL;
}

static void
stats_add(struct stats *to, const struct stats *from)
{
	to->packets += from->packets;
	to->mobility += from->mobility;
	to->with_viol += from->with_viol;
	to->faults += from->faults;
}

/*
 * Wait until batch b is done and write it, or until it is free (never
 * filled).  Returns -1 when a worker failed.
 */
static int
drain(struct pipeline *pl, struct batch *b, struct out *out,
    struct stats *st)
{
	pthread_mutex_lock(&pl->mu);
	while (!pl->failed && (b->state == B_FILLED || b->state == B_BUSY))
		pthread_cond_wait(&pl->done, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	if (pl->failed)
		return -1;
	if (b->state == B_DONE) {
		out_write(out, b->out.buf, b->out.len);
		stats_add(st, &b->st);
	}
	b->state = B_FREE;
	b->nframes = 0;
	b->arena_len = 0;
	return 0;
}

static void
publish(struct pipeline *pl, struct batch *b)
{
	pthread_mutex_lock(&pl->mu);
	b->state = B_FILLED;
	pthread_cond_signal(&pl->work);
	pthread_mutex_unlock(&pl->mu);
}

/*
 * Read the file into the ring, batch after batch in ring order; *last is
 * the batch filled last.  0 at the end of the file, -1 on an error.
 */
static int
read_all(struct pipeline *pl, struct capture *cap, struct out *out,
    struct stats *st, size_t *last)
{
	uint64_t taken = 0;
	size_t cur = 0;
	struct frame f;
	int rc, added;

	for (;;) {
		struct batch *b = &pl->ring[cur];

		*last = cur;
		if (b->state != B_FREE && drain(pl, b, out, st) != 0)
			return -1;
		rc = 1;
		added = 0;
		while (added == 0 && (pl->o->count == 0 ||
		    taken < pl->o->count) && (rc = capture_next(cap, &f)) == 1) {
			added = capture_frames_stable(cap) ?
			    batch_point(b, &f) : batch_copy(b, &f);
			if (added < 0)
				return -1;
			taken++;
		}
		if (b->nframes > 0)
			publish(pl, b);
		if (rc != 1 || added == 0)
			return rc < 0 ? -1 : 0;
		cur = (cur + 1) % pl->nbatches;
	}
}

static void
pipeline_stop(struct pipeline *pl, pthread_t *tids, unsigned started)
{
	unsigned i;

	pthread_mutex_lock(&pl->mu);
	pl->stop = true;
	pthread_cond_broadcast(&pl->work);
	pthread_mutex_unlock(&pl->mu);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
}

/* Write every batch still in the ring, oldest first. */
static int
drain_all(struct pipeline *pl, size_t from, struct out *out,
    struct stats *st)
{
	size_t i;

	for (i = 0; i < pl->nbatches; i++)
		if (drain(pl, &pl->ring[(from + i) % pl->nbatches], out,
		    st) != 0)
			return -1;
	return 0;
}

int
run_parallel(struct capture *cap, const struct opts *o, unsigned threads,
    struct out *out, struct stats *st)
{
	struct pipeline pl = { .o = o, .nbatches = 2 * (size_t)threads + 2 };
	pthread_t *tids = calloc(threads, sizeof(*tids));
	unsigned started = 0;
	size_t i, last = 0;
	int rc = -1;

	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.work, NULL);
	pthread_cond_init(&pl.done, NULL);
	pl.ring = calloc(pl.nbatches, sizeof(*pl.ring));
	if (tids == NULL || pl.ring == NULL)
		goto out_of_memory;
	for (i = 0; i < pl.nbatches; i++)
		if (batch_init(&pl.ring[i]) != 0)
			goto out_of_memory;
	for (; started < threads; started++)
		if (pthread_create(&tids[started], NULL, worker, &pl) != 0)
			break;
	if (started == 0)
		goto out_of_memory;
	rc = read_all(&pl, cap, out, st, &last);
	/* the batch after the last one filled is the oldest unwritten one */
	if (drain_all(&pl, (last + 1) % pl.nbatches, out, st) != 0 &&
	    rc == 0)
		rc = -1;
	pipeline_stop(&pl, tids, started);
	if (pl.failed)
		fprintf(stderr, "mip6dump: out of memory\n");
	goto cleanup;
out_of_memory:
	fprintf(stderr, "mip6dump: out of memory\n");
	pipeline_stop(&pl, tids, started);
cleanup:
	for (i = 0; pl.ring != NULL && i < pl.nbatches; i++)
		batch_free(&pl.ring[i]);
	free(pl.ring);
	free(tids);
	pthread_cond_destroy(&pl.work);
	pthread_cond_destroy(&pl.done);
	pthread_mutex_destroy(&pl.mu);
	return rc;
}
