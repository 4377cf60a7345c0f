#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# run.sh LABEL ELF on|off [APPEND]
# Boot the QEMU suite ELF at EL2 (mte=on or not), always under timeout, and
# pass only if QEMU exits 0 and the suite printed "N passed, 0 failed".
# The transcript is printed and kept next to the ELF (*.log).
# TT_TIMEOUT (seconds, default 120) bounds the run; QEMU_SYSTEM overrides
# the emulator; TT_QEMU_ARGS adds options (-smp 4, -accel ...).  Every line
# names the QEMU version the suite ran on.
set -u
qemu=${QEMU_SYSTEM:-qemu-system-aarch64}
label="$1; $(sh "$(dirname "$0")/../../tools/qemu-version.sh" "$qemu")"
elf=$2 mte=$3 append=${4:-}
machine=virt,virtualization=on
[ "$mte" = on ] && machine=$machine,mte=on
log=${elf%.elf}-$(printf '%s' "$label" | tr -c 'A-Za-z0-9.' '-').log

echo "== QEMU suite ($label): -M $machine${TT_QEMU_ARGS:+ $TT_QEMU_ARGS}${append:+ -append \"$append\"}"
start=$(date +%s%N)
# shellcheck disable=SC2086 # TT_QEMU_ARGS: options split at blanks
timeout "${TT_TIMEOUT:-120}" "$qemu" -nic none -M "$machine" -cpu max ${TT_QEMU_ARGS:-} \
	-nographic -semihosting -kernel "$elf" -append "$append" </dev/null >"$log" 2>&1
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
tr -d '\r' <"$log"

summary=$(tr -d '\r' <"$log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
if [ "$rc" -eq 124 ]; then
	echo "== QEMU suite ($label): TIMED OUT after ${TT_TIMEOUT:-120} s" >&2
	exit 1
fi
case $summary in
*" 0 failed"*) [ "$rc" -eq 0 ] && { echo "== QEMU suite ($label): $summary [${ms} ms]"; exit 0; } ;;
esac
echo "== QEMU suite ($label): FAILED (exit status $rc${summary:+, $summary}) [${ms} ms], log: $log" >&2
exit 1
