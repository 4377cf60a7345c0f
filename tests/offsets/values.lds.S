/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * A linker script fragment that takes values from the generated header:
 * GNU ld rejects integer suffixes, so this links only if there are none.
 * Preprocessed with -E -P -x assembler-with-cpp, then given to the linker
 * as an implicit script next to the objects.
 */
#include "tricky-offsets.h"

tricky_lds_vcpu_size = TRICKY_VCPU_SIZE;
tricky_lds_all_ones = TRICKY_ALL_ONES;
tricky_lds_minus_eight = TRICKY_MINUS_EIGHT;
