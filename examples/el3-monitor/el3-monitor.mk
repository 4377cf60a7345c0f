# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# examples/el3-monitor: EL3 firmware switching a secure and a non-secure
# EL1 world with libkvmmte's C save/restore.  "make demo" runs it with the
# default configuration; "make check" runs a short one.

EL3_DIR := $(O)/examples/el3-monitor
EL3_QEMU = timeout 60 $(QEMU_SYSTEM) -nic none -M virt,secure=on,virtualization=on,mte=on \
	-cpu max -nographic -semihosting -kernel
EL3_CPPFLAGS := $(PLAT_CPPFLAGS) -I$(abspath $(EL3_DIR)) -I$(CURDIR)/examples/el3-monitor
EL3_OBJS := $(EL3_DIR)/start.o $(EL3_DIR)/monitor.o $(EL3_DIR)/world.o

$(call kvmmte_offsets,$(EL3_DIR)/monitor-offsets.h,examples/el3-monitor/monitor-offsets.c,$(EL3_CPPFLAGS))

$(EL3_DIR)/start.o: examples/el3-monitor/start.S $(EL3_DIR)/monitor-offsets.h
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3_CPPFLAGS) $(ASFLAGS) -c $< -o $@

$(EL3_DIR)/monitor.o: examples/el3-monitor/monitor.c Makefile
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3_CPPFLAGS) $(CFLAGS) -c $< -o $@

# The worlds use IRG: the only file built beyond the armv8-a baseline.
$(EL3_DIR)/world.o: examples/el3-monitor/world.c Makefile
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(EL3_CPPFLAGS) $(CFLAGS) -march=armv8.5-a+memtag -c $< -o $@

$(EL3_DIR)/el3-monitor.elf: $(EL3_OBJS) $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
	$(quiet) LD $@
	$(Q)$(CC) $(PLAT_LDFLAGS) -Wl,-e,el3_start -o $@ $(EL3_OBJS) $(PLAT_OBJS) $(LIBKVMMTE)

-include $(EL3_OBJS:.o=.d)

.PHONY: demo-el3-monitor check-el3-monitor
demo-el3-monitor: $(EL3_DIR)/el3-monitor.elf $(QEMU_DEP)
	@echo "== examples/el3-monitor: secure and non-secure worlds, 200 rounds"
	$(Q)$(EL3_QEMU) $< -append "rounds=200 seed=1"
	@echo "== examples/el3-monitor: the non-secure world without MTE (SCR_EL3.ATA = 0)"
	$(Q)$(EL3_QEMU) $< -append "rounds=200 seed=1 ns_mte=0"

# Both worlds with MTE, then the non-secure one with SCR_EL3.ATA clear.
check-el3-monitor: $(EL3_DIR)/el3-monitor.elf $(QEMU_DEP)
	$(Q)ver=$$(sh tools/qemu-version.sh $(QEMU_SYSTEM)); \
	echo "== examples/el3-monitor (short runs, $$ver)"; \
	pass=0; fail=0; for ns in 1 0; do \
		log=$(EL3_DIR)/check-ns_mte$$ns-$$(echo $$ver | tr -c 'A-Za-z0-9.' '-').log; \
		if $(EL3_QEMU) $< -append "rounds=50 seed=7 ns_mte=$$ns" > $$log 2>&1; then \
			pass=$$((pass + 1)); echo "ok   ns_mte=$$ns: $$(tail -n 1 $$log)"; \
		else \
			fail=$$((fail + 1)); echo "FAIL ns_mte=$$ns:"; cat $$log; \
		fi; \
	done; echo "== examples/el3-monitor ($$ver): $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

DEMO_TARGETS += demo-el3-monitor
QEMU_CHECK_TARGETS += check-el3-monitor
