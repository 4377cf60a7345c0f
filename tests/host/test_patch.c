// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The patchable per-CPU gate (lib/patch.c): table validation, the branch
 * written, and kvmmte_init()'s decisions.  Instruction words here are
 * computed by hand from the A64 encoding tables, independently of the
 * library's constants.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <kvmmte/patch.h>
#include "fake_sysreg.h"

#define MRS_X2_HCR_EL2	0xd53c1102u	/* mrs x2, hcr_el2 */
#define TBZ_X5_56_P32	0xb6c00105u	/* tbz x5, #56, .+32 */
#define NOP		0xd503201fu
#define MOV_X0_X1	0xaa0103e0u

/*
 * One patch site the way the switch macro emits it, in a writable "text"
 * buffer, recorded in this binary's own kvmmte_patch_sites section so that
 * kvmmte_init() finds it.  gate_code[0] is the gate, gate_code[8] the skip
 * label: a branch of +32 bytes, "b .+32" = 0x14000008.
 */
__asm__(".pushsection .data\n"
	".balign 4\n"
	".globl gate_code\n"
	"gate_code:\n"
	".long 0xd53c1102, 0xb6c000e2, 0, 0, 0, 0, 0, 0\n"
	"gate_skip:\n"
	".long 0xd65f03c0\n"
	".popsection\n"
	".pushsection kvmmte_patch_sites, \"a\"\n"
	".balign 4\n"
	".long gate_code - .\n"
	".long gate_skip - .\n"
	".popsection\n");
extern uint32_t gate_code[9];
#define B_PLUS_32	0x14000008u

/*
 * And one first TFSR access the way the nVHE switch emits it, recorded in
 * kvmmte_patch_sites_async: mrs x3, TFSR_EL1 (0xd5385603), skip label 5
 * instructions on: "b .+20" = 0x14000005.
 */
__asm__(".pushsection .data\n"
	".balign 4\n"
	".globl tfsr_code\n"
	"tfsr_code:\n"
	".long 0xd5385603, 0xd5385624, 0, 0, 0\n"
	"tfsr_skip:\n"
	".long 0xd503339f\n"
	".popsection\n"
	".pushsection kvmmte_patch_sites_async, \"a\"\n"
	".balign 4\n"
	".long tfsr_code - .\n"
	".long tfsr_skip - .\n"
	".popsection\n");
extern uint32_t tfsr_code[6];
#define MRS_X3_TFSR_EL1	0xd5385603u
#define B_PLUS_20	0x14000005u

static uint32_t code[64];
static struct kvmmte_patch_site table[8];

/* Entry @i: gate at code[@site], skip label at code[@skip]. */
static void set_entry(int i, int site, int skip)
{
	table[i].site = (int32_t)((intptr_t)&code[site] - (intptr_t)&table[i].site);
	table[i].skip = (int32_t)((intptr_t)&code[skip] - (intptr_t)&table[i].skip);
}

static void setup(void)
{
	memset(code, 0, sizeof(code));
	memset(table, 0, sizeof(table));
	fake_cpu(2, 0, false);
}

TestSuite(patch, .init = setup);

/*
 * One site at code[@site] holding @insn, with its skip label at
 * code[@skip], as entry @entry of a table of @n (the others placeholders):
 * kvmmte_patch_sites_apply() returns @want, and the site then holds @after.
 */
static void expect_apply_one(uint32_t insn, int entry, int site, int skip, size_t n, int want,
			     uint32_t after)
{
	int ret;

	code[site] = insn;
	set_entry(entry, site, skip);
	ret = kvmmte_patch_sites_apply(table, table + n);
	cr_expect_eq(ret, want, "site %#010x, skip %+d words: returned %d, expected %d", insn,
		     skip - site, ret, want);
	cr_expect_eq(code[site], after, "site %#010x, skip %+d words: %#010x after, expected %#010x",
		     insn, skip - site, code[site], after);
}

