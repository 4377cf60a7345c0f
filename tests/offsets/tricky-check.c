/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The oracle for the generated tricky-offsets.h: each value restated with
 * plain offsetof/sizeof/_Alignof and compared at compile time, by the same
 * compiler that the header was generated with.  Independent of the tool
 * and of kvmmte/offsets.h.
 */
#include "tricky.h"
#include "tricky-offsets.h"

#define CHECK(name, expected) \
	_Static_assert((name) == (expected), #name " is not " #expected)

CHECK(TRICKY_VCPU_ID, offsetof(struct tricky_vcpu, id));
CHECK(TRICKY_VCPU_CTXT, offsetof(struct tricky_vcpu, ctxt));
CHECK(TRICKY_VCPU_X30, offsetof(struct tricky_vcpu, ctxt) +
      offsetof(struct tricky_cpu_context, regs) + 30 * sizeof(uint64_t));
CHECK(TRICKY_VCPU_SP, offsetof(struct tricky_vcpu, ctxt) +
      offsetof(struct tricky_cpu_context, sp));
CHECK(TRICKY_VCPU_GCR_EL1, offsetof(struct tricky_vcpu, ctxt) +
      offsetof(struct tricky_cpu_context, sys_regs) + TRICKY_GCR_EL1 * 8);
CHECK(TRICKY_VCPU_TFSR_EL1, offsetof(struct tricky_vcpu, ctxt) +
      offsetof(struct tricky_cpu_context, sys_regs) + TRICKY_TFSR_EL1 * 8);
CHECK(TRICKY_VCPU_MTE, offsetof(struct tricky_vcpu, mte));
CHECK(TRICKY_VCPU_MTE_GCR, offsetof(struct tricky_vcpu, mte) +
      offsetof(struct tricky_mte, gcr));
CHECK(TRICKY_VCPU_BITS_AFTER, offsetof(struct tricky_vcpu, bits) +
      offsetof(struct tricky_bits, after_bits));
CHECK(TRICKY_VCPU_BITS_AFTER_WIDE, offsetof(struct tricky_vcpu, bits) +
      offsetof(struct tricky_bits, after_wide));
CHECK(TRICKY_VCPU_PACKED1_VALUE, offsetof(struct tricky_vcpu, packed) +
      sizeof(struct tricky_packed) + offsetof(struct tricky_packed, value));
CHECK(TRICKY_VCPU_PACKED2_TAIL, offsetof(struct tricky_vcpu, packed) +
      2 * sizeof(struct tricky_packed) + offsetof(struct tricky_packed, tail));
CHECK(TRICKY_VCPU_C, offsetof(struct tricky_vcpu, c));
CHECK(TRICKY_VCPU_CACHELINE, offsetof(struct tricky_vcpu, cacheline));
CHECK(TRICKY_VCPU_WORD, offsetof(struct tricky_vcpu, word));
CHECK(TRICKY_VCPU_BYTES4, offsetof(struct tricky_vcpu, bytes) + 4);
CHECK(TRICKY_VCPU_LD, offsetof(struct tricky_vcpu, ld));
CHECK(TRICKY_VCPU_PTR, offsetof(struct tricky_vcpu, ptr));
CHECK(TRICKY_VCPU_LL, offsetof(struct tricky_vcpu, ll));
CHECK(TRICKY_VCPU_SIZE, sizeof(struct tricky_vcpu));
CHECK(TRICKY_BITS_SIZE, sizeof(struct tricky_bits));
CHECK(TRICKY_PACKED_SIZE, sizeof(struct tricky_packed));
CHECK(TRICKY_LONG_DOUBLE_SIZE, sizeof(long double));
CHECK(TRICKY_POINTER_SIZE, sizeof(void *));
CHECK(TRICKY_VCPU_ALIGN, _Alignof(struct tricky_vcpu));
CHECK(TRICKY_CHAR_IS_SIGNED, (char)-1 < 0);
CHECK(TRICKY_SYS_REG_COUNT, 4);
CHECK(TRICKY_ALL_ONES, 0xffffffffffffffffULL);
CHECK(TRICKY_HIGH_MASK, 0xffff000000000000ULL);
CHECK(TRICKY_MINUS_EIGHT, -8LL);
CHECK(TRICKY_INT64_MIN, -9223372036854775807LL - 1);
CHECK(TRICKY_VCPU_RGSR_EL1, offsetof(struct tricky_vcpu, ctxt) +
      offsetof(struct tricky_cpu_context, sys_regs) + TRICKY_RGSR_EL1 * 8);
CHECK(TRICKY_INDEX_RGSR_EL1, 2);

/* Signs survive: a negative value is negative, not a huge unsigned one. */
_Static_assert(TRICKY_MINUS_EIGHT < 0, "TRICKY_MINUS_EIGHT lost its sign");
_Static_assert(TRICKY_INT64_MIN < 0, "TRICKY_INT64_MIN lost its sign");
_Static_assert(TRICKY_ALL_ONES > 0, "TRICKY_ALL_ONES became negative");
