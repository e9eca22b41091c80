/*
 * emit.c: building, numbering and encoding dumplings (see emit.h).
 */
#include "emit.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "uplink.h"

#define COMP "kitchen"

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void kitchen_emitter_init(struct kitchen_emitter *e, const char *kitchen_name)
{
	uint64_t rnd = 0;
	struct timespec ts;

	memset(e, 0, sizeof(*e));
	e->kitchen_name = kitchen_name;
	e->next_seq = 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd))
		rnd = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	/* Start time in ms, then 64 random bits: unique and sortable. */
	snprintf(e->kitchen_start, sizeof(e->kitchen_start), "%" PRId64 "-%016" PRIx64,
		 (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000, rnd);
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

int kitchen_emit(struct kitchen_emitter *e, const char *chef, enum nd_driver driver,
		 json_t *payload)
{
	struct nd_dumpling_meta meta = {
		.chef = chef,
		.kitchen = e->kitchen_name,
		.driver = driver,
		.creation_time = wall_now(),
		.seq = e->next_seq,
		.kitchen_start = e->kitchen_start,
	};
	const char *why = NULL;
	json_t *d = nd_dumpling_new(&meta, payload);
	char *text;
	size_t len = 0;

	if (!d) {
		e->encode_failures++;
		return -ENOMEM;
	}
	text = nd_dumpling_encode(d, &e->limits, &len, &why);
	json_decref(d);
	if (!text) {
		e->encode_failures++;
		if (e->encode_failures == 1 || (e->encode_failures & 1023) == 0)
			nd_warn(COMP, "a dumpling from %s was not sent: %s (%llu so far)", chef,
				why ? why : "cannot encode",
				(unsigned long long)e->encode_failures);
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
