/* badoption.c: a chef declaring an option key the kitchen reserves for
 * itself ("priority"); the loader must refuse it. */
#include "chef.h"

static const struct nd_chef_option options[] = {
	{"priority", "1", "clashes with -o Chef.priority"},
	{NULL, NULL, NULL},
};

static const struct nd_chef_desc chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "GreedyChef",
	.options = options,
};

ND_CHEF_MODULE("badoption", &chef)
