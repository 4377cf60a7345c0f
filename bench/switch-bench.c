// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * World-switch benchmark: exact instructions per guest round trip (entry
 * then exit) for libkvmmte and for three baselines, in the same run, at
 * EL2 under qemu-system-aarch64 -icount shift=0.  bench/report.py runs it
 * (with and without mte=on, several times) and makes the table.
 *
 * Every measurement is one call through count_call(), between the marks
 * bench_mark_begin and bench_mark_end, and prints one line
 *
 *   @ <scenario> <implementation> <part> all=<n> el2=<n>
 *
 * n being INST_RETIRED across the call (at every EL, and at EL2 only) less
 * the same for an empty function, so call and measurement overhead cancel.
 * The k-th line belongs to the k-th pass between the marks: report.py
 * pairs them with an instruction trace of the same run to count MTE
 * register accesses and code bytes on each path.  An implementation with
 * several parts (asm + C) is their sum.
 *
 * Scenarios (docs/bench.md): a MTE VM on an nVHE host, b on a VHE host,
 * c a VM without MTE, d a CPU without MTE (only when the CPU has none),
 * e vcpu load + put, f a run loop of fast-path exits handled at EL2,
 * g a vcpu put on CPU 0 and loaded on CPU 1: its first entry + exit there,
 * h a nested entry + exit's MTE part (FEAT_NV2: kvmmte_nested_enter() and
 * kvmmte_nested_exit(), the TFSR move between L1 and the VNCR page).
 *
 * g runs last, on the second CPU (QEMU -smp 2): CPU 0 puts the vcpu,
 * starts CPU 1 and turns itself off (PSCI CPU_OFF), so that nothing but
 * CPU 1 executes during g: under -icount the PMU's INST_RETIRED is one
 * instruction count for all CPUs.  CPU 1 waits until PSCI says CPU 0 is
 * OFF, sets up its own PMU and EL2 state, measures its own empty call,
 * then g, prints "@end" and ends the run.  Every line says which CPU
 * measured it (cpu=N); report.py pairs it with that CPU's trace.
 */
#include <platform.h>
#include <kvmmte/kvmmte.h>
#include "pmu.h"
#include "baseline.h"

typedef void (*bench_fn)(uint64_t a, uint64_t b, uint64_t c);

/* switch-seqs.S: x0 = guest state, x1 = host state, x2 = HCR_EL2. */
#define SEQS(X)									\
	X(bench_empty) X(bench_ours_nvhe) X(bench_ours_nvhe_hcr)		\
	X(bench_ours_nvhe_idreg) X(bench_ours_vhe) X(bench_ours_vhe_hcr)	\
	X(bench_ours_vhe_idreg) X(bench_ours_outofline_vhe)			\
	X(bench_base_i) X(bench_base_ii) X(bench_base_iii) X(bench_base_iii_vhe)	\
	X(bench_base_i_nomte) X(bench_base_ii_nomte) X(bench_base_iii_nomte)	\
	X(bench_base_iii_vhe_nomte) X(bench_ours_outofline_nvhe)		\
	X(bench_ours_vhe_shared_store)
/* runloop.S: x0 = HCR_EL2, x1 = fast-path exits, x2 = guest entry. */
#define LOOPS(X)								\
	X(bench_loop_none) X(bench_loop_live_nvhe) X(bench_loop_live_vhe)	\
	X(bench_loop_exit_nvhe) X(bench_loop_exit_vhe) X(bench_loop_base_i)	\
	X(bench_loop_base_ii) X(bench_loop_base_iii) X(bench_loop_base_iii_vhe)
#define DECLARE(fn)	void fn(uint64_t, uint64_t, uint64_t);
SEQS(DECLARE)
LOOPS(DECLARE)
#undef DECLARE
void bench_loop_guest(void);
extern struct kvmmte_state *bench_loop_states[2];

#define LOOP_EXITS	1000

static struct kvmmte_state guest = { 0x1200, 0x10f0f, 0, 0 }, host = { 0x3400, 0x10001, 0, 0 };
/*
 * (g) CPU 1's host context: per CPU, as a hypervisor keeps it, in a cache
 * line of its own (64 bytes here; a hypervisor pads to its CTR_EL0.CWG).
 */
