# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# Host unit tests (Criterion, x86-64).  The library's C files are compiled
# for the host with -DKVMMTE_FAKE_SYSREG: the real routines run against the
# fake register file in tests/host/fake_sysreg.c.  Every lib/*.c must build
# this way (keep instruction-level code behind #ifndef KVMMTE_FAKE_SYSREG or
# in asm/).  Test files: tests/host/test_*.c; tests/host/debug/test_*.c run
# against a DEBUG=1 library build (precondition hook).

HOSTCC ?= gcc
HOST_DIR := $(O)/tests/host
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-I$(CURDIR)/include -I$(CURDIR)/tests/host -DKVMMTE_FAKE_SYSREG \
	-fsanitize=address,undefined -fno-sanitize-recover=all -MMD -MP
HOST_LDLIBS := -lcriterion -fsanitize=address,undefined

HOST_LIB_SRCS := $(LIB_C_SRCS)
HOST_COMMON_SRCS := tests/host/fake_sysreg.c
HOST_TEST_SRCS := $(sort $(wildcard tests/host/test_*.c))
HOST_DEBUG_TEST_SRCS := $(sort $(wildcard tests/host/debug/test_*.c))

HOST_OBJS := $(patsubst %.c,$(HOST_DIR)/obj/%.o,$(HOST_LIB_SRCS) $(HOST_COMMON_SRCS) $(HOST_TEST_SRCS))
HOST_DEBUG_OBJS := $(patsubst %.c,$(HOST_DIR)/dbg/%.o,$(HOST_LIB_SRCS) $(HOST_COMMON_SRCS) $(HOST_DEBUG_TEST_SRCS))

$(HOST_DIR)/obj/%.o: %.c Makefile tests/host/host.mk
	$(quiet) HOSTCC $@
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_DIR)/dbg/%.o: %.c Makefile tests/host/host.mk
	$(quiet) HOSTCC $@
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -DKVMMTE_DEBUG -c $< -o $@

$(HOST_DIR)/host-tests: $(HOST_OBJS)
	$(quiet) HOSTLD $@
	$(Q)$(HOSTCC) -o $@ $^ $(HOST_LDLIBS)

$(HOST_DIR)/host-tests-debug: $(HOST_DEBUG_OBJS)
	$(quiet) HOSTLD $@
	$(Q)$(HOSTCC) -o $@ $^ $(HOST_LDLIBS)

-include $(HOST_OBJS:.o=.d) $(HOST_DEBUG_OBJS:.o=.d)

.PHONY: check-host check-oracle
check-host: $(HOST_DIR)/host-tests $(HOST_DIR)/host-tests-debug
	@echo "== host unit tests (Criterion, fake register backend)"
	$(Q)$(HOST_DIR)/host-tests --jobs 2
	@echo "== host unit tests, DEBUG=1 library (precondition hook)"
	$(Q)$(HOST_DIR)/host-tests-debug --jobs 2

# Independent oracle for the encodings: the assembler's own +memtag
# mnemonics must produce the same instructions as the header's generic names.
check-oracle:
	@echo "== register encodings against the assembler's mnemonics"
	$(Q)sh tests/host/oracle.sh "$(CROSS_COMPILE)" "$(HOST_DIR)/oracle"

CHECK_TARGETS += check-host check-oracle
