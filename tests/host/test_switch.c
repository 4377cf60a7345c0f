// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * lib/switch.c against the fake register file: which registers each
 * routine reads and writes, in which order, with which values, in both
 * host modes.
 */
#include <criterion/criterion.h>
#include <kvmmte/switch.h>
#include "fake_sysreg.h"

#define ISB_ { FAKE_ISB, PHYS_COUNT, 0 }

static const struct kvmmte_state guest_vals = {
	.rgsr_el1 = 0x00abcd03, .gcr_el1 = 0x1fff0, .tfsr_el1 = 0x1, .tfsre0_el1 = 0x1,
};

static void hw_state(uint64_t rgsr, uint64_t gcr, uint64_t tfsr, uint64_t tfsre0)
{
	fake_phys[PHYS_RGSR_EL1] = rgsr;
	fake_phys[PHYS_GCR_EL1] = gcr;
	fake_phys[PHYS_TFSR_EL1] = tfsr;
	fake_phys[PHYS_TFSRE0_EL1] = tfsre0;
}

#define expect_state(s, r, g, t, t0) do {					\
	cr_expect_eq((s)->rgsr_el1, (r), "rgsr_el1: expected %#llx, got %#llx",	\
		     (unsigned long long)(r), (unsigned long long)(s)->rgsr_el1);	\
	cr_expect_eq((s)->gcr_el1, (g), "gcr_el1: expected %#llx, got %#llx",	\
		     (unsigned long long)(g), (unsigned long long)(s)->gcr_el1);	\
	cr_expect_eq((s)->tfsr_el1, (t), "tfsr_el1: expected %#llx, got %#llx",	\
		     (unsigned long long)(t), (unsigned long long)(s)->tfsr_el1);	\
	cr_expect_eq((s)->tfsre0_el1, (t0), "tfsre0_el1: expected %#llx, got %#llx", \
		     (unsigned long long)(t0), (unsigned long long)(s)->tfsre0_el1); \
} while (0)

/* On a CPU with MTE level @level, the whole-state save reads all four, in order. */
static void expect_save_reads_all_four(unsigned int level)
{
	struct kvmmte_state s = { 0 };

	fake_cpu(2, level, false);
	hw_state(0x1234500, 0x10003, 0x2, 0x1);
	kvmmte_state_save(&s);
	expect_state(&s, 0x1234500, 0x10003, 0x2, 0x1);
	FAKE_EXPECT_LOG(R(RGSR_EL1, 0x1234500), R(GCR_EL1, 0x10003),
			R(TFSR_EL1, 0x2), R(TFSRE0_EL1, 0x1));
}

Test(state, save_reads_all_four_el1_registers_in_order)
{
	expect_save_reads_all_four(3);
}

Test(state, restore_writes_all_four_el1_registers_in_order)
{
	fake_cpu(3, 2, false);
	kvmmte_state_restore(&guest_vals);
	FAKE_EXPECT_LOG(W(RGSR_EL1, 0x00abcd03), W(GCR_EL1, 0x1fff0),
			W(TFSR_EL1, 0x1), W(TFSRE0_EL1, 0x1));
}

Test(state, vhe_guest_save_reaches_tfsr_el1_through_el12_not_tfsr_el2)
{
	struct kvmmte_state s = { 0 };

	fake_cpu(2, 3, true);
	hw_state(0x500, 0xff, 0x1, 0x0);
	fake_phys[PHYS_TFSR_EL2] = 0x2;	/* the host kernel's own faults */
	kvmmte_state_save_vhe_guest(&s);
	expect_state(&s, 0x500, 0xff, 0x1, 0x0);
	FAKE_EXPECT_LOG(R(RGSR_EL1, 0x500), R(GCR_EL1, 0xff), R(TFSR_EL1, 0x1),
			R(TFSRE0_EL1, 0));
	cr_expect_eq(fake_log_nth(2)->id, KVMMTE_SYSREG_ID_TFSR_EL12);
}

Test(state, vhe_guest_restore_leaves_tfsr_el2_alone)
{
	fake_cpu(2, 3, true);
	fake_phys[PHYS_TFSR_EL2] = 0x2;
	kvmmte_state_restore_vhe_guest(&guest_vals);
	FAKE_EXPECT_LOG(W(RGSR_EL1, 0x00abcd03), W(GCR_EL1, 0x1fff0),
			W(TFSR_EL1, 0x1), W(TFSRE0_EL1, 0x1));
	cr_expect_eq(fake_phys[PHYS_TFSR_EL2], 0x2, "TFSR_EL2 changed to %#llx",
		     (unsigned long long)fake_phys[PHYS_TFSR_EL2]);
}

