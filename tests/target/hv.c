// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The harness hypervisor (hv.h): host mode, vcpus, load/put, the run loop
 * and its exit handling.  Trapped MTE register accesses go to libkvmmte's
 * kvmmte_handle_sysreg_trap(); an UNDEF answer is injected with the values
 * of kvmmte_undef_prepare(), an ENABLE answer turns a lazy VM's MTE on.
 */
#include <kvmmte/emulate.h>
#include "hv.h"
#include "guest.h"
#include "mmu.h"
#include "gic.h"

#define DECLARE_ENTRY(n) uint64_t hv_enter_##n(struct hv_ctxt *, struct hv_ctxt *);
DECLARE_ENTRY(nvhe_patch)
DECLARE_ENTRY(vhe_patch)
DECLARE_ENTRY(nvhe_idreg)
DECLARE_ENTRY(vhe_idreg)
DECLARE_ENTRY(nvhe_sysregs)
DECLARE_ENTRY(vhe_sysregs)
DECLARE_ENTRY(gprs)

/*
 * The C-entry paths, written as a hypervisor whose entry path is C writes
 * them: the guest's HCR_EL2 first (the out-of-line functions read its ATA
 * bit, the per-VM gate), the MTE switch, the general-purpose register
 * switch and ERET (entry.S), and the reverse on the way out.  The to_host
 * function ends with an ISB, so the C code after it generates tags with
 * the host's GCR/RGSR.  The struct kvmmte_state layout only.  One body for
 * both host modes; inlined, so each mode's entry calls its pair directly.
 */
static inline __attribute__((always_inline)) uint64_t
hv_enter_c(struct hv_ctxt *guest, struct hv_ctxt *host,
	   void (*to_guest)(struct kvmmte_state *, struct kvmmte_state *),
	   void (*to_host)(struct kvmmte_state *, struct kvmmte_state *))
{
	uint64_t code;

	plat_write_sysreg(S3_4_C1_C1_0, guest->hcr);	/* HCR_EL2 */
	to_guest(&guest->mte, &host->mte);
	code = hv_enter_gprs(guest, host);
	to_host(&guest->mte, &host->mte);
	return code;
}

static uint64_t hv_enter_nvhe_c(struct hv_ctxt *guest, struct hv_ctxt *host)
{
	return hv_enter_c(guest, host, kvmmte_switch_to_guest_nvhe, kvmmte_switch_to_host_nvhe);
}

static uint64_t hv_enter_vhe_c(struct hv_ctxt *guest, struct hv_ctxt *host)
{
	return hv_enter_c(guest, host, kvmmte_switch_to_guest_vhe, kvmmte_switch_to_host_vhe);
}

#define NVHE	KVMMTE_HOST_NVHE
#define VHE	KVMMTE_HOST_VHE
#define STATE	HV_LAYOUT_STATE
#define SYSREGS	HV_LAYOUT_SYSREGS
const struct hv_entry hv_entries[] = {
	/* name           mode  layout   gate     hcr=   C      */
	{ "nvhe_patch",   NVHE, STATE,   "patch", true,  false, hv_enter_nvhe_patch },
	{ "vhe_patch",    VHE,  STATE,   "patch", true,  false, hv_enter_vhe_patch },
	{ "nvhe_idreg",   NVHE, STATE,   "idreg", true,  false, hv_enter_nvhe_idreg },
	{ "vhe_idreg",    VHE,  STATE,   "idreg", true,  false, hv_enter_vhe_idreg },
	{ "nvhe_sysregs", NVHE, SYSREGS, "patch", false, false, hv_enter_nvhe_sysregs },
	{ "vhe_sysregs",  VHE,  SYSREGS, "patch", false, false, hv_enter_vhe_sysregs },
	{ "nvhe_c",       NVHE, STATE,   "patch", false, true,  hv_enter_nvhe_c },
	{ "vhe_c",        VHE,  STATE,   "patch", false, true,  hv_enter_vhe_c },
};
const unsigned int hv_nr_entries = sizeof(hv_entries) / sizeof(hv_entries[0]);

const struct hv_switch_fn hv_switch_fns[] = {
	{ "kvmmte_switch_to_guest_nvhe", kvmmte_switch_to_guest_nvhe, false },
	{ "kvmmte_switch_to_host_nvhe",  kvmmte_switch_to_host_nvhe,  true },
	{ "kvmmte_switch_to_guest_vhe",  kvmmte_switch_to_guest_vhe,  false },
	{ "kvmmte_switch_to_host_vhe",   kvmmte_switch_to_host_vhe,   true },
};
const unsigned int hv_nr_switch_fns = sizeof(hv_switch_fns) / sizeof(hv_switch_fns[0]);

