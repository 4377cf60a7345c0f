// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The range routines and the geometry of lib/tags.c against the fake CPU
 * (host builds have no fast path in asm/tags.S: the public names are the
 * checked C functions, which decide every error).  Every argument and
 * geometry error, in the documented order, reaches no loop; the range
 * routines read no register; the right loop runs with the right
 * arguments; and each plan word a geometry carries names exactly the loop
 * the C path picks, which is what lets asm/tags.S's fast path skip it.
 * The loops are recorded through the seam in test_tags_page.c.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmmte/tags.h>
#include "fake_sysreg.h"
#include "fixtures.h"

/* Ranges are never dereferenced on the host: any suitably aligned address. */
#define ADDR		((void *)(uintptr_t)0x40000000)
#define ADDR_TAGGED	((void *)(uintptr_t)0x0b00000040000000)
#define M2		KVMMTE_TAGS_BLOCK_2M
#define FMT(v)		((enum kvmmte_tags_format)(v))

static struct kvmmte_tags_geometry geo1, geo0;	/* _el1 and _el0, the fake CPU's */
static uint8_t *buf;				/* 2 MiB one per byte, + 64 */
#define BUF_SIZE	(M2 / 16 + 64)

static void setup(void)
{
	fake_cpu(2, 3, false);
	fake_phys[PHYS_GMID_EL1] = 6;	/* 256-byte LDGM/STGM: the unrolled loops */
	tags_seam_reset();
	cr_assert_eq(kvmmte_tags_geometry_el1(&geo1), 0);
	cr_assert_eq(kvmmte_tags_geometry_el0(&geo0), 0);
	buf = aligned_alloc(16, BUF_SIZE);
	cr_assert(buf);
	memset(buf, 0, BUF_SIZE);
	fake_log_clear();
	tags_seam_reset();
}

static void teardown(void)
{
	free(buf);
}

TestSuite(tags_range, .init = setup, .fini = teardown);

/* ---- the six routines, by number ----------------------------------------- */

enum routine { CLEAR_EL1, SAVE_EL1, RESTORE_EL1, CLEAR_EL0, SAVE_EL0, RESTORE_EL0, NR_ROUTINES };

static const char *const names[NR_ROUTINES] = {
	"clear_range_el1", "save_range_el1", "restore_range_el1",
	"clear_range_el0", "save_range_el0", "restore_range_el0",
};

static bool is_el1(enum routine r)
{
	return r < CLEAR_EL0;
}

static bool is_clear(enum routine r)
{
	return r == CLEAR_EL1 || r == CLEAR_EL0;
}

/* Routine @r; clear takes @arg as flags, the others as the format. */
static int run(enum routine r, const struct kvmmte_tags_geometry *g, void *addr, size_t size,
	       void *b, size_t buf_size, unsigned int arg)
{
	switch (r) {
	case CLEAR_EL1: return kvmmte_tags_clear_range_el1(g, addr, size, arg);
	case SAVE_EL1: return kvmmte_tags_save_range_el1(g, addr, size, b, buf_size, FMT(arg));
	case RESTORE_EL1: return kvmmte_tags_restore_range_el1(g, addr, size, b, buf_size, FMT(arg));
	case CLEAR_EL0: return kvmmte_tags_clear_range_el0(g, addr, size, arg);
	case SAVE_EL0: return kvmmte_tags_save_range_el0(g, addr, size, b, buf_size, FMT(arg));
	default: return kvmmte_tags_restore_range_el0(g, addr, size, b, buf_size, FMT(arg));
	}
}

/* @r with @r's own geometry and a buffer that fits @size packed. */
static int run_ok(enum routine r, void *addr, size_t size)
{
	return run(r, is_el1(r) ? &geo1 : &geo0, addr, size, buf, BUF_SIZE, 0);
}

