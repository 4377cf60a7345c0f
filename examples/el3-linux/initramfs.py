#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
"""Helpers for examples/el3-linux/run.sh, standard library only.

  initramfs.py OUT.cpio INIT BUSYBOX [PROGRAM...]
      writes a newc cpio archive: /init, /bin/busybox, /dev/console, /proc,
      and each PROGRAM as /NAME (its file name), executable.
  initramfs.py --layout DTB OUT.dtb BASE SIZE
      writes DTB with a /memreserve/ entry for [BASE, BASE + SIZE) (the
      monitor's memory) to OUT.dtb, and prints "INITRD_ADDR DTB_ADDR":
      where the device tree's /chosen puts the initrd, and the next 2 MiB
      boundary after it for the tree itself.
"""
import struct
import sys


def cpio_entry(name, mode, data=b"", rdev=(0, 0), ino=[0]):
    ino[0] += 1
    name_b = name.encode() + b"\0"
    hdr = "070701" + "".join("%08x" % v for v in (
        ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0))
    out = hdr.encode() + name_b
    out += b"\0" * (-len(out) % 4) + data
    return out + b"\0" * (-len(out) % 4)


def write_cpio(path, init, busybox, *programs):
    with open(init, "rb") as f:
        init_b = f.read()
    with open(busybox, "rb") as f:
        bb = f.read()
    parts = [cpio_entry("bin", 0o040755), cpio_entry("dev", 0o040755),
             cpio_entry("proc", 0o040755),
             cpio_entry("dev/console", 0o020600, rdev=(5, 1)),
             cpio_entry("bin/busybox", 0o100755, bb),
             cpio_entry("init", 0o100755, init_b)]
    for prog in programs:
        with open(prog, "rb") as f:
            parts.append(cpio_entry(prog.rsplit("/", 1)[-1], 0o100755, f.read()))
    parts.append(cpio_entry("TRAILER!!!", 0))
    with open(path, "wb") as f:
        f.write(b"".join(parts))


def chosen_props(dtb):
    """The properties of /chosen in a flattened device tree, as bytes."""
    magic, _, off_struct, off_strings = struct.unpack_from(">IIII", dtb, 0)
    assert magic == 0xd00dfeed, "not a device tree blob"
    pos, path, props = off_struct, [], {}
    while True:
        tok, = struct.unpack_from(">I", dtb, pos)
        pos += 4
        if tok == 1:		# FDT_BEGIN_NODE
            end = dtb.index(b"\0", pos)
            path.append(dtb[pos:end].decode())
            pos = (end + 4) & ~3
        elif tok == 2:		# FDT_END_NODE
            path.pop()
        elif tok == 3:		# FDT_PROP
            size, nameoff = struct.unpack_from(">II", dtb, pos)
            pos += 8
            name_end = dtb.index(b"\0", off_strings + nameoff)
            name = dtb[off_strings + nameoff:name_end].decode()
            if path == ["", "chosen"]:
                props[name] = dtb[pos:pos + size]
            pos = (pos + size + 3) & ~3
        elif tok == 4:		# FDT_NOP
            pass
        else:			# FDT_END
            return props


def add_memreserve(dtb, base, size):
    """The same tree with one more memory reservation block entry."""
    hdr = list(struct.unpack_from(">10I", dtb, 0))
    totalsize, off_struct, off_strings, off_rsv = hdr[1], hdr[2], hdr[3], hdr[4]
    size_strings, size_struct = hdr[8], hdr[9]
    rsv, pos = [], off_rsv
    while True:
        entry = struct.unpack_from(">QQ", dtb, pos)
        pos += 16
        if entry == (0, 0):
            break
        rsv.append(entry)
    rsv.append((base, size))
    rsv_b = b"".join(struct.pack(">QQ", *e) for e in rsv + [(0, 0)])
    struct_b = dtb[off_struct:off_struct + size_struct]
    strings_b = dtb[off_strings:off_strings + size_strings]
    off_rsv = 40
    off_struct = off_rsv + len(rsv_b)
    off_strings = off_struct + len(struct_b)
    total = off_strings + len(strings_b)
    hdr[1:5] = [total, off_struct, off_strings, off_rsv]
    return struct.pack(">10I", *hdr) + rsv_b + struct_b + strings_b


def layout(dtb_path, out_path, base, size):
    with open(dtb_path, "rb") as f:
        dtb = f.read()
    props = chosen_props(dtb)
    with open(out_path, "wb") as f:
        f.write(add_memreserve(dtb, int(base, 0), int(size, 0)))
    cell = lambda v: int.from_bytes(v, "big")
    start, end = cell(props["linux,initrd-start"]), cell(props["linux,initrd-end"])
    mib2 = 2 << 20
    print("0x%x 0x%x" % (start, (end + mib2 - 1) // mib2 * mib2))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--layout":
        layout(*sys.argv[2:])
    elif len(sys.argv) >= 4 and sys.argv[1] != "--layout":
        write_cpio(*sys.argv[1:])
    else:
        sys.exit(__doc__)
