#!/usr/bin/env python3
"""Prints statistics of a PNG file as one JSON object, for the headless rendering test of `parley report`:
width, height, the number of distinct colours, and the share of pixels that differ from the most common
colour (the background). A blank screenshot has one colour and a share of 0.

Standard library only (zlib): handles 8-bit greyscale, RGB, RGBA, grey+alpha, non-interlaced, as Chromium
writes its screenshots.

Usage: png_stats.py FILE.png [--width N]
  --width N  only the N leftmost columns count (a page framed narrower than the window)
"""
import json
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    offset = 8
    width = height = depth = colour = interlace = None
    compressed = bytearray()
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
        elif kind == b"IEND":
            break
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    rows = []
    previous = bytearray(stride)
    position = 0
    for _ in range(height):
        kind = raw[position]
        line = bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = read_png(sys.argv[1])
    if len(sys.argv) == 4 and sys.argv[2] == "--width":
        width = min(width, int(sys.argv[3]))
    elif len(sys.argv) != 2:
        sys.exit("usage: png_stats.py FILE.png [--width N]")
    counts = {}
    for row in rows:
        for x in range(0, width * channels, channels):
            pixel = row[x:x + channels]
            counts[pixel] = counts.get(pixel, 0) + 1
    background = max(counts.values())
    total = width * height
    print(json.dumps({
        "width": width, "height": height, "colours": len(counts),
        "non_background": round((total - background) / total, 4) if total else 0,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
