/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Constant helpers shared by C, assembly and linker scripts.
 *
 * Definitions only: nothing here emits code or data.
 */
#ifndef KVMMTE_CONST_H
#define KVMMTE_CONST_H

/*
 * Integer literals: C needs a suffix to shift past bit 31, while gas and
 * GNU ld reject suffixed literals.  Every 64-bit constant in the public
 * headers goes through KVMMTE_UL() so one definition serves all three.
 *
 * The C suffix is ULL, not UL: unsigned long is 32 bits in a 32-bit
 * program (ILP32), where 1UL << 56 is undefined and a mask at bits 43:40
 * comes out 0; unsigned long long is 64 bits in every C data model, so
 * the registers' bits above 31 (HCR_EL2.ATA, SCTLR_ELx.ITFSB, ...) have
 * their value in any program that includes these headers.  The macro
 * keeps its name, KVMMTE_UL, for the code that already uses it.
 * tests/consts checks the values in 32-bit C, gas and GNU ld.
 */
#ifdef __ASSEMBLER__
#define KVMMTE_UL(x)		x
#else
#define KVMMTE_UL_(x)		x##ULL
#define KVMMTE_UL(x)		KVMMTE_UL_(x)
#endif

/* Bit @nr (0..63), 64-bit unsigned in C. */
#define KVMMTE_BIT(nr)			(KVMMTE_UL(1) << (nr))
/* A field of @width bits starting at bit @shift (width < 64), 64-bit in C. */
#define KVMMTE_FIELD_MASK(shift, width) \
	(((KVMMTE_UL(1) << (width)) - 1) << (shift))

/* Compile-time checks in headers that C and C++ consumers both include. */
#ifdef __cplusplus
#define KVMMTE_STATIC_ASSERT(cond, msg)	static_assert(cond, msg)
#else
#define KVMMTE_STATIC_ASSERT(cond, msg)	_Static_assert(cond, msg)
#endif

#define KVMMTE_STRINGIFY_(x)	#x
#define KVMMTE_STRINGIFY(x)	KVMMTE_STRINGIFY_(x)

#endif /* KVMMTE_CONST_H */