static struct kvmmte_state host_cpu1 __attribute__((aligned(64))) = { 0x5600, 0x10003, 0, 0 };
static struct baseline_kvm bkvm;
static struct baseline_vcpu bvcpu = { &bkvm, { 0, 0, 0 } };
static struct baseline_ctxt bhost = { 0, 0, &bvcpu };
static uint64_t empty_all[PLAT_MAX_CPUS], empty_el2[PLAT_MAX_CPUS];	/* per CPU */

struct counts {
	uint64_t all, el2;
};

/*
 * INST_RETIRED across one call of @fn.  The marks are global labels that
 * report.py finds in the ELF: keep this function single (noinline,
 * noclone) so each label exists once.
 */
static __attribute__((noinline, noclone)) void count_call(bench_fn fn, uint64_t a, uint64_t b,
							  uint64_t c, struct counts *out)
{
	uint64_t all0, el20, all1, el21;

	__asm__ volatile(".globl bench_mark_begin\nbench_mark_begin:\n\t"
			 "mrs %0, pmevcntr0_el0\n\tmrs %1, pmevcntr1_el0"
			 : "=r"(all0), "=r"(el20) : : "memory");
	fn(a, b, c);
	__asm__ volatile(".globl bench_mark_end\nbench_mark_end:\n\t"
			 "mrs %0, pmevcntr0_el0\n\tmrs %1, pmevcntr1_el0"
			 : "=r"(all1), "=r"(el21) : : "memory");
	out->all = all1 - all0;
	out->el2 = el21 - el20;
}

static void measure(const char *scn, const char *impl, const char *part, bench_fn fn,
		    uint64_t a, uint64_t b, uint64_t c)
{
	unsigned int cpu = plat_cpu_index();
	struct counts n;

	count_call(fn, a, b, c, &n);
	plat_printf("@ %s %s %s all=%lu el2=%lu cpu=%u\n", scn, impl, part,
		    (unsigned long)(n.all - empty_all[cpu]), (unsigned long)(n.el2 - empty_el2[cpu]),
		    cpu);
}

/* The empty call on this CPU: subtracted from every count this CPU takes. */
static void measure_empty(void)
{
	unsigned int cpu = plat_cpu_index();
	struct counts n;

	count_call(bench_empty, 0, 0, 0, &n);
	empty_all[cpu] = n.all;
	empty_el2[cpu] = n.el2;
	plat_printf("@ - empty - all=%lu el2=%lu cpu=%u\n", (unsigned long)n.all,
		    (unsigned long)n.el2, cpu);
}

/* One guest round trip through an MTE switch sequence. */
static void seq(const char *scn, const char *impl, bench_fn fn, uint64_t hcr)
{
	measure(scn, impl, "asm", fn, (uintptr_t)&guest, (uintptr_t)&host, hcr);
}

/* The same with another host context (scenario g: CPU 1's). */
static void seq_on(const char *scn, const char *impl, bench_fn fn, struct kvmmte_state *h,
		   uint64_t hcr)
{
	measure(scn, impl, "asm", fn, (uintptr_t)&guest, (uintptr_t)h, hcr);
}

/* The baselines' C half: @fn gets (host ctxt, guest ctxt). */
static void cpart(const char *scn, const char *impl, bench_fn fn)
{
	measure(scn, impl, "c", fn, (uintptr_t)&bhost, (uintptr_t)&bvcpu.ctxt, 0);
}

static void set_hcr(uint64_t hcr)
{
	plat_write_sysreg(KVMMTE_SYS(HCR_EL2), hcr);
	plat_isb();
}

