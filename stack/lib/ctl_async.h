/*
 * stack/lib/ctl_async.h - control answers (ctl.h) made and written by
 * the engine processes, which answer control requests themselves: the
 * JSON envelope every daemon's answer has, in a buffer that grows until
 * the answer fits, and the write to the client from a libevent loop
 * without blocking the loop (the answer goes out as the client reads it,
 * then the connection is closed).
 */
#ifndef MIP6_CTL_ASYNC_H
#define MIP6_CTL_ASYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct jw;
struct sbuf;

/*
 * {"daemon":NAME,"version":VERSION, the members of the object body()
 * writes, then what extra() (may be NULL) appends: ",\"key\":value"...}
 * and a newline, malloc'd, its length in *len.  The buffer grows (up to
 * 512 MiB: a million bindings) until the answer fits, calling body again each time, unless
 * `once` (body has side effects, e.g. a reset): then NULL when the first
 * 64 KiB do not hold it.  NULL also when out of memory.
 */
typedef void ctl_body_fn(void *arg, struct jw *);
typedef void ctl_extra_fn(void *arg, struct sbuf *);
char	*ctl_render(const char *daemon, ctl_body_fn *body, ctl_extra_fn *extra,
	    void *arg, bool once, size_t *len);
/* For extra(): ",\"KEY\":{\"NAME\":N,...}" for the n counters v[],
   each named by name(i). */
void	ctl_put_counters(struct sbuf *, const char *key, const uint64_t *v,
	    size_t n, const char *(*name)(unsigned));

/*
 * How an engine process answers control requests: its engine's own
 * answer (request), "reset" (done here: reset, then {"reset":true}), an
 * error while there is no engine yet; "counters" also carries the eBPF
 * program's counters (M6C_MAX of them) and the parent's; extra() may add
 * members to any answer.
 */
struct ctl_engine {
	const char	*daemon;
	void		*eng;		/* NULL: not configured yet */
	void		(*reset)(void *eng);
	int		(*request)(void *eng, const char *req, struct jw *);
	const uint64_t	*bpf;
	const uint64_t	*parent;
	size_t		 nparent;
	const char	*(*parent_name)(unsigned);
	ctl_extra_fn	*extra;		/* may be NULL */
	void		*extra_arg;
};

/* The answer to req (ctl_render's envelope), malloc'd; an "out of
   memory" error answer when it cannot be made; NULL when not even that. */
char	*ctl_engine_answer(const struct ctl_engine *, const char *req,
	    size_t *len);

/*
 * Take fd and buf (malloc'd, len bytes): both are released when the
 * answer is written or the client goes away.  0, or -1 when no event
 * could be made (fd and buf released all the same).
 */
int	ctl_reply_async(struct event_base *, int fd, char *buf, size_t len);

#endif
