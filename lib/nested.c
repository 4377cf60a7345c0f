// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Nested virtualization (FEAT_NV2) for an L0 hypervisor: the TFSR move on
 * nested entry and exit, HCR_EL2.ATA for L2, and the ID registers of a VM
 * that runs a guest hypervisor.  Contracts in <kvmmte/nested.h>.
 */
#include <kvmmte/nested.h>
#include <kvmmte/sysreg-access.h>
#include <kvmmte/vmm.h>
#include "internal.h"

static bool vncr_aligned(const void *vncr)
{
	return ((uintptr_t)vncr & KVMMTE_VNCR_PAGE_MASK) == 0;
}

/* L1's virtual HCR_EL2, as it left it in the page. */
static uint64_t l1_vhcr(const void *vncr)
{
	return *(const uint64_t *)((const char *)vncr + KVMMTE_VNCR_HCR_EL2);
}

/*
 * The end of every move's checks, once the arguments are there and @vm is
 * valid.  Returns 1 when there is a TFSR to move, 0 when the VM has none
 * (no FEAT_MTE_ASYNC), or a negative error.
 */
static int nested_check_tail(const struct kvmmte_vm_config *vm, const void *vncr)
{
	if (!vncr_aligned(vncr))
		return -KVMMTE_EINVAL;
	if (!kvmmte_vm_has_mte(vm))
		return -KVMMTE_EOPNOTSUPP;
	return vm->async ? 1 : 0;
}

/* What opens enter and exit: nested_check_tail()'s results. */
static int nested_check(enum kvmmte_host_mode mode, const struct kvmmte_vm_config *vm,
			const void *l1, const void *vncr)
{
	int ret;

	if (kvmmte_host_mode_valid(mode))
		return -KVMMTE_EINVAL;
	ret = kvmmte_check_vm_args(vm, l1, vncr);	/* NULL @vm: -EFAULT too */
	return ret ? ret : nested_check_tail(vm, vncr);
}

int kvmmte_nested_enter(enum kvmmte_host_mode mode, const struct kvmmte_vm_config *vm,
			struct kvmmte_el2_state *l1, void *vncr)
{
	int ret = nested_check(mode, vm, l1, vncr);

	if (ret <= 0)
		return ret;
	/*
	 * Under NV2, L1's TFSR_EL2 is the real TFSR_EL1: it leaves now.  L1
	 * writes the page as memory: only TF0/TF1 may reach the register.
	 */
	if (mode == KVMMTE_HOST_VHE)
		kvmmte_nested_enter_vhe(l1, vncr);
	else
		kvmmte_nested_enter_nvhe(l1, vncr);
	return 0;
}

int kvmmte_nested_exit(enum kvmmte_host_mode mode, const struct kvmmte_vm_config *vm,
		       const struct kvmmte_el2_state *l1, void *vncr)
{
	int ret = nested_check(mode, vm, l1, vncr);

	if (ret <= 0)
		return ret;
	/* L2's TFSR, with its faults, is where L1 reads it: NVMem[0x190]. */
	if (mode == KVMMTE_HOST_VHE)
		kvmmte_nested_exit_vhe(l1, vncr);
	else
		kvmmte_nested_exit_nvhe(l1, vncr);
	return 0;
}

/* What opens the _at twins: a NULL @layout or @ctxt first, then as nested_check(). */
static int nested_check_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			   const void *ctxt, const void *l1, const void *vncr)
{
	int ret;

	if (!layout || !ctxt)
		return -KVMMTE_EFAULT;
	ret = kvmmte_check_vm_layout_args(vm, layout, l1, vncr);
	return ret ? ret : nested_check_tail(vm, vncr);
}

int kvmmte_nested_enter_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			   void *ctxt, struct kvmmte_el2_state *l1, void *vncr)
{
	int ret = nested_check_at(vm, layout, ctxt, l1, vncr);

	if (ret <= 0)
		return ret;
	kvmmte_nested_enter_saved(layout, ctxt, l1, vncr);
	return 0;
}

