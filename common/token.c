/*
 * token.c: token files and constant-time token checks.  See token.h.
 * Files are read line by line with a line-length ceiling; an over-long
 * line or a malformed token is an error naming the line, never skipped.
 */
#include "token.h"

#include "fileperm.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nd_token_entry {
	char tok[ND_TOKEN_MAX + 1];
	size_t len;
	char *name;
};

struct nd_tokens {
	struct nd_token_entry *v;
	size_t n;
};

static bool token_chars_ok(const char *s, size_t len)
{
	if (len < ND_TOKEN_MIN || len > ND_TOKEN_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isgraph((unsigned char)s[i]))
			return false;
	return true;
}

/* Splits a line into up to 3 whitespace-separated fields; returns count. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (*t == '#')
			break;
		if (n < max)
			f[n] = t;
		n++;
	}
	return n;
}

static int open_secret(const char *path, FILE **fp, char *err, size_t errlen)
{
	int rc = nd_fileperm_check(path, ND_FILEPERM_SECRET, err, errlen);

	if (rc)
		return rc;
	*fp = fopen(path, "r");
	if (!*fp) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	}
	return rc;
}

struct nd_tokens *nd_tokens_load(const char *path, char *err, size_t errlen)
{
	struct nd_tokens *t = calloc(1, sizeof(*t));
	char line[1024];
	unsigned lineno = 0;
	FILE *f = NULL;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (open_secret(path, &f, err, errlen))
		goto fail;
	while (fgets(line, sizeof(line), f)) {
		char *fld[3];
		int n;
		struct nd_token_entry *e;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %zu bytes", path, lineno,
				 sizeof(line) - 1);
			goto fail;
		}
		n = split(line, fld, 3);
		if (n == 0)
			continue;
		if (n != 2) {
			snprintf(err, errlen, "%s:%u: expected \"<token> <name>\"", path, lineno);
			goto fail;
		}
		if (!token_chars_ok(fld[0], strlen(fld[0]))) {
			snprintf(err, errlen, "%s:%u: a token must be %d to %d printable characters",
				 path, lineno, ND_TOKEN_MIN, ND_TOKEN_MAX);
			goto fail;
		}
		if (t->n == ND_TOKEN_FILE_MAX_ENTRIES) {
			snprintf(err, errlen, "%s:%u: more than %d tokens", path, lineno,
				 ND_TOKEN_FILE_MAX_ENTRIES);
			goto fail;
		}
		e = realloc(t->v, (t->n + 1) * sizeof(*e));
		if (!e) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		t->v = e;
		e = &t->v[t->n];
		e->len = strlen(fld[0]);
		memcpy(e->tok, fld[0], e->len + 1);
		e->name = strdup(fld[1]);
		if (!e->name) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		t->n++;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	if (t->n == 0) {
		snprintf(err, errlen, "%s: no tokens", path);
		nd_tokens_free(t);
		return NULL;
	}
	return t;
fail:
	if (f)
		fclose(f);
	nd_tokens_free(t);
	return NULL;
}

void nd_tokens_free(struct nd_tokens *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		memset(t->v[i].tok, 0, sizeof(t->v[i].tok));
		free(t->v[i].name);
	}
	free(t->v);
	free(t);
}

size_t nd_tokens_count(const struct nd_tokens *t)
{
	return t ? t->n : 0;
}

/* Compares every byte of the stored token whatever the presented one is,
 * so the time taken does not reveal how much of a prefix matched. */
static bool same(const struct nd_token_entry *e, const char *tok, size_t len)
{
	unsigned char diff = (unsigned char)(len != e->len);

	for (size_t i = 0; i < ND_TOKEN_MAX; i++) {
		unsigned char a = (unsigned char)e->tok[i < e->len ? i : 0];
		unsigned char b = (unsigned char)(i < len ? tok[i] : 0);

		diff |= (unsigned char)((i < e->len) ? (a ^ b) : 0);
	}
	return diff == 0;
}

const char *nd_tokens_check(const struct nd_tokens *t, const char *tok, size_t len)
{
	const char *found = NULL;

	if (!t || !tok || len > ND_TOKEN_MAX)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (same(&t->v[i], tok, len) && !found)
			found = t->v[i].name;
	return found;
}

bool nd_tokens_admits(const char *admitted, const char *name)
{
	return admitted && name && (strcmp(admitted, "*") == 0 || strcmp(admitted, name) == 0);
}

int nd_token_from_header(const char *value, const char **tok, size_t *len)
{
	const char *p;
	size_t n;

	if (!value || strncasecmp(value, "Bearer ", 7) != 0)
		return -EINVAL;
	p = value + 7;
	while (*p == ' ')
		p++;
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	if (!token_chars_ok(p, n))
		return -EINVAL;
	*tok = p;
	*len = n;
	return 0;
}

int nd_token_read_file(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
	char line[ND_TOKEN_MAX + 64];
	FILE *f = NULL;
	int rc = open_secret(path, &f, err, errlen);

	if (rc)
		return rc;
	rc = -EINVAL;
	snprintf(err, errlen, "%s: no token in the file", path);
	while (fgets(line, sizeof(line), f)) {
		char *fld[2];
		int n = split(line, fld, 2);
		size_t len;

		if (n == 0)
			continue;
		len = strlen(fld[0]);
		if (n != 1 || !token_chars_ok(fld[0], len) || len >= outlen) {
			snprintf(err, errlen, "%s: the token must be one word of %d to %d "
				 "printable characters", path, ND_TOKEN_MIN, ND_TOKEN_MAX);
			break;
		}
		memcpy(out, fld[0], len + 1);
		rc = 0;
		break;
	}
	memset(line, 0, sizeof(line));
	fclose(f);
	return rc;
}
