/*
 * field_test.c - the field access layer (field*.c): its names and value
 * formats are the packets/ printers' vocabulary (every field set on a
 * message prints as exactly "name=value" in mh_print_short() /
 * icmp6_print_short()), the message type tokens are the printers', and
 * values parse, compare and print as the matcher needs.
 */
#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/engine/field.h"
#include "packets/pkt.h"
#include "packets/sbuf.h"

static struct pkt *
new_pkt(void)
{
	struct pkt *p = malloc(sizeof(*p));

	ATF_REQUIRE(p != NULL);
	pkt_init(p, PKT_LINK_ETHER);
	return p;
}

/* Set `key=text` on the header at hi; the value read back, as printed. */
static void
set_field(struct pkt *p, size_t hi, const char *layer, int type,
    const char *key, const char *text, char *shown, size_t cap)
{
	const struct layer_def *l = layer_lookup(layer);
	const struct fdef *fd = field_lookup(l, type, key);
	struct fctx c = { p, hi, 0, field_key_param(key) };
	struct fval v, got;
	char err[200];
	const char *m;

	ATF_REQUIRE_MSG(fd != NULL, "%s has no %s", layer, key);
	ATF_REQUIRE_MSG(fval_parse(fd, text, &v, err, sizeof(err)), "%s", err);
	m = fd->set(fd, &c, &v);
	ATF_REQUIRE_MSG(m == NULL, "%s=%s: %s", key, text, m);
	if (fd->kind == FK_FLAG || fd->kind == FK_CTL) {
		/* a flag prints as its letter; pad= is not printed at all */
		snprintf(shown, cap, "%s", fd->kind == FK_FLAG ? key : text);
		return;
	}
	ATF_REQUIRE_MSG(fd->get(fd, &c, &got), "%s not read back", key);
	fval_fmt(fd, &got, shown, cap);
	/* a set value reads back equal to what was parsed */
	ATF_CHECK_EQ_MSG(fval_cmp(&got, &v), 0, "%s=%s read back as %s", key,
	    text, shown);
}

static void
check_token(const char *line, const char *key, const char *shown,
    bool flag)
{
	char tok[400];

	if (flag)
		snprintf(tok, sizeof(tok), " %s", key);
	else
		snprintf(tok, sizeof(tok), " %s=%s", key, shown);
	ATF_CHECK_MSG(strstr(line, tok) != NULL, "'%s' not in '%s'", tok + 1,
	    line);
}

ATF_TC_WITHOUT_HEAD(mh_fields_are_the_printer_tokens);
ATF_TC_BODY(mh_fields_are_the_printer_tokens, tc)
{
	static const struct {
		int		 type;
		const char	*key, *text;
		bool		 flag;
	} f[] = {
		{ MH_BU, "seq", "4660", false },
		{ MH_BU, "lifetime", "400s", false },
		{ MH_BU, "A", "1", true },
		{ MH_BU, "R", "1", true },
		{ MH_BU, "F", "1", true },
		{ MH_BU, "res", "0x0008", false },
		{ MH_BU, "acoa", "2001:db8:2:0::200", false },
		{ MH_BU, "ni", "7/9", false },
		{ MH_BU, "bad", "00112233445566778899aabb", false },
		{ MH_BU, "mnp", "2001:db8:1::/48", false },
		{ MH_BU, "mnid", "nai:mn@example.org", false },
		{ MH_BU, "mesg-id", "0x0102030405060708", false },
		{ MH_BU, "v4hoa", "192.0.2.10/24,P", false },
		{ MH_BU, "v4coa", "198.51.100.7", false },
		{ MH_BU, "opt42", "0a0b", false },
		{ MH_BA, "status", "133", false },
		{ MH_BA, "K", "1", true },
		{ MH_BA, "seq", "7", false },
		{ MH_BA, "lifetime", "0s", false },
		{ MH_BA, "bra", "200s", false },
		{ MH_BA, "v4ack", "0,192.0.2.10/32", false },
		{ MH_BA, "natd", "F,30s", false },
		{ MH_BE, "status", "1", false },
		{ MH_BE, "hoa", "2001:db8:1::100", false },
		{ MH_HOTI, "cookie", "0102030405060708", false },
		{ MH_HOT, "nonce", "7", false },
		{ MH_HOT, "token", "a1a2a3a4a5a6a7a8", false },
		{ MH_HAS, "data", "0001", false },
	};
	char shown[300], line[1000];
	struct sbuf sb;
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct pkt *p = new_pkt();

		ATF_REQUIRE(pkt_push_mh(p, (uint8_t)f[i].type) != NULL);
		set_field(p, 0, "mh", f[i].type, f[i].key, f[i].text, shown,
		    sizeof(shown));
		sbuf_init(&sb, line, sizeof(line));
		mh_print_short(&sb, &p->mh, NULL);
		check_token(sbuf_str(&sb), f[i].key, shown, f[i].flag);
		free(p);
	}
}

