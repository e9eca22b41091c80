/* badbpf.c: a chef whose BPF filter does not compile; starting it must
 * fail naming the chef and the filter. */
#include "chef.h"

static int packet(void *state, const struct nd_packet *pkt)
{
	return 0;
}

static const struct nd_chef_desc chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "TypoChef",
	.bpf = "udp prot 53",
	.packet = packet,
};

ND_CHEF_MODULE("badbpf", &chef)
