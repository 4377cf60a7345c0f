# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# examples/minihv: a minimal MTE hypervisor at EL2 (guests with and without
# MTE, timer preemption, on one CPU or several with vcpus migrating), built
# like an outside project: libkvmmte is installed into
# $(O)/examples/sysroot first, then examples/minihv/Makefile builds against
# that tree with pkg-config and the installed kvmmte-offsets.mk.
#
#   make demo-minihv    nVHE and VHE, default configuration, then 4 CPUs, transcripts shown
#   make check-minihv   short runs: both modes, clang too, a CPU without MTE,
#                       and 4 CPUs (single-threaded TCG and MTTCG)

MINIHV_DIR := $(O)/examples/minihv
MINIHV_SYSROOT := $(abspath $(O)/examples/sysroot)
MINIHV_QEMU = timeout 60 $(QEMU_SYSTEM) -nic none -M virt,virtualization=on,mte=on -cpu max \
	-nographic -semihosting -kernel
MINIHV_BUILD = $(MAKE) --no-print-directory -f examples/minihv/Makefile \
	SYSROOT=$(MINIHV_SYSROOT) WERROR=$(WERROR)

# libkvmmte as a package: archive, headers, .pc, offsets tool and fragment.
# Its own build directory, so this PREFIX never leaks into $(O)/libkvmmte.pc.
$(MINIHV_SYSROOT)/.installed: $(LIB_C_SRCS) $(LIB_S_SRCS) $(wildcard lib/*.h lib/*.mk) \
		$(PUBLIC_HEADERS) libkvmmte.pc.in Makefile $(wildcard tools/*)
	$(quiet) INSTALL $(MINIHV_SYSROOT)
	$(Q)rm -rf $(MINIHV_SYSROOT)
	$(Q)$(MAKE) --no-print-directory O=$(O)/examples/sysroot-build PREFIX=/usr \
		DESTDIR=$(MINIHV_SYSROOT) install >/dev/null
	$(Q)touch $@

.PHONY: minihv minihv-clang demo-minihv check-minihv
# "+": the sub-make is named through MINIHV_BUILD, so Make would not see
# $(MAKE) in the line and would keep it out of the jobserver (-j1, warning).
minihv: $(MINIHV_SYSROOT)/.installed
	+$(Q)$(MINIHV_BUILD) O=$(MINIHV_DIR) CC="$(CC)"

minihv-clang: $(MINIHV_SYSROOT)/.installed
	+$(Q)$(MINIHV_BUILD) O=$(MINIHV_DIR)/clang CC=clang

demo-minihv: minihv $(QEMU_DEP)
	@echo "== examples/minihv: nVHE host, default configuration"
	$(Q)$(MINIHV_QEMU) $(MINIHV_DIR)/minihv.elf -append "mode=nvhe"
	@echo "== examples/minihv: VHE host, default configuration"
	$(Q)$(MINIHV_QEMU) $(MINIHV_DIR)/minihv.elf -append "mode=vhe"
	@echo "== examples/minihv: 4 CPUs, 6 vcpus migrating between them (VHE host, one host thread per CPU)"
	$(Q)$(MINIHV_QEMU) $(MINIHV_DIR)/minihv.elf -smp 4 -accel tcg,thread=multi -append "mode=vhe switches=4000"

check-minihv: minihv minihv-clang $(QEMU_DEP)
	$(Q)sh examples/minihv/check.sh $(MINIHV_DIR) \
		"gcc-nvhe:$(MINIHV_DIR)/minihv.elf:on:mode=nvhe switches=400 seed=1" \
		"gcc-vhe:$(MINIHV_DIR)/minihv.elf:on:mode=vhe switches=400 seed=2" \
		"clang-nvhe:$(MINIHV_DIR)/clang/minihv.elf:on:mode=nvhe switches=400 seed=3" \
		"clang-vhe:$(MINIHV_DIR)/clang/minihv.elf:on:mode=vhe switches=400 seed=4" \
		"gcc-vhe-no-mte:$(MINIHV_DIR)/minihv.elf:off:mode=vhe switches=100 seed=5" \
		"gcc-nvhe-4cpu:$(MINIHV_DIR)/minihv.elf:on,smp4:mode=nvhe switches=800 seed=6" \
		"gcc-vhe-4cpu-mttcg:$(MINIHV_DIR)/minihv.elf:on,smp4,mttcg:mode=vhe switches=800 seed=7" \
		"clang-vhe-4cpu:$(MINIHV_DIR)/clang/minihv.elf:on,smp4:mode=vhe switches=800 seed=8" \
		"gcc-nvhe-4cpu-no-mte:$(MINIHV_DIR)/minihv.elf:off,smp4,mttcg:mode=nvhe switches=200 seed=9"

DEMO_TARGETS += demo-minihv
QEMU_CHECK_TARGETS += check-minihv
