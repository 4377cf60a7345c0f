/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Nested virtualization with FEAT_NV2: what an L0 hypervisor does with the
 * MTE state when the VM it runs is itself a hypervisor (L1, at virtual
 * EL2) that runs its own guests (L2).
 *
 * Who moves what (docs/api.md, "Nested virtualization (FEAT_NV2)"):
 *  - GCR_EL1, RGSR_EL1 and TFSRE0_EL1 have no NV2 redirection: from L1 they
 *    are the real registers, and L1's own world switch (its own libkvmmte)
 *    moves them between its context and each L2.  L0 moves none of them on
 *    a nested entry or exit; it switches them only between its own host
 *    and the VM, as for any VM.
 *  - TFSR is redirected: with HCR_EL2.NV2 and NV set, L1's TFSR_EL2 (its
 *    own, virtual-EL2 TFSR) is the real TFSR_EL1, and L1's view of L2's
 *    TFSR (TFSR_EL12 with E2H, TFSR_EL1 with NV1) is memory, at
 *    KVMMTE_VNCR_TFSR_EL1 in the VNCR_EL2 page.  While L2 runs, the real
 *    TFSR_EL1 is L2's, so L0 moves it on every nested entry and exit:
 *    kvmmte_nested_enter() and kvmmte_nested_exit().
 *  - HCR_EL2.ATA for L2 is L0's decision for the VM AND L1's virtual
 *    HCR_EL2.ATA (at KVMMTE_VNCR_HCR_EL2): kvmmte_nested_hcr_el2().
 *  - L1 is offered MTE only where L0 can keep it: with NV2.
 *    kvmmte_nested_vm_check(), kvmmte_nested_id_aa64pfr1/2().
 *
 * The VNCR_EL2 offsets below are usable from assembly.  Offsets: Arm ARM
 * (DDI 0487), the offset FEAT_NV2 gives each redirected register in the
 * VNCR_EL2 page (the registers' descriptions); both seen on QEMU 10.0.2.
 */
#ifndef KVMMTE_NESTED_H
#define KVMMTE_NESTED_H

#include <kvmmte/const.h>

/* The VNCR_EL2 page: 4 KiB, 4 KiB-aligned (VNCR_EL2.BADDR is bits [52:12]). */
#define KVMMTE_VNCR_PAGE_SIZE		KVMMTE_UL(4096)
#define KVMMTE_VNCR_PAGE_MASK		(KVMMTE_VNCR_PAGE_SIZE - 1)
/* L1's virtual HCR_EL2. */
#define KVMMTE_VNCR_HCR_EL2		0x078
/* L2's TFSR_EL1, which L1 names TFSR_EL12 (E2H) or TFSR_EL1 (NV1). */
#define KVMMTE_VNCR_TFSR_EL1		0x190

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <kvmmte/errno.h>
#include <kvmmte/cpu.h>
#include <kvmmte/state.h>
#include <kvmmte/sysreg-access.h>
#include <kvmmte/vm.h>
#include <kvmmte/vmm.h>
#include <kvmmte/emulate.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How L0 runs a guest hypervisor (what it sets in the real HCR_EL2 for L1). */
enum kvmmte_nested_mode {
	KVMMTE_NESTED_NV = 1,	/* FEAT_NV only: every EL2 access of L1 traps to L0 */
	KVMMTE_NESTED_NV2 = 2,	/* FEAT_NV2: redirected to the VNCR_EL2 page */
};

/*
 * The moves alone, inline, for L0's hot path: kvmmte_nested_enter_nvhe()
 * / _vhe() and kvmmte_nested_exit_nvhe() / _vhe() do exactly what
 * kvmmte_nested_enter() / _exit() below do once their checks passed (the
 * checked calls run these), with L0's host mode in the name.  Nothing is
 * checked: call them only for a VM whose config kvmmte_vm_config_valid()
 * and kvmmte_nested_vm_check(vm, KVMMTE_NESTED_NV2) accepted, that has MTE
 * and FEAT_MTE_ASYNC (@vm->async), with @vncr L0's 4 KiB-aligned mapping
 * of its VNCR page: what the calls would refuse, these would get wrong.
 * Registers, EL and barriers: as the calls.  No return value.
 */
static inline void kvmmte_nested_enter_nvhe(struct kvmmte_el2_state *l1, const void *vncr)
{
	l1->tfsr_el2 = kvmmte_read_tfsr_el1();
	kvmmte_write_tfsr_el1(*(const uint64_t *)((const char *)vncr + KVMMTE_VNCR_TFSR_EL1) &
			      KVMMTE_TFSR_VALID_MASK);
}

static inline void kvmmte_nested_exit_nvhe(const struct kvmmte_el2_state *l1, void *vncr)
{
	*(uint64_t *)((char *)vncr + KVMMTE_VNCR_TFSR_EL1) = kvmmte_read_tfsr_el1();
	kvmmte_write_tfsr_el1(l1->tfsr_el2 & KVMMTE_TFSR_VALID_MASK);
}

/* A VHE L0 (E2H set): the real TFSR_EL1 is named TFSR_EL12 from EL2. */
static inline void kvmmte_nested_enter_vhe(struct kvmmte_el2_state *l1, const void *vncr)
{
	l1->tfsr_el2 = kvmmte_read_tfsr_el12();
	kvmmte_write_tfsr_el12(*(const uint64_t *)((const char *)vncr + KVMMTE_VNCR_TFSR_EL1) &
			       KVMMTE_TFSR_VALID_MASK);
}

static inline void kvmmte_nested_exit_vhe(const struct kvmmte_el2_state *l1, void *vncr)
{
	*(uint64_t *)((char *)vncr + KVMMTE_VNCR_TFSR_EL1) = kvmmte_read_tfsr_el12();
	kvmmte_write_tfsr_el12(l1->tfsr_el2 & KVMMTE_TFSR_VALID_MASK);
}

/*
 * kvmmte_nested_enter() - the MTE part of entering L2 for L1 (L0 emulates
 * L1's ERET), after L0 has taken that trap and before its ERET into L2.
 *   @mode  L0's own host mode: the real TFSR_EL1 is named TFSR_EL1
 *          (KVMMTE_HOST_NVHE) or TFSR_EL12 (KVMMTE_HOST_VHE, E2H set)
 *   @vm    the VM's config (L0's, for the VM L1 runs in)
 *   @l1    where L0 keeps L1's virtual-EL2 TFSR (L1's "TFSR_EL2") while
 *          L2 runs: @l1->tfsr_el2 = real TFSR_EL1
 *   @vncr  L0's mapping of the VM's VNCR_EL2 page, 4 KiB-aligned: real
 *          TFSR_EL1 = @vncr[KVMMTE_VNCR_TFSR_EL1] & KVMMTE_TFSR_VALID_MASK
 *          (L1 writes the page as memory: its RES0 bits never reach the
 *          register)
 * Registers: reads, then writes, the real TFSR_EL1 (by the name @mode
 * says); nothing else.  GCR_EL1, RGSR_EL1, TFSRE0_EL1 are L1's business.
 * EL2 only.  Barriers: none inside and none needed before the ERET into
 * L2, which synchronises the write; L0 itself runs at EL2, whose tag
 * checks report to TFSR_EL2, so no L0 code between the write and the ERET
 * sees L2's value.  L1's pending asynchronous faults are in TFSR_EL1
 * before the read because L1's ERET trapped to EL2 with SCTLR_EL2.ITFSB set
 * (kvmmte_sctlr_el2_bits()).
 * A VM without FEAT_MTE_ASYNC (@vm->async 0) has no TFSR: returns 0 and
 * touches nothing.
 * Returns 0, or (nothing written, no register touched), checked in this
 * order:
 *   -KVMMTE_EINVAL      @mode unknown
 *   -KVMMTE_EFAULT      @vm, @l1 or @vncr NULL
 *   -KVMMTE_EINVAL      @vm invalid (kvmmte_vm_config_valid()), or @vncr
 *                       not 4 KiB-aligned
 *   -KVMMTE_EOPNOTSUPP  @vm has no MTE (nothing of MTE to move)
 */
int kvmmte_nested_enter(enum kvmmte_host_mode mode, const struct kvmmte_vm_config *vm,
			struct kvmmte_el2_state *l1, void *vncr);

/*
 * kvmmte_nested_exit() - the reverse, when L2 exits to L0 and L0 is about
 * to resume L1 at virtual EL2 (to reflect the exit, or on L2's HVC):
 *   @vncr[KVMMTE_VNCR_TFSR_EL1] = real TFSR_EL1 (L2's, with its faults)
 *   real TFSR_EL1 = @l1->tfsr_el2 & KVMMTE_TFSR_VALID_MASK
 * Arguments, registers, EL and errors as kvmmte_nested_enter().  Barriers:
 * L2's asynchronous faults are in TFSR_EL1 before the read because its
 * exit was an exception to EL2 with SCTLR_EL2.ITFSB set; the ERET into L1
 * synchronises the write.  The page is ordinary memory of the same PE
 * (L1's NV2 accesses to it are loads and stores): no DSB for L1 to see it
 * on this CPU; moving the vcpu to another CPU needs the scheduler's
 * barriers, as any vcpu state does.
 */
int kvmmte_nested_exit(enum kvmmte_host_mode mode, const struct kvmmte_vm_config *vm,
		       const struct kvmmte_el2_state *l1, void *vncr);

/*
 * The _at moves alone, inline (what kvmmte_nested_enter_at()/_exit_at()
 * below do once their checks passed): for a VM and layout those calls
 * would accept, with FEAT_MTE_ASYNC.  Memory only, no return value.
 */
static inline void kvmmte_nested_enter_saved(const struct kvmmte_layout *layout, void *ctxt,
					     struct kvmmte_el2_state *l1, const void *vncr)
{
	uint64_t *tfsr = (uint64_t *)((char *)ctxt + layout->tfsr_el1);

	l1->tfsr_el2 = *tfsr;
	*tfsr = *(const uint64_t *)((const char *)vncr + KVMMTE_VNCR_TFSR_EL1) & KVMMTE_TFSR_VALID_MASK;
}

static inline void kvmmte_nested_exit_saved(const struct kvmmte_layout *layout, void *ctxt,
					    const struct kvmmte_el2_state *l1, void *vncr)
{
	uint64_t *tfsr = (uint64_t *)((char *)ctxt + layout->tfsr_el1);

	*(uint64_t *)((char *)vncr + KVMMTE_VNCR_TFSR_EL1) = *tfsr;
	*tfsr = l1->tfsr_el2 & KVMMTE_TFSR_VALID_MASK;
}

/*
 * kvmmte_nested_enter_at(), kvmmte_nested_exit_at() - the same moves for
 * an L0 whose exit path has already saved the VM's MTE state into its own
 * context (an nVHE L0 that switches every MTE register on every entry and
 * exit): while L0 handles the exit, the VM's TFSR_EL1 is @layout's
 * TFSR_EL1 field of @ctxt, not the register.
 *   enter_at:  @l1->tfsr_el2 = ctxt.TFSR_EL1;
 *              ctxt.TFSR_EL1 = @vncr[KVMMTE_VNCR_TFSR_EL1] & KVMMTE_TFSR_VALID_MASK
 *   exit_at:   @vncr[KVMMTE_VNCR_TFSR_EL1] = ctxt.TFSR_EL1;
 *              ctxt.TFSR_EL1 = @l1->tfsr_el2 & KVMMTE_TFSR_VALID_MASK
 * Memory only: no register, any EL, no barrier (L0's next entry moves the
 * context into the register, as for any entry).  Errors, in this order,
 * with nothing written: -KVMMTE_EFAULT (@vm, @layout, @ctxt, @l1 or @vncr
 * NULL), -KVMMTE_EINVAL (@vm or @layout invalid, @vncr not 4 KiB-aligned),
 * -KVMMTE_EOPNOTSUPP (@vm has no MTE); 0 with nothing moved for a VM
 * without FEAT_MTE_ASYNC.
 */
int kvmmte_nested_enter_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			   void *ctxt, struct kvmmte_el2_state *l1, void *vncr);
int kvmmte_nested_exit_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			  void *ctxt, const struct kvmmte_el2_state *l1, void *vncr);

