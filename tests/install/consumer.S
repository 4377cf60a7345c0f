/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * An out-of-tree consumer's entry path, built only against the installed
 * tree through pkg-config: the macros must assemble from there.
 */
#include <kvmmte/asm-switch.h>

	.text
	.globl	consumer_enter
consumer_enter:
	kvmmte_switch_to_guest x0, x1, x9, x10, vhe
	ret
	.globl	consumer_exit
consumer_exit:
	kvmmte_switch_to_host x0, x1, x9, x10, nvhe, hcr=x2, gate=idreg, isb=0
	ret
