// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/* Capability detection and host-mode queries (lib/cpu.c). */
#include <criterion/criterion.h>
#include <kvmmte/cpu.h>
#include "fake_sysreg.h"

struct decode_case {
	uint64_t pfr1;
	unsigned int field, level, mtex;
	bool async;
};

Test(caps, decode_every_mte_level_and_frac)
{
	static const struct decode_case cases[] = {
		{ 0x0, 0, 0, 0, false },
		{ 0x100, 1, 1, 0, false },			/* EL0 insns only */
		{ 0x100 | (0xfUL << 40), 1, 1, 0, false },
		{ 0x200, 2, 2, 0, true },			/* MTE2, async */
		{ 0x200 | (0xfUL << 40), 2, 2, 0, false },	/* MTE2, no async */
		{ 0x300, 3, 3, 0, true },
		{ 0x300 | (0x1UL << 52), 3, 3, 1, true },	/* MTEX */
		{ 0xf00, 15, 3, 0, true },			/* future: at least MTE3 */
		{ 0xfffff0ffffffffffUL & ~0xf00UL, 0, 0, 0xf, false },	/* noise around an absent field */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kvmmte_caps c;

		cr_assert_eq(kvmmte_caps_decode(cases[i].pfr1, &c), 0);
		cr_expect_eq(c.mte_field, cases[i].field, "pfr1 %#llx: field expected %u got %u",
			     (unsigned long long)cases[i].pfr1, cases[i].field, c.mte_field);
		cr_expect_eq(c.level, cases[i].level, "pfr1 %#llx: level expected %u got %u",
			     (unsigned long long)cases[i].pfr1, cases[i].level, c.level);
		cr_expect_eq(c.async, cases[i].async, "pfr1 %#llx: async expected %d got %d",
			     (unsigned long long)cases[i].pfr1, cases[i].async, c.async);
		cr_expect_eq(c.mtex, cases[i].mtex, "pfr1 %#llx: mtex expected %u got %u",
			     (unsigned long long)cases[i].pfr1, cases[i].mtex, c.mtex);
		cr_expect_eq(c.gmid_bs, 0);
	}
}

Test(caps, decode_null_is_efault)
{
	cr_expect_eq(kvmmte_caps_decode(0x300, NULL), -KVMMTE_EFAULT);
}

Test(caps, cpu_caps_reads_gmid_only_from_mte2)
{
	struct kvmmte_caps c;

	fake_cpu(2, 1, false);
	cr_assert_eq(kvmmte_cpu_caps(&c), 0);
	cr_expect_eq(c.level, 1);
	cr_expect_eq(c.gmid_bs, 0);
	FAKE_EXPECT_LOG();	/* the ID register read is filtered; GMID must not appear */

	fake_cpu(2, 2, false);
	cr_assert_eq(kvmmte_cpu_caps(&c), 0);
	cr_expect_eq(c.gmid_bs, 4, "gmid_bs expected 4 got %u", c.gmid_bs);
	FAKE_EXPECT_LOG(R(GMID_EL1, 4));
}

Test(caps, cpu_caps_null_is_efault)
{
	fake_cpu(2, 3, false);
	cr_expect_eq(kvmmte_cpu_caps(NULL), -KVMMTE_EFAULT);
}

Test(caps, cpu_mte_level_follows_id_register)
{
	unsigned int l;

	for (l = 0; l <= 3; l++) {
		fake_cpu(2, l, false);
		cr_expect_eq(kvmmte_cpu_mte_level(), (int)l);
	}
}

Test(mode, host_mode_valid_accepts_only_the_two_modes)
{
	cr_expect_eq(kvmmte_host_mode_valid(KVMMTE_HOST_NVHE), 0);
	cr_expect_eq(kvmmte_host_mode_valid(KVMMTE_HOST_VHE), 0);
	cr_expect_eq(kvmmte_host_mode_valid(2), -KVMMTE_EINVAL);
	cr_expect_eq(kvmmte_host_mode_valid(-1), -KVMMTE_EINVAL);
}

Test(mode, host_mode_current_follows_e2h_at_el2)
{
	enum kvmmte_host_mode m = (enum kvmmte_host_mode)99;

	fake_cpu(2, 3, false);
	cr_assert_eq(kvmmte_host_mode_current(&m), 0);
	cr_expect_eq(m, KVMMTE_HOST_NVHE);
	fake_cpu(2, 3, true);
	cr_assert_eq(kvmmte_host_mode_current(&m), 0);
	cr_expect_eq(m, KVMMTE_HOST_VHE);
}

Test(mode, host_mode_current_outside_el2_is_eopnotsupp)
{
	enum kvmmte_host_mode m = (enum kvmmte_host_mode)99;

	fake_cpu(1, 3, false);
	cr_expect_eq(kvmmte_host_mode_current(&m), -KVMMTE_EOPNOTSUPP);
	fake_cpu(3, 3, false);
	cr_expect_eq(kvmmte_host_mode_current(&m), -KVMMTE_EOPNOTSUPP);
	cr_expect_eq(m, 99, "mode written on failure");
	cr_expect_eq(fake_undef_count, 0, "HCR_EL2 read outside EL2");
}

Test(mode, host_mode_current_null_is_efault)
{
	fake_cpu(2, 3, false);
	cr_expect_eq(kvmmte_host_mode_current(NULL), -KVMMTE_EFAULT);
}
