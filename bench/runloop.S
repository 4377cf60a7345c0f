/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Scenario (f): a run loop whose guest exits are handled at EL2 without
 * returning to the host.
 *
 *   void bench_loop_<variant>(uint64_t hcr, uint64_t n, uint64_t guest_pc);
 *
 * Enters bench_loop_guest at EL1 (x0 = n) with HCR_EL2 = hcr.  The guest
 * issues n "hvc #0" (fast path: handled here, ERET straight back), then one
 * "hvc #1" (slow path: back to the C caller, as an exit to the host would).
 * The guest's and the host's MTE state are bench_loop_states[0] and [1].
 *
 * Variants, identical but for where the MTE switch sits:
 *   none            no MTE switch at all (the reference)
 *   live_nvhe/_vhe  libkvmmte in live-state mode: to_guest once on entry,
 *                   to_host only on the slow path; fast-path exits touch
 *                   no MTE register (docs/api.md, "Live state")
 *   exit_nvhe/_vhe  libkvmmte switching on every exit and re-entry, as a
 *                   KVM-style __guest_exit/__guest_enter does
 *   base_i/_ii/_iii the baselines' sequences (switch-seqs.S), every exit
 *                   (_iii_vhe: the same with TFSR_EL12 for the guest's TFSR)
 *
 * Fast path: the vector slot branches to the handler, which keeps x0-x3 of
 * the guest on SP_EL2, decodes ESR_EL2 (EC 0x16 = HVC64, imm16 0) and
 * ERETs.  Nothing here is a C structure: the saved host registers live in
 * bench_loop_saved, indexed in this file only.
 */
#include <kvmmte/asm-switch.h>
#include "plat-asm.h"
#include "baseline-asm.h"

#define ESR_EC_SHIFT	26
#define ESR_EC_HVC64	0x16
#define ESR_IMM16_MASK	0xffff
#define SPSR_EL1H_DAIF	0x3c5		/* EL1h, D, A, I, F masked */

	.section .bss.bench_loop, "aw", %nobits
	.balign	16
	.globl	bench_loop_states
bench_loop_states:			/* guest, host: struct kvmmte_state * */
	.space	16
bench_loop_saved:			/* x19-x30, sp, vbar_el2 */
	.space	14 * 8

/* Fetch both state pointers into \g, \h. */
.macro loop_states g, h
	plat_adr_l \g, bench_loop_states
	ldp	\g, \h, [\g]
.endm

/*
 * The MTE switch of \impl (none, ours, base_i, base_ii, base_iii) for an
 * \mode host in direction \dir (to_guest | to_host).  ours: isb=0 both ways
 * under nvhe (the slow path below ends with its own ISB), the defaults
 * under vhe.  base_iii reaches the guest's TFSR_EL1 as TFSR_EL12 under vhe.
 */
.macro loop_switch impl, mode, dir, g, h, t1, t2
	.ifc \impl, ours
	.ifc \mode, nvhe
	kvmmte_switch_\dir \g, \h, \t1, \t2, nvhe, isb=0
	.else
	kvmmte_switch_\dir \g, \h, \t1, \t2, vhe
	.endif
	.endif
	.ifc \impl, base_i
	.ifc \dir, to_guest
	base_i_switch nop, \h, \g, \t1
	.else
	base_i_switch nop, \g, \h, \t1
	.endif
	.endif
	.ifc \impl, base_ii
	.ifc \dir, to_guest
	base_ii_switch nop, \h, \g, \t1, 0
	.else
	base_ii_switch nop, \g, \h, \t1, 1
	.endif
	.endif
	.ifc \impl, base_iii
	.ifc \mode, vhe
	loop_base_iii \dir, \g, \h, \t1, \t2, KVMMTE_SYS(TFSR_EL12)
	.else
	loop_base_iii \dir, \g, \h, \t1, \t2, KVMMTE_SYS(TFSR_EL1)
	.endif
	.endif
.endm

.macro loop_base_iii dir, g, h, t1, t2, tfsr
	.ifc \dir, to_guest
	base_iii_entry nop, \g, \t1, \t2, \tfsr
	.else
	base_iii_exit nop, \g, \h, \t1, \t2, \tfsr
	.endif
.endm

/* The caller's x19-x30 to or from bench_loop_saved (\op: stp | ldp). */
.macro loop_callee_saved op, base
	\op	x19, x20, [\base, #0]
	\op	x21, x22, [\base, #16]
	\op	x23, x24, [\base, #32]
	\op	x25, x26, [\base, #48]
	\op	x27, x28, [\base, #64]
	\op	x29, x30, [\base, #80]
.endm

/*
 * bench_loop_\variant for \impl on an \mode host; \when: live (switch on
 * entry and on the slow path only) or exit (on every exit and re-entry).
 */
.macro loop_variant variant, impl, mode, when
plat_func bench_loop_\variant
	plat_adr_l x9, bench_loop_saved
	loop_callee_saved stp, x9
	mov	x10, sp
	mrs	x11, vbar_el2
	stp	x10, x11, [x9, #96]
	plat_adr_l x10, bench_loop_vectors_\variant
	msr	vbar_el2, x10
	msr	hcr_el2, x0
	msr	elr_el2, x2
	mov	x10, #SPSR_EL1H_DAIF
	msr	spsr_el2, x10
	isb
	mov	x19, x1
	loop_states x5, x6
	loop_switch \impl, \mode, to_guest, x5, x6, x3, x4
	mov	x0, x19
	eret
plat_endfunc bench_loop_\variant

plat_vector_table bench_loop_vectors_\variant
	plat_vector_current_el
	.balign	0x80
	b	bench_loop_sync_\variant	/* lower EL, AArch64, synchronous */
	.rept	3
	.balign	0x80
	b	.
	.endr
	.rept	4
	.balign	0x80
	b	.
	.endr

plat_func bench_loop_sync_\variant
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	.ifc \when, exit
	loop_states x0, x1
	loop_switch \impl, \mode, to_host, x0, x1, x2, x3
	.endif
	mrs	x2, esr_el2
	lsr	x3, x2, #ESR_EC_SHIFT
	cmp	x3, #ESR_EC_HVC64
	b.ne	.Lslow\@
	tst	x2, #ESR_IMM16_MASK
	b.ne	.Lslow\@
	.ifc \when, exit
	loop_switch \impl, \mode, to_guest, x0, x1, x2, x3
	.endif
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
	eret
.Lslow\@:
	.ifc \when, live
	loop_states x0, x1
	loop_switch \impl, \mode, to_host, x0, x1, x2, x3
	.endif
	plat_adr_l x9, bench_loop_saved
	ldp	x10, x11, [x9, #96]
	mov	sp, x10
	msr	vbar_el2, x11
	loop_callee_saved ldp, x9
	isb
	ret
plat_endfunc bench_loop_sync_\variant
.endm

loop_variant none, none, nvhe, live
loop_variant live_nvhe, ours, nvhe, live
loop_variant live_vhe, ours, vhe, live
loop_variant exit_nvhe, ours, nvhe, exit
loop_variant exit_vhe, ours, vhe, exit
loop_variant base_i, base_i, nvhe, exit
loop_variant base_ii, base_ii, nvhe, exit
loop_variant base_iii, base_iii, nvhe, exit
loop_variant base_iii_vhe, base_iii, vhe, exit

/* The guest, at EL1 with the MMU off: x0 fast-path exits, then the slow one. */
plat_func bench_loop_guest
	cbz	x0, 2f
1:	hvc	#0
	subs	x0, x0, #1
	b.ne	1b
2:	hvc	#1
	b	2b
plat_endfunc bench_loop_guest
