// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * kvmmte_tags_pack() / kvmmte_tags_unpack() (lib/tags.c): the nibble
 * order written out byte by byte, round trips at every page size, in-place
 * conversion, and every error path leaving the output untouched.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmmte/tags.h>
#include "fixtures.h"

static void expect_bytes(const uint8_t *got, const uint8_t *want, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		cr_assert_eq(got[i], want[i], "%s: byte %zu expected %#04x, got %#04x",
			     what, i, want[i], got[i]);
}

static void expect_untouched(const uint8_t *buf, size_t n, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		cr_assert_eq(buf[i], SENTINEL, "%s: byte %zu written (%#04x, expected %#04x) on error",
			     what, i, buf[i], SENTINEL);
}

/* Deterministic tags for the round trips (the seed is in the test name). */
static void fill_tags(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	srand(seed);
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(rand() & 0xf);
}

/*
 * pack and unpack, for the tests that check both the same way: @out_size
 * is how many output bytes @n input bytes make, the size below which the
 * routine must refuse.
 */
struct conversion {
	const char *name;
	int (*convert)(void *dst, size_t dst_size, const void *src, size_t src_size);
	size_t (*out_size)(size_t n);
};

static size_t packed_size(size_t n)
{
	return (n + 1) / 2;
}

static size_t unpacked_size(size_t n)
{
	return 2 * n;
}

static const struct conversion pack = { "pack", kvmmte_tags_pack, packed_size };
static const struct conversion unpack = { "unpack", kvmmte_tags_unpack, unpacked_size };

/*
 * @c converts the @n bytes at @in into a buffer of @room bytes: it returns
 * 0 and writes @want (out_size(@n) bytes), nothing after them.  The buffer
 * is a heap block of @room bytes (one more if the output fills it, for the
 * sentinel), so ASan flags a write past @room.
 */
static void expect_conversion(const struct conversion *c, const uint8_t *in, size_t n,
			      size_t room, const uint8_t *want)
{
	size_t len = c->out_size(n), size = room > len ? room : len + 1;
	uint8_t *out = malloc(size);
	int ret;

	cr_assert(out);
	memset(out, SENTINEL, size);
	ret = c->convert(out, room, in, n);
	cr_assert_eq(ret, 0, "%s %zu bytes into %zu: returned %d, expected 0", c->name, n, room, ret);
	expect_bytes(out, want, len, c->name);
	cr_expect_eq(out[len], SENTINEL, "%s: byte %zu past the output written: %#04x, expected %#04x",
		     c->name, len, out[len], SENTINEL);
	free(out);
}

Test(tags_pack, granule_2k_in_low_nibble_2k_plus_1_in_high_nibble)
{
	static const uint8_t tags[] = { 0x1, 0x2, 0x3, 0x4, 0xf, 0x0, 0x0, 0xe };
	static const uint8_t want[] = { 0x21, 0x43, 0x0f, 0xe0 };

	expect_conversion(&pack, tags, sizeof(tags), sizeof(want) + 1, want);
}

Test(tags_pack, sixteen_tags_read_as_le_word_are_the_ldgm_layout)
{
	uint8_t tags[16], packed[8];
	uint64_t word = 0;
	int i;

	for (i = 0; i < 16; i++)
		tags[i] = (uint8_t)i;
	ASSERT_RET(kvmmte_tags_pack(packed, sizeof(packed), tags, sizeof(tags)), 0);
	for (i = 7; i >= 0; i--)
		word = word << 8 | packed[i];
	cr_expect_eq(word, 0xfedcba9876543210ULL, "word %#018llx: tag i must sit at bits [4i+3:4i]",
		     (unsigned long long)word);
}

Test(tags_pack, odd_count_leaves_last_high_nibble_zero)
{
	static const uint8_t tags[] = { 0xa, 0xb, 0xc };
	static const uint8_t want[] = { 0xba, 0x0c };

	expect_conversion(&pack, tags, sizeof(tags), sizeof(want), want);
}

Test(tags_unpack, low_nibble_first)
{
	static const uint8_t packed[] = { 0x21, 0x43, 0xf0, 0x0e };
	static const uint8_t want[] = { 0x1, 0x2, 0x3, 0x4, 0x0, 0xf, 0xe, 0x0 };

	expect_conversion(&unpack, packed, sizeof(packed), sizeof(want) + 1, want);
}

