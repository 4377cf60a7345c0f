/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * C save/restore routines.
 *
 * Which register moves when (the split):
 *
 *   register     nVHE host (kernel at EL1)    VHE host (kernel at EL2)
 *   RGSR_EL1     every entry/exit (asm)       every entry/exit (asm)
 *   GCR_EL1      every entry/exit (asm)       every entry/exit (asm)
 *   TFSR_EL1     every entry/exit (asm)       vcpu load/put (TFSR_EL12)
 *   TFSRE0_EL1   vcpu load/put                vcpu load/put
 *
 * RGSR/GCR have no EL2 copy and the host uses them; an nVHE host kernel
 * records its own faults in TFSR_EL1; a VHE host kernel's go to TFSR_EL2;
 * no host EL0 code runs while a vcpu is loaded.  Every entry/exit is the
 * job of the asm macros (<kvmmte/asm-switch.h>) or their out-of-line
 * versions below; load/put is here.
 *
 * Preconditions of every routine in this file, not checked: the CPU
 * implements MTE2; the VM whose state is moved has MTE; pointers are
 * valid.  DEBUG=1 builds check the MTE2 level, NULL pointers and, for the
 * VHE guest routines, HCR_EL2.E2H.  No routine here synchronises its writes: the caller's
 * next exception return (ERET) does, or the caller issues an ISB.
 */
#ifndef KVMMTE_SWITCH_H
#define KVMMTE_SWITCH_H

#include <kvmmte/state.h>
#include <kvmmte/cpu.h>
#include <kvmmte/sysreg-access.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Full state through the EL1 register names: for EL1 code, an nVHE EL2,
 * or EL3 firmware switching worlds.  Do not use from a VHE EL2 for guest
 * state (TFSR_EL1 would be redirected to TFSR_EL2).
 * Reads/writes RGSR_EL1, GCR_EL1, TFSR_EL1, TFSRE0_EL1, in that order.
 */
void kvmmte_state_save(struct kvmmte_state *s);
void kvmmte_state_restore(const struct kvmmte_state *s);

/*
 * Full guest state from a VHE EL2 (HCR_EL2.E2H = 1): TFSR_EL1 is reached
 * as TFSR_EL12.
 */
void kvmmte_state_save_vhe_guest(struct kvmmte_state *s);
void kvmmte_state_restore_vhe_guest(const struct kvmmte_state *s);

/* TFSR_EL2, for EL3 firmware switching whole worlds.  EL2 or EL3. */
void kvmmte_el2_state_save(struct kvmmte_el2_state *s);
void kvmmte_el2_state_restore(const struct kvmmte_el2_state *s);

/*
 * kvmmte_vcpu_load() - move the lazy set from @host to @guest's values.
 *   nVHE: saves host TFSRE0_EL1, loads the guest's.
 *   VHE:  saves host TFSRE0_EL1, loads the guest's TFSRE0_EL1 and
 *         TFSR_EL1 (as TFSR_EL12).  The host's TFSR_EL1 is not in use.
 * Call where the vcpu is loaded on this CPU, before its first entry; EL2
 * (either mode) or the nVHE host kernel at EL1.
 * Returns 0, or -KVMMTE_EINVAL for an unknown @mode (nothing touched).
 */
int kvmmte_vcpu_load(enum kvmmte_host_mode mode, struct kvmmte_state *host,
		     const struct kvmmte_state *guest);

/*
 * kvmmte_vcpu_put() - the reverse: save the guest's lazy set, restore the
 * host's.  Same contexts and return values as kvmmte_vcpu_load().
 */
int kvmmte_vcpu_put(enum kvmmte_host_mode mode, struct kvmmte_state *host,
		    struct kvmmte_state *guest);

/*
 * The same load/put inline, for a hypervisor whose host mode is fixed at
 * build time: no call, no mode dispatch, no DEBUG check.  Same
 * preconditions and contexts as kvmmte_vcpu_load/put(); no barrier.
 * Each is the floor for its job: VHE load is ldp + mrs + str + 2 msr, VHE
 * put 2 mrs + stp + ldr + msr; nVHE load and put are mrs + str + ldr + msr.
 * The host's TFSRE0_EL1 is kept, not assumed clean: a host that has not
 * consumed its EL0's pending asynchronous faults finds them after put.
 */
static inline void kvmmte_vcpu_load_vhe(struct kvmmte_state *host,
					const struct kvmmte_state *guest)
{
	uint64_t tfsr = guest->tfsr_el1, tfsre0 = guest->tfsre0_el1;

	host->tfsre0_el1 = kvmmte_read_tfsre0_el1();
	kvmmte_write_tfsre0_el1(tfsre0);
	kvmmte_write_tfsr_el12(tfsr);
}

static inline void kvmmte_vcpu_put_vhe(const struct kvmmte_state *host,
				       struct kvmmte_state *guest)
{
	uint64_t tfsr = kvmmte_read_tfsr_el12(), tfsre0 = kvmmte_read_tfsre0_el1();

	guest->tfsr_el1 = tfsr;
	guest->tfsre0_el1 = tfsre0;
	kvmmte_write_tfsre0_el1(host->tfsre0_el1);
}

static inline void kvmmte_vcpu_load_nvhe(struct kvmmte_state *host,
					 const struct kvmmte_state *guest)
{
	host->tfsre0_el1 = kvmmte_read_tfsre0_el1();
	kvmmte_write_tfsre0_el1(guest->tfsre0_el1);
}

static inline void kvmmte_vcpu_put_nvhe(const struct kvmmte_state *host,
					struct kvmmte_state *guest)
{
	guest->tfsre0_el1 = kvmmte_read_tfsre0_el1();
	kvmmte_write_tfsre0_el1(host->tfsre0_el1);
}

/*
 * Out-of-line versions of the entry/exit macros (asm/switch.S), for
 * hypervisors whose entry path is in C.  EL2.  Gated on HCR_EL2.ATA and the
 * patchable per-CPU gate: the guest's HCR_EL2 must already be written when
 * they are called (they read the live register); the to_host variants end
 * with an ISB.
 */
void kvmmte_switch_to_guest_vhe(struct kvmmte_state *guest, struct kvmmte_state *host);
void kvmmte_switch_to_host_vhe(struct kvmmte_state *guest, struct kvmmte_state *host);
void kvmmte_switch_to_guest_nvhe(struct kvmmte_state *guest, struct kvmmte_state *host);
void kvmmte_switch_to_host_nvhe(struct kvmmte_state *guest, struct kvmmte_state *host);

#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_SWITCH_H */
