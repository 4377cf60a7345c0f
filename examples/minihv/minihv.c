// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * minihv: a minimal hypervisor at EL2 that runs guests at EL1 (with MTE and
 * without) on every CPU QEMU has, preempts them with each CPU's EL2 timer
 * and lets them migrate between CPUs, with libkvmmte doing every
 * MTE-specific step:
 *
 *   boot, each CPU  kvmmte_init() (boot CPU first, secondaries as they
 *                   arrive), kvmmte_cpu_caps(), SCTLR_EL2 |=
 *                   kvmmte_sctlr_el2_bits()
 *   creating a VM   kvmmte_vm_config_init() (host capability check),
 *                   kvmmte_vm_hcr_el2(), kvmmte_vcpu_reset()
 *   time slice      kvmmte_vcpu_load() ... kvmmte_vcpu_put(), on whichever
 *                   CPU picks the vcpu: put on one, load on another
 *   entry / exit    kvmmte_switch_to_guest / _to_host (entry.S)
 *   traps (EC 0x18) kvmmte_handle_sysreg_trap(), kvmmte_undef_prepare(),
 *                   kvmmte_vm_id_aa64pfr1() for the sanitised ID register
 *
 * Options (QEMU -append): mode=nvhe|vhe (default nvhe), switches=N in all
 * (10000), cpus=N (default: all of QEMU's -smp), vcpus=N (1..6; default 3
 * on one CPU, 6 on more), migrate=P (percent of slices after which a CPU
 * moves on to another vcpu rather than resuming its last, default 50),
 * seed=N (default: from the counter; printed so that a run can be
 * replayed; the interleaving of CPUs is QEMU's, so an SMP run replays its
 * choices, not its exact order).
 */
#include "platform.h"
#include <kvmmte/sysreg-access.h>
#include "gic.h"
#include "minihv.h"

#define HCR_EL2_IMO	(1UL << 4)	/* physical IRQs go to EL2: the timer preempts */
#define HCR_EL2_TID3	(1UL << 18)	/* trap ID registers: ID_AA64PFR1_EL1 is sanitised */
#define HCR_GUEST	(KVMMTE_HCR_EL2_RW | HCR_EL2_IMO | HCR_EL2_TID3)
#define SPSR_EL1H_DAIF	0x3c5		/* guests start at EL1h, interrupts masked */
#define SCTLR_EL1_RES1	0x30d00800UL	/* MMU off: the guest turns it on */
#define EC_HVC64	0x16
#define HOST_GCR	0xfffeUL	/* the host's own: only tag 0 */
#define SLICE_MIN_US	10
#define SLICE_MAX_US	100
#define NO_CPU		(~0U)

enum slice_end { PREEMPTED, YIELDED, DONE };

static const struct {
	const char *name;
	unsigned int mte_level;
	uint64_t exclude;		/* GCR_EL1.Exclude the guest uses */
} guests[NR_GUESTS] = {
	{ "alpha", KVMMTE_PFR1_MTE_MTE3, 0x5555 },	/* odd tags only */
	{ "beta", KVMMTE_PFR1_MTE_MTE2, 0xaaab },	/* even tags, not 0 */
	{ "gamma", 0, 0 },				/* no MTE */
	{ "delta", KVMMTE_PFR1_MTE_MTE2, 0x3333 },	/* tags 2, 3 mod 4 */
	{ "eps", KVMMTE_PFR1_MTE_MTE3, 0xcccd },	/* tags 0, 1 mod 4, not 0 */
	{ "zeta", 0, 0 },				/* no MTE */
};

static const char *const reg_names[KVMMTE_REG_COUNT] = {
	"?", "RGSR_EL1", "GCR_EL1", "TFSR_EL1", "TFSRE0_EL1", "TFSR_EL12", "GMID_EL1",
};

/*
 * One physical CPU: its own host context (the entry code reaches it
 * through the loaded vcpu's ->host), its own host MTE values, its own
 * PRNG and counters.  Nothing here is written by another CPU.
 */
struct cpu {
	struct host_ctxt host;
	struct plat_prng rng;
	uint64_t host_rgsr;
	unsigned int index;
	unsigned long switches, exits, host_bad, arrivals;
	int init_ret;
	unsigned int moving;	/* tries left before it may take back the vcpu it left */
	volatile bool finished;
} __attribute__((aligned(64)));

