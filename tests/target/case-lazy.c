// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Lazily enabled MTE (KVMMTE_VM_LAZY, docs/emulation.md): the VM starts
 * with HCR_EL2.ATA clear, so its first MTE register access traps (EC 0x18)
 * and kvmmte_handle_sysreg_trap() answers KVMMTE_TRAP_ENABLE.  The
 * harness's run loop then does what a hypervisor must (hv.c): ATA set for
 * that vcpu, kvmmte_vcpu_load() of its saved state, the instruction retried
 * with the PC where it was.  From then on the VM is an ordinary MTE VM: no
 * more traps, its registers in hardware, switched at every entry and exit.
 *
 * The guest's first command reads all four registers (the first MRS is the
 * one that traps) and writes new values, so a retry that skipped the
 * instruction, or state that was not loaded, shows in what it read.
 * Another MTE guest, run before and after, must keep its own state, and
 * the host its registers, throughout.
 */
#include "harness.h"

/* nVHE with the lazy VM's state in struct kvmmte_state, VHE in sys_regs[]. */
static const struct {
	enum kvmmte_host_mode mode;
	enum hv_layout lazy, other;
} lazy_runs[] = {
	{ KVMMTE_HOST_NVHE, HV_LAYOUT_STATE, HV_LAYOUT_SYSREGS },
	{ KVMMTE_HOST_VHE, HV_LAYOUT_SYSREGS, HV_LAYOUT_STATE },
};

/* One EXCHANGE: the guest reads its registers into mb->seen, writes @next. */
static void exchange(struct tt *t, struct hv_vcpu *v, const struct kvmmte_state *next)
{
	tt_mb(v)->next = *next;
	tt_guest_cmd(t, v, tt_random_entry(t, v), GUEST_CMD_EXCHANGE, 0, 0, false);
}

static void check_host(struct tt *t, const struct kvmmte_state *host, const char *when)
{
	/* The host owns all four here, TFSRE0_EL1 too: it moves on every entry/exit. */
	unsigned int fields = TT_STATE_ALL;
	struct kvmmte_state now;
	char what[96];

	tt_host_read(t, &now);
	plat_snprintf(what, sizeof(what), "%s: host registers %s", tt_mode_name(t->h->mode), when);
	TT_CHECK_STATE(t, what, fields, host, &now);
}

