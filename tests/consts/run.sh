#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# The public headers' constants are 64-bit everywhere: in a 32-bit C
# program (i686, where unsigned long has 32 bits; GCC and clang), in
# assembly (GCC and clang) and in linker scripts (GNU ld and lld).  The
# checks are the list in tests/consts/checks.h.  (clang's integrated
# assembler accepts 1UL; gas, GNU ld and lld do not, so they are the ones
# that catch a suffix leaking out of the __ASSEMBLER__ branch.)
#
#   sh tests/consts/run.sh WORKDIR   (CROSS_COMPILE defaults to aarch64-linux-gnu-)
set -u
work=$1
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
src=tests/consts
rm -rf "$work" && mkdir -p "$work" || exit 1
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }
show() { sed 's/^/    /' "$1" | head -n "${2:-8}"; }

# Every public C header; asm-switch.h is for assembly sources only (#error in C).
headers=$(cd include && ls kvmmte/*.h | grep -vx 'kvmmte/asm-switch.h')
nheaders=$(echo "$headers" | wc -l)
for h in $headers; do echo "#include <$h>"; done > "$work/consts-headers.h"

# values NAME FILE: FILE holds "name got want" lines (hex).  A FAIL line per
# value that differs, then one ok line for all the others.
values() {
	if [ ! -s "$2" ]; then
		bad "$1: values: expected one line per check, got none"
		return
	fi
	same=0
	while read -r name got want; do
		if [ "$got" = "$want" ]; then
			same=$((same + 1))
		else
			bad "$1: $name: expected 0x$want, got 0x$got"
		fi
	done < "$2"
	total=$(wc -l < "$2")
	if [ "$same" -eq "$total" ]; then
		ok "$1: all $total values as checks.h says"
	elif [ "$same" -gt 0 ]; then
		ok "$1: the other $same of $total values as checks.h says"
	fi
}

# symbols OBJ GOT_PREFIX WANT_PREFIX OUT: pair the absolute symbols
# GOT_PREFIX<name> and WANT_PREFIX<name> of OBJ into OUT, in symbol table order.
symbols() {
	${cross}nm -p "$1" | awk -v g="$2" -v w="$3" '
		index($3, g) == 1 { n = substr($3, length(g) + 1); got[n] = $1; order[++k] = n }
		index($3, w) == 1 { want[substr($3, length(w) + 1)] = $1 }
		END { for (i = 1; i <= k; i++) print order[i], got[order[i]], want[order[i]] }' > "$4"
}

# --- C, 32-bit -----------------------------------------------------------------
cflags="-std=c11 -ffreestanding -Iinclude -I$src -I$work"
for cc in "gcc -m32" "clang --target=i686-linux-gnu -ferror-limit=0"; do
	name=$(echo "$cc" | cut -d' ' -f1-2 | sed 's/--target=//')
	d=$work/$(echo "$name" | tr -c 'a-z0-9\n' '_')
	mkdir -p "$d"

	: > "$d/alone.log"
	for h in $headers; do
		echo "#include <$h>" > "$d/alone.c"
		$cc $cflags -Wall -Wextra -Werror -fsyntax-only "$d/alone.c" \
			>> "$d/alone.log" 2>&1 || echo "$h does not compile on its own" >> "$d/alone.log"
	done
	if [ -s "$d/alone.log" ]; then
		bad "$name: each public C header alone: expected no error or warning, got:"
		show "$d/alone.log"
	else
		ok "$name: each of the $nheaders public C headers compiles on its own, -Wall -Wextra -Werror"
	fi

	if $cc $cflags -Wall -Wextra -Werror -fsyntax-only "$src/c32.c" > "$d/assert.log" 2>&1; then
		ok "$name: every public C header in one program, checks.h's _Static_asserts hold"
	else
		n=$(grep -c 'consts: [a-z0-9_]*: expected' "$d/assert.log")
		bad "$name: _Static_asserts: expected all to hold, without warnings, got $n failed:"
		show "$d/assert.log" 12
	fi

	if $cc $cflags -w -DCONSTS_DUMP -c "$src/c32.c" -o "$d/c32.o" > "$d/dump.log" 2>&1 &&
	   objcopy -O binary -j .consts_values "$d/c32.o" "$d/values.bin" &&
	   objcopy -O binary -j .consts_names "$d/c32.o" "$d/names.bin"; then
		od -An -v -tx8 "$d/values.bin" | tr -s ' \n' '\n\n' | grep . | paste -d ' ' - - > "$d/pairs"
		tr -d '\0' < "$d/names.bin" | grep . | paste -d ' ' - "$d/pairs" > "$d/values"
		values "$name" "$d/values"
	else
		bad "$name: values: expected an object, got:"
		show "$d/dump.log"
	fi
done

# --- assembly and linker scripts: no suffix may reach gas or ld -------------------
${cross}gcc -E -P -x assembler-with-cpp -Iinclude -I"$src" "$src/values.lds.S" \
	-o "$work/values.lds" > "$work/lds.log" 2>&1 || { bad "linker script: cpp failed:"; show "$work/lds.log"; }
for as in "${cross}gcc" "clang --target=aarch64-linux-gnu"; do
	name="${as%% *}"
	o=$work/asm-$name.o
	if $as -Iinclude -I"$src" -c "$src/asm.S" -o "$o" > "$work/asm.log" 2>&1; then
		ok "$name assembly: the definitions headers assemble, constants as immediates too"
		symbols "$o" consts_got_ consts_want_ "$work/asm-$name.values"
		values "$name assembly" "$work/asm-$name.values"
	else
		bad "$name assembly: expected the definitions headers to assemble, got:"
		show "$work/asm.log"
	fi
done

# The linker script is linked next to an object that includes no header.
printf '\t.text\n' > "$work/empty.S"
${cross}gcc -c "$work/empty.S" -o "$work/empty.o" || bad "linker script: can not assemble an empty object"
for ld in "${cross}ld" ld.lld; do
	if $ld -e 0 -o "$work/lds-$ld.elf" "$work/empty.o" "$work/values.lds" > "$work/ld.log" 2>&1; then
		ok "$ld linker script: the definitions headers' constants link"
		symbols "$work/lds-$ld.elf" consts_lds_got_ consts_lds_want_ "$work/lds-$ld.values"
		values "$ld linker script" "$work/lds-$ld.values"
	else
		bad "$ld linker script: expected it to link, got:"
		show "$work/ld.log"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
