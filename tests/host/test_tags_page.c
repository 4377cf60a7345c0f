// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Page routines of lib/tags.c against the fake CPU: every input check
 * fails before any instruction-level routine runs (host builds route
 * those to kvmmte_fake_tags_insn(), recorded here), the right routine is
 * chosen with the right arguments, and the _el1 routines consult
 * ID_AA64PFR1_EL1 / GMID_EL1 while the _el0 ones read no register.
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

struct insn_call {
	char op[32];
	uintptr_t page, buf;
	size_t size, gm_block;
	unsigned int zero_data;
};

static struct insn_call calls[8];
static unsigned int ncalls;

/* Overrides the weak default in lib/tags.c. */
void kvmmte_fake_tags_insn(const char *op, uintptr_t page, size_t size,
			   uintptr_t buf, unsigned int zero_data, size_t gm_block);
void kvmmte_fake_tags_insn(const char *op, uintptr_t page, size_t size,
			   uintptr_t buf, unsigned int zero_data, size_t gm_block)
{
	cr_assert(ncalls < sizeof(calls) / sizeof(calls[0]), "too many instruction calls");
	strncpy(calls[ncalls].op, op, sizeof(calls[ncalls].op) - 1);
	calls[ncalls].page = page;
	calls[ncalls].size = size;
	calls[ncalls].buf = buf;
	calls[ncalls].zero_data = zero_data;
	calls[ncalls].gm_block = gm_block;
	ncalls++;
}

/* Pages are never dereferenced on the host: any suitably aligned address. */
#define PAGE		((void *)(uintptr_t)0x40000000)
#define PAGE_TAGGED	((void *)(uintptr_t)0x0b00000040010000)

static uint8_t *bytes_buf;	/* 64 KiB page, one tag per byte, 8-aligned */

static void setup(void)
{
	fake_cpu(2, 3, false);	/* MTE3, GMID_EL1.BS = 4: 64-byte LDGM block */
	ncalls = 0;
	bytes_buf = aligned_alloc(16, KVMMTE_TAGS_BYTES_SIZE(KVMMTE_TAGS_PAGE_64K));
	cr_assert(bytes_buf);
	memset(bytes_buf, 0, KVMMTE_TAGS_BYTES_SIZE(KVMMTE_TAGS_PAGE_64K));
}

static void teardown(void)
{
	free(bytes_buf);
}

TestSuite(tags_page, .init = setup, .fini = teardown);

static void expect_call(const char *op, void *page, size_t size, const void *buf,
			unsigned int zero_data, size_t gm_block)
{
	cr_assert_eq(ncalls, 1, "%s: expected one instruction call, got %u", op, ncalls);
	cr_expect_str_eq(calls[0].op, op, "instruction routine %s, expected %s", calls[0].op, op);
	cr_expect_eq(calls[0].page, (uintptr_t)page, "%s: page %#lx, expected %#lx", op,
		     (unsigned long)calls[0].page, (unsigned long)(uintptr_t)page);
	cr_expect_eq(calls[0].size, size, "%s: size %zu, expected %zu", op, calls[0].size, size);
	cr_expect_eq(calls[0].buf, (uintptr_t)buf, "%s: wrong buffer", op);
	cr_expect_eq(calls[0].zero_data, zero_data, "%s: zero_data %u, expected %u", op,
		     calls[0].zero_data, zero_data);
	cr_expect_eq(calls[0].gm_block, gm_block, "%s: gm_block %zu, expected %zu", op,
		     calls[0].gm_block, gm_block);
	ncalls = 0;
}

static void expect_no_call(int ret, int want, const char *what)
{
	cr_expect_eq(ret, want, "%s: returned %d, expected %d", what, ret, want);
	cr_expect_eq(ncalls, 0, "%s: %u instruction calls despite the error, expected 0", what,
		     ncalls);
	ncalls = 0;
}

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

/*
 * Routine @r returned @ret in the case the printf-style @fmt describes: it
 * must be @want, and the routine must have made exactly one instruction
 * call on success (one whose name starts with @r's verb and ends with its
 * EL: save_el1 -> save_packed_el1 or save_bytes_el1) and none on an error.
 * Consumes the calls.
 */
