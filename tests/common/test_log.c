/* test_log.c: log levels and timestamp formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_parse_level(void **state)
{
	enum nd_log_level l;

	assert_int_equal(nd_log_parse_level("debug", &l), 0);
	assert_int_equal(l, ND_LOG_DEBUG);
	assert_int_equal(nd_log_parse_level("WARN", &l), 0);
	assert_int_equal(l, ND_LOG_WARN);
	assert_int_equal(nd_log_parse_level("warning", &l), 0);
	assert_int_equal(l, ND_LOG_WARN);
	assert_int_equal(nd_log_parse_level("0", &l), 0);
	assert_int_equal(l, ND_LOG_ERROR);
	assert_int_equal(nd_log_parse_level("5", &l), -EINVAL);
	assert_int_equal(nd_log_parse_level("", &l), -EINVAL);
	assert_int_equal(nd_log_parse_level("loud", &l), -EINVAL);
}

static void test_levels(void **state)
{
	nd_log_set_level(ND_LOG_INFO);
	assert_true(nd_log_enabled(ND_LOG_WARN));
	assert_false(nd_log_enabled(ND_LOG_DEBUG));
	nd_log_more_verbose();
	assert_true(nd_log_enabled(ND_LOG_DEBUG));
	nd_log_more_verbose();
	nd_log_more_verbose();
	assert_int_equal(nd_log_get_level(), ND_LOG_TRACE);
}

static void test_time_format(void **state)
{
	char buf[32];

	assert_string_equal(nd_log_format_time(1515990765.925951, buf, sizeof(buf)),
			    "2018-01-15T04:32:45.925Z");
	assert_string_equal(nd_log_format_time(0, buf, sizeof(buf)), "1970-01-01T00:00:00.000Z");
}

static void test_line_shape(void **state)
{
	char path[] = "/tmp/nd-test-log-XXXXXX";
	int fd = mkstemp(path);
	char line[4096] = "";
	FILE *f;
	int saved = dup(STDERR_FILENO);
	char big[3000];

	assert_true(fd >= 0);
	dup2(fd, STDERR_FILENO);
	nd_log_init("nd-test");
	nd_log_set_level(ND_LOG_INFO);
	nd_info("hub", "kitchen connected: name=%s", "k1");
	nd_debug("hub", "not shown");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nd_warn("hub", "%s", big); /* truncated but still one line */
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	/* 2026-11-26T11:33:07.123Z nd-test hub: INFO: kitchen connected: name=k1 */
	assert_int_equal(strlen(line) > 25, 1);
	assert_int_equal(line[10], 'T');
	assert_int_equal(line[23], 'Z');
	assert_string_equal(line + 24, " nd-test hub: INFO: kitchen connected: name=k1\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_non_null(strstr(line, "hub: WARN: xxx"));
	assert_int_equal(line[strlen(line) - 1], '\n');
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	close(fd);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_level),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_line_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
