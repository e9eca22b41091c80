/*
 * chef_loader_priv.h: what chef_loader.c (opening and checking one module)
 * and chef_catalog.c (the catalog of modules: files, directories, listing)
 * share.  Not installed, not for chefs.
 */
#ifndef ND_CHEF_LOADER_PRIV_H
#define ND_CHEF_LOADER_PRIV_H

#include "chef_loader.h"

/* One module file, loaded or not (then `error` says why). */
struct loaded_module {
	struct nd_chef_module_info info;
	char *path;
	char *real;
	char *name;
	char *version;
	char *error;
	void *handle;
};

/* One chef of a loaded module: its description copied to our size. */
struct loaded_chef {
	struct nd_chef_entry entry;
	struct nd_chef_desc desc;
	char *name;
	char *full_name;
	char *summary;
};

struct nd_chef_catalog {
	struct loaded_module **mods;
	size_t n_mods, cap_mods;
	struct loaded_chef **chefs;
	size_t n_chefs, cap_chefs;
};

/* Grows *arr (of *cap elements of elem bytes) to hold more than n.
 * Returns 0 or -ENOMEM. */
int nd__chef_grow(void **arr, size_t *cap, size_t n, size_t elem);

/* dlopens m->path (after the permission check), checks the module against
 * the ABI and appends its chefs to cat.  Returns 0, or a negative errno
 * with the one-line error in err; on error no chef of m is in cat. */
int nd__chef_module_open(struct nd_chef_catalog *cat, struct loaded_module *m, char *err,
			 size_t errlen);

void nd__chef_entry_free(struct loaded_chef *c);
/* Closes the module (if open) and frees m. */
void nd__chef_module_free(struct loaded_module *m);

#endif
