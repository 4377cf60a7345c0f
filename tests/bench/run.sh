#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# bench/report.py, the tool behind "make bench": every kind of bad input
# gets a clear message and a non-zero exit, and a failing run leaves the
# previous results file byte for byte as it was.
#
#   sh tests/bench/run.sh ELF WORKDIR
#
# ELF is bench/switch-bench.elf as built by bench/bench.mk.  Each report.py
# run here is one QEMU boot per machine (--runs 1), about a second.
set -u
elf=$1
work=$2
# The real emulator, for report.py and for the fake ones below to wrap.
qemu=$(command -v "${QEMU_SYSTEM:-qemu-system-aarch64}") || { echo "FAIL - no ${QEMU_SYSTEM:-qemu-system-aarch64}"; exit 1; }
rm -rf "$work" && mkdir -p "$work" || exit 1
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }

# report ARGS...: run report.py into $work/out.md; sets rc, output in $work/log.
report() {
	python3 bench/report.py --sysreg-h include/kvmmte/sysreg.h --out "$work/out.md" \
		--qemu "$qemu" "$@" \
		> "$work/log" 2>&1
	rc=$?
}

# expect NAME RC PATTERN: report's exit status is RC and its output has PATTERN,
# and out.md is still the sentinel written before.
expect() {
	if [ "$rc" -ne "$2" ]; then
		bad "$1: exit status $rc, expected $2"; sed 's/^/    /' "$work/log" | tail -n 5
	elif ! grep -qF -- "$3" "$work/log"; then
		bad "$1: output lacks \"$3\""; sed 's/^/    /' "$work/log" | tail -n 5
	elif [ "$(cat "$work/out.md")" != "previous results" ]; then
		bad "$1: the previous results file was changed"
	else
		ok "$1"
	fi
}

