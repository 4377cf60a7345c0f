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
 * struct kvmmte_layout: where a context of the caller's own keeps the four
 * fields, as byte offsets from the context's start.  Each field is a
 * uint64_t, 8-byte aligned; no two may overlap.  The C routines that take
 * state have an _at twin taking (layout, context) instead of a struct
 * kvmmte_state, so a hypervisor whose vcpu keeps the registers elsewhere
 * (a KVM-style sys_regs[] array) needs no copies:
 *
 *	static const struct kvmmte_layout vcpu_mte =
 *		KVMMTE_LAYOUT_INIT(struct vcpu, sys_regs[RGSR_EL1],
 *				   sys_regs[GCR_EL1], sys_regs[TFSR_EL1],
 *				   sys_regs[TFSRE0_EL1]);
 *	kvmmte_vcpu_reset_at(&vm, &vcpu_mte, vcpu);
 *
 * The assembly side takes the same layout from the offsets tool
 * (KVMMTE_MTE_LAYOUT() and KVMMTE_LAYOUT_ARGS()).  KVMMTE_LAYOUT_STATE is
 * struct kvmmte_state's own; the plain routines use it.
 */
struct kvmmte_layout {
	uint32_t rgsr_el1;
	uint32_t gcr_el1;
	uint32_t tfsr_el1;
	uint32_t tfsre0_el1;
};

#define KVMMTE_LAYOUT_INIT(type, rgsr, gcr, tfsr, tfsre0)			\
	{ offsetof(type, rgsr), offsetof(type, gcr), offsetof(type, tfsr),	\
	  offsetof(type, tfsre0) }
#define KVMMTE_LAYOUT_STATE							\
	KVMMTE_LAYOUT_INIT(struct kvmmte_state, rgsr_el1, gcr_el1, tfsr_el1, tfsre0_el1)

/*
 * kvmmte_layout_valid() - 0 if every offset of @l is a multiple of 8 and
 * no two are equal, -KVMMTE_EFAULT if @l is NULL, else -KVMMTE_EINVAL.
 * Every _at routine starts with this check.
 */
int kvmmte_layout_valid(const struct kvmmte_layout *l);

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
