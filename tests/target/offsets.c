// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Offsets entry.S uses, generated into hv-offsets.h by tools/kvmmte-offsets
 * with the build's own compiler (and verified against it again).  Never
 * type an offset into the assembly: add it here.
 */
#include <kvmmte/offsets.h>
#include "hv.h"

KVMMTE_OFFSET(CTXT_X, struct hv_ctxt, x);
KVMMTE_OFFSET(CTXT_PC, struct hv_ctxt, pc);		/* pstate follows */
KVMMTE_OFFSET(CTXT_HCR, struct hv_ctxt, hcr);
KVMMTE_OFFSET(CTXT_EXIT_CODE, struct hv_ctxt, exit_code);
KVMMTE_OFFSET(CTXT_ESR, struct hv_ctxt, esr);		/* far follows */
KVMMTE_OFFSET(CTXT_MTE, struct hv_ctxt, mte);
/* The KVM-style layout: the switch macros take it as KVMMTE_LAYOUT_ARGS(hv_sysregs). */
KVMMTE_MTE_LAYOUT(hv_sysregs, struct hv_ctxt, sys_regs[HV_RGSR_EL1], sys_regs[HV_GCR_EL1],
		  sys_regs[HV_TFSR_EL1], sys_regs[HV_TFSRE0_EL1]);
