// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The two gates in front of the switch.
 *
 * Per VM: a VM without MTE runs with HCR_EL2.ATA clear; the switch must
 * then touch no MTE register and no saved state, and the guest's own
 * accesses to the registers trap (EC 0x18) and get UNDEF from the
 * library's trap handling.  Proved by poisoning registers and both
 * contexts (both layouts) and checking that nothing moved, through every
 * entry path of both host modes.
 *
 * Per CPU: without FEAT_MTE2 the registers do not exist.  kvmmte_init()
 * patches every gate=patch site into a branch over the switch; gate=idreg
 * reads the ID register.  The entry paths that hand the macro the VM's
 * intended HCR_EL2 (ATA set) get past the per-VM gate, so only the per-CPU
 * gate stands between them and an UNDEF at EL2 (which would end the case
 * with its syndrome).  On an MTE2 CPU, unpatched gates must switch: the
 * suite is also run with init=0 (make check-target-gcc).
 */
#include <kvmmte/sysreg-access.h>
#include "harness.h"

static const enum kvmmte_host_mode modes[] = { KVMMTE_HOST_NVHE, KVMMTE_HOST_VHE };

static struct hv_vcpu plain[2];		/* one per layout */

static struct hv_vcpu *plain_vcpu_for(const struct hv_entry *e)
{
	return &plain[e->layout];
}

/* Everything a switch could write, in one place, to compare before/after. */
struct snapshot {
	struct kvmmte_state regs;	/* host-visible registers (MTE2 CPUs only) */
	uint64_t tfsr_el12;		/* VHE: the guest-side TFSR_EL1 */
	struct kvmmte_state host_mte, guest_mte;
	uint64_t host_sysregs[HV_NR_SYSREGS], guest_sysregs[HV_NR_SYSREGS];
};

static void snapshot(struct tt *t, struct hv_vcpu *v, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	if (t->h->cpu_mte2) {
		s->regs.rgsr_el1 = kvmmte_read_rgsr_el1();
		s->regs.gcr_el1 = kvmmte_read_gcr_el1();
		s->regs.tfsr_el1 = kvmmte_read_tfsr_el1();	/* TFSR_EL2 under VHE */
		s->regs.tfsre0_el1 = kvmmte_read_tfsre0_el1();
		if (t->h->mode == KVMMTE_HOST_VHE)
			s->tfsr_el12 = kvmmte_read_tfsr_el12();
	}
	s->host_mte = t->h->ctxt.mte;
	s->guest_mte = v->ctxt.mte;
	memcpy(s->host_sysregs, t->h->ctxt.sys_regs, sizeof(s->host_sysregs));
	memcpy(s->guest_sysregs, v->ctxt.sys_regs, sizeof(s->guest_sysregs));
}

static void poison(struct tt *t)
{
	t->h->ctxt.mte = tt_random_state(t);
	for (unsigned int i = 0; i < HV_NR_SYSREGS; i++)
		t->h->ctxt.sys_regs[i] = tt_rand(t);
	if (t->h->cpu_mte2) {
		struct kvmmte_state p = tt_random_state(t);

		tt_host_write(t, &p);
		if (t->h->mode == KVMMTE_HOST_VHE)
			kvmmte_write_tfsr_el12(tt_rand(t) & KVMMTE_TFSR_VALID_MASK);
	}
}

static void check_nothing_moved(struct tt *t, const struct hv_entry *e, const struct snapshot *a,
				const struct snapshot *b)
{
	static const char *const parts[] = {
		"MTE registers", "TFSR_EL12", "host struct kvmmte_state", "guest struct kvmmte_state",
		"host sys_regs[]", "guest sys_regs[]",
	};
	const size_t ends[] = {
		offsetof(struct snapshot, tfsr_el12), offsetof(struct snapshot, host_mte),
		offsetof(struct snapshot, guest_mte), offsetof(struct snapshot, host_sysregs),
		offsetof(struct snapshot, guest_sysregs), sizeof(struct snapshot),
	};
	size_t start = 0;

	for (unsigned int i = 0; i < 6; start = ends[i++])
		TT_CHECK(t, !memcmp((const char *)a + start, (const char *)b + start, ends[i] - start),
			 "entry %s: %s changed across a guest run with the switch gated off",
			 e->name, parts[i]);
}

