#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# check.sh DIR NAME:ELF:MACHINE:ARGS...  — run minihv under QEMU once per
# configuration (log in DIR/NAME-QEMU-x.y.z.log); a run passes if QEMU exits 0 and the
# transcript ends with minihv's verdict.  QEMU_SYSTEM names the emulator.
# MACHINE: on|off (mte=), then optionally ",smpN" (-smp N) and ",mttcg"
# (one host thread per CPU).
# Ends with "== examples/minihv (QEMU x.y.z): N passed, N failed".
set -u
dir=$1
shift
qemu=${QEMU_SYSTEM:-qemu-system-aarch64}
ver=$(sh "$(dirname "$0")/../../tools/qemu-version.sh" "$qemu")
tag=$(printf '%s' "$ver" | tr -c 'A-Za-z0-9.' '-')
echo "== examples/minihv (short runs, $ver)"
pass=0 fail=0
for spec in "$@"; do
	name=${spec%%:*} rest=${spec#*:}
	elf=${rest%%:*} rest=${rest#*:}
	machine=${rest%%:*} args=${rest#*:}
	mte=${machine%%,*} smp=1 accel=single
	case $machine in *,smp*) smp=${machine#*,smp}; smp=${smp%%,*} ;; esac
	case $machine in *,mttcg*) accel=multi ;; esac
	log=$dir/$name-$tag.log
	start=$(date +%s%N)
	timeout 60 "$qemu" -nic none -M virt,virtualization=on,mte=$mte -cpu max \
		-smp "$smp" -accel tcg,thread=$accel \
		-nographic -semihosting -kernel "$elf" -append "$args" >"$log" 2>&1
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	if [ $rc -eq 0 ] && tail -n 1 "$log" | grep -q "every guest's checks held"; then
		echo "ok   $name ($args, mte=$mte, $smp CPU, $accel): $(grep -c '^  \[' "$log") events, ${ms} ms"
		pass=$((pass + 1))
	else
		echo "FAIL $name ($args, mte=$mte): exit status $rc; transcript:"
		sed 's/^/     /' "$log"
		fail=$((fail + 1))
	fi
done
echo "== examples/minihv ($ver): $pass passed, $fail failed"
[ $fail -eq 0 ]
