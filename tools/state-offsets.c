/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * struct kvmmte_state, as assembly sees it.
 *
 * tools/offsets.mk runs tools/kvmmte-offsets on this file with the
 * library's own compiler and flags: it generates
 * $(O)/include/kvmmte/state-offsets.h and verifies that the hand-written
 * KVMMTE_STATE_* constants of include/kvmmte/state.h are what the compiler
 * computes.  Not in lib/, which the library build compiles wholesale
 * (compiled there it would type-check and produce nothing).
 */
#include <kvmmte/offsets.h>
#include <kvmmte/state.h>

KVMMTE_OFFSET(KVMMTE_STATE_RGSR_EL1, struct kvmmte_state, rgsr_el1);
KVMMTE_OFFSET(KVMMTE_STATE_GCR_EL1, struct kvmmte_state, gcr_el1);
KVMMTE_OFFSET(KVMMTE_STATE_TFSR_EL1, struct kvmmte_state, tfsr_el1);
KVMMTE_OFFSET(KVMMTE_STATE_TFSRE0_EL1, struct kvmmte_state, tfsre0_el1);
KVMMTE_SIZE(KVMMTE_STATE_SIZE, struct kvmmte_state);
KVMMTE_DEFINE(KVMMTE_STATE_ALIGN, _Alignof(struct kvmmte_state));
