/*
 * oldminor.c: a chef description as a module built against an older,
 * smaller 1.x header would report it (struct_size just the 1.0 size); it
 * must load and run.  Its init also tries to emit, which the kitchen must
 * refuse with -EPERM (emits are only valid during packet/interval calls);
 * the packet callback reports what init got.
 */
#include "chef.h"

#include <stdlib.h>

struct old {
	struct nd_chef_ctx *ctx;
	const struct nd_chef_host *host;
	int init_emit_rc;
};

static int init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	struct old *o = calloc(1, sizeof(*o));

	if (!o)
		return -12;
	o->ctx = ctx;
	o->host = host;
	o->init_emit_rc = host->emit(ctx, json_object());
	*state = o;
	return 0;
}

static int packet(void *state, const struct nd_packet *pkt)
{
	struct old *o = state;

	return o->host->emit(o->ctx, json_pack("{s:i}", "init_emit_rc", o->init_emit_rc));
}

static void fini(void *state)
{
	free(state);
}

static const struct nd_chef_desc chef = {
	.struct_size = offsetof(struct nd_chef_desc, spare) + sizeof(((struct nd_chef_desc *)0)->spare),
	.name = "OldChef",
	.init = init,
	.packet = packet,
	.fini = fini,
};

ND_CHEF_MODULE(NULL, &chef)
