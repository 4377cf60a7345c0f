/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * What the two tag-storage test programs share: case-tag-storage.c (at
 * EL2 under qemu-system-aarch64) and tests/user/tags-user.c (under
 * qemu-aarch64).  Include after <kvmmte/tags.h>; needs nothing else from
 * either program.
 */
#ifndef TT_TAGS_SHARED_H
#define TT_TAGS_SHARED_H

#include <stddef.h>
#include <stdint.h>

/*
 * The library's C twins of the range routines (hidden; not in <kvmmte/tags.h>):
 * the public asm fast paths hand them whatever they do not take.  Both
 * programs call them directly to compare the two paths.
 */
int kvmmte_tags_clear_range_el1_checked(const struct kvmmte_tags_geometry *, void *, size_t,
					unsigned int);
int kvmmte_tags_clear_range_el0_checked(const struct kvmmte_tags_geometry *, void *, size_t,
					unsigned int);
int kvmmte_tags_save_range_el1_checked(const struct kvmmte_tags_geometry *, const void *, size_t,
				       void *, size_t, enum kvmmte_tags_format);
int kvmmte_tags_save_range_el0_checked(const struct kvmmte_tags_geometry *, const void *, size_t,
				       void *, size_t, enum kvmmte_tags_format);
int kvmmte_tags_restore_range_el1_checked(const struct kvmmte_tags_geometry *, void *, size_t,
					  const void *, size_t, enum kvmmte_tags_format);
int kvmmte_tags_restore_range_el0_checked(const struct kvmmte_tags_geometry *, void *, size_t,
					  const void *, size_t, enum kvmmte_tags_format);

/* One set of the library's tag-storage routines, named by its suffix. */
struct tags_ops {
	const char *el;
	int (*clear)(void *page, size_t size, unsigned int flags);
	int (*save)(const void *page, size_t size, void *buf, size_t buf_size,
		    enum kvmmte_tags_format fmt);
	int (*restore)(void *page, size_t size, const void *buf, size_t buf_size,
		       enum kvmmte_tags_format fmt);
};

static const struct tags_ops tags_ops_el1 = {
	"_el1", kvmmte_tags_clear_el1, kvmmte_tags_save_el1, kvmmte_tags_restore_el1,
};
static const struct tags_ops tags_ops_el0 = {
	"_el0", kvmmte_tags_clear_el0, kvmmte_tags_save_el0, kvmmte_tags_restore_el0,
};

/* One set of the range routines and the geometry function that serves them. */
struct tags_range_ops {
	const char *el;
	int (*geometry)(struct kvmmte_tags_geometry *geo);
	int (*clear)(const struct kvmmte_tags_geometry *geo, void *addr, size_t size,
		     unsigned int flags);
	int (*save)(const struct kvmmte_tags_geometry *geo, const void *addr, size_t size,
		    void *buf, size_t buf_size, enum kvmmte_tags_format fmt);
	int (*restore)(const struct kvmmte_tags_geometry *geo, void *addr, size_t size,
		       const void *buf, size_t buf_size, enum kvmmte_tags_format fmt);
};

static const struct tags_range_ops tags_range_ops_el1 = {
	"_range_el1", kvmmte_tags_geometry_el1, kvmmte_tags_clear_range_el1,
	kvmmte_tags_save_range_el1, kvmmte_tags_restore_range_el1,
};
static const struct tags_range_ops tags_range_ops_el0 = {
	"_range_el0", kvmmte_tags_geometry_el0, kvmmte_tags_clear_range_el0,
	kvmmte_tags_save_range_el0, kvmmte_tags_restore_range_el0,
};
/* The checked C paths behind them, which the fast paths must agree with. */
static const struct tags_range_ops tags_range_ops_el1_checked = {
	"_range_el1 (checked)", kvmmte_tags_geometry_el1, kvmmte_tags_clear_range_el1_checked,
	kvmmte_tags_save_range_el1_checked, kvmmte_tags_restore_range_el1_checked,
};
static const struct tags_range_ops tags_range_ops_el0_checked = {
	"_range_el0 (checked)", kvmmte_tags_geometry_el0, kvmmte_tags_clear_range_el0_checked,
	kvmmte_tags_save_range_el0_checked, kvmmte_tags_restore_range_el0_checked,
};

/*
 * The oracle of the buffer formats, written out from docs/tags.md (not
 * from lib/): @n tags (4 bits each, one a byte, in granule order) in @fmt
 * into @out, one a byte for KVMMTE_TAGS_BYTES, else two a byte with the
 * even granule's in the low nibble.  Returns the bytes of @out written.
 */
static inline size_t tags_format_encode(enum kvmmte_tags_format fmt, const uint8_t *tags, size_t n,
					uint8_t *out)
{
	size_t g;

	if (fmt == KVMMTE_TAGS_BYTES) {
		for (g = 0; g < n; g++)
			out[g] = tags[g];
		return n;
	}
	for (g = 0; g < n; g += 2)
		out[g / 2] = (uint8_t)(tags[g] | tags[g + 1] << 4);
	return n / 2;
}

#endif /* TT_TAGS_SHARED_H */