Test(state, el2_state_moves_tfsr_el2_only)
{
	struct kvmmte_el2_state s = { .tfsr_el2 = 0 };
	const struct kvmmte_el2_state other = { .tfsr_el2 = 0x3 };

	fake_cpu(3, 3, false);
	fake_phys[PHYS_TFSR_EL2] = 0x1;
	kvmmte_el2_state_save(&s);
	kvmmte_el2_state_restore(&other);
	cr_expect_eq(s.tfsr_el2, 0x1);
	FAKE_EXPECT_LOG(R(TFSR_EL2, 0x1), W(TFSR_EL2, 0x3));
}

Test(load_put, nvhe_load_and_put_touch_nothing)
{
	struct kvmmte_state host = { 0x1, 0x2, 0x3, 0x1 }, guest = { 0x5, 0x6, 0x2, 0x1 };

	fake_cpu(2, 3, false);
	hw_state(0x111, 0x222, 0x2, 0x1);
	cr_assert_eq(kvmmte_vcpu_load(KVMMTE_HOST_NVHE, &host, &guest), 0);
	cr_assert_eq(kvmmte_vcpu_put(KVMMTE_HOST_NVHE, &host, &guest), 0);
	cr_expect_eq(fake_log_len, 0, "%zu register accesses; under nVHE all move per entry/exit",
		     fake_log_len);
	expect_state(&host, 0x1, 0x2, 0x3, 0x1);
	expect_state(&guest, 0x5, 0x6, 0x2, 0x1);
}

Test(load_put, vhe_load_moves_only_guest_tfsr_via_el12)
{
	struct kvmmte_state host = { 0 };
	const struct kvmmte_state guest = { .tfsr_el1 = 0x2, .tfsre0_el1 = 0x1 };

	fake_cpu(2, 3, true);
	hw_state(0, 0, 0, 0x1);
	fake_phys[PHYS_TFSR_EL2] = 0x1;
	cr_assert_eq(kvmmte_vcpu_load(KVMMTE_HOST_VHE, &host, &guest), 0);
	FAKE_EXPECT_LOG(W(TFSR_EL1, 0x2));
	cr_expect_eq(fake_log_nth(0)->id, KVMMTE_SYSREG_ID_TFSR_EL12, "TFSR_EL1 must be reached as TFSR_EL12");
	expect_state(&host, 0, 0, 0, 0);
	cr_expect_eq(fake_phys[PHYS_TFSR_EL2], 0x1, "host's TFSR_EL2 must not move");
	cr_expect_eq(fake_phys[PHYS_TFSRE0_EL1], 0x1, "TFSRE0_EL1 moves per entry/exit, not at load");
}

Test(load_put, vhe_put_saves_only_guest_tfsr_via_el12)
{
	struct kvmmte_state host = { .tfsre0_el1 = 0x1 }, guest = { 0 };

	fake_cpu(2, 3, true);
	hw_state(0, 0, 0x2, 0x0);
	cr_assert_eq(kvmmte_vcpu_put(KVMMTE_HOST_VHE, &host, &guest), 0);
	FAKE_EXPECT_LOG(R(TFSR_EL1, 0x2));
	cr_expect_eq(fake_log_nth(0)->id, KVMMTE_SYSREG_ID_TFSR_EL12, "TFSR_EL1 must be reached as TFSR_EL12");
	expect_state(&guest, 0, 0, 0x2, 0);
	expect_state(&host, 0, 0, 0, 0x1);
}

Test(load_put, vhe_load_then_put_keeps_the_guests_new_fault)
{
	struct kvmmte_state host = { 0 }, guest = { .tfsr_el1 = 0x0 };

	fake_cpu(2, 3, true);
	hw_state(0, 0, 0, 0);
	cr_assert_eq(kvmmte_vcpu_load(KVMMTE_HOST_VHE, &host, &guest), 0);
	fake_phys[PHYS_TFSR_EL1] = 0x2;		/* the guest takes an async fault at EL1 */
	cr_assert_eq(kvmmte_vcpu_put(KVMMTE_HOST_VHE, &host, &guest), 0);
	cr_expect_eq(guest.tfsr_el1, 0x2, "guest TFSR_EL1 expected 0x2, got 0x%llx",
		     (unsigned long long)guest.tfsr_el1);
	cr_expect_eq(fake_undef_count, 0);
}