TT_CASE(vm_without_mte_switch_touches_no_mte_register_or_state, 0)
{
	for (unsigned int m = 0; m < 2; m++) {
		hv_set_host_mode(t->h, modes[m]);
		tt_guest_create(t, &plain[HV_LAYOUT_STATE], "no-mte", 0, false, HV_LAYOUT_STATE);
		tt_guest_create(t, &plain[HV_LAYOUT_SYSREGS], "no-mte(sys_regs)", 1, false, HV_LAYOUT_SYSREGS);
		for (unsigned int i = 0; i < hv_nr_entries; i++) {
			const struct hv_entry *e = &hv_entries[i];
			struct hv_vcpu *v = plain_vcpu_for(e);
			struct snapshot before, after;

			if (e->mode != modes[m])
				continue;
			TT_REQUIRE(t, !(v->hcr_base & KVMMTE_HCR_EL2_ATA), "VM without MTE has HCR_EL2.ATA set");
			hv_vcpu_load(t->h, v);
			for (unsigned int round = 0; round < 20; round++) {
				poison(t);
				snapshot(t, v, &before);
				tt_guest_cmd(t, v, e, round & 1 ? GUEST_CMD_PROBE_MTE_SYSREGS : GUEST_CMD_NOP,
					     0, 0, true);
				snapshot(t, v, &after);
				check_nothing_moved(t, e, &before, &after);
			}
			hv_vcpu_put(t->h);
		}
	}
}

/*
 * Every MSR/MRS a guest without MTE makes to the MTE registers is UNDEF:
 * through a trap to EL2 (EC 0x18) answered by kvmmte_handle_sysreg_trap()
 * on an MTE2 CPU, by the hardware itself on a CPU without MTE2.  The
 * trapped syndromes are compared with values worked out from the encodings
 * and, for five of them, with ESR_EL2 values recorded by hand from real
 * traps under QEMU 7.2 (an independent oracle; docs/testing-target.md).
 */
