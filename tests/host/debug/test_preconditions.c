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
	cr_expect_eq(hits, 1, "hook called %d times, expected 1", hits);
	cr_expect_str_eq(last_expr, "p != NULL", "hook expression \"%s\", expected \"p != NULL\"",
			 last_expr);
}

Test(debug, cpu_without_mte2_reaches_the_hook_before_any_mte_access)
{
	struct kvmmte_state s = { 0 };

	hits = 0;
	fake_cpu(2, 1, false);
	if (!setjmp(back))
		kvmmte_vcpu_load(KVMMTE_HOST_NVHE, &s, &s);
	cr_expect_eq(hits, 1, "hook called %d times, expected 1", hits);
	cr_expect_eq(fake_undef_count, 0, "an MTE register was accessed: %u UNDEFs", fake_undef_count);
}

Test(debug, vhe_guest_routine_without_e2h_reaches_the_hook)
{
	struct kvmmte_state s = { 0 };

	hits = 0;
	fake_cpu(2, 3, false);
	if (!setjmp(back))
		kvmmte_state_save_vhe_guest(&s);
	cr_expect_eq(hits, 1, "hook called %d times, expected 1", hits);
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
	cr_expect_eq(hits, 0, "hook called %d times, expected 0 (\"%s\")", hits, last_expr);
}

/*
 * The MTE-level precondition (lib/switch.c, kvmmte_check_preconditions:
 * ID_AA64PFR1_EL1.MTE >= MTE2) at its boundary, in every routine that
 * checks it: level 1 must reach the hook before any MTE register is
 * touched, level 2 (the lowest valid one) must not, and neither must MTE3
 * or a later field value.
 */
enum { NR_CHECKED_ROUTINES = 10 };

static const char *const checked_routine_names[NR_CHECKED_ROUTINES] = {
	"kvmmte_state_save", "kvmmte_state_restore", "kvmmte_state_save_vhe_guest",
	"kvmmte_state_restore_vhe_guest", "kvmmte_el2_state_save",
	"kvmmte_el2_state_restore", "kvmmte_vcpu_load", "kvmmte_vcpu_put",
	"kvmmte_vcpu_load_at", "kvmmte_vcpu_put_at",
};

/* Calls routine @i on valid arguments; returns its result (0 for void ones). */
static int call_checked_routine(unsigned int i, struct kvmmte_state *h, struct kvmmte_state *g)
{
	static const struct kvmmte_layout layout = KVMMTE_LAYOUT_STATE;
	struct kvmmte_el2_state el2 = { 0 };

	switch (i) {
	case 0: kvmmte_state_save(g); return 0;
	case 1: kvmmte_state_restore(g); return 0;
	case 2: kvmmte_state_save_vhe_guest(g); return 0;
	case 3: kvmmte_state_restore_vhe_guest(g); return 0;
	case 4: kvmmte_el2_state_save(&el2); return 0;
	case 5: kvmmte_el2_state_restore(&el2); return 0;
	case 6: return kvmmte_vcpu_load(KVMMTE_HOST_VHE, h, g);
	case 7: return kvmmte_vcpu_put(KVMMTE_HOST_VHE, h, g);
	case 8: return kvmmte_vcpu_load_at(KVMMTE_HOST_VHE, &layout, g);
	default: return kvmmte_vcpu_put_at(KVMMTE_HOST_VHE, &layout, g);
	}
}

/* Runs routine @i at MTE field @level (EL2, E2H=1); the hook's hit count. */
static int hits_at_level(unsigned int i, unsigned int level, int *ret)
{
	struct kvmmte_state h = { 0 }, g = { 0 };

	hits = 0;
	*ret = 0;
	last_expr[0] = '\0';
	fake_cpu(2, level, true);
	if (!setjmp(back))
		*ret = call_checked_routine(i, &h, &g);
	return hits;
}

Test(debug, mte_level_1_reaches_the_hook_in_every_checked_routine)
{
	static const unsigned int below[] = { 1, 0 };	/* 1: the boundary */
	unsigned int i, l;
	int ret;

	for (l = 0; l < sizeof(below) / sizeof(below[0]); l++) {
		for (i = 0; i < NR_CHECKED_ROUTINES; i++) {
			int n = hits_at_level(i, below[l], &ret);

			cr_expect_eq(n, 1, "%s at MTE level %u: hook called %d times, expected 1",
				     checked_routine_names[i], below[l], n);
			cr_expect(strstr(last_expr, "KVMMTE_PFR1_MTE_MTE2") != NULL,
				  "%s at MTE level %u: hook expression expected to name "
				  "KVMMTE_PFR1_MTE_MTE2, got \"%s\"",
				  checked_routine_names[i], below[l], last_expr);
			cr_expect_eq(fake_undef_count, 0,
				     "%s at MTE level %u: %u UNDEFINED accesses before the hook, expected 0",
				     checked_routine_names[i], below[l], fake_undef_count);
		}
	}
}

Test(debug, mte_level_2_and_above_do_not_reach_the_hook)
{
	static const unsigned int ok[] = { 2, 3, 15 };	/* 2: the boundary */
	unsigned int i, l;
	int ret;

	for (l = 0; l < sizeof(ok) / sizeof(ok[0]); l++) {
		for (i = 0; i < NR_CHECKED_ROUTINES; i++) {
			int n = hits_at_level(i, ok[l], &ret);

			cr_expect_eq(n, 0, "%s at MTE level %u: hook called %d times, expected 0 "
				     "(last expression \"%s\")",
				     checked_routine_names[i], ok[l], n, last_expr);
			cr_expect_eq(ret, 0, "%s at MTE level %u: returned %d, expected 0",
				     checked_routine_names[i], ok[l], ret);
			cr_expect_eq(fake_undef_count, 0,
				     "%s at MTE level %u: %u UNDEFINED accesses, expected 0",
				     checked_routine_names[i], ok[l], fake_undef_count);
		}
	}
}
