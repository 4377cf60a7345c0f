/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The harness hypervisor's guest entry and exit: where libkvmmte's switch
 * macros sit in a real hypervisor.
 *
 *   uint64_t hv_enter_<variant>(struct hv_ctxt *guest, struct hv_ctxt *host)
 *
 * saves the host's registers, switches MTE state to the guest, loads the
 * guest's registers and ERETs.  The guest's next exception to EL2 comes in
 * through hv_vectors, which saves the guest's registers and jumps to the
 * variant's exit tail: switch MTE state back to the host, restore the host's
 * registers, return the HV_EXIT_* code.
 *
 * One variant per combination we test (hv_entries[] in hv.c lists them):
 *
 *   variant       mode  gate   layout     hcr=
 *   nvhe_patch    nvhe  patch  state      passed
 *   vhe_patch     vhe   patch  state      passed
 *   nvhe_idreg    nvhe  idreg  state      passed
 *   vhe_idreg     vhe   idreg  state      passed
 *   nvhe_sysregs  nvhe  patch  sys_regs[] read by the macro
 *   vhe_sysregs   vhe   patch  sys_regs[] read by the macro
 *
 * and hv_enter_gprs, the same entry and exit without any MTE switch: the
 * core of the C-entry paths (nvhe_c, vhe_c in hv.c), which switch with
 * the library's out-of-line functions around it, from C.
 *
 * "passed" hands the macro the VM's intended HCR_EL2 from its context,
 * which keeps ATA set even where the CPU has no MTE and the register drops
 * it: there only the per-CPU gate stands between us and an UNDEF at EL2.
 *
 * Stack frame while a guest runs (SP_EL2):
 *   [sp, #0] guest context   [sp, #8] host context   [sp, #16] exit tail
 */
#include <kvmmte/asm-switch.h>
#include "plat-asm.h"
#include "hv-abi.h"
#include "hv-offsets.h"
#include "hv-asm.h"

#define FRAME_SIZE	32

/*
 * The MTE switch for one variant.  \dir: to_guest | to_host.  x0/x1 hold
 * the guest/host contexts, x4 the VM's HCR_EL2 (reloaded from the context
 * on exit).  Scratch: x2, x3, x6, x7.  \isb: 1 on exit in both modes,
 * because this harness's host is C code at EL2 that generates tags (a real
 * nVHE host, an EL1 kernel reached by ERET, would pass isb=0).
 */
.macro hv_mte_switch dir, mode, gate, layout, hcr, isb
	.ifc \layout, state
	add	x6, x0, #CTXT_MTE
	add	x7, x1, #CTXT_MTE
	.ifc \hcr, passed
	kvmmte_switch_\dir x6, x7, x2, x3, \mode, hcr=x4, gate=\gate, isb=\isb
	.else
	kvmmte_switch_\dir x6, x7, x2, x3, \mode, gate=\gate, isb=\isb
	.endif
	.else
	.ifc \hcr, passed
	kvmmte_switch_\dir x0, x1, x2, x3, \mode, hcr=x4, gate=\gate, isb=\isb, \
		KVMMTE_LAYOUT_ARGS(hv_sysregs)
	.else
	kvmmte_switch_\dir x0, x1, x2, x3, \mode, gate=\gate, isb=\isb, \
		KVMMTE_LAYOUT_ARGS(hv_sysregs)
	.endif
	.endif
.endm

.set	hv_patch_gates, 0

/* mode=caller: no MTE switch here, the C caller does it. */
.macro hv_define_entry name, mode, gate, layout, hcr
	.ifc \gate, patch
	.set	hv_patch_gates, hv_patch_gates + 2	/* to_guest, to_host */
	.endif
plat_func hv_enter_\name
	/* Host: everything a C caller expects preserved, x19-x30 among it. */
	plat_save_gprs x1, CTXT_X
	adr	x2, .Lexit_tail\@
	stp	x0, x1, [sp, #-FRAME_SIZE]!
	str	x2, [sp, #16]

	ldp	x2, x3, [x0, #CTXT_PC]		/* pc, pstate */
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldr	x4, [x0, #CTXT_HCR]
	msr	hcr_el2, x4			/* in force from the ERET on */

	.ifnc \mode, caller
	hv_mte_switch to_guest, \mode, \gate, \layout, \hcr, 0
	.endif

	plat_load_all_gprs x0, CTXT_X
	eret

.Lexit_tail\@:
	/* From hv_exit_common: x0 guest, x1 host, guest registers saved. */
	.ifnc \mode, caller
	ldr	x4, [x0, #CTXT_HCR]
	hv_mte_switch to_host, \mode, \gate, \layout, \hcr, 1
	.endif
	add	sp, sp, #FRAME_SIZE
	plat_load_gprs x1, CTXT_X
	ldr	x0, [x0, #CTXT_EXIT_CODE]
	ret
plat_endfunc hv_enter_\name
.endm

hv_define_entry nvhe_patch,   nvhe, patch, state,   passed
hv_define_entry vhe_patch,    vhe,  patch, state,   passed
hv_define_entry nvhe_idreg,   nvhe, idreg, state,   passed
hv_define_entry vhe_idreg,    vhe,  idreg, state,   passed
hv_define_entry nvhe_sysregs, nvhe, patch, sysregs, read
hv_define_entry vhe_sysregs,  vhe,  patch, sysregs, read
hv_define_entry gprs,         caller, none, none,   none

/*
 * For the per-CPU gate tests: how many patch sites the variants above made
 * (the out-of-line functions hv_enter_gprs' callers use add their own),
 * and the ID_AA64PFR1_EL1 mask gate=idreg tests (an asm-only constant).
 */
	.section .rodata.hv_gate_facts, "a"
	.balign	8
	.globl	hv_idreg_gate_mask
hv_idreg_gate_mask:
	.quad	KVMMTE_PFR1_MTE2_TEST_MASK
	/* and the one its second gate tests before the TFSR moves (Z: async) */
	.globl	hv_idreg_async_mask
hv_idreg_async_mask:
	.quad	KVMMTE_PFR1_MTE_FRAC_MASK
	.globl	hv_nr_patch_gates
hv_nr_patch_gates:
	.long	hv_patch_gates

/*
 * EL2 vector table.  Exceptions from EL2 itself are bugs: the platform
 * reports them (and plat_try() unwinds the test case).  Exceptions from
 * the guest leave through hv_exit_common.
 */
.macro hv_vector_exit code
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\code
	b	hv_exit_common
.endm

	.globl	hv_vectors
plat_vector_table hv_vectors
	plat_vector_current_el
	hv_vector_exit HV_EXIT_SYNC
	hv_vector_exit HV_EXIT_IRQ
	hv_vector_exit HV_EXIT_FIQ
	hv_vector_exit HV_EXIT_SERROR
	hv_vector_exit HV_EXIT_AARCH32
	hv_vector_exit HV_EXIT_AARCH32
	hv_vector_exit HV_EXIT_AARCH32
	hv_vector_exit HV_EXIT_AARCH32

/*
 * Guest x0/x1 at [sp], x1 = exit code, the entry frame above them.
 * PSTATE.TCO is 1 here (set by the exception entry): EL2 code does no
 * tag-checked access until its own ERET anyway.
 */
plat_func hv_exit_common
	ldr	x0, [sp, #16]			/* guest context */
	hv_save_exited_guest 16
	ldp	x1, x2, [sp, #8]		/* host context, exit tail */
	br	x2
plat_endfunc hv_exit_common

/*
 * The macros' barriers, never executed: each probe is one switch with its
 * defaults and gate=none (no patch site), followed by an end label; an
 * nVHE exit has no default (tests/macros checks that omitting isb= is an
 * error), so its probe says isb=0, the value for an EL1 host kernel.
 * case-tags.c checks the instruction before each end label.
 */
.macro hv_default_probe name, dir, mode, isb
plat_func hv_probe_\name
	.ifb \isb
	kvmmte_switch_\dir x0, x1, x2, x3, \mode, gate=none
	.else
	kvmmte_switch_\dir x0, x1, x2, x3, \mode, gate=none, isb=\isb
	.endif
	.globl	hv_probe_\name\()_end
hv_probe_\name\()_end:
	ret
plat_endfunc hv_probe_\name
.endm

hv_default_probe to_guest_nvhe, to_guest, nvhe
hv_default_probe to_host_nvhe, to_host, nvhe, 0
hv_default_probe to_guest_vhe, to_guest, vhe
hv_default_probe to_host_vhe, to_host, vhe
