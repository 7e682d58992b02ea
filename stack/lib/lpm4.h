/*
 * stack/lib/lpm4.h - DSMIPv6 (RFC 5555) IPv4 prefix maps (had's m6_bind4,
 * mnd's mn_hoa4): struct m6_lpm4 keys and m6_mnp values to and from
 * in_addr / in6_addr, shared by bpfplane.c and mnplane.c; and the
 * counters map of a state dir pinned by an older build.  Header-only.
 */
#ifndef MIP6_LPM4_H
#define MIP6_LPM4_H

#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "stack/lib/bpfpin.h"

/* An LPM key with host bits cleared (the trie would keep them and a
   second entry for the same prefix could appear); -EINVAL for plen > 32. */
static inline int
lpm4_key(struct m6_lpm4 *k, const struct in_addr *a, unsigned plen)
{
	uint8_t b[4];
	unsigned i;

	if (plen > 32)
		return -EINVAL;
	memcpy(b, &a->s_addr, 4);
	memset(k, 0, sizeof *k);
	k->prefixlen = plen;
	for (i = 0; i < 4; i++) {
		unsigned bits = plen > i * 8 ? plen - i * 8 : 0;

		if (bits >= 8)
			k->addr[i] = b[i];
		else if (bits > 0)
			k->addr[i] = b[i] & (uint8_t)(0xff << (8 - bits));
	}
	return 0;
}

/* Set (hoa non-NULL) or remove the entry for pfx/plen in map. */
static inline int
lpm4_put(struct bpf_map *map, const struct in_addr *pfx, unsigned plen,
    const struct in6_addr *hoa)
{
	struct m6_lpm4 k;
	struct m6_mnp v;
	int rc;

	if ((rc = lpm4_key(&k, pfx, plen)) < 0)
		return rc;
	if (hoa == NULL)
		return bpfpin_map_put(map, &k, NULL);
	v.hoa = bpfpin_in6(hoa);
	return bpfpin_map_put(map, &k, &v);
}

struct lpm4_walk {
	int	(*cb)(void *, const struct in_addr *, unsigned,
		    const struct in6_addr *);
	void	*arg;
};

static inline int
lpm4_entry(void *arg, const void *key, const void *val)
{
	struct lpm4_walk *w = arg;
	struct in6_addr hoa;
	struct in_addr pfx;
	struct m6_lpm4 k;
	struct m6_mnp v;

	memcpy(&k, key, sizeof k);
	memcpy(&v, val, sizeof v);
	memcpy(&pfx.s_addr, k.addr, 4);
	memcpy(hoa.s6_addr, v.hoa.b, sizeof hoa.s6_addr);
	return w->cb(w->arg, &pfx, k.prefixlen, &hoa);
}

/* Every entry of map: cb(arg, prefix, plen, hoa), non-zero stops. */
static inline int
lpm4_foreach(struct bpf_map *map,
    int (*cb)(void *, const struct in_addr *, unsigned,
	const struct in6_addr *), void *arg)
{
	struct lpm4_walk w = { cb, arg };

	return bpfpin_map_foreach(map, lpm4_entry, &w);
}

/*
 * A counters map (m6_cnt) pinned by a build with fewer counters (DSMIPv6
 * appended some): the programs could not count the new ones and reading
 * them would fail.  Counters are not durable state, so the old pin goes
 * and the load creates a full-size map (the old programs keep theirs
 * until replaced).  Nothing pinned, or big enough: nothing done.
 */
static inline void
cnt_pin_fit(const char *dir)
{
	struct bpf_map_info info;
	uint32_t len = sizeof info;
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof path, "%s/%s", dir, M6_MAP_CNT) >=
	    (int)sizeof path || (fd = bpf_obj_get(path)) < 0)
		return;
	memset(&info, 0, sizeof info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
	    info.max_entries < M6C_MAX)
		unlink(path);
	close(fd);
}

#endif