Test(load_put, unknown_mode_is_rejected_and_touches_nothing)
{
	struct kvmmte_state host = { .tfsre0_el1 = 0x77 }, guest = { .tfsre0_el1 = 0x66 };
	const int bad[] = { -1, 2, 3, 0x7fffffff };
	size_t i;

	fake_cpu(2, 3, false);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(kvmmte_vcpu_load((enum kvmmte_host_mode)bad[i], &host, &guest),
			     -KVMMTE_EINVAL, "load mode %d", bad[i]);
		cr_expect_eq(kvmmte_vcpu_put((enum kvmmte_host_mode)bad[i], &host, &guest),
			     -KVMMTE_EINVAL, "put mode %d", bad[i]);
	}
	cr_expect_eq(fake_log_len, 0, "%zu register accesses for a rejected mode", fake_log_len);
	cr_expect_eq(host.tfsre0_el1, 0x77);
	cr_expect_eq(guest.tfsre0_el1, 0x66);
}

/*
 * A CPU with MTE2 but without FEAT_MTE_ASYNC (MTE_frac 0xF): the TFSR
 * registers are UNDEFINED there, so every routine must move RGSR_EL1 and
 * GCR_EL1 only.  The fake counts an UNDEFINED access; FAKE_EXPECT_LOG fails
 * on any.
 */
/*
 * On a CPU at MTE level @level (E2H as given) without FEAT_MTE_ASYNC,
 * @save reads RGSR_EL1 = @rgsr and GCR_EL1 = @gcr into a state that held
 * other values (its TFSR fields become 0), @restore writes guest_vals'
 * RGSR_EL1 and GCR_EL1, and no other register is touched.
 */
static void expect_rgsr_gcr_only(void (*save)(struct kvmmte_state *s),
				 void (*restore)(const struct kvmmte_state *s),
				 unsigned int level, bool e2h, uint64_t rgsr, uint64_t gcr)
{
	struct kvmmte_state s = { 0x1, 0x2, 0x3, 0x1 };

	fake_cpu(2, level, e2h);
	fake_cpu_without_async();
	hw_state(rgsr, gcr, 0, 0);
	save(&s);
	expect_state(&s, rgsr, gcr, 0, 0);
	restore(&guest_vals);
	FAKE_EXPECT_LOG(R(RGSR_EL1, rgsr), R(GCR_EL1, gcr),
			W(RGSR_EL1, 0x00abcd03), W(GCR_EL1, 0x1fff0));
}

Test(noasync, whole_state_save_and_restore_move_rgsr_gcr_only)
{
	expect_rgsr_gcr_only(kvmmte_state_save, kvmmte_state_restore, 2, false, 0x1234500, 0x10003);
}

Test(noasync, vhe_guest_save_and_restore_move_rgsr_gcr_only)
{
	expect_rgsr_gcr_only(kvmmte_state_save_vhe_guest, kvmmte_state_restore_vhe_guest, 3, true,
			     0x500, 0xff);
}

Test(noasync, el2_state_has_no_tfsr_el2_to_move)
{
	struct kvmmte_el2_state s = { .tfsr_el2 = 0x3 };
	const struct kvmmte_el2_state other = { .tfsr_el2 = 0x1 };

	fake_cpu(3, 2, false);
	fake_cpu_without_async();
	kvmmte_el2_state_save(&s);
	kvmmte_el2_state_restore(&other);
	cr_expect_eq(s.tfsr_el2, 0, "tfsr_el2: expected 0, got %#llx", (unsigned long long)s.tfsr_el2);
	cr_expect_eq(fake_undef_count, 0, "%u UNDEFINED accesses", fake_undef_count);
	FAKE_EXPECT_LOG();
}

Test(noasync, load_put_in_both_modes_touch_no_register)
{
	struct kvmmte_state host = { 0x1, 0x2, 0x3, 0x1 }, guest = { 0x5, 0x6, 0x2, 0x1 };
	int mode;

	for (mode = KVMMTE_HOST_NVHE; mode <= KVMMTE_HOST_VHE; mode++) {
		fake_cpu(2, 2, mode == KVMMTE_HOST_VHE);
		fake_cpu_without_async();
		cr_assert_eq(kvmmte_vcpu_load(mode, &host, &guest), 0);
		cr_assert_eq(kvmmte_vcpu_put(mode, &host, &guest), 0);
		if (mode == KVMMTE_HOST_VHE) {
			kvmmte_vcpu_load_vhe(&host, &guest);
			kvmmte_vcpu_put_vhe(&host, &guest);
		}
		cr_expect_eq(fake_undef_count, 0, "mode %d: %u UNDEFINED accesses", mode,
			     fake_undef_count);
		FAKE_EXPECT_LOG();
		expect_state(&host, 0x1, 0x2, 0x3, 0x1);
		expect_state(&guest, 0x5, 0x6, 0x2, 0x1);
	}
}

/* The boundary of the level check: exactly MTE2 (no MTE3) switches everything. */
Test(state, mte_level_exactly_2_moves_all_four)
{
	expect_save_reads_all_four(2);
}
