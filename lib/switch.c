// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Save/restore of whole MTE states and the vcpu load/put half of the world
 * switch.  The every-entry half is in <kvmmte/asm-switch.h>.
 */
#include <kvmmte/switch.h>
#include <kvmmte/sysreg-access.h>
#include <kvmmte/debug.h>

/* DEBUG=1 only: the preconditions every routine here documents. */
static inline void kvmmte_check_preconditions(const void *p)
{
	KVMMTE_ASSERT(p != NULL);
	KVMMTE_ASSERT(((kvmmte_read_id_aa64pfr1_el1() & KVMMTE_PFR1_MTE_MASK) >>
		       KVMMTE_PFR1_MTE_SHIFT) >= KVMMTE_PFR1_MTE_MTE2);
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
 * Load/put: argument checks, then the inline bodies from <kvmmte/switch.h>.
 * @host is unused (nothing of the host's moves at load/put), so not checked.
 */
int kvmmte_vcpu_load(enum kvmmte_host_mode mode, struct kvmmte_state *host,
		     const struct kvmmte_state *guest)
{
	if (mode != KVMMTE_HOST_VHE && mode != KVMMTE_HOST_NVHE)
		return -KVMMTE_EINVAL;
	kvmmte_check_preconditions(guest);
	if (mode == KVMMTE_HOST_VHE)
		kvmmte_vcpu_load_vhe(host, guest);
	else
		kvmmte_vcpu_load_nvhe(host, guest);
	return 0;
}

int kvmmte_vcpu_put(enum kvmmte_host_mode mode, struct kvmmte_state *host,
		    struct kvmmte_state *guest)
{
	if (mode != KVMMTE_HOST_VHE && mode != KVMMTE_HOST_NVHE)
		return -KVMMTE_EINVAL;
	kvmmte_check_preconditions(guest);
	if (mode == KVMMTE_HOST_VHE)
		kvmmte_vcpu_put_vhe(host, guest);
	else
		kvmmte_vcpu_put_nvhe(host, guest);
	return 0;
}

/* What load/put_at check before touching anything. */
static int check_at(enum kvmmte_host_mode mode, const struct kvmmte_layout *layout,
		    const void *ctxt)
{
	if (mode != KVMMTE_HOST_VHE && mode != KVMMTE_HOST_NVHE)
		return -KVMMTE_EINVAL;
	if (!ctxt)
		return -KVMMTE_EFAULT;
	kvmmte_check_preconditions(ctxt);
	return kvmmte_layout_valid(layout);
}

int kvmmte_vcpu_load_at(enum kvmmte_host_mode mode, const struct kvmmte_layout *layout,
			const void *ctxt)
{
	int ret = check_at(mode, layout, ctxt);

	if (!ret && mode == KVMMTE_HOST_VHE)
		kvmmte_vcpu_load_vhe_at(layout, ctxt);
	return ret;
}

int kvmmte_vcpu_put_at(enum kvmmte_host_mode mode, const struct kvmmte_layout *layout,
		       void *ctxt)
{
	int ret = check_at(mode, layout, ctxt);

	if (!ret && mode == KVMMTE_HOST_VHE)
		kvmmte_vcpu_put_vhe_at(layout, ctxt);
	return ret;
}
