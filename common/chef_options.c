/*
 * chef_options.c: per-chef options from the command line
 * (`-o Chef.key=value` or `-o module.Chef.key=value`).  See
 * chef_runtime.h.
 *
 * A key must be one the chef declares (struct nd_chef_option), or one of
 * the runtime's own keys, which every chef has and none may declare:
 *   bpf       replaces the chef's BPF filter ("" removes it)
 *   priority  replaces the chef's priority (a signed 32-bit integer)
 * Repeating a key: the last value wins.
 */
#include "chef_runtime_priv.h"
#include "errbuf.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static bool key_is(const char *key, size_t keylen, const char *lit)
{
	return strlen(lit) == keylen && strncmp(key, lit, keylen) == 0;
}

/* The runtime's own keys; returns 1 when `key` was one (applied or failed
 * with *rc set), 0 when it is for the chef. */
static int runtime_key(struct nd_chef_ctx *c, const char *key, size_t keylen, const char *val,
		       int *rc, char *err, size_t errlen)
{
	*rc = 0;
	if (key_is(key, keylen, ND_CHEF_OPT_BPF)) {
		free(c->bpf_override);
		c->bpf_override = NULL;
		if (*val && !(c->bpf_override = strdup(val)))
			*rc = -ENOMEM;
		c->bpf_expr = c->bpf_override;
		return 1;
	}
	if (key_is(key, keylen, ND_CHEF_OPT_PRIORITY)) {
		char *end;
		long v;

		errno = 0;
		v = strtol(val, &end, 10);
		if (!*val || *end || errno || v < INT32_MIN || v > INT32_MAX) {
			nd_errbuf_set(err, errlen, "chef option %s.priority: \"%.64s\" is not a 32-bit integer",
				c->info.name, val);
			*rc = -EINVAL;
		} else {
			c->info.priority = (int32_t)v;
		}
		return 1;
	}
	return 0;
}

static bool declares_option(const struct nd_chef_desc *d, const char *key, size_t keylen)
{
	for (const struct nd_chef_option *o = d->options; o && o->key; o++)
		if (strlen(o->key) == keylen && strncmp(o->key, key, keylen) == 0)
			return true;
	return false;
}

int nd__chef_apply_option(struct nd_chef_runtime *rt, const char *opt, char *err, size_t errlen)
{
	const char *eq = strchr(opt, '=');
	const char *dot = NULL;
	size_t speclen, keylen;
	bool named = false;
	int rc;

	for (const char *p = opt; eq && p < eq; p++)
		if (*p == '.')
			dot = p;
	if (!eq || !dot || dot == opt || dot + 1 == eq) {
		nd_errbuf_set(err, errlen, "chef option \"%.200s\" is not of the form Chef.key=value", opt);
		return -EINVAL;
	}
	speclen = (size_t)(dot - opt);
	keylen = (size_t)(eq - dot - 1);
	for (size_t i = 0; i < rt->n; i++) {
		struct nd_chef_ctx *c = rt->chefs[i];
		char **keys, **vals;

		if (!((strlen(c->info.name) == speclen && strncmp(c->info.name, opt, speclen) == 0) ||
		      (strlen(c->info.full_name) == speclen &&
		       strncmp(c->info.full_name, opt, speclen) == 0)))
			continue;
		named = true;
		if (runtime_key(c, dot + 1, keylen, eq + 1, &rc, err, errlen)) {
			if (rc < 0)
				return rc;
			continue;
		}
		if (!declares_option(c->desc, dot + 1, keylen)) {
			nd_errbuf_set(err, errlen, "%s: chef \"%s\" has no option \"%.*s\" (see nd-sniff -l)",
				c->info.path, c->info.name, (int)keylen, dot + 1);
			return -EINVAL;
		}
		keys = realloc(c->opt_keys, (c->n_opts + 1) * sizeof(*keys));
		if (keys)
			c->opt_keys = keys;
		vals = realloc(c->opt_vals, (c->n_opts + 1) * sizeof(*vals));
		if (vals)
			c->opt_vals = vals;
		if (!keys || !vals)
			return -ENOMEM;
		keys[c->n_opts] = strndup(dot + 1, keylen);
		vals[c->n_opts] = strdup(eq + 1);
		if (!keys[c->n_opts] || !vals[c->n_opts]) {
			free(keys[c->n_opts]);
			free(vals[c->n_opts]);
			return -ENOMEM;
		}
		c->n_opts++;
	}
	if (!named) {
		nd_errbuf_set(err, errlen, "chef option \"%.200s\": no chef named \"%.*s\" is selected", opt,
			(int)speclen, opt);
		return -EINVAL;
	}
	return 0;
}
