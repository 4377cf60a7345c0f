# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# examples/el3-linux: an EL3 monitor on libkvmmte that boots Debian 12's
# stock arm64 Linux at NS-EL2 or NS-EL1, answers its PSCI calls and
# preempts it with a secure world at S-EL1 (README.md, "Debian's Linux
# under a libkvmmte EL3 monitor").  The kernel and busybox come from Debian
# (tools/linux-fetch.sh, cached in $(O)/linux).
#
#   make run-el3-linux [EL3_LINUX_EL=2|1] [EL3_LINUX_CPUS=2] [LINUX_IMAGE=... INITRD=...]
#                      [EL3_LINUX_WORKLOAD_SECS=2 EL3_LINUX_WORKLOAD_PROCS=4]
#                      [EL3_LINUX_CPU=max,sve=off,sme=off]   (QEMU's -cpu,
#                       max,pauth-impdef=on by default; any CPU with
#                       FEAT_MTE2: the monitor probes the rest and prints
#                       a "CPU features:" line)
#   make check-el3-linux   (in make check, on each QEMU: Linux at NS-EL2 and
#                           at NS-EL1, 2 CPUs each, then the negative
#                           control, expected to fail; reported SKIPPED, with
#                           the reason, if Debian's kernel can not be
#                           fetched)

EL3L_DIR := $(O)/examples/el3-linux
EL3L_CPPFLAGS := $(PLAT_CPPFLAGS) -I$(abspath $(EL3L_DIR)) -I$(CURDIR)/examples/el3-linux \
	-I$(CURDIR)/examples/el3-monitor
EL3L_OBJS := $(EL3L_DIR)/start.o $(EL3L_DIR)/monitor.o $(EL3_DIR)/world.o \
	$(EL3L_DIR)/secure-world.o $(EL3L_DIR)/secure-vectors.o

EL3_LINUX_CPUS ?= 2
EL3_LINUX_EL ?= 2

$(call kvmmte_offsets,$(EL3L_DIR)/monitor-offsets.h,examples/el3-linux/monitor-offsets.c,$(EL3L_CPPFLAGS))

$(EL3L_DIR)/start.o: examples/el3-linux/start.S $(EL3L_DIR)/monitor-offsets.h
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3L_CPPFLAGS) $(ASFLAGS) -c $< -o $@

$(EL3L_DIR)/monitor.o: examples/el3-linux/monitor.c Makefile
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3L_CPPFLAGS) $(CFLAGS) -c $< -o $@

# The secure world's program, secure-world.c, reuses examples/el3-monitor's
# world.o (el3-monitor.mk builds it) for its register and IRG checks.  IRG,
# LDG, STG need +memtag; CFLAGS already keep FP/SIMD out (-mgeneral-regs-only),
# whose registers belong to Linux.
$(EL3L_DIR)/secure-world.o: examples/el3-linux/secure-world.c Makefile
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3L_CPPFLAGS) $(CFLAGS) -march=armv8.5-a+memtag -c $< -o $@

$(EL3L_DIR)/secure-vectors.o: examples/el3-linux/secure-vectors.S Makefile
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3L_CPPFLAGS) $(ASFLAGS) -c $< -o $@

$(EL3L_DIR)/el3-linux.elf: $(EL3L_OBJS) $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
	$(quiet) LD $@
	$(Q)$(CC) $(PLAT_LDFLAGS) -Wl,-e,el3_start -o $@ $(EL3L_OBJS) $(PLAT_OBJS) $(LIBKVMMTE)

-include $(EL3L_OBJS:.o=.d)

# The Linux userspace MTE workload that /init runs (issue 16, item 3): a
# static program, built like tests/user's with the cross compiler.
EL3L_WORKLOAD := $(EL3L_DIR)/mte-workload
EL3_LINUX_WORKLOAD_SECS ?= 2
EL3_LINUX_WORKLOAD_PROCS ?= 4
EL3L_RUN = EL3_LINUX_WORKLOAD=$(EL3L_WORKLOAD) \
	EL3_LINUX_WORKLOAD_ARGS="$(EL3_LINUX_WORKLOAD_SECS) $(EL3_LINUX_WORKLOAD_PROCS)" \
	sh examples/el3-linux/run.sh

$(EL3L_WORKLOAD): examples/el3-linux/mte-workload.c Makefile examples/el3-linux/el3-linux.mk
	$(quiet) USERCC $@
	@mkdir -p $(@D)
	$(Q)$(USER_CC) $(USER_CFLAGS) -static -o $@ $<

-include $(EL3L_WORKLOAD).d

.PHONY: run-el3-linux
run-el3-linux: $(EL3L_DIR)/el3-linux.elf $(EL3L_WORKLOAD) $(QEMU_DEP)
	$(Q)$(EL3L_RUN) $< $(O)/linux $(EL3L_DIR) $(EL3_LINUX_CPUS) $(EL3_LINUX_EL)

.PHONY: check-el3-linux
check-el3-linux: $(EL3L_DIR)/el3-linux.elf $(EL3L_WORKLOAD) $(QEMU_DEP)
	$(Q)ver=$$(sh tools/qemu-version.sh $(QEMU_SYSTEM)); \
	if ! sh tools/linux-fetch.sh $(O)/linux 2>$(EL3L_DIR)/fetch.err; then \
		echo "== examples/el3-linux ($$ver): SKIPPED: $$(cat $(EL3L_DIR)/fetch.err)"; \
	else \
		st=0; \
		for el in 2 1; do \
			echo "== examples/el3-linux (Debian's Linux at NS-EL$$el, 2 CPUs, $$ver)"; \
			EL3_LINUX_LABEL="$$ver, NS-EL$$el" $(EL3L_RUN) $< $(O)/linux \
				$(EL3L_DIR)/check-$$(echo $$ver | tr -c 'A-Za-z0-9.' '-')-el$$el 2 $$el || st=1; \
		done; \
		echo "== examples/el3-linux (negative control: the switch's MTE part skipped, NS-EL2, $$ver)"; \
		EL3_LINUX_CONTROL=1 EL3_LINUX_LABEL="$$ver, control" $(EL3L_RUN) $< $(O)/linux \
			$(EL3L_DIR)/check-$$(echo $$ver | tr -c 'A-Za-z0-9.' '-')-control 2 2 || st=1; \
		exit $$st; \
	fi
QEMU_CHECK_TARGETS += check-el3-linux

.PHONY: demo-el3-linux
demo-el3-linux: $(EL3L_DIR)/el3-linux.elf $(EL3L_WORKLOAD) $(QEMU_DEP)
	@echo "== examples/el3-linux: Debian's Linux at NS-EL$(EL3_LINUX_EL) under the monitor, $(EL3_LINUX_CPUS) CPUs (kernel log trimmed)"
	$(Q)$(EL3L_RUN) $< $(O)/linux $(EL3L_DIR) $(EL3_LINUX_CPUS) $(EL3_LINUX_EL)
DEMO_TARGETS += demo-el3-linux
