/*
 * capture.c - where mip6dump's frames come from: a pcap or pcapng file
 * (pcap_open_offline reads both) or a live interface, with an optional BPF
 * filter.  Every failure is one line on stderr naming the file or the
 * interface and the cause.
 *
 * Files are filtered here, frame by frame (pcap_offline_filter), so that
 * packet numbers stay those of the file, as tshark's frame.number; a live
 * capture is filtered in the kernel and numbered as captured.
 *
 * A classic pcap file is read from a memory mapping (map_*) as long as
 * its records are ones libpcap hands on verbatim: libpcap still opens the
 * file, checks it and compiles the filter, but the frames are taken in
 * place, which at millions of frames per second saves a copy and most of
 * the cost of reading.  Files libpcap would adjust (pcapng, other
 * versions and magic numbers, the Linux cooked header it byte-swaps) are
 * left to it from the start; at the first record it would adjust or
 * refuse (longer than the snapshot length, cut short by the end of the
 * file) the rest is handed to it (map_hand_over), so the frames, and the
 * messages about a damaged file, never depend on the path.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip6dump.h"

/* The classic format (pcap-savefile(5)): file header, record header. */
#define PCAP_FILE_HDR	24
#define PCAP_REC_HDR	16
#define PCAP_MAGIC_USEC	0xa1b2c3d4u
#define PCAP_MAGIC_NSEC	0xa1b23c4du

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

static uint32_t
get32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap32(v) : v;
}

static uint16_t
get16(const uint8_t *p, bool swapped)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap16(v) : v;
}

/* Version 2.4, micro- or nanosecond magic, in either byte order. */
static bool
header_plain(struct capture *c, const uint8_t *m)
{
	uint32_t magic = get32(m, false);

	c->map_swapped = magic == __builtin_bswap32(PCAP_MAGIC_USEC) ||
	    magic == __builtin_bswap32(PCAP_MAGIC_NSEC);
	magic = get32(m, c->map_swapped);
	c->map_nsec = magic == PCAP_MAGIC_NSEC;
	return (magic == PCAP_MAGIC_USEC || magic == PCAP_MAGIC_NSEC) &&
	    get16(m + 4, c->map_swapped) == 2 &&
	    get16(m + 6, c->map_swapped) == 4;
}

/* Map the file when it is in the format libpcap reads verbatim. */
static void
try_map(struct capture *c, const char *file)
{
	struct stat st;
	void *m;
	int fd;

	if (strcmp(file, "-") == 0 || c->link == PKT_LINK_LINUX_SLL)
		return;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < PCAP_FILE_HDR || (uintmax_t)st.st_size > SIZE_MAX) {
		close(fd);
		return;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	if (!header_plain(c, m)) {
		munmap(m, (size_t)st.st_size);
		return;
	}
	madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
	c->map = m;
	c->map_len = (size_t)st.st_size;
	c->map_off = PCAP_FILE_HDR;
	c->map_snap = (uint32_t)pcap_snapshot(c->pc);
	c->map_active = true;
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
	if (rc == 0 && !c->live)
		try_map(c, o->file);
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

/*
 * The time stamp libpcap (1.10) gives: the record's fields are signed
 * 32-bit numbers in the file's byte order, but unsigned once byte-swapped
 * (its SWAPLONG); nanoseconds are scaled down by an integer division.
 */
static void
map_ts(const struct capture *c, const uint8_t *r, struct timeval *tv)
{
	uint32_t sec = get32(r, c->map_swapped);
	uint32_t frac = get32(r + 4, c->map_swapped);

	if (c->map_swapped) {
		tv->tv_sec = (time_t)sec;
		tv->tv_usec = (suseconds_t)(c->map_nsec ? frac / 1000 : frac);
	} else {
		tv->tv_sec = (int32_t)sec;
		tv->tv_usec = c->map_nsec ? (int32_t)frac / 1000 :
		    (int32_t)frac;
	}
}

/*
 * A record libpcap reads verbatim: complete, no longer than the snapshot
 * length (sf-pcap.c, pcap_next_packet).
 */
static bool
map_record_verbatim(const struct capture *c, uint32_t *caplen)
{
	size_t left = c->map_len - c->map_off;

	if (left < PCAP_REC_HDR)
		return false;
	*caplen = get32(c->map + c->map_off + 8, c->map_swapped);
	return *caplen <= c->map_snap && left - PCAP_REC_HDR >= *caplen;
}

/*
 * From here on libpcap reads: it goes over the records the mapping gave
 * (they were read verbatim, so it reads them alike) and then on as it
 * would have from the start.  The mapping stays until capture_close():
 * frames handed out may still be in use.  -1 on a read error (printed).
 */
static int
map_hand_over(struct capture *c)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t i;

	c->map_active = false;
	for (i = 0; i < c->seen; i++)
		if (pcap_next_ex(c->pc, &h, &data) != 1) {
			fprintf(stderr, "mip6dump: %s: %s\n", c->name,
			    pcap_geterr(c->pc));
			return -1;
		}
	return 0;
}

/*
 * The next record of the mapping, as pcap_next_ex() would give it; 3
 * when the next record is one for libpcap.
 */
static int
map_next(struct capture *c, struct frame *f)
{
	struct pcap_pkthdr h;
	const uint8_t *r;

	for (;;) {
		if (c->map_break || c->map_off == c->map_len)
			return 0;
		if (!map_record_verbatim(c, &h.caplen))
			return 3;
		r = c->map + c->map_off;
		map_ts(c, r, &h.ts);
		h.len = get32(r + 12, c->map_swapped);
		c->map_off += PCAP_REC_HDR + (size_t)h.caplen;
		c->seen++;
		if (c->has_filter &&
		    pcap_offline_filter(&c->prog, &h, r + PCAP_REC_HDR) == 0)
			continue;
		f->n = c->seen;
		f->sec = h.ts.tv_sec;
		f->usec = (uint32_t)h.ts.tv_usec;
		f->len = h.len;
		f->caplen = h.caplen;
		f->data = r + PCAP_REC_HDR;
		f->link = c->link;
		return 1;
	}
}

bool
capture_frames_stable(const struct capture *c)
{
	return c->map_active;
}

int
capture_next(struct capture *c, struct frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *data;

	int rc;

	if (c->map_active) {
		if ((rc = map_next(c, f)) != 3)
			return rc;
		if (map_hand_over(c) != 0)
			return -1;
	}
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
	c->map_break = 1;
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
	if (c->map != NULL)
		munmap((void *)(uintptr_t)c->map, c->map_len);
	c->pc = NULL;
	c->map = NULL;
	c->map_active = false;
	c->has_filter = false;
}
