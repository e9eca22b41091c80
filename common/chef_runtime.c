/*
 * chef_runtime.c: select, initialise, dispatch to and tear down chefs.
 * See chef_runtime.h for the kitchen's side, chef.h for the chef's.
 *
 * Invariants: `chefs` is in dispatch order (priority, then load order) from
 * start on; a chef's callbacks run only while `running`; `in_call` is set
 * exactly around each callback; fini runs once for each chef whose init
 * succeeded, in reverse order, before the catalog closes the modules.
 */
#include "chef_runtime_priv.h"
#include "errbuf.h"

#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL_BURST 1
#define FAIL_WINDOW (5ull * 1000000000ull)


struct nd_chef_runtime *nd_chef_runtime_new(struct nd_chef_catalog *cat,
					    const struct nd_chef_runtime_config *cfg)
{
	struct nd_chef_runtime *rt = calloc(1, sizeof(*rt));

	if (!rt) {
		nd_chef_catalog_free(cat);
		return NULL;
	}
	rt->cat = cat;
	if (cfg)
		rt->cfg = *cfg;
	rt->kitchen_name = strdup(cfg && cfg->kitchen_name ? cfg->kitchen_name : "default_kitchen");
	if (!rt->kitchen_name) {
		nd_chef_runtime_free(rt);
		return NULL;
	}
	nd__chef_host_fill(&rt->host);
	return rt;
}

static bool name_matches(const struct nd_chef_entry *e, const char *name)
{
	return strcmp(e->name, name) == 0 || strcmp(e->full_name, name) == 0;
}

static bool already_selected(const struct nd_chef_runtime *rt, const struct nd_chef_entry *e)
{
	for (size_t i = 0; i < rt->n; i++)
		if (strcmp(rt->chefs[i]->info.full_name, e->full_name) == 0)
			return true;
	return false;
}

static int add_ctx(struct nd_chef_runtime *rt, const struct nd_chef_entry *e)
{
	struct nd_chef_ctx *c;
	struct nd_chef_ctx **p;

	if (already_selected(rt, e)) {
		nd_warn("chefs", "%s from %s is already loaded from another file; skipping this one",
			e->full_name, e->path);
		return 0;
	}
	c = calloc(1, sizeof(*c));
	p = realloc(rt->chefs, (rt->n + 1) * sizeof(*p));
	if (!c || !p) {
		free(c);
		if (p)
			rt->chefs = p;
		return -ENOMEM;
	}
	rt->chefs = p;
	c->rt = rt;
	c->entry = e;
	c->desc = e->desc;
	c->info = (struct nd_chef_info){
		.name = e->name,
		.module = e->module,
		.full_name = e->full_name,
		.path = e->path,
		.priority = e->desc->priority,
	};
	c->in_call = ND_DRIVER_UNKNOWN;
	c->bpf_expr = e->desc->bpf;
	c->load_index = rt->n;
	rt->chefs[rt->n++] = c;
	return 0;
}

