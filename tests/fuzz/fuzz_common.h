/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Shared helpers of the libFuzzer targets: an input reader that never
 * runs out (missing bytes read as zero), a VM picker that mostly yields
 * valid configurations and sometimes garbage, an invariant check that
 * aborts (so libFuzzer records the input) with a message, and the
 * libFuzzer entry point itself, which hands each target's fuzz_one() its
 * input as a reader.
 */
#ifndef KVMMTE_TESTS_FUZZ_COMMON_H
#define KVMMTE_TESTS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kvmmte/emulate.h>

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fuzz_take(struct fuzz_in *in, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		uint64_t b = 0;

		if (in->n) {
			b = *in->p++;
			in->n--;
		}
		v |= b << (8 * i);
	}
	return v;
}

#define FUZZ_CHECK(cond, ...) do {						\
	if (!(cond)) {								\
		fprintf(stderr, "invariant violated at %s:%d: %s: ", __FILE__,	\
			__LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);					\
		fputc('\n', stderr);						\
		abort();							\
	}									\
} while (0)

/* Bits each state field can hold (written out independently of the library). */
static const uint64_t fuzz_valid[4] = { 0xffff0f, 0x1ffff, 0x3, 0x3 };

static inline uint64_t fuzz_field(const struct kvmmte_state *s, unsigned int i)
{
	uint64_t v;

	memcpy(&v, (const char *)s + 8 * i, 8);
	return v;
}

static inline void fuzz_set_field(struct kvmmte_state *s, unsigned int i, uint64_t v)
{
	memcpy((char *)s + 8 * i, &v, 8);
}

/*
 * A VM configuration from one selector byte: mostly one of the valid kinds,
 * sometimes raw fields (which the library must reject, or accept only if
 * they happen to be valid).  Returns true if the result is valid.
 */
static inline bool fuzz_pick_vm(struct fuzz_in *in, struct kvmmte_vm_config *vm)
{
	unsigned int sel = (unsigned int)fuzz_take(in, 1);

	if (sel & 0x80) {
		vm->mte_level = (unsigned int)fuzz_take(in, 1) | ((sel & 0x40) ? 0x80000000U : 0);
		vm->flags = (unsigned int)fuzz_take(in, 1);
		vm->gmid_bs = (unsigned int)fuzz_take(in, 1);
		vm->async = (unsigned int)fuzz_take(in, 1);
	} else {
		static const unsigned int levels[3] = { 0, 2, 3 };

		vm->mte_level = levels[sel % 3];
		vm->flags = vm->mte_level ? (sel >> 2) & 3 : 0;
		vm->gmid_bs = vm->mte_level ? (sel >> 4) & 0x7 : 0;
		/* A VM with MTE on a host with or without FEAT_MTE_ASYNC. */
		vm->async = vm->mte_level && ((vm->flags & KVMMTE_VM_ASYNC) || !(sel & 0x40));
	}
	return (vm->mte_level == 0 || vm->mte_level == 2 || vm->mte_level == 3) &&
	       vm->flags <= 3 && vm->gmid_bs <= 15 && vm->async <= 1 &&
	       (!(vm->flags & KVMMTE_VM_ASYNC) || vm->async) &&
	       (vm->mte_level || (!vm->flags && !vm->gmid_bs && !vm->async));
}

/*
 * Each target defines fuzz_one(), reading its input from @in; the entry
 * point is defined here, once (each target is a program of its own, so the
 * header is included once per link).  The return value is libFuzzer's: 0.
 */
static int fuzz_one(struct fuzz_in *in);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	return fuzz_one(&in);
}

#endif /* KVMMTE_TESTS_FUZZ_COMMON_H */
