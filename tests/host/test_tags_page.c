// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Page routines of lib/tags.c against the fake CPU: every input check
 * fails before any instruction-level routine runs (host builds route
 * those to kvmmte_fake_tags_insn(), recorded here), the right routine is
 * chosen with the right arguments, and the _el1 routines consult
 * ID_AA64PFR1_EL1 / GMID_EL1 while the _el0 ones read no register.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <kvmmte/tags.h>
#include "fake_sysreg.h"

#define SENTINEL 0xa5

/* A call's return value against the expected one, both printed on failure. */
#define RET_CHECK_(kind, call, text, want) do {				\
	int ret_ = (call), want_ = (want);					\
	cr_##kind##_eq(ret_, want_, "%s: returned %d, expected %d", text, ret_, want_); \
} while (0)
#define ASSERT_RET(call, want)	RET_CHECK_(assert, call, #call, want)
#define EXPECT_RET(call, want)	RET_CHECK_(expect, call, #call, want)

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
	cr_expect_eq(ncalls, 0, "%s: an instruction routine ran despite the error", what);
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
	struct { int el, restore; enum kvmmte_tags_format fmt; const char *op; } c[] = {
		{ 1, 0, KVMMTE_TAGS_PACKED, "save_packed_el1" },
		{ 1, 0, KVMMTE_TAGS_BYTES, "save_bytes_el1" },
		{ 0, 0, KVMMTE_TAGS_PACKED, "save_packed_el0" },
		{ 0, 0, KVMMTE_TAGS_BYTES, "save_bytes_el0" },
		{ 1, 1, KVMMTE_TAGS_PACKED, "restore_packed_el1" },
		{ 1, 1, KVMMTE_TAGS_BYTES, "restore_bytes_el1" },
		{ 0, 1, KVMMTE_TAGS_PACKED, "restore_packed_el0" },
		{ 0, 1, KVMMTE_TAGS_BYTES, "restore_bytes_el0" },
	};
	size_t i, need;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int ret;

		need = c[i].fmt == KVMMTE_TAGS_PACKED ? 128 : 256;
		if (c[i].restore)
			ret = c[i].el ? kvmmte_tags_restore_el1(PAGE, 4096, bytes_buf, need, c[i].fmt) :
					kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, need, c[i].fmt);
		else
			ret = c[i].el ? kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, need, c[i].fmt) :
					kvmmte_tags_save_el0(PAGE, 4096, bytes_buf, need, c[i].fmt);
		cr_assert_eq(ret, 0, "%s returned %d", c[i].op, ret);
		expect_call(c[i].op, PAGE, 4096, bytes_buf, 0, c[i].el ? 64 : 0);
	}
}

