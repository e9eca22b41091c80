/*
 * main.c: nd-sniff, the dumpling kitchen.  Wiring only: options, the chef
 * catalog (or its listing), the kitchen, run, exit status.
 */
#include <stdio.h>

#include "chef_runtime.h"
#include "chefs.h"
#include "kitchen.h"
#include "log.h"
#include "options.h"

int main(int argc, char **argv)
{
	struct kitchen_options opt;
	struct nd_chef_catalog *cat;
	struct kitchen *k;
	int status;

	nd_log_init("nd-sniff");
	nd_opt_init("nd-sniff");
	kitchen_options_parse(&opt, argc, argv);

	cat = kitchen_chefs_load(&opt, opt.list_chefs);
	if (!cat) {
		kitchen_options_free(&opt);
		return ND_EXIT_FAILURE;
	}
	if (opt.list_chefs) {
		nd_chef_catalog_print(cat, stdout);
		nd_chef_catalog_free(cat);
		kitchen_options_free(&opt);
		return ND_EXIT_OK;
	}
	k = kitchen_new(&opt, cat);
	if (!k) {
		kitchen_options_free(&opt);
		return ND_EXIT_FAILURE;
	}
	status = kitchen_run(k);
	kitchen_free(k);
	fflush(stdout);
	kitchen_options_free(&opt);
	return status;
}