Test(tags_unpack, every_byte_value)
{
	uint8_t packed[256], out[512];
	int i;

	for (i = 0; i < 256; i++)
		packed[i] = (uint8_t)i;
	ASSERT_RET(kvmmte_tags_unpack(out, sizeof(out), packed, sizeof(packed)), 0);
	for (i = 0; i < 256; i++) {
		cr_assert_eq(out[2 * i], i & 0xf, "byte %#x: low tag %#x", i, out[2 * i]);
		cr_assert_eq(out[2 * i + 1], i >> 4, "byte %#x: high tag %#x", i, out[2 * i + 1]);
	}
}

Test(tags_convert, round_trips_at_every_page_size)
{
	static const size_t pages[] = { KVMMTE_TAGS_PAGE_4K, KVMMTE_TAGS_PAGE_16K,
					KVMMTE_TAGS_PAGE_64K };
	size_t p;

	for (p = 0; p < 3; p++) {
		size_t nt = KVMMTE_TAGS_BYTES_SIZE(pages[p]);
		size_t np = KVMMTE_TAGS_PACKED_SIZE(pages[p]);
		uint8_t *tags = malloc(nt), *packed = malloc(np), *back = malloc(nt);
		uint8_t *packed2 = malloc(np);

		cr_assert(tags && packed && back && packed2);
		cr_expect_eq(nt, pages[p] / 16, "BYTES_SIZE(%zu) = %zu, expected %zu", pages[p], nt,
			     pages[p] / 16);
		cr_expect_eq(np, pages[p] / 32, "PACKED_SIZE(%zu) = %zu, expected %zu", pages[p], np,
			     pages[p] / 32);
		fill_tags(tags, nt, 6 + (unsigned int)p);
		ASSERT_RET(kvmmte_tags_pack(packed, np, tags, nt), 0);
		ASSERT_RET(kvmmte_tags_unpack(back, nt, packed, np), 0);
		expect_bytes(back, tags, nt, "bytes -> packed -> bytes");
		ASSERT_RET(kvmmte_tags_pack(packed2, np, back, nt), 0);
		expect_bytes(packed2, packed, np, "packed -> bytes -> packed");
		free(tags);
		free(packed);
		free(back);
		free(packed2);
	}
}

Test(tags_convert, in_place_both_ways)
{
	enum { NT = KVMMTE_TAGS_BYTES_SIZE(KVMMTE_TAGS_PAGE_4K) };
	uint8_t tags[NT], buf[NT], want_packed[NT / 2];

	fill_tags(tags, NT, 42);
	ASSERT_RET(kvmmte_tags_pack(want_packed, sizeof(want_packed), tags, NT), 0);
	memcpy(buf, tags, NT);
	ASSERT_RET(kvmmte_tags_pack(buf, sizeof(buf), buf, NT), 0);
	expect_bytes(buf, want_packed, NT / 2, "pack in place");
	ASSERT_RET(kvmmte_tags_unpack(buf, sizeof(buf), buf, NT / 2), 0);
	expect_bytes(buf, tags, NT, "unpack in place");
}

Test(tags_convert, empty_input_is_fine)
{
	uint8_t a = SENTINEL, b = SENTINEL;

	EXPECT_RET(kvmmte_tags_pack(&a, 0, &b, 0), 0);
	EXPECT_RET(kvmmte_tags_unpack(&a, 0, &b, 0), 0);
	cr_expect_eq(a, SENTINEL, "output written: %#04x, expected %#04x", a, SENTINEL);
}

