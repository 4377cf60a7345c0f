/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The MTE registers a guest can name in a trapped MSR/MRS and a VMM can
 * see, written once.  Everything per register in the guest-facing code is
 * generated from this list: enum kvmmte_reg (below), the trap classifier,
 * the emulation's state slot and write mask (lib/emulate.c), the VMM's
 * one-reg lookup, settable bits, id list and migration blob
 * (lib/vmm.c).
 *
 * KVMMTE_MTE_REGS(X) expands X(name, offset, valid, flags) once per
 * register, in this order:
 *   name    architectural name: KVMMTE_ENC_<name> (<kvmmte/sysreg.h>) is
 *           its encoding, KVMMTE_REG_<name> its enum kvmmte_reg value
 *   offset  KVMMTE_STATE_* of the struct kvmmte_state field holding its
 *           value, or KVMMTE_MTE_REG_NO_STATE.  TFSR_EL12 (what a guest
 *           hypervisor in virtual EL2 with E2H calls its guest's TFSR_EL1)
 *           shares TFSR_EL1's field; GMID_EL1 is the host's, not state
 *   valid   the bits the register holds; every other bit is RES0.  A guest
 *           MSR keeps only these, a VMM set with any other is refused
 *   flags   KVMMTE_MTE_REG_VMM: visible to the VMM (one-reg id,
 *           kvmmte_vmm_reg_list(), migration blob);
 *           KVMMTE_MTE_REG_RO: read-only (an MSR is UNDEFINED at EL1 and
 *           never traps);
 *           KVMMTE_MTE_REG_ASYNC: present only with FEAT_MTE_ASYNC (Arm
 *           ARM: "present only when FEAT_MTE_ASYNC is implemented"); a VM
 *           whose ID_AA64PFR1_EL1.MTE_frac says no async gets UNDEF for
 *           it, and the VMM does not see it
 * The order is ABI: it gives the enum kvmmte_reg values and the order of
 * kvmmte_vmm_reg_list().  Registers: Arm ARM (DDI 0487), "AArch64 System
 * Register Descriptions"; GMID_EL1 traps with HCR_EL2.TID5, the others
 * with HCR_EL2.ATA clear.
 *
 * Definitions only: usable from C and assembly.
 */
#ifndef KVMMTE_MTE_REGS_H
#define KVMMTE_MTE_REGS_H

#include <kvmmte/sysreg.h>
#include <kvmmte/state.h>

#define KVMMTE_MTE_REG_VMM		(1 << 0)
#define KVMMTE_MTE_REG_RO		(1 << 1)
#define KVMMTE_MTE_REG_ASYNC		(1 << 2)
#define KVMMTE_MTE_REG_NO_STATE		(-1)

#define KVMMTE_MTE_REGS(X)							\
	X(RGSR_EL1,	KVMMTE_STATE_RGSR_EL1,	 KVMMTE_RGSR_EL1_VALID_MASK,	KVMMTE_MTE_REG_VMM) \
	X(GCR_EL1,	KVMMTE_STATE_GCR_EL1,	 KVMMTE_GCR_EL1_VALID_MASK,	KVMMTE_MTE_REG_VMM) \
	X(TFSR_EL1,	KVMMTE_STATE_TFSR_EL1,	 KVMMTE_TFSR_VALID_MASK,	KVMMTE_MTE_REG_VMM | KVMMTE_MTE_REG_ASYNC) \
	X(TFSRE0_EL1,	KVMMTE_STATE_TFSRE0_EL1, KVMMTE_TFSRE0_EL1_VALID_MASK,	KVMMTE_MTE_REG_VMM | KVMMTE_MTE_REG_ASYNC) \
	X(TFSR_EL12,	KVMMTE_STATE_TFSR_EL1,	 KVMMTE_TFSR_VALID_MASK,	KVMMTE_MTE_REG_ASYNC)	\
	X(GMID_EL1,	KVMMTE_MTE_REG_NO_STATE, KVMMTE_GMID_EL1_BS_MASK,	KVMMTE_MTE_REG_RO)

#ifndef __ASSEMBLER__
/* The registers a trapped access can name (and the VMM can see). */
#define KVMMTE_MTE_REG_ENUM_(name, offset, valid, flags)	KVMMTE_REG_##name,
enum kvmmte_reg {
	KVMMTE_REG_NONE = 0,		/* not an MTE register */
	KVMMTE_MTE_REGS(KVMMTE_MTE_REG_ENUM_)
	KVMMTE_REG_COUNT
};
#undef KVMMTE_MTE_REG_ENUM_
#endif /* !__ASSEMBLER__ */

#endif /* KVMMTE_MTE_REGS_H */
