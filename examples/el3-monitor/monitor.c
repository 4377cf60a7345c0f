// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * A firmware-style EL3 monitor that switches a secure and a non-secure EL1
 * world on SMC, the way TF-A's context management does, with libkvmmte
 * saving and restoring each world's whole MTE state from C.
 *
 *   qemu-system-aarch64 -M virt,secure=on,virtualization=on,mte=on -cpu max \
 *       -nographic -semihosting -kernel el3-monitor.elf -append "rounds=N seed=S ns_mte=0|1"
 *
 * Each world sets its own RGSR/GCR/TFSR/TFSRE0, yields with SMC, and on
 * return checks that it finds exactly its own values and that IRG draws
 * only from its own tag set (the two sets are disjoint): the other world's
 * state never shows through.  With ns_mte=0 the non-secure world runs with
 * SCR_EL3.ATA clear: tag generation is off for it (IRG gives tag 0 only)
 * while the secure world's state still survives every switch.  Exit status
 * 0 only if both worlds agree.
 */
#include <platform.h>
#include <kvmmte/kvmmte.h>
#include <kvmmte/sysreg-access.h>
#include "world.h"

#define SCR_NS		(1UL << 0)
#define SCR_RES1	(3UL << 4)
#define SCR_HCE		(1UL << 8)
#define SCR_RW		(1UL << 10)	/* the lower ELs are AArch64 */
#define SPSR_EL1H_DAIF	0x3c5UL

/*
 * Each CPU switches its own pair of worlds: per-CPU contexts, as TF-A keeps
 * a context per CPU and security state.  TPIDR_EL3 points at the world
 * running on this CPU (start.S); which pair is this CPU's comes from its
 * MPIDR (plat_cpu_index()).  This example runs the boot CPU's pair only;
 * a normal world that starts the other CPUs (PSCI through this monitor)
 * would get each of them its own pair from the same array.
 */
#define WORLD_SECURE	0
#define WORLD_NS	1
static struct world worlds[PLAT_MAX_CPUS][2];
static uint8_t world_stacks[PLAT_MAX_CPUS][2][8192] __attribute__((aligned(16)));

static struct world *this_cpu_worlds(void)
{
	return worlds[plat_cpu_index()];
}

void monitor_main(void);
struct world *monitor_smc(struct world *w);
void monitor_unexpected(uint64_t vector, uint64_t esr, uint64_t elr);
int plat_app_main(const char *cmdline);
void el3_enter_world(struct world *w) __attribute__((noreturn));

/* Leaving a world: its EL1 system registers and its whole MTE state. */
static void world_save(struct world *w)
{
	plat_el1ctx_save(&w->el1, false);
	kvmmte_state_save(&w->mte);
	kvmmte_el2_state_save(&w->el2);
}

/* Entering one: the reverse, and SCR_EL3 with this world's NS and ATA. */
static void world_restore(const struct world *w)
{
	plat_el1ctx_restore(&w->el1, false);
	kvmmte_state_restore(&w->mte);
	kvmmte_el2_state_restore(&w->el2);
	kvmmte_write_scr_el3(w->scr_el3);
	/* No ISB: the ERET that follows synchronises every write above. */
}

static void world_init(struct world *w, unsigned int id, bool secure, bool mte,
		       uint16_t allowed, uint64_t rounds, uint64_t seed)
{
	w->name = secure ? "secure" : "non-secure";
	w->has_mte = mte;
	w->allowed_tags = mte ? allowed : 0x0001;	/* no tag access: IRG gives 0 */
	w->gpr[0] = id;
	w->gpr[1] = rounds;
	w->gpr[2] = seed;
	w->gpr[3] = (uint64_t)(uintptr_t)&w->report;
	w->gpr[4] = w->allowed_tags;
	w->gpr[5] = mte;
	w->elr_el3 = (uint64_t)(uintptr_t)world_main;
	w->spsr_el3 = SPSR_EL1H_DAIF;
	w->el1.sp_el1 = (uint64_t)(uintptr_t)&world_stacks[plat_cpu_index()][id][sizeof(world_stacks[0][id])];
	/* MMU off, tag access on: IRG follows GCR/RGSR only when ATA is set. */
	w->el1.sctlr_el1 = KVMMTE_SCTLR_ATA | 0x30d00800UL;	/* + RES1 bits */
	/*
	 * A fresh world starts with a known MTE state, never another world's.
	 * The seed is non-zero so that IRG would give non-zero tags if tag
	 * access leaked into a world that must not have it.
	 */
	w->mte = (struct kvmmte_state){ (0x5a5aUL + id) << KVMMTE_RGSR_EL1_SEED_SHIFT, 0, 0, 0 };
	w->el2.tfsr_el2 = 0;
	/* Per world: NS, and ATA only for a world that has MTE. */
	w->scr_el3 = SCR_RES1 | SCR_RW | (mte ? KVMMTE_SCR_EL3_ATA : 0) |
		     (secure ? 0 : SCR_NS | SCR_HCE);
}

static const char *const check_names[] = { "RGSR_EL1", "GCR_EL1", "TFSR_EL1", "TFSRE0_EL1", "IRG tag" };

static void report(const struct world *w)
{
	unsigned int t;

	plat_printf("\n%s world (EL1, SCR_EL3.NS=%lu ATA=%lu), tag set 0x%04x:\n", w->name,
		    (unsigned long)(w->scr_el3 & SCR_NS),
		    (unsigned long)((w->scr_el3 & KVMMTE_SCR_EL3_ATA) != 0), w->allowed_tags);
	plat_printf("  %lu rounds, %lu SMCs, %lu mismatches\n  IRG tags:",
		    (unsigned long)w->report.rounds, (unsigned long)w->smcs,
		    (unsigned long)w->report.mismatches);
	for (t = 0; t < 16; t++)
		if (w->report.tags[t])
			plat_printf(" %x:%lu", t, (unsigned long)w->report.tags[t]);
	plat_printf("\n");
}

