// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Guest-facing emulation on real traps: a VM with MTE whose HCR_EL2.ATA is
 * clear (the state of a lazily switched VM before its first use) has every
 * MSR/MRS to RGSR/GCR/TFSR/TFSRE0 trap to EL2 as EC 0x18, and with TID5 its
 * GMID_EL1 reads too.  The harness answers them with
 * kvmmte_handle_sysreg_trap() against the vcpu's saved state and
 * kvmmte_skip_trapped_insn() (hv.c).  The guest must see exactly the saved
 * values, its writes must land in the saved state masked to the defined
 * fields, no UNDEF may reach it, and the host's own registers must not
 * move.  (The no-MTE side, UNDEF for every access, is
 * vm_without_mte_gets_undef_for_every_mte_register_access in case-gates.c.)
 */
#include "harness.h"

static const enum kvmmte_host_mode emul_modes[] = { KVMMTE_HOST_NVHE, KVMMTE_HOST_VHE };

/* Bits outside each register's fields: a guest MSR may set them, none may stick. */
#define RGSR_RES0	(~KVMMTE_RGSR_EL1_VALID_MASK)
#define GCR_RES0	(~KVMMTE_GCR_EL1_VALID_MASK)
#define TFSR_RES0	(~KVMMTE_TFSR_VALID_MASK)
#define TFSRE0_RES0	(~KVMMTE_TFSRE0_EL1_VALID_MASK)

/*
 * Make @v's MTE registers trap: ATA clear, TID5 set.  Its state then lives
 * only in memory, so the harness must not move it at load/put (v->mte
 * false); the VM configuration still says MTE, which is what the handler
 * goes by.
 */
static void make_trapped(struct hv_vcpu *v)
{
	v->hcr_base &= ~KVMMTE_HCR_EL2_ATA;
	v->hcr_base |= KVMMTE_HCR_EL2_TID5;
	v->mte = false;
}

/*
 * Both layouts in both modes: with HV_LAYOUT_SYSREGS the library's C side
 * (kvmmte_handle_sysreg_trap_at(), kvmmte_vcpu_load/put_at(),
 * kvmmte_vcpu_reset_at()) works straight on the KVM-style sys_regs[] that
 * the assembly switches through KVMMTE_LAYOUT_ARGS(hv_sysregs).
 */
TT_CASE(trapped_mte_vm_sees_its_saved_state_through_the_emulation, TT_NEEDS_MTE2)
{
	static struct hv_vcpu v;
	static struct hv_ctxt before;

	for (unsigned int run = 0; run < 4; run++) {
		unsigned int m = run / 2;
		enum hv_layout layout = (enum hv_layout)(run % 2);
		struct kvmmte_state saved = tt_random_state(t), next = tt_random_state(t);
		struct kvmmte_state host = tt_random_state(t), now;
		struct guest_mailbox *mb;
		const char *mode = tt_mode_name(emul_modes[m]);

		hv_set_host_mode(t->h, emul_modes[m]);
		tt_guest_create(t, &v, "trapped", 0, true, layout);
		TT_REQUIRE(t, v.vm.mte_level >= KVMMTE_PFR1_MTE_MTE2, "%s: VM config without MTE", mode);
		make_trapped(&v);
		hv_vcpu_set_mte(&v, &saved);
		before = v.ctxt;
		mb = tt_mb(&v);
		tt_host_write(t, &host);
		hv_vcpu_load(t->h, &v);

		/* The guest reads the saved values, then writes values with RES0 bits. */
		mb->next = (struct kvmmte_state){
			.rgsr_el1 = next.rgsr_el1 | (RGSR_RES0 & tt_rand(t)),
			.gcr_el1 = next.gcr_el1 | (GCR_RES0 & tt_rand(t)),
			.tfsr_el1 = next.tfsr_el1 | (TFSR_RES0 & tt_rand(t)),
			.tfsre0_el1 = next.tfsre0_el1 | (TFSRE0_RES0 & tt_rand(t)),
		};
		tt_guest_cmd(t, &v, tt_random_entry(t, &v), GUEST_CMD_EXCHANGE, 0, 0, false);
		TT_CHECK_STATE(t, "what the trapped guest read: its saved state", TT_STATE_ALL,
			       &saved, &mb->seen);
		hv_vcpu_get_mte(&v, &now);
		TT_CHECK_STATE(t, "saved state after the guest's MSRs: masked to the fields",
			       TT_STATE_ALL, &next, &now);
		TT_CHECK_EQ(t, "UNDEFs injected for a trapped MTE VM", 0, v.nr_undef);

		/* A second round trip reads back exactly what stuck. */
		mb->next = saved;
		tt_guest_cmd(t, &v, tt_random_entry(t, &v), GUEST_CMD_EXCHANGE, 0, 0, false);
		TT_CHECK_STATE(t, "guest reads back its masked writes", TT_STATE_ALL, &next, &mb->seen);
		hv_vcpu_get_mte(&v, &now);
		TT_CHECK_STATE(t, "saved state after the second exchange", TT_STATE_ALL, &saved, &now);

		/* None of it touched the host's registers: every access trapped. */
		hv_vcpu_put(t->h);
		tt_host_read(t, &now);
		TT_CHECK_STATE(t, "host registers after the trapped guest", TT_STATE_ALL, &host, &now);
		/* Nor any slot of the context but the layout's four. */
		for (unsigned int i = 0; i < HV_NR_SYSREGS; i++)
			if (layout == HV_LAYOUT_STATE || !hv_is_mte_sysreg(i))
				TT_CHECK(t, v.ctxt.sys_regs[i] == before.sys_regs[i],
					 "%s, %s layout: sys_regs[%u] changed", mode,
					 layout ? "sys_regs" : "state", i);
		if (layout == HV_LAYOUT_SYSREGS)
			TT_CHECK(t, !memcmp(&v.ctxt.mte, &before.mte, sizeof(before.mte)),
				 "%s: struct kvmmte_state changed under the sys_regs layout", mode);
		plat_printf("    %s, %s layout: emulated on the vcpu's own context\n", mode,
			    layout ? "KVM-style sys_regs[]" : "struct kvmmte_state");
	}
}

/*
 * The nine probes of GUEST_CMD_PROBE_MTE_SYSREGS (MRS and MSR of each
 * register, MRS of GMID_EL1), all trapped and emulated: the MRS results
 * follow the MSRs before them, GMID_EL1 reads the hardware's block size,
 * and the guest takes no exception at all.
 */
TT_CASE(trapped_mte_vm_probes_are_emulated_in_order_and_gmid_is_the_hosts, TT_NEEDS_MTE2)
{
	static struct hv_vcpu v;
	const uint64_t s = GUEST_PROBE_SENTINEL;
	const uint64_t gmid_bs = plat_read_sysreg(S3_1_C0_C0_4) & KVMMTE_GMID_EL1_BS_MASK;

	for (unsigned int m = 0; m < 2; m++) {
		struct kvmmte_state saved = tt_random_state(t), now;
		const struct kvmmte_state sentinel_masked = {
			.rgsr_el1 = s & KVMMTE_RGSR_EL1_VALID_MASK,
			.gcr_el1 = s & KVMMTE_GCR_EL1_VALID_MASK,
			.tfsr_el1 = s & KVMMTE_TFSR_VALID_MASK,
			.tfsre0_el1 = s & KVMMTE_TFSRE0_EL1_VALID_MASK,
		};
		/* probe: 0 mrs gcr, 1 msr gcr, 2 mrs rgsr, 3 mrs tfsr, 4 mrs tfsre0,
		 * 5 msr rgsr, 6 msr tfsr, 7 msr tfsre0, 8 mrs gmid */
		const uint64_t want[GUEST_NR_PROBES] = {
			saved.gcr_el1, s, saved.rgsr_el1, saved.tfsr_el1, saved.tfsre0_el1,
			s, s, s, gmid_bs,
		};
		struct guest_mailbox *mb;

		hv_set_host_mode(t->h, emul_modes[m]);
		tt_guest_create(t, &v, "trapped", 0, true, HV_LAYOUT_STATE);
		TT_CHECK_EQ(t, "VM config's GMID_EL1.BS: the hardware's", gmid_bs, v.vm.gmid_bs);
		make_trapped(&v);
		hv_vcpu_set_mte(&v, &saved);
		mb = tt_mb(&v);
		hv_vcpu_load(t->h, &v);
		tt_guest_cmd(t, &v, tt_random_entry(t, &v), GUEST_CMD_PROBE_MTE_SYSREGS, 0, 0, true);
		TT_CHECK_EQ(t, "exceptions the trapped MTE guest took", 0, mb->nr_exc);
		TT_CHECK_EQ(t, "UNDEFs injected", 0, v.nr_undef);
		for (unsigned int i = 0; i < GUEST_NR_PROBES; i++)
			TT_CHECK(t, mb->probe[i].value == want[i],
				 "%s: probe %u: register holds 0x%lx afterwards, expected 0x%lx",
				 tt_mode_name(emul_modes[m]), i, (unsigned long)mb->probe[i].value,
				 (unsigned long)want[i]);
		hv_vcpu_get_mte(&v, &now);
		TT_CHECK_STATE(t, "saved state after the probes' MSRs of the sentinel", TT_STATE_ALL,
			       &sentinel_masked, &now);
		hv_vcpu_put(t->h);
	}
}
