#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# run.sh ELF LINUXDIR OUTDIR [CPUS [EL]] — boot Debian 12's arm64 Linux at
# NS-EL2 (EL 2, the default) or NS-EL1 (EL 1; or EL3_LINUX_EL=1) under the
# el3-linux monitor (ELF) on QEMU virt and check that it reaches its /init
# and powers off through the monitor's PSCI SYSTEM_OFF.
#
# LINUXDIR gets the kernel Image and busybox (tools/linux-fetch.sh,
# cached); LINUX_IMAGE= and INITRD= name others.  OUTDIR gets the
# initramfs, the device tree and the console log.  QEMU_SYSTEM picks the
# emulator and EL3_LINUX_CPU its -cpu (max,pauth-impdef=on; any CPU with
# FEAT_MTE2, e.g. max,sve=off,sme=off or cortex-a710 on QEMU 10: the
# monitor probes what else it has); EL3_LINUX_TIMEOUT (seconds, 120) bounds the run;
# EL3_LINUX_LABEL is added to the last line.  EL3_LINUX_WORKLOAD names
# the MTE workload /init runs (default: mte-workload beside ELF) and
# EL3_LINUX_WORKLOAD_ARGS its arguments (SECONDS PROCESSES, "2 4").
# EL3_LINUX_CONTROL=1 runs the negative control: the monitor skips the MTE
# part of its world switches, and the checks expect both Linux's workload
# and the secure world to report foreign state.  The last
# line is "N passed, N failed"; exit status 0 only if it passed.
set -eu

[ $# -ge 3 ] || { echo "usage: run.sh ELF LINUXDIR OUTDIR [CPUS [EL]]" >&2; exit 2; }
elf=$1 linux=$2 out=$3 cpus=${4:-1} el=${5:-${EL3_LINUX_EL:-2}}
case $el in 1|2) ;; *) echo "run.sh: EL must be 1 or 2, not $el" >&2; exit 2 ;; esac
here=$(dirname "$0")
qemu=${QEMU_SYSTEM:-qemu-system-aarch64}
timeout=${EL3_LINUX_TIMEOUT:-120}
mkdir -p "$out"

give_up() {
	echo "FAIL $*"
	echo "== examples/el3-linux${EL3_LINUX_LABEL:+ ($EL3_LINUX_LABEL)}: 0 passed, 1 failed"
	exit 1
}
if [ -z "${LINUX_IMAGE:-}" ] || [ -z "${INITRD:-}" ]; then
	sh "$here/../../tools/linux-fetch.sh" "$linux" || give_up "could not fetch Debian's kernel and busybox"
fi
image=${LINUX_IMAGE:-$linux/Image}
workload=${EL3_LINUX_WORKLOAD:-$(dirname "$elf")/mte-workload}
workload_args=${EL3_LINUX_WORKLOAD_ARGS:-2 4}

# A tiny initramfs: busybox, the MTE workload, and an /init that reports,
# runs the workload and powers off.
initrd=${INITRD:-$out/initramfs.cpio}
if [ -z "${INITRD:-}" ]; then
	[ -x "$workload" ] || give_up "no MTE workload at $workload"
	cat > "$out/init" <<INIT
#!/bin/busybox sh
/bin/busybox mkdir -p /proc
/bin/busybox mount -t proc proc /proc
echo "el3-linux-init: userspace reached, \$(/bin/busybox uname -sr), \$(/bin/busybox nproc) CPU(s)"
if /bin/busybox grep -qw mte /proc/cpuinfo; then
	echo "el3-linux-init: /proc/cpuinfo lists mte"
else
	echo "el3-linux-init: /proc/cpuinfo does not list mte"
fi
# CPU hotplug: PSCI CPU_OFF parks CPU 1 in the monitor, CPU_ON restarts it.
/bin/busybox mkdir -p /sys
/bin/busybox mount -t sysfs sysfs /sys
if [ -e /sys/devices/system/cpu/cpu1/online ]; then
	echo 0 > /sys/devices/system/cpu/cpu1/online
	echo "el3-linux-init: CPU 1 offline, online CPUs: \$(/bin/busybox cat /sys/devices/system/cpu/online)"
	echo 1 > /sys/devices/system/cpu/cpu1/online
	echo "el3-linux-init: CPU 1 online again, online CPUs: \$(/bin/busybox cat /sys/devices/system/cpu/online)"
fi
/mte-workload $workload_args
echo "el3-linux-init: mte-workload exited \$?"
/bin/busybox poweroff -f
echo "el3-linux-init: poweroff returned \$?"
INIT
	python3 "$here/initramfs.py" "$initrd" "$out/init" "$linux/busybox" "$workload"
fi

# QEMU's own device tree for this machine, as it would give a Linux it
# booted itself: /chosen names the initrd where QEMU would put it.  QEMU
# loads an ELF through the non-secure address space only, so the monitor
# sits at the start of RAM (platform/qemu-virt/linker.ld), and a
# /memreserve/ keeps Linux off its first 2 MiB.
machine="virt,secure=on,virtualization=on,mte=on"
cpu=${EL3_LINUX_CPU:-max,pauth-impdef=on}
bootargs="console=ttyAMA0 earlycon panic=-1 nokaslr"
rm -f "$out/virt.dtb"
"$qemu" -M "$machine,dumpdtb=$out/virt.dtb" -cpu "$cpu" -m 1G -smp "$cpus" -nographic \
	-nic none -kernel "$image" -initrd "$initrd" -append "$bootargs" >/dev/null 2>&1 || true
