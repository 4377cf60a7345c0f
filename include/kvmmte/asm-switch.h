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
 * RGSR_EL1 and GCR_EL1 (no EL2 copies exist; the host uses them too),
 * TFSRE0_EL1 (the host's EL0 faults, and its kernel's unprivileged
 * LDTR/STTR accesses to user memory made with PSTATE.UAO 0, land there
 * while the host runs) and,
 * for an nVHE host whose kernel runs at EL1, TFSR_EL1.  Under VHE the
 * guest's TFSR_EL1 moves at vcpu load/put: kvmmte_vcpu_load/put().
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
 *   gate=        per-CPU gate for CPUs without FEAT_MTE2, where the
 *                registers do not exist:
 *                  patch (default)  kvmmte_init() rewrites the first gate
 *                        instruction into a branch over the switch on a CPU
 *                        without MTE2.  Unpatched text performs the switch,
 *                        so forgetting kvmmte_init() on an MTE CPU can not
 *                        leak state (fail closed).  Costs no instruction.
 *                  idreg  reads ID_AA64PFR1_EL1 every time (3 instructions,
 *                        clobbers NZCV); works from read-only or
 *                        execute-in-place text, needs no init.
 *                  none   the caller guarantees MTE2 (built for one SoC, or
 *                        gated already).
 *                Defining KVMMTE_CONFIG_DISABLE at compile time makes both
 *                macros expand to nothing.
 *   isb=0|1      emit an ISB after the switch.  Default: 0 to the guest,
 *                1 to a vhe host; required to an nvhe host (see Barriers):
 *                omitting it there is an assembly error, because the right
 *                value depends on what runs next.
 *   rgsr=, gcr=, tfsr=, tfsre0=
 *                byte offsets of the four fields from guest and host.
 *                Default: struct kvmmte_state; a layout of your own names
 *                all four (assembly error if tfsre0= is left out).  With gcr == rgsr + 8 (and
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
 * Record a patch site: the gate instruction at \site becomes "b \skip" on
 * a CPU without MTE2.  PC-relative entries keep the table free of absolute
 * relocations.  struct kvmmte_patch_site in <kvmmte/cpu.h> matches.
 */
.macro kvmmte_record_patch_site_ site, skip
	.pushsection kvmmte_patch_sites, "a"
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

/* Move two fields; one ldp/stp when the layout allows it. */
.macro kvmmte_move_pair_ op, r1, r2, base, off1, off2
	.if ((\off2) == (\off1) + 8) && ((\off1) >= -512) && ((\off1) <= 504) && (((\off1) & 7) == 0)
	\op\()p	\r1, \r2, [\base, #(\off1)]
	.else
	\op\()r	\r1, [\base, #(\off1)]
	\op\()r	\r2, [\base, #(\off2)]
	.endif
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
	mrs	\tmp1, KVMMTE_SYS(RGSR_EL1)
	mrs	\tmp2, KVMMTE_SYS(GCR_EL1)
	kvmmte_move_pair_ st, \tmp1, \tmp2, \from, \rgsr, \gcr
	kvmmte_move_pair_ ld, \tmp1, \tmp2, \to, \rgsr, \gcr
	msr	KVMMTE_SYS(RGSR_EL1), \tmp1
	msr	KVMMTE_SYS(GCR_EL1), \tmp2
	.ifc \mode, nvhe
	mrs	\tmp1, KVMMTE_SYS(TFSR_EL1)
	mrs	\tmp2, KVMMTE_SYS(TFSRE0_EL1)
	kvmmte_move_pair_ st, \tmp1, \tmp2, \from, \tfsr, \tfsre0
	kvmmte_move_pair_ ld, \tmp1, \tmp2, \to, \tfsr, \tfsre0
	msr	KVMMTE_SYS(TFSR_EL1), \tmp1
	msr	KVMMTE_SYS(TFSRE0_EL1), \tmp2
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
	str	\tmp1, [\from, #(\tfsre0)]
	ldr	\tmp1, [\to, #(\tfsre0)]
	msr	KVMMTE_SYS(TFSRE0_EL1), \tmp1
	.endif
	.if \isb
	isb
	.endif
.Lkvmmte_skip\@:
#endif
.endm

/*
 * tfsre0= may be left out only with the default layout: a caller that
 * names rgsr=, gcr= or tfsr= for a layout of its own must name tfsre0= too,
 * or its TFSRE0_EL1 would move to and from byte 24 of its context.
 */
.macro kvmmte_layout_ from, to, tmp1, tmp2, mode, hcr, gate, isb, rgsr, gcr, tfsr, tfsre0, entry
	.ifb \tfsre0
	.if ((\rgsr) != KVMMTE_STATE_RGSR_EL1) || ((\gcr) != KVMMTE_STATE_GCR_EL1) || ((\tfsr) != KVMMTE_STATE_TFSR_EL1)
	.error "kvmmte: a layout of your own (rgsr=, gcr=, tfsr=) needs tfsre0= too"
	.endif
	kvmmte_switch_ \from, \to, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, KVMMTE_STATE_TFSRE0_EL1, \entry
	.else
	kvmmte_switch_ \from, \to, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, \tfsre0, \entry
	.endif
.endm

.macro kvmmte_switch_to_guest guest, host, tmp1, tmp2, mode, hcr=, gate=patch, isb=0, rgsr=KVMMTE_STATE_RGSR_EL1, gcr=KVMMTE_STATE_GCR_EL1, tfsr=KVMMTE_STATE_TFSR_EL1, tfsre0=
	kvmmte_layout_ \host, \guest, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, \tfsre0, 1
.endm

.macro kvmmte_switch_to_host guest, host, tmp1, tmp2, mode, hcr=, gate=patch, isb=, rgsr=KVMMTE_STATE_RGSR_EL1, gcr=KVMMTE_STATE_GCR_EL1, tfsr=KVMMTE_STATE_TFSR_EL1, tfsre0=
	.ifb \isb
	.ifc \mode, nvhe
	.error "kvmmte: kvmmte_switch_to_host with mode nvhe needs isb=0 (host kernel at EL1, entered by ERET) or isb=1 (EL2 code runs next)"
	.endif
	kvmmte_layout_ \guest, \host, \tmp1, \tmp2, \mode, \hcr, \gate, 1, \rgsr, \gcr, \tfsr, \tfsre0, 0
	.else
	kvmmte_layout_ \guest, \host, \tmp1, \tmp2, \mode, \hcr, \gate, \isb, \rgsr, \gcr, \tfsr, \tfsre0, 0
	.endif
.endm

#endif /* KVMMTE_ASM_SWITCH_H */
