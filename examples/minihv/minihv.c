// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * minihv: a minimal hypervisor at EL2 that runs three guests at EL1 (two
 * with MTE, one without) and preempts them with the EL2 timer, with
 * libkvmmte doing every MTE-specific step:
 *
 *   boot            kvmmte_init(), kvmmte_cpu_caps(), SCTLR_EL2 |=
 *                   kvmmte_sctlr_el2_bits()
 *   creating a VM   kvmmte_vm_config_init() (host capability check),
 *                   kvmmte_vm_hcr_el2(), kvmmte_vcpu_reset()
 *   time slice      kvmmte_vcpu_load() ... kvmmte_vcpu_put()
 *   entry / exit    kvmmte_switch_to_guest / _to_host (entry.S)
 *   traps (EC 0x18) kvmmte_handle_sysreg_trap(), kvmmte_undef_prepare(),
 *                   kvmmte_vm_id_aa64pfr1() for the sanitised ID register
 *
 * Options (QEMU -append): mode=nvhe|vhe (default nvhe), switches=N (10000),
 * seed=N (default: from the counter; printed so that a run can be replayed).
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

enum slice_end { PREEMPTED, YIELDED, DONE };

static const struct {
	const char *name;
	unsigned int mte_level;
	uint64_t exclude;		/* GCR_EL1.Exclude the guest uses */
} guests[NR_GUESTS] = {
	{ "alpha", KVMMTE_PFR1_MTE_MTE3, 0x5555 },	/* odd tags only */
	{ "beta", KVMMTE_PFR1_MTE_MTE2, 0xaaab },	/* even tags, not 0 */
	{ "gamma", 0, 0 },				/* no MTE */
};

static const char *const reg_names[KVMMTE_REG_COUNT] = {
	"?", "RGSR_EL1", "GCR_EL1", "TFSR_EL1", "TFSRE0_EL1", "TFSR_EL12", "GMID_EL1",
};

static struct host_ctxt host;
static struct vcpu vcpus[NR_GUESTS];
static struct kvmmte_caps caps;
static enum kvmmte_host_mode mode;
static bool vhe;			/* mode == KVMMTE_HOST_VHE */
static uint64_t (*enter)(struct vcpu *v);
static uint64_t host_rgsr, host_pfr1;
static struct plat_prng rng;
static unsigned long switches, exits, host_bad;
static bool stopping;

static void vcpu_create(struct vcpu *v, unsigned int i, uint64_t seed)
{
	unsigned int flags = guests[i].mte_level ? KVMMTE_VM_ASYNC : 0;
	int r = kvmmte_vm_config_init(&v->vm, &caps, guests[i].mte_level, flags);

	v->name = guests[i].name;
	v->boot = (struct guest_boot *)(GUEST_RAM_BASE + (uintptr_t)i * GUEST_RAM_SIZE);
	if (r) {		/* the host can not give it MTE: it does not run */
		plat_printf("  vm %-6s not started: kvmmte_vm_config_init(MTE %u) = %d\n",
			    v->name, guests[i].mte_level, r);
		v->done = true;
		return;
	}
	v->host = &host;
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

/* A time slice starts: the guest's EL1 world, VMID and lazy MTE state in. */
static void vcpu_load(struct vcpu *v)
{
	plat_el1ctx_restore(&v->el1, vhe);
	plat_write_sysreg(S3_4_C2_C1_0, (uint64_t)v->vmid << 48);	/* VTTBR_EL2 */
	if (v->vm.mte_level)
		kvmmte_vcpu_load(mode, &host.mte, &v->mte);
	v->slices++;
	v->boot->slices++;
}

static void vcpu_put(struct vcpu *v)
{
	if (v->vm.mte_level)
		kvmmte_vcpu_put(mode, &host.mte, &v->mte);
	plat_el1ctx_save(&v->el1, vhe);
}

static void crash(struct vcpu *v, const char *why)
{
	plat_printf("  [%5lu] minihv: %s %s: ESR_EL2 0x%lx ELR_EL2 0x%lx x0 0x%lx x1 0x%lx x2 0x%lx\n",
		    switches, v->name, why, v->esr, v->pc, v->x[0], v->x[1], v->x[2]);
	v->crashed = v->done = true;
}

/* The host's own MTE registers must be back after every exit. */
static void check_host(void)
{
	uint64_t gcr, rgsr;

	if (caps.level < 2)
		return;
	gcr = kvmmte_read_gcr_el1();
	rgsr = kvmmte_read_rgsr_el1();
	if ((gcr != HOST_GCR || rgsr != host_rgsr) && host_bad++ < 3)
		plat_printf("  [%5lu] minihv: FAIL: host GCR_EL1 0x%lx RGSR_EL1 0x%lx after an exit, "
			    "expected 0x%lx 0x%lx\n", switches, gcr, rgsr, HOST_GCR, host_rgsr);
}

/* HVC_PRINT: a line from the guest's own RAM, prefixed with its name. */
static void guest_print(struct vcpu *v, uint64_t addr)
{
	uint64_t base = (uintptr_t)v->boot, a = addr & 0x00ffffffffffffffUL;	/* TBI */
	unsigned int n = 0;

	if (stopping)
		plat_printf("  %-6s ", v->name);
	else
		plat_printf("  [%5lu] %-6s ", switches, v->name);
	for (; a >= base && a < base + GUEST_RAM_SIZE && n < 200; a++, n++) {
		char c = *(const char *)a;

		if (!c)
			break;
		plat_putc(c >= ' ' && c < 127 ? c : '?');
	}
	plat_putc('\n');
}

/* EC 0x18: the library answers for the MTE registers; minihv for the ID one. */
static void sysreg_trap(struct vcpu *v)
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
			plat_printf("  [%5lu] minihv: %s: %s %s trapped (ESR_EL2 0x%lx): "
				    "libkvmmte says UNDEF, injected\n", switches, v->name,
				    a.is_read ? "mrs" : "msr", reg_names[a.reg], v->esr);
		}
		plat_el1ctx_save(&v->el1, vhe);
		if (kvmmte_undef_prepare(&v->vm, v->pc, v->pstate, v->el1.vbar_el1,
					 v->el1.sctlr_el1, &e)) {
			crash(v, "UNDEF injection refused");
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
		crash(v, "unexpected system register trap");
		return;
	default:
		crash(v, "unexpected trap result");
	}
}

