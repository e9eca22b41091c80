/*
 * fileperm.c: ownership and mode checks for modules and secrets.
 * See fileperm.h.  Uses stat on the resolved path, so a symlink is judged
 * by its target and the target's directory.
 */
#include "fileperm.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool owner_ok(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

int nd_fileperm_check(const char *path, enum nd_fileperm_kind kind, char *err, size_t errlen)
{
	char real[PATH_MAX];
	char *slash;
	struct stat st, dst;

	if (!realpath(path, real)) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (stat(real, &st) != 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		return -EINVAL;
	}
	if (!owner_ok(st.st_uid)) {
		snprintf(err, errlen, "%s is owned by uid %u, not by root or by us (uid %u)",
			 path, (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen, "%s is writable by other users (mode %04o); "
			 "run chmod go-w on it", path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	if (kind == ND_FILEPERM_SECRET && (st.st_mode & S_IROTH)) {
		snprintf(err, errlen, "%s is readable by every user (mode %04o); "
			 "run chmod o-r on it", path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0'; /* the file is in / */
	else if (slash)
		*slash = '\0';
	if (stat(real, &dst) != 0) {
		int e = errno;

		snprintf(err, errlen, "%s: %s", real, strerror(e));
		return -e;
	}
	if ((dst.st_mode & (S_IWGRP | S_IWOTH)) &&
	    !((dst.st_mode & S_ISVTX) && st.st_uid == geteuid())) {
		snprintf(err, errlen, "%s is in %s, which other users can write to (mode %04o)",
			 path, real, (unsigned)(dst.st_mode & 07777));
		return -EPERM;
	}
	if (!owner_ok(dst.st_uid)) {
		snprintf(err, errlen, "%s is in %s, owned by uid %u, not by root or by us",
			 path, real, (unsigned)dst.st_uid);
		return -EPERM;
	}
	return 0;
}