static void expect_outcome(enum routine r, int ret, int want, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void expect_outcome(enum routine r, int ret, int want, const char *fmt, ...)
{
	const char *name = routine_names[r], *el = strrchr(name, '_');
	unsigned int want_calls = want ? 0 : 1;
	size_t verb = (size_t)(el - name), len;
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	cr_expect_eq(ret, want, "%s, %s: returned %d, expected %d", name, what, ret, want);
	cr_expect_eq(ncalls, want_calls, "%s, %s: %u instruction calls, expected %u", name, what,
		     ncalls, want_calls);
	if (want_calls && ncalls) {
		len = strlen(calls[0].op);
		cr_expect(strncmp(calls[0].op, name, verb) == 0 && len >= strlen(el) &&
			  strcmp(calls[0].op + len - strlen(el), el) == 0,
			  "%s, %s: instruction routine %s, expected %.*s*%s", name, what,
			  calls[0].op, (int)verb, name, el);
	}
	ncalls = 0;
}

/* ---- dispatch ----------------------------------------------------------- */

Test(tags_page, clear_calls_the_routine_of_its_el_with_the_data_flag)
{
	ASSERT_RET(kvmmte_tags_clear_el1(PAGE, KVMMTE_TAGS_PAGE_4K, 0), 0);
	expect_call("clear_el1", PAGE, 4096, NULL, 0, 64);
	ASSERT_RET(kvmmte_tags_clear_el1(PAGE, KVMMTE_TAGS_PAGE_64K, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_call("clear_el1", PAGE, 65536, NULL, 1, 64);
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE, KVMMTE_TAGS_PAGE_16K, 0), 0);
	expect_call("clear_el0", PAGE, 16384, NULL, 0, 0);
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE, KVMMTE_TAGS_PAGE_16K, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_call("clear_el0", PAGE, 16384, NULL, 1, 0);
}

Test(tags_page, save_and_restore_call_the_routine_of_their_format_and_el)
{
	static const struct { enum routine r; enum kvmmte_tags_format fmt; const char *op; } c[] = {
		{ SAVE_EL1, KVMMTE_TAGS_PACKED, "save_packed_el1" },
		{ SAVE_EL1, KVMMTE_TAGS_BYTES, "save_bytes_el1" },
		{ SAVE_EL0, KVMMTE_TAGS_PACKED, "save_packed_el0" },
		{ SAVE_EL0, KVMMTE_TAGS_BYTES, "save_bytes_el0" },
		{ RESTORE_EL1, KVMMTE_TAGS_PACKED, "restore_packed_el1" },
		{ RESTORE_EL1, KVMMTE_TAGS_BYTES, "restore_bytes_el1" },
		{ RESTORE_EL0, KVMMTE_TAGS_PACKED, "restore_packed_el0" },
		{ RESTORE_EL0, KVMMTE_TAGS_BYTES, "restore_bytes_el0" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		size_t need = c[i].fmt == KVMMTE_TAGS_PACKED ? 128 : 256;
		int ret = call_routine(c[i].r, PAGE, 4096, bytes_buf, need, c[i].fmt);

		cr_assert_eq(ret, 0, "%s returned %d, expected 0", c[i].op, ret);
		expect_call(c[i].op, PAGE, 4096, bytes_buf, 0, c[i].r == SAVE_EL1 ||
			    c[i].r == RESTORE_EL1 ? 64 : 0);
	}
}

Test(tags_page, el1_block_follows_gmid_bs_read_at_run_time)
{
	static const unsigned int bs[] = { 2, 3, 4, 5, 6 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bs); i++) {
		fake_phys[PHYS_GMID_EL1] = bs[i] | 0xfffffff0;	/* RES0 noise above BS */
		ASSERT_RET(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
		expect_call("save_packed_el1", PAGE, 4096, bytes_buf, 0, (size_t)4 << bs[i]);
	}
}

Test(tags_page, all_three_page_sizes_and_exact_buffer_sizes_are_accepted)
{
	static const size_t sizes[] = { 4096, 16384, 65536 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		EXPECT_RET(kvmmte_tags_save_el0(PAGE, sizes[i], bytes_buf, sizes[i] / 32,
						KVMMTE_TAGS_PACKED), 0);
		expect_call("save_packed_el0", PAGE, sizes[i], bytes_buf, 0, 0);
		EXPECT_RET(kvmmte_tags_restore_el1(PAGE, sizes[i], bytes_buf, sizes[i] / 16,
						   KVMMTE_TAGS_BYTES), 0);
		expect_call("restore_bytes_el1", PAGE, sizes[i], bytes_buf, 0, 64);
	}
}

Test(tags_page, address_tag_is_allowed_and_passed_on_unchanged)
{
	ASSERT_RET(kvmmte_tags_clear_el0(PAGE_TAGGED, 4096, 0), 0);
	expect_call("clear_el0", PAGE_TAGGED, 4096, NULL, 0, 0);
	ASSERT_RET(kvmmte_tags_save_el1(PAGE_TAGGED, 65536, bytes_buf, 2048,
					KVMMTE_TAGS_PACKED), 0);
	expect_call("save_packed_el1", PAGE_TAGGED, 65536, bytes_buf, 0, 64);
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
		expect_no_call(kvmmte_tags_restore_el1(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES),
			       -KVMMTE_ERANGE, "restore_el1");
		expect_no_call(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES),
			       -KVMMTE_ERANGE, "restore_el0");
	}
	/* Bytes past the page's 256 are not the page's: not checked. */
	memset(bytes_buf, 0, 257);
	bytes_buf[256] = 0xff;
	EXPECT_RET(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 257, KVMMTE_TAGS_BYTES), 0);
	expect_call("restore_bytes_el0", PAGE, 4096, bytes_buf, 0, 0);
	/* Packed input has no invalid value. */
	memset(bytes_buf, 0xff, 128);
	EXPECT_RET(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
	expect_call("restore_packed_el0", PAGE, 4096, bytes_buf, 0, 0);
}

