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
# The layout "t" stands for what the offsets tool generates from
# KVMMTE_MTE_LAYOUT(t, ...).
try() {
	printf '#include <kvmmte/asm-switch.h>\n#define KVMMTE_LAYOUT_t_RGSR_EL1 1744\n#define KVMMTE_LAYOUT_t_GCR_EL1 1848\n#define KVMMTE_LAYOUT_t_TFSR_EL1 1992\n#define KVMMTE_LAYOUT_t_TFSRE0_EL1 1968\n\t%s\n' "$4" > "$work/t.S"
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
	try "$cc" "$name: own layout without tfsre0=" "tfsre0= is missing" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, rgsr=0x200, gcr=0x1e8, tfsr=0x300"
	# Any subset other than none or all: the left-out field would move to
	# and from struct kvmmte_state's offset in the caller's context.
	try "$cc" "$name: own layout without gcr=" "gcr= is missing" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, rgsr=0x200, tfsr=0x300, tfsre0=0x2f0"
	try "$cc" "$name: own layout without rgsr=" "rgsr= is missing" \
		"kvmmte_switch_to_host x0, x1, x2, x3, vhe, gcr=0x1e8, tfsr=0x300, tfsre0=0x2f0"
	try "$cc" "$name: own layout without tfsr=" "tfsr= is missing" \
		"kvmmte_switch_to_host x0, x1, x2, x3, nvhe, isb=0, rgsr=0x200, gcr=0x1e8, tfsre0=0x2f0"
	try "$cc" "$name: only tfsre0= given" "rgsr= is missing" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, tfsre0=0x2f0"
	# Offsets ldr/str can not encode: named, not "immediate out of range".
	try "$cc" "$name: gcr= beyond 32760" "gcr= offset is not encodable" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, rgsr=0x200, gcr=32768, tfsr=0x300, tfsre0=0x2f0"
	try "$cc" "$name: tfsre0= unaligned above 255" "tfsre0= offset is not encodable" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, rgsr=0x200, gcr=0x1e8, tfsr=0x300, tfsre0=0x2f4"
	try "$cc" "$name: rgsr= below -256 (no pair)" "rgsr= offset is not encodable" \
		"kvmmte_switch_to_guest x0, x1, x2, x3, vhe, rgsr=-264, gcr=0x1e8, tfsr=0x300, tfsre0=0x2f0"
	try "$cc" "$name: the largest and an unscaled negative offset assemble" ok \
		"kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, rgsr=32760, gcr=-256, tfsr=255, tfsre0=0x2f0"
	# A layout named by the offsets tool: all four arguments at once.
	try "$cc" "$name: KVMMTE_LAYOUT_ARGS() of a generated layout" ok \
		"kvmmte_switch_to_guest x0, x1, x2, x3, nvhe, KVMMTE_LAYOUT_ARGS(t)"
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
