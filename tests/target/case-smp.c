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

/*
 * Settling the gates while other CPUs run guests: the protocol
 * docs/api.md gives ("Init", several CPUs).  A gate or TFSR site is an
 * MRS, TBZ or DSB, none of which the architecture lets one PE rewrite
 * while another may execute it (Arm ARM, "Concurrent modification and
 * execution of instructions": only B, BL, BRK, HVC, ISB, NOP, SMC, SVC
 * may be).  So every other CPU first stops at a point outside the
 * switch (here: between round trips, acknowledging the "stop" phase and
 * spinning); the patching CPU writes the sites with
 * kvmmte_patch_sites_apply(), whose DC CVAU + DSB ISH + IC IVAU + DSB ISH
 * reach every CPU of the Inner Shareable domain; then it releases them,
 * and each makes a context synchronization event (an ISB) before it runs
 * the switch again.  The first-TFSR table is
 * the one patched (as for a CPU without FEAT_MTE_ASYNC), so whether a CPU
 * executes the new text shows in what moves: once a CPU has acknowledged
 * the patch, no switch of its moves a TFSR field; once it has acknowledged
 * the restore, every switch moves all four again.  Three secondaries run
 * guests through every gate=patch entry path, in both host modes at once
 * (CPUs 1 and 3 nVHE, CPU 2 VHE); the boot CPU patches and restores.
 */
struct settle_cpu {
	struct tt own;
	struct hv_host host;
	struct hv_vcpu v;
	struct kvmmte_state mine, truth;
	volatile uint32_t ack;		/* the last phase this CPU synchronised to */
	uint64_t rounds_in[5];		/* round trips per phase, after its ack */
	volatile bool done;
};

static struct settle_cpu settle[PLAT_MAX_CPUS];
static volatile uint32_t settle_phase;	/* see settle_round() */
static volatile bool settle_stop;

static const struct hv_entry *patch_entry(struct tt *t, struct hv_host *h, struct hv_vcpu *v)
{
	const struct hv_entry *e[8];
	unsigned int n = 0, all = hv_entries_for(h, v, e, 8);

	for (unsigned int i = 0; i < all; i++)
		if (e[i]->gate[0] == 'p')	/* gate=idreg asks the ID register instead */
			e[n++] = e[i];
	return e[tt_below(t, n)];
}

/*
 * Phases: 0 text as built, 1 stopped for the patch, 2 patched, 3 stopped
 * for the restore, 4 restored.  In 0, 2 and 4 (after this CPU's ISB) the
 * text is known and everything is checked.
 */
static void settle_round(struct settle_cpu *c, uint32_t phase)
{
	struct tt *t = &c->own;
	struct guest_mailbox *mb = tt_mb(&c->v);
	struct kvmmte_state poison = tt_random_state(t), host_after, saved, hw;
	const unsigned int rg = TT_STATE_RGSR | TT_STATE_GCR;

	hv_vcpu_set_mte(&c->v, &c->truth);
	hv_vcpu_load(&c->host, &c->v);
	c->host.ctxt.mte = poison;	/* the host's TFSR fields: must stay, patched */
	mb->next = tt_random_state(t);
	tt_guest_cmd(t, &c->v, patch_entry(t, &c->host, &c->v), GUEST_CMD_EXCHANGE, 0, 0, false);
	hv_vcpu_put(&c->host);
	hv_vcpu_get_mte(&c->v, &saved);
	host_after = c->host.ctxt.mte;
	tt_host_read(t, &hw);
	TT_CHECK_STATE(t, "guest's RGSR, GCR at entry", rg, &c->truth, &mb->seen);
	TT_CHECK_STATE(t, "guest's RGSR, GCR saved at exit", rg, &mb->next, &saved);
	TT_CHECK_STATE(t, "this CPU's RGSR, GCR after the exit", rg, &c->mine, &hw);
	if (phase == 2) {
		TT_CHECK_STATE(t, "patched: the host context's TFSR fields never saved",
			       TT_STATE_TFSR | TT_STATE_TFSRE0, &poison, &host_after);
		TT_CHECK_STATE(t, "patched: the guest context's TFSR fields never saved",
			       TT_STATE_TFSR | TT_STATE_TFSRE0, &c->truth, &saved);
	} else if (phase == 0 || phase == 4) {
		TT_CHECK_STATE(t, "as built: the guest read all four", TT_STATE_ALL, &c->truth, &mb->seen);
		TT_CHECK_STATE(t, "as built: all four saved at exit", TT_STATE_ALL, &mb->next, &saved);
		TT_CHECK_STATE(t, "as built: this CPU's TFSR registers back", TT_STATE_ALL, &c->mine, &hw);
	}
	/* Next round from known values: the guest's last ones, this CPU's own. */
	c->truth = mb->next;
	tt_host_write(t, &c->mine);
	c->rounds_in[phase]++;
}