ATF_TC_WITHOUT_HEAD(icmp6_fields_are_the_printer_tokens);
ATF_TC_BODY(icmp6_fields_are_the_printer_tokens, tc)
{
	static const struct {
		int		 type;
		const char	*key, *text;
		bool		 flag;
	} f[] = {
		{ ICMP6_T_PARAM_PROB, "code", "1", false },
		{ ICMP6_T_PARAM_PROB, "ptr", "40", false },
		{ ICMP6_T_PKT_TOO_BIG, "mtu", "1280", false },
		{ ICMP6_T_ECHO_REQUEST, "id", "1", false },
		{ ICMP6_T_ECHO_REPLY, "seq", "2", false },
		{ ICMP6_T_DHAAD_REQUEST, "id", "7", false },
		{ ICMP6_T_DHAAD_REQUEST, "R", "1", true },
		{ ICMP6_T_DHAAD_REPLY, "ha", "2001:db8:1::1,2001:db8:1::2",
		  false },
		{ ICMP6_T_MPS, "id", "3", false },
		{ ICMP6_T_MPA, "M", "1", true },
		{ ICMP6_T_MPA, "O", "1", true },
		{ ICMP6_T_MPA, "prefix", "2001:db8:1::/64,L,A,R,valid=86400,"
		  "pref=14400", false },
		{ ICMP6_T_RA, "hlim", "64", false },
		{ ICMP6_T_RA, "H", "1", true },
		{ ICMP6_T_RA, "lifetime", "1800", false },
		{ ICMP6_T_RA, "hainfo", "pref=-10,life=1800,R", false },
		{ ICMP6_T_RA, "advint", "1000ms", false },
		{ ICMP6_T_RA, "mtu", "1500", false },
		{ ICMP6_T_RA, "slla", "02:00:00:00:00:a0", false },
		{ ICMP6_T_NS, "tgt", "2001:db8:1::1", false },
		{ ICMP6_T_NA, "S", "1", true },
		{ ICMP6_T_NA, "tlla", "02:00:00:00:01:01", false },
	};
	char shown[300], line[1000];
	struct sbuf sb;
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		struct pkt *p = new_pkt();

		ATF_REQUIRE(pkt_push_icmp6(p, (uint8_t)f[i].type, 0) != NULL);
		set_field(p, 0, "icmp6", f[i].type, f[i].key, f[i].text, shown,
		    sizeof(shown));
		sbuf_init(&sb, line, sizeof(line));
		icmp6_print_short(&sb, &p->icmp6);
		check_token(sbuf_str(&sb), f[i].key, shown, f[i].flag);
		free(p);
	}
}