static void expect_refused(enum routine r, int ret, int want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void expect_refused(enum routine r, int ret, int want, const char *fmt, ...)
{
	char what[200];
	va_list ap;
	int n = snprintf(what, sizeof(what), "%s, ", names[r]);

	va_start(ap, fmt);
	vsnprintf(what + n, sizeof(what) - n, fmt, ap);
	va_end(ap);
	expect_no_tags_loop(ret, want, what);
}

/* ---- the geometry functions ---------------------------------------------- */

Test(tags_range, geometry_null_is_efault_and_reads_nothing)
{
	EXPECT_RET(kvmmte_tags_geometry_el1(NULL), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_tags_geometry_el0(NULL), -KVMMTE_EFAULT);
	cr_expect_eq(fake_log_len, 0, "%zu register reads for a NULL geometry", fake_log_len);
	cr_expect_eq(tags_dczid_reads, 0, "DCZID_EL0 read for a NULL geometry");
}

/* MTE level 1 the last refused, 2 the first accepted; GMID_EL1 never read below MTE2. */
Test(tags_range, geometry_el1_needs_mte2_and_leaves_the_object_alone_without)
{
	static const struct { unsigned int level; int want; } c[] = {
		{ 0, -KVMMTE_ENODEV }, { 1, -KVMMTE_ENODEV }, { 2, 0 }, { 3, 0 }, { 15, 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct kvmmte_tags_geometry g, before;

		memset(&g, SENTINEL, sizeof(g));
		before = g;
		fake_cpu(2, c[i].level, false);
		fake_phys[PHYS_GMID_EL1] = 6;
		EXPECT_RET(kvmmte_tags_geometry_el1(&g), c[i].want);
		cr_expect_eq(fake_undef_count, 0, "MTE level %u: %u UNDEFINED accesses (GMID_EL1?)",
			     c[i].level, fake_undef_count);
		if (c[i].want)
			cr_expect(!memcmp(&g, &before, sizeof(g)),
				  "MTE level %u: the geometry changed on an error", c[i].level);
	}
}

Test(tags_range, geometry_el1_gmid_bs_1_and_7_refused_2_and_6_accepted)
{
	static const struct { unsigned int bs; int want; } c[] = {
		{ 0, -KVMMTE_ENODEV }, { 1, -KVMMTE_ENODEV }, { 2, 0 }, { 6, 0 },
		{ 7, -KVMMTE_ENODEV }, { 15, -KVMMTE_ENODEV },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct kvmmte_tags_geometry g;

		memset(&g, SENTINEL, sizeof(g));
		fake_phys[PHYS_GMID_EL1] = c[i].bs | 0xfffffff0;	/* RES0 noise */
		EXPECT_RET(kvmmte_tags_geometry_el1(&g), c[i].want);
		if (!c[i].want)
			cr_expect_eq(g.gm_shift, c[i].bs + 2, "GMID_EL1.BS %u: gm_shift %u",
				     c[i].bs, g.gm_shift);
	}
}

Test(tags_range, geometry_el0_reads_only_dczid)
{
	struct kvmmte_tags_geometry g;

	fake_cpu(2, 0, false);	/* the caller knows: no ID register is asked */
	fake_log_clear();
	tags_seam_reset();
	EXPECT_RET(kvmmte_tags_geometry_el0(&g), 0);
	cr_expect_eq(fake_log_len, 0, "%zu reads of the fake register file", fake_log_len);
	cr_expect_eq(tags_dczid_reads, 1, "DCZID_EL0 read %u times, expected once",
		     tags_dczid_reads);
	cr_expect_eq(g.el1, 0);
	cr_expect_eq(g.gm_shift, 0);
	cr_expect_eq(g.dcz_shift, 6, "dcz_shift %u, expected 6 (64 bytes)", g.dcz_shift);
}

/* What each plan word says for the CPUs the fast paths care about. */
Test(tags_range, geometry_plans_name_the_unrolled_loops_where_they_apply)
{
	static const struct {
		unsigned int gmid_bs;
		uint64_t dczid;
		uint32_t clear, zero, move, clear0;
	} c[] = {
		{ 6, 4, KVMMTE_TAGS_PLAN_STGM256, KVMMTE_TAGS_PLAN_DCZ64, KVMMTE_TAGS_PLAN_GM256,
		  KVMMTE_TAGS_PLAN_DCZ64 },
		{ 6, 0x14, KVMMTE_TAGS_PLAN_STGM256, KVMMTE_TAGS_PLAN_STZGM64,
		  KVMMTE_TAGS_PLAN_GM256, KVMMTE_TAGS_PLAN_PAIRS },
		{ 4, 4, KVMMTE_TAGS_PLAN_CHECKED, KVMMTE_TAGS_PLAN_DCZ64, KVMMTE_TAGS_PLAN_CHECKED,
		  KVMMTE_TAGS_PLAN_DCZ64 },
		{ 6, 7, KVMMTE_TAGS_PLAN_CHECKED, KVMMTE_TAGS_PLAN_CHECKED, KVMMTE_TAGS_PLAN_GM256,
		  KVMMTE_TAGS_PLAN_CHECKED },
		{ 6, 0x17, KVMMTE_TAGS_PLAN_STGM256, KVMMTE_TAGS_PLAN_CHECKED,
		  KVMMTE_TAGS_PLAN_GM256, KVMMTE_TAGS_PLAN_PAIRS },
		{ 6, 3, KVMMTE_TAGS_PLAN_STGM256, KVMMTE_TAGS_PLAN_CHECKED, KVMMTE_TAGS_PLAN_GM256,
		  KVMMTE_TAGS_PLAN_PAIRS },
		{ 6, 0, KVMMTE_TAGS_PLAN_STGM256, KVMMTE_TAGS_PLAN_CHECKED, KVMMTE_TAGS_PLAN_GM256,
		  KVMMTE_TAGS_PLAN_PAIRS },	/* DCZID_EL0.BS 0: no usable block */
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		struct kvmmte_tags_geometry g;

		fake_phys[PHYS_GMID_EL1] = c[i].gmid_bs;
		tags_fake_dczid = c[i].dczid;
		cr_assert_eq(kvmmte_tags_geometry_el1(&g), 0);
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL1], c[i].clear, "case %zu: clear %#x",
			     i, g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL1]);
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL1 + 1], c[i].zero, "case %zu: zero %#x",
			     i, g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL1 + 1]);
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_MOVE_EL1], c[i].move, "case %zu: move %#x", i,
			     g.plan[KVMMTE_TAGS_PLAN_MOVE_EL1]);
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL0], c[i].clear0, "case %zu: clear0 %#x",
			     i, g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL0]);
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_MOVE_EL0], KVMMTE_TAGS_PLAN_EL0);
		cr_assert_eq(kvmmte_tags_geometry_el0(&g), 0);
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL1], 0, "an _el0 geometry has no _el1 plan");
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_MOVE_EL1], 0, "an _el0 geometry has no _el1 plan");
		cr_expect_eq(g.plan[KVMMTE_TAGS_PLAN_CLEAR_EL0], c[i].clear0);
	}
}

