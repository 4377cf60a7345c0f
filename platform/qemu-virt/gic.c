// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * GICv2 distributor/CPU interface and the EL2 physical timer (gic.h).
 */
#include "platform.h"
#include "gic.h"

#define GICD_CTLR		0x000
#define GICD_ISENABLER(n)	(0x100 + 4 * (n))
#define GICD_ICENABLER(n)	(0x180 + 4 * (n))
#define GICD_ICPENDR(n)		(0x280 + 4 * (n))
#define GICD_IPRIORITYR(n)	(0x400 + (n))		/* byte access */
#define GICC_CTLR		0x000
#define GICC_PMR		0x004
#define GICC_IAR		0x00c
#define GICC_EOIR		0x010

#define CNTHP_CTL_ENABLE	(1UL << 0)
#define CNTHP_CTL_IMASK		(1UL << 1)
#define CNTHP_CTL_ISTATUS	(1UL << 2)

static volatile uint32_t *gicd(unsigned int off)
{
	return (volatile uint32_t *)(PLAT_GICD_BASE + off);
}

static volatile uint32_t *gicc(unsigned int off)
{
	return (volatile uint32_t *)(PLAT_GICC_BASE + off);
}

void plat_gic_init_cpu(void)
{
	/* Banked for this CPU: SGIs and PPIs 0-31, off and not pending. */
	*gicd(GICD_ICENABLER(0)) = ~0U;
	*gicd(GICD_ICPENDR(0)) = ~0U;
	*gicc(GICC_PMR) = 0xf0;		/* unmask every priority we use */
	*gicc(GICC_CTLR) = 1;		/* signal group 0 as IRQ */
}

void plat_gic_init(void)
{
	*gicd(GICD_CTLR) = 0;
	plat_gic_init_cpu();
	*gicd(GICD_CTLR) = 1;		/* forward group 0 */
}

void plat_gic_enable(unsigned int intid)
{
	*(volatile uint8_t *)(PLAT_GICD_BASE + GICD_IPRIORITYR(intid)) = 0x80;
	*gicd(GICD_ISENABLER(intid / 32)) = 1U << (intid % 32);
}

void plat_gic_disable(unsigned int intid)
{
	*gicd(GICD_ICENABLER(intid / 32)) = 1U << (intid % 32);
}

unsigned int plat_gic_ack(void)
{
	return *gicc(GICC_IAR) & 0x3ff;
}

void plat_gic_eoi(unsigned int intid)
{
	*gicc(GICC_EOIR) = intid;
}

uint64_t plat_counter(void)
{
	plat_isb();		/* no read ahead of earlier instructions */
	return plat_read_sysreg(S3_3_C14_C0_1);		/* CNTPCT_EL0 */
}

uint64_t plat_counter_freq(void)
{
	return plat_read_sysreg(S3_3_C14_C0_0);		/* CNTFRQ_EL0 */
}

void plat_el2_timer_arm(uint64_t ticks)
{
	plat_write_sysreg(S3_4_C14_C2_2, plat_counter() + ticks);	/* CNTHP_CVAL_EL2 */
	plat_write_sysreg(S3_4_C14_C2_1, CNTHP_CTL_ENABLE);		/* CNTHP_CTL_EL2 */
}

void plat_el2_timer_disarm(void)
{
	plat_write_sysreg(S3_4_C14_C2_1, CNTHP_CTL_IMASK);
}

bool plat_el2_timer_pending(void)
{
	return (plat_read_sysreg(S3_4_C14_C2_1) & (CNTHP_CTL_ENABLE | CNTHP_CTL_ISTATUS)) ==
	       (CNTHP_CTL_ENABLE | CNTHP_CTL_ISTATUS);
}
