# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# Tag-storage benchmark (bench/tags-bench.c): instructions per 4 KiB for
# clear, save and restore at EL2, one page and 2 MiB, exact under
# qemu-system-aarch64 -icount shift=0, beside the floor the block sizes
# allow; fails above bench/tags-limits or off the targets (docs/tags.md).
# Needs the platform layer (platform/qemu-virt/platform.mk).
#
#   make bench-tags [TAGS_SEED=n]

# BENCH_CC, BENCH_CFLAGS and BENCH_QEMU come from bench/bench.mk.
TAGS_BENCH_DIR := $(O)/bench/tags

# bench/tags-limits as a C table: the benchmark checks every count against
# it at run time ("row column N" or "row column =N"; # comments).
$(TAGS_BENCH_DIR)/tags-limits.h: bench/tags-limits bench/tags.mk
	$(quiet) GEN $@
	@mkdir -p $(@D)
	$(Q)awk 'BEGIN { print "/* Generated from bench/tags-limits by bench/tags.mk. */"; \
		print "struct tags_limit { const char *row, *col; unsigned long n; int exact; };"; \
		print "static const struct tags_limit tags_limits[] = {" } \
		/^[ \t]*(#|$$)/ { next } \
		NF != 3 || $$3 !~ /^=?[0-9]+$$/ { print FILENAME ":" FNR ": want \"row column [=]N\"" > "/dev/stderr"; bad = 1; exit 1 } \
		{ exact = sub(/^=/, "", $$3); printf "\t{ \"%s\", \"%s\", %sUL, %d },\n", $$1, $$2, $$3, exact } \
		END { if (!bad) print "\t{ 0, 0, 0, 0 }\n};" }' $< > $@.tmp && mv $@.tmp $@

$(TAGS_BENCH_DIR)/tags-bench.o: bench/tags-bench.c $(TAGS_BENCH_DIR)/tags-limits.h Makefile \
		bench/bench.mk bench/tags.mk
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -I$(TAGS_BENCH_DIR) -c $< -o $@

# Always GCC-built, so the numbers in docs/tags.md are GCC's; the platform
# objects and the library come from $(CC).
$(TAGS_BENCH_DIR)/tags-bench.elf: $(TAGS_BENCH_DIR)/tags-bench.o $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
	$(quiet) LD $@
	$(Q)$(CC) $(PLAT_LDFLAGS) -o $@ $(TAGS_BENCH_DIR)/tags-bench.o $(PLAT_OBJS) $(LIBKVMMTE)

-include $(TAGS_BENCH_DIR)/tags-bench.d

.PHONY: bench-tags
bench-tags: $(TAGS_BENCH_DIR)/tags-bench.elf $(QEMU_DEP)
	@echo "== tag storage instruction counts (QEMU -icount shift=0, PMU INST_RETIRED)"
	$(Q)$(BENCH_QEMU) $< $(if $(TAGS_SEED),-append "seed=$(TAGS_SEED)")

BENCH_TARGETS += bench-tags

# make check: the same run, output kept in a log unless it fails.
.PHONY: check-bench-tags-smoke
check-bench-tags-smoke: $(TAGS_BENCH_DIR)/tags-bench.elf $(QEMU_DEP)
	$(Q)sh tools/qemu-suite.sh "tag storage benchmark (smoke; make bench for the table)" \
		$(QEMU_SYSTEM) $(TAGS_BENCH_DIR)/smoke.log $(BENCH_QEMU) $<

QEMU_CHECK_TARGETS += check-bench-tags-smoke
