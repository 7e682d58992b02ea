/*
 * stack/mnd/mn_engine_impl.h - private glue between the mobile node
 * engine's files: the state (binding update list, home addresses,
 * counters), the two state machines' states and events (SHISA's numbers,
 * stack-anchors.md §2.4), and the functions the files call in each other.
 * Not part of the engine's API.
 *
 *   mn_engine.c    input dispatch, the state machines, timers, bus
 *   mn_engine_tx.c building and sending every packet the MN originates
 *   mn_engine_ctl.c control requests as JSON
 */
#ifndef MIP6_MN_ENGINE_IMPL_H
#define MIP6_MN_ENGINE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "packets/pkt.h"
#include "packets/rr.h"
#include "stack/mnd/mn_engine.h"
#include "stack/lib/espsa.h"
#include "stack/lib/ratelim.h"

/* RFC 6275 §12, §13 constants (ms). */
#define MN_INITIAL_BINDACK_FIRSTREG_MS	1500	/* InitialBindackTimeoutFirstReg */
#define MN_INITIAL_BINDACK_MS		1000	/* INITIAL_BINDACK_TIMEOUT */
#define MN_MAX_BINDACK_MS		32000	/* MAX_BINDACK_TIMEOUT */
#define MN_INITIAL_DHAAD_MS		3000	/* INITIAL_DHAAD_TIMEOUT */
#define MN_DHAAD_RETRIES		4	/* DHAAD_RETRIES */
#define MN_INITIAL_SOLICIT_MS		3000	/* INITIAL_SOLICIT_TIMER */
#define MN_MAX_RR_BINDING_LIFETIME	420	/* s, MAX_RR_BINDING_LIFETIME */
#define MN_MAX_TOKEN_LIFETIME_MS	210000	/* MAX_TOKEN_LIFETIME */
#define MN_MAX_NA			3	/* MAX_NEIGHBOR_ADVERTISEMENT */
#define MN_NA_INTERVAL_MS		1000	/* RetransTimer default */
#define MN_LIFETIME_UNIT_MS		4000	/* BU/BA lifetime unit */
#define MN_REFRESH_PERCENT		85	/* refresh at this share */
#define MN_BE_PER_SEC			10	/* Binding Errors sent a second */
#define MN_PTB_PER_SEC			10	/* RFC 4443 §2.4 (f) */
#define MN_INFINITE			0xffffffffu	/* lifetime, s */

#define MN_BUL_MAX	64
#define MN_HA_MAX	8	/* home agents kept from a DHAAD Reply */
#define MN_MPA_MAX	8	/* prefixes kept from an MPA */

/* Registration state machine (SHISA bul_reg_fsm). */
enum mn_reg_state {
	MN_REG_IDLE = 0, MN_REG_RRINIT = 1, MN_REG_RRREDO = 2,
	MN_REG_RRDEL = 3, MN_REG_WAITA = 4, MN_REG_WAITAR = 5,
	MN_REG_WAITD = 6, MN_REG_BOUND = 7, MN_REG_DHAAD = 8,
	MN_REG_NSTATES
};

/* Return routability state machine (SHISA bul_rr_fsm). */
enum mn_rr_state {
	MN_RR_START = 0, MN_RR_WAITHC = 1, MN_RR_WAITH = 2, MN_RR_WAITC = 3,
	MN_RR_NSTATES
};

/* Events, SHISA's numbers (fsm.h). */
enum mn_event {
	MN_EV_MOVEMENT = 0, MN_EV_RETURNING_HOME = 1,
	MN_EV_REVERSE_PACKET = 2, MN_EV_RR_DONE = 3, MN_EV_RR_FAILED = 4,
	MN_EV_BRR = 5, MN_EV_BACK = 6, MN_EV_REGISTERED = 7,
	MN_EV_DEREGISTERED = 8, MN_EV_UNKNOWN_HAO = 9,
	MN_EV_UNKNOWN_MH = 10, MN_EV_ICMP6_PARAM_PROB = 11,
	MN_EV_EXPIRE_TIMER = 12, MN_EV_DHAAD_REPLY = 13,
	MN_EV_START_RR = 20, MN_EV_START_HOME_RR = 21, MN_EV_STOP_RR = 22,
	MN_EV_HOT = 23, MN_EV_COT = 24,
	MN_EV_RETRANS_TIMER = 30,
	MN_EV_MAX = 31
};

