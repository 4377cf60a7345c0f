#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# run.sh WORKDIR — tests of tools/kvmmte-offsets (make check-offsets).
#
# Generated values against offsetof/sizeof for tricky structs with host
# gcc, aarch64 gcc, aarch64 clang and 32-bit Arm clang; the output format;
# assembly and a linker script using the header, run under qemu-aarch64;
# --verify against hand-edited headers and state.h; every error; a depfile
# with a space, "$" and "#" in its names; rewrite only on change; the Make
# fragment (and the default goal of a Makefile that includes it) and the
# CMake recipe.
# Prints one line per test and "N passed, N failed"; exit 1 on a failure.
# shellcheck disable=SC2016,SC2012 # sh -c scripts expand their own $1; ls -i
set -u

top=$(cd "$(dirname -- "$0")/../.." && pwd)
work=${1:?usage: run.sh WORKDIR}
case $work in /*) ;; *) work=$PWD/$work ;; esac
src=$top/tests/offsets
tool=$top/tools/kvmmte-offsets
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
host_arch=$(uname -m)

rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1

passed=0
failed=0
pass() {
	passed=$((passed + 1))
	echo "ok - $1"
}
# fail NAME [DETAIL-FILE]: the first lines of the file explain.
fail() {
	failed=$((failed + 1))
	echo "FAIL - $1"
	[ $# -lt 2 ] || sed -n '1,12s/^/    /p' "$2"
}
# check NAME COMMAND...: pass if COMMAND succeeds; its output explains a failure.
check() {
	name=$1
	shift
	if "$@" >"$work/last.log" 2>&1; then
		pass "$name"
	else
		fail "$name" "$work/last.log"
	fi
}
# value_of HEADER NAME: the value the header defines for NAME.
value_of() {
	awk -v name="$2" '$1 == "#define" && $2 == name { print $3 }' "$1"
}
# check_value NAME HEADER SYMBOL EXPECTED
check_value() {
	actual=$(value_of "$2" "$3")
	if [ "$actual" = "$4" ]; then
		pass "$1"
	else
		echo "$3 is \"$actual\", expected \"$4\"" >"$work/last.log"
		fail "$1" "$work/last.log"
	fi
}
inode() {
	ls -i "$1" | awk '{ print $1 }'
}

warn="-Wall -Wextra -Werror"
cflags="-std=c11 $warn -I$top/include -I$src"

# --- generated values equal offsetof/sizeof, per compiler ---------------------
# label|compiler command|extra flags
compilers="host-gcc|gcc|
aarch64-gcc|${cross}gcc|
aarch64-clang|clang --target=aarch64-linux-gnu|
arm32-clang|clang --target=armv7a-none-eabi|-ffreestanding"

echo "$compilers" | while IFS='|' read -r label cc extra; do
	mkdir -p "$work/$label"
	echo "$label|$cc|$extra" >"$work/$label/compiler"
done
for dir in host-gcc aarch64-gcc aarch64-clang arm32-clang; do
	IFS='|' read -r label cc extra <"$work/$dir/compiler"
	h=$work/$label/tricky-offsets.h
	check "tricky structs: header generated with $label" \
		"$tool" --cc "$cc" --cflags "$cflags $extra" -o "$h" "$src/tricky-offsets.c"
	# shellcheck disable=SC2086 # command and flags split at blanks
	check "tricky structs: every value equals offsetof/sizeof for $label" \
		$cc $cflags $extra -I"$work/$label" -fsyntax-only "$src/tricky-check.c"
	check "tricky structs: --verify accepts the generated header ($label)" \
		"$tool" --cc "$cc" --cflags "$cflags $extra" --verify "$h" "$src/tricky-offsets.c"
done

# Concrete AAPCS64 values, worked out by hand from tricky.h.
for label in aarch64-gcc aarch64-clang; do
	h=$work/$label/tricky-offsets.h
	check_value "aarch64 ($label): sys_regs[GCR_EL1] behind 8-byte aligned ctxt at 272" "$h" TRICKY_VCPU_GCR_EL1 272
	check_value "aarch64 ($label): aligned(16) mte at 304" "$h" TRICKY_VCPU_MTE 304
	check_value "aarch64 ($label): byte after 5 bits of bit-fields at 321" "$h" TRICKY_VCPU_BITS_AFTER 321
	check_value "aarch64 ($label): u16 after a u64:5 bit-field at 324" "$h" TRICKY_VCPU_BITS_AFTER_WIDE 324
	check_value "aarch64 ($label): packed[1].value unaligned at 340" "$h" TRICKY_VCPU_PACKED1_VALUE 340
	check_value "aarch64 ($label): aligned(64) member at 384" "$h" TRICKY_VCPU_CACHELINE 384
	check_value "aarch64 ($label): sizeof rounds up to the 64-byte alignment: 448" "$h" TRICKY_VCPU_SIZE 448
	check_value "aarch64 ($label): plain char is unsigned" "$h" TRICKY_CHAR_IS_SIGNED 0
done
check "aarch64 gcc and clang generate identical headers" \
	cmp "$work/aarch64-gcc/tricky-offsets.h" "$work/aarch64-clang/tricky-offsets.h"
mkdir -p "$work/lto"
check "-flto -fPIC builds give the same header (the tool adds -fno-lto)" sh -c '
	"$1" --cc "$2" --cflags "$3 -O2 -flto -fPIC" -o "$4/tricky-offsets.h" "$5" &&
	cmp "$4/tricky-offsets.h" "$6"' sh "$tool" "${cross}gcc" "$cflags" "$work/lto" \
	"$src/tricky-offsets.c" "$work/aarch64-gcc/tricky-offsets.h"
check_value "arm32: pointers are 4 bytes (the target's ABI, not the host's)" \
	"$work/arm32-clang/tricky-offsets.h" TRICKY_POINTER_SIZE 4
check_value "arm32: long double is 8 bytes" \
	"$work/arm32-clang/tricky-offsets.h" TRICKY_LONG_DOUBLE_SIZE 8
if [ "$host_arch" = x86_64 ]; then
	check_value "host x86-64: plain char is signed (aarch64's is not)" \
		"$work/host-gcc/tricky-offsets.h" TRICKY_CHAR_IS_SIGNED 1
fi

# --- output format ------------------------------------------------------------
h=$work/aarch64-gcc/tricky-offsets.h
check "format: SPDX line of the declarations file first" \
	test "$(sed -n 1p "$h")" = "/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */"
