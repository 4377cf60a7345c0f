// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Page routines of lib/tags.c against the fake CPU: every input check
 * fails before any loop runs (host builds route the loops of asm/tags.S
 * to kvmmte_fake_tags_insn(), recorded here for every tags test file),
 * the right loop is chosen with the right arguments, and the _el1
 * routines consult ID_AA64PFR1_EL1 / GMID_EL1 while the _el0 ones read no
 * register of the fake file (clear reads DCZID_EL0, from the seam).
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

struct tags_insn_call tags_calls[TAGS_MAX_CALLS];
unsigned int tags_ncalls;
uint64_t tags_fake_dczid = 4;
unsigned int tags_dczid_reads;

void tags_seam_reset(void)
{
	tags_ncalls = 0;
	tags_fake_dczid = 4;	/* DCZID_EL0.BS 4: 64-byte blocks, DZP clear */
	tags_dczid_reads = 0;
}

/* Overrides the weak defaults in lib/tags.c. */
void kvmmte_fake_tags_insn(const char *op, uintptr_t start, size_t size, uintptr_t buf,
			   size_t block);
void kvmmte_fake_tags_insn(const char *op, uintptr_t start, size_t size, uintptr_t buf,
			   size_t block)
{
	struct tags_insn_call *c = &tags_calls[tags_ncalls];

	cr_assert(tags_ncalls < TAGS_MAX_CALLS, "too many instruction calls");
	memset(c, 0, sizeof(*c));
	strncpy(c->op, op, sizeof(c->op) - 1);
	c->start = start;
	c->size = size;
	c->buf = buf;
	c->block = block;
	tags_ncalls++;
}

void expect_tags_loop(const char *what, const char *op, const void *start, size_t size,
		      const void *buf, size_t block)
{
	cr_assert_eq(tags_ncalls, 1, "%s: %u loop calls, expected 1", what, tags_ncalls);
	cr_expect_str_eq(tags_calls[0].op, op, "%s: loop %s, expected %s", what,
			 tags_calls[0].op, op);
	cr_expect_eq(tags_calls[0].start, (uintptr_t)start, "%s: start %#lx, expected %#lx", what,
		     (unsigned long)tags_calls[0].start, (unsigned long)(uintptr_t)start);
	cr_expect_eq(tags_calls[0].size, size, "%s: size %zu, expected %zu", what,
		     tags_calls[0].size, size);
	cr_expect_eq(tags_calls[0].buf, (uintptr_t)buf, "%s: buffer %#lx, expected %#lx", what,
		     (unsigned long)tags_calls[0].buf, (unsigned long)(uintptr_t)buf);
	cr_expect_eq(tags_calls[0].block, block, "%s: block %zu, expected %zu", what,
		     tags_calls[0].block, block);
	tags_ncalls = 0;
}

void expect_no_tags_loop(int ret, int want, const char *what)
{
	cr_expect_eq(ret, want, "%s: returned %d, expected %d", what, ret, want);
	cr_expect_eq(tags_ncalls, 0, "%s: %u loops ran despite the error, expected 0", what,
		     tags_ncalls);
	tags_ncalls = 0;
}

uint64_t kvmmte_fake_tags_dczid(void);
uint64_t kvmmte_fake_tags_dczid(void)
{
	tags_dczid_reads++;
	return tags_fake_dczid;
}


/* Pages are never dereferenced on the host: any suitably aligned address. */
#define PAGE		((void *)(uintptr_t)0x40000000)
#define PAGE_TAGGED	((void *)(uintptr_t)0x0b00000040010000)

static uint8_t *bytes_buf;	/* 64 KiB page, one tag per byte, 8-aligned */

static void setup(void)
{
	fake_cpu(2, 3, false);	/* MTE3, GMID_EL1.BS = 4: 64-byte LDGM block */
	tags_seam_reset();
	bytes_buf = aligned_alloc(16, KVMMTE_TAGS_BYTES_SIZE(KVMMTE_TAGS_PAGE_64K));
	cr_assert(bytes_buf);
	memset(bytes_buf, 0, KVMMTE_TAGS_BYTES_SIZE(KVMMTE_TAGS_PAGE_64K));
}

static void teardown(void)
{
	free(bytes_buf);
}

TestSuite(tags_page, .init = setup, .fini = teardown);

/* ---- the six routines, by number ----------------------------------------- */

enum routine { CLEAR_EL1, SAVE_EL1, RESTORE_EL1, CLEAR_EL0, SAVE_EL0, RESTORE_EL0, NR_ROUTINES };

static const char *const routine_names[NR_ROUTINES] = {
	"clear_el1", "save_el1", "restore_el1", "clear_el0", "save_el0", "restore_el0",
};

/* The routines that take a buffer, and the _el1 ones (which ask the CPU). */
static const enum routine save_restore[] = { SAVE_EL1, RESTORE_EL1, SAVE_EL0, RESTORE_EL0 };
static const enum routine el1_routines[] = { CLEAR_EL1, SAVE_EL1, RESTORE_EL1 };