/*
 * The VMM's view of a vcpu that runs a guest hypervisor (KVM_GET/SET_ONE_REG
 * ids, migration).  Besides kvmmte_vmm_reg_list()'s registers there is one
 * more, L1's TFSR_EL2, and two TFSRs whose home depends on the level the
 * vcpu last ran at, which is L0's own nested state (@in_l2; it migrates
 * with L0's other nested state, as the VNCR page migrates with memory):
 *
 *   register     vcpu in L1 (or about to enter it)   vcpu in L2
 *   TFSR_EL2     @ctxt's TFSR_EL1 (the VM's)          @l1->tfsr_el2
 *   TFSR_EL1     @vncr[KVMMTE_VNCR_TFSR_EL1] (L2's)   @ctxt's TFSR_EL1
 *   RGSR_EL1, GCR_EL1, TFSRE0_EL1: @ctxt, as kvmmte_vmm_get_reg_at()
 *
 * so TFSR_EL2 is always L1's own and TFSR_EL1 always its guest's, whatever
 * L0 was doing when the vcpu stopped.  Call with the vcpu put: its state in
 * @ctxt (after kvmmte_vcpu_put_at() under VHE).  The VNCR page is L0's
 * memory (VNCR_EL2 holds an address of L0's EL2 regime), part of the
 * vcpu's state like its context: the VMM saves and restores it too, and
 * restores it before any set_reg, since TFSR_EL1 of a vcpu in L1 is
 * written into it.
 *
 * Out of scope throughout: L1 running a guest hypervisor of its own (NV
 * set in its virtual HCR_EL2, an L3).
 */
