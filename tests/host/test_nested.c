// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Nested virtualization with FEAT_NV2 (lib/nested.c): the TFSR move of an
 * L0 hypervisor on nested entry and exit, HCR_EL2.ATA for L2, and the ID
 * registers of a VM that runs a guest hypervisor.  Offsets and bits are
 * written out by hand from the Arm ARM: VNCR_EL2 page HCR_EL2 at 0x078,
 * TFSR_EL1 at 0x190; HCR_EL2.ATA 56; ID_AA64PFR1_EL1 MTE [11:8], MTE_frac
 * [43:40]; ID_AA64PFR2_EL1 MTESTOREONLY [7:4], MTEFAR [11:8].
 */
#include <criterion/criterion.h>
#include <string.h>
#include <kvmmte/nested.h>
#include "fake_sysreg.h"
#include "fixtures.h"

#define ATA		(1ULL << 56)
#define VNCR_HCR	(0x078 / 8)
#define VNCR_TFSR	(0x190 / 8)

/* The VM's VNCR_EL2 page as L0 maps it; filled with a pattern per test. */
static _Alignas(4096) uint64_t vncr[512];
static uint64_t vncr_before[512];

/* A CPU at EL2 with MTE3 and async faults; L1's TFSR, L0's own TFSR_EL2. */
static void nested_cpu(bool vhe, uint64_t real_tfsr_el1, uint64_t l2_tfsr)
{
	fake_cpu(2, 3, vhe);
	fake_phys[PHYS_TFSR_EL1] = real_tfsr_el1;
	fake_phys[PHYS_TFSR_EL2] = 0x2;		/* L0's own: never moved */
	fake_phys[PHYS_GCR_EL1] = 0x10f0f;
	fake_phys[PHYS_RGSR_EL1] = 0xbeef00;
	for (size_t i = 0; i < ARRAY_SIZE(vncr); i++)
		vncr[i] = 0x5a5a000000000000ULL | i;
	vncr[VNCR_TFSR] = l2_tfsr;
	memcpy(vncr_before, vncr, sizeof(vncr));
	fake_log_clear();
}

/* Everything but the slot @changed (-1: none) of the page as it was. */
static void expect_vncr_unchanged_but(int changed)
{
	for (size_t i = 0; i < ARRAY_SIZE(vncr); i++)
		if ((int)i != changed)
			cr_expect_eq(vncr[i], vncr_before[i],
				     "VNCR page +%#zx: expected %#llx, got %#llx", i * 8,
				     (unsigned long long)vncr_before[i], (unsigned long long)vncr[i]);
}

static void expect_non_tfsr_untouched(void)
{
	EXPECT_U64("TFSR_EL2 (L0's own)", 0x2, fake_phys[PHYS_TFSR_EL2]);
	EXPECT_U64("GCR_EL1 (L1 moves it)", 0x10f0f, fake_phys[PHYS_GCR_EL1]);
	EXPECT_U64("RGSR_EL1 (L1 moves it)", 0xbeef00, fake_phys[PHYS_RGSR_EL1]);
	cr_expect_eq(fake_undef_count, 0, "UNDEFINED accesses: %u", fake_undef_count);
}

