/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Exact instruction counting for benchmarks at EL2 under
 * qemu-system-aarch64 -icount shift=0 (method: docs/bench.md).
 *
 * Counter 0 counts INST_RETIRED (0x08) at every EL (NSH, bit 27, adds EL2);
 * counter 1 counts it at EL2 only (P, bit 31, and U, bit 30, drop EL1 and
 * EL0).  Under icount every retired instruction is counted exactly and
 * deterministically; without icount the numbers mean nothing.
 */
#ifndef KVMMTE_BENCH_PMU_H
#define KVMMTE_BENCH_PMU_H

#include <stdint.h>

#define BENCH_PMEVTYPER_P	(1UL << 31)
#define BENCH_PMEVTYPER_U	(1UL << 30)
#define BENCH_PMEVTYPER_NSH	(1UL << 27)
#define BENCH_EVT_INST_RETIRED	0x08
#define BENCH_PMCR_E		(1UL << 0)
#define BENCH_PMCR_P		(1UL << 1)
#define BENCH_PMCR_C		(1UL << 2)
#define BENCH_PMCR_LC		(1UL << 6)

static inline void bench_pmu_init(void)
{
	__asm__ volatile(
		"msr pmevtyper0_el0, %0\n\t"
		"msr pmevtyper1_el0, %1\n\t"
		"msr pmccfiltr_el0, %2\n\t"
		"msr pmcntenset_el0, %3\n\t"
		"msr pmcr_el0, %4\n\t"
		"isb"
		: : "r"(BENCH_PMEVTYPER_NSH | BENCH_EVT_INST_RETIRED),
		    "r"(BENCH_PMEVTYPER_P | BENCH_PMEVTYPER_U | BENCH_PMEVTYPER_NSH |
			BENCH_EVT_INST_RETIRED),
		    "r"(BENCH_PMEVTYPER_NSH), "r"((1UL << 31) | 3UL),
		    "r"(BENCH_PMCR_E | BENCH_PMCR_P | BENCH_PMCR_C | BENCH_PMCR_LC));
}

/* Counter 0: every EL. */
static inline uint64_t bench_pmu_read(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, pmevcntr0_el0" : "=r"(v) : : "memory");
	return v;
}

#endif /* KVMMTE_BENCH_PMU_H */