/* Run @v until its slice ends. */
static enum slice_end run_slice(struct vcpu *v)
{
	for (;;) {
		uint64_t why = enter(v);
		unsigned int intid;

		exits++;
		check_host();
		if (why == MINIHV_EXIT_IRQ) {
			intid = plat_gic_ack();
			if (intid == PLAT_INTID_SPURIOUS)
				continue;
			plat_el2_timer_disarm();
			plat_gic_eoi(intid);
			return PREEMPTED;
		}
		if (why != MINIHV_EXIT_SYNC) {
			crash(v, "unexpected exception");
			return DONE;
		}
		if (v->esr >> KVMMTE_ESR_EC_SHIFT == KVMMTE_ESR_EC_SYS64) {
			sysreg_trap(v);
		} else if (v->esr >> KVMMTE_ESR_EC_SHIFT != EC_HVC64) {
			crash(v, "unexpected exit");
		} else if ((v->esr & 0xffff) == HVC_YIELD) {
			return YIELDED;
		} else if ((v->esr & 0xffff) == HVC_PRINT) {
			guest_print(v, v->x[0]);
		} else if ((v->esr & 0xffff) == HVC_DONE) {
			v->failures = v->x[0];
			v->done = true;
		} else {
			crash(v, "guest crashed (HVC_CRASH: x0 vector, x1 ESR_EL1, x2 ELR_EL1)");
		}
		if (v->done)
			return DONE;
	}
}

/* Next guest: a random other one while preempting, in order once stopping. */
static struct vcpu *pick(struct vcpu *cur)
{
	struct vcpu *c[NR_GUESTS];
	unsigned int i, n = 0;

	for (i = 0; i < NR_GUESTS; i++)
		if (!vcpus[i].done && (stopping || &vcpus[i] != cur))
			c[n++] = &vcpus[i];
	if (stopping || !n)
		return n ? c[0] : (cur && !cur->done ? cur : NULL);
	return c[plat_prng_below(&rng, n)];
}

/*
 * Every slice ends with the timer or a yield.  After @nr_switches, the
 * guests are told to stop and finish one after the other (the timer still
 * preempts, as a watchdog, but the same guest resumes).
 */
static void schedule(unsigned long nr_switches)
{
	uint64_t tick_us = plat_counter_freq() / 1000000;
	struct vcpu *v = pick(NULL);
	unsigned long wind_up = 0;
	unsigned int i;

	plat_gic_init();
	plat_gic_enable(PLAT_INTID_EL2_PTIMER);
	while (v) {
		enum slice_end end;

		if (switches == nr_switches && !stopping) {
			plat_printf("minihv: %lu switches done: each guest now finishes its round "
				    "and reports\n", switches);
			stopping = true;
			for (i = 0; i < NR_GUESTS; i++)
				vcpus[i].boot->stop = 1;
			v = pick(NULL);
		}
		vcpu_load(v);
		plat_el2_timer_arm(tick_us * (SLICE_MIN_US +
			plat_prng_below(&rng, SLICE_MAX_US - SLICE_MIN_US)));
		end = run_slice(v);
		plat_el2_timer_disarm();
		vcpu_put(v);
		if (!stopping && end == PREEMPTED)
			v->preempted++;
		if (!stopping && end == YIELDED)
			v->yielded++;
		switches += !stopping && end != DONE;
		if (stopping && ++wind_up == 100000)
			crash(v, "does not finish");
		v = pick(v);
	}
}

