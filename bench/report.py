#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
"""Run the world-switch benchmark and make its table (make bench).

bench/switch-bench.elf runs at EL2 under qemu-system-aarch64 -icount
shift=0, once with mte=on and once without, each --runs times.  Every run
prints one "@ scenario impl part all=N el2=N" line per measurement (PMU
INST_RETIRED, exact under icount) and QEMU logs every executed PC
(-d exec,nochain, one instruction per translation block:
-singlestep before QEMU 8.1, -accel tcg,one-insn-per-tb=on since).  This script

  * checks the counts are identical in every run, and prints them all;
  * cross-checks each PMU count against the trace (same run, same marks);
  * counts MTE system-register accesses and distinct code bytes on each
    path from the trace, decoding the instructions from the ELF;
  * prints the table (scenario x implementation, ratios, floors, limits)
    and, only if every check passes, writes it to --out (atomically: a
    failed run leaves the previous file as it was);
  * exits 1 if a count is above its limit in --limits, a target of the
    issue is missed, or anything does not add up.

Usage: report.py --elf E --qemu Q --sysreg-h H --limits L --out F [--runs N]
Exit status: 0 all checks pass, 1 a check failed, 2 bad usage or input.
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

MTE_REGS = ("RGSR_EL1", "GCR_EL1", "TFSR_EL1", "TFSRE0_EL1", "TFSR_EL2", "TFSR_EL12", "GMID_EL1")

# Scenario: (title, floor, floor explanation).  Floors count only the
# required mrs/msr plus the fewest ldp/stp/ldr/str that move those values.
SCENARIOS = {
    "a": ("MTE VM, nVHE host, per round trip", 24,
          "RGSR, GCR, TFSR_EL1, TFSRE0_EL1 each way; per round trip 8 mrs + 8 msr + 4 stp + 4 ldp"),
    "b": ("MTE VM, VHE host, per round trip", 20,
          "RGSR, GCR, TFSRE0_EL1 each way; per round trip 6 mrs + 6 msr + 2x(stp+str) + 2x(ldp+ldr)"),
    "c-nvhe": ("VM without MTE on an MTE CPU, nVHE host, per round trip", 0, "nothing to move"),
    "c-vhe": ("VM without MTE on an MTE CPU, VHE host, per round trip", 0, "nothing to move"),
    "d-nvhe": ("CPU without MTE (mte=on left off), nVHE host, per round trip", 0, "nothing to move"),
    "d-vhe": ("CPU without MTE (mte=on left off), VHE host, per round trip", 0, "nothing to move"),
    "e-vhe": ("vcpu load + put, lazy set, VHE host", 4,
              "the guest's TFSR_EL1 as TFSR_EL12: ldr + msr, mrs + str"),
    "e-nvhe": ("vcpu load + put, lazy set, nVHE host", 0,
               "nothing is lazy under nVHE"),
    "f-nvhe": ("1000 fast-path exits at EL2, nVHE, EL2 instructions per exit", None,
               "+0: no MTE instruction per exit above the loop without any switch"),
    "f-vhe": ("1000 fast-path exits at EL2, VHE, EL2 instructions per exit", None,
              "+0: no MTE instruction per exit above the loop without any switch"),
}
BASELINES = ("i", "ii", "iii")
IMPL_NAMES = {
    "ours": "libkvmmte (default macros)",
    "ours-hcr": "libkvmmte, hcr= in a register",
    "ours-idreg": "libkvmmte, gate=idreg (read-only text)",
    "ours-call": "libkvmmte, out-of-line functions",
    "ours-every-exit": "libkvmmte, switching on every exit",
    "none": "no MTE switch (reference)",
    "i": "(i) original patch",
    "ii": "(ii) merged upstream",
    "iii": "(iii) eager, every exception",
}
# Where "ours" is not the switch macros.
IMPL_NAMES_BY_SCENARIO = {
    ("e-vhe", "ours"): "libkvmmte, inline kvmmte_vcpu_load/put_vhe()",
    ("e-nvhe", "ours"): "libkvmmte, inline kvmmte_vcpu_load/put_nvhe()",
    ("e-vhe", "ours-call"): "libkvmmte, kvmmte_vcpu_load/put() calls",
    ("e-nvhe", "ours-call"): "libkvmmte, kvmmte_vcpu_load/put() calls",
    ("f-nvhe", "ours"): "libkvmmte, live state",
    ("f-vhe", "ours"): "libkvmmte, live state",
}
LOOP_EXITS = 1000


class Fail(Exception):
    pass


def die(msg, code=2):
    print(f"report.py: {msg}", file=sys.stderr)
    sys.exit(code)


# ---- ELF (64-bit little-endian) ---------------------------------------------

class Elf:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        try:
            self._parse(path)
        except (struct.error, IndexError, UnicodeDecodeError, ValueError) as e:
            raise ValueError(f"{path}: not a readable ELF ({e})")

    def _parse(self, path):
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
            raise ValueError(f"{path}: not a 64-bit little-endian ELF")
        shoff, = struct.unpack_from("<Q", d, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", d, 0x3a)
        self.sections = []
        for i in range(shnum):
            name, typ, flags, addr, off, size, link = struct.unpack_from(
                "<IIQQQQI", d, shoff + i * shentsize)
            self.sections.append((typ, flags, addr, off, size, link))
        self.symbols = {}
        for typ, _, _, off, size, link in self.sections:
            if typ != 2:  # SHT_SYMTAB
                continue
            stroff = self.sections[link][3]
            for j in range(0, size, 24):
                name, _, _, _, value, ssize = struct.unpack_from("<IBBHQQ", d, off + j)
                end = d.index(b"\0", stroff + name)
                self.symbols[d[stroff + name:end].decode()] = (value, ssize)

    def word(self, addr):
        for typ, flags, saddr, off, size, _ in self.sections:
            if typ == 1 and flags & 4 and saddr <= addr < saddr + size:  # PROGBITS, EXECINSTR
                return struct.unpack_from("<I", self.data, off + addr - saddr)[0]
        raise ValueError(f"0x{addr:x} is in no code section")

    def sym(self, name):
        if name not in self.symbols:
            raise ValueError(f"symbol {name} not in the ELF")
        return self.symbols[name]


def mte_encodings(sysreg_h):
    """(op0, op1, CRn, CRm, op2) of each MTE register, from <kvmmte/sysreg.h>."""
    encs = {}
    with open(sysreg_h) as f:
        for line in f:
            m = re.match(r"#define KVMMTE_ENC_(\w+)\s+(\d+),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+)", line)
            if m and m.group(1) in MTE_REGS:
                encs[tuple(int(m.group(i)) for i in range(2, 7))] = m.group(1)
    missing = set(MTE_REGS) - set(encs.values())
    if missing:
        raise ValueError(f"{sysreg_h}: no encoding for {', '.join(sorted(missing))}")
    return encs


def mte_access(insn, encs):
    """The MTE register an MRS/MSR (register form) accesses, or None."""
    if insn & 0xffd00000 != 0xd5100000:
        return None
    key = (2 + ((insn >> 19) & 1), (insn >> 16) & 7, (insn >> 12) & 15, (insn >> 8) & 15,
           (insn >> 5) & 7)
    return encs.get(key)


# ---- running -----------------------------------------------------------------

def one_insn_per_tb(qemu):
    """The QEMU option that makes every instruction its own translation block.

    -singlestep until QEMU 8.0; -accel tcg,one-insn-per-tb=on from 8.1
    (-singlestep was removed in 9.0).  Decided by the version QEMU reports.
    """
    try:
        out = subprocess.run([qemu, "--version"], capture_output=True, text=True,
                             errors="replace", timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Fail(f"can not run {qemu}: {getattr(e, 'strerror', None) or e}")
    m = re.search(r"version (\d+)\.(\d+)", out)
    if not m:
        raise Fail(f"{qemu} --version did not say which version it is: {out.strip()[:200]!r}")
    if (int(m.group(1)), int(m.group(2))) >= (8, 1):
        return ["-accel", "tcg,one-insn-per-tb=on"]
    return ["-singlestep"]


def run_once(qemu, elf_path, mte, tracefile):
    machine = "virt,virtualization=on" + (",mte=on" if mte else "")
    cmd = [qemu, "-nic", "none", "-M", machine, "-cpu", "max", "-nographic", "-semihosting",
           "-icount", "shift=0", *one_insn_per_tb(qemu), "-d", "exec,nochain", "-D", tracefile,
           "-kernel", elf_path]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=120)
    except subprocess.TimeoutExpired:
        raise Fail(f"QEMU ({machine}) timed out after 120 s")
    except OSError as e:
        raise Fail(f"can not run {qemu}: {e.strerror}")
    if p.returncode != 0 or "@end" not in p.stdout:
        raise Fail(f"QEMU ({machine}) exit status {p.returncode}:\n{p.stdout}{p.stderr}")
    rows = []
    for line in p.stdout.splitlines():
        m = re.match(r"@ (\S+) (\S+) (\S+) all=(\d+) el2=(\d+)$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3), int(m.group(4)), int(m.group(5))))
    if not rows or rows[0][:3] != ("-", "empty", "-"):
        raise Fail(f"QEMU ({machine}): no measurements in the output:\n{p.stdout}")
    return rows


def trace_regions(tracefile, begin, end):
    """PCs executed strictly between each pass of the begin and end marks.

    QEMU logs a translation block when it starts it; under -icount a block
    can stop before its (here: only) instruction when the instruction
    budget runs out, and is then started, and logged, again.  No traced
    path has an instruction that branches to itself, so a PC logged twice
    in a row is one execution.
    """
    regions, cur = [], None
    pat = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(tracefile, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            if cur and cur[-1] == pc:
                continue
            if pc == begin:
                cur = []
            elif pc == end:
                if cur is not None:
                    regions.append(cur)
                cur = None
            elif cur is not None:
                cur.append(pc)
    return regions


def analyse(elf, encs, rows, regions, machine):
    """Per measurement: PMU counts, trace cross-check, MTE accesses, bytes."""
    if len(regions) != len(rows):
        raise Fail(f"{machine}: {len(rows)} measurements but {len(regions)} traced passes")
    g0, gsize = elf.sym("bench_loop_guest")
    empty = regions[0]
    out = []
    cache = {}
    for (scn, impl, part, allc, el2c), pcs in zip(rows[1:], regions[1:]):
        el2_pcs = [pc for pc in pcs if not g0 <= pc < g0 + gsize]
        if len(pcs) - len(empty) != allc or len(el2_pcs) - len(empty) != el2c:
            raise Fail(f"{machine}: {scn} {impl} {part}: PMU says {allc} (EL2 {el2c}) "
                       f"instructions, the trace {len(pcs) - len(empty)} "
                       f"(EL2 {len(el2_pcs) - len(empty)})")
        mte = 0
        for pc in pcs:
            if pc not in cache:
                cache[pc] = mte_access(elf.word(pc), encs)
            mte += cache[pc] is not None
        nbytes = 4 * (len(set(el2_pcs)) - len(set(empty)))
        out.append((scn, impl, part, allc, el2c, mte, nbytes))
    return out


# ---- the table ---------------------------------------------------------------

def combine(measurements):
    """(scenario, impl) -> [insns, mte, bytes]; parts summed, loops per exit."""
    res, order = {}, []
    loops, seen = {}, set()
    for scn, impl, part, allc, el2c, mte, nbytes in measurements:
        if (scn, impl, part) in seen:
            raise Fail(f"{scn} {impl} {part} measured twice")
        seen.add((scn, impl, part))
        key = (scn, impl)
        if key not in res and key not in loops:
            order.append(key)
        if part.startswith("exits="):
            loops.setdefault(key, {})[int(part[6:])] = (el2c, mte, nbytes)
            continue
        r = res.setdefault(key, [0, 0, 0])
        r[0] += allc
        r[1] += mte
        r[2] += nbytes
    for key, by_n in loops.items():
        if set(by_n) != {0, LOOP_EXITS}:
            raise Fail(f"{key}: loop measured with {sorted(by_n)} exits")
        (i1, m1, b1), (i0, m0, _) = by_n[LOOP_EXITS], by_n[0]
        if (i1 - i0) % LOOP_EXITS or (m1 - m0) % LOOP_EXITS:
            raise Fail(f"{key}: {i1 - i0} instructions / {m1 - m0} MTE accesses over "
                       f"{LOOP_EXITS} exits is not a whole number per exit")
        res[key] = [(i1 - i0) // LOOP_EXITS, (m1 - m0) // LOOP_EXITS, b1]
    return res, order


def read_limits(path):
    """(scenario, impl) -> (count, exact): "N" is a maximum, "=N" exact."""
    limits = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            exact = len(parts) == 3 and parts[2].startswith("=")
            value = parts[2][1:] if exact else parts[2] if len(parts) == 3 else ""
            if len(parts) != 3 or not value.isdigit():
                raise ValueError(f"{path}:{n}: expected 'scenario implementation max' "
                                 f"or 'scenario implementation =count', got {line!r}")
            key = (parts[0], parts[1])
            if parts[0] not in SCENARIOS:
                raise ValueError(f"{path}:{n}: unknown scenario {parts[0]!r}")
            if key in limits:
                raise ValueError(f"{path}:{n}: a second limit for {parts[0]} {parts[1]}")
            if not exact and not parts[1].startswith("ours"):
                raise ValueError(f"{path}:{n}: {parts[0]} {parts[1]} is not libkvmmte's: "
                                 f"pin it with =N, not a maximum")
            limits[key] = (int(value), exact)
    return limits


def ratio(a, b):
    return "n/a" if b == 0 else f"{a / b:.2f}"


def make_table(res, order, runs, limits):
    lines = ["| scn | implementation | insns | every run | MTE regs | bytes | floor "
             "| /(i) | /(ii) | /(iii) | limit |",
             "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key in order:
        scn, impl = key
        insns, mte, nbytes = res[key]
        title, floor, _ = SCENARIOS[scn]
        cells = ["", "", ""]
        if impl.startswith("ours"):
            cells = [ratio(insns, res[(scn, b)][0]) if (scn, b) in res else "" for b in BASELINES]
        every = "/".join(str(x) for x in runs[key])
        name = IMPL_NAMES_BY_SCENARIO.get(key, IMPL_NAMES.get(impl, impl))
        lim = limits.get(key)
        lim = "" if lim is None else f"{'=' if lim[1] else ''}{lim[0]}"
        lines.append(f"| {scn} | {name} | {insns} | {every} | {mte} "
                     f"| {nbytes} | {'+0' if floor is None else floor} | {' | '.join(cells)} "
                     f"| {lim} |")
    return lines


def check_targets(res, limits):
    """The issue's targets and the recorded limits: list of (ok, text)."""
    checks = []

    def get(scn, impl):
        if (scn, impl) not in res:
            raise Fail(f"no measurement for {scn} {impl}")
        return res[(scn, impl)]

    a, ai, floor = get("a", "ours")[0], get("a", "i")[0], SCENARIOS["a"][1]
    checks.append((a <= 0.40 * ai, f"(a) ours/(i) = {a}/{ai} = {a / ai:.3f} <= 0.40"))
    checks.append((a - floor <= 6, f"(a) ours - floor = {a} - {floor} = {a - floor} <= 6"))
    for scn in ("c-nvhe", "c-vhe"):
        n, h = get(scn, "ours")[0], get(scn, "ours-hcr")[0]
        checks.append((n <= 6, f"({scn}) {n} per round trip = {n / 2:g} per direction <= 3"))
        checks.append((h <= 4, f"({scn}) hcr= {h} per round trip = {h / 2:g} per direction <= 2"))
    for scn in ("d-nvhe", "d-vhe"):
        n = get(scn, "ours")[0]
        checks.append((n <= 2, f"({scn}) patched gate {n} per round trip = {n / 2:g} per direction <= 1"))
    for scn in ("f-nvhe", "f-vhe"):
        o, none = get(scn, "ours"), get(scn, "none")
        checks.append((o[1] == 0 and o[0] == none[0],
                       f"({scn}) live state: {o[1]} MTE register accesses and {o[0] - none[0]} "
                       f"instructions per fast-path exit above no switch at all == 0"))
    for key, (insns, _, _) in res.items():
        if key not in limits:
            checks.append((False, f"{key[0]} {key[1]}: {insns}, but bench/limits has no limit for it"))
            continue
        value, exact = limits[key]
        if exact:
            checks.append((insns == value, f"{key[0]} {key[1]}: {insns} == pinned {value}"))
        else:
            checks.append((insns <= value, f"{key[0]} {key[1]}: {insns} <= limit {value}"))
    for key in limits:
        if key not in res:
            checks.append((False, f"bench/limits has {key[0]} {key[1]}, which was not measured"))
    return checks


