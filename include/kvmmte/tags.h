/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Allocation-tag storage of pages: clear, save, restore, and convert
 * between the two buffer formats.  Full contract: docs/tags.md.
 *
 * A hypervisor that gives MTE to a guest clears the tags of every page
 * before the guest first sees it, and saves/restores them to migrate,
 * swap or snapshot guest memory.
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

#ifndef __ASSEMBLER__
#include <stddef.h>

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
