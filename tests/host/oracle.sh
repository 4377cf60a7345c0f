#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# oracle.sh CROSS_COMPILE OUTDIR — check every register encoding in
# include/kvmmte/sysreg.h against an independent oracle: binutils' own
# mnemonics at -march=armv8.5-a+memtag.  For each register, "mrs x0, <name>"
# (and "msr <name>, x1" where writable) is assembled both ways and the
# instruction words compared.  A register the assembler does not name
# (ID_AA64PFR2_EL1 is unknown to binutils 2.40 and clang 14) carries its
# instruction words written out by hand from the Arm ARM (MRS/MSR layout:
# op0 [20:19], op1 [18:16], CRn [15:12], CRm [11:8], op2 [7:5], Rt [4:0]);
# they are the oracle when the assembler lacks the name, and must agree
# with it when it has the name.  Prints one line per register and a closing
# "N passed, N failed" line.
set -eu
cross=$1 out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"

# NAME writable [words by hand]  (the mnemonic is the lower-case name)
regs="RGSR_EL1 1
GCR_EL1 1
TFSR_EL1 1
TFSRE0_EL1 1
TFSR_EL2 1
TFSR_EL12 1
GMID_EL1 0
ID_AA64PFR1_EL1 0
ID_AA64PFR2_EL1 0 d5380440
SCTLR_EL1 1
SCTLR_EL2 1
HCR_EL2 1
SCR_EL3 1
CURRENTEL 0
DCZID_EL0 0"

echo "$regs" | while read -r name w hand; do
	lower=$(echo "$name" | tr 'A-Z' 'a-z')
	{
		echo "mrs x0, $lower"
		[ "$w" = 1 ] && echo "msr $lower, x1"
		true
	} > "$out/$name.named.S"
	{
		echo "#include <kvmmte/sysreg.h>"
		echo "mrs x0, KVMMTE_SYS($name)"
		[ "$w" = 1 ] && echo "msr KVMMTE_SYS($name), x1"
		true
	} > "$out/$name.generic.S"
	"${cross}gcc" -march=armv8-a -I"$top/include" -c "$out/$name.generic.S" -o "$out/$name.generic.o"
	words() { "${cross}objdump" -d "$1" | awk '/^ +[0-9a-f]+:/ { printf "%s ", $2 }'; }
	got=$(words "$out/$name.generic.o")
	hand=$(echo $hand)
	if "${cross}gcc" -march=armv8.5-a+memtag -c "$out/$name.named.S" -o "$out/$name.named.o" \
		2> "$out/$name.named.err"; then
		want=$(words "$out/$name.named.o") by="assembler says" note=
		if [ -n "$hand" ]; then
			note=" (the assembler and the hand-written words agree)"
			[ "$hand" = "$(echo $want)" ] || want="$want; by hand $hand"
		fi
	elif [ -n "$hand" ]; then
		want=$hand by="by hand" note=" (by hand: the assembler lacks the name)"
	else
		want= by="assembler rejects the name: $(head -c 200 "$out/$name.named.err")"
	fi
	if [ -n "$want" ] && [ "$(echo $want)" = "$(echo $got)" ]; then
		echo "ok   $name: $got$note"
	else
		echo "FAIL $name: $by '$want', header gives '$got'"
	fi
done > "$out/report"
cat "$out/report"
total=$(wc -l < "$out/report")
failed=$(grep -c '^FAIL' "$out/report" || true)
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
