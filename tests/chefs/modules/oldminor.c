/* oldminor.c: a chef description as a module built against an older,
 * smaller 1.x header would report it (struct_size just the 1.0 size), with
 * the module itself reporting minor 0; it must load and run. */
#include "chef.h"

static int packet(void *state, const struct nd_packet *pkt)
{
	return 0;
}

static const struct nd_chef_desc chef = {
	.struct_size = offsetof(struct nd_chef_desc, spare) + sizeof(((struct nd_chef_desc *)0)->spare),
	.name = "OldChef",
	.packet = packet,
};

ND_CHEF_MODULE(NULL, &chef)
