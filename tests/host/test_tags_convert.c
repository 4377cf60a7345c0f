// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * kvmmte_tags_pack() / kvmmte_tags_unpack() (lib/tags.c): the nibble
 * order written out byte by byte, round trips at every page size, in-place
 * conversion, and every error path leaving the output untouched.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kvmmte/tags.h>

#define SENTINEL 0xa5

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
		cr_assert_eq(buf[i], SENTINEL, "%s: byte %zu written (%#04x) on error",
			     what, i, buf[i]);
}

/* Deterministic tags for the round trips (the seed is in the test name). */
static void fill_tags(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	srand(seed);
	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(rand() & 0xf);
}

Test(tags_pack, granule_2k_in_low_nibble_2k_plus_1_in_high_nibble)
{
	static const uint8_t tags[] = { 0x1, 0x2, 0x3, 0x4, 0xf, 0x0, 0x0, 0xe };
	static const uint8_t want[] = { 0x21, 0x43, 0x0f, 0xe0 };
	uint8_t out[sizeof(want) + 1];

	memset(out, SENTINEL, sizeof(out));
	cr_assert_eq(kvmmte_tags_pack(out, sizeof(out), tags, sizeof(tags)), 0);
	expect_bytes(out, want, sizeof(want), "packed");
	cr_expect_eq(out[sizeof(want)], SENTINEL, "byte past the output written");
}

Test(tags_pack, sixteen_tags_read_as_le_word_are_the_ldgm_layout)
{
	uint8_t tags[16], packed[8];
	uint64_t word = 0;
	int i;

	for (i = 0; i < 16; i++)
		tags[i] = (uint8_t)i;
	cr_assert_eq(kvmmte_tags_pack(packed, sizeof(packed), tags, sizeof(tags)), 0);
	for (i = 7; i >= 0; i--)
		word = word << 8 | packed[i];
	cr_expect_eq(word, 0xfedcba9876543210ULL, "word %#018llx: tag i must sit at bits [4i+3:4i]",
		     (unsigned long long)word);
}

Test(tags_pack, odd_count_leaves_last_high_nibble_zero)
{
	static const uint8_t tags[] = { 0xa, 0xb, 0xc };
	static const uint8_t want[] = { 0xba, 0x0c };
	uint8_t out[3];

	memset(out, SENTINEL, sizeof(out));
	cr_assert_eq(kvmmte_tags_pack(out, 2, tags, sizeof(tags)), 0);
	expect_bytes(out, want, sizeof(want), "packed");
	cr_expect_eq(out[2], SENTINEL);
}

Test(tags_unpack, low_nibble_first)
{
	static const uint8_t packed[] = { 0x21, 0x43, 0xf0, 0x0e };
	static const uint8_t want[] = { 0x1, 0x2, 0x3, 0x4, 0x0, 0xf, 0xe, 0x0 };
	uint8_t out[sizeof(want) + 1];

	memset(out, SENTINEL, sizeof(out));
	cr_assert_eq(kvmmte_tags_unpack(out, sizeof(out), packed, sizeof(packed)), 0);
	expect_bytes(out, want, sizeof(want), "unpacked");
	cr_expect_eq(out[sizeof(want)], SENTINEL, "byte past the output written");
}

Test(tags_unpack, every_byte_value)
{
	uint8_t packed[256], out[512];
	int i;

	for (i = 0; i < 256; i++)
		packed[i] = (uint8_t)i;
	cr_assert_eq(kvmmte_tags_unpack(out, sizeof(out), packed, sizeof(packed)), 0);
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
		cr_expect_eq(nt, pages[p] / 16);
		cr_expect_eq(np, pages[p] / 32);
		fill_tags(tags, nt, 6 + (unsigned int)p);
		cr_assert_eq(kvmmte_tags_pack(packed, np, tags, nt), 0);
		cr_assert_eq(kvmmte_tags_unpack(back, nt, packed, np), 0);
		expect_bytes(back, tags, nt, "bytes -> packed -> bytes");
		cr_assert_eq(kvmmte_tags_pack(packed2, np, back, nt), 0);
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
	cr_assert_eq(kvmmte_tags_pack(want_packed, sizeof(want_packed), tags, NT), 0);
	memcpy(buf, tags, NT);
	cr_assert_eq(kvmmte_tags_pack(buf, sizeof(buf), buf, NT), 0);
	expect_bytes(buf, want_packed, NT / 2, "pack in place");
	cr_assert_eq(kvmmte_tags_unpack(buf, sizeof(buf), buf, NT / 2), 0);
	expect_bytes(buf, tags, NT, "unpack in place");
}

