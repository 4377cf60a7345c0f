/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Identity-mapped stage-1 tables for a guest's EL1&0 regime.
 *
 * 4 KiB granule, 39-bit VA (T0SZ = 25), so a walk starts at level 1:
 * 1 GiB blocks at level 1, 2 MiB blocks at level 2 (Arm ARM D8.2
 * "Translation table descriptor formats").  Enough for a test guest:
 * RAM in 2 MiB pieces with per-piece attributes, devices in 1 GiB blocks.
 *
 * MAIR_EL1 (PLAT_S1_MAIR): index 0 Tagged Normal (0xF0: tag checks and tag
 * storage, the attribute MTE needs), 1 Device-nGnRnE, 2 Normal Write-Back
 * without tags.
 *
 * Walks are Non-cacheable (TCR IRGN0/ORGN0 = 0) because EL2 writes the
 * tables with its MMU off: the walker then sees what EL2 wrote on real
 * hardware too.  TBI0 is set so guests can use tagged pointers.
 */
#ifndef PLAT_MMU_H
#define PLAT_MMU_H

#include <stdint.h>

/* What a mapping is; combine one kind with any number of modifiers. */
#define PLAT_MAP_TAGGED		0x0U	/* Normal WB, Tagged (MAIR index 0) */
#define PLAT_MAP_DEVICE		0x1U	/* Device-nGnRnE, never executable */
#define PLAT_MAP_NORMAL		0x2U	/* Normal WB, untagged */
#define PLAT_MAP_KIND_MASK	0x3U
#define PLAT_MAP_RO		(1U << 4)	/* read-only */
#define PLAT_MAP_NOEXEC		(1U << 5)	/* EL1 may not execute */
#define PLAT_MAP_EL0		(1U << 6)	/* EL0 may read (and write unless RO) */
#define PLAT_MAP_EL0_EXEC	(1U << 7)	/* EL0 may execute */

#define PLAT_S1_L2_TABLES	2	/* distinct GiB regions with 2 MiB mappings */

/* One guest's tables: page aligned, so place it in page-aligned memory. */
struct plat_s1 {
	uint64_t l1[512];
	uint64_t l2[PLAT_S1_L2_TABLES][512];
	unsigned int l2_used;
} __attribute__((aligned(4096)));

/* Empty tables: every address faults. */
void plat_s1_init(struct plat_s1 *t);

/*
 * plat_s1_map() - identity-map [@addr, @addr + @size) with @flags.
 * @addr and @size 2 MiB aligned, below 512 GiB; a whole aligned GiB with
 * nothing mapped in it yet becomes one 1 GiB block.  A later mapping of the
 * same range replaces the earlier one.  Returns 0, or -1 (misaligned, out
 * of range, out of level-2 tables, or remapping inside a 1 GiB block).
 */
int plat_s1_map(struct plat_s1 *t, uint64_t addr, uint64_t size, unsigned int flags);

/* Register values for a guest using @t (ASID 0). */
uint64_t plat_s1_ttbr0(const struct plat_s1 *t);

#define PLAT_S1_MAIR		0xff00f0UL
/* T0SZ 25, IRGN0/ORGN0 NC, SH0 inner, TG0 4K, T1SZ 25, EPD1, IPS 40 bits, TBI0 */
#define PLAT_S1_TCR		(25UL | (3UL << 12) | (25UL << 16) | (1UL << 23) | \
				 (2UL << 32) | (1UL << 37))
/* SCTLR_EL1: RES1 bits, M, C, I.  MTE bits are the guest's to add. */
#define PLAT_SCTLR_EL1_MMU_ON	(0x30d00800UL | (1UL << 0) | (1UL << 2) | (1UL << 12))

/*
 * EL2's own stage 1, for code that needs allocation tags at EL2: with the
 * MMU off every access is Device, which has no tags.  The EL2 regime with
 * HCR_EL2.E2H = 0 (TTBR0_EL2; the boot state, and nVHE), identity, 1 GiB
 * blocks: [0, 1 GiB) Device-nGnRnE and never executable (the devices),
 * [1 GiB, 2 GiB) Tagged Normal (RAM, MAIR as PLAT_S1_MAIR).  TBI is set:
 * tagged pointers work.
 *
 * plat_el2_mmu_on_tagged() installs it and sets SCTLR_EL2.M, C and ATA
 * (EL2 may access allocation tags); plat_el2_mmu_off() clears M and C
 * again (ATA is left alone).  QEMU models no caches; on hardware turning
 * the MMU off and on needs cache maintenance of the memory touched on both
 * sides.
 */
void plat_el2_mmu_on_tagged(void);
void plat_el2_mmu_off(void);

#endif /* PLAT_MMU_H */
