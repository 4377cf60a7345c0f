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
  * checks that every store on the default macros' round trips (a, b, g)
    writes through the guest's or the host's context pointer, never a
    global, so that the hot path writes no cache line another CPU shares;
  * prints the table (scenario x implementation, ratios, floors, limits)
    and, only if every check passes, writes it to --out (atomically: a
    failed run leaves the previous file as it was);
  * exits 1 if a count is above its limit in --limits, a target of the
    issue is missed, or anything does not add up.

Scenario g runs on a second CPU (QEMU -smp 2, which every run gets): each
"@" line says which CPU took it (cpu=N), and its pass is taken from that
CPU's lines of the trace only ("Trace <cpu>: ..."), less that CPU's own
empty call.  No other CPU may log an instruction during a pass: under
-icount the PMU counts every CPU's instructions.

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
    "g-vhe": ("vcpu put on CPU 0, loaded on CPU 1: load + first round trip there, VHE host", 22,
              "b's 20 plus the load's ldr + msr of the guest's TFSR_EL1 (as TFSR_EL12)"),
    "g-nvhe": ("vcpu put on CPU 0, loaded on CPU 1: load + first round trip there, nVHE host", 24,
               "a's 24: nothing is lazy under nVHE, so the load moves nothing"),
    "h-nvhe": ("nested entry + exit (FEAT_NV2), MTE part, nVHE L0", 8,
               "TFSR_EL1 each way between L1's slot and the VNCR page: 2 x (mrs + str + ldr + msr)"),
    "h-vhe": ("nested entry + exit (FEAT_NV2), MTE part, VHE L0", 8,
              "the same through TFSR_EL12: 2 x (mrs + str + ldr + msr)"),
}
BASELINES = ("i", "ii", "iii")
IMPL_NAMES = {
    "ours": "libkvmmte (default macros)",
    "ours-hcr": "libkvmmte, hcr= in a register",
    "ours-idreg": "libkvmmte, gate=idreg (read-only text)",
    "ours-call": "libkvmmte, out-of-line functions",
    "ours-every-exit": "libkvmmte, switching on every exit",
    "ours-at": "libkvmmte, _at calls on a saved context",
    "ours-saved": "libkvmmte, inline moves on a saved context",
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
    ("g-vhe", "ours"): "libkvmmte, inline kvmmte_vcpu_load_vhe() + default macros, CPU 1",
    ("g-nvhe", "ours"): "libkvmmte, inline kvmmte_vcpu_load_nvhe() + default macros, CPU 1",
    ("h-nvhe", "ours"): "libkvmmte, inline kvmmte_nested_enter/exit_nvhe()",
    ("h-vhe", "ours"): "libkvmmte, inline kvmmte_nested_enter/exit_vhe()",
    ("h-nvhe", "ours-call"): "libkvmmte, kvmmte_nested_enter() + _exit() calls",
    ("h-vhe", "ours-call"): "libkvmmte, kvmmte_nested_enter() + _exit() calls",
    ("h-nvhe", "ours-saved"): "libkvmmte, inline kvmmte_nested_enter/exit_saved() (saved state)",
    ("h-nvhe", "ours-at"): "libkvmmte, kvmmte_nested_enter_at() + _exit_at() calls (saved state)",
    ("g-vhe", "ours-call"): "libkvmmte, kvmmte_vcpu_load() call + out-of-line functions, CPU 1",
    ("g-nvhe", "ours-call"): "libkvmmte, kvmmte_vcpu_load() call + out-of-line functions, CPU 1",
}
# The rows whose every store report.py checks (hot_path_stores): the
# default macros' round trips, and g's load on the new CPU.  In each, as in
# every sequence of the benchmark, x0 holds the guest's context and x1 the
# host's (bench/switch-seqs.S) when the pass begins.
STORE_CHECK_ROWS = (("a", "ours"), ("b", "ours"), ("g-vhe", "ours"), ("g-nvhe", "ours"))
CONTEXT_REGS = {0: "the guest's context", 1: "the host's context"}
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


def state_size(sysreg_h):
    """sizeof(struct kvmmte_state), KVMMTE_STATE_SIZE of <kvmmte/state.h> (beside sysreg.h)."""
    path = os.path.join(os.path.dirname(sysreg_h), "state.h")
    with open(path) as f:
        for line in f:
            m = re.match(r"#define KVMMTE_STATE_SIZE\s+(\d+)", line)
            if m:
                return int(m.group(1))
    raise ValueError(f"{path}: no KVMMTE_STATE_SIZE")


def _sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


