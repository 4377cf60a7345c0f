// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The guests' program (EL1).  One binary, three guests: each gets its own
 * RAM (struct guest_boot at its start says who it is) and builds its own
 * stage-1 tables.  A guest with MTE (as ID_AA64PFR1_EL1 says, sanitised by
 * minihv) runs rounds of tagged work and checks, before every IRG, that
 * GCR_EL1/RGSR_EL1/TFSR_EL1/TFSRE0_EL1 are what it left there, however
 * often it was preempted; a guest without MTE checks that every MTE
 * register access UNDEFs.  Both report what they saw, then HVC DONE with their failures.
 *
 * Built with -march=armv8.5-a+memtag (IRG/STG/LDG, named MTE registers).
 * Every piece of state lives in the guest's own RAM: the image is
 * mapped read-only.
 */
#include "platform.h"
#include "mmu.h"
#include "minihv.h"

/* Guest RAM: struct guest_boot, then these; the stack ends at GUEST_STACK_TOP. */
#define RAM_STATE	0x1000		/* struct guest */
#define RAM_TABLES	0x10000		/* struct plat_s1 */
#define RAM_HEAP	GUEST_STACK_TOP	/* tagged heap: SLOTS x SLOT bytes */
#define SLOTS		64
#define SLOT		64
#define SEQ		32		/* IRG tags per replay pass */
#define SHOWN		2		/* events of each kind printed as they happen */

#define TAG(p)		((unsigned int)((p) >> 56) & 0xf)
#define ADDR(p)		((p) & 0x00ffffffffffffffUL)
#define ESR_EC(esr)	((unsigned int)((esr) >> 26) & 0x3f)
#define EC_UNKNOWN	0x00
#define EC_SYS64	0x18
#define EC_DABT_CUR	0x25
#define DFSC_TAG_CHECK	0x11

#define HVC(imm, arg) ({						\
	register uint64_t x0_ __asm__("x0") = (arg);			\
	__asm__ volatile("hvc #" KVMMTE_STRINGIFY(imm) : "+r"(x0_) : : "memory"); \
	x0_; })

struct guest {
	struct guest_boot *boot;
	struct plat_prng rng;
	bool mte;
	unsigned int level;
	uint64_t gcr, rgsr, tfsre0;	/* what GCR_EL1/RGSR_EL1/TFSRE0_EL1 must hold */
	uint64_t slot[SLOTS];		/* tagged pointers into the heap */
	uint64_t seen_slices;		/* boot->slices at the last check */
	/* what it saw */
	unsigned long rounds, failures, checks, fresh_checks, irgs, replays, split_replays;
	unsigned long hist[16], sync_faults, async_faults, foreign_faults;
	unsigned long undefs[6];
	/* the exception handler's side */
	volatile uint64_t expect_far, undef_elr, undef_ec;
	volatile unsigned long got_fault;
	char line[200], xline[200];
};

#define say(g, ...) do {						\
	plat_snprintf((g)->line, sizeof((g)->line), __VA_ARGS__);	\
	HVC(HVC_PRINT, (uintptr_t)(g)->line);				\
} while (0)

/* Count a check; say the first few that fail. */
#define check(g, cond, ...) do {					\
	(g)->checks++;							\
	if (!(cond) && (g)->failures++ < 5)				\
		say(g, "FAIL: " __VA_ARGS__);				\
} while (0)

static inline uint64_t irg(uint64_t p, uint64_t exclude)
{
	__asm__ volatile("irg %0, %0, %1" : "+r"(p) : "r"(exclude));
	return p;
}

static void stg(uint64_t p)
{
	__asm__ volatile("stg %0, [%0]" : : "r"(p) : "memory");
}

static unsigned int ldg(uint64_t p)
{
	uint64_t t = ADDR(p);

	__asm__ volatile("ldg %0, [%1]" : "+r"(t) : "r"(p) : "memory");
	return TAG(t);
}

static void isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

/*
 * The guest's MTE registers must read back as it left them, on every IRG,
 * however often it was switched out in between.  A check is "fresh" if it
 * is the first since minihv switched the guest back in.
 */
