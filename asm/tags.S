/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Tag-storage instructions behind lib/tags.c: the loops, and the fast
 * entry points of the range routines.
 *
 * ---- Loops ---------------------------------------------------------------
 *
 * lib/tags.c checks every argument (and the CPU, or the caller's geometry)
 * before it calls a loop; the loops validate nothing.  One signature:
 *
 *   int kvmmte_tags_loop_<name>(uintptr_t unused, uintptr_t start, size_t size,
 *                               uintptr_t buf, size_t block);
 *
 *   x1 start   a multiple of 4 KiB; may carry an address tag in [59:56]
 *   x2 size    a nonzero multiple of 4 KiB; start + size does not carry
 *              out of bit 55
 *   x3 buf     save/restore: 8-byte aligned, big enough for the format
 *   x4 block   the loops without a size in their name: bytes per LDGM/STGM
 *              (4 << GMID_EL1.BS, 16..256) or per DC ZVA block (64..2048)
 *
 * They return 0; the restore_bytes loops first check every byte of the
 * buffer and return -KVMMTE_ERANGE, having stored nothing, if one is > 15.
 * Clobbers x0-x11 and NZCV; no stack, no barrier (see <kvmmte/tags.h>).
 * The _gm, _gm256, stgm and stzgm loops need EL1 or higher (LDGM, STGM
 * and STZGM UNDEF at EL0); the others run at any EL.
 *
 * Inside, every loop runs from x1 to x7 = x1 + x2 (exclusive); the fast
 * entry points below jump in after that set-up, at .L<name>.
 *
 * Unrolled loops do 4 KiB per iteration, so loop control (cmp, b.ne; add
 * for LDG, which has no writeback) is paid once per 4 KiB.  LDGM, STGM,
 * STZGM and DC G*VA take no offset: each block costs the instruction and
 * an add.  Buffer words move in pairs (LDP/STP) with post-index, which is
 * the buffer pointer's only update.  docs/tags.md states the floor these
 * loops are measured against.
 *
 * ---- Fast entry points ----------------------------------------------------
 *
 * kvmmte_tags_{clear,save,restore}_range_{el1,el0} are defined here in a
 * target build.  Each takes a call only when its arguments are certainly
 * valid -- a sufficient condition, computed with one flag chain (ccmp) and
 * one branch -- and the geometry's plan word for the routine names one of
 * the unrolled loops; anything else, valid or not, goes to the same
 * routine's _checked twin in lib/tags.c, which checks everything in the
 * documented order, decides the error, and otherwise picks the loop from
 * the geometry's fields.  A plan (<kvmmte/tags.h>, KVMMTE_TAGS_PLAN_*) is
 * set only where lib/tags.c would pick the same loop.  The sufficient
 * condition, with a = addr, e = addr + size, b = buf:
 *
 *   geo != 0, a != 0 (and b != 0), e > a (size > 0, no wrap),
 *   bits [11:0] and [63:52] of (e ^ a) | (a << 52) | (b << 61) all 0:
 *     a and size multiples of 4 KiB, b 8-aligned, and no carry into bit
 *     52 (stricter than the contract's bit 56; no valid virtual range
 *     crosses bit 52, and one that does is still served by the C path),
 *   fmt 0 or 1, flags 0 or 1, buf_size >= size / 32 or size / 16.
 *
 * Packed word: 16 tags of a 256-byte window in one X register, granule i
 * at bits [4i+3:4i] -- the LDGM/STGM layout, stored little-endian.
 *
 * Instructions: Arm ARM (DDI 0487), A64 descriptions of LDG, STG, ST2G,
 * STZ2G, LDGM, STGM, STZGM, DC GVA, DC GZVA, CCMP; DCZID_EL0 and GMID_EL1
 * in the AArch64 system register descriptions.
 */
#include <kvmmte/errno.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/tags.h>

#define WORD_WINDOW	256		/* bytes whose tags fill one X register */
#define CHUNK		4096		/* bytes per iteration of an unrolled loop */
/* The bits of the fast paths' combined test word that must be 0. */
#define FAST_BAD_BITS	0xfff0000000000fff
#define TAG_BYTE_HIGH	0xf0f0f0f0f0f0f0f0

/*
 * The file is armv8-a code.  gas accepts the tag instructions only on an
 * armv8.5-a base with +memtag, so tag_insn raises the ISA for exactly one
 * instruction and drops back: anything newer than v8.0 elsewhere in this
 * file stays an assembler error.  Whether MTE exists is decided at run
 * time by the callers.
 */
	.arch	armv8-a
.macro tag_insn insn:vararg
	.arch	armv8.5-a
	.arch_extension memtag
	\insn
	.arch	armv8-a
.endm

/*
 * Everything is in one section: the fast entry points fall through into
 * their loops.  entry defines a function symbol (hidden unless public).
 * No alignment padding goes where code falls through: it would execute.
 */
	.section .text.kvmmte_tags, "ax", %progbits

.macro entry name, vis=hidden
	.globl	\name
	.ifc	\vis, hidden
	.hidden	\name
	.endif
	.type	\name, %function
	.balign	16
\name:
.endm

.macro endentry name
	.size	\name, . - \name
.endm

.macro ret0
	mov	w0, wzr
	ret
.endm

/*
 * c_entry name - the C-callable entry of the loop at .L\name: the end of
 * the range into x7 (and, for the restore_bytes loops' check, x8 = 0),
 * then the loop.
 */
.macro c_entry name, check=0
	entry	kvmmte_tags_loop_\name
	add	x7, x1, x2
	.if	\check
	mov	x8, xzr
	.endif
	b	.L\name
	endentry kvmmte_tags_loop_\name
.endm

/*
 * ---- Clear ---------------------------------------------------------------
 *
 * block_loop - \insn (using x1) every \step bytes over [x1, x7), \reps per
 * iteration.  With an immediate \step and \reps * \step == CHUNK it is
 * the unrolled loop; with \step a register it is the loop for any block,
 * two per iteration (every block is at most 2 KiB, every range a multiple
 * of 4 KiB).
 */
.macro block_loop step, reps, insn:vararg
1:	.rept	\reps
	tag_insn \insn
	add	x1, x1, \step
	.endr
	cmp	x1, x7
	b.ne	1b
	ret0
.endm

.macro fixed_block_loop name, step, insn:vararg
.L\name:
	block_loop #\step, (CHUNK / \step), \insn
.endm

.macro any_block_loop name, insn:vararg
	entry	kvmmte_tags_loop_\name
	add	x7, x1, x2
	block_loop x4, 2, \insn
	endentry kvmmte_tags_loop_\name
.endm

/*
 * pair_loop - ST2G or STZ2G (\insn) with tag 0 over [x1, x7), 32 bytes
 * each and no address add: every store but two per iteration has an
 * immediate offset, and the store to offset 0 of each 2 KiB half moves
 * the base on by 2048 (post-index; 4096 itself does not fit the offset).
 * ST2G's source is <Xt|SP>: x9 = 0 supplies tag 0 (31 would be SP).
 */
.macro pair_loop name, insn
.L\name:
	mov	x9, xzr
1:	.rept	2
	.set	.Lpair_off, 32
	.rept	(2048 / 32 - 1)
	tag_insn \insn x9, [x1, #.Lpair_off]
	.set	.Lpair_off, .Lpair_off + 32
	.endr
	tag_insn \insn x9, [x1], #2048
	.endr
	cmp	x1, x7
	b.ne	1b
	ret0
.endm

/*
 * ---- Conversions between a packed word and one tag per byte ----------------
 *
 * General registers only (no SIMD in the library).
 *
 * spread w, lo, hi, m - the 16 tags of the packed word \w become 16 bytes,
 * tag k in byte k: tags 0-7 in \lo, 8-15 in \hi.  \m holds
 * 0x0000ffff00000000 (set once per call).  12 instructions: per half, the
 * two 16-bit quarters go to the two 32-bit lanes (an AND of the shifted
 * word with \m, then BFXIL), then each lane's two bytes to its two 16-bit
 * lanes, then each of those bytes' two nibbles to two bytes.
 */
.macro spread w, lo, hi, m
	and	\lo, \m, \w, lsl #16
	bfxil	\lo, \w, #0, #16
	and	\hi, \m, \w, lsr #16
	bfxil	\hi, \w, #32, #16
	orr	\lo, \lo, \lo, lsl #8
	and	\lo, \lo, #0x00ff00ff00ff00ff
	orr	\hi, \hi, \hi, lsl #8
	and	\hi, \hi, #0x00ff00ff00ff00ff
	orr	\lo, \lo, \lo, lsl #4
	and	\lo, \lo, #0x0f0f0f0f0f0f0f0f
	orr	\hi, \hi, \hi, lsl #4
	and	\hi, \hi, #0x0f0f0f0f0f0f0f0f
.endm

/*
 * gather lo, hi - 16 bytes, tag k in byte k (0-7 in \lo, 8-15 in \hi),
 * become the packed word in \lo; \hi is clobbered.  13 instructions.  Bits
 * [7:4] of each byte are dropped first (2 of the 13): lib/tags.c or the
 * loop's check rejected such input already, and if the buffer changes
 * under us a stray bit still can not reach another granule's tag.
 */
.macro gather lo, hi
	and	\lo, \lo, #0x0f0f0f0f0f0f0f0f
	and	\hi, \hi, #0x0f0f0f0f0f0f0f0f
	orr	\lo, \lo, \lo, lsr #4
	orr	\hi, \hi, \hi, lsr #4
	and	\lo, \lo, #0x00ff00ff00ff00ff
	and	\hi, \hi, #0x00ff00ff00ff00ff
	orr	\lo, \lo, \lo, lsr #8
	orr	\hi, \hi, \hi, lsr #8
	and	\lo, \lo, #0x0000ffff0000ffff
	and	\hi, \hi, #0x0000ffff0000ffff
	orr	\lo, \lo, \lo, lsr #16
	orr	\hi, \hi, \hi, lsr #16
	bfi	\lo, \hi, #32, #32
.endm

/*
 * check_bytes erange - every byte of the buffer [x3, x3 + x2 / 16) (the
 * range's, x2 its size) is <= 15, or branch to \erange.  x8 = 0 on entry
 * (the accumulator).  16 LDP and 32 ORR per 256 bytes, unrolled.  Leaves
 * x3 at the end of the buffer: the restore loops then run backwards.
 */
.macro check_bytes erange
	add	x9, x3, x2, lsr #4
1:	.set	.Lchk_off, 16
	.rept	15
	ldp	x5, x6, [x3, #.Lchk_off]
	orr	x8, x8, x5
	orr	x8, x8, x6
	.set	.Lchk_off, .Lchk_off + 16
	.endr
	ldp	x5, x6, [x3], #256
	orr	x8, x8, x5
	orr	x8, x8, x6
	cmp	x3, x9
	b.ne	1b
	tst	x8, #TAG_BYTE_HIGH
	b.ne	\erange
.endm

.macro erange_return
	mov	w0, #-KVMMTE_ERANGE
	ret
.endm

/*
 * ---- Fast entry points ------------------------------------------------------
 *
 * fast_range - x7 = end, x8 = the test word's bad bits (0 if good), for
 * x1 = addr, x2 = size, and \buf (or none); loads plan word \plan (if
 * given) of the geometry at x0 into w6.  Branches to \slow if x0 is NULL.
 */
.macro fast_range plan, slow, buf=
	cbz	x0, \slow
	.ifnb	\plan
	ldr	w6, [x0, #(\plan * 4)]
	.endif
	add	x7, x1, x2
	eor	x8, x7, x1
	orr	x8, x8, x1, lsl #52
	.ifnb	\buf
	orr	x8, x8, \buf, lsl #61
	.endif
	and	x8, x8, #FAST_BAD_BITS
.endm

/*
 * move_chain slow - the rest of the save/restore test, flags "eq" so far
 * (buffer large enough, plan and format matched): addr != 0, buf != 0,
 * no bad bit, end > addr.
 */
.macro move_chain slow
	ccmp	x1, #0, #4, eq		/* ne: addr */
	ccmp	x3, #0, #4, ne		/* ne: buf */
	ccmp	x8, #0, #0, ne		/* eq: no bad bit */
	ccmp	x7, x1, #0, eq		/* hi: end > addr */
	b.ls	\slow
.endm

/*
 * move_entry name, plan_index, plan - the fast path of kvmmte_tags_\name
 * (save or restore; x0 geo, x1 addr, x2 size, x3 buf, x4 buf_size, w5
 * fmt), the one-per-byte half: it falls through into the bytes loop,
 * which the caller places right after it.  move_entry_end packed_loop
 * follows that loop: the packed half, which branches to its loop, and the
 * way to the C path.  The buffer test comes first, as a CMP: a CCMP can
 * not shift its operand.
 */
.macro move_entry name, plan_index, plan
	entry	kvmmte_tags_\name, public
	fast_range \plan_index, .L\name\()_checked, x3
	cbz	w5, .L\name\()_packed
	cmp	x4, x2, lsr #4		/* hs: buf_size >= size / 16 */
	ccmp	w6, #\plan, #0, hs	/* eq: the plan */
	ccmp	w5, #1, #0, eq		/* eq: fmt is KVMMTE_TAGS_BYTES */
	move_chain .L\name\()_checked
.endm

.macro move_entry_end name, plan, packed_loop
.L\name\()_packed:
	cmp	x4, x2, lsr #5		/* hs: buf_size >= size / 32 */
	ccmp	w6, #\plan, #0, hs
	move_chain .L\name\()_checked
	b	.L\packed_loop
.L\name\()_checked:
	b	kvmmte_tags_\name\()_checked
	endentry kvmmte_tags_\name
.endm

/*
 * ---- EL1+: LDGM / STGM, 256-byte block (GMID_EL1.BS = 6) --------------------
 *
 * One instruction per buffer word.  Save packed, per 4 KiB: 16 LDGM, 16
 * add, 8 STP, cmp, b.ne.
 */
	move_entry save_range_el1, KVMMTE_TAGS_PLAN_MOVE_EL1, KVMMTE_TAGS_PLAN_GM256
.Lsave_bytes_gm256:
	mov	x9, #0x0000ffff00000000
1:	.rept	CHUNK / WORD_WINDOW
	tag_insn ldgm	x6, [x1]
	add	x1, x1, #WORD_WINDOW
	spread	x6, x10, x11, x9
	stp	x10, x11, [x3], #16
	.endr
	cmp	x1, x7
	b.ne	1b
	ret0
	move_entry_end save_range_el1, KVMMTE_TAGS_PLAN_GM256, save_packed_gm256

.Lsave_packed_gm256:
1:	.rept	CHUNK / WORD_WINDOW / 2
	tag_insn ldgm	x5, [x1]
	add	x1, x1, #WORD_WINDOW
	tag_insn ldgm	x6, [x1]
	add	x1, x1, #WORD_WINDOW
	stp	x5, x6, [x3], #16
	.endr
	cmp	x1, x7
	b.ne	1b
	ret0

	move_entry restore_range_el1, KVMMTE_TAGS_PLAN_MOVE_EL1, KVMMTE_TAGS_PLAN_GM256
/* Restore one per byte: the check, then backwards from the end. */
.Lrestore_bytes_gm256:
	check_bytes 8f
1:	.rept	CHUNK / WORD_WINDOW
	ldp	x5, x6, [x3, #-16]!
	gather	x5, x6
	sub	x7, x7, #WORD_WINDOW
	tag_insn stgm	x5, [x7]
	.endr
	cmp	x7, x1
	b.ne	1b
	ret0
8:	erange_return
	move_entry_end restore_range_el1, KVMMTE_TAGS_PLAN_GM256, restore_packed_gm256

.Lrestore_packed_gm256:
1:	.rept	CHUNK / WORD_WINDOW / 2
	ldp	x5, x6, [x3], #16
	tag_insn stgm	x5, [x1]
	add	x1, x1, #WORD_WINDOW
	tag_insn stgm	x6, [x1]
	add	x1, x1, #WORD_WINDOW
	.endr
	cmp	x1, x7
	b.ne	1b
	ret0

/*
 * ---- EL1+: LDGM / STGM, any block ---------------------------------------------
 *
 * One LDGM covers x4 bytes and leaves the nibbles outside its block zero,
 * so a word is the OR of 256 / x4 loads; STGM takes the nibbles of its own
 * block from the whole word.  One word per iteration.
 */
.macro gm_inner insn, reg
2:	tag_insn \insn	\reg, [x1]
	.ifc	\insn, ldgm
	orr	x6, x6, \reg
	.endif
	add	x1, x1, x4
	tst	x1, #(WORD_WINDOW - 1)
	b.ne	2b
.endm

	entry	kvmmte_tags_loop_save_packed_gm
	add	x7, x1, x2
1:	mov	x6, xzr
	gm_inner ldgm, x5
	str	x6, [x3], #8
	cmp	x1, x7
	b.ne	1b
	ret0
	endentry kvmmte_tags_loop_save_packed_gm

	entry	kvmmte_tags_loop_save_bytes_gm
	add	x7, x1, x2
	mov	x9, #0x0000ffff00000000
1:	mov	x6, xzr
	gm_inner ldgm, x5
	spread	x6, x10, x11, x9
	stp	x10, x11, [x3], #16
	cmp	x1, x7
	b.ne	1b
	ret0
	endentry kvmmte_tags_loop_save_bytes_gm

	entry	kvmmte_tags_loop_restore_packed_gm
	add	x7, x1, x2
1:	ldr	x6, [x3], #8
	gm_inner stgm, x6
	cmp	x1, x7
	b.ne	1b
	ret0
	endentry kvmmte_tags_loop_restore_packed_gm

	entry	kvmmte_tags_loop_restore_bytes_gm
	add	x7, x1, x2
	mov	x8, xzr
	check_bytes 8f
1:	ldp	x5, x6, [x3, #-16]!
	gather	x5, x6
2:	sub	x7, x7, x4
	tag_insn stgm	x5, [x7]
	tst	x7, #(WORD_WINDOW - 1)
	b.ne	2b
	cmp	x7, x1
	b.ne	1b
	ret0
8:	erange_return
	endentry kvmmte_tags_loop_restore_bytes_gm

/*
 * ---- Any EL: LDG / STG, one granule each --------------------------------------
 *
 * LDG replaces bits [59:56] of its destination and keeps the rest; STG
 * stores bits [59:56] of its source.  So a word is built, or taken apart,
 * with one rotate per granule and no masking.
 *
 * ldg_word reg, base - the packed word of the 256 bytes at x1 + \base:
 * tag 15 first, then 0..14, a ROR #4 after each but the last, leaves tag
 * i at bit 4i (tag 14, loaded last, at 56; tag 15 rotated round to 60).
 * 16 LDG and 15 ROR.  Every nibble of \reg is written: no clearing.
 */
.macro ldg_word reg, base
	tag_insn ldg	\reg, [x1, #(\base + 240)]
	ror	\reg, \reg, #4
	.set	.Lldg_g, 0
	.rept	14
	tag_insn ldg	\reg, [x1, #(\base + .Lldg_g)]
	ror	\reg, \reg, #4
	.set	.Lldg_g, .Lldg_g + 16
	.endr
	tag_insn ldg	\reg, [x1, #(\base + 224)]
.endm

/*
 * ldg_bytes reg, base - tags of the 8 granules at x1 + \base into the 8
 * bytes of \reg, tag k in byte k: a ROR #8 between loads, tag 7 last (at
 * bits [59:56], byte 7).  8 LDG, 7 ROR.  Bits [7:4] of each byte stay as
 * they were: 0, from the caller's clearing of \reg once per call.
 */
.macro ldg_bytes reg, base
	.set	.Lldg_g, 0
	.rept	7
	tag_insn ldg	\reg, [x1, #(\base + .Lldg_g)]
	ror	\reg, \reg, #8
	.set	.Lldg_g, .Lldg_g + 16
	.endr
	tag_insn ldg	\reg, [x1, #(\base + 112)]
.endm

.macro save_packed_ldg_loop
.Lsave_packed_ldg:
1:	.set	.Lldg_w, 0
	.rept	CHUNK / WORD_WINDOW / 2
	ldg_word x5, .Lldg_w
	ldg_word x6, (.Lldg_w + WORD_WINDOW)
	stp	x5, x6, [x3], #16
	.set	.Lldg_w, .Lldg_w + 2 * WORD_WINDOW
	.endr
	add	x1, x1, #CHUNK
	cmp	x1, x7
	b.ne	1b
	ret0
.endm

.macro save_bytes_ldg_loop
.Lsave_bytes_ldg:
	mov	x5, xzr
	mov	x6, xzr
1:	.set	.Lldg_w, 0
	.rept	CHUNK / WORD_WINDOW
	ldg_bytes x5, .Lldg_w
	ldg_bytes x6, (.Lldg_w + WORD_WINDOW / 2)
	stp	x5, x6, [x3], #16
	.set	.Lldg_w, .Lldg_w + WORD_WINDOW
	.endr
	add	x1, x1, #CHUNK
	cmp	x1, x7
	b.ne	1b
	ret0
.endm

/*
 * stg_at reg, off - STG \reg to the granule at offset \off of the current
 * 4 KiB chunk, whose base x1 (forwards) or x7 (backwards) is at chunk
 * offset .Lstg_base.  The store to chunk offset 0 or 2048 that is due to
 * move the base does it itself: post-index by +2048 going forwards (from
 * the store at the base), pre-index by -2048 going backwards (to the
 * store 2048 below the base).  So no add: 2 instructions of loop control.
 */
.macro stg_at reg, off, dir
	.ifc	\dir, fwd
	.if	(\off) == .Lstg_base
	tag_insn stg	\reg, [x1], #2048
	.set	.Lstg_base, .Lstg_base + 2048
	.else
	tag_insn stg	\reg, [x1, #((\off) - .Lstg_base)]
	.endif
	.else
	.if	(\off) == .Lstg_base - 2048
	tag_insn stg	\reg, [x7, #-2048]!
	.set	.Lstg_base, .Lstg_base - 2048
	.else
	tag_insn stg	\reg, [x7, #((\off) - .Lstg_base)]
	.endif
	.endif
.endm

/*
 * stg_word reg, base - the packed word in \reg to the 16 granules at chunk
 * offset \base: tag 14 first (it is at bits [59:56] already), then a ROR
 * #4 before each of 15, 0, 1, ..., 13.  16 STG, 15 ROR.  The post-index
 * store is the one to offset 0 of a 2 KiB half, the third of its word:
 * the two before it still use the old base.
 */
.macro stg_word reg, base
	stg_at	\reg, (\base + 224), fwd
	ror	\reg, \reg, #4
	stg_at	\reg, (\base + 240), fwd
	.set	.Lstg_g, 0
	.rept	14
	ror	\reg, \reg, #4
	stg_at	\reg, (\base + .Lstg_g), fwd
	.set	.Lstg_g, .Lstg_g + 16
	.endr
.endm

/*
 * stg_bytes reg, base - the 8 tags in the bytes of \reg (bits [3:0] each)
 * to the 8 granules at chunk offset \base, backwards: tag 7 (byte 7, at
 * bits [59:56] already) first, then a ROR #8 before each of 0..6.  STG
 * ignores bits [63:60], where byte 7's bits [7:4] are: a stray bit can
 * not reach another granule.  8 STG, 7 ROR.
 */
.macro stg_bytes reg, base
	stg_at	\reg, (\base + 112), bwd
	.set	.Lstg_g, 0
	.rept	7
	ror	\reg, \reg, #8
	stg_at	\reg, (\base + .Lstg_g), bwd
	.set	.Lstg_g, .Lstg_g + 16
	.endr
.endm

.macro restore_packed_stg_loop
.Lrestore_packed_stg:
1:	.set	.Lstg_base, 0
	.set	.Lstg_w, 0
	.rept	CHUNK / WORD_WINDOW / 2
	ldp	x5, x6, [x3], #16
	stg_word x5, .Lstg_w
	stg_word x6, (.Lstg_w + WORD_WINDOW)
	.set	.Lstg_w, .Lstg_w + 2 * WORD_WINDOW
	.endr
	.if	.Lstg_base != CHUNK
	.error	"restore_packed_stg: the base did not move on by a whole chunk"
	.endif
	cmp	x1, x7
	b.ne	1b
	ret0
.endm

/* The check, then backwards from the end: chunk by chunk, word by word. */
.macro restore_bytes_stg_loop
.Lrestore_bytes_stg:
	check_bytes 8f
1:	.set	.Lstg_base, CHUNK
	.set	.Lstg_w, CHUNK - WORD_WINDOW
	.rept	CHUNK / WORD_WINDOW
	ldp	x5, x6, [x3, #-16]!
	stg_bytes x5, .Lstg_w
	stg_bytes x6, (.Lstg_w + WORD_WINDOW / 2)
	.set	.Lstg_w, .Lstg_w - WORD_WINDOW
	.endr
	.if	.Lstg_base != 0
	.error	"restore_bytes_stg: the base did not move back by a whole chunk"
	.endif
	cmp	x7, x1
	b.ne	1b
	ret0
8:	erange_return
.endm

	move_entry save_range_el0, KVMMTE_TAGS_PLAN_MOVE_EL0, KVMMTE_TAGS_PLAN_EL0
	save_bytes_ldg_loop
	move_entry_end save_range_el0, KVMMTE_TAGS_PLAN_EL0, save_packed_ldg
	save_packed_ldg_loop

	move_entry restore_range_el0, KVMMTE_TAGS_PLAN_MOVE_EL0, KVMMTE_TAGS_PLAN_EL0
	restore_bytes_stg_loop
	move_entry_end restore_range_el0, KVMMTE_TAGS_PLAN_EL0, restore_packed_stg
	restore_packed_stg_loop

/*
 * ---- Clear: fast entry points and loops ---------------------------------------
 *
 * x0 geo, x1 addr, x2 size, w3 flags.  DC GVA/GZVA take the new tag from
 * the address: only for an untagged pointer (see lib/tags.c, run_clear()).
 */
	entry	kvmmte_tags_clear_range_el1, public
	cmp	w3, #1
	b.hi	9f
	fast_range , 9f
	ldr	w6, [x0, w3, uxtw #2]	/* plan CLEAR_EL1 (+ 1 with data) */
	cmp	x1, #0
	ccmp	x8, #0, #0, ne		/* eq: no bad bit */
	ccmp	x7, x1, #0, eq		/* hi: end > addr */
	b.ls	9f
	cmp	w6, #KVMMTE_TAGS_PLAN_STGM256
	b.eq	.Lstgm_256
	cmp	w6, #KVMMTE_TAGS_PLAN_DCZ64
	b.ne	1f
	tst	x1, #KVMMTE_ADDR_TAG_MASK
	b.eq	.Ldc_gzva_64
	b	.Lstzgm_64
1:	cmp	w6, #KVMMTE_TAGS_PLAN_STZGM64
	b.eq	.Lstzgm_64
9:	b	kvmmte_tags_clear_range_el1_checked
	endentry kvmmte_tags_clear_range_el1

	entry	kvmmte_tags_clear_range_el0, public
	cmp	w3, #1
	b.hi	9f
	fast_range KVMMTE_TAGS_PLAN_CLEAR_EL0, 9f
	cmp	x1, #0
	ccmp	x8, #0, #0, ne
	ccmp	x7, x1, #0, eq
	b.ls	9f
	cmp	w6, #KVMMTE_TAGS_PLAN_DCZ64
	b.ne	1f
	tst	x1, #KVMMTE_ADDR_TAG_MASK
	b.ne	2f
	cbnz	w3, .Ldc_gzva_64
	b	.Ldc_gva_64
1:	cmp	w6, #KVMMTE_TAGS_PLAN_PAIRS
	b.ne	9f
2:	cbnz	w3, .Lstz2g
	b	.Lst2g
9:	b	kvmmte_tags_clear_range_el0_checked
	endentry kvmmte_tags_clear_range_el0

	fixed_block_loop stgm_256, WORD_WINDOW, stgm xzr, [x1]
	fixed_block_loop stzgm_64, 64, stzgm xzr, [x1]
	fixed_block_loop dc_gva_64, 64, dc gva, x1
	fixed_block_loop dc_gzva_64, 64, dc gzva, x1
	pair_loop st2g, st2g
	pair_loop stz2g, stz2g

	any_block_loop stgm, stgm xzr, [x1]
	any_block_loop stzgm, stzgm xzr, [x1]
	any_block_loop dc_gva, dc gva, x1
	any_block_loop dc_gzva, dc gzva, x1

/* The C entries of the loops the fast paths share. */
	c_entry	stgm_256
	c_entry	stzgm_64
	c_entry	dc_gva_64
	c_entry	dc_gzva_64
	c_entry	st2g
	c_entry	stz2g
	c_entry	save_packed_gm256
	c_entry	save_bytes_gm256
	c_entry	restore_packed_gm256
	c_entry	restore_bytes_gm256, check=1
	c_entry	save_packed_ldg
	c_entry	save_bytes_ldg
	c_entry	restore_packed_stg
	c_entry	restore_bytes_stg, check=1
