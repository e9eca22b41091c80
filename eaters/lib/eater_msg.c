/*
 * eater_msg.c: reassembly, validation and filtering of received messages.
 * See eater_msg.h.  No WebSocket code here.
 */
#include "eater_msg.h"

#include "eater.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int eater_rxbuf_append(struct eater_rxbuf *rb, const void *p, size_t n)
{
	size_t need;

	if (n > rb->max || rb->len > rb->max - n)
		return -EMSGSIZE;
	need = rb->len + n + 1;
	if (need > rb->cap) {
		size_t cap = rb->cap ? rb->cap : 1024;
		char *nb;

		while (cap < need)
			cap *= 2;
		nb = realloc(rb->buf, cap);
		if (!nb)
			return -ENOMEM;
		rb->buf = nb;
		rb->cap = cap;
	}
	if (n)
		memcpy(rb->buf + rb->len, p, n);
	rb->len += n;
	rb->buf[rb->len] = '\0';
	return 0;
}

void eater_rxbuf_reset(struct eater_rxbuf *rb)
{
	rb->len = 0;
	if (rb->buf)
		rb->buf[0] = '\0';
}

void eater_rxbuf_free(struct eater_rxbuf *rb)
{
	free(rb->buf);
	rb->buf = NULL;
	rb->len = rb->cap = 0;
}

static void strs_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **strs_dup(const char *const *src, size_t n)
{
	char **v;

	if (n == 0)
		return NULL;
	v = calloc(n, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i] = strdup(src[i] ? src[i] : "");
		if (!v[i]) {
			strs_free(v, i);
			return NULL;
		}
	}
	return v;
}

int eater_filter_init(struct eater_filter *f, const char *const *chefs, size_t n_chefs,
		      const char *const *kitchens, size_t n_kitchens, unsigned drivers)
{
	memset(f, 0, sizeof(*f));
	f->chefs = strs_dup(chefs, n_chefs);
	f->kitchens = strs_dup(kitchens, n_kitchens);
	if ((n_chefs && !f->chefs) || (n_kitchens && !f->kitchens)) {
		eater_filter_free(f);
		return -ENOMEM;
	}
	f->n_chefs = n_chefs;
	f->n_kitchens = n_kitchens;
	f->drivers = drivers;
	return 0;
}

void eater_filter_free(struct eater_filter *f)
{
	strs_free(f->chefs, f->n_chefs);
	strs_free(f->kitchens, f->n_kitchens);
	memset(f, 0, sizeof(*f));
}

static bool in_list(char *const *v, size_t n, const char *s)
{
	if (!s)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

bool eater_filter_match(const struct eater_filter *f, const struct nd_dumpling_view *v)
{
	if (f->n_chefs && !in_list(f->chefs, f->n_chefs, v->chef))
		return false;
	if (f->n_kitchens && !in_list(f->kitchens, f->n_kitchens, v->kitchen))
		return false;
	if (f->drivers) {
		unsigned bit = v->driver == ND_DRIVER_PACKET	 ? ND_EATER_PACKET
			       : v->driver == ND_DRIVER_INTERVAL ? ND_EATER_INTERVAL
								 : 0;
		if (!(f->drivers & bit))
			return false;
	}
	return true;
}

enum eater_verdict eater_msg_judge(const struct eater_filter *f, const char *text, size_t len,
				   size_t max_bytes, json_t **root, struct nd_dumpling_view *view,
				   char *err, size_t errlen)
{
	struct nd_dumpling_limits lim = {.max_bytes = max_bytes, .max_depth = 0};

	*root = nd_dumpling_parse(text, len, &lim, ND_DUMPLING_BASIC, view, err, errlen);
	if (!*root)
		return EATER_INVALID;
	return eater_filter_match(f, view) ? EATER_DELIVER : EATER_SKIP;
}
