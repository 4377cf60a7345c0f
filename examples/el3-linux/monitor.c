// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * An EL3 monitor on libkvmmte that boots an unmodified Linux kernel Image
 * as the non-secure world, at NS-EL2 (Linux as a VHE host, el=2, the
 * default) or at NS-EL1 (el=1: the monitor initialises NS-EL2 for it, as a
 * boot loader would, and nothing runs there), and answers its PSCI calls,
 * CPU_ON and CPU_OFF (hotplug) included (issue 16).
 *
 *   qemu-system-aarch64 -M virt,secure=on,virtualization=on,mte=on \
 *       -cpu max,pauth-impdef=on -m 1G -smp 2 -nographic -semihosting \
 *       -kernel el3-linux.elf -append "image=0x40200000 dtb=0x... cpus=2 [el=1|2] [trace=1]" \
 *       -device loader,file=Image,addr=0x40200000,force-raw=on \
 *       -device loader,file=virt.dtb,addr=0x...,force-raw=on ...
 *
 * examples/el3-linux/run.sh does all of that.  The monitor runs from the
 * first 2 MiB of RAM (QEMU loads ELFs through the non-secure address space
 * only), which the device tree reserves with /memreserve/.  Every
 * entry to EL3 saves the world's whole MTE state with libkvmmte and every
 * return restores it, as a switch to another world and back would.
 *
 * A secure world preempts Linux (issue 16): on each CPU the secure physical
 * timer (CNTPS, PPI INTID 29) is Group 0 at the highest priority, signalled
 * as FIQ and routed to EL3 by SCR_EL3.FIQ, every period_us= microseconds
 * (1000 by default, 200 at least).  Each FIQ saves Linux's EL1 system
 * registers and whole MTE state, acknowledges and re-arms the timer, and
 * runs one step of the CPU's secure world at S-EL1 (secure-world.c): its
 * own GCR_EL1 exclude mask (IRG tags 1-7) and RGSR seed, its own stage 1,
 * vectors and tagged memory in secure RAM, its own synchronous and
 * asynchronous tag-check faults; each step checks that all of it is as it
 * left it, then yields with SMC; Linux's state comes back before the ERET.
 *
 * PSCI SYSTEM_OFF prints the FIQ and switch counts and the secure worlds'
 * counts and verdict and ends the run through semihosting: status 0 only
 * if no secure world saw state that was not its own, and each checked its
 * tags and took both kinds of its own faults.
 *
 * The controls of optional features (PAuth, SVE, SME, FGT, ECV, HCX,
 * SCXTNUM, the PMU) are set only for what the CPU's ID registers say it
 * has (struct ns_features, one "CPU features:" line at boot), so any
 * -cpu with FEAT_MTE2 boots; without MTE2 the run stops with status 9.
 */
#include <platform.h>
#include <gic.h>
#include <kvmmte/kvmmte.h>
#include <kvmmte/sysreg-access.h>
#include "monitor.h"
#include "secure-world.h"	/* the secure world's program, report and SMCs */

/*
 * SCR_EL3 for the non-secure world.  Each feature bit is set only when
 * struct ns_features says the CPU has the feature: on a CPU without it the
 * bit is RES0, and the registers it opens do not exist.
 */
#define SCR_NS		(1UL << 0)
#define SCR_FIQ		(1UL << 2)
#define SCR_RES1	(3UL << 4)
#define SCR_HCE		(1UL << 8)
#define SCR_RW		(1UL << 10)
#define SCR_APK		(1UL << 16)
#define SCR_API		(1UL << 17)
#define SCR_ENSCXT	(1UL << 25)
#define SCR_FGTEN	(1UL << 27)
#define SCR_ECVEN	(1UL << 28)
#define SCR_HXEN	(1UL << 38)
#define SCR_ENTP2	(1UL << 41)

/*
 * The ID register fields the monitor probes (Arm ARM DDI 0487, D24.2:
 * ID_AA64PFR0_EL1, ID_AA64PFR1_EL1, ID_AA64MMFR0_EL1, ID_AA64MMFR1_EL1,
 * ID_AA64ISAR1_EL1, ID_AA64ISAR2_EL1, ID_AA64DFR0_EL1, ID_AA64SMFR0_EL1).
 * Each is 4 bits wide, unsigned, except FA64 (1 bit) and PMUVer, where
 * 0xf means an IMPLEMENTATION DEFINED PMU, not a PMUv3.
 */
#define ID_AA64ISAR2_EL1		S3_0_C0_C6_2	/* no name in older assemblers */
#define ID_AA64SMFR0_EL1		S3_0_C0_C4_5
#define ID_PFR0_SVE_SHIFT		32
#define ID_PFR0_CSV2_SHIFT		56
#define ID_PFR1_MTE_SHIFT		8
#define ID_PFR1_SME_SHIFT		24
#define ID_PFR1_CSV2_FRAC_SHIFT		32
#define ID_MMFR0_FGT_SHIFT		56
#define ID_MMFR0_ECV_SHIFT		60
#define ID_MMFR1_HCX_SHIFT		40
#define ID_ISAR1_APA_SHIFT		4
#define ID_ISAR1_API_SHIFT		8
#define ID_ISAR1_GPA_SHIFT		24
#define ID_ISAR1_GPI_SHIFT		28
#define ID_ISAR2_GPA3_SHIFT		8
#define ID_ISAR2_APA3_SHIFT		12
#define ID_DFR0_PMUVER_SHIFT		8
#define ID_DFR0_PMUVER_IMPDEF		0xf
#define ID_SMFR0_FA64			(1UL << 63)

