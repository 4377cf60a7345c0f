/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The harness's tiny hypervisor: contexts, vcpus, entry paths.
 *
 * It is built the way a real one is.  A world's CPU context (struct
 * hv_ctxt, KVM's kvm_cpu_context) holds its general-purpose registers and
 * its MTE state twice over, in the two layouts the switch macros are
 * driven with:
 *
 *   mte         the library's struct kvmmte_state (default macro offsets)
 *   sys_regs[]  a KVM-style register file deep inside the context, in an
 *               order of our own (GCR before RGSR, a gap between them), so
 *               the macros get rgsr=/gcr=/tfsr= offsets and must use
 *               ldr/str instead of ldp/stp
 *
 * A vcpu uses one of the two for its whole life (hv_vcpu.layout); the
 * other stays poisoned, and tests check it never changes.  Assembly takes
 * every offset from the generated hv-offsets.h (offsets.c).
 *
 * entry.S defines one entry path per variant (host mode x per-CPU gate x
 * layout); hv_entries[] lists them.  The exit vector is shared.  Two more
 * paths are C, as in a hypervisor whose entry path is C: they switch with
 * the library's out-of-line functions (asm/switch.S) around entry.S's
 * hv_enter_gprs, which moves only general-purpose registers.
 */
#ifndef TT_HV_H
#define TT_HV_H

#include <kvmmte/kvmmte.h>
#include <kvmmte/vm.h>
#include "platform.h"
#include "el1ctx.h"
#include "hv-abi.h"

/*
 * A KVM-style sys_regs[] array: 250 registers, the four MTE ones spread
 * out as in a real hypervisor's context (not adjacent, GCR not RGSR + 8,
 * TFSRE0 before TFSR, byte offsets past 1 KiB in struct hv_ctxt, so the
 * macros use ldr/str).  Every other slot is a neighbour that must never
 * change.  Assembly takes the layout as KVMMTE_LAYOUT_ARGS(hv_sysregs)
 * (offsets.c), C as hv_layouts[HV_LAYOUT_SYSREGS] (hv.c): the same fields,
 * no copies.
 */
enum hv_sysreg {
	HV_RGSR_EL1 = 150,
	HV_GCR_EL1 = 163,
	HV_TFSRE0_EL1 = 178,
	HV_TFSR_EL1 = 181,
	HV_NR_SYSREGS = 250,
};

/* Is sys_regs[@i] one of the four MTE slots? */
static inline bool hv_is_mte_sysreg(unsigned int i)
{
	return i == HV_RGSR_EL1 || i == HV_GCR_EL1 || i == HV_TFSR_EL1 || i == HV_TFSRE0_EL1;
}

struct hv_ctxt {
	uint64_t x[31];		/* guest: x0..x30; host: callee-saved at entry */
	uint64_t pc, pstate;	/* guest: ELR_EL2/SPSR_EL2 of the next entry */
	uint64_t hcr;		/* guest: HCR_EL2 while it runs */
	uint64_t exit_code;	/* HV_EXIT_* of the last exit */
	uint64_t esr, far;	/* ESR_EL2/FAR_EL2 of the last exit */
	struct kvmmte_state mte;	/* layout HV_LAYOUT_STATE */
	uint64_t other_state[64];	/* what a real context has in between */
	uint64_t sys_regs[HV_NR_SYSREGS];	/* layout HV_LAYOUT_SYSREGS */
};

enum hv_layout { HV_LAYOUT_STATE, HV_LAYOUT_SYSREGS };

/* Where each layout keeps the four registers in struct hv_ctxt, for the library's _at routines. */
extern const struct kvmmte_layout hv_layouts[2];

/* One entry path: entry.S's macros, or C with the out-of-line functions. */
struct hv_entry {
	const char *name;
	enum kvmmte_host_mode mode;
	enum hv_layout layout;
	const char *gate;	/* "patch" or "idreg" */
	bool hcr_passed;	/* macro given hcr= (else it reads HCR_EL2) */
	bool out_of_line;	/* C path: kvmmte_switch_to_{guest,host}_<mode>() */
	uint64_t (*enter)(struct hv_ctxt *guest, struct hv_ctxt *host);
};

extern const struct hv_entry hv_entries[];
extern const unsigned int hv_nr_entries;
/* Patchable gates entry.S emits (2 per gate=patch path, to_guest first). */
extern const unsigned int hv_nr_patch_gates;

