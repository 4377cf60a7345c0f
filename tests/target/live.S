/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A live-state run loop (case-live.c): the guest's RGSR_EL1/GCR_EL1 (and
 * TFSR_EL1 under nVHE) stay in the registers across exits that EL2 answers
 * itself; only an exit to the host switches them back.
 *
 *   uint64_t hv_live_run_<mode>(struct hv_ctxt *guest, struct hv_ctxt *host,
 *                               uint64_t *fast_exits)
 *
 * saves the host's registers and VBAR_EL2/HCR_EL2, installs this file's
 * vectors for <mode>, kvmmte_switch_to_guest once, ERETs to the guest.
 * Then, in the lower-EL synchronous vector:
 *
 *   fast path  HVC #HV_HVC_LIVE_FAST: ++*fast_exits, ERET to the same guest.
 *              x0/x1 borrowed on SP_EL2, nothing else touched: no MTE
 *              register, no tag generation, no struct kvmmte_state, HCR_EL2
 *              as it was, interrupts masked (exception entry).
 *   slow path  anything else (the guest's HVC #HV_HVC_DONE, an interrupt,
 *              ...): save the guest's registers, ESR/FAR/ELR/SPSR and the
 *              exit code in its hv_ctxt, kvmmte_switch_to_host, put
 *              VBAR_EL2/HCR_EL2 back, return the HV_EXIT_* code.
 *
 * The switch's gate is idreg, which records no patch site: gate=patch
 * would add sites that case-tags.c and case-gates.c count against entry.S's
 * (hv_nr_patch_gates), and this file is no entry path of hv_entries[].
 */
#include <kvmmte/asm-switch.h>
#include "plat-asm.h"
#include "hv-abi.h"
#include "hv-offsets.h"
#include "hv-asm.h"

/*
 * Stack frame while the guest runs (SP_EL2): this file's own layout, no C
 * struct.  The fast path pushes the guest's x0/x1 below it.
 */
#define LIVE_FRAME_GUEST	0	/* host follows: one ldp */
#define LIVE_FRAME_HOST		8
#define LIVE_FRAME_COUNTER	16	/* uint64_t *fast_exits */
#define LIVE_FRAME_VBAR		24	/* the caller's VBAR_EL2; HCR_EL2 follows */
#define LIVE_FRAME_HCR		32
#define LIVE_FRAME_SIZE		48	/* SP stays 16-byte aligned */
#define LIVE_PUSHED		16	/* the guest's x0/x1, on the fast path and into the slow one */

/*
 * The MTE switch between the guest's and host's hv_ctxt (x0, x1): struct
 * kvmmte_state at CTXT_MTE, so the macros' default offsets apply.  x4 holds
 * the guest's HCR_EL2 (the per-VM gate); x2, x3, x6, x7 are scratch.
 */
.macro live_mte_switch dir, mode, isb
	add	x6, x0, #CTXT_MTE
	add	x7, x1, #CTXT_MTE
	kvmmte_switch_\dir x6, x7, x2, x3, \mode, hcr=x4, gate=idreg, isb=\isb
.endm