check "format: says generated, do not edit" \
	grep -q 'Generated by kvmmte-offsets from tricky-offsets.c: do not edit' "$h"
check "format: include guard from the file name" \
	test "$(grep -c '^#ifndef TRICKY_OFFSETS_H$\|^#define TRICKY_OFFSETS_H$\|^#endif /\* TRICKY_OFFSETS_H \*/$' "$h")" = 3
check "format: no integer suffixes (assembler and ld take every value)" \
	test -z "$(awk '$1 == "#define" && $3 ~ /[0-9a-fA-F][uUlL]+$/' "$h")"
check_value "format: negative values in parentheses" "$h" TRICKY_MINUS_EIGHT "(-8)"
check_value "format: INT64_MIN without an unsigned literal" "$h" TRICKY_INT64_MIN "(-9223372036854775807-1)"
check_value "format: unsigned values of 2^63 and up in hex" "$h" TRICKY_ALL_ONES 0xffffffffffffffff
check_value "format: high mask in hex" "$h" TRICKY_HIGH_MASK 0xffff000000000000
check_value "format: small values in decimal" "$h" TRICKY_VCPU_ALIGN 64
sed -n 's/^KVMMTE_[A-Z]*(\([A-Z0-9_]*\),.*/\1/p' "$src/tricky-offsets.c" >"$work/order.expected"
printf 'TRICKY_VCPU_RGSR_EL1\nTRICKY_INDEX_RGSR_EL1\n' >>"$work/order.expected"
awk '$1 == "#define" && $3 != "" { print $2 }' "$h" >"$work/order.actual"
check "format: declaration order kept (GCC emits the records reversed)" \
	cmp "$work/order.expected" "$work/order.actual"
