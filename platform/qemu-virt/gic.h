/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * GICv2 (QEMU virt's default, gic-version=2) and the EL2 physical timer.
 *
 * Enough for a hypervisor's own interrupts: the distributor and the CPU
 * interface are enabled, interrupts are enabled one at a time, taken by
 * EL2 (a hypervisor sets HCR_EL2.IMO so they arrive there while a guest
 * runs) and acknowledged/completed here.  GICv2 architecture spec (IHI
 * 0048) 4.3 and 4.4.  The timer is CNTHP_*_EL2 (Arm ARM D11), PPI 10 =
 * INTID 26 on virt.
 */
#ifndef PLAT_GIC_H
#define PLAT_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define PLAT_INTID_EL2_PTIMER	26
#define PLAT_INTID_SPURIOUS	1023

void plat_gic_init(void);
/* The banked part only (this CPU's PPIs and CPU interface): secondaries. */
void plat_gic_init_cpu(void);
void plat_gic_enable(unsigned int intid);
void plat_gic_disable(unsigned int intid);
/* Acknowledge the highest-priority pending interrupt: its INTID, or 1023. */
unsigned int plat_gic_ack(void);
void plat_gic_eoi(unsigned int intid);

/* Physical counter and its frequency (CNTFRQ_EL0: 62.5 MHz on QEMU virt). */
uint64_t plat_counter(void);
uint64_t plat_counter_freq(void);

/* Fire the EL2 physical timer @ticks from now; disarm it; did it fire? */
void plat_el2_timer_arm(uint64_t ticks);
void plat_el2_timer_disarm(void);
bool plat_el2_timer_pending(void);

#endif /* PLAT_GIC_H */
