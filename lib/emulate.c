// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Trapped MSR/MRS accesses to the MTE registers (ESR EC 0x18), and the
 * UNDEFINED instruction exception a hypervisor injects instead.
 *
 * Everything here is pure and table-free: the per-register switch
 * statements are generated from the one list in <kvmmte/mte-regs.h>, so
 * the code runs at any address (no pointer tables) and never reads a
 * system register.  Every input is guest-controlled and validated;
 * nothing asserts.
 */
#include <kvmmte/emulate.h>
#include "internal.h"

static unsigned int bits(uint64_t v, unsigned int shift, unsigned int width)
{
	return (unsigned int)((v >> shift) & ((1U << width) - 1));
}

/* The register (op0, op1, CRn, CRm, op2) names, from the one list in <kvmmte/mte-regs.h>. */
static enum kvmmte_reg classify(unsigned int op0, unsigned int op1, unsigned int crn,
				unsigned int crm, unsigned int op2)
{
	switch (KVMMTE_SYSKEY_ARGS(op0, op1, crn, crm, op2)) {
#define CLASSIFY(name, offset, valid, flags) \
	case KVMMTE_SYSKEY(name): \
		return KVMMTE_REG_##name;
	KVMMTE_MTE_REGS(CLASSIFY)
#undef CLASSIFY
	default:
		return KVMMTE_REG_NONE;
	}
}

int kvmmte_esr_decode_sysreg(uint64_t esr, struct kvmmte_sysreg_access *a)
{
	struct kvmmte_sysreg_access d;

	if (!a)
		return -KVMMTE_EFAULT;
	/*
	 * ESR_EL2[63:32] (ISS2 and RES0) is zero for EC 0x18; IL is 1 since
	 * MSR/MRS are 32-bit A64 instructions; ISS[24:22] is RES0.
	 */
	if ((esr >> 32) != 0 ||
	    bits(esr, KVMMTE_ESR_EC_SHIFT, KVMMTE_ESR_EC_WIDTH) != KVMMTE_ESR_EC_SYS64 ||
	    !(esr & KVMMTE_ESR_IL) || (esr & KVMMTE_ESR_SYS64_RES0_MASK))
		return -KVMMTE_EINVAL;

	d.op0 = (uint8_t)bits(esr, KVMMTE_ESR_SYS64_OP0_SHIFT, 2);
	d.op2 = (uint8_t)bits(esr, KVMMTE_ESR_SYS64_OP2_SHIFT, 3);
	d.op1 = (uint8_t)bits(esr, KVMMTE_ESR_SYS64_OP1_SHIFT, 3);
	d.crn = (uint8_t)bits(esr, KVMMTE_ESR_SYS64_CRN_SHIFT, 4);
	d.rt = (uint8_t)bits(esr, KVMMTE_ESR_SYS64_RT_SHIFT, 5);
	d.crm = (uint8_t)bits(esr, KVMMTE_ESR_SYS64_CRM_SHIFT, 4);
	d.is_read = bits(esr, KVMMTE_ESR_SYS64_DIR_SHIFT, 1) != 0;
	d.reg = classify(d.op0, d.op1, d.crn, d.crm, d.op2);
	*a = d;
	return 0;
}

/* What <kvmmte/mte-regs.h> says about a register. */
struct reg_desc {
	int offset;		/* in struct kvmmte_state, or KVMMTE_MTE_REG_NO_STATE */
	unsigned int flags;	/* KVMMTE_MTE_REG_* */
	uint64_t valid;		/* bits a guest MSR can change: the defined fields */
};

static struct reg_desc describe(enum kvmmte_reg reg)
{
	switch (reg) {
#define DESCRIBE(name, offset, valid, flags) \
	case KVMMTE_REG_##name: \
		return (struct reg_desc){ (offset), (flags), (valid) };
	KVMMTE_MTE_REGS(DESCRIBE)
#undef DESCRIBE
	default:
		return (struct reg_desc){ KVMMTE_MTE_REG_NO_STATE, 0, 0 };
	}
}

