/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The guest hypervisor (L1) of case-nested-nv2.c: its vector table.  L1
 * runs at EL1 with HCR_EL2.NV set and believes it is at EL2; its vector
 * base is the real VBAR_EL1 (L0 sets it, as firmware would set VBAR_EL2).
 *
 *   slots 0-7   (L1's own exceptions, from "EL2") are bugs: HVC to L0,
 *               which reads L1's real ESR_EL1/ELR_EL1/FAR_EL1 and fails
 *               the case; but for slot 4's synchronous tag-check faults
 *   slots 8-15  (from its guest L2, reflected there by L0) leave through
 *               entry.S's hv_exit_common: L1 uses the harness's own entry
 *               paths, the library's switch macros, exactly as the
 *               harness's hypervisor does at the real EL2
 */
#include "plat-asm.h"
#include "hv-abi.h"

.macro nv_l1_bug
	.balign	0x80
	hvc	#HV_HVC_CRASH
	b	.
.endm

/*
 * From L2, reflected by L0, which emulates the exception entry: PSTATE.TCO
 * must be 1 here as after any exception (Arm ARM, MTE: PSTATE.TCO is set
 * on taking an exception).  Entries without it are counted in
 * nv_l1_entries_without_tco, which L1 checks.
 */
.macro nv_l1_exit code
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x1, tco
	cbnz	x1, 1f
	adrp	x0, nv_l1_entries_without_tco
	ldr	x1, [x0, :lo12:nv_l1_entries_without_tco]
	add	x1, x1, #1
	str	x1, [x0, :lo12:nv_l1_entries_without_tco]
1:	mov	x1, #\code
	b	hv_exit_common
.endm

	.globl	nv_l1_vectors
plat_vector_table nv_l1_vectors
	.rept	4
	nv_l1_bug
	.endr
	/*
	 * Synchronous, from its own virtual EL2 with SP_EL2: the tag-check
	 * faults L1 provokes itself (a load under TCF asymmetric) are counted
	 * in nv_l1_own_sync_faults and skipped; anything else is a bug.  Its
	 * ERET traps to L0, which returns to L1 at EL1 (the SPSR says EL2h).
	 */
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el2
	ubfx	x1, x0, #26, #6
	cmp	x1, #0x25			/* Data Abort, current EL */
	b.ne	1f
	and	x1, x0, #0x3f
	cmp	x1, #0x11			/* synchronous tag-check fault */
	b.ne	1f
	adrp	x0, nv_l1_own_sync_faults
	ldr	x1, [x0, :lo12:nv_l1_own_sync_faults]
	add	x1, x1, #1
	str	x1, [x0, :lo12:nv_l1_own_sync_faults]
	mrs	x0, elr_el2
	add	x0, x0, #4
	msr	elr_el2, x0
	ldp	x0, x1, [sp], #16
	eret
1:	hvc	#HV_HVC_CRASH
	b	.
	.rept	3
	nv_l1_bug
	.endr
	nv_l1_exit HV_EXIT_SYNC
	nv_l1_exit HV_EXIT_IRQ
	nv_l1_exit HV_EXIT_FIQ
	nv_l1_exit HV_EXIT_SERROR
	.rept	4
	nv_l1_exit HV_EXIT_AARCH32
	.endr

/* L1 starts here (x0: its argument), on the stack L0 gave it in SP_EL1. */
plat_func nv_l1_start
	bl	nv_l1_main
	hvc	#HV_HVC_DONE
	b	.
plat_endfunc nv_l1_start

	.data
	.balign	8
	.globl	nv_l1_own_sync_faults
nv_l1_own_sync_faults:
	.quad	0
	.globl	nv_l1_entries_without_tco
nv_l1_entries_without_tco:
	.quad	0
