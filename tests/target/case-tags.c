// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Tag generation follows the world, and what the exit path guarantees
 * about it: barriers, TCO, ITFSB.
 *
 * With GCR_EL1.RRND = 0, IRG is architecturally deterministic: the tag and
 * the new RGSR_EL1 are a function of RGSR_EL1 and the exclude mask
 * (tt_irg_model()).  So these cases predict every tag exactly: a guest
 * running with another world's GCR or RGSR, even for one IRG, is caught.
 */
#include <kvmmte/sysreg-access.h>
#include "harness.h"

#define IRG_ROUNDS	400

/* An exclude mask that leaves between 2 and 12 tags allowed, RRND = 0. */
static uint64_t random_gcr(struct tt *t)
{
	for (;;) {
		uint64_t ex = tt_rand(t) & KVMMTE_GCR_EL1_EXCLUDE_MASK;
		unsigned int allowed = 0;

		for (unsigned int tag = 0; tag < 16; tag++)	/* no popcount without libgcc/SIMD */
			allowed += !(ex & (1U << tag));

		if (allowed >= 2 && allowed <= 12)
			return ex;
	}
}

struct irg_world {
	const char *name;
	struct hv_vcpu *v;	/* NULL: the host, IRG at EL2 */
	struct kvmmte_state truth;
};

/* Compare @n tags (and RGSR afterwards) against the model of @w. */
static void check_tags(struct tt *t, struct irg_world *w, const uint8_t *tags, unsigned int n,
		       uint64_t rgsr_after, unsigned int round)
{
	char what[96];

	for (unsigned int i = 0; i < n; i++) {
		unsigned int want = tt_irg_model(&w->truth.rgsr_el1, w->truth.gcr_el1);

		TT_CHECK(t, !(w->truth.gcr_el1 & (1U << tags[i])),
			 "round %u: %s: IRG gave tag %u, excluded by its own GCR_EL1 0x%lx",
			 round, w->name, tags[i], (unsigned long)w->truth.gcr_el1);
		plat_snprintf(what, sizeof(what), "round %u: %s: tag of IRG #%u", round, w->name, i);
		TT_CHECK_EQ(t, what, want, tags[i]);
	}
	plat_snprintf(what, sizeof(what), "round %u: %s: RGSR_EL1 after IRG", round, w->name);
	TT_CHECK_EQ(t, what, w->truth.rgsr_el1, rgsr_after);
}

static void irg_follows_world(struct tt *t, enum kvmmte_host_mode mode)
{
	static struct hv_vcpu va, vb;
	struct irg_world worlds[3] = {
		{ "host (IRG at EL2)", NULL, { 0 } },
		{ "guest a", &va, { 0 } },
		{ "guest b(sys_regs)", &vb, { 0 } },
	};

	hv_set_host_mode(t->h, mode);
	tt_guest_create(t, &va, "guest a", 0, true, HV_LAYOUT_STATE);
	tt_guest_create(t, &vb, "guest b(sys_regs)", 1, true, HV_LAYOUT_SYSREGS);
	for (unsigned int i = 0; i < 3; i++) {
		worlds[i].truth.rgsr_el1 = tt_rand(t) & KVMMTE_RGSR_EL1_VALID_MASK;
		worlds[i].truth.gcr_el1 = random_gcr(t);
		if (worlds[i].v)
			hv_vcpu_set_mte(worlds[i].v, &worlds[i].truth);
	}
	tt_host_write(t, &worlds[0].truth);

	for (unsigned int round = 0; round < IRG_ROUNDS; round++) {
		struct irg_world *w = &worlds[tt_below(t, 3)];
		unsigned int n = 1 + tt_below(t, 16);
		uint8_t tags[16];
		uint64_t rgsr_after = 0;

		if (!w->v) {
			for (unsigned int i = 0; i < n; i++)
				tags[i] = (uint8_t)tt_el2_irg(&rgsr_after);
			check_tags(t, w, tags, n, rgsr_after, round);
			continue;
		}
		if (t->h->loaded != w->v) {
			hv_vcpu_put(t->h);
			hv_vcpu_load(t->h, w->v);
		}
		tt_guest_cmd(t, w->v, tt_random_entry(t, w->v), GUEST_CMD_IRG, n, 0, false);
		check_tags(t, w, tt_mb(w->v)->tags, n, tt_mb(w->v)->rgsr_after, round);
		if (!tt_below(t, 8))
			hv_vcpu_put(t->h);
	}
	hv_vcpu_put(t->h);
}

TT_CASE(tags_irg_in_each_world_follows_its_own_gcr_rgsr_nvhe, TT_NEEDS_MTE2)
{
	irg_follows_world(t, KVMMTE_HOST_NVHE);
}

TT_CASE(tags_irg_in_each_world_follows_its_own_gcr_rgsr_vhe, TT_NEEDS_MTE2)
{
	irg_follows_world(t, KVMMTE_HOST_VHE);
}

