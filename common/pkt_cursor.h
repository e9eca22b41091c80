/*
 * pkt_cursor.h: the one way dissectors read untrusted bytes.
 *
 * A cursor knows its base, its length and its offset.  Every read names its
 * width and byte order and is bounds-checked as `n <= len - off` (cannot
 * overflow since off <= len always holds).  A read past the end returns 0,
 * does not move, and sets the sticky `err` flag, so a dissector reads a
 * whole fixed header and checks `err` once.  Header-only, inline: these are
 * on the per-packet hot path.  Internal to the dissectors (nd_cur_ names).
 */
#ifndef ND_PKT_CURSOR_H
#define ND_PKT_CURSOR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct nd_cursor {
	const uint8_t *base;
	uint32_t len; /* bytes readable from base */
	uint32_t off; /* invariant: off <= len */
	bool err;     /* sticky: some read or skip ran past len */
};

static inline void nd_cur_init(struct nd_cursor *c, const uint8_t *base,
			       uint32_t len, uint32_t off)
{
	c->base = base;
	c->len = len;
	c->off = off <= len ? off : len;
	c->err = off > len;
}

static inline uint32_t nd_cur_left(const struct nd_cursor *c)
{
	return c->len - c->off;
}

static inline bool nd_cur_has(const struct nd_cursor *c, uint32_t n)
{
	return n <= c->len - c->off;
}

/* Pointer to the next n bytes and advance, or NULL (and err) if short. */
static inline const uint8_t *nd_cur_take(struct nd_cursor *c, uint32_t n)
{
	const uint8_t *p;

	if (!nd_cur_has(c, n)) {
		c->err = true;
		return NULL;
	}
	p = c->base + c->off;
	c->off += n;
	return p;
}

static inline bool nd_cur_skip(struct nd_cursor *c, uint32_t n)
{
	return nd_cur_take(c, n) != NULL;
}

static inline uint8_t nd_cur_u8(struct nd_cursor *c)
{
	const uint8_t *p = nd_cur_take(c, 1);

	return p ? p[0] : 0;
}

static inline uint16_t nd_cur_be16(struct nd_cursor *c)
{
	const uint8_t *p = nd_cur_take(c, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint16_t nd_cur_le16(struct nd_cursor *c)
{
	const uint8_t *p = nd_cur_take(c, 2);

	return p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

static inline uint32_t nd_cur_be24(struct nd_cursor *c)
{
	const uint8_t *p = nd_cur_take(c, 3);

	return p ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : 0;
}

static inline uint32_t nd_cur_be32(struct nd_cursor *c)
{
	const uint8_t *p = nd_cur_take(c, 4);

	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			   (uint32_t)p[2] << 8 | p[3]
		 : 0;
}

static inline uint32_t nd_cur_le32(struct nd_cursor *c)
{
	const uint8_t *p = nd_cur_take(c, 4);

	return p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			   (uint32_t)p[1] << 8 | p[0]
		 : 0;
}

/* Copies n bytes to dst and advances; on a short read dst is zeroed. */
static inline void nd_cur_copy(struct nd_cursor *c, void *dst, uint32_t n)
{
	const uint8_t *p = nd_cur_take(c, n);

	if (p)
		memcpy(dst, p, n);
	else
		memset(dst, 0, n);
}

#endif