#define CPTR_EL3_EZ	(1UL << 8)
#define CPTR_EL3_ESM	(1UL << 12)
#define ZCR_EL3		S3_6_C1_C2_0
#define SMCR_EL3	S3_6_C1_C2_6
#define SMCR_FA64	(1UL << 31)	/* FEAT_SME_FA64 */
#define SMCR_EZT0	(1UL << 30)	/* FEAT_SME2 */
#define ZCR_SMCR_LEN_MAX	0xfUL	/* every vector length the CPU has */
#define SPSR_EL2H_DAIF	0x3c9UL
#define SPSR_EL1H_DAIF	0x3c5UL

/* NS-EL2 as a boot loader leaves it for a Linux entered at EL1 (E2H = 0). */
#define HCR_RW		(1UL << 31)
#define HCR_APK		(1UL << 40)
#define HCR_API		(1UL << 41)
#define HCR_ATA		(1UL << 56)
#define CNTHCTL_EL1PCTEN	(1UL << 0)
#define CNTHCTL_EL1PCEN		(1UL << 1)
#define CPTR_EL2_RES1	((1UL << 13) | (1UL << 9) | 0xffUL)	/* TZ, TFP, TSM, TTA, TAM, TCPAC clear */
#define CPTR_EL2_TZ	(1UL << 8)	/* RES1 without SVE */
#define CPTR_EL2_TSM	(1UL << 12)	/* RES1 without SME */
#define SCTLR_EL2_RES1	0x30c50830UL	/* MMU, caches and alignment checks off */
#define SCTLR_EL1_RES1	0x30d00800UL	/* the same for EL1 */
#define MDCR_EL2_HPMN(n)	((n) & 0x1fUL)
#define ZCR_EL2		S3_4_C1_C2_0
#define SMCR_EL2	S3_4_C1_C2_6
#define HCRX_EL2	S3_4_C1_C2_2
#define HFGRTR_EL2	S3_4_C1_C1_4
#define HFGxTR_NSMPRI_EL1	(1UL << 54)	/* HFGRTR_EL2 and HFGWTR_EL2 */
#define HFGxTR_NTPIDR2_EL0	(1UL << 55)
#define HFGWTR_EL2	S3_4_C1_C1_5
#define HFGITR_EL2	S3_4_C1_C1_6
#define HDFGRTR_EL2	S3_4_C3_C1_4
#define HDFGWTR_EL2	S3_4_C3_C1_5

/* GICv2: every interrupt Group 1 (non-secure), for Linux. */
#define GICD_TYPER		0x004
#define GICD_IGROUPR(n)		(0x080 + 4 * (n))
#define GICC_PMR		0x004
#define GICD_CTLR		0x000
#define GICD_ISENABLER(n)	(0x100 + 4 * (n))
#define GICD_IPRIORITYR(n)	(0x400 + (n))
#define GICC_CTLR		0x000
#define GICC_CTLR_ENGRP0	(1U << 0)
#define GICC_CTLR_FIQEN		(1U << 3)
#define SEC_TIMER_INTID		29	/* CNTPS, PPI 13 */
#define CNTPS_CTL_EL1		S3_7_C14_C2_1
#define CNTPS_CVAL_EL1		S3_7_C14_C2_2
#define SEC_ALLOWED_TAGS	0x00fe	/* the secure world's IRG tags: 1-7 */

/* PSCI 1.0 (DEN0022) and SMCCC. */
#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_OFF		0x84000002UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE	0x84000006UL
#define PSCI_SYSTEM_OFF		0x84000008UL
#define PSCI_SYSTEM_RESET	0x84000009UL
#define PSCI_FEATURES		0x8400000aUL
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_TOS_NOT_PRESENT_MP	2

enum cpu_state { CPU_OFF, CPU_ON_PENDING, CPU_ON };

static struct ns_world worlds[PLAT_MAX_CPUS];
static struct ns_world sec_worlds[PLAT_MAX_CPUS];
static struct sec_report sec_reports[PLAT_MAX_CPUS];
static uint8_t sec_stacks[PLAT_MAX_CPUS][8192] __attribute__((aligned(16)));
static uint64_t scr_sec, period_ticks;
static unsigned int period_us = 1000;
static volatile uint32_t cpu_state[PLAT_MAX_CPUS];
static volatile uint64_t cpu_entry[PLAT_MAX_CPUS], cpu_context[PLAT_MAX_CPUS];
static unsigned int nr_cpus = 1;
static uint64_t scr_ns;
static bool trace_smcs;	/* trace=1: print every SMC */
/*
 * control=1, the negative control: the FIQ switches between Linux and the
 * secure world skip their MTE part (no kvmmte_* save or restore), so both
 * sides must see the other's state and say so; make check expects that.
 */
static bool skip_mte;
static unsigned int linux_el = 2;	/* el=1|2: the EL Linux is entered at */

/*
 * What the CPU implements of the features whose controls the monitor sets
 * for the lower ELs, and so which of those bits and registers it may
 * write: a feature's bit is RES0 and its registers UNDEFINED without it.
 * Probed once, on the boot CPU, from its ID registers, as TF-A decides per
 * feature; every CPU uses the result.  QEMU's CPUs are all alike; on a
 * system whose CPUs differ it would have to be what all of them have, as
 * Linux refuses a secondary CPU that lacks what the boot CPU had.
 */
