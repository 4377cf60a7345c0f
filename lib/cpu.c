// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * CPU capability detection and host-mode queries.
 */
#include <kvmmte/cpu.h>
#include <kvmmte/sysreg-access.h>
#include "internal.h"

static unsigned int field(uint64_t reg, unsigned int shift, uint64_t mask)
{
	return (unsigned int)((reg & mask) >> shift);
}

int kvmmte_caps_decode(uint64_t pfr1, struct kvmmte_caps *caps)
{
	if (!caps)
		return -KVMMTE_EFAULT;

	caps->mte_field = kvmmte_pfr1_mte(pfr1);
	caps->level = caps->mte_field > KVMMTE_PFR1_MTE_MTE3 ?
		      KVMMTE_PFR1_MTE_MTE3 : caps->mte_field;
	caps->async = caps->level >= KVMMTE_PFR1_MTE_MTE2 &&
		      field(pfr1, KVMMTE_PFR1_MTE_FRAC_SHIFT, KVMMTE_PFR1_MTE_FRAC_MASK) ==
		      KVMMTE_PFR1_MTE_FRAC_ASYNC;
	caps->mtex = field(pfr1, KVMMTE_PFR1_MTEX_SHIFT, KVMMTE_PFR1_MTEX_MASK);
	caps->gmid_bs = 0;
	return 0;
}

int kvmmte_cpu_caps(struct kvmmte_caps *caps)
{
	int ret = kvmmte_caps_decode(kvmmte_read_id_aa64pfr1_el1(), caps);

	/* GMID_EL1 is UNDEFINED below MTE2: read it only when it exists. */
	if (!ret && caps->level >= KVMMTE_PFR1_MTE_MTE2)
		caps->gmid_bs = field(kvmmte_read_gmid_el1(), KVMMTE_GMID_EL1_BS_SHIFT,
				      KVMMTE_GMID_EL1_BS_MASK);
	return ret;
}

int kvmmte_cpu_mte_level(void)
{
	struct kvmmte_caps caps;

	kvmmte_caps_decode(kvmmte_read_id_aa64pfr1_el1(), &caps);
	return (int)caps.level;
}

int kvmmte_host_mode_valid(int mode)
{
	return mode == KVMMTE_HOST_NVHE || mode == KVMMTE_HOST_VHE ? 0 : -KVMMTE_EINVAL;
}

int kvmmte_host_mode_current(enum kvmmte_host_mode *mode)
{
	if (!mode)
		return -KVMMTE_EFAULT;
	if (field(kvmmte_read_currentel(), KVMMTE_CURRENTEL_EL_SHIFT,
		  KVMMTE_FIELD_MASK(KVMMTE_CURRENTEL_EL_SHIFT, KVMMTE_CURRENTEL_EL_WIDTH)) != 2)
		return -KVMMTE_EOPNOTSUPP;
	*mode = (kvmmte_read_hcr_el2() & KVMMTE_HCR_EL2_E2H) ? KVMMTE_HOST_VHE :
							       KVMMTE_HOST_NVHE;
	return 0;
}