def _reg(n, nbytes, simd):
    if simd:
        return "bhsdq"[nbytes.bit_length() - 1] + str(n)
    if n == 31:
        return "xzr" if nbytes == 8 else "wzr"
    return ("x" if nbytes == 8 else "w") + str(n)


def _addr(rn, off, mode):
    """Assembler syntax of an address: mode offset | pre | post."""
    base = "sp" if rn == 31 else f"x{rn}"
    if mode == "post":
        return f"[{base}], #{off}"
    inner = f"[{base}, #{off}]" if off else f"[{base}]"
    return inner + ("!" if mode == "pre" else "")


def decode_mem(insn):
    """A64 loads and stores: None, or a dict with

    write  True if it writes memory (conservative: exclusives, atomics and
           anything unusual count as writes)
    rn     base register (31 = SP), off: address = Xn + off, or None when
           the address is not the base plus a constant (register offset,
           tag/structure/block forms), size: bytes written from there
    gprs   general registers it may write (loads' targets, written-back
           base, status and compare registers)
    text   the instruction, for the listing
    """
    rt, rn, rt2 = insn & 31, (insn >> 5) & 31, (insn >> 10) & 31
    simd = bool(insn >> 26 & 1)
    d = {"rn": rn, "off": None, "size": 0, "gprs": set(), "write": True,
         "text": f"memory write 0x{insn:08x} through {'sp' if rn == 31 else f'x{rn}'}"}
    if insn & 0x3a000000 == 0x28000000:                      # pair: STP LDP STNP STGP
        opc, mode, load = insn >> 30, (insn >> 23) & 3, bool(insn >> 22 & 1)
        if simd:
            n = 4 << opc
        elif opc == 1 and not load:                         # STGP: 16 bytes and a tag
            n = 8
        else:
            n = 4 << (opc >> 1)
        scale = 16 if (opc == 1 and not simd and not load) else n
        off = _sext((insn >> 15) & 0x7f, 7) * scale
        m = {1: "post", 3: "pre"}.get(mode, "offset")
        wb = mode in (1, 3)
        d.update(off=0 if m == "post" else off, size=2 * n, write=not load)
        if load:
            d["gprs"] = {rt, rt2} if not simd else set()
        if wb:
            d["gprs"].add(rn)
        name = ("ldp" if load else "stgp" if scale == 16 and n == 8 else "stnp" if mode == 0
                else "stp")
        d["text"] = f"{name} {_reg(rt, n, simd)}, {_reg(rt2, n, simd)}, {_addr(rn, off, m)}"
        return d
    single = None
    if insn & 0x3b000000 == 0x39000000:                      # unsigned immediate offset
        single = ("str", "offset", None)
    elif insn & 0x3b200000 == 0x38000000:                    # unscaled, post, unpriv, pre
        single = ({0: "stur", 1: "str", 2: "sttr", 3: "str"}[(insn >> 10) & 3],
                  {0: "offset", 1: "post", 2: "offset", 3: "pre"}[(insn >> 10) & 3],
                  _sext((insn >> 12) & 0x1ff, 9))
    elif insn & 0x3b200c00 == 0x38200800:                    # register offset
        single = ("str", "register", None)
    if single:
        name, m, imm9 = single
        size, opc = insn >> 30, (insn >> 22) & 3
        store = opc == 0 or (simd and opc == 2)
        n = 16 if (simd and opc >= 2) else 1 << size
        if not simd and size == 3 and opc == 2 and m != "post":
            return None                                      # PRFM/PRFUM: no access
        if m == "offset" and imm9 is None:
            off = ((insn >> 10) & 0xfff) * n
        else:
            off = imm9
        d.update(write=store, size=n, off=None if m == "register" else 0 if m == "post" else off)
        if not store and not simd:
            d["gprs"].add(rt)
        if m in ("pre", "post"):
            d["gprs"].add(rn)
        suffix = {1: "b", 2: "h"}.get(n, "") if not simd else ""
        name = name if store else "ld" + name[2:]
        addr = (f"[x{rn}, x{(insn >> 16) & 31}...]" if m == "register"
                else _addr(rn, off, m))
        d["text"] = f"{name}{suffix} {_reg(rt, n if simd else 8 if n == 8 else 4, simd)}, {addr}"
        return d
    if insn & 0x3b200c00 == 0x38200000 or insn & 0x3f000000 == 0x08000000:
        # atomics (LDADD, SWP, ...), exclusives, ordered, CAS: all counted as writes
        d.update(off=0, size=1 << (insn >> 30), gprs={rt, rt2, (insn >> 16) & 31})
        return d
    if insn & 0xff200000 == 0xd9200000:                      # STG, STZG, ST2G, LDG...
        d.update(gprs={rt, rn})
        return d
    if insn & 0xbe000000 == 0x0c000000:                      # SIMD structure LD/ST
        d.update(write=not insn >> 22 & 1, gprs={rn})
        return d
    if insn & 0xfff80000 == 0xd5080000 and (insn >> 12) & 15 == 7 and (insn >> 8) & 15 == 4:
        d.update(rn=rt, text=f"dc (zva/gva/gzva) x{rt}")    # DC ZVA and friends: a block
        return d
    return None


