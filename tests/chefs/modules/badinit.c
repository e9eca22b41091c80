/* badinit.c: a chef whose init fails with -EACCES; starting it must fail
 * with an error naming the file and the chef. */
#include "chef.h"

#include <errno.h>

static int init(struct nd_chef_ctx *ctx, const struct nd_chef_host *host, void **state)
{
	host->log(ctx, ND_CHEF_LOG_ERROR, "refusing to start, as this test module always does");
	return -EACCES;
}

static const struct nd_chef_desc chef = {
	.struct_size = sizeof(struct nd_chef_desc),
	.name = "GrumpyChef",
	.init = init,
};

ND_CHEF_MODULE("badinit", &chef)
