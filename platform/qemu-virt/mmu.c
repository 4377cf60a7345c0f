// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Identity-mapped stage-1 tables (see mmu.h).  VMSAv8-64 block and table
 * descriptors, Arm ARM D8.3.
 */
#include <kvmmte/sysreg.h>
#include "platform.h"
#include "mmu.h"

#define SZ_2M		(1UL << 21)
#define SZ_1G		(1UL << 30)
#define VA_LIMIT	(1UL << 39)

#define DESC_BLOCK	0x1UL
#define DESC_TABLE	0x3UL
#define DESC_TYPE_MASK	0x3UL
#define DESC_ATTRIDX(i)	((uint64_t)(i) << 2)
#define DESC_AP_EL0	(1UL << 6)	/* AP[1]: EL0 access */
#define DESC_AP_RO	(1UL << 7)	/* AP[2]: read-only */
#define DESC_SH_INNER	(3UL << 8)
#define DESC_AF		(1UL << 10)	/* no Access flag faults */
#define DESC_PXN	(1UL << 53)
#define DESC_UXN	(1UL << 54)
#define DESC_ADDR_MASK	0x0000fffffffff000UL

/* MAIR_EL1 index of each PLAT_MAP_* kind (mmu.h, PLAT_S1_MAIR). */
static const unsigned int attr_index[] = {
	[PLAT_MAP_TAGGED] = 0, [PLAT_MAP_DEVICE] = 1, [PLAT_MAP_NORMAL] = 2,
};

static uint64_t block_desc(uint64_t addr, unsigned int flags)
{
	unsigned int kind = flags & PLAT_MAP_KIND_MASK;
	uint64_t d = addr | DESC_BLOCK | DESC_AF | DESC_ATTRIDX(attr_index[kind]);

	if (kind != PLAT_MAP_DEVICE)
		d |= DESC_SH_INNER;
	if (flags & PLAT_MAP_RO)
		d |= DESC_AP_RO;
	if (flags & PLAT_MAP_EL0)
		d |= DESC_AP_EL0;
	/*
	 * EL0-writable memory is never executable at EL1 (the architecture
	 * treats it as PXN); say so explicitly.
	 */
	if (kind == PLAT_MAP_DEVICE || (flags & PLAT_MAP_NOEXEC) ||
	    ((flags & PLAT_MAP_EL0) && !(flags & PLAT_MAP_RO)))
		d |= DESC_PXN;
	if (kind == PLAT_MAP_DEVICE || !(flags & PLAT_MAP_EL0_EXEC))
		d |= DESC_UXN;
	return d;
}

void plat_s1_init(struct plat_s1 *t)
{
	memset(t, 0, sizeof(*t));
}

/* The level-2 table under level-1 entry @i, created on first use. */
static uint64_t *l2_table(struct plat_s1 *t, unsigned int i)
{
	uint64_t d = t->l1[i];

	if ((d & DESC_TYPE_MASK) == DESC_TABLE)
		return (uint64_t *)(uintptr_t)(d & DESC_ADDR_MASK);
	if ((d & DESC_TYPE_MASK) == DESC_BLOCK || t->l2_used == PLAT_S1_L2_TABLES)
		return NULL;
	t->l1[i] = (uintptr_t)t->l2[t->l2_used] | DESC_TABLE;
	return t->l2[t->l2_used++];
}

int plat_s1_map(struct plat_s1 *t, uint64_t addr, uint64_t size, unsigned int flags)
{
	uint64_t end = addr + size;

	if ((addr | size) & (SZ_2M - 1) || end > VA_LIMIT || end < addr ||
	    (flags & PLAT_MAP_KIND_MASK) > PLAT_MAP_NORMAL)
		return -1;
	while (addr < end) {
		unsigned int i = (unsigned int)(addr / SZ_1G);
		uint64_t *l2;

		if (!(addr & (SZ_1G - 1)) && end - addr >= SZ_1G &&
		    (t->l1[i] & DESC_TYPE_MASK) != DESC_TABLE) {
			t->l1[i] = block_desc(addr, flags);
			addr += SZ_1G;
			continue;
		}
		l2 = l2_table(t, i);
		if (!l2)
			return -1;
		l2[(addr / SZ_2M) % 512] = block_desc(addr, flags);
		addr += SZ_2M;
	}
	return 0;
}

uint64_t plat_s1_ttbr0(const struct plat_s1 *t)
{
	return (uintptr_t)t->l1;
}

/* ---- EL2's own stage 1 ------------------------------------------------- */

/* EL2 registers the library does not name (Arm ARM D19, E2H = 0 layouts). */
#define TCR_EL2		S3_4_C2_C0_2
#define TTBR0_EL2	S3_4_C2_C0_0
#define MAIR_EL2	S3_4_C10_C2_0
#define SCTLR_M		(1UL << 0)
#define SCTLR_C		(1UL << 2)
/*
 * TCR_EL2: T0SZ 25 (39-bit VA, the walk starts at level 1), walks
 * Non-cacheable (tables written with the MMU off), inner shareable, 4K
 * granule, PS 40 bits, TBI, RES1 bits 23 and 31.
 */
#define EL2_TCR		(25UL | (3UL << 12) | (2UL << 16) | (1UL << 20) | (1UL << 23) | \
			 (1UL << 31))
/* Block descriptor bits of the EL2 regime: AP[1] is RES1, one XN bit. */
#define DESC_EL2_AP1	(1UL << 6)
#define DESC_EL2_XN	(1UL << 54)

static uint64_t el2_l1[512] __attribute__((aligned(4096)));

void plat_el2_mmu_on_tagged(void)
{
	el2_l1[0] = DESC_BLOCK | DESC_ATTRIDX(attr_index[PLAT_MAP_DEVICE]) | DESC_EL2_AP1 |
		    DESC_AF | DESC_EL2_XN;
	el2_l1[PLAT_RAM_BASE / SZ_1G] = PLAT_RAM_BASE | DESC_BLOCK |
		DESC_ATTRIDX(attr_index[PLAT_MAP_TAGGED]) | DESC_EL2_AP1 | DESC_SH_INNER | DESC_AF;
	plat_write_sysreg(MAIR_EL2, PLAT_S1_MAIR);
	plat_write_sysreg(TCR_EL2, EL2_TCR);
	plat_write_sysreg(TTBR0_EL2, (uintptr_t)el2_l1);
	__asm__ volatile("dsb ish\n\ttlbi alle2\n\tdsb ish\n\tisb" ::: "memory");
	plat_write_sysreg(KVMMTE_SYS(SCTLR_EL2), plat_read_sysreg(KVMMTE_SYS(SCTLR_EL2)) |
			  SCTLR_M | SCTLR_C | KVMMTE_SCTLR_ATA);
	plat_isb();
}

void plat_el2_mmu_off(void)
{
	plat_write_sysreg(KVMMTE_SYS(SCTLR_EL2),
			  plat_read_sysreg(KVMMTE_SYS(SCTLR_EL2)) & ~(SCTLR_M | SCTLR_C));
	plat_isb();
}
