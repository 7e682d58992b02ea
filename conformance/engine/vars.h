/*
 * vars.h - the variables a case refers to: `$seq` from `set seq = 100` or
 * a capture (`seq=?seq` in a pattern), and `$node.attr` names from the NUT
 * description (`$nut.addr`, `$nut.link0.mac`, `$mn0.hoa`, `$link0.iface`).
 *
 * Expansion: `$name` or `${name}` is replaced by its value; when a value
 * holding a reference is a sum or difference ("$seq+1", "${seq}-2"), every
 * term must be an unsigned integer and the result is the decimal number.
 */
#ifndef MIP6_CONF_VARS_H
#define MIP6_CONF_VARS_H

#include <stdbool.h>
#include <stddef.h>

#define VAR_VALUE_MAX	256

struct var {
	char	*name;
	char	*val;
};

struct vars {
	size_t		 n;
	struct var	*v;
};

void	vars_init(struct vars *);
void	vars_free(struct vars *);
/* Set (or replace) a variable. */
void	vars_set(struct vars *, const char *name, const char *val);
const char *vars_get(const struct vars *, const char *name);
void	vars_copy(struct vars *dst, const struct vars *src);
/* Does the text refer to a variable at all? */
bool	vars_has_ref(const char *);
/*
 * Expand `in` into out[cap].  false with a message in err ("unknown
 * variable $mn0.hoa", "$seq+x: 'x' is not a number").
 */
bool	vars_expand(const struct vars *, const char *in, char *out, size_t cap,
	    char *err, size_t errcap);
/* Is `s` a valid variable name (letters, digits, _ and inner dots)? */
bool	vars_name_ok(const char *);

#endif
