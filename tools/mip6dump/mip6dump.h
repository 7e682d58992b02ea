/*
 * mip6dump.h - what the modules of the capture decoder share: the command
 * line options, one captured frame, the run's counters, and the capture
 * (capture.c), selection (classify.c) and per-packet output (print.c)
 * interfaces.  The ladder has its own header (ladder.h).
 */
#ifndef MIP6DUMP_H
#define MIP6DUMP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "packets/pkt.h"

struct out;

#define MIP6DUMP_SNAPLEN	262144
#define LADDER_DEFAULT_MAX	1024
#define ESP_SA_MAX		16	/* --esp-sa given */

struct opts {
	const char	*file;		/* -r FILE or the first operand */
	const char	*iface;		/* -i IFACE */
	char		*filter;	/* the remaining operands, joined */
	uint64_t	 count;		/* -c COUNT; 0: no limit */
	size_t		 max_bindings;	/* --max-bindings */
	unsigned	 threads;	/* -T; 0: one per CPU */
	bool		 all;		/* -a */
	bool		 json;		/* -j */
	bool		 verbose;	/* -v */
	bool		 check;		/* --check */
	bool		 ladder;	/* --ladder */
	/* --esp-sa: ESP opened with these (pkt_decode_keys); none: the
	   decoder never opens ESP, as before */
	struct esp_sa	 esp_sa[ESP_SA_MAX];
	struct pkt_esp_keys esp_keys;
};

/* One frame as the loop hands it on. */
struct frame {
	uint64_t	 n;		/* from 1, in file (capture) order */
	int64_t		 sec;
	uint32_t	 usec;
	uint32_t	 len;		/* on the wire */
	uint32_t	 caplen;
	const uint8_t	*data;
	enum pkt_link	 link;
};

struct stats {
	uint64_t	 packets;	/* frames decoded */
	uint64_t	 mobility;	/* of which mobility packets */
	uint64_t	 with_viol;	/* of which with any violation */
	uint64_t	 faults;	/* violations of severity error/warning */
};

/*
 * capture.c: a pcap/pcapng file or a live interface.  A classic pcap file
 * is read in place from a memory mapping while its records are ones
 * libpcap would hand on verbatim (same frames, same numbers, same time
 * stamps): no copy, no read(2) per buffer, frames that stay valid until
 * the capture is closed.
 */
struct capture {
	pcap_t		*pc;
	enum pkt_link	 link;
	bool		 live;
	bool		 has_filter;	/* files: filtered here, by frame */
	struct bpf_program prog;
	uint64_t	 seen;		/* frames read, for numbering */
	const char	*name;		/* file or interface, for messages */
	/* the mapped file; frames come from it while map_active */
	const uint8_t	*map;
	size_t		 map_len;
	size_t		 map_off;	/* the next record */
	uint32_t	 map_snap;	/* libpcap's snapshot length */
	bool		 map_active;
	bool		 map_swapped;	/* written in the other byte order */
	bool		 map_nsec;	/* nanosecond time stamps */
	volatile sig_atomic_t map_break; /* capture_break() was called */
};

/* Each returns 0, or prints a one-line message and returns -1. */
int	capture_open(struct capture *, const struct opts *);
/*
 * 1: a frame; 0: end of file (or interrupted); 2: nothing yet (a live
 * read timed out); -1: error (printed).
 */
int	capture_next(struct capture *, struct frame *);
/*
 * The frame capture_next() returned last stays valid until
 * capture_close() (otherwise only until the next call).
 */
bool	capture_frames_stable(const struct capture *);
void	capture_break(struct capture *);
void	capture_close(struct capture *);
/* DLT_* to the decoder's link type; -1 when not supported. */
int	link_from_dlt(int dlt, enum pkt_link *);

/* classify.c: is this one of the packets mip6dump prints by default? */
bool	is_mobility(const struct pkt *);

/* print.c: the per-packet output. */
struct print_ctx {
	const struct opts	*opts;
	const struct frame	*f;
	const struct pkt	*p;
	bool			 mobility;
};
/* The packet in the selected format (text, -v or -j), violations too. */
void	print_packet(struct out *, const struct print_ctx *);
/* Only the violations (text lines or a JSON object): --ladder --check. */
void	print_violations(struct out *, const struct print_ctx *);
/* "N packets, M mobility packets, K with violations" (stderr). */
void	print_summary(const struct stats *);

struct ladder;
/*
 * mip6dump.c: decode one frame into `p`, count it in `st`, and print it (or
 * feed the ladder) to `out`: the same steps whether the frame is handled
 * in the main loop or by a worker thread.
 */
void	frame_process(const struct opts *, struct pkt *, struct stats *,
	    struct ladder *, const struct frame *, struct out *);

/*
 * parallel.c: decode and print a capture file with `threads` threads,
 * output in file order.  Only for files and without --ladder (the ladder
 * follows bindings across packets).  Returns 0 at the end of the file and
 * -1 on a read error (printed).
 */
int	run_parallel(struct capture *, const struct opts *, unsigned threads,
	    struct out *, struct stats *);

#endif