Test(patch, rewrites_mrs_and_tbz_gates_into_branches_to_skip)
{
	code[0] = MRS_X2_HCR_EL2;
	code[20] = TBZ_X5_56_P32;
	set_entry(0, 0, 9);	/* +36 bytes: imm26 = 9 */
	set_entry(1, 20, 28);	/* +32 bytes: imm26 = 8 */
	cr_assert_eq(kvmmte_patch_sites_apply(table, table + 2), 2);
	cr_expect_eq(code[0], 0x14000009u, "site 0: expected 0x14000009, got %#x", code[0]);
	cr_expect_eq(code[20], 0x14000008u, "site 1: expected 0x14000008, got %#x", code[20]);
	cr_assert_eq(fake_log_len, 2, "expected one icache sync per site, got %zu", fake_log_len);
	cr_expect_eq(fake_log[0].op, FAKE_ICACHE);
	cr_expect_eq(fake_log[0].val, (uint64_t)(uintptr_t)&code[0]);
	cr_expect_eq(fake_log[1].val, (uint64_t)(uintptr_t)&code[20]);
}

Test(patch, already_patched_site_is_accepted_again)
{
	/* b .+16, as a previous call left it */
	expect_apply_one(0x14000004u, 0, 0, 4, 1, 1, 0x14000004u);
}

Test(patch, placeholder_entries_are_skipped)
{
	/* entry 1 of 3 */
	expect_apply_one(MRS_X2_HCR_EL2, 1, 4, 10, 3, 1, 0x14000006u);
}

Test(patch, foreign_instruction_at_a_site_writes_nothing)
{
	code[0] = MRS_X2_HCR_EL2;
	code[8] = MOV_X0_X1;	/* not a gate: a stale or corrupt table */
	set_entry(0, 0, 4);
	set_entry(1, 8, 12);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 2), -KVMMTE_EINVAL);
	cr_expect_eq(code[0], MRS_X2_HCR_EL2, "valid site written before the bad one was found");
	cr_expect_eq(code[8], MOV_X0_X1);
	cr_expect_eq(fake_log_len, 0);
}

Test(patch, tbz_on_another_bit_is_not_a_gate)
{
	/* tbz x5, #55, .+32 */
	expect_apply_one(0xb6b80105u, 0, 0, 8, 1, -KVMMTE_EINVAL, 0xb6b80105u);
}

Test(patch, skip_label_at_the_site_is_erange)
{
	expect_apply_one(MRS_X2_HCR_EL2, 0, 8, 8, 1, -KVMMTE_ERANGE, MRS_X2_HCR_EL2);
}

/* GCC places an inline load/put's skip label before its TFSR access: b .-24. */
Test(patch, skip_label_behind_the_site_branches_back)
{
	expect_apply_one(MRS_X2_HCR_EL2, 0, 8, 2, 1, 1, 0x17fffffau);
}

Test(patch, skip_label_out_of_branch_range_is_erange)
{
	code[0] = MRS_X2_HCR_EL2;
	table[0].site = (int32_t)((intptr_t)&code[0] - (intptr_t)&table[0].site);
	table[0].skip = table[0].site + 4 + (128 << 20);	/* 128 MiB past the site */
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 1), -KVMMTE_ERANGE);
	cr_expect_eq(code[0], MRS_X2_HCR_EL2);
}

Test(patch, bad_bounds)
{
	cr_expect_eq(kvmmte_patch_sites_apply(NULL, table), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_patch_sites_apply(table, NULL), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_patch_sites_apply(table + 1, table), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table), 0);
}

/* kvmmte_init(): each Criterion test runs in a fresh process. */

/* The CPU kvmmte_init() runs on next: MTE level @level, with or without FEAT_MTE_ASYNC. */
static void cpu(unsigned int level, bool async)
{
	fake_cpu(2, level, false);
	if (!async)
		fake_cpu_without_async();
}

