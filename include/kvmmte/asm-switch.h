/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * World-switch macros for a hypervisor's own entry.S.
 *
 *   #include <kvmmte/asm-switch.h>
 *
 *   kvmmte_switch_to_guest guest, host, tmp1, tmp2, mode [, key=value ...]
 *   kvmmte_switch_to_host  guest, host, tmp1, tmp2, mode [, key=value ...]
 *
 * Switch the MTE registers that must follow every guest entry and exit:
 * RGSR_EL1, GCR_EL1, TFSRE0_EL1 and, for an nVHE host whose kernel runs
 * at EL1, TFSR_EL1.  Under VHE the guest's TFSR_EL1 moves at vcpu
 * load/put: kvmmte_vcpu_load/put().  Why: docs/api.md, "Which register
 * moves when".
 *
 * Required arguments
 *   guest, host  X registers holding the guest's and the host's state
 *                (struct kvmmte_state, or any layout: see rgsr/gcr/tfsr).
 *                Not modified.
 *   tmp1, tmp2   X registers the macro may clobber.  No other register,
 *                and no flag except with gate=idreg (NZCV), is touched.
 *   mode         vhe | nvhe.  nvhe also switches TFSR_EL1.
 *
 * Optional arguments
 *   hcr=Xn       a register already holding HCR_EL2 (or the VM's intended
 *                value); saves the mrs.  Default: read HCR_EL2 into tmp1.
 *   gate=        per-CPU gates for CPUs without FEAT_MTE2, where none of
 *                the registers exist, and for CPUs with MTE2 but without
 *                FEAT_MTE_ASYNC (ID_AA64PFR1_EL1.MTE_frac 0xF), where
 *                TFSR_EL1, TFSR_EL12 and TFSRE0_EL1 do not exist (Arm ARM
 *                DDI 0487, their register descriptions: UNDEFINED
 *                otherwise); RGSR_EL1 and GCR_EL1 still move there:
 *                  patch (default)  kvmmte_init() rewrites the first gate
 *                        instruction into a branch over the switch on a CPU
 *                        without MTE2, and the first TFSR access into a
 *                        branch over the TFSR moves on a CPU without
 *                        MTE_ASYNC.  Unpatched text performs the whole
 *                        switch, so forgetting kvmmte_init() on an MTE CPU
 *                        can not leak state (fail closed).  Costs no
 *                        instruction.
 *                  idreg  reads ID_AA64PFR1_EL1 every time (3 instructions
 *                        before the switch, 2 more for the TFSR moves;
 *                        clobbers NZCV); works from read-only or
 *                        execute-in-place text, needs no init.
 *                  none   the caller guarantees FEAT_MTE2 and
 *                        FEAT_MTE_ASYNC (built for one SoC, or gated
 *                        already).
 *                Defining KVMMTE_CONFIG_DISABLE at compile time makes both
 *                macros expand to nothing.
 *   isb=0|1      emit an ISB after the switch.  Default: 0 to the guest,
 *                1 to a vhe host; required to an nvhe host (see Barriers):
 *                omitting it there is an assembly error, because the right
 *                value depends on what runs next.
 *   rgsr=, gcr=, tfsr=, tfsre0=
 *                byte offsets of the four fields from guest and host.
 *                Default: struct kvmmte_state; a layout of your own names
 *                all four (naming only some is an assembly error that says
 *                which is missing; so is an offset ldr/str can not encode).
 *                Best: KVMMTE_LAYOUT_ARGS(name) (below), which names all
 *                four from the offsets tool's checked KVMMTE_MTE_LAYOUT().
 *                With gcr == rgsr + 8 (and
 *                tfsre0 == tfsr + 8), the first 8-aligned and in [-512,
 *                504], a pair moves with one ldp/stp; any other layout (a
 *                KVM-style sys_regs[] array, say) uses ldr/str.
 *                Take them from a generated header (tools/kvmmte-offsets),
 *                never type them in.
 *
 * Per-VM gate: one tbz on HCR_EL2.ATA (bit 56).  A VM without MTE runs
 * with ATA clear, its accesses to these registers trap to EL2, and the
 * switch is skipped: no MTE register is read or written for it.
 *
 * Requirements: EL2 (or EL3 for firmware using the EL1 registers); the
 * guest's HCR_EL2 in force (or passed as hcr=).  Stack not used.
 *
 * Barriers:
 *   to guest  no ISB at the end: the ERET that enters the guest is a
 *             context synchronisation event, so the new values are in force
 *             for the guest's first instruction.  Pass isb=1 if anything
 *             between the macro and the ERET generates tags (IRG at EL2
 *             under VHE).  vhe only: DSB NSH + ISB before TFSRE0_EL1 is
 *             read, inside the switched path, so that the host kernel's
 *             pending asynchronous faults from unprivileged accesses are in
 *             the host's copy (an nVHE host came in through an exception
 *             entry, which with ITFSB did that already).
 *   to host   vhe: ISB by default, inside the switched path only: the host
 *             kernel runs next at EL2 without an exception return, and its
 *             IRG/ADDG/SUBG read GCR_EL1/RGSR_EL1 indirectly, so they must
 *             see the host's values (a direct MRS needs no barrier).  Pass
 *             isb=0 only if an ISB or exception return comes first.
 *             nvhe: isb=0 when the host is a kernel at EL1, reached by an
 *             ERET, a context synchronisation event; isb=1 when EL2 code
 *             that generates tags runs first (a type-1 hypervisor whose
 *             "host" is its own EL2 code, as examples/minihv).
 *   Both ERET arguments need SCTLR_EL2.EOS = 1 where FEAT_ExS is
 *   implemented (Arm ARM (DDI 0487), "Context synchronization event": with EOS
 *   0 an exception return from EL2 is not one); it is RES1 without ExS.
 *   Guest asynchronous tag-check faults must be in TFSR_EL1/TFSRE0_EL1
 *   before they are read: set SCTLR_EL2.ITFSB (kvmmte_sctlr_el2_bits()) so
 *   the exception entry to EL2 synchronises them.
 *
 * Live state: a run loop that handles an exit at EL2 and ERETs to the same
 * guest may skip both macros for it (0 MTE instructions per such exit), if
 * that EL2 code keeps DAIF masked and PSTATE.TCO set, generates no tags
 * (no IRG/ADDG/SUBG), writes no TFSR register, does not touch the vcpu's
 * saved state and leaves HCR_EL2.ATA alone; the full rules are in
 * docs/api.md, "Live state across fast-path exits".
 */
#ifndef KVMMTE_ASM_SWITCH_H
#define KVMMTE_ASM_SWITCH_H

#ifndef __ASSEMBLER__
#error "kvmmte/asm-switch.h is for assembly sources"
#endif

#include <kvmmte/sysreg.h>
#include <kvmmte/state.h>

/*
 * ID_AA64PFR1_EL1.MTE >= 2 <=> a bit of the field above its lowest is set:
 * the field's mask less its bit 0 (0xe00), one tst immediate.
 */
#define KVMMTE_PFR1_MTE2_TEST_MASK \
	(KVMMTE_PFR1_MTE_MASK & ~(1 << KVMMTE_PFR1_MTE_SHIFT))

/*
 * Record a patch site: the instruction at \site becomes "b \skip" when
 * kvmmte_init() finds the switch does not apply.  Two tables:
 * kvmmte_patch_sites (the gate; patched on a CPU without FEAT_MTE2) and
 * kvmmte_patch_sites_async (the first TFSR access; patched on a CPU
 * without FEAT_MTE_ASYNC, where the TFSR registers are UNDEFINED).
 * PC-relative entries keep the tables free of absolute relocations.
 * struct kvmmte_patch_site in <kvmmte/patch.h> matches.
 */
.macro kvmmte_record_patch_site_ site, skip, table=kvmmte_patch_sites
	.pushsection \table, "a"
	.balign 4
	.long	\site - .
	.long	\skip - .
	.popsection
.endm

/* Both gates; branches to \skip when the switch does not apply. */
.macro kvmmte_gate_ gate, hcr, tmp, skip
	.ifc \gate, idreg
	mrs	\tmp, KVMMTE_SYS(ID_AA64PFR1_EL1)
	tst	\tmp, #KVMMTE_PFR1_MTE2_TEST_MASK
	b.eq	\skip
	/* Z = FEAT_MTE_ASYNC, for kvmmte_async_gate_: nothing between sets flags. */
	tst	\tmp, #KVMMTE_PFR1_MTE_FRAC_MASK
	.else
	.ifnc \gate, patch
	.ifnc \gate, none
	.error "kvmmte: gate= must be patch, idreg or none"
	.endif
	.endif
	.endif
.Lkvmmte_gate_site\@:
	.ifb \hcr
	mrs	\tmp, KVMMTE_SYS(HCR_EL2)
	tbz	\tmp, #KVMMTE_HCR_EL2_ATA_SHIFT, \skip
	.else
	tbz	\hcr, #KVMMTE_HCR_EL2_ATA_SHIFT, \skip
	.endif
	.ifc \gate, patch
	kvmmte_record_patch_site_ .Lkvmmte_gate_site\@, \skip
	.endif
.endm

/*
 * The second gate, before the TFSR moves: FEAT_MTE_ASYNC
 * (ID_AA64PFR1_EL1.MTE_frac == 0).  gate=idreg: the first gate left Z set
 * iff MTE_frac is 0, and the RGSR/GCR moves in between (mrs, msr, ldr,
 * str, ldp, stp, tbz) do not touch NZCV: one b.ne here, one tst there.
 * gate=patch costs nothing here (the site is recorded by the caller);
 * gate=none assumes FEAT_MTE_ASYNC as well as FEAT_MTE2.
 */
.macro kvmmte_async_gate_ gate, skip
	.ifc \gate, idreg
	b.ne	\skip
	.endif
.endm

/* Move two fields; one ldp/stp when the layout allows it. */
.macro kvmmte_move_pair_ op, r1, r2, base, off1, off2, name1, name2
	.if ((\off2) == (\off1) + 8) && ((\off1) >= -512) && ((\off1) <= 504) && (((\off1) & 7) == 0)
	\op\()p	\r1, \r2, [\base, #(\off1)]
	.else
	kvmmte_move_one_ \op, \r1, \base, \off1, \name1
	kvmmte_move_one_ \op, \r2, \base, \off2, \name2
	.endif
.endm

/*
 * Move one field.  Its offset must be one ldr/str (or ldur/stur) can
 * encode: -256..255, or a multiple of 8 up to 32760.  Named in the error,
 * rather than left to the assembler's "immediate offset out of range".
 */
.macro kvmmte_move_one_ op, r, base, off, name
	.if ((\off) < -256) || ((\off) > 32760) || (((\off) > 255 || (\off) < 0) && ((\off) & 7))
	.error "kvmmte: \name= offset is not encodable in ldr/str (-256..255, or a multiple of 8 up to 32760)"
	.else
	\op\()r	\r, [\base, #(\off)]
	.endif
.endm

/*
 * Save two registers (sys1, sys2: generic names, KVMMTE_SYS(...)) to
 * \from's fields at off1/off2 and load them from \to's: one ldp/stp each
 * way where the layout allows it.
 */
.macro kvmmte_swap_pair_ sys1, sys2, tmp1, tmp2, from, to, off1, off2, name1, name2
	mrs	\tmp1, \sys1
	mrs	\tmp2, \sys2
	kvmmte_move_pair_ st, \tmp1, \tmp2, \from, \off1, \off2, \name1, \name2
	kvmmte_move_pair_ ld, \tmp1, \tmp2, \to, \off1, \off2, \name1, \name2
	msr	\sys1, \tmp1
	msr	\sys2, \tmp2
.endm

.macro kvmmte_check_mode_ mode
	.ifnc \mode, vhe
	.ifnc \mode, nvhe
	.error "kvmmte: mode must be vhe or nvhe"
	.endif
	.endif
.endm

/* A scratch register must not also carry an input. */
.macro kvmmte_check_distinct_ tmp, from, to, hcr
	.irp in, \from, \to, \hcr
	.ifc \tmp, \in
	.error "kvmmte: scratch register \tmp is also an input (guest, host or hcr)"
	.endif
	.endr
.endm

/*
 * Save the current (outgoing) world's registers to \from, load \to's.
 * Shared body of the two public macros.
 */
.macro kvmmte_switch_ from, to, tmp1, tmp2, mode, hcr, gate, isb, rgsr, gcr, tfsr, tfsre0, entry
	kvmmte_check_mode_ \mode
	kvmmte_check_distinct_ \tmp1, \from, \to, \hcr
	kvmmte_check_distinct_ \tmp2, \from, \to, \hcr
	.ifc \tmp1, \tmp2
	.error "kvmmte: tmp1 and tmp2 must be different registers"
	.endif
#ifndef KVMMTE_CONFIG_DISABLE
	kvmmte_gate_ \gate, \hcr, \tmp1, .Lkvmmte_skip\@
	kvmmte_swap_pair_ KVMMTE_SYS(RGSR_EL1), KVMMTE_SYS(GCR_EL1), \tmp1, \tmp2, \from, \to, \rgsr, \gcr, rgsr, gcr
	kvmmte_async_gate_ \gate, .Lkvmmte_async_skip\@
	/*
	 * The TFSR registers exist only with FEAT_MTE_ASYNC: gate=patch
	 * records the next instruction, which kvmmte_init() turns into a
	 * branch to .Lkvmmte_async_skip on a CPU without it.
	 */
.Lkvmmte_async_site\@:
	.ifc \mode, nvhe
	kvmmte_swap_pair_ KVMMTE_SYS(TFSR_EL1), KVMMTE_SYS(TFSRE0_EL1), \tmp1, \tmp2, \from, \to, \tfsr, \tfsre0, tfsr, tfsre0
	.else
	.if \entry
	/*
	 * VHE entry: the host's kernel ran at EL2 up to here with no exception
	 * entry to synchronise its unprivileged accesses' pending asynchronous
	 * tag-check faults; make them land in TFSRE0_EL1 before it is read.
	 */
	dsb	nsh
	isb
	.endif
	mrs	\tmp1, KVMMTE_SYS(TFSRE0_EL1)
	kvmmte_move_one_ st, \tmp1, \from, \tfsre0, tfsre0
	kvmmte_move_one_ ld, \tmp1, \to, \tfsre0, tfsre0
	msr	KVMMTE_SYS(TFSRE0_EL1), \tmp1
	.endif
.Lkvmmte_async_skip\@:
	.ifc \gate, patch
	kvmmte_record_patch_site_ .Lkvmmte_async_site\@, .Lkvmmte_async_skip\@, kvmmte_patch_sites_async
	.endif
	.if \isb
	isb
	.endif
.Lkvmmte_skip\@:
#endif
.endm

/*
 * The layout: all four of rgsr=, gcr=, tfsr=, tfsre0= (a layout of your
 * own: KVMMTE_LAYOUT_ARGS(name) names them from the offsets tool), or none
 * (struct kvmmte_state).  Any other subset is an error: a field left out
 * would silently move to and from struct kvmmte_state's offset in the
 * caller's context, overwriting whatever lives there.
 */
.macro kvmmte_layout_ from, to, tmp1, tmp2, mode, hcr, gate, isb, rgsr, gcr, tfsr, tfsre0, entry
	.ifb \rgsr\gcr\tfsr\tfsre0
	kvmmte_switch_ \from, \to, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, KVMMTE_STATE_RGSR_EL1, KVMMTE_STATE_GCR_EL1, KVMMTE_STATE_TFSR_EL1, KVMMTE_STATE_TFSRE0_EL1, \entry
	.else
	.ifb \rgsr
	.error "kvmmte: a layout of your own names all four offsets: rgsr= is missing"
	.endif
	.ifb \gcr
	.error "kvmmte: a layout of your own names all four offsets: gcr= is missing"
	.endif
	.ifb \tfsr
	.error "kvmmte: a layout of your own names all four offsets: tfsr= is missing"
	.endif
	.ifb \tfsre0
	.error "kvmmte: a layout of your own names all four offsets: tfsre0= is missing"
	.endif
	.ifnb \rgsr
	.ifnb \gcr
	.ifnb \tfsr
	.ifnb \tfsre0
	kvmmte_switch_ \from, \to, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, \tfsre0, \entry
	.endif
	.endif
	.endif
	.endif
	.endif
.endm

.macro kvmmte_switch_to_guest guest, host, tmp1, tmp2, mode, hcr=, gate=patch, isb=0, rgsr=, gcr=, tfsr=, tfsre0=
	kvmmte_layout_ \host, \guest, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, \tfsre0, 1
.endm

.macro kvmmte_switch_to_host guest, host, tmp1, tmp2, mode, hcr=, gate=patch, isb=, rgsr=, gcr=, tfsr=, tfsre0=
	.ifb \isb
	.ifc \mode, nvhe
	.error "kvmmte: kvmmte_switch_to_host with mode nvhe needs isb=0 (host kernel at EL1, entered by ERET) or isb=1 (EL2 code runs next)"
	.endif
	kvmmte_layout_ \guest, \host, \tmp1, \tmp2, \mode, \hcr, \gate, 1, \rgsr, \gcr, \tfsr, \tfsre0, 0
	.else
	kvmmte_layout_ \guest, \host, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, \tfsre0, 0
	.endif
.endm

/*
 * KVMMTE_LAYOUT_ARGS(name): the four layout arguments of a layout declared
 * with KVMMTE_MTE_LAYOUT(name, ...) in a declarations file of the offsets
 * tool (<kvmmte/offsets.h>), whose generated header the .S includes:
 *
 *	kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, KVMMTE_LAYOUT_ARGS(vcpu)
 *
 * The tool checks the four fields against the C type (8 bytes each, no two
 * overlapping), so a slot can not be named by a hand-typed number.
 */
#define KVMMTE_LAYOUT_ARGS(name)						\
	rgsr=KVMMTE_LAYOUT_##name##_RGSR_EL1, gcr=KVMMTE_LAYOUT_##name##_GCR_EL1, \
	tfsr=KVMMTE_LAYOUT_##name##_TFSR_EL1, tfsre0=KVMMTE_LAYOUT_##name##_TFSRE0_EL1

#endif /* KVMMTE_ASM_SWITCH_H */
