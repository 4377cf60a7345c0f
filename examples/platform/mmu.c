// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Identity-mapped stage-1 tables (see mmu.h).  VMSAv8-64 block and table
 * descriptors, Arm ARM D8.3.
 */
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
