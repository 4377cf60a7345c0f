// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Default precondition-failure hook of DEBUG=1 builds.  Weak: an embedder
 * defines its own kvmmte_assert_fail() to log and panic its own way.
 */
#include <kvmmte/debug.h>

__attribute__((weak, noreturn))
void kvmmte_assert_fail(const char *file, int line, const char *expr)
{
	(void)file;
	(void)line;
	(void)expr;
	__builtin_trap();
}
