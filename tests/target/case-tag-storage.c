// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Tag storage (<kvmmte/tags.h>) at EL2 on tagged memory: the block
 * instructions of the _el1 routines (LDGM, STGM, STZGM, DC GVA, DC GZVA)
 * and the granule ones of the _el0 routines, executed for real.
 *
 * The harness runs EL2 with its MMU off, where memory is Device and has no
 * allocation tags.  The MTE cases turn on the platform's EL2 stage 1 with
 * RAM as Tagged Normal (plat_el2_mmu_on_tagged(), mmu.h) while they run;
 * the next case's host reset (hv_set_host_mode) turns the MMU off again
 * whatever happened.
 *
 * Tag storage of this machine's QEMU: 7.2 in system mode keeps one tag
 * byte per 4 KiB page instead of one per pair of granules (QEMU issue
 * 1416, fixed in 8.0), so granules of a page can not hold different tags.
 * The cases probe for it.  With per-granule storage every granule gets a
 * random tag.  Without, every 4 KiB piece gets one random tag (written
 * with STG per granule and STGM per 256 bytes, so LDG and LDGM agree):
 * round trips, clears, neighbour pages and data are still checked, only
 * per-granule differences are not.  Per-granule behaviour of the same
 * code is checked in user mode (tests/user).
 */
#include <kvmmte/tags.h>
#include "harness.h"
#include "tags-shared.h"

#define GRANULE		KVMMTE_TAG_GRANULE
#define MAX_PAGE	KVMMTE_TAGS_PAGE_64K
#define MAX_TAGS	(MAX_PAGE / GRANULE)
#define PIECE		4096		/* QEMU 7.2's unit of tag storage */
#define WINDOW		256		/* one LDGM/STGM word */
#define CANARY		0xa5

/* ---- this file's own tag access --------------------------------------- */

static void *with_tag(const void *p, unsigned int tag)
{
	return (void *)(((uintptr_t)p & ~KVMMTE_ADDR_TAG_MASK) | (uintptr_t)tag << KVMMTE_ADDR_TAG_SHIFT);
}

static void stg(void *granule, unsigned int tag)
{
	uintptr_t a = (uintptr_t)with_tag(granule, tag);

	__asm__ volatile("stg %0, [%0]" : : "r"(a) : "memory");
}

static unsigned int ldg(const void *granule)
{
	uintptr_t a = (uintptr_t)with_tag(granule, 0);

	__asm__ volatile("ldg %0, [%0]" : "+r"(a) : : "memory");
	return (unsigned int)((a & KVMMTE_ADDR_TAG_MASK) >> KVMMTE_ADDR_TAG_SHIFT);
}

static void stgm(void *window, uint64_t word)
{
	__asm__ volatile("stgm %0, [%1]" : : "r"(word), "r"(window) : "memory");
}

/* ---- the page under test: [guard][page][guard] -------------------------- */

static uint8_t region[3 * MAX_PAGE] __attribute__((aligned(MAX_PAGE)));
static uint8_t want[3 * MAX_TAGS];	/* tags of the whole region, in granule order */
static uint8_t buf[MAX_TAGS + 64] __attribute__((aligned(16)));
static uint8_t saved[MAX_TAGS + 64];

static uint8_t *page_at(void)
{
	return region + MAX_PAGE;
}

static uint8_t data_pattern(size_t i)
{
	return (uint8_t)(i * 151 + 29);
}

static bool per_granule_tags;

/* Can two granules of one 4 KiB piece hold different tags? */
static bool probe_per_granule_tags(void)
{
	uint8_t *p = page_at();

	stg(p, 0x3);
	stg(p + 2 * GRANULE, 0xc);
	return ldg(p) == 0x3 && ldg(p + 2 * GRANULE) == 0xc;
}

/*
 * Tags for the region around a page of @size (guards included) into
 * want[], written with STG (and STGM where storage is per 4 KiB piece);
 * data pattern everywhere.
 */
static void prepare(struct tt *t, size_t size)
{
	uint8_t *lo = page_at() - size;
	size_t n = 3 * size / GRANULE, g, w;

	for (g = 0; g < n; g++) {
		if (per_granule_tags || g % (PIECE / GRANULE) == 0)
			want[g] = (uint8_t)(tt_rand(t) >> 60);
		else
			want[g] = want[g - 1];
		stg(lo + g * GRANULE, want[g]);
	}
	if (!per_granule_tags)
		for (w = 0; w < 3 * size; w += WINDOW)
			stgm(lo + w, 0x1111111111111111ULL * want[w / GRANULE]);
	for (w = 0; w < 3 * size; w++)
		lo[w] = data_pattern(w);
}

