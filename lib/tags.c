// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Tag storage of pages and ranges: argument, geometry and CPU checks, the
 * choice of loop, buffer formats, and the pack/unpack converters.  The tag
 * instructions are in asm/tags.S, reached only after every check has
 * passed, so an error never touches memory.
 *
 * The range routines have two entry points in a target build: asm/tags.S
 * defines the public symbols, a fast path that accepts a call only when
 * every argument is certainly valid and the geometry's plan word names
 * one of its unrolled loops, and branches to the _checked functions here
 * for everything else.  Those check every argument in the documented order
 * and choose the loop from the geometry's fields.  Host builds have no fast
 * path: the public names are the checked functions themselves, which is
 * what tests/host exercises.
 */
#include <stdbool.h>
#include <stdint.h>
#include <kvmmte/tags.h>
#include <kvmmte/sysreg-access.h>
#include "internal.h"

/* Bits [7:4] of every byte: set in a one-tag-per-byte buffer means > 15. */
#define TAG_BYTE_HIGH_NIBBLES	0xf0f0f0f0f0f0f0f0ULL

/* GMID_EL1.BS: log2 of the LDGM/STGM block in words, 2 (16 B)..6 (256 B). */
#define GMID_BS_MIN		2
#define GMID_BS_MAX		6
/* DCZID_EL0.BS the block instructions can use: a granule (16 B)..2 KiB. */
#define DCZ_BS_MIN		2
#define DCZ_BS_MAX		9
/* The smallest DC G*VA / STZGM block worth using: ST2G/STZ2G's 32 bytes
 * need no address add, so a block instruction only pays off from 64. */
#define BLOCK_MIN_USEFUL	64
/* One LDGM/STGM word covers 256 bytes; the unrolled loops know this size. */
#define WORD_WINDOW		256

/* A range's start and size: multiples of the smallest translation granule. */
#define RANGE_MASK		((uintptr_t)KVMMTE_TAGS_RANGE_ALIGN - 1)
/* Bits [55:0] of an address: a range may not carry into the tag byte. */
#define ADDR_SPAN		((uint64_t)1 << 56)

/* struct kvmmte_tags_geometry: what asm/tags.S's fast paths read. */
#define GEOMETRY_MAGIC		0x6b7a1e55U
#define GEOMETRY_MIX		0x9e3779b1U

_Static_assert(sizeof(struct kvmmte_tags_geometry) == KVMMTE_TAGS_GEOMETRY_SIZE,
	       "KVMMTE_TAGS_GEOMETRY_SIZE");
_Static_assert(__builtin_offsetof(struct kvmmte_tags_geometry, plan) == 0,
	       "asm/tags.S reads plan[i] at offset 4 * i");

/*
 * The choice of loop and the page routines' register reads are inlined
 * into each routine: called, they cost a frame and a stack copy of the
 * block sizes, about 30 instructions a call on a page routine.
 */
#define TAGS_INLINE		static inline __attribute__((always_inline))

/* A 64-bit view of a byte buffer that does not break strict aliasing. */
typedef uint64_t __attribute__((may_alias)) u64_alias;

/*
 * The loops of asm/tags.S, all with one signature: the range
 * [start, start + size) and, for save/restore, the buffer; @block is the
 * LDGM/STGM or DC ZVA block in bytes for the loops that take it (the
 * others have it built in).  They return 0, except the restore_bytes
 * loops, which check every buffer byte first and return -KVMMTE_ERANGE
 * (having touched nothing) if one is > 15.
 */
#define TAGS_LOOP_DECLARE(op)							\
	int kvmmte_tags_loop_##op(uintptr_t unused, uintptr_t start, size_t size, \
				  uintptr_t buf, size_t block)

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

#ifdef KVMMTE_FAKE_SYSREG
/*
 * Host builds have no tag instructions: every call that would reach
 * asm/tags.S goes to this hook, named by the loop it stands for (what
 * follows kvmmte_tags_loop_).  The host tests define it to record calls;
 * the weak default keeps test binaries that never reach it linkable.  The
 * restore_bytes loops' own byte check is done here in C first, as the
 * assembly does it, so the hook is reached only when the loop would store.
 */
