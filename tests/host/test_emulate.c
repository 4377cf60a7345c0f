// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Trapped MSR/MRS handling and UNDEF injection (lib/emulate.c).
 *
 * Syndromes are built here from the Arm ARM's EC 0x18 ISS layout with
 * literal shifts and hand-written (op0, op1, CRn, CRm, op2) tuples, not
 * from the library's macros, and the builder itself is checked against the
 * ESR_EL2 values recorded from real trapped accesses under QEMU 7.2.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <kvmmte/emulate.h>

/* ESR_EL2 of a trapped MSR/MRS: EC 0x18, IL 1, ISS per Arm ARM D24.2.x. */
static uint64_t esr_sys(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
			unsigned rt, bool read)
{
	return (0x18ULL << 26) | (1ULL << 25) | ((uint64_t)op0 << 20) | ((uint64_t)op2 << 17) |
	       ((uint64_t)op1 << 14) | ((uint64_t)crn << 10) | ((uint64_t)rt << 5) |
	       ((uint64_t)crm << 1) | (read ? 1 : 0);
}

/* The registers, by hand from the Arm ARM register descriptions. */
struct reg_case {
	const char *name;
	unsigned op0, op1, crn, crm, op2;
	enum kvmmte_reg reg;
	size_t off;		/* offset in struct kvmmte_state */
	uint64_t valid;		/* bits the register holds */
};
static const struct reg_case lazy_regs[] = {
	{ "RGSR_EL1", 3, 0, 1, 0, 5, KVMMTE_REG_RGSR_EL1, 0, 0xffff0f },
	{ "GCR_EL1", 3, 0, 1, 0, 6, KVMMTE_REG_GCR_EL1, 8, 0x1ffff },
	{ "TFSR_EL1", 3, 0, 5, 6, 0, KVMMTE_REG_TFSR_EL1, 16, 0x3 },
	{ "TFSRE0_EL1", 3, 0, 5, 6, 1, KVMMTE_REG_TFSRE0_EL1, 24, 0x3 },
};
#define NLAZY (sizeof(lazy_regs) / sizeof(lazy_regs[0]))

static const struct kvmmte_vm_config vm_mte = { .mte_level = 2, .flags = 0, .gmid_bs = 4, .async = 1 };
/* MTE2 without FEAT_MTE_ASYNC: the TFSR registers do not exist. */
static const struct kvmmte_vm_config vm_noasync = { .mte_level = 2, .flags = 0, .gmid_bs = 4, .async = 0 };
static const struct kvmmte_vm_config vm_mte3 = { .mte_level = 3, .flags = 0, .gmid_bs = 6, .async = 1 };
static const struct kvmmte_vm_config vm_lazy_noasync = { .mte_level = 2, .flags = 2 /* LAZY */, .gmid_bs = 4, .async = 0 };
static const struct kvmmte_vm_config vm_none = { .mte_level = 0, .flags = 0, .gmid_bs = 0 };
static const struct kvmmte_vm_config vm_lazy = { .mte_level = 2, .flags = 2 /* LAZY */, .gmid_bs = 4, .async = 1 };

static const struct kvmmte_state saved = {
	.rgsr_el1 = 0x00beef07, .gcr_el1 = 0x1a5a5, .tfsr_el1 = 0x2, .tfsre0_el1 = 0x1,
};

static uint64_t field_at(const struct kvmmte_state *s, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)s + off, 8);
	return v;
}

static void fill_gprs(uint64_t gpr[31])
{
	unsigned i;

	for (i = 0; i < 31; i++)
		gpr[i] = 0x1111111111111111ULL * (i % 15 + 1) + i;
}

#define EXPECT_U64(what, want, got)						\
	cr_expect_eq((uint64_t)(got), (uint64_t)(want), "%s: expected %#llx, got %#llx", \
		     (what), (unsigned long long)(want), (unsigned long long)(got))

/* @s and @gpr must equal the reference copies. */
static void expect_untouched(const char *what, const struct kvmmte_state *s,
			     const struct kvmmte_state *s_ref, const uint64_t *gpr,
			     const uint64_t *gpr_ref)
{
	unsigned i;

	cr_expect(memcmp(s, s_ref, sizeof(*s)) == 0,
		  "%s: state changed: rgsr %#llx gcr %#llx tfsr %#llx tfsre0 %#llx",
		  what, (unsigned long long)s->rgsr_el1, (unsigned long long)s->gcr_el1,
		  (unsigned long long)s->tfsr_el1, (unsigned long long)s->tfsre0_el1);
	for (i = 0; i < 31; i++)
		cr_expect_eq(gpr[i], gpr_ref[i], "%s: x%u changed: expected %#llx, got %#llx",
			     what, i, (unsigned long long)gpr_ref[i], (unsigned long long)gpr[i]);
}

