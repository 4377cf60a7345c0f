/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * The definitions headers in a linker script: GNU ld and lld reject
 * integer suffixes, so this links only if there are none.  Each check
 * becomes the absolute symbols consts_lds_got_<name> and
 * consts_lds_want_<name>, read back with nm by tests/consts/run.sh.
 * Preprocessed with -E -P -x assembler-with-cpp, then given to the linker
 * as an implicit script next to asm.o.
 */
#include <kvmmte/const.h>
#include <kvmmte/sysreg.h>
#include "checks.h"

#define CONSTS_LDS(name, expr, want) \
	consts_lds_got_##name = expr; consts_lds_want_##name = want;
CONSTS_DEFS(CONSTS_LDS)