def gpr_writes(insn):
    """General registers (0-30) an instruction may write; conservative."""
    mem = decode_mem(insn)
    if mem is not None:
        w = mem["gprs"]
    elif insn & 0x7c000000 == 0x14000000:                    # B, BL
        w = {30} if insn >> 31 else set()
    elif insn & 0xff000010 == 0x54000000 or insn & 0x7c000000 == 0x34000000:
        w = set()                                           # B.cond, CBZ/CBNZ, TBZ/TBNZ
    elif insn & 0xfe000000 == 0xd6000000:                    # BR BLR RET ERET
        w = {30} if (insn >> 21) & 15 == 1 else set()
    elif insn & 0xff000000 == 0xd4000000:                    # SVC HVC SMC BRK HLT
        w = set()
    elif insn & 0xffe00000 == 0xd5000000:                    # L = 0: hints, barriers, MSR, SYS
        w = set()
    else:
        w = {insn & 31}                                     # Rd/Rt of everything else
    return {r for r in w if r < 31}


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
           "-icount", "shift=0", "-smp", "2", *one_insn_per_tb(qemu), "-d", "exec,nochain",
           "-D", tracefile,
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
        m = re.match(r"@ (\S+) (\S+) (\S+) all=(\d+) el2=(\d+) cpu=(\d+)$", line)
        if m:
            rows.append((m.group(1), m.group(2), m.group(3), int(m.group(4)), int(m.group(5)),
                         int(m.group(6))))
    if not rows or rows[0][:3] != ("-", "empty", "-") or rows[0][5] != 0:
        raise Fail(f"QEMU ({machine}): no measurements in the output:\n{p.stdout}")
    return rows


