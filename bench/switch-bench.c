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
 * e vcpu load + put, f a run loop of fast-path exits handled at EL2.
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
	X(bench_base_iii_vhe_nomte)
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
static struct baseline_kvm bkvm;
static struct baseline_vcpu bvcpu = { &bkvm, { 0, 0, 0 } };
static struct baseline_ctxt bhost = { 0, 0, &bvcpu };
static uint64_t empty_all, empty_el2;

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
	struct counts n;

	count_call(fn, a, b, c, &n);
	plat_printf("@ %s %s %s all=%lu el2=%lu\n", scn, impl, part,
		    (unsigned long)(n.all - empty_all), (unsigned long)(n.el2 - empty_el2));
}

/* One guest round trip through an MTE switch sequence. */
static void seq(const char *scn, const char *impl, bench_fn fn, uint64_t hcr)
{
	measure(scn, impl, "asm", fn, (uintptr_t)&guest, (uintptr_t)&host, hcr);
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
	struct counts n;

	(void)cmdline;
	if (level < 0) {
		plat_printf("FAIL: kvmmte_init() = %d\n", level);
		return 1;
	}
	bench_pmu_init();
	count_call(bench_empty, 0, 0, 0, &n);
	empty_all = n.all;
	empty_el2 = n.el2;
	plat_printf("@ - empty - all=%lu el2=%lu\n", (unsigned long)n.all, (unsigned long)n.el2);
	plat_printf("# MTE level %d (%s)\n", level, level >= 2 ? "mte=on" : "no MTE2: scenario d");
	if (level >= 2)
		mte_cpu_scenarios(hcr0);
	else
		no_mte_cpu_scenarios(hcr0);
	set_hcr(hcr0);
	plat_printf("@end\n");
	return 0;
}
