/*
 * fastpath_test.c - the printers' and the checksum's fast paths give the
 * bytes of the plain definitions.
 *
 * The text and JSON writers check the room once per member and write
 * through a pointer, and fall back to piece-by-piece writes that cut at
 * the exact end of the buffer: whatever the buffer size, every printer's
 * output must be the prefix of its whole text that fits, with `trunc` set
 * exactly when something was cut, and nothing written past the buffer.
 * Numbers are compared with printf, the names printed unescaped with the
 * JSON rules, the checksum with a 16-bit RFC 1071 sum.
 */
#include <atf-c.h>
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packets/cksum.h"
#include "packets/icmp6.h"
#include "packets/mh.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"
#include "packets/viol.h"
#include "testutil.h"

#define CANARY		64	/* bytes after the buffer that must stay */
#define FULL_MAX	(1 << 16)

/* ------------------------------------------------------ cut at any size */

enum printer { P_SHORT, P_VERBOSE, P_VIOLS, P_JSON_BRIEF, P_JSON_FULL,
    P_VIOL_JSON, P_NPRINTERS };

static const char *const printer_names[P_NPRINTERS] = {
	"short", "verbose", "violations", "json brief", "json", "viol_json",
};

static void
print_with(struct sbuf *sb, const struct pkt *p, enum printer pr)
{
	struct jw jw;
	size_t i;

	switch (pr) {
	case P_SHORT:
		pkt_print_short(sb, p);
		break;
	case P_VERBOSE:
		pkt_print_verbose(sb, p);
		break;
	case P_VIOLS:
		pkt_print_violations(sb, p);
		break;
	case P_JSON_BRIEF:
	case P_JSON_FULL:
		jw_init(&jw, sb);
		jw.brief = pr == P_JSON_BRIEF;
		pkt_print_json(&jw, p);
		break;
	default:
		jw_init(&jw, sb);
		jw_arr_open(&jw, NULL);
		for (i = 0; i < p->viol.n; i++)
			viol_json(&jw, &p->viol.v[i]);
		jw_arr_close(&jw);
	}
}

/* Buffer sizes to try: every small one, then a spread, then the edge. */
static size_t
next_cap(size_t cap, size_t full)
{
	if (cap < 80 || cap + 3 >= full)
		return cap + 1;
	return cap + 7 < full - 2 ? cap + 7 : full - 2;
}

static void
check_cut(const struct pkt *p, enum printer pr, const char *what)
{
	static char full[FULL_MAX];
	struct sbuf sb;
	size_t n, cap, want, i;
	char *buf;

	sbuf_init(&sb, full, sizeof(full));
	print_with(&sb, p, pr);
	ATF_REQUIRE_MSG(!sb.trunc, "%s %s: longer than the test buffer",
	    what, printer_names[pr]);
	n = sb.len;
	for (cap = 0; cap <= n + 1; cap = next_cap(cap, n)) {
		buf = malloc(cap + CANARY);
		ATF_REQUIRE(buf != NULL);
		memset(buf, 0x5a, cap + CANARY);
		sbuf_init(&sb, buf, cap);
		print_with(&sb, p, pr);
		want = cap == 0 ? 0 : n < cap - 1 ? n : cap - 1;
		ATF_REQUIRE_EQ_MSG(sb.len, want, "%s %s cap %zu: length %zu, "
		    "want %zu", what, printer_names[pr], cap, sb.len, want);
		ATF_REQUIRE_MSG(memcmp(buf, full, want) == 0, "%s %s cap %zu: "
		    "not the prefix of the whole text", what,
		    printer_names[pr], cap);
		if (cap > 0)
			ATF_REQUIRE_MSG(buf[want] == '\0', "%s %s cap %zu: no NUL",
			    what, printer_names[pr], cap);
		/* cut: flagged; nothing to write in no room: either way */
		if (n > 0 || cap > 0)
			ATF_REQUIRE_EQ_MSG(sb.trunc, cap == 0 || n > cap - 1,
			    "%s %s cap %zu: trunc %d", what, printer_names[pr],
			    cap, sb.trunc);
		for (i = cap; i < cap + CANARY; i++)
			ATF_REQUIRE_MSG(buf[i] == 0x5a, "%s %s cap %zu: wrote "
			    "past the buffer at %zu", what, printer_names[pr],
			    cap, i);
		free(buf);
	}
}

static void
check_all_printers(const struct pkt *p, const char *what)
{
	int pr;

	for (pr = 0; pr < P_NPRINTERS; pr++)
		check_cut(p, (enum printer)pr, what);
}

