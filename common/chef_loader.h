/*
 * chef_loader.h: finding and opening chef modules (see chef.h for the ABI).
 *
 * A catalog is the set of chef modules the kitchen was pointed at (-m FILE
 * or -m DIRECTORY), opened with dlopen(RTLD_NOW | RTLD_LOCAL), checked
 * against the ABI, and listed chef by chef.  Nothing is initialised here:
 * the runtime (chef_runtime.h) selects chefs from a catalog and runs them.
 *
 * Every problem with a module is recorded against it, in one line naming
 * the file (and the chef when there is one):
 *   chefs/old.so: chef ABI version mismatch: the module was built for 2.0, this kitchen speaks 1.0
 *   chefs/x.so: no entry symbol nd_chef_module_entry: ...
 *   chefs/y.so: chef "Bad Name": the name must be letters, digits and _
 * A module with an error is listed (with its error) but offers no chefs.
 */
#ifndef ND_CHEF_LOADER_H
#define ND_CHEF_LOADER_H

#include "chef.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct nd_chef_catalog;

/* One module as loaded.  Borrowed from the catalog. */
struct nd_chef_module_info {
	const char *path;    /* as given (file) or directory/file */
	const char *name;    /* module name; the file stem when the module has none */
	const char *version; /* NULL when the module gives none */
	const char *error;   /* NULL when the module loaded; else the one-line error */
	size_t n_chefs;      /* chefs it offers (0 when error) */
	unsigned abi_major, abi_minor; /* what the module was built against */
};

/* One chef offered by a module.  Borrowed from the catalog: valid until
 * nd_chef_catalog_free (the runtime keeps the catalog alive for you). */
struct nd_chef_entry {
	const char *module;  /* module name */
	const char *path;    /* the module's file */
	const char *name;    /* chef name, "DNSLookupChef" */
	const char *full_name; /* "module.Chef", as the kitchen registers it */
	const char *summary; /* may be "" */
	bool assignable;     /* false: listed, never loaded */
	bool explicit_only;  /* loaded only when named (ND_CHEF_F_EXPLICIT) */
	/* The chef's description, normalised to this kitchen's struct size:
	 * fields a module built against an older minor lacks read as zero. */
	const struct nd_chef_desc *desc;
};

/* Returns an empty catalog, or NULL when out of memory. */
struct nd_chef_catalog *nd_chef_catalog_new(void);

/* Opens the module at `path`, or every "*.so" file in it (in name order) when
 * it is a directory.  A file already in the catalog (same real path) is
 * skipped.  Returns 0 when everything loaded; otherwise the -errno of the
 * first failure (-ENOENT no such file or no modules in the directory,
 * -ENOEXEC not a loadable module or no entry symbol, -EPROTO ABI mismatch
 * or a malformed description, -ENOMEM) with its one-line message in err.
 * Failed modules are still recorded (with their error) so that a listing
 * can show them; the good modules of a directory are loaded either way. */
int nd_chef_catalog_add(struct nd_chef_catalog *cat, const char *path, char *err, size_t errlen);

size_t nd_chef_catalog_module_count(const struct nd_chef_catalog *cat);
/* i < module_count; the pointer lives as long as the catalog. */
const struct nd_chef_module_info *nd_chef_catalog_module(const struct nd_chef_catalog *cat,
							 size_t i);

/* All chefs of all good modules, in load order (module, then the order the
 * module lists them). */
size_t nd_chef_catalog_count(const struct nd_chef_catalog *cat);
const struct nd_chef_entry *nd_chef_catalog_get(const struct nd_chef_catalog *cat, size_t i);

/* Prints the catalog for `nd-sniff -l`, netdumplings-style:
 *
 *   /usr/lib/netdumplings/chefs/arpchef.so (arpchef)
 *     ARPChef  a dumpling per ARP packet, noting new devices and changed addresses
 *       -o ARPChef.max_devices=4096  IP addresses remembered; ...
 *
 *   ./mychefs.so (mychefs)
 *     MyChef (not assignable to a kitchen)
 *     RawChef  ... (loaded only when named with -c)
 *     error loading module: ...
 */
void nd_chef_catalog_print(const struct nd_chef_catalog *cat, FILE *out);

/* Closes every module.  No chef of this catalog may be running. */
void nd_chef_catalog_free(struct nd_chef_catalog *cat);

#endif
