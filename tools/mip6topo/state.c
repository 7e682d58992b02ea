/*
 * state.c - the write-ahead record of a run (see state.h).
 *
 * An fsync costs 0.2 to 0.5 ms on the CI disk; syncing each of the ~100
 * lines of the reference topology cost 40 ms of the 200 ms a conformance
 * case may spend on its topology, hence state_note() for the lines whose
 * objects cannot outlive a recorded namespace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip6topo.h"
#include "state.h"
#include "topo.h"

#define STATE_FILE	"state"
#define LINE_MAX_LEN	4096

/* MIP6TOPO_RUN_DIR moves the records elsewhere (the tests use their own
   folder, so that `down -a` there sees only their runs). */
const char *
state_root(void)
{
	const char *dir = getenv("MIP6TOPO_RUN_DIR");

	return dir != NULL && dir[0] == '/' ? dir : TOPO_RUN_ROOT;
}

void
state_run_dir(const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", state_root(), id);
}

static int
mkdir_p(const char *path, char *err)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return errf(err, "mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return errf(err, "mkdir %s: %s", buf, strerror(errno));
	return 0;
}

int
state_create(struct state *st, const char *id, char *err)
{
	char path[PATH_MAX + 16];

	memset(st, 0, sizeof(*st));
	st->fd = -1;
	snprintf(st->id, sizeof(st->id), "%s", id);
	state_run_dir(id, st->dir, sizeof(st->dir));
	if (mkdir_p(state_root(), err) < 0)
		return -1;
	if (mkdir(st->dir, 0755) < 0) {
		if (errno == EEXIST)
			return errf(err, "name clash: run %s already exists "
			    "(%s); tear it down with: mip6topo down %s", id,
			    st->dir, id);
		return errf(err, "mkdir %s: %s", st->dir, strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/%s", st->dir, STATE_FILE);
	st->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND |
	    O_CLOEXEC, 0644);
	if (st->fd < 0)
		return errf(err, "create %s: %s", path, strerror(errno));
	if (flock(st->fd, LOCK_EX | LOCK_NB) < 0)
		return errf(err, "lock %s: %s", path, strerror(errno));
	return state_note(st, err, "mip6topo-state", "1", (char *)NULL);
}

int
state_open(struct state *st, const char *id, bool *busy, char *err)
{
	char path[PATH_MAX + 16];

	memset(st, 0, sizeof(*st));
	*busy = false;
	snprintf(st->id, sizeof(st->id), "%s", id);
	state_run_dir(id, st->dir, sizeof(st->dir));
	snprintf(path, sizeof(path), "%s/%s", st->dir, STATE_FILE);
	st->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (st->fd < 0)
		return errf(err, "no run %s (%s: %s)", id, path,
		    strerror(errno));
	if (flock(st->fd, LOCK_EX | LOCK_NB) < 0) {
		*busy = errno == EWOULDBLOCK;
		close(st->fd);
		st->fd = -1;
		return errf(err, "run %s is busy: its mip6topo up is still "
		    "running", id);
	}
	return 0;
}

void
state_close(struct state *st)
{
	if (st->fd >= 0)
		close(st->fd);
	st->fd = -1;
}

/* Remove the files of one of our own subfolders, then the folder. */
static void
remove_subdir(const char *dir, const char *sub)
{
	char path[PATH_MAX + 300];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char f[PATH_MAX + 600];

		if (de->d_name[0] == '.')
			continue;
		snprintf(f, sizeof(f), "%s/%s", path, de->d_name);
		(void)unlink(f);
	}
	closedir(d);
	(void)rmdir(path);
}

int
state_remove(struct state *st, char *err)
{
	char path[PATH_MAX + 16];

	remove_subdir(st->dir, "pcap");
	remove_subdir(st->dir, "log");
	snprintf(path, sizeof(path), "%s/%s", st->dir, STATE_FILE);
	if (unlink(path) < 0 && errno != ENOENT)
		return errf(err, "remove %s: %s", path, strerror(errno));
	state_close(st);
	if (rmdir(st->dir) < 0 && errno != ENOENT)
		return errf(err, "rmdir %s: %s", st->dir, strerror(errno));
	return 0;
}