/* --- the syndrome builder and the decoder against real hardware values ---- */

struct checked_esr {
	uint64_t esr;
	unsigned op0, op1, crn, crm, op2, rt;
	bool read;
	enum kvmmte_reg reg;
};
/* Recorded from trapped guest accesses under QEMU 7.2 (HCR_EL2.ATA clear). */
static const struct checked_esr checked[] = {
	{ 0x623c0441, 3, 0, 1, 0, 6, 2, true, KVMMTE_REG_GCR_EL1 },	/* mrs x2, gcr_el1 */
	{ 0x623c0400, 3, 0, 1, 0, 6, 0, false, KVMMTE_REG_GCR_EL1 },	/* msr gcr_el1, x0 */
	{ 0x623a0461, 3, 0, 1, 0, 5, 3, true, KVMMTE_REG_RGSR_EL1 },	/* mrs x3, rgsr_el1 */
	{ 0x623014ad, 3, 0, 5, 6, 0, 5, true, KVMMTE_REG_TFSR_EL1 },	/* mrs x5, tfsr_el1 */
	{ 0x6232148d, 3, 0, 5, 6, 1, 4, true, KVMMTE_REG_TFSRE0_EL1 },	/* mrs x4, tfsre0_el1 */
};

Test(esr, test_builder_reproduces_the_checked_hardware_syndromes)
{
	size_t i;

	for (i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		const struct checked_esr *c = &checked[i];

		EXPECT_U64("builder", c->esr,
			   esr_sys(c->op0, c->op1, c->crn, c->crm, c->op2, c->rt, c->read));
	}
}

Test(esr, decode_checked_hardware_syndromes)
{
	size_t i;

	for (i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		const struct checked_esr *c = &checked[i];
		struct kvmmte_sysreg_access a;

		memset(&a, 0xee, sizeof(a));
		cr_assert_eq(kvmmte_esr_decode_sysreg(c->esr, &a), 0, "esr %#llx rejected",
			     (unsigned long long)c->esr);
		cr_expect(a.op0 == c->op0 && a.op1 == c->op1 && a.crn == c->crn &&
			  a.crm == c->crm && a.op2 == c->op2,
			  "esr %#llx: expected (%u,%u,%u,%u,%u), got (%u,%u,%u,%u,%u)",
			  (unsigned long long)c->esr, c->op0, c->op1, c->crn, c->crm, c->op2,
			  a.op0, a.op1, a.crn, a.crm, a.op2);
		cr_expect_eq(a.rt, c->rt, "esr %#llx: rt expected %u got %u",
			     (unsigned long long)c->esr, c->rt, a.rt);
		cr_expect_eq(a.is_read, c->read, "esr %#llx: direction", (unsigned long long)c->esr);
		cr_expect_eq(a.reg, c->reg, "esr %#llx: reg expected %d got %d",
			     (unsigned long long)c->esr, c->reg, a.reg);
	}
}

Test(esr, decode_every_field_position_independently)
{
	/* Walk a single non-zero value through each field: a swapped shift shows. */
	struct kvmmte_sysreg_access a;

	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(2, 0, 0, 0, 0, 0, false), &a), 0);
	cr_expect(a.op0 == 2 && a.op1 == 0 && a.crn == 0 && a.crm == 0 && a.op2 == 0 && a.rt == 0);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(0, 7, 0, 0, 0, 0, false), &a), 0);
	cr_expect(a.op1 == 7 && a.op0 == 0 && a.crn == 0 && a.op2 == 0, "op1 %u", a.op1);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(0, 0, 15, 0, 0, 0, false), &a), 0);
	cr_expect(a.crn == 15 && a.op1 == 0 && a.rt == 0, "crn %u", a.crn);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(0, 0, 0, 15, 0, 0, false), &a), 0);
	cr_expect(a.crm == 15 && a.rt == 0 && a.is_read == false, "crm %u", a.crm);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(0, 0, 0, 0, 7, 0, false), &a), 0);
	cr_expect(a.op2 == 7 && a.op1 == 0 && a.op0 == 0, "op2 %u", a.op2);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(0, 0, 0, 0, 0, 31, false), &a), 0);
	cr_expect(a.rt == 31 && a.crn == 0 && a.crm == 0, "rt %u", a.rt);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(0, 0, 0, 0, 0, 0, true), &a), 0);
	cr_expect(a.is_read && a.crm == 0, "dir");
	cr_expect_eq(a.reg, KVMMTE_REG_NONE);
}