/* Routine @r on @page; the clear routines take @flags, the others the buffer and @fmt. */
static int run_routine(enum routine r, void *page, size_t page_size, void *buf,
		       size_t buf_size, enum kvmmte_tags_format fmt, unsigned int flags)
{
	switch (r) {
	case CLEAR_EL1: return kvmmte_tags_clear_el1(page, page_size, flags);
	case SAVE_EL1: return kvmmte_tags_save_el1(page, page_size, buf, buf_size, fmt);
	case RESTORE_EL1: return kvmmte_tags_restore_el1(page, page_size, buf, buf_size, fmt);
	case CLEAR_EL0: return kvmmte_tags_clear_el0(page, page_size, flags);
	case SAVE_EL0: return kvmmte_tags_save_el0(page, page_size, buf, buf_size, fmt);
	default: return kvmmte_tags_restore_el0(page, page_size, buf, buf_size, fmt);
	}
}

/* The same without clear flags: what every boundary test calls. */
static int call_routine(enum routine r, void *page, size_t page_size, void *buf,
			size_t buf_size, enum kvmmte_tags_format fmt)
{
	return run_routine(r, page, page_size, buf, buf_size, fmt, 0);
}

/* Whether loop @op (what follows kvmmte_tags_loop_) is one routine @r may run. */
static bool loop_of(enum routine r, const char *op)
{
	size_t n = strlen(op);
	bool el1_loop = (n > 3 && !strcmp(op + n - 3, "_gm")) ||
			(n > 6 && !strcmp(op + n - 6, "_gm256"));
	bool clear_any_el = !strncmp(op, "dc_g", 4) || !strcmp(op, "st2g") || !strcmp(op, "stz2g");

	switch (r) {
	case CLEAR_EL1:
		return clear_any_el || !strncmp(op, "stgm", 4) || !strncmp(op, "stzgm", 5);
	case CLEAR_EL0:
		return clear_any_el;
	case SAVE_EL1:
		return !strncmp(op, "save_", 5) && el1_loop;
	case SAVE_EL0:
		return !strncmp(op, "save_", 5) && n > 4 && !strcmp(op + n - 4, "_ldg");
	case RESTORE_EL1:
		return !strncmp(op, "restore_", 8) && el1_loop;
	default:
		return !strncmp(op, "restore_", 8) && n > 4 && !strcmp(op + n - 4, "_stg");
	}
}

/*
 * Routine @r returned @ret in the case the printf-style @fmt describes: it
 * must be @want, and the routine must have made exactly one instruction
 * call on success (to a loop of its own: loop_of()) and none on an error.
 * Consumes the calls.
 */