Test(nested_enter, nvhe_l0_moves_l1_tfsr_out_and_l2_tfsr_in)
{
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0xdead };

	nested_cpu(false, 0x1, 0x2);
	ASSERT_RET(kvmmte_nested_enter(KVMMTE_HOST_NVHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("L1's virtual TFSR_EL2 saved", 0x1, l1.tfsr_el2);
	EXPECT_U64("real TFSR_EL1 = L2's from VNCR+0x190", 0x2, fake_phys[PHYS_TFSR_EL1]);
	FAKE_EXPECT_LOG(R(TFSR_EL1, 0x1), W(TFSR_EL1, 0x2));
	cr_expect_eq(fake_log_nth(0)->id, KVMMTE_SYSREG_ID_TFSR_EL1, "nVHE names %s",
		     fake_sysreg_name(fake_log_nth(0)->id));
	expect_vncr_unchanged_but(-1);
	expect_non_tfsr_untouched();
}

Test(nested_enter, vhe_l0_reaches_real_tfsr_el1_through_el12)
{
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0xdead };

	nested_cpu(true, 0x3, 0x1);
	ASSERT_RET(kvmmte_nested_enter(KVMMTE_HOST_VHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("L1's virtual TFSR_EL2 saved", 0x3, l1.tfsr_el2);
	EXPECT_U64("real TFSR_EL1 = L2's from VNCR+0x190", 0x1, fake_phys[PHYS_TFSR_EL1]);
	FAKE_EXPECT_LOG(R(TFSR_EL1, 0x3), W(TFSR_EL1, 0x1));
	cr_expect_eq(fake_log_nth(0)->id, KVMMTE_SYSREG_ID_TFSR_EL12, "VHE read names %s",
		     fake_sysreg_name(fake_log_nth(0)->id));
	cr_expect_eq(fake_log_nth(1)->id, KVMMTE_SYSREG_ID_TFSR_EL12, "VHE write names %s",
		     fake_sysreg_name(fake_log_nth(1)->id));
	expect_vncr_unchanged_but(-1);
	expect_non_tfsr_untouched();
}

Test(nested_enter, res0_bits_l1_wrote_into_the_page_never_reach_tfsr_el1)
{
	struct kvmmte_el2_state l1 = { 0 };

	nested_cpu(false, 0x0, 0xfffffffffffffffdULL);
	ASSERT_RET(kvmmte_nested_enter(KVMMTE_HOST_NVHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("real TFSR_EL1: TF1|TF0 of the page only", 0x1, fake_phys[PHYS_TFSR_EL1]);
}

Test(nested_exit, nvhe_l0_moves_l2_tfsr_to_the_page_and_l1_tfsr_back)
{
	const struct kvmmte_el2_state l1 = { .tfsr_el2 = 0x1 };

	nested_cpu(false, 0x2, 0x0);	/* L2 made a TF1 fault while it ran */
	ASSERT_RET(kvmmte_nested_exit(KVMMTE_HOST_NVHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("VNCR+0x190 = L2's TFSR", 0x2, vncr[VNCR_TFSR]);
	EXPECT_U64("real TFSR_EL1 = L1's virtual TFSR_EL2", 0x1, fake_phys[PHYS_TFSR_EL1]);
	FAKE_EXPECT_LOG(R(TFSR_EL1, 0x2), W(TFSR_EL1, 0x1));
	expect_vncr_unchanged_but(VNCR_TFSR);
	expect_non_tfsr_untouched();
}

Test(nested_exit, vhe_l0_reaches_real_tfsr_el1_through_el12)
{
	const struct kvmmte_el2_state l1 = { .tfsr_el2 = 0x0 };

	nested_cpu(true, 0x3, 0x0);
	ASSERT_RET(kvmmte_nested_exit(KVMMTE_HOST_VHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("VNCR+0x190 = L2's TFSR", 0x3, vncr[VNCR_TFSR]);
	EXPECT_U64("real TFSR_EL1 = L1's virtual TFSR_EL2", 0x0, fake_phys[PHYS_TFSR_EL1]);
	FAKE_EXPECT_LOG(R(TFSR_EL1, 0x3), W(TFSR_EL1, 0x0));
	cr_expect_eq(fake_log_nth(0)->id, KVMMTE_SYSREG_ID_TFSR_EL12, "VHE read names %s",
		     fake_sysreg_name(fake_log_nth(0)->id));
	expect_vncr_unchanged_but(VNCR_TFSR);
	expect_non_tfsr_untouched();
}

Test(nested, each_level_keeps_its_faults_across_entry_l2_fault_and_exit)
{
	struct kvmmte_el2_state l1 = { 0 };

	nested_cpu(false, 0x1, 0x0);	/* L1 has a pending TF0, L2 none */
	ASSERT_RET(kvmmte_nested_enter(KVMMTE_HOST_NVHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("L2 starts clean", 0x0, fake_phys[PHYS_TFSR_EL1]);
	fake_phys[PHYS_TFSR_EL1] |= 0x2;	/* L2 makes an asynchronous TF1 fault */
	ASSERT_RET(kvmmte_nested_exit(KVMMTE_HOST_NVHE, &vm_mte, &l1, vncr), 0);
	EXPECT_U64("L1 sees its own TF0 only", 0x1, fake_phys[PHYS_TFSR_EL1]);
	EXPECT_U64("L1 finds L2's TF1 at VNCR+0x190", 0x2, vncr[VNCR_TFSR]);
}

Test(nested, vm_without_async_has_no_tfsr_and_nothing_moves)
{
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0xdead };

	nested_cpu(false, 0x1, 0x2);
	fake_cpu_without_async();
	fake_log_clear();
	ASSERT_RET(kvmmte_nested_enter(KVMMTE_HOST_NVHE, &vm_noasync, &l1, vncr), 0);
	ASSERT_RET(kvmmte_nested_exit(KVMMTE_HOST_NVHE, &vm_noasync, &l1, vncr), 0);
	cr_expect_eq(fake_log_len, 0, "register accesses: %zu, expected none", fake_log_len);
	EXPECT_U64("l1 untouched", 0xdead, l1.tfsr_el2);
	expect_vncr_unchanged_but(-1);
}

struct bad_call {
	const char *what;
	int mode;
	const struct kvmmte_vm_config *vm;
	bool l1_null, vncr_null;
	size_t vncr_off;
	int want;
};

static const struct kvmmte_vm_config vm_broken = { .mte_level = 1 };

static const struct bad_call bad_calls[] = {
	{ "mode 7", 7, &vm_mte, false, false, 0, -KVMMTE_EINVAL },
	{ "vm NULL", KVMMTE_HOST_NVHE, NULL, false, false, 0, -KVMMTE_EFAULT },
	{ "l1 NULL", KVMMTE_HOST_NVHE, &vm_mte, true, false, 0, -KVMMTE_EFAULT },
	{ "vncr NULL", KVMMTE_HOST_VHE, &vm_mte, false, true, 0, -KVMMTE_EFAULT },
	{ "vm invalid", KVMMTE_HOST_NVHE, &vm_broken, false, false, 0, -KVMMTE_EINVAL },
	{ "vncr +8", KVMMTE_HOST_NVHE, &vm_mte, false, false, 8, -KVMMTE_EINVAL },
	{ "vncr +0x800", KVMMTE_HOST_VHE, &vm_mte, false, false, 0x800, -KVMMTE_EINVAL },
	{ "vm without MTE", KVMMTE_HOST_NVHE, &vm_none, false, false, 0, -KVMMTE_EOPNOTSUPP },
};

Test(nested, rejected_calls_return_their_error_and_change_nothing)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_calls); i++) {
		const struct bad_call *c = &bad_calls[i];
		struct kvmmte_el2_state l1 = { .tfsr_el2 = 0xdead };
		struct kvmmte_el2_state *pl1 = c->l1_null ? NULL : &l1;
		void *page = c->vncr_null ? NULL : (char *)vncr + c->vncr_off;
		int ret;

		for (int exit = 0; exit < 2; exit++) {
			nested_cpu(c->mode == KVMMTE_HOST_VHE, 0x1, 0x2);
			ret = exit ? kvmmte_nested_exit(c->mode, c->vm, pl1, page)
				   : kvmmte_nested_enter(c->mode, c->vm, pl1, page);
			cr_expect_eq(ret, c->want, "%s %s: returned %d, expected %d",
				     exit ? "exit" : "enter", c->what, ret, c->want);
			cr_expect_eq(fake_log_len, 0, "%s %s: %zu register accesses, expected none",
				     exit ? "exit" : "enter", c->what, fake_log_len);
			EXPECT_U64(c->what, 0xdead, l1.tfsr_el2);
			EXPECT_U64(c->what, 0x1, fake_phys[PHYS_TFSR_EL1]);
			expect_vncr_unchanged_but(-1);
		}
	}
}

/* ---- the _at twins: an L0 whose exit path saved the VM's state ---- */

/* A KVM-style context: TFSR_EL1 deep inside, TFSRE0 before it, neighbours around. */
struct kvm_ctxt {
	uint64_t regs[40];
};

static const struct kvmmte_layout kvm_layout =
	KVMMTE_LAYOUT_INIT(struct kvm_ctxt, regs[30], regs[11], regs[27], regs[26]);
#define KVM_TFSR	27

static void kvm_ctxt_fill(struct kvm_ctxt *c, uint64_t tfsr)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->regs); i++)
		c->regs[i] = 0x7700000000000000ULL | i;
	c->regs[KVM_TFSR] = tfsr;
}

static void expect_ctxt_unchanged_but(const struct kvm_ctxt *c, int changed)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->regs); i++)
		if ((int)i != changed)
			cr_expect_eq(c->regs[i], 0x7700000000000000ULL | i,
				     "context slot %zu: expected %#llx, got %#llx", i,
				     0x7700000000000000ULL | i, (unsigned long long)c->regs[i]);
}

