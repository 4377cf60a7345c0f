/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * libkvmmte: world-switch primitives for the Arm Memory Tagging Extension.
 * Umbrella header for C.  Assembly includes <kvmmte/asm-switch.h>.
 */
#ifndef KVMMTE_KVMMTE_H
#define KVMMTE_KVMMTE_H

#include <kvmmte/errno.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/state.h>
#include <kvmmte/cpu.h>
#include <kvmmte/patch.h>
#include <kvmmte/switch.h>
#include <kvmmte/tags.h>
#include <kvmmte/emulate.h>
#include <kvmmte/nested.h>

#endif /* KVMMTE_KVMMTE_H */
