# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# libkvmmte's sources and required flags, for any build that embeds the
# library (as libfdt's Makefile.libfdt): the top Makefile builds from these
# lists, and a hypervisor's own build may include this file instead of
# linking libkvmmte.a.  Paths are relative to the directories named:
#
#   KVMMTE_C_SRCS     in lib/      (lib/internal.h is their private header)
#   KVMMTE_ASM_SRCS   in asm/
#   KVMMTE_HEADERS    in include/kvmmte/ (add include/ to the include path)
#
# $(call kvmmte_target_flags,gcc|clang): the flags every library object
# needs, for AArch64 with that compiler: freestanding, no FP/SIMD
# registers, no PIC or absolute-address assumptions, v8.0 baseline (MTE is
# decided at run time), atomics inline (the default out-of-line helpers
# live in libgcc, which a freestanding image does not link).  -ffunction-sections/-fdata-sections let a linker
# drop what a hypervisor does not call.  Installed to share/kvmmte/, where
# examples/minihv's own Makefile takes its target flags from it.

KVMMTE_C_SRCS := cpu.c debug.c emulate.c nested.c patch.c state.c switch.c tags.c vm.c vmm.c
KVMMTE_ASM_SRCS := switch.S tags.S
KVMMTE_HEADERS := asm-switch.h const.h cpu.h debug.h emulate.h errno.h kvmmte.h \
	mte-regs.h nested.h offsets.h patch.h state.h switch.h sysreg-access.h sysreg.h tags.h \
	vm.h vmm.h

kvmmte_target_flags = $(if $(filter clang,$(1)),--target=aarch64-linux-gnu) \
	-march=armv8-a -mgeneral-regs-only -mstrict-align -ffreestanding -fno-builtin \
	-fno-pic -fno-pie -fno-stack-protector -fno-common -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -ffunction-sections -fdata-sections -mno-outline-atomics \
	$(if $(filter gcc,$(1)),-fno-tree-loop-distribute-patterns)