static void expect_outcome(enum routine r, int ret, int want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void expect_outcome(enum routine r, int ret, int want, const char *fmt, ...)
{
	const char *name = routine_names[r];
	unsigned int want_calls = want ? 0 : 1;
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cr_expect_eq(ret, want, "%s, %s: returned %d, expected %d", name, what, ret, want);
	cr_expect_eq(tags_ncalls, want_calls, "%s, %s: %u instruction calls, expected %u", name, what,
		     tags_ncalls, want_calls);
	if (want_calls && tags_ncalls)
		cr_expect(loop_of(r, tags_calls[0].op), "%s, %s: loop %s is not one of %s's", name, what,
			  tags_calls[0].op, name);
	tags_ncalls = 0;
}

/* ---- dispatch ----------------------------------------------------------- */

/*
 * The fake CPU: GMID_EL1.BS 4 (64-byte LDGM/STGM), DCZID_EL0.BS 4 (64-byte
 * DC ZVA block), DZP clear.  Clear, tags only, at EL1+: DC GVA only if its
 * block is larger than STGM's (it is not), so STGM; with data, DC GZVA;
 * any EL: DC GVA / DC GZVA.
 */
Test(tags_page, clear_calls_the_loop_of_its_el_and_data_flag)
{
	ASSERT_RET(kvmmte_tags_clear_el1(PAGE, KVMMTE_TAGS_PAGE_4K, 0), 0);
	expect_tags_loop("page routine", "stgm", PAGE, 4096, NULL, 64);
	ASSERT_RET(kvmmte_tags_clear_el1(PAGE, KVMMTE_TAGS_PAGE_64K, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_tags_loop("page routine", "dc_gzva_64", PAGE, 65536, NULL, 64);
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE, KVMMTE_TAGS_PAGE_16K, 0), 0);
	expect_tags_loop("page routine", "dc_gva_64", PAGE, 16384, NULL, 64);
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE, KVMMTE_TAGS_PAGE_16K, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_tags_loop("page routine", "dc_gzva_64", PAGE, 16384, NULL, 64);
}

/*
 * The instruction choice of the page routines, read from DCZID_EL0 and
 * GMID_EL1 on every call: DC G*VA only for an untagged pointer, DZP clear
 * and a block of at least 64 bytes; tags only at EL1+ only if larger than
 * STGM's; STGM from a 64-byte block up (256: the unrolled loop), else
 * ST2G; STZGM with data from a 64-byte DC ZVA block up, else STZ2G.
 */
Test(tags_page, clear_instruction_follows_dczid_gmid_and_the_pointer_tag)
{
	static const struct {
		uint64_t dczid;
		unsigned int gmid_bs;
		bool tagged, el1, data;
		const char *op;
		size_t block;
	} c[] = {
		{ 4, 4, true, true, false, "stgm", 64 },	/* tagged: no DC */
		{ 4, 4, true, true, true, "stzgm_64", 64 },
		{ 4, 4, true, false, false, "st2g", 0 },
		{ 4, 4, true, false, true, "stz2g", 0 },
		{ 0x14, 4, false, true, true, "stzgm_64", 64 },	/* DZP */
		{ 0x14, 4, false, false, false, "st2g", 0 },
		{ 4, 6, false, true, false, "stgm_256", 256 },	/* STGM's block is larger */
		{ 7, 6, false, true, false, "dc_gva", 512 },	/* DC GVA's is */
		{ 7, 6, true, true, false, "stgm_256", 256 },
		{ 7, 6, false, true, true, "dc_gzva", 512 },
		{ 7, 6, true, true, true, "stzgm", 512 },
		{ 7, 6, false, false, false, "dc_gva", 512 },
		{ 9, 6, false, false, true, "dc_gzva", 2048 },
		{ 3, 3, false, true, false, "st2g", 0 },	/* 32-byte blocks: pairs */
		{ 3, 3, false, true, true, "stz2g", 0 },
		{ 3, 3, false, false, false, "st2g", 0 },
		{ 1, 2, false, true, true, "stz2g", 0 },	/* DCZID_EL0.BS < 2 */
		{ 10, 5, false, true, false, "stgm", 128 },	/* BS > 9: reserved */
		{ 10, 5, false, true, true, "stz2g", 0 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		void *page = c[i].tagged ? PAGE_TAGGED : PAGE;
		unsigned int flags = c[i].data ? KVMMTE_TAGS_CLEAR_DATA : 0;
		int ret;

		tags_fake_dczid = c[i].dczid;
		fake_phys[PHYS_GMID_EL1] = c[i].gmid_bs;
		ret = c[i].el1 ? kvmmte_tags_clear_el1(page, 65536, flags) :
				 kvmmte_tags_clear_el0(page, 65536, flags);
		cr_assert_eq(ret, 0, "case %zu: returned %d", i, ret);
		cr_expect_str_eq(tags_calls[0].op, c[i].op, "case %zu (DCZID_EL0 %#llx, GMID_EL1.BS %u, "
				 "%s pointer, %s, %s): loop %s, expected %s", i,
				 (unsigned long long)c[i].dczid, c[i].gmid_bs,
				 c[i].tagged ? "tagged" : "untagged", c[i].el1 ? "_el1" : "_el0",
				 c[i].data ? "data" : "tags", tags_calls[0].op, c[i].op);
		cr_expect_eq(tags_calls[0].block, c[i].block, "case %zu: block %zu, expected %zu", i,
			     tags_calls[0].block, c[i].block);
		tags_ncalls = 0;
	}
}

Test(tags_page, save_and_restore_call_the_loop_of_their_format_and_el)
{
	static const struct { enum routine r; enum kvmmte_tags_format fmt; const char *op; } c[] = {
		{ SAVE_EL1, KVMMTE_TAGS_PACKED, "save_packed_gm" },
		{ SAVE_EL1, KVMMTE_TAGS_BYTES, "save_bytes_gm" },
		{ SAVE_EL0, KVMMTE_TAGS_PACKED, "save_packed_ldg" },
		{ SAVE_EL0, KVMMTE_TAGS_BYTES, "save_bytes_ldg" },
		{ RESTORE_EL1, KVMMTE_TAGS_PACKED, "restore_packed_gm" },
		{ RESTORE_EL1, KVMMTE_TAGS_BYTES, "restore_bytes_gm" },
		{ RESTORE_EL0, KVMMTE_TAGS_PACKED, "restore_packed_stg" },
		{ RESTORE_EL0, KVMMTE_TAGS_BYTES, "restore_bytes_stg" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		size_t need = c[i].fmt == KVMMTE_TAGS_PACKED ? 128 : 256;
		int ret = call_routine(c[i].r, PAGE, 4096, bytes_buf, need, c[i].fmt);

		cr_assert_eq(ret, 0, "%s returned %d, expected 0", c[i].op, ret);
		expect_tags_loop("page routine", c[i].op, PAGE, 4096, bytes_buf, c[i].r == SAVE_EL1 ||
			    c[i].r == RESTORE_EL1 ? 64 : 0);
	}
}

/* GMID_EL1.BS 6 (256-byte block) takes the unrolled loops, any other the general ones. */
Test(tags_page, el1_block_follows_gmid_bs_read_at_run_time)
{
	static const unsigned int bs[] = { 2, 3, 4, 5, 6 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bs); i++) {
		fake_phys[PHYS_GMID_EL1] = bs[i] | 0xfffffff0;	/* RES0 noise above BS */
		ASSERT_RET(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
		expect_tags_loop("page routine", bs[i] == 6 ? "save_packed_gm256" : "save_packed_gm", PAGE, 4096,
			    bytes_buf, (size_t)4 << bs[i]);
	}
}

Test(tags_page, all_three_page_sizes_and_exact_buffer_sizes_are_accepted)
{
	static const size_t sizes[] = { 4096, 16384, 65536 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		EXPECT_RET(kvmmte_tags_save_el0(PAGE, sizes[i], bytes_buf, sizes[i] / 32,
						KVMMTE_TAGS_PACKED), 0);
		expect_tags_loop("page routine", "save_packed_ldg", PAGE, sizes[i], bytes_buf, 0);
		EXPECT_RET(kvmmte_tags_restore_el1(PAGE, sizes[i], bytes_buf, sizes[i] / 16,
						   KVMMTE_TAGS_BYTES), 0);
		expect_tags_loop("page routine", "restore_bytes_gm", PAGE, sizes[i], bytes_buf, 64);
	}
}

Test(tags_page, address_tag_is_allowed_and_passed_on_unchanged)
{
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE_TAGGED, 4096, 0), 0);
	expect_tags_loop("page routine", "st2g", PAGE_TAGGED, 4096, NULL, 0);
	ASSERT_RET(kvmmte_tags_save_el1(PAGE_TAGGED, 65536, bytes_buf, 2048,
					KVMMTE_TAGS_PACKED), 0);
	expect_tags_loop("page routine", "save_packed_gm", PAGE_TAGGED, 65536, bytes_buf, 64);
}

Test(tags_page, el0_routines_read_no_system_register)
{
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE, 4096, 0), 0);
	ASSERT_RET(kvmmte_tags_save_el0(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES), 0);
	ASSERT_RET(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES), 0);
	cr_expect_eq(fake_log_len, 0, "%zu register accesses from an _el0 routine, expected 0",
		     fake_log_len);
}

