#!/usr/bin/env python3
"""Writes the small OSM PBF seeds of the `osm_pbf` fuzz target into fuzz/corpus/osm_pbf/.

`tiny.osm.pbf` is a hand-made, valid extract that reaches every branch of
`aidmap::demo::osm::read` in a few hundred bytes: a plain node and dense nodes with and without
an address, a road, a building with an address, a way whose nodes are missing, and a relation;
`tiny-zlib.osm.pbf` is the same with zlib-compressed blobs. The other seeds are cuts of
src/demo/monaco.osm.pbf (its header block; the header and its last, small data block; the
first 4 KiB). The whole Monaco extract is copied as it is.

Run from the repository root: python3 fuzz/tools/make_osm_seeds.py
"""
import shutil
import struct
import zlib
from pathlib import Path

OUT = Path("fuzz/corpus/osm_pbf")
MONACO = Path("src/demo/monaco.osm.pbf")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def key(field, wire):
    return varint(field << 3 | wire)


def v(field, n):  # varint field
    return key(field, 0) + varint(n)


def sv(field, n):  # sint field
    return v(field, zigzag(n))


def ld(field, payload):  # length-delimited field
    return key(field, 2) + varint(len(payload)) + payload


def packed(field, values, enc=varint):
    return ld(field, b"".join(enc(x) for x in values))


def spacked(field, values):
    return packed(field, values, lambda x: varint(zigzag(x)))


def delta(values):
    out, prev = [], 0
    for x in values:
        out.append(x - prev)
        prev = x
    return out


def blob(kind, data, compress):
    if compress:
        body = v(2, len(data)) + ld(3, zlib.compress(data))
    else:
        body = ld(1, data)
    header = ld(1, kind.encode()) + v(3, len(body))
    return struct.pack(">I", len(header)) + header + body


def tiny(compress):
    header_block = (
        ld(1, sv(1, 7_400_000_000) + sv(2, 7_450_000_000) + sv(3, 43_760_000_000) + sv(4, 43_720_000_000))
        + ld(4, b"OsmSchema-V0.6")
        + ld(4, b"DenseNodes")
        + ld(16, b"aidmap fuzz seed")
    )
    strings = [b"", b"addr:housenumber", b"addr:street", b"highway", b"residential", b"name",
               b"Rue Grimaldi", b"building", b"yes", b"7", b"type", b"multipolygon", b"outer"]
    s = {x: i for i, x in enumerate(strings)}
    stringtable = b"".join(ld(1, x) for x in strings)
    # Coordinates in units of granularity (100 nanodegrees).
    plain_node = sv(1, 1) + packed(2, [s[b"addr:housenumber"], s[b"addr:street"]]) \
        + packed(3, [s[b"7"], s[b"Rue Grimaldi"]]) + sv(8, 437_340_000) + sv(9, 74_190_000)
    ids = [2, 3, 4, 5, 6]
    lats = [437_300_000, 437_310_000, 437_310_000, 437_300_000, 437_320_000]
    lons = [74_200_000, 74_200_000, 74_210_000, 74_210_000, 74_220_000]
    keys_vals = [0, 0, 0, s[b"addr:housenumber"], s[b"7"], s[b"addr:street"], s[b"Rue Grimaldi"], 0, 0]
    dense = spacked(1, delta(ids)) + spacked(8, delta(lats)) + spacked(9, delta(lons)) + packed(10, keys_vals)
    road = v(1, 10) + packed(2, [s[b"highway"], s[b"name"]]) + packed(3, [s[b"residential"], s[b"Rue Grimaldi"]]) \
        + spacked(8, delta([1, 2, 3, 6]))
    building = v(1, 11) + packed(2, [s[b"building"], s[b"addr:housenumber"], s[b"addr:street"]]) \
        + packed(3, [s[b"yes"], s[b"7"], s[b"Rue Grimaldi"]]) + spacked(8, delta([2, 3, 4, 5, 2]))
    dangling = v(1, 12) + packed(2, [s[b"highway"]]) + packed(3, [s[b"residential"]]) + spacked(8, delta([98, 99]))
    relation = v(1, 20) + packed(2, [s[b"type"]]) + packed(3, [s[b"multipolygon"]]) \
        + packed(8, [s[b"outer"]]) + spacked(9, delta([11])) + packed(10, [1])
    groups = [ld(1, plain_node), ld(2, dense), ld(3, road) + ld(3, building) + ld(3, dangling), ld(4, relation)]
    primitive_block = ld(1, stringtable) + b"".join(ld(2, g) for g in groups) + v(17, 100)
    return blob("OSMHeader", header_block, compress) + blob("OSMData", primitive_block, compress)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "tiny.osm.pbf").write_bytes(tiny(False))
    (OUT / "tiny-zlib.osm.pbf").write_bytes(tiny(True))
    monaco = MONACO.read_bytes()
    shutil.copyfile(MONACO, OUT / "monaco.osm.pbf")
    # Block boundaries: 4-byte header length, BlobHeader, then `datasize` bytes of Blob.
    blocks, off = [], 0
    while off < len(monaco):
        (n,) = struct.unpack(">I", monaco[off:off + 4])
        header = monaco[off + 4:off + 4 + n]
        datasize = header[header.index(b"\x18") + 1:]  # field 3, varint (after the type string)
        size, shift = 0, 0
        for b in datasize:
            size |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        blocks.append(monaco[off:off + 4 + n + size])
        off += 4 + n + size
    (OUT / "monaco-header.osm.pbf").write_bytes(blocks[0])
    (OUT / "monaco-header-last.osm.pbf").write_bytes(blocks[0] + blocks[-1])
    (OUT / "monaco-first-4k.osm.pbf").write_bytes(monaco[:4096])


if __name__ == "__main__":
    main()