Test(esr, decode_classifies_the_two_trap_only_registers)
{
	struct kvmmte_sysreg_access a;

	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(3, 5, 5, 6, 0, 1, true), &a), 0);
	cr_expect_eq(a.reg, KVMMTE_REG_TFSR_EL12, "TFSR_EL12: got %d", a.reg);
	cr_assert_eq(kvmmte_esr_decode_sysreg(esr_sys(3, 1, 0, 0, 4, 1, true), &a), 0);
	cr_expect_eq(a.reg, KVMMTE_REG_GMID_EL1, "GMID_EL1: got %d", a.reg);
}

Test(esr, register_enum_values_are_abi)
{
	/* Generated from <kvmmte/mte-regs.h>: its row order gives these values. */
	cr_expect_eq(KVMMTE_REG_NONE, 0);
	cr_expect_eq(KVMMTE_REG_RGSR_EL1, 1);
	cr_expect_eq(KVMMTE_REG_GCR_EL1, 2);
	cr_expect_eq(KVMMTE_REG_TFSR_EL1, 3);
	cr_expect_eq(KVMMTE_REG_TFSRE0_EL1, 4);
	cr_expect_eq(KVMMTE_REG_TFSR_EL12, 5);
	cr_expect_eq(KVMMTE_REG_GMID_EL1, 6);
	cr_expect_eq(KVMMTE_REG_COUNT, 7);
}

Test(esr, decode_rejects_malformed_and_other_classes_untouched)
{
	const uint64_t good = 0x623c0441;
	uint64_t bad[64 + 3 + 2];
	size_t n = 0, i;
	unsigned ec, b;

	for (ec = 0; ec < 64; ec++)
		if (ec != 0x18)
			bad[n++] = (good & ~(0x3fULL << 26)) | ((uint64_t)ec << 26);
	bad[n++] = good & ~(1ULL << 25);			/* IL = 0 */
	for (b = 22; b <= 24; b++)
		bad[n++] = good | (1ULL << b);			/* ISS RES0 */
	bad[n++] = good | (1ULL << 32);				/* ISS2 */
	bad[n++] = good | (1ULL << 63);
	for (i = 0; i < n; i++) {
		struct kvmmte_sysreg_access a, ref;

		memset(&a, 0x5c, sizeof(a));
		ref = a;
		cr_expect_eq(kvmmte_esr_decode_sysreg(bad[i], &a), -KVMMTE_EINVAL,
			     "esr %#llx accepted", (unsigned long long)bad[i]);
		cr_expect(memcmp(&a, &ref, sizeof(a)) == 0, "esr %#llx: output written",
			  (unsigned long long)bad[i]);
	}
	cr_expect_eq(kvmmte_esr_decode_sysreg(good, NULL), -KVMMTE_EFAULT);
}

/* --- emulation against the saved state ------------------------------------ */

static const unsigned rts[] = { 0, 1, 5, 17, 30 };

Test(trap, mrs_of_every_register_reads_the_saved_value_into_rt)
{
	size_t r, i;

	for (r = 0; r < NLAZY; r++)
		for (i = 0; i < sizeof(rts) / sizeof(rts[0]); i++) {
			const struct reg_case *c = &lazy_regs[r];
			struct kvmmte_state s = saved, s_ref = saved;
			uint64_t gpr[31], gpr_ref[31];
			int ret;

			fill_gprs(gpr);
			memcpy(gpr_ref, gpr, sizeof(gpr));
			gpr_ref[rts[i]] = field_at(&saved, c->off);
			ret = kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(c->op0, c->op1, c->crn,
					c->crm, c->op2, rts[i], true), 0, &s, gpr);
			cr_expect_eq(ret, KVMMTE_TRAP_EMULATED, "mrs x%u, %s: result %d",
				     rts[i], c->name, ret);
			expect_untouched(c->name, &s, &s_ref, gpr, gpr_ref);
		}
}

