/*
 * icmp6_print.c - the ICMPv6 printers (see icmp6.h).
 *
 * Short form grammar (one line, no trailing newline):
 *   DHAAD-Request id=N[ R]
 *   DHAAD-Reply id=N[ R][ ha=A[,A...]]
 *   MPS id=N
 *   MPA id=N[ M][ O]{ prefix=P/L[,L][,A][,R],valid=N,pref=N}
 *   RS[ slla=MAC]
 *   RA hlim=N[ M][ O][ H][ P][ prf=high|low|reserved] lifetime=N
 *      [ reachable=N][ retrans=N][ hainfo=pref=N,life=N[,R]][ advint=Nms]
 *      [ mtu=N]{ prefix=...}[ slla=MAC]
 *   NS tgt=A[ slla=MAC]          NA[ R][ S][ O] tgt=A[ tlla=MAC]
 *   redirect tgt=A
 *   echo-request id=N seq=N      echo-reply id=N seq=N
 *   dest-unreach code=N          packet-too-big mtu=N
 *   time-exceeded code=N         param-problem code=N ptr=N
 *   mld-query | mld-report | mld-done | mldv2-report
 *   icmp6 type=N code=N          (any other type)
 * RA options print in a fixed order (hainfo, advint, mtu, prefixes, slla)
 * whatever their order on the wire, so expected strings do not depend on
 * it.  Numbers are decimal; lifetimes in seconds as on the wire.
 */
#include <stdio.h>

#include "icmp6.h"
#include "pkt_impl.h"
#include "sbuf.h"

/* ---------------------------------------------------------------- short */

static void
put_mac(struct sbuf *sb, const uint8_t *a)
{
	char s[17];

	fmt_mac(s, a, 6);
	sbuf_putn(sb, s, sizeof(s));
}

static void
put_kv(struct sbuf *sb, const char *key, uint64_t v)
{
	sbuf_putc(sb, ' ');
	sbuf_puts(sb, key);
	sbuf_uint(sb, v);
}

static void
short_prefix(struct sbuf *sb, const struct nd_opt *o)
{
	sbuf_puts(sb, " prefix=");
	sbuf_in6(sb, &o->u.prefix.prefix);
	sbuf_putc(sb, '/');
	sbuf_uint(sb, o->u.prefix.plen);
	if (o->u.prefix.flags & ND_PI_L)
		sbuf_puts(sb, ",L");
	if (o->u.prefix.flags & ND_PI_A)
		sbuf_puts(sb, ",A");
	if (o->u.prefix.flags & ND_PI_R)
		sbuf_puts(sb, ",R");
	sbuf_puts(sb, ",valid=");
	sbuf_uint(sb, o->u.prefix.valid);
	sbuf_puts(sb, ",pref=");
	sbuf_uint(sb, o->u.prefix.preferred);
}

static bool
opt_typed(const struct nd_opt *o, uint8_t type)
{
	return o->type == type && o->raw_len == 0;
}

/* The typed options of one type, in wire order. */
static void
short_opts(struct sbuf *sb, const struct icmp6_msg *m, uint8_t type)
{
	size_t i, n = m->nopts < ND_OPT_MAX ? m->nopts : ND_OPT_MAX;
	const struct nd_opt *o;

	for (i = 0; i < n; i++) {
		o = &m->opts[i];
		if (!opt_typed(o, type))
			continue;
		switch (type) {
		case NDOPT_SLLA:
			sbuf_puts(sb, " slla=");
			put_mac(sb, o->u.lladdr);
			break;
		case NDOPT_TLLA:
			sbuf_puts(sb, " tlla=");
			put_mac(sb, o->u.lladdr);
			break;
		case NDOPT_PREFIX:
			short_prefix(sb, o);
			break;
		case NDOPT_MTU:
			put_kv(sb, "mtu=", o->u.mtu);
			break;
		case NDOPT_ADV_INTERVAL:
			put_kv(sb, "advint=", o->u.adv_interval);
			sbuf_puts(sb, "ms");
			break;
		case NDOPT_HA_INFO:
			sbuf_puts(sb, " hainfo=pref=");
			sbuf_int(sb, o->u.hainfo.preference);
			sbuf_puts(sb, ",life=");
			sbuf_uint(sb, o->u.hainfo.lifetime);
			if (o->u.hainfo.flags & ND_HAI_R)
				sbuf_puts(sb, ",R");
			break;
		}
	}
}

