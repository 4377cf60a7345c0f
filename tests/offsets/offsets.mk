# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# make check-offsets: the offsets generator (tools/kvmmte-offsets).
#   1. the library's own rule (tools/offsets.mk) with aarch64 GCC and clang,
#      each with the library's flags: state.h's KVMMTE_STATE_* constants
#      must be what the compiler computes;
#   2. tests/offsets/run.sh: tricky structs on four targets, the output
#      format, asm and a linker script under qemu-aarch64, --verify, every
#      error, the Make fragment and the CMake recipe.

CHECK_TARGETS += check-offsets
.PHONY: check-offsets

KVMMTE_OFFSETS_TEST_DIR := $(O)/tests/offsets

check-offsets:
	@$(MAKE) --no-print-directory O=$(KVMMTE_OFFSETS_TEST_DIR)/lib-gcc \
		CC=$(CROSS_COMPILE)gcc \
		$(KVMMTE_OFFSETS_TEST_DIR)/lib-gcc/include/kvmmte/state-offsets.h
	@$(MAKE) --no-print-directory O=$(KVMMTE_OFFSETS_TEST_DIR)/lib-clang \
		CC=clang $(KVMMTE_OFFSETS_TEST_DIR)/lib-clang/include/kvmmte/state-offsets.h
	$(quiet) TEST offsets
	$(Q)CROSS_COMPILE=$(CROSS_COMPILE) sh tests/offsets/run.sh $(KVMMTE_OFFSETS_TEST_DIR)/run
