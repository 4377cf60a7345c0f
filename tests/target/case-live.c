// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The live-state run loop (live.S): kvmmte_switch_to_guest once when the
 * loop enters the guest, no MTE switch at all on the exits EL2 answers
 * itself (HVC #HV_HVC_LIVE_FAST, resumed by ERET), kvmmte_switch_to_host
 * only when the loop leaves for the host.  The guest's GCR_EL1/RGSR_EL1
 * (and TFSR_EL1 under nVHE) stay in the registers the whole time.
 *
 * The guest runs LIVE_FAST_EXITS rounds of IRG + fast-path HVC, then
 * leaves.  With GCR_EL1.RRND = 0 IRG is deterministic, so its tags must be
 * exactly those of the same number of IRGs run back to back at EL2 from
 * the guest's initial RGSR/GCR: any fast path that lets another value of
 * RGSR_EL1 or GCR_EL1 reach the guest, or generates a tag itself (which
 * advances RGSR_EL1), shows as a different tag.  The host allows exactly
 * the tags the guest excludes, so one IRG with the host's GCR is caught.
 * Then: the fast path ran exactly that often, the state saved by the one
 * exit switch is what the registers held after the guest's last IRG, and
 * the host has its own registers back.
 */
#include <kvmmte/sysreg-access.h>
#include "harness.h"

#define LIVE_FAST_EXITS		1000
#define LIVE_SPSR_EL1H_MASKED	0x3c5UL		/* EL1h, D A I F set */

/* live.S */
uint64_t hv_live_run_nvhe(struct hv_ctxt *guest, struct hv_ctxt *host, uint64_t *fast_exits);
uint64_t hv_live_run_vhe(struct hv_ctxt *guest, struct hv_ctxt *host, uint64_t *fast_exits);
void live_guest_irg_loop(void);
extern char hv_vectors[];

_Static_assert(sizeof(((struct guest_mem *)0)->tagged) >= LIVE_FAST_EXITS,
	       "the guest records one tag per byte of its tagged page");

/* An exclude mask leaving 2 to 12 tags allowed; RRND = 0 (IRG deterministic). */
static uint64_t live_exclude(struct tt *t)
{
	for (;;) {
		uint64_t ex = tt_rand(t) & KVMMTE_GCR_EL1_EXCLUDE_MASK;
		unsigned int allowed = 0;

		for (unsigned int tag = 0; tag < 16; tag++)
			allowed += !(ex & (1U << tag));
		if (allowed >= 2 && allowed <= 12)
			return ex;
	}
}

/* A random RGSR_EL1 whose seed is not 0 (a zero LFSR repeats one tag forever). */
static uint64_t live_rgsr(struct tt *t)
{
	for (;;) {
		uint64_t rgsr = tt_rand(t) & KVMMTE_RGSR_EL1_VALID_MASK;

		if (rgsr & KVMMTE_RGSR_EL1_SEED_MASK)
			return rgsr;
	}
}

/*
 * @n IRGs back to back at EL2 from @start's RGSR_EL1/GCR_EL1: their tags in
 * @tags, RGSR_EL1 after the last returned.  The registers' previous values
 * are put back.
 */
static uint64_t el2_irg_reference(const struct kvmmte_state *start, uint8_t *tags, unsigned int n)
{
	uint64_t rgsr = kvmmte_read_rgsr_el1(), gcr = kvmmte_read_gcr_el1(), after = 0;

	kvmmte_write_rgsr_el1(start->rgsr_el1);
	kvmmte_write_gcr_el1(start->gcr_el1);
	kvmmte_isb();
	for (unsigned int i = 0; i < n; i++)
		tags[i] = (uint8_t)tt_el2_irg(&after);
	kvmmte_write_rgsr_el1(rgsr);
	kvmmte_write_gcr_el1(gcr);
	kvmmte_isb();
	return after;
}

/* One line for a whole sequence: how many tags differ, the first of them. */
static void check_tags(struct tt *t, const char *mode, const char *what,
		       const uint8_t *want, const uint8_t *got, unsigned int n)
{
	unsigned int bad = 0, first = 0;

	for (unsigned int i = 0; i < n; i++)
		if (want[i] != got[i] && !bad++)
			first = i;
	TT_CHECK(t, !bad, "%s: %s: %u of %u tags differ, first at IRG #%u: expected %u, got %u",
		 mode, what, bad, n, first, want[first], got[first]);
}

static void live_run_loop(struct tt *t, enum kvmmte_host_mode mode)
{
	static struct hv_vcpu v;
	static uint8_t ref[LIVE_FAST_EXITS], model[LIVE_FAST_EXITS];
	static uint64_t fast_exits;
	uint64_t (*run)(struct hv_ctxt *, struct hv_ctxt *, uint64_t *) =
		mode == KVMMTE_HOST_VHE ? hv_live_run_vhe : hv_live_run_nvhe;
	unsigned int per_entry = TT_STATE_RGSR | TT_STATE_GCR | TT_STATE_TFSRE0 |
				 (mode == KVMMTE_HOST_NVHE ? TT_STATE_TFSR : 0);
	const char *m = tt_mode_name(mode);
	struct kvmmte_state guest = tt_random_state(t), host = tt_random_state(t);
	struct kvmmte_state after, now, saved;
	uint64_t ref_rgsr, model_rgsr, code, hcr;
	uint8_t *tags;
	bool fired;
	char what[96];

	guest.rgsr_el1 = live_rgsr(t);
	guest.gcr_el1 = live_exclude(t);
	host.rgsr_el1 = live_rgsr(t);
	host.gcr_el1 = ~guest.gcr_el1 & KVMMTE_GCR_EL1_EXCLUDE_MASK;
	/* Fault status too: whichever world's value shows is told apart. */
	host.tfsr_el1 = guest.tfsr_el1 ^ KVMMTE_TFSR_VALID_MASK;
	host.tfsre0_el1 = guest.tfsre0_el1 ^ KVMMTE_TFSRE0_EL1_VALID_MASK;

	hv_set_host_mode(t->h, mode);
	tt_guest_create(t, &v, "live", 0, true, HV_LAYOUT_STATE);

	/*
	 * The reference, and the reference checked against the architecture's
	 * pseudocode: an IRG that never changed anything (tag access off, say)
	 * would otherwise agree with itself at EL1 and EL2.
	 */
	ref_rgsr = el2_irg_reference(&guest, ref, LIVE_FAST_EXITS);
	model_rgsr = guest.rgsr_el1;
	for (unsigned int i = 0; i < LIVE_FAST_EXITS; i++)
		model[i] = (uint8_t)tt_irg_model(&model_rgsr, guest.gcr_el1);
	check_tags(t, m, "reference IRGs at EL2 vs tt_irg_model()", model, ref, LIVE_FAST_EXITS);
	TT_CHECK_EQ(t, "reference RGSR_EL1 after the IRGs at EL2 vs tt_irg_model()", model_rgsr, ref_rgsr);

	hv_vcpu_set_mte(&v, &guest);
	tt_host_write(t, &host);
	hv_vcpu_load(t->h, &v);
	hcr = kvmmte_read_hcr_el2();

	tags = v.mem->tagged;
	memset(tags, 0xff, LIVE_FAST_EXITS);	/* no tag: a missing store shows */
	v.ctxt.pc = (uintptr_t)live_guest_irg_loop;
	v.ctxt.pstate = LIVE_SPSR_EL1H_MASKED;
	v.ctxt.x[0] = (uintptr_t)tags;
	v.ctxt.x[1] = LIVE_FAST_EXITS;
	fast_exits = 0;

	plat_el2_timer_arm(plat_counter_freq() / 1000 * t->h->watchdog_ms);
	code = run(&v.ctxt, &t->h->ctxt, &fast_exits);
	fired = plat_el2_timer_pending();
	plat_el2_timer_disarm();
	if (code == HV_EXIT_IRQ) {
		unsigned int intid = plat_gic_ack();

		if (intid != PLAT_INTID_SPURIOUS)
			plat_gic_eoi(intid);
	}

	TT_CHECK_EQ(t, "VBAR_EL2 after the run loop (the harness's vectors)",
		    (uintptr_t)hv_vectors, plat_read_sysreg(S3_4_C12_C0_0));
	TT_CHECK_EQ(t, "HCR_EL2 after the run loop (as it was before)", hcr, kvmmte_read_hcr_el2());
	TT_REQUIRE(t, code == HV_EXIT_SYNC &&
		   v.ctxt.esr == ((uint64_t)HV_EC_HVC64 << HV_ESR_EC_SHIFT | HV_ESR_IL | HV_HVC_DONE),
		   "%s: the run loop returned exit code %lu (watchdog %s), ESR_EL2 0x%08lx ELR_EL2 0x%lx, "
		   "after %lu fast-path exits: expected HVC #%u", m, (unsigned long)code,
		   fired ? "fired" : "quiet", (unsigned long)v.ctxt.esr, (unsigned long)v.ctxt.pc,
		   (unsigned long)fast_exits, HV_HVC_DONE);

	/* (a) every round was one fast-path exit, and the guest saw them all return. */
	plat_snprintf(what, sizeof(what), "%s: fast-path exits counted at EL2", m);
	TT_CHECK_EQ(t, what, LIVE_FAST_EXITS, fast_exits);
	plat_snprintf(what, sizeof(what), "%s: rounds the guest completed (its x3)", m);
	TT_CHECK_EQ(t, what, LIVE_FAST_EXITS, v.ctxt.x[3]);

	/* (b) the guest's tags across the fast-path exits are the back-to-back ones. */
	check_tags(t, m, "guest IRGs across fast-path exits vs back to back at EL2", ref, tags,
		   LIVE_FAST_EXITS);
	plat_snprintf(what, sizeof(what), "%s: RGSR_EL1 as the guest read it at the end (its x6)", m);
	TT_CHECK_EQ(t, what, ref_rgsr, v.ctxt.x[6]);
	plat_snprintf(what, sizeof(what), "%s: GCR_EL1 as the guest read it at the end (its x7)", m);
	TT_CHECK_EQ(t, what, guest.gcr_el1, v.ctxt.x[7]);
	plat_snprintf(what, sizeof(what), "%s: TFSRE0_EL1 as the guest read it at the end (its x8)", m);
	TT_CHECK_EQ(t, what, guest.tfsre0_el1, v.ctxt.x[8]);

	/*
	 * (c) the one exit switch saved what the registers held after the last
	 * IRG: RGSR_EL1 where the reference run left it, GCR_EL1 unchanged,
	 * TFSRE0_EL1 and (nVHE) TFSR_EL1, switched per entry, the guest's.
	 */
	after = guest;
	after.rgsr_el1 = ref_rgsr;
	plat_snprintf(what, sizeof(what), "%s: guest's struct kvmmte_state after the slow exit", m);
	TT_CHECK_STATE(t, what, per_entry, &after, &v.ctxt.mte);

	/* (d) the host's own registers again, all four. */
	tt_host_read(t, &now);
	plat_snprintf(what, sizeof(what), "%s: host registers after the slow exit", m);
	TT_CHECK_STATE(t, what, TT_STATE_ALL, &host, &now);

	hv_vcpu_put(t->h);
	hv_vcpu_get_mte(&v, &saved);
	plat_snprintf(what, sizeof(what), "%s: guest's saved state after put", m);
	TT_CHECK_STATE(t, what, TT_STATE_ALL, &after, &saved);
	tt_host_read(t, &now);
	plat_snprintf(what, sizeof(what), "%s: host registers after put", m);
	TT_CHECK_STATE(t, what, TT_STATE_ALL, &host, &now);
}

TT_CASE(live_loop_nvhe_guest_irgs_across_fast_exits_match_back_to_back_run, TT_NEEDS_MTE2)
{
	live_run_loop(t, KVMMTE_HOST_NVHE);
}

TT_CASE(live_loop_vhe_guest_irgs_across_fast_exits_match_back_to_back_run, TT_NEEDS_MTE2)
{
	live_run_loop(t, KVMMTE_HOST_VHE);
}
