# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# Which QEMU the suites, demos and benchmarks run on.
#
#   QEMU=system (default)  the distribution's qemu-system-aarch64/qemu-aarch64
#   QEMU=10                Debian bookworm-backports' QEMU 10, fetched into
#                          $(O)/qemu-10 by tools/qemu10.sh (private apt
#                          configuration; the system is not touched)
#   QEMU_SYSTEM=, QEMU_USER=  any other binaries
#
# make check runs every suite in QEMU_CHECK_TARGETS once per QEMU: the
# distribution's, then QEMU 10 (docs/testing-target.md).

QEMU ?= system
QEMU10_DIR := $(abspath $(O))/qemu-10
QEMU10_FETCH := sh tools/qemu10.sh $(QEMU10_DIR)

ifeq ($(QEMU),10)
QEMU_SYSTEM := $(QEMU10_DIR)/bin/qemu-system-aarch64
QEMU_USER := $(QEMU10_DIR)/bin/qemu-aarch64
# Every target that runs QEMU has $(QEMU_DEP) as a prerequisite.
QEMU_DEP := qemu-10
else ifeq ($(QEMU),system)
QEMU_SYSTEM ?= qemu-system-aarch64
QEMU_USER ?= qemu-aarch64
QEMU_DEP :=
else
$(error QEMU=$(QEMU): say system or 10, or set QEMU_SYSTEM and QEMU_USER)
endif
export QEMU_SYSTEM QEMU_USER

.PHONY: qemu-10
qemu-10:
	$(quiet) FETCH "QEMU 10 (bookworm-backports) into $(QEMU10_DIR)"
	$(Q)$(QEMU10_FETCH)

# The suites that run under QEMU; fragments add theirs.
QEMU_CHECK_TARGETS :=
