// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Test guest, running at EL1 under the harness (see guest.h).
 *
 * Built with -march=armv8.5-a+memtag: it uses IRG/STG for real, and the
 * MTE registers by name.  It only touches its own memory (its struct
 * guest_mem and EL0 block) and the image's code and read-only data.
 */
#include <stdbool.h>
#include <kvmmte/sysreg.h>
#include "hv-abi.h"
#include "guest.h"

/* guest-entry.S */
extern char guest_vectors[];
uint64_t guest_run_el0(void (*fn)(uint64_t), uint64_t arg, uint64_t sp_el0);
void guest_el0_store(uint64_t addr);
void guest_probe_mte_sysregs(struct guest_probe *p);
void guest_hvc_done(void);
__attribute__((noreturn)) void guest_crash(void);
/* Called from guest-entry.S only. */
void guest_main(struct guest_mem *m);
void guest_sync_exception(void);

_Static_assert(sizeof(struct guest_probe) == 16, "guest-entry.S stores probes 16 bytes apart");

/* The one guest_mem of this guest, for the exception handler. */
#define GUEST_SELF(m)	__asm__ volatile("msr tpidr_el1, %0" : : "r"(m))

#define READ(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define WRITE(reg, v) __asm__ volatile("msr " #reg ", %0" : : "r"((uint64_t)(v)))
#define ISB() __asm__ volatile("isb" ::: "memory")

static struct guest_mem *self(void)
{
	return (struct guest_mem *)READ(tpidr_el1);
}

static uint64_t with_tag(const void *p, unsigned int tag)
{
	return ((uintptr_t)p & ~(0xfUL << 56)) | ((uint64_t)tag << 56);
}

static unsigned int tag_of(uint64_t p)
{
	return (unsigned int)(p >> 56) & 0xf;
}

static void set_tag(uint64_t tagged_addr)
{
	__asm__ volatile("stg %0, [%0]" : : "r"(tagged_addr) : "memory");
}

/* Give every granule of @p..+@size allocation tag 0 (tags outlive guests). */
static void clear_tags(void *p, unsigned long size)
{
	for (unsigned long off = 0; off < size; off += 16)
		set_tag((uintptr_t)p + off);
}

static void boot(struct guest_mem *m)
{
	struct guest_mailbox *mb = &m->mb;

	GUEST_SELF(m);
	WRITE(vbar_el1, (uintptr_t)guest_vectors);
	WRITE(mair_el1, mb->mair);
	WRITE(tcr_el1, mb->tcr);
	WRITE(ttbr0_el1, mb->ttbr0);
	__asm__ volatile("dsb nsh\n\ttlbi vmalle1\n\tdsb nsh" ::: "memory");
	ISB();
	WRITE(sctlr_el1, mb->sctlr);
	ISB();
	if (mb->sctlr & KVMMTE_SCTLR_ATA) {
		clear_tags(m->tagged, sizeof(m->tagged));
		clear_tags((char *)m + GUEST_EL0_OFFSET, 8192);
	}
	mb->booted = 1;
}

static void exchange(struct guest_mailbox *mb)
{
	mb->seen.rgsr_el1 = READ(rgsr_el1);
	mb->seen.gcr_el1 = READ(gcr_el1);
	mb->seen.tfsr_el1 = READ(tfsr_el1);
	mb->seen.tfsre0_el1 = READ(tfsre0_el1);
	WRITE(rgsr_el1, mb->next.rgsr_el1);
	WRITE(gcr_el1, mb->next.gcr_el1);
	WRITE(tfsr_el1, mb->next.tfsr_el1);
	WRITE(tfsre0_el1, mb->next.tfsre0_el1);
}

static void irg(struct guest_mailbox *mb)
{
	uint64_t n = mb->arg[0] < GUEST_MAX_TAGS ? mb->arg[0] : GUEST_MAX_TAGS;

	/* The writes of GCR/RGSR by an earlier command or the switch are in force: ERET synchronised. */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t p;

		__asm__ volatile("irg %0, %1" : "=r"(p) : "r"(0UL));
		mb->tags[i] = (uint8_t)tag_of(p);
	}
	/* arg1: a guest without MTE, whose RGSR_EL1 access would trap */
	if (!mb->arg[1])
		mb->rgsr_after = READ(rgsr_el1);
}