static struct cpu cpus[PLAT_MAX_CPUS];
static struct vcpu vcpus[NR_GUESTS];
static unsigned int nr_cpus, nr_vcpus, migrate_pct;
static struct kvmmte_caps caps;
static enum kvmmte_host_mode mode;
static bool vhe;			/* mode == KVMMTE_HOST_VHE */
static uint64_t (*enter)(struct vcpu *v);
static uint64_t host_pfr1;
static unsigned long nr_switches, total_switches;	/* total: atomic */
static volatile bool stopping;

static void vcpu_create(struct vcpu *v, unsigned int i, uint64_t seed)
{
	unsigned int flags = guests[i].mte_level ? KVMMTE_VM_ASYNC : 0;
	int r = kvmmte_vm_config_init(&v->vm, &caps, guests[i].mte_level, flags);

	v->name = guests[i].name;
	v->boot = (struct guest_boot *)(GUEST_RAM_BASE + (uintptr_t)i * GUEST_RAM_SIZE);
	v->last_cpu = NO_CPU;
	if (r) {		/* the host can not give it MTE: it does not run */
		plat_printf("  vm %-6s not started: kvmmte_vm_config_init(MTE %u) = %d\n",
			    v->name, guests[i].mte_level, r);
		v->done = true;
		return;
	}
	v->created = true;
	v->vmid = i + 1;
	v->hcr = HCR_GUEST | (vhe ? KVMMTE_HCR_EL2_E2H : 0);
	kvmmte_vm_hcr_el2(&v->vm, &caps, &v->hcr);
	kvmmte_vcpu_reset(&v->vm, &v->mte);
	v->pc = (uintptr_t)guest_start;
	v->pstate = SPSR_EL1H_DAIF;
	v->x[0] = (uintptr_t)v->boot;
	v->el1.sctlr_el1 = SCTLR_EL1_RES1;

	memset(v->boot, 0, sizeof(*v->boot));
	memcpy(v->boot->name, v->name, strlen(v->name) + 1);
	v->boot->seed = plat_splitmix64(&seed);
	v->boot->gcr_exclude = guests[i].exclude;
	plat_printf("  vm %-6s %-6s HCR_EL2 0x%016lx (ATA %lu, TID5 %lu)", v->name,
		    v->vm.mte_level == 3 ? "MTE3" : v->vm.mte_level ? "MTE2" : "no MTE", v->hcr,
		    v->hcr >> KVMMTE_HCR_EL2_ATA_SHIFT & 1, v->hcr >> KVMMTE_HCR_EL2_TID5_SHIFT & 1);
	if (v->vm.mte_level)
		plat_printf(", guest's GCR_EL1.Exclude 0x%04lx", v->boot->gcr_exclude);
	plat_putc('\n');
}

/*
 * A time slice starts on CPU @c: the vcpu's host context is this CPU's,
 * then its EL1 world, VMID and lazy MTE state in.  Whatever CPU ran it
 * last put it there: this is where a vcpu migrates.
 */
static void vcpu_load(struct cpu *c, struct vcpu *v)
{
	if (v->last_cpu != c->index && v->last_cpu != NO_CPU) {
		c->arrivals++;
		v->migrations++;
	}
	v->host = &c->host;
	plat_el1ctx_restore(&v->el1, vhe);
	plat_write_sysreg(S3_4_C2_C1_0, (uint64_t)v->vmid << 48);	/* VTTBR_EL2 */
	if (v->vm.mte_level)
		kvmmte_vcpu_load(mode, NULL, &v->mte);
	v->slices++;
	v->boot->slices++;
}

static void vcpu_put(struct cpu *c, struct vcpu *v)
{
	if (v->vm.mte_level)
		kvmmte_vcpu_put(mode, NULL, &v->mte);
	plat_el1ctx_save(&v->el1, vhe);
	v->last_cpu = c->index;
}

static void crash(struct cpu *c, struct vcpu *v, const char *why)
{
	plat_printf("  [cpu%u %5lu] minihv: %s %s: ESR_EL2 0x%lx ELR_EL2 0x%lx x0 0x%lx x1 0x%lx x2 0x%lx\n",
		    c->index, c->switches, v->name, why, v->esr, v->pc, v->x[0], v->x[1], v->x[2]);
	v->crashed = v->done = true;
}

