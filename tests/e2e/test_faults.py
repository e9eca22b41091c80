"""test_faults.py: the system under faults, with every dumpling accounted for.

A kitchen replays the bundled capture at ten times its recorded speed into
one nd-hub, recording what it makes with --stdout.  Meanwhile the test:
kills the hub with SIGKILL and restarts it on the same ports (the kitchen
reconnects and delivers what it queued meanwhile; eaters reconnect); kills
one eater with SIGKILL; stalls another with SIGSTOP and resumes it; sends
garbage (raw bytes, bad HTTP, non-JSON and binary frames) to both hub
ports.  Checks, with the kitchen's numbering (metadata.seq):
  - the hub and the other clients keep running;
  - a reconnecting eater received every dumpling except one contiguous run
    lost in flight when the hub was killed, and that run is exactly what
    the restarted hub's gap accounting and the eater's own count show:
    made = before-kill + lost-in-flight + received-by-new-hub;
  - the stalled eater received everything it was sent, or the hub counted
    what it dropped for it;
  - the restarted hub counted the garbage as refused or invalid.

usage: test_faults.py ND-HUB ND-SNIFF ND-PRINT SEQ-EATER CHEF-DIR CAPTURE
"""
import json
import os
import signal
import socket
import sys
import time

import ndsys
from ndsys import Proc, fail, wait_for



async def ws_garbage(in_port, out_port):
    """WebSocket-level junk; returns (bad hellos, invalid dumplings) sent."""
    import asyncio
    import websockets
    bad_hellos = 0
    for port, hello in ((in_port, "not json"), (out_port, "{\"no_name\": 1}"),
                        (in_port, "[1, 2]")):
        try:
            async with websockets.connect("ws://127.0.0.1:%d/" % port) as ws:
                await ws.send(hello)
                await asyncio.wait_for(ws.recv(), 5)
        except (websockets.exceptions.ConnectionClosed, asyncio.TimeoutError, OSError):
            pass
        bad_hellos += 1
    invalid = 0
    async with websockets.connect("ws://127.0.0.1:%d/" % in_port) as ws:
        await ws.send(json.dumps({"kitchen_name": "garbage", "interface": "x", "filter": "",
                                  "chefs": [], "poke_interval": 5}))
        for junk in ("not json", "{\"metadata\": {}}", "[]", "{\"metadata\": {\"chef\": 7}}"):
            await ws.send(junk)
            invalid += 1
        await asyncio.sleep(0.5)
    return bad_hellos, invalid


