/*
 * nullchef.c: NullChef, a chef that does nothing.  It asks for every packet
 * and returns at once, so `nd-sniff -r FILE -m <dir of this module>`
 * measures the kitchen alone: reading, dissecting, dispatching to a chef.
 * It never emits.
 */
#include <stddef.h>

#include "chef.h"

static int null_packet(void *state, const struct nd_packet *pkt)
{
	(void)state;
	(void)pkt;
	return ND_CHEF_OK;
}

static const struct nd_chef_desc null_chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "NullChef",
	.summary = "does nothing with every packet (kitchen benchmark baseline)",
	.packet = null_packet,
};

static const struct nd_chef_desc *const chefs[] = {&null_chef, NULL};

static const struct nd_chef_module module = {
	.abi_major = ND_CHEF_ABI_MAJOR,
	.struct_size = sizeof(struct nd_chef_module),
	.abi_minor = ND_CHEF_ABI_MINOR,
	.packet_version = ND_PACKET_VERSION,
	.name = "nullchef",
	.version = "1",
	.chefs = chefs,
};

ND_CHEF_EXPORT const struct nd_chef_module *nd_chef_module_entry(void);

const struct nd_chef_module *nd_chef_module_entry(void)
{
	return &module;
}