/* One binding update list entry: (home address, peer). */
struct mn_bul {
	bool		used;
	bool		home;		/* home registration (peer: HA) */
	size_t		hidx;		/* its home address: e->home[] */
	struct in6_addr	peer;		/* HA (:: while discovering) or CN */
	struct in6_addr	coa;		/* CoA of the last BU */
	enum mn_reg_state reg;
	enum mn_rr_state rr;
	uint16_t	seq;		/* last Sequence Number sent */
	uint16_t	flags;		/* BU flags sent */
	uint16_t	lifetime_req;	/* 4-second units asked */
	uint16_t	lifetime;	/* granted (4-second units) */
	bool		dereg;		/* the pending BU is a de-registration */
	bool		non_mip;	/* CN does not do Mobile IPv6 */
	bool		gave_up;	/* CN never answered (§11.8): tunnel */
	uint8_t		refused;	/* BA status that barred further BUs
					   to this peer (§11.7.3), 0 none */
	uint64_t	sent_ms;	/* last BU sent */
	uint64_t	expires_ms;	/* binding lifetime end, 0 none */
	uint64_t	reg_timer;	/* retransmit / refresh / DHAAD, 0 off */
	uint32_t	backoff_ms;	/* current retransmission timeout */
	unsigned	retries;	/* retransmissions of this exchange */
	/* return routability (RFC 6275 §5.2.5, §11.6) */
	uint64_t	rr_timer;
	uint32_t	rr_backoff_ms;
	unsigned	rr_retries;
	uint8_t		home_cookie[8], careof_cookie[8];
	uint8_t		home_token[RR_TOKEN_LEN], careof_token[RR_TOKEN_LEN];
	uint16_t	home_nonce, careof_nonce;
	uint64_t	home_token_ms, careof_token_ms;	/* 0: none held */
};

/* DSMIPv6 (RFC 5555): where the IPv4 home address (or prefix) stands. */
enum mn_v4_state {
	MN_V4_OFF = 0,		/* not configured */
	MN_V4_ASKING,		/* IPv4 Home Address option sent */
	MN_V4_BOUND,		/* acknowledged with status 0 */
	MN_V4_REFUSED,		/* failure status (§4.4.3 [R]) */
	MN_V4_UNSUPPORTED,	/* BA without option 30: the HA does not do
				   DSMIPv6 (§4.4.3 [R]) */
	MN_V4_NSTATES
};

#define MN_NATKATIMEOUT_S	110	/* RFC 5555 NATKATIMEOUT [R] */
#define MN_REFRESH_NONE		0xffffffffu	/* §3.2.2: no keepalives */

/* One home address and what the MN knows about its home. */
struct mn_home {
	struct mnd_hoa	conf;
	bool		at_home;
	unsigned	home_ifindex;	/* while at home */
	/* DHAAD (§11.4.1): the Reply's list, in preference order */
	size_t		nha, ha_idx;
	struct in6_addr	ha_list[MN_HA_MAX];
	uint16_t	dhaad_id;
	/* Mobile prefix discovery (§11.4.2, §11.4.3) */
	uint16_t	mps_id;
	uint64_t	mps_timer;	/* 0: no solicitation pending */
	uint32_t	mps_backoff_ms;
	size_t		nmpa;
	struct mnd_prefix mpa[MN_MPA_MAX];
	uint64_t	mpa_ms;		/* last MPA accepted */
	/* the home prefix's valid lifetime (§11.7.1), from an MPA */
	uint32_t	pfx_valid_s;	/* MN_INFINITE: not limited */
	uint64_t	pfx_valid_ms;	/* when it was learnt */
	/* unsolicited NAs after returning home (§11.5.4) */
	unsigned	na_left;
	uint64_t	na_timer;
	/* DSMIPv6 (RFC 5555), mn_engine_v4.c */
	enum mn_v4_state v4_state;
	uint8_t		v4_status;	/* last IPv4 Address Ack status */
	uint8_t		v4_plen;	/* acknowledged */
	bool		v4_installed;	/* hoa4 op called with on */
	bool		v4_prefix_granted; /* P no longer sent (§3.1.1) */
	struct in_addr	v4_addr;	/* acknowledged address / prefix */
	unsigned	v4_ifindex;	/* coa_ifindex when installed */
	bool		v4_home;	/* on the home link (place_hoa4) */
	bool		nat;		/* NAT Detection option received */
	bool		udp;		/* data in UDP (NAT or F, §4.2) */
	bool		natd_f;		/* F in the HA's option */
	uint32_t	refresh_s;	/* Refresh Time given, 0 none */
	uint64_t	ka_timer;	/* next keepalive BU (§4.3 [R]) */
};

/* Counters, by group; the names are what `mip6ctl counters` prints
   (mn_engine_ctl.c). */
enum mn_rx {
	MN_RX_BA, MN_RX_BRR, MN_RX_BE, MN_RX_HOT, MN_RX_COT, MN_RX_DHAAD,
	MN_RX_MPA, MN_RX_PARAM_PROB, MN_RX_RR_HINT, MN_RX_MD_INFO, MN_RX_PTB,
	MN_RX_MAX
};
enum mn_tx {
	MN_TX_BU, MN_TX_HOTI, MN_TX_COTI, MN_TX_DHAAD, MN_TX_MPS, MN_TX_NA,
	MN_TX_BUS, MN_TX_BE, MN_TX_PTB, MN_TX_MAX
};
enum mn_drop {
	MN_DROP_MALFORMED, MN_DROP_UNEXPECTED, MN_DROP_NO_COA, MN_DROP_SEQ,
	MN_DROP_NO_HA4,		/* IPv4 CoA, no home-agent-ipv4 */
	MN_DROP_MAX
};