check "format: --guard and --spdx" sh -c '
	"$1" --cc "$2" --cflags "$3" --guard MY_GUARD --spdx MIT -o "$4/g.h" "$5" &&
	grep -q "^#ifndef MY_GUARD$" "$4/g.h" && grep -q "SPDX-License-Identifier: MIT \*/" "$4/g.h"' \
	sh "$tool" "${cross}gcc" "$cflags" "$work" "$src/tricky-offsets.c"

# --- assembly and linker script, run under qemu-aarch64 ------------------------
for label in aarch64-gcc aarch64-clang; do
	IFS='|' read -r label cc extra <"$work/$label/compiler"
	d=$work/$label
	# shellcheck disable=SC2086
	check "asm: fields.S assembles against the generated header ($label)" \
		$cc -I"$d" -c "$src/fields.S" -o "$d/fields.o"
	# shellcheck disable=SC2086
	check "ld: a linker script preprocessed from the generated header ($label)" \
		$cc -E -P -x assembler-with-cpp -I"$d" "$src/values.lds.S" -o "$d/values.lds"
	# shellcheck disable=SC2086
	check "qemu: test program links with the script ($label)" sh -c '
		$1 -std=c11 -O2 -I"$2" -I"$3" -c "$3/fields-main.c" -o "$2/main.o" &&
		${4}gcc -static "$2/main.o" "$2/fields.o" "$2/values.lds" -o "$2/fields"' \
		sh "$cc" "$d" "$src" "$cross"
	if "${QEMU_USER:-qemu-aarch64}" -L /usr/aarch64-linux-gnu "$d/fields" >"$d/qemu.log" 2>&1; then
		pass "qemu: asm stores land in the named fields, ld symbols hold the values ($label; $(tail -1 "$d/qemu.log"))"
	else
		grep -v '^ok' "$d/qemu.log" >"$work/last.log"
		fail "qemu: asm stores land in the named fields, ld symbols hold the values ($label)" "$work/last.log"
	fi
done

# --- --verify -------------------------------------------------------------------
decl_line() {	# the line of a declaration in tricky-offsets.c
	grep -n "($1," "$src/tricky-offsets.c" | cut -d: -f1
}
for label in aarch64-gcc aarch64-clang; do
	IFS='|' read -r label cc extra <"$work/$label/compiler"
	d=$work/$label
	sed 's/^\(#define TRICKY_VCPU_MTE  *\)304 /\1300 /' "$d/tricky-offsets.h" >"$d/edited.h"
	"$tool" --cc "$cc" --cflags "$cflags" --verify "$d/edited.h" "$src/tricky-offsets.c" \
		>"$d/verify.log" 2>&1
	status=$?
	line=$(decl_line TRICKY_VCPU_MTE)
	if [ $status -eq 1 ] &&
	   grep -q "TRICKY_VCPU_MTE is 300 in $d/edited.h, but offsetof(struct tricky_vcpu, mte) is 304" "$d/verify.log" &&
	   grep -q "tricky-offsets.c:$line:.*error" "$d/verify.log" &&
	   [ "$(tail -1 "$d/verify.log")" = "kvmmte-offsets: $src/tricky-offsets.c:$line: $d/edited.h does not match the compiler (compiler messages above)" ]; then
		pass "verify: a hand-edited value is a compile error naming the symbol and both values ($label)"
	else
		fail "verify: a hand-edited value is a compile error naming the symbol and both values ($label)" "$d/verify.log"
	fi
	grep -v '^#define TRICKY_VCPU_LD ' "$d/tricky-offsets.h" >"$d/deleted.h"
	"$tool" --cc "$cc" --cflags "$cflags" --verify "$d/deleted.h" "$src/tricky-offsets.c" \
		>"$d/verify.log" 2>&1
	status=$?
	if [ $status -eq 1 ] && [ "$(cat "$d/verify.log")" = \
	    "kvmmte-offsets: $src/tricky-offsets.c:$(decl_line TRICKY_VCPU_LD): TRICKY_VCPU_LD is not defined in $d/deleted.h" ]; then
		pass "verify: a symbol missing from the header is named ($label)"
	else
		fail "verify: a symbol missing from the header is named ($label)" "$d/verify.log"
	fi
