/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The QEMU test harness: test-case registration, checks, guest helpers.
 *
 *   TT_CASE(isolation_survives_random_switches, TT_NEEDS_MTE2)
 *   {
 *           TT_CHECK_EQ(t, "GCR_EL1", expected, actual);
 *   }
 *
 * A case registers itself in the linker section "tt_cases" and is run by
 * name (docs/testing-target.md).  Checks record a failure, print it with
 * expected and actual values, and carry on; TT_REQUIRE and tt_abort() end
 * the case (so does an exception at EL2, a hung or crashed guest).  Each
 * case gets its own PRNG, seeded from the run's seed and its name, so
 * "case=NAME seed=S" replays exactly what it did in the full run.
 */
#ifndef TT_HARNESS_H
#define TT_HARNESS_H

#include "hv.h"
#include "guest.h"
#include "gic.h"

#define TT_NEEDS_MTE2		(1U << 0)	/* skipped on a CPU without FEAT_MTE2 */
#define TT_NEEDS_NO_MTE2	(1U << 1)	/* only meaningful without it */
#define TT_NEEDS_SMP		(1U << 2)	/* skipped with one CPU (no -smp) */
#define TT_NEEDS_NV2		(1U << 3)	/* skipped without FEAT_NV2 (QEMU before 10) */

struct tt;

struct tt_case {
	const char *name;
	unsigned int needs;
	void (*run)(struct tt *t);
};

