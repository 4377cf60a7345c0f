#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# linux-fetch.sh DIR — Debian 12's stock arm64 kernel and busybox-static,
# for examples/el3-linux, without touching the system.
#
# The meta package linux-image-arm64 names the current kernel ABI
# (linux-image-6.1.0-N-arm64); the kernel fetched is that ABI's unsigned
# package (linux-image-6.1.0-N-arm64-unsigned), whose vmlinuz is an
# uncompressed arm64 Image.  tools/debian-fetch.sh does the downloads with
# a private apt configuration under DIR/meta and DIR/pkgs.
#
# Output: DIR/Image, DIR/busybox and DIR/kernel-package (the package
# name).  A second run does nothing (remove DIR to pick up a newer kernel:
# DIR/Image alone is not enough, each download step in DIR/meta and
# DIR/pkgs remembers what it fetched); a failure leaves the previous output
# intact.  Exit status 0 on success; otherwise 1
# and one line on stderr that says why.
set -eu

[ $# -eq 1 ] || { echo "usage: linux-fetch.sh DIR" >&2; exit 2; }
# tools/debian-fetch.sh wants an absolute directory (apt reads it so).
dir=$(mkdir -p "$1" && cd "$1" && pwd)
tools=$(dirname "$0")
die() { echo "linux-fetch: $*" >&2; exit 1; }

if [ -s "$dir/Image" ] && [ -x "$dir/busybox" ]; then
	exit 0
fi

# 1. The meta package, only to read which kernel ABI it depends on.
sh "$tools/debian-fetch.sh" "$dir/meta" bookworm arm64 linux-image-arm64
meta=$(ls "$dir"/meta/apt/debs/linux-image-arm64_*.deb 2>/dev/null | head -n 1)
[ -n "$meta" ] || die "linux-image-arm64 was not downloaded"
abi=$(dpkg-deb -f "$meta" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' |
	grep -E '^linux-image-[0-9].*-arm64$' | head -n 1)
[ -n "$abi" ] || die "no linux-image-*-arm64 in the Depends of $(basename "$meta")"

# 2. That ABI's unsigned image, and busybox-static.
sh "$tools/debian-fetch.sh" "$dir/pkgs" bookworm arm64 "$abi-unsigned" busybox-static

root=$dir/pkgs/root
img=$(ls "$root"/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$img" ] || die "no /boot/vmlinuz-* in $abi-unsigned"
[ -x "$root/bin/busybox" ] || die "no /bin/busybox in busybox-static"

# An arm64 Image carries "ARM\x64" at offset 56.
magic=$(dd if="$img" bs=1 skip=56 count=4 2>/dev/null | od -An -c | tr -d ' ')
[ "$magic" = 'ARMd' ] || die "$img is not an uncompressed arm64 Image (magic '$magic')"

cp "$img" "$dir/Image.tmp" && cp "$root/bin/busybox" "$dir/busybox.tmp" ||
	die "can not copy the kernel and busybox into $dir"
chmod +x "$dir/busybox.tmp"
echo "$abi-unsigned" > "$dir/kernel-package.tmp"
mv "$dir/busybox.tmp" "$dir/busybox"
mv "$dir/kernel-package.tmp" "$dir/kernel-package"
mv "$dir/Image.tmp" "$dir/Image"	# last: the cache check looks at it