TT_CASE(vm_without_mte_gets_undef_for_every_mte_register_access, 0)
{
	static const uint64_t esr[GUEST_NR_PROBES] = {
		0x623c0441,				/* mrs x2, gcr_el1 (recorded) */
		0x623c0400,				/* msr gcr_el1, x0 (recorded) */
		0x623a0461,				/* mrs x3, rgsr_el1 (recorded) */
		0x623014ad,				/* mrs x5, tfsr_el1 (recorded) */
		0x6232148d,				/* mrs x4, tfsre0_el1 (recorded) */
		HV_ESR_SYS64(3, 0, 1, 0, 5, 6, 0),	/* msr rgsr_el1, x6 */
		HV_ESR_SYS64(3, 0, 5, 6, 0, 7, 0),	/* msr tfsr_el1, x7 */
		HV_ESR_SYS64(3, 0, 5, 6, 1, 8, 0),	/* msr tfsre0_el1, x8 */
		HV_ESR_SYS64(3, 1, 0, 0, 4, 12, 1),	/* mrs x12, gmid_el1 (HCR_EL2.TID5) */
	};
	static const bool is_read[GUEST_NR_PROBES] = { 1, 0, 1, 1, 1, 0, 0, 0, 1 };
	static struct hv_vcpu v;
	/*
	 * What the guest's EL1 sees: UNDEF (EC 0), except GMID_EL1 on a CPU
	 * without MTE2 but with FEAT_IDST (ID_AA64MMFR2_EL1.IDS): an absent ID
	 * register then reports EC 0x18 with the access's own syndrome.
	 */
	bool idst = (plat_read_sysreg(S3_0_C0_C7_2) >> 36 & 0xf) != 0;
	uint64_t guest_esr[GUEST_NR_PROBES];

	for (unsigned int i = 0; i < GUEST_NR_PROBES; i++)
		guest_esr[i] = 0x02000000;
	if (!t->h->cpu_mte2 && idst)
		guest_esr[8] = esr[8];

	for (unsigned int m = 0; m < 2; m++) {
		struct guest_mailbox *mb = tt_guest_exceptions(t, &v, modes[m], "no-mte", false,
							       GUEST_CMD_PROBE_MTE_SYSREGS, 0,
							       GUEST_NR_PROBES);

		TT_CHECK_EQ(t, "traps to EL2 (EC 0x18) answered UNDEF",
			    t->h->cpu_mte2 ? GUEST_NR_PROBES : 0, v.nr_undef);
		for (unsigned int i = 0; i < GUEST_NR_PROBES; i++) {
			TT_CHECK(t, mb->exc[i].esr == guest_esr[i] && mb->exc[i].elr == mb->probe[i].pc,
				 "%s: probe %u: guest saw ESR_EL1 0x%lx at 0x%lx, expected 0x%08lx at 0x%lx",
				 tt_mode_name(modes[m]), i, (unsigned long)mb->exc[i].esr,
				 (unsigned long)mb->exc[i].elr, (unsigned long)guest_esr[i],
				 (unsigned long)mb->probe[i].pc);
			if (is_read[i])
				TT_CHECK(t, mb->probe[i].value == GUEST_PROBE_SENTINEL,
					 "probe %u: MRS destination written (0x%lx)", i,
					 (unsigned long)mb->probe[i].value);
			if (t->h->cpu_mte2 && i < v.nr_undef)
				TT_CHECK(t, v.undef_esr[i] == esr[i],
					 "%s: probe %u: ESR_EL2 0x%08lx, expected 0x%08lx",
					 tt_mode_name(modes[m]), i, (unsigned long)v.undef_esr[i],
					 (unsigned long)esr[i]);
		}
		hv_vcpu_put(t->h);
	}
}

/* A64 encodings the gate sites may hold. */
#define INSN_B_MASK		0xfc000000u
#define INSN_B			0x14000000u
#define INSN_MRS_HCR_EL2	0xd53c1100u	/* | Rt */
#define INSN_TBZ_56		0xb6c00000u	/* tbz xN, #56: b5 = 1, b40 = 24 */
#define INSN_TBZ_MASK		0xfff80000u	/* all but imm14 and Rt */

TT_CASE(cpu_gate_patch_sites_match_this_cpu, 0)
{
	struct tt_patch_site sites[32];
	bool patched = t->init_called && !t->h->cpu_mte2;
	unsigned int n = tt_patch_sites(sites, 32);

	TT_CHECK_EQ(t, "kvmmte_init() result: the CPU's MTE level",
		    t->init_called ? (int)t->h->caps.level : 0, t->init_called ? t->init_ret : 0);
	TT_REQUIRE(t, n == TT_NR_PATCH_SITES,
		   "%u patch sites, expected %u (2 per gate=patch entry path, 1 per out-of-line function)",
		   n, TT_NR_PATCH_SITES);
	for (unsigned int f = 0; f < hv_nr_switch_fns; f++) {
		unsigned int found = 0;

		for (unsigned int i = 0; i < n; i++)
			found += sites[i].fn == &hv_switch_fns[f];
		TT_CHECK(t, found == 1, "%s: %u patch sites at its first instruction, expected 1",
			 hv_switch_fns[f].name, found);
	}
	for (unsigned int i = 0; i < n; i++) {
		uint32_t insn = *sites[i].insn;

		if (patched)
			TT_CHECK(t, (insn & INSN_B_MASK) == INSN_B &&
				 (uintptr_t)sites[i].insn + ((int64_t)(int32_t)(insn << 6) >> 4) ==
				 (uintptr_t)sites[i].skip,
				 "site %p: 0x%08x is not \"b %p\" after kvmmte_init() without MTE2",
				 (const void *)sites[i].insn, insn, (const void *)sites[i].skip);
		else
			TT_CHECK(t, (insn & ~0x1fu) == INSN_MRS_HCR_EL2 ||
				 (insn & INSN_TBZ_MASK) == INSN_TBZ_56,
				 "site %p: 0x%08x is not the unpatched gate (mrs HCR_EL2 / tbz #56)",
				 (const void *)sites[i].insn, insn);
	}
}