static void finish(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < 2; i++) {
		const struct world *w = &this_cpu_worlds()[i];
		unsigned int t;

		report(w);
		bad += w->report.mismatches != 0 || w->report.rounds == 0;
		for (t = 0; t < 16; t++)
			if (w->report.tags[t] && !(w->allowed_tags & (1U << t)))
				bad++;
	}
	plat_printf("\nel3-monitor: %s\n", bad ? "FAILED: a world saw state that was not its own"
					      : "each world saw only its own MTE state");
	plat_exit(bad ? 1 : 0);
}

struct world *monitor_smc(struct world *w)
{
	uint64_t esr;
	struct world *next = w;
	struct world *pair = this_cpu_worlds();
	unsigned int id = (unsigned int)(w - pair);

	__asm__ volatile("mrs %0, esr_el3" : "=r"(esr));
	if ((esr >> 26) != 0x17) {	/* EC 0x17: SMC from AArch64 */
		plat_printf("el3-monitor: %s world: unexpected exception, ESR_EL3 0x%lx ELR_EL3 0x%lx\n",
			    w->name, (unsigned long)esr, (unsigned long)w->elr_el3);
		plat_exit(2);
	}
	w->smcs++;
	switch (w->gpr[0]) {
	case SMC_YIELD:
		break;
	case SMC_MISMATCH:
		if (++w->mismatches_shown > 8)	/* the count is in the report */
			return w;
		plat_printf("  %s world: %s expected 0x%lx, found 0x%lx\n", w->name,
			    w->gpr[1] < 5 ? check_names[w->gpr[1]] : "?",
			    (unsigned long)w->gpr[2], (unsigned long)w->gpr[3]);
		return w;
	case SMC_DONE:
		w->done = true;
		break;
	default:
		w->gpr[0] = (uint64_t)-1;	/* SMCCC NOT_SUPPORTED */
		return w;
	}
	if (!pair[id ^ 1].done)
		next = &pair[id ^ 1];
	else if (w->done)
		finish();
	if (next != w) {
		world_save(w);
		world_restore(next);
	}
	return next;
}

void monitor_unexpected(uint64_t vector, uint64_t esr, uint64_t elr)
{
	plat_printf("el3-monitor: unexpected exception, vector %lu ESR_EL3 0x%lx ELR_EL3 0x%lx\n",
		    (unsigned long)vector, (unsigned long)esr, (unsigned long)elr);
	plat_exit(3);
}

void monitor_main(void)
{
	static char cmdline[256];
	struct kvmmte_caps caps;
	uint64_t rounds, seed, ns_mte, sctlr;
	int level;

	plat_cmdline(cmdline, sizeof(cmdline));
	rounds = plat_cmdline_u64(cmdline, "rounds", 200);
	seed = plat_cmdline_u64(cmdline, "seed", 1);
	ns_mte = plat_cmdline_u64(cmdline, "ns_mte", 1);
	level = kvmmte_init(0);
	kvmmte_cpu_caps(&caps);
	/*
	 * ITFSB: taking an exception to EL3 synchronises the world's pending
	 * asynchronous tag-check faults into its TFSR_EL1 before world_save()
	 * reads it, so none can surface in the other world.
	 */
	__asm__ volatile("mrs %0, sctlr_el3" : "=r"(sctlr));
	sctlr |= KVMMTE_SCTLR_ITFSB;
	__asm__ volatile("msr sctlr_el3, %0\n\tisb" : : "r"(sctlr));
	plat_printf("el3-monitor: EL%lu, MTE level %d, SCTLR_EL3.ITFSB %lu, rounds=%lu seed=%lu ns_mte=%lu\n",
		    (unsigned long)(kvmmte_read_currentel() >> 2), level,
		    (unsigned long)((sctlr & KVMMTE_SCTLR_ITFSB) != 0),
		    (unsigned long)rounds, (unsigned long)seed, (unsigned long)ns_mte);
	if (level < KVMMTE_PFR1_MTE_MTE2) {
		plat_printf("el3-monitor: needs FEAT_MTE2 (run QEMU with mte=on)\n");
		plat_exit(1);
	}
	/* Non-secure EL1 is AArch64 with tag access allowed by EL2. */
	kvmmte_write_hcr_el2(KVMMTE_HCR_EL2_RW | KVMMTE_HCR_EL2_ATA);
	world_init(&this_cpu_worlds()[WORLD_SECURE], WORLD_SECURE, true, true, 0x00fe, rounds,
		   seed);	/* tags 1-7 */
	world_init(&this_cpu_worlds()[WORLD_NS], WORLD_NS, false, ns_mte != 0, 0xfe00, rounds,
		   seed + 1);	/* tags 9-15 */
	/* The monitor's own MTE state is whatever reset left; enter the secure world. */
	world_restore(&this_cpu_worlds()[WORLD_SECURE]);
	el3_enter_world(&this_cpu_worlds()[WORLD_SECURE]);
}

/*
 * The platform layer's boot path (EL2 only) would call this; the monitor
 * enters at el3_start instead (linked with -e el3_start), so it never runs.
 */
int plat_app_main(const char *cmdline)
{
	(void)cmdline;
	return 2;
}