int plat_app_main(const char *cmdline)
{
	char opt[8] = "nvhe";
	unsigned long nr_switches = plat_cmdline_u64(cmdline, "switches", 10000);
	uint64_t seed = plat_cmdline_u64(cmdline, "seed", plat_counter());
	unsigned long failed = 0;
	enum kvmmte_host_mode now;
	int level, r;
	unsigned int i;

	plat_cmdline_get(cmdline, "mode", opt, sizeof(opt));
	if (strcmp(opt, "nvhe") && strcmp(opt, "vhe")) {
		plat_printf("minihv: mode=%s: use mode=nvhe or mode=vhe\n", opt);
		return 2;
	}
	vhe = !strcmp(opt, "vhe");
	mode = vhe ? KVMMTE_HOST_VHE : KVMMTE_HOST_NVHE;
	plat_prng_seed(&rng, seed);

	/* EL2 set-up: host mode, vectors, ITFSB; the host's own MTE values. */
	level = kvmmte_init(0);
	kvmmte_cpu_caps(&caps);
	host_pfr1 = kvmmte_read_id_aa64pfr1_el1();
	plat_write_sysreg(S3_4_C1_C1_0, KVMMTE_HCR_EL2_RW | (vhe ? KVMMTE_HCR_EL2_E2H : 0));
	plat_write_sysreg(S3_4_C12_C0_0, vhe ? minihv_vectors_vhe : minihv_vectors_nvhe);
	enter = vhe ? minihv_enter_vhe : minihv_enter_nvhe;	/* HCR_EL2, VBAR_EL2 above */
	kvmmte_write_sctlr_el2(kvmmte_read_sctlr_el2() | kvmmte_sctlr_el2_bits(&caps));
	if (caps.level >= 2) {
		host_rgsr = (plat_prng_u64(&rng) & KVMMTE_RGSR_EL1_SEED_MASK) | 0x100;
		kvmmte_write_gcr_el1(HOST_GCR);
		kvmmte_write_rgsr_el1(host_rgsr);
	}
	plat_isb();
	r = kvmmte_host_mode_current(&now);

	plat_printf("minihv: a minimal MTE hypervisor at EL2 on libkvmmte\n"
		    "  host mode %s (HCR_EL2.E2H %u; kvmmte_host_mode_current: %s)\n"
		    "  MTE       kvmmte_init(0) = %d: level %u, async faults %s, GMID_EL1.BS %u%s\n"
		    "  seed      0x%lx   replay: -append \"mode=%s switches=%lu seed=0x%lx\"\n"
		    "  switches  %lu, time slices %u-%u us: EL2 timer (INTID %u) via GICv2, HCR_EL2.IMO\n"
		    "  host      GCR_EL1 0x%lx RGSR_EL1 0x%lx, checked after every exit\n",
		    vhe ? "VHE" : "nVHE", vhe, r ? "error" : now == mode ? "agrees" : "DISAGREES",
		    level, caps.level, caps.async ? "yes" : "no", caps.gmid_bs,
		    caps.level < 2 ? " (no MTE2: switch gates patched off)" : "",
		    seed, opt, nr_switches, seed, nr_switches, SLICE_MIN_US, SLICE_MAX_US,
		    PLAT_INTID_EL2_PTIMER, caps.level >= 2 ? HOST_GCR : 0, host_rgsr);
	if (level < 0 || r || now != mode)
		return 2;
	for (i = 0; i < NR_GUESTS; i++)
		vcpu_create(&vcpus[i], i, seed + i);

	schedule(nr_switches);

	plat_printf("\nminihv: summary (%lu switches, %lu exits)\n"
		    "  guest   MTE  slices  timer-preempted  HVC-yield  MTE/ID traps  result\n",
		    switches, exits);
	for (i = 0; i < NR_GUESTS; i++) {
		struct vcpu *v = &vcpus[i];
		bool ok = v->done && !v->crashed && !v->failures && v->host;

		plat_printf("  %-6s  %3s  %6lu  %15lu  %9lu  %12lu  %s\n", v->name,
			    v->vm.mte_level ? (v->vm.mte_level == 3 ? "3" : "2") : "-",
			    v->slices, v->preempted, v->yielded, v->traps,
			    !v->host ? "not run" : ok ? "ok" : v->crashed ? "CRASHED" : "FAILED");
		failed += v->host && !ok;
	}
	plat_printf("  host    own GCR_EL1/RGSR_EL1 back after %lu of %lu exits\n",
		    exits - host_bad, exits);
	failed += host_bad != 0;
	plat_printf("minihv: %s\n", failed ? "FAILED" : "every guest's checks held");
	return failed ? 1 : 0;
}
