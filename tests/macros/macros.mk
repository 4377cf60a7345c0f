# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# make check-macros: the switch macros' assembly-time errors, GCC and clang
# (tests/macros/run.sh).

CHECK_TARGETS += check-macros
.PHONY: check-macros

check-macros:
	$(quiet) TEST macros
	$(Q)CROSS_COMPILE=$(CROSS_COMPILE) sh tests/macros/run.sh $(O)/tests/macros