struct kvmmte_nested_vcpu {
	const struct kvmmte_layout *layout;	/* of @ctxt */
	void *ctxt;				/* L0's context of the VM */
	struct kvmmte_el2_state *l1;		/* L1's TFSR while L2 runs */
	void *vncr;				/* L0's mapping of the VNCR page, 4 KiB-aligned */
	bool in_l2;				/* between nested_enter and nested_exit */
};

/* At most kvmmte_nested_vmm_reg_list() ids: the VM's and TFSR_EL2. */
#define KVMMTE_NESTED_VMM_NR_REGS	(KVMMTE_VMM_NR_REGS + 1)

/*
 * kvmmte_nested_vmm_reg_list() - kvmmte_vmm_reg_list(), then
 * KVMMTE_ONE_REG(TFSR_EL2) for a VM with MTE and FEAT_MTE_ASYNC (5 ids; 2
 * without async, 0 without MTE).  @ids NULL: count only.  Errors as
 * kvmmte_vmm_reg_list() (-KVMMTE_ENOSPC: @ids untouched).
 */
int kvmmte_nested_vmm_reg_list(const struct kvmmte_vm_config *vm, uint64_t *ids, size_t n);

/*
 * kvmmte_nested_vmm_get_reg(), kvmmte_nested_vmm_set_reg() - read or
 * write one register of that list where the table above keeps it (a TFSR
 * read from the page is masked to its fields: L1 writes the page as
 * memory).  Memory only, any EL.  Errors, in this order, nothing written:
 *   -KVMMTE_EFAULT  @vm, @vc, @val or one of @vc's pointers NULL
 *   -KVMMTE_EINVAL  @vm or @vc->layout invalid, @vc->vncr not 4 KiB-aligned
 *   -KVMMTE_ENOENT  @id not in any VM's list
 *   -KVMMTE_EPERM   @id hidden for @vm (no MTE; a TFSR without async)
 *   -KVMMTE_ERANGE  set only: @val has a bit outside the register's fields
 */