done

# state.h, with the library's target flags, both compilers.
lib_flags="-std=c11 -march=armv8-a -mgeneral-regs-only -ffreestanding $warn"
for label in aarch64-gcc aarch64-clang; do
	IFS='|' read -r label cc extra <"$work/$label/compiler"
	check "state.h: KVMMTE_STATE_* constants are what $label computes" \
		"$tool" --cc "$cc" --cflags "$lib_flags -I$top/include" \
		--verify "$top/include/kvmmte/state.h" "$top/tests/offsets/state-decls.c"
done
# A state.h whose constant drifted and whose own asserts are gone.
mkdir -p "$work/drift/kvmmte"
cp "$top/include/kvmmte/offsets.h" "$top/include/kvmmte/const.h" "$work/drift/kvmmte/"
sed -e 's/^\(#define KVMMTE_STATE_TFSRE0_EL1[^0-9]*\)24$/\120/' -e '/^KVMMTE_STATIC_ASSERT(/,/;$/d' \
	"$top/include/kvmmte/state.h" >"$work/drift/kvmmte/state.h"
"$tool" --cc "${cross}gcc" --cflags "$lib_flags -I$work/drift" \
	--verify "$work/drift/kvmmte/state.h" "$top/tests/offsets/state-decls.c" >"$work/drift.log" 2>&1
status=$?
if [ $status -eq 1 ] && grep -q 'KVMMTE_STATE_TFSRE0_EL1 is 20 in .*, but offsetof(struct kvmmte_state, tfsre0_el1) is 24' "$work/drift.log"; then
	pass "state.h: a drifted constant is caught by --verify alone"
else
	fail "state.h: a drifted constant is caught by --verify alone" "$work/drift.log"
fi

