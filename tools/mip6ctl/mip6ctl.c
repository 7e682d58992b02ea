/*
 * mip6ctl - the control tool of the mip6kit daemons (mip6ctl(8)).
 *
 *   mip6ctl [-j] [-s socket] command [argument ...]
 *
 * Sends one request line over the daemon's control socket (ctl.h) and
 * prints the JSON answer: as JSON with -j, otherwise as text made from
 * the JSON (text.c).  Exit status: 0 ok, 1 the daemon answered an error
 * (or no usable answer), 2 no connection, 64 bad usage.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/lib/ctl.h"
#include "tools/mip6ctl/text.h"

#define DEFAULT_SOCKET	"/run/mip6kit/had.sock"
#define CALL_TIMEOUT_MS	30000
#define EX_USAGE_	64

static const char usage_text[] =
    "usage: mip6ctl [-hj] [-s socket] command [argument ...]\n"
    "commands:\n"
    "  bindings               the binding cache (also: show bindings)\n"
    "  bindings delete HOA    remove the binding of home address HOA\n"
    "  halist                 the home agents list\n"
    "  bul                    the binding update list (mnd)\n"
    "  nonces                 the nonce table (cnd)\n"
    "  clients                the bus clients (mip6busd)\n"
    "  counters               signaling and forwarding counters\n"
    "  status                 the daemon's state\n"
    "  reset                  forget every binding, zero the counters\n"
    "  reload                 read the configuration file again\n"
    "options:\n"
    "  -j, --json             print the answer as JSON\n"
    "  -s, --socket PATH      control socket (default " DEFAULT_SOCKET ")\n"
    "  -h, --help             this text\n";

static void
usage(FILE *out)
{
	fputs(usage_text, out);
}

static int
bad_usage(const char *fmt, const char *arg)
{
	if (fmt != NULL) {
		fputs("mip6ctl: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	usage(stderr);
	return EX_USAGE_;
}

/* Commands that take no argument. */
static const char *const plain_cmds[] = {
	"bindings", "halist", "bul", "nonces", "clients", "counters", "status",
	"reset", "reload",
};

static bool
is_plain(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(plain_cmds) / sizeof(plain_cmds[0]); i++)
		if (strcmp(w, plain_cmds[i]) == 0)
			return true;
	return false;
}

/*
 * The request line for the command words, or a usage error (64).  The
 * home address of "bindings delete" goes out in canonical form.
 */
static int
build_request(int argc, char **argv, char *req, size_t cap)
{
	struct in6_addr a;
	char canon[INET6_ADDRSTRLEN];

	if (argc > 0 && strcmp(argv[0], "show") == 0) {
		if (argc != 2 || strcmp(argv[1], "reset") == 0 ||
		    strcmp(argv[1], "reload") == 0 || !is_plain(argv[1]))
			return bad_usage("show what? (bindings, halist, bul, "
			    "nonces, clients, counters, status)%s", "");
		argc--;
		argv++;
	}
	if (argc == 0)
		return bad_usage("no command", NULL);
	if (!is_plain(argv[0]))
		return bad_usage("unknown command \"%s\"", argv[0]);
	if (argc == 1) {
		snprintf(req, cap, "%s", argv[0]);
		return 0;
	}
	if (strcmp(argv[0], "bindings") != 0 || strcmp(argv[1], "delete") != 0)
		return bad_usage("%s takes no argument", argv[0]);
	if (argc != 3)
		return bad_usage("bindings delete takes one home address%s",
		    "");
	if (inet_pton(AF_INET6, argv[2], &a) != 1)
		return bad_usage("\"%s\" is not an IPv6 address", argv[2]);
	inet_ntop(AF_INET6, &a, canon, sizeof(canon));
	snprintf(req, cap, "bindings delete %s", canon);
	return 0;
}

/* The answer's "error" member, or NULL. */
static const char *
answer_error(struct json_object *o)
{
	struct json_object *e;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, "error", &e))
		return NULL;
	return json_object_is_type(e, json_type_string) ?
	    json_object_get_string(e) : json_object_to_json_string(e);
}

static struct json_object *
parse_answer(const char *path, const char *text)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;
	enum json_tokener_error e;
	size_t len = strlen(text), end;

	if (tok == NULL)
		return NULL;
	o = json_tokener_parse_ex(tok, text, (int)len);
	e = json_tokener_get_error(tok);
	/* Only whitespace may follow the object. */
	end = json_tokener_get_parse_end(tok);
	if (o != NULL && e == json_tokener_success &&
	    text[end + strspn(text + end, " \t\r\n")] != '\0') {
		json_object_put(o);
		o = NULL;
		e = json_tokener_error_parse_unexpected;
	}
	if (o == NULL)
		fprintf(stderr, "mip6ctl: %s: the answer is not JSON: %s\n",
		    path, e == json_tokener_continue ? "cut short" :
		    json_tokener_error_desc(e));
	json_tokener_free(tok);
	return o;
}

static int
show(const char *path, const char *req, const char *text, bool json)
{
	struct json_object *o = parse_answer(path, text);
	const char *err;

	if (o == NULL)
		return 1;
	if (json)
		printf("%s\n", json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
	err = answer_error(o);
	if (err != NULL) {
		fprintf(stderr, "mip6ctl: %s\n", err);
		json_object_put(o);
		return 1;
	}
	if (!json)
		text_print(stdout, o, strcmp(req, "status") == 0);
	json_object_put(o);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_SOCKET;
	char req[CTL_REQ_MAX + 1], err[512];
	char *answer;
	bool json = false;
	int ch, r;

	while ((ch = getopt_long(argc, argv, "+hjs:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'j':
			json = true;
			break;
		case 's':
			path = optarg;
			break;
		default:
			return bad_usage(NULL, NULL);
		}
	}
	r = build_request(argc - optind, argv + optind, req, sizeof(req));
	if (r != 0)
		return r;
	r = ctl_exchange(path, req, CALL_TIMEOUT_MS, &answer, err,
	    sizeof(err));
	if (r == CTL_ECONNECT) {
		fprintf(stderr, "mip6ctl: %s (is had running?)\n", err);
		return 2;
	}
	if (r != 0) {
		fprintf(stderr, "mip6ctl: %s\n", err);
		return 1;
	}
	r = show(path, req, answer, json);
	free(answer);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("mip6ctl: stdout");
		return 1;
	}
	return r;
}