/* Tags of the region against want[], the page's against @page_tags. */
static void check_tags(struct tt *t, size_t size, const uint8_t *page_tags, const char *when)
{
	uint8_t *lo = page_at() - size;
	size_t n = size / GRANULE, g;
	char what[128];

	for (g = 0; g < 3 * n; g++) {
		bool in_page = g >= n && g < 2 * n;
		unsigned int w = in_page ? (page_tags ? page_tags[g - n] : 0) : want[g];
		unsigned int got = ldg(lo + g * GRANULE);

		if (got != w) {
			plat_snprintf(what, sizeof(what), "%s: tag of granule %ld of the page",
				      when, (long)g - (long)n);
			TT_CHECK_EQ(t, what, w, got);
			return;
		}
	}
}

static void check_data(struct tt *t, size_t size, bool page_zeroed, const char *when)
{
	uint8_t *lo = page_at() - size;
	size_t i;
	char what[128];

	for (i = 0; i < 3 * size; i++) {
		bool in_page = i >= size && i < 2 * size;
		uint8_t w = in_page && page_zeroed ? 0 : data_pattern(i);

		if (lo[i] != w) {
			plat_snprintf(what, sizeof(what), "%s: data byte %ld of the page",
				      when, (long)i - (long)size);
			TT_CHECK_EQ(t, what, w, lo[i]);
			return;
		}
	}
}

/* want[]'s page part in @fmt (tags-shared.h). */
static size_t encode(enum kvmmte_tags_format fmt, size_t size, uint8_t *out)
{
	return tags_format_encode(fmt, want + size / GRANULE, size / GRANULE, out);
}

static void check_buf(struct tt *t, const uint8_t *exp, size_t need, const char *when)
{
	char what[128];
	size_t i;

	for (i = 0; i < need; i++)
		if (buf[i] != exp[i]) {
			plat_snprintf(what, sizeof(what), "%s: buffer byte %lu", when,
				      (unsigned long)i);
			TT_CHECK_EQ(t, what, exp[i], buf[i]);
			return;
		}
	for (; i < sizeof(buf); i++)
		if (buf[i] != CANARY) {
			plat_snprintf(what, sizeof(what), "%s: buffer byte %lu past the format's %lu",
				      when, (unsigned long)i, (unsigned long)need);
			TT_CHECK_EQ(t, what, CANARY, buf[i]);
			return;
		}
}

/* ---- the cycle ---------------------------------------------------------- */

/* Save, clear, restore, save again: every step checked. */
static void cycle(struct tt *t, const struct tags_ops *ops, size_t size,
		  enum kvmmte_tags_format fmt, unsigned int flags, unsigned int ptr_tag)
{
	static uint8_t exp[MAX_TAGS];
	uint8_t *ptr = with_tag(page_at(), ptr_tag);
	bool zeroed = flags & KVMMTE_TAGS_CLEAR_DATA;
	char when[128];
	size_t need;
	int ret;

	plat_snprintf(when, sizeof(when), "%s %luK %s clear%s %s pointer", ops->el,
		      (unsigned long)size / 1024, fmt == KVMMTE_TAGS_BYTES ? "bytes" : "packed",
		      zeroed ? "+data" : "", ptr_tag ? "tagged" : "untagged");
	prepare(t, size);
	need = encode(fmt, size, exp);

	memset(buf, CANARY, sizeof(buf));
	ret = ops->save(ptr, size, buf, sizeof(buf), fmt);
	TT_CHECK_EQ(t, "save's return value", 0, ret);
	check_buf(t, exp, need, when);

	ret = ops->clear(ptr, size, flags);
	TT_CHECK_EQ(t, "clear's return value", 0, ret);
	check_tags(t, size, NULL, when);
	check_data(t, size, zeroed, when);

	ret = ops->restore(ptr, size, buf, sizeof(buf), fmt);
	TT_CHECK_EQ(t, "restore's return value", 0, ret);
	check_tags(t, size, want + size / GRANULE, when);
	check_data(t, size, zeroed, when);

	/* The library's own round trip: save what it restored. */
	memcpy(saved, buf, sizeof(buf));
	memset(buf, CANARY, sizeof(buf));
	ret = ops->save(ptr, size, buf, sizeof(buf), fmt);
	TT_CHECK_EQ(t, "second save's return value", 0, ret);
	check_buf(t, saved, need, when);
}

