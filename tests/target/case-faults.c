// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Tag-check faults stay with the world that caused them.
 *
 * Guest a makes a tag-check fault; guest b and the host never see it.
 *   sync (TCF=1)        the fault is an exception in guest a: ESR_EL1
 *                       0x96000011 (load) / 0x96000051 (store), no TFSR bit
 *   async (TCF=2)       TFSR_EL1.TF0 of guest a, nobody else's (TF0/TF1
 *                       tell the TTBR0/TTBR1 half of the address space)
 *   async at EL0 (TCF0=2)  TFSRE0_EL1.TF0 of guest a (its EL0 code)
 *   asymmetric (TCF=3)  loads as sync, stores as async
 * "Nobody else": guest b reads 0 in its registers, the host's TFSR
 * (TFSR_EL1 for nVHE, TFSR_EL2 for VHE) and TFSRE0_EL1 keep their
 * values, and the saved states say the same.  In both host modes, with
 * guest b in the sys_regs[] layout.
 */
#include <kvmmte/sysreg-access.h>
#include "harness.h"

/* Async fault on a TTBR0_EL1 address (all the guest uses): TF0, whatever the EL. */
#define TFSR_TF0	KVMMTE_TFSR_TF0_MASK
#define TFSRE0_TF0	KVMMTE_TFSRE0_EL1_TF0_MASK
#define ESR_TAG_LOAD	0x96000011UL
#define ESR_TAG_STORE	0x96000051UL

struct fault_test {
	struct tt *t;
	enum kvmmte_host_mode mode;
	struct hv_vcpu a, b;
	struct kvmmte_state host;	/* host's values, random, must survive */
};

static struct fault_test ft;

static void setup(struct tt *t, enum kvmmte_host_mode mode)
{
	ft.t = t;
	ft.mode = mode;
	hv_set_host_mode(t->h, mode);
	tt_guest_create(t, &ft.a, "guest a", 0, true, HV_LAYOUT_STATE);
	tt_guest_create(t, &ft.b, "guest b(sys_regs)", 1, true, HV_LAYOUT_SYSREGS);
	ft.host = tt_random_state(t);
	tt_host_write(t, &ft.host);
}

static void run(struct hv_vcpu *v, enum guest_cmd cmd, uint64_t a0, uint64_t a1, bool exc)
{
	if (ft.t->h->loaded != v) {
		hv_vcpu_put(ft.t->h);
		hv_vcpu_load(ft.t->h, v);
	}
	tt_guest_cmd(ft.t, v, tt_random_entry(ft.t, v), cmd, a0, a1, exc);
}

/* Host's registers unchanged, all four. */
static void check_host(const char *when)
{
	struct kvmmte_state now;
	char what[96];

	tt_host_read(ft.t, &now);
	plat_snprintf(what, sizeof(what), "%s: host registers %s", tt_mode_name(ft.mode), when);
	TT_CHECK_STATE(ft.t, what, TT_STATE_ALL, &ft.host, &now);
}

/* What @v's registers hold, read by itself; cleared afterwards if @clear. */
static struct kvmmte_state guest_reads(struct hv_vcpu *v, bool clear)
{
	run(v, GUEST_CMD_READ_TFSR, clear, 0, false);
	return tt_mb(v)->seen;
}

static void check_saved(struct hv_vcpu *v, uint64_t tfsr, uint64_t tfsre0)
{
	struct kvmmte_state s;
	char what[96];

	hv_vcpu_put(ft.t->h);
	check_host("after put");
	hv_vcpu_get_mte(v, &s);
	plat_snprintf(what, sizeof(what), "%s: %s saved TFSR_EL1", tt_mode_name(ft.mode), v->name);
	TT_CHECK_EQ(ft.t, what, tfsr, s.tfsr_el1);
	plat_snprintf(what, sizeof(what), "%s: %s saved TFSRE0_EL1", tt_mode_name(ft.mode), v->name);
	TT_CHECK_EQ(ft.t, what, tfsre0, s.tfsre0_el1);
}

/* Guest b, then guest a again: b sees nothing, a still sees its own. */
static void check_worlds(uint64_t a_tfsr, uint64_t a_tfsre0)
{
	struct kvmmte_state s;
	char what[96];

	check_saved(&ft.a, a_tfsr, a_tfsre0);
	s = guest_reads(&ft.b, false);
	plat_snprintf(what, sizeof(what), "%s: guest b reads TFSR_EL1/TFSRE0_EL1", tt_mode_name(ft.mode));
	TT_CHECK_EQ(ft.t, what, 0, s.tfsr_el1 | s.tfsre0_el1);
	check_host("after guest b");
	check_saved(&ft.b, 0, 0);
	s = guest_reads(&ft.a, true);
	plat_snprintf(what, sizeof(what), "%s: guest a reads its own TFSR_EL1", tt_mode_name(ft.mode));
	TT_CHECK_EQ(ft.t, what, a_tfsr, s.tfsr_el1);
	plat_snprintf(what, sizeof(what), "%s: guest a reads its own TFSRE0_EL1", tt_mode_name(ft.mode));
	TT_CHECK_EQ(ft.t, what, a_tfsre0, s.tfsre0_el1);
	check_saved(&ft.a, 0, 0);
}

