# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# make check-bench-tool: bench/report.py's errors and its promise to leave
# the previous results file intact (tests/bench/run.sh).  Uses the
# benchmark ELF from bench/bench.mk.

QEMU_CHECK_TARGETS += check-bench-tool
.PHONY: check-bench-tool

check-bench-tool: $(BENCH_DIR)/switch-bench.elf $(QEMU_DEP)
	$(quiet) TEST bench/report.py
	$(Q)sh tests/bench/run.sh $< $(O)/tests/bench/$(QEMU)