static uint64_t checked_irg(struct guest *g, uint64_t p, uint64_t exclude)
{
	uint64_t gcr, rgsr, tfsr, tfsre0;
	unsigned int t;

	if (g->boot->slices != g->seen_slices) {
		g->seen_slices = g->boot->slices;
		g->fresh_checks++;
	}
	gcr = plat_read_sysreg(gcr_el1);
	rgsr = plat_read_sysreg(rgsr_el1);
	tfsr = plat_read_sysreg(tfsr_el1);
	tfsre0 = plat_read_sysreg(tfsre0_el1);
	check(g, gcr == g->gcr, "GCR_EL1 0x%lx, mine is 0x%lx", gcr, g->gcr);
	check(g, rgsr == g->rgsr, "RGSR_EL1 0x%lx, I left 0x%lx", rgsr, g->rgsr);
	check(g, tfsr == 0, "TFSR_EL1 0x%lx: an asynchronous fault I did not make", tfsr);
	check(g, tfsre0 == g->tfsre0, "TFSRE0_EL1 0x%lx, I left 0x%lx", tfsre0, g->tfsre0);
	p = irg(p, exclude);
	g->rgsr = plat_read_sysreg(rgsr_el1);
	t = TAG(p);
	g->hist[t]++;
	g->irgs++;
	check(g, !(g->gcr >> t & 1), "IRG gave tag %x, excluded by my GCR_EL1 0x%lx", t, g->gcr);
	return p;
}

static void set_rgsr(struct guest *g, uint64_t rgsr)
{
	plat_write_sysreg(rgsr_el1, rgsr);
	isb();			/* IRG reads RGSR_EL1 indirectly */
	g->rgsr = rgsr;
}

static uint64_t pattern(uint64_t p, unsigned int k)
{
	return ADDR(p) * 0x9e3779b97f4a7c15UL + k;
}

/* Free slot @i and allocate it again with a new tag; returns the old pointer. */
static uint64_t retag(struct guest *g, unsigned int i)
{
	uint64_t old = g->slot[i], base = (uintptr_t)g->boot + RAM_HEAP + i * SLOT;
	uint64_t p = checked_irg(g, base, old ? 1UL << TAG(old) : 0);
	volatile uint64_t *w = (volatile uint64_t *)p;
	unsigned int k;

	for (k = 0; k < SLOT; k += KVMMTE_TAG_GRANULE)
		stg(p + k);
	for (k = 0; k < SLOT / 8; k++)		/* tag-checked: the tags must match */
		w[k] = pattern(p, k);
	for (k = 0; k < SLOT / 8; k++)
		check(g, w[k] == pattern(p, k), "heap word 0x%lx changed", p + 8 * k);
	check(g, ldg(p) == TAG(p), "LDG 0x%lx: tag %x, STG wrote %x", p, ldg(p), TAG(p));
	g->slot[i] = p;
	return old;
}

/* A load through a freed (stale-tagged) pointer: a synchronous fault. */
static void sync_fault(struct guest *g)
{
	uint64_t stale = retag(g, plat_prng_below(&g->rng, SLOTS)), v;

	g->got_fault = 0;
	g->expect_far = stale;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(stale) : "memory");
	g->expect_far = 0;
	check(g, g->got_fault == 1, "no tag-check fault through stale 0x%lx", stale);
}