Test(tags_pack, tag_byte_above_15_anywhere_is_erange_and_writes_nothing)
{
	/* Each high bit, at an even and an odd index, in the aligned middle
	 * and in the unaligned tail: a write-as-you-go converter fails. */
	static const uint8_t bad[] = { 0x10, 0x20, 0x40, 0x80, 0xff };
	static const size_t where[] = { 0, 1, 100, 253, 254, 255 };
	uint8_t src[256] __attribute__((aligned(8))), dst[128];
	size_t b, w;

	for (b = 0; b < sizeof(bad); b++) {
		for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
			fill_tags(src, sizeof(src), 7);
			src[where[w]] = bad[b];
			memset(dst, SENTINEL, sizeof(dst));
			cr_assert_eq(kvmmte_tags_pack(dst, sizeof(dst), src, sizeof(src)),
				     -KVMMTE_ERANGE, "byte %#x at %zu accepted", bad[b], where[w]);
			expect_untouched(dst, sizeof(dst), "pack ERANGE");
		}
	}
	/* Unaligned source: the byte-by-byte path. */
	fill_tags(src, sizeof(src), 8);
	src[200] = 0x10;
	memset(dst, SENTINEL, sizeof(dst));
	ASSERT_RET(kvmmte_tags_pack(dst, sizeof(dst), src + 1, 255), -KVMMTE_ERANGE);
	expect_untouched(dst, sizeof(dst), "pack ERANGE, unaligned source");
}

Test(tags_pack, in_place_erange_leaves_the_input_as_it_was)
{
	uint8_t buf[64], copy[64];

	fill_tags(buf, sizeof(buf), 9);
	buf[63] = 0x1f;
	memcpy(copy, buf, sizeof(buf));
	ASSERT_RET(kvmmte_tags_pack(buf, sizeof(buf), buf, sizeof(buf)), -KVMMTE_ERANGE);
	expect_bytes(buf, copy, sizeof(buf), "in-place input after ERANGE");
}

Test(tags_pack, output_one_byte_short_is_enospc_and_writes_nothing)
{
	uint8_t src[9] = { 0 }, dst[5];

	memset(dst, SENTINEL, sizeof(dst));
	EXPECT_RET(kvmmte_tags_pack(dst, 3, src, 8), -KVMMTE_ENOSPC);
	cr_expect_eq(kvmmte_tags_pack(dst, 4, src, 9), -KVMMTE_ENOSPC, "odd count needs (n+1)/2");
	expect_untouched(dst, sizeof(dst), "pack ENOSPC");
	EXPECT_RET(kvmmte_tags_pack(dst, 5, src, 9), 0);
}

Test(tags_pack, enospc_is_reported_before_the_input_is_read)
{
	uint8_t src[4] = { 0x10, 0x10, 0x10, 0x10 }, dst[1] = { SENTINEL };

	EXPECT_RET(kvmmte_tags_pack(dst, 1, src, 4), -KVMMTE_ENOSPC);
	cr_expect_eq(dst[0], SENTINEL, "output written on error: %#04x, expected %#04x", dst[0], SENTINEL);
}

Test(tags_pack, null_is_efault)
{
	uint8_t b[2] = { 0 };

	EXPECT_RET(kvmmte_tags_pack(NULL, 2, b, 2), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_tags_pack(b, 2, NULL, 2), -KVMMTE_EFAULT);
}

Test(tags_unpack, output_one_byte_short_is_enospc_and_writes_nothing)
{
	uint8_t src[4] = { 0x21, 0x43, 0x65, 0x87 }, dst[8];

	memset(dst, SENTINEL, sizeof(dst));
	EXPECT_RET(kvmmte_tags_unpack(dst, 7, src, 4), -KVMMTE_ENOSPC);
	expect_untouched(dst, sizeof(dst), "unpack ENOSPC");
}

Test(tags_unpack, size_overflow_is_enospc)
{
	uint8_t src[1] = { 0 }, dst[1] = { SENTINEL };

	EXPECT_RET(kvmmte_tags_unpack(dst, SIZE_MAX, src, SIZE_MAX / 2 + 1), -KVMMTE_ENOSPC);
	cr_expect_eq(dst[0], SENTINEL, "output written on error: %#04x, expected %#04x", dst[0], SENTINEL);
}

Test(tags_unpack, null_is_efault)
{
	uint8_t b[2] = { 0 };

	EXPECT_RET(kvmmte_tags_unpack(NULL, 2, b, 1), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_tags_unpack(b, 2, NULL, 1), -KVMMTE_EFAULT);
}

/* ---- boundaries of the size and value checks ------------------------------ */

/*
 * dst_size < out_size(n), at each of the @nr ascending @counts: exactly
 * out_size(n) bytes is accepted (and nothing past them written), one byte
 * fewer is ENOSPC with nothing written.  The source, every byte @fill,
 * and the output are heap blocks of exactly the largest count's sizes
 * (plus the byte past the output), so ASan flags any access beyond them.
 */