TT_CASE(lazy_mte_vm_first_access_enables_then_runs_untrapped_on_its_saved_state, TT_NEEDS_MTE2)
{
	static struct hv_vcpu lazy, other;

	for (unsigned int r = 0; r < sizeof(lazy_runs) / sizeof(lazy_runs[0]); r++) {
		const char *mode = tt_mode_name(lazy_runs[r].mode);
		struct kvmmte_state preloaded = tt_random_state(t), host = tt_random_state(t);
		struct kvmmte_state next[3] = { tt_random_state(t), tt_random_state(t), tt_random_state(t) };
		struct kvmmte_state other_start = tt_random_state(t), other_next = tt_random_state(t);
		struct kvmmte_state saved;
		struct kvmmte_sysreg_access a;
		unsigned int per_entry = TT_STATE_RGSR | TT_STATE_GCR | TT_STATE_TFSRE0 |
					 (lazy_runs[r].mode == KVMMTE_HOST_NVHE ? TT_STATE_TFSR : 0);

		/*
		 * The entry switch (TFSRE0_EL1) and, under VHE, the load half
		 * (TFSR_EL1) must bring these in: make them differ from what the
		 * registers would otherwise hold, the host's TFSRE0_EL1 and
		 * (VHE) the other guest's TFSR_EL1, left behind by its put.
		 */
		preloaded.tfsre0_el1 = host.tfsre0_el1 ^ KVMMTE_TFSRE0_EL1_VALID_MASK;
		preloaded.tfsr_el1 = other_next.tfsr_el1 ^ KVMMTE_TFSR_VALID_MASK;

		hv_set_host_mode(t->h, lazy_runs[r].mode);
		tt_guest_create(t, &lazy, "lazy", 0, true, lazy_runs[r].lazy);
		tt_guest_create(t, &other, "other", 1, true, lazy_runs[r].other);
		hv_vcpu_make_lazy(t->h, &lazy);
		TT_REQUIRE(t, lazy.vm.flags & KVMMTE_VM_LAZY, "%s: VM config without KVMMTE_VM_LAZY", mode);
		TT_REQUIRE(t, !(lazy.hcr_base & KVMMTE_HCR_EL2_ATA),
			   "%s: lazy VM starts with HCR_EL2.ATA set (0x%lx)", mode,
			   (unsigned long)lazy.hcr_base);
		hv_vcpu_set_mte(&lazy, &preloaded);
		hv_vcpu_set_mte(&other, &other_start);
		tt_host_write(t, &host);

		/* The other guest runs first, with its state in hardware. */
		hv_vcpu_load(t->h, &other);
		exchange(t, &other, &other_next);
		TT_CHECK_STATE(t, "other guest read its state", TT_STATE_ALL, &other_start,
			       &tt_mb(&other)->seen);
		hv_vcpu_put(t->h);
		check_host(t, &host, "after the other guest");

		/* The lazy guest's first command: one trap, ENABLE, then its preloaded state. */
		hv_vcpu_load(t->h, &lazy);
		exchange(t, &lazy, &next[0]);
		TT_CHECK_EQ(t, "trapped MTE register accesses of the lazy guest", 1, lazy.nr_sysreg_traps);
		TT_CHECK_EQ(t, "ENABLE answers acted on", 1, lazy.nr_enable);
		TT_CHECK_EQ(t, "UNDEFs injected into the lazy guest", 0, lazy.nr_undef);
		TT_CHECK(t, !kvmmte_esr_decode_sysreg(lazy.last_sysreg_esr, &a) &&
			 a.reg == KVMMTE_REG_RGSR_EL1 && a.is_read,
			 "%s: the trapped access (ESR_EL2 0x%08lx) is not the guest's first, MRS RGSR_EL1",
			 mode, (unsigned long)lazy.last_sysreg_esr);
		TT_CHECK(t, lazy.hcr_base & KVMMTE_HCR_EL2_ATA, "%s: HCR_EL2.ATA still clear after ENABLE",
			 mode);
		TT_CHECK_STATE(t, "what the lazy guest read after ENABLE: its preloaded state",
			       TT_STATE_ALL, &preloaded, &tt_mb(&lazy)->seen);
		hv_vcpu_get_mte(&lazy, &saved);
		TT_CHECK_STATE(t, "lazy guest's state saved by the exit switch", per_entry, &next[0], &saved);
		check_host(t, &host, "after the lazy guest's first exit");

		/* Enabled: the next accesses run untrapped on the values it wrote. */
		exchange(t, &lazy, &next[1]);
		TT_CHECK_EQ(t, "trapped accesses after ENABLE (second command)", 1, lazy.nr_sysreg_traps);
		TT_CHECK_STATE(t, "lazy guest reads back its writes", TT_STATE_ALL, &next[0],
			       &tt_mb(&lazy)->seen);
		hv_vcpu_put(t->h);
		hv_vcpu_get_mte(&lazy, &saved);
		TT_CHECK_STATE(t, "lazy guest's state after put", TT_STATE_ALL, &next[1], &saved);
		check_host(t, &host, "after the lazy guest's put");

		/* A later load is an ordinary MTE vcpu's: no trap, no second ENABLE. */
		hv_vcpu_load(t->h, &lazy);
		exchange(t, &lazy, &next[2]);
		hv_vcpu_put(t->h);
		TT_CHECK_EQ(t, "trapped accesses after a put and load", 1, lazy.nr_sysreg_traps);
		TT_CHECK_EQ(t, "ENABLE answers after a put and load", 1, lazy.nr_enable);
		TT_CHECK_STATE(t, "lazy guest reads its state after a put and load", TT_STATE_ALL,
			       &next[1], &tt_mb(&lazy)->seen);
		hv_vcpu_get_mte(&lazy, &saved);
		TT_CHECK_STATE(t, "lazy guest's state after the last put", TT_STATE_ALL, &next[2], &saved);

		/* The other guest's state went through all of it untouched. */
		hv_vcpu_get_mte(&other, &saved);
		TT_CHECK_STATE(t, "other guest's saved state", TT_STATE_ALL, &other_next, &saved);
		hv_vcpu_load(t->h, &other);
		exchange(t, &other, &other_start);
		hv_vcpu_put(t->h);
		TT_CHECK_STATE(t, "other guest reads its own state again", TT_STATE_ALL, &other_next,
			       &tt_mb(&other)->seen);
		TT_CHECK_EQ(t, "trapped accesses of the other guest", 0, other.nr_sysreg_traps);
		check_host(t, &host, "at the end");
	}
}
