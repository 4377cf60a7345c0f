# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# libkvmmte — world-switch primitives for the Arm Memory Tagging Extension.
#
#   make                    build $(O)/libkvmmte.a for aarch64 (GCC)
#   make CC=clang           the same with clang --target=aarch64-linux-gnu
#   make check              install what is missing, run every test
#   make demo               run the example hypervisor and monitor under QEMU
#   make bench              exact instruction counts of the hot paths
#   make install            PREFIX=/usr/local DESTDIR= (archive, headers, .pc, tools)
#   V=1 full commands, O=dir build directory, DEBUG=1 precondition checks,
#   WERROR=0 to allow warnings.

VERSION := 0.2.0

CROSS_COMPILE ?= aarch64-linux-gnu-
O ?= build
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
WERROR ?= 1
DEBUG ?= 0

# Make's built-in default "cc" means "not chosen": use the cross GCC.
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifneq ($(findstring clang,$(CC)),)
COMPILER := clang
CLANG_TARGET ?= --target=aarch64-linux-gnu
else
COMPILER := gcc
endif
AR := $(CROSS_COMPILE)ar
OBJDUMP := $(CROSS_COMPILE)objdump
READELF := $(CROSS_COMPILE)readelf
NM := $(CROSS_COMPILE)nm

ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-7s %s\n'
endif

# User-tunable, then required (liburing style).
CFLAGS ?= -O2 -g
ASFLAGS ?= -g
# The sources and the flags every library object needs: one list, which
# other build systems can include too (lib/libkvmmte.mk).
include lib/libkvmmte.mk
KVMMTE_TARGET_FLAGS := $(call kvmmte_target_flags,$(COMPILER))
KVMMTE_WARN := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wshadow
ifeq ($(WERROR),1)
KVMMTE_WARN += -Werror
endif
override CPPFLAGS += -I$(CURDIR)/include
ifeq ($(DEBUG),1)
override CPPFLAGS += -DKVMMTE_DEBUG
endif
override CFLAGS += -std=c11 $(KVMMTE_TARGET_FLAGS) $(KVMMTE_WARN) -MMD -MP
override ASFLAGS += $(KVMMTE_TARGET_FLAGS) -MMD -MP

