# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# World-switch benchmark: exact instruction counts at EL2 under
# qemu-system-aarch64 -icount shift=0 (make bench).

BENCH_DIR := $(O)/bench
# Compiler, flags and QEMU of every benchmark (bench/tags.mk uses them too;
# bench.mk comes before them in the Makefile's KVMMTE_FRAGMENTS).
BENCH_CC := $(CROSS_COMPILE)gcc
# The library's target flags, less -fdata-sections: every published count
# (bench/results.md, docs/tags.md) was taken with the benchmark's globals
# in one data section, which changes how GCC addresses them (2 instructions
# in the tag-storage wrappers); keeping that makes the counts comparable.
BENCH_CFLAGS := -std=gnu11 -O2 -g $(filter-out -fdata-sections,$(call kvmmte_target_flags,gcc)) \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(CURDIR)/include -I$(CURDIR)/platform/qemu-virt -I$(CURDIR)/bench -MMD -MP
BENCH_QEMU = timeout 60 $(QEMU_SYSTEM) -nic none -M virt,virtualization=on,mte=on -cpu max \
	-nographic -semihosting -icount shift=0 -kernel

BENCH_SWITCH_SRCS := bench/switch-bench.c bench/switch-seqs.S bench/runloop.S bench/baseline.c
# baseline.c twice: as an MTE CPU runs it, and as one without MTE (_nomte).
BENCH_SWITCH_OBJS := $(patsubst %,$(BENCH_DIR)/obj/%.o,$(BENCH_SWITCH_SRCS)) \
	$(BENCH_DIR)/obj/bench/baseline-nomte.c.o

$(BENCH_DIR)/obj/%.c.o: %.c Makefile bench/bench.mk
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) $(BENCH_EXTRA) -c $< -o $@

$(BENCH_DIR)/obj/bench/baseline.c.o: BENCH_EXTRA := -DBASELINE_MTE_CPU=1
$(BENCH_DIR)/obj/bench/baseline-nomte.c.o: bench/baseline.c Makefile bench/bench.mk
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -DBASELINE_MTE_CPU=0 -c $< -o $@

$(BENCH_DIR)/obj/%.S.o: %.S Makefile bench/bench.mk
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -c $< -o $@

# The benchmark is always GCC-built (the numbers in docs/bench.md are GCC's);
# the platform objects come from the library's compiler.
$(BENCH_DIR)/switch-bench.elf: $(BENCH_SWITCH_OBJS) $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
	$(quiet) LD $@
	$(Q)$(CC) $(PLAT_LDFLAGS) -o $@ $(BENCH_SWITCH_OBJS) $(PLAT_OBJS) $(LIBKVMMTE)

-include $(BENCH_SWITCH_OBJS:.o=.d)

# make bench: three runs with mte=on and three without, the table on stdout
# and in bench/results.md (rewritten only when every check passes), and a
# failure if a count is above bench/limits or a target is missed.
# make check runs the same with one run each, writing only under $(O).
BENCH_REPORT = python3 bench/report.py --elf $< --qemu $(QEMU_SYSTEM) --sysreg-h include/kvmmte/sysreg.h \
	--limits bench/limits --compiler "$$($(BENCH_CC) --version | head -n1)"

.PHONY: bench-switch check-bench-smoke
bench-switch: $(BENCH_DIR)/switch-bench.elf bench/report.py bench/limits $(QEMU_DEP)
	@echo "== world-switch instruction counts (QEMU -icount shift=0, PMU INST_RETIRED), 3 runs each"
	$(Q)$(BENCH_REPORT) --runs 3 --out bench/results.md

check-bench-smoke: $(BENCH_DIR)/switch-bench.elf bench/report.py bench/limits $(QEMU_DEP)
	$(Q)sh tools/qemu-suite.sh "world-switch benchmark, one run each (smoke; make bench for the table)" \
		$(QEMU_SYSTEM) $(BENCH_DIR)/smoke.log $(BENCH_REPORT) --runs 1 --out $(BENCH_DIR)/results.md

BENCH_TARGETS += bench-switch
QEMU_CHECK_TARGETS += check-bench-smoke
