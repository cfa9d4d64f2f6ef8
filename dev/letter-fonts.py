"""Prepares the decision letters' CJK fonts: each source font written again with its CFF desubroutinized.

Why: a letter embeds a subset of the font, and fontkit's CFF subsetter carries every global and
private subroutine index of the source into each subset (Noto Sans CJK has thousands). A letter then
took about 150 ms of CPU and weighed 120 KB. Without subroutines a subset is just the glyphs it uses:
about 6 ms and 34 KB. The glyphs' outlines are the same; only how the font stores them changes.

Usage: letter-fonts.py SOURCE DEST [SOURCE DEST ...] (each pair in a process of its own).
"""
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from fontTools.ttLib import TTFont


def desubroutinize(source: str, dest: str) -> str:
    # recalcTimestamp=False: the same source gives the same bytes, on every machine.
    font = TTFont(source, recalcTimestamp=False)
    font["CFF "].cff.desubroutinize()
    font.save(dest + ".partial")
    font.close()
    os.replace(dest + ".partial", dest)  # never a half-written font under the name the worker reads
    return dest


if __name__ == "__main__":
    pairs = list(zip(sys.argv[1::2], sys.argv[2::2]))
    if not pairs or len(sys.argv[1:]) % 2:
        sys.exit("usage: letter-fonts.py SOURCE DEST [SOURCE DEST ...]")
    with ProcessPoolExecutor(max_workers=len(pairs)) as pool:
        for written in pool.map(desubroutinize, *zip(*pairs)):
            print(f"[bootstrap] wrote {written}")
