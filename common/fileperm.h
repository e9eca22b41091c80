/*
 * fileperm.h: refuse files that someone else could have changed.
 *
 * Chef modules run inside the kitchen with its capture privileges, and
 * token files hold secrets, so both are trusted only when neither the
 * file nor the directory holding it can be written by another user, as
 * careful loaders (sshd for authorized_keys, sudo for its plugins) do.
 */
#ifndef ND_FILEPERM_H
#define ND_FILEPERM_H

#include <stdbool.h>
#include <stddef.h>

enum nd_fileperm_kind {
	ND_FILEPERM_CODE = 0,   /* a module to load: no foreign writers */
	ND_FILEPERM_SECRET = 1, /* a token or key: also not readable by others */
};

/* Checks path (a regular file, after following symlinks) and the directory
 * it is in: owned by root or the effective user, not writable by group or
 * others (a sticky directory is allowed for the directory check only when
 * the file is ours).  ND_FILEPERM_SECRET also refuses a file readable by
 * others.  Returns 0, or a negative errno with a one-line reason in err
 * ("/x/y.so is writable by other users (mode 0666)"). */
int nd_fileperm_check(const char *path, enum nd_fileperm_kind kind, char *err, size_t errlen);

#endif