static void
short_ra(struct sbuf *sb, const struct icmp6_msg *m)
{
	static const char *const prf[] = { "", " prf=high", " prf=reserved",
	    " prf=low" };
	uint8_t f = m->u.ra.flags;

	put_kv(sb, "hlim=", m->u.ra.hop_limit);
	if (f & ND_RA_M)
		sbuf_puts(sb, " M");
	if (f & ND_RA_O)
		sbuf_puts(sb, " O");
	if (f & ND_RA_H)
		sbuf_puts(sb, " H");
	if (f & 0x04)	/* Proxy, RFC 4389 */
		sbuf_puts(sb, " P");
	sbuf_puts(sb, prf[(f >> 3) & 3]);	/* RFC 4191 §2.2 */
	put_kv(sb, "lifetime=", m->u.ra.lifetime);
	if (m->u.ra.reachable != 0)
		put_kv(sb, "reachable=", m->u.ra.reachable);
	if (m->u.ra.retrans != 0)
		put_kv(sb, "retrans=", m->u.ra.retrans);
	short_opts(sb, m, NDOPT_HA_INFO);
	short_opts(sb, m, NDOPT_ADV_INTERVAL);
	short_opts(sb, m, NDOPT_MTU);
	short_opts(sb, m, NDOPT_PREFIX);
	short_opts(sb, m, NDOPT_SLLA);
}

static void
short_dhaad(struct sbuf *sb, const struct icmp6_msg *m)
{
	size_t i;

	put_kv(sb, "id=", m->u.dhaad.id);
	if (m->u.dhaad.flags & ICMP6_DHAAD_R)
		sbuf_puts(sb, " R");
	for (i = 0; i < m->u.dhaad.naddrs && i < ICMP6_DHAAD_MAX; i++) {
		sbuf_puts(sb, i == 0 ? " ha=" : ",");
		sbuf_in6(sb, &m->u.dhaad.addrs[i]);
	}
}

void
icmp6_print_short(struct sbuf *sb, const struct icmp6_msg *m)
{
	const char *tok = icmp6_type_token(m->type);

	if (tok == NULL) {
		sbuf_puts(sb, "icmp6 type=");
		sbuf_uint(sb, m->type);
		put_kv(sb, "code=", m->code);
		return;
	}
	sbuf_puts(sb, tok);
	switch (m->type) {
	case ICMP6_T_DST_UNREACH:
	case ICMP6_T_TIME_EXCEEDED:
		put_kv(sb, "code=", m->code);
		break;
	case ICMP6_T_PKT_TOO_BIG:
		put_kv(sb, "mtu=", m->u.mtu);
		break;
	case ICMP6_T_PARAM_PROB:
		put_kv(sb, "code=", m->code);
		put_kv(sb, "ptr=", m->u.pointer);
		break;
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
		put_kv(sb, "id=", m->u.echo.id);
		put_kv(sb, "seq=", m->u.echo.seq);
		break;
	case ICMP6_T_RS:
		short_opts(sb, m, NDOPT_SLLA);
		break;
	case ICMP6_T_RA:
		short_ra(sb, m);
		break;
	case ICMP6_T_NA:
		if (m->u.nsna.flags & ND_NA_R)
			sbuf_puts(sb, " R");
		if (m->u.nsna.flags & ND_NA_S)
			sbuf_puts(sb, " S");
		if (m->u.nsna.flags & ND_NA_O)
			sbuf_puts(sb, " O");
		/* FALLTHROUGH */
	case ICMP6_T_NS:
	case ICMP6_T_REDIRECT:
		sbuf_puts(sb, " tgt=");
		sbuf_in6(sb, &m->u.nsna.target);
		short_opts(sb, m, m->type == ICMP6_T_NA ? NDOPT_TLLA :
		    NDOPT_SLLA);
		break;
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
		short_dhaad(sb, m);
		break;
	case ICMP6_T_MPS:
		put_kv(sb, "id=", m->u.mp.id);
		break;
	case ICMP6_T_MPA:
		put_kv(sb, "id=", m->u.mp.id);
		if (m->u.mp.flags & ICMP6_MPA_M)
			sbuf_puts(sb, " M");
		if (m->u.mp.flags & ICMP6_MPA_O)
			sbuf_puts(sb, " O");
		short_opts(sb, m, NDOPT_PREFIX);
		break;
	}
}

