/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Allocation-tag storage of pages and ranges: clear, save, restore, and
 * convert between the two buffer formats.  Full contract: docs/tags.md.
 *
 * A hypervisor that gives MTE to a guest clears the tags of every page
 * before the guest first sees it, and saves/restores them to migrate,
 * swap or snapshot guest memory.  The page routines (one 4, 16 or 64 KiB
 * page) read the ID registers on every call; the range routines
 * (kvmmte_tags_*_range_*(): any run of whole 4 KiB pages, block mappings
 * of 2 MiB to 1 GiB included) read none, but take a struct
 * kvmmte_tags_geometry that kvmmte_tags_geometry_el1()/_el0() filled once.
 *
 * Exception level is part of the name:
 *   *_el1()  EL1, EL2 or EL3 (the block instructions LDGM/STGM/STZGM, and
 *            DC GVA/GZVA).  Needs FEAT_MTE2: checked on every call from
 *            ID_AA64PFR1_EL1 (-KVMMTE_ENODEV without it), and GMID_EL1.BS
 *            and DCZID_EL0 are read on every call.
 *   *_el0()  any EL, typically a VMM at EL0 (LDG/STG/ST2G/STZ2G, and
 *            DC GVA/GZVA where DCZID_EL0 permits).  The caller must know
 *            the CPU has MTE (Linux: HWCAP2_MTE) and that the page is
 *            tagged memory (Linux: mmap PROT_MTE); the EL1-only ID and
 *            GMID registers are not read.  STGM/STZGM/LDGM UNDEF at EL0,
 *            so never call *_el1() there.
 *   kvmmte_tags_pack()/unpack() are pure and run anywhere.
 *
 * Buffer formats (per page, tags in address order):
 *   KVMMTE_TAGS_PACKED  two tags per byte, 128 bytes per 4 KiB page:
 *                       byte k holds the tag of granule 2k in bits [3:0]
 *                       and of granule 2k+1 in bits [7:4].  Read as
 *                       little-endian 64-bit words, word w holds granules
 *                       16w..16w+15 at bits [4i+3:4i], which is exactly
 *                       the register layout of LDGM/STGM.
 *   KVMMTE_TAGS_BYTES   one tag per byte (bits [3:0], bits [7:4] zero),
 *                       256 bytes per 4 KiB page: the format of
 *                       KVM_ARM_MTE_COPY_TAGS and PTRACE_PEEKMTETAGS.
 *
 * Errors (no memory, page or buffer, is touched when one is returned):
 *   -KVMMTE_EFAULT  a NULL page or buffer
 *   -KVMMTE_EINVAL  page size not 4, 16 or 64 KiB; page not aligned to
 *                   its size; buffer not 8-byte aligned; unknown format
 *                   or flag
 *   -KVMMTE_ENOSPC  buffer smaller than the format needs for the page
 *   -KVMMTE_ERANGE  restore/pack from one-tag-per-byte input holding a
 *                   byte > 15
 *   -KVMMTE_ENODEV  *_el1(): the CPU lacks FEAT_MTE2 (or reports a
 *                   GMID_EL1.BS outside the architected 2..6)
 *
 * Barriers: none.  Tag and data stores are ordinary stores, ordered like
 * a memset: before another observer may use the page (say, the stage-2
 * entry that maps it into a guest), the usual DSB that publishes the
 * mapping orders them too.
 */
#ifndef KVMMTE_TAGS_H
#define KVMMTE_TAGS_H

#include <kvmmte/sysreg.h>
#include <kvmmte/errno.h>

/* Page sizes the page routines accept: the three translation granules. */
#define KVMMTE_TAGS_PAGE_4K		4096
#define KVMMTE_TAGS_PAGE_16K		16384
#define KVMMTE_TAGS_PAGE_64K		65536

/* Tags in a page, and the buffer bytes each format needs for it. */
#define KVMMTE_TAGS_PER_PAGE(page_size)	((page_size) >> KVMMTE_TAG_GRANULE_SHIFT)
#define KVMMTE_TAGS_PACKED_SIZE(page_size) \
	((page_size) >> (KVMMTE_TAG_GRANULE_SHIFT + 1))
