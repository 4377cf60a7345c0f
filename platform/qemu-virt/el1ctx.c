// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Guest EL1 context switch, generated from PLAT_EL1_REGS (el1ctx.h).
 * Registers are named by encoding (S3_<op1>_C<n>_C<m>_<op2>) so any
 * assembler takes them at -march=armv8-a; the _EL12 alias is op1 = 5.
 */
#include "platform.h"
#include "el1ctx.h"

#define SYSREG_NAME(op1, crn, crm, op2)	S3_##op1##_C##crn##_C##crm##_##op2
#define READ(op1, crn, crm, op2)	plat_read_sysreg(SYSREG_NAME(op1, crn, crm, op2))
#define WRITE(op1, crn, crm, op2, v)	plat_write_sysreg(SYSREG_NAME(op1, crn, crm, op2), v)

void plat_el1ctx_save(struct plat_el1ctx *c, bool vhe)
{
#define SAVE(f, op1, crn, crm, op2, e12)				\
	c->f = (vhe && (e12)) ? READ(5, crn, crm, op2) : READ(op1, crn, crm, op2);
	PLAT_EL1_REGS(SAVE)
#undef SAVE
}

void plat_el1ctx_restore(const struct plat_el1ctx *c, bool vhe)
{
#define RESTORE(f, op1, crn, crm, op2, e12)				\
	if (vhe && (e12))						\
		WRITE(5, crn, crm, op2, c->f);				\
	else								\
		WRITE(op1, crn, crm, op2, c->f);
	PLAT_EL1_REGS(RESTORE)
#undef RESTORE
}
