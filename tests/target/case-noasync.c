// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * A CPU with FEAT_MTE2 but without FEAT_MTE_ASYNC (ID_AA64PFR1_EL1.MTE_frac
 * 0xF), where TFSR_EL1, TFSR_EL12 and TFSRE0_EL1 are UNDEFINED: there
 * kvmmte_init() patches every first TFSR access of the image (table
 * kvmmte_patch_sites_async) into a branch past the TFSR moves.
 *
 * QEMU always implements FEAT_MTE_ASYNC, so no QEMU CPU makes
 * kvmmte_init() take that decision (the host tests cover the decision).
 * What runs here is the rest, for real: the image's own table, applied
 * with kvmmte_patch_sites_apply() exactly as kvmmte_init() would apply it,
 * then every gate=patch entry path and the inline VHE load/put, whose
 * patched text must still move RGSR_EL1 and GCR_EL1 and must never read
 * or write a TFSR register or a TFSR field of either context.  The
 * original text is put back at the end.
 */
#include <kvmmte/sysreg-access.h>
#include <kvmmte/switch.h>
#include "harness.h"

/* MRS/MSR of TFSR_EL1, TFSRE0_EL1, TFSR_EL2 or TFSR_EL12: CRn 5, CRm 6, op2 0/1. */
#define INSN_TFSR_MASK	0xffd8ffc0u
#define INSN_TFSR	0xd5185600u

TT_CASE(noasync_every_switch_gate_has_its_tfsr_site_inside, TT_NEEDS_MTE2)
{
	struct tt_patch_site gates[32];
	static struct tt_site sites[TT_MAX_SITES];
	unsigned int ng = tt_patch_sites(gates, 32), ns = tt_async_sites(sites);

	TT_REQUIRE(t, ng == TT_NR_PATCH_SITES, "%u gate sites, expected %u", ng, TT_NR_PATCH_SITES);
	/* Every patchable switch, and the library's two VHE load/put. */
	TT_CHECK(t, ns >= ng + 2, "%u first-TFSR sites for %u gates (+2 for load/put)", ns, ng);
	for (unsigned int g = 0; g < ng; g++) {
		unsigned int inside = 0;

		for (unsigned int i = 0; i < ns; i++) {
			if (sites[i].insn <= gates[g].insn || sites[i].skip > gates[g].skip)
				continue;
			inside++;
			/* No TFSR access between the gate and the site: it is the first. */
			for (const uint32_t *p = gates[g].insn; p < sites[i].insn; p++)
				TT_CHECK(t, (*p & INSN_TFSR_MASK) != INSN_TFSR,
					 "gate %p: TFSR access 0x%08x at %p before its site %p",
					 (const void *)gates[g].insn, *p, (const void *)p,
					 (const void *)sites[i].insn);
		}
		TT_CHECK(t, inside == 1, "gate %p..%p: %u first-TFSR sites inside, expected 1",
			 (const void *)gates[g].insn, (const void *)gates[g].skip, inside);
	}
	/* And every site opens the TFSR moves (or is the VHE entry's DSB NSH). */
	for (unsigned int i = 0; i < ns; i++)
		TT_CHECK(t, (sites[i].orig & INSN_TFSR_MASK) == INSN_TFSR || sites[i].orig == 0xd503379fu,
			 "site %p holds 0x%08x: neither a TFSR access nor DSB NSH",
			 (const void *)sites[i].insn, sites[i].orig);
	plat_printf("    %u gates, %u first-TFSR sites\n", ng, ns);
}