static void
escape_word(char **o, char *end, const char *w)
{
	static const char hex[] = "0123456789ABCDEF";

	if (w == NULL || w[0] == '\0')
		w = "-";
	else if (strcmp(w, "-") == 0)
		w = "%2D";
	for (; *w != '\0' && *o + 3 < end; w++) {
		unsigned char c = (unsigned char)*w;

		if (c > 0x20 && c < 0x7f && c != '%') {
			*(*o)++ = (char)c;
			continue;
		}
		*(*o)++ = '%';
		*(*o)++ = hex[c >> 4];
		*(*o)++ = hex[c & 15];
	}
}

static int
append(struct state *st, char *err, bool sync, va_list ap)
{
	char line[LINE_MAX_LEN];
	char *o = line, *end = line + sizeof(line) - 2;
	const char *w;
	bool first = true;

	while ((w = va_arg(ap, const char *)) != NULL) {
		if (!first && o < end)
			*o++ = ' ';
		escape_word(&o, end, w);
		first = false;
	}
	*o++ = '\n';
	if (write(st->fd, line, (size_t)(o - line)) != o - line)
		return errf(err, "write %s/%s: %s", st->dir, STATE_FILE,
		    strerror(errno));
	return sync ? state_sync(st, err) : 0;
}

int
state_log(struct state *st, char *err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = append(st, err, true, ap);
	va_end(ap);
	return rc;
}

int
state_note(struct state *st, char *err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = append(st, err, false, ap);
	va_end(ap);
	return rc;
}

int
state_sync(struct state *st, char *err)
{
	if (fsync(st->fd) < 0)
		return errf(err, "fsync %s/%s: %s", st->dir, STATE_FILE,
		    strerror(errno));
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
unescape_word(char *w)
{
	char *o = w;

	if (strcmp(w, "-") == 0) {
		w[0] = '\0';
		return;
	}
	for (char *i = w; *i != '\0'; i++) {
		int hi, lo;

		if (*i == '%' && (hi = hexval(i[1])) >= 0 &&
		    (lo = hexval(i[2])) >= 0) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			*o++ = *i;
	}
	*o = '\0';
}

static char *
read_all(const char *path, char *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		errf(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (nb == NULL) {
				free(buf);
				close(fd);
				errf(err, "out of memory");
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0) {
		free(buf);
		errf(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int
state_load(const char *id, struct record *r, char *err)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	char *line, *save = NULL;
	int cap = 0, lineno = 0;

	memset(r, 0, sizeof(*r));
	state_run_dir(id, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	if ((r->text = read_all(path, err)) == NULL)
		return -1;
	for (line = strtok_r(r->text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct rec *rc;
		char *w, *wsave = NULL;

		lineno++;
		if (r->n == cap) {
			struct rec *nr = realloc(r->rec,
			    (size_t)(cap = cap * 2 + 32) * sizeof(*nr));

			if (nr == NULL) {
				state_free(r);
				return errf(err, "out of memory");
			}
			r->rec = nr;
		}
		rc = &r->rec[r->n];
		memset(rc, 0, sizeof(*rc));
		rc->lineno = lineno;
		for (w = strtok_r(line, " ", &wsave); w != NULL &&
		    rc->argc < STATE_MAX_WORDS; w = strtok_r(NULL, " ",
		    &wsave)) {
			unescape_word(w);
			rc->argv[rc->argc++] = w;
		}
		if (rc->argc > 0)
			r->n++;
	}
	if (r->n == 0 || strcmp(r->rec[0].argv[0], "mip6topo-state") != 0) {
		state_free(r);
		return errf(err, "%s: not a mip6topo record", path);
	}
	return 0;
}

void
state_free(struct record *r)
{
	free(r->rec);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

const struct rec *
state_find(const struct record *r, const char *kind)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->rec[i].argv[0], kind) == 0)
			return &r->rec[i];
	return NULL;
}

static int
cmp_ids(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
state_list(char (*ids)[STATE_IDLEN], int max, int *n, char *err)
{
	struct dirent *de;
	DIR *d;

	*n = 0;
	if ((d = opendir(state_root())) == NULL) {
		if (errno == ENOENT)
			return 0;
		return errf(err, "%s: %s", state_root(), strerror(errno));
	}
	while ((de = readdir(d)) != NULL && *n < max) {
		if (!topo_id_ok(de->d_name))	/* also bounds the length */
			continue;
		memcpy(ids[(*n)++], de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	qsort(ids, (size_t)*n, sizeof(ids[0]), cmp_ids);
	return 0;
}

bool
state_busy(const char *id)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	bool busy;
	int fd;

	state_run_dir(id, dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, STATE_FILE);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	busy = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}
