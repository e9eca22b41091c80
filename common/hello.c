/*
 * hello.c: build and check kitchens' and eaters' first messages.
 * See hello.h.
 */
#include "hello.h"

#include "proto.h"

#include <errno.h>
#include <stdio.h>

static json_t *string_array(const char *const *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < n; i++) {
		if (json_array_append_new(a, json_string(v[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *nd_hello_kitchen_build(const struct nd_kitchen_hello *h)
{
	json_t *o;

	if (!h->kitchen_name)
		return NULL;
	o = json_object();
	if (!o)
		return NULL;
	if (json_object_set_new(o, ND_KEY_KITCHEN_NAME, json_string(h->kitchen_name)) ||
	    json_object_set_new(o, ND_KEY_INTERFACE,
				h->interface ? json_string(h->interface) : json_null()) ||
	    json_object_set_new(o, ND_KEY_FILTER,
				h->filter ? json_string(h->filter) : json_null()) ||
	    json_object_set_new(o, ND_KEY_CHEFS, string_array(h->chefs, h->n_chefs)) ||
	    json_object_set_new(o, ND_KEY_POKE_INTERVAL, json_real(h->poke_interval))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *nd_hello_eater_build(const struct nd_eater_hello *h)
{
	json_t *o;

	if (!h->eater_name)
		return NULL;
	o = json_object();
	if (!o)
		return NULL;
	if (json_object_set_new(o, ND_KEY_EATER_NAME, json_string(h->eater_name)) ||
	    (h->n_chefs && json_object_set_new(o, ND_KEY_FILTER_CHEFS,
					       string_array(h->chefs, h->n_chefs))) ||
	    (h->n_kitchens && json_object_set_new(o, ND_KEY_FILTER_KITCHENS,
						  string_array(h->kitchens, h->n_kitchens)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int check_strings(const json_t *root, const char *key, char *err, size_t errlen)
{
	const json_t *a = json_object_get(root, key);
	const json_t *v;
	size_t i;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		snprintf(err, errlen, "\"%s\" is not an array", key);
		return -EINVAL;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			snprintf(err, errlen, "\"%s\"[%zu] is not a string", key, i);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_name(const json_t *root, const char *key, char *err, size_t errlen)
{
	const json_t *name;

	if (!json_is_object(root)) {
		snprintf(err, errlen, "first message is not a JSON object");
		return -EINVAL;
	}
	name = json_object_get(root, key);
	if (!name) {
		snprintf(err, errlen, "first message has no \"%s\"", key);
		return -EINVAL;
	}
	if (!json_is_string(name)) {
		snprintf(err, errlen, "\"%s\" is not a string", key);
		return -EINVAL;
	}
	return 0;
}

int nd_hello_kitchen_check(const json_t *root, char *err, size_t errlen)
{
	if (check_name(root, ND_KEY_KITCHEN_NAME, err, errlen))
		return -EINVAL;
	return check_strings(root, ND_KEY_CHEFS, err, errlen);
}

int nd_hello_eater_check(const json_t *root, char *err, size_t errlen)
{
	if (check_name(root, ND_KEY_EATER_NAME, err, errlen))
		return -EINVAL;
	if (check_strings(root, ND_KEY_FILTER_CHEFS, err, errlen))
		return -EINVAL;
	return check_strings(root, ND_KEY_FILTER_KITCHENS, err, errlen);
}