/*
 * The library's out-of-line switch functions the C paths call, so the
 * image links them: one gate=patch site each, at its first instruction.
 */
struct hv_switch_fn {
	const char *name;
	void (*fn)(struct kvmmte_state *guest, struct kvmmte_state *host);
	bool to_host;		/* exit direction: must end with an ISB */
};

extern const struct hv_switch_fn hv_switch_fns[];
extern const unsigned int hv_nr_switch_fns;
/* KVMMTE_PFR1_MTE2_TEST_MASK, the constant gate=idreg uses (asm-only header). */
extern const uint64_t hv_idreg_gate_mask;
extern const uint64_t hv_idreg_async_mask;

/* Where hv_run() leaves a guest. */
enum hv_result {
	HV_OK,		/* the guest made HVC #HV_HVC_DONE */
	HV_HUNG,	/* watchdog: no exit in time */
	HV_CRASHED,	/* guest reported an unexpected exception, or a bad exit */
};

struct guest_mem;

#define HV_MAX_UNDEF	16

struct hv_vcpu {
	struct hv_ctxt ctxt;
	struct plat_el1ctx el1;
	const char *name;
	unsigned int index;	/* guest memory slot; VMID index + 1 */
	bool mte;		/* VM has MTE (HCR_EL2.ATA set by the library, or lazily) */
	enum hv_layout layout;
	struct guest_mem *mem;
	struct kvmmte_vm_config vm;
	uint64_t hcr_base;	/* HCR_EL2 without the host mode's E2H */
	/* Exits answered with an injected UNDEF: how many, their ESR_EL2. */
	unsigned int nr_undef;
	uint64_t undef_esr[HV_MAX_UNDEF];
	/* Trapped MSR/MRS exits (EC 0x18): how many, the last one's ESR_EL2. */
	unsigned int nr_sysreg_traps;
	uint64_t last_sysreg_esr;
	/* KVMMTE_TRAP_ENABLE answers acted on (a KVMMTE_VM_LAZY VM's first use). */
	unsigned int nr_enable;
};

struct hv_host {
	struct hv_ctxt ctxt;	/* per-entry state: both layouts, asm only */
	struct kvmmte_state lazy;	/* kvmmte_vcpu_load/put's @host (unused by the split) */
	enum kvmmte_host_mode mode;
	struct hv_vcpu *loaded;	/* between hv_vcpu_load and hv_vcpu_put */
	struct kvmmte_caps caps;
	bool cpu_mte2;		/* the CPU implements FEAT_MTE2 */
	uint64_t watchdog_ms;	/* per entry */
	uint64_t nr_entries;	/* guest entries so far */
	char why[200];		/* why the last hv_run() failed */
};

/*
 * Bits every guest's HCR_EL2 has: RW (AArch64 EL1), FMO/IMO/AMO (physical
 * interrupts go to EL2: the watchdog), TSC (SMC traps to EL2 instead of
 * reaching QEMU's PSCI).  kvmmte_vm_hcr_el2() adds the MTE bits, the host
 * mode E2H.
 */
#define HV_HCR_GUEST	(KVMMTE_HCR_EL2_RW | (1UL << 3) | (1UL << 4) | (1UL << 5) | (1UL << 19))

/*
 * hv_host_init() - install the vectors, GIC and watchdog, nVHE mode.
 * @watchdog_ms: how long one guest entry may run before it counts as hung.
 */
void hv_host_init(struct hv_host *h, uint64_t watchdog_ms);

/*
 * hv_set_host_mode() - switch EL2 between nVHE (E2H = 0) and VHE (E2H = 1,
 * TGE = 0) and set SCTLR_EL2 for it: MMU off, ATA (IRG at EL2 works) and
 * ITFSB.  Only with no vcpu loaded.
 */
void hv_set_host_mode(struct hv_host *h, enum kvmmte_host_mode mode);

/* Entry paths that match the host's mode and the vcpu's layout. */
unsigned int hv_entries_for(const struct hv_host *h, const struct hv_vcpu *v,
			    const struct hv_entry **out, unsigned int max);

/*
 * hv_vcpu_init() - a vcpu in guest memory slot @index, running guest_start
 * with its own stage-1 tables.  Its MTE state starts at 0 (an MTE VM) or
 * poisoned from @poison (a VM without MTE: nothing may ever write it); the
 * layout it does not use and the sys_regs[] neighbours are poisoned too.
 * The first hv_run() boots it: vectors, MMU on, tags of its pages cleared.
 */
