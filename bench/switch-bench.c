// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * World-switch benchmark: exact instructions per guest round trip (entry
 * then exit) for libkvmmte's macros and for the original patch's sequence,
 * in the same run, at EL2 under qemu-system-aarch64 -icount shift=0.
 *
 * Each sequence is a function of its own; its count is the PMU's
 * INST_RETIRED across one call minus the same for an empty function, so
 * call and measurement overhead cancel.  Every count is taken twice and
 * must repeat exactly (icount makes it deterministic); the run fails if a
 * count drifts or if ours is not below the baseline it replaces.
 */
#include <platform.h>
#include <kvmmte/kvmmte.h>
#include "pmu.h"
#include "baseline.h"

typedef void (*seq_fn)(struct kvmmte_state *g, struct kvmmte_state *h, uint64_t hcr);

void bench_empty(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_vhe(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_vhe_noisb(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_vhe_hcr(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_vhe_idreg(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_nvhe(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_nvhe_hcr(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_ours_outofline_vhe(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_baseline(struct kvmmte_state *, struct kvmmte_state *, uint64_t);
void bench_baseline_isb(struct kvmmte_state *, struct kvmmte_state *, uint64_t);

static struct kvmmte_state guest = { 0x1200, 0x10f0f, 0, 0 }, host = { 0x3400, 0x10001, 0, 0 };
static struct baseline_kvm bkvm = { 1UL << BASELINE_KVM_MTE_ENABLED };
static struct baseline_vcpu bvcpu = { &bkvm, { 0, 0, 0 } };
static struct baseline_ctxt bhost = { 0, 0, &bvcpu };
static int failures;

static __attribute__((noinline)) uint64_t count_once(seq_fn fn, uint64_t hcr)
{
	uint64_t before, after;

	before = bench_pmu_read();
	fn(&guest, &host, hcr);
	after = bench_pmu_read();
	return after - before;
}

/* Instructions of @fn alone; exits the run if two counts differ. */
static uint64_t count(seq_fn fn, uint64_t hcr, const char *what)
{
	uint64_t empty = count_once(bench_empty, hcr);
	uint64_t a = count_once(fn, hcr) - empty;
	uint64_t b = count_once(fn, hcr) - empty;

	if (a != b) {
		plat_printf("FAIL %s: count not repeatable (%lu then %lu): is -icount on?\n",
			    what, (unsigned long)a, (unsigned long)b);
		failures++;
	}
	return a;
}

/* C entry points counted through the same harness. */
static void c_nvhe_round_trip(struct kvmmte_state *g, struct kvmmte_state *h, uint64_t hcr)
{
	(void)g;
	(void)h;
	(void)hcr;
	baseline_nvhe_round_trip_c(&bhost, &bvcpu.ctxt);
}

static void c_baseline_vhe_load_put(struct kvmmte_state *g, struct kvmmte_state *h, uint64_t hcr)
{
	(void)g;
	(void)h;
	(void)hcr;
	baseline_vhe_load_put_c(&bhost, &bvcpu.ctxt);
}

static void c_ours_vhe_load_put(struct kvmmte_state *g, struct kvmmte_state *h, uint64_t hcr)
{
	(void)hcr;
	kvmmte_vcpu_load(KVMMTE_HOST_VHE, h, g);
	kvmmte_vcpu_put(KVMMTE_HOST_VHE, h, g);
}

static void c_ours_nvhe_load_put(struct kvmmte_state *g, struct kvmmte_state *h, uint64_t hcr)
{
	(void)hcr;
	kvmmte_vcpu_load(KVMMTE_HOST_NVHE, h, g);
	kvmmte_vcpu_put(KVMMTE_HOST_NVHE, h, g);
}

static void row(const char *what, uint64_t ours, uint64_t base)
{
	long delta = (long)ours - (long)base;
	char d[24];

	plat_snprintf(d, sizeof(d), "%c%lu", delta < 0 ? '-' : '+',
		      (unsigned long)(delta < 0 ? -delta : delta));
	plat_printf("| %-64s | %5lu | %8lu | %6s |\n", what, (unsigned long)ours,
		    (unsigned long)base, d);
	if (ours >= base) {
		plat_printf("FAIL %s: ours (%lu) is not below the baseline (%lu)\n", what,
			    (unsigned long)ours, (unsigned long)base);
		failures++;
	}
}

static void set_hcr(uint64_t hcr)
{
	plat_write_sysreg(KVMMTE_SYS(HCR_EL2), hcr);
	plat_isb();
}

int plat_app_main(const char *cmdline)
{
	uint64_t hcr0 = plat_read_sysreg(KVMMTE_SYS(HCR_EL2));
	uint64_t hcr = hcr0 | KVMMTE_HCR_EL2_RW | KVMMTE_HCR_EL2_ATA;
	uint64_t base, base_isb, c_base_nvhe, ours_vhe_lp, ours_nvhe_lp, base_vhe_lp;
	bool vhe;

	(void)cmdline;
	if (kvmmte_init(0) < 2) {
		plat_printf("FAIL: the benchmark needs an MTE2 CPU (mte=on)\n");
		return 1;
	}
	bench_pmu_init();

	for (vhe = false; ; vhe = true) {
		uint64_t h = vhe ? (hcr | KVMMTE_HCR_EL2_E2H) : hcr;

		set_hcr(h);
		plat_printf("\n%s host (HCR_EL2 = 0x%lx), instructions per guest round trip"
			    " (entry + exit), MTE VM:\n\n", vhe ? "VHE" : "nVHE", (unsigned long)h);
		plat_printf("| %-64s | %5s | %8s | %6s |\n", "sequence", "ours", "baseline", "delta");
		plat_printf("|%s|------:|---------:|-------:|\n",
			    "------------------------------------------------------------------");
		base = count(bench_baseline, h, "baseline");
		base_isb = count(bench_baseline_isb, h, "baseline+isb");
		if (vhe) {
			row("macros, default (ISB on exit) vs baseline + ISB",
			    count(bench_ours_vhe, h, "ours vhe"), base_isb);
			row("macros, isb=0 vs baseline", count(bench_ours_vhe_noisb, h, "ours vhe noisb"), base);
			row("macros, hcr= in a register vs baseline + ISB",
			    count(bench_ours_vhe_hcr, h, "ours vhe hcr"), base_isb);
			row("macros, gate=idreg (XIP text) vs baseline + ISB",
			    count(bench_ours_vhe_idreg, h, "ours vhe idreg"), base_isb);
			ours_vhe_lp = count(c_ours_vhe_load_put, h, "ours vhe load/put");
			base_vhe_lp = count(c_baseline_vhe_load_put, h, "baseline vhe load/put");
			plat_printf("\nvcpu load + put (C, lazy set), not per round trip:"
				    " ours %lu (saves and restores the host's TFSRE0_EL1 too),"
				    " original patch %lu\n", (unsigned long)ours_vhe_lp,
				    (unsigned long)base_vhe_lp);
			plat_printf("out-of-line C-callable pair (bl + ret each, ISB on exit): %lu\n",
				    (unsigned long)count(bench_ours_outofline_vhe, h, "out of line"));
			break;
		}
		/* nVHE: the original moved TFSR_EL1/TFSRE0_EL1 in C on every entry and exit. */
		c_base_nvhe = count(c_nvhe_round_trip, h, "baseline nvhe C");
		row("macros (RGSR, GCR, TFSR_EL1) vs baseline asm + ISB + C TFSR/E0",
		    count(bench_ours_nvhe, h, "ours nvhe"), base_isb + c_base_nvhe);
		row("macros, hcr= in a register vs baseline asm + ISB + C",
		    count(bench_ours_nvhe_hcr, h, "ours nvhe hcr"), base_isb + c_base_nvhe);
		ours_nvhe_lp = count(c_ours_nvhe_load_put, h, "ours nvhe load/put");
		plat_printf("\n(baseline C part alone: %lu instructions per round trip;"
			    " ours moves TFSRE0_EL1 at load/put instead: %lu per load + put)\n",
			    (unsigned long)c_base_nvhe, (unsigned long)ours_nvhe_lp);

		/* A VM without MTE: HCR_EL2.ATA clear, both skip. */
		set_hcr(hcr0 | KVMMTE_HCR_EL2_RW);
		plat_printf("\nVM without MTE (HCR_EL2.ATA = 0), switch skipped:\n\n");
		plat_printf("| %-64s | %5s | %8s | %6s |\n", "sequence", "ours", "baseline", "delta");
		plat_printf("|%s|------:|---------:|-------:|\n",
			    "------------------------------------------------------------------");
		base = count(bench_baseline, hcr0, "baseline skip");
		row("macros, skipped", count(bench_ours_vhe, hcr0, "ours skip"), base);
		row("macros, skipped, hcr= in a register",
		    count(bench_ours_vhe_hcr, hcr0, "ours skip hcr"), base);
	}
	set_hcr(hcr0);
	plat_printf("\n%d failed\n", failures);
	return failures ? 1 : 0;
}