/* entry.S relies on these pairs for ldp/stp. */
_Static_assert(offsetof(struct hv_ctxt, pstate) == offsetof(struct hv_ctxt, pc) + 8, "pc, pstate");
_Static_assert(offsetof(struct hv_ctxt, far) == offsetof(struct hv_ctxt, esr) + 8, "esr, far");

extern char hv_vectors[];

#define SPSR_EL1H_MASKED	0x3c5UL		/* EL1h, D A I F set */
#define SCTLR_EL2_RES1_NVHE	0x30c50830UL	/* E2H = 0 layout */
#define SCTLR_EL2_RES1_VHE	0x30d00800UL	/* E2H = 1: the SCTLR_EL1 layout */
#define SCTLR_I			(1UL << 12)
#define SCTLR_EL1_RES1		0x30d00800UL

void hv_host_init(struct hv_host *h, uint64_t watchdog_ms)
{
	memset(h, 0, sizeof(*h));
	kvmmte_cpu_caps(&h->caps);
	h->cpu_mte2 = h->caps.level >= KVMMTE_PFR1_MTE_MTE2;
	h->watchdog_ms = watchdog_ms;
	plat_write_sysreg(S3_4_C12_C0_0, (uintptr_t)hv_vectors);	/* VBAR_EL2 */
	/* The distributor once, from the boot CPU; each CPU its banked part. */
	if (plat_cpu_index() == 0)
		plat_gic_init();
	else
		plat_gic_init_cpu();
	plat_gic_enable(PLAT_INTID_EL2_PTIMER);
	plat_el2_timer_disarm();
	hv_set_host_mode(h, KVMMTE_HOST_NVHE);
}

void hv_set_host_mode(struct hv_host *h, enum kvmmte_host_mode mode)
{
	bool vhe = mode == KVMMTE_HOST_VHE;
	uint64_t sctlr = (vhe ? SCTLR_EL2_RES1_VHE : SCTLR_EL2_RES1_NVHE) | SCTLR_I;

	/* IRG at EL2 needs SCTLR_EL2.ATA; RES0 without MTE2. */
	if (h->cpu_mte2)
		sctlr |= KVMMTE_SCTLR_ATA;
	sctlr |= kvmmte_sctlr_el2_bits(&h->caps);
	plat_write_sysreg(S3_4_C1_C1_0, KVMMTE_HCR_EL2_RW | (vhe ? KVMMTE_HCR_EL2_E2H : 0));
	plat_isb();
	plat_write_sysreg(S3_4_C1_C0_0, sctlr);
	plat_isb();
	h->mode = mode;
}

unsigned int hv_entries_for(const struct hv_host *h, const struct hv_vcpu *v,
			    const struct hv_entry **out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < hv_nr_entries && n < max; i++)
		if (hv_entries[i].mode == h->mode && hv_entries[i].layout == v->layout)
			out[n++] = &hv_entries[i];
	return n;
}

static void map_or_die(struct plat_s1 *t, uint64_t addr, uint64_t size, unsigned int flags)
{
	if (plat_s1_map(t, addr, size, flags)) {
		plat_printf("hv: cannot map 0x%lx+0x%lx\n", addr, size);
		plat_exit(4);
	}
}