#define TT_CASE(fn, needs_)							\
	static void fn(struct tt *t);						\
	static const struct tt_case tt_case_##fn				\
		__attribute__((used, section("tt_cases"), aligned(8))) =	\
		{ #fn, (needs_), fn };						\
	static void fn(struct tt *t)

struct tt {
	const struct tt_case *c;
	uint64_t seed;		/* this case's */
	struct plat_prng rng;
	unsigned int failures;
	struct hv_host *h;
	uint64_t switches;	/* switches= on the command line, or 0 */
	bool init_called;	/* kvmmte_init() ran at start-up (not init=0) */
	int init_ret;
};

/* Record a failure (file:line, message); aborts the case after too many. */
void tt_fail(struct tt *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* End the case now (it counts as failed if anything failed, else passed). */
__attribute__((noreturn)) void tt_abort(struct tt *t);

#define TT_CHECK(t, cond, ...)							\
	((cond) ? true : (tt_fail(t, __FILE__, __LINE__, __VA_ARGS__), false))
#define TT_REQUIRE(t, cond, ...)						\
	do {									\
		if (!TT_CHECK(t, cond, __VA_ARGS__))				\
			tt_abort(t);						\
	} while (0)
#define TT_CHECK_EQ(t, what, expected, actual)					\
	tt_check_eq(t, __FILE__, __LINE__, what, (uint64_t)(expected), (uint64_t)(actual))
bool tt_check_eq(struct tt *t, const char *file, int line, const char *what,
		 uint64_t expected, uint64_t actual);

/* Field by field, named: which register of which world differs. */
#define TT_STATE_RGSR		(1U << 0)
#define TT_STATE_GCR		(1U << 1)
#define TT_STATE_TFSR		(1U << 2)
#define TT_STATE_TFSRE0		(1U << 3)
#define TT_STATE_ALL		0xfU
#define TT_CHECK_STATE(t, what, fields, expected, actual)			\
	tt_check_state(t, __FILE__, __LINE__, what, fields, expected, actual)
bool tt_check_state(struct tt *t, const char *file, int line, const char *what,
		    unsigned int fields, const struct kvmmte_state *expected,
		    const struct kvmmte_state *actual);

static inline uint64_t tt_rand(struct tt *t)
{
	return plat_prng_u64(&t->rng);
}

static inline uint32_t tt_below(struct tt *t, uint32_t n)
{
	return plat_prng_below(&t->rng, n);
}

/* A random, architecturally valid value of each register. */
struct kvmmte_state tt_random_state(struct tt *t);

/* ---- the host world ------------------------------------------------------ */

/*
 * What the host itself holds in hardware right now: RGSR_EL1, GCR_EL1,
 * TFSRE0_EL1 and its fault status register: TFSR_EL1 for an nVHE host (its
 * kernel runs at EL1), TFSR_EL2 under VHE (reported in .tfsr_el1).  All
 * four are the host's whether or not a vcpu is loaded.
 */
void tt_host_read(struct tt *t, struct kvmmte_state *s);
void tt_host_write(struct tt *t, const struct kvmmte_state *s);

/* ---- guests -------------------------------------------------------------- */

/*
 * Run one mailbox command in @v (loaded) through @e; the case fails and
 * ends if the guest hangs or crashes.  @expect_exc: tag-check faults and
 * UNDEFs are expected (recorded in mb->exc[]), not crashes.
 */
void tt_guest_cmd(struct tt *t, struct hv_vcpu *v, const struct hv_entry *e,
		  enum guest_cmd cmd, uint64_t arg0, uint64_t arg1, bool expect_exc);
/* hv_vcpu_init + load + boot run + put. */
void tt_guest_create(struct tt *t, struct hv_vcpu *v, const char *name, unsigned int slot,
		     bool mte, enum hv_layout layout);
/*
 * Host mode @mode, a fresh guest @v (@mte, struct kvmmte_state layout),
 * loaded, runs @cmd with arg0 @arg0 once through a random entry path,
 * exceptions expected; the case ends unless the guest took exactly
 * @nr_exc of them.  @v stays loaded; returns its mailbox.
 */
struct guest_mailbox *tt_guest_exceptions(struct tt *t, struct hv_vcpu *v, enum kvmmte_host_mode mode,
					  const char *name, bool mte, enum guest_cmd cmd, uint64_t arg0,
					  unsigned int nr_exc);
/* A random entry path for @v in the current host mode. */
const struct hv_entry *tt_random_entry(struct tt *t, const struct hv_vcpu *v);

static inline struct guest_mailbox *tt_mb(struct hv_vcpu *v)
{
	return &v->mem->mb;
}

/* ---- tag generation model ------------------------------------------------ */

/*
 * The tag IRG returns with GCR_EL1.RRND = 0 (Arm ARM pseudocode
 * ChooseRandomNonExcludedTag, RandomTag, NextRandomTagBit,
 * ChooseNonExcludedTag), updating *@rgsr as the instruction does.
 * @exclude: GCR_EL1.Exclude | the IRG's register operand.
 */
unsigned int tt_irg_model(uint64_t *rgsr, uint64_t exclude);

/* ---- the per-CPU gate's patch sites --------------------------------------- */

/*
 * One gate=patch site of the image: the gate instruction, its skip label,
 * and the out-of-line library function it opens (NULL: one of entry.S's).
 */
struct tt_patch_site {
	const uint32_t *insn;
	const uint32_t *skip;
	const struct hv_switch_fn *fn;
};

/*
 * The image's patch sites (section kvmmte_patch_sites, placeholders left
 * out), in emission order; returns how many (at most @max are stored).
 * The image has entry.S's hv_nr_patch_gates, to_guest then to_host per
 * entry path, and one per out-of-line function (hv_switch_fns[]).
 */
unsigned int tt_patch_sites(struct tt_patch_site *out, unsigned int max);
#define TT_NR_PATCH_SITES	(hv_nr_patch_gates + hv_nr_switch_fns)

/*
 * The image's first-TFSR patch sites (kvmmte_patch_sites_async): each
 * instruction, its skip label and the instruction before any patching, so
 * that a case can patch the table and put it back.  Returns how many (at
 * most TT_MAX_SITES).  tt_site_restore() writes the original back with
 * the cache maintenance lib/patch.c uses (DC CVAU, DSB ISH, IC IVAU,
 * DSB ISH, ISB).
 */
#define TT_MAX_SITES	64
struct tt_site {
	uint32_t *insn;
	const uint32_t *skip;
	uint32_t orig;
};
unsigned int tt_async_sites(struct tt_site *out);
void tt_site_restore(const struct tt_site *s);
const struct kvmmte_patch_site *tt_async_table_begin(void);
const struct kvmmte_patch_site *tt_async_table_end(void);

/* Run IRG at EL2, now: its tag, and RGSR_EL1 after it in *@rgsr_after. */
unsigned int tt_el2_irg(uint64_t *rgsr_after);

static inline const char *tt_mode_name(enum kvmmte_host_mode m)
{
	return m == KVMMTE_HOST_VHE ? "vhe" : "nvhe";
}

#endif /* TT_HARNESS_H */
