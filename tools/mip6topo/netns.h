/*
 * netns.h - named network namespaces the way iproute2 keeps them (a file
 * under /run/netns bind-mounted from the namespace, so `ip netns exec`
 * works on ours), entering them, and their sysctls.
 */
#ifndef MIP6TOPO_NETNS_H
#define MIP6TOPO_NETNS_H

#include <stdbool.h>
#include <stddef.h>

#define NETNS_RUN_DIR	"/run/netns"

/* Remember the namespace we started in; call once, first. */
int	netns_init(char *err);
/* The namespace we started in (an fd, close-on-exec). */
int	netns_host_fd(void);

/* Create /run/netns/NAME; fails rather than reuse one, with *clash set
   when the name was taken (the namespace there is not ours). */
int	netns_create(const char *name, bool *clash, char *err);
bool	netns_exists(const char *name);
/* An fd on the namespace, close-on-exec, or -1. */
int	netns_open(const char *name, char *err);
/* Unmount and remove; a missing one is fine. */
int	netns_delete(const char *name, char *err);

int	netns_enter(int fd, char *err);
/* Back to the namespace we started in. */
int	netns_leave(char *err);

/* Sysctls relative to net. ("ipv6.conf.all.forwarding"), in the
   namespace `fd`. */
int	netns_sysctl_set(int fd, const char *key, const char *val, char *err);
int	netns_sysctl_get(int fd, const char *key, char *val, size_t len,
	    char *err);

#endif
