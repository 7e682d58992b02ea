/*
 * stack/lib/ctl.h - the daemons' control socket protocol, shared by every
 * daemon and by mip6ctl(8).
 *
 * A Unix stream socket (mode 0600, root only).  The client writes one
 * request line, text words separated by spaces, ending in "\n", e.g.
 * "bindings", "bindings delete 2001:db8:1::100", "counters", "reset",
 * "reload".  The server answers with one JSON object and closes the
 * connection.  Errors are {"error":"message"}.  Every answer carries
 * "daemon" (e.g. "had") and "version".
 */
#ifndef MIP6_CTL_H
#define MIP6_CTL_H

#include <stddef.h>

#define CTL_REQ_MAX	512		/* longest request line */
#define CTL_REP_MAX	(16u << 20)	/* largest answer accepted */

/*
 * Server side: a listening socket at path (an old socket file is
 * replaced; the missing folders are made 0755); -1 with errno.  The
 * socket is non-blocking (an event loop accepts on it) and close-on-exec;
 * EADDRINUSE when another process still serves path, EEXIST when path is
 * not a socket.
 */
int	ctl_listen(const char *path);
/* The same for another socket type (mip6busd's SOCK_SEQPACKET bus). */
int	ctl_listen_type(const char *path, int type);
/*
 * Read one request line from a connected socket (blocking, with a
 * timeout in ms, < 0 none); strips the newline (and a "\r" before it).
 * The line holds at most min(cap - 1, CTL_REQ_MAX) bytes.  0, or -1 with
 * errno EMSGSIZE (too long), ETIMEDOUT, ECONNRESET (closed before the
 * newline) or EINVAL (a NUL byte in the line).
 */
int	ctl_read_request(int fd, char *buf, size_t cap, int timeout_ms);
/* Write the whole answer (waiting at most 5 s for a slow reader) and
   close fd.  0, or -1 with errno. */
int	ctl_write_reply(int fd, const char *json, size_t len);

/*
 * Client side: send request to the socket at path and return the answer
 * (malloc'd, NUL-terminated) or NULL with a message in err.
 */
char	*ctl_call(const char *path, const char *request, int timeout_ms,
	    char *err, size_t errlen);
/*
 * The same, telling why it failed: 0 with *answer set, CTL_ECONNECT (no
 * connection: the daemon is not running), CTL_EREQUEST (request too long
 * or not one line), CTL_EIO (connected, then no complete answer: timeout,
 * reset, too large).  timeout_ms covers the whole exchange; < 0 waits
 * forever.
 */
#define CTL_ECONNECT	(-2)
#define CTL_EREQUEST	(-3)
#define CTL_EIO		(-1)
int	ctl_exchange(const char *path, const char *request, int timeout_ms,
	    char **answer, char *err, size_t errlen);

#endif