Test(tags_page, el1_block_follows_gmid_bs_read_at_run_time)
{
	static const unsigned int bs[] = { 2, 3, 4, 5, 6 };
	size_t i;

	for (i = 0; i < 5; i++) {
		fake_phys[PHYS_GMID_EL1] = bs[i] | 0xfffffff0;	/* RES0 noise above BS */
		ASSERT_RET(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
		expect_call("save_packed_el1", PAGE, 4096, bytes_buf, 0, (size_t)4 << bs[i]);
	}
}

Test(tags_page, all_three_page_sizes_and_exact_buffer_sizes_are_accepted)
{
	static const size_t sizes[] = { 4096, 16384, 65536 };
	size_t i;

	for (i = 0; i < 3; i++) {
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
	cr_expect_eq(fake_log_len, 0, "%zu register accesses from an _el0 routine", fake_log_len);
}

/* ---- errors: nothing runs ------------------------------------------------ */

Test(tags_page, unsupported_page_size_is_einval)
{
	static const size_t bad[] = { 0, 16, 2048, 4095, 4097, 8192, 32768, 131072,
				      (size_t)1 << 21 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_no_call(kvmmte_tags_clear_el1(PAGE, bad[i], 0), -KVMMTE_EINVAL, "clear_el1 size");
		expect_no_call(kvmmte_tags_clear_el0(PAGE, bad[i], 0), -KVMMTE_EINVAL, "clear_el0 size");
		expect_no_call(kvmmte_tags_save_el1(PAGE, bad[i], bytes_buf, 65536, KVMMTE_TAGS_BYTES),
			       -KVMMTE_EINVAL, "save_el1 size");
		expect_no_call(kvmmte_tags_save_el0(PAGE, bad[i], bytes_buf, 65536, KVMMTE_TAGS_BYTES),
			       -KVMMTE_EINVAL, "save_el0 size");
		expect_no_call(kvmmte_tags_restore_el1(PAGE, bad[i], bytes_buf, 4096,
						       KVMMTE_TAGS_BYTES), -KVMMTE_EINVAL, "restore_el1 size");
		expect_no_call(kvmmte_tags_restore_el0(PAGE, bad[i], bytes_buf, 4096,
						       KVMMTE_TAGS_PACKED), -KVMMTE_EINVAL, "restore_el0 size");
	}
}

Test(tags_page, page_not_aligned_to_its_size_is_einval)
{
	/* Aligned to 4 KiB but not 16 or 64 KiB; and off by a granule. */
	void *p4k = (void *)(uintptr_t)0x40001000;
	void *pgr = (void *)(uintptr_t)0x40000010;
	void *ptag = (void *)(uintptr_t)0x0300000040001000;	/* tag does not hide it */

	expect_no_call(kvmmte_tags_clear_el1(p4k, 16384, 0), -KVMMTE_EINVAL, "clear_el1 16K");
	expect_no_call(kvmmte_tags_clear_el0(p4k, 65536, 0), -KVMMTE_EINVAL, "clear_el0 64K");
	expect_no_call(kvmmte_tags_clear_el0(pgr, 4096, 0), -KVMMTE_EINVAL, "clear_el0 4K+16");
	expect_no_call(kvmmte_tags_save_el1(pgr, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EINVAL, "save_el1");
	expect_no_call(kvmmte_tags_save_el0(ptag, 16384, bytes_buf, 512, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EINVAL, "save_el0 tagged");
	expect_no_call(kvmmte_tags_restore_el1(p4k, 65536, bytes_buf, 2048, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EINVAL, "restore_el1");
	expect_no_call(kvmmte_tags_restore_el0(pgr, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES),
		       -KVMMTE_EINVAL, "restore_el0");
}

Test(tags_page, buffer_one_byte_short_is_enospc)
{
	expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 127, KVMMTE_TAGS_PACKED),
		       -KVMMTE_ENOSPC, "save_el1 packed");
	expect_no_call(kvmmte_tags_save_el0(PAGE, 4096, bytes_buf, 255, KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "save_el0 bytes");
	expect_no_call(kvmmte_tags_save_el0(PAGE, 65536, bytes_buf, 4095, KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "save_el0 bytes 64K");
	expect_no_call(kvmmte_tags_restore_el1(PAGE, 16384, bytes_buf, 1023, KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "restore_el1 bytes");
	expect_no_call(kvmmte_tags_restore_el0(PAGE, 16384, bytes_buf, 511, KVMMTE_TAGS_PACKED),
		       -KVMMTE_ENOSPC, "restore_el0 packed");
	expect_no_call(kvmmte_tags_save_el0(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_BYTES),
		       -KVMMTE_ENOSPC, "packed size is not enough for bytes");
}

Test(tags_page, restore_bytes_with_a_tag_above_15_is_erange)
{
	static const size_t where[] = { 0, 7, 8, 255 };
	size_t w;

	for (w = 0; w < 4; w++) {
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
	uint8_t *b = bytes_buf + 4;

	expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, b, 512, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EINVAL, "save_el1");
	expect_no_call(kvmmte_tags_save_el0(PAGE, 4096, bytes_buf + 1, 512, KVMMTE_TAGS_BYTES),
		       -KVMMTE_EINVAL, "save_el0");
	expect_no_call(kvmmte_tags_restore_el1(PAGE, 4096, b, 512, KVMMTE_TAGS_BYTES),
		       -KVMMTE_EINVAL, "restore_el1");
	expect_no_call(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf + 2, 512, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EINVAL, "restore_el0");
}

Test(tags_page, null_page_or_buffer_is_efault)
{
	expect_no_call(kvmmte_tags_clear_el1(NULL, 4096, 0), -KVMMTE_EFAULT, "clear_el1");
	expect_no_call(kvmmte_tags_clear_el0(NULL, 4096, 0), -KVMMTE_EFAULT, "clear_el0");
	expect_no_call(kvmmte_tags_save_el1(NULL, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EFAULT, "save_el1 page");
	expect_no_call(kvmmte_tags_save_el0(PAGE, 4096, NULL, 128, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EFAULT, "save_el0 buf");
	expect_no_call(kvmmte_tags_restore_el1(PAGE, 4096, NULL, 128, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EFAULT, "restore_el1 buf");
	expect_no_call(kvmmte_tags_restore_el0(NULL, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
		       -KVMMTE_EFAULT, "restore_el0 page");
}

Test(tags_page, unknown_format_or_flag_is_einval)
{
	expect_no_call(kvmmte_tags_clear_el1(PAGE, 4096, 1U << 1), -KVMMTE_EINVAL, "clear_el1 flag");
	expect_no_call(kvmmte_tags_clear_el0(PAGE, 4096, 1U << 31), -KVMMTE_EINVAL, "clear_el0 flag");
	expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 256, (enum kvmmte_tags_format)2),
		       -KVMMTE_EINVAL, "save_el1 fmt");
	expect_no_call(kvmmte_tags_save_el0(PAGE, 4096, bytes_buf, 256, (enum kvmmte_tags_format)-1),
		       -KVMMTE_EINVAL, "save_el0 fmt");
	expect_no_call(kvmmte_tags_restore_el1(PAGE, 4096, bytes_buf, 256, (enum kvmmte_tags_format)7),
		       -KVMMTE_EINVAL, "restore_el1 fmt");
	expect_no_call(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 256, (enum kvmmte_tags_format)2),
		       -KVMMTE_EINVAL, "restore_el0 fmt");
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
		cr_expect_eq(fake_undef_count, 0, "MTE level %u: %u UNDEFINED accesses (GMID_EL1?)",
			     level, fake_undef_count);
	}
	/* The _el0 routines do not ask the CPU: the caller knows (HWCAP2_MTE). */
	EXPECT_RET(kvmmte_tags_clear_el0(PAGE, 4096, 0), 0);
}

Test(tags_page, gmid_bs_outside_2_to_6_is_enodev)
{
	static const unsigned int bad[] = { 0, 1, 7, 15 };
	size_t i;

	for (i = 0; i < 4; i++) {
		fake_phys[PHYS_GMID_EL1] = bad[i];
		expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED),
			       -KVMMTE_ENODEV, "save_el1 bad BS");
		expect_no_call(kvmmte_tags_clear_el1(PAGE, 4096, 0), -KVMMTE_ENODEV, "clear_el1 bad BS");
	}
}

Test(tags_page, argument_errors_win_over_the_cpu_check)
{
	fake_cpu(2, 0, false);
	expect_no_call(kvmmte_tags_clear_el1(PAGE, 8192, 0), -KVMMTE_EINVAL, "size before CPU");
	expect_no_call(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 1, KVMMTE_TAGS_PACKED),
		       -KVMMTE_ENOSPC, "buffer before CPU");
	cr_expect_eq(fake_log_len, 0, "registers read before the arguments were checked");
}

Test(tags_page, save_leaves_the_buffer_untouched_on_error)
{
	memset(bytes_buf, SENTINEL, 256);
	EXPECT_RET(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 255, KVMMTE_TAGS_BYTES), -KVMMTE_ENOSPC);
	EXPECT_RET(kvmmte_tags_save_el0((void *)(uintptr_t)0x40000100, 4096, bytes_buf, 256,
					KVMMTE_TAGS_BYTES), -KVMMTE_EINVAL);
	for (size_t i = 0; i < 256; i++)
		cr_assert_eq(bytes_buf[i], SENTINEL, "byte %zu written on error", i);
}

/* ---- boundaries of every level, size and alignment check ----------------- */

/*
 * Calls routine @r (0 clear_el1, 1 save_el1, 2 restore_el1, 3 clear_el0,
 * 4 save_el0, 5 restore_el0) on @page.
 */
static const char *const routine_names[6] = {
	"clear_el1", "save_el1", "restore_el1", "clear_el0", "save_el0", "restore_el0",
};

static int call_routine(unsigned int r, void *page, size_t page_size, void *buf,
			size_t buf_size, enum kvmmte_tags_format fmt)
{
	switch (r) {
	case 0: return kvmmte_tags_clear_el1(page, page_size, 0);
	case 1: return kvmmte_tags_save_el1(page, page_size, buf, buf_size, fmt);
	case 2: return kvmmte_tags_restore_el1(page, page_size, buf, buf_size, fmt);
	case 3: return kvmmte_tags_clear_el0(page, page_size, 0);
	case 4: return kvmmte_tags_save_el0(page, page_size, buf, buf_size, fmt);
	default: return kvmmte_tags_restore_el0(page, page_size, buf, buf_size, fmt);
	}
}

/*
 * Exactly one instruction call, made by routine @r: its name starts with
 * @r's verb and ends with @r's EL (save_el1 -> save_packed_el1 or
 * save_bytes_el1).  Consumes the call.
 */
static void expect_one_call(unsigned int r, const char *what)
{
	const char *want = routine_names[r], *el = strrchr(want, '_');
	size_t verb = (size_t)(el - want), len;

	cr_expect_eq(ncalls, 1, "%s (%s): %u instruction calls, expected 1", what, want, ncalls);
	if (ncalls) {
		len = strlen(calls[0].op);
		cr_expect(strncmp(calls[0].op, want, verb) == 0 && len >= strlen(el) &&
			  strcmp(calls[0].op + len - strlen(el), el) == 0,
			  "%s: instruction routine %s, expected %.*s*%s", what, calls[0].op,
			  (int)verb, want, el);
	}
	ncalls = 0;
}

/*
 * ID_AA64PFR1_EL1.MTE < MTE2 in el1_gm_block(): level 1 is the last
 * refused value and level 2 the first accepted one; values above MTE3 are
 * later extensions and imply MTE2.
 */
Test(tags_page, el1_mte_level_boundary_1_is_enodev_2_is_accepted)
{
	static const unsigned int ok[] = { 2, 3, 4, 15 };
	unsigned int r;
	size_t l;

	for (r = 0; r < 3; r++) {
		int ret;

		fake_cpu(2, 1, false);
		ret = call_routine(r, PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES);
		cr_expect_eq(ret, -KVMMTE_ENODEV, "%s at MTE level 1: returned %d, expected %d",
			     routine_names[r], ret, -KVMMTE_ENODEV);
		cr_expect_eq(ncalls, 0, "%s at MTE level 1: %u instruction calls, expected 0",
			     routine_names[r], ncalls);
		cr_expect_eq(fake_undef_count, 0,
			     "%s at MTE level 1: %u UNDEFINED accesses (GMID_EL1?), expected 0",
			     routine_names[r], fake_undef_count);
		ncalls = 0;

		for (l = 0; l < sizeof(ok) / sizeof(ok[0]); l++) {
			fake_cpu(2, ok[l], false);
			ret = call_routine(r, PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES);
			cr_expect_eq(ret, 0, "%s at MTE level %u: returned %d, expected 0",
				     routine_names[r], ok[l], ret);
			cr_expect_eq(ncalls, 1, "%s at MTE level %u: %u instruction calls, expected 1",
				     routine_names[r], ok[l], ncalls);
			if (ncalls)
				cr_expect_eq(calls[0].gm_block, 64,
					     "%s at MTE level %u: gm_block %zu, expected 64",
					     routine_names[r], ok[l], calls[0].gm_block);
			cr_expect_eq(fake_undef_count, 0,
				     "%s at MTE level %u: %u UNDEFINED accesses, expected 0",
				     routine_names[r], ok[l], fake_undef_count);
			ncalls = 0;
		}
	}
}

/* GMID_EL1.BS < 2 || BS > 6: 1 and 7 refused, 2 and 6 accepted, every _el1 routine. */
Test(tags_page, gmid_bs_boundary_1_and_7_refused_2_and_6_accepted)
{
	static const struct { unsigned int bs; int ret; } c[] = {
		{ 1, -KVMMTE_ENODEV }, { 2, 0 }, { 6, 0 }, { 7, -KVMMTE_ENODEV },
	};
	unsigned int r;
	size_t i;

	for (r = 0; r < 3; r++) {
		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			int ret;

			fake_phys[PHYS_GMID_EL1] = c[i].bs;
			ret = call_routine(r, PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED);
			cr_expect_eq(ret, c[i].ret, "%s with GMID_EL1.BS %u: returned %d, expected %d",
				     routine_names[r], c[i].bs, ret, c[i].ret);
			cr_expect_eq(ncalls, c[i].ret ? 0u : 1u,
				     "%s with GMID_EL1.BS %u: %u instruction calls, expected %u",
				     routine_names[r], c[i].bs, ncalls, c[i].ret ? 0u : 1u);
			if (!c[i].ret && ncalls)
				cr_expect_eq(calls[0].gm_block, (size_t)4 << c[i].bs,
					     "%s with GMID_EL1.BS %u: gm_block %zu, expected %zu",
					     routine_names[r], c[i].bs, calls[0].gm_block,
					     (size_t)4 << c[i].bs);
			ncalls = 0;
		}
	}
}

/*
 * buf_size < format size: exactly the size is accepted and one byte less
 * is -KVMMTE_ENOSPC, for every save/restore routine, format and page size.
 */
Test(tags_page, buffer_size_boundary_exact_accepted_one_less_enospc)
{
	static const size_t pages[] = { 4096, 16384, 65536 };
	static const unsigned int routines[] = { 1, 2, 4, 5 };
	size_t p, k;
	int f;

	for (p = 0; p < 3; p++) {
		for (f = 0; f < 2; f++) {
			enum kvmmte_tags_format fmt = f ? KVMMTE_TAGS_BYTES : KVMMTE_TAGS_PACKED;
			size_t need = f ? pages[p] / 16 : pages[p] / 32;

			for (k = 0; k < 4; k++) {
				unsigned int r = routines[k];
				int ret;

				ret = call_routine(r, PAGE, pages[p], bytes_buf, need, fmt);
				cr_expect_eq(ret, 0, "%s %zu-byte page, fmt %d, buf_size %zu (exact): "
					     "returned %d, expected 0", routine_names[r], pages[p], f,
					     need, ret);
				expect_one_call(r, "exact buffer size");
				ret = call_routine(r, PAGE, pages[p], bytes_buf, need - 1, fmt);
				cr_expect_eq(ret, -KVMMTE_ENOSPC, "%s %zu-byte page, fmt %d, buf_size "
					     "%zu (one short): returned %d, expected %d",
					     routine_names[r], pages[p], f, need - 1, ret,
					     -KVMMTE_ENOSPC);
				cr_expect_eq(ncalls, 0, "%s: %u instruction calls on ENOSPC, expected 0",
					     routine_names[r], ncalls);
				ncalls = 0;
			}
		}
	}
}

/* buf & (KVMMTE_TAGS_BUF_ALIGN - 1): offsets 1..7 refused, 8 (not 16) accepted. */
Test(tags_page, buffer_alignment_boundary_8_accepted_1_to_7_einval)
{
	static const unsigned int routines[] = { 1, 2, 4, 5 };
	size_t k, off;

	for (k = 0; k < 4; k++) {
		unsigned int r = routines[k];

		for (off = 1; off <= 8; off++) {
			int want = off == 8 ? 0 : -KVMMTE_EINVAL;
			int ret = call_routine(r, PAGE, 4096, bytes_buf + off, 256, KVMMTE_TAGS_BYTES);

			cr_expect_eq(ret, want, "%s, buffer at 16-aligned + %zu: returned %d, expected %d",
				     routine_names[r], off, ret, want);
			cr_expect_eq(ncalls, want ? 0u : 1u,
				     "%s, buffer at 16-aligned + %zu: %u instruction calls, expected %u",
				     routine_names[r], off, ncalls, want ? 0u : 1u);
			ncalls = 0;
		}
	}
}

/* page_size in { 4K, 16K, 64K }: each accepted, each +-1 refused, every routine. */
Test(tags_page, page_size_boundary_each_size_accepted_plus_minus_one_einval)
{
	static const size_t pages[] = { 4096, 16384, 65536 };
	unsigned int r;
	size_t p;
	long d;

	for (r = 0; r < 6; r++) {
		for (p = 0; p < 3; p++) {
			for (d = -1; d <= 1; d++) {
				size_t size = pages[p] + (size_t)d;
				int want = d ? -KVMMTE_EINVAL : 0;
				int ret = call_routine(r, PAGE, size, bytes_buf, 65536, KVMMTE_TAGS_PACKED);

				cr_expect_eq(ret, want, "%s, page_size %zu: returned %d, expected %d",
					     routine_names[r], size, ret, want);
				cr_expect_eq(ncalls, d ? 0u : 1u,
					     "%s, page_size %zu: %u instruction calls, expected %u",
					     routine_names[r], size, ncalls, d ? 0u : 1u);
				ncalls = 0;
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
	static const size_t pages[] = { 4096, 16384, 65536 };
	const uintptr_t base = (uintptr_t)0x40000000;	/* aligned to 2 * 64 KiB */
	unsigned int r;
	size_t p;

	for (r = 0; r < 6; r++) {
		for (p = 0; p < 3; p++) {
			const struct { uintptr_t off; int want; } c[] = {
				{ pages[p], 0 },	/* odd multiple of the size */
				{ pages[p] / 2, -KVMMTE_EINVAL },
				{ pages[p] - 16, -KVMMTE_EINVAL },
				{ 16, -KVMMTE_EINVAL },
			};
			size_t i;

			for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
				void *page = (void *)(base + c[i].off);
				int ret = call_routine(r, page, pages[p], bytes_buf, 65536,
						       KVMMTE_TAGS_PACKED);

				cr_expect_eq(ret, c[i].want, "%s, %zu-byte page at %#lx: returned %d, "
					     "expected %d", routine_names[r], pages[p],
					     (unsigned long)(base + c[i].off), ret, c[i].want);
				cr_expect_eq(ncalls, c[i].want ? 0u : 1u,
					     "%s, %zu-byte page at %#lx: %u instruction calls, expected %u",
					     routine_names[r], pages[p], (unsigned long)(base + c[i].off),
					     ncalls, c[i].want ? 0u : 1u);
				ncalls = 0;
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
	static const size_t pages[] = { 4096, 16384, 65536 };
	unsigned int r;
	size_t p, w;

	for (r = 2; r <= 5; r += 3) {
		for (p = 0; p < 3; p++) {
			size_t n = pages[p] / 16;
			const size_t where[] = { 0, 7, 8, 15, 16, n - 9, n - 8, n - 1 };
			int ret;

			memset(bytes_buf, 15, n);
			ret = call_routine(r, PAGE, pages[p], bytes_buf, n, KVMMTE_TAGS_BYTES);
			cr_expect_eq(ret, 0, "%s, %zu-byte page of tag 15: returned %d, expected 0",
				     routine_names[r], pages[p], ret);
			expect_one_call(r, "all tags 15");
			for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
				bytes_buf[where[w]] = 16;
				ret = call_routine(r, PAGE, pages[p], bytes_buf, n, KVMMTE_TAGS_BYTES);
				cr_expect_eq(ret, -KVMMTE_ERANGE, "%s, %zu-byte page, tag 16 at byte %zu: "
					     "returned %d, expected %d", routine_names[r], pages[p],
					     where[w], ret, -KVMMTE_ERANGE);
				cr_expect_eq(ncalls, 0, "%s: %u instruction calls on ERANGE, expected 0",
					     routine_names[r], ncalls);
				ncalls = 0;
				bytes_buf[where[w]] = 15;
			}
		}
	}
}
