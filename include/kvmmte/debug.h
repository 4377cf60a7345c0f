/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Precondition checks for hot-path routines.
 *
 * Hot-path routines (the world switch, load/put) document their
 * preconditions instead of checking them.  A debug build of the library
 * (make DEBUG=1, which defines KVMMTE_DEBUG) checks them and reports a
 * violation through kvmmte_assert_fail().  The library's definition is weak
 * and traps (brk); an embedder overrides it to log or panic its own way.
 * Guest- or VMM-controlled data never reaches an assertion: those inputs
 * are validated and rejected with an error code.
 */
#ifndef KVMMTE_DEBUG_H
#define KVMMTE_DEBUG_H

#ifndef __ASSEMBLER__

void kvmmte_assert_fail(const char *file, int line, const char *expr);

#ifdef KVMMTE_DEBUG
#define KVMMTE_ASSERT(cond)							\
	do {									\
		if (!(cond))							\
			kvmmte_assert_fail(__FILE__, __LINE__, #cond);		\
	} while (0)
#else
#define KVMMTE_ASSERT(cond)	do { } while (0)
#endif

#endif /* !__ASSEMBLER__ */
#endif /* KVMMTE_DEBUG_H */