ATF_TC_WITHOUT_HEAD(message_type_tokens);
ATF_TC_BODY(message_type_tokens, tc)
{
	const struct layer_def *mh = layer_lookup("mh"),
	    *icmp6 = layer_lookup("icmp6");
	const struct icmp6_tok *t;
	char line[200];
	struct icmp6_msg m;
	struct sbuf sb;
	size_t n;
	int i;

	for (i = 0; i < 256; i++) {
		ATF_CHECK_EQ_MSG(msgtype_parse(mh, mh_type_abbrev((uint8_t)i)),
		    i, "%s", mh_type_abbrev((uint8_t)i));
		ATF_CHECK_STREQ(msgtype_name(mh, i),
		    mh_type_abbrev((uint8_t)i));
	}
	/* each token is the first word icmp6_print_short() prints */
	for (t = icmp6_tokens(), n = 0; t->tok != NULL; t++, n++) {
		icmp6_init(&m, t->type, 0);
		sbuf_init(&sb, line, sizeof(line));
		icmp6_print_short(&sb, &m);
		ATF_CHECK_MSG(strncmp(line, t->tok, strlen(t->tok)) == 0 &&
		    (line[strlen(t->tok)] == ' ' || line[strlen(t->tok)] ==
		    '\0'), "%s vs '%s'", t->tok, line);
		ATF_CHECK_EQ(msgtype_parse(icmp6, t->tok), t->type);
	}
	ATF_CHECK_EQ(n, 19);
	ATF_CHECK_EQ(msgtype_parse(icmp6, "200"), 200);
	ATF_CHECK_STREQ(msgtype_name(icmp6, 200), "200");
	ATF_CHECK_EQ(msgtype_parse(icmp6, "param_problem"), -1);
	ATF_CHECK_EQ(msgtype_parse(mh, "*"), MSGTYPE_ANY);
	ATF_CHECK_EQ(msgtype_parse(mh, "bu"), -1);
}

ATF_TC_WITHOUT_HEAD(header_fields_and_keep_bits);
ATF_TC_BODY(header_fields_and_keep_bits, tc)
{
	struct pkt *p = new_pkt();
	char shown[100];

	ATF_REQUIRE(pkt_push(p, HDR_IPV6) != NULL);
	set_field(p, 0, "ipv6", -1, "hlim", "255", shown, sizeof(shown));
	ATF_CHECK_STREQ(shown, "255");
	ATF_CHECK_EQ(p->h[0].keep, 0);
	set_field(p, 0, "ipv6", -1, "plen", "8", shown, sizeof(shown));
	ATF_CHECK_EQ(p->h[0].keep, HDR_KEEP_LEN);
	set_field(p, 0, "ipv6", -1, "nh", "59", shown, sizeof(shown));
	ATF_CHECK_EQ(p->h[0].keep, HDR_KEEP_LEN | HDR_KEEP_NH);
	set_field(p, 0, "ipv6", -1, "flow", "0xfffff", shown, sizeof(shown));
	ATF_CHECK_STREQ(shown, "1048575");
	ATF_REQUIRE(pkt_push_mh(p, MH_BU) != NULL);
	set_field(p, 1, "mh", MH_BU, "checksum", "0x1234", shown,
	    sizeof(shown));
	ATF_CHECK_STREQ(shown, "0x1234");
	ATF_CHECK_EQ(p->mh_keep, MH_KEEP_CKSUM);
	set_field(p, 1, "mh", MH_BU, "hdrlen", "5", shown, sizeof(shown));
	ATF_CHECK_EQ(p->mh_keep, MH_KEEP_CKSUM | MH_KEEP_HDRLEN);
	set_field(p, 1, "mh", MH_BU, "pad", "none", shown, sizeof(shown));
	ATF_CHECK_EQ(p->mh_keep, MH_KEEP_CKSUM | MH_KEEP_HDRLEN |
	    MH_KEEP_PADDING);
	ATF_CHECK_EQ(p->mh.u.bu.seq, 0);
	free(p);
}

