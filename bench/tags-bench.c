// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Tag-storage benchmark: instructions per 4 KiB for clear, save and
 * restore, exact under qemu-system-aarch64 -icount shift=0 (PMU event
 * INST_RETIRED, EL2 counted).  Bare metal at EL2 on the platform layer.
 *
 * For each operation, format and exception level (the _el1 and the _el0
 * routines, both run here at EL2), on the same memory in the same run:
 *
 *   floor        derived from the block sizes this CPU reports: the tag
 *                instructions plus the fewest loads, stores, address adds,
 *                conversion steps and loop control (one per 4 KiB) that
 *                can do the job (docs/tags.md, "Floors"; floor() below)
 *   one page     a range call over one 4 KiB page
 *   2 MiB        a range call over a 2 MiB block: total / 512, and the
 *                marginal cost (total(2 MiB) - total(4 KiB)) / 511, which
 *                is the loop's own cost per 4 KiB
 *   page API     the page routine (kvmmte_tags_*_el1/_el0(), which reads
 *                the ID registers on every call) on one 4 KiB page
 *
 * Every count is one call's INST_RETIRED minus that of the same call to
 * an empty function of the same signature (which costs 2: mov, ret), so
 * the caller's argument set-up is not counted; taken twice, the two must
 * match.  Every result is checked: cleared tags and data, saved buffers,
 * restored tags, and 64 KiB of guard on both sides of the block untouched.
 *
 * The run fails if a count differs between its two runs, if a result is
 * wrong, if a count is above its line in bench/tags-limits (or, for the
 * reference loops, not equal to it), or if a target is missed: at EL1+ a
 * 2 MiB call within 10% of the floor per 4 KiB and a one-page call at most
 * 20 above it, and clear with data no worse per 4 KiB than the best of a
 * DC GZVA loop and an STZGM loop written out here for the DC ZVA block
 * the CPU reports.  The same two targets are checked at EL0.
 *
 * Tag storage of this machine's QEMU: 7.2 keeps one tag byte per 4 KiB
 * page in system mode (QEMU issue 1416, fixed in 8.0).  The benchmark
 * probes for it; without per-granule storage every 4 KiB page gets one
 * random tag (written with STG per granule and STGM per 256 bytes, so LDG
 * and LDGM agree), which both kinds of storage keep, so every result is
 * still checked.  The counts do not depend on tag values.
 *
 * The platform runs EL2 with its MMU off, where memory is Device and has
 * no tags: this program first turns on the platform's EL2 stage 1 (RAM as
 * Tagged Normal, devices as Device-nGnRnE) with SCTLR_EL2.ATA
 * (plat_el2_mmu_on_tagged(), mmu.h).
 */
#include <stdbool.h>
#include <stdint.h>
#include <kvmmte/kvmmte.h>
#include "platform.h"
#include "mmu.h"
#include "pmu.h"
#include "tags-limits.h"

#define PAGE		KVMMTE_TAGS_PAGE_4K
#define BLOCK		KVMMTE_TAGS_BLOCK_2M
#define GUARD		(64 * 1024)
#define GRANULE		KVMMTE_TAG_GRANULE
#define MAX_TAGS	(BLOCK / GRANULE)
#define ADDR_TAG(t)	((uint64_t)(t) << KVMMTE_ADDR_TAG_SHIFT)
#define CHUNKS		(BLOCK / PAGE)

#define MEMTAG		".arch armv8.5-a\n\t.arch_extension memtag\n\t"
#define MEMTAG_END	"\n\t.arch armv8-a"

/* ---- this file's own tag access: one granule at a time ----------------- */

/* Tags of [p, p + size), one per byte of @t, written with STG. */
static void stg_bytes(uint8_t *p, size_t size, const uint8_t *t)
{
	uint8_t *end = p + size;
	uint64_t v;

	__asm__ volatile(MEMTAG
		"1:	ldrb	%w2, [%1], #1\n\t"
		"	lsl	%2, %2, #56\n\t"
		"	stg	%2, [%0], #16\n\t"
		"	cmp	%0, %3\n\t"
		"	b.ne	1b" MEMTAG_END
		: "+r"(p), "+r"(t), "=&r"(v) : "r"(end) : "cc", "memory");
}