Test(nested_at, enter_and_exit_move_the_saved_tfsr_and_touch_no_register)
{
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0xdead };
	struct kvm_ctxt c;

	nested_cpu(false, 0x3, 0xffffffff00000001ULL);	/* L1 left RES0 bits in the page */
	kvm_ctxt_fill(&c, 0x2);				/* L1's TFSR, saved at its exit */
	ASSERT_RET(kvmmte_nested_enter_at(&vm_mte, &kvm_layout, &c, &l1, vncr), 0);
	EXPECT_U64("l1.tfsr_el2 (L1's saved TFSR)", 0x2, l1.tfsr_el2);
	EXPECT_U64("context TFSR_EL1 (L2's, RES0 dropped)", 0x1, c.regs[KVM_TFSR]);
	expect_ctxt_unchanged_but(&c, KVM_TFSR);
	expect_vncr_unchanged_but(-1);

	c.regs[KVM_TFSR] = 0x3;				/* L2 ran and faulted */
	ASSERT_RET(kvmmte_nested_exit_at(&vm_mte, &kvm_layout, &c, &l1, vncr), 0);
	EXPECT_U64("VNCR+0x190 (L2's TFSR for L1)", 0x3, vncr[VNCR_TFSR]);
	EXPECT_U64("context TFSR_EL1 (L1's again)", 0x2, c.regs[KVM_TFSR]);
	expect_ctxt_unchanged_but(&c, KVM_TFSR);
	expect_vncr_unchanged_but(VNCR_TFSR);
	cr_expect_eq(fake_log_len, 0, "register accesses: %zu, expected none", fake_log_len);
	EXPECT_U64("real TFSR_EL1 untouched", 0x3, fake_phys[PHYS_TFSR_EL1]);
	expect_non_tfsr_untouched();
}

Test(nested_at, vm_without_async_moves_nothing)
{
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0xdead };
	struct kvm_ctxt c;

	nested_cpu(false, 0x1, 0x2);
	kvm_ctxt_fill(&c, 0x1);
	ASSERT_RET(kvmmte_nested_enter_at(&vm_noasync, &kvm_layout, &c, &l1, vncr), 0);
	ASSERT_RET(kvmmte_nested_exit_at(&vm_noasync, &kvm_layout, &c, &l1, vncr), 0);
	EXPECT_U64("l1 untouched", 0xdead, l1.tfsr_el2);
	expect_ctxt_unchanged_but(&c, KVM_TFSR);
	EXPECT_U64("context TFSR untouched", 0x1, c.regs[KVM_TFSR]);
	expect_vncr_unchanged_but(-1);
}

