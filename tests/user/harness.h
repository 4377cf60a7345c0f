/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A minimal test harness for aarch64 Linux programs run under qemu-aarch64
 * (Criterion's fork/exec workers do not run under qemu-user).
 *
 *   static void test_foo(void) { EXPECT(x == 1, "x = %d", x); }
 *   ...
 *   RUN(test_foo);
 *   harness_run_arg("foo 4K", test_foo_param, &param);
 *   return harness_summary();	// prints "N passed, N failed", exit status
 *
 * A test passes when none of its EXPECTs failed.  Every failure prints the
 * test's name and the message, which should give expected and actual.
 */
#ifndef KVMMTE_TESTS_USER_HARNESS_H
#define KVMMTE_TESTS_USER_HARNESS_H

#include <stdio.h>

static unsigned int harness_passed, harness_failed, harness_errors;
static const char *harness_current = "?";

/* Report at most this many failed EXPECTs per test; count them all. */
#define HARNESS_MAX_REPORTS 8

#define EXPECT(cond, ...) do {							\
	if (!(cond)) {								\
		if (harness_errors++ < HARNESS_MAX_REPORTS) {			\
			printf("  FAIL %s: %s:%d: ", harness_current, __FILE__, __LINE__); \
			printf(__VA_ARGS__);					\
			printf("\n");						\
		}								\
	}									\
} while (0)

/* Like EXPECT, but leave the test at the first failure. */
#define ASSERT(cond, ...) do {							\
	unsigned int before_ = harness_errors;					\
	EXPECT(cond, __VA_ARGS__);						\
	if (harness_errors != before_)						\
		return;								\
} while (0)

static inline void harness_end(const char *name)
{
	if (harness_errors) {
		if (harness_errors > HARNESS_MAX_REPORTS)
			printf("  ... %u more failures in %s\n",
			       harness_errors - HARNESS_MAX_REPORTS, name);
		printf("FAIL %s\n", name);
		harness_failed++;
	} else {
		printf("ok   %s\n", name);
		harness_passed++;
	}
	fflush(stdout);
}

static inline void harness_run(const char *name, void (*fn)(void))
{
	harness_current = name;
	harness_errors = 0;
	fn();
	harness_end(name);
}

/* A parameterised test: @name describes @arg. */
static inline void harness_run_arg(const char *name, void (*fn)(const void *), const void *arg)
{
	harness_current = name;
	harness_errors = 0;
	fn(arg);
	harness_end(name);
}

#define RUN(fn)	harness_run(#fn, fn)

static inline int harness_summary(void)
{
	printf("%u passed, %u failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

#endif /* KVMMTE_TESTS_USER_HARNESS_H */