def garbage(in_port, out_port):
    """Junk at both ports, below and above the WebSocket layer."""
    for port in (in_port, out_port):
        for junk in (b"\x00\xff" * 512, b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n",
                     b"NOT HTTP AT ALL\r\n\r\n"):
            try:
                s = socket.create_connection(("127.0.0.1", port), 2)
                s.sendall(junk)
                s.settimeout(1)
                try:
                    s.recv(4096)
                except OSError:
                    pass
                s.close()
            except OSError:
                pass
    return 0


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    bins = dict(zip(["hub", "sniff", "print", "seq", "chefs", "capture"],
                    map(os.path.abspath, sys.argv[1:])))
    in_port, out_port = ndsys.free_port(), ndsys.free_port()
    eat = "127.0.0.1:%d" % out_port
    hub = ndsys.start_hub(bins, in_port, out_port, name="hub1")

    seq = Proc("seq-eater", [bins["seq"], eat, ndsys.TMP + "/seq.txt"])
    doomed = Proc("doomed-print", [bins["print"], "-h", eat, "--json", "-n", "doomed"])
    stalled = Proc("stalled-print", [bins["print"], "-h", eat, "--json", "-n", "stalled",
                                    "--reconnect"])
    py = ndsys.PyEater("ws://%s/" % eat)
    wait_for(lambda: ndsys.http_json(out_port)["dumpling_eater_count"] == 4, 20,
             "four eaters to register")

    kitchen = Proc("kitchen", [
        bins["sniff"], "-r", bins["capture"], "--realtime=10", "-n", "faulty",
        "-m", bins["chefs"], "-h", "127.0.0.1:%d" % in_port, "--stdout", "-p", "1",
        "--no-progress", "--reconnect-max", "1"])
    wait_for(lambda: ndsys.http_json(out_port)["total_dumplings_in"] >= 20, 30,
             "the kitchen's first dumplings")

    stalled.send(signal.SIGSTOP)
    doomed.send(signal.SIGKILL)
    time.sleep(1)
    # Kill the hub mid-stream; the kitchen keeps making dumplings meanwhile.
    hub.send(signal.SIGKILL)
    hub.wait(10)
    time.sleep(1.5)
    hub = ndsys.start_hub(bins, in_port, out_port, name="hub2")
    garbage(in_port, out_port)
    import asyncio
    bad_hellos, invalid = asyncio.run(ws_garbage(in_port, out_port))
    stalled.send(signal.SIGCONT)

    rc = kitchen.wait(120)
    if rc != 0:
        fail("the kitchen exited %d:\n%s" % (rc, kitchen.errlog()))
    made = ndsys.dumplings_of(kitchen.lines())
    seqs = sorted(s for (_, s) in made)
    n = len(seqs)
    if seqs != list(range(1, n + 1)):
        fail("the kitchen's own numbering has holes")

    def kitchen_info():
        st = ndsys.http_json(out_port)
        ks = [k for k in st["dumpling_kitchens"]
              if k["info_from_kitchen"].get("kitchen_name") == "faulty"]
        return st, (ks[0] if ks else None)

    # What the restarted hub received from the kitchen.
    def settled():
        st, _ = kitchen_info()
        eaten = [l.split() for l in open(ndsys.TMP + "/seq.txt").read().splitlines()]
        got = {int(s) for k, s, chef, _ in eaten if k == "faulty"}
        return n in got and st
    st = wait_for(settled, 30, "the last dumpling to reach the C eater")
    hub2_in = st["total_dumplings_in"]
    first_new = n - hub2_in + 1  # the hub got a contiguous tail: first_new..n

    eaten = [l.split() for l in open(ndsys.TMP + "/seq.txt").read().splitlines()]
    got = sorted(int(s) for k, s, chef, _ in eaten if k == "faulty")
    if len(got) != len(set(got)):
        fail("the C eater received duplicates")
    before = [s for s in got if s < first_new]
    after = [s for s in got if s >= first_new]
    if after != list(range(first_new, n + 1)):
        fail("the restarted hub's dumplings did not all reach the C eater in order")
    if before != list(range(1, len(before) + 1)):
        fail("before the kill the C eater missed dumplings: %s" % before[:20])
    lost = first_new - 1 - len(before)
    if lost < 0:
        fail("accounting does not add up: made %d, before %d, new hub %d" % (n, len(before), hub2_in))
    if len(before) + lost + hub2_in != n:
        fail("made %d != %d before the kill + %d lost in flight + %d through the new hub"
             % (n, len(before), lost, hub2_in))

    # The Python eater: same accounting (it reconnected too).
    py_got = sorted(s for (k, s) in ndsys.dumplings_of(py.snapshot()) if k == "faulty")
    py_after = [s for s in py_got if s >= first_new]
    if py_after != list(range(first_new, n + 1)):
        fail("the Python eater missed dumplings of the restarted hub")

    # The stalled eater: what the new hub sent it arrived, or was counted.
    def stalled_done():
        st2 = ndsys.http_json(out_port)
        e = [e for e in st2["dumpling_eaters"] if e["info_from_eater"].get("eater_name") == "stalled"]
        return e and e[0]
    info = wait_for(stalled_done, 20, "the stalled eater to reconnect and show up")
    got_stalled = len([1 for (k, s) in ndsys.dumplings_of(stalled.lines()) if k == "faulty"])
    hub_view = info["info_from_hub"]
    if got_stalled == 0 and hub_view.get("dropped", 0) == 0:
        fail("the stalled eater got nothing and the hub counted no drop")

    # Garbage was refused, not fatal.
    st = ndsys.http_json(out_port)
    refused = st.get("total_registrations_refused", 0)
    if refused != bad_hellos:
        fail("hub counted %d refused registrations, the test sent %d bad hellos" % (refused, bad_hellos))
    if st.get("total_dumplings_invalid", 0) != invalid:
        fail("hub counted %d invalid dumplings, the test sent %d"
             % (st.get("total_dumplings_invalid", 0), invalid))
    if not hub.alive():
        fail("the restarted hub died")
    for p in (seq, stalled):
        p.stop(signal.SIGTERM)
    rc = hub.stop(signal.SIGTERM)
    if rc != 0:
        fail("nd-hub exited %d after SIGTERM:\n%s" % (rc, hub.errlog()))
    for p in (hub, seq, kitchen):
        ndsys.sanitizer_clean(p)
    print("PASS: made %d = %d before the kill + %d lost in flight + %d through the "
          "restarted hub; stalled eater got %d (hub dropped %d); bad hellos refused %d, invalid dumplings counted %d"
          % (n, len(before), lost, hub2_in, got_stalled, hub_view.get("dropped", 0), refused,
             invalid))


if __name__ == "__main__":
    main()