/* ---- errors: nothing runs ------------------------------------------------ */

/*
 * Calls each routine must refuse, whatever the CPU, by the test that
 * makes them: one table, one loop (expect_refused()).  Pages are
 * addresses (never dereferenced); the buffer is an offset into bytes_buf
 * or NO_BUF for NULL.  The clear routines take no buffer: 0, 0.
 */
enum refusal {
	BAD_PAGE_SIZE,		/* page_size 0: the test gives each bad size in turn */
	PAGE_NOT_ALIGNED,
	BUFFER_SHORT,
	BUFFER_MISALIGNED,
	NULL_POINTER,
	BAD_FORMAT_OR_FLAG,
	ARGUMENTS_BEFORE_CPU,
};

#define NO_BUF	(-1L)
/* Aligned to 4 KiB but not 16 or 64 KiB; off by a granule; a tag does not hide it. */
#define P4K	((void *)(uintptr_t)0x40001000)
#define PGR	((void *)(uintptr_t)0x40000010)
#define PTAG	((void *)(uintptr_t)0x0300000040001000)
#define FMT(v)	((enum kvmmte_tags_format)(v))

static const struct refused_call {
	enum refusal why;
	enum routine r;
	void *page;
	size_t page_size;
	long buf;
	size_t buf_size;
	enum kvmmte_tags_format fmt;
	unsigned int flags;
	int want;
} refused[] = {
	{ BAD_PAGE_SIZE, CLEAR_EL1, PAGE, 0, 0, 0, 0, 0, -KVMMTE_EINVAL },
	{ BAD_PAGE_SIZE, CLEAR_EL0, PAGE, 0, 0, 0, 0, 0, -KVMMTE_EINVAL },
	{ BAD_PAGE_SIZE, SAVE_EL1, PAGE, 0, 0, 65536, KVMMTE_TAGS_BYTES, 0, -KVMMTE_EINVAL },
	{ BAD_PAGE_SIZE, SAVE_EL0, PAGE, 0, 0, 65536, KVMMTE_TAGS_BYTES, 0, -KVMMTE_EINVAL },
	{ BAD_PAGE_SIZE, RESTORE_EL1, PAGE, 0, 0, 4096, KVMMTE_TAGS_BYTES, 0, -KVMMTE_EINVAL },
	{ BAD_PAGE_SIZE, RESTORE_EL0, PAGE, 0, 0, 4096, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EINVAL },

	{ PAGE_NOT_ALIGNED, CLEAR_EL1, P4K, 16384, 0, 0, 0, 0, -KVMMTE_EINVAL },
	{ PAGE_NOT_ALIGNED, CLEAR_EL0, P4K, 65536, 0, 0, 0, 0, -KVMMTE_EINVAL },
	{ PAGE_NOT_ALIGNED, CLEAR_EL0, PGR, 4096, 0, 0, 0, 0, -KVMMTE_EINVAL },
	{ PAGE_NOT_ALIGNED, SAVE_EL1, PGR, 4096, 0, 128, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EINVAL },
	{ PAGE_NOT_ALIGNED, SAVE_EL0, PTAG, 16384, 0, 512, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EINVAL },
	{ PAGE_NOT_ALIGNED, RESTORE_EL1, P4K, 65536, 0, 2048, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EINVAL },
	{ PAGE_NOT_ALIGNED, RESTORE_EL0, PGR, 4096, 0, 256, KVMMTE_TAGS_BYTES, 0, -KVMMTE_EINVAL },

	{ BUFFER_SHORT, SAVE_EL1, PAGE, 4096, 0, 127, KVMMTE_TAGS_PACKED, 0, -KVMMTE_ENOSPC },
	{ BUFFER_SHORT, SAVE_EL0, PAGE, 4096, 0, 255, KVMMTE_TAGS_BYTES, 0, -KVMMTE_ENOSPC },
	{ BUFFER_SHORT, SAVE_EL0, PAGE, 65536, 0, 4095, KVMMTE_TAGS_BYTES, 0, -KVMMTE_ENOSPC },
	{ BUFFER_SHORT, RESTORE_EL1, PAGE, 16384, 0, 1023, KVMMTE_TAGS_BYTES, 0, -KVMMTE_ENOSPC },
	{ BUFFER_SHORT, RESTORE_EL0, PAGE, 16384, 0, 511, KVMMTE_TAGS_PACKED, 0, -KVMMTE_ENOSPC },
	/* the packed size is not enough for bytes */
	{ BUFFER_SHORT, SAVE_EL0, PAGE, 4096, 0, 128, KVMMTE_TAGS_BYTES, 0, -KVMMTE_ENOSPC },

	{ BUFFER_MISALIGNED, SAVE_EL1, PAGE, 4096, 4, 512, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EINVAL },
	{ BUFFER_MISALIGNED, SAVE_EL0, PAGE, 4096, 1, 512, KVMMTE_TAGS_BYTES, 0, -KVMMTE_EINVAL },
	{ BUFFER_MISALIGNED, RESTORE_EL1, PAGE, 4096, 4, 512, KVMMTE_TAGS_BYTES, 0, -KVMMTE_EINVAL },
	{ BUFFER_MISALIGNED, RESTORE_EL0, PAGE, 4096, 2, 512, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EINVAL },

	{ NULL_POINTER, CLEAR_EL1, NULL, 4096, 0, 0, 0, 0, -KVMMTE_EFAULT },
	{ NULL_POINTER, CLEAR_EL0, NULL, 4096, 0, 0, 0, 0, -KVMMTE_EFAULT },
	{ NULL_POINTER, SAVE_EL1, NULL, 4096, 0, 128, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EFAULT },
	{ NULL_POINTER, SAVE_EL0, PAGE, 4096, NO_BUF, 128, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EFAULT },
	{ NULL_POINTER, RESTORE_EL1, PAGE, 4096, NO_BUF, 128, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EFAULT },
	{ NULL_POINTER, RESTORE_EL0, NULL, 4096, 0, 128, KVMMTE_TAGS_PACKED, 0, -KVMMTE_EFAULT },

	{ BAD_FORMAT_OR_FLAG, CLEAR_EL1, PAGE, 4096, 0, 0, 0, 1U << 1, -KVMMTE_EINVAL },
	{ BAD_FORMAT_OR_FLAG, CLEAR_EL0, PAGE, 4096, 0, 0, 0, 1U << 31, -KVMMTE_EINVAL },
	{ BAD_FORMAT_OR_FLAG, SAVE_EL1, PAGE, 4096, 0, 256, FMT(2), 0, -KVMMTE_EINVAL },
	{ BAD_FORMAT_OR_FLAG, SAVE_EL0, PAGE, 4096, 0, 256, FMT(-1), 0, -KVMMTE_EINVAL },
	{ BAD_FORMAT_OR_FLAG, RESTORE_EL1, PAGE, 4096, 0, 256, FMT(7), 0, -KVMMTE_EINVAL },
	{ BAD_FORMAT_OR_FLAG, RESTORE_EL0, PAGE, 4096, 0, 256, FMT(2), 0, -KVMMTE_EINVAL },

	/* on a CPU without MTE, which the _el1 routines would refuse too */
	{ ARGUMENTS_BEFORE_CPU, CLEAR_EL1, PAGE, 8192, 0, 0, 0, 0, -KVMMTE_EINVAL },
	{ ARGUMENTS_BEFORE_CPU, SAVE_EL1, PAGE, 4096, 0, 1, KVMMTE_TAGS_PACKED, 0, -KVMMTE_ENOSPC },
};