TT_CASE(tag_storage_save_clear_restore_at_el2, TT_NEEDS_MTE2)
{
	static const size_t sizes[] = { KVMMTE_TAGS_PAGE_4K, KVMMTE_TAGS_PAGE_16K,
					KVMMTE_TAGS_PAGE_64K };
	static const struct tags_ops *const ops[] = { &tags_ops_el1, &tags_ops_el0 };
	unsigned int o, s, f, d, p;

	plat_el2_mmu_on_tagged();
	per_granule_tags = probe_per_granule_tags();
	if (per_granule_tags)
		plat_printf("    note: tag storage is per granule here: every granule "
			    "gets its own tag\n");
	else
		plat_printf("    note: tag storage is per 4 KiB page here (QEMU issue 1416): "
			    "one tag per 4 KiB piece\n");
	for (o = 0; o < 2; o++)
		for (s = 0; s < 3; s++)
			for (f = 0; f < 2; f++)
				for (d = 0; d < 2; d++)
					for (p = 0; p < 2; p++)
						cycle(t, ops[o], sizes[s],
						      f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED,
						      d ? KVMMTE_TAGS_CLEAR_DATA : 0, p ? 0x6 : 0);
	plat_el2_mmu_off();
}

/* Every input check at EL2: the return value, and nothing touched. */
TT_CASE(tag_storage_errors_touch_nothing_at_el2, TT_NEEDS_MTE2)
{
	static const uint8_t bad_byte = 0x10;
	static uint8_t buf_before[sizeof(buf)];
	size_t size = KVMMTE_TAGS_PAGE_16K;
	uint8_t *page = page_at();
	struct {
		const char *what;
		int ret, want;
	} r[8];
	unsigned int i, n = 0;

	plat_el2_mmu_on_tagged();
	per_granule_tags = probe_per_granule_tags();
	prepare(t, size);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(tt_rand(t) & 0xf);
	buf[size / GRANULE - 1] = bad_byte;	/* the last tag of the page: > 15 */
	memcpy(buf_before, buf, sizeof(buf));

#define TRY(what_, call_, want_) \
	(r[n++] = (__typeof__(r[0])){ what_, call_, want_ })
	TRY("restore, a tag byte > 15", kvmmte_tags_restore_el1(page, size, buf, sizeof(buf),
		KVMMTE_TAGS_BYTES), -KVMMTE_ERANGE);
	TRY("clear, page misaligned", kvmmte_tags_clear_el1(page + 4096, size,
		KVMMTE_TAGS_CLEAR_DATA), -KVMMTE_EINVAL);
	TRY("clear, 8 KiB page", kvmmte_tags_clear_el1(page, 8192, 0), -KVMMTE_EINVAL);
	TRY("clear, unknown flag", kvmmte_tags_clear_el1(page, size, 1U << 3), -KVMMTE_EINVAL);
	TRY("restore, buffer one byte short", kvmmte_tags_restore_el1(page, size, buf,
		KVMMTE_TAGS_PACKED_SIZE(size) - 1, KVMMTE_TAGS_PACKED), -KVMMTE_ENOSPC);
	TRY("restore, page misaligned", kvmmte_tags_restore_el1(page + GRANULE, size, buf,
		sizeof(buf), KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL);
	TRY("save, buffer misaligned", kvmmte_tags_save_el1(page, size, buf + 4, 4096,
		KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL);
	TRY("save, buffer one byte short", kvmmte_tags_save_el1(page, size, buf,
		KVMMTE_TAGS_BYTES_SIZE(size) - 1, KVMMTE_TAGS_BYTES), -KVMMTE_ENOSPC);
#undef TRY
	for (i = 0; i < n; i++)
		TT_CHECK_EQ(t, r[i].what, r[i].want, r[i].ret);
	check_tags(t, size, want + size / GRANULE, "after the failed calls");
	check_data(t, size, false, "after the failed calls");
	TT_CHECK_EQ(t, "buffer bytes changed by the failed calls", 0,
		    memcmp(buf, buf_before, sizeof(buf)) != 0);
	plat_el2_mmu_off();
}

/*
 * Without FEAT_MTE2 (QEMU without mte=on) the _el1 routines must refuse
 * before any MTE instruction: one would UNDEF here and fail the case.
 */
TT_CASE(tag_storage_el1_without_mte2_is_enodev, TT_NEEDS_NO_MTE2)
{
	static uint8_t page[KVMMTE_TAGS_PAGE_4K] __attribute__((aligned(KVMMTE_TAGS_PAGE_4K)));
	size_t i;

	for (i = 0; i < sizeof(page); i++)
		page[i] = data_pattern(i);
	memset(buf, CANARY, sizeof(buf));
	TT_CHECK_EQ(t, "clear_el1", -KVMMTE_ENODEV,
		    kvmmte_tags_clear_el1(page, sizeof(page), KVMMTE_TAGS_CLEAR_DATA));
	TT_CHECK_EQ(t, "save_el1", -KVMMTE_ENODEV,
		    kvmmte_tags_save_el1(page, sizeof(page), buf, sizeof(buf), KVMMTE_TAGS_PACKED));
	TT_CHECK_EQ(t, "restore_el1", -KVMMTE_ENODEV,
		    kvmmte_tags_restore_el1(page, sizeof(page), buf, sizeof(buf), KVMMTE_TAGS_PACKED));
	for (i = 0; i < sizeof(page); i++)
		if (page[i] != data_pattern(i)) {
			TT_CHECK_EQ(t, "page data", data_pattern(i), page[i]);
			break;
		}
	for (i = 0; i < sizeof(buf); i++)
		if (buf[i] != CANARY) {
			TT_CHECK_EQ(t, "buffer", CANARY, buf[i]);
			break;
		}
}

/* ---- ranges: several pages, and block mappings, between guard pages ------- */

/*
 * The 2 MiB and 32 MiB blocks live in RAM above the guests' slots, which
 * the image and its BSS never reach (hv.c checks the image against
 * GUEST_MEM_BASE); 64 KiB guards below and above each, then the buffers.
 * QEMU's default 128 MiB of RAM holds all of it.
 */
#define RANGE_GUARD	(64 * 1024)
#define BLOCK_2M_AT	0x42000000UL
#define BLOCK_32M_AT	0x44000000UL
#define BIG_BUF_AT	0x46400000UL	/* one tag per byte for 32 MiB: 2 MiB */
#define BIG_TAGS_AT	0x46800000UL	/* the tags of the largest area, one per byte */
#define BIG_SAVED_AT	0x46c00000UL
_Static_assert(GUEST_MEM_BASE + GUEST_MAX * GUEST_MEM_STRIDE <= BLOCK_2M_AT - RANGE_GUARD,
	       "the 2 MiB block overlaps the guests' memory");
_Static_assert(BLOCK_2M_AT + KVMMTE_TAGS_BLOCK_2M + RANGE_GUARD <= BLOCK_32M_AT - RANGE_GUARD,
	       "the blocks overlap");
_Static_assert(BLOCK_32M_AT + KVMMTE_TAGS_BLOCK_32M + RANGE_GUARD <= BIG_BUF_AT, "buffers");
_Static_assert(BIG_SAVED_AT + KVMMTE_TAGS_BLOCK_32M / 16 + 64 <= PLAT_RAM_BASE + PLAT_RAM_SIZE_MIN,
	       "past the end of QEMU's default RAM");

/* [guard][range][guard]: where, how big, and the tags of all of it in @tags. */
struct area {
	uint8_t *range;
	size_t size, guard;
	uint8_t *tags;		/* (size + 2 * guard) / GRANULE, guard below first */
	uint8_t *buf, *saved;	/* save/restore buffers: size / 16 + 64 bytes each */
};

static uint64_t area_data(size_t i)
{
	return 0x2545f4914f6cdd1dULL * (i + 7);
}

/*
 * Random tags per granule (per 4 KiB piece without per-granule storage,
 * written with STG and STGM as prepare() does), a data pattern in 64-bit
 * words, guards included.
 */
static void area_prepare(struct tt *t, const struct area *a)
{
	uint8_t *lo = a->range - a->guard;
	size_t n = (a->size + 2 * a->guard) / GRANULE, g, w;
	uint64_t *d = (uint64_t *)lo;

	for (g = 0; g < n; g++) {
		if (per_granule_tags || g % (PIECE / GRANULE) == 0)
			a->tags[g] = (uint8_t)(tt_rand(t) >> 60);
		else
			a->tags[g] = a->tags[g - 1];
		stg(lo + g * GRANULE, a->tags[g]);
	}
	if (!per_granule_tags)
		for (w = 0; w < n * GRANULE; w += WINDOW)
			stgm(lo + w, 0x1111111111111111ULL * a->tags[w / GRANULE]);
	for (w = 0; w < n * GRANULE / 8; w++)
		d[w] = area_data(w);
}

/*
 * Tags of the guards (as prepared) and of the range (@range_tags, or 0 if
 * NULL); data of the guards (as prepared) and of the range (0 if @zeroed).
 * Reports the first difference of each kind.
 */
static void area_check(struct tt *t, const struct area *a, const uint8_t *range_tags,
		       bool zeroed, const char *when)
{
	uint8_t *lo = a->range - a->guard;
	size_t n = (a->size + 2 * a->guard) / GRANULE, gn = a->guard / GRANULE, g, w;
	const uint64_t *d = (const uint64_t *)lo;
	char what[160];

	for (g = 0; g < n; g++) {
		bool in = g >= gn && g < n - gn;
		unsigned int tw = !in ? a->tags[g] : range_tags ? range_tags[g - gn] : 0;
		unsigned int got = ldg(lo + g * GRANULE);

		if (got != tw) {
			plat_snprintf(what, sizeof(what), "%s: tag of %s granule %ld (from the range's "
				      "start)", when, in ? "range" : "GUARD", (long)g - (long)gn);
			TT_CHECK_EQ(t, what, tw, got);
			break;
		}
	}
	for (w = 0; w < n * GRANULE / 8; w++) {
		bool in = w >= a->guard / 8 && w < (a->guard + a->size) / 8;
		uint64_t dw = in && zeroed ? 0 : area_data(w);

		if (d[w] != dw) {
			plat_snprintf(what, sizeof(what), "%s: data word %ld (from the range's start, "
				      "%s)", when, (long)w - (long)(a->guard / 8), in ? "range" : "GUARD");
			TT_CHECK_EQ(t, what, dw, d[w]);
			break;
		}
	}
}

/* Save, clear, restore, save again over the range of @a; guards checked every step. */
static void range_cycle(struct tt *t, const struct area *a, const struct tags_range_ops *ops,
			const struct kvmmte_tags_geometry *geo, enum kvmmte_tags_format fmt,
			unsigned int flags, unsigned int ptr_tag)
{
	uint8_t *ptr = with_tag(a->range, ptr_tag), *range_tags = a->tags + a->guard / GRANULE;
	size_t n = a->size / GRANULE, need, i;
	bool zeroed = flags & KVMMTE_TAGS_CLEAR_DATA;
	char when[128];
	int ret;

	plat_snprintf(when, sizeof(when), "%s %lu KiB %s clear%s %s pointer", ops->el,
		      (unsigned long)a->size / 1024, fmt == KVMMTE_TAGS_BYTES ? "bytes" : "packed",
		      zeroed ? "+data" : "", ptr_tag ? "tagged" : "untagged");
	area_prepare(t, a);
	need = fmt == KVMMTE_TAGS_BYTES ? n : n / 2;
	for (i = 0; i < need + 64; i++)
		a->buf[i] = CANARY;

	ret = ops->save(geo, ptr, a->size, a->buf, need, fmt);
	TT_CHECK_EQ(t, "range save's return value", 0, ret);
	for (i = 0; i < need + 64; i++) {
		uint8_t b = i >= need ? CANARY : fmt == KVMMTE_TAGS_BYTES ? range_tags[i] :
			    (uint8_t)(range_tags[2 * i] | range_tags[2 * i + 1] << 4);

		if (a->buf[i] != b) {
			char what[160];

			plat_snprintf(what, sizeof(what), "%s: buffer byte %lu%s", when,
				      (unsigned long)i, i >= need ? " (past the format's size)" : "");
			TT_CHECK_EQ(t, what, b, a->buf[i]);
			break;
		}
	}
	area_check(t, a, range_tags, false, when);

	ret = ops->clear(geo, ptr, a->size, flags);
	TT_CHECK_EQ(t, "range clear's return value", 0, ret);
	area_check(t, a, NULL, zeroed, when);

	ret = ops->restore(geo, ptr, a->size, a->buf, need, fmt);
	TT_CHECK_EQ(t, "range restore's return value", 0, ret);
	area_check(t, a, range_tags, zeroed, when);

	/* The library's own round trip: save what it restored. */
	for (i = 0; i < need + 64; i++)
		a->saved[i] = a->buf[i];
	for (i = 0; i < need; i++)
		a->buf[i] = CANARY;
	ret = ops->save(geo, ptr, a->size, a->buf, need, fmt);
	TT_CHECK_EQ(t, "second range save's return value", 0, ret);
	for (i = 0; i < need + 64; i++)
		if (a->buf[i] != a->saved[i]) {
			TT_CHECK_EQ(t, "second save: a buffer byte", a->saved[i], a->buf[i]);
			break;
		}
}

static void ranges_begin(struct tt *t, struct kvmmte_tags_geometry *geo1,
			 struct kvmmte_tags_geometry *geo0)
{
	plat_el2_mmu_on_tagged();
	per_granule_tags = probe_per_granule_tags();
	plat_printf("    note: tag storage is per %s here\n", per_granule_tags ? "granule" :
		    "4 KiB page (QEMU issue 1416): one tag per 4 KiB piece");
	TT_REQUIRE(t, kvmmte_tags_geometry_el1(geo1) == 0, "kvmmte_tags_geometry_el1");
	TT_REQUIRE(t, kvmmte_tags_geometry_el0(geo0) == 0, "kvmmte_tags_geometry_el0");
}

/*
 * Runs of 1, 3 and 16 pages of 4 KiB, and a 16 KiB and a 64 KiB page, in
 * the middle of region[] with guards of their own size: both ELs, formats,
 * clear modes and pointer kinds, every step checked granule by granule.
 */
TT_CASE(tag_storage_ranges_of_pages_at_el2, TT_NEEDS_MTE2)
{
	static const size_t sizes[] = { 4096, 3 * 4096, 16 * 4096, KVMMTE_TAGS_PAGE_16K };
	static uint8_t tags[3 * MAX_TAGS];
	struct kvmmte_tags_geometry geo1, geo0;
	unsigned int s, o, f, d, p;

	ranges_begin(t, &geo1, &geo0);
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct area a = { page_at(), sizes[s], sizes[s], tags, buf, saved };

		for (o = 0; o < 2; o++)
			for (f = 0; f < 2; f++)
				for (d = 0; d < 2; d++)
					for (p = 0; p < 2; p++)
						range_cycle(t, &a, o ? &tags_range_ops_el0 :
							    &tags_range_ops_el1, o ? &geo0 : &geo1,
							    f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED,
							    d ? KVMMTE_TAGS_CLEAR_DATA : 0, p ? 0x9 : 0);
	}
	plat_el2_mmu_off();
}

/*
 * A 2 MiB block (level 2, 4 KiB granule) between 64 KiB guards: every
 * EL, format, clear mode and pointer kind; then one pass over a 32 MiB
 * block (level 2, 16 KiB granule).  A range that ran one byte past its
 * end or started one granule early would change a guard.
 */
TT_CASE(tag_storage_block_mappings_at_el2, TT_NEEDS_MTE2)
{
	struct kvmmte_tags_geometry geo1, geo0;
	struct area a = { (uint8_t *)BLOCK_2M_AT, KVMMTE_TAGS_BLOCK_2M, RANGE_GUARD,
			  (uint8_t *)BIG_TAGS_AT, (uint8_t *)BIG_BUF_AT, (uint8_t *)BIG_SAVED_AT };
	unsigned int o, f, d, p;

	ranges_begin(t, &geo1, &geo0);
	for (o = 0; o < 2; o++)
		for (f = 0; f < 2; f++)
			for (d = 0; d < 2; d++)
				for (p = 0; p < 2; p++)
					range_cycle(t, &a, o ? &tags_range_ops_el0 : &tags_range_ops_el1,
						    o ? &geo0 : &geo1,
						    f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED,
						    d ? KVMMTE_TAGS_CLEAR_DATA : 0, p ? 0x3 : 0);
	a.range = (uint8_t *)BLOCK_32M_AT;
	a.size = KVMMTE_TAGS_BLOCK_32M;
	range_cycle(t, &a, &tags_range_ops_el1, &geo1, KVMMTE_TAGS_PACKED, KVMMTE_TAGS_CLEAR_DATA, 0);
	range_cycle(t, &a, &tags_range_ops_el0, &geo0, KVMMTE_TAGS_BYTES, 0, 0x5);
	plat_el2_mmu_off();
}

/* Every error of the range routines at EL2: the return value, and nothing touched. */
TT_CASE(tag_storage_range_errors_touch_nothing_at_el2, TT_NEEDS_MTE2)
{
	static uint8_t tags[3 * MAX_TAGS], buf_before[sizeof(buf)];
	struct kvmmte_tags_geometry geo1, geo0, zero, flipped;
	const size_t size = 16 * 4096;
	struct area a = { page_at(), size, size, tags, buf, saved };
	uint8_t *r = page_at();
	struct {
		const char *what;
		int ret, want;
	} res[24];
	unsigned int i, n = 0;

	ranges_begin(t, &geo1, &geo0);
	memset(&zero, 0, sizeof(zero));
	flipped = geo1;
	flipped.plan[KVMMTE_TAGS_PLAN_MOVE_EL1] ^= 1U << 3;
	area_prepare(t, &a);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(tt_rand(t) & 0xf);
	buf[size / GRANULE - 1] = 0x10;	/* the last tag of the range: > 15 */
	memcpy(buf_before, buf, sizeof(buf));

#define TRY(what_, call_, want_) \
	(res[n++] = (__typeof__(res[0])){ what_, call_, want_ })
	TRY("restore bytes, a tag byte > 15", kvmmte_tags_restore_range_el1(&geo1, r, size, buf,
		sizeof(buf), KVMMTE_TAGS_BYTES), -KVMMTE_ERANGE);
	TRY("restore bytes _el0, a tag byte > 15", kvmmte_tags_restore_range_el0(&geo0, r, size,
		buf, sizeof(buf), KVMMTE_TAGS_BYTES), -KVMMTE_ERANGE);
	TRY("clear, NULL geometry", kvmmte_tags_clear_range_el1(NULL, r, size, 0), -KVMMTE_EFAULT);
	TRY("clear, zeroed geometry", kvmmte_tags_clear_range_el1(&zero, r, size,
		KVMMTE_TAGS_CLEAR_DATA), -KVMMTE_EINVAL);
	TRY("clear _el0, zeroed geometry", kvmmte_tags_clear_range_el0(&zero, r, size, 0),
		-KVMMTE_EINVAL);
	TRY("save, _el0 geometry", kvmmte_tags_save_range_el1(&geo0, r, size, buf, sizeof(buf),
		KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL);
	TRY("restore, plan word changed", kvmmte_tags_restore_range_el1(&flipped, r, size, buf,
		sizeof(buf), KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL);
	TRY("clear, NULL address", kvmmte_tags_clear_range_el1(&geo1, NULL, size, 0), -KVMMTE_EFAULT);
	TRY("save, NULL buffer", kvmmte_tags_save_range_el0(&geo0, r, size, NULL, sizeof(buf),
		KVMMTE_TAGS_PACKED), -KVMMTE_EFAULT);
	TRY("clear, unknown flag", kvmmte_tags_clear_range_el1(&geo1, r, size, 1U << 2),
		-KVMMTE_EINVAL);
	TRY("save, unknown format", kvmmte_tags_save_range_el1(&geo1, r, size, buf, sizeof(buf),
		(enum kvmmte_tags_format)2), -KVMMTE_EINVAL);
	TRY("clear, size 0", kvmmte_tags_clear_range_el0(&geo0, r, 0, KVMMTE_TAGS_CLEAR_DATA),
		-KVMMTE_EINVAL);
	TRY("clear, size 4 KiB + 16", kvmmte_tags_clear_range_el1(&geo1, r, 4096 + 16, 0),
		-KVMMTE_EINVAL);
	TRY("clear, address off by a granule", kvmmte_tags_clear_range_el1(&geo1, r + GRANULE,
		4096, KVMMTE_TAGS_CLEAR_DATA), -KVMMTE_EINVAL);
	TRY("restore, address off by 2 KiB", kvmmte_tags_restore_range_el0(&geo0, r + 2048, 4096,
		buf, sizeof(buf), KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL);
	TRY("clear, size 2^56", kvmmte_tags_clear_range_el1(&geo1, r, (size_t)1 << 56, 0),
		-KVMMTE_EINVAL);
	TRY("clear, size near SIZE_MAX", kvmmte_tags_clear_range_el0(&geo0, r, (size_t)-4096, 0),
		-KVMMTE_EINVAL);
	TRY("save, buffer misaligned", kvmmte_tags_save_range_el1(&geo1, r, size, buf + 4, 4096,
		KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL);
	TRY("save, buffer one byte short", kvmmte_tags_save_range_el1(&geo1, r, size, buf,
		KVMMTE_TAGS_BYTES_SIZE(size) - 1, KVMMTE_TAGS_BYTES), -KVMMTE_ENOSPC);
	TRY("restore, buffer one byte short", kvmmte_tags_restore_range_el0(&geo0, r, size, buf,
		KVMMTE_TAGS_PACKED_SIZE(size) - 1, KVMMTE_TAGS_PACKED), -KVMMTE_ENOSPC);
#undef TRY
	for (i = 0; i < n; i++)
		TT_CHECK_EQ(t, res[i].what, res[i].want, res[i].ret);
	area_check(t, &a, a.tags + a.guard / GRANULE, false, "after the failed range calls");
	TT_CHECK_EQ(t, "buffer bytes changed by the failed range calls", 0,
		    memcmp(buf, buf_before, sizeof(buf)) != 0);
	plat_el2_mmu_off();
}

/* Without FEAT_MTE2 there is no _el1 geometry, and nothing else is touched. */
TT_CASE(tag_storage_geometry_el1_without_mte2_is_enodev, TT_NEEDS_NO_MTE2)
{
	struct kvmmte_tags_geometry geo;
	size_t i;

	memset(&geo, CANARY, sizeof(geo));
	TT_CHECK_EQ(t, "kvmmte_tags_geometry_el1", -KVMMTE_ENODEV, kvmmte_tags_geometry_el1(&geo));
	for (i = 0; i < sizeof(geo); i++)
		if (((uint8_t *)&geo)[i] != CANARY) {
			TT_CHECK_EQ(t, "geometry byte written on an error", CANARY,
				    ((uint8_t *)&geo)[i]);
			break;
		}
	/* The _el1 routines refuse what an ENODEV left behind (here: canary bytes). */
	TT_CHECK_EQ(t, "clear_range_el1 with it", -KVMMTE_EINVAL,
		    kvmmte_tags_clear_range_el1(&geo, page_at(), 4096, 0));
}

/*
 * The fast paths of asm/tags.S against the checked path of lib/tags.c, on
 * this CPU's blocks (QEMU: 256-byte LDGM, 64-byte DC ZVA: every fast path
 * runs here, the clear ones included, which qemu-aarch64's 512-byte block
 * keeps from the user-mode twin of this test): random calls, each
 * argument wrong about one time in six, must get the same answer from
 * both, and a refused call must leave the range, its guards and the
 * buffer as they were.
 */
TT_CASE(tag_storage_range_fast_path_agrees_with_checked_path_at_el2, TT_NEEDS_MTE2)
{
	static const size_t odd_sizes[] = { 0, 16, 4095, 4097, 8192 + 256, (size_t)1 << 56,
					    ((size_t)1 << 56) + 4096, (size_t)-4096, (size_t)-1 };
	static const size_t odd_offs[] = { 16, 256, 2048, 4095 };
	static uint8_t tags[3 * MAX_TAGS], buf_before[sizeof(buf)];
	const size_t size_max = 16 * 4096;
	struct area a = { page_at(), size_max, size_max, tags, buf, saved };
	struct kvmmte_tags_geometry geo1, geo0, geo;
	unsigned int k, refused = 0, accepted = 0;

	ranges_begin(t, &geo1, &geo0);
	area_prepare(t, &a);
	for (k = 0; k < 600; k++) {
		unsigned int which = tt_below(t, 6), kind = tt_below(t, 3) ? 9 : tt_below(t, 6);
		bool el1 = which < 3;
		const struct tags_range_ops *ops = el1 ? &tags_range_ops_el1 : &tags_range_ops_el0;
		const struct tags_range_ops *checked = el1 ? &tags_range_ops_el1_checked :
							     &tags_range_ops_el0_checked;
		size_t size = tt_below(t, 6) ? (size_t)4096 * (1 + tt_below(t, 8)) :
			      odd_sizes[tt_below(t, sizeof(odd_sizes) / sizeof(odd_sizes[0]))];
		size_t off = tt_below(t, 6) ? (size_t)4096 * tt_below(t, 8) :
			     odd_offs[tt_below(t, 4)];
		size_t bo = tt_below(t, 6) ? 0 : tt_below(t, 8);
		int arg = tt_below(t, 12) ? (int)tt_below(t, 2) : (int)(2 + tt_below(t, 3));
		uint8_t *addr = with_tag(a.range + off, tt_below(t, 3) ? 0 : tt_below(t, 16));
		size_t need = size / (arg == 1 ? 16 : 32), bs, i;
		int r1, r2;
		char what[160];

		if (addr && off + size > size_max && size < ((size_t)1 << 52))
			size = size_max - off;	/* never past the prepared range */
		bs = tt_below(t, 6) == 0 ? need - 1 : need + tt_below(t, 64);
		geo = el1 ? geo1 : geo0;
		if (kind == 0)
			geo = el1 ? geo0 : geo1;	/* the other kind: _el1 refuses _el0's */
		if (kind == 1)
			memset(&geo, 0, sizeof(geo));
		if (kind == 2)
			geo.plan[tt_below(t, KVMMTE_TAGS_PLANS)] ^= 1U << tt_below(t, 32);
		if (kind == 3)
			addr = NULL;
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (uint8_t)(tt_rand(t) & 0xf);
		if (kind == 4 && need && need <= sizeof(buf))
			buf[tt_below(t, (uint32_t)need)] = 0x10;
		memcpy(buf_before, buf, sizeof(buf));

		switch (which % 3) {
		case 0: {
			unsigned int f = (unsigned int)arg;

			r1 = ops->clear(&geo, addr, size, f);
			if (!r1)
				area_prepare(t, &a);
			r2 = checked->clear(&geo, addr, size, f);
			break;
		}
		case 1:
			r1 = ops->save(&geo, addr, size, buf + bo, bs, (enum kvmmte_tags_format)arg);
			r2 = checked->save(&geo, addr, size, buf + bo, bs, (enum kvmmte_tags_format)arg);
			break;
		default:
			r1 = ops->restore(&geo, addr, size, buf + bo, bs, (enum kvmmte_tags_format)arg);
			if (!r1)
				area_prepare(t, &a);
			r2 = checked->restore(&geo, addr, size, buf + bo, bs, (enum kvmmte_tags_format)arg);
			break;
		}
		plat_snprintf(what, sizeof(what), "call %u: %s_el%u, geometry kind %u, address %p, "
			      "size 0x%lx, buffer +%lu, buf_size %lu, arg %d: public vs checked", k,
			      which % 3 == 0 ? "clear" : which % 3 == 1 ? "save" : "restore",
			      el1 ? 1 : 0, kind, (void *)addr, (unsigned long)size,
			      (unsigned long)bo, (unsigned long)bs, arg);
		if (!TT_CHECK_EQ(t, what, r2, r1))
			break;
		if (r1) {
			refused++;
			area_check(t, &a, a.tags + a.guard / GRANULE, false, what);
			TT_CHECK_EQ(t, "buffer changed by a refused call", 0,
				    memcmp(buf, buf_before, sizeof(buf)) != 0);
		} else {
			accepted++;
			area_prepare(t, &a);
		}
	}
	TT_CHECK(t, refused > 100 && accepted > 100, "%u calls refused, %u accepted: the mix is off",
		 refused, accepted);
	plat_el2_mmu_off();
}
