// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The _at routines on a KVM-style context (struct kvmmte_layout): the same
 * results as the plain routines on struct kvmmte_state, written to and read
 * from exactly the four slots the layout names, nothing else; a bad layout
 * is refused with nothing touched.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <kvmmte/emulate.h>
#include <kvmmte/switch.h>
#include <kvmmte/vmm.h>
#include "fake_sysreg.h"
#include "fixtures.h"

/* A KVM-style vcpu context: the MTE slots spread out, TFSRE0 before TFSR. */
enum { RGSR = 150, GCR = 163, TFSRE0 = 178, TFSR = 181, NR_SYSREGS = 250 };
struct kvm_ctxt {
	uint64_t regs[31];
	uint64_t sys_regs[NR_SYSREGS];
};
static const struct kvmmte_layout kvm = KVMMTE_LAYOUT_INIT(struct kvm_ctxt, sys_regs[RGSR],
							   sys_regs[GCR], sys_regs[TFSR],
							   sys_regs[TFSRE0]);

static void fill(struct kvm_ctxt *c)
{
	for (unsigned int i = 0; i < NR_SYSREGS; i++)
		c->sys_regs[i] = 0x0101010101010101ULL * (i % 251 + 1);
	for (unsigned int i = 0; i < 31; i++)
		c->regs[i] = 0xabcdULL + i;
}

static void set_mte(struct kvm_ctxt *c, const struct kvmmte_state *s)
{
	c->sys_regs[RGSR] = s->rgsr_el1;
	c->sys_regs[GCR] = s->gcr_el1;
	c->sys_regs[TFSR] = s->tfsr_el1;
	c->sys_regs[TFSRE0] = s->tfsre0_el1;
}

/* @c equals @ref except the four slots, which hold @s. */
static void expect_ctxt(const char *what, const struct kvm_ctxt *c, const struct kvm_ctxt *ref,
			const struct kvmmte_state *s)
{
	struct kvm_ctxt want = *ref;

	set_mte(&want, s);
	for (unsigned int i = 0; i < NR_SYSREGS; i++)
		cr_expect_eq(c->sys_regs[i], want.sys_regs[i],
			     "%s: sys_regs[%u] expected %#llx, got %#llx", what, i,
			     (unsigned long long)want.sys_regs[i], (unsigned long long)c->sys_regs[i]);
	cr_expect(!memcmp(c->regs, ref->regs, sizeof(c->regs)), "%s: regs[] changed", what);
}

static const struct kvmmte_state vals = { 0x00abcd03, 0x1fff0, 0x2, 0x1 };

Test(layout, valid_accepts_state_and_kvm_refuses_unaligned_and_shared)
{
	const struct kvmmte_layout state = KVMMTE_LAYOUT_STATE;
	const struct kvmmte_layout unaligned = { 0, 8, 16, 28 };
	const struct kvmmte_layout shared = { 0, 8, 16, 8 };

	cr_expect_eq(kvmmte_layout_valid(&state), 0);
	cr_expect_eq(kvmmte_layout_valid(&kvm), 0);
	cr_expect_eq(kvmmte_layout_valid(&unaligned), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_layout_valid(&shared), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_layout_valid(NULL), -KVMMTE_EFAULT);
	EXPECT_U64("state layout tfsre0", 24, state.tfsre0_el1);
	EXPECT_U64("kvm layout gcr", 31 * 8 + GCR * 8, kvm.gcr_el1);
}

Test(layout, reset_at_writes_the_four_slots_like_reset)
{
	struct kvm_ctxt c, ref;
	struct kvmmte_state s;

	fill(&c);
	ref = c;
	cr_assert_eq(kvmmte_vcpu_reset(&vm_mte, &s), 0);
	cr_assert_eq(kvmmte_vcpu_reset_at(&vm_mte, &kvm, &c), 0);
	expect_ctxt("reset_at", &c, &ref, &s);
}

Test(layout, trap_at_reads_and_writes_the_layouts_slots)
{
	/* mrs x5, gcr_el1; msr tfsre0_el1, x6 (EC 0x18 syndromes) */
	const uint64_t mrs_gcr = 0x623c04a1, msr_tfsre0 = 0x623214cc;
	struct kvm_ctxt c, ref;
	struct kvmmte_state now = vals;

	fill(&c);
	set_mte(&c, &vals);
	ref = c;
	cr_assert_eq(kvmmte_handle_sysreg_trap_at(&vm_mte, mrs_gcr, 0, &kvm, &c, c.regs),
		     KVMMTE_TRAP_EMULATED);
	EXPECT_U64("x5 after mrs gcr_el1", vals.gcr_el1, c.regs[5]);
	c.regs[6] = 0xff;	/* TF0|TF1 and RES0 bits */
	cr_assert_eq(kvmmte_handle_sysreg_trap_at(&vm_mte, msr_tfsre0, 0, &kvm, &c, c.regs),
		     KVMMTE_TRAP_EMULATED);
	now.tfsre0_el1 = 0x3;
	ref.regs[5] = vals.gcr_el1;
	ref.regs[6] = 0xff;
	expect_ctxt("after mrs and msr", &c, &ref, &now);
}