Test(trap, msr_of_every_register_writes_rt_into_the_saved_state)
{
	size_t r, i;

	for (r = 0; r < NLAZY; r++)
		for (i = 0; i < sizeof(rts) / sizeof(rts[0]); i++) {
			const struct reg_case *c = &lazy_regs[r];
			struct kvmmte_state s = saved, s_ref = saved;
			uint64_t gpr[31], gpr_ref[31], v = c->valid & 0x5a5a5a5a5a5a5a5bULL;
			int ret;

			fill_gprs(gpr);
			gpr[rts[i]] = v;
			memcpy(gpr_ref, gpr, sizeof(gpr));
			memcpy((char *)&s_ref + c->off, &v, 8);
			ret = kvmmte_handle_sysreg_trap(&vm_mte3, esr_sys(c->op0, c->op1, c->crn,
					c->crm, c->op2, rts[i], false), 0, &s, gpr);
			cr_expect_eq(ret, KVMMTE_TRAP_EMULATED, "msr %s, x%u: result %d",
				     c->name, rts[i], ret);
			EXPECT_U64(c->name, v, field_at(&s, c->off));
			expect_untouched(c->name, &s, &s_ref, gpr, gpr_ref);
		}
}

Test(trap, msr_ignores_res0_bits_as_hardware_does)
{
	size_t r;

	for (r = 0; r < NLAZY; r++) {
		const struct reg_case *c = &lazy_regs[r];
		struct kvmmte_state s = saved;
		uint64_t gpr[31];

		fill_gprs(gpr);
		gpr[9] = ~0ULL;
		cr_assert_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(c->op0, c->op1, c->crn,
				c->crm, c->op2, 9, false), 0, &s, gpr), KVMMTE_TRAP_EMULATED);
		EXPECT_U64(c->name, c->valid, field_at(&s, c->off));
		gpr[9] = ~c->valid;
		cr_assert_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(c->op0, c->op1, c->crn,
				c->crm, c->op2, 9, false), 0, &s, gpr), KVMMTE_TRAP_EMULATED);
		EXPECT_U64(c->name, 0, field_at(&s, c->off));
	}
}

Test(trap, rt_31_is_xzr_reads_discard_writes_store_zero)
{
	size_t r;

	for (r = 0; r < NLAZY; r++) {
		const struct reg_case *c = &lazy_regs[r];
		struct kvmmte_state s = saved, s_ref = saved;
		uint64_t gpr[31], gpr_ref[31], zero = 0;

		fill_gprs(gpr);
		memcpy(gpr_ref, gpr, sizeof(gpr));
		cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(c->op0, c->op1, c->crn,
				c->crm, c->op2, 31, true), 0, &s, gpr), KVMMTE_TRAP_EMULATED);
		expect_untouched("mrs xzr", &s, &s_ref, gpr, gpr_ref);

		cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(c->op0, c->op1, c->crn,
				c->crm, c->op2, 31, false), 0, &s, gpr), KVMMTE_TRAP_EMULATED);
		memcpy((char *)&s_ref + c->off, &zero, 8);
		expect_untouched("msr xzr", &s, &s_ref, gpr, gpr_ref);
	}
}

Test(trap, vm_without_mte_gets_undef_for_every_register_and_nothing_changes)
{
	size_t r;
	int dir;

	for (r = 0; r < NLAZY; r++)
		for (dir = 0; dir < 2; dir++) {
			const struct reg_case *c = &lazy_regs[r];
			struct kvmmte_state s = saved, s_ref = saved;
			uint64_t gpr[31], gpr_ref[31];
			int ret;

			fill_gprs(gpr);
			memcpy(gpr_ref, gpr, sizeof(gpr));
			ret = kvmmte_handle_sysreg_trap(&vm_none, esr_sys(c->op0, c->op1, c->crn,
					c->crm, c->op2, 3, dir), 0, &s, gpr);
			cr_expect_eq(ret, KVMMTE_TRAP_UNDEF, "%s dir %d: expected UNDEF, got %d",
				     c->name, dir, ret);
			expect_untouched(c->name, &s, &s_ref, gpr, gpr_ref);
		}
}

Test(trap, vm_without_mte_gets_undef_for_gmid_read)
{
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_none, esr_sys(3, 1, 0, 0, 4, 3, true), 0,
					       &s, gpr), KVMMTE_TRAP_UNDEF);
	expect_untouched("no-MTE mrs gmid_el1", &s, &s_ref, gpr, gpr_ref);
}

Test(trap, lazy_vm_is_told_to_enable_and_nothing_changes)
{
	size_t r;
	int dir;

	for (r = 0; r < NLAZY; r++)
		for (dir = 0; dir < 2; dir++) {
			const struct reg_case *c = &lazy_regs[r];
			struct kvmmte_state s = saved, s_ref = saved;
			uint64_t gpr[31], gpr_ref[31];
			int ret;

			fill_gprs(gpr);
			memcpy(gpr_ref, gpr, sizeof(gpr));
			ret = kvmmte_handle_sysreg_trap(&vm_lazy, esr_sys(c->op0, c->op1, c->crn,
					c->crm, c->op2, 7, dir), 0, &s, gpr);
			cr_expect_eq(ret, KVMMTE_TRAP_ENABLE, "%s dir %d: expected ENABLE, got %d",
				     c->name, dir, ret);
			expect_untouched(c->name, &s, &s_ref, gpr, gpr_ref);
		}
}