/* The same with TCF=2: recorded in TFSR_EL1, which must survive a switch. */
static void async_fault(struct guest *g)
{
	uint64_t stale = retag(g, plat_prng_below(&g->rng, SLOTS)), v, tfsr;
	uint64_t sctlr = plat_read_sysreg(sctlr_el1);

	plat_write_sysreg(sctlr_el1, (sctlr & ~KVMMTE_SCTLR_TCF_MASK) |
			  ((uint64_t)KVMMTE_TCF_ASYNC << KVMMTE_SCTLR_TCF_SHIFT));
	isb();
	__asm__ volatile("ldr %0, [%1]\n\tdsb sy\n\tisb" : "=r"(v) : "r"(stale) : "memory");
	HVC(HVC_YIELD, 0);		/* switched out and back in with it pending */
	tfsr = plat_read_sysreg(tfsr_el1);
	plat_write_sysreg(tfsr_el1, 0);
	plat_write_sysreg(sctlr_el1, sctlr);
	isb();
	/* TF0: the fault was on a TTBR0 address */
	check(g, tfsr == KVMMTE_TFSR_TF0_MASK, "TFSR_EL1 0x%lx after my async fault, expected TF0", tfsr);
	if (tfsr == KVMMTE_TFSR_TF0_MASK && g->async_faults++ < SHOWN)
		say(g, "async tag-check fault via stale 0x%016lx: TFSR_EL1 0x%lx, kept across a yield",
		    stale, tfsr);
}

static void mte_round(struct guest *g)
{
	uint8_t seq[SEQ];
	uint64_t r0 = (uint64_t)(plat_prng_below(&g->rng, 0xffff) + 1) << 8, end;
	uint64_t slices = g->boot->slices;
	bool same = true;
	unsigned int k;

	/* No EL0 code here: flip TFSRE0_EL1.TF0 by hand, it must stay mine too. */
	g->tfsre0 ^= KVMMTE_TFSRE0_EL1_TF0_MASK;
	plat_write_sysreg(tfsre0_el1, g->tfsre0);

	/* IRG is deterministic from RGSR_EL1 (RRND=0): run a sequence twice. */
	set_rgsr(g, r0);
	for (k = 0; k < SEQ; k++)
		seq[k] = (uint8_t)TAG(checked_irg(g, 0, 0));
	end = g->rgsr;
	set_rgsr(g, r0);
	for (k = 0; k < SEQ; k++)
		same &= seq[k] == TAG(checked_irg(g, 0, 0));
	check(g, same && g->rgsr == end, "IRG from RGSR_EL1 0x%lx did not replay", r0);
	g->replays += same && g->rgsr == end;
	g->split_replays += same && g->rgsr == end && g->boot->slices != slices;

	for (k = 0; k < 4; k++)
		retag(g, plat_prng_below(&g->rng, SLOTS));
	if (g->rounds % 8 == 1)
		sync_fault(g);
	if (g->rounds % 8 == 5)
		async_fault(g);
}

/* Accesses a guest without MTE makes: each must UNDEF and read nothing. */
static const char *const probe_names[6] = {
	"mrs GCR_EL1", "msr GCR_EL1", "mrs RGSR_EL1", "mrs TFSR_EL1", "mrs TFSRE0_EL1", "mrs GMID_EL1",
};
#define PROBE(insn) \
	__asm__ volatile("adr %1, 1f\n1:\t" insn : "+r"(v), "=&r"(at) : : "memory")

static void plain_round(struct guest *g)
{
	unsigned int i = (unsigned int)(g->rounds % 6);
	uint64_t v = 0x5a5a5a5a5a5a5a5aUL, at;
	unsigned long k, spin = 2000 + plat_prng_below(&g->rng, 4000);
	bool ok;

	for (k = 0; k < spin; k++)	/* something to be preempted in */
		plat_prng_u64(&g->rng);
	g->undef_elr = 0;
	switch (i) {
	case 0: PROBE("mrs %0, gcr_el1"); break;
	case 1: PROBE("msr gcr_el1, %0"); break;
	case 2: PROBE("mrs %0, rgsr_el1"); break;
	case 3: PROBE("mrs %0, tfsr_el1"); break;
	case 4: PROBE("mrs %0, tfsre0_el1"); break;
	default: PROBE("mrs %0, gmid_el1"); break;
	}
	/*
	 * UNDEF: EC 0x00.  Without MTE2 (no TID5 either) a CPU with FEAT_IDST,
	 * as QEMU's -cpu max without mte=on, reports the GMID_EL1 read, an
	 * absent ID-space register, as EC 0x18 instead: tolerated
	 * (docs/testing-target.md, "Limits").
	 */
	ok = g->undef_elr == at && v == 0x5a5a5a5a5a5a5a5aUL &&
	     (g->undef_ec == EC_UNKNOWN || (i == 5 && g->undef_ec == EC_SYS64));
	check(g, ok, "%s at 0x%lx: exception at 0x%lx EC 0x%lx, value 0x%lx", probe_names[i],
	      at, g->undef_elr, g->undef_ec, v);
	if (ok && g->undefs[i]++ == 0)
		say(g, "%s -> %s (EC 0x%02lx) at 0x%lx, skipped it", probe_names[i],
		    g->undef_ec == EC_UNKNOWN ? "UNDEF" : "refused", g->undef_ec, at);
}

