# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# The QEMU suite: a bare-metal hypervisor at EL2 that runs guests through
# libkvmmte's macros and checks that every world keeps its own MTE state
# (docs/testing-target.md).
#
#   make target-elf          $(O)/tests/target/kvmmte-target.elf with $(CC)
#   make check-target        the runs below (part of make check)
#   make check-target-gcc    GCC build, mte=on (and once more with init=0; and
#                            the smp_* cases on 4 CPUs, single-threaded TCG and MTTCG)
#   make check-target-clang  clang build (library too), mte=on
#   make check-target-nomte  GCC build, mte=on left off: no MTE2 on the CPU
#
# Each compiler's build lives in its own $(O)/target-<compiler>, library
# included, and is made once however many runs use it (-j safe); QEMU runs
# under timeout through run.sh.

TT_DIR := $(O)/tests/target
TT_ELF := $(TT_DIR)/kvmmte-target.elf
TT_SRCS := $(filter-out tests/target/offsets.c,$(sort $(wildcard tests/target/*.c tests/target/*.S)))
TT_OBJS := $(patsubst %,$(O)/%.o,$(basename $(TT_SRCS)))
TT_OFFSETS := $(TT_DIR)/hv-offsets.h
TT_CPPFLAGS := $(PLAT_CPPFLAGS) -I$(CURDIR)/tests/target -I$(abspath $(TT_DIR))
# Guests use IRG/STG/LDG and the MTE registers by name; so does EL2's IRG.
# The library itself stays at -march=armv8-a.
TT_ARCH := -march=armv8.5-a+memtag

TT_OFFSETS_FLAGS = --cc "$(CC)" --objcopy $(CROSS_COMPILE)objcopy \
	--cflags "$(CPPFLAGS) $(TT_CPPFLAGS) $(filter-out -MMD -MP,$(CFLAGS))"

# Generated, then verified: the same declarations recompiled against it.
$(TT_OFFSETS): tests/target/offsets.c tools/kvmmte-offsets tests/target/target.mk
	$(quiet) OFFSETS $@
	@mkdir -p $(@D)
	$(Q)sh tools/kvmmte-offsets $(TT_OFFSETS_FLAGS) --depfile $@.d -o $@ $<
	$(Q)sh tools/kvmmte-offsets $(TT_OFFSETS_FLAGS) --verify $@ $<

$(O)/tests/target/%.o: tests/target/%.c Makefile tests/target/target.mk
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(TT_CPPFLAGS) $(CFLAGS) $(TT_ARCH) -c $< -o $@

$(O)/tests/target/%.o: tests/target/%.S $(TT_OFFSETS) Makefile tests/target/target.mk
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(TT_CPPFLAGS) $(ASFLAGS) $(TT_ARCH) -c $< -o $@

$(TT_ELF): $(TT_OBJS) $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
	$(quiet) LD $@
	$(Q)$(CC) $(PLAT_LDFLAGS) -o $@ $(TT_OBJS) $(PLAT_OBJS) $(LIBKVMMTE)

-include $(TT_OBJS:.o=.d) $(TT_OFFSETS).d

.PHONY: target-elf check-target check-target-gcc check-target-clang check-target-nomte
target-elf: $(TT_ELF)

# One ELF per compiler, each a single target every run of it depends on:
# under -j the runs go in parallel, the build happens once.  The recipe is
# a sub-make (its own $(O)/target-<compiler>, its own CC) that decides
# what is out of date, so it is always entered (FORCE).
tt_elf_for = $(O)/target-$(1)/tests/target/kvmmte-target.elf
TT_ELF_GCC := $(call tt_elf_for,gcc)
TT_ELF_CLANG := $(call tt_elf_for,clang)

.PHONY: tt-force
$(TT_ELF_GCC): tt-force
	@$(MAKE) --no-print-directory O=$(O)/target-gcc CC=$(CROSS_COMPILE)gcc target-elf
$(TT_ELF_CLANG): tt-force
	@$(MAKE) --no-print-directory O=$(O)/target-clang CC=clang target-elf

# The runs: one target each, so they can overlap.
.PHONY: tt-run-gcc tt-run-gcc-init0 tt-run-clang tt-run-gcc-nomte tt-run-gcc-smp tt-run-gcc-smp-mttcg
tt-run-gcc: $(TT_ELF_GCC) $(QEMU_DEP)
	$(Q)sh tests/target/run.sh "gcc, mte=on" $< on
tt-run-gcc-init0: $(TT_ELF_GCC) $(QEMU_DEP)
	$(Q)sh tests/target/run.sh "gcc, mte=on, kvmmte_init() skipped" $< on \
		"init=0 case=isolation_*,cpu_gate_*"
tt-run-clang: $(TT_ELF_CLANG) $(QEMU_DEP)
	$(Q)sh tests/target/run.sh "clang, mte=on" $< on
# Four CPUs at once, vcpus moving between them (case-smp.c): one QEMU thread
# for all CPUs, then one each (MTTCG), where the interleaving is the host's.
tt-run-gcc-smp: $(TT_ELF_GCC) $(QEMU_DEP)
	$(Q)TT_QEMU_ARGS="-smp 4 -accel tcg,thread=single" sh tests/target/run.sh \
		"gcc, mte=on, 4 CPUs, single-threaded TCG" $< on "case=smp_*"
tt-run-gcc-smp-mttcg: $(TT_ELF_GCC) $(QEMU_DEP)
	$(Q)TT_QEMU_ARGS="-smp 4 -accel tcg,thread=multi" sh tests/target/run.sh \
		"gcc, mte=on, 4 CPUs, MTTCG" $< on "case=smp_*"
tt-run-gcc-nomte: $(TT_ELF_GCC) $(QEMU_DEP)
	$(Q)sh tests/target/run.sh "gcc, mte=on left off" $< off

check-target-gcc: tt-run-gcc tt-run-gcc-init0 tt-run-gcc-smp tt-run-gcc-smp-mttcg
check-target-clang: tt-run-clang
check-target-nomte: tt-run-gcc-nomte
check-target: check-target-gcc check-target-clang check-target-nomte

QEMU_CHECK_TARGETS += check-target-gcc check-target-clang check-target-nomte