Test(tags_page, enospc_is_reported_before_the_buffer_is_read)
{
	/* Exactly one byte allocated: ASan catches any read of the missing 255. */
	uint8_t *one = malloc(8);

	cr_assert(one);
	one[0] = 0x10;
	expect_no_call(kvmmte_tags_restore_el0(PAGE, 4096, one, 1, KVMMTE_TAGS_BYTES),
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
		expect_no_call(kvmmte_tags_clear_el1(PAGE, 4096, 0), -KVMMTE_ENODEV, "clear_el1");
		expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
			       -KVMMTE_ENODEV, "save_el1");
		expect_no_call(kvmmte_tags_restore_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
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
		expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
			       -KVMMTE_ENODEV, "save_el1 bad BS");
		expect_no_call(kvmmte_tags_clear_el1(PAGE, 4096, 0), -KVMMTE_ENODEV, "clear_el1 bad BS");
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
 * ID_AA64PFR1_EL1.MTE < MTE2 in el1_gm_block(): level 1 is the last
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
			if (!c[i].want && ncalls)
				cr_expect_eq(calls[0].gm_block, 64,
					     "%s at MTE level %u: gm_block %zu, expected 64",
					     routine_names[r], c[i].level, calls[0].gm_block);
			expect_outcome(r, ret, c[i].want, "MTE level %u", c[i].level);
			cr_expect_eq(fake_undef_count, 0,
				     "%s at MTE level %u: %u UNDEFINED accesses (GMID_EL1?), expected 0",
				     routine_names[r], c[i].level, fake_undef_count);
		}
	}
}

/* GMID_EL1.BS < 2 || BS > 6: 1 and 7 refused, 2 and 6 accepted, every _el1 routine. */
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
			ret = call_routine(r, PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED);
			if (!c[i].ret && ncalls)
				cr_expect_eq(calls[0].gm_block, (size_t)4 << c[i].bs,
					     "%s with GMID_EL1.BS %u: gm_block %zu, expected %zu",
					     routine_names[r], c[i].bs, calls[0].gm_block,
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