Test(nested_at, rejected_calls_return_their_error_and_change_nothing)
{
	static const struct kvmmte_layout odd_layout =
		{ .rgsr_el1 = 8, .gcr_el1 = 16, .tfsr_el1 = 20, .tfsre0_el1 = 32 };
	struct kvmmte_el2_state l1;
	struct kvm_ctxt c;
	const struct {
		const char *what;
		const struct kvmmte_vm_config *vm;
		const struct kvmmte_layout *layout;
		bool ctxt_null, l1_null;
		void *page;
		int want;
	} bad[] = {
		{ "layout NULL", &vm_mte, NULL, false, false, vncr, -KVMMTE_EFAULT },
		{ "ctxt NULL", &vm_mte, &kvm_layout, true, false, vncr, -KVMMTE_EFAULT },
		{ "vm NULL", NULL, &kvm_layout, false, false, vncr, -KVMMTE_EFAULT },
		{ "l1 NULL", &vm_mte, &kvm_layout, false, true, vncr, -KVMMTE_EFAULT },
		{ "vncr NULL", &vm_mte, &kvm_layout, false, false, NULL, -KVMMTE_EFAULT },
		{ "vm invalid", &vm_broken, &kvm_layout, false, false, vncr, -KVMMTE_EINVAL },
		{ "layout invalid", &vm_mte, &odd_layout, false, false, vncr, -KVMMTE_EINVAL },
		{ "vncr +8", &vm_mte, &kvm_layout, false, false, (char *)vncr + 8, -KVMMTE_EINVAL },
		{ "vm without MTE", &vm_none, &kvm_layout, false, false, vncr, -KVMMTE_EOPNOTSUPP },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		for (int exit = 0; exit < 2; exit++) {
			int ret;

			nested_cpu(false, 0x1, 0x2);
			kvm_ctxt_fill(&c, 0x3);
			l1.tfsr_el2 = 0xdead;
			ret = exit ? kvmmte_nested_exit_at(bad[i].vm, bad[i].layout,
							   bad[i].ctxt_null ? NULL : &c,
							   bad[i].l1_null ? NULL : &l1, bad[i].page)
				   : kvmmte_nested_enter_at(bad[i].vm, bad[i].layout,
							    bad[i].ctxt_null ? NULL : &c,
							    bad[i].l1_null ? NULL : &l1, bad[i].page);
			cr_expect_eq(ret, bad[i].want, "%s_at %s: returned %d, expected %d",
				     exit ? "exit" : "enter", bad[i].what, ret, bad[i].want);
			EXPECT_U64(bad[i].what, 0xdead, l1.tfsr_el2);
			EXPECT_U64(bad[i].what, 0x3, c.regs[KVM_TFSR]);
			expect_ctxt_unchanged_but(&c, KVM_TFSR);
			expect_vncr_unchanged_but(-1);
		}
}

/* ---- the VMM's view of a nested vcpu: TFSR_EL2 and where each TFSR lives ---- */

#define ID_RGSR		KVMMTE_ONE_REG_ARGS(3, 0, 1, 0, 5)
#define ID_GCR		KVMMTE_ONE_REG_ARGS(3, 0, 1, 0, 6)
#define ID_TFSR		KVMMTE_ONE_REG_ARGS(3, 0, 5, 6, 0)
#define ID_TFSRE0	KVMMTE_ONE_REG_ARGS(3, 0, 5, 6, 1)
#define ID_TFSR_EL2	KVMMTE_ONE_REG_ARGS(3, 4, 5, 6, 0)

Test(nested_vmm, reg_list_adds_tfsr_el2_for_async_vms_only)
{
	uint64_t ids[KVMMTE_NESTED_VMM_NR_REGS + 1] = { 0 };

	ASSERT_RET(kvmmte_nested_vmm_reg_list(&vm_mte, NULL, 0), 5);
	ASSERT_RET(kvmmte_nested_vmm_reg_list(&vm_mte, ids, 5), 5);
	EXPECT_U64("ids[0]", ID_RGSR, ids[0]);
	EXPECT_U64("ids[1]", ID_GCR, ids[1]);
	EXPECT_U64("ids[2]", ID_TFSR, ids[2]);
	EXPECT_U64("ids[3]", ID_TFSRE0, ids[3]);
	EXPECT_U64("ids[4]", ID_TFSR_EL2, ids[4]);
	EXPECT_U64("ids[5] untouched", 0, ids[5]);
	ids[0] = 7;
	ASSERT_RET(kvmmte_nested_vmm_reg_list(&vm_mte, ids, 4), -KVMMTE_ENOSPC);
	EXPECT_U64("ids[0] after ENOSPC", 7, ids[0]);
	ASSERT_RET(kvmmte_nested_vmm_reg_list(&vm_noasync, NULL, 0), 2);
	ASSERT_RET(kvmmte_nested_vmm_reg_list(&vm_none, NULL, 0), 0);
	ASSERT_RET(kvmmte_nested_vmm_reg_list(NULL, NULL, 0), -KVMMTE_EFAULT);
}

static struct kvmmte_nested_vcpu nested_vcpu(struct kvm_ctxt *c, struct kvmmte_el2_state *l1,
					     bool in_l2)
{
	return (struct kvmmte_nested_vcpu){ &kvm_layout, c, l1, vncr, in_l2 };
}

Test(nested_vmm, each_tfsr_is_read_and_written_where_the_level_keeps_it)
{
	for (int in_l2 = 0; in_l2 < 2; in_l2++) {
		struct kvmmte_el2_state l1 = { .tfsr_el2 = 0x1 };
		struct kvm_ctxt c;
		struct kvmmte_nested_vcpu vc = nested_vcpu(&c, &l1, in_l2);
		uint64_t v = 0;

		nested_cpu(false, 0, 0xff00000000000003ULL);	/* the page: L2's, with RES0 junk */
		kvm_ctxt_fill(&c, 0x2);				/* the VM's live TFSR */
		ASSERT_RET(kvmmte_nested_vmm_get_reg(&vm_mte, &vc, ID_TFSR_EL2, &v), 0);
		EXPECT_U64(in_l2 ? "TFSR_EL2 in L2: l1->tfsr_el2" : "TFSR_EL2 in L1: the context's",
			   in_l2 ? 0x1 : 0x2, v);
		ASSERT_RET(kvmmte_nested_vmm_get_reg(&vm_mte, &vc, ID_TFSR, &v), 0);
		EXPECT_U64(in_l2 ? "TFSR_EL1 in L2: the context's" : "TFSR_EL1 in L1: the page's, masked",
			   in_l2 ? 0x2 : 0x3, v);
		ASSERT_RET(kvmmte_nested_vmm_get_reg(&vm_mte, &vc, ID_GCR, &v), 0);
		EXPECT_U64("GCR_EL1 from the context", c.regs[11], v);

		/* Set each and find the value exactly there, nothing else moved. */
		ASSERT_RET(kvmmte_nested_vmm_set_reg(&vm_mte, &vc, ID_TFSR_EL2, 0x3), 0);
		ASSERT_RET(kvmmte_nested_vmm_set_reg(&vm_mte, &vc, ID_TFSR, 0x0), 0);
		if (in_l2) {
			EXPECT_U64("l1->tfsr_el2 after set", 0x3, l1.tfsr_el2);
			EXPECT_U64("context TFSR after set", 0x0, c.regs[KVM_TFSR]);
			expect_vncr_unchanged_but(-1);
		} else {
			EXPECT_U64("context TFSR after set", 0x3, c.regs[KVM_TFSR]);
			EXPECT_U64("VNCR+0x190 after set", 0x0, vncr[VNCR_TFSR]);
			EXPECT_U64("l1->tfsr_el2 untouched", 0x1, l1.tfsr_el2);
			expect_vncr_unchanged_but(VNCR_TFSR);
		}
		expect_ctxt_unchanged_but(&c, KVM_TFSR);
		cr_expect_eq(fake_log_len, 0, "register accesses: %zu, expected none", fake_log_len);
	}
}

/* Migration: every register out of a vcpu stopped in L2, into a blank one, equal. */
Test(nested_vmm, a_vcpu_stopped_in_l2_migrates_whole)
{
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0x2 }, l1_dst = { .tfsr_el2 = 0 };
	struct kvm_ctxt src, dst;
	struct kvmmte_nested_vcpu from = nested_vcpu(&src, &l1, true), to = nested_vcpu(&dst, &l1_dst, true);
	uint64_t ids[KVMMTE_NESTED_VMM_NR_REGS], vals[KVMMTE_NESTED_VMM_NR_REGS];
	int n;

	nested_cpu(false, 0, 0);
	kvm_ctxt_fill(&src, 0x1);
	src.regs[30] = 0xabcd05;	/* RGSR */
	src.regs[11] = 0x1f00f;		/* GCR */
	src.regs[26] = 0x3;		/* TFSRE0 */
	memset(&dst, 0, sizeof(dst));
	n = kvmmte_nested_vmm_reg_list(&vm_mte, ids, KVMMTE_NESTED_VMM_NR_REGS);
	cr_assert_eq(n, 5, "reg list: %d", n);
	for (int i = 0; i < n; i++)
		ASSERT_RET(kvmmte_nested_vmm_get_reg(&vm_mte, &from, ids[i], &vals[i]), 0);
	for (int i = 0; i < n; i++)
		ASSERT_RET(kvmmte_nested_vmm_set_reg(&vm_mte, &to, ids[i], vals[i]), 0);
	EXPECT_U64("RGSR", 0xabcd05, dst.regs[30]);
	EXPECT_U64("GCR", 0x1f00f, dst.regs[11]);
	EXPECT_U64("TFSRE0", 0x3, dst.regs[26]);
	EXPECT_U64("TFSR (L2's)", 0x1, dst.regs[KVM_TFSR]);
	EXPECT_U64("L1's TFSR_EL2", 0x2, l1_dst.tfsr_el2);
}

