/* test_token.c: token files, header parsing and checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "token.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static int setup(void **state)
{
	strcpy(dir, "/tmp/nd-test-token-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_load_and_check(void **state)
{
	char path[128], err[256] = "";
	struct nd_tokens *t;

	snprintf(path, sizeof(path), "%s/hub.tokens", dir);
	write_file(path,
		   "# kitchens\n"
		   "k1-secret-0123456789 kitchen-one   # the first\n"
		   "\n"
		   "any-secret-0123456789abcdef *\n", 0600);
	t = nd_tokens_load(path, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(nd_tokens_count(t), 2);
	assert_string_equal(nd_tokens_check(t, "k1-secret-0123456789", 20), "kitchen-one");
	assert_string_equal(nd_tokens_check(t, "any-secret-0123456789abcdef", 27), "*");
	assert_null(nd_tokens_check(t, "k1-secret-012345678", 19));   /* prefix */
	assert_null(nd_tokens_check(t, "k1-secret-0123456789x", 21)); /* longer */
	assert_null(nd_tokens_check(t, "", 0));
	assert_true(nd_tokens_admits("kitchen-one", "kitchen-one"));
	assert_false(nd_tokens_admits("kitchen-one", "kitchen-two"));
	assert_true(nd_tokens_admits("*", "kitchen-two"));
	nd_tokens_free(t);
}

static void test_bad_files(void **state)
{
	static const struct {
		const char *text;
		mode_t mode;
		const char *why;
	} cases[] = {
		{"short k\n", 0600, ":1: a token must be 16 to 256"},
		{"tok-0123456789abcdef\n", 0600, ":1: expected \"<token> <name>\""},
		{"tok-0123456789abcdef a b\n", 0600, ":1: expected"},
		{"# nothing\n\n", 0600, "no tokens"},
		{"tok-0123456789abcdef k\n", 0644, "readable by every user"},
		{"tok-0123456789abcdef k\n", 0660, "writable by other users"},
	};
	char path[128];

	snprintf(path, sizeof(path), "%s/bad.tokens", dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[256] = "";

		unlink(path);
		write_file(path, cases[i].text, cases[i].mode);
		if (nd_tokens_load(path, err, sizeof(err)) || !strstr(err, cases[i].why))
			fail_msg("case %zu: err=\"%s\" wanted \"%s\"", i, err, cases[i].why);
	}
}

static void test_long_line_refused(void **state)
{
	char path[128], err[256] = "";
	char *text = malloc(3000);

	snprintf(path, sizeof(path), "%s/long.tokens", dir);
	memset(text, 'a', 2999);
	text[2999] = '\0';
	write_file(path, text, 0600);
	assert_null(nd_tokens_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "line longer than"));
	free(text);
}

static void test_header(void **state)
{
	const char *tok;
	size_t len;

	assert_int_equal(nd_token_from_header("Bearer abcdefghijklmnop", &tok, &len), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(tok, "abcdefghijklmnop", 16);
	assert_int_equal(nd_token_from_header("bearer   abcdefghijklmnopq \r\n", &tok, &len), 0);
	assert_int_equal(len, 17);
	assert_int_equal(nd_token_from_header("Basic abcdefghijklmnop", &tok, &len), -EINVAL);
	assert_int_equal(nd_token_from_header("Bearer short", &tok, &len), -EINVAL);
	assert_int_equal(nd_token_from_header("Bearer abcdefgh ijklmnop", &tok, &len), -EINVAL);
	assert_int_equal(nd_token_from_header(NULL, &tok, &len), -EINVAL);
}

static void test_client_token_file(void **state)
{
	char path[128], out[ND_TOKEN_MAX + 1], err[256] = "";

	snprintf(path, sizeof(path), "%s/kitchen.token", dir);
	write_file(path, "# my token\n  k1-secret-0123456789  \n", 0600);
	assert_int_equal(nd_token_read_file(path, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "k1-secret-0123456789");
	chmod(path, 0644);
	assert_int_equal(nd_token_read_file(path, out, sizeof(out), err, sizeof(err)), -EPERM);
	unlink(path);
	write_file(path, "two words-0123456789abc\n", 0600);
	assert_int_equal(nd_token_read_file(path, out, sizeof(out), err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "one word"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_check),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_long_line_refused),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_client_token_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
