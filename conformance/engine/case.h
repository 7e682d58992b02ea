/*
 * case.h - the conformance case language: the model a case file parses
 * into, and the parser.
 *
 * A case file is line-oriented text (mip6conf-case(5)):
 *
 *   case HA-2-1-1                      header: id, tahi, title, rfc,
 *   title Receiving a valid BU         topology, role, requires, timeout
 *   rfc RFC 6275 §10.3.1
 *   purpose ... end                    spec text blocks (also procedure,
 *                                      judgement)
 *   set seq = 100                      variables
 *   packet NAME ... end                a template to send
 *   expect NAME ... end                a pattern to match
 *   0.5 send link0 NAME                the timeline: TIME VERB ...
 *   +0~1.5 expect link0 {A, B}
 *   focus / cleanup / sleep 2
 *
 * A responder file (a scripted NUT for the fake network device) uses the
 * same language with `responder NAME` first and `on` / `at` rules instead
 * of a timeline.
 *
 * Parsing checks syntax and everything that can be known without the NUT
 * description (template fields and literal values through tmpl_check());
 * errors are "FILE:LINE: message", collected in a struct cerr.
 */
#ifndef MIP6_CONF_CASE_H
#define MIP6_CONF_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "timing.h"

struct cerr;
struct layer_def;

#define CASE_ID_MAX	48
#define CASE_NAME_MAX	48
#define CASE_TIMEOUT_DEFAULT 60	/* seconds */
#define EV_TMPL_MAX	8	/* templates in one expect set / oneof */

/*
 * Roles a NUT can have; a case names the ones it applies to, and runs
 * against a NUT that declares at least one of them.
 */
enum role {
	ROLE_NODE = 0x01,	/* an IPv6 node without Mobile IPv6 */
	ROLE_HA = 0x02,
	ROLE_MN = 0x04,
	ROLE_MR = 0x08,
	ROLE_CN = 0x10
};

/* ---------------------------------------------------------- templates */

enum top {
	TOP_EQ,		/* key=value */
	TOP_NE,		/* key!=value */
	TOP_LT, TOP_LE, TOP_GT, TOP_GE,
	TOP_ANY,	/* key=*       present, any value */
	TOP_ONEOF,	/* key=oneof(a,b,c) */
	TOP_CAPTURE,	/* key=?name   any value, bound to $name on a match */
	TOP_SET,	/* KEY         a flag that is set / an option present */
	TOP_ABSENT	/* !KEY        a flag that is clear / option absent */
};

struct titem {
	char		*key;
	enum top	 op;
	char		*val;		/* unresolved text; NULL for SET/ABSENT */
	char		**alts;		/* ONEOF: the alternatives */
	size_t		 nalt;
};

/* One layer line: "mh BU seq=$seq A H lifetime=400s". */
struct tlayer {
	const struct layer_def *def;	/* field.h */
	int		 line;
	char		*word;	/* mh/icmp6: message type token ("BU", "*");
				   hao/rh2: the address; NULL if none */
	struct titem	*items;
	size_t		 nitem;
};

struct tmpl {
	char		 name[CASE_NAME_MAX];
	int		 line;
	bool		 pattern;	/* declared with `expect` */
	bool		 used;
	/* `tolerate`: a frame the NUT sends that no event took and that
	 * matches this pattern is not held against it (no WARN). */
	bool		 tolerated;
	struct tlayer	*layers;
	size_t		 nlayer;
	/* Patterns: violations tolerated in a matching packet. */
	char		**allow;	/* viol_name() strings */
	size_t		 nallow;
	bool		 allow_all;	/* "allow all" */
};

/* ---------------------------------------------------------- timeline */

enum ev_kind {
	EV_SEND,
	EV_EXPECT,
	EV_EXPECT_NONE,
	EV_NUT,
	EV_SLEEP,
	EV_ADVERTISE	/* movement: argv[0] is the emulated router */
};

enum ev_mode {
	EVM_ONE,	/* one template */
	EVM_SET,	/* {A, B}: all of them, any order */
	EVM_ONEOF	/* oneof(A, B): any one of them */
};

enum ev_phase {
	PH_INIT,	/* before `focus`: a failure is INIT-FAIL */
	PH_TEST,
	PH_CLEANUP	/* after `cleanup`: a failure is CLEANUP-FAIL */
};

struct event {
	enum ev_kind	 kind;
	enum ev_phase	 phase;
	int		 line;
	struct ev_time	 when;
	char		 link[CASE_NAME_MAX];
	enum ev_mode	 mode;
	size_t		 ntmpl;
	int		 tmpl[EV_TMPL_MAX];	/* indices into mcase.tmpls */
	int64_t		 dur_us;	/* expect-none: `for`; sleep */
	char		**argv;		/* nut: verb and arguments */
	size_t		 argc;
};

/* A responder rule: `on LINK PATTERN reply TEMPLATE [after D]` or
 * `at TIME emit LINK TEMPLATE`. */
struct rule {
	int		 line;
	bool		 at;		/* `at`: emitted once at `when` */
	char		 link[CASE_NAME_MAX];
	int		 match;		/* `on`: pattern index */
	int		 reply;		/* template index */
	int64_t		 delay_us;	/* `after` */
	int64_t		 when_us;	/* `at` */
};

struct setvar {
	char		 name[CASE_NAME_MAX];
	char		*expr;
	int		 line;
};

struct mcase {
	char		*path;
	const char	*file;		/* basename of path, for messages */
	bool		 responder;
	char		 id[CASE_ID_MAX];
	char		 tahi[CASE_ID_MAX];
	char		*title;
	char		**rfc;
	size_t		 nrfc;
	char		 topology[CASE_NAME_MAX];
	unsigned	 roles;		/* enum role bits */
	char		**requires;	/* capability names */
	size_t		 nrequires;
	unsigned	 timeout_s;
	char		*purpose, *procedure, *judgement;
	struct setvar	*sets;
	size_t		 nset;
	struct tmpl	*tmpls;
	size_t		 ntmpl;
	struct event	*events;
	size_t		 nevent;
	int		 focus_line;	/* 0: none */
	int		 cleanup_line;	/* 0: none */
	struct rule	*rules;
	size_t		 nrule;
};

/*
 * Parse `text` (the contents of `path`).  Returns the case, or NULL when
 * errors were found (all of them are in `e`).
 */
struct mcase *case_parse(const char *path, const char *text, struct cerr *e);
/* Read and parse a file; a read failure is an error "PATH:0: ...". */
struct mcase *case_load(const char *path, struct cerr *e);
void	case_free(struct mcase *);

int	case_find_tmpl(const struct mcase *, const char *name);
const char *role_name(enum role);
/* "ha" -> ROLE_HA; 0 when unknown. */
unsigned role_parse(const char *);
/* "ha mr" from a role mask. */
void	roles_fmt(char *buf, size_t cap, unsigned roles);
/* Known capability names (a case's `requires`, a NUT's `capability`). */
bool	capability_known(const char *);
const char *const *capability_names(void);

/*
 * Split a line into tokens: whitespace separates, "..." quotes (with \"
 * and \\), and ( ) { } group so "oneof(1, 2)" and "{A, B}" stay whole.
 * Returns the number of tokens (<= max) or -1 with a message in err
 * (an unterminated quote or group).  Tokens are written into `store`.
 */
int	case_tokenize(const char *line, char **tok, int max, char *store,
	    size_t cap, char *err, size_t errcap);

#endif
