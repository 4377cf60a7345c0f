#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# consumer.sh DIR CROSS_COMPILE — build tests/install/consumer.[cS] against
# DIR/root (an installed tree) using only pkg-config, with GCC and clang,
# and link it.  Prints "N passed, N failed".
set -eu
dir=$1 cross=$2
src=$(cd "$(dirname "$0")" && pwd)
root="$dir/root"
export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_LIBDIR="$root/usr/lib/pkgconfig"
flags=$(pkg-config --cflags --libs libkvmmte)
echo "pkg-config --cflags --libs libkvmmte: $flags"
pass=0 fail=0
check() {
	name=$1; shift
	if "$@" > "$dir/$name.log" 2>&1; then
		echo "ok   $name"; pass=$((pass + 1))
	else
		echo "FAIL $name:"; sed 's/^/     /' "$dir/$name.log"; fail=$((fail + 1))
	fi
}
for cc in "${cross}gcc" "clang --target=aarch64-linux-gnu -fuse-ld=lld"; do
	tag=$(echo "$cc" | cut -d' ' -f1 | sed 's/.*-//')
	# shellcheck disable=SC2086
	check "link-$tag" $cc -ffreestanding -nostdlib -static -mgeneral-regs-only \
		-march=armv8-a "$src/consumer.c" "$src/consumer.S" $flags \
		-o "$dir/consumer-$tag.elf"
done
# The compile-time off switch: with KVMMTE_CONFIG_DISABLE the macros emit
# nothing, so consumer.S is its two ret instructions and no patch site.
# shellcheck disable=SC2086
check "config-disable-empties-the-macros" sh -c "
	${cross}gcc -march=armv8-a -DKVMMTE_CONFIG_DISABLE $(pkg-config --cflags libkvmmte) \
		-c '$src/consumer.S' -o '$dir/consumer-off.o' &&
	test \"\$(${cross}objdump -d '$dir/consumer-off.o' | grep -cE '^ +[0-9a-f]+:')\" = 2 &&
	! ${cross}readelf -S '$dir/consumer-off.o' | grep -q kvmmte_patch_sites"
# shellcheck disable=SC2086
check "c++-headers" clang++ --target=aarch64-linux-gnu -std=c++17 -Wall -Werror -ffreestanding -fsyntax-only \
	"$src/consumer.cc" $(pkg-config --cflags libkvmmte)
check "installed-tools" test -x "$root/usr/bin/kvmmte-offsets"
# The consumer's gate plus the four out-of-line functions and the
# library's placeholder: 6 entries of 8 bytes, bounded by the linker.
for tag in gcc clang; do
	check "patch-sites-$tag" sh -c "${cross}readelf -SW '$dir/consumer-$tag.elf' |
		grep -q ' kvmmte_patch_sites .* 000030 '"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
