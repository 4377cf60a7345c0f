/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * CPU capability detection and host mode.  Initialisation of the per-CPU
 * gates (kvmmte_init()) is in <kvmmte/patch.h>.
 */
#ifndef KVMMTE_CPU_H
#define KVMMTE_CPU_H

#include <stdint.h>
#include <stdbool.h>
#include <kvmmte/errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a CPU implements, decoded from ID_AA64PFR1_EL1 (and GMID_EL1). */
struct kvmmte_caps {
	unsigned int mte_field;	/* raw ID_AA64PFR1_EL1.MTE */
	unsigned int level;	/* 0 none, 1 MTE (EL0 insns), 2 MTE2, 3 MTE3 */
	bool async;		/* asynchronous tag-check faults (MTE_frac == 0) */
	unsigned int mtex;	/* raw ID_AA64PFR1_EL1.MTEX */
	unsigned int gmid_bs;	/* GMID_EL1.BS (log2 words per LDGM/STGM); 0 below MTE2 */
};

/*
 * kvmmte_caps_decode() - decode an ID_AA64PFR1_EL1 value.
 * Pure function, callable anywhere.  gmid_bs is left 0.  Field values above
 * 3 (reserved for future extensions, which include MTE3) report level 3.
 * MTE_frac is only meaningful from MTE2 on; below that async is false.
 * Returns 0, or -KVMMTE_EFAULT if @caps is NULL.
 */
int kvmmte_caps_decode(uint64_t id_aa64pfr1, struct kvmmte_caps *caps);

/*
 * kvmmte_cpu_caps() - capabilities of the calling CPU.
 * EL1 or higher.  Reads ID_AA64PFR1_EL1 and, from MTE2 on, GMID_EL1.
 * Returns 0, or -KVMMTE_EFAULT if @caps is NULL.
 */
int kvmmte_cpu_caps(struct kvmmte_caps *caps);

/*
 * kvmmte_cpu_mte_level() - MTE level of the calling CPU (0..3).
 * EL1 or higher.  Never fails.
 */
int kvmmte_cpu_mte_level(void);

enum kvmmte_host_mode {
	KVMMTE_HOST_NVHE = 0,	/* hypervisor at EL2, host kernel at EL1 */
	KVMMTE_HOST_VHE = 1,	/* host kernel at EL2 with HCR_EL2.E2H = 1 */
};

/*
 * kvmmte_host_mode_valid() - 0 if @mode is a known enum kvmmte_host_mode,
 * else -KVMMTE_EINVAL.
 */
int kvmmte_host_mode_valid(int mode);

/*
 * kvmmte_host_mode_current() - the host mode of the running EL2.
 * Reads CurrentEL and HCR_EL2.E2H.  Returns 0 and sets *@mode, or
 * -KVMMTE_EFAULT (@mode NULL), -KVMMTE_EOPNOTSUPP (not running at EL2).
 */
int kvmmte_host_mode_current(enum kvmmte_host_mode *mode);

#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_CPU_H */
