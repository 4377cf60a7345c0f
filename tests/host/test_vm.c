// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Per-VM configuration (lib/vm.c): feasibility against the host, HCR_EL2,
 * ID_AA64PFR1_EL1 and SCTLR_EL2 values.  Register bits are written out by
 * hand from the Arm ARM (HCR_EL2.ATA 56, DCT 57, TID5 58; ID_AA64PFR1_EL1
 * MTE [11:8], MTE_frac [43:40], MTEX [55:52]; ID_AA64PFR2_EL1 MTEPERM
 * [3:0], MTESTOREONLY [7:4], MTEFAR [11:8], encoding 3,0,0,4,2;
 * SCTLR_EL2.ITFSB 37).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <kvmmte/vm.h>
#include "fixtures.h"

static const struct kvmmte_caps host_none = { .mte_field = 0, .level = 0 };
static const struct kvmmte_caps host_mte1 = { .mte_field = 1, .level = 1 };
static const struct kvmmte_caps host_mte2 = { .mte_field = 2, .level = 2, .async = true, .gmid_bs = 4 };
static const struct kvmmte_caps host_mte2_sync = { .mte_field = 2, .level = 2, .async = false, .gmid_bs = 4 };
static const struct kvmmte_caps host_mte3 = { .mte_field = 3, .level = 3, .async = true, .gmid_bs = 6 };
static const struct kvmmte_caps host_mte3_sync = { .mte_field = 3, .level = 3, .async = false, .gmid_bs = 6 };

#define ASYNC 1U
#define LAZY 2U

struct check_case {
	const struct kvmmte_caps *host;
	unsigned level, flags;
	int want;
};