/* Every row of refused[] for @why; with @page_size (not NULL) instead of the rows' size. */
static void expect_refused(enum refusal why, const size_t *page_size)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		const struct refused_call *c = &refused[i];
		size_t size = page_size ? *page_size : c->page_size;
		void *buf = c->buf == NO_BUF ? NULL : bytes_buf + c->buf;
		int ret;

		if (c->why != why)
			continue;
		n++;
		ret = run_routine(c->r, c->page, size, buf, c->buf_size, c->fmt, c->flags);
		expect_outcome(c->r, ret, c->want, "refused[%zu]: page %p, size %zu, buffer %s+%ld, "
			       "buf_size %zu, format %d, flags %#x", i, c->page, size,
			       buf ? "bytes_buf" : "NULL", buf ? c->buf : 0L, c->buf_size,
			       (int)c->fmt, c->flags);
	}
	cr_assert_neq(n, 0, "no refused[] row for reason %d", (int)why);
}

Test(tags_page, unsupported_page_size_is_einval)
{
	static const size_t bad[] = { 0, 16, 2048, 4095, 4097, 8192, 32768, 131072,
				      (size_t)1 << 21 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		expect_refused(BAD_PAGE_SIZE, &bad[i]);
}

Test(tags_page, page_not_aligned_to_its_size_is_einval)
{
	expect_refused(PAGE_NOT_ALIGNED, NULL);
}

Test(tags_page, buffer_one_byte_short_is_enospc)
{
	expect_refused(BUFFER_SHORT, NULL);
}

Test(tags_page, restore_bytes_with_a_tag_above_15_is_erange)
{
	static const size_t where[] = { 0, 7, 8, 255 };
	size_t w;

	for (w = 0; w < ARRAY_SIZE(where); w++) {
		memset(bytes_buf, 0x0f, 256);
		bytes_buf[where[w]] = 0x10;
		expect_no_tags_loop(kvmmte_tags_restore_el1(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES),
			       -KVMMTE_ERANGE, "restore_el1");
		expect_no_tags_loop(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES),
			       -KVMMTE_ERANGE, "restore_el0");
	}
	/* Bytes past the page's 256 are not the page's: not checked. */
	memset(bytes_buf, 0, 257);
	bytes_buf[256] = 0xff;
	EXPECT_RET(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 257, KVMMTE_TAGS_BYTES), 0);
	expect_tags_loop("page routine", "restore_bytes_stg", PAGE, 4096, bytes_buf, 0);
	/* Packed input has no invalid value. */
	memset(bytes_buf, 0xff, 128);
	EXPECT_RET(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
	expect_tags_loop("page routine", "restore_packed_stg", PAGE, 4096, bytes_buf, 0);
}

