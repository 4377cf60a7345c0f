// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Tag storage of pages: argument and CPU checks, buffer formats, and the
 * pack/unpack converters.  The tag instructions are in asm/tags.S, reached
 * only after every check has passed, so an error never touches memory.
 */
#include <stdint.h>
#include <kvmmte/tags.h>
#include <kvmmte/sysreg-access.h>
#include "internal.h"

/* Bits [7:4] of every byte: set in a one-tag-per-byte buffer means > 15. */
#define TAG_BYTE_HIGH_NIBBLES	0xf0f0f0f0f0f0f0f0ULL

/* GMID_EL1.BS: log2 of the LDGM/STGM block in words, 2 (16 B)..6 (256 B). */
#define GMID_BS_MIN		2
#define GMID_BS_MAX		6

/* A 64-bit view of a byte buffer that does not break strict aliasing. */
typedef uint64_t __attribute__((may_alias)) u64_alias;

/*
 * The instruction-level routines, all with one signature (contract in
 * asm/tags.S): page, size, buffer (save/restore), zero-data (clear), and
 * the LDGM/STGM block in bytes (_el1).
 */
#define TAGS_INSN_DECLARE(op)							\
	void kvmmte_tags_insn_##op(uintptr_t page, size_t size, uintptr_t buf,	\
				   unsigned int zero_data, size_t gm_block)

#ifdef KVMMTE_FAKE_SYSREG
/*
 * Host builds have no tag instructions: every call that would reach
 * asm/tags.S goes to this hook, named by the routine it stands for.  The
 * host tests define it to record calls; the weak default keeps test
 * binaries that never reach it linkable.
 */
void kvmmte_fake_tags_insn(const char *op, uintptr_t page, size_t size,
			   uintptr_t buf, unsigned int zero_data, size_t gm_block);

__attribute__((weak))
void kvmmte_fake_tags_insn(const char *op, uintptr_t page, size_t size,
			   uintptr_t buf, unsigned int zero_data, size_t gm_block)
{
	(void)op; (void)page; (void)size; (void)buf; (void)zero_data; (void)gm_block;
}
#define TAGS_INSN(op, page, size, buf, zero_data, gm_block)			\
	kvmmte_fake_tags_insn(#op, (uintptr_t)(page), (size), (uintptr_t)(buf),	\
			      (zero_data), (gm_block))
#else
TAGS_INSN_DECLARE(clear_el1);
TAGS_INSN_DECLARE(clear_el0);
TAGS_INSN_DECLARE(save_packed_el1);
TAGS_INSN_DECLARE(save_bytes_el1);
TAGS_INSN_DECLARE(save_packed_el0);
TAGS_INSN_DECLARE(save_bytes_el0);
TAGS_INSN_DECLARE(restore_packed_el1);
TAGS_INSN_DECLARE(restore_bytes_el1);
TAGS_INSN_DECLARE(restore_packed_el0);
TAGS_INSN_DECLARE(restore_bytes_el0);
#define TAGS_INSN(op, page, size, buf, zero_data, gm_block)			\
	kvmmte_tags_insn_##op((uintptr_t)(page), (size), (uintptr_t)(buf),	\
			      (zero_data), (gm_block))
#endif

static int check_page(const void *page, size_t page_size)
{
	if (!page)
		return -KVMMTE_EFAULT;
	if (page_size != KVMMTE_TAGS_PAGE_4K && page_size != KVMMTE_TAGS_PAGE_16K &&
	    page_size != KVMMTE_TAGS_PAGE_64K)
		return -KVMMTE_EINVAL;
	/* Only the low bits matter: an address tag in [59:56] is allowed. */
	if ((uintptr_t)page & (page_size - 1))
		return -KVMMTE_EINVAL;
	return 0;
}

static size_t format_size(enum kvmmte_tags_format fmt, size_t page_size)
{
	return fmt == KVMMTE_TAGS_PACKED ? KVMMTE_TAGS_PACKED_SIZE(page_size) :
					   KVMMTE_TAGS_BYTES_SIZE(page_size);
}

static int check_buffer_args(const void *page, size_t page_size, const void *buf,
			     size_t buf_size, enum kvmmte_tags_format fmt)
{
	int ret;

	if (!page || !buf)
		return -KVMMTE_EFAULT;
	if (fmt != KVMMTE_TAGS_PACKED && fmt != KVMMTE_TAGS_BYTES)
		return -KVMMTE_EINVAL;
	ret = check_page(page, page_size);
	if (ret)
		return ret;
	if ((uintptr_t)buf & (KVMMTE_TAGS_BUF_ALIGN - 1))
		return -KVMMTE_EINVAL;
	if (buf_size < format_size(fmt, page_size))
		return -KVMMTE_ENOSPC;
	return 0;
}

/* -KVMMTE_ERANGE if any of the @n bytes at @p is > 15. */
static int check_tag_bytes(const uint8_t *p, size_t n)
{
	const uint8_t *end = p + n;
	uint64_t seen = 0;

	/* 16 bytes a step when aligned (every page's buffer), then bytes. */
	if (!((uintptr_t)p & (sizeof(uint64_t) - 1))) {
		const uint8_t *words_end = p + (n & ~(size_t)15);

		for (; p < words_end; p += 16)
			seen |= *(const u64_alias *)p | *(const u64_alias *)(p + 8);
	}
	for (; p < end; p++)
		seen |= *p;
	return seen & TAG_BYTE_HIGH_NIBBLES ? -KVMMTE_ERANGE : 0;
}