# --- errors: one line, file and line, exit 1, previous header intact ----------
# expect_error LABEL CC NAME EXPECTED-LAST-LINE TOOL-ARGS...
expect_error() {
	label=$1 cc=$2 name=$3 expected=$4
	shift 4
	e=$work/errors-$label
	cp "$e/good.h" "$e/out.h"
	before=$(inode "$e/out.h")
	"$tool" --cc "$cc" --cflags "-I$top/include" "$@" >"$e/log" 2>&1
	status=$?
	last=$(tail -1 "$e/log")
	if [ $status -eq 1 ] && [ "$last" = "$expected" ] &&
	   cmp -s "$e/good.h" "$e/out.h" && [ "$(inode "$e/out.h")" = "$before" ] &&
	   [ -z "$(find "$e" -name 'out.h.tmp*')" ]; then
		pass "error ($label): $name"
	else
		{ echo "exit $status; expected last line:"; echo "$expected"; cat "$e/log"; } >"$work/last.log"
		fail "error ($label): $name" "$work/last.log"
	fi
}
# decls FILE BODY: a declarations file; BODY starts at line 4.
decls() {
	printf '#include <kvmmte/offsets.h>\nstruct s { long a[4]; int b; };\nextern int glob;\n%s\n' "$2" >"$1"
}
# The errors, one a line: name | the declarations from line 4 of bad.c on
# ("\n" starts a new line; "-": bad.c is not written, the case reads
# another file) | the tool's last line after "kvmmte-offsets: " | its
# arguments.
error_cases='missing input|-|nope.c: cannot read the declarations file|-o out.h nope.c
compiler failure|KVMMTE_OFFSET(X, struct s, nosuch);|bad.c:4: compilation failed (compiler messages above)|-o out.h bad.c
non-constant expression|KVMMTE_DEFINE(X, glob);|bad.c:4: X: glob is not a compile-time constant|-o out.h bad.c
duplicate symbol|KVMMTE_DEFINE(X, 1);\nKVMMTE_SIZE(X, struct s);|bad.c:5: duplicate symbol X (first declared at bad.c:4)|-o out.h bad.c
invalid symbol name|KVMMTE_DEFINE(A-B, 1);|bad.c:4: invalid symbol name "A-B" (want a letter, then letters, digits, _)|-o out.h bad.c
reserved symbol name|KVMMTE_DEFINE(_RESERVED, 1);|bad.c:4: invalid symbol name "_RESERVED" (want a letter, then letters, digits, _)|-o out.h bad.c
reserved symbol name, two underscores|KVMMTE_DEFINE(__reserved, 1);|bad.c:4: invalid symbol name "__reserved" (want a letter, then letters, digits, _)|-o out.h bad.c
symbol named defined (no macro can have that name)|KVMMTE_DEFINE(defined, 1);|bad.c:4: invalid symbol name "defined" (a keyword or operator of C or C++, not a macro name)|-o out.h bad.c
symbol named after a C keyword|KVMMTE_SIZE(int, struct s);|bad.c:4: invalid symbol name "int" (a keyword or operator of C or C++, not a macro name)|-o out.h bad.c
symbol named like the include guard|KVMMTE_DEFINE(OUT_H, 1);|bad.c:4: symbol OUT_H is the include guard of out.h (rename it, or give another guard with --guard)|-o out.h bad.c
symbol named like the --guard|KVMMTE_DEFINE(MY_GUARD, 1);|bad.c:4: symbol MY_GUARD is the include guard of out.h (rename it, or give another guard with --guard)|--guard MY_GUARD -o out.h bad.c
layout with two fields in one slot|KVMMTE_MTE_LAYOUT(k, struct s, a[1], a[3], a[0], a[1]);|bad.c:4: compilation failed (compiler messages above)|-o out.h bad.c
layout with a 4-byte field|KVMMTE_MTE_LAYOUT(k, struct s, a[1], a[3], b, a[2]);|bad.c:4: compilation failed (compiler messages above)|-o out.h bad.c
value wider than 64 bits|KVMMTE_DEFINE(X, (unsigned __int128)1 << 64);|bad.c:4: X: (unsigned __int128)1 << 64 does not fit in 64 bits|-o out.h bad.c
value below -2^63|KVMMTE_DEFINE(X, -((__int128)1 << 63) - 1);|bad.c:4: X: -((__int128)1 << 63) - 1 does not fit in 64 bits|-o out.h bad.c
negative offset|KVMMTE_OFFSET(X, struct s, a[-1]);|bad.c:4: X: offsetof(struct s, a[-1]) is a negative offset (-8)|-o out.h bad.c
empty input||bad.c: no KVMMTE_OFFSET, KVMMTE_SIZE or KVMMTE_DEFINE declaration|-o out.h bad.c
objcopy that cannot read the object|-|good.c: no objcopy could read the compiler'"'"'s object (tried: false); name one with --objcopy|--objcopy false -o out.h good.c
output directory missing|-|nodir/out.h: cannot write: no directory nodir|-o nodir/out.h good.c'
# What the log of some of them says besides: name of the error | the
# test's name (kind: what) | a grep pattern | on how many lines ("": any).
error_logs='compiler failure|error: compiler diagnostics passed through, once|error:.*nosuch|1
layout with two fields in one slot|layout: the compiler says which layout overlaps|layout k: two MTE fields overlap|
layout with a 4-byte field|layout: the compiler says a field is not 8 bytes|layout k: each MTE field must be 8 bytes|'
# error_log_checks LABEL NAME: error NAME's lines of error_logs against its log.
error_log_checks() {
	while IFS='|' read -r of test pattern count <&4; do
		[ "$of" = "$2" ] || continue
		n=$(grep -c "$pattern" "$work/errors-$1/log")
		if { [ -z "$count" ] && [ "$n" -gt 0 ]; } || [ "$n" = "$count" ]; then
			pass "${test%%:*} ($1):${test#*:}"
		else
			{ echo "\"$pattern\" on $n lines, expected ${count:-one or more}:"
			  cat "$work/errors-$1/log"; } >"$work/last.log"
			fail "${test%%:*} ($1):${test#*:}" "$work/last.log"
		fi
	done 4<<EOF
$error_logs
EOF
}
for label in aarch64-gcc aarch64-clang; do
	IFS='|' read -r label cc extra <"$work/$label/compiler"
	e=$work/errors-$label
	mkdir -p "$e"
	cd "$e" || exit 1
	decls good.c 'KVMMTE_OFFSET(S_B, struct s, b);'
	"$tool" --cc "$cc" --cflags "-I$top/include" -o good.h good.c
	while IFS='|' read -r name body expected args <&3; do
		[ "$body" = - ] || decls bad.c "$(printf '%b' "$body")"
		# shellcheck disable=SC2086 # the arguments split at blanks
		expect_error "$label" "$cc" "$name" "kvmmte-offsets: $expected" $args
		error_log_checks "$label" "$name"
	done 3<<EOF
