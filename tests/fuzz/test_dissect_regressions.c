/*
 * test_dissect_regressions.c: replays every saved fuzz input (files under
 * tests/data/dissect-regressions/, kept forever) through the same checks
 * the fuzzer runs.  A broken invariant aborts, failing the test.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fuzz_one.h"

static const char *regress_dir;

static void test_replay_all(void **state)
{
	DIR *dir = opendir(regress_dir);
	struct dirent *e;
	unsigned count = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		char path[4096];
		uint8_t *buf;
		long n;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", regress_dir, e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		n = ftell(f);
		assert_true(n >= 0);
		rewind(f);
		/* Exactly sized, so a read past the end is seen by ASan. */
		buf = malloc(n ? (size_t)n : 1);
		assert_non_null(buf);
		assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		nd_fuzz_dissect_one(buf, (size_t)n);
		free(buf);
		count++;
	}
	closedir(dir);
	print_message("replayed %u inputs from %s\n", count, regress_dir);
	assert_true(count > 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_all),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	regress_dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