static void set_tcf(struct guest_mailbox *mb)
{
	uint64_t sctlr = READ(sctlr_el1) & ~(KVMMTE_SCTLR_TCF_MASK | KVMMTE_SCTLR_TCF0_MASK);

	sctlr |= (mb->arg[0] << KVMMTE_SCTLR_TCF_SHIFT) & KVMMTE_SCTLR_TCF_MASK;
	sctlr |= (mb->arg[1] << KVMMTE_SCTLR_TCF0_SHIFT) & KVMMTE_SCTLR_TCF0_MASK;
	WRITE(sctlr_el1, sctlr);
	ISB();
}

/* Granule with allocation tag 3, accessed through a pointer tagged 5. */
static void tag_mismatch(struct guest_mem *m)
{
	void *granule = m->tagged + 256;
	volatile uint64_t *bad = (volatile uint64_t *)with_tag(granule, 5);

	set_tag(with_tag(granule, 3));
	if (m->mb.arg[0])
		*bad = 0x1234;
	else
		(void)*bad;
	set_tag(with_tag(granule, 0));
}

static void el0_tag_mismatch(struct guest_mem *m)
{
	struct guest_el0_mem *el0 = (struct guest_el0_mem *)((char *)m + GUEST_EL0_OFFSET);

	set_tag(with_tag(el0->tagged, 3));
	guest_run_el0(guest_el0_store, with_tag(el0->tagged, 5),
		      (uintptr_t)el0->stack + sizeof(el0->stack));
	set_tag(with_tag(el0->tagged, 0));
}

static void read_tfsr(struct guest_mailbox *mb)
{
	/* Make any pending asynchronous tag-check fault visible in TFSR. */
	__asm__ volatile("dsb nsh\n\tisb" ::: "memory");
	mb->seen.tfsr_el1 = READ(tfsr_el1);
	mb->seen.tfsre0_el1 = READ(tfsre0_el1);
	if (mb->arg[0]) {
		WRITE(tfsr_el1, 0);
		WRITE(tfsre0_el1, 0);
	}
}

void guest_main(struct guest_mem *m)
{
	struct guest_mailbox *mb = &m->mb;

	boot(m);
	for (;;) {
		guest_hvc_done();
		mb->nr_exc = 0;
		switch (mb->cmd) {
		case GUEST_CMD_NOP:
			break;
		case GUEST_CMD_EXCHANGE:
			exchange(mb);
			break;
		case GUEST_CMD_IRG:
			irg(mb);
			break;
		case GUEST_CMD_SET_TCF:
			set_tcf(mb);
			break;
		case GUEST_CMD_TAG_MISMATCH:
			tag_mismatch(m);
			break;
		case GUEST_CMD_EL0_TAG_MISMATCH:
			el0_tag_mismatch(m);
			break;
		case GUEST_CMD_READ_TFSR:
			read_tfsr(mb);
			break;
		case GUEST_CMD_PROBE_MTE_SYSREGS:
			guest_probe_mte_sysregs(mb->probe);
			break;
		case GUEST_CMD_SMC:
			__asm__ volatile("smc #0" ::: "memory");
			break;
		case GUEST_CMD_HANG:
			for (;;)
				__asm__ volatile("" ::: "memory");
		case GUEST_CMD_CRASH:
			(void)*(volatile uint64_t *)0x200000000UL;	/* not mapped */
			break;
		default:
			guest_crash();
		}
	}
}

/*
 * Synchronous exception from the guest's own EL1 or EL0 (not SVC from
 * EL0: guest-entry.S handles that).  Expected ones are recorded and
 * skipped; anything else is reported to the harness, which fails the test.
 */
void guest_sync_exception(void)
{
	struct guest_mailbox *mb = &self()->mb;
	uint64_t esr = READ(esr_el1), ec = esr >> HV_ESR_EC_SHIFT;
	bool tag_fault = (ec == HV_EC_DABT_CUR || ec == HV_EC_DABT_LOW) && (esr & 0x3f) == 0x11;

	/* UNDEF is EC 0; an absent ID register under FEAT_IDST reports EC 0x18. */
	if (!mb->expect_exceptions || (!tag_fault && ec != HV_EC_UNKNOWN && ec != HV_EC_SYS64) ||
	    mb->nr_exc == GUEST_MAX_EXC)
		guest_crash();
	mb->exc[mb->nr_exc] = (struct guest_exception){
		.esr = esr, .elr = READ(elr_el1), .far = READ(far_el1),
		/* PSTATE.TCO as this handler was entered with it. */
		.tco = mb->cmd == GUEST_CMD_SMC && mb->arg[0] ? READ(tco) : 0,
	};
	mb->nr_exc++;
	WRITE(elr_el1, READ(elr_el1) + 4);
}
