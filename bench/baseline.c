// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The C half of the original patch's switch, modelled for the benchmark:
 * on an nVHE host, __sysreg_save_el1_state()/__sysreg_restore_el1_state()
 * moved TFSR_EL1 and TFSRE0_EL1 on every entry and exit, each time behind
 * ctxt_has_mte(), which finds the vcpu (the running one, or the context's
 * container) and tests the VM's MTE flag.  The data structures are reduced
 * to the fields that code touches; the instruction sequence is what the
 * compiler makes of the same logic.
 */
#include <stddef.h>
#include <kvmmte/sysreg-access.h>
#include "baseline.h"

static int ctxt_has_mte(struct baseline_ctxt *ctxt)
{
	struct baseline_vcpu *vcpu = ctxt->hyp_running_vcpu;

	if (!vcpu)
		vcpu = (struct baseline_vcpu *)((char *)ctxt -
						offsetof(struct baseline_vcpu, ctxt));
	return (vcpu->kvm->flags >> BASELINE_KVM_MTE_ENABLED) & 1;
}

static inline void baseline_save_el1_mte(struct baseline_ctxt *ctxt)
{
	if (ctxt_has_mte(ctxt)) {
		ctxt->tfsr_el1 = kvmmte_read_tfsr_el1();
		ctxt->tfsre0_el1 = kvmmte_read_tfsre0_el1();
	}
}

static inline void baseline_restore_el1_mte(struct baseline_ctxt *ctxt)
{
	if (ctxt_has_mte(ctxt)) {
		kvmmte_write_tfsr_el1(ctxt->tfsr_el1);
		kvmmte_write_tfsre0_el1(ctxt->tfsre0_el1);
	}
}

/*
 * One nVHE round trip's C work in the original patch, inlined as KVM's
 * __sysreg_{save,restore}_state_nvhe() inline it: host saved and guest
 * restored on entry, the reverse on exit.
 */
void baseline_nvhe_round_trip_c(struct baseline_ctxt *host, struct baseline_ctxt *guest)
{
	baseline_save_el1_mte(host);
	baseline_restore_el1_mte(guest);
	baseline_save_el1_mte(guest);
	baseline_restore_el1_mte(host);
}

/* VHE load/put in the original patch: the guest's EL1 pair restored, then saved. */
void baseline_vhe_load_put_c(struct baseline_ctxt *host, struct baseline_ctxt *guest)
{
	(void)host;
	baseline_restore_el1_mte(guest);
	baseline_save_el1_mte(guest);
}
