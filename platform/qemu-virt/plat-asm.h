/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Assembly helpers of the platform layer (.S files only).
 *
 *   plat_func name / plat_endfunc name   a global function in its own section
 *   plat_adr_l reg, sym                  PC-relative address of any symbol
 *   plat_vector_table name               start a vector table: own section,
 *                                        2 KiB aligned, label \name
 *   plat_vector_current_el               the four current-EL vector slots
 *                                        of a table, reporting through
 *                                        plat_el2_exception()
 *   plat_save_gprs base, off             store x2..x30 at base+off+8*n
 *   plat_load_gprs base, off             the reverse
 *   plat_save_gprs_pushed base, off, pushed, t0, t1
 *                                        x0..x30 of interrupted code whose
 *                                        x0/x1 the vector slot pushed
 *   plat_load_all_gprs base, off         x0..x30 back, \base last
 *   plat_save_elr_spsr el, base, elr_off, spsr_off, tmp
 *   plat_load_elr_spsr el, base, elr_off, spsr_off, tmp
 *                                        ELR_ELn/SPSR_ELn to/from memory
 *   plat_save_callee_saved base, off     store x19..x30 at base+off+8*(n-19)
 *   plat_load_callee_saved base, off     the reverse
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
	plat_cpu_index_ x4
	add	x4, x4, #1
	plat_adr_l x5, plat_fault_stacks
	add	x5, x5, x4, lsl #13		/* 8 KiB each: boot.S */
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
 * plat_cpu_index_ reg: this CPU's index, MPIDR_EL1.Aff0 (QEMU virt puts up
 * to 8 CPUs in cluster 0, all a GICv2 can address; smp.c), in \reg.
 * Touches only \reg.
 */
.macro plat_cpu_index_ reg
	mrs	\reg, mpidr_el1
	and	\reg, \reg, #0x7		/* PLAT_MAX_CPUS - 1 */
.endm

/*
 * The start of the vector table \name in a section of its own; the caller
 * adds .globl where other files use it, then the 16 slots.
 */
.macro plat_vector_table name
	.section .text.\name, "ax", %progbits
	.balign	0x800
\name:
.endm

/*
 * The first half of a vector table: exceptions taken from EL2 itself, with
 * SP_EL0 (slots 0-3) and SP_EL2 (slots 4-7).  A hypervisor's table starts
 * with this and adds its own lower-EL slots (8-15).
 */
.macro plat_vector_current_el
	.irp index, 0, 1, 2, 3, 4, 5, 6, 7
	plat_vector_report_ \index
	.endr
.endm

/*
 * An EL3 monitor's vector table \name for worlds whose registers live in a
 * struct that TPIDR_EL3 points at (x0-x30 at \gpr, ELR_EL3/SPSR_EL3 at
 * \elr/\spsr): a synchronous exception from a lower EL in AArch64 (an
 * SMC, or any trap to EL3) saves the world there and calls
 * \handler(world), which returns the world to run next; every other slot
 * calls \report(slot, ESR_EL3, ELR_EL3), which does not return, except
 * a FIQ from a lower EL in AArch64 when \fiq names a handler: that slot
 * saves the world the same way and calls \fiq(world).  Then
 * \resume, a local label defined here: x0 = the world to run, made
 * current, its registers loaded, ERET.  Uses the EL3 stack already set.
 */
.macro plat_el3_report_ index, report
	.balign	0x80
	mov	x0, #\index
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	b	\report
.endm

/* One lower-EL entry slot of plat_el3_world_vectors: save, \handler(world), resume. */
.macro plat_el3_lower_entry_ handler, resume, gpr, elr, spsr
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x1, tpidr_el3
	plat_save_gprs_pushed x1, \gpr, 16, x2, x3
	plat_save_elr_spsr 3, x1, \elr, \spsr, x2
	mov	x0, x1
	bl	\handler
	b	\resume
.endm

.macro plat_el3_world_vectors name, report, handler, resume, gpr, elr, spsr, fiq
plat_vector_table \name
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7
	plat_el3_report_ \i, \report
	.endr
	plat_el3_lower_entry_ \handler, \resume, \gpr, \elr, \spsr
	plat_el3_report_ 9, \report
	.ifb \fiq
	plat_el3_report_ 10, \report
	.else
	plat_el3_lower_entry_ \fiq, \resume, \gpr, \elr, \spsr
	.endif
	.irp i, 11, 12, 13, 14, 15
	plat_el3_report_ \i, \report
	.endr
\resume:
	msr	tpidr_el3, x0
	plat_load_elr_spsr 3, x0, \elr, \spsr, x2
	plat_load_all_gprs x0, \gpr
	eret
