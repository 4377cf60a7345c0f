#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# oracle.sh CROSS_COMPILE OUTDIR — check every register encoding in
# include/kvmmte/sysreg.h against an independent oracle: binutils' own
# mnemonics at -march=armv8.5-a+memtag.  For each register, "mrs x0, <name>"
# (and "msr <name>, x1" where writable) is assembled both ways and the
# instruction words compared.  Prints one line per register and a closing
# "N passed, N failed" line.
set -eu
cross=$1 out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"

# NAME writable  (the mnemonic is the lower-case name)
regs="RGSR_EL1 1
GCR_EL1 1
TFSR_EL1 1
TFSRE0_EL1 1
TFSR_EL2 1
TFSR_EL12 1
GMID_EL1 0
ID_AA64PFR1_EL1 0
SCTLR_EL1 1
SCTLR_EL2 1
HCR_EL2 1
SCR_EL3 1
CURRENTEL 0
DCZID_EL0 0"

echo "$regs" | while read -r name w; do
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
	"${cross}gcc" -march=armv8.5-a+memtag -c "$out/$name.named.S" -o "$out/$name.named.o"
	"${cross}gcc" -march=armv8-a -I"$top/include" -c "$out/$name.generic.S" -o "$out/$name.generic.o"
	words() { "${cross}objdump" -d "$1" | awk '/^ +[0-9a-f]+:/ { printf "%s ", $2 }'; }
	want=$(words "$out/$name.named.o")
	got=$(words "$out/$name.generic.o")
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		echo "ok   $name: $got"
	else
		echo "FAIL $name: assembler says '$want', header gives '$got'"
	fi
done > "$out/report"
cat "$out/report"
total=$(wc -l < "$out/report")
failed=$(grep -c '^FAIL' "$out/report" || true)
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
