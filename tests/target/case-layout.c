// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The macros driven with two layouts: the library's struct kvmmte_state
 * (default offsets, ldp/stp) and a KVM-style sys_regs[] array deep inside
 * the context, in an order of our own (rgsr=/gcr=/tfsr= from the generated
 * hv-offsets.h, ldr/str).  Each value must land in exactly its own slot:
 * the neighbours and the other layout stay as they were.
 */
#include "harness.h"

static void check_layout(struct tt *t, const struct hv_ctxt *c, enum hv_layout layout,
			 const struct kvmmte_state *want, unsigned int fields,
			 const struct hv_ctxt *before, const char *who)
{
	char what[96];

	if (layout == HV_LAYOUT_STATE) {
		plat_snprintf(what, sizeof(what), "%s struct kvmmte_state", who);
		TT_CHECK_STATE(t, what, fields, want, &c->mte);
		plat_snprintf(what, sizeof(what), "%s sys_regs[] (other layout)", who);
		TT_CHECK(t, !memcmp(c->sys_regs, before->sys_regs, sizeof(c->sys_regs)), "%s changed", what);
		return;
	}
	struct kvmmte_state got = {
		c->sys_regs[HV_RGSR_EL1], c->sys_regs[HV_GCR_EL1],
		c->sys_regs[HV_TFSR_EL1], c->sys_regs[HV_TFSRE0_EL1],
	};

	plat_snprintf(what, sizeof(what), "%s sys_regs[]", who);
	TT_CHECK_STATE(t, what, fields, want, &got);
	for (unsigned int i = 0; i < HV_NR_SYSREGS; i++)
		if (!hv_is_mte_sysreg(i))
			TT_CHECK(t, c->sys_regs[i] == before->sys_regs[i],
				 "%s: sys_regs[%u], not an MTE slot, changed: 0x%lx -> 0x%lx", who, i,
				 (unsigned long)before->sys_regs[i], (unsigned long)c->sys_regs[i]);
	TT_CHECK(t, !memcmp(&c->mte, &before->mte, sizeof(c->mte)),
		 "%s struct kvmmte_state (other layout) changed", who);
}

static void layouts(struct tt *t, enum kvmmte_host_mode mode)
{
	static struct hv_vcpu v;
	static struct hv_ctxt before_guest, before_host;
	unsigned int per_entry = TT_STATE_RGSR | TT_STATE_GCR | TT_STATE_TFSRE0 |
				 (mode == KVMMTE_HOST_NVHE ? TT_STATE_TFSR : 0);

	hv_set_host_mode(t->h, mode);
	for (unsigned int l = 0; l < 2; l++) {
		const struct hv_entry *e[8];
		unsigned int n;

		tt_guest_create(t, &v, l ? "sys_regs" : "state", 0, true, (enum hv_layout)l);
		n = hv_entries_for(t->h, &v, e, 8);
		for (unsigned int round = 0; round < 50; round++) {
			struct kvmmte_state host = tt_random_state(t), start = tt_random_state(t);
			struct guest_mailbox *mb = tt_mb(&v);

			hv_vcpu_set_mte(&v, &start);
			tt_host_write(t, &host);
			hv_vcpu_load(t->h, &v);
			before_guest = v.ctxt;
			before_host = t->h->ctxt;
			mb->next = tt_random_state(t);
			tt_guest_cmd(t, &v, e[round % n], GUEST_CMD_EXCHANGE, 0, 0, false);
			TT_CHECK_STATE(t, "guest read its state", TT_STATE_ALL, &start, &mb->seen);
			/* The exit saved the guest's new values to its layout... */
			check_layout(t, &v.ctxt, v.layout, &mb->next, per_entry, &before_guest, "guest");
			/* ...and the entry saved the host's to the same layout of the host context. */
			check_layout(t, &t->h->ctxt, v.layout, &host, per_entry, &before_host, "host");
			hv_vcpu_put(t->h);
			check_layout(t, &v.ctxt, v.layout, &mb->next, TT_STATE_ALL, &before_guest,
				     "guest after put");
		}
	}
}

TT_CASE(layout_state_struct_and_sys_regs_array_get_exactly_their_slots, TT_NEEDS_MTE2)
{
	layouts(t, KVMMTE_HOST_NVHE);
	layouts(t, KVMMTE_HOST_VHE);
}
