/*
 * nut_test.c - NUT descriptions (nut.c): the model, the variables they
 * define, SKIP reasons from roles, capabilities and topologies, the
 * control verbs, the fake control back-end, and exact errors.
 */
#include <atf-c.h>
#include <string.h>

#include "conformance/engine/case.h"
#include "conformance/engine/nut.h"
#include "conformance/engine/vars.h"
#include "ctest.h"

static const char desc[] =
	"# a home agent\n"
	"nut ha1\n"
	"title A home agent # not a comment in a title\n"
	"role ha cn\n"
	"capability dhaad mpd\n"
	"netdev fake ha1.responder\n"
	"control ssh root@192.0.2.1\n"
	"command reset \"mip6d -r\"\n"
	"command add-address \"ip addr add %2 dev %1\"\n"
	"topology ha-home link0 link1\n"
	"link link0 tester=tn0 mac=02:00:00:00:00:a0\n"
	"link link1 tester=tn1 mac=02:00:00:00:10:a0\n"
	"iface link0 dev=eth0 mac=02:00:00:00:01:01 addr=2001:db8:1::1\n"
	"iface link1 dev=eth1 addr=2001:db8:2::1\n"
	"node mn0 link1 coa=2001:db8:2::b0 hoa=2001:db8:1::b0\n"
	"fail move\n";

ATF_TC_WITHOUT_HEAD(description_model);
ATF_TC_BODY(description_model, tc)
{
	struct nutdesc *d = ct_nut("/etc/nut/ha1.nut", desc);

	ATF_CHECK_STREQ(d->name, "ha1");
	ATF_CHECK_STREQ(d->title, "A home agent # not a comment in a title");
	ATF_CHECK_EQ(d->roles, ROLE_HA | ROLE_CN);
	ATF_REQUIRE_EQ(d->ncaps, 2);
	ATF_CHECK(nut_has_cap(d, "mpd"));
	ATF_CHECK(!nut_has_cap(d, "ro"));
	ATF_CHECK_EQ(d->netdev, NUTDEV_FAKE);
	/* a responder path is relative to the description's folder */
	ATF_CHECK_STREQ(d->netdev_arg, "/etc/nut/ha1.responder");
	ATF_CHECK_EQ(d->control, NUTCTL_SSH);
	ATF_CHECK_STREQ(d->control_arg, "root@192.0.2.1");
	ATF_REQUIRE_EQ(d->ncmds, 2);
	ATF_CHECK_STREQ(d->cmds[1].cmd, "ip addr add %2 dev %1");
	ATF_CHECK(nut_has_topology(d, "ha-home"));
	ATF_CHECK(!nut_has_topology(d, "one-link"));
	ATF_REQUIRE(nut_link(d, "link1") != NULL);
	ATF_CHECK_STREQ(nut_link_attr(nut_link(d, "link1"), true, "mac"),
	    "02:00:00:00:10:a0");
	ATF_CHECK(nut_link_attr(nut_link(d, "link1"), false, "mac") == NULL);
	ATF_CHECK(nut_link(d, "link2") == NULL);
	nut_free(d);
}

ATF_TC_WITHOUT_HEAD(variables);
ATF_TC_BODY(variables, tc)
{
	struct nutdesc *d = ct_nut("ha1.nut", desc);
	struct vars vs;

	vars_init(&vs);
	nut_vars(d, &vs);
	ATF_CHECK_STREQ(vars_get(&vs, "nut.name"), "ha1");
	/* the first interface is the NUT's own */
	ATF_CHECK_STREQ(vars_get(&vs, "nut.addr"), "2001:db8:1::1");
	ATF_CHECK_STREQ(vars_get(&vs, "nut.mac"), "02:00:00:00:01:01");
	ATF_CHECK_STREQ(vars_get(&vs, "nut.link1.addr"), "2001:db8:2::1");
	ATF_CHECK_STREQ(vars_get(&vs, "nut.link0.dev"), "eth0");
	ATF_CHECK_STREQ(vars_get(&vs, "link1.tester"), "tn1");
	ATF_CHECK_STREQ(vars_get(&vs, "mn0.hoa"), "2001:db8:1::b0");
	ATF_CHECK_STREQ(vars_get(&vs, "mn0.link"), "link1");
	ATF_CHECK(vars_get(&vs, "nut.link1.mac") == NULL);
	vars_free(&vs);
	nut_free(d);
}

static struct mcase *
mkcase(const char *roles, const char *requires, const char *topo)
{
	char text[1024];

	snprintf(text, sizeof(text), "case HA-1\ntitle t\nrfc r\n"
	    "topology %s\nrole %s\n%s%s\npurpose\n.\nend\nprocedure\n.\nend\n"
	    "judgement\n.\nend\n0 nut reset\n", topo, roles,
	    requires[0] != '\0' ? "requires " : "", requires);
	return ct_case("x", text);
}

