/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Test guests: what runs at EL1 (guest.c, guest-entry.S) and the mailbox
 * through which the harness tells it what to do.
 *
 * A guest is a loop: do the command in its mailbox, HVC #HV_HVC_DONE, and
 * when the harness enters it again, do the next one.  Its context (PC,
 * SP, registers, EL1 system registers, MTE state) lives on across entries
 * like a real guest's.  On its first entry it installs its vectors and
 * turns on its stage-1 MMU (tables built by the harness in its memory).
 *
 * Each guest owns a 4 MiB slot of RAM: a 2 MiB block only EL1 can reach
 * (its tables, mailbox, stack and a tagged page) and a 2 MiB block EL0 may
 * use (a tagged page and an EL0 stack).  The harness image itself is
 * mapped for EL1 to run (and EL0 to execute only).
 */
#ifndef TT_GUEST_H
#define TT_GUEST_H

#include <kvmmte/const.h>

#define GUEST_MEM_BASE		KVMMTE_UL(0x40400000)
#define GUEST_MEM_STRIDE	KVMMTE_UL(0x00400000)
#define GUEST_EL0_OFFSET	KVMMTE_UL(0x00200000)
#define GUEST_MAX		6
#define GUEST_EL0_STACK_TOP	KVMMTE_UL(0x1000)	/* EL0 stack, below its tagged page */
#define GUEST_NR_PROBES		9
#define GUEST_PROBE_SENTINEL	KVMMTE_UL(0x5e17e1a15e17e1a1)
#define GUEST_MAX_TAGS		64
#define GUEST_MAX_EXC		16

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <kvmmte/state.h>
#include "mmu.h"

enum guest_cmd {
	GUEST_CMD_NOP,
	/* seen <- RGSR, GCR, TFSR, TFSRE0 as read; then write next */
	GUEST_CMD_EXCHANGE,
	/* tags[0..arg0) <- tags of arg0 IRGs; rgsr_after <- RGSR_EL1 unless arg1 */
	GUEST_CMD_IRG,
	/* SCTLR_EL1.TCF = arg0, .TCF0 = arg1 */
	GUEST_CMD_SET_TCF,
	/* at EL1: give a granule tag 3, then access it with tag 5 (arg0: 0 load, 1 store) */
	GUEST_CMD_TAG_MISMATCH,
	/* the same store at EL0 */
	GUEST_CMD_EL0_TAG_MISMATCH,
	/* seen.tfsr/tfsre0 <- TFSR_EL1/TFSRE0_EL1 after DSB+ISB; then clear both if arg0 */
	GUEST_CMD_READ_TFSR,
	/* every MSR/MRS to an MTE register (probe[]), each expected to UNDEF */
	GUEST_CMD_PROBE_MTE_SYSREGS,
	/* SMC #0, expected to UNDEF; records PSTATE.TCO in the handler if arg0 */
	GUEST_CMD_SMC,
	/* misbehave, for the harness's own tests */
	GUEST_CMD_HANG,
	GUEST_CMD_CRASH,
};

/* One exception a guest took on purpose, recorded by its handler. */
struct guest_exception {
	uint64_t esr, elr, far;
	uint64_t tco;		/* PSTATE.TCO in the handler, if asked for */
};

/* One probing access of GUEST_CMD_PROBE_MTE_SYSREGS. */
struct guest_probe {
	uint64_t pc;		/* address of the MSR/MRS */
	uint64_t value;		/* MRS: the destination afterwards (unchanged if UNDEF) */
};

struct guest_mailbox {
	/* set by the harness */
	uint64_t cmd;
	uint64_t arg[2];
	struct kvmmte_state next;
	/* boot: the guest's own translation regime and SCTLR_EL1 */
	uint64_t ttbr0, tcr, mair, sctlr;
	uint64_t expect_exceptions;	/* tag-check faults/UNDEFs are expected */
	/* set by the guest */
	uint64_t booted;
	struct kvmmte_state seen;
	uint64_t rgsr_after;
	uint8_t tags[GUEST_MAX_TAGS];
	uint32_t nr_exc;
	struct guest_exception exc[GUEST_MAX_EXC];
	struct guest_probe probe[GUEST_NR_PROBES];
};

struct guest_mem {
	struct plat_s1 s1;		/* page aligned: first */
	struct guest_mailbox mb;
	uint8_t tagged[4096] __attribute__((aligned(4096)));
	uint8_t stack[16384] __attribute__((aligned(16)));
};

/* The EL0 block: a tagged page above the EL0 stack. */
struct guest_el0_mem {
	uint8_t stack[GUEST_EL0_STACK_TOP];
	uint8_t tagged[4096];
};

static inline struct guest_mem *guest_mem_slot(unsigned int i)
{
	return (struct guest_mem *)(GUEST_MEM_BASE + i * GUEST_MEM_STRIDE);
}

static inline struct guest_el0_mem *guest_el0_slot(unsigned int i)
{
	return (struct guest_el0_mem *)(GUEST_MEM_BASE + i * GUEST_MEM_STRIDE +
					GUEST_EL0_OFFSET);
}

/* Where a guest starts (guest-entry.S): x0 = its struct guest_mem. */
void guest_start(void);

#endif /* !__ASSEMBLER__ */
#endif /* TT_GUEST_H */
