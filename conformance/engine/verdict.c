/*
 * verdict.c - verdict names and rules (see verdict.h).
 */
#include <stdio.h>

#include "field.h"
#include "packets/pkt.h"
#include "verdict.h"

static const char *const names[VERDICT_COUNT] = {
	[VERDICT_PASS] = "PASS", [VERDICT_WARN] = "WARN",
	[VERDICT_FAIL] = "FAIL", [VERDICT_INIT_FAIL] = "INIT-FAIL",
	[VERDICT_CLEANUP_FAIL] = "CLEANUP-FAIL", [VERDICT_SKIP] = "SKIP",
	[VERDICT_ERROR] = "ERROR",
};

static const char *const keys[VERDICT_COUNT] = {
	[VERDICT_PASS] = "pass", [VERDICT_WARN] = "warn",
	[VERDICT_FAIL] = "fail", [VERDICT_INIT_FAIL] = "init_fail",
	[VERDICT_CLEANUP_FAIL] = "cleanup_fail", [VERDICT_SKIP] = "skip",
	[VERDICT_ERROR] = "error",
};

const char *
verdict_name(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? names[v] : "?";
}

const char *
verdict_key(enum verdict v)
{
	return (unsigned)v < VERDICT_COUNT ? keys[v] : "?";
}

bool
verdict_ok(enum verdict v)
{
	return v == VERDICT_PASS || v == VERDICT_WARN || v == VERDICT_SKIP;
}

enum verdict
verdict_of_phase(enum ev_phase ph)
{
	switch (ph) {
	case PH_INIT:
		return VERDICT_INIT_FAIL;
	case PH_CLEANUP:
		return VERDICT_CLEANUP_FAIL;
	default:
		return VERDICT_FAIL;
	}
}

enum verdict
verdict_final(enum verdict main, bool cleanup_failed, bool unexpected)
{
	if (main != VERDICT_PASS && main != VERDICT_WARN)
		return main;
	if (cleanup_failed)
		return VERDICT_CLEANUP_FAIL;
	if (unexpected)
		return VERDICT_WARN;
	return main;
}

/* ICMPv6 types TAHI's %name_check_hash treats as significant. */
static bool
icmp6_significant(uint8_t type)
{
	switch (type) {
	case ICMP6_T_DST_UNREACH:
	case ICMP6_T_PKT_TOO_BIG:
	case ICMP6_T_TIME_EXCEEDED:
	case ICMP6_T_PARAM_PROB:
	case ICMP6_T_ECHO_REQUEST:
	case ICMP6_T_ECHO_REPLY:
	case ICMP6_T_DHAAD_REQUEST:
	case ICMP6_T_DHAAD_REPLY:
	case ICMP6_T_MPS:
	case ICMP6_T_MPA:
		return !icmp6_is_noise(type);
	default:
		return false;
	}
}

bool
frame_significant(const struct pkt *p, char *what, size_t cap)
{
	if (p->has_mh) {
		snprintf(what, cap, "MH %s", mh_type_abbrev(p->mh.type));
		return true;
	}
	if (p->has_icmp6 && icmp6_significant(p->icmp6.type)) {
		snprintf(what, cap, "ICMPv6 %s",
		    msgtype_name(layer_lookup("icmp6"), p->icmp6.type));
		return true;
	}
	return false;
}

enum sumcol
verdict_column(enum verdict v, bool role_applies)
{
	switch (v) {
	case VERDICT_PASS:
		return SUMCOL_PASS;
	case VERDICT_WARN:
		return SUMCOL_WARN;
	case VERDICT_SKIP:
		return role_applies ? SUMCOL_SKIP : SUMCOL_NA;
	case VERDICT_FAIL:
	case VERDICT_INIT_FAIL:
	case VERDICT_CLEANUP_FAIL:
	case VERDICT_ERROR:
	default:
		/* a tool fault or an unknown verdict is never shown as a pass */
		return SUMCOL_FAIL;
	}
}

const char *
sumcol_name(enum sumcol c)
{
	static const char *const col_names[SUMCOL_COUNT] = {
		[SUMCOL_PASS] = "PASS", [SUMCOL_FAIL] = "FAIL",
		[SUMCOL_WARN] = "WARN", [SUMCOL_SKIP] = "SKIP",
		[SUMCOL_NA] = "N/A",
	};

	return (unsigned)c < SUMCOL_COUNT ? col_names[c] : "?";
}

const char *
sumcol_key(enum sumcol c)
{
	static const char *const col_keys[SUMCOL_COUNT] = {
		[SUMCOL_PASS] = "pass", [SUMCOL_FAIL] = "fail",
		[SUMCOL_WARN] = "warn", [SUMCOL_SKIP] = "skip",
		[SUMCOL_NA] = "na",
	};

	return (unsigned)c < SUMCOL_COUNT ? col_keys[c] : "?";
}