ATF_TC_WITHOUT_HEAD(skip_reasons);
ATF_TC_BODY(skip_reasons, tc)
{
	struct nutdesc *d = ct_nut("ha1.nut", desc);
	struct mcase *c;
	char buf[128];

	c = mkcase("ha", "dhaad", "ha-home");
	ATF_CHECK(nut_skip_reason(d, c, buf, sizeof(buf)) == NULL);
	case_free(c);
	c = mkcase("mn mr", "", "ha-home");
	ATF_CHECK_STREQ(nut_skip_reason(d, c, buf, sizeof(buf)),
	    "role mn mr not declared by the NUT");
	case_free(c);
	c = mkcase("node", "", "ha-home");
	ATF_CHECK_STREQ(nut_skip_reason(d, c, buf, sizeof(buf)),
	    "role node not declared by the NUT");
	case_free(c);
	c = mkcase("cn", "dhaad ro", "ha-home");
	ATF_CHECK_STREQ(nut_skip_reason(d, c, buf, sizeof(buf)),
	    "capability ro not claimed by the NUT");
	case_free(c);
	c = mkcase("ha", "", "one-link");
	ATF_CHECK_STREQ(nut_skip_reason(d, c, buf, sizeof(buf)),
	    "topology one-link not provided by the NUT set-up");
	case_free(c);
	nut_free(d);
}

