/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A guest's first instruction and its own EL1 vector table.  The C side is
 * guest.c.  minihv enters at guest_start with x0 = the guest's RAM, EL1h,
 * MMU off.
 */
#include "plat-asm.h"
#include "minihv.h"

plat_func guest_start
	mov	x1, #GUEST_STACK_TOP
	add	x1, x0, x1
	mov	sp, x1
	plat_adr_l x1, guest_vectors
	msr	vbar_el1, x1
	isb
	bl	guest_main			/* never returns */
	b	.
plat_endfunc guest_start

/*
 * Synchronous exceptions at EL1 (SP_EL1): tag-check faults the guest
 * provoked, the UNDEF minihv injects for MTE registers.  guest_exception()
 * returns where to resume.  Runs with PSTATE.TCO set (exception entry).
 */
plat_func guest_sync
	plat_push_caller_saved
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	guest_exception
	msr	elr_el1, x0
	plat_pop_caller_saved
	eret
plat_endfunc guest_sync

/* Anything else is a guest bug: tell minihv and stop. */
.macro guest_slot index
	.balign	0x80
	.if \index == 4
	b	guest_sync
	.else
	mov	x0, #\index
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	hvc	#HVC_CRASH
	b	.
	.endif
.endm

plat_vector_table guest_vectors
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	guest_slot \i
	.endr