void hv_vcpu_init(struct hv_host *h, struct hv_vcpu *v, const char *name,
		  unsigned int index, bool mte, enum hv_layout layout, uint64_t poison)
{
	struct guest_mem *m = guest_mem_slot(index);
	uint64_t base = (uintptr_t)m;

	if ((uintptr_t)plat_image_end > GUEST_MEM_BASE || index >= GUEST_MAX) {
		plat_printf("hv: image overlaps guest memory, or guest slot %u\n", index);
		plat_exit(4);
	}
	memset(v, 0, sizeof(*v));
	memset(m, 0, sizeof(*m));
	memset(guest_el0_slot(index), 0, sizeof(struct guest_el0_mem));
	v->name = name;
	v->index = index;
	v->mte = mte;
	v->layout = layout;
	v->mem = m;

	/* Its own stage 1: devices, the image (EL0 may only execute it), its RAM. */
	plat_s1_init(&m->s1);
	map_or_die(&m->s1, 0, 1UL << 30, PLAT_MAP_DEVICE);
	map_or_die(&m->s1, PLAT_RAM_BASE, GUEST_EL0_OFFSET, PLAT_MAP_TAGGED | PLAT_MAP_EL0_EXEC);
	map_or_die(&m->s1, base, GUEST_EL0_OFFSET, PLAT_MAP_TAGGED | PLAT_MAP_NOEXEC);
	map_or_die(&m->s1, base + GUEST_EL0_OFFSET, GUEST_EL0_OFFSET,
		   PLAT_MAP_TAGGED | PLAT_MAP_EL0 | PLAT_MAP_NOEXEC);
	m->mb.ttbr0 = plat_s1_ttbr0(&m->s1);
	m->mb.tcr = PLAT_S1_TCR;
	m->mb.mair = PLAT_S1_MAIR;
	m->mb.sctlr = PLAT_SCTLR_EL1_MMU_ON | (mte ? KVMMTE_SCTLR_ATA | KVMMTE_SCTLR_ATA0 : 0);

	/* The VM's MTE configuration and the HCR_EL2 bits the library derives. */
	if (kvmmte_vm_config_init(&v->vm, &h->caps, mte ? h->caps.level : 0, 0)) {
		plat_printf("hv: VM config for %s failed\n", name);
		plat_exit(4);
	}
	v->hcr_base = HV_HCR_GUEST;
	kvmmte_vm_hcr_el2(&v->vm, &h->caps, &v->hcr_base);

	v->ctxt.pc = (uintptr_t)guest_start;
	v->ctxt.pstate = SPSR_EL1H_MASKED;
	v->ctxt.x[0] = base;
	v->el1.sctlr_el1 = SCTLR_EL1_RES1;		/* MMU off: the guest turns it on */
	v->el1.sp_el1 = (uintptr_t)m->stack + sizeof(m->stack);

	/* Both layouts poisoned; an MTE VM's own starts at reset values. */
	for (unsigned int i = 0; i < HV_NR_SYSREGS; i++)
		v->ctxt.sys_regs[i] = poison ^ (0x1111111111111111UL * (i + 1));
	v->ctxt.mte = (struct kvmmte_state){ poison ^ 0xa, poison ^ 0xb, poison ^ 0xc, poison ^ 0xd };
	/* The library's reset on the vcpu's own layout: a fixed pattern, both layouts' neighbours kept. */
	if (mte && kvmmte_vcpu_reset_at(&v->vm, &hv_layouts[layout], &v->ctxt)) {
		plat_printf("hv: kvmmte_vcpu_reset_at() for %s failed\n", name);
		plat_exit(4);
	}
}

void hv_vcpu_make_lazy(struct hv_host *h, struct hv_vcpu *v)
{
	if (!v->mte || h->loaded == v ||
	    kvmmte_vm_config_init(&v->vm, &h->caps, v->vm.mte_level, v->vm.flags | KVMMTE_VM_LAZY)) {
		plat_printf("hv: %s can not become a lazy MTE VM\n", v->name);
		plat_exit(4);
	}
	v->hcr_base = HV_HCR_GUEST;
	kvmmte_vm_hcr_el2(&v->vm, &h->caps, &v->hcr_base);
}

const struct kvmmte_layout hv_layouts[2] = {
	[HV_LAYOUT_STATE] = KVMMTE_LAYOUT_INIT(struct hv_ctxt, mte.rgsr_el1, mte.gcr_el1,
					       mte.tfsr_el1, mte.tfsre0_el1),
	[HV_LAYOUT_SYSREGS] = KVMMTE_LAYOUT_INIT(struct hv_ctxt, sys_regs[HV_RGSR_EL1],
						 sys_regs[HV_GCR_EL1], sys_regs[HV_TFSR_EL1],
						 sys_regs[HV_TFSRE0_EL1]),
};

/* The VM has MTE on (ATA set): its MTE registers switch with it. */
static bool mte_live(const struct hv_vcpu *v)
{
	return v->mte && (v->hcr_base & KVMMTE_HCR_EL2_ATA);
}

void hv_ctxt_get_mte(const struct hv_ctxt *c, enum hv_layout layout, struct kvmmte_state *s)
{
	if (layout == HV_LAYOUT_STATE) {
		*s = c->mte;
		return;
	}
	s->rgsr_el1 = c->sys_regs[HV_RGSR_EL1];
	s->gcr_el1 = c->sys_regs[HV_GCR_EL1];
	s->tfsr_el1 = c->sys_regs[HV_TFSR_EL1];
	s->tfsre0_el1 = c->sys_regs[HV_TFSRE0_EL1];
}

