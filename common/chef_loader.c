/*
 * chef_loader.c: open one chef module and check it against the ABI.  See
 * chef_loader.h; chef_catalog.c handles files, directories and listing.
 *
 * A module is untrusted input until checked: its file must pass the code
 * permission check (fileperm.h) before dlopen, its description must carry
 * our ABI major and packet layout, every struct must be at least the 1.0
 * size, and names must be short and plain.  Descriptions are copied into
 * zero-filled structs of this kitchen's size, so later code reads fields a
 * module built against an older minor lacks as "default".  Names are
 * copied too; only callbacks and option tables point into the module,
 * which stays open until the catalog is freed.
 */
#include "chef_loader_priv.h"
#include "errbuf.h"

#include "fileperm.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 1.0 sizes: fields appended by later minors come after `spare`. */
#define MODULE_MIN_SIZE                                                        \
	(offsetof(struct nd_chef_module, spare) + sizeof(((struct nd_chef_module *)0)->spare))
#define DESC_MIN_SIZE                                                          \
	(offsetof(struct nd_chef_desc, spare) + sizeof(((struct nd_chef_desc *)0)->spare))

#define NAME_MAX_LEN 64
#define MODULE_NAME_MAX_LEN 128
#define MAX_CHEFS_PER_MODULE 64
#define MAX_OPTIONS_PER_CHEF 64


static bool plain_name(const char *s, size_t max, const char *extra)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; s[n]; n++) {
		unsigned char c = (unsigned char)s[n];

		if (n >= max)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || (extra && strchr(extra, c))))
			return false;
	}
	return true;
}

int nd__chef_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

void nd__chef_entry_free(struct loaded_chef *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->full_name);
	free(c->summary);
	free(c);
}

/* Checks one chef description and appends it.  Returns 0, -EPROTO (with
 * err) or -ENOMEM. */
