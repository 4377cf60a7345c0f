# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# libFuzzer targets for the guest- and VMM-facing inputs (clang, host build,
# -DKVMMTE_FAKE_SYSREG, ASan + UBSan).  The runtime is libclang-rt-14-dev.
#
#   make fuzz [FUZZ_SECONDS=300]   run every target for FUZZ_SECONDS each
#   make check-fuzz                smoke run (FUZZ_SMOKE_SECONDS each), part of make check
#
# Targets: tests/fuzz/fuzz_<name>.c; seed corpus: tests/fuzz/corpus/<name>/
# (read only: new inputs go to $(O)/tests/fuzz/corpus/<name>/).  A crash
# leaves its input in $(O)/tests/fuzz/ as crash-<sha1>: rerun it with
# $(O)/tests/fuzz/fuzz_<name> <file>.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_DIR := $(O)/tests/fuzz
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
# Only the guest/VMM-facing library files: what the fuzzers exercise.
FUZZ_LIB_SRCS := lib/emulate.c lib/state.c lib/vm.c lib/vmm.c
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I$(CURDIR)/include -DKVMMTE_FAKE_SYSREG
# Arguments every run gets.
FUZZ_RUN_FLAGS := -print_final_stats=1 -timeout=10 -rss_limit_mb=2048

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/fuzz/fake_sysreg_fuzz.c \
		$(FUZZ_LIB_SRCS) $(wildcard lib/*.h include/kvmmte/*.h) tests/fuzz/fuzz.mk
	$(quiet) FUZZCC $@
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< tests/fuzz/fake_sysreg_fuzz.c $(FUZZ_LIB_SRCS)

# $(1): seconds per target.  Each target runs from its seed corpus plus the
# inputs earlier runs found; the last line of each run gives the executions.
define kvmmte_run_fuzzers
	$(Q)set -e; cd $(FUZZ_DIR); for t in $(FUZZ_NAMES); do \
		mkdir -p corpus/$$t; \
		echo "== fuzz $$t ($(1) s)"; \
		./fuzz_$$t $(FUZZ_RUN_FLAGS) -max_total_time=$(1) corpus/$$t \
			$(CURDIR)/tests/fuzz/corpus/$$t > $$t.log 2>&1 || \
			{ tail -40 $$t.log; echo "fuzz $$t: FAILED (log: $(FUZZ_DIR)/$$t.log)"; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^Done' $$t.log | tr '\n' ' '; echo; \
	done
endef

.PHONY: fuzz check-fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	$(call kvmmte_run_fuzzers,$(FUZZ_SECONDS))

check-fuzz: $(FUZZ_BINS)
	$(call kvmmte_run_fuzzers,$(FUZZ_SMOKE_SECONDS))

CHECK_TARGETS += check-fuzz