Test(nested_vmm, rejected_calls_return_their_error_and_change_nothing)
{
	static const struct kvmmte_layout odd_layout =
		{ .rgsr_el1 = 8, .gcr_el1 = 16, .tfsr_el1 = 20, .tfsre0_el1 = 32 };
	struct kvmmte_el2_state l1 = { .tfsr_el2 = 0x1 };
	struct kvm_ctxt c;
	struct kvmmte_nested_vcpu ok = nested_vcpu(&c, &l1, false), bad;
	uint64_t v = 0x77;
	const struct {
		const char *what;
		const struct kvmmte_vm_config *vm;
		int field;		/* which of @bad's fields to break, -1 none */
		uint64_t id, val;
		int want_get, want_set;
	} cases[] = {
		{ "vm NULL", NULL, -1, ID_TFSR_EL2, 0, -KVMMTE_EFAULT, -KVMMTE_EFAULT },
		{ "layout NULL", &vm_mte, 0, ID_TFSR_EL2, 0, -KVMMTE_EFAULT, -KVMMTE_EFAULT },
		{ "ctxt NULL", &vm_mte, 1, ID_TFSR, 0, -KVMMTE_EFAULT, -KVMMTE_EFAULT },
		{ "l1 NULL", &vm_mte, 2, ID_TFSR_EL2, 0, -KVMMTE_EFAULT, -KVMMTE_EFAULT },
		{ "vncr NULL", &vm_mte, 3, ID_TFSR, 0, -KVMMTE_EFAULT, -KVMMTE_EFAULT },
		{ "layout invalid", &vm_mte, 4, ID_TFSR_EL2, 0, -KVMMTE_EINVAL, -KVMMTE_EINVAL },
		{ "vncr +8", &vm_mte, 5, ID_TFSR, 0, -KVMMTE_EINVAL, -KVMMTE_EINVAL },
		{ "vm invalid", &vm_broken, -1, ID_TFSR_EL2, 0, -KVMMTE_EINVAL, -KVMMTE_EINVAL },
		{ "unknown id", &vm_mte, -1, KVMMTE_ONE_REG_ARGS(3, 4, 1, 1, 0), 0, -KVMMTE_ENOENT, -KVMMTE_ENOENT },
		{ "TFSR_EL2 without async", &vm_noasync, -1, ID_TFSR_EL2, 0, -KVMMTE_EPERM, -KVMMTE_EPERM },
		{ "TFSR_EL2 without MTE", &vm_none, -1, ID_TFSR_EL2, 0, -KVMMTE_EPERM, -KVMMTE_EPERM },
		{ "GCR without MTE", &vm_none, -1, ID_GCR, 0, -KVMMTE_EPERM, -KVMMTE_EPERM },
		{ "TFSR_EL2 RES0 bit", &vm_mte, -1, ID_TFSR_EL2, 0x4, 0, -KVMMTE_ERANGE },
		{ "TFSR_EL1 (page) RES0 bit", &vm_mte, -1, ID_TFSR, 1ULL << 63, 0, -KVMMTE_ERANGE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret;

		nested_cpu(false, 0, 0x2);
		kvm_ctxt_fill(&c, 0x3);
		bad = ok;
		switch (cases[i].field) {
		case 0: bad.layout = NULL; break;
		case 1: bad.ctxt = NULL; break;
		case 2: bad.l1 = NULL; break;
		case 3: bad.vncr = NULL; break;
		case 4: bad.layout = &odd_layout; break;
		case 5: bad.vncr = (char *)vncr + 8; break;
		}
		v = 0x77;
		ret = kvmmte_nested_vmm_get_reg(cases[i].vm, &bad, cases[i].id, &v);
		cr_expect_eq(ret, cases[i].want_get, "get, %s: returned %d, expected %d", cases[i].what, ret,
			     cases[i].want_get);
		if (cases[i].want_get)
			EXPECT_U64(cases[i].what, 0x77, v);
		ret = kvmmte_nested_vmm_set_reg(cases[i].vm, &bad, cases[i].id, cases[i].val);
		cr_expect_eq(ret, cases[i].want_set, "set, %s: returned %d, expected %d", cases[i].what, ret,
			     cases[i].want_set);
		EXPECT_U64(cases[i].what, 0x1, l1.tfsr_el2);
		EXPECT_U64(cases[i].what, 0x3, c.regs[KVM_TFSR]);
		expect_ctxt_unchanged_but(&c, KVM_TFSR);
		expect_vncr_unchanged_but(-1);
	}
	ASSERT_RET(kvmmte_nested_vmm_get_reg(&vm_mte, NULL, ID_TFSR, &v), -KVMMTE_EFAULT);
	ASSERT_RET(kvmmte_nested_vmm_get_reg(&vm_mte, &ok, ID_TFSR, NULL), -KVMMTE_EFAULT);
	ASSERT_RET(kvmmte_nested_vmm_set_reg(&vm_mte, NULL, ID_TFSR, 0), -KVMMTE_EFAULT);
}

/* ---- HCR_EL2.ATA for L2 ---- */

static const struct kvmmte_vm_config vm_lazy = { .mte_level = 3, .flags = KVMMTE_VM_LAZY,
						 .gmid_bs = 6, .async = 1 };

Test(nested_hcr_el2, ata_is_l0_decision_and_l1_virtual_ata_truth_table)
{
	static const struct {
		const struct kvmmte_vm_config *vm;
		uint64_t vm_hcr, l1_vhcr, want_ata;
	} cases[] = {
		/* VM with MTE: both must say yes */
		{ &vm_mte, 0, 0, 0 },
		{ &vm_mte, 0, ATA, 0 },
		{ &vm_mte, ATA, 0, 0 },
		{ &vm_mte, ATA, ATA, ATA },
		/* lazy: L0 has not enabled yet / has */
		{ &vm_lazy, 0, ATA, 0 },
		{ &vm_lazy, ATA, ATA, ATA },
		/* VM without MTE: never, whatever the two values say */
		{ &vm_none, 0, 0, 0 },
		{ &vm_none, 0, ATA, 0 },
		{ &vm_none, ATA, 0, 0 },
		{ &vm_none, ATA, ATA, 0 },
	};
	/* Other bits of each input, to see none of them leak into the result. */
	const uint64_t l2_rest = 0x0400000080000001ULL;	/* TID5, RW, VM */

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		for (int l2_ata = 0; l2_ata < 2; l2_ata++) {
			uint64_t l2 = l2_rest | (l2_ata ? ATA : 0);

			nested_cpu(false, 0, 0);
			vncr[VNCR_HCR] = cases[i].l1_vhcr | 0x0000040080000000ULL; /* NV, RW */
			cr_expect_eq(kvmmte_nested_hcr_el2(cases[i].vm, cases[i].vm_hcr | 0x0200000000000000ULL,
							   vncr, &l2), 0, "case %zu", i);
			cr_expect_eq(l2, l2_rest | cases[i].want_ata,
				     "case %zu (vm level %u, L0 ATA %d, L1 ATA %d, L2 had ATA %d): "
				     "expected %#llx, got %#llx", i, cases[i].vm->mte_level,
				     !!cases[i].vm_hcr, !!cases[i].l1_vhcr, l2_ata,
				     (unsigned long long)(l2_rest | cases[i].want_ata),
				     (unsigned long long)l2);
			cr_expect_eq(fake_log_len, 0, "case %zu: pure, yet %zu register accesses",
				     i, fake_log_len);
		}
	}
}

