/* test_opt.c: option value parsers, usage errors (exit 2), string lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "opt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_u64(void **state)
{
	uint64_t v;

	assert_int_equal(nd_opt_parse_u64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(nd_opt_parse_u64("0x10", 0, 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(nd_opt_parse_u64("101", 0, 100, &v), -ERANGE);
	assert_int_equal(nd_opt_parse_u64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(nd_opt_parse_u64("-1", 0, 100, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_u64("+1", 0, 100, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_u64(" 1", 0, 100, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_u64("1x", 0, 100, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_u64("", 0, 100, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_u64(NULL, 0, 100, &v), -EINVAL);
}

static void test_double(void **state)
{
	double v;

	assert_int_equal(nd_opt_parse_double("2.5", 0, 10, &v), 0);
	assert_true(v == 2.5);
	assert_int_equal(nd_opt_parse_double("nan", 0, 10, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_double("inf", 0, 10, &v), -ERANGE);
	assert_int_equal(nd_opt_parse_double("11", 0, 10, &v), -ERANGE);
	assert_int_equal(nd_opt_parse_double("1e", 0, 10, &v), -EINVAL);
}

static void test_port(void **state)
{
	uint16_t p;

	assert_int_equal(nd_opt_parse_port("11347", 0, &p), 0);
	assert_int_equal(p, 11347);
	assert_int_equal(nd_opt_parse_port("0", 0, &p), -ERANGE);
	assert_int_equal(nd_opt_parse_port("0", 1, &p), 0);
	assert_int_equal(nd_opt_parse_port("65536", 0, &p), -ERANGE);
}

static void test_size(void **state)
{
	uint64_t v;

	assert_int_equal(nd_opt_parse_size("512", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(nd_opt_parse_size("64k", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 65536);
	assert_int_equal(nd_opt_parse_size("16MiB", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 16u << 20);
	assert_int_equal(nd_opt_parse_size("1G", 0, UINT64_MAX, &v), 0);
	assert_int_equal(v, 1u << 30);
	assert_int_equal(nd_opt_parse_size("3T", 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_size("k", 0, UINT64_MAX, &v), -EINVAL);
	assert_int_equal(nd_opt_parse_size("99999999999999999G", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(nd_opt_parse_size("2k", 0, 1000, &v), -ERANGE);
}

/* Runs fn in a child with stderr captured; returns exit status, fills out. */
static int run_child(void (*fn)(void), char *out, size_t outlen)
{
	int pfd[2];
	pid_t pid;
	int status;
	ssize_t n;
	size_t got = 0;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		fn();
		_exit(0);
	}
	close(pfd[1]);
	while (got < outlen - 1 && (n = read(pfd[0], out + got, outlen - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void bad_port_child(void)
{
	nd_opt_init("nd-test");
	nd_opt_port_or_die("--in-port", "abc", 0);
}

static void bad_range_child(void)
{
	nd_opt_init("nd-test");
	nd_opt_u64_or_die("--count", "500", 1, 100);
}

static void bad_level_child(void)
{
	nd_opt_init("nd-test");
	nd_opt_log_level_or_die("loud");
}

static void test_die_exits_2_naming_the_flag(void **state)
{
	char out[1024];

	assert_int_equal(run_child(bad_port_child, out, sizeof(out)), ND_EXIT_USAGE);
	assert_non_null(strstr(out, "nd-test: --in-port: \"abc\" is not a port number"));
	assert_int_equal(run_child(bad_range_child, out, sizeof(out)), ND_EXIT_USAGE);
	assert_non_null(strstr(out, "nd-test: --count: \"500\" is out of range (1 to 100)"));
	assert_int_equal(run_child(bad_level_child, out, sizeof(out)), ND_EXIT_USAGE);
	assert_non_null(strstr(out, "--log-level"));
}

static void test_strv(void **state)
{
	struct nd_strv sv = {0};
	char name[20][8];

	for (int i = 0; i < 20; i++) {
		snprintf(name[i], sizeof(name[i]), "c%d", i);
		assert_int_equal(nd_strv_push(&sv, name[i]), 0);
	}
	assert_int_equal(sv.n, 20);
	assert_true(nd_strv_contains(&sv, "c19"));
	assert_false(nd_strv_contains(&sv, "c20"));
	nd_strv_free(&sv);
	assert_int_equal(sv.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_die_exits_2_naming_the_flag),
		cmocka_unit_test(test_strv),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
