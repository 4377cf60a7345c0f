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
	code[0] = 0x14000004u;	/* b .+16, as a previous call left it */
	set_entry(0, 0, 4);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 1), 1);
	cr_expect_eq(code[0], 0x14000004u);
}

Test(patch, placeholder_entries_are_skipped)
{
	code[4] = MRS_X2_HCR_EL2;
	set_entry(1, 4, 10);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 3), 1);
	cr_expect_eq(code[4], 0x14000006u, "got %#x", code[4]);
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
	code[0] = 0xb6b80105u;	/* tbz x5, #55, .+32 */
	set_entry(0, 0, 8);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 1), -KVMMTE_EINVAL);
	cr_expect_eq(code[0], 0xb6b80105u);
}

Test(patch, skip_label_at_the_site_is_erange)
{
	code[8] = MRS_X2_HCR_EL2;
	set_entry(0, 8, 8);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 1), -KVMMTE_ERANGE);
	cr_expect_eq(code[8], MRS_X2_HCR_EL2);
}

/* GCC places an inline load/put's skip label before its TFSR access. */
Test(patch, skip_label_behind_the_site_branches_back)
{
	code[8] = MRS_X2_HCR_EL2;
	set_entry(0, 8, 2);
	cr_expect_eq(kvmmte_patch_sites_apply(table, table + 1), 1);
	cr_expect_eq(code[8], 0x17fffffau, "b .-24: got 0x%08x", code[8]);
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

Test(init, unknown_flags_are_rejected_before_any_access)
{
	fake_cpu(2, 0, false);
	cr_expect_eq(kvmmte_init(1U << 1), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_init(~0U), -KVMMTE_EINVAL);
	cr_expect_eq(fake_log_len, 0);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2);
}

Test(init, mte2_cpu_leaves_the_gates_switching)
{
	fake_cpu(2, 3, false);
	cr_expect_eq(kvmmte_init(0), 3);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2, "gate patched on an MTE CPU: %#x", gate_code[0]);
	cr_expect_eq(kvmmte_init(KVMMTE_INIT_NO_PATCH), 3, "second call on a like CPU");
}

Test(init, cpu_without_mte2_patches_every_gate_to_skip)
{
	fake_cpu(2, 1, false);
	cr_expect_eq(kvmmte_init(0), 1);
	cr_expect_eq(gate_code[0], B_PLUS_32, "expected %#x, got %#x", B_PLUS_32, gate_code[0]);
	cr_expect_eq(gate_code[1], 0xb6c000e2u, "only the first gate instruction changes");
	cr_expect_eq(kvmmte_init(0), 1, "second call on a like CPU");
}

Test(init, read_only_text_on_a_cpu_without_mte2_is_erofs)
{
	fake_cpu(2, 0, false);
	cr_expect_eq(kvmmte_init(KVMMTE_INIT_NO_PATCH), -KVMMTE_EROFS);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2);
}

Test(init, mixed_system_is_ebusy)
{
	fake_cpu(2, 3, false);
	cr_assert_eq(kvmmte_init(0), 3);
	fake_cpu(2, 0, false);
	cr_expect_eq(kvmmte_init(0), -KVMMTE_EBUSY);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2, "a late non-MTE CPU must not unpatch");
}

Test(init, mixed_system_the_other_way_is_ebusy)
{
	fake_cpu(2, 0, false);
	cr_assert_eq(kvmmte_init(0), 0);
	fake_cpu(2, 2, false);
	cr_expect_eq(kvmmte_init(0), -KVMMTE_EBUSY);
}

Test(init, secondary_cpu_without_mte2_synchronises_its_fetch_of_patched_text)
{
	fake_cpu(2, 0, false);
	cr_assert_eq(kvmmte_init(0), 0);	/* the boot CPU patches */
	fake_log_clear();
	cr_expect_eq(kvmmte_init(0), 0);	/* a secondary arrives */
	/* Its only accesses: the ID register read, then the ISB. */
	cr_assert_eq(fake_log_len, 2, "expected 2 accesses, got %zu", fake_log_len);
	cr_expect_eq(fake_log[0].phys, PHYS_ID_AA64PFR1_EL1);
	cr_expect_eq(fake_log[1].op, FAKE_ISB, "expected an ISB, got op %d", fake_log[1].op);
	cr_expect_eq(gate_code[0], B_PLUS_32);
}

/* --- FEAT_MTE_ASYNC: the second table ------------------------------------- */

Test(init, mte2_cpu_with_async_patches_nothing)
{
	fake_cpu(2, 2, false);
	cr_expect_eq(kvmmte_init(0), 2);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2, "gate: %#x", gate_code[0]);
	cr_expect_eq(tfsr_code[0], MRS_X3_TFSR_EL1, "TFSR site: %#x", tfsr_code[0]);
}

Test(init, mte2_cpu_without_async_skips_only_the_tfsr_moves)
{
	fake_cpu(2, 2, false);
	fake_cpu_without_async();
	cr_expect_eq(kvmmte_init(0), 2);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2, "the gate must stay: %#x", gate_code[0]);
	cr_expect_eq(tfsr_code[0], B_PLUS_20, "TFSR site: expected %#x, got %#x", B_PLUS_20,
		     tfsr_code[0]);
	cr_expect_eq(tfsr_code[1], 0xd5385624u, "only the first TFSR instruction changes");
	cr_expect_eq(kvmmte_init(0), 2, "second call on a like CPU");
}

Test(init, cpu_without_mte2_patches_both_tables)
{
	fake_cpu(2, 0, false);
	cr_expect_eq(kvmmte_init(0), 0);
	cr_expect_eq(gate_code[0], B_PLUS_32, "gate: %#x", gate_code[0]);
	cr_expect_eq(tfsr_code[0], B_PLUS_20, "TFSR site: %#x", tfsr_code[0]);
}

Test(init, read_only_text_on_an_mte2_cpu_without_async_is_erofs)
{
	fake_cpu(2, 3, false);
	fake_cpu_without_async();
	cr_expect_eq(kvmmte_init(KVMMTE_INIT_NO_PATCH), -KVMMTE_EROFS);
	cr_expect_eq(tfsr_code[0], MRS_X3_TFSR_EL1);
	cr_expect_eq(gate_code[0], MRS_X2_HCR_EL2);
}

Test(init, async_and_non_async_cpus_in_one_system_is_ebusy)
{
	fake_cpu(2, 3, false);
	cr_assert_eq(kvmmte_init(0), 3);
	fake_cpu(2, 3, false);
	fake_cpu_without_async();
	cr_expect_eq(kvmmte_init(0), -KVMMTE_EBUSY);
	cr_expect_eq(tfsr_code[0], MRS_X3_TFSR_EL1, "a late CPU without async must not patch");
}

Test(init, non_async_then_async_cpu_is_ebusy)
{
	fake_cpu(2, 2, false);
	fake_cpu_without_async();
	cr_assert_eq(kvmmte_init(0), 2);
	fake_cpu(2, 2, false);
	cr_expect_eq(kvmmte_init(0), -KVMMTE_EBUSY);
}

Test(init, secondary_without_async_synchronises_its_fetch)
{
	fake_cpu(2, 2, false);
	fake_cpu_without_async();
	cr_assert_eq(kvmmte_init(0), 2);
	fake_log_clear();
	cr_expect_eq(kvmmte_init(0), 2);
	cr_assert_eq(fake_log_len, 2, "expected 2 accesses, got %zu", fake_log_len);
	cr_expect_eq(fake_log[1].op, FAKE_ISB, "expected an ISB, got op %d", fake_log[1].op);
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
