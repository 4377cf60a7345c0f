// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The secure world that preempts Linux on each CPU (issue 16): an S-EL1
 * program with MTE state of its own, checked on every step.  Built with
 * +memtag for IRG, LDG and STG.
 *
 * Set-up, once per CPU: its own stage 1 (identity: the monitor's 2 MiB,
 * where its code, stack and report live, as Normal memory without tags;
 * the first 2 MiB of secure RAM as Tagged Normal), its own vector table,
 * SCTLR_EL1.ATA and TCF = sync; then a tagged buffer of its own in secure
 * RAM, every granule set with STG to a pattern drawn from its seed and
 * restricted to its IRG tag set.  Linux can not address secure RAM, so
 * nothing but a broken world switch (or monitor) can change what is there.
 *
 * Each step, between two preemptions (one SMC_YIELD each):
 *
 *   1. its RGSR_EL1, GCR_EL1, TFSR_EL1 and TFSRE0_EL1 read back what it
 *      left, and IRG draws from its own tag set (as world.c's world_main());
 *   2. its EL1 translation and vector registers read back what it set;
 *   3. every granule's tag (LDG) is the pattern's; one page's data read
 *      through pointers with the right tags, so under TCF = sync;
 *   4. its own synchronous tag-check fault: TFSR_EL1 cleared, a load with
 *      a tag the granule does not have, which must trap once to its vector
 *      (Data Abort, EC 0x25, DFSC 0x11) at that load with FAR at its
 *      address, and leave TFSR_EL1 at zero;
 *   5. the page just read gets a new tag pattern and new data;
 *   6. new random RGSR/GCR/TFSRE0 values, and for TFSR_EL1 either a random
 *      value (even steps) or its own asynchronous fault (odd steps): TCF =
 *      async, the same kind of load, DSB + ISB, and TFSR_EL1 must read TF0
 *      and nothing else (the address has bit 55 clear); the bit is left
 *      pending across the switch and is what step 1 expects next time.
 *
 * The order keeps the two users of TFSR_EL1 apart: step 1 judges the value
 * step 6 left (random or the fault's), step 4 starts from zero, and the
 * fault of step 6 starts from zero too.  Any tag-check fault it did not
 * provoke is a mismatch (and skipped, so the step goes on); any other
 * exception ends the run through SMC_SEC_FAULT.
 */
#include <platform.h>
#include <mmu.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/sysreg-access.h>
#include "secure-world.h"

#define PAGE_SIZE		4096UL
#define GRANULE			KVMMTE_TAG_GRANULE
#define GRANULES_PER_PAGE	(PAGE_SIZE / GRANULE)
#define TAGGED_SIZE		(SEC_TAGGED_PAGES * PAGE_SIZE)
#define SZ_2M			(1UL << 21)

/* ESR_ELx (Arm ARM D24.2.46): a Data Abort from the current EL, tag-check fault. */
#define ESR_EC_SHIFT		26
#define ESR_EC_DABT_CUR		0x25
#define ESR_DFSC_MASK		0x3fUL
#define DFSC_TAG_CHECK		0x11
#define VECTOR_CUR_SPX_SYNC	4	/* slot: current EL with SP_ELx, synchronous */
/* FAR_ELx[63:60] are UNKNOWN after a synchronous tag-check fault. */
#define FAR_KNOWN_MASK		((1UL << 60) - 1)
#define SCTLR_TCF(mode)		((uint64_t)(mode) << KVMMTE_SCTLR_TCF_SHIFT)

struct sec_cpu {
	struct plat_s1 s1;		/* first: page aligned */
	struct sec_report *r;
	uint64_t seed, allowed;
	uint8_t *buf;			/* SEC_TAGGED_PAGES pages of secure RAM */
	uint64_t gen[SEC_TAGGED_PAGES];	/* each page's pattern generation */
	/* The pattern's tags, computed once per generation: each step reads them all. */
	uint8_t tags[SEC_TAGGED_PAGES][GRANULES_PER_PAGE];
	bool per_granule;
	/* The tagged address of the one fault sec_tag_load() may take now, or 0. */
	volatile uint64_t expect_far;
	/* What its EL1 registers must read, step 2. */
	uint64_t sctlr, tcr, mair, ttbr0, vbar;
};

static struct sec_cpu sec_cpus[PLAT_MAX_CPUS];

extern const char sec_vectors[];
uint64_t sec_tag_load(uint64_t p);
uint64_t sec_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);

static uint64_t with_tag(const void *p, unsigned int tag)
{
	return ((uint64_t)(uintptr_t)p & ~(0xfUL << KVMMTE_ADDR_TAG_SHIFT)) |
	       ((uint64_t)tag << KVMMTE_ADDR_TAG_SHIFT);
}

static void stg(uint64_t p)
{
	__asm__ volatile("stg %0, [%0]" : : "r"(p) : "memory");
}

static unsigned int ldg(const void *p)
{
	uint64_t v = (uint64_t)(uintptr_t)p;

	__asm__ volatile("ldg %0, [%0]" : "+r"(v) : : "memory");
	return (v >> KVMMTE_ADDR_TAG_SHIFT) & 0xf;
}

static void sec_fatal(uint64_t a, uint64_t b, uint64_t c)
{
	for (;;)
		world_smc(SMC_SEC_FAULT, a, b, c);
}

/* The @x-th (mod its size) tag of the set @allowed (not empty). */
static unsigned int pick_tag(uint64_t allowed, uint64_t x)
{
	unsigned int n = 0, t;

	for (t = 0; t < 16; t++)
		n += (allowed >> t) & 1;
	x %= n;
	for (t = 0;; t++)
		if (((allowed >> t) & 1) && !x--)
			return t;
}

/*
 * Granule @g of page @page: its tag in the current pattern.  With one tag
 * per page (QEMU 7.2, issue 1416) every granule of a page shares one.
 */
static unsigned int pattern_tag(const struct sec_cpu *c, unsigned int page, unsigned int g)
{
	uint64_t x = c->seed ^ ((uint64_t)page << 40) ^ (c->gen[page] << 20) ^
		     (c->per_granule ? g : 0);

	return pick_tag(c->allowed, plat_splitmix64(&x));
}

static uint64_t pattern_word(const struct sec_cpu *c, unsigned int page, unsigned int w)
{
	return (c->seed << 32) ^ ((uint64_t)page << 56) ^ (c->gen[page] << 12) ^ w;
}

static uint8_t *granule_addr(const struct sec_cpu *c, unsigned int page, unsigned int g)
{
	return c->buf + page * PAGE_SIZE + g * GRANULE;
}

/* Page @page: its pattern's tags with STG, then its data through them. */
static void tag_page(struct sec_cpu *c, unsigned int page)
{
	unsigned int g;

	for (g = 0; g < GRANULES_PER_PAGE; g++) {
		c->tags[page][g] = pattern_tag(c, page, g);
		stg(with_tag(granule_addr(c, page, g), c->tags[page][g]));
	}
	for (g = 0; g < GRANULES_PER_PAGE; g++) {
		volatile uint64_t *w = (volatile uint64_t *)(uintptr_t)
			with_tag(granule_addr(c, page, g), c->tags[page][g]);

		w[0] = pattern_word(c, page, 2 * g);
		w[1] = pattern_word(c, page, 2 * g + 1);
	}
	c->r->retags++;
}

/*
 * Which tag storage this memory has.  Each granule of the first page gets
 * the next tag of the set: per-granule storage keeps them all.  QEMU 7.2
 * keeps one byte per page (two granules' worth), so granules 0 and 2 come
 * back alike there: it is only consistent when a page has one tag, which
 * the pattern then gives it.  A tag that does not come back even then
 * means no tag storage here at all.
 */
static void probe_tag_storage(struct sec_cpu *c)
{
	unsigned int g, t = pick_tag(c->allowed, 1);

	for (g = 0; g < GRANULES_PER_PAGE; g++)
		stg(with_tag(granule_addr(c, 0, g), pick_tag(c->allowed, g)));
	c->per_granule = true;
	for (g = 0; g < GRANULES_PER_PAGE; g++)
		c->per_granule &= ldg(granule_addr(c, 0, g)) == pick_tag(c->allowed, g);
	c->r->per_granule = c->per_granule;
	for (g = 0; g < GRANULES_PER_PAGE; g++)
		stg(with_tag(granule_addr(c, 0, g), t));
	if (ldg(granule_addr(c, 0, 0)) != t)
		sec_fatal(0, SEC_SETUP_NO_TAGS, ldg(granule_addr(c, 0, 0)));
}

/*
 * Its own stage 1 and vectors, MMU on with TCF = sync.  The TLB may hold
 * anything from before (the architecture does not clear it at reset), so
 * the secure EL1&0 regime's entries go first.  Linux's regime is a
 * different one (non-secure), so neither world's TLB entries need
 * maintenance on a switch; its registers do (the monitor's plat_el1ctx).
 */
static void mmu_on(struct sec_cpu *c)
{
	uint64_t image = (uintptr_t)plat_image_start & ~(SZ_2M - 1);

	plat_s1_init(&c->s1);
	if ((uintptr_t)plat_image_end > image + SZ_2M ||
	    plat_s1_map(&c->s1, image, SZ_2M, PLAT_MAP_NORMAL) ||
	    plat_s1_map(&c->s1, SEC_RAM_BASE, SZ_2M, PLAT_MAP_TAGGED | PLAT_MAP_NOEXEC))
		sec_fatal(0, SEC_SETUP_NO_TABLES, (uintptr_t)plat_image_end);
	c->mair = PLAT_S1_MAIR;
	c->tcr = PLAT_S1_TCR;	/* TBI0: tagged pointers; TCMA0 clear: tag 0 is checked too */
	c->ttbr0 = plat_s1_ttbr0(&c->s1);
	c->vbar = (uintptr_t)sec_vectors;
	c->sctlr = PLAT_SCTLR_EL1_MMU_ON | KVMMTE_SCTLR_ATA | SCTLR_TCF(KVMMTE_TCF_SYNC);
	plat_write_sysreg(mair_el1, c->mair);
	plat_write_sysreg(tcr_el1, c->tcr);
	plat_write_sysreg(ttbr0_el1, c->ttbr0);
	plat_write_sysreg(vbar_el1, c->vbar);
	plat_write_sysreg(tpidr_el1, (uintptr_t)c);
	__asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
	plat_write_sysreg(sctlr_el1, c->sctlr);
	plat_isb();
}

/* Step 2: the EL1 registers that make it what it is. */
static void check_el1(struct sec_cpu *c)
{
	struct world_report *r = &c->r->regs;

	world_expect(r, SEC_CHECK_EL1, c->sctlr, plat_read_sysreg(sctlr_el1));
	world_expect(r, SEC_CHECK_EL1, c->tcr, plat_read_sysreg(tcr_el1));
	world_expect(r, SEC_CHECK_EL1, c->mair, plat_read_sysreg(mair_el1));
	world_expect(r, SEC_CHECK_EL1, c->ttbr0, plat_read_sysreg(ttbr0_el1));
	world_expect(r, SEC_CHECK_EL1, c->vbar, plat_read_sysreg(vbar_el1));
	world_expect(r, SEC_CHECK_EL1, (uintptr_t)c, plat_read_sysreg(tpidr_el1));
}

/* Step 3: every granule's tag, one report per page at most. */
static void check_tags(struct sec_cpu *c)
{
	unsigned int page, g;

	for (page = 0; page < SEC_TAGGED_PAGES; page++) {
		for (g = 0; g < GRANULES_PER_PAGE; g++) {
			unsigned int want = c->tags[page][g];
			unsigned int got = ldg(granule_addr(c, page, g));

			if (want != got) {
				world_expect(&c->r->regs, SEC_CHECK_TAG, want, got);
				break;
			}
		}
		c->r->tag_checks += g;
	}
}

/* Step 3: one page's data, with tag checks on (a wrong tag would trap). */
static void check_data(struct sec_cpu *c, unsigned int page)
{
	unsigned int g;

	for (g = 0; g < GRANULES_PER_PAGE; g++) {
		const volatile uint64_t *w = (const volatile uint64_t *)(uintptr_t)
			with_tag(granule_addr(c, page, g), c->tags[page][g]);
		uint64_t w0 = w[0], w1 = w[1];

		if (w0 != pattern_word(c, page, 2 * g) || w1 != pattern_word(c, page, 2 * g + 1)) {
			world_expect(&c->r->regs, SEC_CHECK_DATA, pattern_word(c, page, 2 * g), w0);
			break;
		}
	}
	c->r->data_checks += 2 * g;
}

/* A tagged pointer to granule @g of @page with a tag it does not have. */
static uint64_t wrong_tag_ptr(const struct sec_cpu *c, unsigned int page, unsigned int g)
{
	return with_tag(granule_addr(c, page, g), c->tags[page][g] ^ 0x8);
}

/* Step 4: one synchronous tag-check fault, taken by sec_exception(). */
static void provoke_sync(struct sec_cpu *c, uint64_t step)
{
	uint64_t before = c->r->sync_faults;
	uint64_t p = wrong_tag_ptr(c, step % SEC_TAGGED_PAGES, (step * 7) % GRANULES_PER_PAGE);

	kvmmte_write_tfsr_el1(0);
	kvmmte_isb();
	c->expect_far = p;
	sec_tag_load(p);
	c->expect_far = 0;
	world_expect(&c->r->regs, SEC_CHECK_SYNC, before + 1, c->r->sync_faults);
	world_expect(&c->r->regs, SEC_CHECK_ASYNC, 0, kvmmte_read_tfsr_el1());
}

/* Step 6, odd steps: one asynchronous fault, left pending in TFSR_EL1. */
static void provoke_async(struct sec_cpu *c, uint64_t step)
{
	uint64_t p = wrong_tag_ptr(c, (step + 1) % SEC_TAGGED_PAGES, (step * 11) % GRANULES_PER_PAGE);
	uint64_t tfsr;

	kvmmte_write_tfsr_el1(0);
	plat_write_sysreg(sctlr_el1, (c->sctlr & ~KVMMTE_SCTLR_TCF_MASK) | SCTLR_TCF(KVMMTE_TCF_ASYNC));
	kvmmte_isb();
	sec_tag_load(p);
	/* The fault is recorded in TFSR_EL1 by the time these complete. */
	__asm__ volatile("dsb nsh\n\tisb" ::: "memory");
	tfsr = kvmmte_read_tfsr_el1();
	plat_write_sysreg(sctlr_el1, c->sctlr);
	kvmmte_isb();
	if (tfsr == KVMMTE_TFSR_TF0_MASK)
		c->r->async_faults++;
	else
		world_expect(&c->r->regs, SEC_CHECK_ASYNC, KVMMTE_TFSR_TF0_MASK, tfsr);
}

/*
 * Every exception at S-EL1 (secure-vectors.S); returns where to resume.
 * TPIDR_EL1 says whose it is: a switch that lost it is caught here too.
 */
uint64_t sec_exception(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	struct sec_cpu *c = (struct sec_cpu *)(uintptr_t)plat_read_sysreg(tpidr_el1);
	bool tag_fault = vector == VECTOR_CUR_SPX_SYNC && (esr >> ESR_EC_SHIFT) == ESR_EC_DABT_CUR &&
			 (esr & ESR_DFSC_MASK) == DFSC_TAG_CHECK;
	bool ours = c >= sec_cpus && c < sec_cpus + PLAT_MAX_CPUS;

	if (!tag_fault || !ours)
		sec_fatal(esr, elr, far);
	if (c->expect_far && elr == (uintptr_t)sec_tag_load &&
	    !((far ^ c->expect_far) & FAR_KNOWN_MASK)) {
		c->expect_far = 0;
		c->r->sync_faults++;
	} else {
		world_expect(&c->r->regs, SEC_CHECK_SYNC, c->expect_far, far);
	}
	return elr + 4;
}

void sec_world_main(uint64_t cpu, struct sec_report *r, uint64_t seed, uint64_t allowed)
{
	struct sec_cpu *c = &sec_cpus[cpu % PLAT_MAX_CPUS];
	const uint64_t exclude = ~allowed & KVMMTE_GCR_EL1_EXCLUDE_MASK;
	struct plat_prng prng;
	unsigned int page;
	uint64_t step;

	c->r = r;
	c->seed = seed;
	c->allowed = allowed;
	c->buf = (uint8_t *)(SEC_TAGGED_BASE + cpu * SEC_TAGGED_STRIDE);
	c->expect_far = 0;
	mmu_on(c);
	probe_tag_storage(c);
	for (page = 0; page < SEC_TAGGED_PAGES; page++)
		tag_page(c, page);

	plat_prng_seed(&prng, seed);
	for (step = 0;; step++) {
		uint64_t x = plat_prng_u64(&prng);
		/* RRND=0: IRG uses RGSR_EL1's seed, so the values replay exactly. */
		uint64_t rgsr = ((x & 0xffff) << KVMMTE_RGSR_EL1_SEED_SHIFT) | ((x >> 16) & 0xf);
		uint64_t tfsre0 = (x >> 22) & KVMMTE_TFSRE0_EL1_VALID_MASK;
		uint64_t tfsr;

		if (!(rgsr & KVMMTE_RGSR_EL1_SEED_MASK))
			rgsr |= 1UL << KVMMTE_RGSR_EL1_SEED_SHIFT;	/* a zero seed stalls IRG */
		if (step & 1) {
			provoke_async(c, step);
			tfsr = KVMMTE_TFSR_TF0_MASK;
		} else {
			tfsr = (x >> 20) & KVMMTE_TFSR_VALID_MASK;
			kvmmte_write_tfsr_el1(tfsr);
		}
		kvmmte_write_rgsr_el1(rgsr);
		kvmmte_write_gcr_el1(exclude);
		kvmmte_write_tfsre0_el1(tfsre0);
		kvmmte_isb();

		world_smc(SMC_YIELD, 0, 0, 0);

		world_expect(&r->regs, CHECK_RGSR, rgsr, kvmmte_read_rgsr_el1());
		world_expect(&r->regs, CHECK_GCR, exclude, kvmmte_read_gcr_el1());
		world_expect(&r->regs, CHECK_TFSR, tfsr, kvmmte_read_tfsr_el1());
		world_expect(&r->regs, CHECK_TFSRE0, tfsre0, kvmmte_read_tfsre0_el1());
		world_irg_check(&r->regs, allowed);
		check_el1(c);
		check_tags(c);
		page = step % SEC_TAGGED_PAGES;
		check_data(c, page);
		provoke_sync(c, step);
		c->gen[page]++;
		tag_page(c, page);
		r->regs.rounds++;
	}
}
