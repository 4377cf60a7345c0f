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

/* Built for an MTE CPU (no suffix) and for a CPU without MTE (_nomte). */
void baseline_nvhe_round_trip_c(struct baseline_ctxt *host, struct baseline_ctxt *guest);
void baseline_vhe_load_put_c(struct baseline_ctxt *host, struct baseline_ctxt *guest);
void baseline_nvhe_round_trip_c_nomte(struct baseline_ctxt *host, struct baseline_ctxt *guest);
void baseline_vhe_load_put_c_nomte(struct baseline_ctxt *host, struct baseline_ctxt *guest);

#endif /* KVMMTE_BENCH_BASELINE_H */
