# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# An out-of-tree consumer's Makefile (run by consumer.sh, not part of
# libkvmmte's build): the offsets tool and the Make fragment come from
# pkg-config alone, and the include and the $(call) come before this
# Makefile's first rule, which a plain "make" must still build.
#
#   make -f consumer.make SRC=tests/install SYSROOT=... CC=aarch64-linux-gnu-gcc

PKG_CONFIG ?= pkg-config
SYSROOT ?=
# pkgconf puts the sysroot in front of absolute variables, pkg-config 0.29
# does not.
pc_path = $(if $(filter $(SYSROOT)/%,$(1)),,$(SYSROOT))$(1)
KVMMTE_OFFSETS := $(call pc_path,$(shell $(PKG_CONFIG) --variable=offsets_tool libkvmmte))
include $(call pc_path,$(shell $(PKG_CONFIG) --variable=offsets_mk libkvmmte))

CPPFLAGS := $(shell $(PKG_CONFIG) --cflags libkvmmte)
CFLAGS := -std=c11 -march=armv8-a -mgeneral-regs-only -ffreestanding
$(call kvmmte_offsets,gen/consumer-offsets.h,$(SRC)/offsets-decls.c)

offsets-user.o: $(SRC)/offsets-user.S gen/consumer-offsets.h
	$(CC) $(CPPFLAGS) -Igen -c $(SRC)/offsets-user.S -o $@