LIB_C_SRCS := $(addprefix lib/,$(KVMMTE_C_SRCS))
LIB_S_SRCS := $(addprefix asm/,$(KVMMTE_ASM_SRCS))
LIB_OBJS := $(LIB_C_SRCS:%.c=$(O)/%.o) $(LIB_S_SRCS:%.S=$(O)/%.o)
LIBKVMMTE := $(O)/libkvmmte.a
PUBLIC_HEADERS := $(addprefix include/kvmmte/,$(KVMMTE_HEADERS))
# A source or header that is not in the lists would be silently left out.
KVMMTE_UNLISTED := $(filter-out $(LIB_C_SRCS) $(LIB_S_SRCS) $(PUBLIC_HEADERS),\
	$(wildcard lib/*.c asm/*.S include/kvmmte/*.h))
ifneq ($(KVMMTE_UNLISTED),)
$(error $(KVMMTE_UNLISTED): not in lib/libkvmmte.mk's lists)
endif

.PHONY: all lib clean install check check-objs check-lib-builds demo bench deps-check deps-demo
.DEFAULT_GOAL := all

all: lib
lib: $(LIBKVMMTE)

$(O)/%.o: %.c Makefile
	$(quiet) CC $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(O)/%.o: %.S Makefile
	$(quiet) AS $@
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(ASFLAGS) -c $< -o $@

$(LIBKVMMTE): $(LIB_OBJS)
	$(quiet) AR $@
	$(Q)rm -f $@ && $(AR) rcsD $@ $^

-include $(LIB_OBJS:.o=.d)

# --- embeddability proof on the built objects --------------------------------
check-objs: $(LIBKVMMTE)
	$(quiet) CHECK $<
	$(Q)OBJDUMP=$(OBJDUMP) READELF=$(READELF) NM=$(NM) \
		sh tools/check-objs.sh $(LIB_OBJS)

# --- installation ------------------------------------------------------------
$(O)/libkvmmte.pc: libkvmmte.pc.in Makefile
	$(quiet) GEN $@
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@BINDIR@|$(BINDIR)|' \
		-e 's|@DATADIR@|$(DATADIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

install: $(LIBKVMMTE) $(O)/libkvmmte.pc
	$(quiet) INSTALL $(DESTDIR)$(PREFIX)
	$(Q)install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/kvmmte \
		$(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/kvmmte
	$(Q)install -m 644 $(LIBKVMMTE) $(DESTDIR)$(LIBDIR)/
	$(Q)install -m 644 $(O)/libkvmmte.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	$(Q)install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/kvmmte/
	$(Q)$(foreach t,$(INSTALL_TOOLS),install -m 755 $(t) $(DESTDIR)$(BINDIR)/ &&) true
	$(Q)$(foreach d,$(INSTALL_DATA),install -m 644 $(d) $(DESTDIR)$(DATADIR)/kvmmte/ &&) true

# --- set-up: make sure the toolchain is there --------------------------------
# Every Debian package a target needs; tools/deps.sh installs the missing
# ones when run as root, otherwise prints the exact command and fails.
DEPS_BUILD := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu clang lld
DEPS_CHECK := $(DEPS_BUILD) libc6-dev-arm64-cross qemu-system-arm qemu-user \
	libcriterion-dev pkg-config libclang-rt-14-dev cmake
DEPS_DEMO := $(DEPS_BUILD) qemu-system-arm pkg-config

deps-check:
	@sh tools/deps.sh $(DEPS_CHECK)
deps-demo:
	@sh tools/deps.sh $(DEPS_DEMO)

clean:
	$(quiet) CLEAN $(O)
	$(Q)rm -rf $(O)

# --- the rest of the project: each part owns its fragment ---------------------
# A fragment adds its test targets to CHECK_TARGETS (run in order by
# "make check"), its benchmarks to BENCH_TARGETS, its demos to DEMO_TARGETS,
# and what it installs to INSTALL_TOOLS / INSTALL_DATA.
CHECK_TARGETS :=
BENCH_TARGETS :=
DEMO_TARGETS :=
INSTALL_TOOLS :=
INSTALL_DATA := lib/libkvmmte.mk
# Every fragment, named: providers first (QEMU choice, offsets tool, the
# platform layer, the benchmark's flags and ELF), then their users.  A
# fragment file that is not listed here is an error, not silently skipped.
KVMMTE_FRAGMENTS := tools/qemu.mk tools/kvmmte-offsets.mk tools/offsets.mk \
	platform/qemu-virt/platform.mk bench/bench.mk bench/tags.mk \
	tests/host/host.mk tests/consts/consts.mk tests/macros/macros.mk \
	tests/offsets/offsets.mk tests/install/install.mk tests/fuzz/fuzz.mk \
	tests/user/user.mk tests/target/target.mk tests/bench/bench.mk \
	examples/minihv/minihv.mk examples/el3-monitor/el3-monitor.mk \
	examples/el3-linux/el3-linux.mk
KVMMTE_UNLISTED_MK := $(filter-out $(KVMMTE_FRAGMENTS),\
	$(wildcard tools/*.mk platform/*/*.mk tests/*/*.mk examples/*/*.mk bench/*.mk))
ifneq ($(KVMMTE_UNLISTED_MK),)
$(error $(KVMMTE_UNLISTED_MK): a fragment not listed in KVMMTE_FRAGMENTS (Makefile))
endif
include $(KVMMTE_FRAGMENTS)

# Cheapest and most basic first: host unit tests, then tools, then the
# target suites under QEMU, then the examples.  Suites not named here run
# last, in fragment order.
CHECK_ORDER := check-host check-oracle check-install check-offsets check-fuzz \
	check-user-tags check-target-gcc check-target-clang check-target-nomte \
	check-minihv check-el3-monitor check-el3-linux check-bench-smoke check-bench-tags-smoke check-bench-tool
DEMO_ORDER := demo-minihv demo-el3-monitor demo-el3-linux
ordered = $(foreach t,$(1),$(filter $(t),$(2))) $(filter-out $(1),$(2))

# The QEMU suites (QEMU_CHECK_TARGETS) run twice: on the distribution's QEMU
# and on QEMU 10 (tools/qemu.mk).  If QEMU 10 can not be fetched, its runs
# are reported as skipped, with the reason.
check: deps-check
	@$(MAKE) --no-print-directory check-lib-builds
	@$(MAKE) --no-print-directory $(call ordered,$(CHECK_ORDER),$(CHECK_TARGETS))
	@$(MAKE) --no-print-directory QEMU=system check-qemu-suites
	@mkdir -p $(O)
	@if $(QEMU10_FETCH) 2>$(O)/qemu-10.err; then \
		$(MAKE) --no-print-directory QEMU=10 QEMU_DEP= check-qemu-suites; \
	else \
		echo "== QEMU 10 suites: SKIPPED ($(QEMU_CHECK_TARGETS)): $$(cat $(O)/qemu-10.err)"; \
	fi
	@echo "make check: all suites passed"

# Every QEMU suite on the QEMU that QEMU= (or QEMU_SYSTEM=, QEMU_USER=) names.
# QEMU 10 is fetched (checked) once, here or by check, not again per suite.
.PHONY: check-qemu-suites
check-qemu-suites: $(QEMU_DEP)
	@echo "== QEMU suites on $$(sh tools/qemu-version.sh $(QEMU_SYSTEM)) ($(QEMU_SYSTEM)) and $$(sh tools/qemu-version.sh $(QEMU_USER)) ($(QEMU_USER))"
	@$(MAKE) --no-print-directory QEMU_DEP= $(call ordered,$(CHECK_ORDER),$(QEMU_CHECK_TARGETS))

# The library must build, warning-free and embeddable, with both compilers.
check-lib-builds:
	@$(MAKE) --no-print-directory O=$(O)/lib-gcc check-objs
	@$(MAKE) --no-print-directory O=$(O)/lib-clang CC=clang check-objs
	@$(MAKE) --no-print-directory O=$(O)/lib-gcc-debug DEBUG=1 check-objs

demo: deps-demo $(QEMU_DEP)
	@$(MAKE) --no-print-directory $(call ordered,$(DEMO_ORDER),$(DEMO_TARGETS))

bench: deps-check $(QEMU_DEP)
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)
