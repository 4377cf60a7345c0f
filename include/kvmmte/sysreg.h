/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * MTE system register definitions, shared by C, assembly and linker scripts.
 *
 * Definitions only: no code, no data.  Every register is named by its
 * generic S<op0>_<op1>_C<n>_C<m>_<op2> form, which any binutils or clang
 * assembles at -march=armv8-a; the mnemonic (gcr_el1) needs +memtag.
 *
 * Encodings and fields: Arm ARM (DDI 0487), "AArch64 System Register
 * Descriptions" for each register named below, and "The Memory Tagging
 * Extension" chapter for the control bits.  The test suite checks every
 * encoding against the assembler's own +memtag mnemonics, or, where the
 * assembler has no name (ID_AA64PFR2_EL1 in binutils 2.40 and clang 14),
 * against the instruction word worked out by hand (tests/host/oracle.sh).
 */
#ifndef KVMMTE_SYSREG_H
#define KVMMTE_SYSREG_H

#include <kvmmte/const.h>

/*
 * Encodings, written once as (op0, op1, CRn, CRm, op2).  Everything else
 * (assembler names, lookup keys, KVM one-reg ids, ESR matching) derives
 * from these lists.
 */
#define KVMMTE_ENC_RGSR_EL1		3, 0, 1, 0, 5
#define KVMMTE_ENC_GCR_EL1		3, 0, 1, 0, 6
#define KVMMTE_ENC_TFSR_EL1		3, 0, 5, 6, 0
#define KVMMTE_ENC_TFSRE0_EL1		3, 0, 5, 6, 1
#define KVMMTE_ENC_TFSR_EL2		3, 4, 5, 6, 0
#define KVMMTE_ENC_TFSR_EL12		3, 5, 5, 6, 0
#define KVMMTE_ENC_GMID_EL1		3, 1, 0, 0, 4
/* Non-MTE registers the library reads or writes. */
#define KVMMTE_ENC_ID_AA64PFR1_EL1	3, 0, 0, 4, 1
#define KVMMTE_ENC_ID_AA64PFR2_EL1	3, 0, 0, 4, 2
#define KVMMTE_ENC_SCTLR_EL1		3, 0, 1, 0, 0
#define KVMMTE_ENC_SCTLR_EL2		3, 4, 1, 0, 0
#define KVMMTE_ENC_HCR_EL2		3, 4, 1, 1, 0
#define KVMMTE_ENC_SCR_EL3		3, 6, 1, 1, 0
#define KVMMTE_ENC_CURRENTEL		3, 0, 4, 2, 2
#define KVMMTE_ENC_DCZID_EL0		3, 3, 0, 0, 7

/* KVMMTE_SYS(GCR_EL1) -> S3_0_C1_C0_6, for mrs/msr in .S and inline asm. */
#define KVMMTE_SYSNAME_ARGS(op0, op1, crn, crm, op2) \
	S##op0##_##op1##_C##crn##_C##crm##_##op2
#define KVMMTE_SYSNAME_(enc)		KVMMTE_SYSNAME_ARGS(enc)
#define KVMMTE_SYS(reg)			KVMMTE_SYSNAME_(KVMMTE_ENC_##reg)

/*
 * A register's encoding as one integer, laid out like the MSR/MRS
 * instruction's bits [20:5] (op0 in [20:19]).  Used as a lookup key.
 */
#define KVMMTE_SYSKEY_ARGS(op0, op1, crn, crm, op2) \
	(((op0) << 19) | ((op1) << 16) | ((crn) << 12) | ((crm) << 8) | ((op2) << 5))
#define KVMMTE_SYSKEY_(enc)		KVMMTE_SYSKEY_ARGS(enc)
#define KVMMTE_SYSKEY(reg)		KVMMTE_SYSKEY_(KVMMTE_ENC_##reg)

/* KVM_{GET,SET}_ONE_REG id of a system register (KVM_REG_ARM64_SYSREG, U64). */
#define KVMMTE_ONE_REG_BASE		KVMMTE_UL(0x6030000000130000)
#define KVMMTE_ONE_REG_ARGS(op0, op1, crn, crm, op2) \
	(KVMMTE_ONE_REG_BASE | (KVMMTE_UL(op0) << 14) | (KVMMTE_UL(op1) << 11) | \
	 (KVMMTE_UL(crn) << 7) | (KVMMTE_UL(crm) << 3) | KVMMTE_UL(op2))
#define KVMMTE_ONE_REG_(enc)		KVMMTE_ONE_REG_ARGS(enc)
#define KVMMTE_ONE_REG(reg)		KVMMTE_ONE_REG_(KVMMTE_ENC_##reg)