Test(nested_hcr_el2, tid5_is_set_if_l1_or_l0_hides_gmid)
{
	const uint64_t tid5 = 1ULL << 58;

	for (int l0 = 0; l0 < 2; l0++)
		for (int l1 = 0; l1 < 2; l1++) {
			uint64_t l2 = 0x80000001ULL | (l0 ? tid5 : 0);	/* RW, VM, L0's TID5 */

			nested_cpu(false, 0, 0);
			vncr[VNCR_HCR] = 0x80000000ULL | (l1 ? tid5 : 0);
			ASSERT_RET(kvmmte_nested_hcr_el2(&vm_mte, ATA, vncr, &l2), 0);
			EXPECT_U64(l1 ? "L1 hides GMID_EL1" : "L1 does not", 0x80000001ULL | ((l0 | l1) ? tid5 : 0), l2);
			/* A VM without MTE: L1's page never reaches the register. */
			l2 = 0x80000001ULL | (l0 ? tid5 : 0);
			ASSERT_RET(kvmmte_nested_hcr_el2(&vm_none, ATA, vncr, &l2), 0);
			EXPECT_U64("VM without MTE: L0's TID5 only", 0x80000001ULL | (l0 ? tid5 : 0), l2);
		}
}

/* ---- whose is a trapped MTE access of L2 ---- */