/* A small deterministic generator for the mutations. */
static uint32_t
rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* Decode the bytes as Ethernet and raw IP, whole and mutated. */
static void
check_frame(const uint8_t *data, size_t len, const char *what)
{
	static struct pkt p;
	uint8_t m[PKT_MAX_LEN];
	uint32_t seed = (uint32_t)len * 2654435761u;
	char name[256];
	int i, k;

	pkt_decode(&p, PKT_LINK_ETHER, data, len);
	check_all_printers(&p, what);
	pkt_decode(&p, PKT_LINK_RAW, data, len);
	check_all_printers(&p, what);
	if (len == 0 || len > sizeof(m))
		return;
	for (i = 0; i < 8; i++) {
		memcpy(m, data, len);
		for (k = 0; k < 3; k++)
			m[rnd(&seed) % len] ^= (uint8_t)(1u << rnd(&seed) % 8);
		snprintf(name, sizeof(name), "%s mutation %d", what, i);
		pkt_decode(&p, PKT_LINK_RAW, m, len);
		check_all_printers(&p, name);
	}
}

ATF_TC_WITHOUT_HEAD(printers_cut_at_any_size_as_the_whole_text);
ATF_TC_BODY(printers_cut_at_any_size_as_the_whole_text, tc)
{
	static const char *const dirs[] = { "packets/fuzz/corpus/pkt",
	    "packets/fuzz/corpus/icmp6" };
	static uint8_t data[PKT_MAX_LEN];
	char path[4096];
	struct dirent *e;
	size_t i, len, files = 0;
	DIR *d;
	FILE *f;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		d = opendir(tu_srcpath(dirs[i]));
		ATF_REQUIRE_MSG(d != NULL, "%s", dirs[i]);
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s",
			    tu_srcpath(dirs[i]), e->d_name);
			ATF_REQUIRE((f = fopen(path, "rb")) != NULL);
			len = fread(data, 1, sizeof(data), f);
			fclose(f);
			check_frame(data, len, e->d_name);
			files++;
		}
		closedir(d);
	}
	ATF_CHECK(files >= 20);
}

/* ------------------------------------------------------------ numbers */

static void
check_uint(uint64_t v)
{
	char want[32], buf[64];
	struct sbuf sb;

	snprintf(want, sizeof(want), "%" PRIu64, v);
	sbuf_init(&sb, buf, sizeof(buf));
	sbuf_uint(&sb, v);
	ATF_REQUIRE_STREQ_MSG(sbuf_str(&sb), want, "sbuf_uint(%" PRIu64 ")",
	    v);
	sbuf_reset(&sb);
	sbuf_int(&sb, -(int64_t)(v >> 1));
	snprintf(want, sizeof(want), "%" PRId64, -(int64_t)(v >> 1));
	ATF_REQUIRE_STREQ_MSG(sbuf_str(&sb), want, "sbuf_int");
}

ATF_TC_WITHOUT_HEAD(numbers_as_printf_writes_them);
ATF_TC_BODY(numbers_as_printf_writes_them, tc)
{
	char buf[64], want[16];
	uint64_t p10 = 1, v;
	uint32_t seed = 1;
	unsigned k, n;
	int i;

	for (k = 0; k < 20; k++, p10 *= 10) {
		check_uint(p10 - 1);
		check_uint(p10);
		check_uint(p10 + 1);
		check_uint(2 * p10 - 1);
	}
	check_uint(UINT32_MAX);
	check_uint((uint64_t)UINT32_MAX + 1);
	check_uint(UINT64_MAX);
	check_uint((uint64_t)INT64_MAX + 1);
	for (i = 0; i < 100000; i++) {
		v = (uint64_t)rnd(&seed) << 40 ^ (uint64_t)rnd(&seed) << 16 ^
		    rnd(&seed);
		check_uint(v >> rnd(&seed) % 64);
	}
	/* fixed widths: the last n digits, zero-padded */
	for (n = 1; n <= 8; n++)
		for (i = 0; i < 1000; i++) {
			v = rnd(&seed) % 1000000000u;
			snprintf(want, sizeof(want), "%09" PRIu64, v);
			*sbuf_fmt_digits(buf, v, n) = '\0';
			ATF_REQUIRE_STREQ(buf, want + 9 - n);
		}
}

/* ---------------------------------------------------------- addresses */

ATF_TC_WITHOUT_HEAD(in6_cache_under_collisions);
ATF_TC_BODY(in6_cache_under_collisions, tc)
{
	struct in6_addr a;
	char want[IN6_STRLEN], buf[128];
	struct sbuf sb;
	struct jw jw;
	uint32_t seed = 7;
	int i, k;

	/* 300 addresses, looked up in a random order: far more than slots */
	for (i = 0; i < 200000; i++) {
		k = (int)(rnd(&seed) % 300);
		memset(&a, 0, sizeof(a));
		a.s6_addr[0] = 0x20;
		a.s6_addr[1] = 0x01;
		a.s6_addr[5] = (uint8_t)(k % 3);
		a.s6_addr[14] = (uint8_t)(k >> 8);
		a.s6_addr[15] = (uint8_t)k;
		in6_fmt(&a, want);
		sbuf_init(&sb, buf, sizeof(buf));
		sbuf_in6(&sb, &a);
		ATF_REQUIRE_STREQ(sbuf_str(&sb), want);
		sbuf_reset(&sb);
		jw_init(&jw, &sb);
		jw_in6(&jw, NULL, &a);
		ATF_REQUIRE_EQ(sb.len, strlen(want) + 2);
		ATF_REQUIRE(memcmp(buf + 1, want, strlen(want)) == 0);
	}
}

