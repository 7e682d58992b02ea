/*
 * stack/lib/readfile.h - read a whole small file (a configuration) into
 * memory, for the daemons' parents; the parsers take the text.
 */
#ifndef MIP6_READFILE_H
#define MIP6_READFILE_H

#include <stddef.h>

/*
 * The file's bytes (malloc'd, NUL-terminated after *len), or NULL with
 * "PATH: reason" in err (missing, unreadable, larger than max bytes).
 */
char	*readfile(const char *path, size_t max, size_t *len, char *err,
	    size_t errlen);

#endif
