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

#define PLAT_STACK_SIZE		(64 * 1024)	/* the boot CPU's */
#define PLAT_SECONDARY_STACK_SIZE	(32 * 1024)
#define PLAT_FAULT_STACK_SIZE	(8 * 1024)	/* per CPU: plat-asm.h */
#define PLAT_TRY_CTX_SIZE	128		/* per CPU */
#define PLAT_MAX_CPUS		8

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
 * PSCI CPU_ON's entry point for a secondary CPU (smp.c): x0 = its index
 * (the context id), MMU and caches off, at EL2.  A stack of its own, the
 * default vectors, then plat_secondary_main(index).
 */
	.globl	plat_secondary_entry
	.type	plat_secondary_entry, %function
	.balign	4
plat_secondary_entry:
	plat_adr_l x1, plat_secondary_stacks
	add	x2, x0, #1
	mov	x3, #PLAT_SECONDARY_STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	plat_adr_l x1, plat_el2_vectors
	msr	vbar_el2, x1
	isb
	bl	plat_secondary_main	/* never returns */
	b	.
	.size	plat_secondary_entry, . - plat_secondary_entry

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
 * plat_try_unwind() can return from plat_try() as if fn had.  One context
 * per CPU: plat_try_ctx_this sets \reg to this CPU's (clobbers \tmp).
 */
.macro plat_try_ctx_this reg, tmp
	plat_cpu_index_ \tmp
	plat_adr_l \reg, plat_try_ctx
	add	\reg, \reg, \tmp, lsl #7		/* PLAT_TRY_CTX_SIZE */
.endm
#define TRY_X19		0		/* x19..x30 */
#define TRY_X29		(TRY_X19 + 8 * 10)
#define TRY_SP		96
#define TRY_FAULT	104
#define TRY_ACTIVE	112
plat_func plat_try
	plat_try_ctx_this x3, x4
	plat_save_callee_saved x3, TRY_X19
	mov	x4, sp
	stp	x4, x2, [x3, #TRY_SP]
	mov	x4, #1
	str	x4, [x3, #TRY_ACTIVE]
	mov	x4, x0
	mov	x0, x1
	blr	x4
	plat_try_ctx_this x3, x4
	str	xzr, [x3, #TRY_ACTIVE]
	ldp	x29, x30, [x3, #TRY_X29]
	ret
plat_endfunc plat_try

/*
 * plat_try_unwind(int ret): called from plat_el2_exception() on the fault
 * stack; returns @ret from plat_try() to its caller.
 */
plat_func plat_try_unwind
	plat_try_ctx_this x3, x4
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
	.skip	PLAT_TRY_CTX_SIZE * PLAT_MAX_CPUS
	.balign	16
	.skip	PLAT_STACK_SIZE
	.globl	plat_stack_top
plat_stack_top:
	/* Secondary CPU n's stack ends at plat_secondary_stacks + (n + 1) * size. */
	.globl	plat_secondary_stacks
plat_secondary_stacks:
	.skip	PLAT_SECONDARY_STACK_SIZE * PLAT_MAX_CPUS
	/* CPU n's fault stack ends at plat_fault_stacks + (n + 1) * size. */
	.globl	plat_fault_stacks
plat_fault_stacks:
	.skip	PLAT_FAULT_STACK_SIZE * PLAT_MAX_CPUS