$error_cases
EOF
	# KVMMTE_MTE_LAYOUT: the four offsets of a context layout, checked
	# against the type (8 bytes each, no overlap) before anything is made;
	# the layouts it refuses are in error_cases.
	decls lay.c 'KVMMTE_MTE_LAYOUT(k, struct s, a[1], a[3], a[0], a[2]);'
	if "$tool" --cc "$cc" --cflags "-I$top/include" -o lay.h lay.c >"$e/log" 2>&1 &&
	   [ "$(value_of lay.h KVMMTE_LAYOUT_k_RGSR_EL1) $(value_of lay.h KVMMTE_LAYOUT_k_GCR_EL1)" = "8 24" ] &&
	   [ "$(value_of lay.h KVMMTE_LAYOUT_k_TFSR_EL1) $(value_of lay.h KVMMTE_LAYOUT_k_TFSRE0_EL1)" = "0 16" ]; then
		pass "layout ($label): KVMMTE_MTE_LAYOUT gives the four offsets"
	else
		{ cat "$e/log"; cat lay.h; } >"$work/last.log" 2>&1
		fail "layout ($label): KVMMTE_MTE_LAYOUT gives the four offsets" "$work/last.log"
	fi
	cd "$work" || exit 1
done
"$tool" >"$work/usage.log" 2>&1
status=$?
if [ $status -eq 2 ] && grep -q '^usage: kvmmte-offsets' "$work/usage.log"; then
	pass "usage error: exit 2 and the usage text"
else
	fail "usage error: exit 2 and the usage text" "$work/usage.log"
fi