/* The handler, on the state in @ctxt as @l lays it out; arguments checked but @l. */
static int handle_trap(const struct kvmmte_vm_config *vm, uint64_t esr, unsigned int flags,
		       const struct kvmmte_layout *l, void *ctxt, uint64_t gpr[31])
{
	struct kvmmte_sysreg_access a;
	struct reg_desc d;
	bool has_mte, vel2, vel2_e2h, nv2;
	uint64_t *slot;

	vel2 = flags & KVMMTE_TRAP_VEL2;
	vel2_e2h = flags & KVMMTE_TRAP_VEL2_E2H;
	nv2 = flags & KVMMTE_TRAP_NV2;
	if ((flags & ~KVMMTE_TRAP_FLAGS_VALID) || (vel2 && vel2_e2h) || (nv2 && !vel2 && !vel2_e2h))
		return -KVMMTE_EINVAL;
	has_mte = kvmmte_vm_has_mte(vm);

	if (kvmmte_esr_decode_sysreg(esr, &a))
		return KVMMTE_TRAP_NOT_HANDLED;

	if (a.reg == KVMMTE_REG_NONE)
		return KVMMTE_TRAP_NOT_HANDLED;
	d = describe(a.reg);
	/* Read-only: an MSR is UNDEFINED at EL1 and never reaches EL2. */
	if (!a.is_read && (d.flags & KVMMTE_MTE_REG_RO))
		return KVMMTE_TRAP_NOT_HANDLED;

	switch (a.reg) {
	case KVMMTE_REG_TFSR_EL12:
		/* An EL12 name only traps from a virtual EL2 (FEAT_NV). */
		if (!vel2 && !vel2_e2h)
			return KVMMTE_TRAP_NOT_HANDLED;
		if (!vel2_e2h)
			return KVMMTE_TRAP_UNDEF;
		break;
	case KVMMTE_REG_TFSR_EL1:
		/*
		 * From a virtual EL2 with E2H it names that EL2's TFSR_EL2: not
		 * a register of @ctxt (under NV2 the real TFSR_EL1: below).
		 */
		if (vel2_e2h && !nv2)
			return KVMMTE_TRAP_NOT_HANDLED;
		break;
	default:
		break;
	}

	if (!has_mte)
		return KVMMTE_TRAP_UNDEF;
	if (a.reg == KVMMTE_REG_GMID_EL1) {
		/* Trapped by TID5, not ATA: even a lazy VM gets the answer here. */
		if (a.rt != 31)
			gpr[a.rt] = vm->gmid_bs;
		return KVMMTE_TRAP_EMULATED;
	}
	/* TFSR*: present only with FEAT_MTE_ASYNC, as the VM's MTE_frac says. */
	if (!kvmmte_vm_has_reg(vm, d.flags))
		return KVMMTE_TRAP_UNDEF;
	/*
	 * Under NV2 (Arm ARM, the TFSR registers' accessibility pseudocode):
	 * TFSR_EL12 is the VNCR page's whatever ATA says, so it never traps;
	 * TFSR_EL1 is the page's (NV1) or the guest hypervisor's own, the real
	 * register (E2H), and traps only while ATA is clear: a lazy VM's first
	 * use, which the retry completes.  Neither is @ctxt's to emulate.
	 */
	if (nv2 && (a.reg == KVMMTE_REG_TFSR_EL12 || a.reg == KVMMTE_REG_TFSR_EL1))
		return a.reg == KVMMTE_REG_TFSR_EL1 && (vm->flags & KVMMTE_VM_LAZY) ?
		       KVMMTE_TRAP_ENABLE : KVMMTE_TRAP_NOT_HANDLED;
	/*
	 * A lazy VM's first access: setting HCR_EL2.ATA stops the trap, so
	 * the access can simply be retried.  Not for TFSR_EL12 from a virtual
	 * EL2 without NV2: an EL12 name traps under FEAT_NV alone whatever ATA
	 * says, and a retry would trap again forever; it is emulated against
	 * the state.
	 */
	if ((vm->flags & KVMMTE_VM_LAZY) && a.reg != KVMMTE_REG_TFSR_EL12)
		return KVMMTE_TRAP_ENABLE;
	if (d.offset == KVMMTE_MTE_REG_NO_STATE)
		return KVMMTE_TRAP_NOT_HANDLED;	/* unreachable: only GMID_EL1 has no state */

	slot = kvmmte_slot(l, ctxt, d.offset);
	if (a.is_read) {
		if (a.rt != 31)
			gpr[a.rt] = *slot;
	} else {
		/* RES0 bits are ignored on write, as the hardware register would. */
		*slot = (a.rt == 31 ? 0 : gpr[a.rt]) & d.valid;
	}
	return KVMMTE_TRAP_EMULATED;
}

int kvmmte_handle_sysreg_trap(const struct kvmmte_vm_config *vm, uint64_t esr,
			      unsigned int flags, struct kvmmte_state *state,
			      uint64_t gpr[31])
{
	int ret = kvmmte_check_vm_args(vm, state, gpr);

	return ret ? ret : handle_trap(vm, esr, flags, KVMMTE_LAYOUT_OF_STATE, state, gpr);
}

