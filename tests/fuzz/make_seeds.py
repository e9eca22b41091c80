#!/usr/bin/python3
"""Writes the fuzz seed corpus for fuzz_dissect into DIR: every packet the
tshark oracle builds (oracle.py), for each link type, in fuzz_one.h's input
format (link-type index, flags, packet bytes)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "oracle"))
import oracle  # noqa: E402

# Index of each link type in fuzz_one.c's table.
DLT_INDEX = {oracle.DLT_EN10MB: 0, oracle.DLT_SLL: 1, oracle.DLT_SLL2: 2,
             oracle.DLT_RAW: 3, oracle.DLT_NULL: 6}


def main():
    if len(sys.argv) != 2:
        print("usage: make_seeds.py DIR")
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    oracle.random.seed(1)
    n = 0
    for name, (dlt, recs) in oracle.build_captures().items():
        for i, r in enumerate(recs):
            data, wire = (r, len(r)) if isinstance(r, bytes) else r
            flags = 1 if wire > len(data) else 0
            with open(os.path.join(out, "%s-%03d" % (name, i)), "wb") as f:
                f.write(bytes([DLT_INDEX[dlt], flags]) + data)
            n += 1
    print("make_seeds: %d seeds in %s" % (n, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