int kvmmte_nested_exit_at(const struct kvmmte_vm_config *vm, const struct kvmmte_layout *layout,
			  void *ctxt, const struct kvmmte_el2_state *l1, void *vncr)
{
	int ret = nested_check_at(vm, layout, ctxt, l1, vncr);

	if (ret <= 0)
		return ret;
	kvmmte_nested_exit_saved(layout, ctxt, l1, vncr);
	return 0;
}

int kvmmte_nested_vmm_reg_list(const struct kvmmte_vm_config *vm, uint64_t *ids, size_t n)
{
	int count = kvmmte_vmm_reg_list(vm, NULL, 0);
	int extra;

	if (count < 0)
		return count;
	extra = kvmmte_vm_has_reg(vm, KVMMTE_MTE_REG_ASYNC);
	if (!ids)
		return count + extra;
	if (n < (size_t)(count + extra))
		return -KVMMTE_ENOSPC;
	kvmmte_vmm_reg_list(vm, ids, n);
	if (extra)
		ids[count] = KVMMTE_ONE_REG(TFSR_EL2);
	return count + extra;
}

/*
 * Where the table in <kvmmte/nested.h> keeps a TFSR of the nested vcpu:
 * 0 and its slot in *@slot (*@page: a slot of the VNCR page, to be read
 * masked), 1 for any other register, or an error.
 */
static int nested_tfsr_slot(const struct kvmmte_vm_config *vm, const struct kvmmte_nested_vcpu *vc,
			    uint64_t id, uint64_t **slot, bool *page)
{
	uint64_t *ctxt_tfsr;
	int ret;

	if (!vc || !vc->layout || !vc->ctxt || !vc->l1 || !vc->vncr)
		return -KVMMTE_EFAULT;
	ret = kvmmte_check_vm_layout_args(vm, vc->layout, vc, vc);
	if (ret)
		return ret;
	if (!vncr_aligned(vc->vncr))
		return -KVMMTE_EINVAL;
	if (id != KVMMTE_ONE_REG(TFSR_EL2) && id != KVMMTE_ONE_REG(TFSR_EL1))
		return 1;
	if (!kvmmte_vm_has_reg(vm, KVMMTE_MTE_REG_ASYNC))
		return -KVMMTE_EPERM;
	ctxt_tfsr = kvmmte_slot(vc->layout, vc->ctxt, KVMMTE_STATE_TFSR_EL1);
	*page = false;
	if (id == KVMMTE_ONE_REG(TFSR_EL2)) {
		*slot = vc->in_l2 ? &vc->l1->tfsr_el2 : ctxt_tfsr;
	} else if (vc->in_l2) {
		*slot = ctxt_tfsr;
	} else {
		*slot = (uint64_t *)((char *)vc->vncr + KVMMTE_VNCR_TFSR_EL1);
		*page = true;
	}
	return 0;
}

int kvmmte_nested_vmm_get_reg(const struct kvmmte_vm_config *vm,
			      const struct kvmmte_nested_vcpu *vc, uint64_t id, uint64_t *val)
{
	uint64_t *slot;
	bool page;
	int ret;

	if (!val)
		return -KVMMTE_EFAULT;
	ret = nested_tfsr_slot(vm, vc, id, &slot, &page);
	if (ret == 1)
		return kvmmte_vmm_get_reg_at(vm, vc->layout, vc->ctxt, id, val);
	if (ret)
		return ret;
	*val = page ? *slot & KVMMTE_TFSR_VALID_MASK : *slot;
	return 0;
}

int kvmmte_nested_vmm_set_reg(const struct kvmmte_vm_config *vm,
			      const struct kvmmte_nested_vcpu *vc, uint64_t id, uint64_t val)
{
	uint64_t *slot;
	bool page;
	int ret = nested_tfsr_slot(vm, vc, id, &slot, &page);

	if (ret == 1)
		return kvmmte_vmm_set_reg_at(vm, vc->layout, vc->ctxt, id, val);
	if (ret)
		return ret;
	if (val & ~KVMMTE_TFSR_VALID_MASK)
		return -KVMMTE_ERANGE;
	*slot = val;
	return 0;
}