/* This CPU's own MTE registers must be back after every exit. */
static void check_host(struct cpu *c)
{
	uint64_t gcr, rgsr;

	if (caps.level < 2)
		return;
	gcr = kvmmte_read_gcr_el1();
	rgsr = kvmmte_read_rgsr_el1();
	if ((gcr != HOST_GCR || rgsr != c->host_rgsr) && c->host_bad++ < 3)
		plat_printf("  [cpu%u %5lu] minihv: FAIL: host GCR_EL1 0x%lx RGSR_EL1 0x%lx after an exit, "
			    "expected 0x%lx 0x%lx\n", c->index, c->switches, gcr, rgsr, HOST_GCR,
			    c->host_rgsr);
}

/* HVC_PRINT: a line from the guest's own RAM, prefixed with its name. */
static void guest_print(struct cpu *c, struct vcpu *v, uint64_t addr)
{
	uint64_t base = (uintptr_t)v->boot, a = addr & 0x00ffffffffffffffUL;	/* TBI */
	char line[208];
	unsigned int n = 0;

	for (; a >= base && a < base + GUEST_RAM_SIZE && n < 200; a++, n++) {
		char ch = *(const char *)a;

		if (!ch)
			break;
		line[n] = ch >= ' ' && ch < 127 ? ch : '?';
	}
	line[n] = '\0';
	if (stopping)
		plat_printf("  %-6s %s\n", v->name, line);
	else if (nr_cpus > 1)
		plat_printf("  [cpu%u %5lu] %-6s %s\n", c->index, c->switches, v->name, line);
	else
		plat_printf("  [%5lu] %-6s %s\n", c->switches, v->name, line);
}

/* EC 0x18: the library answers for the MTE registers; minihv for the ID one. */
static void sysreg_trap(struct cpu *c, struct vcpu *v)
{
	struct kvmmte_sysreg_access a;
	struct kvmmte_guest_exception e;
	uint64_t val = host_pfr1;

	v->traps++;
	switch (kvmmte_handle_sysreg_trap(&v->vm, v->esr, 0, &v->mte, v->x)) {
	case KVMMTE_TRAP_UNDEF:
		kvmmte_esr_decode_sysreg(v->esr, &a);
		if (!(v->trap_printed & 1U << (2 * a.reg + a.is_read))) {	/* first of each */
			v->trap_printed |= 1U << (2 * a.reg + a.is_read);
			plat_printf("  [cpu%u %5lu] minihv: %s: %s %s trapped (ESR_EL2 0x%lx): "
				    "libkvmmte says UNDEF, injected\n", c->index, c->switches, v->name,
				    a.is_read ? "mrs" : "msr", reg_names[a.reg], v->esr);
		}
		plat_el1ctx_save(&v->el1, vhe);
		if (kvmmte_undef_prepare(&v->vm, v->pc, v->pstate, v->el1.vbar_el1,
					 v->el1.sctlr_el1, &e)) {
			crash(c, v, "UNDEF injection refused");
			return;
		}
		v->el1.esr_el1 = e.esr_el1;
		v->el1.elr_el1 = e.elr_el1;
		v->el1.spsr_el1 = e.spsr_el1;
		plat_el1ctx_restore(&v->el1, vhe);
		v->pc = e.elr_el2;
		v->pstate = e.spsr_el2;
		return;
	case KVMMTE_TRAP_NOT_HANDLED:
		if (kvmmte_esr_decode_sysreg(v->esr, &a) == 0 && a.is_read && a.op0 == 3 &&
		    a.op1 == 0 && a.crn == 0 && a.crm == 4 && a.op2 == 1) {	/* ID_AA64PFR1_EL1 */
			kvmmte_vm_id_aa64pfr1(&v->vm, &val);
			if (a.rt != 31)
				v->x[a.rt] = val;
			kvmmte_skip_trapped_insn(&v->pc, &v->pstate);
			return;
		}
		crash(c, v, "unexpected system register trap");
		return;
	default:
		crash(c, v, "unexpected trap result");
	}
}

