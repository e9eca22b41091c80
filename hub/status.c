/*
 * status.c: what the hub says about itself.
 *
 * The status payload carries netdumplings' keys exactly
 * (total_dumplings_in, total_dumplings_out, server_uptime,
 * dumpling_kitchen_count, dumpling_eater_count, dumpling_kitchens,
 * dumpling_eaters, each list entry {"info_from_kitchen"|"info_from_eater":
 * <first message>, "info_from_hub": {"host", "port", ...}}) and ours beside
 * them (additive keys only).  It goes out as a SystemStatusChef interval
 * dumpling, shaped like netdumplings' own (metadata.kitchen is null), and
 * as /status.  /metrics renders the same counters in Prometheus text.
 * total_dumplings_out counts deliveries, status dumplings included.
 */
#include "hub.h"

#include "proto.h"
#include "version.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *u64(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *kitchen_entry(struct hub_kitchen *k)
{
	json_t *hub = json_pack("{s:s, s:i, s:o, s:o, s:o, s:b}", "host", k->p.host, "port",
				k->p.port, "dumplings_in", u64(k->dumplings_in), "invalid_dumplings",
				u64(k->invalid), "bytes_in", u64(k->bytes_in), "paused",
				k->p.hub->kitchens_paused);

	if (hub && k->seq && k->seq->t.tracking) {
		const struct hub_seqtrack *t = &k->seq->t;

		json_object_set_new(hub, "seq", json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
				"kitchen_start", t->start, "first", u64(t->first), "last",
				u64(t->last), "gaps", u64(t->gaps), "missing", u64(t->missing),
				"restarts", u64(t->restarts), "out_of_order",
				u64(t->out_of_order)));
	}
	return json_pack("{s:O, s:o}", "info_from_kitchen", k->p.info, "info_from_hub", hub);
}

static json_t *eater_entry(struct hub_eater *e)
{
	json_t *hub = json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "host",
				e->p.host, "port", e->p.port, "dumplings_out",
				u64(e->dumplings_out), "bytes_out", u64(e->bytes_out), "dropped",
				u64(e->q.dropped), "coalesced", u64(e->q.coalesced), "queued",
				u64(e->q.count), "queued_bytes", u64(e->q.bytes), "slow", e->exempt);

	return json_pack("{s:O, s:o}", "info_from_eater", e->p.info, "info_from_hub", hub);
}

json_t *hub_status_payload(struct hub *h)
{
	json_t *kitchens = json_array(), *eaters = json_array(), *p;
	struct hub_list *pos, *tmp;

	hub_list_foreach_safe(pos, tmp, &h->kitchens) {
		struct hub_kitchen *k = hub_container_of(pos, struct hub_kitchen, p.link);

		if (k->p.registered)
			json_array_append_new(kitchens, kitchen_entry(k));
	}
	hub_list_foreach_safe(pos, tmp, &h->eaters) {
		struct hub_eater *e = hub_container_of(pos, struct hub_eater, p.link);

		if (e->p.registered)
			json_array_append_new(eaters, eater_entry(e));
	}
	p = json_pack("{s:o, s:o, s:f, s:i, s:i, s:o, s:o}", "total_dumplings_in",
		      u64(h->c.dumplings_in), "total_dumplings_out", u64(h->c.dumplings_out),
		      "server_uptime", (double)(hub_now_ms(h) - h->start_ms) / 1000.0,
		      "dumpling_kitchen_count", (int)h->n_kitchens, "dumpling_eater_count",
		      (int)h->n_eaters, "dumpling_kitchens", kitchens, "dumpling_eaters", eaters);
	if (!p)
		return NULL;
	json_object_set_new(p, "hub_version", json_string(ND_VERSION));
	json_object_set_new(p, "total_dumplings_invalid", u64(h->c.invalid));
	json_object_set_new(p, "total_dumplings_oversize", u64(h->c.oversize));
	json_object_set_new(p, "total_dumplings_dropped", u64(h->c.dropped));
	json_object_set_new(p, "total_dumplings_coalesced", u64(h->c.coalesced));
	json_object_set_new(p, "total_bytes_in", u64(h->c.bytes_in));
	json_object_set_new(p, "total_bytes_out", u64(h->c.bytes_out));
	json_object_set_new(p, "total_status_dumplings", u64(h->c.status_sent));
	json_object_set_new(p, "total_connections_refused", u64(h->c.conns_refused));
	json_object_set_new(p, "total_registrations_refused", u64(h->c.hello_refused));
	json_object_set_new(p, "total_auth_refused", u64(h->c.auth_refused));
	json_object_set_new(p, "total_origin_refused", u64(h->c.origin_refused));
	json_object_set_new(p, "total_tls_refused", u64(h->c.tls_refused));
	json_object_set_new(p, "total_eaters_too_slow", u64(h->c.eaters_too_slow));
	json_object_set_new(p, "total_kitchen_pauses", u64(h->c.kitchen_pauses));
	json_object_set_new(p, "kitchens_paused", json_boolean(h->kitchens_paused));
	hub_nats_status(h, p); /* "nats" and "cluster", with --nats only */
	return p;
}

