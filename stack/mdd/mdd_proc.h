/*
 * stack/mdd/mdd_proc.h - the two processes of mdd: the privileged parent
 * (mdd.c: rtnetlink, sysctls, RS, bus, control socket, md_core) and the
 * unprivileged reader (mdd_reader.c: reads and decodes Router
 * Advertisements), and the privsep messages between them
 * (stack/lib/privsep.h framing, mdd's own type numbers).
 */
#ifndef MIP6_MDD_PROC_H
#define MIP6_MDD_PROC_H

#include <pwd.h>
#include <stdint.h>

enum mdd_ps_type {
	/* parent -> reader */
	MDD_PS_RAW_SOCK = 1,	/* no payload; fd = the raw ICMPv6 socket */
	/* reader -> parent */
	MDD_PS_RA = 64,		/* struct md_ra, exactly */
	MDD_PS_STATS = 65	/* struct mdd_reader_stats, exactly */
};

/* MDD_PS_STATS: the reader's counters, uint64_t[MRS_MAX]. */
enum mdd_reader_counter {
	MRS_RECEIVED,		/* ICMPv6 messages read */
	MRS_ACCEPTED,		/* valid RAs summarised */
	MRS_MALFORMED,		/* RAs dropped (RFC 4861 §6.1.2) */
	MRS_NOT_RA,		/* other types (before the filter) */
	MRS_TO_PARENT_DROPPED,	/* summaries the parent had no room for */
	MRS_MAX
};
const char *mdd_reader_counter_name(unsigned);

/*
 * The reader (proc_fork_child's child): drops to pw, takes the raw
 * ICMPv6 socket the parent passes (MDD_PS_RAW_SOCK), reads it and sends
 * summaries over `sock` until the parent goes away.  Never returns.
 */
void	mdd_reader_main(int sock, const struct passwd *pw)
	    __attribute__((noreturn));

#endif
