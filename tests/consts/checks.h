/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The constant values tests/consts/run.sh checks, as X(name, expression,
 * expected).  Each expected value is a plain hex literal, with no suffix
 * and not built from the library's macros, so the same list is read by C
 * (32-bit), gas and GNU ld / lld.
 *
 * CONSTS_DEFS: <kvmmte/const.h> and <kvmmte/sysreg.h>, usable in C,
 * assembly and linker scripts.  CONSTS_C: C only (headers with C
 * declarations, sizeof, signedness).
 */
#ifndef KVMMTE_TESTS_CONSTS_CHECKS_H
#define KVMMTE_TESTS_CONSTS_CHECKS_H

#define CONSTS_DEFS(X)								\
	X(bit_0,		KVMMTE_BIT(0),			0x1)		\
	X(bit_31,		KVMMTE_BIT(31),			0x80000000)	\
	X(bit_32,		KVMMTE_BIT(32),			0x100000000)	\
	X(bit_63,		KVMMTE_BIT(63),			0x8000000000000000) \
	X(field_mask_0_63,	KVMMTE_FIELD_MASK(0, 63),	0x7fffffffffffffff) \
	X(hcr_el2_ata,		KVMMTE_HCR_EL2_ATA,		0x0100000000000000) \
	X(hcr_el2_dct,		KVMMTE_HCR_EL2_DCT,		0x0200000000000000) \
	X(hcr_el2_tid5,		KVMMTE_HCR_EL2_TID5,		0x0400000000000000) \
	X(hcr_el2_e2h,		KVMMTE_HCR_EL2_E2H,		0x0000000400000000) \
	X(hcr_el2_rw,		KVMMTE_HCR_EL2_RW,		0x80000000)	\
	X(hcr_el2_tge,		KVMMTE_HCR_EL2_TGE,		0x08000000)	\
	X(scr_el3_ata,		KVMMTE_SCR_EL3_ATA,		0x04000000)	\
	X(sctlr_itfsb,		KVMMTE_SCTLR_ITFSB,		0x0000002000000000) \
	X(sctlr_tcf0_mask,	KVMMTE_SCTLR_TCF0_MASK,		0x000000c000000000) \
	X(sctlr_tcf_mask,	KVMMTE_SCTLR_TCF_MASK,		0x0000030000000000) \
	X(sctlr_not_tcf_mask,	~KVMMTE_SCTLR_TCF_MASK,		0xfffffcffffffffff) \
	X(sctlr_ata0,		KVMMTE_SCTLR_ATA0,		0x0000040000000000) \
	X(sctlr_ata,		KVMMTE_SCTLR_ATA,		0x0000080000000000) \
	X(pfr1_mte_mask,	KVMMTE_PFR1_MTE_MASK,		0xf00)		\
	X(pfr1_mte_frac_mask,	KVMMTE_PFR1_MTE_FRAC_MASK,	0x00000f0000000000) \
	X(pfr1_mtex_mask,	KVMMTE_PFR1_MTEX_MASK,		0x00f0000000000000) \
	X(addr_tag_mask,	KVMMTE_ADDR_TAG_MASK,		0x0f00000000000000) \
	X(not_addr_tag_mask,	~KVMMTE_ADDR_TAG_MASK,		0xf0ffffffffffffff) \
	X(rgsr_valid_mask,	KVMMTE_RGSR_EL1_VALID_MASK,	0xffff0f)	\
	X(gcr_valid_mask,	KVMMTE_GCR_EL1_VALID_MASK,	0x1ffff)	\
	X(tfsr_valid_mask,	KVMMTE_TFSR_VALID_MASK,		0x3)		\
	X(gmid_bs_mask,		KVMMTE_GMID_EL1_BS_MASK,	0xf)		\
	X(spsr_tco,		KVMMTE_SPSR_TCO,		0x02000000)	\
	X(one_reg_gcr_el1,	KVMMTE_ONE_REG(GCR_EL1),	0x603000000013c086) \
	X(one_reg_tfsr_el2,	KVMMTE_ONE_REG(TFSR_EL2),	0x603000000013e2b0)

#ifndef __ASSEMBLER__
#define CONSTS_C(X)								\
	X(sizeof_ul_0,		sizeof(KVMMTE_UL(0)),		8)		\
	X(sizeof_bit_0,		sizeof(KVMMTE_BIT(0)),		8)		\
	X(sizeof_field_mask,	sizeof(KVMMTE_FIELD_MASK(0, 4)), 8)		\
	X(sizeof_hcr_el2_ata,	sizeof(KVMMTE_HCR_EL2_ATA),	8)		\
	X(sizeof_sctlr_itfsb,	sizeof(KVMMTE_SCTLR_ITFSB),	8)		\
	X(sizeof_pfr1_mte_frac_mask, sizeof(KVMMTE_PFR1_MTE_FRAC_MASK), 8)	\
	X(sizeof_gcr_valid_mask, sizeof(KVMMTE_GCR_EL1_VALID_MASK), 8)		\
	X(sizeof_one_reg,	sizeof(KVMMTE_ONE_REG(GCR_EL1)), 8)		\
	X(bit_is_unsigned,	KVMMTE_BIT(0) - 2 > 0,		1)		\
	X(esr_ec_mask,		KVMMTE_ESR_EC_MASK,		0xfc000000)	\
	X(esr_il,		KVMMTE_ESR_IL,			0x02000000)	\
	X(sizeof_esr_ec_mask,	sizeof(KVMMTE_ESR_EC_MASK),	8)		\
	X(sctlr_dssbs,		KVMMTE_SCTLR_DSSBS,		0x0000100000000000) \
	X(spsr_nzcv_mask,	KVMMTE_SPSR_NZCV_MASK,		0xf0000000)	\
	X(reset_pattern,	KVMMTE_RESET_PATTERN,		0xa5a5a5a5a5a5a5a5) \
	X(state_size,		KVMMTE_STATE_SIZE,		32)		\
	X(sizeof_state,		sizeof(struct kvmmte_state),	32)
#endif

#endif /* KVMMTE_TESTS_CONSTS_CHECKS_H */