/*
 * Right after a guest exit, IRG at EL2 (a VHE host kernel generating tags)
 * must use the host's GCR/RGSR.  The guest allows exactly one tag, the host
 * exactly another: one IRG at EL2 tells whose values are in force.  (QEMU
 * applies MSR writes at once, so this checks the values, not the ISB the
 * exit path issues for hardware.)  PSTATE.TCO is 1 at EL2 after the exit,
 * as exception entry sets it.
 */
TT_CASE(barrier_el2_irg_right_after_exit_uses_host_gcr_rgsr, TT_NEEDS_MTE2)
{
	static struct hv_vcpu v;
	static const enum kvmmte_host_mode modes[] = { KVMMTE_HOST_VHE, KVMMTE_HOST_NVHE };

	for (unsigned int m = 0; m < 2; m++) {
		hv_set_host_mode(t->h, modes[m]);
		tt_guest_create(t, &v, "guest", 0, true, HV_LAYOUT_STATE);
		hv_vcpu_load(t->h, &v);
		for (unsigned int round = 0; round < 200; round++) {
			unsigned int host_tag = tt_below(t, 16), guest_tag = (host_tag + 1 + tt_below(t, 15)) & 15;
			struct kvmmte_state host = { .rgsr_el1 = tt_rand(t) & KVMMTE_RGSR_EL1_VALID_MASK,
						     .gcr_el1 = 0xffff & ~(1U << host_tag) };
			struct guest_mailbox *mb = tt_mb(&v);
			uint64_t rgsr_after, tco;
			unsigned int tag;

			tt_host_write(t, &host);
			mb->next = (struct kvmmte_state){ .rgsr_el1 = tt_rand(t) & KVMMTE_RGSR_EL1_VALID_MASK,
							  .gcr_el1 = 0xffff & ~(1U << guest_tag) };
			tt_guest_cmd(t, &v, tt_random_entry(t, &v), GUEST_CMD_EXCHANGE, 0, 0, false);
			tt_guest_cmd(t, &v, tt_random_entry(t, &v), GUEST_CMD_IRG, 1, 0, false);
			tag = tt_el2_irg(&rgsr_after);
			__asm__ volatile("mrs %0, tco" : "=r"(tco));
			TT_CHECK(t, tag == host_tag,
				 "%s round %u: IRG at EL2 after exit gave %u: host allows only %u, guest only %u",
				 tt_mode_name(modes[m]), round, tag, host_tag, guest_tag);
			TT_CHECK_EQ(t, "guest's own IRG tag", guest_tag, mb->tags[0]);
			tt_irg_model(&host.rgsr_el1, host.gcr_el1);
			TT_CHECK_EQ(t, "host RGSR_EL1 after IRG at EL2", host.rgsr_el1, rgsr_after);
			TT_CHECK_EQ(t, "PSTATE.TCO at EL2 after a guest exit", KVMMTE_SPSR_TCO, tco);
		}
		hv_vcpu_put(t->h);
	}
}

/*
 * The barrier QEMU can not show: MSRs take effect at once there, so a
 * missing ISB passes every behavioural case.  Check the code instead: the
 * exit switch (to_host, isb=1 here in both modes) ends with an ISB just before its
 * skip label; the entry switch (to_guest, isb=0, the ERET synchronises)
 * does not.  The patch-site table gives every gate=patch switch's skip
 * label: entry.S's in emission order, to_guest then to_host per entry
 * path, and one per out-of-line function (asm/switch.S), which the C
 * paths call and whose skip label must be followed by its RET.
 */
TT_CASE(barrier_exit_switch_ends_with_isb_entry_switch_relies_on_eret, 0)
{
	const uint32_t isb = 0xd5033fdf, ret = 0xd65f03c0;
	struct tt_patch_site sites[32];
	unsigned int n = tt_patch_sites(sites, 32), nr_entry_sites = 0;

	TT_REQUIRE(t, n == TT_NR_PATCH_SITES, "%u patch sites, expected %u", n, TT_NR_PATCH_SITES);
	for (unsigned int i = 0; i < n; i++) {
		const struct hv_switch_fn *fn = sites[i].fn;
		bool exit = fn ? fn->to_host : (nr_entry_sites++ & 1);
		uint32_t last = sites[i].skip[-1];

		TT_CHECK(t, (last == isb) == exit, "%s %s switch at %p: last instruction 0x%08x %s an ISB",
			 fn ? fn->name : "entry.S", exit ? "exit" : "entry", (const void *)sites[i].skip,
			 last, exit ? "is not" : "is");
		if (fn)
			TT_CHECK(t, sites[i].skip[0] == ret, "%s: 0x%08x after the switch, expected RET",
				 fn->name, sites[i].skip[0]);
	}
	TT_CHECK_EQ(t, "entry.S patch sites", hv_nr_patch_gates, nr_entry_sites);
}

extern const uint32_t hv_probe_to_guest_nvhe[], hv_probe_to_host_nvhe[];
extern const uint32_t hv_probe_to_guest_vhe[], hv_probe_to_host_vhe[];
extern const uint32_t hv_probe_to_guest_nvhe_end[], hv_probe_to_host_nvhe_end[];
extern const uint32_t hv_probe_to_guest_vhe_end[], hv_probe_to_host_vhe_end[];

