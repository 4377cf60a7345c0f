/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Declarations for the offsets tests: every kind of member designator,
 * sizes, and constants of every sign and width.  tricky-check.c restates
 * each with plain offsetof/sizeof as the oracle.
 */
#include <kvmmte/offsets.h>
#include "tricky.h"

KVMMTE_OFFSET(TRICKY_VCPU_ID, struct tricky_vcpu, id);
KVMMTE_OFFSET(TRICKY_VCPU_CTXT, struct tricky_vcpu, ctxt);
KVMMTE_OFFSET(TRICKY_VCPU_X30, struct tricky_vcpu, ctxt.regs[30]);
KVMMTE_OFFSET(TRICKY_VCPU_SP, struct tricky_vcpu, ctxt.sp);
KVMMTE_OFFSET(TRICKY_VCPU_GCR_EL1, struct tricky_vcpu, ctxt.sys_regs[TRICKY_GCR_EL1]);
KVMMTE_OFFSET(TRICKY_VCPU_TFSR_EL1, struct tricky_vcpu, ctxt.sys_regs[TRICKY_TFSR_EL1]);
KVMMTE_OFFSET(TRICKY_VCPU_MTE, struct tricky_vcpu, mte);
KVMMTE_OFFSET(TRICKY_VCPU_MTE_GCR, struct tricky_vcpu, mte.gcr);
KVMMTE_OFFSET(TRICKY_VCPU_BITS_AFTER, struct tricky_vcpu, bits.after_bits);
KVMMTE_OFFSET(TRICKY_VCPU_BITS_AFTER_WIDE, struct tricky_vcpu, bits.after_wide);
KVMMTE_OFFSET(TRICKY_VCPU_PACKED1_VALUE, struct tricky_vcpu, packed[1].value);
KVMMTE_OFFSET(TRICKY_VCPU_PACKED2_TAIL, struct tricky_vcpu, packed[2].tail);
KVMMTE_OFFSET(TRICKY_VCPU_C, struct tricky_vcpu, c);
KVMMTE_OFFSET(TRICKY_VCPU_CACHELINE, struct tricky_vcpu, cacheline);
KVMMTE_OFFSET(TRICKY_VCPU_WORD, struct tricky_vcpu, word);
KVMMTE_OFFSET(TRICKY_VCPU_BYTES4, struct tricky_vcpu, bytes[4]);
KVMMTE_OFFSET(TRICKY_VCPU_LD, struct tricky_vcpu, ld);
KVMMTE_OFFSET(TRICKY_VCPU_PTR, struct tricky_vcpu, ptr);
KVMMTE_OFFSET(TRICKY_VCPU_LL, struct tricky_vcpu, ll);
KVMMTE_SIZE(TRICKY_VCPU_SIZE, struct tricky_vcpu);
KVMMTE_SIZE(TRICKY_BITS_SIZE, struct tricky_bits);
KVMMTE_SIZE(TRICKY_PACKED_SIZE, struct tricky_packed);
KVMMTE_SIZE(TRICKY_LONG_DOUBLE_SIZE, long double);
KVMMTE_SIZE(TRICKY_POINTER_SIZE, void *);
KVMMTE_DEFINE(TRICKY_VCPU_ALIGN, _Alignof(struct tricky_vcpu));
KVMMTE_DEFINE(TRICKY_CHAR_IS_SIGNED, (char)-1 < 0);
KVMMTE_DEFINE(TRICKY_SYS_REG_COUNT, TRICKY_NR_SYS_REGS);
KVMMTE_DEFINE(TRICKY_ALL_ONES, ~0ULL);
KVMMTE_DEFINE(TRICKY_HIGH_MASK, 0xffffULL << 48);
KVMMTE_DEFINE(TRICKY_MINUS_EIGHT, -8);
KVMMTE_DEFINE(TRICKY_INT64_MIN, -9223372036854775807LL - 1);

/* Two declarations from one macro, on one line: order and names survive. */
#define TRICKY_SYSREG(reg)						\
	KVMMTE_OFFSET(TRICKY_VCPU_##reg, struct tricky_vcpu,		\
		      ctxt.sys_regs[TRICKY_##reg]);			\
	KVMMTE_DEFINE(TRICKY_INDEX_##reg, TRICKY_##reg)
TRICKY_SYSREG(RGSR_EL1);