.endm

/*
 * The one body under every register-array macro below: \op (stp or ldp)
 * for each pair of registers given by number, x\a with x\b at
 * [\base, #(\off) + 8 * \a] (so slot n of an array at \base + \off holds
 * xn), then the same for the pairs in \more.  Touches the registers named
 * and nothing else.
 */
.macro plat_gpr_pairs_ op, base, off, a, b, more:vararg
	\op	x\a, x\b, [\base, #(\off) + 8 * \a]
	.ifnb \more
	plat_gpr_pairs_ \op, \base, \off, \more
	.endif
.endm

/*
 * General-purpose registers x2..x30 to/from an array of 64-bit slots at
 * \base + \off (slot n holds xn).  x0 and x1 are the caller's: they hold
 * the context pointers on the way in and out.  \base must be x0 or x1;
 * \off + 224 must be at most 504 (the reach of ldp/stp).
 */
.macro plat_gprs_ pair, one, base, off
	plat_gpr_pairs_ \pair, \base, \off, 2,3, 4,5, 6,7, 8,9, 10,11, 12,13, 14,15, \
		16,17, 18,19, 20,21, 22,23, 24,25, 26,27, 28,29
	\one	x30, [\base, #(\off) + 240]
.endm

.macro plat_save_gprs base, off
	plat_gprs_ stp, str, \base, \off
.endm

.macro plat_load_gprs base, off
	plat_gprs_ ldp, ldr, \base, \off
.endm

/*
 * An exception from code that is to be resumed later: the vector slot
 * pushed the code's x0, x1 (the first 16 of \pushed bytes on SP) and put
 * the context pointer in \base (x0 or x1).  Stores x0..x30 in the array
 * at \base + \off (slot n holds xn) and pops the \pushed bytes; \t0, \t1
 * (two registers of x2..x30, already stored) carry x0, x1.
 */
.macro plat_save_gprs_pushed base, off, pushed, t0, t1
	plat_save_gprs \base, \off
	ldp	\t0, \t1, [sp], #\pushed
	stp	\t0, \t1, [\base, #(\off)]
.endm

/* x0..x30 back from the array at \base + \off; \base (x0 or x1) last. */
.macro plat_load_all_gprs base, off
	plat_load_gprs \base, \off
	ldp	x0, x1, [\base, #(\off)]
.endm

/*
 * The exception return state of EL\el (2 or 3), ELR_ELn and SPSR_ELn,
 * to/from the slots at \base + \elr_off and \base + \spsr_off, through
 * \tmp.
 */
.macro plat_save_elr_spsr el, base, elr_off, spsr_off, tmp
	mrs	\tmp, elr_el\el
	str	\tmp, [\base, #(\elr_off)]
	mrs	\tmp, spsr_el\el
	str	\tmp, [\base, #(\spsr_off)]
.endm

.macro plat_load_elr_spsr el, base, elr_off, spsr_off, tmp
	ldr	\tmp, [\base, #(\elr_off)]
	msr	elr_el\el, \tmp
	ldr	\tmp, [\base, #(\spsr_off)]
	msr	spsr_el\el, \tmp
.endm

/*
 * The registers an AAPCS64 callee preserves, x19..x30, to/from the slots
 * at \base + \off (x19 first, slot k holds x(19 + k)).  \base must be none
 * of them.
 */
.macro plat_callee_saved_ op, base, off
	plat_gpr_pairs_ \op, \base, (\off) - 8 * 19, 19,20, 21,22, 23,24, 25,26, 27,28, 29,30
.endm

.macro plat_save_callee_saved base, off
	plat_callee_saved_ stp, \base, \off
.endm

.macro plat_load_callee_saved base, off
	plat_callee_saved_ ldp, \base, \off
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

/* x2..x18 and x29 (beside x18, at 144 + 8), x30 at 160: the frame's body. */
.macro plat_caller_saved_ pair, one
	plat_gpr_pairs_ \pair, sp, 0, 2,3, 4,5, 6,7, 8,9, 10,11, 12,13, 14,15, 16,17, 18,29
	\one	x30, [sp, #160]
.endm

.macro plat_push_caller_saved
	stp	x0, x1, [sp, #-PLAT_CALLER_SAVED_FRAME]!
	plat_caller_saved_ stp, str
.endm

.macro plat_pop_caller_saved
	plat_caller_saved_ ldp, ldr
	ldp	x0, x1, [sp], #PLAT_CALLER_SAVED_FRAME
.endm

#endif /* PLAT_PLAT_ASM_H */
