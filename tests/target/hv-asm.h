/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Assembly shared by the harness's exit paths (entry.S, live.S).  Include
 * after plat-asm.h and hv-offsets.h.
 */
#ifndef TT_HV_ASM_H
#define TT_HV_ASM_H

#ifndef __ASSEMBLER__
#error "hv-asm.h is for assembly sources"
#endif

/*
 * A guest just left: x0 = its context, x1 = the HV_EXIT_* code, its own
 * x0/x1 pushed at [sp] (\pushed bytes, popped here).  Stores the exit code,
 * x0-x30, ELR/SPSR_EL2 and ESR/FAR_EL2 in the context.  Clobbers x2, x3.
 */
.macro hv_save_exited_guest pushed
	str	x1, [x0, #CTXT_EXIT_CODE]
	plat_save_gprs_pushed x0, CTXT_X, \pushed, x2, x3
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #CTXT_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #CTXT_ESR]
.endm

#endif /* TT_HV_ASM_H */