#define KVMMTE_TAGS_BYTES_SIZE(page_size)	KVMMTE_TAGS_PER_PAGE(page_size)

/* Alignment save/restore require of their buffer (64-bit accesses). */
#define KVMMTE_TAGS_BUF_ALIGN		8

/* kvmmte_tags_clear_*() flags */
#define KVMMTE_TAGS_CLEAR_DATA		(1U << 0)	/* zero the data too */
#define KVMMTE_TAGS_CLEAR_FLAGS_VALID	(KVMMTE_TAGS_CLEAR_DATA)

/*
 * Ranges (kvmmte_tags_*_range_*()): start and size are multiples of
 * KVMMTE_TAGS_RANGE_ALIGN, the smallest translation granule, so any run of
 * whole pages of any granule qualifies, and so does every block mapping:
 */
#define KVMMTE_TAGS_RANGE_ALIGN		KVMMTE_TAGS_PAGE_4K
#define KVMMTE_TAGS_BLOCK_2M		(KVMMTE_UL(1) << 21)	/* level 2, 4 KiB granule */
#define KVMMTE_TAGS_BLOCK_1G		(KVMMTE_UL(1) << 30)	/* level 1, 4 KiB granule */
#define KVMMTE_TAGS_BLOCK_32M		(KVMMTE_UL(1) << 25)	/* level 2, 16 KiB granule */
#define KVMMTE_TAGS_BLOCK_512M		(KVMMTE_UL(1) << 29)	/* level 2, 64 KiB granule */
/* The buffer sizes above work for any range size as well (size / 32, size / 16). */

/*
 * struct kvmmte_tags_geometry, for assembly: its size and where the plan
 * words are.  The layout and the plan values are private to the library
 * (they may change in any release); only the size is part of the ABI.
 */
#define KVMMTE_TAGS_GEOMETRY_SIZE	32
#define KVMMTE_TAGS_PLAN_CLEAR_EL1	0	/* tags only; + 1: tags and data */
#define KVMMTE_TAGS_PLAN_MOVE_EL1	2	/* save and restore at EL1+ */
#define KVMMTE_TAGS_PLAN_CLEAR_EL0	3	/* clear at any EL, both modes */
#define KVMMTE_TAGS_PLAN_MOVE_EL0	4	/* save and restore at any EL */
#define KVMMTE_TAGS_PLANS		6	/* words, the last one spare (0) */
/*
 * Plan values: which loop a routine runs.  Each routine reads one plan
 * word and accepts only its own values.  All fit CCMP's 5-bit immediate;
 * none is 0 (a zeroed object names nothing); each has an even number of
 * bits set, so any two differ in two bits or more and no single flipped
 * bit turns one plan into another.
 */
#define KVMMTE_TAGS_PLAN_CHECKED	0x11	/* the loop follows the other fields */
#define KVMMTE_TAGS_PLAN_STGM256	0x12	/* clear tags: STGM, 256-byte block */
#define KVMMTE_TAGS_PLAN_DCZ64		0x14	/* DC G*VA (64 B) if untagged, else STZGM/ST*2G */
#define KVMMTE_TAGS_PLAN_STZGM64	0x18	/* clear data: STZGM, 64-byte block */
#define KVMMTE_TAGS_PLAN_PAIRS		0x0f	/* clear at any EL: ST2G / STZ2G */
#define KVMMTE_TAGS_PLAN_GM256		0x1b	/* LDGM/STGM, 256-byte block */
#define KVMMTE_TAGS_PLAN_EL0		0x1d	/* LDG/STG: any geometry */

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum kvmmte_tags_format {
	KVMMTE_TAGS_PACKED = 0,		/* two tags per byte, low nibble first */
	KVMMTE_TAGS_BYTES = 1,		/* one tag per byte (KVM / ptrace) */
};

