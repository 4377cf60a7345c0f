/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Per-VM MTE configuration: what a VM is given, whether the host can give
 * it, and the control-register bits that follow from that.
 *
 * A hypervisor fills one struct kvmmte_vm_config per VM with
 * kvmmte_vm_config_init() and passes it to every other call that needs to
 * know whether the VM has MTE (trap emulation <kvmmte/emulate.h>, the VMM
 * register interface <kvmmte/vmm.h>).  Every function here is pure: no
 * system register is read or written, so any exception level (or a
 * userspace VMM) may call them.  They never assert: a config that was not
 * produced by kvmmte_vm_config_init() is rejected with -KVMMTE_EINVAL.
 */
#ifndef KVMMTE_VM_H
#define KVMMTE_VM_H

#include <stdint.h>
#include <kvmmte/errno.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/cpu.h>

#ifdef __cplusplus
extern "C" {
#endif

/* kvmmte_vm_config_init() flags */
#define KVMMTE_VM_ASYNC		(1U << 0)	/* the VM requires asynchronous tag-check faults */
/*
 * KVMMTE_VM_LAZY: start with HCR_EL2.ATA clear, enable on the first trapped
 * MTE register access.  Only for guests that program an MTE register before
 * using tags: with ATA clear, tag instructions do not trap (STG is dropped,
 * LDG reads 0), so earlier tag writes would be lost.
 */
#define KVMMTE_VM_LAZY		(1U << 1)
#define KVMMTE_VM_FLAGS_VALID	(KVMMTE_VM_ASYNC | KVMMTE_VM_LAZY)

/*
 * One VM's MTE configuration.  Fill with kvmmte_vm_config_init(); treat as
 * read-only afterwards.
 *   mte_level  ID_AA64PFR1_EL1.MTE the guest sees: 0 (no MTE, registers
 *              hidden and UNDEFINED), 2 (FEAT_MTE2) or 3 (FEAT_MTE3,
 *              asymmetric tag-check faults).  Level 1 (EL0 instructions
 *              without tag storage) is not offered to VMs: neither here
 *              nor in kvmmte_vm_id_aa64pfr1().
 *   flags      KVMMTE_VM_* as requested.
 *   gmid_bs    GMID_EL1.BS the guest reads: the host's (LDGM/STGM move the
 *              hardware's block size, it can not be virtualised).
 *   async      1 if the guest has FEAT_MTE_ASYNC (ID_AA64PFR1_EL1.MTE_frac
 *              0): the host's, for a VM with MTE.  0 for a VM without MTE,
 *              or on a host without it: then TFSR_EL1, TFSR_EL12 and
 *              TFSRE0_EL1 do not exist for the guest (UNDEF on access) nor
 *              for its VMM (not in the register list or the blob).
 */
struct kvmmte_vm_config {
	unsigned int mte_level;
	unsigned int flags;
	unsigned int gmid_bs;
	unsigned int async;
};

/*
 * kvmmte_vm_check() - can a CPU with @host capabilities run a VM that asks
 * for MTE @mte_level (0, 2 or 3) with @flags?
 * Returns 0, or
 *   -KVMMTE_EFAULT      @host is NULL
 *   -KVMMTE_EINVAL      @mte_level not 0, 2 or 3, or an unknown flag, or a
 *                       flag given with @mte_level 0
 *   -KVMMTE_ENODEV      MTE asked for, the CPU lacks FEAT_MTE2
 *   -KVMMTE_EOPNOTSUPP  level 3 (asymmetric faults) asked for, the CPU has
 *                       MTE2 but not FEAT_MTE3
 *   -KVMMTE_ENXIO       KVMMTE_VM_ASYNC asked for, the CPU does not support
 *                       asynchronous tag-check faults (MTE_frac = 0xF)
 * Checked in that order; the first failing condition is reported.
 */
int kvmmte_vm_check(const struct kvmmte_caps *host, unsigned int mte_level,
		    unsigned int flags);

/*
 * kvmmte_vm_config_init() - kvmmte_vm_check(), then fill @vm.
 * Returns 0, -KVMMTE_EFAULT (@vm NULL) or any error of kvmmte_vm_check();
 * @vm is untouched on error.
 */
int kvmmte_vm_config_init(struct kvmmte_vm_config *vm, const struct kvmmte_caps *host,
			  unsigned int mte_level, unsigned int flags);

/*
 * kvmmte_vm_config_valid() - 0 if @vm could have come from config_init,
 * else -KVMMTE_EFAULT (NULL) or -KVMMTE_EINVAL.  Every function that takes
 * a config starts with this check.
 */
int kvmmte_vm_config_valid(const struct kvmmte_vm_config *vm);

/* The HCR_EL2 bits this library decides. */
#define KVMMTE_VM_HCR_EL2_MASK \
	(KVMMTE_HCR_EL2_ATA | KVMMTE_HCR_EL2_DCT | KVMMTE_HCR_EL2_TID5)

/*
 * kvmmte_vm_hcr_el2() - set the MTE bits of the VM's HCR_EL2 value *@hcr
 * (the bits in KVMMTE_VM_HCR_EL2_MASK; every other bit is left alone).
 *   @host_caps level < 2   all three cleared (RES0 without FEAT_MTE2)
 *   VM without MTE         TID5 set (GMID_EL1 reads trap and become UNDEF),
 *                          ATA and DCT clear (the registers trap: UNDEF)
 *   VM with MTE            ATA set (clear if KVMMTE_VM_LAZY: set it when
 *                          kvmmte_handle_sysreg_trap() says ENABLE), DCT
 *                          set (only matters if the hypervisor uses
 *                          HCR_EL2.DC: default memory is then Tagged, as
 *                          the guest expects from MTE memory), TID5 clear
 *                          (GMID_EL1 needs no emulation).
 * Returns 0, -KVMMTE_EFAULT or -KVMMTE_EINVAL (invalid @vm); *@hcr is
 * untouched on error.
 */
int kvmmte_vm_hcr_el2(const struct kvmmte_vm_config *vm, const struct kvmmte_caps *host_caps,
		      uint64_t *hcr);

/*
 * kvmmte_vm_id_aa64pfr1() - sanitise *@pfr1, the host's ID_AA64PFR1_EL1
 * value (or one a VMM already sanitised for its other fields), into what
 * the guest reads:
 *   MTE       min(@vm->mte_level, host's field) when that is 2 or more,
 *             else 0 (a VM without MTE, or @pfr1 from a CPU without MTE2,
 *             which the VM's config was not checked against).  Never 1:
 *             FEAT_MTE alone (EL0 tag instructions, no tag storage) says
 *             the MTE registers are UNDEFINED, untrue for a VM with MTE,
 *             and KVM likewise shows MTE only to VMs with MTE, which
 *             need MTE2 on the host
 *   MTE_frac  0 (async faults) when the guest's MTE is 2 or more, @vm has
 *             async and @pfr1's MTE_frac is 0; 0xF when the guest's MTE
 *             is 2 or more otherwise (a reserved value reads as 0xF);
 *             else 0
 *   MTEX      0 (the library knows no state of the MTE4 extensions)
 * every other field unchanged.
 * Returns 0, -KVMMTE_EFAULT or -KVMMTE_EINVAL (invalid @vm); *@pfr1 is
 * untouched on error.
 */
int kvmmte_vm_id_aa64pfr1(const struct kvmmte_vm_config *vm, uint64_t *pfr1);

/*
 * kvmmte_vm_id_aa64pfr2() - sanitise *@pfr2, the host's ID_AA64PFR2_EL1
 * value (or one a VMM already sanitised for its other fields), into what
 * the guest reads:
 *   MTEFAR        min(host's field, 1) for a VM with MTE (@vm->mte_level
 *                 2 or 3), else 0.  A reserved value above 1 reads as 1:
 *                 as the VM's MTE level is capped to the levels this
 *                 library knows, so are these; an unsigned ID field's
 *                 higher value includes what 1 means.  No state: it says
 *                 whether FAR_EL1[63:60] are known after a tag-check fault
 *   MTESTOREONLY  the same rule.  Its controls (SCTLR_EL1.TCSO, TCSO0) are
 *                 switched with the rest of the guest's SCTLR_EL1
 *   MTEPERM       0 (FEAT_MTE_PERM is the NoTagAccess attribute of stage-2
 *                 translation: a guest could only use it as a hypervisor
 *                 itself, and this library holds no state and handles no
 *                 fault for it; KVM hides it too)
 * every other field unchanged.  Hiding the fields from a VM without MTE is
 * also what the architecture requires: none may be 1 without FEAT_MTE2.
 * Returns 0, -KVMMTE_EFAULT or -KVMMTE_EINVAL (invalid @vm); *@pfr2 is
 * untouched on error.
 */
int kvmmte_vm_id_aa64pfr2(const struct kvmmte_vm_config *vm, uint64_t *pfr2);

/*
 * kvmmte_sctlr_el2_bits() - the SCTLR_EL2 bits a hypervisor running MTE
 * guests must set on a CPU with @host capabilities: ITFSB (exception entry
 * to EL2 synchronises pending asynchronous tag-check faults into TFSR_EL1,
 * so the guest's faults are in the register before it is saved).
 * 0 if @host is NULL or below MTE2 (the bit is RES0 there).  Under VHE,
 * SCTLR_EL2 is also the host kernel's SCTLR: OR the value in, never assign.
 */
uint64_t kvmmte_sctlr_el2_bits(const struct kvmmte_caps *host);

#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_VM_H */
