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
	cr_expect_str_eq(calls[0].op, op);
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
	cr_assert_eq(kvmmte_tags_clear_el1(PAGE, KVMMTE_TAGS_PAGE_4K, 0), 0);
	expect_call("clear_el1", PAGE, 4096, NULL, 0, 64);
	cr_assert_eq(kvmmte_tags_clear_el1(PAGE, KVMMTE_TAGS_PAGE_64K, KVMMTE_TAGS_CLEAR_DATA), 0);
	expect_call("clear_el1", PAGE, 65536, NULL, 1, 64);
	cr_assert_eq(kvmmte_tags_clear_el0(PAGE, KVMMTE_TAGS_PAGE_16K, 0), 0);
	expect_call("clear_el0", PAGE, 16384, NULL, 0, 0);
	cr_assert_eq(kvmmte_tags_clear_el0(PAGE, KVMMTE_TAGS_PAGE_16K, KVMMTE_TAGS_CLEAR_DATA), 0);
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
		cr_assert_eq(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
		expect_call("save_packed_el1", PAGE, 4096, bytes_buf, 0, (size_t)4 << bs[i]);
	}
}

Test(tags_page, all_three_page_sizes_and_exact_buffer_sizes_are_accepted)
{
	static const size_t sizes[] = { 4096, 16384, 65536 };
	size_t i;

	for (i = 0; i < 3; i++) {
		cr_expect_eq(kvmmte_tags_save_el0(PAGE, sizes[i], bytes_buf, sizes[i] / 32,
						  KVMMTE_TAGS_PACKED), 0);
		expect_call("save_packed_el0", PAGE, sizes[i], bytes_buf, 0, 0);
		cr_expect_eq(kvmmte_tags_restore_el1(PAGE, sizes[i], bytes_buf, sizes[i] / 16,
						     KVMMTE_TAGS_BYTES), 0);
		expect_call("restore_bytes_el1", PAGE, sizes[i], bytes_buf, 0, 64);
	}
}

Test(tags_page, address_tag_is_allowed_and_passed_on_unchanged)
{
	cr_assert_eq(kvmmte_tags_clear_el0(PAGE_TAGGED, 4096, 0), 0);
	expect_call("clear_el0", PAGE_TAGGED, 4096, NULL, 0, 0);
	cr_assert_eq(kvmmte_tags_save_el1(PAGE_TAGGED, 65536, bytes_buf, 2048,
					  KVMMTE_TAGS_PACKED), 0);
	expect_call("save_packed_el1", PAGE_TAGGED, 65536, bytes_buf, 0, 64);
}

Test(tags_page, el0_routines_read_no_system_register)
{
	cr_assert_eq(kvmmte_tags_clear_el0(PAGE, 4096, 0), 0);
	cr_assert_eq(kvmmte_tags_save_el0(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES), 0);
	cr_assert_eq(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 256, KVMMTE_TAGS_BYTES), 0);
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
	cr_expect_eq(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 257, KVMMTE_TAGS_BYTES), 0);
	expect_call("restore_bytes_el0", PAGE, 4096, bytes_buf, 0, 0);
	/* Packed input has no invalid value. */
	memset(bytes_buf, 0xff, 128);
	cr_expect_eq(kvmmte_tags_restore_el0(PAGE, 4096, bytes_buf, 128, KVMMTE_TAGS_PACKED), 0);
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
	cr_expect_eq(kvmmte_tags_clear_el0(PAGE, 4096, 0), 0);
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
	cr_expect_eq(kvmmte_tags_save_el1(PAGE, 4096, bytes_buf, 255, KVMMTE_TAGS_BYTES),
		     -KVMMTE_ENOSPC);
	cr_expect_eq(kvmmte_tags_save_el0((void *)(uintptr_t)0x40000100, 4096, bytes_buf, 256,
					  KVMMTE_TAGS_BYTES), -KVMMTE_EINVAL);
	for (size_t i = 0; i < 256; i++)
		cr_assert_eq(bytes_buf[i], SENTINEL, "byte %zu written on error", i);
}
