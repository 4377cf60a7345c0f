/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Test guest, EL1 (and a little EL0): entry point, exception vectors, the
 * trip to EL0 and back, the MTE register probes, hypercalls.  Built with
 * -march=armv8.5-a+memtag.
 */
#include "plat-asm.h"
#include "hv-abi.h"
#include "guest.h"

/* guest_start: x0 = struct guest_mem *, SP = SP_EL1 (set by the harness). */
plat_func guest_start
	bl	guest_main
	b	guest_crash
plat_endfunc guest_start

/* Never returns: the harness stops a guest that crashed. */
plat_func guest_crash
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	hvc	#HV_HVC_CRASH
	b	.
plat_endfunc guest_crash

plat_func guest_hvc_done
	hvc	#HV_HVC_DONE
	ret
plat_endfunc guest_hvc_done

/*
 * Synchronous exception at EL1 (or from EL0, not SVC): guest_sync_exception()
 * records or reports it.  AAPCS64 caller-saved registers are saved here,
 * the C handler preserves the rest.
 */
plat_func guest_sync_common
	plat_push_caller_saved
	bl	guest_sync_exception
	plat_pop_caller_saved
	eret
plat_endfunc guest_sync_common

/*
 * uint64_t guest_run_el0(void (*fn)(uint64_t), uint64_t arg, uint64_t sp_el0)
 * Runs fn(arg) at EL0 until it makes SVC, then returns here.  fn may use
 * x0-x3 only: nothing else is saved.
 */
plat_func guest_run_el0
	stp	x29, x30, [sp, #-16]!
	msr	elr_el1, x0
	msr	sp_el0, x2
	mov	x0, x1
	msr	spsr_el1, xzr		/* EL0t, PSTATE.TCO = 0: tag checks on */
	eret
.Lguest_el0_returned:			/* from the vector: SP as we left it */
	ldp	x29, x30, [sp], #16
	mov	x0, #0
	ret
plat_endfunc guest_run_el0

/* EL0: a store through the tagged pointer in x0, then back to EL1. */
plat_func guest_el0_store
	str	xzr, [x0]
	svc	#0
	b	.
plat_endfunc guest_el0_store

/*
 * void guest_probe_mte_sysregs(struct guest_probe p[GUEST_NR_PROBES])
 * One MSR or MRS to each MTE register; under a VM without MTE each must
 * UNDEF (the handler skips it).  For every probe: its PC and, for an MRS,
 * what the destination holds afterwards (the sentinel, if it UNDEFed).
 * The first five use the registers of the ESR values recorded from real
 * traps under QEMU 7.2, so the harness can compare against those literally.
 */
.macro probe n, insn, reg, sysreg
	mov	\reg, x9
	.ifc \insn, mrs
1:	mrs	\reg, \sysreg
	.else
1:	msr	\sysreg, \reg
	.endif
	adr	x10, 1b
	stp	x10, \reg, [x11, #(\n * 16)]
.endm

plat_func guest_probe_mte_sysregs
	mov	x11, x0
	ldr	x9, =GUEST_PROBE_SENTINEL
	probe	0, mrs, x2, gcr_el1
	probe	1, msr, x0, gcr_el1
	probe	2, mrs, x3, rgsr_el1
	probe	3, mrs, x5, tfsr_el1
	probe	4, mrs, x4, tfsre0_el1
	probe	5, msr, x6, rgsr_el1
	probe	6, msr, x7, tfsr_el1
	probe	7, msr, x8, tfsre0_el1
	probe	8, mrs, x12, gmid_el1
	ret
	.ltorg
plat_endfunc guest_probe_mte_sysregs

/* Vector table: unexpected exceptions are reported through guest_crash. */
.macro guest_vector target
	.balign	0x80
	b	\target
.endm

	.globl	guest_vectors
plat_vector_table guest_vectors
	guest_vector guest_crash		/* EL1t */
	guest_vector guest_crash
	guest_vector guest_crash
	guest_vector guest_crash
	guest_vector guest_sync_common		/* EL1h sync */
	guest_vector guest_crash
	guest_vector guest_crash
	guest_vector guest_crash
	.balign	0x80				/* EL0 AArch64 sync */
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	lsr	x0, x0, #HV_ESR_EC_SHIFT
	cmp	x0, #HV_EC_SVC64
	ldp	x0, x1, [sp], #16
	b.eq	.Lguest_el0_returned
	b	guest_sync_common
	guest_vector guest_crash
	guest_vector guest_crash
	guest_vector guest_crash
	guest_vector guest_crash		/* EL0 AArch32 */
	guest_vector guest_crash
	guest_vector guest_crash
	guest_vector guest_crash
