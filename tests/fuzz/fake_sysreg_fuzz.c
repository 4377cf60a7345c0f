// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Minimal register backend for -DKVMMTE_FAKE_SYSREG fuzz builds: a plain
 * register file, no Criterion, no logging (tests/host/fake_sysreg.c needs
 * Criterion and asserts on log overflow, neither of which suits a fuzzer).
 * The guest-facing code being fuzzed reads no register; this only keeps
 * the link complete if it ever does.
 */
#include <kvmmte/sysreg-access.h>

static uint64_t regs[KVMMTE_SYSREG_ID_COUNT];

uint64_t kvmmte_fake_sysreg_read(enum kvmmte_sysreg_id id)
{
	return id < KVMMTE_SYSREG_ID_COUNT ? regs[id] : 0;
}

void kvmmte_fake_sysreg_write(enum kvmmte_sysreg_id id, uint64_t val)
{
	if (id < KVMMTE_SYSREG_ID_COUNT)
		regs[id] = val;
}

void kvmmte_fake_isb(void)
{
}
