/*
 * tools/mip6ctl/text.c - the readable form of a control answer (text.h).
 *
 * A table's columns are the keys of its rows in order of first appearance;
 * a binding table starts with the columns every binding has (HoA, CoA,
 * seq, lifetime, remaining, flags, state) and shows "-" where one is
 * missing.  Cells are one line: nested values are flattened (an object of
 * booleans becomes the names that are true, an array its items joined by
 * commas) and control characters from the daemon are shown as '?'.
 */
#include <stdlib.h>
#include <string.h>

#include "tools/mip6ctl/text.h"

#define TABLE_COLS_MAX	32

struct column {
	const char	*key;
	const char	*title;
	size_t		 width;
};

static const struct column binding_cols[] = {
	{ "hoa", "HoA", 0 }, { "coa", "CoA", 0 }, { "seq", "seq", 0 },
	{ "lifetime", "lifetime", 0 }, { "remaining", "remaining", 0 },
	{ "flags", "flags", 0 }, { "state", "state", 0 },
};

/* ------------------------------------------------------------ values */

static void value_into(struct json_object *, char *, size_t);

static void
append(char *buf, size_t cap, const char *s)
{
	size_t len = strlen(buf);

	snprintf(buf + len, cap - len, "%s", s);
}

static bool
all_bools(struct json_object *o)
{
	json_object_object_foreach(o, k, v) {
		(void)k;
		if (!json_object_is_type(v, json_type_boolean))
			return false;
	}
	return true;
}

/* {"H":true,"R":false,...} -> "H" (the flags that are set). */
static void
bools_into(struct json_object *o, char *buf, size_t cap)
{
	json_object_object_foreach(o, k, v) {
		if (!json_object_get_boolean(v))
			continue;
		if (buf[0] != '\0')
			append(buf, cap, ",");
		append(buf, cap, k);
	}
}

static void
array_into(struct json_object *a, char *buf, size_t cap)
{
	size_t i, n = json_object_array_length(a);
	char item[256];

	for (i = 0; i < n; i++) {
		value_into(json_object_array_get_idx(a, i), item,
		    sizeof(item));
		if (i > 0)
			append(buf, cap, ",");
		append(buf, cap, item);
	}
}

