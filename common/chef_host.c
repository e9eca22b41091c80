/*
 * chef_host.c: the services the kitchen offers chefs (struct nd_chef_host
 * in chef.h): emit, log, clocks, options, capture statistics, the
 * kitchen's name, the chefs' counters.
 *
 * Every service takes the chef's ctx, so it knows which chef is asking and
 * which callback is running.  A chef's log lines are rate-limited per chef
 * (CHEF_LOG_BURST lines per CHEF_LOG_WINDOW) so that a chef logging per
 * packet cannot flood the kitchen's log; what was held back is counted and
 * reported with the next line let through.
 */
#include "chef_runtime_priv.h"

#include "log.h"
#include "opt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHEF_LOG_BURST 20
#define CHEF_LOG_WINDOW (10ull * 1000000000ull)

uint64_t nd__chef_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool nd__chef_ratelimit_allow(struct chef_ratelimit *rl, unsigned burst, uint64_t window_ns)
{
	uint64_t now = nd__chef_monotonic_ns();

	if (rl->in_window == 0 || now - rl->window_start_ns >= window_ns) {
		rl->window_start_ns = now;
		rl->in_window = 0;
	}
	if (rl->in_window >= burst) {
		rl->suppressed++;
		return false;
	}
	rl->in_window++;
	return true;
}

static int host_emit(struct nd_chef_ctx *ctx, json_t *payload)
{
	const struct nd_chef_runtime_config *cfg;
	int rc;

	if (!ctx) {
		json_decref(payload);
		return -EINVAL;
	}
	if (!payload) {
		ctx->counters.emit_failures++;
		return -EINVAL;
	}
	if (ctx->in_call == ND_DRIVER_UNKNOWN) {
		json_decref(payload);
		ctx->counters.emit_failures++;
		return -EPERM;
	}
	cfg = &ctx->rt->cfg;
	if (!cfg->emit) {
		json_decref(payload);
		ctx->counters.emitted++;
		return 0;
	}
	rc = cfg->emit(cfg->user, ctx->info.name, ctx->in_call, payload);
	if (rc < 0)
		ctx->counters.emit_failures++;
	else
		ctx->counters.emitted++;
	return rc < 0 ? rc : 0;
}

static void host_log(struct nd_chef_ctx *ctx, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void host_log(struct nd_chef_ctx *ctx, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!ctx || !fmt)
		return;
	if (level < ND_CHEF_LOG_ERROR)
		level = ND_CHEF_LOG_ERROR;
	if (level > ND_CHEF_LOG_DEBUG)
		level = ND_CHEF_LOG_DEBUG;
	if (!nd_log_enabled((enum nd_log_level)level))
		return;
	if (!nd__chef_ratelimit_allow(&ctx->log_rl, CHEF_LOG_BURST, CHEF_LOG_WINDOW))
		return;
	if (ctx->log_rl.suppressed) {
		nd_warn(ctx->info.name, "%llu log lines of this chef were held back by the rate limit",
			(unsigned long long)ctx->log_rl.suppressed);
		ctx->log_rl.suppressed = 0;
	}
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	nd_log((enum nd_log_level)level, ctx->info.name, "%s", line);
}

static double host_now(struct nd_chef_ctx *ctx)
{
	struct timespec ts;

	if (ctx && ctx->rt->cfg.now)
		return ctx->rt->cfg.now(ctx->rt->cfg.user);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t host_monotonic_ns(struct nd_chef_ctx *ctx)
{
	return nd__chef_monotonic_ns();
}

static const char *host_option(struct nd_chef_ctx *ctx, const char *key)
{
	const struct nd_chef_option *o;

	if (!ctx || !key)
		return NULL;
	for (size_t i = ctx->n_opts; i-- > 0;)
		if (strcmp(ctx->opt_keys[i], key) == 0)
			return ctx->opt_vals[i];
	for (o = ctx->desc->options; o && o->key; o++)
		if (strcmp(o->key, key) == 0)
			return o->default_value;
	return NULL;
}

static int host_option_u64(struct nd_chef_ctx *ctx, const char *key, uint64_t min,
			   uint64_t max, uint64_t dflt, uint64_t *out)
{
	const char *v = host_option(ctx, key);
	int rc;

	if (!out)
		return -EINVAL;
	if (!v) {
		*out = dflt;
		return 0;
	}
	rc = nd_opt_parse_u64(v, min, max, out);
	if (rc == -EINVAL)
		rc = nd_opt_parse_size(v, min, max, out);
	if (rc == -EINVAL)
		nd_error(ctx->info.name, "option %s: \"%.64s\" is not a number", key, v);
	else if (rc == -ERANGE)
		nd_error(ctx->info.name, "option %s: %.64s is outside %llu..%llu", key, v,
			 (unsigned long long)min, (unsigned long long)max);
	return rc;
}

static int host_capture_stats(struct nd_chef_ctx *ctx, struct nd_chef_capture_stats *out)
{
	struct nd_chef_capture_stats full;
	uint32_t size;
	int rc;

	if (!ctx || !out || out->struct_size < offsetof(struct nd_chef_capture_stats, spare))
		return -EINVAL;
	if (!ctx->rt->cfg.capture_stats)
		return -ENOTSUP;
	memset(&full, 0, sizeof(full));
	full.struct_size = sizeof(full);
	rc = ctx->rt->cfg.capture_stats(ctx->rt->cfg.user, &full);
	if (rc < 0)
		return rc;
	size = out->struct_size < sizeof(full) ? out->struct_size : (uint32_t)sizeof(full);
	memset(out, 0, out->struct_size);
	memcpy(out, &full, size);
	out->struct_size = size;
	return 0;
}

static const char *host_kitchen_name(struct nd_chef_ctx *ctx)
{
	return ctx ? ctx->rt->kitchen_name : "default_kitchen";
}

static json_t *host_chef_counters(struct nd_chef_ctx *ctx)
{
	json_t *all = json_object();

	for (size_t i = 0; all && ctx && i < ctx->rt->n; i++) {
		const struct nd_chef_ctx *c = ctx->rt->chefs[i];
		const struct nd_chef_counters *k = &c->counters;

		if (json_object_set_new(
			    all, c->info.full_name,
			    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "packets",
				      (json_int_t)k->packets, "skipped", (json_int_t)k->skipped,
				      "halted_before", (json_int_t)k->halted_before, "halts",
				      (json_int_t)k->halts, "packet_failures",
				      (json_int_t)k->packet_failures, "intervals",
				      (json_int_t)k->intervals, "interval_failures",
				      (json_int_t)k->interval_failures, "emitted",
				      (json_int_t)k->emitted, "emit_failures",
				      (json_int_t)k->emit_failures)) < 0) {
			json_decref(all);
			return NULL;
		}
	}
	return all;
}

void nd__chef_host_fill(struct nd_chef_host *host)
{
	memset(host, 0, sizeof(*host));
	host->abi_major = ND_CHEF_ABI_MAJOR;
	host->struct_size = sizeof(*host);
	host->abi_minor = ND_CHEF_ABI_MINOR;
	host->emit = host_emit;
	host->log = host_log;
	host->now = host_now;
	host->monotonic_ns = host_monotonic_ns;
	host->option = host_option;
	host->option_u64 = host_option_u64;
	host->capture_stats = host_capture_stats;
	host->kitchen_name = host_kitchen_name;
	host->chef_counters = host_chef_counters;
}