/*
 * The contract of the fast path: a plan word names the loop the page
 * routines (which choose from the ID registers on every call) pick for
 * the same CPU, routine, clear mode, format and pointer kind.  Every
 * GMID_EL1.BS with every DCZID_EL0 (BS 0..10, DZP); a plan of CHECKED
 * makes the range routine choose from the same fields, so it must agree
 * too.
 */
static int run_page(enum routine r, void *addr, unsigned int arg)
{
	switch (r) {
	case CLEAR_EL1: return kvmmte_tags_clear_el1(addr, 4096, arg);
	case SAVE_EL1: return kvmmte_tags_save_el1(addr, 4096, buf, 256, FMT(arg));
	case RESTORE_EL1: return kvmmte_tags_restore_el1(addr, 4096, buf, 256, FMT(arg));
	case CLEAR_EL0: return kvmmte_tags_clear_el0(addr, 4096, arg);
	case SAVE_EL0: return kvmmte_tags_save_el0(addr, 4096, buf, 256, FMT(arg));
	default: return kvmmte_tags_restore_el0(addr, 4096, buf, 256, FMT(arg));
	}
}

Test(tags_range, every_plan_names_the_loop_the_page_routines_pick_for_that_cpu)
{
	unsigned int bs, dcz, dzp, checked = 0;
	enum routine r;

	memset(buf, 0, 256);
	for (bs = 2; bs <= 6; bs++)
		for (dcz = 0; dcz <= 10; dcz++)
			for (dzp = 0; dzp < 2; dzp++) {
				struct kvmmte_tags_geometry g;

				fake_phys[PHYS_GMID_EL1] = bs;
				tags_fake_dczid = dcz | (uint64_t)dzp << 4;
				cr_assert_eq(kvmmte_tags_geometry_el1(&g), 0);
				for (r = 0; r < NR_ROUTINES; r++) {
					unsigned int arg, t;

					for (arg = 0; arg < 2; arg++)
						for (t = 0; t < 2; t++) {
							void *a = t ? ADDR_TAGGED : ADDR;
							char range_op[32];

							fake_log_clear();
							tags_ncalls = 0;
							cr_assert_eq(run(r, &g, a, 4096, buf, 256, arg), 0);
							memcpy(range_op, tags_calls[0].op, sizeof(range_op));
							tags_ncalls = 0;
							cr_assert_eq(run_page(r, a, arg), 0);
							cr_expect_str_eq(range_op, tags_calls[0].op,
								"GMID_EL1.BS %u, DCZID_EL0 %#x, %s, arg %u, "
								"%s: the range routine ran %s, the page "
								"routine %s", bs, dcz | dzp << 4, names[r],
								arg, t ? "tagged" : "untagged", range_op,
								tags_calls[0].op);
							checked++;
						}
				}
			}
	tags_ncalls = 0;
	cr_expect_eq(checked, 5 * 11 * 2 * NR_ROUTINES * 4);
}