int kvmmte_nested_vmm_get_reg(const struct kvmmte_vm_config *vm,
			      const struct kvmmte_nested_vcpu *vc, uint64_t id, uint64_t *val);
int kvmmte_nested_vmm_set_reg(const struct kvmmte_vm_config *vm,
			      const struct kvmmte_nested_vcpu *vc, uint64_t id, uint64_t val);

/*
 * kvmmte_nested_hcr_el2() - HCR_EL2.ATA of the HCR_EL2 value *@l2_hcr L0
 * builds for running L2: set if and only if
 *   @vm has MTE, AND @vm_hcr has ATA (L0's decision for the VM: the value
 *   kvmmte_vm_hcr_el2() gave, or its current one under KVMMTE_VM_LAZY),
 *   AND L1's virtual HCR_EL2 (@vncr[KVMMTE_VNCR_HCR_EL2]) has ATA.
 * and, for a VM with MTE, HCR_EL2.TID5 set if L1's virtual HCR_EL2 has it
 * (L1 hides GMID_EL1 from a guest it gives no MTE; L0's own TID5 in
 * *@l2_hcr stays; a VM without MTE never gets L1's: the page is L1's to
 * write and TID5 is RES0 without FEAT_MTE2).  Every
 * other bit of *@l2_hcr is left alone.  Pure: reads @vncr, no register.
 * With ATA clear (or TID5 set) L2's MTE register accesses trap to L0,
 * which asks kvmmte_nested_trap_owner() whose they are.
 * Returns 0, or (*@l2_hcr untouched)
 *   -KVMMTE_EFAULT  @vm, @vncr or @l2_hcr NULL
 *   -KVMMTE_EINVAL  @vm invalid, or @vncr not 4 KiB-aligned
 */
