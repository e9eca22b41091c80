/*
 * privdrop.h: giving up root once the capture is open (-Z/--user), as
 * tcpdump does.
 */
#ifndef KITCHEN_PRIVDROP_H
#define KITCHEN_PRIVDROP_H

/* Switches to `user`'s uid, gid and supplementary groups, and checks that
 * root cannot be regained.  Returns 0, or a negative errno after logging
 * why. */
int kitchen_drop_privileges(const char *user);

#endif
