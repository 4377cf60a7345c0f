/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Assembly helpers of the platform layer (.S files only).
 *
 *   plat_func name / plat_endfunc name   a global function in its own section
 *   plat_adr_l reg, sym                  PC-relative address of any symbol
 *   plat_vector_current_el               the four current-EL vector slots
 *                                        of a table, reporting through
 *                                        plat_el2_exception()
 *   plat_save_gprs base, off             store x2..x30 at base+off+8*n
 *   plat_load_gprs base, off             the reverse
 *   plat_push_caller_saved               an exception handler's frame
 *   plat_pop_caller_saved                around a call to C, on SP
 *
 * Vector slots are 0x80 bytes, tables 2 KiB aligned (Arm ARM D1.10.2
 * "Exception vectors").  No macro here touches a register it was not given,
 * except the vector slots, which never return to the interrupted code.
 */
#ifndef PLAT_PLAT_ASM_H
#define PLAT_PLAT_ASM_H

#ifndef __ASSEMBLER__
#error "plat-asm.h is for assembly sources"
#endif

.macro plat_func name
	.section .text.\name, "ax", %progbits
	.globl	\name
	.type	\name, %function
	.balign	4
\name:
.endm

.macro plat_endfunc name
	.size	\name, . - \name
.endm

/* adrp+add: reaches +-4 GiB, no literal pool, no absolute relocation. */
.macro plat_adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/*
 * One vector slot that hands an unexpected EL2 exception to C.  Runs on a
 * dedicated stack: the faulting code's SP may be what broke.  x0-x5 and SP
 * are lost, which is fine: the interrupted code is never resumed
 * (plat_try() unwinds to its caller, or the run ends).
 */
.macro plat_vector_report_ index
	.balign	0x80
	plat_adr_l x5, plat_fault_stack_top
	mov	sp, x5
	mov	x0, #\index
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	mrs	x4, spsr_el2
	bl	plat_el2_exception
	b	.
.endm

/*
 * The first half of a vector table: exceptions taken from EL2 itself, with
 * SP_EL0 (slots 0-3) and SP_EL2 (slots 4-7).  A hypervisor's table starts
 * with this and adds its own lower-EL slots (8-15).
 */
.macro plat_vector_current_el
	plat_vector_report_ 0
	plat_vector_report_ 1
	plat_vector_report_ 2
	plat_vector_report_ 3
	plat_vector_report_ 4
	plat_vector_report_ 5
	plat_vector_report_ 6
	plat_vector_report_ 7
.endm

/*
 * General-purpose registers x2..x30 to/from an array of 64-bit slots at
 * \base + \off (slot n holds xn).  x0 and x1 are the caller's: they hold
 * the context pointers on the way in and out.  \base must be x0 or x1;
 * \off + 224 must be at most 504 (the reach of ldp/stp).
 */
.macro plat_save_gprs base, off
	stp	x2, x3, [\base, #(\off) + 16]
	stp	x4, x5, [\base, #(\off) + 32]
	stp	x6, x7, [\base, #(\off) + 48]
	stp	x8, x9, [\base, #(\off) + 64]
	stp	x10, x11, [\base, #(\off) + 80]
	stp	x12, x13, [\base, #(\off) + 96]
	stp	x14, x15, [\base, #(\off) + 112]
	stp	x16, x17, [\base, #(\off) + 128]
	stp	x18, x19, [\base, #(\off) + 144]
	stp	x20, x21, [\base, #(\off) + 160]
	stp	x22, x23, [\base, #(\off) + 176]
	stp	x24, x25, [\base, #(\off) + 192]
	stp	x26, x27, [\base, #(\off) + 208]
	stp	x28, x29, [\base, #(\off) + 224]
	str	x30, [\base, #(\off) + 240]
.endm

.macro plat_load_gprs base, off
	ldp	x2, x3, [\base, #(\off) + 16]
	ldp	x4, x5, [\base, #(\off) + 32]
	ldp	x6, x7, [\base, #(\off) + 48]
	ldp	x8, x9, [\base, #(\off) + 64]
	ldp	x10, x11, [\base, #(\off) + 80]
	ldp	x12, x13, [\base, #(\off) + 96]
	ldp	x14, x15, [\base, #(\off) + 112]
	ldp	x16, x17, [\base, #(\off) + 128]
	ldp	x18, x19, [\base, #(\off) + 144]
	ldp	x20, x21, [\base, #(\off) + 160]
	ldp	x22, x23, [\base, #(\off) + 176]
	ldp	x24, x25, [\base, #(\off) + 192]
	ldp	x26, x27, [\base, #(\off) + 208]
	ldp	x28, x29, [\base, #(\off) + 224]
	ldr	x30, [\base, #(\off) + 240]
.endm

/*
 * An exception handler's frame around a call to C: push the registers an
 * AAPCS64 function may change (x0-x18, x30) and the frame pointer x29,
 * PLAT_CALLER_SAVED_FRAME bytes on the current stack (SP stays 16-byte
 * aligned), then pop them all and drop the frame.  The C function keeps
 * x19-x28 itself, so the interrupted code gets every register back.  In
 * between, xN (N <= 18) is at [sp, #8 * N], x29 at [sp, #152], x30 at
 * [sp, #160].  Touches SP and the registers named, nothing else.
 */
#define PLAT_CALLER_SAVED_FRAME	176

.macro plat_push_caller_saved
	stp	x0, x1, [sp, #-PLAT_CALLER_SAVED_FRAME]!
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
.endm

.macro plat_pop_caller_saved
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	ldp	x0, x1, [sp], #PLAT_CALLER_SAVED_FRAME
.endm

#endif /* PLAT_PLAT_ASM_H */