/* libkvmmte's load + put, inline and through the dispatching functions. */
static __attribute__((noinline)) void ours_lp_vhe_inline(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load_vhe((struct kvmmte_state *)h, (struct kvmmte_state *)g);
	__asm__ volatile("" ::: "memory");	/* the guest runs here */
	kvmmte_vcpu_put_vhe((struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

static __attribute__((noinline)) void ours_lp_nvhe_inline(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load_nvhe((struct kvmmte_state *)h, (struct kvmmte_state *)g);
	__asm__ volatile("" ::: "memory");
	kvmmte_vcpu_put_nvhe((struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

static __attribute__((noinline)) void ours_lp_vhe_call(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load(KVMMTE_HOST_VHE, (struct kvmmte_state *)h, (struct kvmmte_state *)g);
	kvmmte_vcpu_put(KVMMTE_HOST_VHE, (struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

static __attribute__((noinline)) void ours_lp_nvhe_call(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load(KVMMTE_HOST_NVHE, (struct kvmmte_state *)h, (struct kvmmte_state *)g);
	kvmmte_vcpu_put(KVMMTE_HOST_NVHE, (struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

/*
 * (g) the load half alone: a migrated vcpu's first load on its new CPU,
 * inline and through the dispatching call.  x0 = guest, x1 = host, as the
 * switch sequences.
 */
static __attribute__((noinline)) void ours_load_vhe_inline(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load_vhe((struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

static __attribute__((noinline)) void ours_load_nvhe_inline(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load_nvhe((struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

static __attribute__((noinline)) void ours_load_vhe_call(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load(KVMMTE_HOST_VHE, (struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

static __attribute__((noinline)) void ours_load_nvhe_call(uint64_t g, uint64_t h, uint64_t x)
{
	(void)x;
	kvmmte_vcpu_load(KVMMTE_HOST_NVHE, (struct kvmmte_state *)h, (struct kvmmte_state *)g);
}

/* Scenario (f): N fast-path exits and none, so report.py can take the difference. */
static void loop(const char *scn, const char *impl, bench_fn fn, uint64_t hcr)
{
	measure(scn, impl, "exits=1000", fn, hcr, LOOP_EXITS, (uintptr_t)bench_loop_guest);
	measure(scn, impl, "exits=0", fn, hcr, 0, (uintptr_t)bench_loop_guest);
}

/* The baselines' names, in the order of every scenario's rows. */
static const char *const base_names[3] = { "i", "ii", "iii" };

/*
 * The round-trip sequences of one host mode on one kind of CPU; NULL where
 * the mode or CPU has none.  @c: the C half of (i) and (ii) (nVHE only).
 */
struct impls {
	bench_fn ours, ours_hcr, ours_idreg, ours_call;
	bench_fn base[3];
	bench_fn c;
};

static const struct impls nvhe = {
	.ours = bench_ours_nvhe, .ours_hcr = bench_ours_nvhe_hcr, .ours_idreg = bench_ours_nvhe_idreg,
	.base = { bench_base_i, bench_base_ii, bench_base_iii }, .c = baseline_nvhe_round_trip_c,
};
static const struct impls vhe = {
	.ours = bench_ours_vhe, .ours_hcr = bench_ours_vhe_hcr, .ours_idreg = bench_ours_vhe_idreg,
	.ours_call = bench_ours_outofline_vhe,
	.base = { bench_base_i, bench_base_ii, bench_base_iii_vhe },
};
/* (d) a CPU without MTE: kvmmte_init() patched our gates; the baselines' alternatives applied. */
static const struct impls nvhe_nomte = {
	.ours = bench_ours_nvhe, .ours_idreg = bench_ours_nvhe_idreg, .c = baseline_nvhe_round_trip_c_nomte,
	.base = { bench_base_i_nomte, bench_base_ii_nomte, bench_base_iii_nomte },
};
static const struct impls vhe_nomte = {
	.ours = bench_ours_vhe, .ours_idreg = bench_ours_vhe_idreg,
	.base = { bench_base_i_nomte, bench_base_ii_nomte, bench_base_iii_vhe_nomte },
};

/* Which of libkvmmte's variants a scenario measures besides the default. */
#define V_HCR	(1U << 0)
#define V_IDREG	(1U << 1)
#define V_CALL	(1U << 2)

/*
 * One scenario's round trips with HCR_EL2 = @hcr (already written): ours,
 * the @variants, then each baseline, with its C half after it where @m
 * has one.
 */
static void round_trips(const char *scn, const struct impls *m, unsigned int variants, uint64_t hcr)
{
	unsigned int b;

	seq(scn, "ours", m->ours, hcr);
	if (variants & V_HCR)
		seq(scn, "ours-hcr", m->ours_hcr, hcr);
	if (variants & V_IDREG)
		seq(scn, "ours-idreg", m->ours_idreg, hcr);
	if (variants & V_CALL)
		seq(scn, "ours-call", m->ours_call, hcr);
	for (b = 0; b < 3; b++) {
		seq(scn, base_names[b], m->base[b], hcr);
		if (m->c && b < 2)
			cpart(scn, base_names[b], m->c);
	}
}

/*
 * (e) vcpu load + put, the lazy set: ours inline and through the calls;
 * (i) and (ii) move it in C (@c, under VHE) or not at all (NULL: the empty
 * function is counted), (iii) never.
 */
static void load_put(const char *scn, bench_fn inline_fn, bench_fn call_fn, bench_fn c, uint64_t hcr)
{
	unsigned int b;

	seq(scn, "ours", inline_fn, hcr);
	seq(scn, "ours-call", call_fn, hcr);
	for (b = 0; b < 3; b++) {
		if (c && b < 2)
			cpart(scn, base_names[b], c);
		else
			seq(scn, base_names[b], bench_empty, hcr);
	}
}

/* (f) the run loops of one host mode: no MTE switch, ours live, ours on every exit, the baselines. */
static void run_loops(const char *scn, const bench_fn fns[6], uint64_t hcr)
{
	static const char *const names[6] = { "none", "ours", "ours-every-exit", "i", "ii", "iii" };
	unsigned int k;

	for (k = 0; k < 6; k++)
		loop(scn, names[k], fns[k], hcr);
}

static const bench_fn loops_nvhe[6] = {
	bench_loop_none, bench_loop_live_nvhe, bench_loop_exit_nvhe,
	bench_loop_base_i, bench_loop_base_ii, bench_loop_base_iii,
};
static const bench_fn loops_vhe[6] = {
	bench_loop_none, bench_loop_live_vhe, bench_loop_exit_vhe,
	bench_loop_base_i, bench_loop_base_ii, bench_loop_base_iii_vhe,
};

static void nested_scenarios(uint64_t vm, uint64_t vm_vhe);

static void mte_cpu_scenarios(uint64_t hcr0)
{
	uint64_t vm = hcr0 | KVMMTE_HCR_EL2_RW | KVMMTE_HCR_EL2_ATA;
	uint64_t vm_vhe = vm | KVMMTE_HCR_EL2_E2H;
	uint64_t nomte = hcr0 | KVMMTE_HCR_EL2_RW, nomte_vhe = nomte | KVMMTE_HCR_EL2_E2H;

	/* (a) MTE VM, nVHE host: the baselines also move TFSR/TFSRE0 in C. */
	bkvm.flags = 1UL << BASELINE_KVM_MTE_ENABLED;
	set_hcr(vm);
	round_trips("a", &nvhe, V_HCR | V_IDREG, vm);

	/* (b) MTE VM, VHE host: TFSR_EL1 is at load/put for all but (iii). */
	set_hcr(vm_vhe);
	round_trips("b", &vhe, V_HCR | V_IDREG | V_CALL, vm_vhe);

	/* (e) vcpu load + put, the lazy set. */
	load_put("e-vhe", ours_lp_vhe_inline, ours_lp_vhe_call, baseline_vhe_load_put_c, vm_vhe);
	set_hcr(vm);
	load_put("e-nvhe", ours_lp_nvhe_inline, ours_lp_nvhe_call, NULL, vm);

	/* (c) VM without MTE (HCR_EL2.ATA clear) on an MTE CPU. */
	bkvm.flags = 0;
	set_hcr(nomte);
	round_trips("c-nvhe", &nvhe, V_HCR, nomte);
	set_hcr(nomte_vhe);
	round_trips("c-vhe", &vhe, V_HCR, nomte_vhe);

	/* (f) 1000 fast-path exits at EL2, MTE VM. */
	bench_loop_states[0] = &guest;
	bench_loop_states[1] = &host;
	run_loops("f-nvhe", loops_nvhe, vm);
	run_loops("f-vhe", loops_vhe, vm_vhe);

	/* (h) a nested entry + exit, FEAT_NV2. */
	nested_scenarios(vm, vm_vhe);
}

/*
 * (h) The MTE part of one nested entry + exit for a VM that runs a guest
 * hypervisor with FEAT_NV2 (<kvmmte/nested.h>): L1's ERET into L2, then
 * L2's exit back to L1.  No baseline: no system offers MTE to nested
 * guests.
 */
static struct kvmmte_vm_config nested_vm;
static struct kvmmte_el2_state nested_l1;
static uint64_t nested_vncr[512] __attribute__((aligned(4096)));

static __attribute__((noinline)) void ours_nested_nvhe(uint64_t vm, uint64_t l1, uint64_t vncr)
{
	(void)vm;
	kvmmte_nested_enter_nvhe((struct kvmmte_el2_state *)l1, (void *)vncr);
	__asm__ volatile("" ::: "memory");	/* L2 runs here */
	kvmmte_nested_exit_nvhe((struct kvmmte_el2_state *)l1, (void *)vncr);
}

static __attribute__((noinline)) void ours_nested_vhe(uint64_t vm, uint64_t l1, uint64_t vncr)
{
	(void)vm;
	kvmmte_nested_enter_vhe((struct kvmmte_el2_state *)l1, (void *)vncr);
	__asm__ volatile("" ::: "memory");
	kvmmte_nested_exit_vhe((struct kvmmte_el2_state *)l1, (void *)vncr);
}

static __attribute__((noinline)) void ours_nested_nvhe_call(uint64_t vm, uint64_t l1, uint64_t vncr)
{
	kvmmte_nested_enter(KVMMTE_HOST_NVHE, (const struct kvmmte_vm_config *)vm,
			    (struct kvmmte_el2_state *)l1, (void *)vncr);
	__asm__ volatile("" ::: "memory");
	kvmmte_nested_exit(KVMMTE_HOST_NVHE, (const struct kvmmte_vm_config *)vm,
			   (struct kvmmte_el2_state *)l1, (void *)vncr);
}

static __attribute__((noinline)) void ours_nested_vhe_call(uint64_t vm, uint64_t l1, uint64_t vncr)
{
	kvmmte_nested_enter(KVMMTE_HOST_VHE, (const struct kvmmte_vm_config *)vm,
			    (struct kvmmte_el2_state *)l1, (void *)vncr);
	__asm__ volatile("" ::: "memory");
	kvmmte_nested_exit(KVMMTE_HOST_VHE, (const struct kvmmte_vm_config *)vm,
			   (struct kvmmte_el2_state *)l1, (void *)vncr);
}

/*
 * The checked _at calls, for an nVHE L0 whose exit path already saved the
 * VM's state: the same move on the saved TFSR_EL1 of a KVM-style context.
 */
static uint64_t nested_ctxt[64];
static const struct kvmmte_layout nested_layout =
	KVMMTE_LAYOUT_INIT(struct { uint64_t r[64]; }, r[30], r[11], r[27], r[26]);

static __attribute__((noinline)) void ours_nested_nvhe_saved(uint64_t vm, uint64_t l1, uint64_t vncr)
{
	(void)vm;
	kvmmte_nested_enter_saved(&nested_layout, nested_ctxt, (struct kvmmte_el2_state *)l1, (void *)vncr);
	/* L2 runs here */
	kvmmte_nested_exit_saved(&nested_layout, nested_ctxt, (struct kvmmte_el2_state *)l1, (void *)vncr);
}

static __attribute__((noinline)) void ours_nested_nvhe_at(uint64_t vm, uint64_t l1, uint64_t vncr)
{
	kvmmte_nested_enter_at((const struct kvmmte_vm_config *)vm, &nested_layout, nested_ctxt,
			       (struct kvmmte_el2_state *)l1, (void *)vncr);
	kvmmte_nested_exit_at((const struct kvmmte_vm_config *)vm, &nested_layout, nested_ctxt,
			      (struct kvmmte_el2_state *)l1, (void *)vncr);
}

static void nested_scenarios(uint64_t vm, uint64_t vm_vhe)
{
	struct kvmmte_caps caps;

	if (kvmmte_cpu_caps(&caps) || kvmmte_vm_config_init(&nested_vm, &caps, caps.level, 0)) {
		plat_printf("FAIL: kvmmte_vm_config_init() for scenario h\n");
		return;
	}
	nested_vncr[KVMMTE_VNCR_TFSR_EL1 / 8] = 1;
	nested_l1.tfsr_el2 = 2;
	set_hcr(vm);
	measure("h-nvhe", "ours", "c", ours_nested_nvhe, (uintptr_t)&nested_vm,
		(uintptr_t)&nested_l1, (uintptr_t)nested_vncr);
	measure("h-nvhe", "ours-call", "c", ours_nested_nvhe_call, (uintptr_t)&nested_vm,
		(uintptr_t)&nested_l1, (uintptr_t)nested_vncr);
	/* The checked calls must take their full path, not an error's. */
	if (kvmmte_nested_enter_at(&nested_vm, &nested_layout, nested_ctxt, &nested_l1, nested_vncr) ||
	    kvmmte_nested_exit_at(&nested_vm, &nested_layout, nested_ctxt, &nested_l1, nested_vncr)) {
		plat_printf("FAIL: kvmmte_nested_enter_at()/_exit_at() refused scenario h's arguments\n");
		return;
	}
	measure("h-nvhe", "ours-saved", "c", ours_nested_nvhe_saved, (uintptr_t)&nested_vm,
		(uintptr_t)&nested_l1, (uintptr_t)nested_vncr);
	measure("h-nvhe", "ours-at", "c", ours_nested_nvhe_at, (uintptr_t)&nested_vm,
		(uintptr_t)&nested_l1, (uintptr_t)nested_vncr);
	set_hcr(vm_vhe);
	measure("h-vhe", "ours", "c", ours_nested_vhe, (uintptr_t)&nested_vm,
		(uintptr_t)&nested_l1, (uintptr_t)nested_vncr);
	measure("h-vhe", "ours-call", "c", ours_nested_vhe_call, (uintptr_t)&nested_vm,
		(uintptr_t)&nested_l1, (uintptr_t)nested_vncr);
}

/* ---- (g) a migrated vcpu's first entry on CPU 1 ------------------------------ */

#define PSCI_CPU_OFF		0x84000002U
#define PSCI_AFFINITY_INFO_64	0xc4000004U
#define PSCI_AFFINITY_OFF	1
#define MIGRATE_TO		1	/* the CPU g runs on */

static int64_t psci(uint64_t fid, uint64_t a1)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = 0;
	register uint64_t x3 __asm__("x3") = 0;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

/* What CPU 0 hands to CPU 1. */
static struct migrate_args {
	uint64_t hcr0;		/* the platform's HCR_EL2 */
	int level;		/* kvmmte_init() on CPU 0 */
	bool shared_store;	/* break=shared-store: the store check must fail */
} migrate_args;

/*
 * One variant: load (inline or the call) and the first round trip (the
 * macros or the out-of-line functions), each its own measurement (parts
 * "load" and "asm", summed by report.py), then an unmeasured put so the
 * next variant starts from a put vcpu again.
 */
static void migrated(const char *scn, const char *impl, bench_fn load, bench_fn trip,
		     bool vhe, uint64_t hcr)
{
	measure(scn, impl, "load", load, (uintptr_t)&guest, (uintptr_t)&host_cpu1, hcr);
	seq_on(scn, impl, trip, &host_cpu1, hcr);
	if (vhe)
		kvmmte_vcpu_put_vhe(&host_cpu1, &guest);
	else
		kvmmte_vcpu_put_nvhe(&host_cpu1, &guest);
}

static __attribute__((noreturn)) void cpu1_main(void *p)
{
	const struct migrate_args *m = p;
	uint64_t vm = m->hcr0 | KVMMTE_HCR_EL2_RW | KVMMTE_HCR_EL2_ATA;
	uint64_t vm_vhe = vm | KVMMTE_HCR_EL2_E2H;
	int level;

	/* Measure only once CPU 0 executes nothing: the PMU counts every CPU under -icount. */
	while (psci(PSCI_AFFINITY_INFO_64, 0) != PSCI_AFFINITY_OFF)
		__asm__ volatile("yield");
	/* The library's per-CPU init (docs/api.md, "Several CPUs"), this CPU's PMU. */
	level = kvmmte_init(0);
	if (level != m->level) {
		plat_printf("FAIL: kvmmte_init() = %d on CPU %u, %d on CPU 0\n", level,
			    plat_cpu_index(), m->level);
		plat_exit(1);
	}
	bench_pmu_init();
	measure_empty();

	set_hcr(vm_vhe);
	migrated("g-vhe", "ours", ours_load_vhe_inline,
		 m->shared_store ? bench_ours_vhe_shared_store : bench_ours_vhe, true, vm_vhe);
	migrated("g-vhe", "ours-call", ours_load_vhe_call, bench_ours_outofline_vhe, true, vm_vhe);
	set_hcr(vm);
	migrated("g-nvhe", "ours", ours_load_nvhe_inline, bench_ours_nvhe, false, vm);
	migrated("g-nvhe", "ours-call", ours_load_nvhe_call, bench_ours_outofline_nvhe, false, vm);

	set_hcr(m->hcr0);
	plat_printf("@end\n");
	plat_exit(0);
}

/*
 * CPU 0, after every other scenario: the vcpu, loaded and run here (VHE),
 * is put; CPU 1 starts; CPU 0 turns itself off.  Returns only on failure.
 */
static int migrate_to_cpu1(uint64_t hcr0, int level, const char *cmdline)
{
	uint64_t vm_vhe = hcr0 | KVMMTE_HCR_EL2_RW | KVMMTE_HCR_EL2_ATA | KVMMTE_HCR_EL2_E2H;
	unsigned int ncpus = plat_nr_cpus();
	char brk[32];
	int ret;

	if (ncpus <= MIGRATE_TO) {
		plat_printf("FAIL: scenario g needs CPU %u; QEMU has %u CPU(s) (run with -smp 2)\n",
			    MIGRATE_TO, ncpus);
		return 1;
	}
	migrate_args.hcr0 = hcr0;
	migrate_args.level = level;
	if (!plat_cmdline_get(cmdline, "break", brk, sizeof(brk)))
		brk[0] = '\0';
	migrate_args.shared_store = !strcmp(brk, "shared-store");
	set_hcr(vm_vhe);
	kvmmte_vcpu_load_vhe(&host, &guest);
	bench_ours_vhe((uintptr_t)&guest, (uintptr_t)&host, vm_vhe);
	kvmmte_vcpu_put_vhe(&host, &guest);
	set_hcr(hcr0);
	ret = plat_cpu_on(MIGRATE_TO, cpu1_main, &migrate_args);
	if (ret) {
		plat_printf("FAIL: plat_cpu_on(%u) = %d\n", MIGRATE_TO, ret);
		return 1;
	}
	psci(PSCI_CPU_OFF, 0);
	plat_printf("FAIL: PSCI CPU_OFF returned on CPU 0\n");
	return 1;
}

/* (d) a CPU without MTE. */
static void no_mte_cpu_scenarios(uint64_t hcr0)
{
	uint64_t vm = hcr0 | KVMMTE_HCR_EL2_RW, vm_vhe = vm | KVMMTE_HCR_EL2_E2H;

	set_hcr(vm);
	round_trips("d-nvhe", &nvhe_nomte, V_IDREG, vm);
	set_hcr(vm_vhe);
	round_trips("d-vhe", &vhe_nomte, V_IDREG, vm_vhe);
}

int plat_app_main(const char *cmdline)
{
	uint64_t hcr0 = plat_read_sysreg(KVMMTE_SYS(HCR_EL2));
	int level = kvmmte_init(0);

	if (level < 0) {
		plat_printf("FAIL: kvmmte_init() = %d\n", level);
		return 1;
	}
	bench_pmu_init();
	measure_empty();
	plat_printf("# MTE level %d (%s)\n", level, level >= 2 ? "mte=on" : "no MTE2: scenario d");
	if (level >= 2) {
		mte_cpu_scenarios(hcr0);
		return migrate_to_cpu1(hcr0, level, cmdline);	/* CPU 1 ends the run */
	}
	no_mte_cpu_scenarios(hcr0);
	set_hcr(hcr0);
	plat_printf("@end\n");
	return 0;
}
