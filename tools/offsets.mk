# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# The offsets generator in libkvmmte's own build (tools/kvmmte-offsets.mk,
# included before this file by the top Makefile's sorted wildcard, defines
# kvmmte_offsets).

INSTALL_TOOLS += tools/kvmmte-offsets
INSTALL_DATA += tools/kvmmte-offsets.mk

# struct kvmmte_state: generate its offsets header with the library's
# compiler and flags, and verify the hand-written constants in state.h
# against the same declarations.  Order-only before the archive, so every
# library build (gcc or clang) checks state.h without relinking for it.
KVMMTE_STATE_OFFSETS_H := $(O)/include/kvmmte/state-offsets.h
$(call kvmmte_offsets,$(KVMMTE_STATE_OFFSETS_H),tools/state-offsets.c,,include/kvmmte/state.h)
$(LIBKVMMTE): | $(KVMMTE_STATE_OFFSETS_H)
