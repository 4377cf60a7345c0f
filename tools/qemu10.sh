#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# qemu10.sh DIR — QEMU 10 from Debian's bookworm-backports, for the suites,
# without touching the system: tools/debian-fetch.sh downloads and unpacks
# the packages under DIR/root (cached), then this writes DIR/bin/
# qemu-system-aarch64 and DIR/bin/qemu-aarch64, which run the unpacked
# binaries with their own modules first (QEMU_MODULE_DIR).  QEMU 10 loads
# some modules even with -nographic (ui-opengl, audio-pa); where its own
# directory lacks one it falls back to the distribution's QEMU modules in
# /usr/lib/<triplet>/qemu, which are of another build and make it abort.
# So every module package is fetched, not only the emulators.
# Exit status 1 with one line on stderr if it can not.
set -eu
dir=$1
arch=$(dpkg --print-architecture 2>/dev/null) || { echo "qemu10: dpkg not found (not a Debian system)" >&2; exit 1; }
sh "$(dirname "$0")/debian-fetch.sh" "$dir" bookworm-backports "$arch" \
	qemu-system-arm qemu-system-common qemu-system-data qemu-user \
	qemu-system-gui qemu-system-modules-opengl qemu-system-modules-spice qemu-block-extra

root=$(cd "$dir/root" && pwd)
moddir=$(ls -d "$root"/usr/lib/*/qemu 2>/dev/null | head -n 1)
# A module whose libraries this machine lacks (audio-pipewire without
# libpipewire) only prints "failed to open module" at every start: drop it,
# unless the distribution's QEMU has one of that name, which QEMU 10 would
# then load instead (and abort).
for m in "${moddir:-/nonexistent}"/*.so; do
	[ -e "$m" ] || continue
	if ldd "$m" 2>/dev/null | grep -q 'not found' &&
	   [ ! -e "/usr/lib/$(basename "$(dirname "$moddir")")/qemu/$(basename "$m")" ]; then
		rm -f "$m"
	fi
done
mkdir -p "$dir/bin"
for b in qemu-system-aarch64 qemu-aarch64; do
	[ -x "$root/usr/bin/$b" ] || { echo "qemu10: $b missing from the unpacked packages" >&2; exit 1; }
	printf '#!/bin/sh\n# Written by tools/qemu10.sh: QEMU 10 with its own modules.\nQEMU_MODULE_DIR=%s exec %s "$@"\n' \
		"${moddir:-$root/usr/lib/qemu}" "$root/usr/bin/$b" > "$dir/bin/$b.tmp"
	chmod +x "$dir/bin/$b.tmp"
	mv "$dir/bin/$b.tmp" "$dir/bin/$b"
done
# Runs, is the version wanted, and boots a machine (which loads modules)?
v=$("$dir/bin/qemu-system-aarch64" --version 2>&1 | head -n 1) ||
	{ echo "qemu10: the unpacked qemu-system-aarch64 does not run: $v" >&2; exit 1; }
case $v in
*"version 10."*) ;;
*) echo "qemu10: unexpected version: $v" >&2; exit 1 ;;
esac
if ! out=$(echo q | timeout 30 "$dir/bin/qemu-system-aarch64" -M virt -nographic -nic none \
		-serial none -monitor stdio 2>&1); then
	echo "qemu10: the unpacked qemu-system-aarch64 does not start a machine: $(echo "$out" | grep -v '^QEMU\|^(qemu)' | head -n 3 | tr '\n' ' ')" >&2
	exit 1
fi