Test(trap, gmid_read_returns_the_hosts_block_size)
{
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	gpr_ref[12] = 6;
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte3, esr_sys(3, 1, 0, 0, 4, 12, true), 0,
					       &s, gpr), KVMMTE_TRAP_EMULATED);
	expect_untouched("mrs gmid_el1", &s, &s_ref, gpr, gpr_ref);

	/* A lazy VM's GMID trap is TID5's, not ATA's: emulated, not ENABLE. */
	gpr_ref[12] = 4;
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_lazy, esr_sys(3, 1, 0, 0, 4, 12, true), 0,
					       &s, gpr), KVMMTE_TRAP_EMULATED);
	expect_untouched("lazy mrs gmid_el1", &s, &s_ref, gpr, gpr_ref);
}

Test(trap, msr_to_read_only_gmid_can_not_trap_so_is_not_handled)
{
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(3, 1, 0, 0, 4, 1, false), 0,
					       &s, gpr), KVMMTE_TRAP_NOT_HANDLED);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_none, esr_sys(3, 1, 0, 0, 4, 1, false), 0,
					       &s, gpr), KVMMTE_TRAP_NOT_HANDLED);
	expect_untouched("msr gmid_el1", &s, &s_ref, gpr, gpr_ref);
}

Test(trap, tfsr_el12_only_from_a_virtual_el2)
{
	const uint64_t mrs = esr_sys(3, 5, 5, 6, 0, 8, true), msr = esr_sys(3, 5, 5, 6, 0, 8, false);
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	/* From EL1 an EL12 name is UNDEFINED at EL1 itself: can not reach EL2. */
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, mrs, 0, &s, gpr), KVMMTE_TRAP_NOT_HANDLED);
	/* Virtual EL2 without E2H: EL12 names are UNDEFINED there. */
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, mrs, KVMMTE_TRAP_VEL2, &s, gpr),
		     KVMMTE_TRAP_UNDEF);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_none, mrs, KVMMTE_TRAP_VEL2_E2H, &s, gpr),
		     KVMMTE_TRAP_UNDEF);
	expect_untouched("TFSR_EL12 refused", &s, &s_ref, gpr, gpr_ref);

	/* Virtual EL2 with E2H: the guest's EL1 TFSR. */
	gpr_ref[8] = saved.tfsr_el1;
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, mrs, KVMMTE_TRAP_VEL2_E2H, &s, gpr),
		     KVMMTE_TRAP_EMULATED);
	expect_untouched("mrs tfsr_el12", &s, &s_ref, gpr, gpr_ref);
	gpr[8] = 0x1;
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, msr, KVMMTE_TRAP_VEL2_E2H, &s, gpr),
		     KVMMTE_TRAP_EMULATED);
	EXPECT_U64("tfsr_el1 via el12", 0x1, s.tfsr_el1);
}

Test(trap, tfsr_el1_from_virtual_el2_with_e2h_is_the_guest_hypervisors_own)
{
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(3, 0, 5, 6, 0, 2, true),
					       KVMMTE_TRAP_VEL2_E2H, &s, gpr),
		     KVMMTE_TRAP_NOT_HANDLED);
	expect_untouched("vEL2/E2H tfsr_el1", &s, &s_ref, gpr, gpr_ref);
	/* Without E2H it is the EL1 register. */
	gpr_ref[2] = saved.tfsr_el1;
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(3, 0, 5, 6, 0, 2, true),
					       KVMMTE_TRAP_VEL2, &s, gpr),
		     KVMMTE_TRAP_EMULATED);
	expect_untouched("vEL2 tfsr_el1", &s, &s_ref, gpr, gpr_ref);
}