/* x.nut with `text` is refused with exactly the messages `want`. */
static void
parse_errors(const char *text, const char *const *want)
{
	struct cerr e;
	size_t i;

	cerr_init(&e);
	ATF_CHECK(nut_parse("x.nut", text, &e) == NULL);
	for (i = 0; want[i] != NULL && i < e.n; i++)
		ATF_CHECK_STREQ(e.msg[i], want[i]);
	ATF_CHECK_EQ(e.n, i);
	ATF_CHECK(want[i] == NULL);
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{
	static const char text[] =
		"nut x\n"
		"role router\n"
		"capability nemo\n"
		"control telnet host\n"
		"netdev fake\n"
		"command boot \"x\"\n"
		"iface link0 mac\n"
		"bogus 1\n"
		"topology t link9\n"
		"node n linkq a=b\n"
		"\"open\n";
	static const char *const want[] = {
		"x.nut:2: unknown role 'router'",
		"x.nut:3: unknown capability 'nemo' (dhaad mpd ro "
		    "nemo-implicit nemo-explicit dsmip ipsec auth-option, or "
		    "none)",
		"x.nut:4: control takes: fake, local NETNS, ssh DEST or manual",
		"x.nut:5: netdev takes: afpacket, or fake RESPONDER-FILE",
		"x.nut:6: command takes a control verb and a quoted shell "
		    "command (command reset \"...\")",
		"x.nut:7: 'mac' is not key=value",
		"x.nut:8: unknown or incomplete statement 'bogus' (nut title "
		    "role capability control command netdev topology link iface "
		    "node sa fail)",
		"x.nut:11: unterminated quote",
		"x.nut:1: missing 'role'",
		"x.nut:1: missing 'netdev' (afpacket, or fake RESPONDER-FILE)",
		"x.nut:1: topology t uses link link9, which has no 'link' line",
		"x.nut:1: node n is on link linkq, which has no 'link' line",
		NULL
	};

	parse_errors(text, want);
}

/* sa lines: manual SAs (RFC 4303) checked like esp_sa_check, given to
   the decoder and to the case language as $sa.NAME / $sa.NAME.spi. */
#define SA_KEYS	"enc aes-cbc 0x0102030405060708090a0b0c0d0e0f10 "	\
	"auth hmac-sha1 0x2122232425262728292a2b2c2d2e2f3031323334"

ATF_TC_WITHOUT_HEAD(security_associations);
ATF_TC_BODY(security_associations, tc)
{
	static const char bad[] =
		"nut x\nrole mn\nnetdev afpacket\n"
		"sa a spi 0x1000 enc aes-cbc 0x0102 auth none\n"
		"sa b spi 255 enc null auth hmac-sha1 0x2122232425262728292a2b"
		"2c2d2e2f3031323334\n"
		"sa c-d spi 0x1001 enc null auth none\n"
		"sa e spi 0x1002 enc rc4 0x01 auth none\n"
		"sa f spi 0x1003 " SA_KEYS "\n"
		"sa g spi 0x1003 " SA_KEYS "\n"
		"sa h spi 0x1004 enc null auth none\n"
		"sa i spi\n";
	static const char *const want[] = {
		"x.nut:4: sa a: SPI under 256, a key of the wrong length, or "
		    "neither encryption nor integrity",
		"x.nut:5: sa b: SPI under 256, a key of the wrong length, or "
		    "neither encryption nor integrity",
		"x.nut:6: sa takes: NAME spi SPI enc ALG [KEY] auth ALG [KEY] "
		    "(NAME: letters, digits and _)",
		"x.nut:7: sa e: unknown encryption (null, aes-cbc, 3des-cbc)",
		"x.nut:9: sa g: name or SPI 0x1003 already used by sa f",
		"x.nut:10: sa h: SPI under 256, a key of the wrong length, or "
		    "neither encryption nor integrity",
		"x.nut:11: sa takes: NAME spi SPI enc ALG [KEY] auth ALG [KEY] "
		    "(NAME: letters, digits and _)",
		NULL
	};
	struct nutdesc *d;
	struct pkt_esp_keys k;
	struct vars vs;

	d = ct_nut("mn.nut", "nut mn\nrole mn\nnetdev afpacket\n"
	    "sa mn_to_ha spi 0x1000 " SA_KEYS "\n"
	    "sa ha_to_mn spi 4097 enc null auth hmac-sha256 0x3132333435363738"
	    "393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f50\n");
	k = nut_esp_keys(d);
	ATF_REQUIRE_EQ(k.n, 2);
	ATF_CHECK_EQ(k.sa[0].spi, 0x1000u);
	ATF_CHECK_EQ(k.sa[0].enc, ESP_ENC_AES_CBC);
	ATF_CHECK_EQ(k.sa[1].spi, 0x1001u);
	ATF_CHECK_EQ(k.sa[1].auth, ESP_AUTH_HMAC_SHA256_128);
	ATF_CHECK_EQ(k.sa[1].auth_key_len, 32u);
	vars_init(&vs);
	nut_vars(d, &vs);
	ATF_CHECK_STREQ(vars_get(&vs, "sa.mn_to_ha"), "0x1000:aes-cbc:"
	    "0x0102030405060708090a0b0c0d0e0f10:hmac-sha1:"
	    "0x2122232425262728292a2b2c2d2e2f3031323334");
	ATF_CHECK_STREQ(vars_get(&vs, "sa.ha_to_mn.spi"), "0x1001");
	vars_free(&vs);
	nut_free(d);
	parse_errors(bad, want);
}

ATF_TC_WITHOUT_HEAD(verbs);
ATF_TC_BODY(verbs, tc)
{
	char *ok[] = { "add-route", "2001:db8::/32", "fe80::1" };
	char *few[] = { "move" };
	char *role[] = { "enable", "hq" };
	char *var[] = { "enable", "$role" };
	char *unknown[] = { "fly" };

	ATF_CHECK(nut_verb_check(ok, 3) == NULL);
	ATF_CHECK(nut_verb_check(var, 2) == NULL);
	ATF_CHECK_STREQ(nut_verb_check(few, 1), "usage: nut move LINK");
	ATF_CHECK_STREQ(nut_verb_check(role, 2), "nut enable: unknown role "
	    "'hq'");
	ATF_CHECK_STREQ(nut_verb_check(unknown, 1), "unknown control verb "
	    "'fly' (start stop reset reboot enable disable add-address "
	    "del-address add-route del-route move)");
	ATF_CHECK_STREQ(nut_verb_lookup("reset")->usage, "reset");
	ATF_CHECK(nut_verb_lookup("fly") == NULL);
	ATF_CHECK_STREQ(nut_verbs()[0].name, "start");
}

ATF_TC_WITHOUT_HEAD(fake_control_records_and_fails_on_request);
ATF_TC_BODY(fake_control_records_and_fails_on_request, tc)
{
	struct nutdesc *d = ct_nut("f.nut", "nut f\nrole node\nnetdev fake "
	    "f.responder\ncontrol fake\nfail move\n");
	struct nutctl *nc = nutctl_open(d, NULL, 0);
	char *reset[] = { "reset" }, *move[] = { "move", "link1" };
	char err[200];

	ATF_CHECK_EQ(nutctl_verb(nc, reset, 1, err, sizeof(err)), 0);
	ATF_CHECK_EQ(nutctl_verb(nc, move, 2, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "nut move failed (the NUT description says "
	    "'fail move')");
	ATF_REQUIRE_EQ(nc->nlog, 2);
	ATF_CHECK_STREQ(nc->log[0], "reset");
	ATF_CHECK_STREQ(nc->log[1], "move link1");
	nutctl_close(nc);
	nut_free(d);
}

ATF_TC_WITHOUT_HEAD(command_control_needs_a_command);
ATF_TC_BODY(command_control_needs_a_command, tc)
{
	struct nutdesc *d = ct_nut("l.nut", "nut l\nrole node\nnetdev "
	    "afpacket\ncontrol local nsx\n");
	struct nutctl *nc = nutctl_open(d, NULL, 0);
	char *stop[] = { "stop" };
	char err[200];

	ATF_CHECK_EQ(nutctl_verb(nc, stop, 1, err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "no 'command stop' in l.nut");
	nutctl_close(nc);
	nut_free(d);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, description_model);
	ATF_TP_ADD_TC(tp, variables);
	ATF_TP_ADD_TC(tp, skip_reasons);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, verbs);
	ATF_TP_ADD_TC(tp, security_associations);
	ATF_TP_ADD_TC(tp, fake_control_records_and_fails_on_request);
	ATF_TP_ADD_TC(tp, command_control_needs_a_command);
	return atf_no_error();
}
