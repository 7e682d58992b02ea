/*
 * intr.h - stopping a command-line tool cleanly on SIGINT, SIGTERM or
 * SIGHUP (mip6conf, mip6topo): the handler only records the
 * signal and wakes a self-pipe; the tool's waits look at intr_signal() or
 * poll intr_fd(), stop what they do, and the tool tears down what it made
 * before it exits with intr_exit_status().  A second signal while that
 * cleanup runs ends the process at once (_exit(128 + signal)).
 */
#ifndef MIP6_CONF_INTR_H
#define MIP6_CONF_INTR_H

/* Catch SIGINT, SIGTERM and SIGHUP (repeatable).  0, or -1 with errno. */
int	intr_install(void);
/* The first signal received, or 0. */
int	intr_signal(void);
/*
 * The read end of the self-pipe: readable once a signal came (poll it
 * beside the fds a wait watches), -1 before intr_install().
 */
int	intr_fd(void);
/* "SIGTERM" for the signal received, "" when none. */
const char *intr_name(void);
/* 128 + the signal received (130 SIGINT, 143 SIGTERM), 0 when none. */
int	intr_exit_status(void);

#endif