struct ns_features {
	unsigned int mte;	/* ID_AA64PFR1_EL1.MTE; 2 (MTE2) or more: SCR_EL3.ATA, HCR_EL2.ATA */
	bool pauth;		/* SCR_EL3.API/APK, HCR_EL2.API/APK */
	bool sve;		/* CPTR_EL3.EZ, ZCR_EL3, ZCR_EL2; CPTR_EL2.TZ clear */
	unsigned int sme;	/* 1 SME, 2 SME2 (SMCR_ELx.EZT0): CPTR_EL3.ESM, SCR_EL3.EnTP2,
				 * SMCR_EL3, SMCR_EL2; CPTR_EL2.TSM clear */
	bool sme_fa64;		/* SMCR_ELx.FA64 */
	bool fgt;		/* SCR_EL3.FGTEn, HFG{R,W,I}TR_EL2, HDFG{R,W}TR_EL2 */
	bool ecv;		/* SCR_EL3.ECVEn */
	bool hcx;		/* SCR_EL3.HXEn, HCRX_EL2 */
	bool scxtnum;		/* FEAT_CSV2_2 or FEAT_CSV2_1p2: SCR_EL3.EnSCXT */
	unsigned int csv2, csv2_frac;	/* for the report */
	bool pmuv3;		/* PMCR_EL0, to give EL1 every counter (MDCR_EL2.HPMN) */
};
static struct ns_features feat;

struct ns_world *monitor_main(unsigned int cpu);
struct ns_world *monitor_secondary(unsigned int cpu);
struct ns_world *monitor_sync(struct ns_world *w);
struct ns_world *monitor_fiq(struct ns_world *w);
void monitor_unexpected(uint64_t vector, uint64_t esr, uint64_t elr);
int plat_app_main(const char *cmdline);

static volatile uint32_t *gicd(unsigned int off)
{
	return (volatile uint32_t *)(PLAT_GICD_BASE + off);
}

static unsigned int id_field(uint64_t reg, unsigned int shift)
{
	return (unsigned int)(reg >> shift) & 0xf;
}

static void ns_features_probe(struct ns_features *f)
{
	uint64_t pfr0 = plat_read_sysreg(id_aa64pfr0_el1);
	uint64_t pfr1 = plat_read_sysreg(id_aa64pfr1_el1);
	uint64_t mmfr0 = plat_read_sysreg(id_aa64mmfr0_el1);
	uint64_t mmfr1 = plat_read_sysreg(id_aa64mmfr1_el1);
	uint64_t isar1 = plat_read_sysreg(id_aa64isar1_el1);
	uint64_t isar2 = plat_read_sysreg(ID_AA64ISAR2_EL1);
	unsigned int pmuver = id_field(plat_read_sysreg(id_aa64dfr0_el1), ID_DFR0_PMUVER_SHIFT);

	f->mte = id_field(pfr1, ID_PFR1_MTE_SHIFT);
	/* Any algorithm, address or generic: the keys and instructions exist. */
	f->pauth = id_field(isar1, ID_ISAR1_APA_SHIFT) || id_field(isar1, ID_ISAR1_API_SHIFT) ||
		   id_field(isar1, ID_ISAR1_GPA_SHIFT) || id_field(isar1, ID_ISAR1_GPI_SHIFT) ||
		   id_field(isar2, ID_ISAR2_APA3_SHIFT) || id_field(isar2, ID_ISAR2_GPA3_SHIFT);
	f->sve = id_field(pfr0, ID_PFR0_SVE_SHIFT) != 0;
	f->sme = id_field(pfr1, ID_PFR1_SME_SHIFT);
	/* ID_AA64SMFR0_EL1 is RAZ without SME; read it only with. */
	f->sme_fa64 = f->sme && (plat_read_sysreg(ID_AA64SMFR0_EL1) & ID_SMFR0_FA64);
	f->fgt = id_field(mmfr0, ID_MMFR0_FGT_SHIFT) != 0;
	f->ecv = id_field(mmfr0, ID_MMFR0_ECV_SHIFT) != 0;
	f->hcx = id_field(mmfr1, ID_MMFR1_HCX_SHIFT) != 0;
	f->csv2 = id_field(pfr0, ID_PFR0_CSV2_SHIFT);
	f->csv2_frac = id_field(pfr1, ID_PFR1_CSV2_FRAC_SHIFT);
	f->scxtnum = f->csv2 >= 2 || (f->csv2 == 1 && f->csv2_frac >= 2);
	f->pmuv3 = pmuver != 0 && pmuver != ID_DFR0_PMUVER_IMPDEF;
}