/* Run @v on CPU @c until its slice ends. */
static enum slice_end run_slice(struct cpu *c, struct vcpu *v)
{
	for (;;) {
		uint64_t why = enter(v);
		unsigned int intid;

		c->exits++;
		check_host(c);
		if (why == MINIHV_EXIT_IRQ) {
			intid = plat_gic_ack();
			if (intid == PLAT_INTID_SPURIOUS)
				continue;
			plat_el2_timer_disarm();
			plat_gic_eoi(intid);
			return PREEMPTED;
		}
		if (why != MINIHV_EXIT_SYNC) {
			crash(c, v, "unexpected exception");
			return DONE;
		}
		if (v->esr >> KVMMTE_ESR_EC_SHIFT == KVMMTE_ESR_EC_SYS64) {
			sysreg_trap(c, v);
		} else if (v->esr >> KVMMTE_ESR_EC_SHIFT != EC_HVC64) {
			crash(c, v, "unexpected exit");
		} else if ((v->esr & 0xffff) == HVC_YIELD) {
			return YIELDED;
		} else if ((v->esr & 0xffff) == HVC_PRINT) {
			guest_print(c, v, v->x[0]);
		} else if ((v->esr & 0xffff) == HVC_DONE) {
			v->failures = v->x[0];
			v->done = true;
		} else {
			crash(c, v, "guest crashed (HVC_CRASH: x0 vector, x1 ESR_EL1, x2 ELR_EL1)");
		}
		if (v->done)
			return DONE;
	}
}

/*
 * The next vcpu for CPU @c, claimed (its lock held): while preempting, the
 * one it ran last again unless a migrate=% draw says move on, else a random
 * other one that no CPU runs now; once stopping, any unfinished one.  NULL
 * if every vcpu is done; @c retries while others run the rest.  After a
 * move-on draw @c leaves @cur alone for MOVE_TRIES tries, so that an idle
 * CPU can take it (without that, @c, which just unlocked it, wins the race
 * for it nearly every time under MTTCG, and a vcpu never moves).
 */
#define MOVE_TRIES	1000

static struct vcpu *pick(struct cpu *c, struct vcpu *cur)
{
	struct vcpu *cand[NR_GUESTS];
	unsigned int i, n = 0;

	if (cur && !cur->done && !stopping && !c->moving) {
		if (plat_prng_below(&c->rng, 100) >= migrate_pct && plat_spin_trylock(&cur->lock))
			return cur;
		c->moving = MOVE_TRIES;
	}
	for (i = 0; i < nr_vcpus; i++)
		if (!vcpus[i].done &&
		    (stopping || &vcpus[i] != cur || nr_vcpus == 1 || c->moving <= 1))
			cand[n++] = &vcpus[i];
	while (n) {
		i = plat_prng_below(&c->rng, n);
		if (plat_spin_trylock(&cand[i]->lock)) {
			if (!cand[i]->done) {
				c->moving = 0;
				return cand[i];
			}
			plat_spin_unlock(&cand[i]->lock);
		}
		cand[i] = cand[--n];
	}
	if (c->moving)
		c->moving--;
	return NULL;
}

static bool all_done(void)
{
	for (unsigned int i = 0; i < nr_vcpus; i++)
		if (!vcpus[i].done)
			return false;
	return true;
}

/* After switches=N in all: every guest is told to stop and report. */
static void count_switch(struct cpu *c)
{
	c->switches++;
	if (__atomic_add_fetch(&total_switches, 1, __ATOMIC_RELAXED) == nr_switches) {
		plat_printf("minihv: %lu switches done: each guest now finishes its round "
			    "and reports\n", nr_switches);
		for (unsigned int i = 0; i < nr_vcpus; i++)
			vcpus[i].boot->stop = 1;
		stopping = true;
	}
}

/*
 * One CPU's scheduler: every slice ends with its EL2 timer or a yield;
 * then the vcpu is put and released, and the next one picked, which may
 * be one another CPU ran last.
 */
