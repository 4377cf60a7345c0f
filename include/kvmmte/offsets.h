/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Declarations for the offsets generator, tools/kvmmte-offsets.
 *
 * A declarations file (C, compiled with the build's own compiler and flags)
 * includes this header and lists what assembly needs:
 *
 *	#include <kvmmte/offsets.h>
 *	#include "vcpu.h"
 *
 *	KVMMTE_OFFSET(VCPU_MTE_STATE, struct vcpu, mte);
 *	KVMMTE_OFFSET(VCPU_GCR_EL1, struct vcpu, sys_regs[GCR_EL1]);
 *	KVMMTE_SIZE(VCPU_SIZE, struct vcpu);
 *	KVMMTE_DEFINE(VCPU_ALIGN, _Alignof(struct vcpu));
 *
 * What the three macros become depends on who compiles the file:
 *
 *   KVMMTE_OFFSETS_GENERATE  (the tool, generating): one record per
 *	declaration in the section .kvmmte_offsets of the object; the tool
 *	reads the records back with the toolchain's objcopy.
 *   KVMMTE_OFFSETS_VERIFY    (the tool, --verify): each value is kept in
 *	a type; the tool adds a _Static_assert per declaration that the
 *	header under test defines the name to that value.
 *   neither: each expression is type-checked, nothing else, so the file is
 *	harmless wherever else it gets compiled.
 *
 * docs/offsets.md describes the tool, the record format and why.
 */
#ifndef KVMMTE_OFFSETS_H
#define KVMMTE_OFFSETS_H

#ifdef __ASSEMBLER__
#error "kvmmte/offsets.h is for declarations files; assembly includes the generated header"
#endif

/* Bumped with any change to the record layout; the tool checks it. */
#define KVMMTE_OFFSETS_FORMAT	1

#if defined(KVMMTE_OFFSETS_GENERATE)
/*
 * Record layout: all fields are bytes, multi-byte fields big-endian, so the
 * target's endianness and alignment never matter to the reader.
 *
 *	0..3	magic 'k' 'v' 'o' '0'+KVMMTE_OFFSETS_FORMAT
 *	4	kind: 'O' offset, 'S' size, 'D' define
 *	5	flags: 1 constant, 2 negative, 4 fits in 64 bits
 *	6..7	0
 *	8..15	value, two's complement, low 64 bits
 *	16..19	__LINE__ of the declaration
 *	20..23	__COUNTER__ (declaration order; compilers reorder objects)
 *	24..	symbol name, file name, declaration text: NUL-terminated
 *
 * Records may be separated by zero padding (alignment of the objects).
 */

/* The value if it is a compile-time constant, else 0 (and flag 1 clear). */
#define KVMMTE_OFFSETS_VALUE_(v)	(__builtin_constant_p(v) ? (v) : 0)
/*
 * Bits 64 and up, by three shifts each narrower than any integer type:
 * 0 or -1 for every value of 64 bits or fewer, more only for __int128.
 */
#define KVMMTE_OFFSETS_HIGH_(v)	(KVMMTE_OFFSETS_VALUE_(v) >> 31 >> 31 >> 2)
#define KVMMTE_OFFSETS_LOW_(v)	((unsigned long long)KVMMTE_OFFSETS_VALUE_(v))
#define KVMMTE_OFFSETS_BYTE_(v, shift) \
	(unsigned char)(KVMMTE_OFFSETS_LOW_(v) >> (shift))
/*
 * No "< 0" on the value: for an unsigned type that would be a -Wtype-limits
 * warning, and the consumer's flags may well hold -Werror.
 */
#define KVMMTE_OFFSETS_FLAGS_(v) (unsigned char)(			\
	(__builtin_constant_p(v) ? 1 : 0) |				\
	(((unsigned long long)KVMMTE_OFFSETS_HIGH_(v) >> 63) ? 2 : 0) |	\
	((KVMMTE_OFFSETS_HIGH_(v) == 0 ||				\
	  (~KVMMTE_OFFSETS_HIGH_(v) == 0 &&				\
	   (KVMMTE_OFFSETS_LOW_(v) >> 63) != 0)) ? 4 : 0))
#define KVMMTE_OFFSETS_U32_(x) \
	(unsigned char)((x) >> 24), (unsigned char)((x) >> 16), \
	(unsigned char)((x) >> 8), (unsigned char)(x)

