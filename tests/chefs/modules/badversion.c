/* badversion.c: a module built for a chef ABI major this kitchen does not
 * speak (99.3); the loader must refuse it naming both versions. */
#include "chef.h"

static const struct nd_chef_desc chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "FutureChef",
};

static const struct nd_chef_desc *const chefs[] = {&chef, NULL};

static const struct nd_chef_module module = {
	.abi_major = 99,
	.struct_size = sizeof(struct nd_chef_module),
	.abi_minor = 3,
	.packet_version = ND_PACKET_VERSION,
	.chefs = chefs,
};

ND_CHEF_EXPORT const struct nd_chef_module *nd_chef_module_entry(void)
{
	return &module;
}
