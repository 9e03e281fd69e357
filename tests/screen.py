#!/usr/bin/env python3
"""screen.py: read the text the kernel's screen console shows, from a QEMU screendump (PPM).

    screen.py SCREENSHOT.ppm        print the text on the screen

Each 8x16 cell (scaled as fbcon.c scales it) is thresholded and looked up among the font's glyphs
(scripts/psf2c.py reads the same font the kernel was built with), so the check is exact: a pixel
wrong in a cell turns that character into '?'. Imported by tests/integration.py.
"""
import gzip
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import psf2c  # noqa: E402

FONT = os.environ.get("FONT", "/usr/share/consolefonts/Lat15-Terminus16.psf.gz")
THRESHOLD = 0x68  # fbcon.c draws grey 0xd0 on black


def glyph_table():
    """bitmap (16 row bytes) -> character, for printable ASCII."""
    data = gzip.open(FONT).read()
    count = 512 if data[2] & psf2c.PSF1_MODE512 else 256
    mapping = psf2c.glyph_map(data, count, 16)
    return {data[4 + mapping[c] * 16:4 + (mapping[c] + 1) * 16]: chr(c) for c in range(psf2c.FIRST, psf2c.LAST + 1)}


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:  # magic, width, height, maxval, separated by whitespace
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6":
        raise ValueError(f"{path}: not a binary PPM")
    return int(fields[1]), int(fields[2]), data[pos + 1:]


def text(path):
    """The screen's text, one string per text row (trailing blanks removed)."""
    width, height, px = read_ppm(path)
    scale = 3 if height >= 2 * 1440 else 2 if height >= 1440 else 1  # as fbcon.c
    glyphs, rows = glyph_table(), []
    cw, ch = 8 * scale, 16 * scale
    for row in range(height // ch):
        line = []
        for col in range(width // cw):
            bits = bytearray(16)
            for y in range(16):
                base = ((row * ch + y * scale) * width + col * cw) * 3
                for x in range(8):
                    if px[base + x * scale * 3 + 1] > THRESHOLD:  # the green channel: grey either way
                        bits[y] |= 0x80 >> x
            line.append(glyphs.get(bytes(bits), "?"))
        rows.append("".join(line).rstrip())
    return rows


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print("\n".join(text(sys.argv[1])))
