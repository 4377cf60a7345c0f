# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# User-mode tests: aarch64 Linux programs linked with the library and run
# under qemu-aarch64, which implements mmap(PROT_MTE) and
# prctl(PR_SET_TAGGED_ADDR_CTRL); a tag mismatch there is SIGSEGV with
# si_code 9 (sync) or 8 (async).  Own harness (tests/user/harness.h),
# not Criterion; each program ends with "N passed, N failed".
#
#   make check-user-tags [TAGS_SEED=n]   the tag-storage routines (_el0, and
#                                        _el1 with LDGM/STGM/STZGM emulated)

USER_DIR := $(O)/tests/user
USER_CC := $(CROSS_COMPILE)gcc
# The tests write and check tags with their own instructions: +memtag here
# only, never in the library.
USER_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -march=armv8.5-a+memtag \
	-I$(CURDIR)/include -MMD -MP
# The library's objects are not position independent.
USER_LDFLAGS := -no-pie
QEMU_USER_RUN = timeout 60 $(QEMU_USER) -L /usr/aarch64-linux-gnu

$(USER_DIR)/tags-user: tests/user/tags-user.c $(LIBKVMMTE) Makefile tests/user/user.mk
	$(quiet) USERCC $@
	@mkdir -p $(@D)
	$(Q)$(USER_CC) $(USER_CFLAGS) -o $@ $< $(LIBKVMMTE) $(USER_LDFLAGS)

-include $(USER_DIR)/tags-user.d

.PHONY: check-user-tags
check-user-tags: $(USER_DIR)/tags-user $(QEMU_DEP)
	@echo "== tag storage on PROT_MTE memory under qemu-aarch64 (_el0; _el1 with EL1-only instructions emulated)"
	$(Q)$(QEMU_USER_RUN) $< $(if $(TAGS_SEED),--seed $(TAGS_SEED)) > $(USER_DIR)/tags-user.log 2>&1; rc=$$?; \
		cat $(USER_DIR)/tags-user.log; \
		echo "== user-mode tags ($$(sh tools/qemu-version.sh $(QEMU_USER))): $$(grep -E '^[0-9]+ passed' $(USER_DIR)/tags-user.log | tail -n 1)"; \
		exit $$rc

QEMU_CHECK_TARGETS += check-user-tags
