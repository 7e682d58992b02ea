/*
 * netns.c - named network namespaces and their sysctls (see netns.h).
 *
 * Creating one follows iproute2's netns_add so that the two interoperate:
 * /run/netns is made a shared mount point, the file is created with
 * O_EXCL (a name clash is an error, never a reuse), the process unshares
 * its network namespace and bind-mounts /proc/self/ns/net on the file,
 * then returns to where it started.  No `ip` is run.
 *
 * /proc/sys/net resolves against the network namespace of the process
 * that opens it, so a sysctl is set by entering the namespace, opening and
 * writing, and leaving.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip6topo.h"
#include "netns.h"

static int host_fd = -1;

int
netns_init(char *err)
{
	if (host_fd >= 0)
		return 0;
	host_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (host_fd < 0)
		return errf(err, "network namespaces unsupported: "
		    "/proc/self/ns/net: %s", strerror(errno));
	return 0;
}

int
netns_host_fd(void)
{
	return host_fd;
}

static void
ns_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", NETNS_RUN_DIR, name);
}

/* As iproute2: /run/netns is a shared mount so that mounts under it
   propagate into the mount namespaces of `ip netns exec`. */
static int
prepare_run_dir(char *err)
{
	static bool done;

	if (done)
		return 0;
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return errf(err, "mkdir %s: %s", NETNS_RUN_DIR,
		    strerror(errno));
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0) {
		done = true;
		return 0;
	}
	if (errno != EINVAL)
		return errf(err, "mount --make-shared %s: %s", NETNS_RUN_DIR,
		    strerror(errno));
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC,
	    NULL) < 0)
		return errf(err, "mount --bind %s: %s", NETNS_RUN_DIR,
		    strerror(errno));
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		return errf(err, "mount --make-shared %s: %s", NETNS_RUN_DIR,
		    strerror(errno));
	done = true;
	return 0;
}

int
netns_create(const char *name, bool *clash, char *err)
{
	char path[256];
	int fd;

	*clash = false;
	if (prepare_run_dir(err) < 0)
		return -1;
	ns_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		if (errno == EEXIST) {
			*clash = true;
			return errf(err, "name clash: namespace %s already "
			    "exists", name);
		}
		return errf(err, "create %s: %s", path, strerror(errno));
	}
	close(fd);
	if (unshare(CLONE_NEWNET) < 0) {
		int e = errno;

		unlink(path);
		return errf(err, "unshare(CLONE_NEWNET): %s%s", strerror(e),
		    e == EINVAL ? " (network namespaces unsupported)" : "");
	}
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) {
		int e = errno;

		(void)setns(host_fd, CLONE_NEWNET);
		unlink(path);
		return errf(err, "bind mount %s: %s", path, strerror(e));
	}
	return netns_leave(err);
}

bool
netns_exists(const char *name)
{
	char path[256];

	ns_path(path, sizeof(path), name);
	return access(path, F_OK) == 0;
}

int
netns_open(const char *name, char *err)
{
	char path[256];
	int fd;

	ns_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errf(err, "open namespace %s: %s", name,
		    strerror(errno));
	return fd;
}

int
netns_delete(const char *name, char *err)
{
	char path[256];

	ns_path(path, sizeof(path), name);
	/* EINVAL: created but never mounted (up died in between). */
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL &&
	    errno != ENOENT)
		return errf(err, "umount %s: %s", path, strerror(errno));
	if (unlink(path) < 0 && errno != ENOENT)
		return errf(err, "remove %s: %s", path, strerror(errno));
	return 0;
}

int
netns_enter(int fd, char *err)
{
	if (setns(fd, CLONE_NEWNET) < 0)
		return errf(err, "setns: %s", strerror(errno));
	return 0;
}

int
netns_leave(char *err)
{
	if (setns(host_fd, CLONE_NEWNET) < 0)
		return errf(err, "setns back to the host namespace: %s",
		    strerror(errno));
	return 0;
}

static void
sysctl_path(char *buf, size_t len, const char *key)
{
	size_t n = (size_t)snprintf(buf, len, "/proc/sys/net/%s", key);

	for (size_t i = strlen("/proc/sys/net/"); i < n && i < len; i++)
		if (buf[i] == '.')
			buf[i] = '/';
}

int
netns_sysctl_set(int fd, const char *key, const char *val, char *err)
{
	char path[256];
	int sfd, e = 0;
	size_t n = strlen(val);

	sysctl_path(path, sizeof(path), key);
	if (netns_enter(fd, err) < 0)
		return -1;
	sfd = open(path, O_WRONLY | O_CLOEXEC);
	if (sfd < 0)
		e = errno;
	else {
		if (write(sfd, val, n) != (ssize_t)n)
			e = errno != 0 ? errno : EIO;
		close(sfd);
	}
	if (netns_leave(err) < 0)
		return -1;
	if (e != 0)
		return errf(err, "sysctl %s=%s: %s", key, val, strerror(e));
	return 0;
}

int
netns_sysctl_get(int fd, const char *key, char *val, size_t len, char *err)
{
	char path[256];
	int sfd, e = 0;
	ssize_t n = 0;

	sysctl_path(path, sizeof(path), key);
	if (netns_enter(fd, err) < 0)
		return -1;
	sfd = open(path, O_RDONLY | O_CLOEXEC);
	if (sfd < 0)
		e = errno;
	else {
		n = read(sfd, val, len - 1);
		if (n < 0)
			e = errno;
		close(sfd);
	}
	if (netns_leave(err) < 0)
		return -1;
	if (e != 0)
		return errf(err, "sysctl %s: %s", key, strerror(e));
	while (n > 0 && (val[n - 1] == '\n' || val[n - 1] == ' '))
		n--;
	val[n] = '\0';
	return 0;
}