void kvmmte_fake_tags_insn(const char *op, uintptr_t start, size_t size, uintptr_t buf,
			   size_t block);
/* DCZID_EL0, which the fake register file does not model: 64-byte blocks. */
uint64_t kvmmte_fake_tags_dczid(void);

__attribute__((weak))
void kvmmte_fake_tags_insn(const char *op, uintptr_t start, size_t size, uintptr_t buf,
			   size_t block)
{
	(void)op; (void)start; (void)size; (void)buf; (void)block;
}

__attribute__((weak)) uint64_t kvmmte_fake_tags_dczid(void)
{
	return 4;
}

static int fake_loop(const char *op, bool checks_bytes, uintptr_t start, size_t size,
		     uintptr_t buf, size_t block)
{
	if (checks_bytes && check_tag_bytes((const uint8_t *)buf, KVMMTE_TAGS_BYTES_SIZE(size)))
		return -KVMMTE_ERANGE;
	kvmmte_fake_tags_insn(op, start, size, buf, block);
	return 0;
}
#define TAGS_LOOP(op, start, size, buf, block)					\
	fake_loop(#op, __builtin_strncmp(#op, "restore_bytes", 13) == 0,	\
		  (uintptr_t)(start), (size), (uintptr_t)(buf), (block))

static uint64_t read_dczid(void)
{
	return kvmmte_fake_tags_dczid();
}
#else
TAGS_LOOP_DECLARE(stgm_256);
TAGS_LOOP_DECLARE(stgm);
TAGS_LOOP_DECLARE(stzgm_64);
TAGS_LOOP_DECLARE(stzgm);
TAGS_LOOP_DECLARE(dc_gva_64);
TAGS_LOOP_DECLARE(dc_gva);
TAGS_LOOP_DECLARE(dc_gzva_64);
TAGS_LOOP_DECLARE(dc_gzva);
TAGS_LOOP_DECLARE(st2g);
TAGS_LOOP_DECLARE(stz2g);
TAGS_LOOP_DECLARE(save_packed_gm256);
TAGS_LOOP_DECLARE(save_bytes_gm256);
TAGS_LOOP_DECLARE(restore_packed_gm256);
TAGS_LOOP_DECLARE(restore_bytes_gm256);
TAGS_LOOP_DECLARE(save_packed_gm);
TAGS_LOOP_DECLARE(save_bytes_gm);
TAGS_LOOP_DECLARE(restore_packed_gm);
TAGS_LOOP_DECLARE(restore_bytes_gm);
TAGS_LOOP_DECLARE(save_packed_ldg);
TAGS_LOOP_DECLARE(save_bytes_ldg);
TAGS_LOOP_DECLARE(restore_packed_stg);
TAGS_LOOP_DECLARE(restore_bytes_stg);
#define TAGS_LOOP(op, start, size, buf, block)					\
	kvmmte_tags_loop_##op(0, (uintptr_t)(start), (size), (uintptr_t)(buf), (block))

/* DCZID_EL0 is readable at every EL (it is not in sysreg-access.h's list). */
static uint64_t read_dczid(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, dczid_el0" : "=r"(v));
	return v;
}
#endif

/* ---- geometry ----------------------------------------------------------- */

/* The block sizes every choice of loop is made from. */
struct tags_geom {
	size_t gm_block;	/* LDGM/STGM bytes; 0 for an _el0 geometry */
	size_t dcz_block;	/* DC GVA/GZVA and STZGM bytes; 0: not usable */
	bool dc_allowed;	/* DC GVA/GZVA usable: block usable, DZP clear */
};

static void geom_of(const struct kvmmte_tags_geometry *geo, struct tags_geom *g)
{
	g->gm_block = geo->gm_shift ? (size_t)1 << geo->gm_shift : 0;
	g->dcz_block = geo->dcz_shift ? (size_t)1 << geo->dcz_shift : 0;
	g->dc_allowed = g->dcz_block && !geo->dzp;
}

