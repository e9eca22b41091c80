/* chef_test.c: the chef tests' shared runtime harness.  See chef_test.h. */
#include "chef_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sink(void *user, const char *chef, enum nd_driver driver, json_t *payload)
{
	struct chef_test *ct = user;

	if (ct->emit_rc < 0) {
		json_decref(payload);
		return ct->emit_rc;
	}
	json_array_append_new(ct->out, json_pack("{s:s,s:s,s:o}", "chef", chef, "driver",
						 nd_driver_name(driver), "payload", payload));
	return 0;
}

static int stats(void *user, struct nd_chef_capture_stats *out)
{
	struct chef_test *ct = user;

	uint32_t size = out->struct_size;

	ct->stats_calls++;
	if (ct->stats_rc < 0)
		return ct->stats_rc;
	*out = ct->stats;
	out->struct_size = size;
	return 0;
}

static double fixed_now(void *user)
{
	return CT_NOW;
}

int ct_open(struct chef_test *ct, const char *path, const char **names, size_t n_names,
	    const char **opts, size_t n_opts)
{
	struct nd_chef_runtime_config cfg = {
		.kitchen_name = "test_kitchen",
		.emit = sink,
		.capture_stats = stats,
		.now = fixed_now,
		.user = ct,
	};
	struct nd_chef_catalog *cat;
	int rc;

	memset(ct, 0, sizeof(*ct));
	ct->out = json_array();
	ct->stats = (struct nd_chef_capture_stats){
		.valid = ND_CHEF_STAT_PCAP | ND_CHEF_STAT_KITCHEN,
		.received = 1000,
		.dropped_kernel = 7,
		.dropped_iface = 3,
		.packets_processed = 990,
		.packets_dropped = 2,
		.dumplings_sent = 40,
		.dumplings_dropped = 1,
	};
	cat = nd_chef_catalog_new();
	if (!cat || !ct->out)
		return -ENOMEM;
	rc = nd_chef_catalog_add(cat, path, ct->err, sizeof(ct->err));
	if (rc < 0) {
		nd_chef_catalog_free(cat);
		return rc;
	}
	ct->rt = nd_chef_runtime_new(cat, &cfg);
	if (!ct->rt)
		return -ENOMEM;
	return nd_chef_runtime_start(ct->rt, names, n_names, opts, n_opts, ct->err,
				     sizeof(ct->err));
}

int ct_open_chef(struct chef_test *ct, const char *stem, const char **opts, size_t n_opts)
{
	char path[512];

	return ct_open(ct, ct_chef_path(stem, path, sizeof(path)), NULL, 0, opts, n_opts);
}

size_t ct_packet(struct chef_test *ct, const struct nd_packet *pkt)
{
	return nd_chef_runtime_packet(ct->rt, pkt);
}

size_t ct_poke(struct chef_test *ct, double interval)
{
	return nd_chef_runtime_poke(ct->rt, interval);
}

void ct_close(struct chef_test *ct)
{
	nd_chef_runtime_free(ct->rt);
	json_decref(ct->out);
	ct->rt = NULL;
	ct->out = NULL;
}

size_t ct_count(const struct chef_test *ct)
{
	return json_array_size(ct->out);
}

void ct_clear(struct chef_test *ct)
{
	json_array_clear(ct->out);
}

json_t *ct_payload(const struct chef_test *ct, size_t i, const char *chef, const char *driver)
{
	json_t *d = json_array_get(ct->out, i);

	if (!d) {
		fprintf(stderr, "no dumpling %zu (have %zu)\n", i, ct_count(ct));
		return NULL;
	}
	if (strcmp(json_string_value(json_object_get(d, "chef")), chef) != 0 ||
	    strcmp(json_string_value(json_object_get(d, "driver")), driver) != 0) {
		fprintf(stderr, "dumpling %zu is from %s/%s, expected %s/%s\n", i,
			json_string_value(json_object_get(d, "chef")),
			json_string_value(json_object_get(d, "driver")), chef, driver);
		return NULL;
	}
	return json_object_get(d, "payload");
}

int ct_json_eq(const json_t *payload, const char *expect)
{
	json_error_t jerr;
	json_t *want = json_loads(expect, JSON_DECODE_ANY, &jerr);
	char *a, *b;
	int eq;

	if (!want) {
		fprintf(stderr, "bad expected JSON %s: %s\n", expect, jerr.text);
		return 0;
	}
	a = json_dumps(payload, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
	b = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
	eq = a && b && strcmp(a, b) == 0;
	if (!eq)
		fprintf(stderr, "payload mismatch:\n  got  %s\n  want %s\n", a ? a : "(null)",
			b ? b : "(null)");
	free(a);
	free(b);
	json_decref(want);
	return eq;
}

const char *ct_chef_dir(void)
{
	return ND_TEST_CHEF_DIR;
}

const char *ct_module_path(const char *stem, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.so", ND_TEST_MODULE_DIR, stem);
	return buf;
}

const char *ct_chef_path(const char *stem, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s.so", ND_TEST_CHEF_DIR, stem);
	return buf;
}
