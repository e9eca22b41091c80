#!/usr/bin/python3
"""check_hublog.py LOG [options]: checks what the test hub received.

Prints a JSON summary; exits 1 with a reason when a check fails.
  --kitchen NAME        the registration's kitchen_name
  --chefs A,B           the registration's chefs, exactly
  --dumplings N         total dumplings received (all connections)
  --close-code C        the last connection's close code
  --in-order            across connections, seqs strictly increase
  --contiguous          the seqs received are exactly 1..max
  --after SEQ --dropped D  of the seqs above SEQ (up to the largest made,
                        --last), exactly D are missing, and they are the
                        oldest ones (one contiguous run right after SEQ)
  --last N              the largest seq the kitchen made
"""
import argparse
import json
import sys

ap = argparse.ArgumentParser()
ap.add_argument("log")
ap.add_argument("--kitchen")
ap.add_argument("--chefs")
ap.add_argument("--dumplings", type=int)
ap.add_argument("--close-code", type=int)
ap.add_argument("--in-order", action="store_true")
ap.add_argument("--contiguous", action="store_true")
ap.add_argument("--after", type=int)
ap.add_argument("--dropped", type=int)
ap.add_argument("--last", type=int)
a = ap.parse_args()


def die(msg):
    print("check_hublog: " + msg, file=sys.stderr)
    sys.exit(1)


conns = {}
seqs = []
starts = set()
hellos = []
closes = []
for line in open(a.log):
    ev = json.loads(line)
    # Restarted hubs number their connections from 1 again: count opens.
    if ev["ev"] == "open":
        c = len(conns) + 1
        conns[c] = 0
    elif ev["ev"] == "close":
        closes.append(ev["code"])
    else:
        obj = json.loads(ev["text"])
        if conns[c] == 0:
            if "kitchen_name" not in obj:
                die("first message on connection %d is not a registration: %s" % (c, ev["text"][:200]))
            hellos.append(obj)
        else:
            md = obj["metadata"]
            for k in ("chef", "kitchen", "creation_time", "driver", "seq", "kitchen_start"):
                if k not in md:
                    die("dumpling without metadata.%s" % k)
            seqs.append(md["seq"])
            starts.add(md["kitchen_start"])
        conns[c] += 1

summary = {"connections": len(conns), "dumplings": len(seqs), "closes": closes,
           "first": seqs[:3], "last": seqs[-3:]}
print(json.dumps(summary))
if not hellos:
    die("no registration received")
if len(starts) > 1:
    die("more than one kitchen_start: %s" % starts)
if a.kitchen is not None:
    for h in hellos:
        if h["kitchen_name"] != a.kitchen:
            die("kitchen_name %r" % h["kitchen_name"])
if a.chefs is not None:
    want = a.chefs.split(",")
    for h in hellos:
        if h["chefs"] != want:
            die("chefs %r, expected %r" % (h["chefs"], want))
    for k in ("interface", "filter", "poke_interval"):
        if k not in hellos[0]:
            die("registration without %s" % k)
if a.dumplings is not None and len(seqs) != a.dumplings:
    die("%d dumplings, expected %d" % (len(seqs), a.dumplings))
if a.close_code is not None and (not closes or closes[-1] != a.close_code):
    die("close codes %s, expected the last to be %d" % (closes, a.close_code))
if a.in_order and any(x >= y for x, y in zip(seqs, seqs[1:])):
    bad = next(i for i, (x, y) in enumerate(zip(seqs, seqs[1:])) if x >= y)
    die("seqs out of order at %d: %s" % (bad, seqs[max(0, bad - 3):bad + 4]))
if a.contiguous and seqs != list(range(1, len(seqs) + 1)):
    die("seqs are not 1..%d" % len(seqs))
if a.after is not None:
    got = set(s for s in seqs if s > a.after)
    missing = [s for s in range(a.after + 1, a.last + 1) if s not in got]
    if len(missing) != a.dropped:
        die("%d dumplings after seq %d are missing, but the kitchen counted %d dropped: %s"
            % (len(missing), a.after, a.dropped, missing[:20]))
    if missing and missing != list(range(a.after + 1, a.after + 1 + len(missing))):
        die("the missing dumplings are not the oldest ones: %s" % missing[:20])