/* log2 of DCZID_EL0's block in bytes, or 0 if the tag instructions can not use it. */
static unsigned int dcz_shift_of(uint64_t dczid)
{
	unsigned int bs = (unsigned int)(dczid & KVMMTE_DCZID_EL0_BS_MASK);

	return bs >= DCZ_BS_MIN && bs <= DCZ_BS_MAX ? bs + 2 : 0;
}

/* The fields of a geometry from what the CPU reports (@gmid_bs 0: _el0). */
static void geometry_fields(struct kvmmte_tags_geometry *geo, unsigned int gmid_bs,
			    uint64_t dczid)
{
	unsigned int i;

	for (i = 0; i < KVMMTE_TAGS_PLANS; i++)
		geo->plan[i] = 0;
	geo->gm_shift = (uint8_t)(gmid_bs ? gmid_bs + 2 : 0);
	geo->dcz_shift = (uint8_t)dcz_shift_of(dczid);
	geo->dzp = !!(dczid & KVMMTE_DCZID_EL0_DZP_MASK);
	geo->el1 = gmid_bs != 0;
	geo->check = 0;
}

/*
 * The plan words a geometry's fields imply: where a call may take an
 * unrolled loop of asm/tags.S without asking the fields again.  Each plan
 * names exactly what run_clear() / run_move() below would choose.
 */
static uint32_t plan_of(const struct kvmmte_tags_geometry *geo, unsigned int i)
{
	struct tags_geom g;

	geom_of(geo, &g);
	switch (i) {
	case KVMMTE_TAGS_PLAN_CLEAR_EL1:
		if (!geo->el1)
			return 0;
		return g.gm_block == WORD_WINDOW && !(g.dc_allowed && g.dcz_block > WORD_WINDOW) ?
			KVMMTE_TAGS_PLAN_STGM256 : KVMMTE_TAGS_PLAN_CHECKED;
	case KVMMTE_TAGS_PLAN_CLEAR_EL1 + 1:
		if (!geo->el1)
			return 0;
		if (g.dcz_block != BLOCK_MIN_USEFUL)
			return KVMMTE_TAGS_PLAN_CHECKED;
		return g.dc_allowed ? KVMMTE_TAGS_PLAN_DCZ64 : KVMMTE_TAGS_PLAN_STZGM64;
	case KVMMTE_TAGS_PLAN_MOVE_EL1:
		if (!geo->el1)
			return 0;
		return g.gm_block == WORD_WINDOW ? KVMMTE_TAGS_PLAN_GM256 : KVMMTE_TAGS_PLAN_CHECKED;
	case KVMMTE_TAGS_PLAN_CLEAR_EL0:
		if (g.dc_allowed && g.dcz_block == BLOCK_MIN_USEFUL)
			return KVMMTE_TAGS_PLAN_DCZ64;
		return !g.dc_allowed || g.dcz_block < BLOCK_MIN_USEFUL ? KVMMTE_TAGS_PLAN_PAIRS :
									KVMMTE_TAGS_PLAN_CHECKED;
	case KVMMTE_TAGS_PLAN_MOVE_EL0:
		return KVMMTE_TAGS_PLAN_EL0;
	default:
		return 0;
	}
}

static uint32_t geometry_check(const struct kvmmte_tags_geometry *geo)
{
	uint32_t h = GEOMETRY_MAGIC;
	unsigned int i;

	for (i = 0; i < KVMMTE_TAGS_PLANS; i++)
		h = (h ^ geo->plan[i]) * GEOMETRY_MIX;
	h = (h ^ (geo->gm_shift | (uint32_t)geo->dcz_shift << 8 | (uint32_t)geo->dzp << 16 |
		  (uint32_t)geo->el1 << 24)) * GEOMETRY_MIX;
	return h ^ (h >> 16);
}

/* Plans and check from the fields: what the geometry functions hand out. */
static void geometry_seal(struct kvmmte_tags_geometry *geo)
{
	unsigned int i;

	for (i = 0; i < KVMMTE_TAGS_PLANS; i++)
		geo->plan[i] = plan_of(geo, i);
	geo->check = geometry_check(geo);
}

