# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# make check-consts: the public headers' constants keep their 64-bit values
# in a 32-bit C program (GCC -m32, clang i686), in assembly and in linker
# scripts (tests/consts/run.sh, list in tests/consts/checks.h).

CHECK_TARGETS += check-consts
.PHONY: check-consts

check-consts:
	$(quiet) TEST consts
	$(Q)CROSS_COMPILE=$(CROSS_COMPILE) sh tests/consts/run.sh $(O)/tests/consts