/* Tags of [p, p + size) into @t, one per byte, read with LDG. */
static void ldg_bytes(const uint8_t *p, size_t size, uint8_t *t)
{
	const uint8_t *end = p + size;
	uint64_t v;

	__asm__ volatile(MEMTAG
		"1:	ldg	%2, [%0]\n\t"
		"	ubfx	%2, %2, #56, #4\n\t"
		"	strb	%w2, [%1], #1\n\t"
		"	add	%0, %0, #16\n\t"
		"	cmp	%0, %3\n\t"
		"	b.ne	1b" MEMTAG_END
		: "+r"(p), "+r"(t), "=&r"(v) : "r"(end) : "cc", "memory");
}

/*
 * Without per-granule storage (QEMU 7.2), every 4 KiB page gets one tag;
 * STG writes one tag byte per page and LDGM reads eight, so each 256-byte
 * window is also written with STGM: then LDG and LDGM agree.
 */
static void stgm_pages(uint8_t *p, size_t size, const uint8_t *t)
{
	size_t w;

	for (w = 0; w < size; w += 256)
		__asm__ volatile(MEMTAG "stgm %0, [%1]" MEMTAG_END
				 : : "r"(0x1111111111111111ULL * t[w / GRANULE]), "r"(p + w)
				 : "memory");
}

/*
 * The reference loops for clear with data: the best loop each instruction
 * allows for the DC ZVA block (64 bytes on this QEMU, checked in main):
 * 64 x (instruction, add) per 4 KiB, then cmp, b.ne.  Range-shaped like
 * the library's, so they are measured the same way.
 */
#define REF_BLOCK_LOOP(name, insn)						\
	__attribute__((noinline)) static int name(const struct kvmmte_tags_geometry *g, \
						 void *addr, size_t size, unsigned int f) \
	{									\
		uint8_t *p = addr, *end = p + size;				\
										\
		(void)g; (void)f;						\
		__asm__ volatile(MEMTAG						\
			"1:	.rept	64\n\t"					\
			"	" insn "\n\t"					\
			"	add	%0, %0, #64\n\t"			\
			"	.endr\n\t"					\
			"	cmp	%0, %1\n\t"				\
			"	b.ne	1b" MEMTAG_END				\
			: "+r"(p) : "r"(end) : "cc", "memory");			\
		return 0;							\
	}

REF_BLOCK_LOOP(ref_dc_gzva, "dc gzva, %0")
REF_BLOCK_LOOP(ref_stzgm, "stzgm xzr, [%0]")

/* ---- memory: [guard][2 MiB block][guard], and the buffers ---------------- */

static uint8_t arena[3 * BLOCK] __attribute__((aligned(BLOCK)));
static uint8_t buf[MAX_TAGS + 64] __attribute__((aligned(16)));
static uint8_t ref[MAX_TAGS + 2 * GUARD / GRANULE];	/* tags of guard + block + guard */
static uint8_t want[MAX_TAGS], got[MAX_TAGS + 2 * GUARD / GRANULE];
static uint8_t *block = arena + BLOCK;
static bool per_granule_tags;
static struct plat_prng rng;

static uint64_t data_word(size_t i)
{
	return 0x0101010101010101ULL * (uint8_t)(i * 13 + 1) + i;
}

static bool probe_per_granule_tags(void)
{
	static uint8_t set[PAGE / GRANULE], back[PAGE / GRANULE];
	unsigned int i;

	for (i = 0; i < PAGE / GRANULE; i++)
		set[i] = (uint8_t)(i * 7 + 1) & 0xf;
	stg_bytes(block, PAGE, set);
	ldg_bytes(block, PAGE, back);
	return !memcmp(set, back, sizeof(set));
}

/* @n random tags for @n granules: per granule, or per 4 KiB page. */
static void random_tags(uint8_t *t, size_t n)
{
	size_t g;

	for (g = 0; g < n; g++)
		t[g] = per_granule_tags || g % (PAGE / GRANULE) == 0 ?
		       (uint8_t)(plat_prng_u64(&rng) >> 60) : t[g - 1];
}