static int add_chef(struct nd_chef_catalog *cat, struct loaded_module *m,
		    const struct nd_chef_desc *d, char *err, size_t errlen)
{
	struct loaded_chef *c;
	size_t n;

	if (d->struct_size < DESC_MIN_SIZE) {
		nd_errbuf_set(err, errlen, "%s: a chef description is %u bytes, smaller than the %zu of ABI 1.0",
			m->path, d->struct_size, (size_t)DESC_MIN_SIZE);
		return -EPROTO;
	}
	if (!plain_name(d->name, NAME_MAX_LEN, NULL)) {
		nd_errbuf_set(err, errlen, "%s: chef \"%.64s\": a chef name must be 1 to %d letters, digits and _",
			m->path, d->name ? d->name : "(null)", NAME_MAX_LEN);
		return -EPROTO;
	}
	for (size_t i = 0; i < cat->n_chefs; i++) {
		if (cat->chefs[i]->entry.path == m->path &&
		    strcmp(cat->chefs[i]->name, d->name) == 0) {
			nd_errbuf_set(err, errlen, "%s: chef \"%s\" is listed twice", m->path, d->name);
			return -EPROTO;
		}
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	n = d->struct_size < sizeof(c->desc) ? d->struct_size : sizeof(c->desc);
	memcpy(&c->desc, d, n);
	c->desc.struct_size = sizeof(c->desc);
	if (c->desc.options) {
		const struct nd_chef_option *o = c->desc.options;
		size_t k;

		for (k = 0; k < MAX_OPTIONS_PER_CHEF && o[k].key; k++) {
			if (strcmp(o[k].key, ND_CHEF_OPT_BPF) == 0 ||
			    strcmp(o[k].key, ND_CHEF_OPT_PRIORITY) == 0) {
				nd_errbuf_set(err, errlen, "%s: chef \"%s\": option key \"%s\" is reserved for the kitchen",
					m->path, d->name, o[k].key);
				nd__chef_entry_free(c);
				return -EPROTO;
			}
			if (!plain_name(o[k].key, NAME_MAX_LEN, "-")) {
				nd_errbuf_set(err, errlen, "%s: chef \"%s\": option key \"%.64s\" must be letters, digits, _ and -",
					m->path, d->name, o[k].key);
				nd__chef_entry_free(c);
				return -EPROTO;
			}
		}
		if (k == MAX_OPTIONS_PER_CHEF) {
			nd_errbuf_set(err, errlen, "%s: chef \"%s\": more than %d options", m->path,
				d->name, MAX_OPTIONS_PER_CHEF);
			nd__chef_entry_free(c);
			return -EPROTO;
		}
	}
	c->name = strdup(d->name);
	c->summary = strndup(c->desc.summary ? c->desc.summary : "", 200);
	if (c->name && asprintf(&c->full_name, "%s.%s", m->name, d->name) < 0)
		c->full_name = NULL;
	if (!c->name || !c->summary || !c->full_name ||
	    nd__chef_grow((void **)&cat->chefs, &cat->cap_chefs, cat->n_chefs, sizeof(*cat->chefs)) < 0) {
		nd__chef_entry_free(c);
		return -ENOMEM;
	}
	c->entry = (struct nd_chef_entry){
		.module = m->name,
		.path = m->path,
		.name = c->name,
		.full_name = c->full_name,
		.summary = c->summary,
		.assignable = !(c->desc.flags & ND_CHEF_F_UNASSIGNABLE),
		.explicit_only = (c->desc.flags & ND_CHEF_F_EXPLICIT) != 0,
		.desc = &c->desc,
	};
	cat->chefs[cat->n_chefs++] = c;
	return 0;
}

/* Checks the module description.  Returns 0 or -EPROTO with err. */
static int check_module(const struct loaded_module *m, const struct nd_chef_module *md,
			char *err, size_t errlen)
{
	if (!md) {
		nd_errbuf_set(err, errlen, "%s: %s returned NULL", m->path, ND_CHEF_ENTRY_SYMBOL);
		return -EPROTO;
	}
	if (md->abi_major != ND_CHEF_ABI_MAJOR) {
		nd_errbuf_set(err, errlen,
			"%s: chef ABI version mismatch: the module was built for %u.%u, this kitchen speaks %u.%u",
			m->path, md->abi_major, md->abi_minor, ND_CHEF_ABI_MAJOR, ND_CHEF_ABI_MINOR);
		return -EPROTO;
	}
	if (md->struct_size < MODULE_MIN_SIZE) {
		nd_errbuf_set(err, errlen, "%s: the module description is %u bytes, smaller than the %zu of ABI 1.0",
			m->path, md->struct_size, (size_t)MODULE_MIN_SIZE);
		return -EPROTO;
	}
	if (md->packet_version != ND_PACKET_VERSION) {
		nd_errbuf_set(err, errlen,
			"%s: packet view version mismatch: the module was built for %u, this kitchen has %u",
			m->path, md->packet_version, ND_PACKET_VERSION);
		return -EPROTO;
	}
	if (md->name && !plain_name(md->name, MODULE_NAME_MAX_LEN, ".-")) {
		nd_errbuf_set(err, errlen, "%s: module name \"%.64s\" must be letters, digits, _, . and -",
			m->path, md->name);
		return -EPROTO;
	}
	if (!md->chefs) {
		nd_errbuf_set(err, errlen, "%s: the module lists no chefs", m->path);
		return -EPROTO;
	}
	return 0;
}

/* dlopens one checked file and adds its chefs.  Returns 0 or -errno with
 * err; on error the module's chefs are removed again. */
static int open_checked(struct nd_chef_catalog *cat, struct loaded_module *m, char *err,
			size_t errlen)
{
	const struct nd_chef_module *(*entry)(void);
	const struct nd_chef_module *md;
	size_t first = cat->n_chefs, k;
	void *sym;
	int rc;

	rc = nd_fileperm_check(m->path, ND_FILEPERM_CODE, err, errlen);
	if (rc < 0)
		return rc;
	dlerror();
	m->handle = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
	if (!m->handle) {
		const char *e = dlerror();

		nd_errbuf_set(err, errlen, "%s: cannot load the module: %s", m->path, e ? e : "unknown error");
		return -ENOEXEC;
	}
	sym = dlsym(m->handle, ND_CHEF_ENTRY_SYMBOL);
	if (!sym) {
		nd_errbuf_set(err, errlen, "%s: not a chef module: it has no entry symbol %s", m->path,
			ND_CHEF_ENTRY_SYMBOL);
		return -ENOEXEC;
	}
	entry = (const struct nd_chef_module *(*)(void))sym;
	md = entry();
	rc = check_module(m, md, err, errlen);
	if (rc < 0)
		return rc;
	if (md->name) {
		free(m->name);
		m->name = strdup(md->name);
		if (!m->name)
			return -ENOMEM;
	}
	m->info.name = m->name;
	if (md->version) {
		m->version = strndup(md->version, 64);
		if (!m->version)
			return -ENOMEM;
	}
	m->info.version = m->version;
	m->info.abi_major = md->abi_major;
	m->info.abi_minor = md->abi_minor;
	for (k = 0; md->chefs[k]; k++) {
		if (k == MAX_CHEFS_PER_MODULE) {
			nd_errbuf_set(err, errlen, "%s: more than %d chefs in one module", m->path,
				MAX_CHEFS_PER_MODULE);
			rc = -EPROTO;
			break;
		}
		rc = add_chef(cat, m, md->chefs[k], err, errlen);
		if (rc < 0)
			break;
	}
	if (rc == 0 && k == 0) {
		nd_errbuf_set(err, errlen, "%s: the module lists no chefs", m->path);
		rc = -EPROTO;
	}
	if (rc < 0) {
		while (cat->n_chefs > first)
			nd__chef_entry_free(cat->chefs[--cat->n_chefs]);
		return rc;
	}
	m->info.n_chefs = k;
	return 0;
}

int nd__chef_module_open(struct nd_chef_catalog *cat, struct loaded_module *m, char *err,
			 size_t errlen)
{
	int rc = open_checked(cat, m, err, errlen);

	if (rc < 0 && m->handle) {
		dlclose(m->handle);
		m->handle = NULL;
	}
	return rc;
}

void nd__chef_module_free(struct loaded_module *m)
{
	if (!m)
		return;
	if (m->handle)
		dlclose(m->handle);
	free(m->path);
	free(m->real);
	free(m->name);
	free(m->version);
	free(m->error);
	free(m);
}
