// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * DEBUG=1 library: hot-path preconditions reach the overridable
 * kvmmte_assert_fail() hook.  This file overrides the weak default and
 * jumps back into the test, so a violation is observed, not executed.
 */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <string.h>
#include <kvmmte/switch.h>
#include <kvmmte/debug.h>
#include "fake_sysreg.h"

static jmp_buf back;
static int hits;
static char last_expr[128];

void kvmmte_assert_fail(const char *file, int line, const char *expr)
{
	(void)file;
	(void)line;
	hits++;
	strncpy(last_expr, expr, sizeof(last_expr) - 1);
	longjmp(back, 1);
}

Test(debug, null_state_reaches_the_hook)
{
	hits = 0;
	fake_cpu(2, 3, false);
	if (!setjmp(back))
		kvmmte_state_save(NULL);
	cr_expect_eq(hits, 1, "hook called %d times", hits);
	cr_expect_str_eq(last_expr, "p != NULL");
}

Test(debug, cpu_without_mte2_reaches_the_hook_before_any_mte_access)
{
	struct kvmmte_state s = { 0 };

	hits = 0;
	fake_cpu(2, 1, false);
	if (!setjmp(back))
		kvmmte_vcpu_load(KVMMTE_HOST_NVHE, &s, &s);
	cr_expect_eq(hits, 1);
	cr_expect_eq(fake_undef_count, 0, "an MTE register was accessed: %u UNDEFs", fake_undef_count);
}

Test(debug, vhe_guest_routine_without_e2h_reaches_the_hook)
{
	struct kvmmte_state s = { 0 };

	hits = 0;
	fake_cpu(2, 3, false);
	if (!setjmp(back))
		kvmmte_state_save_vhe_guest(&s);
	cr_expect_eq(hits, 1);
}

Test(debug, valid_calls_do_not_reach_the_hook)
{
	struct kvmmte_state h = { 0 }, g = { 0 };

	hits = 0;
	fake_cpu(2, 3, true);
	if (!setjmp(back)) {
		kvmmte_vcpu_load(KVMMTE_HOST_VHE, &h, &g);
		kvmmte_vcpu_put(KVMMTE_HOST_VHE, &h, &g);
		kvmmte_state_save_vhe_guest(&g);
	}
	cr_expect_eq(hits, 0);
}
