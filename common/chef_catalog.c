/*
 * chef_catalog.c: the catalog of chef modules: files and directories given
 * to the kitchen, deduplicated by real path, listed for `nd-sniff -l`.
 * See chef_loader.h; chef_loader.c opens and checks each module.
 */
#include "chef_loader_priv.h"
#include "errbuf.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_MODULES 256


static char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".so") == 0)
		n -= 3;
	return strndup(base, n);
}

struct nd_chef_catalog *nd_chef_catalog_new(void)
{
	return calloc(1, sizeof(struct nd_chef_catalog));
}

static int add_file(struct nd_chef_catalog *cat, const char *path, char *err, size_t errlen)
{
	char msg[512] = "";
	struct loaded_module *m;
	char *real = realpath(path, NULL);
	int rc;

	if (!real) {
		rc = -errno;
		nd_errbuf_set(msg, sizeof(msg), "%s: %s", path, strerror(-rc));
	} else {
		for (size_t i = 0; i < cat->n_mods; i++) {
			if (cat->mods[i]->real && strcmp(cat->mods[i]->real, real) == 0) {
				free(real);
				return 0;
			}
		}
		rc = 0;
	}
	if (cat->n_mods >= MAX_MODULES) {
		free(real);
		nd_errbuf_set(err, errlen, "%s: more than %d chef modules", path, MAX_MODULES);
		return -E2BIG;
	}
	m = calloc(1, sizeof(*m));
	if (!m || nd__chef_grow((void **)&cat->mods, &cat->cap_mods, cat->n_mods, sizeof(*cat->mods)) < 0) {
		free(m);
		free(real);
		return -ENOMEM;
	}
	m->real = real;
	m->path = strdup(path);
	m->name = stem_of(path);
	if (!m->path || !m->name) {
		nd__chef_module_free(m);
		return -ENOMEM;
	}
	m->info.path = m->path;
	m->info.name = m->name;
	if (rc == 0)
		rc = nd__chef_module_open(cat, m, msg, sizeof(msg));
	if (rc < 0) {
		nd_errbuf_set(err, errlen, "%s", msg);
		m->error = strdup(msg);
		m->info.error = m->error ? m->error : "cannot load the module";
		m->info.n_chefs = 0;
	}
	cat->mods[cat->n_mods++] = m;
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(struct nd_chef_catalog *cat, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, first = 0;

	if (!d) {
		rc = -errno;
		nd_errbuf_set(err, errlen, "%s: %s", dir, strerror(-rc));
		return rc;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len < 4 || strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		if (n >= MAX_MODULES)
			break;
		if (nd__chef_grow((void **)&names, &cap, n, sizeof(*names)) < 0 ||
		    asprintf(&names[n], "%s/%s", dir, de->d_name) < 0) {
			rc = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (rc == 0 && n == 0) {
		nd_errbuf_set(err, errlen, "%s: no chef modules (*.so) in this directory", dir);
		rc = -ENOENT;
	}
	if (rc == 0) {
		char first_err[512] = "";

		qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++) {
			int r = add_file(cat, names[i], err, errlen);

			if (r < 0 && !first) {
				first = r;
				if (err && errlen)
					snprintf(first_err, sizeof(first_err), "%s", err);
			}
		}
		if (first && err && errlen)
			snprintf(err, errlen, "%s", first_err);
		rc = first;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int nd_chef_catalog_add(struct nd_chef_catalog *cat, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (!cat || !path || !*path) {
		nd_errbuf_set(err, errlen, "no chef module path given");
		return -EINVAL;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return add_dir(cat, path, err, errlen);
	return add_file(cat, path, err, errlen);
}

size_t nd_chef_catalog_module_count(const struct nd_chef_catalog *cat)
{
	return cat ? cat->n_mods : 0;
}

const struct nd_chef_module_info *nd_chef_catalog_module(const struct nd_chef_catalog *cat,
							 size_t i)
{
	return cat && i < cat->n_mods ? &cat->mods[i]->info : NULL;
}

size_t nd_chef_catalog_count(const struct nd_chef_catalog *cat)
{
	return cat ? cat->n_chefs : 0;
}

const struct nd_chef_entry *nd_chef_catalog_get(const struct nd_chef_catalog *cat, size_t i)
{
	return cat && i < cat->n_chefs ? &cat->chefs[i]->entry : NULL;
}

void nd_chef_catalog_print(const struct nd_chef_catalog *cat, FILE *out)
{
	for (size_t i = 0; cat && i < cat->n_mods; i++) {
		const struct loaded_module *m = cat->mods[i];

		fprintf(out, "%s (%s)\n", m->path, m->name);
		if (m->error)
			fprintf(out, "  error loading module: %s\n", m->error);
		for (size_t k = 0; k < cat->n_chefs; k++) {
			const struct nd_chef_entry *e = &cat->chefs[k]->entry;

			if (e->path != m->path)
				continue;
			fprintf(out, "  %s%s%s%s\n", e->name, *e->summary ? "  " : "", e->summary,
				!e->assignable	   ? " (not assignable to a kitchen)"
				: e->explicit_only ? " (loaded only when named with -c)"
						   : "");
			for (const struct nd_chef_option *o = e->desc->options; o && o->key; o++)
				fprintf(out, "    -o %s.%s=%.64s  %.200s\n", e->name, o->key,
					o->default_value ? o->default_value : "VALUE",
					o->help ? o->help : "");
		}
		fputc('\n', out);
	}
}

void nd_chef_catalog_free(struct nd_chef_catalog *cat)
{
	if (!cat)
		return;
	for (size_t i = 0; i < cat->n_chefs; i++)
		nd__chef_entry_free(cat->chefs[i]);
	for (size_t i = 0; i < cat->n_mods; i++)
		nd__chef_module_free(cat->mods[i]);
	free(cat->chefs);
	free(cat->mods);
	free(cat);
}