ATF_TC_WITHOUT_HEAD(values);
ATF_TC_BODY(values, tc)
{
	const struct layer_def *mh = layer_lookup("mh"),
	    *ip6 = layer_lookup("ipv6"), *eth = layer_lookup("ether");
	const struct fdef *life = field_lookup(mh, MH_BU, "lifetime"),
	    *src = field_lookup(ip6, -1, "src"),
	    *mac = field_lookup(eth, -1, "src"),
	    *mnp = field_lookup(mh, MH_BU, "mnp"),
	    *hlim = field_lookup(ip6, -1, "hlim"),
	    *ck = field_lookup(mh, MH_BA, "checksum");
	struct fval a, b;
	char err[200], s[100];

	ATF_REQUIRE(life && src && mac && mnp && hlim && ck);
	ATF_CHECK(fval_parse(life, "400s", &a, err, sizeof(err)) && a.u ==
	    400);
	ATF_CHECK(fval_parse(life, "400", &b, err, sizeof(err)) && b.u == 400);
	ATF_CHECK_EQ(fval_cmp(&a, &b), 0);
	ATF_CHECK(!fval_parse(life, "400ms", &a, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "lifetime=400ms: not a number of s");
	ATF_CHECK(!fval_parse(life, "262144", &a, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "lifetime=262144: larger than 262140s");
	ATF_CHECK(fval_parse(hlim, "0x40", &a, err, sizeof(err)) && a.u == 64);
	ATF_CHECK(fval_parse(src, "2001:DB8:0::1", &a, err, sizeof(err)));
	fval_fmt(src, &a, s, sizeof(s));
	ATF_CHECK_STREQ(s, "2001:db8::1");
	ATF_CHECK(fval_parse(src, "2001:db8::1", &b, err, sizeof(err)));
	ATF_CHECK_EQ(fval_cmp(&a, &b), 0);
	ATF_CHECK(fval_parse(mac, "2:0:0:0:0:A0", &a, err, sizeof(err)));
	fval_fmt(mac, &a, s, sizeof(s));
	ATF_CHECK_STREQ(s, "02:00:00:00:00:a0");
	ATF_CHECK(!fval_parse(mac, "02:00:00:00:00", &a, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "src=02:00:00:00:00: not a MAC address");
	/* canonical text: two spellings of one prefix compare equal */
	ATF_CHECK(fval_parse(mnp, "2001:DB8:1:0::/48", &a, err, sizeof(err)));
	ATF_CHECK_STREQ(a.str, "2001:db8:1::/48");
	ATF_CHECK(!fval_parse(mnp, "2001:db8::/129", &a, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "mnp=2001:db8::/129: want mnp=PREFIX/LEN");
	ATF_CHECK(fval_parse(ck, "4660", &a, err, sizeof(err)));
	fval_fmt(ck, &a, s, sizeof(s));
	ATF_CHECK_STREQ(s, "0x1234");
	ATF_CHECK(fval_ordered(life) && fval_ordered(ck));
	ATF_CHECK(!fval_ordered(src) && !fval_ordered(mnp));
	a.type = b.type = FV_UINT;
	a.u = 3;
	b.u = 5;
	ATF_CHECK(fval_cmp(&a, &b) < 0 && fval_cmp(&b, &a) > 0);
}

/* arp op= takes the RFC 826 opcodes by name or number. */
static void
arp_op_values(void)
{
	const struct layer_def *arp = layer_lookup("arp");
	const struct fdef *op = field_lookup(arp, -1, "op");
	char err[120];
	struct fval v;

	ATF_REQUIRE(arp != NULL && op != NULL);
	ATF_CHECK_EQ(arp->kind, HDR_ARP);
	ATF_CHECK(field_lookup(arp, -1, "sha")->type == FV_MAC);
	ATF_CHECK(field_lookup(arp, -1, "tpa")->type == FV_IN4);
	ATF_CHECK(fval_parse(op, "request", &v, err, sizeof(err)) && v.u == 1);
	ATF_CHECK(fval_parse(op, "reply", &v, err, sizeof(err)) && v.u == 2);
	ATF_CHECK(fval_parse(op, "0x3", &v, err, sizeof(err)) && v.u == 3);
	ATF_CHECK(!fval_parse(op, "flood", &v, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "op=flood: request, reply or a number up to "
	    "65535");
	ATF_CHECK(!fval_parse(op, "65536", &v, err, sizeof(err)));
}

/* esp: spi and seq numbers, sa= an SA name, icv= good or bad, iv= hex
   (RFC 4303 §2). */
static void
esp_values(void)
{
	const struct layer_def *esp = layer_lookup("esp");
	const struct fdef *sa, *icv, *iv;
	char err[160];
	struct fval v;

	ATF_REQUIRE(esp != NULL);
	ATF_CHECK_EQ(esp->kind, HDR_ESP);
	ATF_REQUIRE((sa = field_lookup(esp, -1, "sa")) != NULL);
	ATF_CHECK_EQ(sa->kind, FK_SA);
	ATF_CHECK(field_lookup(esp, -1, "spi")->type == FV_UINT);
	ATF_CHECK_EQ(field_lookup(esp, -1, "seq")->size, 4);
	ATF_CHECK(fval_parse(sa, "mn_to_ha", &v, err, sizeof(err)));
	ATF_CHECK_STREQ(v.str, "mn_to_ha");
	ATF_CHECK(!fval_parse(sa, "mn-to-ha", &v, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "sa=mn-to-ha: the name of an `sa` line of the "
	    "NUT description");
	ATF_REQUIRE((icv = field_lookup(esp, -1, "icv")) != NULL);
	ATF_CHECK_EQ(icv->kind, FK_CTL);
	ATF_CHECK(fval_parse(icv, "bad", &v, err, sizeof(err)));
	ATF_CHECK(!fval_parse(icv, "forged", &v, err, sizeof(err)));
	ATF_CHECK_STREQ(err, "icv=forged: good or bad");
	ATF_REQUIRE((iv = field_lookup(esp, -1, "iv")) != NULL);
	ATF_CHECK(fval_parse(iv, "0xa0a1", &v, err, sizeof(err)) &&
	    v.nbytes == 2 && v.bytes[1] == 0xa1);
}

ATF_TC_WITHOUT_HEAD(lookups);
ATF_TC_BODY(lookups, tc)
{
	const struct layer_def *mh = layer_lookup("mh"),
	    *hao = layer_lookup("hao");
	const struct layer_def *const *l;
	size_t n = 0;

	for (l = layer_all(); *l != NULL; l++)
		n++;
	ATF_CHECK_EQ(n, 15);
	ATF_CHECK(layer_lookup("ipv7") == NULL);
	arp_op_values();
	esp_values();
	/* per message type: BA has status, BU does not */
	ATF_CHECK(field_lookup(mh, MH_BA, "status") != NULL);
	ATF_CHECK(field_lookup(mh, MH_BU, "status") == NULL);
	/* hoa= is the HAO on a BU and the BE's own field on a BE */
	ATF_CHECK_EQ(field_lookup(mh, MH_BU, "hoa")->kind, FK_EXT);
	ATF_CHECK_EQ(field_lookup(mh, MH_BE, "hoa")->kind, FK_FIELD);
	ATF_CHECK_EQ(field_lookup(mh, MH_BE, "hao")->kind, FK_EXT);
	/* generic options on types 0-7 only */
	ATF_CHECK(field_lookup(mh, MH_BU, "opt200") != NULL);
	ATF_CHECK(field_lookup(mh, MH_BU, "opt256") == NULL);
	ATF_CHECK(field_lookup(mh, MH_HAS, "opt5") == NULL);
	ATF_CHECK_EQ(field_key_param("opt200"), 200);
	ATF_CHECK_EQ(field_key_param("seq"), 0);
	ATF_CHECK(field_lookup(hao, -1, "optlen") != NULL);
	ATF_CHECK(field_lookup(layer_lookup("dstopt"), -1, "opt7") != NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mh_fields_are_the_printer_tokens);
	ATF_TP_ADD_TC(tp, icmp6_fields_are_the_printer_tokens);
	ATF_TP_ADD_TC(tp, message_type_tokens);
	ATF_TP_ADD_TC(tp, header_fields_and_keep_bits);
	ATF_TP_ADD_TC(tp, values);
	ATF_TP_ADD_TC(tp, lookups);
	return atf_no_error();
}
