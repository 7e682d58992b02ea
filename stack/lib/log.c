/*
 * stack/lib/log.c - see log.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stack/lib/log.h"

static bool log_stderr;
static int log_verbose;
static const char *log_ident = "mip6kit";

void
log_init(const char *ident, bool foreground, int verbose)
{
	log_ident = ident;
	log_stderr = foreground;
	log_verbose = verbose;
	if (!foreground)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_vmsg(int prio, const char *fmt, va_list ap)
{
	if (prio == LOG_DEBUG && log_verbose < 1)
		return;
	if (!log_stderr) {
		vsyslog(prio, fmt, ap);
		return;
	}
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %s: ", when, ts.tv_nsec / 1000000,
	    log_ident);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void
log_rl(struct log_rl *rl, uint64_t now_ms, int prio, const char *fmt, ...)
{
	va_list ap;

	if (!ratelim_take(&rl->bucket, now_ms)) {
		rl->suppressed++;
		return;
	}
	if (rl->suppressed > 0) {
		log_msg(prio, "(%llu similar messages suppressed)",
		    (unsigned long long)rl->suppressed);
		rl->suppressed = 0;
	}
	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

uint64_t
boottime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