/* ---- geometry validity -------------------------------------------------------- */

Test(tags_range, zeroed_geometry_is_einval_for_every_routine)
{
	struct kvmmte_tags_geometry zero;
	enum routine r;

	memset(&zero, 0, sizeof(zero));
	for (r = 0; r < NR_ROUTINES; r++)
		expect_refused(r, run(r, &zero, ADDR, 4096, buf, BUF_SIZE, 0), -KVMMTE_EINVAL,
			       "zeroed geometry");
}

/* The plan word routine @r reads for @arg (clear: the flags). */
static unsigned int plan_word(enum routine r, unsigned int arg)
{
	switch (r) {
	case CLEAR_EL1: return KVMMTE_TAGS_PLAN_CLEAR_EL1 + (arg & KVMMTE_TAGS_CLEAR_DATA);
	case CLEAR_EL0: return KVMMTE_TAGS_PLAN_CLEAR_EL0;
	case SAVE_EL1: case RESTORE_EL1: return KVMMTE_TAGS_PLAN_MOVE_EL1;
	default: return KVMMTE_TAGS_PLAN_MOVE_EL0;
	}
}

/*
 * One bit changed anywhere in the object: refused by every routine whose
 * plan word it is in, and by every routine whose plan is CHECKED (the
 * whole object is checked then); a routine whose plan names its loop
 * does not look at the rest, and runs that loop as before.  The fake CPU
 * (every routine has a loop) and one with other block sizes (CHECKED but
 * for the _el0 moves), both kinds of object.
 */
Test(tags_range, geometry_with_a_bit_changed_is_einval_where_the_routine_looks)
{
	struct kvmmte_tags_geometry src[4];
	size_t k, byte;
	unsigned int bit, arg, refusals = 0;
	enum routine r;

	src[0] = geo1;
	src[1] = geo0;
	fake_phys[PHYS_GMID_EL1] = 4;
	tags_fake_dczid = 5;
	cr_assert_eq(kvmmte_tags_geometry_el1(&src[2]), 0);
	cr_assert_eq(kvmmte_tags_geometry_el0(&src[3]), 0);
	for (k = 0; k < 4; k++)
		for (byte = 0; byte < sizeof(struct kvmmte_tags_geometry); byte++)
			for (bit = 0; bit < 8; bit++)
				for (r = 0; r < NR_ROUTINES; r++)
					for (arg = 0; arg < 2; arg++) {
						struct kvmmte_tags_geometry g = src[k];
						unsigned int w = plan_word(r, arg);
						bool in_word = byte / 4 == w;
						bool whole = src[k].plan[w] == KVMMTE_TAGS_PLAN_CHECKED;
						int before, ret;

						before = run(r, &src[k], ADDR, 4096, buf, BUF_SIZE, arg);
						tags_ncalls = 0;
						((uint8_t *)&g)[byte] ^= (uint8_t)(1U << bit);
						ret = run(r, &g, ADDR, 4096, buf, BUF_SIZE, arg);
						if (before == 0 && (in_word || whole)) {
							refusals++;
							expect_refused(r, ret, -KVMMTE_EINVAL,
								       "object %zu, byte %zu bit %u",
								       k, byte, bit);
						} else {
							cr_expect_eq(ret, before, "%s, object %zu, byte %zu "
								     "bit %u: %d, unchanged %d", names[r],
								     k, byte, bit, ret, before);
							tags_ncalls = 0;
						}
					}
	cr_expect_gt(refusals, 1000, "only %u refusals", refusals);
}