struct hub_msg *hub_status_dumpling(struct hub *h)
{
	json_t *payload = hub_status_payload(h), *md, *d;
	struct hub_msg *m = NULL;
	size_t len;
	char *text;

	md = json_pack("{s:s, s:n, s:f, s:s}", ND_KEY_CHEF, ND_STATUS_CHEF, ND_KEY_KITCHEN,
		       ND_KEY_CREATION_TIME, hub_wall_now(), ND_KEY_DRIVER,
		       ND_DRIVER_NAME_INTERVAL);
	d = json_pack("{s:o, s:o}", ND_KEY_METADATA, md, ND_KEY_PAYLOAD, payload);
	if (!d)
		return NULL;
	text = json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(16));
	json_decref(d);
	if (!text)
		return NULL;
	len = strlen(text);
	m = hub_msg_new(text, len, HUB_MSG_INTERVAL, ND_STATUS_CHEF, "");
	free(text);
	return m;
}

/* A growable text buffer for /metrics. */
struct mbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void mprintf(struct mbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void mprintf(struct mbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->failed)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->failed = true;
			return;
		}
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->failed = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

/* Prometheus label value escaping: backslash, quote and newline. */
static const char *esc(const char *s, char *buf, size_t size)
{
	size_t j = 0;

	for (; s && *s && j + 3 < size; s++) {
		if (*s == '\\' || *s == '"') {
			buf[j++] = '\\';
			buf[j++] = *s;
		} else if (*s == '\n') {
			buf[j++] = '\\';
			buf[j++] = 'n';
		} else {
			buf[j++] = *s;
		}
	}
	buf[j] = '\0';
	return buf;
}

static void counter(struct mbuf *b, const char *name, const char *help, uint64_t v)
{
	mprintf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
		(unsigned long long)v);
}

static void gauge(struct mbuf *b, const char *name, const char *help, double v)
{
	mprintf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %.17g\n", name, help, name, name, v);
}

static void per_kitchen(struct mbuf *b, struct hub *h)
{
	static const char *const names[] = {"nd_hub_kitchen_dumplings_in_total",
					    "nd_hub_kitchen_dumplings_invalid_total",
					    "nd_hub_kitchen_bytes_in_total",
					    "nd_hub_kitchen_seq_missing_total"};
	struct hub_list *pos, *tmp;
	char l[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		mprintf(b, "# TYPE %s counter\n", names[i]);
		hub_list_foreach_safe(pos, tmp, &h->kitchens) {
			struct hub_kitchen *k = hub_container_of(pos, struct hub_kitchen, p.link);
			uint64_t v[] = {k->dumplings_in, k->invalid, k->bytes_in,
					k->seq ? k->seq->t.missing : 0};

			if (!k->p.registered)
				continue;
			mprintf(b, "%s{kitchen=\"%s\",peer=\"%s:%d\"} %llu\n", names[i],
				esc(k->name, l, sizeof(l)), k->p.host, k->p.port,
				(unsigned long long)v[i]);
		}
	}
}

