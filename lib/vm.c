// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Per-VM MTE configuration: feasibility against the host CPU, and the
 * HCR_EL2 / ID_AA64PFR1_EL1 / ID_AA64PFR2_EL1 / SCTLR_EL2 values that
 * follow from it.
 * Pure functions: no system register access.
 */
#include <kvmmte/vm.h>
#include "internal.h"

static bool level_valid(unsigned int level)
{
	return level == 0 || level == KVMMTE_PFR1_MTE_MTE2 || level == KVMMTE_PFR1_MTE_MTE3;
}

int kvmmte_vm_check(const struct kvmmte_caps *host, unsigned int mte_level,
		    unsigned int flags)
{
	if (!host)
		return -KVMMTE_EFAULT;
	if (!level_valid(mte_level) || (flags & ~KVMMTE_VM_FLAGS_VALID) ||
	    (mte_level == 0 && flags))
		return -KVMMTE_EINVAL;
	if (mte_level == 0)
		return 0;
	if (host->level < KVMMTE_PFR1_MTE_MTE2)
		return -KVMMTE_ENODEV;
	if (mte_level == KVMMTE_PFR1_MTE_MTE3 && host->level < KVMMTE_PFR1_MTE_MTE3)
		return -KVMMTE_EOPNOTSUPP;
	if ((flags & KVMMTE_VM_ASYNC) && !host->async)
		return -KVMMTE_ENXIO;
	return 0;
}

int kvmmte_vm_config_init(struct kvmmte_vm_config *vm, const struct kvmmte_caps *host,
			  unsigned int mte_level, unsigned int flags)
{
	int ret;

	if (!vm)
		return -KVMMTE_EFAULT;
	ret = kvmmte_vm_check(host, mte_level, flags);
	if (ret)
		return ret;
	vm->mte_level = mte_level;
	vm->flags = flags;
	vm->gmid_bs = mte_level ? (host->gmid_bs & KVMMTE_GMID_EL1_BS_MASK) : 0;
	vm->async = mte_level && host->async;
	return 0;
}

int kvmmte_vm_config_valid(const struct kvmmte_vm_config *vm)
{
	if (!vm)
		return -KVMMTE_EFAULT;
	if (!level_valid(vm->mte_level) || (vm->flags & ~KVMMTE_VM_FLAGS_VALID) ||
	    vm->gmid_bs > KVMMTE_GMID_EL1_BS_MASK || vm->async > 1 ||
	    ((vm->flags & KVMMTE_VM_ASYNC) && !vm->async) ||
	    (vm->mte_level == 0 && (vm->flags || vm->gmid_bs || vm->async)))
		return -KVMMTE_EINVAL;
	return 0;
}

int kvmmte_vm_hcr_el2(const struct kvmmte_vm_config *vm, const struct kvmmte_caps *host_caps,
		      uint64_t *hcr)
{
	uint64_t v;
	int ret = kvmmte_check_vm_args(vm, host_caps, hcr);

	if (ret)
		return ret;
	v = *hcr & ~KVMMTE_VM_HCR_EL2_MASK;
	/* Without FEAT_MTE2 the three bits are RES0: leave them clear. */
	if (host_caps->level >= KVMMTE_PFR1_MTE_MTE2) {
		if (vm->mte_level == 0)
			v |= KVMMTE_HCR_EL2_TID5;	/* GMID_EL1 exists in hardware: hide it */
		else if (vm->flags & KVMMTE_VM_LAZY)
			v |= KVMMTE_HCR_EL2_DCT;
		else
			v |= KVMMTE_HCR_EL2_ATA | KVMMTE_HCR_EL2_DCT;
	}
	*hcr = v;
	return 0;
}

int kvmmte_vm_id_aa64pfr1(const struct kvmmte_vm_config *vm, uint64_t *pfr1)
{
	uint64_t v, host_level, host_frac, level, frac = 0;
	int ret = kvmmte_check_vm_args(vm, pfr1, pfr1);

	if (ret)
		return ret;
	v = *pfr1;
	host_level = kvmmte_pfr1_mte(v);
	host_frac = (v & KVMMTE_PFR1_MTE_FRAC_MASK) >> KVMMTE_PFR1_MTE_FRAC_SHIFT;
	level = vm->mte_level < host_level ? vm->mte_level : host_level;
	/*
	 * MTE2 or more, or nothing.  Level 1 (EL0 tag instructions, no tag
	 * storage) would tell the guest GCR_EL1, RGSR_EL1, TFSR*_EL1 and
	 * GMID_EL1 do not exist while this VM has them emulated or switched.
	 * A VM with MTE only meets a host field below 2 if @pfr1 is not from
	 * the CPU its config was checked against: hide MTE there.
	 */
	if (level < KVMMTE_PFR1_MTE_MTE2)
		level = KVMMTE_PFR1_MTE_NI;
	else
		frac = vm->async && host_frac == KVMMTE_PFR1_MTE_FRAC_ASYNC ?
			       KVMMTE_PFR1_MTE_FRAC_ASYNC : KVMMTE_PFR1_MTE_FRAC_NOASYNC;
	v &= ~(KVMMTE_PFR1_MTE_MASK | KVMMTE_PFR1_MTE_FRAC_MASK | KVMMTE_PFR1_MTEX_MASK);
	v |= level << KVMMTE_PFR1_MTE_SHIFT;
	v |= frac << KVMMTE_PFR1_MTE_FRAC_SHIFT;
	*pfr1 = v;
	return 0;
}

/* min(@field, 1): a reserved value above 1 reads as the one this library knows. */
static uint64_t pfr2_cap(uint64_t field)
{
	return field > KVMMTE_PFR2_IMP ? KVMMTE_PFR2_IMP : field;
}

int kvmmte_vm_id_aa64pfr2(const struct kvmmte_vm_config *vm, uint64_t *pfr2)
{
	uint64_t v, far = KVMMTE_PFR2_NI, storeonly = KVMMTE_PFR2_NI;
	int ret = kvmmte_check_vm_args(vm, pfr2, pfr2);

	if (ret)
		return ret;
	v = *pfr2;
	if (kvmmte_vm_has_mte(vm)) {
		far = pfr2_cap((v & KVMMTE_PFR2_MTEFAR_MASK) >> KVMMTE_PFR2_MTEFAR_SHIFT);
		storeonly = pfr2_cap((v & KVMMTE_PFR2_MTESTOREONLY_MASK) >>
				     KVMMTE_PFR2_MTESTOREONLY_SHIFT);
	}
	/* MTEPERM stays 0: stage-2 NoTagAccess, nothing here implements it. */
	v &= ~(KVMMTE_PFR2_MTEFAR_MASK | KVMMTE_PFR2_MTESTOREONLY_MASK | KVMMTE_PFR2_MTEPERM_MASK);
	v |= far << KVMMTE_PFR2_MTEFAR_SHIFT;
	v |= storeonly << KVMMTE_PFR2_MTESTOREONLY_SHIFT;
	*pfr2 = v;
	return 0;
}

uint64_t kvmmte_sctlr_el2_bits(const struct kvmmte_caps *host)
{
	if (!host || host->level < KVMMTE_PFR1_MTE_MTE2)
		return 0;
	return KVMMTE_SCTLR_ITFSB;
}
