# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# Tag-storage benchmark (bench/tags-bench.c): instructions per 4 KiB page
# for clear, save and restore at EL2, exact under qemu-system-aarch64
# -icount shift=0, beside a plain LDG/STG granule loop.  Needs the platform
# layer (examples/platform/platform.mk).
#
#   make bench-tags [TAGS_SEED=n]

TAGS_BENCH_DIR := $(O)/bench/tags
TAGS_BENCH_CC := $(CROSS_COMPILE)gcc
TAGS_BENCH_CFLAGS := -std=gnu11 -O2 -g -march=armv8-a -mgeneral-regs-only -mstrict-align \
	-ffreestanding -fno-builtin -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(CURDIR)/include -I$(CURDIR)/examples/platform -I$(CURDIR)/bench -MMD -MP
TAGS_BENCH_QEMU := timeout 60 qemu-system-aarch64 -nic none -M virt,virtualization=on,mte=on \
	-cpu max -nographic -semihosting -icount shift=0 -kernel

$(TAGS_BENCH_DIR)/tags-bench.o: bench/tags-bench.c Makefile bench/tags.mk
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(TAGS_BENCH_CC) $(TAGS_BENCH_CFLAGS) -c $< -o $@

# Always GCC-built, so the numbers in docs/tags.md are GCC's; the platform
# objects and the library come from $(CC).
$(TAGS_BENCH_DIR)/tags-bench.elf: $(TAGS_BENCH_DIR)/tags-bench.o $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
	$(quiet) LD $@
	$(Q)$(CC) $(PLAT_LDFLAGS) -o $@ $(TAGS_BENCH_DIR)/tags-bench.o $(PLAT_OBJS) $(LIBKVMMTE)

-include $(TAGS_BENCH_DIR)/tags-bench.d

.PHONY: bench-tags
bench-tags: $(TAGS_BENCH_DIR)/tags-bench.elf
	@echo "== tag storage instruction counts (QEMU -icount shift=0, PMU INST_RETIRED)"
	$(Q)$(TAGS_BENCH_QEMU) $< $(if $(TAGS_SEED),-append "seed=$(TAGS_SEED)")

BENCH_TARGETS += bench-tags
