/*
 * test_sec_regressions.c: replays every saved input of the fuzz_sec.h
 * targets (seeds and every crash ever found, kept forever) through the
 * same checks the fuzzers run.  Usage: test_sec_regressions DATA_DIR,
 * where DATA_DIR holds fuzz-dumpling/, fuzz-hubmsg/, fuzz-eatermsg/ and
 * fuzz-pcapfile/.  A broken invariant aborts, failing the test.
 */
#include "fuzz_sec.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *dir;
	int (*one)(const uint8_t *, size_t);
} targets[] = {
	{"fuzz-dumpling", nd_fuzz_dumpling_one},
	{"fuzz-hubmsg", nd_fuzz_hubmsg_one},
	{"fuzz-eatermsg", nd_fuzz_eatermsg_one},
	{"fuzz-pcapfile", nd_fuzz_pcapfile_one},
};

static int replay_file(const char *path, int (*one)(const uint8_t *, size_t))
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	one(buf, (size_t)n);
	/* The hub's scanner and the parsers must also cope with every input
	 * of every other target. */
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		targets[i].one(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned total = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
		return 2;
	}
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char dir[4096], path[8192];
		unsigned count = 0;
		struct dirent *e;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", argv[1], targets[i].dir);
		d = opendir(dir);
		if (!d) {
			fprintf(stderr, "cannot open %s\n", dir);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (replay_file(path, targets[i].one)) {
				closedir(d);
				return 1;
			}
			count++;
		}
		closedir(d);
		if (!count) {
			fprintf(stderr, "%s: no inputs\n", dir);
			return 1;
		}
		printf("%s: %u inputs replayed\n", targets[i].dir, count);
		total += count;
	}
	printf("%u inputs, no broken invariant\n", total);
	return 0;
}