TT_CASE(noasync_patched_switch_moves_rgsr_gcr_and_no_tfsr, TT_NEEDS_MTE2)
{
	static struct tt_site sites[TT_MAX_SITES];
	static struct hv_vcpu v;
	unsigned int ns = tt_async_sites(sites), paths = 0;
	int ret;

	TT_REQUIRE(t, ns > 0, "no first-TFSR sites in the image");
	ret = kvmmte_patch_sites_apply(tt_async_table_begin(),
				       tt_async_table_end());
	if (!TT_CHECK_EQ(t, "kvmmte_patch_sites_apply(async table)", ns, ret))
		goto out;
	for (unsigned int i = 0; i < ns; i++)
		TT_CHECK(t, *sites[i].insn != sites[i].orig, "site %p not patched",
			 (const void *)sites[i].insn);

	for (unsigned int i = 0; i < hv_nr_entries; i++) {
		const struct hv_entry *e = &hv_entries[i];
		struct kvmmte_state host_ctxt, guest_ctxt, got, hw;

		/* gate=idreg asks the ID register, which says async here. */
		if (e->gate[0] != 'p')
			continue;
		hv_set_host_mode(t->h, e->mode);
		tt_guest_create(t, &v, "noasync", 0, true, e->layout);
		hv_vcpu_load(t->h, &v);
		for (unsigned int round = 0; round < 8; round++) {
			struct kvmmte_state hw_before = tt_random_state(t);
			struct kvmmte_state host_poison = tt_random_state(t);

			tt_host_write(t, &hw_before);
			hv_ctxt_set_mte(&t->h->ctxt, e->layout, &host_poison);
			guest_ctxt = tt_random_state(t);
			hv_vcpu_set_mte(&v, &guest_ctxt);
			tt_mb(&v)->next = tt_random_state(t);
			tt_guest_cmd(t, &v, e, GUEST_CMD_EXCHANGE, 0, 0, false);

			/* In: the guest saw its own RGSR/GCR. */
			TT_CHECK_STATE(t, "guest's view at entry (RGSR, GCR)",
				       TT_STATE_RGSR | TT_STATE_GCR, &guest_ctxt, &tt_mb(&v)->seen);
			/* Out: RGSR/GCR saved, the TFSR fields of the guest's context untouched. */
			hv_vcpu_get_mte(&v, &got);
			TT_CHECK_STATE(t, "guest's context after exit (RGSR, GCR)",
				       TT_STATE_RGSR | TT_STATE_GCR, &tt_mb(&v)->next, &got);
			TT_CHECK_STATE(t, "guest's context after exit (TFSR, TFSRE0 never saved)",
				       TT_STATE_TFSR | TT_STATE_TFSRE0, &guest_ctxt, &got);
			/* The host's: RGSR/GCR back in hardware, TFSR fields of its context untouched. */
			tt_host_read(t, &hw);
			TT_CHECK_STATE(t, "host's RGSR, GCR after exit", TT_STATE_RGSR | TT_STATE_GCR,
				       &hw_before, &hw);
			hv_ctxt_get_mte(&t->h->ctxt, e->layout, &host_ctxt);
			TT_CHECK_STATE(t, "host's context (TFSR, TFSRE0 never saved)",
				       TT_STATE_TFSR | TT_STATE_TFSRE0, &host_poison, &host_ctxt);
		}
		/* The inline VHE load/put, patched: TFSR_EL12 and the field stay. */
		if (e->mode == KVMMTE_HOST_VHE) {
			struct kvmmte_state g = { .tfsr_el1 = 0x2 };
			uint64_t el12 = kvmmte_read_tfsr_el12();

			kvmmte_write_tfsr_el12(el12 ^ 1);
			kvmmte_vcpu_load_vhe(&t->h->lazy, &g);
			TT_CHECK_EQ(t, "TFSR_EL12 after a patched kvmmte_vcpu_load_vhe()", el12 ^ 1,
				    kvmmte_read_tfsr_el12());
			kvmmte_vcpu_put_vhe(&t->h->lazy, &g);
			TT_CHECK_EQ(t, "tfsr_el1 after a patched kvmmte_vcpu_put_vhe()", 0x2, g.tfsr_el1);
			kvmmte_write_tfsr_el12(el12);
		}
		hv_vcpu_put(t->h);
		plat_printf("    %s: 8 round trips, RGSR/GCR switched, no TFSR moved\n", e->name);
		paths++;
	}
	TT_CHECK(t, paths >= 4, "%u gate=patch entry paths, expected at least 4", paths);
out:
	for (unsigned int i = 0; i < ns; i++)
		tt_site_restore(&sites[i]);
}