Test(tags_page, enospc_is_reported_before_the_buffer_is_read)
{
	/* Exactly one byte allocated: ASan catches any read of the missing 255. */
	uint8_t *one = malloc(8);

	cr_assert(one);
	one[0] = 0x10;
	expect_no_tags_loop(kvmmte_tags_restore_el0(PAGE, 4096, one, 1, KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "restore_el0 short bytes");
	free(one);
}

Test(tags_page, misaligned_buffer_is_einval)
{
	expect_refused(BUFFER_MISALIGNED, NULL);
}

Test(tags_page, null_page_or_buffer_is_efault)
{
	expect_refused(NULL_POINTER, NULL);
}

Test(tags_page, unknown_format_or_flag_is_einval)
{
	expect_refused(BAD_FORMAT_OR_FLAG, NULL);
}

Test(tags_page, el1_without_mte2_is_enodev_without_touching_gmid)
{
	unsigned int level;

	for (level = 0; level < 2; level++) {
		fake_cpu(2, level, false);
		expect_no_tags_loop(kvmmte_tags_clear_el1(PAGE, 4096, 0), -KVMMTE_ENODEV, "clear_el1");
		expect_no_tags_loop(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
			       -KVMMTE_ENODEV, "save_el1");
		expect_no_tags_loop(kvmmte_tags_restore_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
			       -KVMMTE_ENODEV, "restore_el1");
		cr_expect_eq(fake_undef_count, 0, "MTE level %u: %u UNDEFINED accesses (GMID_EL1?), "
			     "expected 0", level, fake_undef_count);
	}
	/* The _el0 routines do not ask the CPU: the caller knows (HWCAP2_MTE). */
	EXPECT_RET(kvmmte_tags_clear_el0(PAGE, 4096, 0), 0);
}

Test(tags_page, gmid_bs_outside_2_to_6_is_enodev)
{
	static const unsigned int bad[] = { 0, 1, 7, 15 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fake_phys[PHYS_GMID_EL1] = bad[i];
		expect_no_tags_loop(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
			       -KVMMTE_ENODEV, "save_el1 bad BS");
		expect_no_tags_loop(kvmmte_tags_clear_el1(PAGE, 4096, 0), -KVMMTE_ENODEV, "clear_el1 bad BS");
	}
}

Test(tags_page, argument_errors_win_over_the_cpu_check)
{
	fake_cpu(2, 0, false);
	expect_refused(ARGUMENTS_BEFORE_CPU, NULL);
	cr_expect_eq(fake_log_len, 0, "%zu registers read before the arguments were checked, "
		     "expected 0", fake_log_len);
}

Test(tags_page, save_leaves_the_buffer_untouched_on_error)
{
	memset(bytes_buf, SENTINEL, 256);
	EXPECT_RET(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 255, KVMMTE_TAGS_BYTES), -KVMMTE_ENOSPC);
	EXPECT_RET(kvmmte_tags_save_el0((void *)(uintptr_t)0x40000100, 4096, bytes_buf, 256,
					KVMMTE_TAGS_BYTES), -KVMMTE_EINVAL);
	for (size_t i = 0; i < 256; i++)
		cr_assert_eq(bytes_buf[i], SENTINEL, "byte %zu written on error: %#04x, expected %#04x",
			     i, bytes_buf[i], SENTINEL);
}

