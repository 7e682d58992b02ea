/*
 * intr.c - see intr.h.  Only async-signal-safe calls in the handler:
 * getpid(2), an atomic store, write(2) and _exit(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "intr.h"

static volatile sig_atomic_t intr_sig;
static int intr_pipe[2] = { -1, -1 };
static pid_t intr_owner;	/* a forked child, before its exec, is not */

static void
intr_handler(int sig)
{
	int saved = errno;
	char b = 1;

	if (getpid() != intr_owner)
		_exit(128 + sig);	/* a child yet to exec: the pipe is ours */
	if (intr_sig != 0)
		_exit(128 + sig);	/* the second signal: no more cleanup */
	intr_sig = sig;
	(void)write(intr_pipe[1], &b, 1);	/* full pipe: already awake */
	errno = saved;
}

int
intr_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	if (intr_pipe[0] < 0 && pipe2(intr_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	intr_owner = getpid();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = intr_handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	/* SA_RESTART: the cleanup's own reads (netlink, pipes) must not fail
	   with EINTR; the waits that should end poll intr_fd() or look at
	   intr_signal() (poll and sleeps are never restarted anyway). */
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -1;
	return 0;
}

int
intr_signal(void)
{
	return intr_sig;
}

int
intr_fd(void)
{
	return intr_pipe[0];
}

const char *
intr_name(void)
{
	switch (intr_sig) {
	case 0:
		return "";
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	}
	return "a signal";
}

int
intr_exit_status(void)
{
	return intr_sig != 0 ? 128 + intr_sig : 0;
}
