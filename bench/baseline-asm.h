/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The baselines' switch sequences as assembler macros (.S files only),
 * shared by the round-trip sequences (switch-seqs.S) and the run loop
 * (runloop.S).  What each baseline is: switch-seqs.S and docs/bench.md.
 * Operands are struct kvmmte_state pointers; \alt is "nop" for an MTE CPU
 * or "b" for the applied alternative on a CPU without MTE.
 */
#ifndef KVMMTE_BENCH_BASELINE_ASM_H
#define KVMMTE_BENCH_BASELINE_ASM_H

#include <kvmmte/sysreg.h>
#include <kvmmte/state.h>

/* \alt: nop (MTE CPU) or b (alternative applied on a CPU without MTE). */
.macro alt_skip alt, skip
	.ifc \alt, b
	b	\skip
	.else
	nop
	.endif
.endm

/* (i) and (ii): RGSR then GCR out of the CPU into \from, \to's in, one by one. */
.macro base_move_one_by_one from, to, reg1
	mrs	\reg1, KVMMTE_SYS(RGSR_EL1)
	str	\reg1, [\from, #KVMMTE_STATE_RGSR_EL1]
	mrs	\reg1, KVMMTE_SYS(GCR_EL1)
	str	\reg1, [\from, #KVMMTE_STATE_GCR_EL1]
	ldr	\reg1, [\to, #KVMMTE_STATE_RGSR_EL1]
	msr	KVMMTE_SYS(RGSR_EL1), \reg1
	ldr	\reg1, [\to, #KVMMTE_STATE_GCR_EL1]
	msr	KVMMTE_SYS(GCR_EL1), \reg1
.endm

/* (i): the original patch's macro body, from -> to. */
.macro base_i_switch alt, from, to, reg1
	alt_skip \alt, .Lbase_i_skip\@
	mrs	\reg1, KVMMTE_SYS(HCR_EL2)
	and	\reg1, \reg1, #KVMMTE_HCR_EL2_ATA
	cbz	\reg1, .Lbase_i_skip\@
	base_move_one_by_one \from, \to, \reg1
.Lbase_i_skip\@:
.endm

/* (ii): merged upstream, tbz gate; \isb on the way to the host. */
.macro base_ii_switch alt, from, to, reg1, isb
	alt_skip \alt, .Lbase_ii_skip\@
	mrs	\reg1, KVMMTE_SYS(HCR_EL2)
	tbz	\reg1, #KVMMTE_HCR_EL2_ATA_SHIFT, .Lbase_ii_skip\@
	base_move_one_by_one \from, \to, \reg1
	.if \isb
	isb
	.endif
.Lbase_ii_skip\@:
.endm

/*
 * (iii) exit: save the guest's four, load the hypervisor's RGSR/GCR, ISB.
 * \tfsr: the guest's TFSR_EL1 as EL2 names it, TFSR_EL1 (E2H 0) or
 * TFSR_EL12 (E2H 1).
 */
.macro base_iii_exit alt, guest, hyp, r1, r2, tfsr=KVMMTE_SYS(TFSR_EL1)
	alt_skip \alt, .Lbase_iii_skip\@
	mrs	\r1, KVMMTE_SYS(RGSR_EL1)
	mrs	\r2, KVMMTE_SYS(GCR_EL1)
	stp	\r1, \r2, [\guest, #KVMMTE_STATE_RGSR_EL1]
	mrs	\r1, \tfsr
	mrs	\r2, KVMMTE_SYS(TFSRE0_EL1)
	stp	\r1, \r2, [\guest, #KVMMTE_STATE_TFSR_EL1]
	ldp	\r1, \r2, [\hyp, #KVMMTE_STATE_RGSR_EL1]
	msr	KVMMTE_SYS(RGSR_EL1), \r1
	msr	KVMMTE_SYS(GCR_EL1), \r2
	isb
.Lbase_iii_skip\@:
.endm

/* (iii) entry: the guest's four back. */
.macro base_iii_entry alt, guest, r1, r2, tfsr=KVMMTE_SYS(TFSR_EL1)
	alt_skip \alt, .Lbase_iii_skip\@
	ldp	\r1, \r2, [\guest, #KVMMTE_STATE_RGSR_EL1]
	msr	KVMMTE_SYS(RGSR_EL1), \r1
	msr	KVMMTE_SYS(GCR_EL1), \r2
	ldp	\r1, \r2, [\guest, #KVMMTE_STATE_TFSR_EL1]
	msr	\tfsr, \r1
	msr	KVMMTE_SYS(TFSRE0_EL1), \r2
.Lbase_iii_skip\@:
.endm

#endif /* KVMMTE_BENCH_BASELINE_ASM_H */