void hv_vcpu_get_mte(const struct hv_vcpu *v, struct kvmmte_state *s)
{
	hv_ctxt_get_mte(&v->ctxt, v->layout, s);
}

void hv_ctxt_set_mte(struct hv_ctxt *c, enum hv_layout layout, const struct kvmmte_state *s)
{
	if (layout == HV_LAYOUT_STATE) {
		c->mte = *s;
		return;
	}
	c->sys_regs[HV_RGSR_EL1] = s->rgsr_el1;
	c->sys_regs[HV_GCR_EL1] = s->gcr_el1;
	c->sys_regs[HV_TFSR_EL1] = s->tfsr_el1;
	c->sys_regs[HV_TFSRE0_EL1] = s->tfsre0_el1;
}

void hv_vcpu_set_mte(struct hv_vcpu *v, const struct kvmmte_state *s)
{
	hv_ctxt_set_mte(&v->ctxt, v->layout, s);
}

void hv_vcpu_load(struct hv_host *h, struct hv_vcpu *v)
{
	bool vhe = h->mode == KVMMTE_HOST_VHE;

	v->ctxt.hcr = v->hcr_base | (vhe ? KVMMTE_HCR_EL2_E2H : 0);
	/* A VMID per guest: their EL1&0 translations must not be shared. */
	plat_write_sysreg(S3_4_C2_C1_0, (uint64_t)(v->index + 1) << 48);	/* VTTBR_EL2 */
	plat_el1ctx_restore(&v->el1, vhe);
	/* Straight on the vcpu's own layout: no copy in, no copy out. */
	if (mte_live(v))
		kvmmte_vcpu_load_at(h->mode, &hv_layouts[v->layout], &v->ctxt);
	h->loaded = v;
}

void hv_vcpu_put(struct hv_host *h)
{
	struct hv_vcpu *v = h->loaded;
	bool vhe = h->mode == KVMMTE_HOST_VHE;

	if (!v)
		return;
	if (mte_live(v))
		kvmmte_vcpu_put_at(h->mode, &hv_layouts[v->layout], &v->ctxt);
	plat_el1ctx_save(&v->el1, vhe);
	h->loaded = NULL;
}

int hv_inject_undef(enum kvmmte_host_mode mode, struct hv_vcpu *v)
{
	bool vhe = mode == KVMMTE_HOST_VHE;
	struct kvmmte_guest_exception x;
	uint64_t vbar = GUEST_EL1_READ(vhe, S3_0_C12_C0_0, S3_5_C12_C0_0);
	uint64_t sctlr = GUEST_EL1_READ(vhe, S3_0_C1_C0_0, S3_5_C1_C0_0);
	int ret = kvmmte_undef_prepare(&v->vm, v->ctxt.pc, v->ctxt.pstate, vbar, sctlr, &x);

	if (ret)
		return ret;
	GUEST_EL1_WRITE(vhe, S3_0_C5_C2_0, S3_5_C5_C2_0, x.esr_el1);
	GUEST_EL1_WRITE(vhe, S3_0_C4_C0_1, S3_5_C4_C0_1, x.elr_el1);
	GUEST_EL1_WRITE(vhe, S3_0_C4_C0_0, S3_5_C4_C0_0, x.spsr_el1);
	v->ctxt.pc = x.elr_el2;
	v->ctxt.pstate = x.spsr_el2;
	if (v->nr_undef < HV_MAX_UNDEF)
		v->undef_esr[v->nr_undef] = v->ctxt.esr;
	v->nr_undef++;
	return 0;
}