/* ---- what is measured ------------------------------------------------------ */

enum op { CLEAR, ZERO, SAVE_P, SAVE_B, REST_P, REST_B, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"clear tags", "clear tags + data", "save, packed", "save, one per byte",
	"restore, packed", "restore, one per byte",
};
static const char *const op_ids[NR_OPS] = {
	"clear", "zero", "save-packed", "save-bytes", "restore-packed", "restore-bytes",
};

static struct kvmmte_tags_geometry geo;
/* The call's arguments, set before each measurement. */
static void *g_addr;
static size_t g_size;
static enum op g_op;
static int lib_ret;

/* Empty functions of each signature: the counts are net of a call to them. */
#define EMPTY __attribute__((noinline, noipa))
EMPTY static int empty_clear_range(const struct kvmmte_tags_geometry *g, void *a, size_t s,
				   unsigned int f)
{
	(void)g; (void)a; (void)s; (void)f;
	return 0;
}

EMPTY static int empty_save_range(const struct kvmmte_tags_geometry *g, const void *a, size_t s,
				  void *b, size_t bs, enum kvmmte_tags_format f)
{
	(void)g; (void)a; (void)s; (void)b; (void)bs; (void)f;
	return 0;
}

EMPTY static int empty_restore_range(const struct kvmmte_tags_geometry *g, void *a, size_t s,
				     const void *b, size_t bs, enum kvmmte_tags_format f)
{
	(void)g; (void)a; (void)s; (void)b; (void)bs; (void)f;
	return 0;
}

EMPTY static int empty_clear_page(void *a, size_t s, unsigned int f)
{
	(void)a; (void)s; (void)f;
	return 0;
}

EMPTY static int empty_save_page(const void *a, size_t s, void *b, size_t bs,
				 enum kvmmte_tags_format f)
{
	(void)a; (void)s; (void)b; (void)bs; (void)f;
	return 0;
}

EMPTY static int empty_restore_page(void *a, size_t s, const void *b, size_t bs,
				    enum kvmmte_tags_format f)
{
	(void)a; (void)s; (void)b; (void)bs; (void)f;
	return 0;
}

typedef int clear_range_fn(const struct kvmmte_tags_geometry *, void *, size_t, unsigned int);
typedef int save_range_fn(const struct kvmmte_tags_geometry *, const void *, size_t, void *,
			  size_t, enum kvmmte_tags_format);
typedef int restore_range_fn(const struct kvmmte_tags_geometry *, void *, size_t, const void *,
			     size_t, enum kvmmte_tags_format);
typedef int clear_page_fn(void *, size_t, unsigned int);
typedef int save_page_fn(const void *, size_t, void *, size_t, enum kvmmte_tags_format);
typedef int restore_page_fn(void *, size_t, const void *, size_t, enum kvmmte_tags_format);

/*
 * What a measurement calls, through a pointer set before it: the measured
 * wrappers below load it and the arguments from globals, the same way for
 * the library and for the empty function, so the two differ only in the
 * callee.
 */
static clear_range_fn *g_clear_range;
static save_range_fn *g_save_range;
static restore_range_fn *g_restore_range;
static clear_page_fn *g_clear_page;
static save_page_fn *g_save_page;
static restore_page_fn *g_restore_page;

static unsigned int arg_flags(void)
{
	return g_op == ZERO ? KVMMTE_TAGS_CLEAR_DATA : 0;
}

static enum kvmmte_tags_format arg_fmt(void)
{
	return g_op == SAVE_B || g_op == REST_B ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED;
}

__attribute__((noinline)) static void call_clear_range(void)
{
	lib_ret = g_clear_range(&geo, g_addr, g_size, arg_flags());
}

__attribute__((noinline)) static void call_save_range(void)
{
	lib_ret = g_save_range(&geo, g_addr, g_size, buf, sizeof(buf), arg_fmt());
}

__attribute__((noinline)) static void call_restore_range(void)
{
	lib_ret = g_restore_range(&geo, g_addr, g_size, buf, sizeof(buf), arg_fmt());
}