uint64_t guest_exception(uint64_t esr, uint64_t elr, uint64_t far);
uint64_t guest_exception(uint64_t esr, uint64_t elr, uint64_t far)
{
	struct guest *g = (struct guest *)plat_read_sysreg(tpidr_el1);

	if (ESR_EC(esr) == EC_DABT_CUR && (esr & 0x3f) == DFSC_TAG_CHECK) {
		if (g->expect_far && ADDR(far) == ADDR(g->expect_far)) {
			g->got_fault++;
			if (g->sync_faults++ < SHOWN) {
				plat_snprintf(g->xline, sizeof(g->xline),
					      "sync tag-check fault: ESR_EL1 0x%lx FAR 0x%016lx (stale tag %x, memory %x)",
					      esr, far, TAG(g->expect_far), ldg(far));
				HVC(HVC_PRINT, (uintptr_t)g->xline);
			}
		} else {
			g->foreign_faults++;
			if (g->failures++ < 5) {
				plat_snprintf(g->xline, sizeof(g->xline),
					      "FAIL: tag-check fault I did not cause: ESR_EL1 0x%lx FAR 0x%lx",
					      esr, far);
				HVC(HVC_PRINT, (uintptr_t)g->xline);
			}
		}
		return elr + 4;
	}
	if ((ESR_EC(esr) == EC_UNKNOWN || ESR_EC(esr) == EC_SYS64) && !g->mte) {
		g->undef_elr = elr;
		g->undef_ec = ESR_EC(esr);
		return elr + 4;
	}
	/* Not mine to handle: report it as minihv's HVC_CRASH ABI says (4: sync, EL1h). */
	register uint64_t x0 __asm__("x0") = 4, x1 __asm__("x1") = esr, x2 __asm__("x2") = elr;
	__asm__ volatile("hvc #" KVMMTE_STRINGIFY(HVC_CRASH) : : "r"(x0), "r"(x1), "r"(x2));
	for (;;)
		;
}

