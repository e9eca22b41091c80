/*
 * chefs.c: loading chef modules for the kitchen (see chefs.h).
 */
#include "chefs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chef_runtime.h"
#include "log.h"
#include "version.h"

#define COMP "chefs"

struct nd_chef_catalog *kitchen_chefs_load(const struct kitchen_options *opt, int listing)
{
	struct nd_chef_catalog *cat = nd_chef_catalog_new();
	char err[512];

	if (!cat) {
		nd_error(COMP, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < opt->modules.n; i++) {
		const char *path = opt->modules.v[i];
		struct stat sb;
		bool is_dir = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);

		if (nd_chef_catalog_add(cat, path, err, sizeof(err)) == 0 || listing)
			continue;
		if (is_dir) {
			nd_warn(COMP, "%s", err);
			continue;
		}
		if (strcmp(path, ND_CHEF_DIR) == 0)
			nd_error(COMP, "cannot load the standard chefs from %s (%s); are they installed? Point -m at a chef module or a directory of them",
				 path, err);
		else
			nd_error(COMP, "cannot load the chef module %s", err);
		nd_chef_catalog_free(cat);
		return NULL;
	}
	return cat;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **kitchen_chefs_names(const struct nd_chef_runtime *rt, size_t *n)
{
	size_t count = nd_chef_runtime_count(rt);
	const char **v;

	*n = 0;
	if (!count || !(v = calloc(count, sizeof(*v))))
		return NULL;
	for (size_t i = 0; i < count; i++)
		v[i] = nd_chef_runtime_info(rt, i)->full_name;
	qsort(v, count, sizeof(*v), cmp_str);
	*n = count;
	return v;
}
