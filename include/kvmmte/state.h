/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * struct kvmmte_state: one world's MTE EL1 register state.
 *
 * The layout is ABI.  RGSR_EL1 and GCR_EL1 switch on every guest entry and
 * exit, so they come first and adjacent: the switch macros move them with a
 * single ldp/stp.  TFSR_EL1 and TFSRE0_EL1 follow, adjacent too: both
 * switch on every entry/exit for an nVHE host (one more ldp/stp), TFSRE0_EL1
 * alone under VHE, where the guest's TFSR_EL1 moves at vcpu load/put.
 *
 * The offsets below are for assembly; the C part ties each to the struct
 * with a compile-time assert, and the library build re-verifies them with
 * the offsets tool (tools/kvmmte-offsets --verify).
 */
#ifndef KVMMTE_STATE_H
#define KVMMTE_STATE_H

#define KVMMTE_STATE_RGSR_EL1		0
#define KVMMTE_STATE_GCR_EL1		8
#define KVMMTE_STATE_TFSR_EL1		16
#define KVMMTE_STATE_TFSRE0_EL1		24
#define KVMMTE_STATE_SIZE		32
#define KVMMTE_STATE_ALIGN		16

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>
#include <kvmmte/const.h>

struct kvmmte_state {
	uint64_t rgsr_el1;	/* switched on every entry/exit */
	uint64_t gcr_el1;	/* switched on every entry/exit */
	uint64_t tfsr_el1;	/* every entry/exit (nVHE) or load/put (VHE) */
	uint64_t tfsre0_el1;	/* switched on every entry/exit */
} __attribute__((aligned(KVMMTE_STATE_ALIGN)));

KVMMTE_STATIC_ASSERT(offsetof(struct kvmmte_state, rgsr_el1) == KVMMTE_STATE_RGSR_EL1,
	       "KVMMTE_STATE_RGSR_EL1 does not match struct kvmmte_state");
KVMMTE_STATIC_ASSERT(offsetof(struct kvmmte_state, gcr_el1) == KVMMTE_STATE_GCR_EL1,
	       "KVMMTE_STATE_GCR_EL1 does not match struct kvmmte_state");
KVMMTE_STATIC_ASSERT(offsetof(struct kvmmte_state, tfsr_el1) == KVMMTE_STATE_TFSR_EL1,
	       "KVMMTE_STATE_TFSR_EL1 does not match struct kvmmte_state");
KVMMTE_STATIC_ASSERT(offsetof(struct kvmmte_state, tfsre0_el1) == KVMMTE_STATE_TFSRE0_EL1,
	       "KVMMTE_STATE_TFSRE0_EL1 does not match struct kvmmte_state");
KVMMTE_STATIC_ASSERT(sizeof(struct kvmmte_state) == KVMMTE_STATE_SIZE,
	       "KVMMTE_STATE_SIZE does not match struct kvmmte_state");
KVMMTE_STATIC_ASSERT(KVMMTE_STATE_GCR_EL1 == KVMMTE_STATE_RGSR_EL1 + 8,
	       "the per-entry pair must be adjacent for ldp/stp");

/*
 * The state a CPU's EL2 adds when EL3 firmware switches whole worlds:
 * TFSR_EL2 holds the pending asynchronous faults of a VHE host kernel (or
 * of the hypervisor itself).
 */
struct kvmmte_el2_state {
	uint64_t tfsr_el2;
};

#endif /* !__ASSEMBLER__ */
#endif /* KVMMTE_STATE_H */