/*
 * 0 if @geo is whole what a geometry function filled: its fields in range,
 * its plans and check those the fields imply; else -KVMMTE_EINVAL.
 */
static int geometry_valid(const struct kvmmte_tags_geometry *geo)
{
	unsigned int i;

	if (geo->el1 > 1 || geo->dzp > 1)
		return -KVMMTE_EINVAL;
	if (geo->el1 ? geo->gm_shift < GMID_BS_MIN + 2 || geo->gm_shift > GMID_BS_MAX + 2 :
		       geo->gm_shift != 0)
		return -KVMMTE_EINVAL;
	if (geo->dcz_shift && (geo->dcz_shift < DCZ_BS_MIN + 2 || geo->dcz_shift > DCZ_BS_MAX + 2))
		return -KVMMTE_EINVAL;
	for (i = 0; i < KVMMTE_TAGS_PLANS; i++)
		if (geo->plan[i] != plan_of(geo, i))
			return -KVMMTE_EINVAL;
	return geo->check == geometry_check(geo) ? 0 : -KVMMTE_EINVAL;
}

/*
 * The CPU side of every _el1 routine: FEAT_MTE2 (the block instructions
 * and GMID_EL1 UNDEF without it) and the LDGM/STGM block, GMID_EL1.BS;
 * GMID_EL1 is not read below MTE2.
 */
TAGS_INLINE int el1_gmid_bs(unsigned int *gmid_bs)
{
	uint64_t mte = kvmmte_pfr1_mte(kvmmte_read_id_aa64pfr1_el1());
	unsigned int bs;

	/* Field values above MTE3 are later extensions: MTE2 is implied. */
	if (mte < KVMMTE_PFR1_MTE_MTE2)
		return -KVMMTE_ENODEV;
	bs = (unsigned int)(kvmmte_read_gmid_el1() & KVMMTE_GMID_EL1_BS_MASK);
	if (bs < GMID_BS_MIN || bs > GMID_BS_MAX)
		return -KVMMTE_ENODEV;
	*gmid_bs = bs;
	return 0;
}

/* @geo is written only once the CPU passed: untouched on -KVMMTE_ENODEV. */
int kvmmte_tags_geometry_el1(struct kvmmte_tags_geometry *geo)
{
	unsigned int bs;
	int ret;

	if (!geo)
		return -KVMMTE_EFAULT;
	ret = el1_gmid_bs(&bs);
	if (ret)
		return ret;
	geometry_fields(geo, bs, read_dczid());
	geometry_seal(geo);
	return 0;
}

int kvmmte_tags_geometry_el0(struct kvmmte_tags_geometry *geo)
{
	if (!geo)
		return -KVMMTE_EFAULT;
	geometry_fields(geo, 0, read_dczid());
	geometry_seal(geo);
	return 0;
}

/* The plans that name a loop for plan word @i (not CHECKED: that one asks the fields). */
static bool plan_names_loop(unsigned int i, uint32_t plan)
{
	switch (i) {
	case KVMMTE_TAGS_PLAN_CLEAR_EL1:
		return plan == KVMMTE_TAGS_PLAN_STGM256;
	case KVMMTE_TAGS_PLAN_CLEAR_EL1 + 1:
		return plan == KVMMTE_TAGS_PLAN_DCZ64 || plan == KVMMTE_TAGS_PLAN_STZGM64;
	case KVMMTE_TAGS_PLAN_MOVE_EL1:
		return plan == KVMMTE_TAGS_PLAN_GM256;
	case KVMMTE_TAGS_PLAN_CLEAR_EL0:
		return plan == KVMMTE_TAGS_PLAN_DCZ64 || plan == KVMMTE_TAGS_PLAN_PAIRS;
	default:
		return plan == KVMMTE_TAGS_PLAN_EL0;
	}
}

/*
 * The block sizes for which run_clear() and run_move() choose the loop a
 * plan names (the plan fixes only the sizes its loop needs).  Field by
 * field: a struct copy would be a memcpy() call under clang.
 */
