/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The secure world's S-EL1 vector table and the one load it faults on on
 * purpose (secure-world.c).
 *
 * Every slot hands the exception to sec_exception(slot, ESR_EL1, ELR_EL1,
 * FAR_EL1) in C, which returns where to resume: past the faulting load
 * for a tag-check fault it provoked.  The frame is the caller-saved
 * registers, so the interrupted C code gets everything back.  The world
 * runs on SP_EL1 with every interrupt masked, so the only slot expected
 * is "current EL with SP_ELx, synchronous"; sec_exception() judges.
 */
#include <plat-asm.h>

.macro sec_vector index
	.balign	0x80
	plat_push_caller_saved
	mov	x0, #\index
	b	sec_vector_common
.endm

	.globl	sec_vectors
plat_vector_table sec_vectors
	.irp i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	sec_vector \i
	.endr

sec_vector_common:
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	sec_exception
	msr	elr_el1, x0
	plat_pop_caller_saved
	eret

/*
 * uint64_t sec_tag_load(const uint64_t *p): one checked load.  Its own
 * function so that the fault handler knows the one instruction a
 * provoked fault may come from, and the C compiler never duplicates it.
 * A skipped load leaves x0 = p.
 */
plat_func sec_tag_load
	ldr	x0, [x0]
	ret
plat_endfunc sec_tag_load