/*
 * kvmmte_tags_clear_el1() / kvmmte_tags_clear_el0() - set every tag of
 * the page at @page to 0; with KVMMTE_TAGS_CLEAR_DATA also zero its data.
 * @page may carry an address tag in bits [59:56]; it is never modified.
 * DC GVA/GZVA (one instruction per DCZID_EL0 block) are used when
 * DCZID_EL0.DZP allows them and the pointer's address tag is 0 (they take
 * the new tag from the address); otherwise STGM/STZGM (EL1) or
 * ST2G/STZ2G (EL0), whose tag comes from a register.
 * Returns 0 or a negative error (see above).
 */
int kvmmte_tags_clear_el1(void *page, size_t page_size, unsigned int flags);
int kvmmte_tags_clear_el0(void *page, size_t page_size, unsigned int flags);

/*
 * kvmmte_tags_save_el1() / kvmmte_tags_save_el0() - copy the tags of the
 * page at @page into @buf in format @fmt.  @buf is 8-byte aligned and
 * holds at least KVMMTE_TAGS_{PACKED,BYTES}_SIZE(@page_size) bytes; only
 * that many are written.  The page's data is not accessed.
 * Returns 0 or a negative error.
 */
int kvmmte_tags_save_el1(const void *page, size_t page_size, void *buf,
			 size_t buf_size, enum kvmmte_tags_format fmt);
int kvmmte_tags_save_el0(const void *page, size_t page_size, void *buf,
			 size_t buf_size, enum kvmmte_tags_format fmt);

/*
 * kvmmte_tags_restore_el1() / kvmmte_tags_restore_el0() - set the tags of
 * the page at @page from @buf (format @fmt, as written by save).  With
 * KVMMTE_TAGS_BYTES every byte is checked before any tag is written; a
 * byte > 15 fails with -KVMMTE_ERANGE and the page keeps its old tags.
 * The page's data is not accessed.
 * Returns 0 or a negative error.
 */
int kvmmte_tags_restore_el1(void *page, size_t page_size, const void *buf,
			    size_t buf_size, enum kvmmte_tags_format fmt);
int kvmmte_tags_restore_el0(void *page, size_t page_size, const void *buf,
			    size_t buf_size, enum kvmmte_tags_format fmt);

/*
 * ---- Ranges, with the geometry read once ------------------------------
 *
 * struct kvmmte_tags_geometry - the block sizes of this CPU's tag
 * instructions, read once by kvmmte_tags_geometry_el1() or _el0() into an
 * object the caller keeps (per CPU type; on a system whose CPUs all report
 * the same ID registers, one for all).  The range routines read no ID
 * register.  Every member is private: copy the object whole, never build
 * or change one.  Each routine reads the one plan word that names its
 * loop and refuses the object (-KVMMTE_EINVAL) unless that word is one
 * the geometry functions write for it: a zeroed or uninitialised object,
 * or an _el0 one given to an _el1 routine, is refused.  Where the word
 * says the loop follows the block sizes (CPUs other than 256-byte LDGM
 * and 64-byte DC ZVA blocks), the whole object must be as filled.  An
 * object filled on a CPU with other block sizes can give wrong tags
 * inside the range, never an access outside it.
 */
struct kvmmte_tags_geometry {
	uint32_t plan[KVMMTE_TAGS_PLANS];
	uint8_t gm_shift;	/* log2 bytes per LDGM/STGM; 0: filled by _el0() */
	uint8_t dcz_shift;	/* log2 bytes per DC GVA/GZVA/STZGM; 0: not usable */
	uint8_t dzp;		/* DCZID_EL0.DZP: DC GVA/GZVA prohibited */
	uint8_t el1;		/* filled by kvmmte_tags_geometry_el1() */
	uint32_t check;		/* over everything above */
};

/*
 * kvmmte_tags_geometry_el1() - at EL1, EL2 or EL3: read ID_AA64PFR1_EL1,
 * GMID_EL1 and DCZID_EL0 into @geo.  Returns 0, -KVMMTE_EFAULT (@geo
 * NULL), or -KVMMTE_ENODEV (no FEAT_MTE2, or GMID_EL1.BS outside 2..6;
 * @geo is then left untouched).  The object serves the _el1 and the _el0
 * range routines.
 *
 * kvmmte_tags_geometry_el0() - at any EL: read DCZID_EL0 only (the caller
 * knows the CPU has MTE: HWCAP2_MTE).  Returns 0 or -KVMMTE_EFAULT.  The
 * object serves the _el0 range routines only.
 */
