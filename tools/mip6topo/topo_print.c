/*
 * topo_print.c - the normalised form of a topology (mip6topo -n): one
 * statement per line, in a fixed order (nodes, links, MACs, addresses,
 * routes, sysctls, NAT, captures, daemons), defaults written out
 * (NODE:IFNAME on every endpoint, "*" sysctls expanded), addresses in
 * RFC 5952 form.  The output parses back to the same model, which the
 * tests check by normalising twice.
 */
#include <string.h>

#include "topo.h"

/* A run word, quoted when the lexer would otherwise split or drop it. */
static void
print_word(FILE *out, const char *w)
{
	if (w[0] != '\0' && w[0] != '#' && strpbrk(w, " \t\"'\\") == NULL) {
		fputs(w, out);
		return;
	}
	fputc('"', out);
	for (; *w != '\0'; w++) {
		if (*w == '"' || *w == '\\')
			fputc('\\', out);
		fputc(*w, out);
	}
	fputc('"', out);
}

static void
print_links(const struct topo *t, FILE *out)
{
	for (int i = 0; i < t->nlinks; i++) {
		const struct topo_link *l = &t->link[i];

		fprintf(out, "link %s", l->name);
		for (int j = 0; j < l->nep; j++) {
			const struct topo_ep *e = &l->ep[j];

			if (e->kind == EP_HOST)
				fprintf(out, " host:%s", e->ifname);
			else
				fprintf(out, " %s:%s", t->node[e->node].name,
				    e->ifname);
		}
		fprintf(out, "\t# %s\n", topo_link_kind_name(l->kind));
	}
	for (int i = 0; i < t->nlinks; i++)
		for (int j = 0; j < t->link[i].nep; j++) {
			const struct topo_ep *e = &t->link[i].ep[j];
			char mac[18];

			if (!e->has_mac)
				continue;
			topo_mac_fmt(e->mac, mac);
			fprintf(out, "mac %s %s %s\n", t->node[e->node].name,
			    e->ifname, mac);
		}
}

static void
print_routes(const struct topo *t, FILE *out)
{
	char a[64];

	for (int i = 0; i < t->nroutes; i++) {
		const struct topo_route *r = &t->route[i];

		fprintf(out, "route %s ", t->node[r->node].name);
		if (r->is_default)
			fputs("default", out);
		else
			fprintf(out, "%s/%d", topo_ip_fmt(&r->dst, a,
			    sizeof(a)), r->plen);
		if (r->has_gw)
			fprintf(out, " via %s", topo_ip_fmt(&r->gw, a,
			    sizeof(a)));
		if (r->dev[0] != '\0')
			fprintf(out, " dev %s", r->dev);
		if (r->has_metric)
			fprintf(out, " metric %u", r->metric);
		fputc('\n', out);
	}
}

static void
print_captures(const struct topo *t, FILE *out)
{
	bool any = false;

	if (t->capture_all) {
		fputs("capture all\n", out);
		return;
	}
	for (int i = 0; i < t->nlinks; i++) {
		if (!t->link[i].capture)
			continue;
		fprintf(out, "%s %s", any ? "" : "capture", t->link[i].name);
		any = true;
	}
	if (any)
		fputc('\n', out);
}

void
topo_print(const struct topo *t, FILE *out)
{
	char a[64];

	if (t->name[0] != '\0')
		fprintf(out, "topology %s\n", t->name);
	for (int i = 0; i < t->nnodes; i++)
		fprintf(out, "node %s\n", t->node[i].name);
	print_links(t, out);
	for (int i = 0; i < t->naddrs; i++) {
		const struct topo_addr *ad = &t->addr[i];

		fprintf(out, "addr %s %s %s/%d%s\n", t->node[ad->node].name,
		    ad->ifname, topo_ip_fmt(&ad->ip, a, sizeof(a)), ad->plen,
		    ad->nodad ? " nodad" : "");
	}
	print_routes(t, out);
	for (int i = 0; i < t->nsysctls; i++)
		fprintf(out, "sysctl %s %s=%s\n",
		    t->node[t->sysctl[i].node].name, t->sysctl[i].key,
		    t->sysctl[i].val);
	for (int i = 0; i < t->nnats; i++)
		fprintf(out, "nat %s masquerade %s\n",
		    t->node[t->nat[i].node].name, t->nat[i].ifname);
	print_captures(t, out);
	for (int i = 0; i < t->nruns; i++) {
		fprintf(out, "run %s --", t->node[t->run[i].node].name);
		for (int j = 0; j < t->run[i].argc; j++) {
			fputc(' ', out);
			print_word(out, t->run[i].argv[j]);
		}
		fputc('\n', out);
	}
}
