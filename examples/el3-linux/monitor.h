/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * examples/el3-linux: what the EL3 monitor keeps per CPU for the
 * non-secure world (Linux), shared by start.S (through monitor-offsets.h)
 * and monitor.c.
 */
#ifndef EL3_LINUX_MONITOR_H
#define EL3_LINUX_MONITOR_H

#include <stdint.h>
#include <stdbool.h>
#include <el1ctx.h>
#include <kvmmte/state.h>

struct ns_world {
	uint64_t gpr[31];	/* x0..x30 at the SMC */
	uint64_t elr_el3;	/* where the world resumes */
	uint64_t spsr_el3;
	/* Everything below is C-only. */
	struct kvmmte_state mte;	/* saved on every entry to EL3 */
	struct kvmmte_el2_state el2;	/* TFSR_EL2: Linux's at el=2 (VHE); kept at el=1 too */
	uint64_t smcs;
	uint64_t cpu_offs;		/* PSCI CPU_OFF calls (hotplug) */
	/* The preemption path (secure world at S-EL1, driven by FIQs). */
	bool secure;			/* this is a CPU's secure world */
	struct plat_el1ctx el1;		/* EL1 system registers, kept across switches */
	uint64_t fiqs, switches;	/* Linux: FIQs taken, secure steps run */
	uint64_t mismatch_smcs;		/* secure: SMC_MISMATCH calls */
};

#endif /* EL3_LINUX_MONITOR_H */