static void per_eater(struct mbuf *b, struct hub *h)
{
	static const char *const names[] = {"nd_hub_eater_dumplings_out_total",
					    "nd_hub_eater_dropped_total",
					    "nd_hub_eater_coalesced_total", "nd_hub_eater_queued"};
	struct hub_list *pos, *tmp;
	char l[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		mprintf(b, "# TYPE %s %s\n", names[i], i == 3 ? "gauge" : "counter");
		hub_list_foreach_safe(pos, tmp, &h->eaters) {
			struct hub_eater *e = hub_container_of(pos, struct hub_eater, p.link);
			uint64_t v[] = {e->dumplings_out, e->q.dropped, e->q.coalesced,
					e->q.count};

			if (!e->p.registered)
				continue;
			mprintf(b, "%s{eater=\"%s\",peer=\"%s:%d\"} %llu\n", names[i],
				esc(e->name, l, sizeof(l)), e->p.host, e->p.port,
				(unsigned long long)v[i]);
		}
	}
}

char *hub_metrics_text(struct hub *h, size_t *len)
{
	struct mbuf b = {0};

	gauge(&b, "nd_hub_uptime_seconds", "Seconds since the hub started.",
	      (double)(hub_now_ms(h) - h->start_ms) / 1000.0);
	gauge(&b, "nd_hub_kitchens", "Registered kitchens.", h->n_kitchens);
	gauge(&b, "nd_hub_eaters", "Registered eaters.", h->n_eaters);
	gauge(&b, "nd_hub_connections", "Open WebSocket connections.", h->n_conns);
	gauge(&b, "nd_hub_kitchens_paused", "1 while kitchens' input is paused.",
	      h->kitchens_paused);
	counter(&b, "nd_hub_dumplings_in_total", "Valid dumplings received.", h->c.dumplings_in);
	counter(&b, "nd_hub_dumplings_out_total", "Dumplings delivered to eaters.",
		h->c.dumplings_out);
	counter(&b, "nd_hub_dumplings_invalid_total", "Dumplings refused by validation.",
		h->c.invalid);
	counter(&b, "nd_hub_dumplings_dropped_total", "Dumplings dropped from eater queues.",
		h->c.dropped);
	counter(&b, "nd_hub_dumplings_coalesced_total", "Interval dumplings coalesced.",
		h->c.coalesced);
	counter(&b, "nd_hub_bytes_in_total", "Dumpling bytes received.", h->c.bytes_in);
	counter(&b, "nd_hub_bytes_out_total", "Dumpling bytes delivered.", h->c.bytes_out);
	counter(&b, "nd_hub_connections_refused_total", "Connections over a limit.",
		h->c.conns_refused);
	counter(&b, "nd_hub_registrations_refused_total", "Bad or missing first messages.",
		h->c.hello_refused);
	counter(&b, "nd_hub_auth_refused_total", "Handshakes or names refused for a token.",
		h->c.auth_refused);
	counter(&b, "nd_hub_origin_refused_total", "Browser handshakes from a foreign Origin.",
		h->c.origin_refused);
	counter(&b, "nd_hub_tls_refused_total", "Client certificates that failed verification.",
		h->c.tls_refused);
	counter(&b, "nd_hub_eaters_too_slow_total", "Eaters closed for being too slow.",
		h->c.eaters_too_slow);
	per_kitchen(&b, h);
	per_eater(&b, h);
	{
		char *nats = hub_nats_metrics(h); /* NULL without --nats */

		if (nats)
			mprintf(&b, "%s", nats);
		free(nats);
	}
	if (b.failed) {
		free(b.s);
		return NULL;
	}
	*len = b.len;
	return b.s;
}
