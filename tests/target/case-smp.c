// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Every CPU QEMU has (-smp), at once: the boot CPU and each secondary
 * (started with PSCI CPU_ON) run guests through the library's switch, each
 * with its own per-CPU host context and its own host MTE values, while six
 * vcpus (more than CPUs) move between them at random: hv_vcpu_put() on one
 * CPU, hv_vcpu_load() on the next that picks it.  After every entry the
 * guest reads exactly what it last wrote, on whichever CPU it last ran;
 * after every exit the CPU's own registers are its own host values; after
 * every put the saved state is exact.  Secondaries also call kvmmte_init()
 * when they arrive (the boot CPU did at start-up) and must get the same
 * answer.  Runs only with more than one CPU (target.mk's -smp 4 runs).
 */
#include <kvmmte/sysreg-access.h>
#include "harness.h"

#define NR_VCPUS	GUEST_MAX
#define NO_CPU		(~0U)

struct smp_vcpu {
	struct hv_vcpu v;
	struct plat_spinlock lock;
	struct kvmmte_state truth;	/* what the guest last wrote */
	unsigned int last_cpu;
};

struct smp_cpu {
	struct tt own;			/* a secondary's copy: own PRNG, own failure count */
	struct tt *t;			/* that copy, or the case's own on the boot CPU */
	struct hv_host host;		/* this CPU's host context */
	struct kvmmte_state mine;	/* this CPU's host MTE values */
	enum kvmmte_host_mode mode;
	uint64_t target, rounds, switches, migrations;
	int init_ret;
	bool done;
};

static struct smp_vcpu vcpus[NR_VCPUS];
static struct smp_cpu cpus[PLAT_MAX_CPUS];

static void one_round(struct smp_cpu *c, unsigned int me)
{
	struct tt *t = c->t;
	struct smp_vcpu *sv = &vcpus[tt_below(t, NR_VCPUS)];
	struct hv_vcpu *v = &sv->v;
	struct kvmmte_state hw, saved;

	if (!plat_spin_trylock(&sv->lock))
		return;		/* another CPU runs it now */
	if (sv->last_cpu != me)
		c->migrations++;
	hv_vcpu_load(&c->host, v);
	for (unsigned int k = 0; k < 4; k++) {
		struct guest_mailbox *mb = tt_mb(v);

		mb->next = tt_random_state(t);
		tt_guest_cmd(t, v, tt_random_entry(t, v), GUEST_CMD_EXCHANGE, 0, 0, false);
		TT_CHECK_STATE(t, "guest read its own state (last written on any CPU)",
			       TT_STATE_ALL, &sv->truth, &mb->seen);
		sv->truth = mb->next;
		tt_host_read(t, &hw);
		TT_CHECK_STATE(t, "this CPU's host registers after the exit", TT_STATE_ALL,
			       &c->mine, &hw);
		c->switches += 2;
	}
	hv_vcpu_put(&c->host);
	hv_vcpu_get_mte(v, &saved);
	TT_CHECK_STATE(t, "saved state after put", TT_STATE_ALL, &sv->truth, &saved);
	sv->last_cpu = me;
	plat_spin_unlock(&sv->lock);
	c->rounds++;
}

static int worker(void *arg)
{
	struct smp_cpu *c = arg;
	unsigned int me = plat_cpu_index();

	/* A secondary settles the gates for itself; the boot CPU did at start-up. */
	if (me != 0)
		c->init_ret = c->t->init_called ? kvmmte_init(0) : 0;
	hv_host_init(&c->host, 1000);
	hv_set_host_mode(&c->host, c->mode);
	c->mine = tt_random_state(c->t);
	tt_host_write(c->t, &c->mine);
	while (c->switches < c->target)
		one_round(c, me);
	return 0;
}

static void secondary(void *arg)
{
	struct smp_cpu *c = arg;
	struct plat_fault fault;

	if (plat_try(worker, c, &fault) == PLAT_TRY_FAULTED)
		c->own.failures++;
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
}

static void run_all_cpus(struct tt *t, enum kvmmte_host_mode mode, unsigned int ncpu,
			 uint64_t per_cpu)
{
	uint64_t total_migrations = 0;

	/* Six vcpus, both layouts, every one an MTE VM, created on the boot CPU. */
	hv_set_host_mode(t->h, mode);
	for (unsigned int i = 0; i < NR_VCPUS; i++) {
		struct smp_vcpu *sv = &vcpus[i];

		tt_guest_create(t, &sv->v, "smp", i, true, (enum hv_layout)(i % 2));
		sv->truth = tt_random_state(t);
		hv_vcpu_set_mte(&sv->v, &sv->truth);
		sv->lock.locked = 0;
		sv->last_cpu = NO_CPU;
	}
	struct hv_host *boot_host = t->h;

	for (unsigned int c = 0; c < ncpu; c++) {
		struct smp_cpu *p = &cpus[c];

		*p = (struct smp_cpu){ .own = *t, .mode = mode, .target = per_cpu };
		/* Each CPU its own host context: the boot CPU's case too, for now. */
		p->own.h = &p->host;
		p->own.failures = 0;
		plat_prng_seed(&p->own.rng, t->seed + c + 1);
		p->t = c ? &p->own : t;
	}
	for (unsigned int c = 1; c < ncpu; c++)
		TT_REQUIRE(t, plat_cpu_on(c, secondary, &cpus[c]) == 0, "PSCI CPU_ON of CPU %u failed", c);
	t->h = &cpus[0].host;
	worker(&cpus[0]);
	for (unsigned int c = 1; c < ncpu; c++)
		while (!__atomic_load_n(&cpus[c].done, __ATOMIC_ACQUIRE))
			__asm__ volatile("yield");

	/* The boot CPU's usual context again for the rest of the suite. */
	t->h = boot_host;
	hv_host_init(t->h, t->h->watchdog_ms);
	for (unsigned int c = 0; c < ncpu; c++) {
		struct smp_cpu *p = &cpus[c];

		if (c)
			t->failures += p->own.failures;
		total_migrations += p->migrations;
		if (c)
			TT_CHECK_EQ(t, "kvmmte_init() on a secondary CPU: the boot CPU's answer",
				    t->init_called ? t->init_ret : 0, p->init_ret);
		TT_CHECK(t, p->switches >= per_cpu, "CPU %u made %lu switches, expected %lu",
			 c, (unsigned long)p->switches, (unsigned long)per_cpu);
		plat_printf("    %s, CPU %u: %lu switches, %lu vcpu rounds, %lu arrived from another CPU\n",
			    tt_mode_name(mode), c, (unsigned long)p->switches,
			    (unsigned long)p->rounds, (unsigned long)p->migrations);
	}
	TT_CHECK(t, total_migrations > 0, "%s: no vcpu ever moved between CPUs", tt_mode_name(mode));
}

TT_CASE(smp_vcpus_migrate_between_cpus_every_world_keeps_its_state, TT_NEEDS_MTE2 | TT_NEEDS_SMP)
{
	unsigned int ncpu = plat_nr_cpus();
	uint64_t per_cpu = t->switches ? t->switches : 10000;

	plat_printf("    %u CPUs, %u vcpus, %lu switches per CPU and host mode\n", ncpu, NR_VCPUS,
		    (unsigned long)per_cpu);
	run_all_cpus(t, KVMMTE_HOST_NVHE, ncpu, per_cpu);
	run_all_cpus(t, KVMMTE_HOST_VHE, ncpu, per_cpu);
}