Test(tags_range, el0_geometry_is_einval_for_el1_routines_el1_geometry_serves_both)
{
	enum routine r;

	for (r = 0; r < NR_ROUTINES; r++) {
		int ret = run(r, &geo0, ADDR, 4096, buf, BUF_SIZE, 0);

		if (is_el1(r)) {
			expect_refused(r, ret, -KVMMTE_EINVAL, "an _el0 geometry");
		} else {
			cr_expect_eq(ret, 0, "%s with an _el0 geometry: %d", names[r], ret);
			tags_ncalls = 0;
		}
		ret = run(r, &geo1, ADDR, 4096, buf, BUF_SIZE, 0);
		cr_expect_eq(ret, 0, "%s with an _el1 geometry: %d", names[r], ret);
		cr_expect_eq(tags_ncalls, 1);
		tags_ncalls = 0;
	}
}

/* A copy is as good as the original: the object holds no address of its own. */
Test(tags_range, a_copied_geometry_works)
{
	struct kvmmte_tags_geometry copy;

	memcpy(&copy, &geo1, sizeof(copy));
	EXPECT_RET(kvmmte_tags_save_range_el1(&copy, ADDR, 8192, buf, 256, KVMMTE_TAGS_PACKED), 0);
	expect_tags_loop("copy", "save_packed_gm256", ADDR, 8192, buf, 256);
}

/* ---- argument errors, in order -------------------------------------------------- */

Test(tags_range, null_geometry_address_or_buffer_is_efault_first)
{
	struct kvmmte_tags_geometry zero;
	enum routine r;

	memset(&zero, 0, sizeof(zero));
	for (r = 0; r < NR_ROUTINES; r++) {
		/* before the geometry, the format and the size are looked at */
		expect_refused(r, run(r, NULL, ADDR, 4096, buf, BUF_SIZE, 0), -KVMMTE_EFAULT,
			       "NULL geometry");
		expect_refused(r, run(r, &zero, NULL, 0, buf, 0, 7), -KVMMTE_EFAULT,
			       "NULL address, zeroed geometry, size 0, format/flag 7");
		if (!is_clear(r))
			expect_refused(r, run(r, &zero, ADDR, 1, NULL, 0, 7), -KVMMTE_EFAULT,
				       "NULL buffer, zeroed geometry, size 1, format 7");
	}
	/* clear takes no buffer: NULL is fine there */
	EXPECT_RET(kvmmte_tags_clear_range_el1(&geo1, ADDR, 4096, 0), 0);
}

Test(tags_range, bad_geometry_comes_before_format_size_and_buffer)
{
	struct kvmmte_tags_geometry zero;
	enum routine r;

	memset(&zero, 0, sizeof(zero));
	for (r = 0; r < NR_ROUTINES; r++)
		expect_refused(r, run(r, &zero, ADDR, 4096, buf, 0, 0), -KVMMTE_EINVAL,
			       "zeroed geometry, buffer too small (ENOSPC otherwise)");
}

Test(tags_range, unknown_format_or_flag_is_einval)
{
	static const unsigned int bad[] = { 2, 3, 1U << 31, 0xffffffffU };
	enum routine r;
	size_t i;

	for (r = 0; r < NR_ROUTINES; r++)
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			expect_refused(r, run(r, is_el1(r) ? &geo1 : &geo0, ADDR, 4096, buf,
					      BUF_SIZE, bad[i]),
				       -KVMMTE_EINVAL, "format/flags %#x", bad[i]);
}

/* Size: 0, any non-multiple of 4 KiB refused; every multiple accepted. */
Test(tags_range, size_zero_or_not_a_multiple_of_4k_is_einval)
{
	static const size_t bad[] = { 0, 16, 256, 2048, 4095, 4097, 8191, 8208, M2 + 16,
				      SIZE_MAX, SIZE_MAX - 4095 + 1 };
	static const size_t good[] = { 4096, 8192, 12288, 16384, 65536, 3 * 4096 + 65536, M2 };
	enum routine r;
	size_t i;

	for (r = 0; r < NR_ROUTINES; r++) {
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			expect_refused(r, run_ok(r, ADDR, bad[i]), -KVMMTE_EINVAL, "size %zu",
				       bad[i]);
		for (i = 0; i < ARRAY_SIZE(good); i++) {
			cr_expect_eq(run_ok(r, ADDR, good[i]), 0, "%s, size %zu", names[r], good[i]);
			cr_expect_eq(tags_ncalls, 1);
			cr_expect_eq(tags_calls[0].size, good[i], "%s: size %zu passed on as %zu",
				     names[r], good[i], tags_calls[0].size);
			tags_ncalls = 0;
		}
	}
}

