// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The C half of baselines (i) and (ii), modelled for the benchmark: on an
 * nVHE host, __sysreg_save_el1_state()/__sysreg_restore_el1_state() move
 * TFSR_EL1 and TFSRE0_EL1 on every entry and exit, each time behind
 * ctxt_has_mte(): find the vcpu (the running one, or the context's
 * container), then kvm_has_mte() = system_supports_mte() (a static key,
 * one patched instruction, NOP or branch) && the VM's MTE flag.  Under VHE
 * the same two functions run at vcpu load/put.
 *
 * The structures keep only the fields that code touches.  Left out, so the
 * baseline is if anything understated: kern_hyp_va() on the VM pointer
 * (an alternative-patched sequence of up to 5 instructions per check).
 *
 * Built twice (bench.mk): BASELINE_MTE_CPU=1 falls through the key into
 * the flag test, =0 branches to "no MTE", as the two CPUs run it after
 * patching.  (The kernel's key is an unlikely one, laid out the other way
 * round: a NOP without MTE, a branch on an MTE CPU; one instruction either
 * way, so the count is the same.)
 */
#include <stddef.h>
#include <kvmmte/sysreg-access.h>
#include "baseline.h"

#if BASELINE_MTE_CPU
#define BASELINE_FN(name)	name
#define BASELINE_KEY_INSN	"nop"
#else
#define BASELINE_FN(name)	name##_nomte
#define BASELINE_KEY_INSN	"b %l[no]"
#endif

static inline int system_supports_mte(void)
{
	__asm__ goto(BASELINE_KEY_INSN : : : : no);
	return 1;
no:
	return 0;
}

static inline int ctxt_has_mte(struct baseline_ctxt *ctxt)
{
	struct baseline_vcpu *vcpu = ctxt->hyp_running_vcpu;

	if (!vcpu)
		vcpu = (struct baseline_vcpu *)((char *)ctxt -
						offsetof(struct baseline_vcpu, ctxt));
	return system_supports_mte() && ((vcpu->kvm->flags >> BASELINE_KVM_MTE_ENABLED) & 1);
}

/* @vhe: read_sysreg_el1() reaches the guest's TFSR_EL1 as TFSR_EL12. */
static inline void baseline_save_el1_mte(struct baseline_ctxt *ctxt, int vhe)
{
	if (ctxt_has_mte(ctxt)) {
		ctxt->tfsr_el1 = vhe ? kvmmte_read_tfsr_el12() : kvmmte_read_tfsr_el1();
		ctxt->tfsre0_el1 = kvmmte_read_tfsre0_el1();
	}
}

static inline void baseline_restore_el1_mte(struct baseline_ctxt *ctxt, int vhe)
{
	if (ctxt_has_mte(ctxt)) {
		if (vhe)
			kvmmte_write_tfsr_el12(ctxt->tfsr_el1);
		else
			kvmmte_write_tfsr_el1(ctxt->tfsr_el1);
		kvmmte_write_tfsre0_el1(ctxt->tfsre0_el1);
	}
}

/*
 * One nVHE round trip's C work, inlined as KVM's
 * __sysreg_{save,restore}_state_nvhe() inline it: host saved and guest
 * restored on entry, the reverse on exit.  The compiler barriers stand for
 * the guest's run between the two halves.
 */
void BASELINE_FN(baseline_nvhe_round_trip_c)(uint64_t host_ctxt, uint64_t guest_ctxt,
					     uint64_t unused)
{
	struct baseline_ctxt *host = (struct baseline_ctxt *)host_ctxt;
	struct baseline_ctxt *guest = (struct baseline_ctxt *)guest_ctxt;

	(void)unused;
	baseline_save_el1_mte(host, 0);
	baseline_restore_el1_mte(guest, 0);
	__asm__ volatile("" ::: "memory");
	baseline_save_el1_mte(guest, 0);
	baseline_restore_el1_mte(host, 0);
}

/* VHE vcpu load then put: the guest's EL1 pair restored, then saved. */
void BASELINE_FN(baseline_vhe_load_put_c)(uint64_t host_ctxt, uint64_t guest_ctxt,
					  uint64_t unused)
{
	struct baseline_ctxt *guest = (struct baseline_ctxt *)guest_ctxt;

	(void)host_ctxt;
	(void)unused;
	baseline_restore_el1_mte(guest, 1);
	__asm__ volatile("" ::: "memory");
	baseline_save_el1_mte(guest, 1);
}