int kvmmte_tags_geometry_el1(struct kvmmte_tags_geometry *geo);
int kvmmte_tags_geometry_el0(struct kvmmte_tags_geometry *geo);

/*
 * The range routines: what the page routines do, for [@addr, @addr +
 * @size), in one call.  @addr and @size are multiples of 4 KiB
 * (KVMMTE_TAGS_RANGE_ALIGN), @size > 0, and the range may not carry out of
 * bit 55 (@addr may hold an address tag in [59:56], as for the page
 * routines).  Buffers: 8-byte aligned, KVMMTE_TAGS_{PACKED,BYTES}_SIZE(@size)
 * bytes.  Errors, checked in this order before anything is touched:
 *   -KVMMTE_EFAULT  @geo, @addr or @buf NULL
 *   -KVMMTE_EINVAL  @geo not filled by the geometry functions, or an _el0
 *                   one given to an _el1 routine; unknown format or flag;
 *                   @size 0, @addr or @size not a multiple of 4 KiB, the
 *                   range carrying out of bit 55; @buf not 8-byte aligned
 *   -KVMMTE_ENOSPC  @buf_size below the format's size for @size
 *   -KVMMTE_ERANGE  restore from KVMMTE_TAGS_BYTES: a byte > 15
 * The _el1 routines need EL1 or higher, the _el0 ones run at any EL.
 */
int kvmmte_tags_clear_range_el1(const struct kvmmte_tags_geometry *geo, void *addr,
				size_t size, unsigned int flags);
int kvmmte_tags_clear_range_el0(const struct kvmmte_tags_geometry *geo, void *addr,
				size_t size, unsigned int flags);
int kvmmte_tags_save_range_el1(const struct kvmmte_tags_geometry *geo, const void *addr,
			       size_t size, void *buf, size_t buf_size,
			       enum kvmmte_tags_format fmt);
int kvmmte_tags_save_range_el0(const struct kvmmte_tags_geometry *geo, const void *addr,
			       size_t size, void *buf, size_t buf_size,
			       enum kvmmte_tags_format fmt);
int kvmmte_tags_restore_range_el1(const struct kvmmte_tags_geometry *geo, void *addr,
				  size_t size, const void *buf, size_t buf_size,
				  enum kvmmte_tags_format fmt);
int kvmmte_tags_restore_range_el0(const struct kvmmte_tags_geometry *geo, void *addr,
				  size_t size, const void *buf, size_t buf_size,
				  enum kvmmte_tags_format fmt);

/*
 * kvmmte_tags_pack() - convert @src_size one-per-byte tags at @src into
 * (@src_size + 1) / 2 packed bytes at @dst (an odd count leaves the last
 * high nibble 0).  Every source byte is checked before anything is
 * written.  @dst may equal @src (in-place); other overlaps are undefined.
 * No alignment required.  Returns 0, or -KVMMTE_EFAULT (NULL),
 * -KVMMTE_ENOSPC (@dst_size too small), -KVMMTE_ERANGE (a byte > 15).
 */
int kvmmte_tags_pack(void *dst, size_t dst_size, const void *src, size_t src_size);

/*
 * kvmmte_tags_unpack() - convert @src_size packed bytes at @src into
 * 2 * @src_size one-per-byte tags at @dst.  @dst may equal @src
 * (in-place, @dst_size >= 2 * @src_size); other overlaps are undefined.
 * No alignment required.  Returns 0, or -KVMMTE_EFAULT (NULL),
 * -KVMMTE_ENOSPC (@dst_size too small, or 2 * @src_size overflows).
 */
int kvmmte_tags_unpack(void *dst, size_t dst_size, const void *src, size_t src_size);

#endif /* !__ASSEMBLER__ */
#ifdef __cplusplus
}
#endif

#endif /* KVMMTE_TAGS_H */