Test(tags_range, address_not_a_multiple_of_4k_is_einval)
{
	static const uintptr_t off[] = { 16, 256, 2048, 4080, 4095, 1 };
	enum routine r;
	size_t i;

	for (r = 0; r < NR_ROUTINES; r++)
		for (i = 0; i < ARRAY_SIZE(off); i++) {
			void *a = (void *)((uintptr_t)ADDR + off[i]);
			void *t = (void *)((uintptr_t)ADDR_TAGGED + off[i]);

			expect_refused(r, run_ok(r, a, 4096), -KVMMTE_EINVAL, "address %p", a);
			expect_refused(r, run_ok(r, t, 4096), -KVMMTE_EINVAL, "address %p", t);
		}
}

/*
 * The end: bits [55:0] of the address plus the size may reach 2^56 and
 * no further, whatever the tag byte; sizes near SIZE_MAX can not wrap.
 */
Test(tags_range, range_carrying_out_of_bit_55_is_einval_without_overflow)
{
	static const struct { uintptr_t addr; size_t size; int want; } c[] = {
		{ 0x00fffffffffff000, 4096, 0 },		/* ends at 2^56 exactly */
		{ 0x00fffffffffff000, 8192, -KVMMTE_EINVAL },
		{ 0xfffffffffffff000, 4096, 0 },		/* tag byte 0xff */
		{ 0xfffffffffffff000, 8192, -KVMMTE_EINVAL },
		{ 0x0f00000000001000, 0x00fffffffffff000, 0 },	/* to 2^56 from the second page */
		{ 0x0f00000000001000, 0x0100000000000000, -KVMMTE_EINVAL },
		{ 0x0000000000001000, SIZE_MAX & ~(size_t)4095, -KVMMTE_EINVAL },
		{ 0xffff800000000000, 0x0001000000000000, -KVMMTE_EINVAL },
		{ 0xffff800000000000, 0x00007ffffffff000, 0 },
		{ 0x0000000040000000, (size_t)1 << 56, -KVMMTE_EINVAL },
		{ 0x0000000000001000, ((size_t)1 << 56) - 4096, 0 },
	};
	enum routine r;
	size_t i;

	for (r = 0; r < NR_ROUTINES; r++)
		for (i = 0; i < ARRAY_SIZE(c); i++) {
			int ret = run(r, is_el1(r) ? &geo1 : &geo0, (void *)c[i].addr, c[i].size,
				      buf, SIZE_MAX, 0);

			if (c[i].want) {
				expect_refused(r, ret, c[i].want, "address %#lx, size %#zx",
					       (unsigned long)c[i].addr, c[i].size);
			} else {
				cr_expect_eq(ret, 0, "%s, address %#lx, size %#zx: %d", names[r],
					     (unsigned long)c[i].addr, c[i].size, ret);
				tags_ncalls = 0;
			}
		}
}

Test(tags_range, buffer_misaligned_is_einval_8_is_fine)
{
	enum routine r;
	size_t off;

	for (r = 0; r < NR_ROUTINES; r++) {
		if (is_clear(r))
			continue;
		for (off = 1; off <= 8; off++) {
			int ret = run(r, is_el1(r) ? &geo1 : &geo0, ADDR, 4096, buf + off, 256, 0);

			if (off < 8)
				expect_refused(r, ret, -KVMMTE_EINVAL, "buffer at +%zu", off);
			else
				cr_expect_eq(ret, 0, "%s, buffer at +8: %d", names[r], ret);
			tags_ncalls = 0;
		}
	}
}

/*
 * The buffer: exactly the format's size for the range accepted, one byte
 * less refused, up to the largest block mappings (buffers never read
 * here except the restore-bytes check, run on the real 2 MiB one).
 */