echo "previous results" > "$work/out.md"
cp bench/limits "$work/limits"
# Two libkvmmte rows and their limits, which are the measured counts.
a_ours=$(awk '$1 == "a" && $2 == "ours" { print $3 }' bench/limits)
b_hcr=$(awk '$1 == "b" && $2 == "ours-hcr" { print $3 }' bench/limits)
a_i=$(awk '$1 == "a" && $2 == "i" { sub("=", "", $3); print $3 }' bench/limits)
g_ours=$(awk '$1 == "g-vhe" && $2 == "ours" { print $3 }' bench/limits)
case "$a_ours$b_hcr$a_i$g_ours" in
*[!0-9]* | "") echo "FAIL - bench/limits lacks a ours, b ours-hcr, a i or g-vhe ours"; exit 1 ;;
esac
# Where a pass begins (bench_mark_begin), as the trace spells a PC: 16 hex digits.
begin=$(python3 -c 'import sys; sys.path.insert(0, "bench"); from report import Elf
print("%016x" % Elf(sys.argv[1]).sym("bench_mark_begin")[0])' "$elf" 2>/dev/null) || begin=

report --elf "$elf" --limits "$work/limits" --runs 0
expect "--runs 0 is a usage error" 2 "--runs must be at least 1"

report --elf "$work/missing.elf" --limits "$work/limits"
expect "missing ELF" 2 "missing.elf"

report --elf bench/limits --limits "$work/limits"
expect "a file that is not an ELF" 2 "not a 64-bit little-endian ELF"

head -c 100 "$elf" > "$work/truncated.elf"
report --elf "$work/truncated.elf" --limits "$work/limits"
expect "a truncated ELF" 2 "not a readable ELF"

python3 bench/report.py --sysreg-h include/kvmmte/sysreg.h --elf "$elf" --limits "$work/limits" \
	--out "$work/no-such-dir/out.md" > "$work/log" 2>&1
rc=$?
expect "--out in a directory that does not exist" 2 "not a file in an existing directory"

printf 'a ours twenty\n' > "$work/limits-bad"
report --elf "$elf" --limits "$work/limits-bad" --runs 1
expect "malformed limits line" 2 "limits-bad:1: expected 'scenario implementation max'"

{ cat bench/limits; echo "a ours 1000"; } > "$work/limits-twice"
report --elf "$elf" --limits "$work/limits-twice" --runs 1
expect "a second limit for a row (that would loosen it)" 2 "a second limit for a ours"

{ grep -v '^a  *i ' bench/limits; echo "a i 1000"; } > "$work/limits-loose"
report --elf "$elf" --limits "$work/limits-loose" --runs 1
expect "a baseline given a maximum instead of a pin" 2 "a i is not libkvmmte's: pin it with =N"

{ cat bench/limits; echo "zz ours 5"; } > "$work/limits-unknown"
report --elf "$elf" --limits "$work/limits-unknown" --runs 1
expect "a limit for an unknown scenario" 2 "unknown scenario 'zz'"

report --elf "$elf" --limits "$work/limits" --qemu "$work/no-such-qemu" --runs 1
expect "QEMU that does not exist" 1 "can not run $work/no-such-qemu"

awk -v n=$((a_ours - 1)) '$1 == "a" && $2 == "ours" { $3 = n } { print }' bench/limits \
	> "$work/limits-low"
report --elf "$elf" --limits "$work/limits-low" --runs 1
expect "a count above its limit fails" 1 "FAIL a ours: $a_ours <= limit $((a_ours - 1))"

awk -v n="=$((a_i - 1))" '$1 == "a" && $2 == "i" { $3 = n } { print }' bench/limits \
	> "$work/limits-pinned"
report --elf "$elf" --limits "$work/limits-pinned" --runs 1
expect "a baseline that moves from its pinned count fails" 1 "FAIL a i: $a_i == pinned $((a_i - 1))"

grep -v '^b  *ours-hcr ' bench/limits > "$work/limits-missing"
report --elf "$elf" --limits "$work/limits-missing" --runs 1
expect "a row without a limit fails" 1 "b ours-hcr: $b_hcr, but bench/limits has no limit"

# A PMU count that the trace does not back: a QEMU whose output says one
# more than the machine counted.
cat > "$work/qemu-lies" <<EOS
#!/bin/sh
"$qemu" "\$@" | sed 's/^\(@ a ours asm \)all=$a_ours el2=$a_ours/\1all=$((a_ours + 1)) el2=$((a_ours + 1))/'
EOS
chmod +x "$work/qemu-lies"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-lies" --runs 1
expect "a PMU count the trace contradicts" 1 \
	"a ours asm: PMU says $((a_ours + 1)) (EL2 $((a_ours + 1))) instructions, the trace $a_ours"

# A count that changes between runs: the second run says one more (the trace
# cross-check of that run catches it before the runs are compared).
cat > "$work/qemu-drifts" <<EOS
#!/bin/sh
if [ -e "$work/ran" ]; then
	exec "$work/qemu-lies" "\$@"
fi
case "\$*" in *mte=on*) touch "$work/ran" ;; esac
exec "$qemu" "\$@"
EOS
chmod +x "$work/qemu-drifts"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-drifts" --runs 2
expect "a count that changes in the second run" 1 "PMU says $((a_ours + 1))"

# A QEMU that runs but writes no trace.
cat > "$work/qemu-notrace" <<EOS
#!/bin/sh
for a in "\$@"; do [ "\$prev" = -D ] && trace=\$a; prev=\$a; done
"$qemu" "\$@"; rc=\$?
rm -f "\$trace"
exit \$rc
EOS
chmod +x "$work/qemu-notrace"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-notrace" --runs 1
expect "a QEMU that writes no trace" 1 "QEMU wrote no instruction trace"

# A QEMU whose --version says no version: report.py can not tell which
# option gives one instruction per translation block, and says so.
printf '#!/bin/sh\necho "some emulator"\n' > "$work/qemu-noversion"
chmod +x "$work/qemu-noversion"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-noversion" --runs 1
expect "a QEMU that does not say its version" 1 "did not say which version it is"