__attribute__((noinline)) static void call_clear_page(void)
{
	lib_ret = g_clear_page(g_addr, g_size, arg_flags());
}

__attribute__((noinline)) static void call_save_page(void)
{
	lib_ret = g_save_page(g_addr, g_size, buf, sizeof(buf), arg_fmt());
}

__attribute__((noinline)) static void call_restore_page(void)
{
	lib_ret = g_restore_page(g_addr, g_size, buf, sizeof(buf), arg_fmt());
}

/* ---- set-up and checks ------------------------------------------------------ */

static unsigned int checks, errors;

static void fail(const char *what, const char *fmt, unsigned long a, unsigned long b)
{
	plat_printf("FAIL %s: ", what);
	plat_printf(fmt, a, b);
	plat_printf("\n");
	errors++;
}

/* The same, for a wrong value: where, what it is, what it should be. */
static void fail_value(const char *what, size_t size, const char *where, unsigned long i,
		       unsigned long got_v, unsigned long want_v)
{
	plat_printf("FAIL %s, %lu KiB: %s %lu is 0x%lx, expected 0x%lx\n", what,
		    (unsigned long)size / 1024, where, i, got_v, want_v);
	errors++;
}

/*
 * Random tags on the block and its guards (ref[], guard below first),
 * a data pattern on all of it; for restore, other random tags in want[]
 * written to buf in the call's format.
 */
static void setup(size_t size)
{
	uint8_t *lo = block - GUARD;
	size_t n = (size + 2 * GUARD) / GRANULE, i, words = (size + 2 * GUARD) / 8;
	uint64_t *d = (uint64_t *)lo;

	random_tags(ref, n);
	stg_bytes(lo, size + 2 * GUARD, ref);
	if (!per_granule_tags)
		stgm_pages(lo, size + 2 * GUARD, ref);
	for (i = 0; i < words; i++)
		d[i] = data_word(i);
	if (g_op != REST_P && g_op != REST_B)
		return;
	random_tags(want, size / GRANULE);
	if (g_op == REST_B) {
		memcpy(buf, want, size / GRANULE);
	} else {
		for (i = 0; i < size / GRANULE / 2; i++)
			buf[i] = (uint8_t)(want[2 * i] | want[2 * i + 1] << 4);
	}
}

static void verify(size_t size, const char *what)
{
	uint8_t *lo = block - GUARD;
	size_t n = size / GRANULE, gn = GUARD / GRANULE, i;
	const uint64_t *d = (const uint64_t *)lo;
	bool zeroed = g_op == ZERO;

	checks++;
	if (g_op == SAVE_P || g_op == SAVE_B) {
		for (i = 0; i < (g_op == SAVE_P ? n / 2 : n); i++) {
			const uint8_t *t = ref + gn;
			uint8_t w = g_op == SAVE_B ? t[i] : (uint8_t)(t[2 * i] | t[2 * i + 1] << 4);

			if (buf[i] != w) {
				fail_value(what, size, "buffer byte", i, buf[i], w);
				return;
			}
		}
	}
	ldg_bytes(lo, size + 2 * GUARD, got);
	for (i = 0; i < n + 2 * gn; i++) {
		bool in = i >= gn && i < gn + n;
		uint8_t w = !in || g_op == SAVE_P || g_op == SAVE_B ? ref[i] :
			    g_op == REST_P || g_op == REST_B ? want[i - gn] : 0;

		if (got[i] != w) {
			fail_value(what, size, in ? "tag of granule (from the range's start)" :
				   "tag of guard granule (from the range's start)",
				   (unsigned long)((long)i - (long)gn), got[i], w);
			return;
		}
	}
	for (i = 0; i < (size + 2 * GUARD) / 8; i++) {
		bool in = i >= GUARD / 8 && i < (GUARD + size) / 8;
		uint64_t w = in && zeroed ? 0 : data_word(i);

		if (d[i] != w) {
			fail_value(what, size, "data word (from the guard below)", i, d[i], w);
			return;
		}
	}
}