int kvmmte_nested_hcr_el2(const struct kvmmte_vm_config *vm, uint64_t vm_hcr,
			  const void *vncr, uint64_t *l2_hcr)
{
	uint64_t bits = 0;
	int ret;

	ret = kvmmte_check_vm_args(vm, vncr, l2_hcr);	/* NULL @vm: -EFAULT too */
	if (ret)
		return ret;
	if (!vncr_aligned(vncr))
		return -KVMMTE_EINVAL;
	/*
	 * L2 may use tags only if both hypervisors above it let it: L0 (for
	 * the VM, or not yet under LAZY) and L1 (for its guest); GMID_EL1 is
	 * hidden if either hides it.  Nothing of L1's for a VM without MTE:
	 * the page is L1's to write, and without FEAT_MTE2 TID5 is RES0 (such
	 * a VM has L0's own TID5 where the CPU has it).
	 */
	if (kvmmte_vm_has_mte(vm)) {
		uint64_t l1 = l1_vhcr(vncr);

		bits = (vm_hcr & l1 & KVMMTE_HCR_EL2_ATA) | (l1 & KVMMTE_HCR_EL2_TID5);
	}
	*l2_hcr = (*l2_hcr & ~KVMMTE_HCR_EL2_ATA) | bits;
	return 0;
}

int kvmmte_nested_trap_owner(const struct kvmmte_vm_config *vm, uint64_t esr, const void *vncr)
{
	struct kvmmte_sysreg_access a;
	uint64_t l1;
	int ret = kvmmte_check_vm_args(vm, vncr, vncr);

	if (ret)
		return ret;
	if (!vncr_aligned(vncr) || kvmmte_esr_decode_sysreg(esr, &a))
		return -KVMMTE_EINVAL;
	if (a.reg == KVMMTE_REG_NONE)
		return KVMMTE_NESTED_OWNER_NONE;
	if (!kvmmte_vm_has_mte(vm))
		return KVMMTE_NESTED_OWNER_L0;
	l1 = l1_vhcr(vncr);
	if (a.reg == KVMMTE_REG_GMID_EL1)
		return l1 & KVMMTE_HCR_EL2_TID5 ? KVMMTE_NESTED_OWNER_L1 : KVMMTE_NESTED_OWNER_L0;
	return l1 & KVMMTE_HCR_EL2_ATA ? KVMMTE_NESTED_OWNER_L0 : KVMMTE_NESTED_OWNER_L1;
}

static bool nested_mode_valid(enum kvmmte_nested_mode nv)
{
	return nv == KVMMTE_NESTED_NV || nv == KVMMTE_NESTED_NV2;
}

int kvmmte_nested_vm_check(const struct kvmmte_vm_config *vm, enum kvmmte_nested_mode nv)
{
	int ret = kvmmte_vm_config_valid(vm);

	if (ret)
		return ret;
	if (!nested_mode_valid(nv))
		return -KVMMTE_EINVAL;
	if (kvmmte_vm_has_mte(vm) && nv != KVMMTE_NESTED_NV2)
		return -KVMMTE_EOPNOTSUPP;
	return 0;
}

/* A VM that runs a guest hypervisor shows its MTE only where L0 keeps it. */
static const struct kvmmte_vm_config *nested_id_view(const struct kvmmte_vm_config *vm,
						     enum kvmmte_nested_mode nv)
{
	static const struct kvmmte_vm_config no_mte = { 0, 0, 0, 0 };

	return nv == KVMMTE_NESTED_NV2 ? vm : &no_mte;
}

int kvmmte_nested_id_aa64pfr1(const struct kvmmte_vm_config *vm, enum kvmmte_nested_mode nv,
			      uint64_t *pfr1)
{
	int ret = kvmmte_check_vm_args(vm, pfr1, pfr1);

	if (ret)
		return ret;
	if (!nested_mode_valid(nv))
		return -KVMMTE_EINVAL;
	return kvmmte_vm_id_aa64pfr1(nested_id_view(vm, nv), pfr1);
}

int kvmmte_nested_id_aa64pfr2(const struct kvmmte_vm_config *vm, enum kvmmte_nested_mode nv,
			      uint64_t *pfr2)
{
	int ret = kvmmte_check_vm_args(vm, pfr2, pfr2);

	if (ret)
		return ret;
	if (!nested_mode_valid(nv))
		return -KVMMTE_EINVAL;
	return kvmmte_vm_id_aa64pfr2(nested_id_view(vm, nv), pfr2);
}