/* -------------------------------------------------------------- verbose */

static void
indent(struct sbuf *sb, int n)
{
	static const char sp[] = "                                ";

	if (n > (int)sizeof(sp) - 1)
		n = (int)sizeof(sp) - 1;
	if (n > 0)
		sbuf_putn(sb, sp, (size_t)n);
}

static void
verbose_fixed(struct sbuf *sb, const struct icmp6_msg *m, int in)
{
	size_t i;

	indent(sb, in);
	switch (m->type) {
	case ICMP6_T_DST_UNREACH:
	case ICMP6_T_TIME_EXCEEDED:
		sbuf_printf(sb, "unused 0x%08x\n", m->u.unused);
		break;
	case ICMP6_T_PKT_TOO_BIG:
		sbuf_printf(sb, "mtu %u\n", m->u.mtu);
		break;
	case ICMP6_T_PARAM_PROB:
		sbuf_printf(sb, "pointer %u\n", m->u.pointer);
		break;
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
		sbuf_printf(sb, "id %u seq %u\n", m->u.echo.id, m->u.echo.seq);
		break;
	case ICMP6_T_RS:
		sbuf_printf(sb, "reserved 0x%08x\n", m->u.rs_reserved);
		break;
	case ICMP6_T_RA:
		sbuf_printf(sb, "hop limit %u flags 0x%02x%s%s%s lifetime %u "
		    "reachable %u retrans %u\n", m->u.ra.hop_limit,
		    m->u.ra.flags, m->u.ra.flags & ND_RA_M ? " M" : "",
		    m->u.ra.flags & ND_RA_O ? " O" : "",
		    m->u.ra.flags & ND_RA_H ? " H" : "", m->u.ra.lifetime,
		    m->u.ra.reachable, m->u.ra.retrans);
		break;
	case ICMP6_T_NS:
	case ICMP6_T_NA:
	case ICMP6_T_REDIRECT:
		sbuf_printf(sb, "flags 0x%08x target ", m->u.nsna.flags);
		sbuf_in6(sb, &m->u.nsna.target);
		sbuf_putc(sb, '\n');
		break;
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
		sbuf_printf(sb, "id %u flags 0x%04x%s\n", m->u.dhaad.id,
		    m->u.dhaad.flags,
		    m->u.dhaad.flags & ICMP6_DHAAD_R ? " R" : "");
		for (i = 0; i < m->u.dhaad.naddrs && i < ICMP6_DHAAD_MAX;
		    i++) {
			indent(sb, in);
			sbuf_puts(sb, "home agent ");
			sbuf_in6(sb, &m->u.dhaad.addrs[i]);
			sbuf_putc(sb, '\n');
		}
		break;
	case ICMP6_T_MPS:
	case ICMP6_T_MPA:
		sbuf_printf(sb, "id %u flags 0x%04x%s%s\n", m->u.mp.id,
		    m->u.mp.flags, m->u.mp.flags & ICMP6_MPA_M ? " M" : "",
		    m->u.mp.flags & ICMP6_MPA_O ? " O" : "");
		break;
	default:
		sbuf_puts(sb, "(no fixed fields decoded)\n");
		break;
	}
}

