/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The sequences the world-switch benchmark counts.  Each function is one
 * guest round trip's MTE switch (entry then exit) for x0 = guest state,
 * x1 = host state, x2 = HCR_EL2 value; bench_empty is the same call with
 * nothing inside, subtracted from every count.
 *
 * The baseline is the sequence of the original KVM patch (see
 * ../shared/seed/): an alternative-patched branch (a NOP on an MTE CPU),
 * mrs HCR_EL2 + and + cbz, then single ldr/str/mrs/msr per register, no
 * ISB in the macro.  bench_baseline_isb adds the ISB merged Linux has at the
 * end of the exit switch, so it compares with our default to_host.
 */
#include <kvmmte/asm-switch.h>

/* The original patch's macro body, for both directions (from -> to). */
.macro baseline_switch from, to, reg1
	nop					/* alternative_if_not ARM64_MTE: b skip */
	mrs	\reg1, KVMMTE_SYS(HCR_EL2)
	and	\reg1, \reg1, #KVMMTE_HCR_EL2_ATA
	cbz	\reg1, .Lbaseline_skip\@
	mrs	\reg1, KVMMTE_SYS(RGSR_EL1)
	str	\reg1, [\from, #KVMMTE_STATE_RGSR_EL1]
	mrs	\reg1, KVMMTE_SYS(GCR_EL1)
	str	\reg1, [\from, #KVMMTE_STATE_GCR_EL1]
	ldr	\reg1, [\to, #KVMMTE_STATE_RGSR_EL1]
	msr	KVMMTE_SYS(RGSR_EL1), \reg1
	ldr	\reg1, [\to, #KVMMTE_STATE_GCR_EL1]
	msr	KVMMTE_SYS(GCR_EL1), \reg1
.Lbaseline_skip\@:
.endm

.macro bench_func name
	.section .text.\name, "ax", %progbits
	.globl	\name
	.type	\name, %function
	.balign	16
\name:
.endm

bench_func bench_empty
	ret

bench_func bench_ours_vhe
	kvmmte_switch_to_guest x0, x1, x3, x4, vhe
	kvmmte_switch_to_host x0, x1, x3, x4, vhe
	ret

bench_func bench_ours_vhe_noisb
	kvmmte_switch_to_guest x0, x1, x3, x4, vhe
	kvmmte_switch_to_host x0, x1, x3, x4, vhe, isb=0
	ret

bench_func bench_ours_vhe_hcr
	kvmmte_switch_to_guest x0, x1, x3, x4, vhe, hcr=x2
	kvmmte_switch_to_host x0, x1, x3, x4, vhe, hcr=x2
	ret

bench_func bench_ours_vhe_idreg
	kvmmte_switch_to_guest x0, x1, x3, x4, vhe, gate=idreg
	kvmmte_switch_to_host x0, x1, x3, x4, vhe, gate=idreg
	ret

bench_func bench_ours_nvhe
	kvmmte_switch_to_guest x0, x1, x3, x4, nvhe
	kvmmte_switch_to_host x0, x1, x3, x4, nvhe
	ret

bench_func bench_ours_nvhe_hcr
	kvmmte_switch_to_guest x0, x1, x3, x4, nvhe, hcr=x2
	kvmmte_switch_to_host x0, x1, x3, x4, nvhe, hcr=x2
	ret

bench_func bench_baseline
	baseline_switch x1, x0, x3
	baseline_switch x0, x1, x3
	ret

bench_func bench_baseline_isb
	baseline_switch x1, x0, x3
	baseline_switch x0, x1, x3
	isb
	ret

/*
 * The out-of-line functions, called the way a C entry path would: one bl
 * each (the caller's x0/x1 are preserved by them).
 */
bench_func bench_ours_outofline_vhe
	stp	x29, x30, [sp, #-16]!
	bl	kvmmte_switch_to_guest_vhe
	bl	kvmmte_switch_to_host_vhe
	ldp	x29, x30, [sp], #16
	ret