#define ESR_SYS(op0, op1, crn, crm, op2, read)						\
	((0x18ULL << 26) | (1ULL << 25) | ((uint64_t)(op0) << 20) | ((uint64_t)(op2) << 17) |	\
	 ((uint64_t)(op1) << 14) | ((uint64_t)(crn) << 10) | (3ULL << 5) | ((uint64_t)(crm) << 1) | (read))

Test(nested_trap_owner, l1_owns_what_its_virtual_hcr_traps_l0_the_rest)
{
	const uint64_t gcr = ESR_SYS(3, 0, 1, 0, 6, 1), gmid = ESR_SYS(3, 1, 0, 0, 4, 1);
	const uint64_t tfsr_w = ESR_SYS(3, 0, 5, 6, 0, 0), other = ESR_SYS(3, 0, 1, 0, 0, 1);
	const uint64_t tid5 = 1ULL << 58;
	static const struct {
		const char *what;
		const struct kvmmte_vm_config *vm;
		uint64_t vhcr, esr;
		int want;
	} cases[] = {
		{ "GCR, L1 gave no ATA", &vm_mte, 0, 0, KVMMTE_NESTED_OWNER_L1 },
		{ "TFSR write, L1 gave no ATA", &vm_mte, 0, 1, KVMMTE_NESTED_OWNER_L1 },
		{ "GCR, L1 gave ATA (L0 lazy)", &vm_lazy, ATA, 0, KVMMTE_NESTED_OWNER_L0 },
		{ "GMID, L1 hides it", &vm_mte, ATA | tid5, 2, KVMMTE_NESTED_OWNER_L1 },
		{ "GMID, L1 does not (L0's TID5)", &vm_mte, 0, 2, KVMMTE_NESTED_OWNER_L0 },
		{ "GCR, VM without MTE", &vm_none, 0, 0, KVMMTE_NESTED_OWNER_L0 },
		{ "GMID, VM without MTE, L1 hides it", &vm_none, tid5, 2, KVMMTE_NESTED_OWNER_L0 },
		{ "SCTLR_EL1: not MTE", &vm_mte, 0, 3, KVMMTE_NESTED_OWNER_NONE },
	};
	const uint64_t esrs[] = { gcr, tfsr_w, gmid, other };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret;

		nested_cpu(false, 0, 0);
		vncr[VNCR_HCR] = cases[i].vhcr | 0x80000000ULL;
		ret = kvmmte_nested_trap_owner(cases[i].vm, esrs[cases[i].esr], vncr);
		cr_expect_eq(ret, cases[i].want, "%s: returned %d, expected %d", cases[i].what, ret,
			     cases[i].want);
		cr_expect_eq(fake_log_len, 0, "%s: %zu register accesses", cases[i].what, fake_log_len);
	}
	ASSERT_RET(kvmmte_nested_trap_owner(NULL, gcr, vncr), -KVMMTE_EFAULT);
	ASSERT_RET(kvmmte_nested_trap_owner(&vm_mte, gcr, NULL), -KVMMTE_EFAULT);
	ASSERT_RET(kvmmte_nested_trap_owner(&vm_broken, gcr, vncr), -KVMMTE_EINVAL);
	ASSERT_RET(kvmmte_nested_trap_owner(&vm_mte, gcr, (char *)vncr + 8), -KVMMTE_EINVAL);
	ASSERT_RET(kvmmte_nested_trap_owner(&vm_mte, 0x5a000001ULL, vncr), -KVMMTE_EINVAL);	/* an HVC */
}