static void schedule(struct cpu *c)
{
	uint64_t tick_us = plat_counter_freq() / 1000000;
	struct vcpu *v = NULL;
	unsigned long wind_up = 0;

	while (!all_done()) {
		enum slice_end end;
		struct vcpu *next = pick(c, v);

		if (!next) {		/* the others are all running: try again */
			__asm__ volatile("yield");
			continue;
		}
		v = next;
		vcpu_load(c, v);
		plat_el2_timer_arm(tick_us * (SLICE_MIN_US +
			plat_prng_below(&c->rng, SLICE_MAX_US - SLICE_MIN_US)));
		end = run_slice(c, v);
		plat_el2_timer_disarm();
		vcpu_put(c, v);
		if (!stopping && end == PREEMPTED)
			v->preempted++;
		if (!stopping && end == YIELDED)
			v->yielded++;
		if (!stopping && end != DONE)
			count_switch(c);
		if (stopping && ++wind_up == 100000)
			crash(c, v, "does not finish");
		plat_spin_unlock(&v->lock);
	}
}

/*
 * EL2 on this CPU: kvmmte_init() (the boot CPU first, while the others are
 * still off: it settles the gates; each secondary's call then only
 * resynchronises its own fetch), host mode, vectors, ITFSB, this CPU's own
 * host MTE values, its GIC CPU interface and timer interrupt.
 */
static void cpu_setup(struct cpu *c, uint64_t seed)
{
	c->index = plat_cpu_index();
	plat_prng_seed(&c->rng, seed + c->index);
	c->init_ret = kvmmte_init(0);
	plat_write_sysreg(S3_4_C1_C1_0, KVMMTE_HCR_EL2_RW | (vhe ? KVMMTE_HCR_EL2_E2H : 0));
	plat_write_sysreg(S3_4_C12_C0_0, vhe ? minihv_vectors_vhe : minihv_vectors_nvhe);
	kvmmte_write_sctlr_el2(kvmmte_read_sctlr_el2() | kvmmte_sctlr_el2_bits(&caps));
	if (caps.level >= 2) {
		c->host_rgsr = (plat_prng_u64(&c->rng) & KVMMTE_RGSR_EL1_SEED_MASK) | 0x100;
		kvmmte_write_gcr_el1(HOST_GCR);
		kvmmte_write_rgsr_el1(c->host_rgsr);
	}
	plat_isb();
	if (c->index == 0)
		plat_gic_init();
	plat_gic_enable(PLAT_INTID_EL2_PTIMER);
}

static uint64_t run_seed;

static void secondary(void *arg)
{
	struct cpu *c = arg;

	cpu_setup(c, run_seed);
	schedule(c);
	__atomic_store_n(&c->finished, true, __ATOMIC_RELEASE);
}