static int check_restore_args(const void *page, size_t page_size, const void *buf,
			      size_t buf_size, enum kvmmte_tags_format fmt)
{
	int ret = check_buffer_args(page, page_size, buf, buf_size, fmt);

	if (!ret && fmt == KVMMTE_TAGS_BYTES)
		ret = check_tag_bytes(buf, KVMMTE_TAGS_BYTES_SIZE(page_size));
	return ret;
}

/*
 * The CPU side of every _el1 routine: FEAT_MTE2 (the block instructions
 * and GMID_EL1 UNDEF without it) and the LDGM/STGM block in bytes.
 */
static int el1_gm_block(size_t *gm_block)
{
	uint64_t mte = kvmmte_pfr1_mte(kvmmte_read_id_aa64pfr1_el1());
	unsigned int bs;

	/* Field values above MTE3 are later extensions: MTE2 is implied. */
	if (mte < KVMMTE_PFR1_MTE_MTE2)
		return -KVMMTE_ENODEV;
	bs = (unsigned int)(kvmmte_read_gmid_el1() & KVMMTE_GMID_EL1_BS_MASK);
	if (bs < GMID_BS_MIN || bs > GMID_BS_MAX)
		return -KVMMTE_ENODEV;
	*gm_block = (size_t)4 << bs;
	return 0;
}

static int check_clear_args(const void *page, size_t page_size, unsigned int flags)
{
	if (!page)
		return -KVMMTE_EFAULT;
	if (flags & ~KVMMTE_TAGS_CLEAR_FLAGS_VALID)
		return -KVMMTE_EINVAL;
	return check_page(page, page_size);
}

int kvmmte_tags_clear_el1(void *page, size_t page_size, unsigned int flags)
{
	size_t gm_block;
	int ret = check_clear_args(page, page_size, flags);

	if (!ret)
		ret = el1_gm_block(&gm_block);
	if (ret)
		return ret;
	TAGS_INSN(clear_el1, page, page_size, 0, !!(flags & KVMMTE_TAGS_CLEAR_DATA),
		  gm_block);
	return 0;
}

int kvmmte_tags_clear_el0(void *page, size_t page_size, unsigned int flags)
{
	int ret = check_clear_args(page, page_size, flags);

	if (ret)
		return ret;
	TAGS_INSN(clear_el0, page, page_size, 0, !!(flags & KVMMTE_TAGS_CLEAR_DATA), 0);
	return 0;
}

/*
 * Save and restore, _el1 and _el0: one body.  @check is the argument check
 * of the direction; _el1 adds the CPU check and its LDGM/STGM block (@el1
 * is a constant, so each generated function keeps only its own branch).
 */
#define KVMMTE_DEFINE_TAGS_MOVE(op, el, el1, check, page_const, buf_const)	\
int kvmmte_tags_##op##_##el(page_const void *page, size_t page_size,		\
			    buf_const void *buf, size_t buf_size,		\
			    enum kvmmte_tags_format fmt)			\
{										\
	size_t gm_block = 0;							\
	int ret = check(page, page_size, buf, buf_size, fmt);			\
										\
	if (!ret && (el1))							\
		ret = el1_gm_block(&gm_block);					\
	if (ret)								\
		return ret;							\
	if (fmt == KVMMTE_TAGS_PACKED)						\
		TAGS_INSN(op##_packed_##el, page, page_size, buf, 0, gm_block);	\
	else									\
		TAGS_INSN(op##_bytes_##el, page, page_size, buf, 0, gm_block);	\
	return 0;								\
}

KVMMTE_DEFINE_TAGS_MOVE(save, el1, 1, check_buffer_args, const, )
KVMMTE_DEFINE_TAGS_MOVE(save, el0, 0, check_buffer_args, const, )
KVMMTE_DEFINE_TAGS_MOVE(restore, el1, 1, check_restore_args, , const)
KVMMTE_DEFINE_TAGS_MOVE(restore, el0, 0, check_restore_args, , const)

int kvmmte_tags_pack(void *dst, size_t dst_size, const void *src, size_t src_size)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	size_t i;
	int ret;

	if (!dst || !src)
		return -KVMMTE_EFAULT;
	if (dst_size < src_size / 2 + (src_size & 1))
		return -KVMMTE_ENOSPC;
	ret = check_tag_bytes(s, src_size);
	if (ret)
		return ret;
	/* Forward: d[i] is written after s[2i] and s[2i+1] are read (in place). */
	for (i = 0; i < src_size / 2; i++)
		d[i] = (uint8_t)(s[2 * i] | s[2 * i + 1] << 4);
	if (src_size & 1)
		d[i] = s[2 * i];
	return 0;
}

int kvmmte_tags_unpack(void *dst, size_t dst_size, const void *src, size_t src_size)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	size_t i;

	if (!dst || !src)
		return -KVMMTE_EFAULT;
	if (src_size > SIZE_MAX / 2 || dst_size < 2 * src_size)
		return -KVMMTE_ENOSPC;
	/* Backward: s[i] is read before d[2i], d[2i+1] (>= i) are written. */
	for (i = src_size; i-- > 0;) {
		uint8_t b = s[i];

		d[2 * i + 1] = b >> 4;
		d[2 * i] = b & 0xf;
	}
	return 0;
}
