/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Tag-storage instructions behind lib/tags.c, which checks every argument
 * (and, for the _el1 routines, FEAT_MTE2 and GMID_EL1) before calling
 * here.  Nothing in this file validates anything.
 *
 * Every routine is an AAPCS64 leaf with one signature:
 *
 *   void kvmmte_tags_insn_<op>(uintptr_t page, size_t size, uintptr_t buf,
 *                              unsigned int zero_data, size_t gm_block);
 *
 *   x0 page       aligned to size; may carry an address tag in [59:56]
 *   x1 size       4, 16 or 64 KiB (a multiple of every block used here)
 *   x2 buf        save/restore: 8-byte aligned, big enough for the format
 *   w3 zero_data  clear: nonzero also zeroes the data
 *   x4 gm_block   _el1: bytes per LDGM/STGM, 4 << GMID_EL1.BS (16..256)
 *
 * Clobbers x0-x9 and NZCV; no stack, no barrier (see <kvmmte/tags.h>).
 * The _el1 routines need EL1 or higher (LDGM/STGM/STZGM UNDEF at EL0);
 * the _el0 routines run at any EL.
 *
 * Packed word: 16 tags of a 256-byte window in one X register, granule i
 * at bits [4i+3:4i] -- the LDGM/STGM layout, stored little-endian.
 *
 * Instructions: Arm ARM (DDI 0487), A64 descriptions of LDG, STG, ST2G,
 * STZ2G, LDGM, STGM, STZGM, DC GVA, DC GZVA; DCZID_EL0 and GMID_EL1 in the
 * AArch64 system register descriptions.
 */
#include <kvmmte/sysreg.h>
#include <kvmmte/tags.h>

#define WORD_WINDOW		256		/* bytes whose tags fill one X register */

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

.macro func name
	.section .text.\name, "ax", %progbits
	.globl	\name
	.hidden	\name
	.type	\name, %function
	.balign	16
\name:
.endm

.macro endfunc name
	.size	\name, . - \name
.endm

/*
 * dczid_block blk, raw, tmp - \raw = DCZID_EL0, \blk = bytes per DC ZVA
 * block (4 << BS): the block of DC GVA, DC GZVA and STZGM.  Clobbers the
 * three registers passed.
 */
.macro dczid_block blk, raw, tmp
	mrs	\raw, KVMMTE_SYS(DCZID_EL0)
	and	\tmp, \raw, #KVMMTE_DCZID_EL0_BS_MASK
	mov	\blk, #4
	lsl	\blk, \blk, \tmp
.endm

/*
 * block_loop addr, end, step, insn... - run \insn once per \step bytes
 * from \addr up to \end (exclusive), two per iteration, then return.
 * \insn uses \addr.  The span must be a multiple of 2 * \step: every
 * block here is at most 2 KiB (DCZID_EL0.BS <= 9) or 256 bytes (GMID_EL1),
 * and every page at least 4 KiB.  Clobbers \addr and NZCV.
 */
.macro block_loop addr, end, step, insn:vararg
.Lblock\@:
	tag_insn \insn
	add	\addr, \addr, \step
	tag_insn \insn
	add	\addr, \addr, \step
	cmp	\addr, \end
	b.ne	.Lblock\@
	ret
.endm

/*
 * Conversions between a packed word and one-tag-per-byte, general
 * registers only (no SIMD in the library).  Each clobbers only \x.
 *
 * spread_nibbles x: the 8 tags in bits [31:0] of \x (upper half zero)
 * become 8 bytes, tag k in byte k.
 */
.macro spread_nibbles x
	orr	\x, \x, \x, lsl #16
	and	\x, \x, #0x0000ffff0000ffff
	orr	\x, \x, \x, lsl #8
	and	\x, \x, #0x00ff00ff00ff00ff
	orr	\x, \x, \x, lsl #4
	and	\x, \x, #0x0f0f0f0f0f0f0f0f
.endm

/*
 * gather_nibbles x: 8 bytes, tag k in byte k, become 8 tags in bits
 * [31:0] of \x (bits [63:32] are left as garbage).  Bits [7:4] of each
 * byte are dropped first: lib/tags.c rejected such input already, and if
 * the buffer changes under us a stray bit still can not reach another
 * granule's tag.
 */
.macro gather_nibbles x
	and	\x, \x, #0x0f0f0f0f0f0f0f0f
	orr	\x, \x, \x, lsr #4
	and	\x, \x, #0x00ff00ff00ff00ff
	orr	\x, \x, \x, lsr #8
	and	\x, \x, #0x0000ffff0000ffff
	orr	\x, \x, \x, lsr #16
