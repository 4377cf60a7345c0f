/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * EL3 entry and vectors of the Linux monitor.
 *
 * QEMU -M virt,secure=on starts every CPU at EL3 at the ELF entry point
 * (QEMU's own PSCI is off when it boots firmware).  Each CPU takes a stack
 * of its own; CPU 0 runs monitor_main(), the others monitor_secondary(),
 * which waits for Linux's PSCI CPU_ON.  Both return the CPU's struct
 * ns_world, entered with an ERET.  The only exception expected afterwards
 * is a synchronous one from a lower EL in AArch64 (the SMCs): the world's
 * registers go to its struct ns_world (TPIDR_EL3), monitor_sync() handles
 * it, and the registers come back before the ERET.  Anything else is
 * reported and ends the run.
 */
#include <plat-asm.h>
#include "monitor-offsets.h"

#define EL3_STACK_SIZE	8192		/* per CPU */
#define EL3_MAX_CPUS	8		/* PLAT_MAX_CPUS */

	.section .text.el3_start, "ax", %progbits
	.globl	el3_start
el3_start:
	plat_cpu_index_ x19
	plat_adr_l x0, el3_stacks
	add	x1, x19, #1
	mov	x2, #EL3_STACK_SIZE
	madd	x0, x1, x2, x0
	mov	sp, x0
	plat_adr_l x0, el3_vectors
	msr	vbar_el3, x0
	isb
	mov	x0, x19
	cbnz	x19, 1f
	bl	monitor_main		/* x0 = the world to enter */
	b	el3_resume
1:	bl	monitor_secondary
	b	el3_resume

/*
 * SMCs (and any synchronous trap) from a lower EL go to monitor_sync(),
 * FIQs from a lower EL (the secure physical timer, Group 0, routed to EL3
 * by SCR_EL3.FIQ) to monitor_fiq(); anything else is reported.
 */
plat_el3_world_vectors el3_vectors, monitor_unexpected, monitor_sync, el3_resume, \
	NSW_GPR, NSW_ELR_EL3, NSW_SPSR_EL3, monitor_fiq

	.bss
	.balign	16
el3_stacks:
	.space	EL3_STACK_SIZE * EL3_MAX_CPUS
