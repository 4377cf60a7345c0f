// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Definitions in include/kvmmte/ against values written out by hand from
 * the Arm ARM and from binutils' own +memtag encodings (objdump).
 */
#include <criterion/criterion.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/state.h>
#include <stddef.h>

#define EXPECT_CONST(expr, want)						\
	cr_expect_eq((unsigned long long)(expr), (unsigned long long)(want),	\
		     "%s: expected %#llx, got %#llx", #expr,			\
		     (unsigned long long)(want), (unsigned long long)(expr))

Test(defs, kvm_one_reg_ids)
{
	EXPECT_CONST(KVMMTE_ONE_REG(RGSR_EL1), 0x603000000013c085ULL);
	EXPECT_CONST(KVMMTE_ONE_REG(GCR_EL1), 0x603000000013c086ULL);
	EXPECT_CONST(KVMMTE_ONE_REG(TFSR_EL1), 0x603000000013c2b0ULL);
	EXPECT_CONST(KVMMTE_ONE_REG(TFSRE0_EL1), 0x603000000013c2b1ULL);
}

Test(defs, lookup_keys_match_the_msr_instruction_fields)
{
	/* mrs x0, gcr_el1 = 0xd53810c0: bits [20:5] are the key. */
	EXPECT_CONST(KVMMTE_SYSKEY(GCR_EL1), (0xd53810c0u & 0x1fffe0u));
	EXPECT_CONST(KVMMTE_SYSKEY(RGSR_EL1), (0xd53810a0u & 0x1fffe0u));
	EXPECT_CONST(KVMMTE_SYSKEY(TFSR_EL1), (0xd5385600u & 0x1fffe0u));
	EXPECT_CONST(KVMMTE_SYSKEY(TFSRE0_EL1), (0xd5385620u & 0x1fffe0u));
	EXPECT_CONST(KVMMTE_SYSKEY(TFSR_EL12), (0xd53d5600u & 0x1fffe0u));
	EXPECT_CONST(KVMMTE_SYSKEY(GMID_EL1), (0xd5390080u & 0x1fffe0u));
}

Test(defs, control_bits)
{
	EXPECT_CONST(KVMMTE_HCR_EL2_ATA, 1ULL << 56);
	EXPECT_CONST(KVMMTE_HCR_EL2_DCT, 1ULL << 57);
	EXPECT_CONST(KVMMTE_HCR_EL2_TID5, 1ULL << 58);
	EXPECT_CONST(KVMMTE_SCR_EL3_ATA, 1ULL << 26);
	EXPECT_CONST(KVMMTE_SCTLR_ITFSB, 1ULL << 37);
	EXPECT_CONST(KVMMTE_SCTLR_TCF0_MASK, 3ULL << 38);
	EXPECT_CONST(KVMMTE_SCTLR_TCF_MASK, 3ULL << 40);
	EXPECT_CONST(KVMMTE_SCTLR_ATA0, 1ULL << 42);
	EXPECT_CONST(KVMMTE_SCTLR_ATA, 1ULL << 43);
	EXPECT_CONST(KVMMTE_PFR1_MTE_MASK, 0xfULL << 8);
	EXPECT_CONST(KVMMTE_PFR1_MTE_FRAC_MASK, 0xfULL << 40);
	EXPECT_CONST(KVMMTE_MAIR_ATTR_NORMAL_TAGGED, 0xf0);
	EXPECT_CONST(KVMMTE_SPSR_TCO, 0x2000000);
}

Test(defs, register_fields)
{
	EXPECT_CONST(KVMMTE_RGSR_EL1_TAG_MASK, 0xf);
	EXPECT_CONST(KVMMTE_RGSR_EL1_SEED_MASK, 0xffff00);
	EXPECT_CONST(KVMMTE_GCR_EL1_EXCLUDE_MASK, 0xffff);
	EXPECT_CONST(KVMMTE_GCR_EL1_RRND_MASK, 0x10000);
	EXPECT_CONST(KVMMTE_TFSR_VALID_MASK, 0x3);
	EXPECT_CONST(KVMMTE_TFSRE0_EL1_VALID_MASK, 0x3);
	EXPECT_CONST(KVMMTE_GMID_EL1_BS_MASK, 0xf);
}

Test(defs, state_layout_keeps_the_per_entry_pair_adjacent_and_aligned)
{
	EXPECT_CONST(offsetof(struct kvmmte_state, rgsr_el1), 0);
	EXPECT_CONST(offsetof(struct kvmmte_state, gcr_el1), 8);
	EXPECT_CONST(_Alignof(struct kvmmte_state), 16);
	EXPECT_CONST(sizeof(struct kvmmte_state), 32);
}
