/* test_fileperm.c: modules and secrets are refused when others can change them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fileperm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
	char dir[64];
	char file[128];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	int fd;

	strcpy(fx->dir, "/tmp/nd-test-perm-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->file, sizeof(fx->file), "%s/chef.so", fx->dir);
	fd = open(fx->file, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unlink(fx->file);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static void test_private_file_ok(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";

	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), 0);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_SECRET, err, sizeof(err)), 0);
	chmod(fx->file, 0644);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), 0);
}

static void test_world_writable_file_refused(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";

	chmod(fx->file, 0666);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "is writable by other users (mode 0666)"));
	chmod(fx->file, 0620);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), -EPERM);
}

static void test_readable_secret_refused(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";

	chmod(fx->file, 0604);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_SECRET, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "readable by every user"));
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), 0);
}

static void test_writable_directory_refused(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";

	chmod(fx->dir, 0777);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "which other users can write to"));
	/* Sticky and the file is ours: like /tmp, acceptable. */
	chmod(fx->dir, 01777);
	assert_int_equal(nd_fileperm_check(fx->file, ND_FILEPERM_CODE, err, sizeof(err)), 0);
	chmod(fx->dir, 0700);
}

static void test_missing_and_not_regular(void **state)
{
	struct fx *fx = *state;
	char err[256] = "";
	char missing[160];

	snprintf(missing, sizeof(missing), "%s/nope.so", fx->dir);
	assert_int_equal(nd_fileperm_check(missing, ND_FILEPERM_CODE, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(nd_fileperm_check(fx->dir, ND_FILEPERM_CODE, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is not a regular file"));
}

static void test_symlink_judged_by_target(void **state)
{
	struct fx *fx = *state;
	char link[160];
	char err[256] = "";

	snprintf(link, sizeof(link), "%s/link.so", fx->dir);
	assert_int_equal(symlink(fx->file, link), 0);
	chmod(fx->file, 0666);
	assert_int_equal(nd_fileperm_check(link, ND_FILEPERM_CODE, err, sizeof(err)), -EPERM);
	chmod(fx->file, 0600);
	assert_int_equal(nd_fileperm_check(link, ND_FILEPERM_CODE, err, sizeof(err)), 0);
	unlink(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_private_file_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_world_writable_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readable_secret_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writable_directory_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_not_regular, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_judged_by_target, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