void hv_vcpu_init(struct hv_host *h, struct hv_vcpu *v, const char *name,
		  unsigned int index, bool mte, enum hv_layout layout, uint64_t poison);

/*
 * hv_vcpu_make_lazy() - after hv_vcpu_init() of an MTE VM, before its next
 * load: configure the VM with KVMMTE_VM_LAZY.  Its HCR_EL2.ATA is then
 * clear (kvmmte_vm_hcr_el2()) and its state stays in memory until its first
 * MTE register access traps and the library answers KVMMTE_TRAP_ENABLE:
 * hv_run() then sets ATA, loads the state (kvmmte_vcpu_load()) and retries
 * the instruction.
 */
void hv_vcpu_make_lazy(struct hv_host *h, struct hv_vcpu *v);

/* The vcpu's MTE state as the library's struct, whatever its layout. */
void hv_vcpu_get_mte(const struct hv_vcpu *v, struct kvmmte_state *s);
/* The same on any context (the host's too) in layout @layout. */
void hv_ctxt_get_mte(const struct hv_ctxt *c, enum hv_layout layout, struct kvmmte_state *s);
void hv_ctxt_set_mte(struct hv_ctxt *c, enum hv_layout layout, const struct kvmmte_state *s);
void hv_vcpu_set_mte(struct hv_vcpu *v, const struct kvmmte_state *s);

/*
 * vcpu load/put: EL1 context, VMID, and kvmmte_vcpu_load/put for an MTE VM
 * whose state is live in hardware (HCR_EL2.ATA set: not a lazy VM before
 * its first use, nor one whose accesses are all emulated).
 */
void hv_vcpu_load(struct hv_host *h, struct hv_vcpu *v);
void hv_vcpu_put(struct hv_host *h);

/*
 * hv_run() - enter @v through @e until it makes HVC #HV_HVC_DONE.  Trapped
 * MTE register accesses go to kvmmte_handle_sysreg_trap() on the way:
 * EMULATED skips the instruction, UNDEF is injected, ENABLE (a lazy VM's
 * first use) sets HCR_EL2.ATA for @v, loads its state and retries the
 * instruction.  @v must be loaded.  On HV_HUNG/HV_CRASHED, h->why names
 * the guest and the syndrome.
 */
enum hv_result hv_run(struct hv_host *h, struct hv_vcpu *v, const struct hv_entry *e);

/* Guest EL1 registers while the guest is loaded: EL1 names, or EL12 under VHE. */
#define GUEST_EL1_READ(vhe, el1, el12)	((vhe) ? plat_read_sysreg(el12) : plat_read_sysreg(el1))
#define GUEST_EL1_WRITE(vhe, el1, el12, v)					\
	do {									\
		if (vhe)							\
			plat_write_sysreg(el12, v);				\
		else								\
			plat_write_sysreg(el1, v);				\
	} while (0)

/*
 * hv_inject_undef() - make @v take an UNDEFINED instruction exception at
 * its EL1 (kvmmte_undef_prepare()): its ESR/ELR/SPSR_EL1 written, by the
 * _EL12 names when the hypervisor's @mode is VHE, its PC and PSTATE set
 * to the vector; counted in @v->nr_undef, the ESR_EL2 it answers kept.
 * @v's EL1 registers must be live (loaded).  0, or the library's error.
 * Also what case-nested-nv2.c's guest hypervisor uses at its virtual EL2.
 */
int hv_inject_undef(enum kvmmte_host_mode mode, struct hv_vcpu *v);

/* ESR_EL2 of a trapped MSR/MRS (ISS encoding, Arm ARM D17.2.37). */
#define HV_ESR_SYS64(op0, op1, crn, crm, op2, rt, read)				\
	((uint64_t)HV_EC_SYS64 << HV_ESR_EC_SHIFT | HV_ESR_IL |			\
	 (uint64_t)(op0) << 20 | (uint64_t)(op2) << 17 | (uint64_t)(op1) << 14 |	\
	 (uint64_t)(crn) << 10 | (uint64_t)(rt) << 5 | (uint64_t)(crm) << 1 | (read))

#endif /* TT_HV_H */