TT_CASE(cpu_gate_without_mte2_skips_the_switch_on_every_gate_variant, TT_NEEDS_NO_MTE2)
{
	static struct hv_vcpu v;

	TT_REQUIRE(t, t->init_called, "needs kvmmte_init() (do not pass init=0 without MTE2)");
	for (unsigned int i = 0; i < hv_nr_entries; i++) {
		const struct hv_entry *e = &hv_entries[i];
		struct snapshot before, after;

		/* Only the paths given hcr= see ATA set: the others stop at the per-VM gate. */
		if (!e->hcr_passed)
			continue;
		hv_set_host_mode(t->h, e->mode);
		tt_guest_create(t, &v, "intends-mte", 0, false, e->layout);
		v.hcr_base |= KVMMTE_HCR_EL2_ATA;	/* what the VM asked for; RES0 in hardware */
		hv_vcpu_load(t->h, &v);
		for (unsigned int round = 0; round < 20; round++) {
			poison(t);
			snapshot(t, &v, &before);
			tt_guest_cmd(t, &v, e, GUEST_CMD_NOP, 0, 0, false);
			snapshot(t, &v, &after);
			check_nothing_moved(t, e, &before, &after);
		}
		hv_vcpu_put(t->h);
		plat_printf("    %s (gate=%s): 20 entries, no MTE register touched\n", e->name, e->gate);
	}
}

/*
 * gate=idreg tests ID_AA64PFR1_EL1 with one mask in the macro; QEMU only
 * offers MTE = 0 or 3, so check the mask against the library's own decode
 * for every field value (MTE = 1: instructions only, no registers).
 */
TT_CASE(cpu_gate_idreg_mask_agrees_with_caps_decode, 0)
{
	for (uint64_t field = 0; field < 16; field++) {
		struct kvmmte_caps caps;
		uint64_t pfr1 = field << KVMMTE_PFR1_MTE_SHIFT;

		kvmmte_caps_decode(pfr1, &caps);
		TT_CHECK(t, !!(pfr1 & hv_idreg_gate_mask) == (caps.level >= KVMMTE_PFR1_MTE_MTE2),
			 "ID_AA64PFR1_EL1.MTE = %lu: gate=idreg %s, caps level %u",
			 (unsigned long)field, pfr1 & hv_idreg_gate_mask ? "switches" : "skips",
			 caps.level);
	}
}

/*
 * gate=idreg's second test, before the TFSR moves: "tst MTE_frac mask" on
 * the value the first gate read, "b.ne skip".  For every MTE_frac value of
 * an MTE2 CPU it must skip exactly when kvmmte_caps_decode() says there are
 * no asynchronous faults (QEMU only offers MTE_frac 0).
 */
TT_CASE(cpu_gate_idreg_async_mask_agrees_with_caps_decode, 0)
{
	for (uint64_t frac = 0; frac < 16; frac++) {
		struct kvmmte_caps caps;
		uint64_t pfr1 = (uint64_t)KVMMTE_PFR1_MTE_MTE2 << KVMMTE_PFR1_MTE_SHIFT |
				frac << KVMMTE_PFR1_MTE_FRAC_SHIFT;

		kvmmte_caps_decode(pfr1, &caps);
		TT_CHECK(t, !(pfr1 & hv_idreg_async_mask) == caps.async,
			 "MTE 2, MTE_frac %lu: gate=idreg %s the TFSR moves, caps async %d",
			 (unsigned long)frac, pfr1 & hv_idreg_async_mask ? "skips" : "does",
			 caps.async);
	}
}
