#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# check-objs.sh OBJ... — prove the embeddability claims on built objects:
#   1. no FP/SIMD register in any instruction (-mgeneral-regs-only held);
#   2. no absolute relocation in any allocated section (position
#      independent: the code runs at whatever address it is mapped);
#   3. no undefined symbol that the objects do not define themselves,
#      except the linker-made bounds of the patch-site section.
# Uses binutils only.  Exit 1 with one line per violation.
set -eu
: "${OBJDUMP:=aarch64-linux-gnu-objdump}" "${READELF:=aarch64-linux-gnu-readelf}" "${NM:=aarch64-linux-gnu-nm}"

fail=0
say() { echo "check-objs: $*" >&2; fail=1; }

for o in "$@"; do
	# 1. Operands naming b/h/s/d/q/v registers, or the FP control registers.
	bad=$($OBJDUMP -d --no-show-raw-insn "$o" |
	      sed -n 's/^ *[0-9a-f]*:\t\([^\t]*\)\t\{0,1\}\([^<]*\).*/\1 \2/p' |
	      grep -Ei '(^|[^a-z0-9_])([bhsdqv][0-9]{1,2})([^0-9]|$)|fpcr|fpsr' |
	      grep -Ev '^(b|bl|b\.[a-z]+|cbn?z|tbn?z) ' || true)
	[ -z "$bad" ] || say "$o: FP/SIMD register used: $(echo "$bad" | head -3 | tr '\n' ';')"

	# 2. Relocations against allocated sections: only PC- or page-relative.
	bad=$($READELF -rW "$o" | awk '
		/^Relocation section/ { sec = $3; gsub(/\047/, "", sec);
			skip = (sec ~ /^\.rela?\.(debug|comment|note)/); next }
		skip || NF < 3 || $3 !~ /^R_AARCH64_/ { next }
		$3 !~ /^R_AARCH64_(CALL26|JUMP26|CONDBR19|TSTBR14|ADR_PREL_LO21|ADR_PREL_PG_HI21(_NC)?|ADD_ABS_LO12_NC|LDST(8|16|32|64|128)_ABS_LO12_NC|PREL(16|32|64)|LD_PREL_LO19|NONE)$/ {
			print sec ":" $3 " " $5 }')
	[ -z "$bad" ] || say "$o: absolute or GOT relocation: $(echo "$bad" | head -3 | tr '\n' ';')"
done

# 3. Undefined symbols across the set.
defined=$($NM --defined-only "$@" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u)
undef=$($NM -u "$@" 2>/dev/null | awk 'NF == 2 { print $2 }' | sort -u)
for s in $undef; do
	case "$s" in
	__start_kvmmte_patch_sites|__stop_kvmmte_patch_sites) continue ;;
	__start_kvmmte_patch_sites_async|__stop_kvmmte_patch_sites_async) continue ;;
	esac
	echo "$defined" | grep -qx "$s" || say "undefined symbol outside the library: $s"
done

[ "$fail" -eq 0 ] && echo "check-objs: $# objects: no FP/SIMD, no absolute relocation, no foreign symbol"
exit "$fail"
