// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * kvmmte_nested_enter()/_exit() on the real registers, at EL2, in both
 * host modes: the TFSR move of a nested entry and exit (docs/api.md,
 * "Nested virtualization").  No L1 runs here: the real TFSR_EL1 is set to
 * what L1's virtual-EL2 TFSR would be, a page in memory stands for the
 * VNCR_EL2 page, and each step checks the real TFSR_EL1 (by the name the
 * host mode needs), L0's own TFSR_EL2, GCR_EL1, RGSR_EL1 and every other
 * byte of the page.  The three real levels under FEAT_NV2 are
 * case-nested-nv2.c; the host tests (tests/host/test_nested.c) cover the
 * pure parts.
 */
#include <kvmmte/nested.h>
#include <kvmmte/sysreg-access.h>
#include <string.h>
#include "harness.h"

#define NESTED_STEPS	500

static uint64_t vncr[KVMMTE_VNCR_PAGE_SIZE / 8] __attribute__((aligned(KVMMTE_VNCR_PAGE_SIZE)));
static uint64_t vncr_want[KVMMTE_VNCR_PAGE_SIZE / 8];

#define VNCR_TFSR	(KVMMTE_VNCR_TFSR_EL1 / 8)

static uint64_t real_tfsr_el1(enum kvmmte_host_mode mode)
{
	return mode == KVMMTE_HOST_VHE ? kvmmte_read_tfsr_el12() : kvmmte_read_tfsr_el1();
}

static void set_real_tfsr_el1(enum kvmmte_host_mode mode, uint64_t v)
{
	if (mode == KVMMTE_HOST_VHE)
		kvmmte_write_tfsr_el12(v);
	else
		kvmmte_write_tfsr_el1(v);
	__asm__ volatile("isb" ::: "memory");
}

/* What no nested move may change: L0's TFSR_EL2, GCR_EL1, RGSR_EL1, the page. */
struct others {
	uint64_t tfsr_el2, gcr, rgsr;
};

static struct others others_now(void)
{
	struct others o = { kvmmte_read_tfsr_el2(), kvmmte_read_gcr_el1(), kvmmte_read_rgsr_el1() };

	return o;
}

static void check_others(struct tt *t, const char *when, const struct others *o)
{
	struct others n = others_now();

	if (!TT_CHECK_EQ(t, "TFSR_EL2 (L0's own)", o->tfsr_el2, n.tfsr_el2) ||
	    !TT_CHECK_EQ(t, "GCR_EL1", o->gcr, n.gcr) || !TT_CHECK_EQ(t, "RGSR_EL1", o->rgsr, n.rgsr))
		plat_printf("    ... after %s\n", when);
	for (unsigned int i = 0; i < KVMMTE_VNCR_PAGE_SIZE / 8; i++)
		if (!TT_CHECK_EQ(t, "VNCR page word", vncr_want[i], vncr[i])) {
			plat_printf("    ... word %u (offset 0x%x) after %s\n", i, i * 8, when);
			break;
		}
}

static void nested(struct tt *t, enum kvmmte_host_mode mode)
{
	struct kvmmte_vm_config vm;
	struct kvmmte_el2_state l1 = { 0 };
	struct kvmmte_state host_before;
	struct others rejected_before;
	unsigned int steps = 0;
	int ret;

	hv_set_host_mode(t->h, mode);
	tt_host_read(t, &host_before);
	TT_REQUIRE(t, kvmmte_vm_config_init(&vm, &t->h->caps, t->h->caps.level, 0) == 0,
		   "kvmmte_vm_config_init(level %u) failed", t->h->caps.level);
	TT_REQUIRE(t, vm.async, "QEMU's CPU has FEAT_MTE_ASYNC: vm.async expected 1");
	for (unsigned int i = 0; i < KVMMTE_VNCR_PAGE_SIZE / 8; i++)
		vncr[i] = vncr_want[i] = tt_rand(t);

	for (; steps < NESTED_STEPS && !t->failures; steps++) {
		uint64_t l1_tfsr = tt_rand(t) & KVMMTE_TFSR_VALID_MASK;
		uint64_t l2_page = tt_rand(t);	/* L1 may leave RES0 bits in the page */
		uint64_t l2_fault = tt_rand(t) & KVMMTE_TFSR_VALID_MASK;
		struct others o;

		kvmmte_write_gcr_el1(tt_rand(t) & KVMMTE_GCR_EL1_VALID_MASK);
		kvmmte_write_rgsr_el1(tt_rand(t) & KVMMTE_RGSR_EL1_VALID_MASK);
		set_real_tfsr_el1(mode, l1_tfsr);
		vncr[VNCR_TFSR] = vncr_want[VNCR_TFSR] = l2_page;
		o = others_now();

		/* L1's ERET into L2. */
		ret = kvmmte_nested_enter(mode, &vm, &l1, vncr);
		TT_CHECK_EQ(t, "kvmmte_nested_enter()", 0, ret);
		TT_CHECK_EQ(t, "L1's TFSR kept by L0 (l1.tfsr_el2)", l1_tfsr, l1.tfsr_el2);
		TT_CHECK_EQ(t, "real TFSR_EL1 after entry (L2's, RES0 bits dropped)",
			    l2_page & KVMMTE_TFSR_VALID_MASK, real_tfsr_el1(mode));
		check_others(t, "entry", &o);

		/* L2 runs and collects faults of its own, then exits to L0. */
		set_real_tfsr_el1(mode, l2_fault);
		ret = kvmmte_nested_exit(mode, &vm, &l1, vncr);
		vncr_want[VNCR_TFSR] = l2_fault;
		TT_CHECK_EQ(t, "kvmmte_nested_exit()", 0, ret);
		TT_CHECK_EQ(t, "VNCR+0x190 after exit (L2's TFSR)", l2_fault, vncr[VNCR_TFSR]);
		TT_CHECK_EQ(t, "real TFSR_EL1 after exit (L1's again)", l1_tfsr, real_tfsr_el1(mode));
		check_others(t, "exit", &o);
	}

	/* A rejected call touches no register and no byte. */
	set_real_tfsr_el1(mode, 2);
	l1.tfsr_el2 = 1;
	rejected_before = others_now();
	ret = kvmmte_nested_enter(mode, &vm, &l1, (char *)vncr + 8);
	TT_CHECK_EQ(t, "enter, VNCR page misaligned", -KVMMTE_EINVAL, ret);
	TT_CHECK_EQ(t, "real TFSR_EL1 after the rejected entry", 2, real_tfsr_el1(mode));
	TT_CHECK_EQ(t, "l1.tfsr_el2 after the rejected entry", 1, l1.tfsr_el2);
	ret = kvmmte_nested_exit(mode, &vm, &l1, (char *)vncr + 8);
	TT_CHECK_EQ(t, "exit, VNCR page misaligned", -KVMMTE_EINVAL, ret);
	TT_CHECK_EQ(t, "real TFSR_EL1 after the rejected exit", 2, real_tfsr_el1(mode));
	check_others(t, "the rejected calls", &rejected_before);

	tt_host_write(t, &host_before);
	plat_printf("    %s: %u nested entries and exits\n", tt_mode_name(mode), steps);
}

TT_CASE(nested_nvhe_l0_moves_tfsr_between_l1_and_the_vncr_page, TT_NEEDS_MTE2)
{
	nested(t, KVMMTE_HOST_NVHE);
}

TT_CASE(nested_vhe_l0_moves_tfsr_between_l1_and_the_vncr_page, TT_NEEDS_MTE2)
{
	nested(t, KVMMTE_HOST_VHE);
}