def write_atomic(path, text):
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".results.")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--sysreg-h", required=True)
    ap.add_argument("--limits", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--compiler", default="", help="compiler version line for the report")
    args = ap.parse_args()
    if args.runs < 1:
        die("--runs must be at least 1")
    out_dir = os.path.dirname(os.path.abspath(args.out))
    if os.path.isdir(args.out) or not os.path.isdir(out_dir):
        die(f"--out {args.out}: not a file in an existing directory")
    try:
        elf = Elf(args.elf)
        encs = mte_encodings(args.sysreg_h)
        limits = read_limits(args.limits)
        begin, end = elf.sym("bench_mark_begin")[0], elf.sym("bench_mark_end")[0]
    except (OSError, ValueError) as e:
        die(str(e))

    try:
        measurements, runs = [], {}
        with tempfile.TemporaryDirectory() as tmp:
            for mte in (True, False):
                machine = "mte=on" if mte else "mte=on left off"
                first = None
                for r in range(args.runs):
                    trace = os.path.join(tmp, f"trace-{int(mte)}-{r}.log")
                    rows = run_once(args.qemu, args.elf, mte, trace)
                    if not os.path.isfile(trace):
                        raise Fail(f"{machine}: QEMU wrote no instruction trace ({trace})")
                    try:
                        analysed = analyse(elf, encs, rows, trace_regions(trace, begin, end),
                                           machine)
                    except (ValueError, OSError) as e:
                        raise Fail(f"{machine}: the instruction trace does not fit the ELF: {e}")
                    if first is None:
                        first = analysed
                    elif analysed != first:
                        diff = [f"  {x} then {y}" for x, y in zip(first, analysed) if x != y]
                        raise Fail(f"{machine}: run {r + 1} differs from run 1 (is -icount on?):\n"
                                   + "\n".join(diff))
                    res_r, _ = combine(analysed)
                    for key, val in res_r.items():
                        runs.setdefault(key, []).append(val[0])
                measurements += first
        res, order = combine(measurements)
        table = make_table(res, order, runs, limits)
        checks = check_targets(res, limits)
    except Fail as e:
        print(f"FAIL: {e}")
        print(f"{args.out} left as it was.")
        return 1

    try:
        qv = subprocess.run([args.qemu, "--version"], capture_output=True,
                            text=True).stdout.splitlines()
    except OSError:
        qv = []
    head = [
        "<!-- Written by bench/report.py (make bench); do not edit. -->",
        "# World-switch benchmark results",
        "",
        f"Exact instruction counts: PMU INST_RETIRED at EL2 under `{qv[0] if qv else args.qemu}`,",
        f"`-icount shift=0`, {args.runs} runs of each machine (`every run`), benchmark built by",
        f"{args.compiler or 'the cross GCC'}. MTE sysreg accesses and code bytes (distinct",
        "instructions executed, x4) come from QEMU's instruction trace of the same runs.",
        "Columns: `insns` instructions (per guest round trip, entry + exit; for f per",
        "fast-path exit, EL2 only), `every run` the count in each run, `MTE regs` MTE",
        "system-register mrs/msr executed, `bytes` distinct code bytes executed (for f: all",
        "the EL2 code the loop ran), `floor` the fewest instructions that do the job,",
        "`/(i)` `/(ii)` `/(iii)` libkvmmte's count over that baseline's (libkvmmte rows),",
        "`limit` from bench/limits (see Notes). What each baseline is: docs/bench.md.",
        "",
        "Scenarios:",
        "",
    ] + [f"- {s}: {SCENARIOS[s][0]}" for s in SCENARIOS] + [""]
    notes = ["", "Notes:", "",
             "- Below the floor means less than the job. (iii) is a type-1 design: no host kernel",
             "  runs at EL1, so it never moves an nVHE host's TFSR_EL1/TFSRE0_EL1 (a); it switches",
             "  a VM without MTE anyway (c). (i) and (ii) leave TFSRE0_EL1 to load/put under VHE",
             "  (b), where the host kernel's unprivileged accesses record their faults in the",
             "  guest's copy (docs/api.md, \"Which register moves when\").",
             "- (i) and (ii) move TFSR_EL1/TFSRE0_EL1 in C: on every nVHE entry and exit (a, c,",
             "  d: the `c` part), at load/put under VHE (e-vhe, where they also move TFSRE0_EL1,",
             "  which libkvmmte moves per round trip instead). Nothing is lazy under nVHE, so",
             "  e-nvhe is 0 for all but the out-of-line calls.",
             "- `limit`: the most bench/limits allows a libkvmmte row; `=N` pins a baseline row",
             "  to its count, so a change to a baseline's model can not flatter the ratios.",
             "- f: the baselines and `every exit` switch on each fast-path exit and re-entry,",
             "  as KVM's __guest_exit/__guest_enter do; `live state` keeps the guest's",
             "  registers across them (docs/api.md, \"Live state across fast-path exits\").",
             ]
    floors = notes + ["", "Floors:", ""] + [f"- {s}: {SCENARIOS[s][1] if SCENARIOS[s][1] is not None else '+0'}"
                                    f" ({SCENARIOS[s][2]})" for s in SCENARIOS]
    targets = ["", "Targets and limits:", ""] + [f"- {'ok  ' if ok else 'FAIL'} {t}" for ok, t in checks]
    text = "\n".join(head + table + floors + targets) + "\n"
    print(text)
    if not all(ok for ok, _ in checks):
        print(f"FAIL: {sum(not ok for ok, _ in checks)} check(s) failed; {args.out} left as it was.")
        return 1
    try:
        write_atomic(args.out, text)
    except OSError as e:
        print(f"FAIL: can not write {args.out}: {e.strerror}; it is left as it was.")
        return 1
    print(f"{len(checks)} passed, 0 failed; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