/* Fills rt->chefs from the names asked for (all assignable when none). */
static int select_chefs(struct nd_chef_runtime *rt, const char **names, size_t n_names)
{
	size_t count = nd_chef_catalog_count(rt->cat);
	int rc;

	for (size_t k = 0; k < n_names; k++) {
		bool found = false;

		for (size_t i = 0; i < count; i++) {
			const struct nd_chef_entry *e = nd_chef_catalog_get(rt->cat, i);

			if (!name_matches(e, names[k]))
				continue;
			found = true;
			if (!e->assignable)
				nd_warn("chefs", "chef %s is marked as not assignable to a kitchen; not loading it",
					e->full_name);
		}
		if (!found)
			nd_warn("chefs", "chef %s not found in the chef modules", names[k]);
	}
	for (size_t i = 0; i < count; i++) {
		const struct nd_chef_entry *e = nd_chef_catalog_get(rt->cat, i);
		bool wanted = n_names == 0 && !e->explicit_only;

		for (size_t k = 0; k < n_names && !wanted; k++)
			wanted = name_matches(e, names[k]);
		if (!wanted || !e->assignable)
			continue;
		rc = add_ctx(rt, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int cmp_priority(const void *a, const void *b)
{
	const struct nd_chef_ctx *x = *(struct nd_chef_ctx *const *)a;
	const struct nd_chef_ctx *y = *(struct nd_chef_ctx *const *)b;

	if (x->info.priority != y->info.priority)
		return x->info.priority > y->info.priority ? -1 : 1;
	/* qsort is not stable: fall back on load order explicitly. */
	return x->load_index < y->load_index ? -1 : (x->load_index > y->load_index ? 1 : 0);
}

static void fini_all(struct nd_chef_runtime *rt)
{
	for (size_t i = rt->n; i-- > 0;) {
		struct nd_chef_ctx *c = rt->chefs[i];

		if (c->inited && c->desc->fini)
			c->desc->fini(c->state);
		c->inited = false;
		c->state = NULL;
	}
}

int nd_chef_runtime_start(struct nd_chef_runtime *rt, const char **names, size_t n_names,
			  const char **options, size_t n_options, char *err, size_t errlen)
{
	int rc;

	if (!rt)
		return -EINVAL;
	if (rt->started) {
		nd_errbuf_set(err, errlen, "the chef runtime was already started");
		return -EINVAL;
	}
	rt->started = true;
	rc = select_chefs(rt, names, n_names);
	if (rc < 0)
		goto out_fail;
	if (rt->n == 0) {
		nd_errbuf_set(err, errlen, "no chefs selected: %s",
			n_names ? "none of the chefs named is in the chef modules and assignable"
				: "the chef modules offer no assignable chef (chefs loaded only when named need -c)");
		return -ENOENT;
	}
	for (size_t i = 0; i < n_options; i++) {
		rc = nd__chef_apply_option(rt, options[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	/* Dispatch order: priority (a -o Chef.priority may have changed it),
	 * then catalog (load) order. */
	qsort(rt->chefs, rt->n, sizeof(*rt->chefs), cmp_priority);
	for (size_t i = 0; i < rt->n; i++) {
		rc = nd__chef_filter_check(rt->chefs[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < rt->n; i++) {
		struct nd_chef_ctx *c = rt->chefs[i];

		if (!c->desc->init) {
			c->inited = true;
			continue;
		}
		rc = c->desc->init(c, &rt->host, &c->state);
		if (rc < 0) {
			nd_errbuf_set(err, errlen, "%s: chef \"%s\": init failed: %s", c->info.path,
				c->info.name, strerror(-rc));
			fini_all(rt);
			return rc;
		}
		c->inited = true;
	}
	rt->running = true;
	return 0;

out_fail:
	nd_errbuf_set(err, errlen, "cannot start the chefs: %s", strerror(-rc));
	return rc;
}

size_t nd_chef_runtime_count(const struct nd_chef_runtime *rt)
{
	return rt && rt->running ? rt->n : 0;
}

const struct nd_chef_info *nd_chef_runtime_info(const struct nd_chef_runtime *rt, size_t i)
{
	return rt && rt->running && i < rt->n ? &rt->chefs[i]->info : NULL;
}

int nd_chef_runtime_counters(const struct nd_chef_runtime *rt, size_t i,
			     struct nd_chef_counters *out)
{
	if (!rt || !rt->running || i >= rt->n || !out)
		return -ERANGE;
	*out = rt->chefs[i]->counters;
	return 0;
}

/* Counts a failed callback and logs it, at most once per FAIL_WINDOW. */
static void failed(struct nd_chef_ctx *c, const char *what, int rc, uint64_t fails,
		   uint64_t calls)
{
	uint64_t held;

	if (!nd__chef_ratelimit_allow(&c->fail_rl, FAIL_BURST, FAIL_WINDOW))
		return;
	held = c->fail_rl.suppressed;
	c->fail_rl.suppressed = 0;
	if (held)
		nd_warn("chefs", "%s: %s callback failed: %s (%llu failures in %llu calls; %llu failures not logged since the last line)",
			c->info.full_name, what, strerror(rc < 0 ? -rc : EIO),
			(unsigned long long)fails, (unsigned long long)calls,
			(unsigned long long)held);
	else
		nd_warn("chefs", "%s: %s callback failed: %s (%llu failures in %llu calls)",
			c->info.full_name, what, strerror(rc < 0 ? -rc : EIO),
			(unsigned long long)fails, (unsigned long long)calls);
}

size_t nd_chef_runtime_packet(struct nd_chef_runtime *rt, const struct nd_packet *pkt)
{
	bool halted = false;
	size_t called = 0;

	if (!rt || !rt->running || !pkt)
		return 0;
	for (size_t i = 0; i < rt->n; i++) {
		struct nd_chef_ctx *c = rt->chefs[i];
		int rc;

		if (!c->desc->packet)
			continue;
		if (halted) {
			c->counters.halted_before++;
			continue;
		}
		if (!nd__chef_filter_match(c, pkt)) {
			c->counters.skipped++;
			continue;
		}
		c->in_call = ND_DRIVER_PACKET;
		rc = c->desc->packet(c->state, pkt);
		c->in_call = ND_DRIVER_UNKNOWN;
		c->counters.packets++;
		called++;
		if (rc == ND_CHEF_HALT) {
			c->counters.halts++;
			halted = true;
		} else if (rc < 0) {
			c->counters.packet_failures++;
			failed(c, "packet", rc, c->counters.packet_failures, c->counters.packets);
		}
	}
	return called;
}

size_t nd_chef_runtime_poke(struct nd_chef_runtime *rt, double interval)
{
	size_t called = 0;

	if (!rt || !rt->running)
		return 0;
	for (size_t i = 0; i < rt->n; i++) {
		struct nd_chef_ctx *c = rt->chefs[i];
		int rc;

		if (!c->desc->interval)
			continue;
		c->in_call = ND_DRIVER_INTERVAL;
		rc = c->desc->interval(c->state, interval);
		c->in_call = ND_DRIVER_UNKNOWN;
		c->counters.intervals++;
		called++;
		if (rc < 0) {
			c->counters.interval_failures++;
			failed(c, "interval", rc, c->counters.interval_failures, c->counters.intervals);
		}
	}
	return called;
}

void nd_chef_runtime_free(struct nd_chef_runtime *rt)
{
	if (!rt)
		return;
	fini_all(rt);
	for (size_t i = 0; i < rt->n; i++) {
		struct nd_chef_ctx *c = rt->chefs[i];

		nd__chef_filter_free(c);
		free(c->bpf_override);
		for (size_t k = 0; k < c->n_opts; k++) {
			free(c->opt_keys[k]);
			free(c->opt_vals[k]);
		}
		free(c->opt_keys);
		free(c->opt_vals);
		free(c);
	}
	free(rt->chefs);
	free(rt->kitchen_name);
	nd_chef_catalog_free(rt->cat);
	free(rt);
}