/* A lower-EL vector slot that always leaves for the host. */
.macro live_vector_slow mode, code
	.balign	0x80
	stp	x0, x1, [sp, #-LIVE_PUSHED]!
	mov	x1, #\code
	b	.Llive_exit_\mode
.endm

.macro live_define mode
plat_func hv_live_run_\mode
	/* Host: everything a C caller expects preserved, x19-x30 among it. */
	plat_save_gprs x1, CTXT_X
	mrs	x3, vbar_el2
	mrs	x4, hcr_el2
	stp	x0, x1, [sp, #-LIVE_FRAME_SIZE]!
	stp	x2, x3, [sp, #LIVE_FRAME_COUNTER]	/* fast_exits, VBAR_EL2 */
	str	x4, [sp, #LIVE_FRAME_HCR]

	plat_adr_l x2, live_vectors_\mode
	msr	vbar_el2, x2			/* the ERET synchronises it */
	ldp	x2, x3, [x0, #CTXT_PC]		/* pc, pstate */
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldr	x4, [x0, #CTXT_HCR]
	msr	hcr_el2, x4

	/* Once per entry from the host: the guest's values go live here. */
	live_mte_switch to_guest, \mode, 0

	plat_load_all_gprs x0, CTXT_X
	eret

.Llive_exit_\mode:
	/* Guest x0/x1 pushed, x1 = HV_EXIT_* code, the frame above them. */
	ldr	x0, [sp, #LIVE_PUSHED + LIVE_FRAME_GUEST]
	hv_save_exited_guest LIVE_PUSHED
	ldr	x1, [sp, #LIVE_FRAME_HOST]

	/*
	 * Back to the host: whatever the guest left in the registers is saved
	 * now, after all its fast-path exits.  isb=1 in both modes: the host
	 * is C at EL2 and generates tags (tt_el2_irg) without an ERET first.
	 */
	ldr	x4, [x0, #CTXT_HCR]
	live_mte_switch to_host, \mode, 1

	ldp	x2, x3, [sp, #LIVE_FRAME_VBAR]
	msr	vbar_el2, x2
	msr	hcr_el2, x3
	isb			/* the harness's vectors and HCR_EL2 before C runs */
	add	sp, sp, #LIVE_FRAME_SIZE
	plat_load_gprs x1, CTXT_X
	ldr	x0, [x0, #CTXT_EXIT_CODE]
	ret
plat_endfunc hv_live_run_\mode

/*
 * This mode's EL2 vectors (Arm ARM D1.10.2): exceptions from EL2 itself
 * go to the platform's reporter (plat_try() unwinds the case); from the
 * guest, the lower-EL AArch64 synchronous slot holds the fast path.
 */
plat_vector_table live_vectors_\mode
	plat_vector_current_el

	.balign	0x80			/* lower EL, AArch64, synchronous */
	stp	x0, x1, [sp, #-LIVE_PUSHED]!
	mrs	x0, esr_el2
	ubfx	x1, x0, #HV_ESR_EC_SHIFT, #6
	cmp	x1, #HV_EC_HVC64
	b.ne	.Llive_slow_sync_\mode
	and	x0, x0, #0xffff			/* ISS.imm16 */
	cmp	x0, #HV_HVC_LIVE_FAST
	b.ne	.Llive_slow_sync_\mode
	/* Fast path: handled here, the same guest resumes with its state live. */
	ldr	x0, [sp, #LIVE_PUSHED + LIVE_FRAME_COUNTER]
	ldr	x1, [x0]
	add	x1, x1, #1
	str	x1, [x0]
	ldp	x0, x1, [sp], #LIVE_PUSHED
	eret				/* ELR_EL2: the instruction after the HVC */
.Llive_slow_sync_\mode:
	mov	x1, #HV_EXIT_SYNC
	b	.Llive_exit_\mode

	live_vector_slow \mode, HV_EXIT_IRQ
	live_vector_slow \mode, HV_EXIT_FIQ
	live_vector_slow \mode, HV_EXIT_SERROR
	live_vector_slow \mode, HV_EXIT_AARCH32
	live_vector_slow \mode, HV_EXIT_AARCH32
	live_vector_slow \mode, HV_EXIT_AARCH32
	live_vector_slow \mode, HV_EXIT_AARCH32
.endm

live_define nvhe
live_define vhe

/*
 * The guest, at EL1 with its MMU on (booted by the harness first):
 *   x0  a buffer in its memory, one byte per tag
 *   x1  n, how many IRG + HVC #HV_HVC_LIVE_FAST rounds
 * Each round: IRG on the buffer's address (the tag from its live GCR_EL1
 * and RGSR_EL1, advancing RGSR_EL1), the tag stored, one fast-path exit.
 * Then it reads its own RGSR_EL1 (x6), GCR_EL1 (x7) and TFSRE0_EL1 (x8)
 * and leaves with HVC #HV_HVC_DONE, x3 = rounds completed.  Never resumed
 * after that.  Registers only, no stack: x0-x8.
 */
plat_func live_guest_irg_loop
	mov	x2, x0
	mov	x3, #0
	cbz	x1, 2f
1:	irg	x4, x0
	ubfx	x5, x4, #56, #4
	strb	w5, [x2], #1
	hvc	#HV_HVC_LIVE_FAST
	add	x3, x3, #1
	cmp	x3, x1
	b.lo	1b
2:	mrs	x6, rgsr_el1
	mrs	x7, gcr_el1
	mrs	x8, tfsre0_el1
	hvc	#HV_HVC_DONE
	b	.
plat_endfunc live_guest_irg_loop
