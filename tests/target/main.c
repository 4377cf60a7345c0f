// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The harness's runner: boots the hypervisor, picks cases from the command
 * line, runs each under plat_try(), prints the closing line, and hands the
 * result to QEMU as its exit status (0 all passed, 1 a failure, 2 nothing
 * matched the selection).
 *
 * Command line (QEMU -append, space-separated):
 *   case=PATTERN[,PATTERN...]  cases to run; '*' matches any text (default: all)
 *   seed=N           the run's seed (default: from the counter; printed)
 *   switches=N       override the number of world switches of the property cases
 *   init=0           do not call kvmmte_init() (the fail-closed check)
 *   watchdog_ms=N    how long one guest entry may run (default 1000)
 *   list=1           print the case names and stop
 */
#include "harness.h"

extern const struct tt_case __start_tt_cases[], __stop_tt_cases[];

static bool glob_match(const char *pat, const char *s, const char *pat_end)
{
	for (; pat < pat_end; pat++, s++) {
		if (*pat == '*') {
			for (const char *rest = s;; rest++) {
				if (glob_match(pat + 1, rest, pat_end))
					return true;
				if (!*rest)
					return false;
			}
		}
		if (*s != *pat)
			return false;
	}
	return !*s;
}

/* Does @name match one of the comma-separated patterns in @pats? */
static bool selected(const char *pats, const char *name)
{
	while (*pats) {
		const char *end = pats;

		while (*end && *end != ',')
			end++;
		if (glob_match(pats, name, end))
			return true;
		pats = *end ? end + 1 : end;
	}
	return false;
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* Cases in name order, whatever order the compiler and linker left them in. */
static unsigned int sorted_cases(const struct tt_case **out, unsigned int max)
{
	unsigned int n = 0;

	for (const struct tt_case *c = __start_tt_cases; c < __stop_tt_cases && n < max; c++) {
		unsigned int i = n++;

		for (; i && strcmp(out[i - 1]->name, c->name) > 0; i--)
			out[i] = out[i - 1];
		out[i] = c;
	}
	return n;
}

static int run_case(void *arg)
{
	struct tt *t = arg;

	t->c->run(t);
	return 0;
}

/* What every case starts from: nVHE, no vcpu, our vectors, timer off. */
static void reset_host(struct hv_host *h)
{
	h->loaded = NULL;
	hv_host_init(h, h->watchdog_ms);
}

int plat_app_main(const char *cmdline)
{
	static struct hv_host host;
	char pats[256] = "*";
	unsigned int passed = 0, failed = 0, skipped = 0;
	uint64_t seed = plat_cmdline_u64(cmdline, "seed", plat_counter());
	struct tt base = {
		.h = &host,
		.switches = plat_cmdline_u64(cmdline, "switches", 0),
		.init_called = plat_cmdline_u64(cmdline, "init", 1) != 0,
	};
	struct plat_fault fault;
	static const struct tt_case *cases[128];
	unsigned int nr_cases = sorted_cases(cases, 128);

	unsigned int ncpus = plat_nr_cpus();
	/* ID_AA64MMFR2_EL1.NV: 2 with FEAT_NV2 */
	unsigned int nv = (unsigned int)(plat_read_sysreg(S3_0_C0_C7_2) >> 24) & 0xf;

	plat_cmdline_get(cmdline, "case", pats, sizeof(pats));
	hv_host_init(&host, plat_cmdline_u64(cmdline, "watchdog_ms", 1000));
	if (base.init_called)
		base.init_ret = kvmmte_init(0);

	if (plat_cmdline_u64(cmdline, "list", 0)) {
		for (unsigned int i = 0; i < nr_cases; i++)
			plat_printf("%s\n", cases[i]->name);
		return 0;
	}
	plat_printf("libkvmmte QEMU suite: %s %s, %u CPU%s, MTE level %u, kvmmte_init() %s%d, seed=0x%lx\n",
#ifdef __clang__
		    "clang",
#else
		    "gcc",
#endif
		    __VERSION__, ncpus, ncpus == 1 ? "" : "s", host.caps.level, base.init_called ? "= " : "skipped (init=0), ",
		    base.init_called ? base.init_ret : 0, (unsigned long)seed);
	if (base.init_called && base.init_ret < 0) {
		plat_printf("kvmmte_init() failed: %d\n", base.init_ret);
		return 1;
	}

	for (unsigned int i = 0; i < nr_cases; i++) {
		const struct tt_case *c = cases[i];
		struct tt t = base;
		uint64_t start;
		int r;

		if (!selected(pats, c->name))
			continue;
		if (((c->needs & TT_NEEDS_MTE2) && !host.cpu_mte2) ||
		    ((c->needs & TT_NEEDS_NO_MTE2) && host.cpu_mte2)) {
			plat_printf("[SKIP] %s (needs a CPU %s FEAT_MTE2)\n", c->name,
				    host.cpu_mte2 ? "without" : "with");
			skipped++;
			continue;
		}
		if ((c->needs & TT_NEEDS_SMP) && ncpus < 2) {
			plat_printf("[SKIP] %s (needs more than one CPU: -smp)\n", c->name);
			skipped++;
			continue;
		}
		if ((c->needs & TT_NEEDS_NV2) && nv < 2) {
			plat_printf("[SKIP] %s (needs FEAT_NV2: ID_AA64MMFR2_EL1.NV is %u here; QEMU 10's -cpu max has it)\n",
				    c->name, nv);
			skipped++;
			continue;
		}
		t.c = c;
		t.seed = seed ^ name_hash(c->name);
		plat_prng_seed(&t.rng, t.seed);
		reset_host(&host);
		plat_printf("[RUN ] %s\n", c->name);
		start = plat_counter();
		r = plat_try(run_case, &t, &fault);
		if (r == PLAT_TRY_FAULTED) {
			plat_printf("    %s: exception at EL2: ESR_EL2 0x%08lx ELR_EL2 0x%lx FAR_EL2 0x%lx\n",
				    c->name, (unsigned long)fault.esr, (unsigned long)fault.elr,
				    (unsigned long)fault.far);
			t.failures++;
		}
		reset_host(&host);
		if (t.failures) {
			plat_printf("[FAIL] %s: rerun alone with -append \"case=%s seed=0x%lx\"\n",
				    c->name, c->name, (unsigned long)seed);
			failed++;
		} else {
			plat_printf("[ OK ] %s (%lu ms)\n", c->name,
				    (unsigned long)((plat_counter() - start) * 1000 / plat_counter_freq()));
			passed++;
		}
	}
	plat_printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	if (failed)
		return 1;
	return passed + skipped ? 0 : 2;
}