int kvmmte_handle_sysreg_trap_at(const struct kvmmte_vm_config *vm, uint64_t esr,
				 unsigned int flags, const struct kvmmte_layout *layout,
				 void *ctxt, uint64_t gpr[31])
{
	int ret = kvmmte_check_vm_layout_args(vm, layout, ctxt, gpr);

	return ret ? ret : handle_trap(vm, esr, flags, layout, ctxt, gpr);
}

int kvmmte_skip_trapped_insn(uint64_t *elr_el2, uint64_t *spsr_el2)
{
	if (!elr_el2 || !spsr_el2)
		return -KVMMTE_EFAULT;
	*elr_el2 += 4;
	*spsr_el2 &= ~(KVMMTE_SPSR_BTYPE_MASK | KVMMTE_SPSR_SS);
	return 0;
}

#define ESR_EL1_UNDEF	((KVMMTE_UL(KVMMTE_ESR_EC_UNKNOWN) << KVMMTE_ESR_EC_SHIFT) | KVMMTE_ESR_IL)
#define VBAR_EL1_ADDR_MASK	(~KVMMTE_UL(0x7ff))	/* VBAR_EL1[10:0] are RES0 */

int kvmmte_undef_prepare(const struct kvmmte_vm_config *vm, uint64_t elr_el2,
			 uint64_t spsr_el2, uint64_t vbar_el1, uint64_t sctlr_el1,
			 struct kvmmte_guest_exception *out)
{
	uint64_t vector, pstate;
	int ret = kvmmte_check_vm_args(vm, out, out);

	if (ret)
		return ret;

	switch (spsr_el2 & KVMMTE_SPSR_M_MASK) {
	case KVMMTE_SPSR_M_EL0T:
		vector = KVMMTE_VECTOR_LOWER_A64;
		break;
	case KVMMTE_SPSR_M_EL1T:
		vector = KVMMTE_VECTOR_CUR_SP0;
		break;
	case KVMMTE_SPSR_M_EL1H:
		vector = KVMMTE_VECTOR_CUR_SPX;
		break;
	case KVMMTE_SPSR_M_AARCH32_USR:
		vector = KVMMTE_VECTOR_LOWER_A32;
		break;
	case KVMMTE_SPSR_M_AARCH32_FIQ:
	case KVMMTE_SPSR_M_AARCH32_IRQ:
	case KVMMTE_SPSR_M_AARCH32_SVC:
	case KVMMTE_SPSR_M_AARCH32_ABT:
	case KVMMTE_SPSR_M_AARCH32_UND:
	case KVMMTE_SPSR_M_AARCH32_SYS:
		/* AArch32 EL1 modes: the guest's EL1 is AArch32. */
		return -KVMMTE_EOPNOTSUPP;
	default:
		/* EL2, EL3 (AArch64 or AArch32 Hyp/Monitor), or reserved. */
		return -KVMMTE_EINVAL;
	}

	/* Arm ARM AArch64.TakeException: what exception entry to EL1 does. */
	pstate = KVMMTE_SPSR_M_EL1H | KVMMTE_SPSR_DAIF;
	pstate |= spsr_el2 & (KVMMTE_SPSR_NZCV_MASK | KVMMTE_SPSR_PAN);
	/* PSTATE.DIT sits at bit 24 in the AArch64 SPSR format, 21 in AArch32's. */
	if (vector == KVMMTE_VECTOR_LOWER_A32 ? (spsr_el2 & KVMMTE_SPSR_A32_DIT) :
						(spsr_el2 & KVMMTE_SPSR_DIT))
		pstate |= KVMMTE_SPSR_DIT;
	if (!(sctlr_el1 & KVMMTE_SCTLR_SPAN))
		pstate |= KVMMTE_SPSR_PAN;
	if (sctlr_el1 & KVMMTE_SCTLR_DSSBS)
		pstate |= KVMMTE_SPSR_SSBS;
	if (kvmmte_vm_has_mte(vm))
		pstate |= KVMMTE_SPSR_TCO;

	out->esr_el1 = ESR_EL1_UNDEF;
	out->elr_el1 = elr_el2;
	out->spsr_el1 = spsr_el2;
	out->elr_el2 = (vbar_el1 & VBAR_EL1_ADDR_MASK) + vector;
	out->spsr_el2 = pstate;
	return 0;
}