# Scenario g runs on CPU 1 while CPU 0 is off.  A trace in which CPU 0 logs
# an instruction during one of CPU 1's passes (inserted here: a copy of
# CPU 0's last line right after CPU 1's first begin mark) must fail: under
# -icount the PMU counts every CPU's instructions.
cat > "$work/qemu-interleaves" <<EOS
#!/bin/sh
for a in "\$@"; do [ "\$prev" = -D ] && trace=\$a; prev=\$a; done
"$qemu" "\$@"; rc=\$?
[ -n "\$trace" ] || exit \$rc		# --version
awk '{ print } /^Trace 0:/ { last0 = \$0 }
     /^Trace 1:/ && index(\$0, "/$begin/") && !done { print last0; done = 1 }' \
	"\$trace" > "\$trace.new" && mv "\$trace.new" "\$trace"
exit \$rc
EOS
chmod +x "$work/qemu-interleaves"
if [ -n "$begin" ]; then
	report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-interleaves" --runs 1
	expect "another CPU executing during a pass on CPU 1" 1 \
		"on CPU 1: other CPUs logged 1 instructions during the pass"
else
	bad "bench_mark_begin not found in $elf"
fi

# An @ line that names the wrong CPU: its pass is in the other CPU's trace.
cat > "$work/qemu-wrong-cpu" <<EOS
#!/bin/sh
"$qemu" "\$@" | sed 's/^\(@ g-vhe ours load .*\) cpu=1/\1 cpu=0/'
EOS
chmod +x "$work/qemu-wrong-cpu"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-wrong-cpu" --runs 1
expect "a measurement that names the wrong CPU" 1 \
	"g-vhe ours load: measured on CPU 0, but its traced pass ran on CPU 1"

# The hot-path store check (no cache line shared between CPUs written): the
# benchmark's own break=shared-store runs g-vhe's round trip with one store
# to a global (bench_ours_vhe_shared_store).  With the limit raised by its
# 2 instructions (adrp + str), only the store check may fail, and must.
cat > "$work/qemu-shared-store" <<EOS
#!/bin/sh
exec "$qemu" "\$@" -append break=shared-store
EOS
chmod +x "$work/qemu-shared-store"
awk -v n=$((g_ours + 2)) '$1 == "g-vhe" && $2 == "ours" { $3 = n } { print }' bench/limits \
	> "$work/limits-shared"
report --elf "$elf" --limits "$work/limits-shared" --qemu "$work/qemu-shared-store" --runs 1
expect "a store to a global on the hot path" 1 \
	"not through x0 or x1 (x3 was made at"
if [ "$rc" -eq 1 ] && grep -qF "by ADRP: a global)" "$work/log" &&
   grep -qF "FAIL: 1 check(s) failed" "$work/log"; then
	ok "... and it is the store check alone that fails"
else
	bad "... and it is the store check alone that fails"; tail -n 5 "$work/log"
fi

report --elf "$elf" --limits "$work/limits" --runs 1
if [ "$rc" -eq 0 ] && grep -q "^| a | libkvmmte (default macros) | $a_ours | $a_ours |" "$work/out.md" &&
   grep -q "^- ok   (a) ours/(i) = $a_ours/$a_i" "$work/out.md" &&
   [ "$(stat -c %a "$work/out.md")" = 644 ]; then
	ok "a passing run writes the table, mode 644"
else
	bad "a passing run writes the table, mode 644 (exit status $rc)"; tail -n 5 "$work/log"
fi
if [ "$rc" -eq 0 ] && grep -q "^| g-vhe | .* | $g_ours | $g_ours |" "$work/out.md" &&
   [ "$(grep -c '^- ok   g-vhe ours asm: .*: x[01] = the ' "$work/log")" -ge 2 ] &&
   ! grep -q '^- FAIL' "$work/log"; then
	ok "scenario g measured on CPU 1, its stores checked"
else
	bad "scenario g measured on CPU 1, its stores checked"; grep "g-vhe" "$work/log" | tail -n 5
fi
if ls "$work"/.results.* > /dev/null 2>&1; then
	bad "temporary files left behind"
else
	ok "no temporary file left behind"
fi

echo "$pass passed, $fail failed"
echo "== bench/report.py tool ($(sh tools/qemu-version.sh "$qemu")): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
