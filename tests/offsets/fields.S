/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Assembly that reaches struct tricky_vcpu only through the generated
 * tricky-offsets.h: fields-main.c checks that each store lands in the
 * field it names and nowhere else.
 */
#include "tricky-offsets.h"

/*
 * put_field size, value, offset, base, address, scratch
 *	Store the low "size" bytes (1, 2 or 8) of #value at base + offset.
 *	address is an x register, scratch a register number (its w or x
 *	form is used); both are clobbered.  Goes through an add so
 *	that any offset works, unaligned ones (packed members) included.
 */
.macro put_field size, value, offset, base, address, scratch
	add	\address, \base, #\offset
	mov	x\scratch, #\value
	.if \size == 1
	strb	w\scratch, [\address]
	.elseif \size == 2
	strh	w\scratch, [\address]
	.else
	str	x\scratch, [\address]
	.endif
.endm

/*
 * void tricky_fill(struct tricky_vcpu *vcpu)
 *	x0: vcpu.  Clobbers x1, x2.
 */
	.text
	.globl	tricky_fill
	.type	tricky_fill, %function
	.balign	4
tricky_fill:
	put_field 8, 0x11, TRICKY_VCPU_X30, x0, x1, 2
	put_field 8, 0x12, TRICKY_VCPU_SP, x0, x1, 2
	put_field 8, 0x13, TRICKY_VCPU_GCR_EL1, x0, x1, 2
	put_field 8, 0x14, TRICKY_VCPU_TFSR_EL1, x0, x1, 2
	put_field 8, 0x15, TRICKY_VCPU_RGSR_EL1, x0, x1, 2
	put_field 8, 0x16, TRICKY_VCPU_MTE_GCR, x0, x1, 2
	put_field 1, 0x17, TRICKY_VCPU_BITS_AFTER, x0, x1, 2
	put_field 2, 0x18, TRICKY_VCPU_BITS_AFTER_WIDE, x0, x1, 2
	put_field 8, 0x19, TRICKY_VCPU_PACKED1_VALUE, x0, x1, 2
	put_field 2, 0x1a, TRICKY_VCPU_PACKED2_TAIL, x0, x1, 2
	put_field 1, 0x1b, TRICKY_VCPU_C, x0, x1, 2
	put_field 8, 0x1c, TRICKY_VCPU_CACHELINE, x0, x1, 2
	put_field 1, 0x1d, TRICKY_VCPU_BYTES4, x0, x1, 2
	put_field 8, 0x1e, TRICKY_VCPU_LL, x0, x1, 2
	ret
	.size	tricky_fill, . - tricky_fill
