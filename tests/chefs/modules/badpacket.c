/* badpacket.c: a module built against another packet view layout; the
 * loader must refuse it. */
#include "chef.h"

static const struct nd_chef_desc chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "OldViewChef",
};

static const struct nd_chef_desc *const chefs[] = {&chef, NULL};

static const struct nd_chef_module module = {
	.abi_major = ND_CHEF_ABI_MAJOR,
	.struct_size = sizeof(struct nd_chef_module),
	.abi_minor = ND_CHEF_ABI_MINOR,
	.packet_version = ND_PACKET_VERSION + 1000,
	.chefs = chefs,
};

ND_CHEF_EXPORT const struct nd_chef_module *nd_chef_module_entry(void)
{
	return &module;
}