# --- --depfile: names escaped for Make, as gcc -MQ does -------------------------
# An output path with a space; an included header whose name has a space, "$"
# and "#".  probe.mk includes the depfile first (so its first target is the
# default goal) and gives the header a recipe; with only that included header
# newer than the output, Make must name both whole: "$@" one target, "$?"
# the one prerequisite.
for label in aarch64-gcc aarch64-clang; do
	IFS='|' read -r label cc extra <"$work/$label/compiler"
	d=$work/depfile-$label
	odd='odd $name#1.h'
	mkdir -p "$d/gen dir" "$d/inc"
	: >"$d/inc/$odd"
	printf '#include <kvmmte/offsets.h>\n#include "%s"\nKVMMTE_DEFINE(ONE, 1);\n' "$odd" >"$d/decls.c"
	{
		echo 'include out.d'
		printf '%s:\n' "$(printf '%s' "$d/gen dir/out.h" | sed 's/ /\\ /g')"
		printf '\t@printf "%%s\\n" '"'"'target [$@] newer [$?]'"'"'\n'
	} >"$d/probe.mk"
	echo "target [$d/gen dir/out.h] newer [$d/inc/$odd]" >"$d/expected"
	t=$(date -r "$top/include/kvmmte/offsets.h" +%s)
	: >"$d/actual"
	"$tool" --cc "$cc" --cflags "-I$top/include -I$d/inc" --depfile "$d/out.d" \
		-o "$d/gen dir/out.h" "$d/decls.c" >"$d/log" 2>&1 &&
	touch -d "@$t" "$d/decls.c" &&
	touch -d "@$((t + 1))" "$d/gen dir/out.h" &&
	touch -d "@$((t + 2))" "$d/inc/$odd" &&
	make -s --no-print-directory -C "$d" -f probe.mk >"$d/actual" 2>>"$d/log"
	if cmp -s "$d/expected" "$d/actual"; then
		pass "depfile: make reads a target with a space, a prerequisite with a space, \$ and # ($label)"
	else
		{ echo "expected:"; cat "$d/expected"; echo "make said:"; cat "$d/actual" "$d/log"; echo "out.d:"; cat "$d/out.d"; } >"$work/last.log"
		fail "depfile: make reads a target with a space, a prerequisite with a space, \$ and # ($label)" "$work/last.log"
	fi
done

# --- rewritten only when the content changes ------------------------------------
r=$work/rewrite
mkdir -p "$r"
decls "$r/d.c" 'KVMMTE_OFFSET(S_B, struct s, b);'
"$tool" --cc "${cross}gcc" --cflags "-I$top/include" -o "$r/out.h" "$r/d.c"
before=$(inode "$r/out.h")
touch -t 200001010000 "$r/out.h"
"$tool" --cc "${cross}gcc" --cflags "-I$top/include" -o "$r/out.h" "$r/d.c"
if [ "$(inode "$r/out.h")" = "$before" ] && [ -z "$(find "$r/out.h" -newer "$r/d.c")" ]; then
	pass "rewrite: same content leaves the header alone (inode and mtime)"
else
	fail "rewrite: same content leaves the header alone (inode and mtime)"
fi
decls "$r/d.c" 'KVMMTE_OFFSET(S_B, struct s, b);
KVMMTE_SIZE(S_SIZE, struct s);'
"$tool" --cc "${cross}gcc" --cflags "-I$top/include" -o "$r/out.h" "$r/d.c"
check "rewrite: new content replaces the header" grep -q '^#define S_SIZE *40 ' "$r/out.h"

