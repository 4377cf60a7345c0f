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
rm -rf "$work" && mkdir -p "$work" || exit 1
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; }

# report ARGS...: run report.py into $work/out.md; sets rc, output in $work/log.
report() {
	python3 bench/report.py --sysreg-h include/kvmmte/sysreg.h --out "$work/out.md" "$@" \
		> "$work/log" 2>&1
	rc=$?
}

# expect NAME RC PATTERN: report's exit status is RC and its output has PATTERN,
# and out.md is still the sentinel written before.
expect() {
	if [ "$rc" -ne "$2" ]; then
		bad "$1: exit status $rc, expected $2"; sed 's/^/    /' "$work/log" | tail -n 5
	elif ! grep -q -- "$3" "$work/log"; then
		bad "$1: output lacks \"$3\""; sed 's/^/    /' "$work/log" | tail -n 5
	elif [ "$(cat "$work/out.md")" != "previous results" ]; then
		bad "$1: the previous results file was changed"
	else
		ok "$1"
	fi
}

echo "previous results" > "$work/out.md"
cp bench/limits "$work/limits"

report --elf "$elf" --limits "$work/limits" --runs 0
expect "--runs 0 is a usage error" 2 "--runs must be at least 1"

report --elf "$work/missing.elf" --limits "$work/limits"
expect "missing ELF" 2 "missing.elf"

report --elf bench/limits --limits "$work/limits"
expect "a file that is not an ELF" 2 "not a 64-bit little-endian ELF"

printf 'a ours twenty\n' > "$work/limits-bad"
report --elf "$elf" --limits "$work/limits-bad" --runs 1
expect "malformed limits line" 2 "limits-bad:1: expected 'scenario implementation max'"

report --elf "$elf" --limits "$work/limits" --qemu "$work/no-such-qemu" --runs 1
expect "QEMU that does not exist" 1 "can not run $work/no-such-qemu"

sed 's/^a  *ours  *24$/a           ours             23/' bench/limits > "$work/limits-low"
report --elf "$elf" --limits "$work/limits-low" --runs 1
expect "a count above its limit fails" 1 "FAIL a ours: 24 <= limit 23"

grep -v '^b  *ours-hcr ' bench/limits > "$work/limits-missing"
report --elf "$elf" --limits "$work/limits-missing" --runs 1
expect "a libkvmmte row without a limit fails" 1 "b ours-hcr: 15, but bench/limits has no limit"

# A PMU count that the trace does not back: a QEMU whose output says 25
# where the machine counted 24.
cat > "$work/qemu-lies" <<'EOS'
#!/bin/sh
qemu-system-aarch64 "$@" | sed 's/^\(@ a ours asm \)all=24 el2=24/\1all=25 el2=25/'
EOS
chmod +x "$work/qemu-lies"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-lies" --runs 1
expect "a PMU count the trace contradicts" 1 "a ours asm: PMU says 25 (EL2 25) instructions, the trace 24"

# A count that changes between runs: the second run says 25 (the trace
# cross-check of that run catches it before the runs are compared).
cat > "$work/qemu-drifts" <<EOS
#!/bin/sh
if [ -e "$work/ran" ]; then
	exec "$work/qemu-lies" "\$@"
fi
case "\$*" in *mte=on*) touch "$work/ran" ;; esac
exec qemu-system-aarch64 "\$@"
EOS
chmod +x "$work/qemu-drifts"
report --elf "$elf" --limits "$work/limits" --qemu "$work/qemu-drifts" --runs 2
expect "a count that changes in the second run" 1 "PMU says 25"

report --elf "$elf" --limits "$work/limits" --runs 1
if [ "$rc" -eq 0 ] && grep -q '^| a | libkvmmte (default macros) | 24 | 24 |' "$work/out.md" &&
   grep -q '^- ok   (a) ours/(i) = 24/75' "$work/out.md"; then
	ok "a passing run writes the table"
else
	bad "a passing run writes the table (exit status $rc)"; tail -n 5 "$work/log"
fi
if ls "$work"/.results.* > /dev/null 2>&1; then
	bad "temporary files left behind"
else
	ok "no temporary file left behind"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
