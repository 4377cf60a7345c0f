#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# The switch macros' assembly-time checks (<kvmmte/asm-switch.h>): every
# misuse is an error that names the problem, with GCC and with clang, and
# the correct uses assemble.
#
#   sh tests/macros/run.sh WORKDIR   (CROSS_COMPILE defaults to aarch64-linux-gnu-)
set -u
work=$1
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
rm -rf "$work" && mkdir -p "$work" || exit 1
pass=0
fail=0

# try CC NAME WANT LINE: assemble LINE; WANT is "ok" or the expected error text.
try() {
	printf '#include <kvmmte/asm-switch.h>\n\t%s\n' "$4" > "$work/t.S"
	if $1 -Iinclude -c "$work/t.S" -o "$work/t.o" > "$work/log" 2>&1; then
		got=ok
	else
		got=error
	fi
	if [ "$3" = ok ] && [ "$got" = ok ]; then
		pass=$((pass + 1)); echo "ok - $2"
	elif [ "$3" != ok ] && [ "$got" = error ] && grep -qF -- "$3" "$work/log"; then
		pass=$((pass + 1)); echo "ok - $2"
	else
		fail=$((fail + 1)); echo "FAIL - $2: expected ${3}, got $got:"
		sed 's/^/    /' "$work/log" | head -n 5
	fi
}

for cc in "${cross}gcc" "clang --target=aarch64-linux-gnu"; do
	name=${cc%% *}
	try "$cc" "$name: vhe exit, defaults" ok \
		"kvmmte_switch_to_host x0, x1, x2, x3, vhe"
	try "$cc" "$name: nvhe exit with isb=0" ok \
		"kvmmte_switch_to_host x0, x1, x2, x3, nvhe, isb=0"
	try "$cc" "$name: nvhe entry, hcr=, gate=idreg, own layout" ok \
		"kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, hcr=x4, gate=idreg, rgsr=64, gcr=80, tfsr=96, tfsre0=120"
	try "$cc" "$name: nvhe exit without isb=" \
		"kvmmte_switch_to_host with mode nvhe needs isb=0" \
		"kvmmte_switch_to_host x0, x1, x2, x3, nvhe"
	try "$cc" "$name: unknown mode" "mode must be vhe or nvhe" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, hve"
	try "$cc" "$name: unknown gate" "gate= must be patch, idreg or none" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, gate=static"
	try "$cc" "$name: scratch register is the guest pointer" "scratch register x0 is also an input" \
		"kvmmte_switch_to_guest x0, x1, x0, x3, vhe"
	try "$cc" "$name: scratch register is hcr=" "scratch register x3 is also an input" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, hcr=x3"
	try "$cc" "$name: the two scratch registers are one" "tmp1 and tmp2 must be different" \
		"kvmmte_switch_to_host x0, x1, x2, x2, vhe"
	try "$cc" "$name: own layout without tfsre0=" "needs tfsre0= too" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, rgsr=0x200, gcr=0x1e8, tfsr=0x300"
done

# The code itself, for an own layout with both pairs adjacent (nvhe entry,
# gate=none): one stp and one ldp per pair, at the named offsets.
printf '#include <kvmmte/asm-switch.h>\n\t%s\n' \
	"kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, gate=none, rgsr=-512, gcr=-504, tfsr=496, tfsre0=504" \
	> "$work/pair.S"
if ${cross}gcc -Iinclude -c "$work/pair.S" -o "$work/pair.o" 2> "$work/log" &&
   ${cross}objdump -d "$work/pair.o" | grep -E '\s(stp|ldp|str|ldr)\s' |
	sed 's/.*\t\(st\|ld\)/\1/' > "$work/moves" &&
   [ "$(cat "$work/moves")" = "$(printf '%s\n' \
	'stp	x2, x3, [x1, #-512]' 'ldp	x2, x3, [x0, #-512]' \
	'stp	x2, x3, [x1, #496]' 'ldp	x2, x3, [x0, #496]')" ]; then
	pass=$((pass + 1)); echo "ok - own layout at the ldp/stp limits: one pair move each"
else
	fail=$((fail + 1)); echo "FAIL - own layout at the ldp/stp limits; moves:"
	sed 's/^/    /' "$work/moves" "$work/log" 2>/dev/null
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
