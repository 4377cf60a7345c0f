// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The EL1 program each world runs (built with +memtag for IRG).  Every
 * round it picks new values for its four MTE registers, yields to the
 * other world through the monitor, and checks it finds them unchanged and
 * that IRG draws only from its own tag set.
 */
#include <platform.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/sysreg-access.h>
#include "world.h"

uint64_t world_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

void world_expect(struct world_report *r, unsigned int what, uint64_t want, uint64_t got)
{
	if (want != got) {
		r->mismatches++;
		world_smc(SMC_MISMATCH, what, want, got);
	}
}

/* Eight IRGs: every tag must come from @allowed; a histogram for the report. */
void world_irg_check(struct world_report *r, uint64_t allowed)
{
	unsigned int n;

	for (n = 0; n < 8; n++) {
		uint64_t p, tag;

		__asm__ volatile("irg %0, %1" : "=r"(p) : "r"((uint64_t)0x1000));
		tag = (p >> KVMMTE_ADDR_TAG_SHIFT) & 0xf;
		r->tags[tag]++;
		if (!(allowed & (1UL << tag)))
			world_expect(r, CHECK_IRG, allowed, tag);
	}
}

/*
 * A world without tag access (SCR_EL3.ATA clear): its MTE registers trap to
 * EL3, so it leaves them alone; IRG must give tag 0, never a tag drawn
 * with the other world's GCR/RGSR.
 */
static __attribute__((noreturn)) void world_without_mte(uint64_t rounds, struct world_report *r, uint64_t allowed)
{
	uint64_t i;

	for (i = 0; i < rounds; i++) {
		world_smc(SMC_YIELD, 0, 0, 0);
		world_irg_check(r, allowed);
		r->rounds++;
	}
	world_smc(SMC_DONE, r->rounds, 0, 0);
	for (;;)
		;
}

void world_main(uint64_t id, uint64_t rounds, uint64_t seed, struct world_report *r,
		uint64_t allowed, uint64_t mte)
{
	const uint64_t exclude = ~allowed & KVMMTE_GCR_EL1_EXCLUDE_MASK;
	struct plat_prng prng;
	uint64_t i;

	if (!mte)
		world_without_mte(rounds, r, allowed);
	plat_prng_seed(&prng, seed);
	for (i = 0; i < rounds; i++) {
		uint64_t x = plat_prng_u64(&prng);
		/* RRND=0: IRG uses RGSR_EL1's seed, so the values replay exactly. */
		uint64_t rgsr = ((x & 0xffff) << KVMMTE_RGSR_EL1_SEED_SHIFT) | ((x >> 16) & 0xf);
		uint64_t tfsr = (x >> 20) & KVMMTE_TFSR_VALID_MASK;
		uint64_t tfsre0 = (x >> 22) & KVMMTE_TFSRE0_EL1_VALID_MASK;

		if (!(rgsr & KVMMTE_RGSR_EL1_SEED_MASK))
			rgsr |= 1UL << KVMMTE_RGSR_EL1_SEED_SHIFT;	/* a zero seed stalls IRG */
		kvmmte_write_rgsr_el1(rgsr);
		kvmmte_write_gcr_el1(exclude);
		kvmmte_write_tfsr_el1(tfsr);
		kvmmte_write_tfsre0_el1(tfsre0);
		kvmmte_isb();

		world_smc(SMC_YIELD, 0, 0, 0);

		world_expect(r, CHECK_RGSR, rgsr, kvmmte_read_rgsr_el1());
		world_expect(r, CHECK_GCR, exclude, kvmmte_read_gcr_el1());
		world_expect(r, CHECK_TFSR, tfsr, kvmmte_read_tfsr_el1());
		world_expect(r, CHECK_TFSRE0, tfsre0, kvmmte_read_tfsre0_el1());
		world_irg_check(r, allowed);
		r->rounds++;
	}
	(void)id;
	world_smc(SMC_DONE, r->rounds, 0, 0);
	for (;;)
		;
}
