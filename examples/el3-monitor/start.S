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

/* The SMCs of the worlds at EL1 go to monitor_smc(); anything else is reported. */
plat_el3_world_vectors el3_vectors, monitor_unexpected, monitor_smc, el3_resume, \
	WORLD_GPR, WORLD_ELR_EL3, WORLD_SPSR_EL3

	.bss
	.balign	16
	.space	16384
el3_stack_top:
