/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The sequences the world-switch benchmark counts.  Each function is one
 * guest round trip's MTE switch (entry, then exit) for
 *   x0 = guest state, x1 = host state (struct kvmmte_state), x2 = HCR_EL2;
 * bench_empty is the same call with nothing inside, subtracted from every
 * count.  Scratch: x3, x4.  Every function is written out here; each must be
 * its own function to be counted on its own.
 *
 * Baselines, reproduced from their descriptions (see docs/bench.md):
 *   (i)   the original patch (KVM MTE v12, 2021): an alternative-patched
 *         branch (NOP on an MTE CPU, "b skip" without MTE), mrs HCR_EL2 +
 *         and + cbz, then one mrs+str / ldr+msr per register; no ISB.
 *   (ii)  merged upstream: the same, but tbz on HCR_EL2.ATA and an ISB at
 *         the end of the exit switch.
 *   (iii) an eager design: all four EL1 MTE registers saved on every
 *         exception, the hypervisor's own RGSR/GCR loaded with an ISB; all
 *         four restored on entry.  Per-CPU alternative only, no per-VM gate.
 * The "_nomte" copies are the same code as an MTE-less CPU runs it after
 * the alternatives were applied: the per-CPU NOP became "b skip".
 */
#include <kvmmte/asm-switch.h>
#include "baseline-asm.h"

.macro bench_func name
	.section .text.\name, "ax", %progbits
	.globl	\name
	.type	\name, %function
	.balign	16
\name:
.endm

.macro bench_endfunc name
	ret
	.size	\name, . - \name
.endm

bench_func bench_empty
bench_endfunc bench_empty

/* libkvmmte: the macros with their defaults, and the variants. */
/*
 * \isb: the exit's barrier.  nvhe: 0, the host kernel is at EL1 and the
 * ERET to it synchronises (the macros require the choice); vhe: default.
 */
.macro ours name, mode, isb, key, val
bench_func bench_ours_\name
	.ifb \key
	kvmmte_switch_to_guest x0, x1, x3, x4, \mode
	kvmmte_switch_to_host x0, x1, x3, x4, \mode, isb=\isb
	.else
	kvmmte_switch_to_guest x0, x1, x3, x4, \mode, \key=\val
	kvmmte_switch_to_host x0, x1, x3, x4, \mode, isb=\isb, \key=\val
	.endif
bench_endfunc bench_ours_\name
.endm

ours nvhe, nvhe, 0
ours nvhe_hcr, nvhe, 0, hcr, x2
ours nvhe_idreg, nvhe, 0, gate, idreg
ours vhe, vhe, 1
ours vhe_hcr, vhe, 1, hcr, x2
ours vhe_idreg, vhe, 1, gate, idreg

/*
 * The out-of-line C-callable pair, called as a C entry path would: one bl
 * each (they preserve x0/x1).
 */
bench_func bench_ours_outofline_vhe
	stp	x29, x30, [sp, #-16]!
	bl	kvmmte_switch_to_guest_vhe
	bl	kvmmte_switch_to_host_vhe
	ldp	x29, x30, [sp], #16
bench_endfunc bench_ours_outofline_vhe

/* The same for an nVHE host (scenario g; its exit ISBs: asm/switch.S). */
bench_func bench_ours_outofline_nvhe
	stp	x29, x30, [sp, #-16]!
	bl	kvmmte_switch_to_guest_nvhe
	bl	kvmmte_switch_to_host_nvhe
	ldp	x29, x30, [sp], #16
bench_endfunc bench_ours_outofline_nvhe

/*
 * A deliberately broken copy of bench_ours_vhe, measured in its place only
 * when the command line says break=shared-store (tests/bench/run.sh): one
 * store to a global between entry and exit, as a shared per-VM counter or
 * a global "current vcpu" would be.  report.py's hot-path store check must
 * reject it: its base register holds an ADRP-made address, not a context.
 */
bench_func bench_ours_vhe_shared_store
	kvmmte_switch_to_guest x0, x1, x3, x4, vhe
	adrp	x3, bench_shared_line
	str	xzr, [x3, :lo12:bench_shared_line]
	kvmmte_switch_to_host x0, x1, x3, x4, vhe, isb=1
bench_endfunc bench_ours_vhe_shared_store

	.section .bss.bench_shared_line, "aw", %nobits
	.balign	64
bench_shared_line:
	.skip	64

.macro baselines alt, sfx
bench_func bench_base_i\sfx
	base_i_switch \alt, x1, x0, x3
	base_i_switch \alt, x0, x1, x3
bench_endfunc bench_base_i\sfx

bench_func bench_base_ii\sfx
	base_ii_switch \alt, x1, x0, x3, 0
	base_ii_switch \alt, x0, x1, x3, 1
bench_endfunc bench_base_ii\sfx

bench_func bench_base_iii\sfx
	base_iii_entry \alt, x0, x3, x4
	base_iii_exit \alt, x0, x1, x3, x4
bench_endfunc bench_base_iii\sfx

bench_func bench_base_iii_vhe\sfx
	base_iii_entry \alt, x0, x3, x4, KVMMTE_SYS(TFSR_EL12)
	base_iii_exit \alt, x0, x1, x3, x4, KVMMTE_SYS(TFSR_EL12)
bench_endfunc bench_base_iii_vhe\sfx
.endm

baselines nop,
baselines b, _nomte