static int settle_worker(void *arg)
{
	struct settle_cpu *c = arg;
	unsigned int me = plat_cpu_index();
	struct tt *t = &c->own;

	hv_host_init(&c->host, 1000);
	hv_set_host_mode(&c->host, me == 2 ? KVMMTE_HOST_VHE : KVMMTE_HOST_NVHE);
	c->mine = tt_random_state(t);
	tt_host_write(t, &c->mine);
	tt_guest_create(t, &c->v, "settle", me, true, HV_LAYOUT_STATE);
	c->truth = tt_random_state(t);
	while (!settle_stop) {
		uint32_t phase = __atomic_load_n(&settle_phase, __ATOMIC_ACQUIRE);

		if (phase != c->ack) {
			/* The context synchronization event the protocol asks of every other CPU. */
			__asm__ volatile("isb" ::: "memory");
			__atomic_store_n(&c->ack, phase, __ATOMIC_RELEASE);
		}
		if (phase == 1 || phase == 3) {	/* stopped: the text changes now */
			__asm__ volatile("yield");
			continue;
		}
		settle_round(c, c->ack);
	}
	return 0;
}

static void settle_secondary(void *arg)
{
	struct settle_cpu *c = arg;
	struct plat_fault fault;

	if (plat_try(settle_worker, c, &fault) == PLAT_TRY_FAULTED)
		c->own.failures++;
	__atomic_store_n(&c->done, true, __ATOMIC_RELEASE);
}

/* Let every secondary acknowledge @phase and make @rounds round trips in it. */
static void settle_wait(unsigned int ncpu, uint32_t phase, uint64_t rounds)
{
	for (unsigned int c = 1; c < ncpu; c++)
		while (!settle[c].done &&
		       (__atomic_load_n(&settle[c].ack, __ATOMIC_ACQUIRE) != phase ||
			((volatile uint64_t *)settle[c].rounds_in)[phase] < rounds))
			__asm__ volatile("yield");
}

TT_CASE(smp_gates_settled_while_other_cpus_run_guests, TT_NEEDS_MTE2 | TT_NEEDS_SMP)
{
	static struct tt_site sites[TT_MAX_SITES];
	unsigned int ncpu = plat_nr_cpus(), ns = tt_async_sites(sites);
	int ret;

	settle_phase = 0;
	settle_stop = false;
	for (unsigned int c = 1; c < ncpu; c++) {
		settle[c] = (struct settle_cpu){ .own = *t };
		settle[c].own.failures = 0;
		settle[c].own.h = &settle[c].host;
		plat_prng_seed(&settle[c].own.rng, t->seed + c + 100);
		TT_REQUIRE(t, plat_cpu_on(c, settle_secondary, &settle[c]) == 0,
			   "PSCI CPU_ON of CPU %u failed", c);
	}
	settle_wait(ncpu, 0, 100);

	__atomic_store_n(&settle_phase, 1, __ATOMIC_RELEASE);
	settle_wait(ncpu, 1, 0);
	ret = kvmmte_patch_sites_apply(tt_async_table_begin(), tt_async_table_end());
	TT_CHECK_EQ(t, "first-TFSR sites patched while the others run", ns, ret);
	__atomic_store_n(&settle_phase, 2, __ATOMIC_RELEASE);
	settle_wait(ncpu, 2, 100);

	__atomic_store_n(&settle_phase, 3, __ATOMIC_RELEASE);
	settle_wait(ncpu, 3, 0);
	for (unsigned int i = 0; i < ns; i++)
		tt_site_restore(&sites[i]);
	__atomic_store_n(&settle_phase, 4, __ATOMIC_RELEASE);
	settle_wait(ncpu, 4, 100);

	settle_stop = true;
	for (unsigned int c = 1; c < ncpu; c++) {
		while (!__atomic_load_n(&settle[c].done, __ATOMIC_ACQUIRE))
			__asm__ volatile("yield");
		t->failures += settle[c].own.failures;
		TT_CHECK(t, settle[c].rounds_in[2] >= 100 && settle[c].rounds_in[4] >= 100,
			 "CPU %u: %lu round trips patched, %lu restored", c,
			 (unsigned long)settle[c].rounds_in[2], (unsigned long)settle[c].rounds_in[4]);
		plat_printf("    CPU %u (%s): round trips: %lu as built, %lu patched, %lu restored\n",
			    c, c == 2 ? "vhe" : "nvhe", (unsigned long)settle[c].rounds_in[0],
			    (unsigned long)settle[c].rounds_in[2], (unsigned long)settle[c].rounds_in[4]);
	}
	hv_host_init(t->h, t->h->watchdog_ms);
}
