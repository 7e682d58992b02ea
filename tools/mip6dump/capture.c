/*
 * capture.c - where mip6dump's frames come from: a pcap or pcapng file
 * (pcap_open_offline reads both) or a live interface, with an optional BPF
 * filter.  Every failure is one line on stderr naming the file or the
 * interface and the cause.
 *
 * Files are filtered here, frame by frame (pcap_offline_filter), so that
 * packet numbers stay those of the file, as tshark's frame.number; a live
 * capture is filtered in the kernel and numbered as captured.
 */
#include <string.h>

#include "mip6dump.h"

/* libpcap spells DLT_RAW 12 (14 on OpenBSD); files say LINKTYPE_RAW 101. */
static const struct {
	int		dlt;
	enum pkt_link	link;
} dlt_links[] = {
	{ DLT_EN10MB, PKT_LINK_ETHER },
	{ 12, PKT_LINK_RAW },
	{ 14, PKT_LINK_RAW },
	{ 101, PKT_LINK_RAW },
	{ DLT_IPV4, PKT_LINK_IPV4 },
	{ DLT_IPV6, PKT_LINK_IPV6 },
	{ DLT_LINUX_SLL, PKT_LINK_LINUX_SLL },
	{ DLT_NULL, PKT_LINK_NULL },
};

int
link_from_dlt(int dlt, enum pkt_link *link)
{
	size_t i;

	for (i = 0; i < sizeof(dlt_links) / sizeof(dlt_links[0]); i++)
		if (dlt_links[i].dlt == dlt) {
			*link = dlt_links[i].link;
			return 0;
		}
	return -1;
}

static int
open_file(struct capture *c, const char *file)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	size_t n = strlen(file);

	c->name = file;
	c->pc = pcap_open_offline_with_tstamp_precision(file,
	    PCAP_TSTAMP_PRECISION_MICRO, err);
	if (c->pc != NULL)
		return 0;
	/* libpcap names the file in some messages and not in others. */
	if (strncmp(err, file, n) == 0 && err[n] == ':')
		fprintf(stderr, "mip6dump: %s\n", err);
	else
		fprintf(stderr, "mip6dump: %s: %s\n", file, err);
	return -1;
}

static const char *
activate_error(pcap_t *pc, int rc)
{
	switch (rc) {
	case PCAP_ERROR_PERM_DENIED:
		return "permission denied (live capture needs root or "
		    "CAP_NET_RAW)";
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return "no such interface";
	case PCAP_ERROR_IFACE_NOT_UP:
		return "interface is not up";
	case PCAP_ERROR:
		return pcap_geterr(pc);
	default:
		return pcap_statustostr(rc);
	}
}

static int
open_live(struct capture *c, const char *iface)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	int rc;

	c->name = iface;
	c->live = true;
	if ((c->pc = pcap_create(iface, err)) == NULL) {
		fprintf(stderr, "mip6dump: %s: %s\n", iface, err);
		return -1;
	}
	pcap_set_snaplen(c->pc, MIP6DUMP_SNAPLEN);
	pcap_set_promisc(c->pc, 1);
	pcap_set_timeout(c->pc, 100);
	pcap_set_immediate_mode(c->pc, 1);
	rc = pcap_activate(c->pc);
	if (rc < 0) {
		fprintf(stderr, "mip6dump: %s: %s\n", iface,
		    activate_error(c->pc, rc));
		return -1;
	}
	if (rc > 0)
		fprintf(stderr, "mip6dump: %s: warning: %s\n", iface,
		    activate_error(c->pc, rc));
	return 0;
}

static int
check_link(struct capture *c)
{
	int dlt = pcap_datalink(c->pc);
	const char *name = pcap_datalink_val_to_name(dlt);

	if (link_from_dlt(dlt, &c->link) == 0)
		return 0;
	fprintf(stderr, "mip6dump: %s: unsupported link type %d (%s)\n",
	    c->name, dlt, name != NULL ? name : "unknown");
	return -1;
}

static int
set_filter(struct capture *c, const char *expr)
{
	if (pcap_compile(c->pc, &c->prog, expr, 1,
	    PCAP_NETMASK_UNKNOWN) != 0) {
		fprintf(stderr, "mip6dump: bad filter expression '%s': %s\n",
		    expr, pcap_geterr(c->pc));
		return -1;
	}
	c->has_filter = true;
	if (c->live && pcap_setfilter(c->pc, &c->prog) != 0) {
		fprintf(stderr, "mip6dump: %s: cannot set the filter: %s\n",
		    c->name, pcap_geterr(c->pc));
		return -1;
	}
	return 0;
}

int
capture_open(struct capture *c, const struct opts *o)
{
	int rc;

	memset(c, 0, sizeof(*c));
	rc = o->iface != NULL ? open_live(c, o->iface) : open_file(c, o->file);
	if (rc == 0)
		rc = check_link(c);
	if (rc == 0 && o->filter != NULL)
		rc = set_filter(c, o->filter);
	if (rc == 0 && c->live) {
		int dlt = pcap_datalink(c->pc);

		fprintf(stderr, "mip6dump: listening on %s, link-type %s (%s)\n",
		    c->name, pcap_datalink_val_to_name(dlt),
		    pcap_datalink_val_to_description(dlt));
	}
	if (rc != 0)
		capture_close(c);
	return rc;
}

int
capture_next(struct capture *c, struct frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;

	for (;;) {
		switch (pcap_next_ex(c->pc, &h, &data)) {
		case 1:
			break;
		case 0:
			return 2;	/* live: the read timed out */
		case PCAP_ERROR_BREAK:
			return 0;
		default:
			fprintf(stderr, "mip6dump: %s: %s\n", c->name,
			    pcap_geterr(c->pc));
			return -1;
		}
		c->seen++;
		if (c->has_filter && !c->live &&
		    pcap_offline_filter(&c->prog, h, data) == 0)
			continue;
		f->n = c->seen;
		f->sec = h->ts.tv_sec;
		f->usec = (uint32_t)h->ts.tv_usec;
		f->len = h->len;
		f->caplen = h->caplen;
		f->data = data;
		f->link = c->link;
		return 1;
	}
}

void
capture_break(struct capture *c)
{
	if (c->pc != NULL)
		pcap_breakloop(c->pc);
}

void
capture_close(struct capture *c)
{
	if (c->has_filter)
		pcap_freecode(&c->prog);
	if (c->pc != NULL)
		pcap_close(c->pc);
	c->pc = NULL;
	c->has_filter = false;
}