Test(trap, neighbouring_and_foreign_encodings_are_not_handled)
{
	static const unsigned enc[][5] = {
		{ 3, 0, 1, 0, 0 },	/* SCTLR_EL1 */
		{ 3, 0, 1, 0, 7 },	/* next op2 after GCR */
		{ 3, 0, 1, 0, 4 },	/* op2 before RGSR */
		{ 3, 1, 1, 0, 6 },	/* GCR with op1 = 1 */
		{ 3, 0, 1, 1, 6 },	/* GCR with CRm = 1 */
		{ 3, 0, 0, 0, 6 },	/* GCR with CRn = 0 */
		{ 2, 0, 1, 0, 6 },	/* GCR with op0 = 2 (debug space) */
		{ 1, 0, 1, 0, 6 },	/* op0 = 1: a SYS instruction */
		{ 3, 0, 5, 6, 2 },	/* after TFSRE0 */
		{ 3, 0, 5, 7, 0 },	/* TFSR with CRm = 7 */
		{ 3, 4, 5, 6, 0 },	/* TFSR_EL2 */
		{ 3, 6, 5, 6, 0 },	/* TFSR_EL3 */
		{ 3, 1, 0, 0, 5 },	/* after GMID */
		{ 3, 0, 0, 0, 4 },	/* GMID with op1 = 0 */
		{ 3, 0, 0, 4, 1 },	/* ID_AA64PFR1_EL1 */
	};
	const struct kvmmte_vm_config *vms[] = { &vm_mte, &vm_none, &vm_lazy };
	size_t i, v;
	int dir;

	for (v = 0; v < 3; v++)
		for (i = 0; i < sizeof(enc) / sizeof(enc[0]); i++)
			for (dir = 0; dir < 2; dir++) {
				struct kvmmte_state s = saved, s_ref = saved;
				uint64_t gpr[31], gpr_ref[31];
				int ret;

				fill_gprs(gpr);
				memcpy(gpr_ref, gpr, sizeof(gpr));
				ret = kvmmte_handle_sysreg_trap(vms[v], esr_sys(enc[i][0], enc[i][1],
						enc[i][2], enc[i][3], enc[i][4], 4, dir), 0, &s, gpr);
				cr_expect_eq(ret, KVMMTE_TRAP_NOT_HANDLED,
					     "vm %zu S%u_%u_C%u_C%u_%u dir %d: got %d", v, enc[i][0],
					     enc[i][1], enc[i][2], enc[i][3], enc[i][4], dir, ret);
				expect_untouched("foreign", &s, &s_ref, gpr, gpr_ref);
			}
}

Test(trap, malformed_syndromes_of_mte_registers_are_not_handled)
{
	const uint64_t good = esr_sys(3, 0, 1, 0, 6, 3, false);	/* msr gcr_el1, x3 */
	uint64_t bad[70];
	size_t n = 0, i;
	unsigned ec, b;

	for (ec = 0; ec < 64; ec++)
		if (ec != 0x18)
			bad[n++] = (good & ~(0x3fULL << 26)) | ((uint64_t)ec << 26);
	bad[n++] = good & ~(1ULL << 25);
	for (b = 22; b <= 24; b++)
		bad[n++] = good | (1ULL << b);
	bad[n++] = good | (1ULL << 32);
	bad[n++] = good | (1ULL << 55);
	bad[n++] = good | (1ULL << 63);
	for (i = 0; i < n; i++) {
		struct kvmmte_state s = saved, s_ref = saved;
		uint64_t gpr[31], gpr_ref[31];
		int ret;

		fill_gprs(gpr);
		memcpy(gpr_ref, gpr, sizeof(gpr));
		ret = kvmmte_handle_sysreg_trap(&vm_mte, bad[i], 0, &s, gpr);
		cr_expect_eq(ret, KVMMTE_TRAP_NOT_HANDLED, "esr %#llx: got %d",
			     (unsigned long long)bad[i], ret);
		expect_untouched("malformed", &s, &s_ref, gpr, gpr_ref);
	}
}

Test(trap, caller_errors)
{
	const struct kvmmte_vm_config bad_level = { .mte_level = 1 };
	const struct kvmmte_vm_config bad_flags = { .mte_level = 2, .flags = 0x80 };
	const struct kvmmte_vm_config bad_bs = { .mte_level = 2, .gmid_bs = 16 };
	const uint64_t esr = esr_sys(3, 0, 1, 0, 6, 3, false);
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	cr_expect_eq(kvmmte_handle_sysreg_trap(NULL, esr, 0, &s, gpr), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr, 0, NULL, gpr), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr, 0, &s, NULL), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&bad_level, esr, 0, &s, gpr), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&bad_flags, esr, 0, &s, gpr), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&bad_bs, esr, 0, &s, gpr), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr, 4, &s, gpr), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_handle_sysreg_trap(&vm_mte, esr, KVMMTE_TRAP_VEL2 | KVMMTE_TRAP_VEL2_E2H,
					       &s, gpr), -KVMMTE_EINVAL);
	expect_untouched("caller errors", &s, &s_ref, gpr, gpr_ref);
}

/* --- after the handler ------------------------------------------------------ */

