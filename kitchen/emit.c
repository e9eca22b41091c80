/*
 * emit.c: building, numbering and encoding dumplings (see emit.h).
 *
 * The fast path writes
 *   {"metadata":{"chef":"C","kitchen":K,"creation_time":T,"driver":"D",
 *    "seq":N,"kitchen_start":"S"},"payload":P}
 * into one reusable buffer: C is a chef name (the loader allows only
 * letters, digits and '_', checked again here), K the kitchen name escaped
 * once at start, T the wall clock in microseconds, P the payload's
 * encoding (jsonenc.c, falling back to json_dumpb).  Nothing is allocated per dumpling once the buffer has
 * grown to fit.
 */
#include "emit.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "jsonenc.h"
#include "log.h"
#include "uplink.h"

#define COMP "kitchen"
#define ENCODE_FLAGS                                                           \
	(JSON_COMPACT | JSON_REAL_PRECISION(16) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)
#define PREFIX_MAX 256 /* envelope bytes besides the chef and kitchen names */

int kitchen_emitter_init(struct kitchen_emitter *e, const char *kitchen_name)
{
	uint64_t rnd = 0;
	struct timespec ts;
	json_t *name;

	memset(e, 0, sizeof(*e));
	e->kitchen_name = kitchen_name;
	e->next_seq = 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	/* Start time in ms, then 64 random bits: unique and sortable. */
	snprintf(e->kitchen_start, sizeof(e->kitchen_start), "%" PRId64 "-%016" PRIx64,
		 (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, rnd);
	name = json_string(kitchen_name);
	if (!name)
		return -EINVAL; /* not UTF-8 */
	e->kitchen_json = json_dumps(name, JSON_ENCODE_ANY);
	json_decref(name);
	if (!e->kitchen_json)
		return -ENOMEM;
	e->kitchen_json_len = strlen(e->kitchen_json);
	return 0;
}

void kitchen_emitter_free(struct kitchen_emitter *e)
{
	free(e->buf);
	free(e->kitchen_json);
	e->buf = e->kitchen_json = NULL;
}

static size_t max_bytes(const struct kitchen_emitter *e)
{
	return e->limits.max_bytes ? e->limits.max_bytes : ND_DUMPLING_MAX_BYTES_DEFAULT;
}

/* Grows the buffer to hold n bytes (plus a NUL), within the ceiling. */
static int reserve(struct kitchen_emitter *e, size_t n)
{
	size_t cap = e->cap ? e->cap : 4096;
	char *b;

	if (n <= e->cap)
		return 0;
	if (n > max_bytes(e) + 1)
		return -E2BIG;
	while (cap < n)
		cap *= 2;
	if (cap > max_bytes(e) + 1)
		cap = max_bytes(e) + 1;
	b = realloc(e->buf, cap);
	if (!b)
		return -ENOMEM;
	e->buf = b;
	e->cap = cap;
	return 0;
}

static bool plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put((p), (lit), sizeof(lit) - 1)

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Seconds with up to six decimals, trailing zeros dropped, as jansson
 * prints a real ("1732620000.5", "1732620000.0"). */
static char *put_time(char *p, const struct timespec *ts)
{
	uint32_t us = (uint32_t)(ts->tv_nsec / 1000);
	char frac[6];
	int n = 6;

	p = put_u64(p, (uint64_t)ts->tv_sec);
	*p++ = '.';
	for (int i = 5; i >= 0; i--) {
		frac[i] = (char)('0' + us % 10);
		us /= 10;
	}
	while (n > 1 && frac[n - 1] == '0')
		n--;
	return put(p, frac, (size_t)n);
}

/* The payload's encoding: ours, or jansson's for what ours leaves to it.
 * Returns the length needed (possibly more than cap) or 0 on failure. */
static size_t encode_payload(const json_t *payload, char *buf, size_t cap)
{
	size_t n = kitchen_json_encode(payload, buf, cap);

	return n ? n : json_dumpb(payload, buf, cap, ENCODE_FLAGS);
}

/* Writes the dumpling into e->buf; returns its length or a negative errno. */
static ssize_t encode_fast(struct kitchen_emitter *e, const char *chef, enum nd_driver driver,
			   json_t *payload, uint64_t seq)
{
	size_t chef_len = strlen(chef), ks_len = strlen(e->kitchen_start);
	size_t head_max = PREFIX_MAX + chef_len + e->kitchen_json_len + ks_len;
	struct timespec ts;
	char *p;
	size_t head, n;
	int rc;

	rc = reserve(e, head_max + 256);
	if (rc)
		return rc;
	clock_gettime(CLOCK_REALTIME, &ts);
	p = e->buf;
	p = PUT_LIT(p, "{\"metadata\":{\"chef\":\"");
	p = put(p, chef, chef_len);
	p = PUT_LIT(p, "\",\"kitchen\":");
	p = put(p, e->kitchen_json, e->kitchen_json_len);
	p = PUT_LIT(p, ",\"creation_time\":");
	p = put_time(p, &ts);
	p = driver == ND_DRIVER_INTERVAL ? PUT_LIT(p, ",\"driver\":\"interval\"")
					 : PUT_LIT(p, ",\"driver\":\"packet\"");
	p = PUT_LIT(p, ",\"seq\":");
	p = put_u64(p, seq);
	p = PUT_LIT(p, ",\"kitchen_start\":\"");
	p = put(p, e->kitchen_start, ks_len);
	p = PUT_LIT(p, "\"},\"payload\":");
	head = (size_t)(p - e->buf);
	n = encode_payload(payload, e->buf + head, e->cap - head - 1);
	if (n == 0)
		return -EINVAL;
	if (n > e->cap - head - 2) {
		rc = reserve(e, head + n + 2);
		if (rc)
			return rc;
		n = encode_payload(payload, e->buf + head, e->cap - head - 1);
		if (n == 0 || n > e->cap - head - 2)
			return -EINVAL;
	}
	e->buf[head + n] = '}';
	e->buf[head + n + 1] = '\0';
	if (head + n + 1 > max_bytes(e))
		return -E2BIG;
	return (ssize_t)(head + n + 1);
}

static void write_out(struct kitchen_emitter *e, const char *text, size_t len)
{
	if (!e->out || e->out_failed)
		return;
	if (fwrite(text, 1, len, e->out) != len || putc('\n', e->out) == EOF) {
		e->out_failed = true;
		nd_warn(COMP, "cannot write dumplings to standard output: %s", strerror(errno));
		if (e->on_out_failed)
			e->on_out_failed(e->arg);
		return;
	}
	e->out_dirty = true;
}

static void count_failure(struct kitchen_emitter *e, const char *chef, const char *why)
{
	e->encode_failures++;
	if (e->encode_failures == 1 || (e->encode_failures & 1023) == 0)
		nd_warn(COMP, "a dumpling from %s was not sent: %s (%llu so far)", chef, why,
			(unsigned long long)e->encode_failures);
}

/* The general path, for names the fast path does not write raw. */
static int emit_slow(struct kitchen_emitter *e, const char *chef, enum nd_driver driver,
		     json_t *payload)
{
	struct timespec ts;
	struct nd_dumpling_meta meta = {
		.chef = chef,
		.kitchen = e->kitchen_name,
		.driver = driver,
		.seq = e->next_seq,
		.kitchen_start = e->kitchen_start,
	};
	const char *why = NULL;
	json_t *d;
	char *text;
	size_t len = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	meta.creation_time = (double)ts.tv_sec + (double)(ts.tv_nsec / 1000) / 1e6;
	d = nd_dumpling_new(&meta, payload);
	if (!d) {
		count_failure(e, chef, "out of memory");
		return -ENOMEM;
	}
	text = nd_dumpling_encode(d, &e->limits, &len, &why);
	json_decref(d);
	if (!text) {
		count_failure(e, chef, why ? why : "cannot encode");
		return -EINVAL;
	}
	e->next_seq++;
	e->made++;
	e->bytes += len;
	if (e->uplink)
		kitchen_uplink_send(e->uplink, text, len, meta.seq);
	write_out(e, text, len);
	free(text);
	return 0;
}

int kitchen_emit(struct kitchen_emitter *e, const char *chef, enum nd_driver driver,
		 json_t *payload)
{
	ssize_t len;

	if (!payload) {
		count_failure(e, chef, "no payload");
		return -EINVAL;
	}
	if (!plain_name(chef))
		return emit_slow(e, chef, driver, payload);
	len = encode_fast(e, chef, driver, payload, e->next_seq);
	json_decref(payload);
	if (len < 0) {
		count_failure(e, chef,
			      len == -E2BIG ? "encoded dumpling exceeds the size limit"
			      : len == -ENOMEM ? "out of memory"
					       : "cannot encode (invalid UTF-8 in a string?)");
		return (int)len;
	}
	if (e->uplink)
		kitchen_uplink_send(e->uplink, e->buf, (size_t)len, e->next_seq);
	write_out(e, e->buf, (size_t)len);
	e->next_seq++;
	e->made++;
	e->bytes += (size_t)len;
	return 0;
}

void kitchen_emitter_flush(struct kitchen_emitter *e)
{
	if (!e->out || !e->out_dirty || e->out_failed)
		return;
	e->out_dirty = false;
	if (fflush(e->out) != 0) {
		e->out_failed = true;
		nd_warn(COMP, "cannot write dumplings to standard output: %s", strerror(errno));
		if (e->on_out_failed)
			e->on_out_failed(e->arg);
	}
}