static void
verbose_opt(struct sbuf *sb, const struct nd_opt *o, int in)
{
	indent(sb, in);
	sbuf_printf(sb, "option %s (type %u, length %u) at %u", nd_opt_name(
	    o->type), o->type, o->len, o->off);
	if (o->raw_len > 0) {
		sbuf_puts(sb, ": ");
		sbuf_hex(sb, o->raw, o->raw_len);
		sbuf_putc(sb, '\n');
		return;
	}
	switch (o->type) {
	case NDOPT_SLLA:
	case NDOPT_TLLA:
		sbuf_puts(sb, ": ");
		put_mac(sb, o->u.lladdr);
		break;
	case NDOPT_PREFIX:
		sbuf_puts(sb, ": ");
		sbuf_in6(sb, &o->u.prefix.prefix);
		sbuf_printf(sb, "/%u flags 0x%02x%s%s%s valid %u preferred %u "
		    "reserved 0x%08x", o->u.prefix.plen, o->u.prefix.flags,
		    o->u.prefix.flags & ND_PI_L ? " L" : "",
		    o->u.prefix.flags & ND_PI_A ? " A" : "",
		    o->u.prefix.flags & ND_PI_R ? " R" : "",
		    o->u.prefix.valid, o->u.prefix.preferred,
		    o->u.prefix.reserved2);
		break;
	case NDOPT_MTU:
		sbuf_printf(sb, ": %u", o->u.mtu);
		break;
	case NDOPT_ADV_INTERVAL:
		sbuf_printf(sb, ": %u ms", o->u.adv_interval);
		break;
	case NDOPT_HA_INFO:
		sbuf_printf(sb, ": flags 0x%04x%s preference %d lifetime %u",
		    o->u.hainfo.flags,
		    o->u.hainfo.flags & ND_HAI_R ? " R" : "",
		    o->u.hainfo.preference, o->u.hainfo.lifetime);
		break;
	}
	sbuf_putc(sb, '\n');
}

void
icmp6_print_verbose(struct sbuf *sb, const struct icmp6_msg *m, int in)
{
	size_t i, n = m->nopts < ND_OPT_MAX ? m->nopts : ND_OPT_MAX;

	indent(sb, in);
	sbuf_printf(sb, "%s (type %u, code %u) checksum 0x%04x length %u\n",
	    icmp6_type_name(m->type), m->type, m->code, m->checksum, m->len);
	verbose_fixed(sb, m, in + 2);
	for (i = 0; i < n; i++)
		verbose_opt(sb, &m->opts[i], in + 2);
	if (m->opts_truncated) {
		indent(sb, in + 2);
		sbuf_puts(sb, "(more options not kept)\n");
	}
	if (m->body_len > 0) {
		indent(sb, in + 2);
		sbuf_printf(sb, "data %u bytes: ", m->body_len);
		sbuf_hex(sb, m->body, m->body_len < 64 ? m->body_len : 64);
		sbuf_puts(sb, m->body_len > 64 ? "...\n" : "\n");
	}
}

/* ----------------------------------------------------------------- JSON */

static void
json_mac(struct jw *jw, const char *key, const uint8_t *a)
{
	char s[17];

	fmt_mac(s, a, 6);
	jw_ascii(jw, key, s, sizeof(s));
}

static void
json_opt(struct jw *jw, const struct nd_opt *o)
{
	jw_obj_open(jw, NULL);
	jw_uint(jw, "type", o->type);
	JW_ASCII(jw, "name", nd_opt_name(o->type));
	if (!jw->brief) {
		jw_uint(jw, "len", o->len);
		jw_uint(jw, "offset", o->off);
	}
	if (o->raw_len > 0) {
		jw_hex(jw, "data", o->raw, o->raw_len);
		jw_obj_close(jw);
		return;
	}
	switch (o->type) {
	case NDOPT_SLLA:
	case NDOPT_TLLA:
		json_mac(jw, "lladdr", o->u.lladdr);
		break;
	case NDOPT_PREFIX:
		jw_in6(jw, "prefix", &o->u.prefix.prefix);
		jw_uint(jw, "plen", o->u.prefix.plen);
		jw_bool(jw, "l", (o->u.prefix.flags & ND_PI_L) != 0);
		jw_bool(jw, "a", (o->u.prefix.flags & ND_PI_A) != 0);
		jw_bool(jw, "r", (o->u.prefix.flags & ND_PI_R) != 0);
		jw_uint(jw, "valid", o->u.prefix.valid);
		jw_uint(jw, "preferred", o->u.prefix.preferred);
		break;
	case NDOPT_MTU:
		jw_uint(jw, "mtu", o->u.mtu);
		break;
	case NDOPT_ADV_INTERVAL:
		jw_uint(jw, "interval_ms", o->u.adv_interval);
		break;
	case NDOPT_HA_INFO:
		jw_bool(jw, "r", (o->u.hainfo.flags & ND_HAI_R) != 0);
		jw_int(jw, "preference", o->u.hainfo.preference);
		jw_uint(jw, "lifetime", o->u.hainfo.lifetime);
		break;
	}
	jw_obj_close(jw);
}

