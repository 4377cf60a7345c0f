/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/* The original patch's C-side MTE switch, modelled: see baseline.c. */
#ifndef KVMMTE_BENCH_BASELINE_H
#define KVMMTE_BENCH_BASELINE_H

#include <stdint.h>

#define BASELINE_KVM_MTE_ENABLED	3

struct baseline_kvm {
	unsigned long flags;
};

struct baseline_ctxt {
	uint64_t tfsr_el1, tfsre0_el1;
	struct baseline_vcpu *hyp_running_vcpu;
};

struct baseline_vcpu {
	struct baseline_kvm *kvm;
	struct baseline_ctxt ctxt;
};

/*
 * Built for an MTE CPU (no suffix) and for a CPU without MTE (_nomte).
 * @host, @guest: struct baseline_ctxt pointers; the benchmark calls every
 * measured function with the same three-argument type.
 */
void baseline_nvhe_round_trip_c(uint64_t host, uint64_t guest, uint64_t unused);
void baseline_vhe_load_put_c(uint64_t host, uint64_t guest, uint64_t unused);
void baseline_nvhe_round_trip_c_nomte(uint64_t host, uint64_t guest, uint64_t unused);
void baseline_vhe_load_put_c_nomte(uint64_t host, uint64_t guest, uint64_t unused);

#endif /* KVMMTE_BENCH_BASELINE_H */