static void expect_init(unsigned int flags, int want, const char *what)
{
	int ret = kvmmte_init(flags);

	cr_expect_eq(ret, want, "%s: kvmmte_init(%#x) returned %d, expected %d", what, flags,
		     ret, want);
}

/* The boot CPU (@level, @async): kvmmte_init() patches as it needs, returns the level. */
static void boot(unsigned int level, bool async)
{
	cpu(level, async);
	expect_init(0, (int)level, async ? "boot CPU" : "boot CPU without async");
}

/* An instruction word of this binary's own sites, as kvmmte_init() left it. */
#define EXPECT_WORD(what, got, want) do {					\
	uint32_t got_ = (got), want_ = (want);					\
	cr_expect_eq(got_, want_, "%s: %#010x, expected %#010x", (what), got_, want_); \
} while (0)

/* The first instruction of the gate and of the first TFSR access. */
static void expect_sites(uint32_t gate, uint32_t tfsr)
{
	EXPECT_WORD("gate", gate_code[0], gate);
	EXPECT_WORD("TFSR site", tfsr_code[0], tfsr);
}

/*
 * A system whose boot CPU is at MTE level @boot_level (@boot_async) and
 * whose next CPU differs (@level, @async): kvmmte_init() returns the boot
 * CPU's level there, then -KVMMTE_EBUSY (one patched text can not suit
 * both), and the sites stay as the boot CPU left them (@gate, @tfsr): the
 * late CPU neither patches nor unpatches.
 */
static void expect_mixed_system(unsigned int boot_level, bool boot_async, unsigned int level,
				bool async, uint32_t gate, uint32_t tfsr)
{
	boot(boot_level, boot_async);
	cpu(level, async);
	expect_init(0, -KVMMTE_EBUSY, "a CPU unlike the boot CPU");
	expect_sites(gate, tfsr);
}

/*
 * After the boot CPU (@level, @async), a secondary CPU like it: its only
 * accesses, the ID register read, then the ISB that synchronises its
 * fetch of the text the boot CPU patched to @gate and @tfsr.
 */
static void expect_secondary_synchronises(unsigned int level, bool async, uint32_t gate,
					  uint32_t tfsr)
{
	boot(level, async);
	fake_log_clear();
	expect_init(0, (int)level, "a secondary CPU");
	cr_assert_eq(fake_log_len, 2, "expected 2 accesses, got %zu", fake_log_len);
	cr_expect_eq(fake_log[0].phys, PHYS_ID_AA64PFR1_EL1, "first access to %s, expected %s",
		     fake_phys_name(fake_log[0].phys), fake_phys_name(PHYS_ID_AA64PFR1_EL1));
	cr_expect_eq(fake_log[1].op, FAKE_ISB, "expected an ISB (op %d), got op %d", FAKE_ISB,
		     fake_log[1].op);
	expect_sites(gate, tfsr);
}

Test(init, unknown_flags_are_rejected_before_any_access)
{
	cpu(0, true);
	expect_init(1U << 1, -KVMMTE_EINVAL, "flag 1 << 1");
	expect_init(~0U, -KVMMTE_EINVAL, "every flag");
	cr_expect_eq(fake_log_len, 0, "%zu register accesses, expected 0", fake_log_len);
	EXPECT_WORD("gate", gate_code[0], MRS_X2_HCR_EL2);
}

Test(init, mte2_cpu_leaves_the_gates_switching)
{
	boot(3, true);
	EXPECT_WORD("gate patched on an MTE CPU", gate_code[0], MRS_X2_HCR_EL2);
	expect_init(KVMMTE_INIT_NO_PATCH, 3, "second call on a like CPU");
}

Test(init, cpu_without_mte2_patches_every_gate_to_skip)
{
	boot(1, true);
	EXPECT_WORD("gate", gate_code[0], B_PLUS_32);
	EXPECT_WORD("only the first gate instruction changes", gate_code[1], 0xb6c000e2u);
	expect_init(0, 1, "second call on a like CPU");
}