[ -s "$out/virt.dtb" ] || give_up "$qemu did not dump its device tree"
set -- $(python3 "$here/initramfs.py" --layout "$out/virt.dtb" "$out/linux.dtb" 0x40000000 0x200000)
initrd_at=$1 dtb_at=$2

start=$(date +%s)
status=0
timeout "$timeout" "$qemu" -M "$machine" -cpu "$cpu" -m 1G -smp "$cpus" -nographic -nic none \
	-semihosting -kernel "$elf" -append "image=0x40200000 dtb=$dtb_at cpus=$cpus el=$el ${EL3_LINUX_CONTROL:+control=1} ${EL3_LINUX_ARGS:-}" \
	-device loader,file="$image",addr=0x40200000,force-raw=on \
	-device loader,file="$initrd",addr="$initrd_at",force-raw=on \
	-device loader,file="$out/linux.dtb",addr="$dtb_at",force-raw=on \
	> "$out/console.log" 2>&1 || status=$?
secs=$(( $(date +%s) - start ))
tr -d '\r' < "$out/console.log" > "$out/console.txt"

pass=0 fail=0
check() {	# check WHAT CONDITION...
	what=$1; shift
	if "$@"; then
		pass=$((pass + 1)); echo "ok   $what"
	else
		fail=$((fail + 1)); echo "FAIL $what"
	fi
}
grep -E 'el3-linux|secure world|mte-workload|Booting Linux|smp: Brought|started at EL|Run /init|Kernel panic' "$out/console.txt" || true
if [ -n "${EL3_LINUX_CONTROL:-}" ]; then
	check "control (MTE part of the switch skipped): Linux's MTE workload failed" \
		grep -q '^mte-workload: FAIL' "$out/console.txt"
	check "control (MTE part of the switch skipped): the secure world saw state not its own" \
		grep -q 'secure world FAILED' "$out/console.txt"
	echo "== examples/el3-linux${EL3_LINUX_LABEL:+ ($EL3_LINUX_LABEL)}: $pass passed, $fail failed"
	[ $fail -eq 0 ]
	exit
fi
check "Linux at NS-EL$el on $cpus CPU(s) reached /init and powered off through PSCI (QEMU status $status, ${secs} s)" \
	sh -c "[ $status -eq 0 ] && grep -q 'el3-linux-init: userspace reached' '$out/console.txt' &&
	       grep -q 'el3-linux: PSCI SYSTEM_OFF' '$out/console.txt'"
check "Linux says it runs at EL$el on every CPU (CPU: All CPU(s) started at EL$el)" \
	grep -q "CPU: All CPU(s) started at EL$el\$" "$out/console.txt"
check "Linux at NS-EL$el brought up all $cpus CPU(s) through the monitor's PSCI CPU_ON" \
	grep -qE "smp: Brought up 1 node, $cpus CPUs?\$" "$out/console.txt"
check "Linux at NS-EL$el sees MTE (/proc/cpuinfo lists mte: SCR_EL3.ATA and the ID registers reach it)" \
	grep -q 'el3-linux-init: /proc/cpuinfo lists mte' "$out/console.txt"
[ -n "${INITRD:-}" ] || [ "$cpus" -lt 2 ] ||
	check "Linux at NS-EL$el took CPU 1 offline and back (PSCI CPU_OFF parks it in the monitor, CPU_ON restarts it)" \
		sh -c "grep -q 'el3-linux-init: CPU 1 offline, online CPUs: 0\$' '$out/console.txt' &&
		       grep -q 'el3-linux-init: CPU 1 online again, online CPUs: 0-1\$' '$out/console.txt'"
[ -n "${INITRD:-}" ] ||	# a user's own initramfs runs what it likes
	check "the MTE workload passed under Linux at NS-EL$el (mte-workload $workload_args: seconds, processes)" \
		grep -q '^mte-workload: PASS:' "$out/console.txt"
# The secure world at S-EL1 preempted Linux on every CPU (the secure timer's
# FIQ) and each of its steps found its own MTE state only; the monitor says
# "clean" only if each CPU's also checked its tags and took its own
# synchronous and asynchronous tag-check faults.
preempt=$(sed -n 's/^el3-linux: secure world clean across \([0-9]*\) preemptions.*/\1/p' "$out/console.txt")
check "secure world (S-EL1: own GCR/RGSR/TFSR/TFSRE0, tagged memory, sync and async tag-check faults) clean across ${preempt:-0} preemptions of Linux at NS-EL$el (at least ${EL3_LINUX_MIN_PREEMPT:=100})" \
	sh -c "[ -n '$preempt' ] && [ '$preempt' -ge $EL3_LINUX_MIN_PREEMPT ]"
[ $fail -eq 0 ] || { echo "last lines of $out/console.txt:"; tail -n 15 "$out/console.txt"; }
echo "== examples/el3-linux${EL3_LINUX_LABEL:+ ($EL3_LINUX_LABEL)}: $pass passed, $fail failed"
[ $fail -eq 0 ]
