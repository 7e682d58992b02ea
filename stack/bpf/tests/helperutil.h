/*
 * stack/bpf/tests/helperutil.h - what the shell tests' helper programs
 * (plane_helper, ro_helper) share: dying with a message, parsing an
 * address.  Header-only.
 */
#ifndef MIP6_HELPERUTIL_H
#define MIP6_HELPERUTIL_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* "program: message" on stderr, exit 1. */
static inline void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static inline struct in6_addr
addr(const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		die("%s: not an IPv6 address", s);
	return a;
}

#endif
