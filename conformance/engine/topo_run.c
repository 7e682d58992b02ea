/*
 * topo_run.c - bring a case's topology up and down with mip6topo(8) and
 * find the tester's interfaces in its JSON status (see topo_run.h).
 * Running our own tool keeps every netlink detail in one place; nothing
 * here runs ip(8) or tc(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "topo_run.h"
#include "util.h"

bool
topo_id_valid(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n >= TOPO_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= '0' && id[i] <= '9')))
			return false;
	return true;
}

/* Run the tool with argv; its stdout and stderr into *out. Exit status. */
static int
tool_run(const char *tool, char *const argv[], char **out)
{
	size_t len = 0, cap = 4096;
	char *buf = xmalloc(cap);
	int p[2], st = -1;
	pid_t pid;
	ssize_t k;

	buf[0] = '\0';
	*out = buf;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(tool, argv);
		fprintf(stderr, "%s: %s\n", tool, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		if (len + 1024 > cap)
			buf = xrealloc(buf, cap *= 2);
		k = read(p[0], buf + len, cap - len - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	buf[len] = '\0';
	*out = buf;
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
topo_run_up(struct topo_run *t, const char *tool, const char *topofile,
    const char *id, char *err, size_t cap)
{
	char *argv[] = { (char *)"mip6topo", (char *)"up", (char *)"-j",
	    (char *)"-i", (char *)id, (char *)topofile, NULL };
	char *out;
	size_t n;

	memset(t, 0, sizeof(*t));
	str_copy(t->tool, tool, sizeof(t->tool));
	str_copy(t->id, id, sizeof(t->id));
	if (!topo_id_valid(id)) {
		snprintf(err, cap, "topology run id '%s': 1 to 12 lower-case "
		    "letters and digits", id);
		return -1;
	}
	if (tool_run(tool, argv, &out) != 0) {
		n = strlen(out);
		while (n > 0 && out[n - 1] == '\n')
			out[--n] = '\0';
		snprintf(err, cap, "mip6topo up %s: %s", topofile,
		    out[0] != '\0' ? out : "failed");
		free(out);
		return -1;
	}
	t->status = out;
	t->up = true;
	return 0;
}

void
topo_run_down(struct topo_run *t)
{
	char *argv[] = { (char *)"mip6topo", (char *)"down", t->id, NULL };
	char *out = NULL;

	if (t->up) {
		if (tool_run(t->tool, argv, &out) != 0)
			fprintf(stderr, "mip6conf: mip6topo down %s: %s", t->id,
			    out != NULL ? out : "failed\n");
		free(out);
	}
	t->up = false;
	free(t->status);
	t->status = NULL;
}

void
topo_run_netns(const struct topo_run *t, const char *node, char *buf,
    size_t cap)
{
	snprintf(buf, cap, "/run/netns/m6-%s-%s", t->id, node);
}

/*
 * The status JSON (mip6topo(8), status -j) lists links as
 *   {"name":"link0","kind":"veth","endpoints":[{"node":"tn",
 *    "ifname":"tn0","port":null},...],"pcap":...}
 * and is written by mip6topo in that fixed key order, so a key search
 * inside the link's object is enough; names are [A-Za-z0-9_-].
 */
const char *
topo_status_ifname(const char *json, const char *link, const char *node,
    char *buf, size_t cap)
{
	char key[128];
	const char *l, *end, *e, *q;

	if (json == NULL || (l = strstr(json, "\"links\":[")) == NULL)
		return NULL;
	snprintf(key, sizeof(key), "{\"name\":\"%s\",", link);
	if ((l = strstr(l, key)) == NULL)
		return NULL;
	if ((end = strstr(l, "]")) == NULL)	/* end of its endpoints */
		return NULL;
	snprintf(key, sizeof(key), "{\"node\":\"%s\",\"ifname\":\"", node);
	if ((e = strstr(l, key)) == NULL || e > end)
		return NULL;
	e += strlen(key);
	if ((q = strchr(e, '"')) == NULL || (size_t)(q - e) >= cap ||
	    q == e)
		return NULL;
	memcpy(buf, e, (size_t)(q - e));
	buf[q - e] = '\0';
	return buf;
}

const char *
topo_run_ifname(const struct topo_run *t, const char *link, const char *node,
    char *buf, size_t cap)
{
	return topo_status_ifname(t->status, link, node, buf, cap);
}