Test(layout, get_set_and_blob_at_match_the_plain_routines)
{
	struct kvm_ctxt c, ref;
	struct kvmmte_state s = vals;
	uint8_t blob_at[KVMMTE_BLOB_SIZE], blob[KVMMTE_BLOB_SIZE];
	uint64_t v;

	fill(&c);
	set_mte(&c, &vals);
	ref = c;
	cr_assert_eq(kvmmte_vmm_get_reg_at(&vm_mte, &kvm, &c, KVMMTE_ONE_REG(TFSR_EL1), &v), 0);
	EXPECT_U64("get TFSR_EL1", vals.tfsr_el1, v);
	cr_assert_eq(kvmmte_vmm_set_reg_at(&vm_mte, &kvm, &c, KVMMTE_ONE_REG(RGSR_EL1), 0x123405), 0);
	cr_assert_eq(kvmmte_vmm_set_reg(&vm_mte, &s, KVMMTE_ONE_REG(RGSR_EL1), 0x123405), 0);
	expect_ctxt("after set RGSR_EL1", &c, &ref, &s);

	cr_assert_eq(kvmmte_state_blob_save_at(&vm_mte, &kvm, &c, blob_at, sizeof(blob_at)), 56);
	cr_assert_eq(kvmmte_state_blob_save(&vm_mte, &s, blob, sizeof(blob)), 56);
	cr_expect(!memcmp(blob_at, blob, sizeof(blob)), "the _at blob differs from the plain one");

	fill(&c);
	ref = c;
	cr_assert_eq(kvmmte_state_blob_restore_at(&vm_mte, &kvm, &c, blob, sizeof(blob)), 0);
	expect_ctxt("after blob restore", &c, &ref, &s);
}

Test(layout, a_bad_layout_is_einval_and_touches_nothing)
{
	const struct kvmmte_layout bad = { 8, 8, 16, 24 };
	uint8_t blob[KVMMTE_BLOB_SIZE];
	struct kvm_ctxt c, ref;
	uint64_t v = 7;

	fill(&c);
	ref = c;
	kvmmte_vcpu_reset(&vm_mte, &(struct kvmmte_state){ 0 });
	memset(blob, 0, sizeof(blob));
	cr_expect_eq(kvmmte_vcpu_reset_at(&vm_mte, &bad, &c), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_handle_sysreg_trap_at(&vm_mte, 0x623c04a1, 0, &bad, &c, c.regs),
		     -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vmm_get_reg_at(&vm_mte, &bad, &c, KVMMTE_ONE_REG(GCR_EL1), &v),
		     -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vmm_set_reg_at(&vm_mte, &bad, &c, KVMMTE_ONE_REG(GCR_EL1), 1),
		     -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_state_blob_save_at(&vm_mte, &bad, &c, blob, sizeof(blob)),
		     -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_state_blob_restore_at(&vm_mte, &bad, &c, blob, sizeof(blob)),
		     -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vcpu_load_at(KVMMTE_HOST_VHE, &bad, &c), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vcpu_put_at(KVMMTE_HOST_VHE, &bad, &c), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vcpu_reset_at(&vm_mte, NULL, &c), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vcpu_load_at(KVMMTE_HOST_VHE, &kvm, NULL), -KVMMTE_EFAULT);
	EXPECT_U64("get's value", 7, v);
	cr_expect(!memcmp(&c, &ref, sizeof(c)), "the context changed on a refused call");
}

Test(layout, vhe_load_put_at_move_the_layouts_tfsr_slot_as_tfsr_el12)
{
	struct kvm_ctxt c, ref;
	struct kvmmte_state now = vals;

	fake_cpu(2, 3, true);
	fill(&c);
	set_mte(&c, &vals);
	ref = c;
	cr_assert_eq(kvmmte_vcpu_load_at(KVMMTE_HOST_VHE, &kvm, &c), 0);
	EXPECT_U64("TFSR_EL1 (as TFSR_EL12) after load_at", vals.tfsr_el1, fake_phys[PHYS_TFSR_EL1]);
	fake_phys[PHYS_TFSR_EL1] = 0x3;		/* the guest takes a fault */
	cr_assert_eq(kvmmte_vcpu_put_at(KVMMTE_HOST_VHE, &kvm, &c), 0);
	now.tfsr_el1 = 0x3;
	expect_ctxt("after put_at", &c, &ref, &now);
	cr_expect_eq(fake_log_nth(0)->id, KVMMTE_SYSREG_ID_TFSR_EL12);
	/* nVHE: nothing moves at load/put. */
	fake_log_clear();
	cr_assert_eq(kvmmte_vcpu_load_at(KVMMTE_HOST_NVHE, &kvm, &c), 0);
	cr_assert_eq(kvmmte_vcpu_put_at(KVMMTE_HOST_NVHE, &kvm, &c), 0);
	cr_expect_eq(fake_log_len, 0, "%zu accesses under nVHE", fake_log_len);
}