/* One value as one line of text. */
static void
value_into(struct json_object *v, char *buf, size_t cap)
{
	char *p;

	buf[0] = '\0';
	switch (json_object_get_type(v)) {
	case json_type_null:
		snprintf(buf, cap, "-");
		return;
	case json_type_array:
		array_into(v, buf, cap);
		break;
	case json_type_object:
		if (all_bools(v))
			bools_into(v, buf, cap);
		else
			snprintf(buf, cap, "%s", json_object_to_json_string_ext(
			    v, JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
		break;
	default:
		snprintf(buf, cap, "%s", json_object_get_string(v));
		break;
	}
	if (buf[0] == '\0')
		snprintf(buf, cap, "-");
	for (p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static bool
is_table(struct json_object *v)
{
	size_t i, n;

	if (!json_object_is_type(v, json_type_array))
		return false;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++)
		if (!json_object_is_type(json_object_array_get_idx(v, i),
		    json_type_object))
			return false;
	return n > 0;
}

/* ------------------------------------------------------------ tables */

static size_t
find_col(const struct column *cols, size_t ncol, const char *key)
{
	size_t i;

	for (i = 0; i < ncol; i++)
		if (strcmp(cols[i].key, key) == 0)
			return i;
	return ncol;
}

static size_t
table_columns(struct json_object *rows, const char *name,
    struct column *cols)
{
	size_t ncol = 0, i, n = json_object_array_length(rows);

	if (name != NULL && strcmp(name, "bindings") == 0) {
		memcpy(cols, binding_cols, sizeof(binding_cols));
		ncol = sizeof(binding_cols) / sizeof(binding_cols[0]);
	}
	for (i = 0; i < n; i++) {
		json_object_object_foreach(json_object_array_get_idx(rows, i),
		    k, v) {
			(void)v;
			if (ncol < TABLE_COLS_MAX &&
			    find_col(cols, ncol, k) == ncol) {
				cols[ncol].key = k;
				cols[ncol].title = k;
				cols[ncol].width = 0;
				ncol++;
			}
		}
	}
	for (i = 0; i < ncol; i++)
		cols[i].width = strlen(cols[i].title);
	return ncol;
}

static void
cell(struct json_object *row, const struct column *col, char *buf,
    size_t cap)
{
	struct json_object *v;

	if (json_object_object_get_ex(row, col->key, &v))
		value_into(v, buf, cap);
	else
		snprintf(buf, cap, "-");
}

static void
print_row(FILE *out, int indent, const struct column *cols, size_t ncol,
    char (*cells)[512])
{
	size_t i;

	fprintf(out, "%*s", indent, "");
	for (i = 0; i < ncol; i++) {
		if (i + 1 < ncol)
			fprintf(out, "%-*s  ", (int)cols[i].width, cells[i]);
		else
			fprintf(out, "%s\n", cells[i]);
	}
}

static void
print_table(FILE *out, struct json_object *rows, const char *name,
    int indent)
{
	struct column cols[TABLE_COLS_MAX];
	char (*cells)[512];
	size_t ncol, i, j, n = json_object_array_length(rows);

	ncol = table_columns(rows, name, cols);
	cells = calloc(ncol ? ncol : 1, sizeof(*cells));
	if (cells == NULL)
		return;
	for (i = 0; i < n; i++)
		for (j = 0; j < ncol; j++) {
			cell(json_object_array_get_idx(rows, i), &cols[j],
			    cells[j], sizeof(cells[j]));
			if (strlen(cells[j]) > cols[j].width)
				cols[j].width = strlen(cells[j]);
		}
	for (j = 0; j < ncol; j++)
		snprintf(cells[j], sizeof(cells[j]), "%s", cols[j].title);
	print_row(out, indent, cols, ncol, cells);
	for (i = 0; i < n; i++) {
		for (j = 0; j < ncol; j++)
			cell(json_object_array_get_idx(rows, i), &cols[j],
			    cells[j], sizeof(cells[j]));
		print_row(out, indent, cols, ncol, cells);
	}
	free(cells);
}

/* ------------------------------------------------------------ objects */

static bool
is_meta(const char *key)
{
	return strcmp(key, "daemon") == 0 || strcmp(key, "version") == 0;
}

static void
print_object(FILE *out, struct json_object *o, int indent, bool skip_meta)
{
	char buf[4096];

	json_object_object_foreach(o, key, val) {
		if (skip_meta && is_meta(key))
			continue;
		if (is_table(val)) {
			fprintf(out, "%*s%s:\n", indent, "", key);
			print_table(out, val, key, indent + 2);
		} else if (json_object_is_type(val, json_type_object) &&
		    json_object_object_length(val) > 0 && !all_bools(val)) {
			fprintf(out, "%*s%s:\n", indent, "", key);
			print_object(out, val, indent + 2, false);
		} else if (json_object_is_type(val, json_type_array) &&
		    json_object_array_length(val) == 0) {
			fprintf(out, "%*s%s: none\n", indent, "", key);
		} else {
			value_into(val, buf, sizeof(buf));
			fprintf(out, "%*s%s: %s\n", indent, "", key, buf);
		}
	}
}

/* The one key of the answer besides daemon/version, or NULL. */
static const char *
only_key(struct json_object *o, struct json_object **val)
{
	const char *found = NULL;

	json_object_object_foreach(o, key, v) {
		if (is_meta(key))
			continue;
		if (found != NULL)
			return NULL;
		found = key;
		*val = v;
	}
	return found;
}

void
text_print(FILE *out, struct json_object *answer, bool show_meta)
{
	struct json_object *val = NULL;
	const char *key;
	char buf[4096];

	if (!json_object_is_type(answer, json_type_object)) {
		value_into(answer, buf, sizeof(buf));
		fprintf(out, "%s\n", buf);
		return;
	}
	/* An answer that is one list ("bindings") is just the table. */
	key = show_meta ? NULL : only_key(answer, &val);
	if (key != NULL && is_table(val)) {
		print_table(out, val, key, 0);
		return;
	}
	if (key != NULL && json_object_is_type(val, json_type_array) &&
	    json_object_array_length(val) == 0) {
		fprintf(out, "no %s\n", key);
		return;
	}
	print_object(out, answer, 0, !show_meta);
}
