/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A fake AArch64 register file for host tests.
 *
 * The library is compiled with -DKVMMTE_FAKE_SYSREG, so every mrs/msr/isb
 * of its accessors lands here.  The fake models what matters for MTE:
 *  - the current exception level and HCR_EL2.E2H redirection (at EL2 with
 *    E2H=1, TFSR_EL1 names TFSR_EL2 and TFSR_EL12 names TFSR_EL1; without
 *    E2H, TFSR_EL12 is UNDEFINED);
 *  - MTE registers UNDEFINED below FEAT_MTE2 (ID_AA64PFR1_EL1.MTE < 2),
 *    and the TFSR ones (TFSR_EL1, TFSR_EL2, TFSR_EL12, TFSRE0_EL1) also
 *    without FEAT_MTE_ASYNC (MTE_frac != 0);
 *  - EL-gated registers (EL2 registers from EL1, SCR_EL3 below EL3).
 * An UNDEFINED access is recorded (fake_undef_count) instead of crashing, so
 * a test can assert there was none.  Every access is logged in order.
 */
#ifndef KVMMTE_TESTS_FAKE_SYSREG_H
#define KVMMTE_TESTS_FAKE_SYSREG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kvmmte/sysreg-access.h>

/* Physical registers (after redirection). */
enum fake_phys {
	PHYS_RGSR_EL1, PHYS_GCR_EL1, PHYS_TFSR_EL1, PHYS_TFSRE0_EL1, PHYS_TFSR_EL2,
	PHYS_GMID_EL1, PHYS_ID_AA64PFR1_EL1, PHYS_SCTLR_EL1, PHYS_SCTLR_EL2,
	PHYS_HCR_EL2, PHYS_SCR_EL3, PHYS_COUNT
};

enum fake_op { FAKE_READ, FAKE_WRITE, FAKE_ISB, FAKE_ICACHE };

struct fake_access {
	enum fake_op op;
	enum kvmmte_sysreg_id id;	/* the name the code used */
	enum fake_phys phys;		/* the register it reached */
	uint64_t val;
};

#define FAKE_LOG_MAX 256

extern uint64_t fake_phys[PHYS_COUNT];
extern struct fake_access fake_log[FAKE_LOG_MAX];
extern size_t fake_log_len;
extern unsigned int fake_undef_count;
extern unsigned int fake_el;

/*
 * A CPU at @el with ID_AA64PFR1_EL1.MTE = @mte_level, E2H as given, and
 * asynchronous tag-check faults (MTE_frac 0).
 */
void fake_cpu(unsigned int el, unsigned int mte_level, bool e2h);
/* After fake_cpu(): MTE_frac 0xF, no FEAT_MTE_ASYNC: every TFSR access UNDEFs. */
void fake_cpu_without_async(void);
/* The @n-th access of the log (from 0), not counting ID_AA64PFR1_EL1 reads. */
const struct fake_access *fake_log_nth(size_t n);
void fake_log_clear(void);
const char *fake_phys_name(enum fake_phys p);
const char *fake_sysreg_name(enum kvmmte_sysreg_id id);

/* Expected log entry, for fake_expect_log(). */
struct fake_expect {
	enum fake_op op;
	enum fake_phys phys;
	uint64_t val;
};
#define R(p, v)	{ FAKE_READ, PHYS_##p, (v) }
#define W(p, v)	{ FAKE_WRITE, PHYS_##p, (v) }

/*
 * Compare the log with @n expected accesses, ignoring reads of
 * ID_AA64PFR1_EL1/HCR_EL2 that DEBUG builds add for their precondition
 * checks.  Reports the first difference with expected and actual values
 * through Criterion.
 */
void fake_expect_log(const struct fake_expect *exp, size_t n);
#define FAKE_EXPECT_LOG(...) do {						\
	const struct fake_expect exp_[] = { __VA_ARGS__ };			\
	fake_expect_log(exp_, sizeof(exp_) / sizeof(exp_[0]));			\
} while (0)

#endif /* KVMMTE_TESTS_FAKE_SYSREG_H */