/* -------------------------------------------------------------- names */

/* Printed without escaping (jw_ascii): printable ASCII, no '"' or '\'. */
static void
check_plain(const char *s, const char *what, unsigned v)
{
	const char *c;

	ATF_REQUIRE_MSG(s != NULL, "%s(%u) is NULL", what, v);
	for (c = s; *c != '\0'; c++)
		ATF_REQUIRE_MSG(*c >= 0x20 && *c < 0x7f && *c != '"' &&
		    *c != '\\', "%s(%u) = \"%s\" needs escaping in JSON", what,
		    v, s);
}

ATF_TC_WITHOUT_HEAD(names_printed_unescaped_need_no_escape);
ATF_TC_BODY(names_printed_unescaped_need_no_escape, tc)
{
	unsigned v;

	for (v = 0; v < 256; v++) {
		check_plain(mh_type_name((uint8_t)v), "mh_type_name", v);
		check_plain(mh_type_abbrev((uint8_t)v), "mh_type_abbrev", v);
		check_plain(mh_ba_status_name((uint8_t)v), "mh_ba_status_name",
		    v);
		check_plain(mh_be_status_name((uint8_t)v), "mh_be_status_name",
		    v);
		check_plain(mh_opt_name((uint8_t)v), "mh_opt_name", v);
		check_plain(mh_opt_abbrev((uint8_t)v), "mh_opt_abbrev", v);
		check_plain(icmp6_type_name((uint8_t)v), "icmp6_type_name", v);
		check_plain(nd_opt_name((uint8_t)v), "nd_opt_name", v);
	}
	for (v = 0; v <= HDR_DATA + 1; v++)
		check_plain(hdr_kind_name((enum hdr_kind)v), "hdr_kind_name",
		    v);
}

/* ----------------------------------------------------------- checksum */

/* RFC 1071 §4.1, 16-bit network-order words, as the reference. */
static uint32_t
ref_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

ATF_TC_WITHOUT_HEAD(checksum_matches_16_bit_sum);
ATF_TC_BODY(checksum_matches_16_bit_sum, tc)
{
	uint8_t buf[300], pseudo[40];
	struct in6_addr src, dst;
	uint32_t seed = 3, sum, want, len;
	size_t n, off, k;
	int i, fill;

	for (i = 0; i < 200000; i++) {
		n = rnd(&seed) % 260;
		off = rnd(&seed) % 130 * 2;
		fill = (int)(rnd(&seed) % 4);
		for (k = 0; k < sizeof(buf); k++)
			buf[k] = fill == 0 ? 0 : fill == 1 ? 0xff :
			    (uint8_t)rnd(&seed);
		for (k = 0; k < 16; k++) {
			src.s6_addr[k] = fill < 2 ? buf[k] : (uint8_t)rnd(&seed);
			dst.s6_addr[k] = fill < 2 ? buf[k] : (uint8_t)rnd(&seed);
		}
		sum = rnd(&seed) % 3 == 0 ? 0 : rnd(&seed) % 0x10000;
		/* running sums, 0 and 0xffff told apart as before */
		ATF_REQUIRE_EQ(cksum_add(sum, buf, n), ref_sum(sum, buf, n));
		/* the pseudo-header and an upper-layer message */
		len = (uint32_t)n;
		memcpy(pseudo, src.s6_addr, 16);
		memcpy(pseudo + 16, dst.s6_addr, 16);
		pseudo[32] = (uint8_t)(len >> 24);
		pseudo[33] = (uint8_t)(len >> 16);
		pseudo[34] = (uint8_t)(len >> 8);
		pseudo[35] = (uint8_t)len;
		pseudo[36] = pseudo[37] = pseudo[38] = 0;
		pseudo[39] = (uint8_t)(fill < 2 ? 0 : 135);
		want = ref_sum(0, pseudo, sizeof(pseudo));
		ATF_REQUIRE_EQ(cksum_pseudo6(&src, &dst, len, pseudo[39]), want);
		if (off + 2 <= n) {
			want = ref_sum(want, buf, off);
			want = ref_sum(want, buf + off + 2, n - off - 2);
		} else
			want = ref_sum(want, buf, n);
		ATF_REQUIRE_EQ(cksum_upper6(&src, &dst, pseudo[39], buf, n,
		    off), (uint16_t)~want);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, printers_cut_at_any_size_as_the_whole_text);
	ATF_TP_ADD_TC(tp, numbers_as_printf_writes_them);
	ATF_TP_ADD_TC(tp, in6_cache_under_collisions);
	ATF_TP_ADD_TC(tp, names_printed_unescaped_need_no_escape);
	ATF_TP_ADD_TC(tp, checksum_matches_16_bit_sum);
	return atf_no_error();
}
