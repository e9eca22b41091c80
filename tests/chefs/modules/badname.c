/* badname.c: a chef whose name is not plain; the loader must refuse the
 * module naming the chef. */
#include "chef.h"

static const struct nd_chef_desc chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "Bad Name",
};

ND_CHEF_MODULE(NULL, &chef)
