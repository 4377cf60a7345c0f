/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * minihv: what the hypervisor (minihv.c, entry.S) and its guests (guest.c,
 * guest.S) share.  The numbers come first, for assembly; the structs after.
 */
#ifndef MINIHV_H
#define MINIHV_H

/* Why minihv_enter_*() returned: which EL2 vector the guest left through. */
#define MINIHV_EXIT_SYNC	1
#define MINIHV_EXIT_IRQ		2
#define MINIHV_EXIT_OTHER	3	/* FIQ, SError, or anything from AArch32 */

/* Hypercalls: HVC #imm from a guest. */
#define HVC_YIELD		0	/* give up the CPU (a switch) */
#define HVC_PRINT		1	/* x0: a line of text in the guest's RAM */
#define HVC_DONE		2	/* x0: number of failed checks */
#define HVC_CRASH		3	/* x0: EL1 vector, x1 ESR_EL1, x2 ELR_EL1 */

/*
 * Guest RAM: one 2 MiB block per guest, above the image (which guests map
 * read-only).  The guest_boot block sits at its start; guest.c lays out
 * the rest.
 */
#define GUEST_RAM_BASE		0x44000000
#define GUEST_RAM_SIZE		0x200000
#define GUEST_STACK_TOP		0x100000	/* offset in guest RAM */
#define NR_GUESTS		6

#ifndef __ASSEMBLER__
#include <kvmmte/kvmmte.h>
#include "platform.h"
#include "el1ctx.h"

/* Written by minihv before a guest first runs; the guest's only input. */
struct guest_boot {
	char name[8];
	uint64_t seed;			/* the guest's PRNG (and RGSR seed) */
	uint64_t gcr_exclude;		/* GCR_EL1.Exclude an MTE guest uses */
	volatile uint64_t stop;		/* set after switches=N: report and HVC DONE */
	volatile uint64_t slices;	/* +1 each time the guest is switched back in */
};

/* The host's registers while a guest runs. */
struct host_ctxt {
	uint64_t x19_x30[12];		/* what minihv_enter_*()'s caller keeps */
	struct kvmmte_state mte;	/* the host's MTE registers */
};

struct vcpu {
	/* Used by entry.S: offsets from minihv-offsets.h (offsets.c). */
	uint64_t x[31];			/* x0..x30 */
	uint64_t pc, pstate;		/* ELR_EL2, SPSR_EL2 */
	uint64_t hcr;			/* HCR_EL2 while this vcpu runs */
	uint64_t exit, esr, far;	/* the last exit: MINIHV_EXIT_*, ESR_EL2, FAR_EL2 */
	struct host_ctxt *host;
	struct kvmmte_state mte;	/* the guest's MTE registers while it is out */

	/* C only. */
	struct plat_el1ctx el1;		/* the rest of its EL1 state, at load/put */
	struct kvmmte_vm_config vm;
	struct guest_boot *boot;
	const char *name;
	unsigned int vmid;
	struct plat_spinlock lock;	/* held by the CPU that runs it */
	unsigned int last_cpu;		/* where it was put last */
	bool created;
	volatile bool done;
	bool crashed;
	uint64_t failures;		/* as the guest reported them */
	unsigned long slices, preempted, yielded, traps, migrations;
	unsigned int trap_printed;	/* bit per MTE register: first trap shown */
};

uint64_t minihv_enter_nvhe(struct vcpu *v);
uint64_t minihv_enter_vhe(struct vcpu *v);
extern char minihv_vectors_nvhe[], minihv_vectors_vhe[];
void guest_start(void);		/* guest.S; x0 = its RAM */
#endif /* !__ASSEMBLER__ */

#endif /* MINIHV_H */
