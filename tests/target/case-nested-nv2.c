// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * MTE for nested guests under FEAT_NV2, three levels on the real CPU
 * (docs/api.md, "Nested virtualization (FEAT_NV2)"):
 *
 *   L0  this harness at EL2: runs one VM through its own entry paths
 *       (entry.S, the library's macros) and, for that VM, does what an L0
 *       hypervisor does for a guest hypervisor: emulates its ERET (a
 *       nested entry: L1's EL1 registers out, L2's in from the VNCR_EL2
 *       page, kvmmte_nested_enter(), HCR_EL2.ATA from
 *       kvmmte_nested_hcr_el2()) and reflects every exception of L2 into
 *       L1's virtual EL2 (a nested exit: kvmmte_nested_exit(), the
 *       exception entry emulated at VBAR_EL1 + 0x400).
 *   L1  a guest hypervisor at EL1 with HCR_EL2.NV and NV2 set, which reads
 *       CurrentEL as EL2: the VHE form (E2H in its virtual HCR_EL2, NV1
 *       clear: its guest's registers are the _EL12 names) or the non-VHE
 *       form (NV1 set: its guest's registers are the EL1 names).  It runs
 *       its guests through the harness's entry paths (hv_entries[], the
 *       library's switch macros and out-of-line functions), at its
 *       virtual EL2, with nested-l1.S's vectors.
 *   L2  three of the harness's test guests (guest.c): two with MTE (the
 *       two context layouts), one without (L1 leaves its virtual
 *       HCR_EL2.ATA clear; the guest sets SCTLR_EL1.ATA anyway, so only
 *       HCR_EL2.ATA keeps it from tags: IRG must give tag 0).
 *
 * Every level draws random MTE state from a tag set of its own (L0 1-3,
 * L1 8-15, the two MTE guests 4-5 and 6-7) and checks, after each switch
 * away and back, that it finds exactly what it left: L0 after every exit
 * of the VM, L1 after every run of a guest, each guest on every command
 * (the registers as read, IRG's tags predicted exactly from RGSR/GCR).
 * Asynchronous tag-check faults are provoked at L1 and in the MTE guests
 * and must land in that level's TFSR only; the guests also take
 * synchronous ones.  L1's own TFSR (its TFSR_EL2, the real TFSR_EL1) is
 * never named by L1: QEMU 10.0 crashes on TFSR_EL2 under NV2, so L1 asks
 * L0 with HVC #NV_HVC_TFSR (and in the VHE form also reads it as
 * TFSR_EL1, as a VHE kernel does).
 *
 * Needs FEAT_NV2 (QEMU 10's -cpu max; 7.2 has none: skipped) and MTE.
 */
#include <kvmmte/nested.h>
#include <kvmmte/sysreg-access.h>
#include <string.h>
#include "harness.h"

#define NV_L2S		3
#define NV_STEPS	1000		/* L1's steps per case; switches= overrides */
#define NV_HVC_TFSR	0x10		/* L1 -> L0: x0 = L1's TFSR, which becomes x1 */
#define VNCR_WORDS	(KVMMTE_VNCR_PAGE_SIZE / 8)
#define SPSR_M_MASK	0xfUL
#define SPSR_EL2T	0x8UL
#define SPSR_EL2H	0x9UL
#define SPSR_EL1H_MASKED	0x3c5UL
#define PSTATE_TCO	(1UL << 25)
#define VBAR_LOWER_A64_SYNC	0x400
#define TCR_TCMA0	(1UL << 57)
#define TCF_ASYNC	2UL
#define TCF_SYNC	1UL
#define TCF_ASYM	3UL	/* FEAT_MTE_ASYM_FAULT: loads sync, stores async */
#define CPACR_FPEN	(3UL << 20)
#define EC_ERET		0x1a

/* Tag sets: IRG at each level may only give these. */
#define L0_TAGS		0x000eU
#define L1_TAGS		0xff00U
static const uint16_t l2_tags[NV_L2S] = { 0x0030, 0x00c0, 0 };

/*
 * The EL1 registers FEAT_NV2 redirects to the VNCR_EL2 page that the test
 * guests use (not all NV2 redirects: ACTLR, MDSCR, the timers, SCXTNUM,
 * ZCR, TCR2, PIR, POR are left alone), with their offsets there (Arm ARM,
 * each register's NVMem[] offset), EL1 and EL12 encodings.  L0 moves them between the real registers and the page (or
 * its copy of L1's); L1 reaches its guest's through these names, which
 * NV2 turns into loads and stores of the page.  TFSR_EL1 (0x190) is the
 * library's.  SP_EL1 (0x240) has one name.
 */
#define NV_EL1_REGS(X)					\
	X(0x100, S3_0_C1_C0_2, S3_5_C1_C0_2)	/* CPACR */	\
	X(0x108, S3_0_C13_C0_1, S3_5_C13_C0_1)	/* CONTEXTIDR */ \
	X(0x110, S3_0_C1_C0_0, S3_5_C1_C0_0)	/* SCTLR */	\
	X(0x120, S3_0_C2_C0_2, S3_5_C2_C0_2)	/* TCR */	\
	X(0x128, S3_0_C5_C1_0, S3_5_C5_C1_0)	/* AFSR0 */	\
	X(0x130, S3_0_C5_C1_1, S3_5_C5_C1_1)	/* AFSR1 */	\
	X(0x138, S3_0_C5_C2_0, S3_5_C5_C2_0)	/* ESR */	\
	X(0x140, S3_0_C10_C2_0, S3_5_C10_C2_0)	/* MAIR */	\
	X(0x148, S3_0_C10_C3_0, S3_5_C10_C3_0)	/* AMAIR */	\
	X(0x160, S3_0_C4_C0_0, S3_5_C4_C0_0)	/* SPSR */	\
	X(0x200, S3_0_C2_C0_0, S3_5_C2_C0_0)	/* TTBR0 */	\
	X(0x210, S3_0_C2_C0_1, S3_5_C2_C0_1)	/* TTBR1 */	\
	X(0x220, S3_0_C6_C0_0, S3_5_C6_C0_0)	/* FAR */	\
	X(0x230, S3_0_C4_C0_1, S3_5_C4_C0_1)	/* ELR */	\
	X(0x250, S3_0_C12_C0_0, S3_5_C12_C0_0)	/* VBAR */
/*
 * Its guest's EL1 registers that NV2 does not redirect: L1's accesses reach
 * the real registers, so L1 switches them itself, as any hypervisor does.
 */
#define NV_EL1_REAL_REGS(X)				\
	X(0, S3_0_C13_C0_4)	/* TPIDR_EL1 */		\
	X(1, S3_0_C4_C1_0)	/* SP_EL0 */		\
	X(2, S3_3_C13_C0_2)	/* TPIDR_EL0 */		\
	X(3, S3_3_C13_C0_3)	/* TPIDRRO_EL0 */	\
	X(4, S3_0_C7_C4_0)	/* PAR_EL1 */
#define NV_NR_REAL	5
#define VNCR_SCTLR	(0x110 / 8)
#define VNCR_SP_EL1	(0x240 / 8)
#define VNCR_VBAR	(0x250 / 8)
#define VNCR_HCR	(KVMMTE_VNCR_HCR_EL2 / 8)
#define VNCR_VTTBR	(0x020 / 8)
#define NV_SHADOW_VMID	16		/* L2's VMID at L0: 16 + L1's VMID for it (L1 uses 2-4) */
#define VNCR_TFSR	(KVMMTE_VNCR_TFSR_EL1 / 8)

/* The registers above, to or from @page (VNCR-shaped): @el12 names or EL1 names. */
static void nv_el1_save(uint64_t *page, bool el12)
{
#define NV_SAVE(off, el1, e12)	page[(off) / 8] = GUEST_EL1_READ(el12, el1, e12);
	NV_EL1_REGS(NV_SAVE)
#undef NV_SAVE
	page[VNCR_SP_EL1] = plat_read_sysreg(S3_4_C4_C1_0);
}

static void nv_el1_restore(const uint64_t *page, bool el12)
{
#define NV_RESTORE(off, el1, e12)	GUEST_EL1_WRITE(el12, el1, e12, page[(off) / 8]);
	NV_EL1_REGS(NV_RESTORE)
#undef NV_RESTORE
	plat_write_sysreg(S3_4_C4_C1_0, page[VNCR_SP_EL1]);
}

/* One of L1's guests, as L1 keeps it. */
struct nv_l2 {
	struct hv_vcpu v;		/* context, memory, VM config (hv_vcpu_init by L0) */
	uint64_t el1[VNCR_WORDS];	/* its EL1 registers while another runs (L1's copy) */
	uint64_t real[NV_NR_REAL];	/* ... and those NV2 leaves alone */
	struct kvmmte_state expect;	/* what it must read next */
	bool booted;
	unsigned int runs, async, sync, irgs, probes;	/* UNDEFs: v.nr_undef */
};

/* Everything the three levels share (one image, identity-mapped). */
struct nv_world {
	struct tt *t;
	enum kvmmte_host_mode l0_mode;	/* L0's own: the real TFSR_EL1 by EL1 or EL12 name */
	enum kvmmte_host_mode form;	/* L1's: VHE (E2H, NV1 = 0) or non-VHE (NV1 = 1) */
	unsigned int steps;

	/* L1's */
	struct plat_prng rng;
	struct hv_ctxt host;		/* L1's host context for the entry paths */
	struct nv_l2 l2[NV_L2S];
	unsigned int step, failures, own_async, own_sync, own_irgs;
	bool asym;			/* L1's TCF is asymmetric: it can fault synchronously too */
	bool mte;			/* the CPU has FEAT_MTE2: every level uses MTE */
	bool lazy;			/* L0 runs the VM with KVMMTE_VM_LAZY */
	bool name_tfsr_el2;		/* nv_tfsr_el2=1: L1 reads its TFSR by that name once */
	uint64_t tfsr;			/* L1's own TFSR as it last set it */

	/* L0's */
	struct hv_vcpu vm;		/* the VM L1 runs in */
	uint64_t l1_el1[VNCR_WORDS];	/* L1's EL1 registers while L2 runs */
	struct kvmmte_el2_state l1_tfsr;	/* L1's TFSR while L2 runs (the library's) */
	bool in_l2;
	unsigned int enables, emulated;	/* a lazy VM's ENABLE (once), EMULATED answers */
	unsigned long first_enable_exit;
	uint64_t first_enable_esr;
	unsigned long l0_exits, nested_entries, nested_exits, erets_to_self, migrations, l2_traps, l2_lazy_traps;
};

static struct nv_world nv_world;
static uint64_t vncr_page[VNCR_WORDS] __attribute__((aligned(KVMMTE_VNCR_PAGE_SIZE)));
static struct plat_s1 l1_s1;
static uint8_t l1_stack[16384] __attribute__((aligned(16)));
static uint8_t l1_tagged[4096] __attribute__((aligned(4096)));

extern char nv_l1_vectors[];
extern volatile uint64_t nv_l1_own_sync_faults;	/* nested-l1.S's handler counts them */
extern volatile uint64_t nv_l1_entries_without_tco;	/* reflected entries with PSTATE.TCO 0 */
void nv_l1_start(void);
void nv_l1_main(struct nv_world *w);

static uint64_t ec_of(uint64_t esr)
{
	return esr >> HV_ESR_EC_SHIFT;
}

/* ==== L1: the guest hypervisor at virtual EL2 ================================ */

static bool l1_check(struct nv_world *w, int line, const char *what, uint64_t want, uint64_t got)
{
	if (want == got)
		return true;
	if (w->failures++ < 8)
		plat_printf("    L1 (%s form), step %u: %s: expected 0x%lx, got 0x%lx (line %d)\n",
			    tt_mode_name(w->form), w->step, what, (unsigned long)want,
			    (unsigned long)got, line);
	return false;
}
#define L1_CHECK(w, what, want, got)	l1_check(w, __LINE__, what, (uint64_t)(want), (uint64_t)(got))

static uint64_t l1_rand(struct nv_world *w)
{
	return plat_prng_u64(&w->rng);
}

/* A random GCR_EL1 whose IRG tags are a non-empty subset of @tags, RRND 0. */
static uint64_t gcr_within(struct nv_world *w, uint16_t tags)
{
	uint16_t allowed = (uint16_t)l1_rand(w) & tags;

	if (!allowed)
		allowed = tags & (uint16_t)-tags;	/* the lowest */
	return ~(uint64_t)allowed & KVMMTE_GCR_EL1_EXCLUDE_MASK;
}

static uint64_t rgsr_random(struct nv_world *w)
{
	uint64_t r = l1_rand(w) & KVMMTE_RGSR_EL1_VALID_MASK;

	return r & KVMMTE_RGSR_EL1_SEED_MASK ? r : r | (1UL << KVMMTE_RGSR_EL1_SEED_SHIFT);
}

/* L0's service: L1's own TFSR (its TFSR_EL2) becomes @v; returns the old value. */
static uint64_t l1_swap_own_tfsr(uint64_t v)
{
	register uint64_t x0 __asm__("x0");
	register uint64_t x1 __asm__("x1") = v;

	__asm__ volatile("hvc %2" : "=r"(x0) : "r"(x1), "i"(NV_HVC_TFSR) : "memory");
	return x0;
}

/* L1's own state: fresh values for its MTE registers (its host context's). */
static void l1_set_own(struct nv_world *w, struct kvmmte_state *own)
{
	own->rgsr_el1 = rgsr_random(w);
	own->gcr_el1 = gcr_within(w, L1_TAGS);
	own->tfsre0_el1 = l1_rand(w) & KVMMTE_TFSRE0_EL1_VALID_MASK;
	kvmmte_write_rgsr_el1(own->rgsr_el1);
	kvmmte_write_gcr_el1(own->gcr_el1);
	kvmmte_write_tfsre0_el1(own->tfsre0_el1);
	w->tfsr = l1_rand(w) & KVMMTE_TFSR_VALID_MASK;
	l1_swap_own_tfsr(w->tfsr);
	plat_isb();
}

static void l1_check_own_tfsr(struct nv_world *w, uint64_t want)
{
	uint64_t got = l1_swap_own_tfsr(want);

	L1_CHECK(w, "L1's own TFSR (its TFSR_EL2, through L0)", want, got);
	/* A VHE guest hypervisor names its own TFSR TFSR_EL1, the real register. */
	if (w->form == KVMMTE_HOST_VHE)
		L1_CHECK(w, "L1's own TFSR read as TFSR_EL1", want, kvmmte_read_tfsr_el1());
}

static void l1_check_own(struct nv_world *w, const struct kvmmte_state *own)
{
	L1_CHECK(w, "L1's own RGSR_EL1", own->rgsr_el1, kvmmte_read_rgsr_el1());
	L1_CHECK(w, "L1's own GCR_EL1", own->gcr_el1, kvmmte_read_gcr_el1());
	L1_CHECK(w, "L1's own TFSRE0_EL1", own->tfsre0_el1, kvmmte_read_tfsre0_el1());
	l1_check_own_tfsr(w, w->tfsr);
}

/* L1's IRG, at its virtual EL2, predicted from its own RGSR and GCR. */
static void l1_irg(struct nv_world *w, struct kvmmte_state *own)
{
	uint64_t rgsr = own->rgsr_el1;

	for (unsigned int i = 0; i < 4; i++) {
		uint64_t p;
		unsigned int want = tt_irg_model(&rgsr, own->gcr_el1 & KVMMTE_GCR_EL1_EXCLUDE_MASK);

		__asm__ volatile("irg %0, %1" : "=r"(p) : "r"(0UL));
		L1_CHECK(w, "tag of L1's IRG", want, (p >> KVMMTE_ADDR_TAG_SHIFT) & 0xf);
	}
	own->rgsr_el1 = rgsr;
	L1_CHECK(w, "L1's RGSR_EL1 after its IRGs", rgsr, kvmmte_read_rgsr_el1());
	w->own_irgs++;
}

/*
 * L1's own asynchronous tag-check fault: a store through tag 5 to a
 * granule tagged 3, at its virtual EL2 (SCTLR_EL1.TCF async, set by L0).
 * It must show in L1's own TFSR (TF0: a TTBR0 address) and nowhere else.
 */
static void l1_async_fault(struct nv_world *w)
{
	uint64_t granule = (uintptr_t)l1_tagged + 512;
	volatile uint64_t *bad = (volatile uint64_t *)(granule | (5UL << KVMMTE_ADDR_TAG_SHIFT));
	uint64_t before = w->tfsr & ~KVMMTE_TFSR_TF0_MASK;

	l1_swap_own_tfsr(before);
	__asm__ volatile("stg %0, [%0]\n\tmsr tco, #0\n\tisb" : : "r"(granule | (3UL << KVMMTE_ADDR_TAG_SHIFT)) : "memory");
	*bad = 0x5a;
	__asm__ volatile("dsb nsh\n\tisb\n\tmsr tco, #1\n\tstg %0, [%0]" : : "r"(granule) : "memory");
	l1_check_own_tfsr(w, before | KVMMTE_TFSR_TF0_MASK);
	w->tfsr = l1_rand(w) & KVMMTE_TFSR_VALID_MASK;
	l1_swap_own_tfsr(w->tfsr);
	w->own_async++;
}

/*
 * L1's own synchronous tag-check fault: a load through tag 5 from a granule
 * tagged 3 (TCF asymmetric: loads fault synchronously).  nested-l1.S's
 * handler counts it and skips the load; its ERET goes through L0.  A
 * synchronous fault sets no TFSR bit.
 */
static void l1_sync_fault(struct nv_world *w)
{
	uint64_t granule = (uintptr_t)l1_tagged + 1024;
	volatile uint64_t *bad = (volatile uint64_t *)(granule | (5UL << KVMMTE_ADDR_TAG_SHIFT));
	uint64_t before = nv_l1_own_sync_faults;

	__asm__ volatile("stg %0, [%0]\n\tmsr tco, #0\n\tisb" : : "r"(granule | (3UL << KVMMTE_ADDR_TAG_SHIFT)) : "memory");
	(void)*bad;
	__asm__ volatile("msr tco, #1\n\tstg %0, [%0]" : : "r"(granule) : "memory");
	L1_CHECK(w, "L1's own synchronous faults taken", before + 1, nv_l1_own_sync_faults);
	l1_check_own_tfsr(w, w->tfsr);
	w->own_sync++;
}

/* An entry path for @g in L1's form and @g's layout, at random. */
static const struct hv_entry *l1_pick_entry(struct nv_world *w, const struct nv_l2 *g)
{
	const struct hv_entry *match[8];
	unsigned int n = 0;

	for (unsigned int i = 0; i < hv_nr_entries && n < 8; i++)
		if (hv_entries[i].mode == w->form && hv_entries[i].layout == g->v.layout)
			match[n++] = &hv_entries[i];
	return match[plat_prng_below(&w->rng, n)];
}

/* L1's vcpu load/put: the guest's EL1 registers by the names NV2 redirects. */
static void l1_load(struct nv_world *w, struct nv_l2 *g)
{
	bool vhe = w->form == KVMMTE_HOST_VHE;

	nv_el1_restore(g->el1, vhe);
#define NV_LOAD_REAL(i, reg)	plat_write_sysreg(reg, g->real[i]);
	NV_EL1_REAL_REGS(NV_LOAD_REAL)
#undef NV_LOAD_REAL
	/* A VMID per guest, as for any guest: L0 gives it a shadow VMID of its own. */
	plat_write_sysreg(S3_4_C2_C1_0, (uint64_t)(g->v.index + 1) << 48);	/* VTTBR_EL2 */
	g->v.ctxt.hcr = g->v.hcr_base | (vhe ? KVMMTE_HCR_EL2_E2H : 0);
	if (g->v.mte)
		kvmmte_vcpu_load_at(w->form, &hv_layouts[g->v.layout], &g->v.ctxt);
}

static void l1_put(struct nv_world *w, struct nv_l2 *g)
{
	if (g->v.mte)
		kvmmte_vcpu_put_at(w->form, &hv_layouts[g->v.layout], &g->v.ctxt);
	nv_el1_save(g->el1, w->form == KVMMTE_HOST_VHE);
#define NV_SAVE_REAL(i, reg)	g->real[i] = plat_read_sysreg(reg);
	NV_EL1_REAL_REGS(NV_SAVE_REAL)
#undef NV_SAVE_REAL
}

/*
 * L1 answers its guest's trapped MTE register access with the library's
 * emulation, against the guest's context, and injects the UNDEF it asks
 * for through the guest's EL1 registers: _EL12 (VHE form) or EL1 names,
 * which NV2 turns into the VNCR page (hv_inject_undef(), the harness's own,
 * with L1's form as the mode).  0, or the library's error.
 */
static int l1_emulate(struct nv_world *w, struct nv_l2 *g)
{
	int r = kvmmte_handle_sysreg_trap_at(&g->v.vm, g->v.ctxt.esr, 0, &hv_layouts[g->v.layout],
					     &g->v.ctxt, g->v.ctxt.x);

	if (r != KVMMTE_TRAP_UNDEF)
		return r < 0 ? r : -1000 - r;
	return hv_inject_undef(w->form, &g->v);
}

/* One mailbox command in @g through @e; false (reported) unless it answered DONE. */
static bool l1_cmd(struct nv_world *w, struct nv_l2 *g, const struct hv_entry *e,
		   enum guest_cmd cmd, uint64_t a0, uint64_t a1, bool expect_exc)
{
	struct guest_mailbox *mb = &g->v.mem->mb;
	uint64_t code, esr;
	int r = 0;

	mb->cmd = cmd;
	mb->arg[0] = a0;
	mb->arg[1] = a1;
	mb->expect_exceptions = expect_exc;
	for (;;) {
		code = e->enter(&g->v.ctxt, &w->host);
		esr = g->v.ctxt.esr;
		g->runs++;
		if (code == HV_EXIT_SYNC && ec_of(esr) == HV_EC_HVC64 && (esr & 0xffff) == HV_HVC_DONE)
			return true;
		if (code != HV_EXIT_SYNC || ec_of(esr) != HV_EC_SYS64 || !expect_exc)
			break;
		r = l1_emulate(w, g);
		if (r)
			break;
	}
	if (r)
		plat_printf("    ... L1's emulation of ESR 0x%lx failed: %d\n", (unsigned long)esr, r);
	L1_CHECK(w, "guest's exit (HV_EXIT_SYNC, HVC #DONE: ESR 0x5a000001)", 0x5a000001,
		 code == HV_EXIT_SYNC ? esr : code);
	plat_printf("    ... guest %s, command %u, entry %s: PC 0x%lx x1 0x%lx x2 0x%lx x3 0x%lx\n",
		    g->v.name, cmd, e->name, (unsigned long)g->v.ctxt.pc, (unsigned long)g->v.ctxt.x[1],
		    (unsigned long)g->v.ctxt.x[2], (unsigned long)g->v.ctxt.x[3]);
	return false;
}

static bool l1_check_state(struct nv_world *w, struct nv_l2 *g, const struct kvmmte_state *seen)
{
	bool ok = L1_CHECK(w, "guest's RGSR_EL1", g->expect.rgsr_el1, seen->rgsr_el1);

	ok &= L1_CHECK(w, "guest's GCR_EL1", g->expect.gcr_el1, seen->gcr_el1);
	ok &= L1_CHECK(w, "guest's TFSR_EL1", g->expect.tfsr_el1, seen->tfsr_el1);
	ok &= L1_CHECK(w, "guest's TFSRE0_EL1", g->expect.tfsre0_el1, seen->tfsre0_el1);
	if (!ok)
		plat_printf("    ... in guest %s\n", g->v.name);
	return ok;
}

/* One step of an MTE guest: exchange, IRG, and now and then a fault. */
static void l1_step_mte(struct nv_world *w, struct nv_l2 *g, const struct hv_entry *e, unsigned int what)
{
	struct guest_mailbox *mb = &g->v.mem->mb;
	uint64_t rgsr;

	mb->next = (struct kvmmte_state){
		.rgsr_el1 = rgsr_random(w),
		.gcr_el1 = gcr_within(w, l2_tags[g - w->l2]),
		.tfsr_el1 = l1_rand(w) & KVMMTE_TFSR_VALID_MASK,
		.tfsre0_el1 = l1_rand(w) & KVMMTE_TFSRE0_EL1_VALID_MASK,
	};
	if (what == 1)		/* about to fault: TF0 must come from the fault */
		mb->next.tfsr_el1 &= ~KVMMTE_TFSR_TF0_MASK;
	if (!l1_cmd(w, g, e, GUEST_CMD_EXCHANGE, 0, 0, false))
		return;
	l1_check_state(w, g, &mb->seen);
	g->expect = mb->next;

	if (!l1_cmd(w, g, e, GUEST_CMD_IRG, 8, 0, false))
		return;
	rgsr = g->expect.rgsr_el1;
	for (unsigned int i = 0; i < 8; i++) {
		unsigned int want = tt_irg_model(&rgsr, g->expect.gcr_el1 & KVMMTE_GCR_EL1_EXCLUDE_MASK);

		if (!L1_CHECK(w, "tag of the guest's IRG", want, mb->tags[i]))
			plat_printf("    ... guest %s, IRG %u\n", g->v.name, i);
	}
	L1_CHECK(w, "guest's RGSR_EL1 after its IRGs", rgsr, mb->rgsr_after);
	g->expect.rgsr_el1 = rgsr;
	g->irgs++;

	if (what == 1) {	/* asynchronous: in the guest's TFSR_EL1, nowhere else */
		if (!l1_cmd(w, g, e, GUEST_CMD_SET_TCF, TCF_ASYNC, 0, false) ||
		    !l1_cmd(w, g, e, GUEST_CMD_TAG_MISMATCH, 1, 0, false) ||
		    !l1_cmd(w, g, e, GUEST_CMD_READ_TFSR, 1, 0, false) ||
		    !l1_cmd(w, g, e, GUEST_CMD_SET_TCF, 0, 0, false))
			return;
		L1_CHECK(w, "guest's TFSR_EL1 after its asynchronous fault",
			 g->expect.tfsr_el1 | KVMMTE_TFSR_TF0_MASK, mb->seen.tfsr_el1);
		L1_CHECK(w, "guest's TFSRE0_EL1 after its asynchronous fault", g->expect.tfsre0_el1,
			 mb->seen.tfsre0_el1);
		g->expect.tfsr_el1 = 0;		/* READ_TFSR cleared both */
		g->expect.tfsre0_el1 = 0;
		g->async++;
	} else if (what == 2) {	/* synchronous: the guest's own handler */
		if (!l1_cmd(w, g, e, GUEST_CMD_SET_TCF, TCF_SYNC, 0, false) ||
		    !l1_cmd(w, g, e, GUEST_CMD_TAG_MISMATCH, 0, 0, true))
			return;
		/* Taken at the guest's own EL1: Data Abort from the current EL, DFSC 0x11. */
		if (L1_CHECK(w, "synchronous faults the guest took", 1, mb->nr_exc))
			L1_CHECK(w, "its ESR_EL1 (EC 0x25, DFSC 0x11)", (uint64_t)HV_EC_DABT_CUR << HV_ESR_EC_SHIFT | 0x11,
				 mb->exc[0].esr & (0x3fUL << HV_ESR_EC_SHIFT | 0x3f));
		if (!l1_cmd(w, g, e, GUEST_CMD_SET_TCF, 0, 0, false))
			return;
		g->sync++;
	}
}

/*
 * The guest without MTE touches every MTE register: each access traps to
 * L0 (HCR_EL2.ATA clear, TID5 for GMID_EL1, both from L1's virtual
 * HCR_EL2), L0 finds it is L1's (kvmmte_nested_trap_owner()) and reflects
 * it, and L1's emulation makes each an UNDEF in the guest.
 */
static void l1_probe_nomte(struct nv_world *w, struct nv_l2 *g, const struct hv_entry *e)
{
	struct guest_mailbox *mb = &g->v.mem->mb;

	if (!l1_cmd(w, g, e, GUEST_CMD_PROBE_MTE_SYSREGS, 0, 0, true))
		return;
	L1_CHECK(w, "UNDEFs the guest without MTE took from its MTE register accesses",
		 GUEST_NR_PROBES, mb->nr_exc);
	/*
	 * L1 injects EC 0x00.  On a CPU without MTE2 the registers do not
	 * exist and the guest takes its exceptions itself: UNDEF, but EC 0x18
	 * for GMID_EL1, in the ID space of FEAT_IDST (QEMU's -cpu max).
	 */
	for (unsigned int i = 0; i < mb->nr_exc && i < GUEST_NR_PROBES; i++)
		L1_CHECK(w, "EC of the UNDEF", !w->mte && i == GUEST_NR_PROBES - 1 ? HV_EC_SYS64 : HV_EC_UNKNOWN,
			 ec_of(mb->exc[i].esr));
	g->probes++;
}

void nv_l1_main(struct nv_world *w)
{
	struct kvmmte_state own = { 0 };

	/*
	 * By the architecture L1's TFSR_EL2 under NV2 is the real TFSR_EL1;
	 * QEMU 10.0.2 dies (SIGSEGV) on it, so only on request: the reproducer
	 * is "case=nested_nv2_l0_nvhe_l1_vhe_form nv_tfsr_el2=1".
	 */
	if (w->name_tfsr_el2)
		l1_check_own_tfsr(w, plat_read_sysreg(S3_4_C5_C6_0));

	for (w->step = 0; w->step < w->steps && !w->failures; w->step++) {
		/*
		 * Under a lazy L0 the first step reads TFSR_EL1, then runs the
		 * first MTE guest before L1 sets any MTE state of its own (its
		 * TFSR_EL12 at load is the page's whatever ATA says: no trap).
		 */
		bool first_lazy = w->lazy && w->step == 0;
		struct nv_l2 *g = first_lazy ? &w->l2[0] : &w->l2[plat_prng_below(&w->rng, NV_L2S)];
		const struct hv_entry *e = l1_pick_entry(w, g);
		unsigned int what = plat_prng_below(&w->rng, 8);

		if (first_lazy) {
			/*
			 * TFSR_EL1 first: L1's own (the real register) in the VHE
			 * form, its guest's in the page with NV1; either traps while
			 * ATA is clear (Arm ARM), and L0's library says ENABLE.
			 */
			(void)kvmmte_read_tfsr_el1();
			l1_load(w, g);
			if (!l1_cmd(w, g, e, GUEST_CMD_NOP, 0, 0, false))
				break;
			g->booted = true;
			l1_put(w, g);
			continue;
		}
		if (w->mte)
			l1_set_own(w, &own);
		l1_load(w, g);
		if (!g->booted) {
			if (!l1_cmd(w, g, e, GUEST_CMD_NOP, 0, 0, false))
				break;
			g->booted = true;
		}
		if (!w->mte) {
			/* No MTE anywhere: the guests' MTE registers do not exist. */
			l1_probe_nomte(w, g, e);
			l1_put(w, g);
			continue;
		}
		if (g->v.mte) {
			l1_step_mte(w, g, e, what);
		} else if (what == 5) {
			l1_probe_nomte(w, g, e);
		} else if (l1_cmd(w, g, e, GUEST_CMD_IRG, 8, 1, false)) {
			/* L1 gave it no ATA: IRG is tag 0 whatever GCR/RGSR hold. */
			for (unsigned int i = 0; i < 8; i++)
				L1_CHECK(w, "tag of IRG in the guest without MTE", 0, g->v.mem->mb.tags[i]);
			g->irgs++;
		}
		l1_put(w, g);
		l1_check_own(w, &own);
		l1_irg(w, &own);
		if (what == 3)
			l1_async_fault(w);
		else if (what == 4 && w->asym)
			l1_sync_fault(w);
	}
}

/* ==== L0: the hypervisor at EL2 that runs L1 ================================= */

static bool l0_vhe(const struct nv_world *w)
{
	return w->l0_mode == KVMMTE_HOST_VHE;
}

/* L0's HCR_EL2 for the VM (the library's bits, ATA once enabled), E2H included. */
static uint64_t vm_hcr(const struct nv_world *w)
{
	return w->vm.hcr_base | (l0_vhe(w) ? KVMMTE_HCR_EL2_E2H : 0);
}

/* ... and for L1 at its virtual EL2: NV, NV2, and NV1 in the non-VHE form. */
static uint64_t l1_hcr(const struct nv_world *w)
{
	return vm_hcr(w) | KVMMTE_HCR_EL2_NV | KVMMTE_HCR_EL2_NV2 |
	       (w->form == KVMMTE_HOST_VHE ? 0 : KVMMTE_HCR_EL2_NV1);
}


/*
 * Is the VM's MTE state live in the registers between exits?  Under VHE
 * once loaded with ATA set (TFSR_EL1 moves at load/put); never under nVHE,
 * whose entry path switches it out; never for a lazy VM not yet enabled.
 */
static bool vm_live(const struct nv_world *w)
{
	return l0_vhe(w) && w->mte && (vm_hcr(w) & KVMMTE_HCR_EL2_ATA);
}

/* The VM's TFSR_EL1 as L0 holds it between exits: live or saved. */
static uint64_t vm_tfsr(struct nv_world *w)
{
	return vm_live(w) ? kvmmte_read_tfsr_el12() : w->vm.ctxt.mte.tfsr_el1;
}

static void vm_set_tfsr(struct nv_world *w, uint64_t v)
{
	if (vm_live(w))
		kvmmte_write_tfsr_el12(v);
	else
		w->vm.ctxt.mte.tfsr_el1 = v;
}

/* L1's ERET to an EL1 or EL0 target: enter its guest. */
static void l0_nested_entry(struct nv_world *w, uint64_t elr, uint64_t spsr)
{
	struct tt *t = w->t;
	uint64_t l2_hcr = vm_hcr(w);
	int ret;

	nv_el1_save(w->l1_el1, l0_vhe(w));
	if (vm_live(w))
		ret = kvmmte_nested_enter(KVMMTE_HOST_VHE, &w->vm.vm, &w->l1_tfsr, vncr_page);
	else if (w->mte && tt_below(t, 2))	/* the inline moves, half the time */
		ret = (kvmmte_nested_enter_saved(&hv_layouts[HV_LAYOUT_STATE], &w->vm.ctxt,
						 &w->l1_tfsr, vncr_page), 0);
	else
		ret = kvmmte_nested_enter_at(&w->vm.vm, &hv_layouts[HV_LAYOUT_STATE], &w->vm.ctxt,
					     &w->l1_tfsr, vncr_page);
	/* A VM without MTE has nothing of it to move: refused, nothing touched. */
	TT_CHECK_EQ(t, "kvmmte_nested_enter()", w->mte ? 0 : -KVMMTE_EOPNOTSUPP, ret);
	nv_el1_restore(vncr_page, l0_vhe(w));
	ret = kvmmte_nested_hcr_el2(&w->vm.vm, vm_hcr(w), vncr_page, &l2_hcr);
	TT_CHECK_EQ(t, "kvmmte_nested_hcr_el2()", 0, ret);
	w->vm.ctxt.hcr = l2_hcr;
	/* L1's guests share neither L1's VMID nor each other's. */
	plat_write_sysreg(S3_4_C2_C1_0,
			  (NV_SHADOW_VMID + ((vncr_page[VNCR_VTTBR] >> 48) & 0xf)) << 48);
	w->vm.ctxt.pc = elr;
	w->vm.ctxt.pstate = spsr;
	w->in_l2 = true;
	w->nested_entries++;
}

/* Anything L2 did that reaches EL2 belongs to L1: reflect it to its virtual EL2. */
static void l0_nested_exit(struct nv_world *w)
{
	struct tt *t = w->t;
	int ret;

	nv_el1_save(vncr_page, l0_vhe(w));
	if (vm_live(w))
		ret = kvmmte_nested_exit(KVMMTE_HOST_VHE, &w->vm.vm, &w->l1_tfsr, vncr_page);
	else if (w->mte && tt_below(t, 2))
		ret = (kvmmte_nested_exit_saved(&hv_layouts[HV_LAYOUT_STATE], &w->vm.ctxt,
						&w->l1_tfsr, vncr_page), 0);
	else
		ret = kvmmte_nested_exit_at(&w->vm.vm, &hv_layouts[HV_LAYOUT_STATE], &w->vm.ctxt,
					    &w->l1_tfsr, vncr_page);
	TT_CHECK_EQ(t, "kvmmte_nested_exit()", w->mte ? 0 : -KVMMTE_EOPNOTSUPP, ret);
	nv_el1_restore(w->l1_el1, l0_vhe(w));
	/*
	 * The exception entry into virtual EL2: L1's ELR/SPSR/ESR/FAR_EL2 are
	 * the real EL1 registers (its MRS of them, under NV2, read those: no
	 * trap on QEMU 10.0.2).
	 */
	GUEST_EL1_WRITE(l0_vhe(w), S3_0_C4_C0_1, S3_5_C4_C0_1, w->vm.ctxt.pc);
	GUEST_EL1_WRITE(l0_vhe(w), S3_0_C4_C0_0, S3_5_C4_C0_0, w->vm.ctxt.pstate);
	GUEST_EL1_WRITE(l0_vhe(w), S3_0_C5_C2_0, S3_5_C5_C2_0, w->vm.ctxt.esr);
	GUEST_EL1_WRITE(l0_vhe(w), S3_0_C6_C0_0, S3_5_C6_C0_0, w->vm.ctxt.far);
	w->vm.ctxt.pc = w->l1_el1[VNCR_VBAR] + VBAR_LOWER_A64_SYNC;
	w->vm.ctxt.pstate = SPSR_EL1H_MASKED | PSTATE_TCO;
	w->vm.ctxt.hcr = l1_hcr(w);
	plat_write_sysreg(S3_4_C2_C1_0, (uint64_t)(w->vm.index + 1) << 48);
	w->in_l2 = false;
	w->nested_exits++;
}

/*
 * A trapped MTE register access of the lazy VM, from L1 (@flags: its
 * virtual EL2 under NV2) or from L2 (0) when it is L0's: the library's
 * answer, acted on.  ENABLE: ATA for the VM from now on, its state made
 * live, the access retried; EMULATED: skipped.  False if neither.
 */
static bool l0_lazy_trap(struct nv_world *w, unsigned int flags)
{
	const struct kvmmte_layout *layout = &hv_layouts[HV_LAYOUT_STATE];
	int r = kvmmte_handle_sysreg_trap_at(&w->vm.vm, w->vm.ctxt.esr, flags, layout,
					     &w->vm.ctxt, w->vm.ctxt.x);

	if (r == KVMMTE_TRAP_EMULATED) {
		kvmmte_skip_trapped_insn(&w->vm.ctxt.pc, &w->vm.ctxt.pstate);
		w->emulated++;
		return true;
	}
	if (r != KVMMTE_TRAP_ENABLE || (vm_hcr(w) & KVMMTE_HCR_EL2_ATA)) {
		tt_fail(w->t, __FILE__, __LINE__, "trapped access ESR_EL2 0x%lx (flags %#x, %s): library answered %d",
			(unsigned long)w->vm.ctxt.esr, flags, w->in_l2 ? "L2" : "L1", r);
		return false;
	}
	w->vm.hcr_base |= KVMMTE_HCR_EL2_ATA;
	if (w->in_l2)
		kvmmte_nested_hcr_el2(&w->vm.vm, vm_hcr(w), vncr_page, &w->vm.ctxt.hcr);
	else
		w->vm.ctxt.hcr = l1_hcr(w);
	if (vm_live(w))
		kvmmte_vcpu_load_at(KVMMTE_HOST_VHE, layout, &w->vm.ctxt);
	if (!w->enables++) {
		w->first_enable_exit = w->l0_exits;
		w->first_enable_esr = w->vm.ctxt.esr;
	}
	return true;
}

/* One exit of the VM while L1 runs.  Returns 1 when L1 is done, 0 to go on, -1 failed. */
static int l0_handle_l1(struct nv_world *w, uint64_t code)
{
	struct tt *t = w->t;
	uint64_t esr = w->vm.ctxt.esr;
	uint64_t elr, spsr;

	if (code != HV_EXIT_SYNC) {
		tt_fail(t, __FILE__, __LINE__, "L1 exited through vector %lu (ESR_EL2 0x%lx, PC 0x%lx)",
			(unsigned long)code, (unsigned long)esr, (unsigned long)w->vm.ctxt.pc);
		return -1;
	}
	switch (ec_of(esr)) {
	case HV_EC_SYS64:
		/* A lazy VM's MTE registers trap at L1 too, until L0 enables them. */
		if (w->lazy)
			return l0_lazy_trap(w, KVMMTE_TRAP_NV2 | (w->form == KVMMTE_HOST_VHE ?
								  KVMMTE_TRAP_VEL2_E2H : KVMMTE_TRAP_VEL2)) ? 0 : -1;
		break;
	case EC_ERET:
		elr = GUEST_EL1_READ(l0_vhe(w), S3_0_C4_C0_1, S3_5_C4_C0_1);
		spsr = GUEST_EL1_READ(l0_vhe(w), S3_0_C4_C0_0, S3_5_C4_C0_0);
		if ((spsr & SPSR_M_MASK) == SPSR_EL2H || (spsr & SPSR_M_MASK) == SPSR_EL2T) {
			/* Back to itself: virtual EL2 is the real EL1. */
			w->vm.ctxt.pc = elr;
			w->vm.ctxt.pstate = spsr - (SPSR_EL2T - 0x4);
			w->erets_to_self++;
			return 0;
		}
		l0_nested_entry(w, elr, spsr);
		return 0;
	case HV_EC_HVC64:
		if ((esr & 0xffff) == HV_HVC_DONE)
			return 1;
		if ((esr & 0xffff) == NV_HVC_TFSR) {
			uint64_t old = vm_tfsr(w);

			vm_set_tfsr(w, w->vm.ctxt.x[1] & KVMMTE_TFSR_VALID_MASK);
			w->vm.ctxt.x[0] = old;
			return 0;
		}
		tt_fail(t, __FILE__, __LINE__, "L1 crashed at its virtual EL2: ESR 0x%lx ELR 0x%lx FAR 0x%lx",
			(unsigned long)GUEST_EL1_READ(l0_vhe(w), S3_0_C5_C2_0, S3_5_C5_C2_0),
			(unsigned long)GUEST_EL1_READ(l0_vhe(w), S3_0_C4_C0_1, S3_5_C4_C0_1),
			(unsigned long)GUEST_EL1_READ(l0_vhe(w), S3_0_C6_C0_0, S3_5_C6_C0_0));
		return -1;
	}
	tt_fail(t, __FILE__, __LINE__, "L1: unexpected exit ESR_EL2 0x%lx at PC 0x%lx",
		(unsigned long)esr, (unsigned long)w->vm.ctxt.pc);
	return -1;
}

/*
 * Migration, as a VMM does it with the vcpu stopped wherever it was (in L1
 * or in L2): every register of kvmmte_nested_vmm_reg_list() out, the
 * context, L1's kept TFSR and the page's TFSR poisoned, everything back in.
 * The levels' own checks then find out whether anything was lost.
 */
static void l0_migrate(struct nv_world *w)
{
	struct tt *t = w->t;
	const struct kvmmte_layout *layout = &hv_layouts[HV_LAYOUT_STATE];
	struct kvmmte_nested_vcpu vc = { layout, &w->vm.ctxt, &w->l1_tfsr, vncr_page, w->in_l2 };
	uint64_t ids[KVMMTE_NESTED_VMM_NR_REGS], vals[KVMMTE_NESTED_VMM_NR_REGS];
	int n, ret;

	n = kvmmte_nested_vmm_reg_list(&w->vm.vm, ids, KVMMTE_NESTED_VMM_NR_REGS);
	TT_CHECK_EQ(t, "kvmmte_nested_vmm_reg_list()", w->mte ? KVMMTE_NESTED_VMM_NR_REGS : 0, n);
	if (n <= 0)
		return;
	if (vm_live(w))		/* the vcpu put: TFSR_EL1 into the context */
		kvmmte_vcpu_put_at(KVMMTE_HOST_VHE, layout, &w->vm.ctxt);
	for (int i = 0; i < n; i++) {
		ret = kvmmte_nested_vmm_get_reg(&w->vm.vm, &vc, ids[i], &vals[i]);
		TT_CHECK_EQ(t, "kvmmte_nested_vmm_get_reg()", 0, ret);
	}
	w->vm.ctxt.mte = (struct kvmmte_state){ 0xdead01, 0xdead02, 0xdead03, 0xdead04 };
	w->l1_tfsr.tfsr_el2 = 0xdead05;
	vncr_page[VNCR_TFSR] = 0xdead06;
	for (int i = 0; i < n; i++) {
		ret = kvmmte_nested_vmm_set_reg(&w->vm.vm, &vc, ids[i], vals[i]);
		TT_CHECK_EQ(t, "kvmmte_nested_vmm_set_reg()", 0, ret);
	}
	if (vm_live(w))
		kvmmte_vcpu_load_at(KVMMTE_HOST_VHE, layout, &w->vm.ctxt);
	w->migrations++;
}

/* L0's host state for the next entry: fresh values in its own tag set. */
static void l0_set_own(struct tt *t, struct kvmmte_state *own)
{
	uint16_t allowed = (uint16_t)tt_rand(t) & L0_TAGS;

	*own = tt_random_state(t);
	own->gcr_el1 = ~(uint64_t)(allowed ? allowed : 0x2) & KVMMTE_GCR_EL1_EXCLUDE_MASK;
	tt_host_write(t, own);
}

/* The counts each level kept must agree with one another. */
static void check_counts(struct tt *t, struct nv_world *w)
{
	unsigned int probes = 0, undefs = 0;

	for (unsigned int i = 0; i < NV_L2S; i++) {
		TT_CHECK(t, w->l2[i].runs > 0, "guest %s never ran", w->l2[i].v.name);
		probes += w->l2[i].probes;
		undefs += w->l2[i].v.nr_undef;
	}
	TT_CHECK(t, probes > 0, "no MTE register probe ran");
	/* With MTE, every probing access of the guest without MTE traps, is reflected and answered by L1. */
	TT_CHECK_EQ(t, "traps of L2 reflected to L1", w->mte ? undefs : 0, w->l2_traps);
	TT_CHECK_EQ(t, "UNDEFs L1 injected (9 per probe)", w->mte ? GUEST_NR_PROBES * probes : 0, undefs);
	TT_CHECK(t, !w->mte || w->migrations > 0, "no migration happened");
	/* Without mte=on QEMU 10 keeps PSTATE.TCO at 0 (its MTE field 1 has no tag storage): MTE2 only. */
	if (w->mte)
		TT_CHECK_EQ(t, "L1's entries from L2 without PSTATE.TCO", 0, nv_l1_entries_without_tco);
}

static void nested(struct tt *t, enum kvmmte_host_mode l0_mode, enum kvmmte_host_mode form, bool lazy)
{
	struct nv_world *w = &nv_world;
	struct hv_host *h = t->h;
	const struct hv_entry *entries[8];
	struct kvmmte_state host_before, own, seen;
	unsigned int n, l0_failed = 0;
	bool vhe_form = form == KVMMTE_HOST_VHE;
	uint64_t mmfr2 = plat_read_sysreg(S3_0_C0_C7_2);	/* ID_AA64MMFR2_EL1 */
	int ret;

	TT_REQUIRE(t, ((mmfr2 >> 24) & 0xf) >= 2, "FEAT_NV2 expected: ID_AA64MMFR2_EL1.NV = %lu",
		   (unsigned long)((mmfr2 >> 24) & 0xf));
	memset(w, 0, sizeof(*w));
	nv_l1_entries_without_tco = 0;
	w->t = t;
	w->l0_mode = l0_mode;
	w->form = form;
	w->steps = (unsigned int)(t->switches ? t->switches : NV_STEPS);
	w->mte = h->cpu_mte2;
	w->lazy = lazy && w->mte;
	{
		char cmdline[256];

		w->name_tfsr_el2 = w->mte && plat_cmdline(cmdline, sizeof(cmdline)) >= 0 &&
				   plat_cmdline_u64(cmdline, "nv_tfsr_el2", 0);
	}
	w->asym = w->mte && h->caps.level >= KVMMTE_PFR1_MTE_MTE3;
	plat_prng_seed(&w->rng, tt_rand(t));

	hv_set_host_mode(h, l0_mode);
	/*
	 * The nested moves have no barrier of their own: L1's (or L2's)
	 * pending asynchronous faults reach TFSR_EL1 before L0 reads it only
	 * because the trap to EL2 synchronises them, with SCTLR_EL2.ITFSB set
	 * (kvmmte_sctlr_el2_bits()).  QEMU records faults at once, so only
	 * this inspection can see the bit missing.
	 */
	if (w->mte)
		TT_CHECK(t, plat_read_sysreg(S3_4_C1_C0_0) & KVMMTE_SCTLR_ITFSB,
			 "SCTLR_EL2.ITFSB clear: pending asynchronous faults would miss L0's TFSR move");
	if (w->mte)
		tt_host_read(t, &host_before);

	/* L2s: the harness's guests, set up as L1 would (memory shared: one image). */
	for (unsigned int i = 0; i < NV_L2S; i++) {
		static const char *const names[NV_L2S] = { "L2a", "L2b", "L2-nomte" };
		struct nv_l2 *g = &w->l2[i];

		hv_vcpu_init(h, &g->v, names[i], 1 + i, w->mte && l2_tags[i] != 0,
			     i == 1 ? HV_LAYOUT_SYSREGS : HV_LAYOUT_STATE, tt_rand(t));
		hv_vcpu_get_mte(&g->v, &g->expect);
		g->el1[VNCR_SCTLR] = g->v.el1.sctlr_el1;
		g->el1[VNCR_SP_EL1] = g->v.el1.sp_el1;
		/* Tag access asked for by the guest: only HCR_EL2.ATA stops it. */
		if (w->mte)
			g->v.mem->mb.sctlr |= KVMMTE_SCTLR_ATA;
	}

	/* The VM L1 runs in: an MTE VM (if the CPU can), L1 at its virtual EL2 under NV2. */
	hv_vcpu_init(h, &w->vm, "L1", 0, w->mte, HV_LAYOUT_STATE, tt_rand(t));
	if (w->lazy) {
		struct nv_l2 *g = &w->l2[0];

		hv_vcpu_make_lazy(h, &w->vm);	/* ATA clear until the first MTE access */
		/* A TFSR of its own the first guest must find through the VNCR page. */
		g->expect.tfsr_el1 = KVMMTE_TFSR_TF0_MASK;
		hv_vcpu_set_mte(&g->v, &g->expect);
	}
	ret = kvmmte_nested_vm_check(&w->vm.vm, KVMMTE_NESTED_NV2);
	TT_REQUIRE(t, ret == 0, "kvmmte_nested_vm_check(NV2) = %d", ret);

	/*
	 * L1's own stage 1 (of its virtual EL2).  Under NV1 the hardware reads
	 * it in the EL2 format, where bit 54 (UXN here) is the only XN bit: the
	 * RAM is mapped "EL0-executable" so that the non-VHE form can run.
	 */
	plat_s1_init(&l1_s1);
	TT_REQUIRE(t, !plat_s1_map(&l1_s1, 0, 1UL << 30, PLAT_MAP_DEVICE) &&
		   !plat_s1_map(&l1_s1, 1UL << 30, 1UL << 30, PLAT_MAP_TAGGED | PLAT_MAP_EL0_EXEC),
		   "L1's tables");
	w->vm.el1 = (struct plat_el1ctx){
		.sctlr_el1 = PLAT_SCTLR_EL1_MMU_ON | (!w->mte ? 0 : KVMMTE_SCTLR_ATA |
			     ((w->asym ? TCF_ASYM : TCF_ASYNC) << KVMMTE_SCTLR_TCF_SHIFT)),
		.cpacr_el1 = CPACR_FPEN,
		.ttbr0_el1 = plat_s1_ttbr0(&l1_s1),
		.tcr_el1 = PLAT_S1_TCR | TCR_TCMA0,
		.mair_el1 = PLAT_S1_MAIR,
		.vbar_el1 = (uintptr_t)nv_l1_vectors,
		.sp_el1 = (uintptr_t)l1_stack + sizeof(l1_stack),
	};
	w->vm.ctxt.pc = (uintptr_t)nv_l1_start;
	w->vm.ctxt.pstate = SPSR_EL1H_MASKED;
	w->vm.ctxt.x[0] = (uintptr_t)w;

	/* L1's virtual EL2 registers: HCR_EL2 (E2H: the VHE form), nothing else. */
	memset(vncr_page, 0, sizeof(vncr_page));
	vncr_page[VNCR_HCR] = KVMMTE_HCR_EL2_RW | (vhe_form ? KVMMTE_HCR_EL2_E2H : 0);
	plat_write_sysreg(S3_4_C2_C2_0, (uintptr_t)vncr_page);	/* VNCR_EL2 */

	hv_vcpu_load(h, &w->vm);
	w->vm.ctxt.hcr = l1_hcr(w);
	n = hv_entries_for(h, &w->vm, entries, 8);

	for (;;) {
		const struct hv_entry *e = entries[tt_below(t, n)];
		uint64_t code;
		int r;

		if (tt_below(t, 32) == 0)
			l0_migrate(w);
		if (w->mte)
			l0_set_own(t, &own);
		code = e->enter(&w->vm.ctxt, &h->ctxt);
		w->l0_exits++;
		if (w->mte)
			tt_host_read(t, &seen);
		if (w->mte && !TT_CHECK_STATE(t, "L0's own state across an exit of the VM", TT_STATE_ALL, &own, &seen))
			plat_printf("    ... exit %lu, entry %s, %s\n", w->l0_exits, e->name,
				    w->in_l2 ? "from L2" : "from L1");
		if (t->failures)
			break;
		if (w->in_l2) {
			if (code != HV_EXIT_SYNC) {
				tt_fail(t, __FILE__, __LINE__, "L2 exited through vector %lu (ESR_EL2 0x%lx PC 0x%lx)",
					(unsigned long)code, (unsigned long)w->vm.ctxt.esr,
					(unsigned long)w->vm.ctxt.pc);
				break;
			}
			if (ec_of(w->vm.ctxt.esr) == HV_EC_SYS64) {
				int owner = kvmmte_nested_trap_owner(&w->vm.vm, w->vm.ctxt.esr, vncr_page);

				/* L0's own only for the lazy VM before its first use: answer it, stay in L2. */
				if (owner == KVMMTE_NESTED_OWNER_L0 && w->lazy && !(vm_hcr(w) & KVMMTE_HCR_EL2_ATA)) {
					w->l2_lazy_traps++;
					if (!l0_lazy_trap(w, 0))
						break;
					continue;
				}
				/* An MTE register access L1 kept its guest from: L1's to answer. */
				TT_CHECK_EQ(t, "kvmmte_nested_trap_owner() of L2's trapped access",
					    KVMMTE_NESTED_OWNER_L1, owner);
				w->l2_traps++;
			}
			l0_nested_exit(w);
			continue;
		}
		r = l0_handle_l1(w, code);
		if (r) {
			l0_failed = r < 0;
			break;
		}
		if (w->l0_exits > 200000UL + 400UL * w->steps) {
			tt_fail(t, __FILE__, __LINE__, "L1 did not finish: %lu exits", w->l0_exits);
			break;
		}
	}
	hv_vcpu_put(h);
	plat_write_sysreg(S3_4_C2_C2_0, 0);
	if (w->mte)
		tt_host_write(t, &host_before);

	TT_CHECK_EQ(t, "L1's failed checks", 0, w->failures);
	TT_CHECK_EQ(t, "L0 stopped on an error", 0, l0_failed);
	TT_CHECK_EQ(t, "L1's steps", w->steps, w->step);
	TT_CHECK_EQ(t, "nested entries = nested exits", w->nested_entries, w->nested_exits);
	TT_CHECK_EQ(t, "ENABLE answers (once, for the lazy VM)", w->lazy ? 1 : 0, w->enables);
	check_counts(t, w);
	if (w->lazy)
		plat_printf("    lazy VM: enabled by L1's first MTE access (ESR_EL2 0x%lx) after %lu exits; %u accesses emulated\n",
			    (unsigned long)w->first_enable_esr, w->first_enable_exit, w->emulated);
	plat_printf("    L0 %s, L1 %s form: %u steps, %lu exits to L0, %lu nested entries and exits, "
		    "%lu ERETs of L1 to itself, %lu migrations, %lu traps of L2 reflected to L1; "
		    "L1: %u IRG checks, %u async and %u sync faults of its own\n",
		    tt_mode_name(l0_mode), tt_mode_name(form), w->step, w->l0_exits, w->nested_entries,
		    w->erets_to_self, w->migrations, w->l2_traps, w->own_irgs, w->own_async, w->own_sync);
	TT_CHECK_EQ(t, "ERETs of L1 to itself (one per synchronous fault of its own)", w->own_sync,
		    w->erets_to_self);
	for (unsigned int i = 0; i < NV_L2S; i++)
		plat_printf("    %s: %u runs, %u IRG checks, %u async and %u sync faults of its own, "
			    "%u MTE register probes (%u UNDEFs injected by L1)\n",
			    w->l2[i].v.name, w->l2[i].runs, w->l2[i].irgs, w->l2[i].async, w->l2[i].sync,
			    w->l2[i].probes, w->l2[i].v.nr_undef);
}

/* Both L0 host modes x both L1 forms, @steps each unless switches= says. */
static void nested_all_four(struct tt *t, uint64_t steps, bool lazy)
{
	if (!t->switches)
		t->switches = steps;
	for (unsigned int i = 0; i < 4; i++)
		nested(t, i & 2 ? KVMMTE_HOST_VHE : KVMMTE_HOST_NVHE,
		       i & 1 ? KVMMTE_HOST_VHE : KVMMTE_HOST_NVHE, lazy);
}

/* Every combination on a CPU without MTE2: nothing of MTE moves, nothing breaks. */
TT_CASE(nested_nv2_without_mte, TT_NEEDS_NO_MTE2 | TT_NEEDS_NV2)
{
	nested_all_four(t, 250, false);
}

TT_CASE(nested_nv2_l0_nvhe_l1_vhe_form, TT_NEEDS_MTE2 | TT_NEEDS_NV2)
{
	nested(t, KVMMTE_HOST_NVHE, KVMMTE_HOST_VHE, false);
}

TT_CASE(nested_nv2_l0_nvhe_l1_nvhe_form, TT_NEEDS_MTE2 | TT_NEEDS_NV2)
{
	nested(t, KVMMTE_HOST_NVHE, KVMMTE_HOST_NVHE, false);
}

TT_CASE(nested_nv2_l0_vhe_l1_vhe_form, TT_NEEDS_MTE2 | TT_NEEDS_NV2)
{
	nested(t, KVMMTE_HOST_VHE, KVMMTE_HOST_VHE, false);
}

TT_CASE(nested_nv2_l0_vhe_l1_nvhe_form, TT_NEEDS_MTE2 | TT_NEEDS_NV2)
{
	nested(t, KVMMTE_HOST_VHE, KVMMTE_HOST_NVHE, false);
}

/*
 * L0 runs the VM with KVMMTE_VM_LAZY: HCR_EL2.ATA clear until the first
 * MTE register access, which traps from L1 at its virtual EL2 (NV2 flags)
 * and is answered ENABLE, then everything as above.  The VM's TFSR is in
 * its context until then, even under VHE: the _at forms.
 */
TT_CASE(nested_nv2_lazy_l0, TT_NEEDS_MTE2 | TT_NEEDS_NV2)
{
	nested_all_four(t, 300, true);
}
