/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * struct kvmmte_state, as assembly sees it: the declarations
 * tests/offsets/run.sh gives tools/kvmmte-offsets --verify, to show that
 * the tool finds a drifted KVMMTE_STATE_* constant of include/kvmmte/state.h
 * on its own.  The library itself needs no generated header for its state:
 * state.h is the one source of those offsets, and its _Static_asserts tie
 * each constant to struct kvmmte_state in every C compile.
 */
#include <kvmmte/offsets.h>
#include <kvmmte/state.h>

KVMMTE_OFFSET(KVMMTE_STATE_RGSR_EL1, struct kvmmte_state, rgsr_el1);
KVMMTE_OFFSET(KVMMTE_STATE_GCR_EL1, struct kvmmte_state, gcr_el1);
KVMMTE_OFFSET(KVMMTE_STATE_TFSR_EL1, struct kvmmte_state, tfsr_el1);
KVMMTE_OFFSET(KVMMTE_STATE_TFSRE0_EL1, struct kvmmte_state, tfsre0_el1);
KVMMTE_SIZE(KVMMTE_STATE_SIZE, struct kvmmte_state);
KVMMTE_DEFINE(KVMMTE_STATE_ALIGN, _Alignof(struct kvmmte_state));