static void
json_fixed(struct jw *jw, const struct icmp6_msg *m)
{
	size_t i;

	switch (m->type) {
	case ICMP6_T_PKT_TOO_BIG:
		jw_uint(jw, "mtu", m->u.mtu);
		break;
	case ICMP6_T_PARAM_PROB:
		jw_uint(jw, "pointer", m->u.pointer);
		break;
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
		jw_uint(jw, "id", m->u.echo.id);
		jw_uint(jw, "seq", m->u.echo.seq);
		break;
	case ICMP6_T_RA:
		jw_uint(jw, "hop_limit", m->u.ra.hop_limit);
		jw_bool(jw, "m", (m->u.ra.flags & ND_RA_M) != 0);
		jw_bool(jw, "o", (m->u.ra.flags & ND_RA_O) != 0);
		jw_bool(jw, "h", (m->u.ra.flags & ND_RA_H) != 0);
		jw_uint(jw, "lifetime", m->u.ra.lifetime);
		jw_uint(jw, "reachable", m->u.ra.reachable);
		jw_uint(jw, "retrans", m->u.ra.retrans);
		break;
	case ICMP6_T_NA:
		jw_bool(jw, "r", (m->u.nsna.flags & ND_NA_R) != 0);
		jw_bool(jw, "s", (m->u.nsna.flags & ND_NA_S) != 0);
		jw_bool(jw, "o", (m->u.nsna.flags & ND_NA_O) != 0);
		/* FALLTHROUGH */
	case ICMP6_T_NS:
	case ICMP6_T_REDIRECT:
		jw_in6(jw, "target", &m->u.nsna.target);
		break;
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
		jw_uint(jw, "id", m->u.dhaad.id);
		jw_bool(jw, "r", (m->u.dhaad.flags & ICMP6_DHAAD_R) != 0);
		if (m->type == ICMP6_T_DHAAD_REQUEST)
			break;
		jw_arr_open(jw, "home_agents");
		for (i = 0; i < m->u.dhaad.naddrs && i < ICMP6_DHAAD_MAX; i++)
			jw_in6(jw, NULL, &m->u.dhaad.addrs[i]);
		jw_arr_close(jw);
		break;
	case ICMP6_T_MPS:
		jw_uint(jw, "id", m->u.mp.id);
		break;
	case ICMP6_T_MPA:
		jw_uint(jw, "id", m->u.mp.id);
		jw_bool(jw, "m", (m->u.mp.flags & ICMP6_MPA_M) != 0);
		jw_bool(jw, "o", (m->u.mp.flags & ICMP6_MPA_O) != 0);
		break;
	}
}

void
icmp6_print_json(struct jw *jw, const char *key, const struct icmp6_msg *m)
{
	size_t i, n = m->nopts < ND_OPT_MAX ? m->nopts : ND_OPT_MAX;

	jw_obj_open(jw, key);
	jw_uint(jw, "type", m->type);
	JW_ASCII(jw, "name", icmp6_type_name(m->type));
	jw_uint(jw, "code", m->code);
	if (!jw->brief) {
		jw_uint(jw, "checksum", m->checksum);
		jw_uint(jw, "length", m->len);
	}
	json_fixed(jw, m);
	if (n > 0) {
		jw_arr_open(jw, "options");
		for (i = 0; i < n; i++)
			json_opt(jw, &m->opts[i]);
		jw_arr_close(jw);
	}
	if (m->body_len > 0)
		jw_uint(jw, "data_len", m->body_len);
	jw_obj_close(jw);
}
