/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Structs whose layout is easy to get wrong by hand, for the offsets tests:
 * a vcpu in the shape of a hypervisor's, with a sys_regs[] array indexed by
 * an enum, nested and over-aligned members, bit-fields with ordinary
 * neighbours, packed arrays, an anonymous union and ABI-dependent types.
 * C only; builtin types and the compiler's own freestanding headers.
 */
#ifndef TRICKY_H
#define TRICKY_H

#include <stddef.h>
#include <stdint.h>

enum tricky_sysreg {
	TRICKY_SCTLR_EL1,
	TRICKY_GCR_EL1,
	TRICKY_RGSR_EL1,
	TRICKY_TFSR_EL1,
	TRICKY_NR_SYS_REGS
};

struct tricky_cpu_context {
	uint64_t regs[31];
	uint64_t sp;
	uint64_t sys_regs[TRICKY_NR_SYS_REGS];
};

struct tricky_mte {
	uint64_t rgsr;
	uint64_t gcr;
} __attribute__((aligned(16)));

/* Ordinary members right after bit-fields share their storage unit. */
struct tricky_bits {
	unsigned int mode : 3;
	unsigned int el : 2;
	uint8_t after_bits;
	uint64_t wide : 5;
	uint16_t after_wide;
};

struct tricky_packed {
	uint8_t tag;
	uint64_t value;
	uint16_t tail;
} __attribute__((packed));

struct tricky_vcpu {
	int id;
	struct tricky_cpu_context ctxt;
	struct tricky_mte mte;
	struct tricky_bits bits;
	struct tricky_packed packed[3];
	char c;
	uint64_t cacheline __attribute__((aligned(64)));
	union {
		uint32_t word;
		uint8_t bytes[5];
	};
	long double ld;
	void *ptr;
	long l;
	long long ll;
};

#endif /* TRICKY_H */
