/*
 * topo_run_test.c - the topology side that needs no root (topo_run.c):
 * run ids mip6topo accepts, the tester's interface on each link read from
 * `mip6topo up -j` output, and a missing mip6topo reported with its
 * message.  The root tests (linux_plain_test) bring real topologies up.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "conformance/engine/topo_run.h"

/*
 * What `mip6topo up -j -i g1 conformance/topologies/one-link.topo`
 * printed, with a bridged link1 added.
 */
static const char status[] =
	"{\"runs\":[{\"id\":\"g1\",\"state\":\"up\",\"nodes\":[{\"name\":"
	"\"tn\",\"netns\":\"m6-g1-tn\",\"present\":true}],\"switch\":null,"
	"\"links\":[{\"name\":\"link0\",\"kind\":\"veth\",\"endpoints\":["
	"{\"node\":\"tn\",\"ifname\":\"tn0\",\"port\":null},{\"node\":\"nut\","
	"\"ifname\":\"eth0\",\"port\":null}],\"pcap\":null},{\"name\":"
	"\"link1\",\"kind\":\"bridge\",\"endpoints\":[{\"node\":\"nut\","
	"\"ifname\":\"l1\",\"port\":\"p1.0\"},{\"node\":\"tn\",\"ifname\":"
	"\"tn1\",\"port\":\"p1.1\"}],\"pcap\":null}],\"addrs\":[]}]}";

ATF_TC_WITHOUT_HEAD(ifname_from_status);
ATF_TC_BODY(ifname_from_status, tc)
{
	char b[32];

	ATF_CHECK_STREQ(topo_status_ifname(status, "link0", "tn", b,
	    sizeof(b)), "tn0");
	ATF_CHECK_STREQ(topo_status_ifname(status, "link0", "nut", b,
	    sizeof(b)), "eth0");
	ATF_CHECK_STREQ(topo_status_ifname(status, "link1", "tn", b,
	    sizeof(b)), "tn1");
	/* tn's endpoint of link1 must not be taken for link0's. */
	ATF_CHECK(topo_status_ifname(status, "link2", "tn", b, sizeof(b)) ==
	    NULL);
	ATF_CHECK(topo_status_ifname(status, "link0", "mn", b, sizeof(b)) ==
	    NULL);
	ATF_CHECK(topo_status_ifname(status, "link0", "tn", b, 3) == NULL);
	ATF_CHECK(topo_status_ifname("{}", "link0", "tn", b, sizeof(b)) ==
	    NULL);
	ATF_CHECK(topo_status_ifname(NULL, "link0", "tn", b, sizeof(b)) ==
	    NULL);
}

ATF_TC_WITHOUT_HEAD(run_ids);
ATF_TC_BODY(run_ids, tc)
{
	ATF_CHECK(topo_id_valid("c12345"));
	ATF_CHECK(topo_id_valid("abcdefghij12"));
	ATF_CHECK(!topo_id_valid("abcdefghij123"));
	ATF_CHECK(!topo_id_valid(""));
	ATF_CHECK(!topo_id_valid("C1"));
	ATF_CHECK(!topo_id_valid("a-b"));
}

ATF_TC_WITHOUT_HEAD(missing_tool_and_bad_id);
ATF_TC_BODY(missing_tool_and_bad_id, tc)
{
	struct topo_run t;
	char err[300];

	ATF_CHECK_EQ(topo_run_up(&t, "/nonexistent/mip6topo", "x.topo", "g1",
	    err, sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "mip6topo up x.topo: /nonexistent/mip6topo: No "
	    "such file or directory");
	ATF_CHECK(!t.up);
	topo_run_down(&t);
	ATF_CHECK_EQ(topo_run_up(&t, "/bin/true", "x.topo", "G1", err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "topology run id 'G1': 1 to 12 lower-case "
	    "letters and digits");
	topo_run_netns(&t, "tn", err, sizeof(err));
	ATF_CHECK_STREQ(err, "/run/netns/m6-G1-tn");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, ifname_from_status);
	ATF_TP_ADD_TC(tp, run_ids);
	ATF_TP_ADD_TC(tp, missing_tool_and_bad_id);
	return atf_no_error();
}