Test(tags_range, buffer_size_boundary_up_to_1g_blocks)
{
	static const size_t sizes[] = { 4096, 8192, 12288, M2, KVMMTE_TAGS_BLOCK_32M,
					KVMMTE_TAGS_BLOCK_512M, KVMMTE_TAGS_BLOCK_1G };
	enum routine r;
	size_t i;
	int f;

	for (r = 0; r < NR_ROUTINES; r++) {
		if (is_clear(r))
			continue;
		for (i = 0; i < ARRAY_SIZE(sizes); i++)
			for (f = 0; f < 2; f++) {
				size_t need = f ? KVMMTE_TAGS_BYTES_SIZE(sizes[i]) :
						  KVMMTE_TAGS_PACKED_SIZE(sizes[i]);
				const struct kvmmte_tags_geometry *g = is_el1(r) ? &geo1 : &geo0;
				int ret;

				cr_assert_eq(need, sizes[i] / (f ? 16 : 32));
				expect_refused(r, run(r, g, ADDR, sizes[i], buf, need - 1, f),
					       -KVMMTE_ENOSPC, "size %zu, format %d, buf_size %zu",
					       sizes[i], f, need - 1);
				if ((r == RESTORE_EL1 || r == RESTORE_EL0) && f && need > BUF_SIZE)
					continue;	/* its bytes would be checked: not allocated */
				ret = run(r, g, ADDR, sizes[i], buf, need, f);
				cr_expect_eq(ret, 0, "%s, size %zu, format %d, exact buffer: %d",
					     names[r], sizes[i], f, ret);
				cr_expect_eq(tags_ncalls, 1);
				tags_ncalls = 0;
			}
	}
}

