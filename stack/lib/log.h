/*
 * stack/lib/log.h - daemon logging: syslog, or stderr with a timestamp in
 * the foreground (-d); a token bucket for messages an attacker can
 * trigger (malformed packets), so a flood cannot fill the disk.
 */
#ifndef MIP6_LOG_H
#define MIP6_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include "stack/lib/ratelim.h"

void	log_init(const char *ident, bool foreground, int verbose);
void	log_msg(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_vmsg(int prio, const char *fmt, va_list);

/* At most `burst` messages, refilled at `per_sec` (a ratelim.h token
   bucket); suppressed ones are counted and reported with the next
   message that passes. */
struct log_rl {
	struct ratelim	bucket;
	uint64_t	suppressed;
};
#define LOG_RL_INIT(rate, burst) { RATELIM_INIT(rate, burst), 0 }
void	log_rl(struct log_rl *, uint64_t now_ms, int prio, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));

/* Milliseconds of CLOCK_BOOTTIME (the stack's clock). */
uint64_t boottime_ms(void);

#endif
