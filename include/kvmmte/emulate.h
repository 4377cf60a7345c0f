/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Guest-facing emulation: trapped MSR/MRS accesses to the MTE registers,
 * and the exception a hypervisor injects when the answer is UNDEF.
 *
 * This header is the entry point of the guest-facing part of the library:
 * it also brings in <kvmmte/vm.h> (per-VM configuration) and
 * <kvmmte/vmm.h> (the VMM's register interface: reset, get/set, migration).
 *
 * Every function here is pure: it reads and writes only the memory it is
 * given, never a system register.  Call it from EL2, from an nVHE host
 * kernel at EL1, or from anywhere else that holds the guest's state.
 * Nothing here asserts on its input: the ESR, the guest's registers and
 * the saved state are guest-controlled data and are validated.
 *
 * Arm ARM (DDI 0487): "ISS encoding for an exception from MSR, MRS, or
 * System instruction execution in AArch64 state" (EC 0x18) for the
 * decoding; "Exception entry" (AArch64.TakeException) for the injection.
 */
#ifndef KVMMTE_EMULATE_H
#define KVMMTE_EMULATE_H

#include <stdbool.h>
#include <stdint.h>
#include <kvmmte/errno.h>
#include <kvmmte/mte-regs.h>
#include <kvmmte/state.h>
#include <kvmmte/vm.h>
#include <kvmmte/vmm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ESR_ELx: the fields this file uses. */
#define KVMMTE_ESR_EC_SHIFT		26
#define KVMMTE_ESR_EC_WIDTH		6
#define KVMMTE_ESR_EC_MASK		KVMMTE_FIELD_MASK(KVMMTE_ESR_EC_SHIFT, KVMMTE_ESR_EC_WIDTH)
#define KVMMTE_ESR_IL_SHIFT		25
#define KVMMTE_ESR_IL			KVMMTE_BIT(KVMMTE_ESR_IL_SHIFT)
#define KVMMTE_ESR_ISS_WIDTH		25
#define KVMMTE_ESR_EC_UNKNOWN		0x00	/* also what an injected UNDEF reports */
#define KVMMTE_ESR_EC_SYS64		0x18	/* trapped MSR, MRS or System instruction */
/* EC 0x18 ISS */
#define KVMMTE_ESR_SYS64_DIR_SHIFT	0	/* 1: read (MRS) */
#define KVMMTE_ESR_SYS64_CRM_SHIFT	1
#define KVMMTE_ESR_SYS64_RT_SHIFT	5
#define KVMMTE_ESR_SYS64_CRN_SHIFT	10
#define KVMMTE_ESR_SYS64_OP1_SHIFT	14
#define KVMMTE_ESR_SYS64_OP2_SHIFT	17
#define KVMMTE_ESR_SYS64_OP0_SHIFT	20
#define KVMMTE_ESR_SYS64_RES0_MASK	KVMMTE_FIELD_MASK(22, 3)	/* ISS [24:22] */

/* A decoded EC 0x18 syndrome. */
struct kvmmte_sysreg_access {
	uint8_t op0, op1, crn, crm, op2;
	uint8_t rt;			/* 0..30, or 31: XZR */
	bool is_read;			/* MRS; false: MSR */
	enum kvmmte_reg reg;		/* classification of (op0..op2): <kvmmte/mte-regs.h> */
};

/*
 * kvmmte_esr_decode_sysreg() - decode an ESR_EL2 value with EC 0x18.
 * Well-formed means: EC 0x18, IL = 1 (a 32-bit A64 instruction), ESR
 * bits [63:32] and ISS [24:22] zero (RES0 for this EC).  @a->reg is the
 * register the encoding names, KVMMTE_REG_NONE for any other register;
 * it says nothing about whether the access is legal for a given guest
 * (kvmmte_handle_sysreg_trap() decides that).
 * Returns 0, or -KVMMTE_EFAULT (@a NULL), -KVMMTE_EINVAL (another EC or
 * malformed; @a untouched).
 */
int kvmmte_esr_decode_sysreg(uint64_t esr, struct kvmmte_sysreg_access *a);

/* kvmmte_handle_sysreg_trap() results */
enum kvmmte_trap_result {
	/*
	 * Not an MTE register access, or a syndrome that can not occur for
	 * one: another EC, malformed, an MSR to the read-only GMID_EL1, an
	 * EL12 encoding without KVMMTE_TRAP_VEL2*, TFSR_EL1 from a virtual
	 * EL2 with E2H (that names the guest hypervisor's TFSR_EL2).  Nothing
	 * was touched; handle it as any other trapped access would be.
	 */
	KVMMTE_TRAP_NOT_HANDLED = 0,
	/*
	 * Emulated against @state and @gpr.  Advance the guest's PC past the
	 * instruction: kvmmte_skip_trapped_insn() (ELR_EL2 += 4, clears
	 * SPSR_EL2.BTYPE and .SS as hardware completing it would).
	 */
	KVMMTE_TRAP_EMULATED = 1,
	/*
	 * The register does not exist for this guest: inject an UNDEFINED
	 * instruction exception (kvmmte_undef_prepare()); do not advance the
	 * PC.  Nothing was touched.
	 */
	KVMMTE_TRAP_UNDEF = 2,
	/*
	 * KVMMTE_VM_LAZY VM, first use: set HCR_EL2.ATA for the vcpu, make
	 * @state live in hardware (kvmmte_vcpu_load(), and the per-entry
	 * switch now runs because ATA is set), and return to the guest
	 * without advancing the PC: the instruction re-executes without
	 * trapping.  Nothing was touched.
	 */
	KVMMTE_TRAP_ENABLE = 3,
};

/* kvmmte_handle_sysreg_trap() flags: where the trapping guest code ran. */
#define KVMMTE_TRAP_VEL2	(1U << 0)	/* virtual EL2, virtual HCR_EL2.E2H = 0 */
#define KVMMTE_TRAP_VEL2_E2H	(1U << 1)	/* virtual EL2, virtual HCR_EL2.E2H = 1 */
/*
 * With one of the two: the guest hypervisor runs with HCR_EL2.NV2, so its
 * guest's TFSR (TFSR_EL12 with E2H, TFSR_EL1 without) is the VNCR page's,
 * reached without a trap once HCR_EL2.ATA is set (docs/emulation.md).
 */
#define KVMMTE_TRAP_NV2		(1U << 2)
#define KVMMTE_TRAP_FLAGS_VALID	(KVMMTE_TRAP_VEL2 | KVMMTE_TRAP_VEL2_E2H | KVMMTE_TRAP_NV2)

/*
 * kvmmte_handle_sysreg_trap() - handle a trapped MSR/MRS from a guest.
 * @vm     the VM's configuration (kvmmte_vm_config_init()).
 * @esr    ESR_EL2 of the trap, as read.
 * @flags  0 for a guest at EL1 (the usual case), or one KVMMTE_TRAP_VEL2*
 *         for a guest hypervisor in virtual EL2 under FEAT_NV.
 * @state  the guest's saved MTE state: the current values, i.e. not live
 *         in hardware (true while HCR_EL2.ATA is clear and nothing loaded
 *         them).  Written only for an emulated MSR.
 * @gpr    the guest's X0..X30, 31 entries.  An emulated MRS writes
 *         gpr[Rt] (nothing for Rt = 31: XZR); an emulated MSR reads gpr[Rt]
 *         (0 for Rt = 31).
 *
 * For a VM without MTE every MTE register is UNDEF (GMID_EL1 too); for a VM
 * with MTE but without FEAT_MTE_ASYNC (@vm->async 0) TFSR_EL1, TFSR_EL12
 * and TFSRE0_EL1 are UNDEF.  Otherwise: RGSR_EL1, GCR_EL1, TFSR_EL1, TFSRE0_EL1 (and TFSR_EL12 from
 * a virtual EL2 with E2H, which names the guest's EL1 TFSR) are emulated
 * against @state, or answered ENABLE for a KVMMTE_VM_LAZY VM (not
 * TFSR_EL12 from a virtual EL2: that name traps under FEAT_NV whatever
 * HCR_EL2.ATA says, so it is emulated, or a retry would loop); GMID_EL1 reads
 * return @vm->gmid_bs.  An MSR stores the value masked to the register's
 * defined fields: bits that are RES0 are ignored on write, as hardware
 * does (a guest can not make the saved state hold a value the register
 * could not).  TFSR_EL12 from a virtual EL2 without E2H is UNDEF.
 *
 * Returns an enum kvmmte_trap_result (>= 0), or -KVMMTE_EFAULT (a NULL
 * pointer), -KVMMTE_EINVAL (invalid @vm, unknown flag or both VEL2 flags).
 * On any result other than EMULATED, @state and @gpr are untouched.
 */
int kvmmte_handle_sysreg_trap(const struct kvmmte_vm_config *vm, uint64_t esr,
			      unsigned int flags, struct kvmmte_state *state,
			      uint64_t gpr[31]);

/*
 * kvmmte_handle_sysreg_trap_at() - the same on a context of the caller's
 * own: the guest's saved registers are the fields of @ctxt that @layout
 * names (<kvmmte/state.h>), e.g. a KVM-style sys_regs[] array; no copy.
 * Returns what kvmmte_handle_sysreg_trap() returns, or -KVMMTE_EFAULT (a
 * NULL pointer), -KVMMTE_EINVAL (also: @layout not valid).
 */
int kvmmte_handle_sysreg_trap_at(const struct kvmmte_vm_config *vm, uint64_t esr,
				 unsigned int flags, const struct kvmmte_layout *layout,
				 void *ctxt, uint64_t gpr[31]);

/*
 * kvmmte_skip_trapped_insn() - advance the guest past an emulated A64
 * instruction: *@elr_el2 += 4, clear PSTATE.BTYPE and PSTATE.SS in
 * *@spsr_el2 (the instruction completed).  Returns 0 or -KVMMTE_EFAULT.
 */
int kvmmte_skip_trapped_insn(uint64_t *elr_el2, uint64_t *spsr_el2);

/*
 * Everything a hypervisor writes to make the guest take an exception to its
 * EL1 the way hardware would have.
 */
struct kvmmte_guest_exception {
	uint64_t esr_el1;	/* write to the guest's ESR_EL1 */
	uint64_t elr_el1;	/* ... ELR_EL1: the preferred return address */
	uint64_t spsr_el1;	/* ... SPSR_EL1: the guest's PSTATE at the fault */
	uint64_t elr_el2;	/* new guest PC: VBAR_EL1 + vector offset */
	uint64_t spsr_el2;	/* new guest PSTATE */
};

/* PSTATE bits (in SPSR_ELx format) used by the injection. */
#define KVMMTE_SPSR_M_MASK		KVMMTE_UL(0x1f)		/* M[4:0] */
#define KVMMTE_SPSR_M_EL0T		KVMMTE_UL(0x0)
#define KVMMTE_SPSR_M_EL1T		KVMMTE_UL(0x4)
#define KVMMTE_SPSR_M_EL1H		KVMMTE_UL(0x5)
#define KVMMTE_SPSR_M_AARCH32_USR	KVMMTE_UL(0x10)
/* AArch32 EL1 modes (Hyp 0x1a and Monitor 0x16 are EL2 and EL3). */
#define KVMMTE_SPSR_M_AARCH32_FIQ	KVMMTE_UL(0x11)
#define KVMMTE_SPSR_M_AARCH32_IRQ	KVMMTE_UL(0x12)
#define KVMMTE_SPSR_M_AARCH32_SVC	KVMMTE_UL(0x13)
#define KVMMTE_SPSR_M_AARCH32_ABT	KVMMTE_UL(0x17)
#define KVMMTE_SPSR_M_AARCH32_UND	KVMMTE_UL(0x1b)
#define KVMMTE_SPSR_M_AARCH32_SYS	KVMMTE_UL(0x1f)
#define KVMMTE_SPSR_DAIF		KVMMTE_UL(0x3c0)	/* D A I F, bits [9:6] */
#define KVMMTE_SPSR_BTYPE_MASK		KVMMTE_UL(0xc00)	/* [11:10] */
#define KVMMTE_SPSR_SSBS		KVMMTE_BIT(12)
#define KVMMTE_SPSR_SS			KVMMTE_BIT(21)
#define KVMMTE_SPSR_PAN			KVMMTE_BIT(22)
#define KVMMTE_SPSR_UAO			KVMMTE_BIT(23)
#define KVMMTE_SPSR_DIT			KVMMTE_BIT(24)
#define KVMMTE_SPSR_A32_DIT		KVMMTE_BIT(21)	/* DIT in the AArch32 SPSR format */
#define KVMMTE_SPSR_NZCV_MASK		KVMMTE_UL(0xf0000000)
#define KVMMTE_SCTLR_SPAN		KVMMTE_BIT(23)
#define KVMMTE_SCTLR_DSSBS		KVMMTE_BIT(44)
/* Vector offsets from VBAR_EL1 (synchronous exceptions). */
#define KVMMTE_VECTOR_CUR_SP0		0x000
#define KVMMTE_VECTOR_CUR_SPX		0x200
#define KVMMTE_VECTOR_LOWER_A64		0x400
#define KVMMTE_VECTOR_LOWER_A32		0x600

/*
 * kvmmte_undef_prepare() - the values that inject an UNDEFINED instruction
 * exception into the guest's EL1, as if the trapped instruction had been
 * UNDEFINED in hardware: ESR_EL1, ELR_EL1, SPSR_EL1 and the new ELR_EL2 /
 * SPSR_EL2 in @out, from the guest's PC (@elr_el2, not advanced), PSTATE
 * (@spsr_el2), VBAR_EL1 and SCTLR_EL1; PSTATE.TCO set for a VM with MTE.
 * Then write the five values and ERET.  Pure, any EL.  The value of every
 * field, and why: docs/emulation.md, "kvmmte_undef_prepare".
 * Returns 0, or -KVMMTE_EFAULT (NULL), -KVMMTE_EINVAL (invalid @vm, or
 * @spsr_el2 is not an AArch64 EL0/EL1 or AArch32 User state: AArch64
 * EL2/EL3, AArch32 Hyp 0x1a, Monitor 0x16, reserved M encodings),
 * -KVMMTE_EOPNOTSUPP (an AArch32 EL1 mode: FIQ, IRQ, SVC, ABT, UND, SYS).
 * @out untouched on error.
 */
int kvmmte_undef_prepare(const struct kvmmte_vm_config *vm, uint64_t elr_el2,
			 uint64_t spsr_el2, uint64_t vbar_el1, uint64_t sctlr_el1,
			 struct kvmmte_guest_exception *out);

#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_EMULATE_H */
