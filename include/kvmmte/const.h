/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Constant helpers shared by C, assembly and linker scripts.
 *
 * Definitions only: nothing here emits code or data.
 */
#ifndef KVMMTE_CONST_H
#define KVMMTE_CONST_H

/*
 * Integer literals: C needs the UL suffix to shift past bit 31, while gas
 * and GNU ld reject suffixed literals.  Every 64-bit constant in the public
 * headers goes through KVMMTE_UL() so one definition serves all three.
 */
#ifdef __ASSEMBLER__
#define KVMMTE_UL(x)		x
#else
#define KVMMTE_UL_(x)		x##UL
#define KVMMTE_UL(x)		KVMMTE_UL_(x)
#endif

#define KVMMTE_BIT(nr)			(KVMMTE_UL(1) << (nr))
/* A field of @width bits starting at bit @shift (width < 64). */
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
