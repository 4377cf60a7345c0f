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
