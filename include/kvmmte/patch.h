/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The patchable per-CPU gates and kvmmte_init(), which settles them
 * (lib/patch.c).  The gates themselves are emitted by the switch macros
 * (<kvmmte/asm-switch.h>) and the inline VHE load/put (<kvmmte/switch.h>).
 */
#ifndef KVMMTE_PATCH_H
#define KVMMTE_PATCH_H

#include <stdint.h>
#include <kvmmte/errno.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Patch sites of the per-CPU gates (the switch macros with gate=patch, and
 * the inline kvmmte_vcpu_load/put_vhe()).  One entry per use, in one of two
 * sections: "kvmmte_patch_sites" (the gate before the whole switch) and
 * "kvmmte_patch_sites_async" (the first TFSR access, before the TFSR moves).
 * Two offsets, relative to the entry's own fields, of the instruction and
 * of the label that skips.  An entry of {0, 0} is a placeholder.
 */
struct kvmmte_patch_site {
	int32_t site;
	int32_t skip;
};

/*
 * kvmmte_patch_sites_check() - the checks of kvmmte_patch_sites_apply()
 * without writing anything.  Returns 0 or its errors.
 */
int kvmmte_patch_sites_check(const struct kvmmte_patch_site *begin,
			     const struct kvmmte_patch_site *end);

/*
 * kvmmte_patch_sites_apply() - make every site in [@begin, @end) skip
 * ("b skip"), with the cache maintenance that makes the new
 * instruction visible to instruction fetch (DC CVAU, DSB ISH, IC IVAU,
 * DSB ISH, ISB).  For hypervisors with several images (modules, a
 * relocated copy): apply each image's own table.  The text must be
 * writable at the addresses the table resolves to.
 * Every site is checked before any is written: it must hold an
 * instruction the library emits at a site (mrs xN, HCR_EL2 or tbz xN, #56
 * at a gate; mrs xN, TFSR_EL1, mrs xN, TFSRE0_EL1, dsb nsh, mrs xN,
 * TFSR_EL12 or msr TFSR_EL12, xN at a first TFSR access) or the branch
 * already patched in, and the skip target must be in branch range.
 * Returns the number of sites patched, or -KVMMTE_EFAULT (NULL bounds),
 * -KVMMTE_EINVAL (bounds reversed, or a site holds something else; nothing
 * written), -KVMMTE_ERANGE (target out of branch range; nothing written).
 */
int kvmmte_patch_sites_apply(const struct kvmmte_patch_site *begin,
			     const struct kvmmte_patch_site *end);

/* kvmmte_init() flags */
#define KVMMTE_INIT_NO_PATCH	(1U << 0)	/* text is read-only / XIP */
#define KVMMTE_INIT_FLAGS_VALID	(KVMMTE_INIT_NO_PATCH)

/*
 * kvmmte_init() - detect MTE on this CPU and settle the patchable gates.
 *
 * Call once on the boot CPU at EL2 (or EL3) before the first guest entry,
 * then on every secondary CPU before it runs a guest.  Not thread-safe
 * against itself: secondaries must not race the boot CPU's call.
 *
 * On a CPU with MTE2 and FEAT_MTE_ASYNC the text is left as it is
 * (unpatched gates perform the whole switch).  On a CPU with MTE2 but
 * without FEAT_MTE_ASYNC (ID_AA64PFR1_EL1.MTE_frac 0xF: TFSR_EL1,
 * TFSR_EL12 and TFSRE0_EL1 are UNDEFINED) every first TFSR access linked
 * into the image (section kvmmte_patch_sites_async) is patched to skip the
 * TFSR moves; RGSR_EL1 and GCR_EL1 still switch.  On a CPU without MTE2
 * every gate (section kvmmte_patch_sites) and every first TFSR access is
 * patched.  With KVMMTE_INIT_NO_PATCH nothing is written, and the call
 * fails if a site would have to be (use gate=idreg in read-only text).
 *
 * Returns the CPU's MTE level (0..3) on success, or
 *   -KVMMTE_EINVAL  unknown flag
 *   -KVMMTE_EROFS   NO_PATCH given and a site would have to be patched
 *   -KVMMTE_EBUSY   an earlier call settled the gates for a CPU of another
 *                   kind (MTE2 with async faults, MTE2 without, no MTE2):
 *                   a mixed system is not supported
 *   any error of kvmmte_patch_sites_apply()
 */
int kvmmte_init(unsigned int flags);

#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_PATCH_H */