Test(nested_hcr_el2, rejected_calls_leave_l2_hcr_alone)
{
	uint64_t l2 = 0x1234;

	vncr[VNCR_HCR] = ATA;
	EXPECT_RET(kvmmte_nested_hcr_el2(NULL, ATA, vncr, &l2), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_nested_hcr_el2(&vm_mte, ATA, NULL, &l2), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_nested_hcr_el2(&vm_mte, ATA, vncr, NULL), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_nested_hcr_el2(&vm_broken, ATA, vncr, &l2), -KVMMTE_EINVAL);
	EXPECT_RET(kvmmte_nested_hcr_el2(&vm_mte, ATA, (char *)vncr + 0x78, &l2), -KVMMTE_EINVAL);
	EXPECT_U64("l2 hcr after rejected calls", 0x1234, l2);
}

/* ---- a VM that runs a guest hypervisor: MTE only where L0 keeps it ---- */

Test(nested_vm_check, mte_needs_nv2)
{
	EXPECT_RET(kvmmte_nested_vm_check(&vm_mte, KVMMTE_NESTED_NV2), 0);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_lazy, KVMMTE_NESTED_NV2), 0);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_mte, KVMMTE_NESTED_NV), -KVMMTE_EOPNOTSUPP);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_none, KVMMTE_NESTED_NV), 0);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_none, KVMMTE_NESTED_NV2), 0);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_mte, (enum kvmmte_nested_mode)0), -KVMMTE_EINVAL);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_mte, (enum kvmmte_nested_mode)3), -KVMMTE_EINVAL);
	EXPECT_RET(kvmmte_nested_vm_check(&vm_broken, KVMMTE_NESTED_NV2), -KVMMTE_EINVAL);
	EXPECT_RET(kvmmte_nested_vm_check(NULL, KVMMTE_NESTED_NV2), -KVMMTE_EFAULT);
}

/* Host: MTE 3 [11:8], MTE_frac 0 (async) [43:40], BT 1 [3:0], SSBS 2 [7:4]. */
#define HOST_PFR1	0x0000000000000321ULL
/* Host: MTEFAR 1 [11:8], MTESTOREONLY 1 [7:4], MTEPERM 1 [3:0], bit 16 other. */
#define HOST_PFR2	0x0000000000010111ULL

Test(nested_id, pfr1_shows_mte_to_l1_under_nv2_only)
{
	static const struct {
		const struct kvmmte_vm_config *vm;
		enum kvmmte_nested_mode nv;
		uint64_t want;
	} cases[] = {
		{ &vm_mte, KVMMTE_NESTED_NV2, 0x0000000000000221ULL },	/* MTE 2, frac 0 */
		{ &vm_noasync, KVMMTE_NESTED_NV2, 0x00000f0000000221ULL }, /* MTE 2, frac 0xF */
		{ &vm_mte, KVMMTE_NESTED_NV, 0x0000000000000021ULL },	/* hidden */
		{ &vm_none, KVMMTE_NESTED_NV2, 0x0000000000000021ULL },
		{ &vm_none, KVMMTE_NESTED_NV, 0x0000000000000021ULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint64_t v = HOST_PFR1;

		cr_expect_eq(kvmmte_nested_id_aa64pfr1(cases[i].vm, cases[i].nv, &v), 0, "case %zu", i);
		cr_expect_eq(v, cases[i].want, "case %zu (level %u, nv %d): expected %#llx, got %#llx",
			     i, cases[i].vm->mte_level, cases[i].nv,
			     (unsigned long long)cases[i].want, (unsigned long long)v);
	}
}

Test(nested_id, pfr2_shows_mte_extensions_to_l1_under_nv2_only)
{
	uint64_t v = HOST_PFR2;

	ASSERT_RET(kvmmte_nested_id_aa64pfr2(&vm_mte, KVMMTE_NESTED_NV2, &v), 0);
	EXPECT_U64("NV2: MTEFAR 1, MTESTOREONLY 1, MTEPERM 0", 0x10110, v);
	v = HOST_PFR2;
	ASSERT_RET(kvmmte_nested_id_aa64pfr2(&vm_mte, KVMMTE_NESTED_NV, &v), 0);
	EXPECT_U64("NV only: all three 0", 0x10000, v);
}

Test(nested_id, rejected_calls_leave_the_value_alone)
{
	uint64_t v = HOST_PFR1;

	EXPECT_RET(kvmmte_nested_id_aa64pfr1(&vm_mte, (enum kvmmte_nested_mode)0, &v), -KVMMTE_EINVAL);
	EXPECT_RET(kvmmte_nested_id_aa64pfr1(&vm_broken, KVMMTE_NESTED_NV2, &v), -KVMMTE_EINVAL);
	EXPECT_RET(kvmmte_nested_id_aa64pfr1(NULL, KVMMTE_NESTED_NV2, &v), -KVMMTE_EFAULT);
	EXPECT_RET(kvmmte_nested_id_aa64pfr1(&vm_mte, KVMMTE_NESTED_NV2, NULL), -KVMMTE_EFAULT);
	EXPECT_U64("pfr1 after rejected calls", HOST_PFR1, v);
	v = HOST_PFR2;
	EXPECT_RET(kvmmte_nested_id_aa64pfr2(&vm_mte, (enum kvmmte_nested_mode)5, &v), -KVMMTE_EINVAL);
	EXPECT_U64("pfr2 after rejected call", HOST_PFR2, v);
}