Test(tags_range, enospc_is_reported_before_the_buffer_is_read)
{
	/* Exactly 8 bytes allocated: ASan catches any read of the missing ones. */
	uint8_t *few = malloc(8);

	cr_assert(few);
	memset(few, 0x10, 8);
	expect_refused(RESTORE_EL1, kvmmte_tags_restore_range_el1(&geo1, ADDR, 4096, few, 8,
								 KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "8-byte buffer");
	expect_refused(RESTORE_EL0, kvmmte_tags_restore_range_el0(&geo0, ADDR, 4096, few, 8,
								 KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "8-byte buffer");
	free(few);
}

/* A byte > 15 anywhere in the range's part of a 2 MiB buffer: -KVMMTE_ERANGE, no loop. */
Test(tags_range, restore_bytes_with_a_tag_above_15_is_erange_over_2m)
{
	const size_t n = M2 / 16;
	const size_t where[] = { 0, 7, 8, 255, 256, n / 2, n - 9, n - 1 };
	size_t w;

	memset(buf, 15, n);
	EXPECT_RET(kvmmte_tags_restore_range_el1(&geo1, ADDR, M2, buf, n, KVMMTE_TAGS_BYTES), 0);
	expect_tags_loop("2 MiB of tag 15", "restore_bytes_gm256", ADDR, M2, buf, 256);
	for (w = 0; w < ARRAY_SIZE(where); w++) {
		buf[where[w]] = 16;
		expect_refused(RESTORE_EL1, kvmmte_tags_restore_range_el1(&geo1, ADDR, M2, buf, n,
									 KVMMTE_TAGS_BYTES),
			       -KVMMTE_ERANGE, "tag 16 at byte %zu", where[w]);
		buf[where[w]] = 0xf0;
		expect_refused(RESTORE_EL0, kvmmte_tags_restore_range_el0(&geo0, ADDR, M2, buf, n,
									 KVMMTE_TAGS_BYTES),
			       -KVMMTE_ERANGE, "tag 0xf0 at byte %zu", where[w]);
		buf[where[w]] = 15;
	}
	/* The byte after the range's part is not the range's. */
	buf[n] = 0xff;
	EXPECT_RET(kvmmte_tags_restore_range_el0(&geo0, ADDR, M2, buf, n + 1, KVMMTE_TAGS_BYTES), 0);
	expect_tags_loop("byte past the range", "restore_bytes_stg", ADDR, M2, buf, 0);
	/* Packed input has no invalid value. */
	memset(buf, 0xff, n);
	EXPECT_RET(kvmmte_tags_restore_range_el1(&geo1, ADDR, M2, buf, n / 2, KVMMTE_TAGS_PACKED), 0);
	expect_tags_loop("packed 0xff", "restore_packed_gm256", ADDR, M2, buf, 256);
}

/* ---- what runs -------------------------------------------------------------- */

Test(tags_range, range_routines_read_no_register)
{
	enum routine r;
	unsigned int arg;

	fake_log_clear();
	tags_seam_reset();
	for (r = 0; r < NR_ROUTINES; r++)
		for (arg = 0; arg < 2; arg++) {
			cr_assert_eq(run(r, is_el1(r) ? &geo1 : &geo0, ADDR, M2, buf, BUF_SIZE, arg), 0);
			tags_ncalls = 0;
		}
	cr_expect_eq(fake_log_len, 0, "%zu register accesses from the range routines", fake_log_len);
	cr_expect_eq(tags_dczid_reads, 0, "%u DCZID_EL0 reads from the range routines",
		     tags_dczid_reads);
}

/* The fake CPU's geometry (GMID_EL1.BS 6, DCZID_EL0 64 bytes, DZP 0): the unrolled loops. */
Test(tags_range, each_routine_runs_its_loop_with_the_range_and_buffer)
{
	static const struct { enum routine r; unsigned int arg; bool tagged; const char *op;
			      size_t block; } c[] = {
		{ CLEAR_EL1, 0, false, "stgm_256", 256 },
		{ CLEAR_EL1, 0, true, "stgm_256", 256 },
		{ CLEAR_EL1, 1, false, "dc_gzva_64", 64 },
		{ CLEAR_EL1, 1, true, "stzgm_64", 64 },
		{ CLEAR_EL0, 0, false, "dc_gva_64", 64 },
		{ CLEAR_EL0, 0, true, "st2g", 0 },
		{ CLEAR_EL0, 1, false, "dc_gzva_64", 64 },
		{ CLEAR_EL0, 1, true, "stz2g", 0 },
		{ SAVE_EL1, 0, false, "save_packed_gm256", 256 },
		{ SAVE_EL1, 1, true, "save_bytes_gm256", 256 },
		{ RESTORE_EL1, 0, true, "restore_packed_gm256", 256 },
		{ RESTORE_EL1, 1, false, "restore_bytes_gm256", 256 },
		{ SAVE_EL0, 0, true, "save_packed_ldg", 0 },
		{ SAVE_EL0, 1, false, "save_bytes_ldg", 0 },
		{ RESTORE_EL0, 0, false, "restore_packed_stg", 0 },
		{ RESTORE_EL0, 1, true, "restore_bytes_stg", 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		void *a = c[i].tagged ? ADDR_TAGGED : ADDR;
		char what[64];

		snprintf(what, sizeof(what), "%s, arg %u, %s", names[c[i].r], c[i].arg,
			 c[i].tagged ? "tagged" : "untagged");
		cr_assert_eq(run(c[i].r, is_el1(c[i].r) ? &geo1 : &geo0, a, M2 - 8192, buf,
				 BUF_SIZE, c[i].arg), 0, "%s", what);
		expect_tags_loop(what, c[i].op, a, M2 - 8192, is_clear(c[i].r) ? NULL : buf, c[i].block);
	}
}

/* Other block sizes take the loops for any block, with it as the argument. */
Test(tags_range, other_block_sizes_take_the_general_loops)
{
	struct kvmmte_tags_geometry g;

	fake_phys[PHYS_GMID_EL1] = 4;	/* 64-byte LDGM/STGM */
	tags_fake_dczid = 5;		/* 128-byte DC ZVA block */
	cr_assert_eq(kvmmte_tags_geometry_el1(&g), 0);
	EXPECT_RET(kvmmte_tags_save_range_el1(&g, ADDR, M2, buf, BUF_SIZE, KVMMTE_TAGS_BYTES), 0);
	expect_tags_loop("save, BS 4", "save_bytes_gm", ADDR, M2, buf, 64);
	EXPECT_RET(kvmmte_tags_restore_range_el1(&g, ADDR, 4096, buf, 128, KVMMTE_TAGS_PACKED), 0);
	expect_tags_loop("restore, BS 4", "restore_packed_gm", ADDR, 4096, buf, 64);
	EXPECT_RET(kvmmte_tags_clear_range_el1(&g, ADDR, M2, 0), 0);
	expect_tags_loop("clear, 128-byte DC GVA beats 64-byte STGM", "dc_gva", ADDR, M2, NULL, 128);
	EXPECT_RET(kvmmte_tags_clear_range_el1(&g, ADDR_TAGGED, M2, 0), 0);
	expect_tags_loop("clear, tagged", "stgm", ADDR_TAGGED, M2, NULL, 64);
	EXPECT_RET(kvmmte_tags_clear_range_el1(&g, ADDR_TAGGED, M2, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_tags_loop("clear + data, tagged", "stzgm", ADDR_TAGGED, M2, NULL, 128);
	EXPECT_RET(kvmmte_tags_clear_range_el0(&g, ADDR, M2, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_tags_loop("clear + data, _el0", "dc_gzva", ADDR, M2, NULL, 128);
}