static uint64_t count_once(void (*fn)(void))
{
	uint64_t before, after;

	before = bench_pmu_read();
	fn();
	after = bench_pmu_read();
	return after - before;
}

/*
 * Instructions of one call of @fn (which calls through @slot, set to
 * @lib), net of the same call to @empty; twice, each from a fresh set-up,
 * each result checked.  @slot is the global function pointer @fn uses.
 */
static uint64_t measure(const char *what, void (*fn)(void), void **slot, void *lib, void *empty,
			size_t size)
{
	uint64_t n[2];
	int k;

	for (k = 0; k < 2; k++) {
		setup(size);
		lib_ret = -1;
		*slot = empty;
		n[k] = count_once(fn);
		*slot = lib;
		lib_ret = -1;
		n[k] = count_once(fn) - n[k];
		checks++;
		if (lib_ret)
			fail(what, "returned %ld (size %lu)", (unsigned long)(long)lib_ret, size);
		verify(size, what);
	}
	checks++;
	if (n[0] != n[1])
		fail(what, "counts differ between runs (%lu, %lu): is -icount shift=0 on?", n[0], n[1]);
	return n[0];
}

/* ---- floors -------------------------------------------------------------------- */

/*
 * The floor per 4 KiB at EL1+ (@el1) or any EL, for @op, with blocks of
 * @gm (LDGM/STGM) and @dcz (DC ZVA) bytes, @dc_ok if DC GVA/GZVA may be
 * used (DZP clear and an untagged pointer).  docs/tags.md, "Floors".
 * Per 4 KiB W = 16 buffer words of 256 bytes; loop control is cmp + b.ne,
 * plus an add where the only access instruction (LDG) has no writeback.
 */
static unsigned long floor_of(enum op op, bool el1, unsigned long gm, unsigned long dcz,
			      bool dc_ok)
{
	const unsigned long W = PAGE / 256, loop = 2;
	unsigned long best = PAGE / 32 + loop;		/* ST2G / STZ2G, immediate offsets */
	unsigned long n = el1 ? 256 / gm : 0;		/* LDGM/STGM per word */
	unsigned long check = W + 2 * W + loop;	/* LDP + 2 ORR per 16 bytes */

	switch (op) {
	case CLEAR:
		if (el1 && 2 * PAGE / gm + loop < best)
			best = 2 * PAGE / gm + loop;	/* STGM, add */
		if (dc_ok && dcz && 2 * PAGE / dcz + loop < best)
			best = 2 * PAGE / dcz + loop;	/* DC GVA, add */
		return best;
	case ZERO:
		if ((dc_ok || el1) && dcz && 2 * PAGE / dcz + loop < best)
			best = 2 * PAGE / dcz + loop;	/* DC GZVA or STZGM, add */
		return best;
	case SAVE_P:	/* LDGM, add, ORR into the word; STP per 2 words */
		return el1 ? W * (3 * n - 1) + W / 2 + loop :
			     W * (16 + 15) + W / 2 + loop + 1;	/* LDG, ROR; add */
	case SAVE_B:	/* the same, spread: 12 per word, STP per word */
		return el1 ? W * (3 * n - 1) + W * 12 + W + loop :
			     W * (16 + 14) + W + loop + 1;	/* 2 x (8 LDG, 7 ROR) */
	case REST_P:	/* LDP per 2 words; STGM, add */
		return el1 ? W / 2 + W * 2 * n + loop :
			     W / 2 + W * (16 + 15) + loop;	/* STG, ROR; writeback */
	default:	/* the check, then LDP, gather (13), STGM, add */
		return check + (el1 ? W + W * 13 + W * 2 * n + loop :
				      W + W * (16 + 14) + loop);
	}
}

/* ---- the limits ---------------------------------------------------------------- */

#define NR_LIMITS	(sizeof(tags_limits) / sizeof(tags_limits[0]) - 1)	/* less the end mark */
static bool limit_used[NR_LIMITS + 1];

