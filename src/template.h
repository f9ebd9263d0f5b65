/* template.h - an installer .env.example as a template: each variable
 * with the comment block above it and its default value, in file order.
 * (schema.c reads the same file for the annotations.) */
#ifndef KEC_TEMPLATE_H
#define KEC_TEMPLATE_H

#include <stddef.h>

struct tmplvar {
	char	*name;
	char	*comment;	/* the comment lines right above, each with
				 * its '\n', or NULL */
	char	*value;		/* the rest of the line after '=' */
	int	 optional;	/* "# NAME=...": opt-in, commented out */
};

struct tmpl {
	struct tmplvar	*v;
	size_t		 n;
};

/* Read path (read_file's size limit). Returns 0, or -1 with *cause. */
int template_read(const char *path, struct tmpl *, char **cause);
/* The same from memory; a name listed twice counts once (the first). */
void template_parse(struct tmpl *, const char *text, size_t len);
void template_free(struct tmpl *);

/* fix --add-missing: append to text (a whole .env) each variable of t
 * that it does not assign and that is not opt-in, with its comment block
 * and the template's value; a secret (by the schema, or by its name) gets
 * an empty value and a comment saying how to generate one, never the
 * template's value. When diff is not NULL, a unified-diff hunk of the
 * added lines goes to it (headers named name when it is empty). Returns
 * the number of variables added. */
struct schema;
struct buf;
size_t template_append_missing(const struct tmpl *t, const struct schema *,
    struct buf *text, struct buf *diff, const char *name);

#endif