def trace_regions(tracefile, begin, end):
    """(cpu, PCs, others) for each pass of the begin and end marks, in the
    order the passes end: the PCs one CPU executed strictly between its
    marks, and how many instructions the other CPUs logged meanwhile.

    Each line names its CPU ("Trace <cpu>: ..."); a pass is followed in that
    CPU's lines only.  QEMU logs a translation block when it starts it;
    under -icount a block can stop before its (here: only) instruction when
    the instruction budget runs out, and is then started, and logged, again.
    No traced path has an instruction that branches to itself, so a PC one
    CPU logs twice in a row is one execution.
    """
    regions, cur, others = [], {}, {}
    pat = re.compile(r"^Trace (\d+): 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(tracefile, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if not m:
                continue
            cpu, pc = int(m.group(1)), int(m.group(2), 16)
            for c in cur:
                if c != cpu and cur[c] is not None:
                    others[c] += 1
            pcs = cur.get(cpu)
            if pcs and pcs[-1] == pc:
                continue
            if pc == begin:
                cur[cpu], others[cpu] = [], 0
            elif pc == end:
                if pcs is not None:
                    regions.append((cpu, pcs, others[cpu]))
                cur[cpu] = None
            elif pcs is not None:
                pcs.append(pc)
    return regions


def analyse(elf, encs, rows, regions, machine):
    """Per measurement: PMU counts, trace cross-check, MTE accesses, bytes.

    Each count is checked against its own CPU's pass, less the empty call
    that CPU measured last.  Also returns the passes of STORE_CHECK_ROWS,
    as (scenario, impl, part, PCs) for hot_path_stores().
    """
    if len(regions) != len(rows):
        raise Fail(f"{machine}: {len(rows)} measurements but {len(regions)} traced passes")
    g0, gsize = elf.sym("bench_loop_guest")
    empties = {}
    out, checked = [], []
    cache = {}
    for (scn, impl, part, allc, el2c, cpu), (tcpu, pcs, others) in zip(rows, regions):
        what = f"{scn} {impl} {part}"
        if tcpu != cpu:
            raise Fail(f"{machine}: {what}: measured on CPU {cpu}, but its traced pass ran "
                       f"on CPU {tcpu}")
        if others:
            raise Fail(f"{machine}: {what} on CPU {cpu}: other CPUs logged {others} "
                       f"instructions during the pass (under -icount the PMU counts them "
                       f"too: CPU {cpu} must run alone)")
        if (scn, impl, part) == ("-", "empty", "-"):
            empties[cpu] = pcs
            continue
        if cpu not in empties:
            raise Fail(f"{machine}: {what}: CPU {cpu} has not measured its empty call")
        empty = empties[cpu]
        if (scn, impl) in STORE_CHECK_ROWS:
            checked.append((scn, impl, part, pcs))
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
    return out, checked


def hot_path_stores(elf, checked, ctx_size):
    """Every store executed in the passes of STORE_CHECK_ROWS, and whether
    it writes through x0 or x1 (the guest's and the host's context, as the
    pass began), unchanged since, at a constant offset inside the
    ctx_size-byte context.  Anything else (a base made by ADRP, a stack
    pointer, a register offset, a written-back base) fails.

    Returns [(ok, text)], one per store, and one failure per row that has
    none (an empty trace must not pass).
    """
    lines = []
    for key in STORE_CHECK_ROWS:
        if not any((scn, impl) == key for scn, impl, _, _ in checked):
            lines.append((False, f"{key[0]} {key[1]}: not measured"))
    per_row = {}
    for scn, impl, part, pcs in checked:
        per_row.setdefault((scn, impl), 0)
        last = {}                       # register -> (pc, insn) of its last writer
        for pc in pcs:
            insn = elf.word(pc)
            mem = decode_mem(insn)
            if mem is not None and mem["write"]:
                per_row[(scn, impl)] += 1
                rn, off, size = mem["rn"], mem["off"], mem["size"]
                where = f"{scn} {impl} {part}: 0x{pc:x} {mem['text']}"
                if rn not in CONTEXT_REGS:
                    why = "a base that is no context pointer"
                    if rn in last:
                        wpc, winsn = last[rn]
                        kind = ("ADRP: a global" if winsn & 0x9f000000 == 0x90000000
                                else f"the instruction 0x{winsn:08x}")
                        why = f"x{rn} was made at 0x{wpc:x} by {kind}"
                    elif rn == 31:
                        why = "the stack"
                    lines.append((False, f"{where}: not through x0 or x1 ({why})"))
                elif rn in last:
                    lines.append((False, f"{where}: x{rn} no longer holds {CONTEXT_REGS[rn]} "
                                  f"(written at 0x{last[rn][0]:x})"))
                elif off is None or off < 0 or off + size > ctx_size or rn in mem["gprs"]:
                    lines.append((False, f"{where}: not at a constant offset inside the "
                                  f"{ctx_size}-byte context (or writes back its base)"))
                else:
                    lines.append((True, f"{where}: x{rn} = {CONTEXT_REGS[rn]}, "
                                  f"bytes {off}-{off + size - 1} of {ctx_size}"))
            for r in gpr_writes(insn):
                last[r] = (pc, insn)
    for key, n in per_row.items():
        if not n:
            lines.append((False, f"{key[0]} {key[1]}: no store traced (a round trip saves "
                          "both worlds' registers: is the trace complete?)"))
    return lines


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
        ctx_size = state_size(args.sysreg_h)
        begin, end = elf.sym("bench_mark_begin")[0], elf.sym("bench_mark_end")[0]
    except (OSError, ValueError) as e:
        die(str(e))

    try:
        measurements, runs, stores = [], {}, []
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
                        analysed, checked = analyse(elf, encs, rows,
                                                    trace_regions(trace, begin, end), machine)
                        if mte:
                            st = hot_path_stores(elf, checked, ctx_size)
                            stores = stores or st
                            stores += [x for x in st if not x[0] and x not in stores]
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
    print("Hot-path stores (a, b, g: every store of the default macros' round trips and g's")
    print("load, from the trace of the first mte=on run; each must write through x0 or x1,")
    print("the guest's or the host's context, inside it; docs/bench.md):\n")
    for ok, t in stores:
        print(f"- {'ok  ' if ok else 'FAIL'} {t}")
    print()
    nfail = sum(not ok for ok, _ in checks) + sum(not ok for ok, _ in stores)
    if nfail:
        print(f"FAIL: {nfail} check(s) failed; {args.out} left as it was.")
        return 1
    try:
        write_atomic(args.out, text)
    except OSError as e:
        print(f"FAIL: can not write {args.out}: {e.strerror}; it is left as it was.")
        return 1
    print(f"{len(checks) + len(stores)} passed, 0 failed; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