static void expect_dst_size_boundary(const struct conversion *c, const size_t *counts,
				     size_t nr, uint8_t fill)
{
	size_t max_out = c->out_size(counts[nr - 1]) + 1, i;
	uint8_t *src = malloc(counts[nr - 1]), *dst = malloc(max_out);
	char what[48];

	cr_assert(src && dst);
	snprintf(what, sizeof(what), "%s ENOSPC at the boundary", c->name);
	memset(src, fill, counts[nr - 1]);
	for (i = 0; i < nr; i++) {
		size_t n = counts[i], need = c->out_size(n);
		int ret;

		memset(dst, SENTINEL, max_out);
		ret = c->convert(dst, need - 1, src, n);
		cr_expect_eq(ret, -KVMMTE_ENOSPC, "%s %zu bytes into %zu: returned %d, expected %d",
			     c->name, n, need - 1, ret, -KVMMTE_ENOSPC);
		expect_untouched(dst, max_out, what);
		ret = c->convert(dst, need, src, n);
		cr_expect_eq(ret, 0, "%s %zu bytes into %zu (exact): returned %d, expected 0",
			     c->name, n, need, ret);
		cr_expect_eq(dst[need], SENTINEL, "%s %zu bytes: byte %zu past the output written "
			     "(%#04x, expected %#04x)", c->name, n, need, dst[need], SENTINEL);
	}
	free(src);
	free(dst);
}

/* pack: dst_size < (src_size + 1) / 2, for even and odd counts. */
Test(tags_pack, dst_size_boundary_exact_accepted_one_less_enospc)
{
	static const size_t counts[] = { 1, 2, 3, 15, 16, 17, 255, 256 };

	expect_dst_size_boundary(&pack, counts, ARRAY_SIZE(counts), 0x5);
}

/* unpack: dst_size < 2 * src_size.  Exactly 2n accepted, 2n - 1 ENOSPC. */
Test(tags_unpack, dst_size_boundary_exact_accepted_one_less_enospc)
{
	static const size_t counts[] = { 1, 7, 8, 9, 128 };

	expect_dst_size_boundary(&unpack, counts, ARRAY_SIZE(counts), 0x5a);
}

/*
 * pack's value check: 15 accepted, 16 ERANGE, in the last byte of inputs
 * whose length puts it in the 16-byte step, just past it (the byte tail),
 * or with no step at all; 8-aligned and unaligned sources.  The source
 * ends exactly at its heap block's end, so ASan flags a read past it.
 */
Test(tags_pack, value_boundary_15_accepted_16_erange_at_every_length_edge)
{
	static const size_t lens[] = { 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255, 256 };
	uint8_t dst[129];
	size_t i, skew;

	for (skew = 0; skew < 2; skew++) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			size_t n = lens[i];
			void *mem = NULL;
			uint8_t *src;
			size_t pos[3] = { 0, n / 2, n - 1 }, k;
			int ret;

			cr_assert_eq(posix_memalign(&mem, 8, n + skew), 0, "posix_memalign(8, %zu) failed",
				     n + skew);
			src = (uint8_t *)mem + skew;
			memset(src, 15, n);
			memset(dst, SENTINEL, sizeof(dst));
			ret = kvmmte_tags_pack(dst, sizeof(dst), src, n);
			cr_expect_eq(ret, 0, "pack %zu tags of 15 (source +%zu): returned %d, expected 0",
				     n, skew, ret);
			for (k = 0; k < 3; k++) {
				src[pos[k]] = 16;
				memset(dst, SENTINEL, sizeof(dst));
				ret = kvmmte_tags_pack(dst, sizeof(dst), src, n);
				cr_expect_eq(ret, -KVMMTE_ERANGE, "pack %zu tags (source +%zu), 16 at %zu: "
					     "returned %d, expected %d", n, skew, pos[k], ret,
					     -KVMMTE_ERANGE);
				expect_untouched(dst, sizeof(dst), "pack ERANGE at a length edge");
				src[pos[k]] = 15;
			}
			free(mem);
		}
	}
}
