// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The isolation property: whatever the order of switches, every world
 * reads back exactly its own MTE state.
 *
 * Worlds: the host, three MTE guests (two with the library's struct, one
 * with the KVM-style sys_regs[] layout) and a guest without MTE.  Every
 * value is random (seeded).  Each step does one of:
 *   - enter a random guest through a random entry path of the mode; an MTE
 *     guest reads all four registers, which must be what it last wrote,
 *     and writes new random values; the guest without MTE does nothing or
 *     probes the MTE registers (answered UNDEF);
 *   - put the loaded vcpu (then a different one gets loaded);
 *   - let the host write new random values to what it owns right now.
 * After every exit the host reads its registers and the guest's saved
 * state is compared; after every put the whole saved state too (the
 * guest's TFSR_EL1 moves at put under VHE).  The layouts a vcpu does not
 * use, and the poisoned neighbours in sys_regs[], must never change.
 *
 * The isolation_c_entry_* variants enter only through the C paths, which
 * switch with the library's out-of-line functions (asm/switch.S): every
 * guest then uses struct kvmmte_state, the layout those functions take.
 */
#include "harness.h"

#define NR_GUESTS	4
#define DEFAULT_SWITCHES 12000	/* per host mode; an entry and an exit count as two */

struct world {
	struct hv_vcpu v;
	struct kvmmte_state truth;	/* what the guest last wrote */
	struct kvmmte_state poison_state;	/* its unused copies, as created */
	uint64_t poison_sysregs[HV_NR_SYSREGS];
};

static struct world worlds[NR_GUESTS];

/* Neither the unused layout nor the neighbours in sys_regs[] may change. */
static void check_untouched(struct tt *t, const struct world *w, uint64_t step)
{
	const struct hv_ctxt *c = &w->v.ctxt;
	char what[96];

	for (unsigned int i = 0; i < HV_NR_SYSREGS; i++) {
		bool used = w->v.mte && w->v.layout == HV_LAYOUT_SYSREGS && hv_is_mte_sysreg(i);

		/* The message is made only for a slot that changed: 250 a step. */
		if (used || c->sys_regs[i] == w->poison_sysregs[i])
			continue;
		plat_snprintf(what, sizeof(what), "step %lu: %s sys_regs[%u] (not in use)",
			      (unsigned long)step, w->v.name, i);
		TT_CHECK_EQ(t, what, w->poison_sysregs[i], c->sys_regs[i]);
	}
	if (!w->v.mte || w->v.layout != HV_LAYOUT_STATE) {
		plat_snprintf(what, sizeof(what), "step %lu: %s struct kvmmte_state (not in use)",
			      (unsigned long)step, w->v.name);
		TT_CHECK_STATE(t, what, TT_STATE_ALL, &w->poison_state, &c->mte);
	}
}

/* What the host owns at this moment: all four (TFSRE0_EL1 too, loaded or not). */
static unsigned int host_fields(const struct hv_host *h)
{
	(void)h;
	return TT_STATE_ALL;
}

static void check_host(struct tt *t, const struct kvmmte_state *truth, uint64_t step,
		       const char *after)
{
	struct kvmmte_state now;
	char what[96];

	tt_host_read(t, &now);
	plat_snprintf(what, sizeof(what), "step %lu: host after %s (TFSR = %s)", (unsigned long)step,
		      after, t->h->mode == KVMMTE_HOST_VHE ? "TFSR_EL2" : "TFSR_EL1");
	TT_CHECK_STATE(t, what, host_fields(t->h), truth, &now);
}

static void put(struct tt *t, const struct kvmmte_state *host_truth, uint64_t step)
{
	struct world *w = (struct world *)t->h->loaded;	/* v is the first member */
	struct kvmmte_state saved;
	char what[96];

	hv_vcpu_put(t->h);
	if (w->v.mte) {
		hv_vcpu_get_mte(&w->v, &saved);
		plat_snprintf(what, sizeof(what), "step %lu: %s saved state after put",
			      (unsigned long)step, w->v.name);
		TT_CHECK_STATE(t, what, TT_STATE_ALL, &w->truth, &saved);
	}
	check_host(t, host_truth, step, "put");
}

/* A random entry path for @v: any of the mode's, or only the C ones. */
static const struct hv_entry *pick_entry(struct tt *t, const struct hv_vcpu *v, bool c_entry)
{
	const struct hv_entry *all[8], *e[8];
	unsigned int n = 0, nr_all = hv_entries_for(t->h, v, all, 8);

	if (!c_entry)
		return tt_random_entry(t, v);
	for (unsigned int i = 0; i < nr_all; i++)
		if (all[i]->out_of_line)
			e[n++] = all[i];
	TT_REQUIRE(t, n, "no C entry path for %s", v->name);
	return e[tt_below(t, n)];
}

/* One guest entry and exit; returns the number of switches made. */
static unsigned int run_guest(struct tt *t, struct world *w, const struct kvmmte_state *host_truth,
			      uint64_t step, bool c_entry)
{
	struct guest_mailbox *mb = tt_mb(&w->v);
	const struct hv_entry *e = pick_entry(t, &w->v, c_entry);
	uint64_t entries = t->h->nr_entries;
	struct kvmmte_state saved;
	char what[128];
	/* Per-entry set: RGSR, GCR, TFSRE0, and for an nVHE host TFSR_EL1 too. */
	unsigned int per_entry = TT_STATE_RGSR | TT_STATE_GCR | TT_STATE_TFSRE0 |
				 (t->h->mode == KVMMTE_HOST_NVHE ? TT_STATE_TFSR : 0);

	if (w->v.mte) {
		mb->next = tt_random_state(t);
		tt_guest_cmd(t, &w->v, e, GUEST_CMD_EXCHANGE, 0, 0, false);
		plat_snprintf(what, sizeof(what), "step %lu: guest %s read in the guest (entry %s)",
			      (unsigned long)step, w->v.name, e->name);
		TT_CHECK_STATE(t, what, TT_STATE_ALL, &w->truth, &mb->seen);
		w->truth = mb->next;
		hv_vcpu_get_mte(&w->v, &saved);
		plat_snprintf(what, sizeof(what), "step %lu: guest %s saved state after exit (entry %s)",
			      (unsigned long)step, w->v.name, e->name);
		TT_CHECK_STATE(t, what, per_entry, &w->truth, &saved);
	} else if (tt_below(t, 4)) {
		tt_guest_cmd(t, &w->v, e, GUEST_CMD_NOP, 0, 0, false);
	} else {
		tt_guest_cmd(t, &w->v, e, GUEST_CMD_PROBE_MTE_SYSREGS, 0, 0, true);
		/* On an MTE CPU each probe traps to EL2 (EC 0x18) and gets UNDEF. */
		TT_CHECK_EQ(t, "probes answered UNDEF by the guest's handler",
			    GUEST_NR_PROBES, mb->nr_exc);
	}
	plat_snprintf(what, sizeof(what), "exit from %s (entry %s)", w->v.name, e->name);
	check_host(t, host_truth, step, what);
	for (unsigned int i = 0; i < NR_GUESTS; i++)
		check_untouched(t, &worlds[i], step);
	return 2 * (unsigned int)(t->h->nr_entries - entries);
}

static void isolation(struct tt *t, enum kvmmte_host_mode mode, bool c_entry)
{
	static const char *const names[NR_GUESTS] = { "mte-a", "mte-b(sys_regs)", "mte-c", "no-mte" };
	uint64_t target = t->switches ? t->switches : DEFAULT_SWITCHES, switches = 0, step;
	struct kvmmte_state host_truth;

	hv_set_host_mode(t->h, mode);
	for (unsigned int i = 0; i < NR_GUESTS; i++) {
		struct world *w = &worlds[i];
		bool sysregs = i == 1 && !c_entry;

		tt_guest_create(t, &w->v, sysregs || i != 1 ? names[i] : "mte-b", i, i != 3,
				sysregs ? HV_LAYOUT_SYSREGS : HV_LAYOUT_STATE);
		w->truth = tt_random_state(t);
		if (w->v.mte)
			hv_vcpu_set_mte(&w->v, &w->truth);
		w->poison_state = w->v.ctxt.mte;
		memcpy(w->poison_sysregs, w->v.ctxt.sys_regs, sizeof(w->poison_sysregs));
	}
	host_truth = tt_random_state(t);
	tt_host_write(t, &host_truth);

	for (step = 0; switches < target; step++) {
		unsigned int r = tt_below(t, 100);

		if (r < 10) {
			/* The host changes what it owns: all four, loaded vcpu or not. */
			host_truth = tt_random_state(t);
			tt_host_write(t, &host_truth);
		} else if (r < 15 && t->h->loaded) {
			put(t, &host_truth, step);
		} else {
			struct world *w = &worlds[tt_below(t, NR_GUESTS)];

			if (t->h->loaded != &w->v) {
				if (t->h->loaded)
					put(t, &host_truth, step);
				hv_vcpu_load(t->h, &w->v);
			}
			switches += run_guest(t, w, &host_truth, step, c_entry);
		}
	}
	if (t->h->loaded)
		put(t, &host_truth, step);
	plat_printf("    %s%s: %lu switches, %lu steps, %lu guest entries\n", tt_mode_name(mode),
		    c_entry ? " (C entry, out-of-line switch)" : "", (unsigned long)switches, (unsigned long)step, (unsigned long)t->h->nr_entries);
}

TT_CASE(isolation_nvhe_every_world_reads_back_its_own_state, TT_NEEDS_MTE2)
{
	isolation(t, KVMMTE_HOST_NVHE, false);
}

TT_CASE(isolation_vhe_every_world_reads_back_its_own_state, TT_NEEDS_MTE2)
{
	isolation(t, KVMMTE_HOST_VHE, false);
}

TT_CASE(isolation_c_entry_nvhe_every_world_reads_back_its_own_state, TT_NEEDS_MTE2)
{
	isolation(t, KVMMTE_HOST_NVHE, true);
}

TT_CASE(isolation_c_entry_vhe_every_world_reads_back_its_own_state, TT_NEEDS_MTE2)
{
	isolation(t, KVMMTE_HOST_VHE, true);
}