struct mn_counters {
	uint64_t	rx[MN_RX_MAX];
	uint64_t	tx[MN_TX_MAX];
	uint64_t	drop[MN_DROP_MAX];
	uint64_t	ba_status[256];
	uint64_t	be_status[3];
	uint64_t	ro_gave_up;	/* correspondent exchanges abandoned */
};

#define MN_TXBUF	2048

struct mn_engine {
	struct mnd_conf	 conf;
	struct mn_ops	 ops;
	uint64_t	 now;
	struct mn_iface	 ifaces[MND_IFACE_MAX];
	size_t		 nifaces;
	/* the primary care-of address (MD_INFO rereg) */
	bool		 have_coa;
	struct in6_addr	 coa;
	unsigned	 coa_ifindex;
	uint32_t	 coa_valid_s;		/* MSA_LIFETIME, MN_INFINITE */
	uint64_t	 coa_valid_ms;		/* when it was learnt */
	struct in6_addr	 router;		/* default router (link-local) */
	size_t		 nhome;
	struct mn_home	 home[MND_HOA_MAX];
	struct mn_bul	 bul[MN_BUL_MAX];
	uint16_t	 next_id;		/* DHAAD / MPS identifiers */
	struct mn_counters cnt;
	/* stack/lib/ratelim.h, fixed windows (ratelim_take_window) */
	struct ratelim	 rl_log;
	struct ratelim	 rl_be;		/* Binding Errors we send */
	struct ratelim	 rl_ptb;	/* Packet Too Big we send */
	const struct m6_sig *rx_sig;	/* record of the packet in hand */
	/* IPsec for the signalling with the home agents (RFC 3776,
	   stack/lib/espsa.h): the SA table (keys only here), the SA the
	   packet in hand was opened with (NULL: unprotected) and that
	   packet rebuilt without ESP */
	struct espsa_table esp;
	struct espsa	*rx_sa;
	uint8_t		 espbuf[MN_TXBUF];
	struct pkt	 rx;
	struct pkt	 tx;
	struct pkt	 scratch;	/* decoding what was built */
	uint8_t		 txbuf[MN_TXBUF];
};

/* mn_engine.c */
void	mn_log(struct mn_engine *, int prio, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
const char *mn_event_name(unsigned);
struct mn_bul *mn_bul_home(struct mn_engine *, size_t hidx);

/* mn_engine_tx.c: each returns true when the packet left. */
bool	mn_tx_home_bu(struct mn_engine *, struct mn_bul *);
bool	mn_tx_cn_bu(struct mn_engine *, struct mn_bul *);
bool	mn_tx_hoti(struct mn_engine *, struct mn_bul *);
bool	mn_tx_coti(struct mn_engine *, struct mn_bul *);
bool	mn_tx_dhaad(struct mn_engine *, struct mn_home *);
bool	mn_tx_mps(struct mn_engine *, struct mn_home *, const struct mn_bul *);
bool	mn_tx_na(struct mn_engine *, struct mn_home *);
bool	mn_tx_be(struct mn_engine *, const struct hdr_ipv6 *, uint8_t status);
bool	mn_tx_ptb(struct mn_engine *, const struct in6_addr *src, uint32_t mtu,
	    const uint8_t *quote, size_t qlen);
struct in6_addr mn_ha_anycast(const struct mnd_prefix *);

/* mn_engine_v4.c: DSMIPv6 (RFC 5555) */
bool	mn_coa_is_v4(const struct mn_engine *);
struct in_addr mn_coa4(const struct mn_engine *);
bool	mn_v4_add_bu_opts(struct mn_engine *, struct mn_bul *, struct mh_msg *);
bool	mn_v4_ba_from_ok(const struct mn_engine *, const struct mn_bul *);
void	mn_v4_ba(struct mn_engine *, struct mn_bul *, const struct mh_msg *);
void	mn_v4_fresh(struct mn_engine *, struct mn_home *);
void	mn_v4_clear(struct mn_engine *, struct mn_home *);
void	mn_v4_place(struct mn_engine *, struct mn_home *, bool home);
void	mn_v4_hoa_flags(const struct mn_engine *, const struct mn_home *,
	    struct m6_mn_hoa *);
void	mn_v4_restore(struct mn_engine *, struct mn_home *,
	    const struct mn_bul *, const struct m6_mn_hoa *);
const char *mn_v4_state_name(unsigned);

/* mn_engine_ctl.c */
int	mn_ctl_request(struct mn_engine *, const char *request,
	    uint64_t now_ms, struct jw *);

static inline bool
mn_in6_eq(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static inline bool
mn_in6_any(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return mn_in6_eq(a, &any);
}

#endif