Test(init, read_only_text_on_a_cpu_without_mte2_is_erofs)
{
	cpu(0, true);
	expect_init(KVMMTE_INIT_NO_PATCH, -KVMMTE_EROFS, "no MTE, no patching");
	EXPECT_WORD("gate", gate_code[0], MRS_X2_HCR_EL2);
}

/* --- FEAT_MTE_ASYNC: the second table ------------------------------------- */

Test(init, mte2_cpu_with_async_patches_nothing)
{
	boot(2, true);
	expect_sites(MRS_X2_HCR_EL2, MRS_X3_TFSR_EL1);
}

Test(init, mte2_cpu_without_async_skips_only_the_tfsr_moves)
{
	boot(2, false);
	expect_sites(MRS_X2_HCR_EL2, B_PLUS_20);
	EXPECT_WORD("only the first TFSR instruction changes", tfsr_code[1], 0xd5385624u);
	expect_init(0, 2, "second call on a like CPU");
}

Test(init, cpu_without_mte2_patches_both_tables)
{
	boot(0, true);
	expect_sites(B_PLUS_32, B_PLUS_20);
}

Test(init, read_only_text_on_an_mte2_cpu_without_async_is_erofs)
{
	cpu(3, false);
	expect_init(KVMMTE_INIT_NO_PATCH, -KVMMTE_EROFS, "no async, no patching");
	expect_sites(MRS_X2_HCR_EL2, MRS_X3_TFSR_EL1);
}

/* --- systems of several CPUs: one decision for all, both tables ---------- */

Test(init, mixed_system_is_ebusy)
{
	expect_mixed_system(3, true, 0, true, MRS_X2_HCR_EL2, MRS_X3_TFSR_EL1);
}

Test(init, mixed_system_the_other_way_is_ebusy)
{
	expect_mixed_system(0, true, 2, true, B_PLUS_32, B_PLUS_20);
}

Test(init, async_and_non_async_cpus_in_one_system_is_ebusy)
{
	expect_mixed_system(3, true, 3, false, MRS_X2_HCR_EL2, MRS_X3_TFSR_EL1);
}

Test(init, non_async_then_async_cpu_is_ebusy)
{
	expect_mixed_system(2, false, 2, true, MRS_X2_HCR_EL2, B_PLUS_20);
}

Test(init, secondary_cpu_without_mte2_synchronises_its_fetch_of_patched_text)
{
	expect_secondary_synchronises(0, true, B_PLUS_32, B_PLUS_20);
}

Test(init, secondary_without_async_synchronises_its_fetch)
{
	expect_secondary_synchronises(2, false, MRS_X2_HCR_EL2, B_PLUS_20);
}

/* Every instruction the library emits at a first TFSR access is a valid site. */
Test(patch, every_first_tfsr_access_form_is_a_site)
{
	static const uint32_t forms[] = {
		0xd5385600u,	/* mrs x0, tfsr_el1   (nVHE switch) */
		0xd538563eu,	/* mrs x30, tfsre0_el1 (VHE exit) */
		0xd503379fu,	/* dsb nsh            (VHE entry) */
		0xd53d5611u,	/* mrs x17, tfsr_el12 (VHE put) */
		0xd51d5601u,	/* msr tfsr_el12, x1  (VHE load) */
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		code[4] = forms[i];
		set_entry(0, 4, 6);
		cr_expect_eq(kvmmte_patch_sites_check(table, table + 1), 0, "form %#x", forms[i]);
	}
	code[4] = 0xd5385640u;	/* mrs x0, S3_0_C5_C6_2: not a TFSR register */
	cr_expect_eq(kvmmte_patch_sites_check(table, table + 1), -KVMMTE_EINVAL);
	code[4] = 0xd5033b9fu;	/* dsb ish: not what the VHE entry emits */
	cr_expect_eq(kvmmte_patch_sites_check(table, table + 1), -KVMMTE_EINVAL);
}
