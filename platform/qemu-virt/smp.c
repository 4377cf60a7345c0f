// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Secondary CPUs on QEMU virt: PSCI (Arm DEN 0022) CPU_ON and
 * AFFINITY_INFO, and a spinlock.
 *
 * Conduit: with virtualization=on and no EL3 (secure=off), QEMU itself
 * implements PSCI and answers SMC from EL2 (its device tree says
 * method = "smc"); HVC would trap to our own EL2.  QEMU virt numbers the
 * CPUs in MPIDR_EL1.Aff0, eight to a cluster: this platform uses cluster
 * 0, all the GICv2 it has can address.
 */
#include "platform.h"
#include "gic.h"

#define PSCI_AFFINITY_INFO_64	0xc4000004U
#define PSCI_CPU_ON_64		0xc4000003U
#define PSCI_CPU_OFF		0x84000002U
#define PSCI_INVALID_PARAMETERS	(-2)
#define PSCI_AFFINITY_OFF	1

/* plat_secondary_entry's argument block, one per CPU. */
struct secondary {
	void (*fn)(void *);
	void *arg;
	volatile uint32_t running;	/* set when fn starts, cleared when it returned */
};
static struct secondary secondaries[PLAT_MAX_CPUS];

void plat_secondary_entry(void);	/* boot.S: x0 = this CPU's index */
void plat_secondary_main(unsigned int cpu);
void plat_el2_baseline(void);		/* platform.c */

static int64_t psci_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

static uint64_t mpidr_of(unsigned int cpu)
{
	return cpu;	/* Aff0; Aff1..3 0 */
}

unsigned int plat_cpu_index(void)
{
	return (unsigned int)(plat_read_sysreg(S3_0_C0_C0_5) & (PLAT_MAX_CPUS - 1));	/* MPIDR_EL1 */
}

unsigned int plat_nr_cpus(void)
{
	unsigned int n = 0;

	while (n < PLAT_MAX_CPUS &&
	       psci_smc(PSCI_AFFINITY_INFO_64, mpidr_of(n), 0, 0) != PSCI_INVALID_PARAMETERS)
		n++;
	return n;
}

int plat_cpu_on(unsigned int cpu, void (*fn)(void *), void *arg)
{
	struct secondary *s;

	if (cpu >= PLAT_MAX_CPUS || cpu == plat_cpu_index())
		return PSCI_INVALID_PARAMETERS;
	/* A CPU that ran something before turns itself off when done: wait for it. */
	while (psci_smc(PSCI_AFFINITY_INFO_64, mpidr_of(cpu), 0, 0) != PSCI_AFFINITY_OFF)
		__asm__ volatile("yield");
	s = &secondaries[cpu];
	s->fn = fn;
	s->arg = arg;
	s->running = 1;
	/* MMU off: the entry's address is its physical address. */
	__asm__ volatile("dsb sy" ::: "memory");
	return (int)psci_smc(PSCI_CPU_ON_64, mpidr_of(cpu), (uintptr_t)plat_secondary_entry, cpu);
}

bool plat_cpu_running(unsigned int cpu)
{
	return cpu < PLAT_MAX_CPUS && __atomic_load_n(&secondaries[cpu].running, __ATOMIC_ACQUIRE);
}

void plat_secondary_main(unsigned int cpu)
{
	struct secondary *s = &secondaries[cpu];

	plat_el2_baseline();
	plat_gic_init_cpu();
	s->fn(s->arg);
	__atomic_store_n(&s->running, 0, __ATOMIC_RELEASE);
	/* Off, so that plat_cpu_on() can start it again; the program ends from the boot CPU. */
	psci_smc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfe");
}

/*
 * A test-and-set lock with acquire/release exclusives.  Written out: with
 * GCC's default -moutline-atomics, __atomic_exchange would call a helper
 * that a freestanding image does not have.  Exclusives on the Device memory
 * of an MMU-off EL2 work under QEMU; hardware needs Normal memory for them.
 */
void plat_spin_lock(struct plat_spinlock *l)
{
	uint32_t tmp, busy;

	__asm__ volatile("	sevl\n"
			 "1:	wfe\n"
			 "2:	ldaxr	%w0, [%2]\n"
			 "	cbnz	%w0, 1b\n"
			 "	mov	%w1, #1\n"
			 "	stxr	%w0, %w1, [%2]\n"
			 "	cbnz	%w0, 2b\n"
			 : "=&r"(tmp), "=&r"(busy) : "r"(&l->locked) : "memory");
}

void plat_spin_unlock(struct plat_spinlock *l)
{
	__asm__ volatile("stlr wzr, [%0]" : : "r"(&l->locked) : "memory");
}

bool plat_spin_trylock(struct plat_spinlock *l)
{
	uint32_t tmp, one = 1, fail;

	__asm__ volatile("	ldaxr	%w0, [%2]\n"
			 "	cbnz	%w0, 1f\n"
			 "	stxr	%w0, %w3, [%2]\n"
			 "	b	2f\n"
			 "1:	clrex\n"
			 "2:"
			 : "=&r"(tmp), "=m"(l->locked) : "r"(&l->locked), "r"(one) : "memory");
	fail = tmp;
	return !fail;
}
