/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Out-of-line world switch, for hypervisors whose entry path is in C.
 *
 *   void kvmmte_switch_to_guest_{vhe,nvhe}(struct kvmmte_state *guest,
 *                                          struct kvmmte_state *host);
 *   void kvmmte_switch_to_host_{vhe,nvhe}(struct kvmmte_state *guest,
 *                                         struct kvmmte_state *host);
 *
 * AAPCS64 leaf functions: x0/x1 in (preserved), x2 and x3 clobbered, no stack.  Gated on
 * HCR_EL2.ATA and on the patchable per-CPU gate; the exit variants end with
 * an ISB so the caller's C code runs with the host's GCR/RGSR in force.
 */
#include <kvmmte/asm-switch.h>

.macro kvmmte_define_switch_ name, dir, mode, isb
	.section .text.\name, "ax", %progbits
	.globl	\name
	.type	\name, %function
	.balign	4
\name:
	kvmmte_switch_\dir x0, x1, x2, x3, \mode, isb=\isb
	ret
	.size	\name, . - \name
.endm

/* Both exit variants ISB: the caller's C code may generate tags next. */
kvmmte_define_switch_ kvmmte_switch_to_guest_vhe, to_guest, vhe, 0
kvmmte_define_switch_ kvmmte_switch_to_host_vhe, to_host, vhe, 1
kvmmte_define_switch_ kvmmte_switch_to_guest_nvhe, to_guest, nvhe, 0
kvmmte_define_switch_ kvmmte_switch_to_host_nvhe, to_host, nvhe, 1