static void plan_geom(uint32_t plan, struct tags_geom *g)
{
	g->gm_block = 0;
	g->dcz_block = 0;
	g->dc_allowed = false;
	switch (plan) {
	case KVMMTE_TAGS_PLAN_STGM256:
	case KVMMTE_TAGS_PLAN_GM256:
		g->gm_block = WORD_WINDOW;
		break;
	case KVMMTE_TAGS_PLAN_DCZ64:
		g->dc_allowed = true;
		__attribute__((fallthrough));
	case KVMMTE_TAGS_PLAN_STZGM64:
		g->dcz_block = BLOCK_MIN_USEFUL;
		break;
	default:	/* PAIRS, EL0: no block at all */
		break;
	}
}

/*
 * What a range routine may do with @geo, by its plan word @i, as block
 * sizes in @g: those plan_geom() gives a plan that names a loop (the fast
 * path of asm/tags.S takes exactly these, and nothing else of the object
 * matters to them), or the object's own for KVMMTE_TAGS_PLAN_CHECKED if the
 * whole object is valid.  Anything else -- zero, garbage, another routine's
 * plan, an _el0 object's empty _el1 plans -- is -KVMMTE_EINVAL.
 */
static int geometry_use(const struct kvmmte_tags_geometry *geo, unsigned int i,
			struct tags_geom *g)
{
	uint32_t p = geo->plan[i];

	if (plan_names_loop(i, p)) {
		plan_geom(p, g);
		return 0;
	}
	if (p != KVMMTE_TAGS_PLAN_CHECKED || geometry_valid(geo))
		return -KVMMTE_EINVAL;
	geom_of(geo, g);
	return 0;
}

/*
 * The page routines' block sizes, read on every call as their contract
 * says: the same as geom_of() of a geometry filled from these registers.
 */
TAGS_INLINE void dcz_geom(uint64_t dczid, struct tags_geom *g)
{
	unsigned int shift = dcz_shift_of(dczid);

	g->dcz_block = shift ? (size_t)1 << shift : 0;
	g->dc_allowed = shift && !(dczid & KVMMTE_DCZID_EL0_DZP_MASK);
}

TAGS_INLINE int el1_geom(struct tags_geom *g)
{
	unsigned int bs;
	int ret = el1_gmid_bs(&bs);

	if (ret)
		return ret;
	g->gm_block = (size_t)4 << bs;
	dcz_geom(read_dczid(), g);
	return 0;
}

TAGS_INLINE void el0_geom(struct tags_geom *g)
{
	g->gm_block = 0;
	dcz_geom(read_dczid(), g);
}

/* ---- the choice of loop --------------------------------------------------- */

/*
 * Clear [a, a + size): DC GVA/GZVA take the new tag from the address, so
 * they run only on an untagged pointer (the library never rewrites an
 * address: clearing bits [59:56] would change it when TBI is off), where
 * DZP allows them and their block is at least 64 bytes.  Otherwise the tag
 * comes from a register: STGM (tags, EL1+, its block at least 64 bytes),
 * STZGM (data, EL1+, the DC ZVA block), else ST2G/STZ2G.  Tags only at
 * EL1+ takes DC GVA only when its block is larger than STGM's.
 */
TAGS_INLINE int run_clear(bool el1, const struct tags_geom *g, uintptr_t a, size_t size,
		     unsigned int flags)
{
	bool data = flags & KVMMTE_TAGS_CLEAR_DATA;
	bool dc = g->dc_allowed && g->dcz_block >= BLOCK_MIN_USEFUL &&
		  !(a & KVMMTE_ADDR_TAG_MASK);
	size_t dcz = g->dcz_block, gm = g->gm_block;

	if (dc && (data || !el1 || dcz > gm)) {
		if (data)
			return dcz == BLOCK_MIN_USEFUL ? TAGS_LOOP(dc_gzva_64, a, size, 0, dcz) :
							 TAGS_LOOP(dc_gzva, a, size, 0, dcz);
		return dcz == BLOCK_MIN_USEFUL ? TAGS_LOOP(dc_gva_64, a, size, 0, dcz) :
						 TAGS_LOOP(dc_gva, a, size, 0, dcz);
	}
	if (el1 && !data && gm >= BLOCK_MIN_USEFUL)
		return gm == WORD_WINDOW ? TAGS_LOOP(stgm_256, a, size, 0, gm) :
					   TAGS_LOOP(stgm, a, size, 0, gm);
	if (el1 && data && dcz >= BLOCK_MIN_USEFUL)
		return dcz == BLOCK_MIN_USEFUL ? TAGS_LOOP(stzgm_64, a, size, 0, dcz) :
						 TAGS_LOOP(stzgm, a, size, 0, dcz);
	return data ? TAGS_LOOP(stz2g, a, size, 0, 0) : TAGS_LOOP(st2g, a, size, 0, 0);
}