.endm

/* store_word_<fmt> word, buf, t1, t2 - append one packed word to \buf. */
.macro store_word_packed word, buf, t1, t2
	str	\word, [\buf], #8
.endm

.macro store_word_bytes word, buf, t1, t2
	ubfx	\t1, \word, #0, #32
	lsr	\t2, \word, #32
	spread_nibbles \t1
	spread_nibbles \t2
	stp	\t1, \t2, [\buf], #16
.endm

/* load_word_<fmt> word, buf, tmp - next packed word from \buf into \word. */
.macro load_word_packed word, buf, tmp
	ldr	\word, [\buf], #8
.endm

.macro load_word_bytes word, buf, tmp
	ldp	\word, \tmp, [\buf], #16
	gather_nibbles \word
	gather_nibbles \tmp
	bfi	\word, \tmp, #32, #32
.endm

/*
 * ---- Clear --------------------------------------------------------------
 *
 * DC GZVA (data and tags) / DC GVA (tags) write one DCZID block each and
 * take the tag from the address, so they are used only when DCZID_EL0.DZP
 * allows them and the pointer's address tag is 0; the address is never
 * rewritten (clearing its tag bits would change the address when TBI is
 * off).  Otherwise the tag comes from a register holding 0.
 */

/* EL1+: DC GZVA, else STZGM (same DCZID block, never prohibited);
 * tags only: DC GVA when its block is larger than STGM's, else STGM. */
func kvmmte_tags_insn_clear_el1
	add	x5, x0, x1
	dczid_block x6, x7, x8
	cbz	w3, .Lclear_el1_tags
	tbnz	x7, #KVMMTE_DCZID_EL0_DZP_SHIFT, .Lclear_el1_stzgm
	tst	x0, #KVMMTE_ADDR_TAG_MASK
	b.ne	.Lclear_el1_stzgm
	block_loop x0, x5, x6, dc gzva, x0
.Lclear_el1_stzgm:
	block_loop x0, x5, x6, stzgm xzr, [x0]
.Lclear_el1_tags:
	tbnz	x7, #KVMMTE_DCZID_EL0_DZP_SHIFT, .Lclear_el1_stgm
	tst	x0, #KVMMTE_ADDR_TAG_MASK
	b.ne	.Lclear_el1_stgm
	cmp	x6, x4
	b.ls	.Lclear_el1_stgm
	block_loop x0, x5, x6, dc gva, x0
.Lclear_el1_stgm:
	block_loop x0, x5, x4, stgm xzr, [x0]
endfunc kvmmte_tags_insn_clear_el1

/*
 * granule_pair_loop insn - \insn (ST2G or STZ2G) with tag 0 from x9 over
 * [x0, x5), four per iteration (128 bytes), then return.
 */
