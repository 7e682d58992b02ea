/*
 * status.c - `mip6topo status`: what each recorded run holds and whether
 * it is still there, as text for people or JSON (-j) for programs; tests
 * read the JSON, never the text.
 *
 * Everything comes from the record, checked against the system
 * (namespaces present, processes alive), so status needs no topology
 * file and also describes a half-built run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mip6topo.h"
#include "netns.h"
#include "packets/sbuf.h"
#include "proc.h"
#include "state.h"
#include "topo.h"

#define JSON_CAP	(1 << 20)
#define MAX_RUNS	1024

static const char *
word(const struct rec *r, int i)
{
	return i < r->argc ? r->argv[i] : "";
}

static bool
is(const struct rec *r, const char *kind)
{
	return strcmp(r->argv[0], kind) == 0;
}

static const char *
run_state(const char *id, const struct record *rec)
{
	if (state_find(rec, "ready") != NULL)
		return "up";
	return state_busy(id) ? "starting" : "incomplete";
}

static bool
rec_alive(const struct rec *r, int pid_word)
{
	struct proc_id p;

	p.pid = (pid_t)atoi(word(r, pid_word));
	p.start = strtoull(word(r, pid_word + 1), NULL, 10);
	return proc_alive(&p);
}

static void
jw_opt_str(struct jw *j, const char *key, const char *val)
{
	if (val[0] == '\0')
		jw_null(j, key);
	else
		jw_str(j, key, val);
}

static void
json_nodes(struct jw *j, const struct record *rec)
{
	const struct rec *sw = NULL;

	jw_arr_open(j, "nodes");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (!is(r, "netns"))
			continue;
		if (strcmp(word(r, 1), TOPO_SWITCH) == 0) {
			sw = r;
			continue;
		}
		jw_obj_open(j, NULL);
		jw_str(j, "name", word(r, 1));
		jw_str(j, "netns", word(r, 2));
		jw_bool(j, "present", netns_exists(word(r, 2)));
		jw_obj_close(j);
	}
	jw_arr_close(j);
	if (sw == NULL) {
		jw_null(j, "switch");
		return;
	}
	jw_obj_open(j, "switch");
	jw_str(j, "netns", word(sw, 2));
	jw_bool(j, "present", netns_exists(word(sw, 2)));
	jw_obj_close(j);
}

static void
json_endpoints(struct jw *j, const struct record *rec, const char *link)
{
	jw_arr_open(j, "endpoints");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (strcmp(word(r, 1), link) != 0)
			continue;
		if (is(r, "ep")) {
			jw_obj_open(j, NULL);
			jw_str(j, "node", word(r, 2));
			jw_str(j, "ifname", word(r, 3));
			jw_opt_str(j, "port", word(r, 4));
			jw_obj_close(j);
		} else if (is(r, "hostif")) {
			jw_obj_open(j, NULL);
			jw_str(j, "host", word(r, 4));
			jw_str(j, "netns", word(r, 2));
			jw_str(j, "ifname", word(r, 3));
			jw_obj_close(j);
		}
	}
	jw_arr_close(j);
}

static void
json_links(struct jw *j, const struct record *rec)
{
	jw_arr_open(j, "links");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i], *pc = NULL;

		if (!is(r, "link"))
			continue;
		jw_obj_open(j, NULL);
		jw_str(j, "name", word(r, 1));
		jw_str(j, "kind", word(r, 2));
		if (strcmp(word(r, 2), "bridge") == 0) {
			jw_str(j, "netns", word(r, 3));
			jw_str(j, "bridge", word(r, 4));
		}
		json_endpoints(j, rec, word(r, 1));
		for (int k = 0; k < rec->n; k++)
			if (is(&rec->rec[k], "pcap") &&
			    strcmp(word(&rec->rec[k], 1), word(r, 1)) == 0)
				pc = &rec->rec[k];
		if (pc != NULL)
			jw_str(j, "pcap", word(pc, 2));
		else
			jw_null(j, "pcap");
		jw_obj_close(j);
	}
	jw_arr_close(j);
}

static void
json_config(struct jw *j, const struct record *rec)
{
	jw_arr_open(j, "addrs");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (!is(r, "addr"))
			continue;
		jw_obj_open(j, NULL);
		jw_str(j, "node", word(r, 1));
		jw_str(j, "ifname", word(r, 2));
		jw_str(j, "addr", word(r, 3));
		jw_bool(j, "nodad", strcmp(word(r, 4), "nodad") == 0);
		jw_obj_close(j);
	}
	jw_arr_close(j);
	jw_arr_open(j, "routes");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (!is(r, "route"))
			continue;
		jw_obj_open(j, NULL);
		jw_str(j, "node", word(r, 1));
		jw_str(j, "dst", word(r, 2));
		jw_opt_str(j, "via", word(r, 3));
		jw_opt_str(j, "dev", word(r, 4));
		if (word(r, 5)[0] != '\0')
			jw_uint(j, "metric", strtoull(word(r, 5), NULL, 10));
		else
			jw_null(j, "metric");
		jw_obj_close(j);
	}
	jw_arr_close(j);
	jw_arr_open(j, "sysctls");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (!is(r, "sysctl"))
			continue;
		jw_obj_open(j, NULL);
		jw_str(j, "node", word(r, 1));
		jw_str(j, "key", word(r, 2));
		jw_str(j, "value", word(r, 3));
		jw_obj_close(j);
	}
	jw_arr_close(j);
	jw_arr_open(j, "nats");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (!is(r, "nat"))
			continue;
		jw_obj_open(j, NULL);
		jw_str(j, "node", word(r, 1));
		jw_str(j, "ifname", word(r, 2));
		jw_str(j, "kind", "masquerade");
		jw_obj_close(j);
	}
	jw_arr_close(j);
}

static void
json_processes(struct jw *j, const struct record *rec)
{
	jw_arr_open(j, "processes");
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (is(r, "capture")) {
			jw_obj_open(j, NULL);
			jw_str(j, "kind", "capture");
			jw_int(j, "pid", atoi(word(r, 1)));
			jw_bool(j, "alive", rec_alive(r, 1));
			jw_obj_close(j);
		} else if (is(r, "proc")) {
			jw_obj_open(j, NULL);
			jw_str(j, "kind", "run");
			jw_str(j, "node", word(r, 1));
			jw_int(j, "pid", atoi(word(r, 2)));
			jw_bool(j, "alive", rec_alive(r, 2));
			jw_str(j, "log", word(r, 4));
			jw_int(j, "line", atoi(word(r, 5)));
			jw_str(j, "argv0", word(r, 6));
			jw_obj_close(j);
		}
	}
	jw_arr_close(j);
}

static void
json_run(struct jw *j, const char *id, const struct record *rec)
{
	const struct rec *run = state_find(rec, "run");
	char dir[PATH_MAX];

	state_run_dir(id, dir, sizeof(dir));
	jw_obj_open(j, NULL);
	jw_str(j, "id", id);
	jw_str(j, "state", run_state(id, rec));
	jw_str(j, "dir", dir);
	if (run != NULL) {
		jw_int(j, "pid", atoi(word(run, 2)));
		jw_str(j, "file", word(run, 3));
		jw_str(j, "outdir", word(run, 4));
		jw_opt_str(j, "topology", word(run, 5));
	}
	json_nodes(j, rec);
	json_links(j, rec);
	json_config(j, rec);
	json_processes(j, rec);
	jw_obj_close(j);
}

static void
text_run(FILE *out, const char *id, const struct record *rec, bool detail)
{
	const struct rec *run = state_find(rec, "run");
	int nodes = 0, links = 0, procs = 0, alive = 0;

	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		nodes += is(r, "netns") && strcmp(word(r, 1), TOPO_SWITCH);
		links += is(r, "link");
		if (is(r, "proc")) {
			procs++;
			alive += rec_alive(r, 2);
		}
	}
	fprintf(out, "%-12s %-10s nodes %-3d links %-3d daemons %d/%d  %s\n",
	    id, run_state(id, rec), nodes, links, alive, procs,
	    run != NULL ? word(run, 3) : "");
	if (!detail)
		return;
	for (int i = 0; i < rec->n; i++) {
		const struct rec *r = &rec->rec[i];

		if (is(r, "netns"))
			fprintf(out, "  netns  %-10s %s%s\n", word(r, 1),
			    word(r, 2), netns_exists(word(r, 2)) ? "" :
			    " (gone)");
		else if (is(r, "link"))
			fprintf(out, "  link   %-10s %s\n", word(r, 1),
			    word(r, 2));
		else if (is(r, "ep"))
			fprintf(out, "    %s:%s%s%s\n", word(r, 2), word(r, 3),
			    word(r, 4)[0] != '\0' ? " port " : "", word(r, 4));
		else if (is(r, "hostif"))
			fprintf(out, "    host:%s now %s in %s\n", word(r, 4),
			    word(r, 3), word(r, 2));
		else if (is(r, "pcap"))
			fprintf(out, "  pcap   %-10s %s\n", word(r, 1),
			    word(r, 2));
		else if (is(r, "proc"))
			fprintf(out, "  run    %-10s pid %s %s %s (log %s)\n",
			    word(r, 1), word(r, 2), word(r, 6),
			    rec_alive(r, 2) ? "alive" : "exited", word(r, 4));
	}
}

int
topo_status(const char *id, bool json, FILE *out, char *err)
{
	char (*ids)[STATE_IDLEN] = calloc(MAX_RUNS, STATE_IDLEN);
	char *buf = json ? malloc(JSON_CAP) : NULL;
	struct sbuf sb;
	struct jw j;
	int n = 0, rc = 0;

	if (ids == NULL || (json && buf == NULL)) {
		free(ids);
		free(buf);
		return errf(err, "out of memory");
	}
	if (id != NULL) {
		if (!topo_id_ok(id))
			rc = errf(err, "bad run id '%s'", id);
		snprintf(ids[n++], STATE_IDLEN, "%s", id);
	} else
		rc = state_list(ids, MAX_RUNS, &n, err);
	if (rc == 0 && json) {
		sbuf_init(&sb, buf, JSON_CAP);
		jw_init(&j, &sb);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "runs");
	}
	for (int i = 0; i < n && rc == 0; i++) {
		struct record rec;

		if (state_load(ids[i], &rec, err) < 0) {
			if (id != NULL)
				rc = -1;
			continue;
		}
		if (json)
			json_run(&j, ids[i], &rec);
		else
			text_run(out, ids[i], &rec, id != NULL);
		state_free(&rec);
	}
	if (rc == 0 && json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
		if (sb.trunc)
			rc = errf(err, "status: more than %d bytes of JSON",
			    JSON_CAP);
		else
			fprintf(out, "%s\n", sbuf_str(&sb));
	}
	free(ids);
	free(buf);
	return rc;
}