/*
 * Fields.  _SHIFT and _WIDTH are plain integers (tbz/ubfx take them as
 * immediates); _MASK is built from them.
 */
#define KVMMTE_FIELD(reg_field)	\
	KVMMTE_FIELD_MASK(reg_field##_SHIFT, reg_field##_WIDTH)

/* RGSR_EL1: Random Allocation Tag Seed Register */
#define KVMMTE_RGSR_EL1_TAG_SHIFT	0
#define KVMMTE_RGSR_EL1_TAG_WIDTH	4
#define KVMMTE_RGSR_EL1_TAG_MASK	KVMMTE_FIELD(KVMMTE_RGSR_EL1_TAG)
#define KVMMTE_RGSR_EL1_SEED_SHIFT	8
#define KVMMTE_RGSR_EL1_SEED_WIDTH	16
#define KVMMTE_RGSR_EL1_SEED_MASK	KVMMTE_FIELD(KVMMTE_RGSR_EL1_SEED)
#define KVMMTE_RGSR_EL1_VALID_MASK	(KVMMTE_RGSR_EL1_TAG_MASK | KVMMTE_RGSR_EL1_SEED_MASK)

/* GCR_EL1: Tag Control Register */
#define KVMMTE_GCR_EL1_EXCLUDE_SHIFT	0
#define KVMMTE_GCR_EL1_EXCLUDE_WIDTH	16
#define KVMMTE_GCR_EL1_EXCLUDE_MASK	KVMMTE_FIELD(KVMMTE_GCR_EL1_EXCLUDE)
#define KVMMTE_GCR_EL1_RRND_SHIFT	16
#define KVMMTE_GCR_EL1_RRND_WIDTH	1
#define KVMMTE_GCR_EL1_RRND_MASK	KVMMTE_FIELD(KVMMTE_GCR_EL1_RRND)
#define KVMMTE_GCR_EL1_VALID_MASK	(KVMMTE_GCR_EL1_EXCLUDE_MASK | KVMMTE_GCR_EL1_RRND_MASK)

/* TFSR_EL1, TFSR_EL2 (and TFSR_EL12): Tag Fault Status Registers */
#define KVMMTE_TFSR_TF0_SHIFT		0
#define KVMMTE_TFSR_TF0_WIDTH		1
#define KVMMTE_TFSR_TF0_MASK		KVMMTE_FIELD(KVMMTE_TFSR_TF0)
#define KVMMTE_TFSR_TF1_SHIFT		1
#define KVMMTE_TFSR_TF1_WIDTH		1
#define KVMMTE_TFSR_TF1_MASK		KVMMTE_FIELD(KVMMTE_TFSR_TF1)
#define KVMMTE_TFSR_VALID_MASK		(KVMMTE_TFSR_TF0_MASK | KVMMTE_TFSR_TF1_MASK)

/* TFSRE0_EL1: Tag Fault Status Register (EL0); TF0/TF1 as in TFSR_EL1 */
#define KVMMTE_TFSRE0_EL1_TF0_SHIFT	0
#define KVMMTE_TFSRE0_EL1_TF0_WIDTH	1
#define KVMMTE_TFSRE0_EL1_TF0_MASK	KVMMTE_FIELD(KVMMTE_TFSRE0_EL1_TF0)
/* TF1: an EL0 access with address bit 55 set (the upper VA range). */
#define KVMMTE_TFSRE0_EL1_TF1_SHIFT	1
#define KVMMTE_TFSRE0_EL1_TF1_WIDTH	1
#define KVMMTE_TFSRE0_EL1_TF1_MASK	KVMMTE_FIELD(KVMMTE_TFSRE0_EL1_TF1)
#define KVMMTE_TFSRE0_EL1_VALID_MASK	(KVMMTE_TFSRE0_EL1_TF0_MASK | KVMMTE_TFSRE0_EL1_TF1_MASK)

/* GMID_EL1: Multiple tag transfer ID register (read-only) */
#define KVMMTE_GMID_EL1_BS_SHIFT	0
#define KVMMTE_GMID_EL1_BS_WIDTH	4
#define KVMMTE_GMID_EL1_BS_MASK		KVMMTE_FIELD(KVMMTE_GMID_EL1_BS)

/* HCR_EL2: MTE controls */
#define KVMMTE_HCR_EL2_ATA_SHIFT	56	/* 0: EL1/EL0 tag accesses and MTE sysregs trap */
#define KVMMTE_HCR_EL2_ATA		KVMMTE_BIT(KVMMTE_HCR_EL2_ATA_SHIFT)
#define KVMMTE_HCR_EL2_DCT_SHIFT	57	/* stage-2 Default Cacheability is Tagged */
#define KVMMTE_HCR_EL2_DCT		KVMMTE_BIT(KVMMTE_HCR_EL2_DCT_SHIFT)
#define KVMMTE_HCR_EL2_TID5_SHIFT	58	/* trap GMID_EL1 */
#define KVMMTE_HCR_EL2_TID5		KVMMTE_BIT(KVMMTE_HCR_EL2_TID5_SHIFT)
/* Not MTE, but needed to reason about the host mode and guest width. */
#define KVMMTE_HCR_EL2_RW_SHIFT		31
#define KVMMTE_HCR_EL2_RW		KVMMTE_BIT(KVMMTE_HCR_EL2_RW_SHIFT)
#define KVMMTE_HCR_EL2_E2H_SHIFT	34
#define KVMMTE_HCR_EL2_E2H		KVMMTE_BIT(KVMMTE_HCR_EL2_E2H_SHIFT)
#define KVMMTE_HCR_EL2_TGE_SHIFT	27
#define KVMMTE_HCR_EL2_TGE		KVMMTE_BIT(KVMMTE_HCR_EL2_TGE_SHIFT)
/*
 * Nested virtualization (FEAT_NV, FEAT_NV2): what a guest hypervisor's
 * register accesses from EL1 do (Arm ARM (DDI 0487), HCR_EL2; the
 * VNCR_EL2 page offsets are in <kvmmte/nested.h>).
 */
#define KVMMTE_HCR_EL2_NV_SHIFT		42	/* EL2 accesses from EL1 trap (or redirect) */
#define KVMMTE_HCR_EL2_NV		KVMMTE_BIT(KVMMTE_HCR_EL2_NV_SHIFT)
#define KVMMTE_HCR_EL2_NV1_SHIFT	43	/* guest hypervisor without E2H: EL1 names redirect too */
#define KVMMTE_HCR_EL2_NV1		KVMMTE_BIT(KVMMTE_HCR_EL2_NV1_SHIFT)
#define KVMMTE_HCR_EL2_NV2_SHIFT	45	/* FEAT_NV2: redirect to the VNCR_EL2 page */
#define KVMMTE_HCR_EL2_NV2		KVMMTE_BIT(KVMMTE_HCR_EL2_NV2_SHIFT)

/* SCR_EL3: MTE control */
#define KVMMTE_SCR_EL3_ATA_SHIFT	26
#define KVMMTE_SCR_EL3_ATA		KVMMTE_BIT(KVMMTE_SCR_EL3_ATA_SHIFT)

/* SCTLR_ELx: MTE controls (SCTLR_EL1, SCTLR_EL2 and SCTLR_EL3 share them) */
#define KVMMTE_SCTLR_ITFSB_SHIFT	37	/* exception entry synchronises TFSR */
#define KVMMTE_SCTLR_ITFSB		KVMMTE_BIT(KVMMTE_SCTLR_ITFSB_SHIFT)
#define KVMMTE_SCTLR_TCF0_SHIFT		38	/* EL0 tag-check fault mode */
#define KVMMTE_SCTLR_TCF0_WIDTH		2
#define KVMMTE_SCTLR_TCF0_MASK		KVMMTE_FIELD(KVMMTE_SCTLR_TCF0)
#define KVMMTE_SCTLR_TCF_SHIFT		40	/* ELx tag-check fault mode */
#define KVMMTE_SCTLR_TCF_WIDTH		2
#define KVMMTE_SCTLR_TCF_MASK		KVMMTE_FIELD(KVMMTE_SCTLR_TCF)
#define KVMMTE_SCTLR_ATA0_SHIFT		42	/* EL0 may access allocation tags */
#define KVMMTE_SCTLR_ATA0		KVMMTE_BIT(KVMMTE_SCTLR_ATA0_SHIFT)
#define KVMMTE_SCTLR_ATA_SHIFT		43	/* ELx may access allocation tags */
#define KVMMTE_SCTLR_ATA		KVMMTE_BIT(KVMMTE_SCTLR_ATA_SHIFT)
/* Values of the TCF/TCF0 fields */
#define KVMMTE_TCF_NONE			0
#define KVMMTE_TCF_SYNC			1
#define KVMMTE_TCF_ASYNC		2
#define KVMMTE_TCF_ASYMM		3

/* ID_AA64PFR1_EL1: MTE feature fields */
#define KVMMTE_PFR1_MTE_SHIFT		8
#define KVMMTE_PFR1_MTE_WIDTH		4
#define KVMMTE_PFR1_MTE_MASK		KVMMTE_FIELD(KVMMTE_PFR1_MTE)
#define KVMMTE_PFR1_MTE_NI		0	/* not implemented */
#define KVMMTE_PFR1_MTE_INSNS		1	/* FEAT_MTE: EL0 instructions only */
#define KVMMTE_PFR1_MTE_MTE2		2	/* FEAT_MTE2: tag storage, the registers exist */
#define KVMMTE_PFR1_MTE_MTE3		3	/* FEAT_MTE3: asymmetric tag-check faults */
#define KVMMTE_PFR1_MTE_FRAC_SHIFT	40
#define KVMMTE_PFR1_MTE_FRAC_WIDTH	4
#define KVMMTE_PFR1_MTE_FRAC_MASK	KVMMTE_FIELD(KVMMTE_PFR1_MTE_FRAC)
#define KVMMTE_PFR1_MTE_FRAC_ASYNC	0	/* asynchronous faults supported */
#define KVMMTE_PFR1_MTE_FRAC_NOASYNC	0xf	/* asynchronous faults not supported */
#define KVMMTE_PFR1_MTEX_SHIFT		52
#define KVMMTE_PFR1_MTEX_WIDTH		4
#define KVMMTE_PFR1_MTEX_MASK		KVMMTE_FIELD(KVMMTE_PFR1_MTEX)

/*
 * ID_AA64PFR2_EL1: MTE feature fields (Arm ARM DDI 0487, ID_AA64PFR2_EL1).
 * Each is 0 (not implemented) or 1 (implemented); other values reserved.
 * Without FEAT_MTE2 none may be 1.
 */
#define KVMMTE_PFR2_MTEPERM_SHIFT	0	/* FEAT_MTE_PERM: stage-2 NoTagAccess */
#define KVMMTE_PFR2_MTEPERM_WIDTH	4
#define KVMMTE_PFR2_MTEPERM_MASK	KVMMTE_FIELD(KVMMTE_PFR2_MTEPERM)
#define KVMMTE_PFR2_MTESTOREONLY_SHIFT	4	/* FEAT_MTE_STORE_ONLY: store-only tag checks */
#define KVMMTE_PFR2_MTESTOREONLY_WIDTH	4
#define KVMMTE_PFR2_MTESTOREONLY_MASK	KVMMTE_FIELD(KVMMTE_PFR2_MTESTOREONLY)
#define KVMMTE_PFR2_MTEFAR_SHIFT	8	/* FEAT_MTE_TAGGED_FAR: FAR[63:60] known on a tag-check fault */
#define KVMMTE_PFR2_MTEFAR_WIDTH	4
#define KVMMTE_PFR2_MTEFAR_MASK		KVMMTE_FIELD(KVMMTE_PFR2_MTEFAR)
#define KVMMTE_PFR2_NI			0	/* any of the three: not implemented */
#define KVMMTE_PFR2_IMP			1	/* any of the three: implemented */

/* CurrentEL */
#define KVMMTE_CURRENTEL_EL_SHIFT	2
#define KVMMTE_CURRENTEL_EL_WIDTH	2

/* DCZID_EL0: Data Cache Zero ID register (read-only); DC GVA/GZVA use its block */
#define KVMMTE_DCZID_EL0_BS_SHIFT	0	/* log2 of the block size in words */
#define KVMMTE_DCZID_EL0_BS_WIDTH	4
#define KVMMTE_DCZID_EL0_BS_MASK	KVMMTE_FIELD(KVMMTE_DCZID_EL0_BS)
#define KVMMTE_DCZID_EL0_DZP_SHIFT	4	/* 1: DC ZVA, GVA, GZVA prohibited */
#define KVMMTE_DCZID_EL0_DZP_WIDTH	1
#define KVMMTE_DCZID_EL0_DZP_MASK	KVMMTE_FIELD(KVMMTE_DCZID_EL0_DZP)

/* PSTATE.TCO as it appears in SPSR_ELx */
#define KVMMTE_SPSR_TCO_SHIFT		25
#define KVMMTE_SPSR_TCO			KVMMTE_BIT(KVMMTE_SPSR_TCO_SHIFT)

/* MAIR attribute of Tagged Normal memory, Inner/Outer Write-Back */
#define KVMMTE_MAIR_ATTR_NORMAL_TAGGED	0xf0

/* Tag geometry */
#define KVMMTE_TAG_GRANULE_SHIFT	4
#define KVMMTE_TAG_GRANULE		16	/* bytes covered by one allocation tag */
#define KVMMTE_TAG_BITS			4

/* The address (logical) tag of a pointer, with TBI: bits [59:56] */
#define KVMMTE_ADDR_TAG_SHIFT		56
#define KVMMTE_ADDR_TAG_WIDTH		KVMMTE_TAG_BITS
#define KVMMTE_ADDR_TAG_MASK		KVMMTE_FIELD(KVMMTE_ADDR_TAG)

#endif /* KVMMTE_SYSREG_H */