/* Guest a's mismatched access at EL1: sync exceptions it took, in order. */
static void mismatch(bool store, unsigned int nr_exc, uint64_t esr)
{
	struct guest_mailbox *mb = tt_mb(&ft.a);

	run(&ft.a, GUEST_CMD_TAG_MISMATCH, store, 0, nr_exc != 0);
	check_host("after guest a's fault");
	TT_REQUIRE(ft.t, mb->nr_exc == nr_exc, "%s: %s: guest a took %u exceptions, expected %u",
		   tt_mode_name(ft.mode), store ? "store" : "load", mb->nr_exc, nr_exc);
	if (nr_exc) {
		TT_CHECK_EQ(ft.t, "ESR_EL1 of the tag-check fault", esr, mb->exc[0].esr);
		TT_CHECK_EQ(ft.t, "FAR_EL1: the address, tag 5", 5, mb->exc[0].far >> 56 & 0xf);
	}
}

static const enum kvmmte_host_mode modes[] = { KVMMTE_HOST_NVHE, KVMMTE_HOST_VHE };

TT_CASE(faults_sync_tcf1_are_exceptions_of_the_faulting_guest_only, TT_NEEDS_MTE2)
{
	for (unsigned int m = 0; m < 2; m++) {
		setup(t, modes[m]);
		run(&ft.a, GUEST_CMD_SET_TCF, KVMMTE_TCF_SYNC, 0, false);
		mismatch(false, 1, ESR_TAG_LOAD);
		mismatch(true, 1, ESR_TAG_STORE);
		check_worlds(0, 0);
	}
}

TT_CASE(faults_async_tcf2_stay_in_the_faulting_guests_tfsr, TT_NEEDS_MTE2)
{
	for (unsigned int m = 0; m < 2; m++) {
		setup(t, modes[m]);
		run(&ft.a, GUEST_CMD_SET_TCF, KVMMTE_TCF_ASYNC, 0, false);
		mismatch(true, 0, 0);
		TT_CHECK_EQ(t, "guest a reads TFSR_EL1 right after its fault", TFSR_TF0,
			    guest_reads(&ft.a, false).tfsr_el1);
		check_worlds(TFSR_TF0, 0);
	}
}

TT_CASE(faults_async_tcf0_at_guest_el0_stay_in_its_tfsre0, TT_NEEDS_MTE2)
{
	for (unsigned int m = 0; m < 2; m++) {
		setup(t, modes[m]);
		run(&ft.a, GUEST_CMD_SET_TCF, KVMMTE_TCF_NONE, KVMMTE_TCF_ASYNC, false);
		run(&ft.a, GUEST_CMD_EL0_TAG_MISMATCH, 0, 0, false);
		check_host("after guest a's EL0 fault");
		TT_CHECK_EQ(t, "guest a reads TFSRE0_EL1 right after its EL0 fault", TFSRE0_TF0,
			    guest_reads(&ft.a, false).tfsre0_el1);
		check_worlds(0, TFSRE0_TF0);
	}
}

TT_CASE(faults_asymmetric_tcf3_load_sync_store_async_in_faulting_guest, TT_NEEDS_MTE2)
{
	if (t->h->caps.level < KVMMTE_PFR1_MTE_MTE3) {
		plat_printf("    no FEAT_MTE3 on this CPU: nothing to check\n");
		return;
	}
	for (unsigned int m = 0; m < 2; m++) {
		setup(t, modes[m]);
		run(&ft.a, GUEST_CMD_SET_TCF, KVMMTE_TCF_ASYMM, 0, false);
		mismatch(false, 1, ESR_TAG_LOAD);
		mismatch(true, 0, 0);
		check_worlds(TFSR_TF0, 0);
	}
}

/*
 * The other direction: while guest a is loaded, the host's kernel makes an
 * unprivileged access to its user memory (LDTR/STTR) with an asynchronous
 * TCF0, and the fault lands in TFSRE0_EL1 (such an access is checked as an
 * EL0 one).  Here EL2 runs with the MMU off, where nothing is tag checked,
 * so the harness records the fault the way the hardware would: TF0 set in
 * the register, between two of guest a's round trips.  It must stay the
 * host's: guest a never reads it, and its saved TFSRE0_EL1 stays 0.  This
 * is why TFSRE0_EL1 moves on every entry and exit, not at load/put.
 */
TT_CASE(faults_host_el0_fault_while_a_vcpu_is_loaded_stays_the_hosts, TT_NEEDS_MTE2)
{
	for (unsigned int m = 0; m < 2; m++) {
		const char *mode = tt_mode_name(modes[m]);
		char what[96];
		uint64_t now;

		setup(t, modes[m]);
		ft.host.tfsre0_el1 = 0;
		tt_host_write(t, &ft.host);
		run(&ft.a, GUEST_CMD_NOP, 0, 0, false);		/* loaded, one round trip */
		kvmmte_write_tfsre0_el1(TFSRE0_TF0);		/* the host's uaccess fault */
		kvmmte_isb();
		ft.host.tfsre0_el1 = TFSRE0_TF0;
		plat_snprintf(what, sizeof(what), "%s: guest a reads TFSRE0_EL1 after the host's fault",
			      mode);
		TT_CHECK_EQ(t, what, 0, guest_reads(&ft.a, false).tfsre0_el1);
		now = kvmmte_read_tfsre0_el1();
		plat_snprintf(what, sizeof(what), "%s: host's TFSRE0_EL1 after guest a ran", mode);
		TT_CHECK_EQ(t, what, TFSRE0_TF0, now);
		check_saved(&ft.a, 0, 0);
	}
}