static enum hv_result fail(struct hv_host *h, enum hv_result r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum hv_result fail(struct hv_host *h, enum hv_result r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	plat_vsnprintf(h->why, sizeof(h->why), fmt, ap);
	va_end(ap);
	return r;
}

#define HV_CONTINUE	(-1)

/*
 * A lazy VM's first MTE register access: from now on its state is live.
 * HCR_EL2.ATA for this vcpu (its next entry runs with it, and the per-entry
 * switch, gated on ATA, moves RGSR/GCR/TFSRE0/TFSR from then on), the load/put
 * half now, and the PC left alone: the access re-executes without trapping.
 */
static int enable_lazy(struct hv_host *h, struct hv_vcpu *v)
{
	if (!v->mte || mte_live(v))
		return fail(h, HV_CRASHED, "guest %s: ENABLE for a VM %s", v->name,
			    v->mte ? "whose MTE is on already" : "without MTE");
	v->hcr_base |= KVMMTE_HCR_EL2_ATA;
	v->ctxt.hcr |= KVMMTE_HCR_EL2_ATA;
	kvmmte_vcpu_load_at(h->mode, &hv_layouts[v->layout], &v->ctxt);
	v->nr_enable++;
	return HV_CONTINUE;
}

static int handle_sync(struct hv_host *h, struct hv_vcpu *v)
{
	uint64_t esr = v->ctxt.esr;
	unsigned int ec = (unsigned int)(esr >> HV_ESR_EC_SHIFT);
	int r;

	switch (ec) {
	case HV_EC_HVC64:
		if ((esr & 0xffff) == HV_HVC_DONE)
			return HV_OK;
		if ((esr & 0xffff) == HV_HVC_CRASH)
			return fail(h, HV_CRASHED, "guest %s crashed: ESR_EL1 0x%08lx ELR_EL1 0x%lx FAR_EL1 0x%lx",
				    v->name, v->ctxt.x[1], v->ctxt.x[2], v->ctxt.x[3]);
		break;
	case HV_EC_SYS64:
		v->nr_sysreg_traps++;
		v->last_sysreg_esr = esr;
		r = kvmmte_handle_sysreg_trap_at(&v->vm, esr, 0, &hv_layouts[v->layout],
						 &v->ctxt, v->ctxt.x);
		if (r == KVMMTE_TRAP_UNDEF && !hv_inject_undef(h->mode, v))
			return HV_CONTINUE;
		if (r == KVMMTE_TRAP_EMULATED) {
			kvmmte_skip_trapped_insn(&v->ctxt.pc, &v->ctxt.pstate);
			return HV_CONTINUE;
		}
		if (r == KVMMTE_TRAP_ENABLE)
			return enable_lazy(h, v);
		return fail(h, HV_CRASHED, "guest %s: trapped access ESR_EL2 0x%08lx at ELR_EL2 0x%lx not handled (%d)",
			    v->name, esr, v->ctxt.pc, r);
	case HV_EC_SMC64:
		/* No firmware behind this hypervisor: SMC is UNDEFINED for guests. */
		if (!hv_inject_undef(h->mode, v))
			return HV_CONTINUE;
		break;
	}
	return fail(h, HV_CRASHED, "guest %s: unexpected exit ESR_EL2 0x%08lx (EC 0x%02x) ELR_EL2 0x%lx FAR_EL2 0x%lx",
		    v->name, esr, ec, v->ctxt.pc, v->ctxt.far);
}

enum hv_result hv_run(struct hv_host *h, struct hv_vcpu *v, const struct hv_entry *e)
{
	uint64_t budget = plat_counter_freq() / 1000 * h->watchdog_ms;

	if (h->loaded != v || e->mode != h->mode)
		return fail(h, HV_CRASHED, "hv_run: %s not loaded or entry %s in the wrong mode",
			    v->name, e->name);
	for (;;) {
		uint64_t code;
		unsigned int intid;
		int r;

		bool fired;

		plat_el2_timer_arm(budget);
		code = e->enter(&v->ctxt, &h->ctxt);
		/* Sample first: disarming drops the (level) interrupt at the GIC. */
		fired = plat_el2_timer_pending();
		plat_el2_timer_disarm();
		h->nr_entries++;

		switch (code) {
		case HV_EXIT_SYNC:
			r = handle_sync(h, v);
			if (r != HV_CONTINUE)
				return (enum hv_result)r;
			continue;
		case HV_EXIT_IRQ:
			intid = plat_gic_ack();
			if (intid != PLAT_INTID_SPURIOUS)
				plat_gic_eoi(intid);
			if (fired)
				return fail(h, HV_HUNG, "guest %s hung: no exit within %lu ms, stopped at ELR_EL2 0x%lx "
					    "SPSR_EL2 0x%lx (ESR_EL2 0x%08lx FAR_EL2 0x%lx)", v->name,
					    (unsigned long)h->watchdog_ms, v->ctxt.pc, v->ctxt.pstate,
					    v->ctxt.esr, v->ctxt.far);
			continue;
		default:
			return fail(h, HV_CRASHED, "guest %s: exit through vector %lu, ESR_EL2 0x%08lx ELR_EL2 0x%lx FAR_EL2 0x%lx",
				    v->name, (unsigned long)code, v->ctxt.esr, v->ctxt.pc, v->ctxt.far);
		}
	}
}
