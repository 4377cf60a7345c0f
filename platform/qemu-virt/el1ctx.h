/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A guest's EL1 system-register context, saved and restored from EL2.
 *
 * With HCR_EL2.E2H = 1 (VHE) the EL1 names used at EL2 reach the EL2
 * registers, and a guest's EL1 registers are reached through the _EL12
 * aliases (Arm ARM D5.7 "Virtualization Host Extensions").  Each register
 * below says whether it has such an alias; the routines pick the right name
 * for the mode.  MTE registers are not here: they are libkvmmte's.
 */
#ifndef PLAT_EL1CTX_H
#define PLAT_EL1CTX_H

#include <stdbool.h>
#include <stdint.h>

/* X(field, op1, CRn, CRm, op2, has_el12_alias) */
#define PLAT_EL1_REGS(X)				\
	X(sctlr_el1,      0,  1, 0, 0, 1)		\
	X(cpacr_el1,      0,  1, 0, 2, 1)		\
	X(ttbr0_el1,      0,  2, 0, 0, 1)		\
	X(ttbr1_el1,      0,  2, 0, 1, 1)		\
	X(tcr_el1,        0,  2, 0, 2, 1)		\
	X(spsr_el1,       0,  4, 0, 0, 1)		\
	X(elr_el1,        0,  4, 0, 1, 1)		\
	X(sp_el0,         0,  4, 1, 0, 0)		\
	X(sp_el1,         4,  4, 1, 0, 0)		\
	X(afsr0_el1,      0,  5, 1, 0, 1)		\
	X(afsr1_el1,      0,  5, 1, 1, 1)		\
	X(esr_el1,        0,  5, 2, 0, 1)		\
	X(far_el1,        0,  6, 0, 0, 1)		\
	X(par_el1,        0,  7, 4, 0, 0)		\
	X(mair_el1,       0, 10, 2, 0, 1)		\
	X(amair_el1,      0, 10, 3, 0, 1)		\
	X(vbar_el1,       0, 12, 0, 0, 1)		\
	X(contextidr_el1, 0, 13, 0, 1, 1)		\
	X(tpidr_el1,      0, 13, 0, 4, 0)		\
	X(tpidr_el0,      3, 13, 0, 2, 0)		\
	X(tpidrro_el0,    3, 13, 0, 3, 0)		\
	X(cntkctl_el1,    0, 14, 1, 0, 1)

struct plat_el1ctx {
#define PLAT_EL1_FIELD(f, op1, crn, crm, op2, e12)	uint64_t f;
	PLAT_EL1_REGS(PLAT_EL1_FIELD)
#undef PLAT_EL1_FIELD
};

/*
 * Save/restore every register above.  @vhe: the running EL2 has
 * HCR_EL2.E2H = 1.  No barrier: the ERET into the guest synchronises.
 */
void plat_el1ctx_save(struct plat_el1ctx *c, bool vhe);
void plat_el1ctx_restore(const struct plat_el1ctx *c, bool vhe);

#endif /* PLAT_EL1CTX_H */
