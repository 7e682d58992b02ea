/*
 * tools/mip6ctl/text.h - a daemon's JSON answer as readable text: tables
 * for arrays of objects (bindings, halist), indented groups for nested
 * objects (counters), "key: value" lines for everything else.  Driven by
 * the JSON alone, so an answer of any shape prints.
 */
#ifndef MIP6CTL_TEXT_H
#define MIP6CTL_TEXT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

/* show_meta: also print "daemon" and "version" (status). */
void	text_print(FILE *, struct json_object *answer, bool show_meta);

#endif
