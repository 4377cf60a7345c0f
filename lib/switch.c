// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Save/restore of whole MTE states and the vcpu load/put half of the world
 * switch.  The every-entry half is in <kvmmte/asm-switch.h>.
 */
#include <kvmmte/switch.h>
#include <kvmmte/sysreg-access.h>
#include <kvmmte/debug.h>
#include "internal.h"

/* DEBUG=1 only: the preconditions every routine here documents. */
static inline void kvmmte_check_preconditions(const void *p)
{
	KVMMTE_ASSERT(p != NULL);
	KVMMTE_ASSERT(kvmmte_pfr1_mte(kvmmte_read_id_aa64pfr1_el1()) >= KVMMTE_PFR1_MTE_MTE2);
	(void)p;
}

/*
 * TFSR_EL1, TFSR_EL2, TFSR_EL12 and TFSRE0_EL1 exist only with
 * FEAT_MTE_ASYNC.  These routines are not on the per-entry path: they ask
 * the ID register each time rather than depend on kvmmte_init().
 */
static bool cpu_has_tfsr(void)
{
	struct kvmmte_caps caps;

	kvmmte_caps_decode(kvmmte_read_id_aa64pfr1_el1(), &caps);
	return caps.async;
}

/*
 * The whole state, save and restore: @el12 names the register that holds
 * the state's TFSR_EL1 (TFSR_EL12 for a VHE guest seen from EL2).
 */
static void state_save(struct kvmmte_state *s, bool el12)
{
	kvmmte_check_preconditions(s);
	s->rgsr_el1 = kvmmte_read_rgsr_el1();
	s->gcr_el1 = kvmmte_read_gcr_el1();
	if (cpu_has_tfsr()) {
		s->tfsr_el1 = el12 ? kvmmte_read_tfsr_el12() : kvmmte_read_tfsr_el1();
		s->tfsre0_el1 = kvmmte_read_tfsre0_el1();
	} else {
		s->tfsr_el1 = 0;
		s->tfsre0_el1 = 0;
	}
}

static void state_restore(const struct kvmmte_state *s, bool el12)
{
	kvmmte_check_preconditions(s);
	kvmmte_write_rgsr_el1(s->rgsr_el1);
	kvmmte_write_gcr_el1(s->gcr_el1);
	if (!cpu_has_tfsr())
		return;
	if (el12)
		kvmmte_write_tfsr_el12(s->tfsr_el1);
	else
		kvmmte_write_tfsr_el1(s->tfsr_el1);
	kvmmte_write_tfsre0_el1(s->tfsre0_el1);
}

void kvmmte_state_save(struct kvmmte_state *s)
{
	state_save(s, false);
}

void kvmmte_state_restore(const struct kvmmte_state *s)
{
	state_restore(s, false);
}

void kvmmte_state_save_vhe_guest(struct kvmmte_state *s)
{
	KVMMTE_ASSERT(kvmmte_read_hcr_el2() & KVMMTE_HCR_EL2_E2H);
	state_save(s, true);
}

void kvmmte_state_restore_vhe_guest(const struct kvmmte_state *s)
{
	KVMMTE_ASSERT(kvmmte_read_hcr_el2() & KVMMTE_HCR_EL2_E2H);
	state_restore(s, true);
}

void kvmmte_el2_state_save(struct kvmmte_el2_state *s)
{
	kvmmte_check_preconditions(s);
	s->tfsr_el2 = cpu_has_tfsr() ? kvmmte_read_tfsr_el2() : 0;
}

void kvmmte_el2_state_restore(const struct kvmmte_el2_state *s)
{
	kvmmte_check_preconditions(s);
	if (cpu_has_tfsr())
		kvmmte_write_tfsr_el2(s->tfsr_el2);
}

/*
 * Load/put, with and without a layout of the caller's: the argument
 * checks, then the inline bodies from <kvmmte/switch.h>.  Only a VHE host
 * moves anything (the guest's TFSR_EL1, as TFSR_EL12); nothing of the
 * host's moves, so @host is not checked.  One body for load and put each
 * way; the plain pair checks no layout (theirs is struct kvmmte_state),
 * which keeps them as short as the bench counts them (docs/bench.md, e).
 */
#define KVMMTE_DEFINE_LOAD_PUT(op, guest_const)					\
int kvmmte_vcpu_##op(enum kvmmte_host_mode mode, struct kvmmte_state *host,	\
		     guest_const struct kvmmte_state *guest)			\
{										\
	if (mode != KVMMTE_HOST_VHE && mode != KVMMTE_HOST_NVHE)		\
		return -KVMMTE_EINVAL;						\
	kvmmte_check_preconditions(guest);					\
	if (mode == KVMMTE_HOST_VHE)						\
		kvmmte_vcpu_##op##_vhe(host, guest);				\
	return 0;								\
}										\
										\
int kvmmte_vcpu_##op##_at(enum kvmmte_host_mode mode,				\
			  const struct kvmmte_layout *layout, guest_const void *ctxt) \
{										\
	int ret;								\
										\
	if (mode != KVMMTE_HOST_VHE && mode != KVMMTE_HOST_NVHE)		\
		return -KVMMTE_EINVAL;						\
	if (!ctxt)								\
		return -KVMMTE_EFAULT;						\
	ret = kvmmte_layout_valid(layout);					\
	if (ret)								\
		return ret;							\
	kvmmte_check_preconditions(ctxt);					\
	if (mode == KVMMTE_HOST_VHE)						\
		kvmmte_vcpu_##op##_vhe_at(layout, ctxt);			\
	return 0;								\
}

KVMMTE_DEFINE_LOAD_PUT(load, const)
KVMMTE_DEFINE_LOAD_PUT(put, )
