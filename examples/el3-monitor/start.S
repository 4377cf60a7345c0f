/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * EL3 entry and vectors of the example monitor.
 *
 * QEMU -M virt,secure=on starts the CPU at EL3 at the ELF entry point.  The
 * only exception the monitor expects is an SMC from a world at EL1
 * (lower EL, AArch64, synchronous): the world's registers go to its struct
 * world (TPIDR_EL3 points at the running one), C decides which world runs
 * next, and its registers come back before the ERET.  Anything else is
 * reported and ends the run.
 */
#include <plat-asm.h>
#include "monitor-offsets.h"

	.section .text.el3_start, "ax", %progbits
	.globl	el3_start
el3_start:
	plat_adr_l x0, el3_stack_top
	mov	sp, x0
	plat_adr_l x0, el3_vectors
	msr	vbar_el3, x0
	isb
	bl	monitor_main		/* never returns */
	b	.

/* void el3_enter_world(struct world *w): first entry into a world. */
plat_func el3_enter_world
	b	el3_resume
plat_endfunc el3_enter_world

.macro el3_report_slot index
	.balign	0x80
	mov	x0, #\index
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	b	monitor_unexpected
.endm

plat_vector_table el3_vectors
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	el3_report_slot \i
	.endr
	/* Lower EL, AArch64, synchronous: the SMCs. */
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x1, tpidr_el3
	plat_save_gprs_pushed x1, WORLD_GPR, 16, x2, x3
	plat_save_elr_spsr 3, x1, WORLD_ELR_EL3, WORLD_SPSR_EL3, x2
	mov	x0, x1
	bl	monitor_smc		/* returns the world to run next */
	b	el3_resume
	.irp i, 9, 10, 11, 12, 13, 14, 15
	el3_report_slot \i
	.endr

/* x0 = the world to run: its registers back, then ERET into it. */
el3_resume:
	msr	tpidr_el3, x0
	plat_load_elr_spsr 3, x0, WORLD_ELR_EL3, WORLD_SPSR_EL3, x2
	plat_load_all_gprs x0, WORLD_GPR
	eret

	.bss
	.balign	16
	.space	16384
el3_stack_top:
