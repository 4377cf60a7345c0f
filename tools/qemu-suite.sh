#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# qemu-suite.sh NAME QEMU LOG COMMAND...
#
# Run one QEMU-based suite: COMMAND's output goes to LOG (printed on
# failure); the suite passes if COMMAND exits 0 and its last
# "N passed, N failed" line says 0 failed.  The closing line names the
# suite and the QEMU it ran on (QEMU is the emulator binary COMMAND uses):
#   == NAME (QEMU 7.2.22): 34 passed, 0 failed, 2 skipped
set -u
name=$1 qemu=$2 log=$3
shift 3
ver=$(sh "$(dirname "$0")/qemu-version.sh" "$qemu")
mkdir -p "$(dirname "$log")"
"$@" >"$log" 2>&1
rc=$?
summary=$(tr -d '\r' <"$log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
case $summary in
"") ;;
*" 0 failed"*) if [ $rc -eq 0 ]; then echo "== $name ($ver): $summary"; exit 0; fi ;;
esac
tr -d '\r' <"$log" | sed 's/^/   /'
[ $rc -eq 124 ] && echo "== $name ($ver): TIMED OUT" >&2
echo "== $name ($ver): FAILED (exit status $rc${summary:+, $summary}), log: $log" >&2
exit 1