/*
 * The defaults themselves (entry.S's probes): only a VHE exit ends with an
 * ISB, and only a VHE entry synchronises the host's pending asynchronous
 * faults (DSB NSH + ISB) right before it reads TFSRE0_EL1.  Entry to a guest is an ERET, which synchronises; an nVHE exit must
 * name its barrier, and isb=0 (an EL1 host entered by ERET) emits none.
 */
TT_CASE(barrier_defaults_isb_only_on_vhe_exit, 0)
{
	static const struct {
		const char *name;
		const uint32_t *start, *end;
		bool isb, dsb;
	} probes[] = {
		{ "to_guest nvhe", hv_probe_to_guest_nvhe, hv_probe_to_guest_nvhe_end, false, false },
		{ "to_host nvhe isb=0", hv_probe_to_host_nvhe, hv_probe_to_host_nvhe_end, false, false },
		{ "to_guest vhe", hv_probe_to_guest_vhe, hv_probe_to_guest_vhe_end, false, true },
		{ "to_host vhe", hv_probe_to_host_vhe, hv_probe_to_host_vhe_end, true, false },
	};
	const uint32_t isb = 0xd5033fdf, dsb_nsh = 0xd503379f;
	const uint32_t mrs_tfsre0_mask = 0xffffffe0, mrs_tfsre0 = 0xd5385620;	/* any Xt */

	for (unsigned int i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const uint32_t *p;
		bool dsb_then_isb_then_read = false;

		TT_CHECK(t, (probes[i].end[-1] == isb) == probes[i].isb,
			 "%s default: last instruction 0x%08x, ISB expected: %s", probes[i].name,
			 probes[i].end[-1], probes[i].isb ? "yes" : "no");
		/* VHE entry: DSB NSH, ISB, then the first read of TFSRE0_EL1. */
		for (p = probes[i].start; p + 2 < probes[i].end; p++)
			if (p[0] == dsb_nsh && p[1] == isb && (p[2] & mrs_tfsre0_mask) == mrs_tfsre0)
				dsb_then_isb_then_read = true;
		TT_CHECK(t, dsb_then_isb_then_read == probes[i].dsb,
			 "%s: DSB NSH + ISB right before the TFSRE0_EL1 read: %s, expected %s",
			 probes[i].name, dsb_then_isb_then_read ? "yes" : "no",
			 probes[i].dsb ? "yes" : "no");
	}
}

/*
 * SCTLR_EL2.ITFSB, so exception entry to EL2 synchronises a guest's
 * asynchronous tag-check faults into TFSR_EL1 before the exit path saves
 * it.  The harness takes the bit from kvmmte_sctlr_el2_bits(), as a
 * hypervisor would; the check is on the register, in both modes.  (QEMU
 * records async faults at once, so the effect itself is not observable.)
 * Without MTE2 the bit is RES0: the helper must not ask for it.
 */
TT_CASE(barrier_sctlr_el2_itfsb_set_from_library_helper, 0)
{
	uint64_t want = t->h->cpu_mte2 ? KVMMTE_SCTLR_ITFSB : 0;

	TT_CHECK_EQ(t, "kvmmte_sctlr_el2_bits() & ITFSB", want,
		    kvmmte_sctlr_el2_bits(&t->h->caps) & KVMMTE_SCTLR_ITFSB);
	hv_set_host_mode(t->h, KVMMTE_HOST_NVHE);
	TT_CHECK_EQ(t, "nVHE: SCTLR_EL2.ITFSB", want, kvmmte_read_sctlr_el2() & KVMMTE_SCTLR_ITFSB);
	hv_set_host_mode(t->h, KVMMTE_HOST_VHE);
	TT_CHECK_EQ(t, "VHE: SCTLR_EL2.ITFSB", want, kvmmte_read_sctlr_el2() & KVMMTE_SCTLR_ITFSB);
}

/*
 * An UNDEF injected into an MTE guest (here: SMC, for which this
 * hypervisor has no firmware) enters the guest's handler with PSTATE.TCO
 * set, as a hardware exception would; ESR_EL1 says "unknown reason".
 */
TT_CASE(undef_injected_into_mte_guest_sets_tco, TT_NEEDS_MTE2)
{
	static struct hv_vcpu v;
	static const enum kvmmte_host_mode modes[] = { KVMMTE_HOST_NVHE, KVMMTE_HOST_VHE };

	for (unsigned int m = 0; m < 2; m++) {
		struct guest_mailbox *mb = tt_guest_exceptions(t, &v, modes[m], "guest", true,
							       GUEST_CMD_SMC, 1, 1);

		TT_CHECK_EQ(t, "ESR_EL1 of the injected UNDEF", 0x02000000, mb->exc[0].esr);
		TT_CHECK_EQ(t, "PSTATE.TCO in the guest's handler", KVMMTE_SPSR_TCO, mb->exc[0].tco);
		TT_CHECK_EQ(t, "ESR_EL2 of the SMC exit (EC 0x17)", (uint64_t)HV_EC_SMC64,
			    v.undef_esr[0] >> HV_ESR_EC_SHIFT);
		hv_vcpu_put(t->h);
	}
}