#define KVMMTE_OFFSETS_RECORD__(n, kind, name_str, decl_str, v, line)	\
	static const struct {						\
		unsigned char kvmmte_head[24];				\
		char kvmmte_name[sizeof(name_str)];			\
		char kvmmte_file[sizeof(__FILE__)];			\
		char kvmmte_decl[sizeof(decl_str)];			\
	} kvmmte_offsets_record_##n					\
	__attribute__((used, section(".kvmmte_offsets"))) = {		\
		{ 'k', 'v', 'o', '0' + KVMMTE_OFFSETS_FORMAT, kind,	\
		  KVMMTE_OFFSETS_FLAGS_(v), 0, 0,			\
		  KVMMTE_OFFSETS_BYTE_(v, 56), KVMMTE_OFFSETS_BYTE_(v, 48), \
		  KVMMTE_OFFSETS_BYTE_(v, 40), KVMMTE_OFFSETS_BYTE_(v, 32), \
		  KVMMTE_OFFSETS_BYTE_(v, 24), KVMMTE_OFFSETS_BYTE_(v, 16), \
		  KVMMTE_OFFSETS_BYTE_(v, 8), KVMMTE_OFFSETS_BYTE_(v, 0), \
		  KVMMTE_OFFSETS_U32_(line), KVMMTE_OFFSETS_U32_(n) },	\
		name_str, __FILE__, decl_str }
/* One more level, so that __COUNTER__ is a number before it is pasted. */
#define KVMMTE_OFFSETS_RECORD_(n, kind, name_str, decl_str, v, line)	\
	KVMMTE_OFFSETS_RECORD__(n, kind, name_str, decl_str, v, line)

/*
 * __builtin_offsetof (GCC and clang) rather than <stddef.h>: declarations
 * files of -nostdinc builds may have no C library headers at all.
 * Offsets and sizes go through ptrdiff_t: no object is larger than
 * PTRDIFF_MAX, so a size_t with the top bit set is a negative offset that
 * wrapped (offsetof(struct s, array[-1])), and the tool says so.
 */
#define KVMMTE_OFFSET(name, type, member)				\
	KVMMTE_OFFSETS_RECORD_(__COUNTER__, 'O', #name,			\
		"offsetof(" #type ", " #member ")",			\
		(__PTRDIFF_TYPE__)__builtin_offsetof(type, member), __LINE__)