static void check_limit(const char *row, const char *col, uint64_t n)
{
	unsigned int i;

	checks++;
	for (i = 0; tags_limits[i].row; i++) {
		const struct tags_limit *l = &tags_limits[i];

		if (strcmp(l->row, row) || strcmp(l->col, col))
			continue;
		limit_used[i] = true;
		if (l->exact ? n != l->n : n > l->n) {
			plat_printf("FAIL %s %s: %lu instructions, bench/tags-limits says %s%lu\n",
				    row, col, (unsigned long)n, l->exact ? "exactly " : "at most ",
				    (unsigned long)l->n);
			errors++;
		}
		return;
	}
	plat_printf("FAIL %s %s: %lu instructions, and no line in bench/tags-limits\n", row, col,
		    (unsigned long)n);
	errors++;
}

/* ---- the table ----------------------------------------------------------------- */

/* n / d with two decimals. */
static void print_ratio(uint64_t n, uint64_t d)
{
	uint64_t c = (n * 100 + d / 2) / d;

	plat_printf(" %lu.%02lu |", (unsigned long)(c / 100), (unsigned long)(c % 100));
}

struct result {
	uint64_t page, block, api;
	unsigned long floor;
};

static void target(bool ok, const char *what, const char *fmt, unsigned long a, unsigned long b)
{
	checks++;
	if (!ok)
		fail(what, fmt, a, b);
}

static clear_range_fn *const clear_range[2] = { kvmmte_tags_clear_range_el0,
						 kvmmte_tags_clear_range_el1 };
static save_range_fn *const save_range[2] = { kvmmte_tags_save_range_el0,
					       kvmmte_tags_save_range_el1 };
static restore_range_fn *const restore_range[2] = { kvmmte_tags_restore_range_el0,
						     kvmmte_tags_restore_range_el1 };
static clear_page_fn *const clear_page[2] = { kvmmte_tags_clear_el0, kvmmte_tags_clear_el1 };
static save_page_fn *const save_page[2] = { kvmmte_tags_save_el0, kvmmte_tags_save_el1 };
static restore_page_fn *const restore_page[2] = { kvmmte_tags_restore_el0,
						   kvmmte_tags_restore_el1 };

/* One row: @op at EL1+ (@el1) or any EL, at @addr_tag; everything measured and checked. */
static void row(enum op op, bool el1, unsigned int addr_tag, unsigned long gm, unsigned long dcz,
		bool dzp)
{
	char id[48], what[80];
	struct result r = { 0, 0, 0, 0 };
	bool clear = op == CLEAR || op == ZERO;
	uint8_t *addr = (uint8_t *)((uintptr_t)block | ADDR_TAG(addr_tag));
	long pct;

	g_op = op;
	g_addr = addr;
	plat_snprintf(id, sizeof(id), "%s-%s%s", el1 ? "el1" : "el0", op_ids[op],
		      addr_tag ? "-tagged" : "");
	plat_snprintf(what, sizeof(what), "%s %s%s", el1 ? "_el1" : "_el0", op_names[op],
		      addr_tag ? ", tagged pointer" : "");
	r.floor = floor_of(op, el1, gm, dcz, !dzp && !addr_tag);
	for (g_size = PAGE; ; g_size = BLOCK) {
		uint64_t n;

		if (clear)
			n = measure(what, call_clear_range, (void **)&g_clear_range,
				    (void *)clear_range[el1], (void *)empty_clear_range, g_size);
		else if (op == SAVE_P || op == SAVE_B)
			n = measure(what, call_save_range, (void **)&g_save_range,
				    (void *)save_range[el1], (void *)empty_save_range, g_size);
		else
			n = measure(what, call_restore_range, (void **)&g_restore_range,
				    (void *)restore_range[el1], (void *)empty_restore_range, g_size);
		if (g_size == BLOCK) {
			r.block = n;
			break;
		}
		r.page = n;
	}
	g_size = PAGE;
	if (clear)
		r.api = measure(what, call_clear_page, (void **)&g_clear_page,
				(void *)clear_page[el1], (void *)empty_clear_page, PAGE);
	else if (op == SAVE_P || op == SAVE_B)
		r.api = measure(what, call_save_page, (void **)&g_save_page,
				(void *)save_page[el1], (void *)empty_save_page, PAGE);
	else
		r.api = measure(what, call_restore_page, (void **)&g_restore_page,
				(void *)restore_page[el1], (void *)empty_restore_page, PAGE);

	plat_printf("| %s | %s%s | %lu |", el1 ? "EL1+" : "any", op_names[op],
		    addr_tag ? ", tagged ptr" : "", r.floor);
	plat_printf(" %lu | %s%ld |", (unsigned long)r.page, r.page >= r.floor ? "+" : "",
		    (long)r.page - (long)r.floor);
	print_ratio(r.block, CHUNKS);
	print_ratio(r.block - r.page, CHUNKS - 1);
	pct = (long)((r.block * 1000 / CHUNKS + r.floor / 2) / r.floor) - 1000;	/* tenths */
	plat_printf(" %s%ld.%ld%% |", pct >= 0 ? "+" : "-", (pct < 0 ? -pct : pct) / 10,
		    (pct < 0 ? -pct : pct) % 10);
	plat_printf(" %lu |\n", (unsigned long)r.api);

	check_limit(id, "page", r.page);
	check_limit(id, "2m", r.block);
	check_limit(id, "api", r.api);
	/* The targets: 2 MiB within 10% of the floor, one page at most 20 above it. */
	target(r.block * 10 <= r.floor * CHUNKS * 11, what,
	       "2 MiB costs %lu instructions, more than 110%% of the floor (%lu per 4 KiB)",
	       (unsigned long)r.block, r.floor);
	target(r.page <= r.floor + 20, what,
	       "one page costs %lu instructions, more than 20 above the floor %lu",
	       (unsigned long)r.page, r.floor);
}

