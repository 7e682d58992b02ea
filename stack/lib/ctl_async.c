/*
 * stack/lib/ctl_async.c - see ctl_async.h.
 */
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packets/sbuf.h"
#include "stack/lib/bpfpin.h"
#include "stack/lib/ctl_async.h"
#include "stack/lib/version.h"

/* One attempt in a buffer of cap bytes; false when it did not fit. */
static bool
render_into(const char *daemon, ctl_body_fn *body, ctl_extra_fn *extra,
    void *arg, struct sbuf *sb, struct sbuf *isb)
{
	struct jw jw;

	jw_init(&jw, isb);
	body(arg, &jw);
	if (isb->trunc || isb->len < 2)
		return false;
	sbuf_puts(sb, "{\"daemon\":");
	sbuf_json_str(sb, daemon, strlen(daemon));
	sbuf_puts(sb, ",\"version\":\"" MIP6KIT_VERSION "\"");
	if (isb->len > 2) {	/* the members of body's object */
		sbuf_putc(sb, ',');
		sbuf_putn(sb, isb->buf + 1, isb->len - 2);
	}
	if (extra != NULL)
		extra(arg, sb);
	sbuf_puts(sb, "}\n");
	return !sb->trunc;
}

void
ctl_put_counters(struct sbuf *sb, const char *key, const uint64_t *v,
    size_t n, const char *(*name)(unsigned))
{
	struct jw jw;

	sbuf_putc(sb, ',');
	sbuf_json_str(sb, key, strlen(key));
	sbuf_putc(sb, ':');
	jw_init(&jw, sb);
	jw_obj_open(&jw, NULL);
	for (size_t i = 0; i < n; i++)
		jw_uint(&jw, name((unsigned)i), v[i]);
	jw_obj_close(&jw);
}

char *
ctl_render(const char *daemon, ctl_body_fn *body, ctl_extra_fn *extra,
    void *arg, bool once, size_t *len)
{
	for (size_t cap = 64 * 1024; cap <= (512u << 20); cap *= 4) {
		char *buf = malloc(cap), *ibuf = malloc(cap);
		struct sbuf sb, isb;
		bool ok;

		if (buf == NULL || ibuf == NULL) {
			free(buf);
			free(ibuf);
			return NULL;
		}
		sbuf_init(&sb, buf, cap);
		sbuf_init(&isb, ibuf, cap);
		ok = render_into(daemon, body, extra, arg, &sb, &isb);
		free(ibuf);
		if (ok) {
			*len = sb.len;
			return buf;
		}
		free(buf);
		if (once)
			return NULL;
	}
	return NULL;
}

/* ctl_engine_answer's request, for ctl_render's callbacks. */
struct engine_req {
	const struct ctl_engine	*ce;
	const char		*req;
};

static void
engine_body(void *arg, struct jw *jw)
{
	const struct engine_req *r = arg;

	if (r->ce->eng == NULL) {
		jw_obj_open(jw, NULL);
		jw_str(jw, "error", "engine not configured yet");
		jw_obj_close(jw);
	} else if (strcmp(r->req, "reset") == 0) {
		r->ce->reset(r->ce->eng);
		jw_obj_open(jw, NULL);
		jw_bool(jw, "reset", true);
		jw_obj_close(jw);
	} else
		(void)r->ce->request(r->ce->eng, r->req, jw);
}

static const char *
bpf_counter_name(unsigned i)
{
	return m6_counter_name((enum m6_counter)i);
}

static void
engine_extra(void *arg, struct sbuf *sb)
{
	const struct engine_req *r = arg;

	if (strcmp(r->req, "counters") == 0) {
		ctl_put_counters(sb, "bpf", r->ce->bpf, M6C_MAX,
		    bpf_counter_name);
		ctl_put_counters(sb, "parent", r->ce->parent, r->ce->nparent,
		    r->ce->parent_name);
	}
	if (r->ce->extra != NULL)
		r->ce->extra(r->ce->extra_arg, sb);
}

char *
ctl_engine_answer(const struct ctl_engine *ce, const char *req, size_t *len)
{
	static const char oom[] = "{\"error\":\"out of memory\"}\n";
	struct engine_req r = { .ce = ce, .req = req };
	char *answer;

	/* a reset is never run twice */
	answer = ctl_render(ce->daemon, engine_body, engine_extra, &r,
	    strcmp(req, "reset") == 0, len);
	if (answer == NULL && (answer = strdup(oom)) != NULL)
		*len = strlen(oom);
	return answer;
}

struct ctl_out {
	struct event	*ev;
	int		 fd;
	char		*buf;
	size_t		 len, off;
};

static void
ctl_out_free(struct ctl_out *co)
{
	if (co->ev != NULL)
		event_free(co->ev);
	close(co->fd);
	free(co->buf);
	free(co);
}

static void
on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_out *co = arg;

	(void)what;
	while (co->off < co->len) {
		ssize_t n = write(fd, co->buf + co->off, co->len - co->off);

		if (n > 0) {
			co->off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* EV_PERSIST: called again */
		break;			/* the client went away */
	}
	ctl_out_free(co);
}

int
ctl_reply_async(struct event_base *base, int fd, char *buf, size_t len)
{
	struct ctl_out *co = calloc(1, sizeof(*co));

	if (co == NULL) {
		close(fd);
		free(buf);
		return -1;
	}
	co->fd = fd;
	co->buf = buf;
	co->len = len;
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	co->ev = event_new(base, fd, EV_WRITE | EV_PERSIST, on_writable, co);
	if (co->ev == NULL || event_add(co->ev, NULL) < 0) {
		ctl_out_free(co);
		return -1;
	}
	return 0;
}
