/* badsize.c: a chef description claiming fewer bytes than ABI 1.0 has;
 * the loader must refuse it rather than read past its end. */
#include "chef.h"

static const struct nd_chef_desc chef = {
	.struct_size = 8,
	.name = "TinyChef",
};

ND_CHEF_MODULE("badsize", &chef)
