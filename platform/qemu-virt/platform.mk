# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# The bare-metal platform layer for QEMU virt (platform/qemu-virt/README.md).
# Not part of libkvmmte: programs that run under QEMU link it.  This
# fragment only defines variables and the object rule; a consumer adds
# $(PLAT_OBJS) to its link and links with $(PLAT_LDFLAGS):
#
#   $(O)/foo.elf: $(FOO_OBJS) $(PLAT_OBJS) $(LIBKVMMTE) $(PLAT_LDS)
#   	$(CC) $(PLAT_LDFLAGS) -o $@ $(FOO_OBJS) $(PLAT_OBJS) $(LIBKVMMTE)
#
# Objects are built with the library's own flags and compiler ($(CC): GCC
# or clang), so a "make CC=clang" build is clang from end to end.

PLAT_DIR := platform/qemu-virt
PLAT_SRCS := $(sort $(wildcard $(PLAT_DIR)/*.c $(PLAT_DIR)/*.S))
PLAT_OBJS := $(patsubst %,$(O)/%.o,$(basename $(PLAT_SRCS)))
PLAT_LDS := $(PLAT_DIR)/linker.ld
PLAT_CPPFLAGS := -I$(CURDIR)/$(PLAT_DIR)
PLAT_LDFLAGS := $(CLANG_TARGET) -nostdlib -static -Wl,--build-id=none \
	-Wl,-z,noexecstack -Wl,-T,$(CURDIR)/$(PLAT_LDS)
ifeq ($(COMPILER),clang)
PLAT_LDFLAGS += -fuse-ld=lld
else
PLAT_LDFLAGS += -no-pie		# Debian's GCC links PIE by default
endif

$(O)/$(PLAT_DIR)/%.o: $(PLAT_DIR)/%.c Makefile $(PLAT_DIR)/platform.mk
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(PLAT_CPPFLAGS) $(CFLAGS) -c $< -o $@

$(O)/$(PLAT_DIR)/%.o: $(PLAT_DIR)/%.S Makefile $(PLAT_DIR)/platform.mk
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(PLAT_CPPFLAGS) $(ASFLAGS) -c $< -o $@

-include $(PLAT_OBJS:.o=.d)