.macro granule_pair_loop insn
.Lpairs\@:
	tag_insn \insn	x9, [x0, #32]
	tag_insn \insn	x9, [x0, #64]
	tag_insn \insn	x9, [x0, #96]
	tag_insn \insn	x9, [x0], #128
	cmp	x0, x5
	b.ne	.Lpairs\@
	ret
.endm

/* Any EL: DC GZVA / DC GVA, else STZ2G / ST2G, four per iteration. */
func kvmmte_tags_insn_clear_el0
	add	x5, x0, x1
	dczid_block x6, x7, x8
	tbnz	x7, #KVMMTE_DCZID_EL0_DZP_SHIFT, .Lclear_el0_granules
	tst	x0, #KVMMTE_ADDR_TAG_MASK
	b.ne	.Lclear_el0_granules
	cbz	w3, .Lclear_el0_gva
	block_loop x0, x5, x6, dc gzva, x0
.Lclear_el0_gva:
	block_loop x0, x5, x6, dc gva, x0
.Lclear_el0_granules:
	/* ST2G's source is <Xt|SP>: x9 = 0 supplies tag 0 (xzr would be SP). */
	mov	x9, xzr
	cbz	w3, .Lclear_el0_st2g
	granule_pair_loop stz2g
.Lclear_el0_st2g:
	granule_pair_loop st2g
endfunc kvmmte_tags_insn_clear_el0

/*
 * ---- Save / restore at EL1+: LDGM / STGM ---------------------------------
 *
 * One LDGM covers gm_block bytes and leaves the nibbles outside its block
 * zero, so a 256-byte word is the OR of 256 / gm_block loads; STGM takes
 * the nibbles of its own block from the whole word.  With gm_block == 256
 * (BS = 6) one instruction moves a whole word: that loop is separate.
 */
/*
 * word_loop label, body... - the loop every save and restore runs once
 * per WORD_WINDOW bytes (one buffer word) of the page [x0, x5): \body,
 * then step x0, then return at the end.  \body moves one word's tags
 * between [x0] and the buffer at x2; it may clobber x6-x8 and NZCV.
 */
.macro word_loop label, body:vararg
\label:
	\body
	add	x0, x0, #WORD_WINDOW
	cmp	x0, x5
	b.ne	\label
	ret
.endm

/* One word each way: LDGM/STGM when one block is the whole word (BS = 6). */
.macro save_word_ldgm fmt
	tag_insn ldgm	x6, [x0]
	store_word_\fmt x6, x2, x7, x8
.endm

.macro restore_word_stgm fmt
	load_word_\fmt x6, x2, x7
	tag_insn stgm	x6, [x0]
.endm

/*
 * Save and restore at EL1+, one body: words of gm_block == WORD_WINDOW go
 * through word_loop; smaller blocks are ORed into a word (save) or each
 * take their nibbles from it (restore).
 */
.macro define_el1 op, fmt
func kvmmte_tags_insn_\op\()_\fmt\()_el1
	add	x5, x0, x1
	cmp	x4, #WORD_WINDOW
	b.ne	.L\op\()_\fmt\()_el1_blocks
	.ifc \op, save
	word_loop .L\op\()_\fmt\()_el1_words, save_word_ldgm \fmt
	.else
	word_loop .L\op\()_\fmt\()_el1_words, restore_word_stgm \fmt
	.endif
.L\op\()_\fmt\()_el1_blocks:
	.ifc \op, save
	mov	x6, xzr
	.else
	load_word_\fmt x6, x2, x7
	.endif
.L\op\()_\fmt\()_el1_block:
	.ifc \op, save
	tag_insn ldgm	x7, [x0]
	orr	x6, x6, x7
	.else
	tag_insn stgm	x6, [x0]
	.endif
	add	x0, x0, x4
	tst	x0, #(WORD_WINDOW - 1)
	b.ne	.L\op\()_\fmt\()_el1_block
	.ifc \op, save
	store_word_\fmt x6, x2, x7, x8
	.endif
	cmp	x0, x5
	b.ne	.L\op\()_\fmt\()_el1_blocks
	ret
endfunc kvmmte_tags_insn_\op\()_\fmt\()_el1
.endm

/*
 * ---- Save / restore at any EL: LDG / STG, one granule each ---------------
 *
 * Save builds a word without masking: LDG replaces bits [59:56] of its
 * destination and keeps the rest, so after "LDG; ROR #4" fifteen times
 * each tag sits in its own nibble; the last load is followed by ROR #60
 * instead, which leaves tag i at bit 4i.  Restore rotates tag i of the word
 * to bits [59:56], where STG takes its tag from.
 */
.macro save_word_ldg fmt
	.irp	g, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
	tag_insn ldg	x6, [x0, #(\g * KVMMTE_TAG_GRANULE)]
	ror	x6, x6, #4
	.endr
	tag_insn ldg	x6, [x0, #(15 * KVMMTE_TAG_GRANULE)]
	ror	x6, x6, #60
	store_word_\fmt x6, x2, x7, x8
.endm

.macro restore_word_stg fmt
	load_word_\fmt x6, x2, x7
	.irp	g, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	ror	x7, x6, #((\g * 4 + 8) & 63)
	tag_insn stg	x7, [x0, #(\g * KVMMTE_TAG_GRANULE)]
	.endr
.endm

.macro define_el0 op, fmt
func kvmmte_tags_insn_\op\()_\fmt\()_el0
	add	x5, x0, x1
	.ifc \op, save
	word_loop .L\op\()_\fmt\()_el0_words, save_word_ldg \fmt
	.else
	word_loop .L\op\()_\fmt\()_el0_words, restore_word_stg \fmt
	.endif
endfunc kvmmte_tags_insn_\op\()_\fmt\()_el0
.endm

	.irp	fmt, packed, bytes
	define_el1 save, \fmt
	define_el1 restore, \fmt
	define_el0 save, \fmt
	define_el0 restore, \fmt
	.endr