enum tags_dir { TAGS_SAVE, TAGS_RESTORE };

/* Save or restore [a, a + size) to or from the buffer at @b in @fmt. */
TAGS_INLINE int run_move(enum tags_dir dir, bool el1, const struct tags_geom *g, uintptr_t a,
		    size_t size, uintptr_t b, enum kvmmte_tags_format fmt)
{
	bool bytes = fmt == KVMMTE_TAGS_BYTES;
	size_t gm = el1 ? g->gm_block : 0;

	if (dir == TAGS_SAVE) {
		if (!el1)
			return bytes ? TAGS_LOOP(save_bytes_ldg, a, size, b, 0) :
				       TAGS_LOOP(save_packed_ldg, a, size, b, 0);
		if (gm == WORD_WINDOW)
			return bytes ? TAGS_LOOP(save_bytes_gm256, a, size, b, gm) :
				       TAGS_LOOP(save_packed_gm256, a, size, b, gm);
		return bytes ? TAGS_LOOP(save_bytes_gm, a, size, b, gm) :
			       TAGS_LOOP(save_packed_gm, a, size, b, gm);
	}
	if (!el1)
		return bytes ? TAGS_LOOP(restore_bytes_stg, a, size, b, 0) :
			       TAGS_LOOP(restore_packed_stg, a, size, b, 0);
	if (gm == WORD_WINDOW)
		return bytes ? TAGS_LOOP(restore_bytes_gm256, a, size, b, gm) :
			       TAGS_LOOP(restore_packed_gm256, a, size, b, gm);
	return bytes ? TAGS_LOOP(restore_bytes_gm, a, size, b, gm) :
		       TAGS_LOOP(restore_packed_gm, a, size, b, gm);
}

/* ---- the page routines ---------------------------------------------------- */

TAGS_INLINE int check_page(const void *page, size_t page_size)
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

static size_t format_size(enum kvmmte_tags_format fmt, size_t size)
{
	return fmt == KVMMTE_TAGS_PACKED ? KVMMTE_TAGS_PACKED_SIZE(size) :
					   KVMMTE_TAGS_BYTES_SIZE(size);
}