/* ---- boundaries of every level, size and alignment check ----------------- */

/*
 * ID_AA64PFR1_EL1.MTE < MTE2 in el1_gmid_bs(): level 1 is the last
 * refused value and level 2 the first accepted one; values above MTE3 are
 * later extensions and imply MTE2.  No level reaches an UNDEFINED
 * register (GMID_EL1 below MTE2).
 */
Test(tags_page, el1_mte_level_boundary_1_is_enodev_2_is_accepted)
{
	static const struct { unsigned int level; int want; } c[] = {
		{ 1, -KVMMTE_ENODEV }, { 2, 0 }, { 3, 0 }, { 4, 0 }, { 15, 0 },
	};
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(el1_routines); k++) {
		enum routine r = el1_routines[k];

		for (i = 0; i < ARRAY_SIZE(c); i++) {
			int ret;

			fake_cpu(2, c[i].level, false);
			ret = call_routine(r, PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES);
			if (!c[i].want && tags_ncalls)
				cr_expect_eq(tags_calls[0].block, 64,
					     "%s at MTE level %u: block %zu, expected 64",
					     routine_names[r], c[i].level, tags_calls[0].block);
			expect_outcome(r, ret, c[i].want, "MTE level %u", c[i].level);
			cr_expect_eq(fake_undef_count, 0,
				     "%s at MTE level %u: %u UNDEFINED accesses (GMID_EL1?), expected 0",
				     routine_names[r], c[i].level, fake_undef_count);
		}
	}
}

/*
 * GMID_EL1.BS < 2 || BS > 6: 1 and 7 refused, 2 and 6 accepted, every _el1
 * routine (clear with a tagged pointer, so that it is STGM's block that
 * counts: BS 2, 16 bytes, is too small for STGM to pay, so ST2G).
 */
Test(tags_page, gmid_bs_boundary_1_and_7_refused_2_and_6_accepted)
{
	static const struct { unsigned int bs; int ret; } c[] = {
		{ 1, -KVMMTE_ENODEV }, { 2, 0 }, { 6, 0 }, { 7, -KVMMTE_ENODEV },
	};
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(el1_routines); k++) {
		enum routine r = el1_routines[k];

		for (i = 0; i < ARRAY_SIZE(c); i++) {
			int ret;

			fake_phys[PHYS_GMID_EL1] = c[i].bs;
			ret = call_routine(r, r == CLEAR_EL1 ? PAGE_TAGGED : PAGE, 4096, bytes_buf, 128,
					   KVMMTE_TAGS_PACKED);
			if (r == CLEAR_EL1 && !c[i].ret && tags_ncalls)
				cr_expect_str_eq(tags_calls[0].op, c[i].bs == 6 ? "stgm_256" : "st2g",
						 "clear_el1 with GMID_EL1.BS %u: loop %s", c[i].bs,
						 tags_calls[0].op);
			else if (!c[i].ret && tags_ncalls)
				cr_expect_eq(tags_calls[0].block, (size_t)4 << c[i].bs,
					     "%s with GMID_EL1.BS %u: block %zu, expected %zu",
					     routine_names[r], c[i].bs, tags_calls[0].block,
					     (size_t)4 << c[i].bs);
			expect_outcome(r, ret, c[i].ret, "GMID_EL1.BS %u", c[i].bs);
		}
	}
}

static const size_t page_sizes[] = { 4096, 16384, 65536 };

/*
 * buf_size < format size: exactly the size is accepted and one byte less
 * is -KVMMTE_ENOSPC, for every save/restore routine, format and page size.
 */
