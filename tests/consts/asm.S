/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The definitions headers in assembly: no integer suffix may reach the
 * assembler, and every constant of checks.h must have its value.  Each
 * check becomes two absolute symbols, consts_got_<name> and
 * consts_want_<name>, which tests/consts/run.sh reads back with nm.
 */
#include <kvmmte/const.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/state.h>
#include <kvmmte/errno.h>
#include <kvmmte/mte-regs.h>
#include "checks.h"

#define CONSTS_SET(name, expr, want) \
	.set consts_got_##name, expr; .set consts_want_##name, want;
CONSTS_DEFS(CONSTS_SET)

	/* The same values as instruction immediates. */
	.text
	tst	x0, #KVMMTE_ADDR_TAG_MASK
	tbz	x0, #KVMMTE_HCR_EL2_ATA_SHIFT, 1f
	orr	x0, x0, #KVMMTE_HCR_EL2_ATA
	and	x0, x0, #~KVMMTE_SCTLR_TCF_MASK
	ldr	x1, =KVMMTE_ONE_REG(GCR_EL1)
1:	ret