/* One line: what the monitor found and enables, and what it leaves off. */
static void ns_features_print(const struct ns_features *f)
{
	const struct { bool on; const char *name; } list[] = {
		{ f->mte >= 2, f->mte >= 3 ? "MTE3 ATA" : f->mte == 2 ? "MTE2 ATA" : "MTE2" },
		{ f->pauth, "PAuth" },
		{ f->sve, "SVE" },
		{ f->sme, f->sme >= 2 ? (f->sme_fa64 ? "SME2 FA64" : "SME2") :
				       (f->sme_fa64 ? "SME FA64" : "SME") },
		{ f->fgt, "FGT" },
		{ f->ecv, "ECV" },
		{ f->hcx, "HCX" },
		{ f->scxtnum, f->csv2 == 1 && f->csv2_frac >= 2 ? "CSV2_1p2" : "CSV2_2" },
		{ f->pmuv3, "PMUv3" },
	};
	unsigned int n = 0;

	plat_printf("el3-linux: CPU features:");
	for (unsigned int i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (list[i].on)
			plat_printf("%s %s", n++ ? "," : "", list[i].name);
	plat_printf("; lacks:");
	n = 0;
	for (unsigned int i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (!list[i].on)
			plat_printf("%s %s", n++ ? "," : "", list[i].name);
	plat_printf("%s\n", n ? "" : " none");
}

/* SCR_EL3's feature bits for the non-secure world: what the CPU has. */
static uint64_t ns_scr_el3_features(const struct ns_features *f)
{
	uint64_t scr = 0;

	if (f->mte >= KVMMTE_PFR1_MTE_MTE2)
		scr |= KVMMTE_SCR_EL3_ATA;
	if (f->pauth)
		scr |= SCR_API | SCR_APK;
	if (f->scxtnum)
		scr |= SCR_ENSCXT;
	if (f->fgt)
		scr |= SCR_FGTEN;
	if (f->ecv)
		scr |= SCR_ECVEN;
	if (f->hcx)
		scr |= SCR_HXEN;
	if (f->sme)
		scr |= SCR_ENTP2;
	return scr;
}

/* SMCR_EL3 and SMCR_EL2: every vector length, FA64 and ZT0 if there. */
static uint64_t ns_smcr(const struct ns_features *f)
{
	return (f->sme_fa64 ? SMCR_FA64 : 0) | (f->sme >= 2 ? SMCR_EZT0 : 0) | ZCR_SMCR_LEN_MAX;
}

/* EL3's part of a CPU's set-up, before its first entry into Linux. */
static void cpu_el3_init(void)
{
	uint64_t cptr = 0, sctlr;

	/* SVE and SME for the lower ELs, at every vector length. */
	if (feat.sve)
		cptr |= CPTR_EL3_EZ;
	if (feat.sme)
		cptr |= CPTR_EL3_ESM;
	plat_write_sysreg(cptr_el3, cptr);
	plat_isb();	/* ZCR_EL3 and SMCR_EL3 trap until CPTR_EL3 says otherwise */
	if (feat.sve)
		plat_write_sysreg(ZCR_EL3, ZCR_SMCR_LEN_MAX);
	if (feat.sme)
		plat_write_sysreg(SMCR_EL3, ns_smcr(&feat));
	/* Banked per CPU: SGIs and PPIs are Group 1 too. */
	*gicd(GICD_IGROUPR(0)) = ~(1U << SEC_TIMER_INTID);
	/* The secure timer: Group 0, highest priority, signalled as FIQ. */
	*(volatile uint8_t *)(PLAT_GICD_BASE + GICD_IPRIORITYR(SEC_TIMER_INTID)) = 0x00;
	*gicd(GICD_ISENABLER(0)) = 1U << SEC_TIMER_INTID;
	*(volatile uint32_t *)(PLAT_GICC_BASE + GICC_CTLR) |= GICC_CTLR_ENGRP0 | GICC_CTLR_FIQEN;
	/*
	 * A non-secure write to GICC_PMR is ignored while the (secure) mask
	 * is in the secure half (bit 7 clear, as at reset): open it all, so
	 * that Linux's own mask takes effect.
	 */
	*(volatile uint32_t *)(PLAT_GICC_BASE + GICC_PMR) = 0xff;
	/* ITFSB: entering EL3 synchronises Linux's pending async tag faults. */
	sctlr = plat_read_sysreg(sctlr_el3);
	plat_write_sysreg(sctlr_el3, sctlr | KVMMTE_SCTLR_ITFSB);
	kvmmte_write_scr_el3(scr_ns);
	plat_isb();
}

/*
 * NS-EL2's vectors at el=1: nothing should ever trap there, so each entry
 * hands ESR_EL2, ELR_EL2 and FAR_EL2 to the monitor with SMC #EL2_TRAP_IMM
 * and the run ends with them printed, not a silent hang.  NS-EL2 runs with
 * its MMU off, so it fetches these from the monitor's RAM directly.
 */
#define EL2_TRAP_IMM	0xe12
extern const char el2_trap_vectors[];
__asm__(".pushsection .text\n"
	".balign 2048\n"
	".globl el2_trap_vectors\n"
	"el2_trap_vectors:\n"
	".rept 16\n"
	"mrs x0, esr_el2\n"
	"mrs x1, elr_el2\n"
	"mrs x2, far_el2\n"
	"smc #0xe12\n"
	"b .\n"
	".balign 128\n"
	".endr\n"
	".popsection\n");

/*
 * For a Linux entered at NS-EL1: NS-EL2 set up on this CPU as Linux's
 * booting.rst asks of a boot loader that leaves EL2 behind, with nothing
 * trapped to it (nothing runs there to handle a trap): AArch64 EL1, MTE
 * tag accesses and pointer authentication keys and instructions not
 * trapped, the physical timer and counter open to EL1, SVE and SME at
 * every vector length, all PMU counters EL1's, the ID registers EL1 reads
 * the real ones.
 */
static void cpu_el2_init_for_el1(void)
{
	uint64_t cptr = CPTR_EL2_RES1, hcr = HCR_RW, hfgxtr = 0;

	if (feat.mte >= KVMMTE_PFR1_MTE_MTE2)
		hcr |= HCR_ATA;
	if (feat.pauth)
		hcr |= HCR_API | HCR_APK;
	plat_write_sysreg(hcr_el2, hcr);
	plat_write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
	plat_write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	plat_write_sysreg(cntvoff_el2, 0);
	plat_write_sysreg(cnthp_ctl_el2, 0);
	if (!feat.sve)
		cptr |= CPTR_EL2_TZ;
	if (!feat.sme)
		cptr |= CPTR_EL2_TSM;
	plat_write_sysreg(cptr_el2, cptr);
	plat_write_sysreg(hstr_el2, 0);
	plat_write_sysreg(vbar_el2, (uint64_t)el2_trap_vectors);
	plat_isb();
	if (feat.sve)
		plat_write_sysreg(ZCR_EL2, ZCR_SMCR_LEN_MAX);
	if (feat.sme)
		plat_write_sysreg(SMCR_EL2, ns_smcr(&feat));
	if (feat.pmuv3)
		plat_write_sysreg(mdcr_el2, MDCR_EL2_HPMN(plat_read_sysreg(pmcr_el0) >> 11));
	else
		plat_write_sysreg(mdcr_el2, 0);
	plat_write_sysreg(vpidr_el2, plat_read_sysreg(midr_el1));
	plat_write_sysreg(vmpidr_el2, plat_read_sysreg(mpidr_el1));
	if (feat.hcx)
		plat_write_sysreg(HCRX_EL2, 0);
	if (feat.fgt) {
		/*
		 * The n-prefixed traps are on at 0: SME's TPIDR2_EL0 and
		 * SMPRI_EL1 must stay EL1's (booting.rst, FEAT_SME).
		 */
		if (feat.sme)
			hfgxtr = HFGxTR_NTPIDR2_EL0 | HFGxTR_NSMPRI_EL1;
		plat_write_sysreg(HFGRTR_EL2, hfgxtr);
		plat_write_sysreg(HFGWTR_EL2, hfgxtr);
		plat_write_sysreg(HFGITR_EL2, 0);
		plat_write_sysreg(HDFGRTR_EL2, 0);
		plat_write_sysreg(HDFGWTR_EL2, 0);
	}
	plat_isb();
}

static void sec_timer_arm(void)
{
	plat_write_sysreg(CNTPS_CVAL_EL1, plat_counter() + period_ticks);
	plat_write_sysreg(CNTPS_CTL_EL1, 1);	/* ENABLE, not masked */
	plat_isb();
}

/*
 * This CPU's secure world: sec_world_main() (secure-world.c) at S-EL1,
 * entered with its MMU off; it turns it on itself, with its own tables,
 * vectors, tagged memory in secure RAM and MTE state, and each step checks
 * all of it, provokes its own tag-check faults and yields with SMC.
 */
static void sec_world_init(unsigned int cpu)
{
	struct ns_world *s = &sec_worlds[cpu];

	s->secure = true;
	s->gpr[0] = cpu;
	s->gpr[1] = (uint64_t)(uintptr_t)&sec_reports[cpu];
	s->gpr[2] = 0x5ec0 + cpu;
	s->gpr[3] = SEC_ALLOWED_TAGS;
	s->elr_el3 = (uint64_t)(uintptr_t)sec_world_main;
	s->spsr_el3 = SPSR_EL1H_DAIF;
	s->el1 = (struct plat_el1ctx){ 0 };
	s->el1.sp_el1 = (uint64_t)(uintptr_t)&sec_stacks[cpu][sizeof(sec_stacks[cpu])];
	s->el1.sctlr_el1 = KVMMTE_SCTLR_ATA | SCTLR_EL1_RES1;
	s->mte = (struct kvmmte_state){ 0x7e57UL << KVMMTE_RGSR_EL1_SEED_SHIFT, 0xff01, 0, 0 };
	s->el2.tfsr_el2 = 0;
}

static void world_start(struct ns_world *w, uint64_t entry, uint64_t x0)
{
	/*
	 * Linux enters with the MMU off at its EL (booting.rst).  At boot
	 * that is the reset state; a CPU that Linux turned off (CPU_OFF)
	 * still has Linux's translation on, and its VHE HCR_EL2.
	 */
	plat_write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	if (linux_el == 1) {
		cpu_el2_init_for_el1();
	} else {
		plat_write_sysreg(hcr_el2, 0);
		plat_write_sysreg(sctlr_el2, SCTLR_EL2_RES1);
	}
	w->gpr[0] = x0;
	w->elr_el3 = entry;
	w->spsr_el3 = linux_el == 1 ? SPSR_EL1H_DAIF : SPSR_EL2H_DAIF;
	w->mte = (struct kvmmte_state){ 0, 0, 0, 0 };
	w->el2.tfsr_el2 = 0;
	kvmmte_state_restore(&w->mte);
	kvmmte_el2_state_restore(&w->el2);
	sec_world_init(plat_cpu_index());
	sec_timer_arm();
}

static int64_t psci_cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
	unsigned int cpu = (unsigned int)(mpidr & 0xff);

	if ((mpidr & ~0xffUL) || cpu >= nr_cpus)
		return PSCI_INVALID_PARAMS;
	if (cpu_state[cpu] == CPU_ON)
		return PSCI_ALREADY_ON;
	if (cpu_state[cpu] == CPU_ON_PENDING)
		return PSCI_ON_PENDING;
	cpu_entry[cpu] = entry;
	cpu_context[cpu] = context;
	__asm__ volatile("dsb sy" ::: "memory");
	cpu_state[cpu] = CPU_ON_PENDING;
	__asm__ volatile("dsb sy\n\tsev" ::: "memory");
	return PSCI_SUCCESS;
}

/* What the secure world's checks are called (SMC_MISMATCH's x1). */
static const char *const sec_check_names[SEC_CHECK_NR] = {
	[CHECK_RGSR] = "RGSR_EL1", [CHECK_GCR] = "GCR_EL1", [CHECK_TFSR] = "TFSR_EL1",
	[CHECK_TFSRE0] = "TFSRE0_EL1", [CHECK_IRG] = "IRG tag (allowed set)",
	[SEC_CHECK_EL1] = "EL1 register (SCTLR/TCR/MAIR/TTBR0/VBAR/TPIDR)",
	[SEC_CHECK_TAG] = "allocation tag (LDG)", [SEC_CHECK_DATA] = "tagged data",
	[SEC_CHECK_SYNC] = "synchronous tag-check fault",
	[SEC_CHECK_ASYNC] = "TFSR_EL1 after its own tag-check fault",
};

/*
 * The secure worlds' verdict: 0 if every check each one made passed and
 * each provoked both kinds of tag-check fault and checked tags (so the
 * checks ran at all).
 */
static int sec_verdict(void)
{
	uint64_t total = 0;
	unsigned int bad = 0, idle = 0;

	for (unsigned int i = 0; i < nr_cpus; i++) {
		const struct sec_report *r = &sec_reports[i];

		plat_printf("el3-linux: CPU %u: %lu FIQs, %lu switches to the secure world, %lu secure rounds, %lu mismatches; IRG tags:",
			    i, (unsigned long)worlds[i].fiqs, (unsigned long)worlds[i].switches,
			    (unsigned long)r->regs.rounds, (unsigned long)r->regs.mismatches);
		for (unsigned int t = 0; t < 16; t++) {
			if (r->regs.tags[t])
				plat_printf(" %x:%lu", t, (unsigned long)r->regs.tags[t]);
			if (r->regs.tags[t] && !(SEC_ALLOWED_TAGS & (1U << t)))
				bad++;
		}
		plat_printf("\n");
		plat_printf("el3-linux: CPU %u: secure tagged memory (tags per %s): %lu tags and %lu words checked, %lu pages retagged; its own tag-check faults: %lu sync, %lu async\n",
			    i, r->per_granule ? "granule" : "4 KiB page (QEMU issue 1416)",
			    (unsigned long)r->tag_checks, (unsigned long)r->data_checks,
			    (unsigned long)r->retags, (unsigned long)r->sync_faults,
			    (unsigned long)r->async_faults);
		bad += r->regs.mismatches != 0 || sec_worlds[i].mismatch_smcs != 0;
		idle += !r->tag_checks || !r->sync_faults || !r->async_faults;
		total += worlds[i].switches;
	}
	if (bad) {
		plat_printf("el3-linux: secure world FAILED: it saw MTE state not its own\n");
		return 6;
	}
	if (idle) {
		plat_printf("el3-linux: secure world FAILED: a CPU's secure world checked no tags or provoked no sync or no async fault\n");
		return 6;
	}
	plat_printf("el3-linux: secure world clean across %lu preemptions (period_us=%u): registers, IRG, tagged memory and its own sync and async faults\n",
		    (unsigned long)total, period_us);
	return 0;
}

static int64_t psci(struct ns_world *w)
{
	uint64_t fid = w->gpr[0];

	switch (fid) {
	case PSCI_VERSION:
		return 0x10000;		/* 1.0 */
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT_MP;
	case PSCI_FEATURES:
		switch (w->gpr[1]) {
		case PSCI_VERSION: case PSCI_CPU_ON: case PSCI_CPU_OFF: case PSCI_AFFINITY_INFO:
		case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_FEATURES:
			return PSCI_SUCCESS;
		default:
			return PSCI_NOT_SUPPORTED;
		}
	case PSCI_CPU_ON:
		return psci_cpu_on(w->gpr[1], w->gpr[2], w->gpr[3]);
	case PSCI_AFFINITY_INFO:
		if ((w->gpr[1] & ~0xffUL) || (w->gpr[1] & 0xff) >= nr_cpus || w->gpr[2])
			return PSCI_INVALID_PARAMS;
		switch (cpu_state[w->gpr[1] & 0xff]) {
		case CPU_ON: return 0;
		case CPU_ON_PENDING: return 2;
		default: return 1;
		}
	case PSCI_SYSTEM_OFF:
		plat_printf("el3-linux: PSCI SYSTEM_OFF from CPU %u; SMCs per CPU:",
			    plat_cpu_index());
		for (unsigned int i = 0; i < nr_cpus; i++)
			plat_printf(" %lu", (unsigned long)worlds[i].smcs);
		plat_printf("; CPU_OFFs per CPU:");
		for (unsigned int i = 0; i < nr_cpus; i++)
			plat_printf(" %lu", (unsigned long)worlds[i].cpu_offs);
		plat_printf("\n");
		plat_exit(sec_verdict());
	case PSCI_SYSTEM_RESET:
		plat_printf("el3-linux: PSCI SYSTEM_RESET: not expected\n");
		plat_exit(4);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/*
 * PSCI CPU_OFF (CPU hotplug): this CPU leaves Linux until a CPU_ON names
 * it again.  It waits here at EL3 with its secure timer off, so that no
 * FIQ preempts a world that is not running, and AFFINITY_INFO says OFF
 * from now on (Linux polls that from the CPU that took it down).  CPU_ON then
 * starts it at the new entry point as at boot: fresh MTE state for Linux,
 * a fresh secure world (its report counts on).  Never fails, so never
 * returns to the caller of CPU_OFF.
 */
static struct ns_world *psci_cpu_off(struct ns_world *w)
{
	unsigned int cpu = plat_cpu_index();

	plat_write_sysreg(CNTPS_CTL_EL1, 0);
	plat_isb();
	w->cpu_offs++;
	__asm__ volatile("dsb sy" ::: "memory");
	cpu_state[cpu] = CPU_OFF;
	return monitor_secondary(cpu);	/* w is worlds[cpu]: only Linux calls CPU_OFF */
}

/* Leave Linux for this CPU's secure world (Linux's state all saved). */
static struct ns_world *to_secure(struct ns_world *w)
{
	struct ns_world *s = &sec_worlds[plat_cpu_index()];

	if (!skip_mte) {
		kvmmte_state_save(&w->mte);
		kvmmte_el2_state_save(&w->el2);
	}
	plat_el1ctx_save(&w->el1, false);
	plat_el1ctx_restore(&s->el1, false);
	if (!skip_mte)
		kvmmte_state_restore(&s->mte);
	kvmmte_write_scr_el3(scr_sec);
	w->switches++;
	return s;
}

/* Back to Linux from the secure world s. */
static struct ns_world *from_secure(struct ns_world *s)
{
	struct ns_world *w = &worlds[plat_cpu_index()];

	if (!skip_mte)
		kvmmte_state_save(&s->mte);
	plat_el1ctx_save(&s->el1, false);
	plat_el1ctx_restore(&w->el1, false);
	if (!skip_mte) {
		kvmmte_state_restore(&w->mte);
		kvmmte_el2_state_restore(&w->el2);
	}
	kvmmte_write_scr_el3(scr_ns);
	return w;
}

/* The secure timer preempted Linux: acknowledge, re-arm, one secure step. */
struct ns_world *monitor_fiq(struct ns_world *w)
{
	unsigned int intid = plat_gic_ack();	/* a PPI: no CPU ID bits in IAR */

	if (w->secure) {
		plat_printf("el3-linux: CPU %u: FIQ from the secure world\n", plat_cpu_index());
		plat_exit(7);
	}
	if (intid == PLAT_INTID_SPURIOUS)
		return w;
	if (intid != SEC_TIMER_INTID) {
		plat_printf("el3-linux: CPU %u: unexpected FIQ INTID %u\n", plat_cpu_index(), intid);
		plat_exit(7);
	}
	w->fiqs++;
	sec_timer_arm();
	plat_gic_eoi(intid);
	return to_secure(w);
}

struct ns_world *monitor_sync(struct ns_world *w)
{
	uint64_t esr = plat_read_sysreg(esr_el3);

	if (w->secure) {
		if ((esr >> 26) != 0x17) {
			plat_printf("el3-linux: CPU %u: secure world trapped, ESR_EL3 0x%lx ELR_EL3 0x%lx\n",
				    plat_cpu_index(), (unsigned long)esr, (unsigned long)w->elr_el3);
			plat_exit(8);
		}
		w->smcs++;
		switch (w->gpr[0]) {
		case SMC_MISMATCH:
			if (++w->mismatch_smcs <= 8)
				plat_printf("el3-linux: CPU %u: secure world: %s expected 0x%lx, found 0x%lx\n",
					    plat_cpu_index(), w->gpr[1] < SEC_CHECK_NR ?
					    sec_check_names[w->gpr[1]] : "check ?",
					    (unsigned long)w->gpr[2], (unsigned long)w->gpr[3]);
			return w;
		case SMC_SEC_FAULT:
			if (w->gpr[1])
				plat_printf("el3-linux: CPU %u: secure world took an exception it did not expect: ESR_EL1 0x%lx ELR_EL1 0x%lx FAR_EL1 0x%lx\n",
					    plat_cpu_index(), (unsigned long)w->gpr[1],
					    (unsigned long)w->gpr[2], (unsigned long)w->gpr[3]);
			else
				plat_printf("el3-linux: CPU %u: secure world set-up failed (%s, 0x%lx)\n",
					    plat_cpu_index(), w->gpr[2] == SEC_SETUP_NO_TAGS ?
					    "no allocation tag storage in secure RAM" : "its tables",
					    (unsigned long)w->gpr[3]);
			plat_exit(8);
		case SMC_YIELD:
			return from_secure(w);
		default:
			plat_printf("el3-linux: CPU %u: secure world SMC 0x%lx\n", plat_cpu_index(),
				    (unsigned long)w->gpr[0]);
			plat_exit(8);
		}
	}

	/*
	 * Leaving the world: its whole MTE state, as a world switch would.
	 * TFSR_EL2 is Linux's own only at el=2; at el=1 nothing runs at
	 * NS-EL2, but the register still belongs to the non-secure world (a
	 * hypervisor there would own it), so it is kept across the switch
	 * all the same: saving it is what a monitor that can not know who
	 * runs at NS-EL2 has to do, and costs two system register accesses.
	 */
	kvmmte_state_save(&w->mte);
	kvmmte_el2_state_save(&w->el2);
	if ((esr >> 26) != 0x17) {	/* EC 0x17: SMC from AArch64 */
		plat_printf("el3-linux: CPU %u: unexpected trap to EL3, ESR_EL3 0x%lx ELR_EL3 0x%lx\n",
			    plat_cpu_index(), (unsigned long)esr, (unsigned long)w->elr_el3);
		plat_exit(2);
	}
	if (linux_el == 1 && (esr & 0xffff) == EL2_TRAP_IMM) {
		plat_printf("el3-linux: CPU %u: Linux at NS-EL1 trapped to NS-EL2, ESR_EL2 0x%lx ELR_EL2 0x%lx FAR_EL2 0x%lx\n",
			    plat_cpu_index(), (unsigned long)w->gpr[0], (unsigned long)w->gpr[1],
			    (unsigned long)w->gpr[2]);
		plat_exit(5);
	}
	w->smcs++;
	if (trace_smcs)
		plat_printf("el3-linux: CPU %u: SMC 0x%lx 0x%lx\n", plat_cpu_index(),
			    (unsigned long)w->gpr[0], (unsigned long)w->gpr[1]);
	if (w->gpr[0] == PSCI_CPU_OFF)
		return psci_cpu_off(w);
	w->gpr[0] = (uint64_t)psci(w);
	kvmmte_state_restore(&w->mte);
	kvmmte_el2_state_restore(&w->el2);
	return w;
}

void monitor_unexpected(uint64_t vector, uint64_t esr, uint64_t elr)
{
	plat_printf("el3-linux: CPU %u: unexpected exception, vector %lu ESR_EL3 0x%lx ELR_EL3 0x%lx\n",
		    plat_cpu_index(), (unsigned long)vector, (unsigned long)esr, (unsigned long)elr);
	plat_exit(3);
}

struct ns_world *monitor_secondary(unsigned int cpu)
{
	while (cpu_state[cpu] != CPU_ON_PENDING)
		__asm__ volatile("wfe" ::: "memory");
	cpu_el3_init();
	world_start(&worlds[cpu], cpu_entry[cpu], cpu_context[cpu]);
	cpu_state[cpu] = CPU_ON;
	return &worlds[cpu];
}

struct ns_world *monitor_main(unsigned int cpu)
{
	static char cmdline[256];
	uint64_t image, dtb;
	int level;

	plat_cmdline(cmdline, sizeof(cmdline));
	image = plat_cmdline_u64(cmdline, "image", 0x40200000);
	dtb = plat_cmdline_u64(cmdline, "dtb", 0);
	nr_cpus = (unsigned int)plat_cmdline_u64(cmdline, "cpus", 1);
	if (nr_cpus < 1 || nr_cpus > PLAT_MAX_CPUS)
		nr_cpus = 1;
	trace_smcs = plat_cmdline_u64(cmdline, "trace", 0) != 0;
	skip_mte = plat_cmdline_u64(cmdline, "control", 0) != 0;
	if (skip_mte)
		plat_printf("el3-linux: CONTROL: the world switches skip their MTE part\n");
	linux_el = (unsigned int)plat_cmdline_u64(cmdline, "el", 2);
	period_us = (unsigned int)plat_cmdline_u64(cmdline, "period_us", 1000);
	if (period_us < 200)
		period_us = 200;
	period_ticks = plat_counter_freq() * period_us / 1000000;
	level = kvmmte_init(0);
	plat_printf("el3-linux: EL%lu, MTE level %d, %u CPU(s), Linux Image at 0x%lx, DTB at 0x%lx, Linux at NS-EL%u\n",
		    (unsigned long)(kvmmte_read_currentel() >> 2), level, nr_cpus,
		    (unsigned long)image, (unsigned long)dtb, linux_el);
	ns_features_probe(&feat);
	ns_features_print(&feat);
	if (!dtb || (linux_el != 1 && linux_el != 2)) {
		plat_printf("el3-linux: needs dtb=ADDR and el=1 or el=2\n");
		plat_exit(1);
	}
	/*
	 * Linux's MTE workload and the secure world both need tag storage
	 * and the MTE registers: without FEAT_MTE2 there is nothing to test.
	 */
	if (feat.mte < KVMMTE_PFR1_MTE_MTE2 || level < KVMMTE_PFR1_MTE_MTE2) {
		plat_printf("el3-linux: this CPU lacks FEAT_MTE2 (ID_AA64PFR1_EL1.MTE %u, library level %d): Linux's MTE test and the secure world need it (-M virt,mte=on and a CPU with MTE2); not booting Linux\n",
			    feat.mte, level);
		plat_exit(9);
	}
	scr_ns = SCR_NS | SCR_RES1 | SCR_HCE | SCR_RW | SCR_FIQ | ns_scr_el3_features(&feat);
	/* The secure world uses MTE and may use PAuth, nothing else of these. */
	scr_sec = SCR_RES1 | SCR_RW | KVMMTE_SCR_EL3_ATA | (feat.pauth ? SCR_API | SCR_APK : 0);
	*gicd(GICD_CTLR) |= 1;	/* secure view: EnableGrp0 */
	/* The shared distributor: every SPI Group 1, for Linux. */
	for (unsigned int n = 1; n <= (*gicd(GICD_TYPER) & 0x1f); n++)
		*gicd(GICD_IGROUPR(n)) = ~0U;
	cpu_el3_init();
	world_start(&worlds[cpu], image, dtb);
	cpu_state[cpu] = CPU_ON;
	return &worlds[cpu];
}

/* The platform's EL2 boot path would call this; el3_start never does. */
int plat_app_main(const char *cmdline)
{
	(void)cmdline;
	return 2;
}