Test(skip, advances_pc_and_clears_btype_and_ss_only)
{
	uint64_t elr = 0xffff800010001000ULL, spsr = 0x60000000 | 0xc00 | (1 << 21) | 0x3c5;

	cr_assert_eq(kvmmte_skip_trapped_insn(&elr, &spsr), 0);
	EXPECT_U64("elr", 0xffff800010001004ULL, elr);
	EXPECT_U64("spsr", 0x600003c5ULL, spsr);
	cr_expect_eq(kvmmte_skip_trapped_insn(NULL, &spsr), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_skip_trapped_insn(&elr, NULL), -KVMMTE_EFAULT);
	EXPECT_U64("elr after errors", 0xffff800010001004ULL, elr);
}

/* --- UNDEF injection --------------------------------------------------------- */

#define VBAR	0xffff800011000800ULL
#define PC	0xffff800010203040ULL
#define SPAN	(1ULL << 23)
#define DSSBS	(1ULL << 44)

struct undef_case {
	const char *what;
	const struct kvmmte_vm_config *vm;
	uint64_t spsr, sctlr, want_pc, want_pstate;
};

Test(undef, injection_values_follow_exception_entry_rules)
{
	static const struct undef_case cases[] = {
		/* EL1h, Z and C set, SPAN = 1: keep NZCV, mask DAIF, TCO for MTE */
		{ "EL1h mte", &vm_mte, 0x60000005, SPAN, VBAR + 0x200, 0x620003c5 },
		{ "EL1h no mte", &vm_none, 0x60000005, SPAN, VBAR + 0x200, 0x600003c5 },
		{ "EL1t", &vm_mte, 0x00000004, SPAN, VBAR + 0x000, 0x020003c5 },
		{ "EL0t", &vm_mte, 0x80000000, SPAN, VBAR + 0x400, 0x820003c5 },
		{ "AArch32 usr", &vm_mte, 0x00000010, SPAN, VBAR + 0x600, 0x020003c5 },
		/* SPAN = 0 sets PAN; DSSBS sets SSBS */
		{ "SPAN=0", &vm_mte, 0x00000005, 0, VBAR + 0x200, 0x024003c5 },
		{ "DSSBS", &vm_none, 0x00000005, SPAN | DSSBS, VBAR + 0x200, 0x000013c5 },
		/* PAN and DIT carried over; SS, IL, BTYPE, UAO, SSBS, TCO, DAIF-clear dropped */
		{ "PAN DIT kept", &vm_none, 0x01400005, SPAN, VBAR + 0x200, 0x014003c5 },
		{ "cleared", &vm_none, 0x00b01c05 | 0x2000000, SPAN, VBAR + 0x200, 0x000003c5 },
		/* AArch32 DIT is bit 21 */
		{ "A32 DIT", &vm_none, 0x00200010, SPAN, VBAR + 0x600, 0x010003c5 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct undef_case *c = &cases[i];
		struct kvmmte_guest_exception e;

		memset(&e, 0xcc, sizeof(e));
		cr_assert_eq(kvmmte_undef_prepare(c->vm, PC, c->spsr, VBAR | 0x7ff, c->sctlr, &e), 0,
			     "%s rejected", c->what);
		EXPECT_U64(c->what, 0x02000000ULL, e.esr_el1);
		EXPECT_U64(c->what, PC, e.elr_el1);
		EXPECT_U64(c->what, c->spsr, e.spsr_el1);
		EXPECT_U64(c->what, c->want_pc, e.elr_el2);
		EXPECT_U64(c->what, c->want_pstate, e.spsr_el2);
	}
}

Test(undef, impossible_source_states_are_rejected_untouched)
{
	static const struct { uint64_t spsr; int err; } bad[] = {
		{ 0x8, -KVMMTE_EINVAL }, { 0x9, -KVMMTE_EINVAL },	/* EL2t, EL2h */
		{ 0xc, -KVMMTE_EINVAL }, { 0xd, -KVMMTE_EINVAL },	/* EL3 */
		{ 0x1, -KVMMTE_EINVAL }, { 0x2, -KVMMTE_EINVAL },	/* reserved */
		{ 0x6, -KVMMTE_EINVAL }, { 0xf, -KVMMTE_EINVAL },
		/* AArch32 EL1 modes: FIQ IRQ SVC ABT UND SYS */
		{ 0x11, -KVMMTE_EOPNOTSUPP }, { 0x12, -KVMMTE_EOPNOTSUPP },
		{ 0x13, -KVMMTE_EOPNOTSUPP }, { 0x17, -KVMMTE_EOPNOTSUPP },
		{ 0x1b, -KVMMTE_EOPNOTSUPP }, { 0x1f, -KVMMTE_EOPNOTSUPP },
		/* AArch32 Hyp (EL2), Monitor (EL3) and the reserved encodings */
		{ 0x1a, -KVMMTE_EINVAL }, { 0x16, -KVMMTE_EINVAL },
		{ 0x14, -KVMMTE_EINVAL }, { 0x15, -KVMMTE_EINVAL }, { 0x18, -KVMMTE_EINVAL },
		{ 0x19, -KVMMTE_EINVAL }, { 0x1c, -KVMMTE_EINVAL }, { 0x1d, -KVMMTE_EINVAL },
		{ 0x1e, -KVMMTE_EINVAL },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kvmmte_guest_exception e, ref;

		memset(&e, 0xcc, sizeof(e));
		ref = e;
		cr_expect_eq(kvmmte_undef_prepare(&vm_mte, PC, bad[i].spsr, VBAR, SPAN, &e), bad[i].err,
			     "spsr %#llx", (unsigned long long)bad[i].spsr);
		cr_expect(memcmp(&e, &ref, sizeof(e)) == 0, "spsr %#llx: output written",
			  (unsigned long long)bad[i].spsr);
	}
}

Test(undef, caller_errors)
{
	const struct kvmmte_vm_config bad = { .mte_level = 4 };
	struct kvmmte_guest_exception e;

	cr_expect_eq(kvmmte_undef_prepare(&vm_mte, PC, 5, VBAR, SPAN, NULL), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_undef_prepare(NULL, PC, 5, VBAR, SPAN, &e), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_undef_prepare(&bad, PC, 5, VBAR, SPAN, &e), -KVMMTE_EINVAL);
}

/* --- a VM without FEAT_MTE_ASYNC: its TFSR registers do not exist ------------ */

Test(noasync, tfsr_accesses_are_undef_and_touch_nothing_rgsr_gcr_still_emulated)
{
	static const struct kvmmte_vm_config *const vms[] = { &vm_noasync, &vm_lazy_noasync };
	size_t v, r;
	int rw;

	for (v = 0; v < 2; v++)
		for (r = 0; r < NLAZY; r++)
			for (rw = 0; rw < 2; rw++) {
				const struct reg_case *c = &lazy_regs[r];
				bool tfsr = c->crn == 5;
				struct kvmmte_state s = saved, s_ref = saved;
				uint64_t gpr[31], gpr_ref[31];
				int want, got;

				fill_gprs(gpr);
				memcpy(gpr_ref, gpr, sizeof(gpr));
				got = kvmmte_handle_sysreg_trap(vms[v], esr_sys(c->op0, c->op1, c->crn,
						c->crm, c->op2, 7, rw), 0, &s, gpr);
				want = tfsr ? KVMMTE_TRAP_UNDEF :
				       v ? KVMMTE_TRAP_ENABLE : KVMMTE_TRAP_EMULATED;
				cr_expect_eq(got, want, "%s %s, %s VM: expected %d, got %d",
					     rw ? "mrs" : "msr", c->name, v ? "lazy" : "eager", want, got);
				if (got != KVMMTE_TRAP_EMULATED)
					expect_untouched(c->name, &s, &s_ref, gpr, gpr_ref);
			}
}

Test(noasync, tfsr_el12_from_virtual_el2_with_e2h_is_undef)
{
	struct kvmmte_state s = saved, s_ref = saved;
	uint64_t gpr[31], gpr_ref[31];
	int got;

	fill_gprs(gpr);
	memcpy(gpr_ref, gpr, sizeof(gpr));
	got = kvmmte_handle_sysreg_trap(&vm_noasync, esr_sys(3, 5, 5, 6, 0, 2, true),
					KVMMTE_TRAP_VEL2_E2H, &s, gpr);
	cr_expect_eq(got, KVMMTE_TRAP_UNDEF, "mrs TFSR_EL12: expected UNDEF, got %d", got);
	expect_untouched("TFSR_EL12", &s, &s_ref, gpr, gpr_ref);
	/* The same access of a VM with async faults reads the saved TFSR_EL1. */
	got = kvmmte_handle_sysreg_trap(&vm_mte, esr_sys(3, 5, 5, 6, 0, 2, true),
					KVMMTE_TRAP_VEL2_E2H, &s, gpr);
	cr_expect_eq(got, KVMMTE_TRAP_EMULATED);
	EXPECT_U64("x2", saved.tfsr_el1, gpr[2]);
}
