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
 *   TFSRE0_EL1   every entry/exit (asm)       every entry/exit (asm)
 *
 * Why each register moves where it does (and why TFSRE0_EL1 can not wait
 * for put in either mode): docs/api.md, "Which register moves when".
 * Every entry/exit is the job of the asm macros (<kvmmte/asm-switch.h>) or
 * their out-of-line versions below; load/put is here.
 *
 * Preconditions of every routine in this file, not checked: the CPU
 * implements MTE2; the VM whose state is moved has MTE; pointers are
 * valid.  On a CPU without FEAT_MTE_ASYNC (ID_AA64PFR1_EL1.MTE_frac 0xF)
 * the TFSR registers do not exist: the routines move RGSR_EL1 and
 * GCR_EL1 only.  The whole-state routines read ID_AA64PFR1_EL1, set the
 * TFSR fields of a state they save to 0 and ignore those of a state they
 * restore; load/put and the out-of-line switch functions are patch sites
 * that kvmmte_init() settles, and leave the TFSR fields alone.
 * DEBUG=1 builds check the MTE2 level, NULL pointers and, for the VHE
 * guest routines, HCR_EL2.E2H.  No routine here synchronises its writes:
 * the caller's next exception return (ERET) does, or the caller issues an
 * ISB.
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
 * kvmmte_vcpu_load() - load @guest's lazy set.
 *   VHE:  loads the guest's TFSR_EL1 (as TFSR_EL12).  The host's TFSR_EL1
 *         is not in use (its kernel's faults go to TFSR_EL2).
 *   nVHE: nothing: every MTE register moves on every entry and exit.
 * Call where the vcpu is loaded on this CPU, before its first entry; EL2
 * (either mode) or the nVHE host kernel at EL1.  @host is not accessed
 * today and may be NULL; it is part of the interface so that the split can
 * change.
 * Returns 0, or -KVMMTE_EINVAL for an unknown @mode (nothing touched).
 */
int kvmmte_vcpu_load(enum kvmmte_host_mode mode, struct kvmmte_state *host,
		     const struct kvmmte_state *guest);

/*
 * kvmmte_vcpu_put() - the reverse: save the guest's lazy set.  Same
 * contexts and return values as kvmmte_vcpu_load().
 */
int kvmmte_vcpu_put(enum kvmmte_host_mode mode, struct kvmmte_state *host,
		    struct kvmmte_state *guest);

/*
 * kvmmte_vcpu_load_at(), kvmmte_vcpu_put_at() - the same on a guest context
 * of the caller's own: @layout's TFSR_EL1 field of @ctxt (<kvmmte/state.h>).
 * No host state: none moves at load/put.  Returns 0, or -KVMMTE_EINVAL
 * (unknown mode, invalid @layout), -KVMMTE_EFAULT (NULL); nothing touched
 * on error.
 */
int kvmmte_vcpu_load_at(enum kvmmte_host_mode mode, const struct kvmmte_layout *layout,
			const void *ctxt);
int kvmmte_vcpu_put_at(enum kvmmte_host_mode mode, const struct kvmmte_layout *layout,
		       void *ctxt);

/*
 * The same load/put inline, for a hypervisor whose host mode is fixed at
 * build time: no call, no mode dispatch, no DEBUG check.  Same
 * preconditions and contexts as kvmmte_vcpu_load/put(); no barrier.  VHE
 * load is ldr + msr, put mrs + str; the nVHE ones are empty, and exist so
 * that a hypervisor's load/put path reads the same in both modes.
 *
 * TFSR_EL12 exists only with FEAT_MTE_ASYNC.  The VHE access is a patch
 * site of the kvmmte_patch_sites_async table (<kvmmte/patch.h>): on a CPU
 * without async faults kvmmte_init() turns it into a branch past it, so
 * these cost nothing extra where the register exists.  Host builds
 * (KVMMTE_FAKE_SYSREG) model the patched text with a check of the fake
 * ID_AA64PFR1_EL1.
 */
#ifdef KVMMTE_FAKE_SYSREG
static inline int kvmmte_fake_cpu_has_tfsr(void)
{
	struct kvmmte_caps caps;

	kvmmte_caps_decode(kvmmte_read_id_aa64pfr1_el1(), &caps);
	return caps.async;
}

/* The guest's TFSR_EL1, as TFSR_EL12, from and to its slot @p. */
static inline void kvmmte_load_tfsr_el12_(const uint64_t *p)
{
	if (kvmmte_fake_cpu_has_tfsr())
		kvmmte_write_tfsr_el12(*p);
}

static inline void kvmmte_save_tfsr_el12_(uint64_t *p)
{
	if (kvmmte_fake_cpu_has_tfsr())
		*p = kvmmte_read_tfsr_el12();
}
#else
/* Record the asm's label 1 as a site that kvmmte_init() may turn into "b skip". */
#define KVMMTE_ASYNC_SITE_(skip)						\
	".pushsection kvmmte_patch_sites_async, \"a\"\n\t"			\
	".balign 4\n\t"								\
	".long 1b - .\n\t"							\
	".long " skip " - .\n\t"							\
	".popsection"

/* The guest's TFSR_EL1, as TFSR_EL12, from and to its slot @p. */
static inline void kvmmte_load_tfsr_el12_(const uint64_t *p)
{
	__asm__ goto("1:\tmsr " KVMMTE_STRINGIFY(KVMMTE_SYS(TFSR_EL12)) ", %x0\n\t"
		     KVMMTE_ASYNC_SITE_("%l[skip]")
		     : : "rZ"(*p) : : skip);
skip:
	return;
}

static inline void kvmmte_save_tfsr_el12_(uint64_t *p)
{
	uint64_t v;

	__asm__ goto("1:\tmrs %0, " KVMMTE_STRINGIFY(KVMMTE_SYS(TFSR_EL12)) "\n\t"
		     KVMMTE_ASYNC_SITE_("%l[skip]")
		     : "=r"(v) : : : skip);
	*p = v;
skip:
	return;
}
#undef KVMMTE_ASYNC_SITE_
#endif

static inline void kvmmte_vcpu_load_vhe(struct kvmmte_state *host,
					const struct kvmmte_state *guest)
{
	(void)host;
	kvmmte_load_tfsr_el12_(&guest->tfsr_el1);
}

static inline void kvmmte_vcpu_put_vhe(const struct kvmmte_state *host,
				       struct kvmmte_state *guest)
{
	(void)host;
	kvmmte_save_tfsr_el12_(&guest->tfsr_el1);
}

/*
 * The same on a guest context of the caller's own (<kvmmte/state.h>):
 * @layout's TFSR_EL1 field of @ctxt.  @layout is trusted here (inline, no
 * check): pass one kvmmte_layout_valid() accepted, ideally a constant.
 */
static inline void kvmmte_vcpu_load_vhe_at(const struct kvmmte_layout *layout,
					   const void *ctxt)
{
	kvmmte_load_tfsr_el12_((const uint64_t *)((const char *)ctxt + layout->tfsr_el1));
}

static inline void kvmmte_vcpu_put_vhe_at(const struct kvmmte_layout *layout, void *ctxt)
{
	kvmmte_save_tfsr_el12_((uint64_t *)((char *)ctxt + layout->tfsr_el1));
}

static inline void kvmmte_vcpu_load_nvhe(struct kvmmte_state *host,
					 const struct kvmmte_state *guest)
{
	(void)host;
	(void)guest;
}

static inline void kvmmte_vcpu_put_nvhe(const struct kvmmte_state *host,
					struct kvmmte_state *guest)
{
	(void)host;
	(void)guest;
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
