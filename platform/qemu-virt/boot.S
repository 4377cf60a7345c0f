/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * EL2 entry on the QEMU virt board, a default vector table, and
 * plat_try()'s save/unwind.
 *
 * QEMU loads the ELF at its link address (linker.ld: 0x40000000) and starts
 * the first CPU at _start, at EL2 when -M virt,virtualization=on (EL1
 * without it: reported and the run ends with status 2).
 */
#include "plat-asm.h"

#define PLAT_STACK_SIZE		(64 * 1024)
#define PLAT_FAULT_STACK_SIZE	(8 * 1024)

	.section .text.boot, "ax", %progbits
	.globl	_start
	.type	_start, %function
_start:
	plat_adr_l x0, plat_stack_top
	mov	sp, x0

	/* .bss: QEMU's loader zeroes it too, but a reset by a debugger does not. */
	plat_adr_l x0, plat_bss_start
	plat_adr_l x1, plat_bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	3f
	plat_adr_l x0, plat_el2_vectors
	msr	vbar_el2, x0
	isb
	bl	plat_start		/* never returns */
3:	bl	plat_not_el2		/* never returns */
	b	.
	.size	_start, . - _start

/*
 * Default EL2 vector table: every exception is unexpected.  Lower-EL slots
 * report too, so a stray ERET into a lower EL is caught, not silent.
 */
	.globl	plat_el2_vectors
plat_vector_table plat_el2_vectors
	plat_vector_current_el
	.irp index, 8, 9, 10, 11, 12, 13, 14, 15
	plat_vector_report_ \index
	.endr

/*
 * int plat_try(int (*fn)(void *), void *arg, struct plat_fault *fault)
 * Saves what AAPCS64 requires a callee to preserve, so that
 * plat_try_unwind() can return from plat_try() as if fn had.
 */
#define TRY_X19		0		/* x19..x30 */
#define TRY_X29		(TRY_X19 + 8 * 10)
#define TRY_SP		96
#define TRY_FAULT	104
#define TRY_ACTIVE	112
plat_func plat_try
	plat_adr_l x3, plat_try_ctx
	plat_save_callee_saved x3, TRY_X19
	mov	x4, sp
	stp	x4, x2, [x3, #TRY_SP]
	mov	x4, #1
	str	x4, [x3, #TRY_ACTIVE]
	mov	x4, x0
	mov	x0, x1
	blr	x4
	plat_adr_l x3, plat_try_ctx
	str	xzr, [x3, #TRY_ACTIVE]
	ldp	x29, x30, [x3, #TRY_X29]
	ret
plat_endfunc plat_try

/*
 * plat_try_unwind(int ret): called from plat_el2_exception() on the fault
 * stack; returns @ret from plat_try() to its caller.
 */
plat_func plat_try_unwind
	plat_adr_l x3, plat_try_ctx
	str	xzr, [x3, #TRY_ACTIVE]
	plat_load_callee_saved x3, TRY_X19
	ldr	x4, [x3, #TRY_SP]
	mov	sp, x4
	ret
plat_endfunc plat_try_unwind

	.section .bss.plat_stacks, "aw", %nobits
	.balign	16
	.globl	plat_try_ctx
plat_try_ctx:
	.skip	128
	.balign	16
	.skip	PLAT_STACK_SIZE
	.globl	plat_stack_top
plat_stack_top:
	.skip	PLAT_FAULT_STACK_SIZE
	.globl	plat_fault_stack_top
plat_fault_stack_top:
