/* nosymbol.c: a shared object without the chef entry symbol. */
#include "chef.h"

int nd_test_not_a_chef(void);

ND_CHEF_EXPORT int nd_test_not_a_chef(void)
{
	return 42;
}