static void mmu_on(struct guest *g)
{
	struct plat_s1 *t = (struct plat_s1 *)((uintptr_t)g->boot + RAM_TABLES);
	uint64_t image = (uintptr_t)plat_image_start;
	uint64_t image_size = ((uintptr_t)plat_image_end - image + GUEST_RAM_SIZE - 1) &
			      ~(uint64_t)(GUEST_RAM_SIZE - 1);
	uint64_t sctlr = PLAT_SCTLR_EL1_MMU_ON;

	plat_s1_init(t);
	if (plat_s1_map(t, image, image_size, PLAT_MAP_NORMAL | PLAT_MAP_RO) ||
	    plat_s1_map(t, (uintptr_t)g->boot, GUEST_RAM_SIZE,
			(g->mte ? PLAT_MAP_TAGGED : PLAT_MAP_NORMAL) | PLAT_MAP_NOEXEC))
		HVC(HVC_DONE, 1);
	plat_write_sysreg(mair_el1, PLAT_S1_MAIR);
	plat_write_sysreg(tcr_el1, PLAT_S1_TCR);
	plat_write_sysreg(ttbr0_el1, plat_s1_ttbr0(t));
	__asm__ volatile("isb\n\ttlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	if (g->mte)		/* tags on, synchronous tag-check faults at EL1 */
		sctlr |= KVMMTE_SCTLR_ATA | KVMMTE_SCTLR_ITFSB |
			 ((uint64_t)KVMMTE_TCF_SYNC << KVMMTE_SCTLR_TCF_SHIFT);
	plat_write_sysreg(sctlr_el1, sctlr);
	isb();
}

static void report(struct guest *g)
{
	unsigned long outside = 0;
	unsigned int t;
	char *p;

	if (!g->mte) {
		say(g, "report: no MTE (ID_AA64PFR1_EL1.MTE 0), %lu rounds", g->rounds);
		say(g, "  UNDEF at the instruction: mrs GCR %lu, msr GCR %lu, RGSR %lu, "
		    "TFSR %lu, TFSRE0 %lu, GMID %lu", g->undefs[0], g->undefs[1], g->undefs[2],
		    g->undefs[3], g->undefs[4], g->undefs[5]);
	} else {
		say(g, "report: MTE %u, GCR_EL1.Exclude 0x%04lx, %lu rounds, %lu IRG tags:",
		    g->level, g->gcr, g->rounds, g->irgs);
		for (t = 0, p = g->line; t < 16; t++) {
			if (t % 8 == 0)
				p += plat_snprintf(p, 16, "  tags %x-%x:", t, t + 7);
			if (g->gcr >> t & 1) {		/* excluded: must stay 0 */
				outside += g->hist[t];
				p += plat_snprintf(p, 16, " %x:%6s", t, g->hist[t] ? "!!" : "-");
			} else {
				p += plat_snprintf(p, 16, " %x:%6lu", t, g->hist[t]);
			}
			if (t % 8 == 7) {
				HVC(HVC_PRINT, (uintptr_t)g->line);
				p = g->line;
			}
		}
		say(g, "  tags outside my mask: %lu", outside);
		say(g, "  IRG sequence replayed from RGSR_EL1: %lu/%lu rounds, %lu with a switch in between",
		    g->replays, g->rounds, g->split_replays);
		say(g, "  GCR/RGSR/TFSR/TFSRE0_EL1 checked before every IRG, %lu first thing after a switch",
		    g->fresh_checks);
		say(g, "  tag-check faults: %lu sync + %lu async, all mine; %lu not mine",
		    g->sync_faults, g->async_faults, g->foreign_faults);
	}
	say(g, "  result: %s (%lu failed checks)", g->failures ? "FAILED" : "all checks held",
	    g->failures);
}

void guest_main(struct guest_boot *boot);
void guest_main(struct guest_boot *boot)
{
	struct guest *g = (struct guest *)((uintptr_t)boot + RAM_STATE);
	uint64_t pfr1;

	memset(g, 0, sizeof(*g));
	g->boot = boot;
	plat_prng_seed(&g->rng, boot->seed);
	plat_write_sysreg(tpidr_el1, (uintptr_t)g);
	pfr1 = plat_read_sysreg(id_aa64pfr1_el1);	/* trapped: minihv sanitises it */
	g->level = (unsigned int)(pfr1 >> KVMMTE_PFR1_MTE_SHIFT) & 0xf;
	g->mte = g->level >= KVMMTE_PFR1_MTE_MTE2;
	mmu_on(g);
	if (g->mte) {
		g->gcr = boot->gcr_exclude;
		plat_write_sysreg(gcr_el1, g->gcr);
		set_rgsr(g, (boot->seed & 0xffff00) | 0x100);
		for (unsigned int i = 0; i < SLOTS; i++)
			retag(g, i);
	}
	say(g, "up: stage-1 MMU on, ID_AA64PFR1_EL1.MTE %u%s", g->level,
	    g->mte ? ", tagged heap allocated" : ": no MTE, probing its registers");
	while (!boot->stop) {
		if (g->mte)
			mte_round(g);
		else
			plain_round(g);
		if (plat_prng_below(&g->rng, 16) == 0)
			HVC(HVC_YIELD, 0);
		g->rounds++;
	}
	report(g);
	HVC(HVC_DONE, g->failures);
	for (;;)
		;
}
