/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The EL3 monitor's view of a world, and the SMC calls worlds make.
 */
#ifndef EL3_WORLD_H
#define EL3_WORLD_H

#include <stdbool.h>
#include <stdint.h>
#include <el1ctx.h>
#include <kvmmte/state.h>

/* SMC function ids (x0); arguments in x1..x3. */
#define SMC_YIELD	0xc3000001UL	/* let the other world run */
#define SMC_MISMATCH	0xc3000002UL	/* x1 = what, x2 = expected, x3 = seen */
#define SMC_DONE	0xc3000003UL	/* x1 = rounds; the world never runs again */

/* What a world reports in SMC_MISMATCH's x1. */
enum world_check { CHECK_RGSR, CHECK_GCR, CHECK_TFSR, CHECK_TFSRE0, CHECK_IRG };

/* Written by the world itself, read by the monitor at the end. */
struct world_report {
	uint64_t rounds;
	uint64_t tags[16];	/* histogram of IRG results */
	uint64_t mismatches;
};

struct world {
	uint64_t gpr[31];	/* x0..x30 at the SMC */
	uint64_t elr_el3;	/* where the world resumes */
	uint64_t spsr_el3;
	/* Everything below is C-only. */
	struct plat_el1ctx el1;
	struct kvmmte_state mte;	/* the world's full MTE state */
	struct kvmmte_el2_state el2;	/* TFSR_EL2 (non-secure EL2's) */
	uint64_t scr_el3;		/* NS and ATA for this world */
	const char *name;
	uint16_t allowed_tags;		/* the world's own tag set */
	bool has_mte;			/* SCR_EL3.ATA set for this world */
	bool done;
	uint64_t smcs;
	unsigned int mismatches_shown;
	struct world_report report;
};

/* The EL1 program of both worlds (world.c). */
void world_main(uint64_t id, uint64_t rounds, uint64_t seed, struct world_report *report,
		uint64_t allowed_tags, uint64_t mte);

/*
 * Pieces of world_main() that examples/el3-linux's secure world reuses:
 * an SMC to the monitor (returns its x0), a check that reports a
 * mismatch (@what: an enum world_check, or the caller's own code after
 * them) through SMC_MISMATCH, and eight IRGs checked against @allowed.
 */
uint64_t world_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void world_expect(struct world_report *r, unsigned int what, uint64_t want, uint64_t got);
void world_irg_check(struct world_report *r, uint64_t allowed);

#endif /* EL3_WORLD_H */
