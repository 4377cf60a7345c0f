/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Numbers shared by the harness's C and assembly: why a guest left, and
 * the HVC immediates a guest uses to talk to the harness.  Definitions only.
 */
#ifndef TT_HV_ABI_H
#define TT_HV_ABI_H

/* hv_enter_*() return value: which EL2 vector the guest left through. */
#define HV_EXIT_SYNC		1
#define HV_EXIT_IRQ		2
#define HV_EXIT_FIQ		3
#define HV_EXIT_SERROR		4
#define HV_EXIT_AARCH32		5	/* any vector from an AArch32 lower EL */

/* HVC #imm from a guest (ESR_EL2.ISS[15:0]). */
#define HV_HVC_DONE		1	/* finished the mailbox command */
#define HV_HVC_CRASH		2	/* unexpected exception: x1 ESR_EL1, x2 ELR_EL1, x3 FAR_EL1 */
#define HV_HVC_LIVE_FAST	0	/* live.S only: answered at EL2, the guest resumed */

/* Exception classes (ESR_ELx.EC, Arm ARM D17.2.37). */
#define HV_EC_UNKNOWN		0x00
#define HV_EC_SVC64		0x15
#define HV_EC_HVC64		0x16
#define HV_EC_SMC64		0x17
#define HV_EC_SYS64		0x18	/* trapped MSR/MRS/system instruction */
#define HV_EC_DABT_LOW		0x24
#define HV_EC_DABT_CUR		0x25
#define HV_ESR_EC_SHIFT		26
#define HV_ESR_IL		(1 << 25)

#endif /* TT_HV_ABI_H */