Test(tags_convert, empty_input_is_fine)
{
	uint8_t a = SENTINEL, b = SENTINEL;

	cr_expect_eq(kvmmte_tags_pack(&a, 0, &b, 0), 0);
	cr_expect_eq(kvmmte_tags_unpack(&a, 0, &b, 0), 0);
	cr_expect_eq(a, SENTINEL);
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
	cr_assert_eq(kvmmte_tags_pack(dst, sizeof(dst), src + 1, 255), -KVMMTE_ERANGE);
	expect_untouched(dst, sizeof(dst), "pack ERANGE, unaligned source");
}

Test(tags_pack, in_place_erange_leaves_the_input_as_it_was)
{
	uint8_t buf[64], copy[64];

	fill_tags(buf, sizeof(buf), 9);
	buf[63] = 0x1f;
	memcpy(copy, buf, sizeof(buf));
	cr_assert_eq(kvmmte_tags_pack(buf, sizeof(buf), buf, sizeof(buf)), -KVMMTE_ERANGE);
	expect_bytes(buf, copy, sizeof(buf), "in-place input after ERANGE");
}

Test(tags_pack, output_one_byte_short_is_enospc_and_writes_nothing)
{
	uint8_t src[9] = { 0 }, dst[5];

	memset(dst, SENTINEL, sizeof(dst));
	cr_expect_eq(kvmmte_tags_pack(dst, 3, src, 8), -KVMMTE_ENOSPC);
	cr_expect_eq(kvmmte_tags_pack(dst, 4, src, 9), -KVMMTE_ENOSPC, "odd count needs (n+1)/2");
	expect_untouched(dst, sizeof(dst), "pack ENOSPC");
	cr_expect_eq(kvmmte_tags_pack(dst, 5, src, 9), 0);
}

Test(tags_pack, enospc_is_reported_before_the_input_is_read)
{
	uint8_t src[4] = { 0x10, 0x10, 0x10, 0x10 }, dst[1] = { SENTINEL };

	cr_expect_eq(kvmmte_tags_pack(dst, 1, src, 4), -KVMMTE_ENOSPC);
	cr_expect_eq(dst[0], SENTINEL);
}

Test(tags_pack, null_is_efault)
{
	uint8_t b[2] = { 0 };

	cr_expect_eq(kvmmte_tags_pack(NULL, 2, b, 2), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_tags_pack(b, 2, NULL, 2), -KVMMTE_EFAULT);
}

Test(tags_unpack, output_one_byte_short_is_enospc_and_writes_nothing)
{
	uint8_t src[4] = { 0x21, 0x43, 0x65, 0x87 }, dst[8];

	memset(dst, SENTINEL, sizeof(dst));
	cr_expect_eq(kvmmte_tags_unpack(dst, 7, src, 4), -KVMMTE_ENOSPC);
	expect_untouched(dst, sizeof(dst), "unpack ENOSPC");
}

Test(tags_unpack, size_overflow_is_enospc)
{
	uint8_t src[1] = { 0 }, dst[1] = { SENTINEL };

	cr_expect_eq(kvmmte_tags_unpack(dst, SIZE_MAX, src, SIZE_MAX / 2 + 1), -KVMMTE_ENOSPC);
	cr_expect_eq(dst[0], SENTINEL);
}

Test(tags_unpack, null_is_efault)
{
	uint8_t b[2] = { 0 };

	cr_expect_eq(kvmmte_tags_unpack(NULL, 2, b, 1), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_tags_unpack(b, 2, NULL, 1), -KVMMTE_EFAULT);
}
