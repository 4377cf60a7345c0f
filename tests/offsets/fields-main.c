/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Runs under qemu-aarch64: fields.S stores through the generated offsets,
 * and here C checks the fields by name; values.lds (a linker script that
 * includes the same header) defines symbols whose addresses are header
 * values.  Prints one line per check and "N passed, N failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tricky.h"
#include "tricky-offsets.h"

void tricky_fill(struct tricky_vcpu *vcpu);

/* Absolute symbols from values.lds; their addresses are the values. */
extern char tricky_lds_vcpu_size[], tricky_lds_all_ones[],
	tricky_lds_minus_eight[];
/* Data relocations, so no address range limits what they can hold. */
static char *const lds_values[] = {
	tricky_lds_vcpu_size, tricky_lds_all_ones, tricky_lds_minus_eight,
};

static int passed, failed;

static void check(const char *what, uint64_t actual, uint64_t expected)
{
	if (actual == expected) {
		passed++;
		printf("ok - %s\n", what);
	} else {
		failed++;
		printf("FAIL - %s: 0x%llx, expected 0x%llx\n", what,
		       (unsigned long long)actual, (unsigned long long)expected);
	}
}

int main(void)
{
	static struct tricky_vcpu vcpu, expected;

	memset(&vcpu, 0, sizeof(vcpu));
	memset(&expected, 0, sizeof(expected));
	expected.ctxt.regs[30] = 0x11;
	expected.ctxt.sp = 0x12;
	expected.ctxt.sys_regs[TRICKY_GCR_EL1] = 0x13;
	expected.ctxt.sys_regs[TRICKY_TFSR_EL1] = 0x14;
	expected.ctxt.sys_regs[TRICKY_RGSR_EL1] = 0x15;
	expected.mte.gcr = 0x16;
	expected.bits.after_bits = 0x17;
	expected.bits.after_wide = 0x18;
	expected.packed[1].value = 0x19;
	expected.packed[2].tail = 0x1a;
	expected.c = 0x1b;
	expected.cacheline = 0x1c;
	expected.bytes[4] = 0x1d;
	expected.ll = 0x1e;

	tricky_fill(&vcpu);

	check("asm stores reach ctxt.regs[30]", vcpu.ctxt.regs[30], 0x11);
	check("asm stores reach ctxt.sp", vcpu.ctxt.sp, 0x12);
	check("asm stores reach sys_regs[GCR_EL1]",
	      vcpu.ctxt.sys_regs[TRICKY_GCR_EL1], 0x13);
	check("asm stores reach sys_regs[TFSR_EL1]",
	      vcpu.ctxt.sys_regs[TRICKY_TFSR_EL1], 0x14);
	check("asm stores reach sys_regs[RGSR_EL1] (macro-made declaration)",
	      vcpu.ctxt.sys_regs[TRICKY_RGSR_EL1], 0x15);
	check("asm stores reach mte.gcr (over-aligned member)", vcpu.mte.gcr, 0x16);
	check("asm stores reach bits.after_bits (bit-field neighbour)",
	      vcpu.bits.after_bits, 0x17);
	check("asm stores reach bits.after_wide (bit-field neighbour)",
	      vcpu.bits.after_wide, 0x18);
	check("asm stores reach packed[1].value (unaligned)",
	      vcpu.packed[1].value, 0x19);
	check("asm stores reach packed[2].tail", vcpu.packed[2].tail, 0x1a);
	check("asm stores reach c", (uint8_t)vcpu.c, 0x1b);
	check("asm stores reach cacheline (aligned(64))", vcpu.cacheline, 0x1c);
	check("asm stores reach bytes[4] (anonymous union)", vcpu.bytes[4], 0x1d);
	check("asm stores reach ll", (uint64_t)vcpu.ll, 0x1e);
	check("asm stores touch nothing else",
	      memcmp(&vcpu, &expected, sizeof(vcpu)) == 0, 1);

	check("linker script: TRICKY_VCPU_SIZE",
	      (uintptr_t)lds_values[0], sizeof(struct tricky_vcpu));
	check("linker script: TRICKY_ALL_ONES (hex, no suffix)",
	      (uintptr_t)lds_values[1], 0xffffffffffffffffULL);
	check("linker script: TRICKY_MINUS_EIGHT (negative)",
	      (uintptr_t)lds_values[2], (uint64_t)-8);

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