TAGS_INLINE int check_buffer_args(const void *page, size_t page_size, const void *buf,
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

TAGS_INLINE int check_clear_args(const void *page, size_t page_size, unsigned int flags)
{
	if (!page)
		return -KVMMTE_EFAULT;
	if (flags & ~KVMMTE_TAGS_CLEAR_FLAGS_VALID)
		return -KVMMTE_EINVAL;
	return check_page(page, page_size);
}

int kvmmte_tags_clear_el1(void *page, size_t page_size, unsigned int flags)
{
	struct tags_geom g;
	int ret = check_clear_args(page, page_size, flags);

	if (!ret)
		ret = el1_geom(&g);
	if (ret)
		return ret;
	return run_clear(true, &g, (uintptr_t)page, page_size, flags);
}

int kvmmte_tags_clear_el0(void *page, size_t page_size, unsigned int flags)
{
	struct tags_geom g;
	int ret = check_clear_args(page, page_size, flags);

	if (ret)
		return ret;
	el0_geom(&g);
	return run_clear(false, &g, (uintptr_t)page, page_size, flags);
}

/*
 * Save and restore, _el1 and _el0.  The restore_bytes loops check the
 * buffer before storing (-KVMMTE_ERANGE); an _el1 restore that finds no
 * MTE2 checks it here, so that a bad byte is -KVMMTE_ERANGE on every CPU.
 */
TAGS_INLINE int page_move(enum tags_dir dir, bool el1, const void *page, size_t page_size,
		     const void *buf, size_t buf_size, enum kvmmte_tags_format fmt)
{
	struct tags_geom g = { 0, 0, false };
	int ret = check_buffer_args(page, page_size, buf, buf_size, fmt);

	if (ret)
		return ret;
	if (el1) {
		ret = el1_geom(&g);
		if (ret) {
			if (dir == TAGS_RESTORE && fmt == KVMMTE_TAGS_BYTES &&
			    check_tag_bytes(buf, KVMMTE_TAGS_BYTES_SIZE(page_size)))
				return -KVMMTE_ERANGE;
			return ret;
		}
	}
	return run_move(dir, el1, &g, (uintptr_t)page, page_size, (uintptr_t)buf, fmt);
}

int kvmmte_tags_save_el1(const void *page, size_t page_size, void *buf, size_t buf_size,
			 enum kvmmte_tags_format fmt)
{
	return page_move(TAGS_SAVE, true, page, page_size, buf, buf_size, fmt);
}

int kvmmte_tags_save_el0(const void *page, size_t page_size, void *buf, size_t buf_size,
			 enum kvmmte_tags_format fmt)
{
	return page_move(TAGS_SAVE, false, page, page_size, buf, buf_size, fmt);
}

int kvmmte_tags_restore_el1(void *page, size_t page_size, const void *buf, size_t buf_size,
			    enum kvmmte_tags_format fmt)
{
	return page_move(TAGS_RESTORE, true, page, page_size, buf, buf_size, fmt);
}

int kvmmte_tags_restore_el0(void *page, size_t page_size, const void *buf, size_t buf_size,
			    enum kvmmte_tags_format fmt)
{
	return page_move(TAGS_RESTORE, false, page, page_size, buf, buf_size, fmt);
}

/* ---- the range routines ------------------------------------------------- */

/*
 * In a target build the public names belong to asm/tags.S's fast paths,
 * which branch here (name_checked) for whatever they do not take.
 */
#ifdef KVMMTE_FAKE_SYSREG
#define RANGE_ENTRY(name)	name
#else
#define RANGE_ENTRY(name)	name##_checked
#define RANGE_HIDDEN		__attribute__((visibility("hidden")))
RANGE_HIDDEN int kvmmte_tags_clear_range_el1_checked(const struct kvmmte_tags_geometry *geo,
						     void *addr, size_t size, unsigned int flags);
RANGE_HIDDEN int kvmmte_tags_clear_range_el0_checked(const struct kvmmte_tags_geometry *geo,
						     void *addr, size_t size, unsigned int flags);
RANGE_HIDDEN int kvmmte_tags_save_range_el1_checked(const struct kvmmte_tags_geometry *geo,
						    const void *addr, size_t size, void *buf,
						    size_t buf_size, enum kvmmte_tags_format fmt);
RANGE_HIDDEN int kvmmte_tags_save_range_el0_checked(const struct kvmmte_tags_geometry *geo,
						    const void *addr, size_t size, void *buf,
						    size_t buf_size, enum kvmmte_tags_format fmt);
RANGE_HIDDEN int kvmmte_tags_restore_range_el1_checked(const struct kvmmte_tags_geometry *geo,
						       void *addr, size_t size, const void *buf,
						       size_t buf_size, enum kvmmte_tags_format fmt);
RANGE_HIDDEN int kvmmte_tags_restore_range_el0_checked(const struct kvmmte_tags_geometry *geo,
						       void *addr, size_t size, const void *buf,
						       size_t buf_size, enum kvmmte_tags_format fmt);
#endif

/*
 * [addr, addr + size): size > 0, both multiples of 4 KiB, and bits [55:0]
 * of addr plus size not past 2^56 (written so that nothing can overflow).
 */
static int check_range(const void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr;

	if (!size || ((a | size) & RANGE_MASK))
		return -KVMMTE_EINVAL;
	if (size > ADDR_SPAN - (a & (ADDR_SPAN - 1)))
		return -KVMMTE_EINVAL;
	return 0;
}

static int clear_range(bool el1, const struct kvmmte_tags_geometry *geo, void *addr,
		       size_t size, unsigned int flags)
{
	unsigned int i = el1 ? KVMMTE_TAGS_PLAN_CLEAR_EL1 + (flags & KVMMTE_TAGS_CLEAR_DATA) :
			       KVMMTE_TAGS_PLAN_CLEAR_EL0;
	struct tags_geom g;
	int ret;

	if (!geo || !addr)
		return -KVMMTE_EFAULT;
	if (geometry_use(geo, i, &g))
		return -KVMMTE_EINVAL;
	if (flags & ~KVMMTE_TAGS_CLEAR_FLAGS_VALID)
		return -KVMMTE_EINVAL;
	ret = check_range(addr, size);
	if (ret)
		return ret;
	return run_clear(el1, &g, (uintptr_t)addr, size, flags);
}

static int move_range(enum tags_dir dir, bool el1, const struct kvmmte_tags_geometry *geo,
		      const void *addr, size_t size, const void *buf, size_t buf_size,
		      enum kvmmte_tags_format fmt)
{
	struct tags_geom g;
	int ret;

	if (!geo || !addr || !buf)
		return -KVMMTE_EFAULT;
	if (geometry_use(geo, el1 ? KVMMTE_TAGS_PLAN_MOVE_EL1 : KVMMTE_TAGS_PLAN_MOVE_EL0, &g))
		return -KVMMTE_EINVAL;
	if (fmt != KVMMTE_TAGS_PACKED && fmt != KVMMTE_TAGS_BYTES)
		return -KVMMTE_EINVAL;
	ret = check_range(addr, size);
	if (ret)
		return ret;
	if ((uintptr_t)buf & (KVMMTE_TAGS_BUF_ALIGN - 1))
		return -KVMMTE_EINVAL;
	if (buf_size < format_size(fmt, size))
		return -KVMMTE_ENOSPC;
	return run_move(dir, el1, &g, (uintptr_t)addr, size, (uintptr_t)buf, fmt);
}

int RANGE_ENTRY(kvmmte_tags_clear_range_el1)(const struct kvmmte_tags_geometry *geo,
					     void *addr, size_t size, unsigned int flags)
{
	return clear_range(true, geo, addr, size, flags);
}

int RANGE_ENTRY(kvmmte_tags_clear_range_el0)(const struct kvmmte_tags_geometry *geo,
					     void *addr, size_t size, unsigned int flags)
{
	return clear_range(false, geo, addr, size, flags);
}

int RANGE_ENTRY(kvmmte_tags_save_range_el1)(const struct kvmmte_tags_geometry *geo,
					    const void *addr, size_t size, void *buf,
					    size_t buf_size, enum kvmmte_tags_format fmt)
{
	return move_range(TAGS_SAVE, true, geo, addr, size, buf, buf_size, fmt);
}

int RANGE_ENTRY(kvmmte_tags_save_range_el0)(const struct kvmmte_tags_geometry *geo,
					    const void *addr, size_t size, void *buf,
					    size_t buf_size, enum kvmmte_tags_format fmt)
{
	return move_range(TAGS_SAVE, false, geo, addr, size, buf, buf_size, fmt);
}

int RANGE_ENTRY(kvmmte_tags_restore_range_el1)(const struct kvmmte_tags_geometry *geo,
					       void *addr, size_t size, const void *buf,
					       size_t buf_size, enum kvmmte_tags_format fmt)
{
	return move_range(TAGS_RESTORE, true, geo, addr, size, buf, buf_size, fmt);
}

int RANGE_ENTRY(kvmmte_tags_restore_range_el0)(const struct kvmmte_tags_geometry *geo,
					       void *addr, size_t size, const void *buf,
					       size_t buf_size, enum kvmmte_tags_format fmt)
{
	return move_range(TAGS_RESTORE, false, geo, addr, size, buf, buf_size, fmt);
}

/* ---- converters ------------------------------------------------------------ */

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
