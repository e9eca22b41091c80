/*
 * privdrop.c: dropping privileges after the capture is open (see
 * privdrop.h).  Order matters: groups, then gid, then uid.
 */
#include "privdrop.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define COMP "kitchen"

int kitchen_drop_privileges(const char *user)
{
	struct passwd *pw;
	int rc;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		nd_error(COMP, "-Z: no such user \"%s\"%s%s", user, errno ? ": " : "",
			 errno ? strerror(errno) : "");
		return -ENOENT;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		rc = -errno;
		nd_error(COMP, "-Z: cannot switch to user \"%s\": %s", user, strerror(errno));
		return rc;
	}
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		nd_error(COMP, "-Z: root could be regained after switching to \"%s\"", user);
		return -EPERM;
	}
	nd_info(COMP, "now running as user %s (uid %u, gid %u)", pw->pw_name,
		(unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
	return 0;
}
