"""test_system.py: the whole system on one machine.

One nd-hub; three kitchens: two capturing live on veth interfaces whose
other ends are in network namespaces where the test makes traffic (DNS
queries, pings, ARP), one replaying the bundled capture; three eaters of
different kinds: nd-print --json, a C eater built on the eater library
(seq_eater) and a Python eater written only from netdumplings' protocol.

Checks: every dumpling each kitchen made (recorded with --stdout) reaches
every eater byte for byte and exactly once; the hub's status counts agree
with what the kitchens sent and what the eaters received.

usage: test_system.py ND-HUB ND-SNIFF ND-PRINT SEQ-EATER CHEF-DIR CAPTURE
"""
import json
import os
import signal
import sys
import time

import ndsys
from ndsys import Proc, fail, wait_for


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    bins = dict(zip(["hub", "sniff", "print", "seq", "chefs", "capture"],
                    map(os.path.abspath, sys.argv[1:])))
    if not ndsys.have_netns():
        print("SKIP: needs root and ip netns")
        sys.exit(77)
    in_port, out_port = ndsys.free_port(), ndsys.free_port()
    hub = ndsys.start_hub(bins, in_port, out_port)
    eat = "127.0.0.1:%d" % out_port

    printer = Proc("nd-print", [bins["print"], "-h", eat, "--json", "-n", "e2e-print"])
    seq = Proc("seq-eater", [bins["seq"], eat, ndsys.TMP + "/seq.txt"])
    py = ndsys.PyEater("ws://%s/" % eat)
    wait_for(lambda: ndsys.http_json(out_port)["dumpling_eater_count"] == 3, 20,
             "three eaters to register")

    nets = [ndsys.VethNs("a", "10.231.%d" % (i + 1)) for i in range(2)]
    kitchens = []
    for i, n in enumerate(nets):
        kitchens.append(Proc("kitchen-live%d" % i, [
            bins["sniff"], "-i", n.root_if, "-n", "live%d" % i, "-m", bins["chefs"],
            "-f", "udp or arp", "-h", "127.0.0.1:%d" % in_port, "--stdout",
            "-p", "1", "--no-progress"]))
    wait_for(lambda: ndsys.http_json(out_port)["dumpling_kitchen_count"] == 2, 20,
             "the live kitchens to register")

    replay = Proc("kitchen-replay", [
        bins["sniff"], "-r", bins["capture"], "-n", "replay", "-m", bins["chefs"],
        "-h", "127.0.0.1:%d" % in_port, "--stdout", "-p", "1", "--no-progress"])
    for i, n in enumerate(nets):
        n.dns_queries(["host%d-%d.e2e.example" % (i, k) for k in range(25)])
        r = n.run("ping", "-c", "3", "-i", "0.2", "-W", "1", n.root_ip)
        if r.returncode != 0:
            fail("ping in %s failed" % n.ns)
    rc = replay.wait(120)
    if rc != 0:
        fail("the replaying kitchen exited %d:\n%s" % (rc, replay.errlog()))
    time.sleep(1.5)  # let a poke or two report the live traffic
    for k in kitchens:
        rc = k.stop(signal.SIGTERM)
        if rc != 0:
            fail("%s exited %d after SIGTERM:\n%s" % (k.name, rc, k.errlog()))

    made = {}
    for k in kitchens + [replay]:
        got = ndsys.dumplings_of(k.lines())
        if not got:
            fail("%s made no dumplings" % k.name)
        made.update(got)
    total = len(made)
    for name in ("live0", "live1"):
        lookups = [json.loads(v)["payload"]["lookup"]["hostname"] for (kn, _), v in made.items()
                   if kn == name and b'"DNSLookupChef"' in v and b'"lookup"' in v]
        want = {"host%s-%d.e2e.example" % (name[-1], k) for k in range(25)}
        if set(lookups) != want or len(lookups) != 25:
            fail("%s: DNS lookups %d, not the 25 sent" % (name, len(lookups)))

    def everything_arrived():
        st = ndsys.http_json(out_port)
        seq_lines = open(ndsys.TMP + "/seq.txt").read().splitlines()
        nonstatus = [l for l in seq_lines if " SystemStatusChef " not in l]
        return (st["total_dumplings_in"] == total and
                len(ndsys.dumplings_of(printer.lines())) >= total and
                len(ndsys.dumplings_of(py.snapshot())) >= total and
                len(nonstatus) >= total) and st
    st = wait_for(everything_arrived, 30, "every dumpling to reach every eater")

    # Byte for byte and exactly once at each eater.
    for name, lines in (("nd-print", printer.lines()), ("py-eater", py.snapshot())):
        raw = [l.encode() if isinstance(l, str) else l for l in lines]
        got = [r for r in raw if b'"SystemStatusChef"' not in r]
        if len(got) != total:
            fail("%s got %d dumplings, kitchens made %d" % (name, len(got), total))
        if ndsys.dumplings_of(got) != made:
            fail("%s's dumplings differ from what the kitchens made" % name)
    seq_lines = [l.split() for l in open(ndsys.TMP + "/seq.txt").read().splitlines()]
    seq_keys = [(k, int(s)) for k, s, chef, _ in seq_lines if chef != "SystemStatusChef"]
    if sorted(seq_keys) != sorted(made.keys()) or len(set(seq_keys)) != len(seq_keys):
        fail("seq_eater's (kitchen, seq) pairs differ from what the kitchens made")
    # Per kitchen, in the order each kitchen sent them.
    for kn in ("live0", "live1", "replay"):
        seqs = [s for k, s in seq_keys if k == kn]
        if seqs != sorted(seqs):
            fail("seq_eater got %s's dumplings out of order" % kn)

    # The hub's counters agree with the kitchens and the eaters.
    if st["total_dumplings_in"] != total:
        fail("hub counted %d in, kitchens made %d" % (st["total_dumplings_in"], total))
    if st.get("total_dumplings_dropped", 0) != 0 or st.get("total_dumplings_invalid", 0) != 0:
        fail("hub dropped or refused dumplings: %s" % json.dumps(st))
    status_seen = sum(1 for _, _, chef, _ in seq_lines if chef == "SystemStatusChef")
    if status_seen == 0:
        fail("no status dumpling reached the C eater")
    out = st["total_dumplings_out"]
    if out < 3 * total + status_seen:
        fail("hub counted %d out, eaters received at least %d" % (out, 3 * total + status_seen))

    for p in (printer, seq):
        rc = p.stop(signal.SIGTERM)
        if rc not in (0, -signal.SIGTERM):
            fail("%s exited %d" % (p.name, rc))
    rc = hub.stop(signal.SIGTERM)
    if rc != 0:
        fail("nd-hub exited %d after SIGTERM" % rc)
    for p in [hub, printer, seq, replay] + kitchens:
        ndsys.sanitizer_clean(p)
    print("PASS: %d dumplings from 3 kitchens reached 3 eaters; hub in=%d out=%d"
          % (total, st["total_dumplings_in"], out))


if __name__ == "__main__":
    main()
