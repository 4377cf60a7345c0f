// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Every offset entry.S uses, for kvmmte-offsets (minihv-offsets.h is
 * generated from this file by the build; never type an offset into asm).
 */
#include <kvmmte/offsets.h>
#include "minihv.h"

KVMMTE_OFFSET(VCPU_X, struct vcpu, x);
KVMMTE_OFFSET(VCPU_PC, struct vcpu, pc);
KVMMTE_OFFSET(VCPU_PSTATE, struct vcpu, pstate);
KVMMTE_OFFSET(VCPU_HCR, struct vcpu, hcr);
KVMMTE_OFFSET(VCPU_EXIT, struct vcpu, exit);
KVMMTE_OFFSET(VCPU_ESR, struct vcpu, esr);
KVMMTE_OFFSET(VCPU_FAR, struct vcpu, far);
KVMMTE_OFFSET(VCPU_HOST, struct vcpu, host);
KVMMTE_OFFSET(VCPU_MTE, struct vcpu, mte);
KVMMTE_OFFSET(HOST_X19, struct host_ctxt, x19_x30);
KVMMTE_OFFSET(HOST_MTE, struct host_ctxt, mte);
