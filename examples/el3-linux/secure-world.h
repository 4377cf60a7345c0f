/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * examples/el3-linux: the secure world at S-EL1 that preempts Linux
 * (secure-world.c), as the monitor sees it: how it is started, what it
 * reports, and the SMC it makes when something it can not survive happens.
 */
#ifndef EL3_LINUX_SECURE_WORLD_H
#define EL3_LINUX_SECURE_WORLD_H

#include <stdint.h>
#include "world.h"	/* examples/el3-monitor: struct world_report, SMC ids, CHECK_* */

/*
 * Secure RAM of QEMU virt with secure=on (hw/arm/virt.c, VIRT_SECURE_MEM):
 * 16 MiB that only the secure world can address, with allocation tag
 * storage of its own when mte=on.  Each CPU's secure world keeps its
 * tagged buffer at SEC_TAGGED_BASE + cpu * SEC_TAGGED_STRIDE.
 */
#define SEC_RAM_BASE		0x0e000000UL
#define SEC_TAGGED_BASE		SEC_RAM_BASE
#define SEC_TAGGED_STRIDE	0x10000UL
#define SEC_TAGGED_PAGES	4		/* 4 KiB pages per CPU */

/*
 * The secure world can not go on: x1 = ESR_EL1, x2 = ELR_EL1, x3 = FAR_EL1
 * of an exception it did not provoke; or x1 = 0 when its set-up failed,
 * x2 = what (below), x3 = a value that says more.
 */
#define SMC_SEC_FAULT		0xc3000004UL
#define SEC_SETUP_NO_TABLES	1	/* x3 = the monitor image's end */
#define SEC_SETUP_NO_TAGS	2	/* x3 = the tag LDG read back */

/* What it reports in SMC_MISMATCH's x1 after world.h's CHECK_* codes. */
enum sec_check {
	SEC_CHECK_EL1 = CHECK_IRG + 1,	/* SCTLR/TTBR0/TCR/MAIR/VBAR/TPIDR_EL1 not its own */
	SEC_CHECK_TAG,		/* LDG: expected tag, found tag (x2/x3), granule not its own */
	SEC_CHECK_DATA,		/* a word of its tagged buffer changed */
	SEC_CHECK_SYNC,		/* a synchronous tag-check fault: missing, extra or wrong */
	SEC_CHECK_ASYNC,	/* TFSR_EL1 after its asynchronous fault: expected TF0 only */
	SEC_CHECK_NR
};

/* Written by the secure world, read by the monitor at the end. */
struct sec_report {
	struct world_report regs;	/* rounds, IRG histogram, mismatches (world.c's) */
	uint64_t tag_checks;		/* granule tags read back with LDG */
	uint64_t data_checks;		/* words of the tagged buffer read back */
	uint64_t sync_faults;		/* provoked synchronous tag-check faults taken */
	uint64_t async_faults;		/* provoked asynchronous ones found in TFSR_EL1 */
	uint64_t retags;		/* pages given a new tag pattern with STG */
	uint64_t per_granule;		/* 1: tag storage per 16-byte granule; 0: per page */
};

/*
 * The program, entered at S-EL1 with its MMU off and all of DAIF masked:
 * @cpu (selects its tagged buffer), its report, a seed for its random
 * values and tag pattern, and its own IRG tag set.  Never returns; yields
 * to the monitor with SMC_YIELD once per step.
 */
void sec_world_main(uint64_t cpu, struct sec_report *report, uint64_t seed,
		    uint64_t allowed_tags);

#endif /* EL3_LINUX_SECURE_WORLD_H */
