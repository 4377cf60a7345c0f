# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# make check-offsets: the offsets generator (tools/kvmmte-offsets):
# tests/offsets/run.sh: tricky structs on four targets, the output format,
# asm and a linker script under qemu-aarch64, --verify (state.h's
# KVMMTE_STATE_* with both compilers, and a drifted one), every error, the
# Make fragment and the CMake recipe.

CHECK_TARGETS += check-offsets
.PHONY: check-offsets

KVMMTE_OFFSETS_TEST_DIR := $(O)/tests/offsets

check-offsets:
	$(quiet) TEST offsets
	$(Q)CROSS_COMPILE=$(CROSS_COMPILE) sh tests/offsets/run.sh $(KVMMTE_OFFSETS_TEST_DIR)/run