int plat_app_main(const char *cmdline)
{
	static const struct { enum op op; unsigned int tag; } ops[] = {
		{ CLEAR, 0 }, { CLEAR, 0xb }, { ZERO, 0 }, { ZERO, 0xb }, { SAVE_P, 0 },
		{ SAVE_B, 0 }, { REST_P, 0 }, { REST_B, 0 },
	};
	unsigned long gm, dcz, marg[2];
	uint64_t dczid, zero_marg = 0;
	struct kvmmte_caps caps;
	unsigned int el1, i;
	bool dzp;
	int ret;

	kvmmte_cpu_caps(&caps);
	if (caps.level < KVMMTE_PFR1_MTE_MTE2) {
		plat_printf("tags-bench: the CPU lacks FEAT_MTE2 (run QEMU with mte=on)\n");
		return 1;
	}
	plat_prng_seed(&rng, plat_cmdline_u64(cmdline, "seed", 1));
	plat_el2_mmu_on_tagged();
	bench_pmu_init();
	per_granule_tags = probe_per_granule_tags();
	dczid = plat_read_sysreg(KVMMTE_SYS(DCZID_EL0));
	gm = 4UL << caps.gmid_bs;
	dcz = 4UL << (dczid & KVMMTE_DCZID_EL0_BS_MASK);
	dzp = dczid & KVMMTE_DCZID_EL0_DZP_MASK;
	ret = kvmmte_tags_geometry_el1(&geo);
	if (ret) {
		plat_printf("tags-bench: kvmmte_tags_geometry_el1() returned %d\n", ret);
		return 1;
	}

	plat_printf("Tag storage: instructions per call and per 4 KiB at EL2 "
		    "(QEMU -icount shift=0, PMU INST_RETIRED)\n");
	plat_printf("GMID_EL1.BS %u (LDGM/STGM block %lu bytes), DCZID_EL0.BS %u "
		    "(DC GVA/GZVA, STZGM block %lu bytes), DZP %u\n",
		    caps.gmid_bs, gm, (unsigned int)(dczid & KVMMTE_DCZID_EL0_BS_MASK), dcz,
		    (unsigned int)dzp);
	plat_printf("Tag storage per granule (probe): %s\n\n", per_granule_tags ?
		    "yes: every granule gets its own random tag" :
		    "no (QEMU issue 1416): one random tag per 4 KiB page");
	plat_printf("Counts net of an empty call with the same arguments; \"range\" is "
		    "kvmmte_tags_*_range_*() with a geometry from kvmmte_tags_geometry_el1(), "
		    "\"page API\" the page routine on a 4 KiB page.\n\n");
	plat_printf("| EL | operation | floor per 4 KiB | range, 4 KiB | over floor | "
		    "range, 2 MiB, per 4 KiB | marginal per 4 KiB | vs floor | page API, 4 KiB |\n");
	plat_printf("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (el1 = 2; el1-- > 0;)
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			row(ops[i].op, el1, ops[i].tag, gm, dcz, dzp);

	/* Clear with data against the best block loops for this DC ZVA block. */
	plat_printf("\nClear tags + data, 2 MiB, against the best loop of each block "
		    "instruction (64 x (instruction, add) + cmp, b.ne per 4 KiB):\n\n");
	plat_printf("| loop | 4 KiB | 2 MiB | per 4 KiB | marginal per 4 KiB |\n|---|---:|---:|---:|---:|\n");
	checks++;
	if (dcz != 64) {
		fail("reference loops", "written for a 64-byte DC ZVA block, the CPU reports %lu (%lu)",
		     dcz, 64);
	} else {
		static clear_range_fn *const refs[2] = { ref_dc_gzva, ref_stzgm };
		static const char *const ref_names[2] = { "DC GZVA", "STZGM" };
		static const char *const ref_ids[2] = { "ref-dc-gzva", "ref-stzgm" };
		unsigned int k;

		g_op = ZERO;
		g_addr = block;
		for (k = 0; k < 2; k++) {
			uint64_t p, b;

			g_size = PAGE;
			p = measure(ref_names[k], call_clear_range, (void **)&g_clear_range,
				    (void *)refs[k], (void *)empty_clear_range, PAGE);
			g_size = BLOCK;
			b = measure(ref_names[k], call_clear_range, (void **)&g_clear_range,
				    (void *)refs[k], (void *)empty_clear_range, BLOCK);
			marg[k] = (unsigned long)(b - p) / (CHUNKS - 1);
			plat_printf("| %s | %lu | %lu |", ref_names[k], (unsigned long)p,
				    (unsigned long)b);
			print_ratio(b, CHUNKS);
			print_ratio(b - p, CHUNKS - 1);
			plat_printf("\n");
			check_limit(ref_ids[k], "page", p);
			check_limit(ref_ids[k], "2m", b);
		}
		for (el1 = 0; el1 < 2; el1++) {
			uint64_t p, b;

			g_size = PAGE;
			p = measure("clear + data", call_clear_range, (void **)&g_clear_range,
				    (void *)clear_range[el1], (void *)empty_clear_range, PAGE);
			g_size = BLOCK;
			b = measure("clear + data", call_clear_range, (void **)&g_clear_range,
				    (void *)clear_range[el1], (void *)empty_clear_range, BLOCK);
			zero_marg = (b - p) / (CHUNKS - 1);
			plat_printf("| libkvmmte %s | %lu | %lu |", el1 ? "_el1" : "_el0",
				    (unsigned long)p, (unsigned long)b);
			print_ratio(b, CHUNKS);
			print_ratio(b - p, CHUNKS - 1);
			plat_printf("\n");
			target((b - p) % (CHUNKS - 1) == 0 &&
			       zero_marg <= (marg[0] < marg[1] ? marg[0] : marg[1]),
			       el1 ? "_el1 clear + data" : "_el0 clear + data",
			       "marginal cost per 4 KiB %lu, the best block loop's is %lu",
			       (unsigned long)zero_marg, marg[0] < marg[1] ? marg[0] : marg[1]);
		}
	}

	for (i = 0; tags_limits[i].row; i++) {
		checks++;
		if (!limit_used[i]) {
			plat_printf("FAIL bench/tags-limits: \"%s %s\" measures nothing\n",
				    tags_limits[i].row, tags_limits[i].col);
			errors++;
		}
	}
	plat_printf("\n%s\n", errors ? "tags-bench: FAILED" :
		    "tags-bench: all counts exact, checked, within bench/tags-limits and the targets");
	plat_printf("%u passed, %u failed, 0 skipped\n", checks - errors, errors);
	return errors ? 1 : 0;
}