int plat_app_main(const char *cmdline)
{
	char opt[8] = "nvhe";
	uint64_t seed = plat_cmdline_u64(cmdline, "seed", plat_counter());
	unsigned int have = plat_nr_cpus(), i;
	unsigned long failed = 0, exits = 0, migrations = 0;
	enum kvmmte_host_mode now;
	struct cpu *boot = &cpus[0];
	int r;

	nr_switches = plat_cmdline_u64(cmdline, "switches", 10000);
	nr_cpus = (unsigned int)plat_cmdline_u64(cmdline, "cpus", have);
	nr_vcpus = (unsigned int)plat_cmdline_u64(cmdline, "vcpus", have > 1 ? NR_GUESTS : 3);
	migrate_pct = (unsigned int)plat_cmdline_u64(cmdline, "migrate", 50);
	plat_cmdline_get(cmdline, "mode", opt, sizeof(opt));
	if (strcmp(opt, "nvhe") && strcmp(opt, "vhe")) {
		plat_printf("minihv: mode=%s: use mode=nvhe or mode=vhe\n", opt);
		return 2;
	}
	if (!nr_cpus || nr_cpus > have || !nr_vcpus || nr_vcpus > NR_GUESTS || migrate_pct > 100) {
		plat_printf("minihv: cpus=%u (1..%u, QEMU's -smp), vcpus=%u (1..%u), migrate=%u (0..100)\n",
			    nr_cpus, have, nr_vcpus, NR_GUESTS, migrate_pct);
		return 2;
	}
	vhe = !strcmp(opt, "vhe");
	mode = vhe ? KVMMTE_HOST_VHE : KVMMTE_HOST_NVHE;
	run_seed = seed;

	/* EL2 set-up on the boot CPU, the others still off. */
	kvmmte_cpu_caps(&caps);
	host_pfr1 = kvmmte_read_id_aa64pfr1_el1();
	enter = vhe ? minihv_enter_vhe : minihv_enter_nvhe;	/* HCR_EL2, VBAR_EL2 in cpu_setup */
	cpu_setup(boot, seed);
	r = kvmmte_host_mode_current(&now);

	plat_printf("minihv: a minimal MTE hypervisor at EL2 on libkvmmte\n"
		    "  host mode %s (HCR_EL2.E2H %u; kvmmte_host_mode_current: %s)\n"
		    "  MTE       kvmmte_init(0) = %d: level %u, async faults %s, GMID_EL1.BS %u%s\n"
		    "  CPUs      %u of %u, %u vcpus, migrate=%u%%: a vcpu moves on after a slice that often\n"
		    "  seed      0x%lx   replay: -append \"mode=%s switches=%lu cpus=%u vcpus=%u migrate=%u seed=0x%lx\"\n"
		    "  switches  %lu, time slices %u-%u us: each CPU's EL2 timer (INTID %u) via GICv2, HCR_EL2.IMO\n"
		    "  host      GCR_EL1 0x%lx and an RGSR_EL1 per CPU, checked after every exit\n",
		    vhe ? "VHE" : "nVHE", vhe, r ? "error" : now == mode ? "agrees" : "DISAGREES",
		    boot->init_ret, caps.level, caps.async ? "yes" : "no", caps.gmid_bs,
		    caps.level < 2 ? " (no MTE2: switch gates patched off)" : "",
		    nr_cpus, have, nr_vcpus, migrate_pct, seed, opt, nr_switches, nr_cpus, nr_vcpus,
		    migrate_pct, seed, nr_switches, SLICE_MIN_US, SLICE_MAX_US, PLAT_INTID_EL2_PTIMER,
		    caps.level >= 2 ? HOST_GCR : 0);
	if (boot->init_ret < 0 || r || now != mode)
		return 2;
	for (i = 0; i < nr_vcpus; i++)
		vcpu_create(&vcpus[i], i, seed + i);

	for (i = 1; i < nr_cpus; i++)
		if (plat_cpu_on(i, secondary, &cpus[i])) {
			plat_printf("minihv: PSCI CPU_ON of CPU %u failed\n", i);
			return 2;
		}
	schedule(boot);
	for (i = 1; i < nr_cpus; i++)
		while (!__atomic_load_n(&cpus[i].finished, __ATOMIC_ACQUIRE))
			__asm__ volatile("yield");

	for (i = 0; i < nr_cpus; i++)
		exits += cpus[i].exits;
	plat_printf("\nminihv: summary (%lu switches, %lu exits)\n"
		    "  guest   MTE  slices  timer-preempted  HVC-yield  MTE/ID traps  migrations  result\n",
		    total_switches, exits);
	for (i = 0; i < nr_vcpus; i++) {
		struct vcpu *v = &vcpus[i];
		bool ok = v->done && !v->crashed && !v->failures && v->created;

		plat_printf("  %-6s  %3s  %6lu  %15lu  %9lu  %12lu  %10lu  %s\n", v->name,
			    v->vm.mte_level ? (v->vm.mte_level == 3 ? "3" : "2") : "-",
			    v->slices, v->preempted, v->yielded, v->traps, v->migrations,
			    !v->created ? "not run" : ok ? "ok" : v->crashed ? "CRASHED" : "FAILED");
		failed += v->created && !ok;
	}
	for (i = 0; i < nr_cpus; i++) {
		struct cpu *c = &cpus[i];

		plat_printf("  cpu%u    %lu switches, %lu exits, %lu vcpus arrived from another CPU, "
			    "kvmmte_init() = %d, own GCR_EL1/RGSR_EL1 back after %lu of %lu exits\n",
			    c->index, c->switches, c->exits, c->arrivals, c->init_ret,
			    c->exits - c->host_bad, c->exits);
		failed += c->host_bad != 0 || c->init_ret != boot->init_ret;
	}
	for (i = 0; i < nr_cpus; i++)
		migrations += cpus[i].arrivals;
	if (nr_cpus > 1 && nr_vcpus > 1 && migrate_pct && !migrations) {
		plat_printf("  FAIL: %u CPUs, but no vcpu ever moved between them\n", nr_cpus);
		failed++;
	}
		plat_printf("minihv: %s\n", failed ? "FAILED" : "every guest's checks held");
	return failed ? 1 : 0;
}