#define KVMMTE_SIZE(name, type)						\
	KVMMTE_OFFSETS_RECORD_(__COUNTER__, 'S', #name,			\
		"sizeof(" #type ")", (__PTRDIFF_TYPE__)sizeof(type), __LINE__)
#define KVMMTE_DEFINE(name, value)					\
	KVMMTE_OFFSETS_RECORD_(__COUNTER__, 'D', #name, #value, value, __LINE__)

#elif defined(KVMMTE_OFFSETS_VERIFY)
/*
 * The tool compiles a wrapper: this file with KVMMTE_OFFSETS_VERIFY, then
 * one _Static_assert per declaration comparing the value kept here with
 * the header's (its expansion of the name, taken by preprocessing the
 * header on its own).
 *
 * A declaration cannot leave a macro behind, and an enum constant is an
 * int, so the value is kept in a type: 16 bits in the array size of each of
 * four members (sizes 1 to 65536, never negative or too large).
 * The macros below paste the type's name themselves: "name" passed on to
 * a helper would be expanded first wherever a header defines it.
 */
#define KVMMTE_OFFSETS_CHUNK_(v, shift) \
	[(((unsigned long long)(v) >> (shift)) & 0xffff) + 1]
#define KVMMTE_OFFSETS_CAPTURE_(type_name, v)			\
	typedef struct {						\
		char kvmmte_chunk0 KVMMTE_OFFSETS_CHUNK_(v, 0);		\
		char kvmmte_chunk1 KVMMTE_OFFSETS_CHUNK_(v, 16);	\
		char kvmmte_chunk2 KVMMTE_OFFSETS_CHUNK_(v, 32);	\
		char kvmmte_chunk3 KVMMTE_OFFSETS_CHUNK_(v, 48);	\
	} type_name
/* The captured value, as an unsigned long long constant expression. */
#define KVMMTE_OFFSETS_GET_(t, k) \
	((unsigned long long)(sizeof(((t *)0)->kvmmte_chunk##k) - 1) << (16 * (k)))
#define KVMMTE_OFFSETS_CAPTURED(t)					\
	(KVMMTE_OFFSETS_GET_(t, 0) | KVMMTE_OFFSETS_GET_(t, 1) |	\
	 KVMMTE_OFFSETS_GET_(t, 2) | KVMMTE_OFFSETS_GET_(t, 3))

#define KVMMTE_OFFSET(name, type, member)				\
	KVMMTE_OFFSETS_CAPTURE_(kvmmte_offsets_value_##name,		\
		(__PTRDIFF_TYPE__)__builtin_offsetof(type, member))
#define KVMMTE_SIZE(name, type)						\
	KVMMTE_OFFSETS_CAPTURE_(kvmmte_offsets_value_##name,		\
		(__PTRDIFF_TYPE__)sizeof(type))
#define KVMMTE_DEFINE(name, value)					\
	KVMMTE_OFFSETS_CAPTURE_(kvmmte_offsets_value_##name, value)

#else
/*
 * Anywhere else: each expression is type-checked once and nothing is
 * generated.  The tool uses this to show a broken declaration's errors
 * once, rather than once for every byte of its record.
 */
#define KVMMTE_OFFSET(name, type, member)				\
	_Static_assert(sizeof(__builtin_offsetof(type, member)) != 0, #name)
#define KVMMTE_SIZE(name, type)		_Static_assert(sizeof(type) != 0, #name)
#define KVMMTE_DEFINE(name, value)	_Static_assert(sizeof(value) != 0, #name)
#endif

/*
 * KVMMTE_MTE_LAYOUT(name, type, rgsr, gcr, tfsr, tfsre0): where @type (a
 * context of the caller's own) keeps the four MTE registers, each given as
 * a member designator (sys_regs[GCR_EL1]).  Generates
 * KVMMTE_LAYOUT_<name>_RGSR_EL1, _GCR_EL1, _TFSR_EL1 and _TFSRE0_EL1, which
 * the switch macros take together as KVMMTE_LAYOUT_ARGS(name)
 * (<kvmmte/asm-switch.h>), and refuses to compile unless each field is 8
 * bytes and no two overlap.  The C side names the same fields with
 * KVMMTE_LAYOUT_INIT() (<kvmmte/state.h>).
 */
#define KVMMTE_LAYOUT_OFF_(type, m)	((unsigned long)__builtin_offsetof(type, m))
#define KVMMTE_LAYOUT_APART_(type, a, b)					\
	(KVMMTE_LAYOUT_OFF_(type, a) >= KVMMTE_LAYOUT_OFF_(type, b) + 8 ||	\
	 KVMMTE_LAYOUT_OFF_(type, b) >= KVMMTE_LAYOUT_OFF_(type, a) + 8)
#define KVMMTE_MTE_LAYOUT(name, type, rgsr, gcr, tfsr, tfsre0)			\
	KVMMTE_OFFSET(KVMMTE_LAYOUT_##name##_RGSR_EL1, type, rgsr);		\
	KVMMTE_OFFSET(KVMMTE_LAYOUT_##name##_GCR_EL1, type, gcr);		\
	KVMMTE_OFFSET(KVMMTE_LAYOUT_##name##_TFSR_EL1, type, tfsr);		\
	KVMMTE_OFFSET(KVMMTE_LAYOUT_##name##_TFSRE0_EL1, type, tfsre0);		\
	_Static_assert(sizeof(((type *)0)->rgsr) == 8 && sizeof(((type *)0)->gcr) == 8 && \
		       sizeof(((type *)0)->tfsr) == 8 && sizeof(((type *)0)->tfsre0) == 8, \
		       "kvmmte: layout " #name ": each MTE field must be 8 bytes");	\
	_Static_assert(KVMMTE_LAYOUT_APART_(type, rgsr, gcr) &&		\
		       KVMMTE_LAYOUT_APART_(type, rgsr, tfsr) &&		\
		       KVMMTE_LAYOUT_APART_(type, rgsr, tfsre0) &&		\
		       KVMMTE_LAYOUT_APART_(type, gcr, tfsr) &&			\
		       KVMMTE_LAYOUT_APART_(type, gcr, tfsre0) &&		\
		       KVMMTE_LAYOUT_APART_(type, tfsr, tfsre0),			\
		       "kvmmte: layout " #name ": two MTE fields overlap")

#endif /* KVMMTE_OFFSETS_H */