Test(vm_check, every_condition_and_its_distinct_error)
{
	static const struct check_case cases[] = {
		/* no MTE always fits */
		{ &host_none, 0, 0, 0 }, { &host_mte3, 0, 0, 0 },
		/* MTE2 needed at all */
		{ &host_none, 2, 0, -KVMMTE_ENODEV }, { &host_mte1, 2, 0, -KVMMTE_ENODEV },
		{ &host_mte1, 3, ASYNC, -KVMMTE_ENODEV },
		{ &host_mte2, 2, 0, 0 }, { &host_mte3, 2, 0, 0 },
		/* asymmetric needs MTE3 */
		{ &host_mte2, 3, 0, -KVMMTE_EOPNOTSUPP }, { &host_mte3, 3, 0, 0 },
		/* async needs MTE_frac == 0 */
		{ &host_mte2_sync, 2, ASYNC, -KVMMTE_ENXIO }, { &host_mte3_sync, 3, ASYNC, -KVMMTE_ENXIO },
		{ &host_mte2_sync, 2, 0, 0 }, { &host_mte2, 2, ASYNC, 0 }, { &host_mte3, 3, ASYNC | LAZY, 0 },
		/* invalid requests */
		{ &host_mte3, 1, 0, -KVMMTE_EINVAL }, { &host_mte3, 4, 0, -KVMMTE_EINVAL },
		{ &host_mte3, 0xffffffff, 0, -KVMMTE_EINVAL }, { &host_mte3, 2, 4, -KVMMTE_EINVAL },
		{ &host_mte3, 0, LAZY, -KVMMTE_EINVAL }, { &host_none, 0, ASYNC, -KVMMTE_EINVAL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = kvmmte_vm_check(cases[i].host, cases[i].level, cases[i].flags);

		cr_expect_eq(ret, cases[i].want, "case %zu (host level %u, level %u, flags %#x): "
			     "expected %d, got %d", i, cases[i].host->level, cases[i].level,
			     cases[i].flags, cases[i].want, ret);
	}
	cr_expect_eq(kvmmte_vm_check(NULL, 0, 0), -KVMMTE_EFAULT);
}

Test(vm_config, init_fills_the_config_from_the_host)
{
	struct kvmmte_vm_config vm;

	memset(&vm, 0xff, sizeof(vm));
	cr_assert_eq(kvmmte_vm_config_init(&vm, &host_mte3, 3, ASYNC), 0);
	cr_expect(vm.mte_level == 3 && vm.flags == ASYNC && vm.gmid_bs == 6,
		  "got level %u flags %#x gmid_bs %u", vm.mte_level, vm.flags, vm.gmid_bs);
	cr_assert_eq(kvmmte_vm_config_init(&vm, &host_mte3, 0, 0), 0);
	cr_expect(vm.mte_level == 0 && vm.flags == 0 && vm.gmid_bs == 0,
		  "no-MTE VM: got level %u flags %#x gmid_bs %u", vm.mte_level, vm.flags, vm.gmid_bs);
	cr_expect_eq(kvmmte_vm_config_valid(&vm), 0);
}

Test(vm_config, init_failure_leaves_the_config_untouched)
{
	struct kvmmte_vm_config vm, ref;

	memset(&vm, 0x3c, sizeof(vm));
	ref = vm;
	cr_expect_eq(kvmmte_vm_config_init(&vm, &host_mte2, 3, 0), -KVMMTE_EOPNOTSUPP);
	cr_expect_eq(kvmmte_vm_config_init(&vm, &host_mte2_sync, 2, ASYNC), -KVMMTE_ENXIO);
	cr_expect_eq(kvmmte_vm_config_init(&vm, &host_none, 2, 0), -KVMMTE_ENODEV);
	cr_expect_eq(kvmmte_vm_config_init(&vm, NULL, 2, 0), -KVMMTE_EFAULT);
	cr_expect(memcmp(&vm, &ref, sizeof(vm)) == 0, "config written on failure");
	cr_expect_eq(kvmmte_vm_config_init(NULL, &host_mte2, 2, 0), -KVMMTE_EFAULT);
}

/* The VM's FEAT_MTE_ASYNC is the host's; without MTE it has none. */
Test(vm_config, async_follows_the_host_for_mte_vms_only)
{
	struct kvmmte_vm_config vm;

	cr_assert_eq(kvmmte_vm_config_init(&vm, &host_mte2, 2, 0), 0);
	cr_expect_eq(vm.async, 1, "MTE VM on an async host: async %u", vm.async);
	cr_assert_eq(kvmmte_vm_config_init(&vm, &host_mte2_sync, 2, 0), 0);
	cr_expect_eq(vm.async, 0, "MTE VM on a host without async: async %u", vm.async);
	cr_assert_eq(kvmmte_vm_config_init(&vm, &host_mte2, 0, 0), 0);
	cr_expect_eq(vm.async, 0, "VM without MTE: async %u", vm.async);
	cr_expect_eq(kvmmte_vm_config_valid(&vm), 0);
}

Test(vm_config, valid_rejects_what_init_can_not_produce)
{
	static const struct kvmmte_vm_config bad[] = {
		{ 1, 0, 4, 0 }, { 4, 0, 4, 0 }, { 2, 4, 4, 1 }, { 2, 0, 16, 1 }, { 0, LAZY, 0, 0 },
		{ 0, 0, 4, 0 },
		/* async: 0 or 1, never without MTE, always with KVMMTE_VM_ASYNC */
		{ 2, 0, 4, 2 }, { 0, 0, 0, 1 }, { 2, ASYNC, 4, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(kvmmte_vm_config_valid(&bad[i]), -KVMMTE_EINVAL, "case %zu accepted", i);
	cr_expect_eq(kvmmte_vm_config_valid(NULL), -KVMMTE_EFAULT);
}

#define ATA (1ULL << 56)
#define DCT (1ULL << 57)
#define TID5 (1ULL << 58)
#define HCR_OTHER 0x80000000ULL | (1ULL << 34) | 0x1ULL	/* RW, E2H, VM */

struct hcr_case {
	const char *what;
	struct kvmmte_vm_config vm;
	const struct kvmmte_caps *host;
	uint64_t in, want;
};

Test(vm_hcr, mte_bits_for_each_kind_of_vm_other_bits_kept)
{
	static const struct hcr_case cases[] = {
		{ "no MTE on MTE host", { 0, 0, 0, 0 }, &host_mte2, HCR_OTHER, HCR_OTHER | TID5 },
		{ "MTE VM", { 2, 0, 4, 1 }, &host_mte2, HCR_OTHER, HCR_OTHER | ATA | DCT },
		{ "MTE3 VM", { 3, ASYNC, 6, 1 }, &host_mte3, HCR_OTHER, HCR_OTHER | ATA | DCT },
		{ "lazy VM", { 2, LAZY, 4, 1 }, &host_mte3, HCR_OTHER, HCR_OTHER | DCT },
		/* stale bits from the input are replaced, not ORed */
		{ "MTE VM, stale TID5", { 2, 0, 4, 1 }, &host_mte2, HCR_OTHER | TID5, HCR_OTHER | ATA | DCT },
		{ "no MTE, stale ATA", { 0, 0, 0, 0 }, &host_mte2, ~0ULL, ~(ATA | DCT) },
		/* RES0 without MTE2 */
		{ "host without MTE2", { 0, 0, 0, 0 }, &host_none, ~0ULL, ~(ATA | DCT | TID5) },
		{ "host with MTE1", { 0, 0, 0, 0 }, &host_mte1, HCR_OTHER | TID5, HCR_OTHER },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t hcr = cases[i].in;

		cr_assert_eq(kvmmte_vm_hcr_el2(&cases[i].vm, cases[i].host, &hcr), 0, "%s", cases[i].what);
		EXPECT_U64(cases[i].what, cases[i].want, hcr);
	}
	EXPECT_U64("mask", ATA | DCT | TID5, KVMMTE_VM_HCR_EL2_MASK);
}

Test(vm_hcr, errors_leave_hcr_untouched)
{
	const struct kvmmte_vm_config vm = { 2, 0, 4, 1 }, bad = { 1, 0, 0, 0 };
	uint64_t hcr = 0x1234;

	cr_expect_eq(kvmmte_vm_hcr_el2(NULL, &host_mte2, &hcr), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vm_hcr_el2(&vm, NULL, &hcr), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vm_hcr_el2(&vm, &host_mte2, NULL), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vm_hcr_el2(&bad, &host_mte2, &hcr), -KVMMTE_EINVAL);
	EXPECT_U64("hcr", 0x1234, hcr);
}

#define PFR1(mte, frac, mtex) (((uint64_t)(mte) << 8) | ((uint64_t)(frac) << 40) | ((uint64_t)(mtex) << 52))
/* Every bit outside MTE, MTE_frac and MTEX: must pass through. */
#define PFR1_OTHERS (~PFR1(0xf, 0xf, 0xf))

/* One VM's view of an ID register: the host's value and the VM's. */
struct id_case {
	const char *what;
	struct kvmmte_vm_config vm;
	uint64_t host, want;
};

/*
 * @sanitise gives @c's VM its view of an ID register whose host value is
 * @c->host with @others set: @c->want with the same @others (the bits
 * outside the sanitised fields pass through).
 */
static void expect_sanitised(int (*sanitise)(const struct kvmmte_vm_config *vm, uint64_t *v),
			     const struct id_case *c, uint64_t others)
{
	uint64_t v = c->host | others;
	int ret = sanitise(&c->vm, &v);

	cr_assert_eq(ret, 0, "%s (others %#llx): returned %d, expected 0", c->what,
		     (unsigned long long)others, ret);
	EXPECT_U64(c->what, c->want | others, v);
}

Test(vm_pfr1, sanitised_fields_others_passed_through)
{
	static const struct id_case cases[] = {
		{ "MTE off hides all", { 0, 0, 0, 0 }, PFR1(3, 0, 1), 0 },
		{ "MTE off, frac 0xF hidden", { 0, 0, 0, 0 }, PFR1(2, 0xf, 0), 0 },
		{ "MTE2 VM on MTE3 host", { 2, 0, 4, 1 }, PFR1(3, 0, 0), PFR1(2, 0, 0) },
		{ "MTE3 VM on MTE3 host", { 3, 0, 4, 1 }, PFR1(3, 0, 0), PFR1(3, 0, 0) },
		{ "no async on host", { 3, 0, 4, 1 }, PFR1(3, 0xf, 0), PFR1(3, 0xf, 0) },
		{ "reserved frac reads as no async", { 2, 0, 4, 1 }, PFR1(2, 0x5, 0), PFR1(2, 0xf, 0) },
		{ "MTEX hidden", { 3, 0, 4, 1 }, PFR1(3, 0, 1), PFR1(3, 0, 0) },
		{ "capped to host's level", { 3, 0, 4, 1 }, PFR1(2, 0, 0), PFR1(2, 0, 0) },
		/* never level 1: a host field below 2 hides MTE (and MTE_frac) */
		{ "MTE2 VM, host MTE 1", { 2, 0, 4, 1 }, PFR1(1, 0xf, 0), PFR1(0, 0, 0) },
		{ "MTE3 VM, host MTE 1", { 3, 0, 4, 1 }, PFR1(1, 0, 1), PFR1(0, 0, 0) },
		{ "MTE2 VM, host MTE 0", { 2, 0, 4, 1 }, PFR1(0, 0, 0), PFR1(0, 0, 0) },
		{ "MTE off, host MTE 1", { 0, 0, 0, 0 }, PFR1(1, 0, 0), PFR1(0, 0, 0) },
		{ "future host level", { 3, 0, 4, 1 }, PFR1(0xf, 0, 0), PFR1(3, 0, 0) },
		/* the VM's own view of FEAT_MTE_ASYNC wins over an async host's */
		{ "VM without async, async host", { 2, 0, 4, 0 }, PFR1(3, 0, 0), PFR1(2, 0xf, 0) },
		{ "MTE3 VM without async, async host", { 3, 0, 4, 0 }, PFR1(3, 0, 0), PFR1(3, 0xf, 0) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		expect_sanitised(kvmmte_vm_id_aa64pfr1, &cases[i], 0);
		expect_sanitised(kvmmte_vm_id_aa64pfr1, &cases[i], PFR1_OTHERS);
	}
}

Test(vm_pfr1, guest_mte_is_2_or_more_or_hidden_never_1)
{
	static const unsigned levels[] = { 0, 2, 3 };
	size_t l;
	unsigned host;

	for (l = 0; l < 3; l++)
		for (host = 0; host < 16; host++) {
			const struct kvmmte_vm_config vm = { levels[l], 0, levels[l] ? 4 : 0, levels[l] ? 1 : 0 };
			unsigned min = levels[l] < host ? levels[l] : host, want = min < 2 ? 0 : min;
			uint64_t v = PFR1(host, 0xf, 0), got;

			cr_assert_eq(kvmmte_vm_id_aa64pfr1(&vm, &v), 0);
			got = (v >> 8) & 0xf;
			cr_expect_eq(got, want, "VM level %u, host field %u: guest MTE expected %u, got %u",
				     levels[l], host, want, (unsigned)got);
			cr_expect_neq(got, 1, "VM level %u, host field %u: MTE 1 offered", levels[l], host);
			EXPECT_U64("MTE_frac follows MTE", want ? 0xf : 0, (v >> 40) & 0xf);
		}
}

Test(vm_pfr1, errors_leave_the_value_untouched)
{
	const struct kvmmte_vm_config bad = { 2, 0, 99, 1 };
	uint64_t v = PFR1(3, 0, 1);

	cr_expect_eq(kvmmte_vm_id_aa64pfr1(&bad, &v), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_vm_id_aa64pfr1(NULL, &v), -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vm_id_aa64pfr1(&bad, NULL), -KVMMTE_EFAULT);
	EXPECT_U64("pfr1", PFR1(3, 0, 1), v);
}

/* ID_AA64PFR2_EL1, from the Arm ARM: MTEPERM [3:0], MTESTOREONLY [7:4], MTEFAR [11:8]. */
#define PFR2(perm, so, far) ((uint64_t)(perm) | ((uint64_t)(so) << 4) | ((uint64_t)(far) << 8))
#define PFR2_MTE_FIELDS PFR2(0xf, 0xf, 0xf)
/* Bits outside the three fields (FPMR [35:32], UINJ [19:16], RES0 ...): passed through. */
static const uint64_t pfr2_others[] = {
	0,
	~PFR2_MTE_FIELDS,
	0xa5a5a5a5a5a5a5a5ULL & ~PFR2_MTE_FIELDS,
	(1ULL << 32) | (1ULL << 16),	/* FPMR and UINJ implemented */
};
#define NR_PFR2_OTHERS (sizeof(pfr2_others) / sizeof(pfr2_others[0]))

/* One VM of each kind: without MTE, MTE2 (with and without async), MTE3. */
static const struct {
	const char *what;
	struct kvmmte_vm_config vm;
} pfr2_vms[] = {
	{ "no MTE", { 0, 0, 0, 0 } },
	{ "MTE2", { 2, 0, 4, 1 } },
	{ "MTE2 without async", { 2, 0, 4, 0 } },
	{ "MTE3", { 3, ASYNC | LAZY, 6, 1 } },
};
#define NR_PFR2_VMS (sizeof(pfr2_vms) / sizeof(pfr2_vms[0]))

Test(vm_pfr2, definitions_match_the_arm_arm)
{
	EXPECT_U64("MTEPERM mask", 0xfULL << 0, KVMMTE_PFR2_MTEPERM_MASK);
	EXPECT_U64("MTESTOREONLY mask", 0xfULL << 4, KVMMTE_PFR2_MTESTOREONLY_MASK);
	EXPECT_U64("MTEFAR mask", 0xfULL << 8, KVMMTE_PFR2_MTEFAR_MASK);
	EXPECT_U64("NI", 0, KVMMTE_PFR2_NI);
	EXPECT_U64("IMP", 1, KVMMTE_PFR2_IMP);
	/* op0 3, op1 0, CRn 0, CRm 4, op2 2 */
	EXPECT_U64("one-reg id", 0x603000000013c022ULL, KVMMTE_ONE_REG(ID_AA64PFR2_EL1));
	EXPECT_U64("lookup key", (3u << 19) | (4u << 8) | (2u << 5), KVMMTE_SYSKEY(ID_AA64PFR2_EL1));
}

Test(vm_pfr2, sanitised_fields_others_passed_through)
{
	static const struct id_case cases[] = {
		/* QEMU 10 (and every CPU before FEAT_MTE_PERM & co) reads 0 */
		{ "QEMU 10: all 0, MTE VM", { 2, 0, 4, 1 }, 0, 0 },
		{ "QEMU 10: all 0, no MTE", { 0, 0, 0, 0 }, 0, 0 },
		{ "MTE2 VM keeps FAR and store-only", { 2, 0, 4, 1 }, PFR2(0, 1, 1), PFR2(0, 1, 1) },
		{ "MTE3 VM keeps FAR and store-only", { 3, 0, 6, 1 }, PFR2(0, 1, 1), PFR2(0, 1, 1) },
		{ "MTE VM, FAR only", { 3, 0, 6, 1 }, PFR2(0, 0, 1), PFR2(0, 0, 1) },
		{ "MTE VM, store-only only", { 2, 0, 4, 0 }, PFR2(0, 1, 0), PFR2(0, 1, 0) },
		{ "MTEPERM hidden from an MTE VM", { 3, 0, 6, 1 }, PFR2(1, 1, 1), PFR2(0, 1, 1) },
		{ "MTEPERM alone hidden", { 2, 0, 4, 1 }, PFR2(1, 0, 0), 0 },
		{ "no MTE: all hidden", { 0, 0, 0, 0 }, PFR2(1, 1, 1), 0 },
		/* reserved values above 1 read as 1, as a future MTE level reads as the VM's */
		{ "reserved FAR 2", { 2, 0, 4, 1 }, PFR2(0, 0, 2), PFR2(0, 0, 1) },
		{ "reserved store-only 0xF", { 3, 0, 6, 1 }, PFR2(0, 0xf, 0), PFR2(0, 1, 0) },
		{ "reserved everything", { 3, 0, 6, 1 }, PFR2(0xf, 0xf, 0xf), PFR2(0, 1, 1) },
		{ "reserved, no MTE", { 0, 0, 0, 0 }, PFR2(0xf, 0xf, 0xf), 0 },
	};
	size_t i, o;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		for (o = 0; o < NR_PFR2_OTHERS; o++)
			expect_sanitised(kvmmte_vm_id_aa64pfr2, &cases[i], pfr2_others[o]);
}

/*
 * Every value of the three fields together (16^3), for each kind of VM and
 * each pattern of the other bits.  Only mismatches are asserted (with the
 * first few printed), then their count.
 */
Test(vm_pfr2, every_field_value_for_every_kind_of_vm)
{
	unsigned perm, so, far, mismatches = 0, checked = 0;
	size_t m, o;

	for (m = 0; m < NR_PFR2_VMS; m++)
		for (o = 0; o < NR_PFR2_OTHERS; o++)
			for (perm = 0; perm < 16; perm++)
				for (so = 0; so < 16; so++)
					for (far = 0; far < 16; far++) {
						const struct kvmmte_vm_config *vm = &pfr2_vms[m].vm;
						int mte = vm->mte_level != 0;
						uint64_t in = PFR2(perm, so, far) | pfr2_others[o];
						uint64_t want = PFR2(0, mte && so != 0, mte && far != 0) |
								pfr2_others[o];
						uint64_t got = in;
						int ret = kvmmte_vm_id_aa64pfr2(vm, &got);

						checked++;
						if (ret == 0 && got == want)
							continue;
						if (++mismatches <= 16) {
							char what[160];

							snprintf(what, sizeof(what),
								 "%s VM, MTEPERM %u, MTESTOREONLY %u, MTEFAR %u, "
								 "others %#llx (ret %d)", pfr2_vms[m].what, perm,
								 so, far, (unsigned long long)pfr2_others[o], ret);
							EXPECT_U64(what, want, got);
						}
					}
	cr_expect_eq(mismatches, 0, "%u of %u combinations wrong", mismatches, checked);
	cr_expect_eq(checked, NR_PFR2_VMS * NR_PFR2_OTHERS * 16 * 16 * 16,
		     "expected %zu combinations, checked %u",
		     NR_PFR2_VMS * NR_PFR2_OTHERS * 16 * 16 * 16, checked);
}

Test(vm_pfr2, errors_leave_the_value_untouched)
{
	static const struct kvmmte_vm_config bad[] = {
		{ 2, 0, 99, 1 }, { 1, 0, 4, 1 }, { 0, 0, 0, 1 }, { 2, 8, 4, 1 },
	};
	const uint64_t ref = PFR2(1, 1, 1) | pfr2_others[2];
	const struct kvmmte_vm_config ok = { 2, 0, 4, 1 };
	uint64_t v = ref;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = kvmmte_vm_id_aa64pfr2(&bad[i], &v);

		cr_expect_eq(ret, -KVMMTE_EINVAL, "bad config %zu: expected %d, got %d", i,
			     -KVMMTE_EINVAL, ret);
		EXPECT_U64("pfr2 after EINVAL", ref, v);
	}
	cr_expect_eq(kvmmte_vm_id_aa64pfr2(NULL, &v), -KVMMTE_EFAULT, "NULL vm: expected %d",
		     -KVMMTE_EFAULT);
	EXPECT_U64("pfr2 after EFAULT", ref, v);
	cr_expect_eq(kvmmte_vm_id_aa64pfr2(&ok, NULL), -KVMMTE_EFAULT, "NULL pfr2: expected %d",
		     -KVMMTE_EFAULT);
	cr_expect_eq(kvmmte_vm_id_aa64pfr2(NULL, NULL), -KVMMTE_EFAULT, "both NULL: expected %d",
		     -KVMMTE_EFAULT);
}

Test(vm_sctlr, itfsb_only_where_mte2_exists)
{
	EXPECT_U64("MTE2", 1ULL << 37, kvmmte_sctlr_el2_bits(&host_mte2));
	EXPECT_U64("MTE3", 1ULL << 37, kvmmte_sctlr_el2_bits(&host_mte3_sync));
	EXPECT_U64("MTE1", 0, kvmmte_sctlr_el2_bits(&host_mte1));
	EXPECT_U64("none", 0, kvmmte_sctlr_el2_bits(&host_none));
	EXPECT_U64("NULL", 0, kvmmte_sctlr_el2_bits(NULL));
}