int kvmmte_nested_hcr_el2(const struct kvmmte_vm_config *vm, uint64_t vm_hcr,
			  const void *vncr, uint64_t *l2_hcr);

/* Whose is a trapped MTE register access of L2: kvmmte_nested_trap_owner(). */
enum kvmmte_nested_owner {
	KVMMTE_NESTED_OWNER_NONE = 0,	/* not an MTE register: not this library's business */
	KVMMTE_NESTED_OWNER_L0 = 1,		/* L0's: kvmmte_handle_sysreg_trap*() on the VM's context */
	KVMMTE_NESTED_OWNER_L1 = 2,		/* L1's: reflect the exception to L1's virtual EL2 */
};

/*
 * kvmmte_nested_trap_owner() - L2's MSR/MRS (ESR_EL2 @esr, EC 0x18)
 * trapped to L0; who answers it?
 *   - not an MTE register (kvmmte_esr_decode_sysreg()): KVMMTE_NESTED_OWNER_NONE
 *   - @vm has no MTE: KVMMTE_NESTED_OWNER_L0 (the register does not exist for
 *     the VM, whatever L1 thinks: L0 injects the UNDEF into L2)
 *   - GMID_EL1: KVMMTE_NESTED_OWNER_L1 if L1's virtual HCR_EL2.TID5 is set,
 *     else KVMMTE_NESTED_OWNER_L0
 *   - any other: KVMMTE_NESTED_OWNER_L1 if L1's virtual HCR_EL2.ATA is clear
 *     (L1 kept its guest from tags), else KVMMTE_NESTED_OWNER_L0 (the trap is
 *     L0's own: a KVMMTE_VM_LAZY VM before its first use)
 * Pure: reads @vncr[KVMMTE_VNCR_HCR_EL2], no register.
 * Returns the owner, or -KVMMTE_EFAULT (@vm or @vncr NULL), -KVMMTE_EINVAL
 * (@vm invalid, @vncr not 4 KiB-aligned, @esr not a well-formed EC 0x18).
 */
int kvmmte_nested_trap_owner(const struct kvmmte_vm_config *vm, uint64_t esr, const void *vncr);

/*
 * kvmmte_nested_vm_check() - may a VM that L0 runs as a guest hypervisor
 * in mode @nv have the MTE of @vm?  Only with NV2: under NV alone, every
 * TFSR_EL2 access of L1 traps and this library does not emulate it.
 * Returns 0 (no MTE, or NV2), -KVMMTE_EOPNOTSUPP (MTE without NV2),
 * -KVMMTE_EINVAL (@nv unknown, @vm invalid), -KVMMTE_EFAULT (@vm NULL).
 */
int kvmmte_nested_vm_check(const struct kvmmte_vm_config *vm, enum kvmmte_nested_mode nv);

/*
 * kvmmte_nested_id_aa64pfr1() - kvmmte_vm_id_aa64pfr1() for a VM that
 * runs a guest hypervisor in mode @nv: with KVMMTE_NESTED_NV2 the same
 * value; otherwise MTE and MTE_frac read 0, as for a VM without MTE
 * (L0 can not keep an MTE state it does not move).
 * Returns 0, -KVMMTE_EFAULT, -KVMMTE_EINVAL (@nv unknown, @vm invalid);
 * *@pfr1 untouched on error.
 */
int kvmmte_nested_id_aa64pfr1(const struct kvmmte_vm_config *vm, enum kvmmte_nested_mode nv,
			      uint64_t *pfr1);

/* kvmmte_nested_id_aa64pfr2() - the same rule for kvmmte_vm_id_aa64pfr2(). */
int kvmmte_nested_id_aa64pfr2(const struct kvmmte_vm_config *vm, enum kvmmte_nested_mode nv,
			      uint64_t *pfr2);

#ifdef __cplusplus
}
#endif

#endif /* !__ASSEMBLER__ */
#endif /* KVMMTE_NESTED_H */
