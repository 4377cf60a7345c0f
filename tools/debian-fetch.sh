#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# debian-fetch.sh DIR SUITE ARCH PACKAGE...
#
# Download Debian packages from SUITE (for ARCH) and unpack them under
# DIR/root, without touching the system: apt-get runs with a private
# configuration (sources list, package lists, cache, architecture, all under
# DIR/apt), so the system's apt sources, pins, dpkg architectures and package
# set stay exactly as they were.  Nothing is installed; dpkg -x only unpacks.
#
# The mirror is the one the system's apt sources use for Debian's bookworm
# (apt-get indextargets), else deb.debian.org; KVMMTE_DEBIAN_MIRROR
# overrides it.  The downloaded .debs stay in DIR/apt/cache: a second run
# with the same arguments does nothing (DIR/root/.fetched records them), and
# one whose package lists can not be refreshed uses what is cached.
#
# DIR/root is replaced only when every package was downloaded and unpacked:
# a failure leaves the previous tree intact.  Exit status 0 on success;
# otherwise 1 and one line on stderr that says why.
set -eu

[ $# -ge 4 ] || { echo "usage: debian-fetch.sh DIR SUITE ARCH PACKAGE..." >&2; exit 2; }
dir=$1 suite=$2 arch=$3
shift 3
want="$suite $arch $*"

if [ -f "$dir/root/.fetched" ] && [ "$(cat "$dir/root/.fetched")" = "$want" ]; then
	exit 0
fi

die() { echo "debian-fetch: $*" >&2; exit 1; }
command -v apt-get >/dev/null || die "apt-get not found (not a Debian system)"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (not a Debian system)"

mirror=${KVMMTE_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null |
		awk '$2 == "bookworm" { print $1; exit }')
fi
mirror=${mirror:-http://deb.debian.org/debian/}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring missing (package debian-archive-keyring)"

apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/etc/preferences.d" \
	"$apt/etc/sources.list.d" "$apt/debs"
echo "deb [signed-by=$keyring] $mirror $suite main" > "$apt/etc/sources.list"
: > "$apt/status"
aptp() {
	apt-get -q -o Dir::Etc::sourcelist="$apt/etc/sources.list" \
		-o Dir::Etc::sourceparts="$apt/etc/sources.list.d" \
		-o Dir::Etc::preferences="$apt/etc/preferences" \
		-o Dir::Etc::preferencesparts="$apt/etc/preferences.d" \
		-o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" \
		-o Dir::Cache="$apt/cache" -o APT::Architecture="$arch" \
		-o APT::Architectures="$arch" -o APT::Sandbox::User="$(id -un)" "$@"
}

# Refresh the private package lists; if that fails (no network), go on
# with what is cached and say so.
log=$apt/log
if ! aptp update >"$log" 2>&1; then
	echo "debian-fetch: could not refresh $suite from $mirror; using the cache" >&2
fi

# apt-get download: exactly the named package, no dependencies, into the
# current directory.  A new download replaces the cached one; a failed one
# falls back to it.
for p in "$@"; do
	rm -rf "$apt/new" && mkdir -p "$apt/new"
	if (cd "$apt/new" && aptp download "$p") >>"$log" 2>&1; then
		rm -f "$apt/debs/${p}_"*.deb
		mv "$apt/new/"*.deb "$apt/debs/"
	elif ! ls "$apt/debs/${p}_"*.deb >/dev/null 2>&1; then
		die "can not download $p ($suite, $arch) from $mirror: $(tail -n 1 "$log")"
	fi
done

# Unpack into a new tree, then swap it in.
rm -rf "$dir/root.new"
mkdir -p "$dir/root.new"
for p in "$@"; do
	for deb in "$apt/debs/${p}_"*.deb; do
		dpkg-deb -x "$deb" "$dir/root.new" || die "can not unpack $deb"
	done
done
echo "$want" > "$dir/root.new/.fetched"
rm -rf "$dir/root.old"
[ -d "$dir/root" ] && mv "$dir/root" "$dir/root.old"
mv "$dir/root.new" "$dir/root"
rm -rf "$dir/root.old" "$apt/new"
