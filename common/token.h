/*
 * token.h: bearer tokens for kitchens and eaters.
 *
 * A client reads its token from a file (never from the command line, which
 * other users can read through /proc) and sends it in the WebSocket
 * handshake as "Authorization: Bearer <token>".  The hub holds a token file
 * of lines
 *     <token> <name>
 * where <name> is the kitchen (or eater) the token admits, or "*" for any
 * name; '#' starts a comment.  Tokens are 16 to 256 printable ASCII
 * characters without spaces.  Both files must pass nd_fileperm_check as
 * secrets.  Comparison is constant-time in the presented token.
 */
#ifndef ND_TOKEN_H
#define ND_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define ND_TOKEN_MIN 16
#define ND_TOKEN_MAX 256
#define ND_TOKEN_FILE_MAX_ENTRIES 4096

struct nd_tokens;

/* Loads a hub token file.  Returns a new table or NULL with the reason
 * (file, line number, problem) in err. */
struct nd_tokens *nd_tokens_load(const char *path, char *err, size_t errlen);
void nd_tokens_free(struct nd_tokens *t);
size_t nd_tokens_count(const struct nd_tokens *t);

/* Checks a presented token (len bytes, not NUL-terminated).  Returns the
 * name it admits ("*" for any) or NULL when no entry matches. */
const char *nd_tokens_check(const struct nd_tokens *t, const char *tok, size_t len);

/* True when `name` may use a token that admits `admitted`. */
bool nd_tokens_admits(const char *admitted, const char *name);

/* Extracts the token from an Authorization header value ("Bearer xyz").
 * Returns 0 with *tok and *len pointing into value, or -EINVAL. */
int nd_token_from_header(const char *value, const char **tok, size_t *len);

/* Reads a client's token: the first non-comment line of path, trimmed.
 * Returns 0 or a negative errno with the reason in err. */
int nd_token_read_file(const char *path, char *out, size_t outlen, char *err, size_t errlen);

#endif