Test(tags_page, buffer_size_boundary_exact_accepted_one_less_enospc)
{
	size_t p, k;
	int f;

	for (p = 0; p < ARRAY_SIZE(page_sizes); p++) {
		for (f = 0; f < 2; f++) {
			enum kvmmte_tags_format fmt = f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED;
			size_t need = f ? page_sizes[p] / 16 : page_sizes[p] / 32;

			for (k = 0; k < ARRAY_SIZE(save_restore); k++) {
				enum routine r = save_restore[k];
				int ret;

				ret = call_routine(r, PAGE, page_sizes[p], bytes_buf, need, fmt);
				expect_outcome(r, ret, 0, "%zu-byte page, fmt %d, buf_size %zu (exact)",
					       page_sizes[p], f, need);
				ret = call_routine(r, PAGE, page_sizes[p], bytes_buf, need - 1, fmt);
				expect_outcome(r, ret, -KVMMTE_ENOSPC, "%zu-byte page, fmt %d, "
					       "buf_size %zu (one short)", page_sizes[p], f, need - 1);
			}
		}
	}
}

/* buf & (KVMMTE_TAGS_BUF_ALIGN - 1): offsets 1..7 refused, 8 (not 16) accepted. */
Test(tags_page, buffer_alignment_boundary_8_accepted_1_to_7_einval)
{
	size_t k, off;

	for (k = 0; k < ARRAY_SIZE(save_restore); k++) {
		enum routine r = save_restore[k];

		for (off = 1; off <= 8; off++) {
			int ret = call_routine(r, PAGE, 4096, bytes_buf + off, 256, KVMMTE_TAGS_BYTES);

			expect_outcome(r, ret, off == 8 ? 0 : -KVMMTE_EINVAL,
				       "buffer at 16-aligned + %zu", off);
		}
	}
}

/* page_size in { 4K, 16K, 64K }: each accepted, each +-1 refused, every routine. */
Test(tags_page, page_size_boundary_each_size_accepted_plus_minus_one_einval)
{
	enum routine r;
	size_t p;
	long d;

	for (r = 0; r < NR_ROUTINES; r++) {
		for (p = 0; p < ARRAY_SIZE(page_sizes); p++) {
			for (d = -1; d <= 1; d++) {
				size_t size = page_sizes[p] + (size_t)d;
				int ret = call_routine(r, PAGE, size, bytes_buf, 65536, KVMMTE_TAGS_PACKED);

				expect_outcome(r, ret, d ? -KVMMTE_EINVAL : 0, "page_size %zu", size);
			}
		}
	}
}

/*
 * page & (page_size - 1): a page aligned to exactly its size (not to twice
 * it) is accepted; half a page or one granule off is refused.
 */
Test(tags_page, page_alignment_boundary_exactly_aligned_accepted)
{
	const uintptr_t base = (uintptr_t)0x40000000;	/* aligned to 2 * 64 KiB */
	enum routine r;
	size_t p;

	for (r = 0; r < NR_ROUTINES; r++) {
		for (p = 0; p < ARRAY_SIZE(page_sizes); p++) {
			const struct { uintptr_t off; int want; } c[] = {
				{ page_sizes[p], 0 },	/* odd multiple of the size */
				{ page_sizes[p] / 2, -KVMMTE_EINVAL },
				{ page_sizes[p] - 16, -KVMMTE_EINVAL },
				{ 16, -KVMMTE_EINVAL },
			};
			size_t i;

			for (i = 0; i < ARRAY_SIZE(c); i++) {
				void *page = (void *)(base + c[i].off);
				int ret = call_routine(r, page, page_sizes[p], bytes_buf, 65536,
						       KVMMTE_TAGS_PACKED);

				expect_outcome(r, ret, c[i].want, "%zu-byte page at %#lx",
					       page_sizes[p], (unsigned long)(base + c[i].off));
			}
		}
	}
}

/*
 * Restore from KVMMTE_TAGS_BYTES: 15 is the largest valid tag (a page of
 * 15s is accepted), 16 the smallest invalid one, at every position class
 * of the 16-byte-step check (first, word boundary, last), every page size.
 */
Test(tags_page, restore_bytes_tag_boundary_15_accepted_16_erange)
{
	static const enum routine restores[] = { RESTORE_EL1, RESTORE_EL0 };
	size_t k, p, w;

	for (k = 0; k < ARRAY_SIZE(restores); k++) {
		enum routine r = restores[k];

		for (p = 0; p < ARRAY_SIZE(page_sizes); p++) {
			size_t n = page_sizes[p] / 16;
			const size_t where[] = { 0, 7, 8, 15, 16, n - 9, n - 8, n - 1 };
			int ret;

			memset(bytes_buf, 15, n);
			ret = call_routine(r, PAGE, page_sizes[p], bytes_buf, n, KVMMTE_TAGS_BYTES);
			expect_outcome(r, ret, 0, "%zu-byte page of tag 15", page_sizes[p]);
			for (w = 0; w < ARRAY_SIZE(where); w++) {
				bytes_buf[where[w]] = 16;
				ret = call_routine(r, PAGE, page_sizes[p], bytes_buf, n,
						   KVMMTE_TAGS_BYTES);
				expect_outcome(r, ret, -KVMMTE_ERANGE, "%zu-byte page, tag 16 at byte %zu",
					       page_sizes[p], where[w]);
				bytes_buf[where[w]] = 15;
			}
		}
	}
}
