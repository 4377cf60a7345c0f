#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# qemu-version.sh QEMU — print "QEMU x.y.z" for the emulator binary QEMU
# (system or user mode), or "QEMU (QEMU not runnable)" if it does not
# answer --version.  Suites name the QEMU they ran on with it.
v=$("$1" --version 2>/dev/null | sed -n '1s/.*version \([0-9][0-9.]*\).*/\1/p')
if [ -n "$v" ]; then echo "QEMU $v"; else echo "QEMU ($1 not runnable)"; fi