# --- the Make fragment ----------------------------------------------------------
# consumer DIR [LINE]: a project in DIR whose Makefile includes the fragment
# and calls it above its first rule, fields.o, which the generated header
# feeds; LINE (an assignment) goes before the $(call).
consumer() {
	mkdir -p "$1"
	cp "$src/tricky.h" "$src/tricky-offsets.c" "$src/fields.S" "$1/"
	{
		echo "include $top/tools/kvmmte-offsets.mk"
		echo "CC := ${cross}gcc"
		echo "CPPFLAGS := -I$top/include -I."
		[ $# -lt 2 ] || echo "$2"
		cat <<'EOF'
$(call kvmmte_offsets,gen/tricky-offsets.h,tricky-offsets.c)
fields.o: fields.S gen/tricky-offsets.h
	$(CC) -Igen -c fields.S -o $@
EOF
	} >"$1/Makefile"
}
m=$work/make
consumer "$m" "CFLAGS := -O2 $warn"
check "make: one \$(call) line generates the header for the asm that uses it" \
	make -C "$m" fields.o
check "make: then a second make runs nothing" sh -c \
	'make -C "$1" --no-print-directory fields.o | grep -q "fields.o. is up to date"' sh "$m"
touch -t 200001010000 "$m/gen/tricky-offsets.h" "$m/fields.o"
touch -t 200101010000 "$m/ref"
echo '/* a comment changes no layout */' >>"$m/tricky.h"
check "make: an included header changed, the generator reruns (depfile)" sh -c \
	'make -C "$1" fields.o | grep -q "GEN.*gen/tricky-offsets.h"' sh "$m"
check "make: ... but the same content leaves the header and the asm alone" \
	test -z "$(find "$m/gen/tricky-offsets.h" "$m/fields.o" -newer "$m/ref")"
sed 's/int id;/int id; uint64_t added;/' "$src/tricky.h" >"$m/tricky.h"
check "make: a layout change rewrites the header and rebuilds the asm" sh -c '
	make -C "$1" fields.o >/dev/null &&
	test -n "$(find "$1/gen/tricky-offsets.h" -newer "$1/ref")" &&
	test -n "$(find "$1/fields.o" -newer "$1/ref")" &&
	grep -q "^#define TRICKY_VCPU_GCR_EL1 *280 " "$1/gen/tricky-offsets.h"' sh "$m"
rm -f "$m/gen/tricky-offsets.h"
check "make: a deleted header comes back" sh -c \
	'make -C "$1" fields.o >/dev/null && test -f "$1/gen/tricky-offsets.h"' sh "$m"

# The include and the $(call) above the consumer's first rule: a plain "make"
# still builds that rule's target, before and after the depfile exists.
g=$work/make-goal
consumer "$g"
check "make: the fragment leaves the default goal alone (plain make builds the first rule)" sh -c \
	'make -C "$1" && test -f "$1/fields.o"' sh "$g"
rm -f "$g/fields.o"
check "make: ... also with the depfile there to include" sh -c \
	'test -f "$1/gen/tricky-offsets.h.d" && make -C "$1" && test -f "$1/fields.o"' sh "$g"
cat >"$g/goal.mk" <<EOF
.DEFAULT_GOAL := mine
include $top/tools/kvmmte-offsets.mk
\$(call kvmmte_offsets,gen/other.h,tricky-offsets.c)
other: ; @echo other
mine: ; @echo mine
EOF
check "make: ... and a .DEFAULT_GOAL set before the include" sh -c \
	'test "$(make -s -C "$1" -f goal.mk)" = mine' sh "$g"

# --- the CMake recipe -------------------------------------------------------------
if command -v cmake >/dev/null 2>&1; then
	c=$work/cmake
	check "cmake: the documented recipe configures" \
		cmake -S "$src/cmake" -B "$c" -DKVMMTE_SOURCE_DIR="$top" \
		-DCMAKE_C_COMPILER="${cross}gcc" -DCMAKE_ASM_COMPILER="${cross}gcc" \
		-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
		-DCMAKE_TRY_COMPILE_TARGET_TYPE=STATIC_LIBRARY
	check "cmake: builds the header and the asm using it" cmake --build "$c"
	check "cmake: same header as the tool run directly" \
		cmp "$c/gen/tricky-offsets.h" "$work/aarch64-gcc/tricky-offsets.h"
	before=$(inode "$c/gen/tricky-offsets.h")
	check "cmake: a rebuild leaves the header alone" sh -c \
		'cmake --build "$1" >/dev/null && test "$(ls -i "$1/gen/tricky-offsets.h" | cut -d" " -f1)" = "$2"' \
		sh "$c" "$before"
else
	# make check installs cmake (DEPS_CHECK): its absence is a failure.
	echo "not ok - cmake: not installed, the CMake recipe was not tested"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
