/*
 * chefs.h: the kitchen's side of chef loading: modules from -m into a
 * catalog, and the registration's list of chef names.
 */
#ifndef KITCHEN_CHEFS_H
#define KITCHEN_CHEFS_H

#include <stddef.h>

#include "options.h"

struct nd_chef_catalog;
struct nd_chef_runtime;

/* Loads every -m path.  A file that fails to load is an error (NULL
 * returned, logged); a bad file inside a directory is a warning.  With
 * `listing`, nothing is an error: the listing shows the problems. */
struct nd_chef_catalog *kitchen_chefs_load(const struct kitchen_options *opt, int listing);

/* The running chefs' "module.Chef" names, sorted as netdumplings sorts
 * them.  Returns a malloc'd array of borrowed strings (free the array
 * only), *n set; NULL with *n = 0 when out of memory or no chef. */
const char **kitchen_chefs_names(const struct nd_chef_runtime *rt, size_t *n);

#endif
