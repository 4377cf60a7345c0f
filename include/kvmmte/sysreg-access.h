/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * System register accessors, generated from one list.
 *
 * On AArch64 each accessor is one mrs/msr using the generic register name,
 * so the library builds at -march=armv8-a.  Host builds (-DKVMMTE_FAKE_SYSREG,
 * used by the unit tests) route every access through a backend the test
 * provides, so the real routines run unchanged against a recorded register
 * file.  Accessors do not synchronise: callers add kvmmte_isb() where a
 * barrier is needed, and say why.
 */
#ifndef KVMMTE_SYSREG_ACCESS_H
#define KVMMTE_SYSREG_ACCESS_H

#include <stdint.h>
#include <kvmmte/sysreg.h>

/* X(NAME, name, writable) — every register the library touches. */
#define KVMMTE_SYSREG_LIST(X)			\
	X(RGSR_EL1, rgsr_el1, 1)		\
	X(GCR_EL1, gcr_el1, 1)			\
	X(TFSR_EL1, tfsr_el1, 1)		\
	X(TFSRE0_EL1, tfsre0_el1, 1)		\
	X(TFSR_EL2, tfsr_el2, 1)		\
	X(TFSR_EL12, tfsr_el12, 1)		\
	X(GMID_EL1, gmid_el1, 0)		\
	X(ID_AA64PFR1_EL1, id_aa64pfr1_el1, 0)	\
	X(SCTLR_EL1, sctlr_el1, 1)		\
	X(SCTLR_EL2, sctlr_el2, 1)		\
	X(HCR_EL2, hcr_el2, 1)			\
	X(SCR_EL3, scr_el3, 1)			\
	X(CURRENTEL, currentel, 0)

enum kvmmte_sysreg_id {
#define KVMMTE_SYSREG_ENUM(NAME, name, w)	KVMMTE_SYSREG_ID_##NAME,
	KVMMTE_SYSREG_LIST(KVMMTE_SYSREG_ENUM)
#undef KVMMTE_SYSREG_ENUM
	KVMMTE_SYSREG_ID_COUNT
};

#ifdef KVMMTE_FAKE_SYSREG
/* Provided by the test: a register file that records every access. */
uint64_t kvmmte_fake_sysreg_read(enum kvmmte_sysreg_id id);
void kvmmte_fake_sysreg_write(enum kvmmte_sysreg_id id, uint64_t val);
void kvmmte_fake_isb(void);

#define KVMMTE_SYSREG_READ(NAME)	kvmmte_fake_sysreg_read(KVMMTE_SYSREG_ID_##NAME)
#define KVMMTE_SYSREG_WRITE(NAME, v)	kvmmte_fake_sysreg_write(KVMMTE_SYSREG_ID_##NAME, (v))
static inline void kvmmte_isb(void) { kvmmte_fake_isb(); }
#else
#define KVMMTE_SYSREG_READ(NAME)	kvmmte_read_##NAME##_insn()
#define KVMMTE_SYSREG_WRITE(NAME, v)	kvmmte_write_##NAME##_insn(v)
#define KVMMTE_DEFINE_INSN_READ(NAME)						\
	static inline uint64_t kvmmte_read_##NAME##_insn(void)			\
	{									\
		uint64_t v;							\
		__asm__ volatile("mrs %0, " KVMMTE_STRINGIFY(KVMMTE_SYS(NAME))	\
				 : "=r"(v));					\
		return v;							\
	}
#define KVMMTE_DEFINE_INSN_WRITE_1(NAME)					\
	static inline void kvmmte_write_##NAME##_insn(uint64_t v)		\
	{									\
		__asm__ volatile("msr " KVMMTE_STRINGIFY(KVMMTE_SYS(NAME)) ", %x0" \
				 : : "rZ"(v));					\
	}
#define KVMMTE_DEFINE_INSN_WRITE_0(NAME)
#define KVMMTE_DEFINE_INSNS(NAME, name, w)					\
	KVMMTE_DEFINE_INSN_READ(NAME) KVMMTE_DEFINE_INSN_WRITE_##w(NAME)
KVMMTE_SYSREG_LIST(KVMMTE_DEFINE_INSNS)
#undef KVMMTE_DEFINE_INSNS
static inline void kvmmte_isb(void) { __asm__ volatile("isb" ::: "memory"); }
#endif

#define KVMMTE_DEFINE_READ(NAME, name)						\
	static inline uint64_t kvmmte_read_##name(void)			\
	{ return KVMMTE_SYSREG_READ(NAME); }
#define KVMMTE_DEFINE_WRITE_1(NAME, name)					\
	static inline void kvmmte_write_##name(uint64_t v)			\
	{ KVMMTE_SYSREG_WRITE(NAME, v); }
#define KVMMTE_DEFINE_WRITE_0(NAME, name)
#define KVMMTE_DEFINE_ACCESSORS(NAME, name, w)					\
	KVMMTE_DEFINE_READ(NAME, name)						\
	KVMMTE_DEFINE_WRITE_##w(NAME, name)

KVMMTE_SYSREG_LIST(KVMMTE_DEFINE_ACCESSORS)

#undef KVMMTE_DEFINE_ACCESSORS
#undef KVMMTE_DEFINE_WRITE_0
#undef KVMMTE_DEFINE_WRITE_1
#undef KVMMTE_DEFINE_READ

#endif /* KVMMTE_SYSREG_ACCESS_H */
