/*
 * hello.h: the first message of each kind of client.
 *
 * Kitchen (to the hub's in-port), as netdumplings sends it:
 *   {"kitchen_name":"k1","interface":"eth0","filter":"tcp or udp or arp",
 *    "chefs":["dnslookup.DNSLookupChef",...],"poke_interval":5}
 * Eater (to the out-port): {"eater_name":"nd-print"}; ours may add
 *   "chefs":[...] and "kitchens":[...] to ask the hub to send only those.
 *
 * The hub accepts anything netdumplings' peers send: a kitchen hello needs
 * only a string kitchen_name, an eater hello only a string eater_name; the
 * other keys are optional and checked for type when present.
 */
#ifndef ND_HELLO_H
#define ND_HELLO_H

#include <jansson.h>

struct nd_kitchen_hello {
	const char *kitchen_name;
	const char *interface; /* NULL: not sent */
	const char *filter;    /* NULL: not sent */
	const char *const *chefs; /* "module.Chef" names */
	size_t n_chefs;
	double poke_interval;
};

struct nd_eater_hello {
	const char *eater_name;
	const char *const *chefs; /* server-side filter; n_chefs 0 = all */
	size_t n_chefs;
	const char *const *kitchens;
	size_t n_kitchens;
};

/* Build a hello object.  Returns a new reference or NULL. */
json_t *nd_hello_kitchen_build(const struct nd_kitchen_hello *h);
json_t *nd_hello_eater_build(const struct nd_eater_hello *h);

/* Check a received hello.  root is borrowed.  Returns 0, or -EINVAL with a
 * one-line reason in err.  The name is json_string_value of its key. */
int nd_hello_kitchen_check(const json_t *root, char *err, size_t errlen);
int nd_hello_eater_check(const json_t *root, char *err, size_t errlen);

#endif
