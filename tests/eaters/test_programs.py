#!/usr/bin/python3
"""test_programs.py: nd-print, nd-hubstatus and nd-hubdetails end to end
against a real nd-hub on loopback, fed by a kitchen client.

--json output is compared byte for byte with what the kitchen sent; the
pretty forms are parsed and compared structurally.  Also: a refused
connection, a lost connection, a hub that sends invalid JSON (a stand-in),
and nd-print --reconnect across a hub restart.

usage: test_programs.py ND-HUB ND-PRINT ND-HUBSTATUS ND-HUBDETAILS
"""
import datetime
import json
import os
import re
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ndtest import Hub, Program, dumpling_text, free_port, run, send_as_kitchen  # noqa: E402

HUB, PRINT, HUBSTATUS, HUBDETAILS = sys.argv[1:5]
HERE = os.path.dirname(os.path.abspath(__file__))


def sample():
    """Five dumplings from kitchen k1: three packet, two interval."""
    return [
        dumpling_text("TestChef", "k1", {"lookup": {"hostname": "a.example", "when": 1.5}},
                      when=1764156787.25),
        dumpling_text("TestChef", "k1", {"n": [1, 2.5, None, True], "s": "caf\u00e9"},
                      driver="interval", when=1764156788.0),
        dumpling_text("OtherChef", "k1", {"x": 1}, when=1764156789.5),
        dumpling_text("TestChef", "k1", {"z": {}}, when=1764156790.125),
        dumpling_text("TestChef", "k1", {"last": "yes"}, driver="interval", when=1764156791.0),
    ]


def test_print_json_exact():
    texts = sample()
    with Hub(HUB) as hub:
        p = Program(PRINT, "-h", hub.eaters, "-n", "jsoneater", "--json", "-c", "TestChef",
                    "-c", "OtherChef", "--count", "5")
        hub.wait_eater("jsoneater")
        send_as_kitchen(hub.in_port, "k1", texts)
        rc, out, err = p.finish()
    assert rc == 0, err
    assert out == "".join(t + "\n" for t in texts), out


def test_print_filters_kitchen_and_driver():
    texts = sample()
    other = dumpling_text("TestChef", "k2", {"from": "k2"}, when=1764156792.0)
    with Hub(HUB) as hub:
        p = Program(PRINT, "-h", hub.eaters, "-n", "pkteater", "--json", "-k", "k1",
                    "--no-interval-dumplings", "--count", "3")
        hub.wait_eater("pkteater")
        send_as_kitchen(hub.in_port, "k2", [other])
        send_as_kitchen(hub.in_port, "k1", texts)
        rc, out, err = p.finish()
    assert rc == 0, err
    want = [texts[0], texts[2], texts[3]]
    assert out == "".join(t + "\n" for t in want), out


def parse_pretty(out):
    """Splits nd-print's pretty output into (summary, payload) pairs."""
    head = "Waiting for dumplings...\n\n"
    assert out.startswith("Connected to nd-hub at ws://127.0.0.1:"), out
    body = out[out.index(head) + len(head):]
    records = []
    summary_re = re.compile(r"^(\S+) \[(packet  |interval)\] (\S+) from (\S+)$")
    while body:
        line, body = body.split("\n", 1)
        m = summary_re.match(line)
        assert m, "bad summary line %r" % line
        assert body.startswith("\n"), body
        end = body.index("\n\n", 1)
        payload_text = body[1:end]
        body = body[end + 2:]
        records.append((m.groups(), payload_text))
    return records


def test_print_pretty_structure():
    texts = sample()
    with Hub(HUB) as hub:
        p = Program(PRINT, "-h", hub.eaters, "-n", "prettyeater", "-c", "TestChef",
                    "--count", "4", "--no-color")
        hub.wait_eater("prettyeater")
        send_as_kitchen(hub.in_port, "k1", texts)
        rc, out, err = p.finish()
    assert rc == 0, err
    records = parse_pretty(out)
    sent = [json.loads(t) for t in texts if json.loads(t)["metadata"]["chef"] == "TestChef"]
    assert len(records) == 4
    for (when, driver, chef, kitchen), payload_text in records:
        d = sent.pop(0)
        md = d["metadata"]
        local = datetime.datetime.fromtimestamp(md["creation_time"]).isoformat()
        assert when == local, (when, local)
        assert driver.strip() == md["driver"]
        assert chef == md["chef"] and kitchen == md["kitchen"]
        assert json.loads(payload_text) == d["payload"]
        # netdumplings' exact pretty form.
        assert payload_text == json.dumps(d["payload"], sort_keys=True, indent=4,
                                          separators=(",", ": ")), payload_text


def test_print_no_payload_and_color():
    texts = sample()
    with Hub(HUB) as hub:
        p = Program(PRINT, "-h", hub.eaters, "-n", "coloreater", "-c", "OtherChef",
                    "--count", "1", "--no-payload", "--color")
        hub.wait_eater("coloreater")
        send_as_kitchen(hub.in_port, "k1", texts)
        rc, out, err = p.finish()
    assert rc == 0, err
    last = out.rstrip("\n").split("\n")[-1]
    assert last.endswith("[packet  ] \x1b[1mOtherChef\x1b[0m from \x1b[1mk1\x1b[0m"), repr(last)
    assert "{" not in out


STATUS_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  uptime: \d\d:\d\d:\d\d  "
                       r"dumplings in: (\d+)  out: (\d+)  kitchens: (\d+)  eaters: (\d+)"
                       r"  dropped: \d+  invalid: \d+ $")


def test_hubstatus_line():
    with Hub(HUB) as hub:
        send_as_kitchen(hub.in_port, "k1", sample())
        rc, out, err = run(HUBSTATUS, "-h", hub.eaters, "--count", "2", "--no-color")
    assert rc == 0, err
    head = "nd-hub status from ws://127.0.0.1:%d/\nWaiting for data... " % hub.out_port
    assert out.startswith(head), repr(out)
    lines = out[len(head):].rstrip("\n").split("\r")
    assert lines[0] == "" and len(lines) == 3, repr(out)
    for line in lines[1:]:
        m = STATUS_RE.match(line)
        assert m, repr(line)
        assert int(m.group(1)) == 5 and int(m.group(4)) == 1, line


def test_hubstatus_json_and_newline():
    with Hub(HUB) as hub:
        rc, out, err = run(HUBSTATUS, "-h", hub.eaters, "--count", "1", "--json")
        assert rc == 0, err
        d = json.loads(out)
        assert d["metadata"]["chef"] == "SystemStatusChef" and out.count("\n") == 1
        rc, out, err = run(HUBSTATUS, "-h", hub.eaters, "--count", "2", "--newline")
    assert rc == 0, err
    lines = out.split("\n")
    assert len(lines) == 4 and lines[3] == "", repr(out)
    assert STATUS_RE.match(lines[1][len("Waiting for data... "):]), repr(out)


def test_hubdetails():
    with Hub(HUB) as hub:
        p = Program(PRINT, "-h", hub.eaters, "-n", "bystander", "--json", "--count", "1000")
        hub.wait_eater("bystander")
        k = threading.Thread(target=send_as_kitchen,
                             args=(hub.in_port, "kitchen-A", sample()), kwargs={"linger": 5.0})
        k.start()
        deadline = time.monotonic() + 20
        while hub.status()["dumpling_kitchen_count"] != 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        rc, out, err = run(HUBDETAILS, "-h", hub.eaters, "--no-color")
        rc2, out2, err2 = run(HUBDETAILS, "-h", hub.eaters, "--json", "-n", "jd")
        p.kill()
        k.join()
    assert rc == 0, err
    head = ("Connected to nd-hub at ws://127.0.0.1:%d/\n"
            "Waiting for a SystemStatus dumpling...\n\n" % hub.out_port)
    assert out.startswith(head) and out.endswith("\n\n"), repr(out)
    payload = json.loads(out[len(head):])
    assert out[len(head):-2] == json.dumps(payload, sort_keys=True, indent=4,
                                           separators=(",", ": "))
    for key in ("total_dumplings_in", "total_dumplings_out", "server_uptime",
                "dumpling_kitchen_count", "dumpling_eater_count"):
        assert key in payload, key
    names = [e["info_from_eater"]["eater_name"] for e in payload["dumpling_eaters"]]
    assert "bystander" in names and "detailseater" in names, names
    kitchens = [k["info_from_kitchen"]["kitchen_name"] for k in payload["dumpling_kitchens"]]
    assert kitchens == ["kitchen-A"], kitchens
    assert rc2 == 0, err2
    d = json.loads(out2)
    assert d["metadata"]["chef"] == "SystemStatusChef" and out2.count("\n") == 1


def test_refused():
    port = free_port()
    for prog in (PRINT, HUBSTATUS, HUBDETAILS):
        rc, out, err = run(prog, "-h", "127.0.0.1:%d" % port)
        assert rc == 1, (prog, rc, err)
        assert "cannot connect to ws://127.0.0.1:%d/" % port in err, err
        assert "is nd-hub running?" in err, err


def test_lost_connection():
    hub = Hub(HUB).start()
    try:
        p = Program(PRINT, "-h", hub.eaters, "-n", "loser")
        hub.wait_eater("loser")
        hub.stop()
        rc, out, err = p.finish()
    finally:
        hub.kill()
    assert rc == 1, (rc, err)
    assert "lost connection to nd-hub" in err, err


def test_invalid_json_from_hub():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        send = os.path.join(d, "send")
        with open(send, "w") as f:
            f.write("this is not json\n")
        s = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "standin_hub.py"),
                              "--send", send, "--log", os.path.join(d, "log")],
                             stdout=subprocess.PIPE, text=True)
        try:
            port = int(s.stdout.readline().split()[1])
            rc, out, err = run(PRINT, "-h", "127.0.0.1:%d" % port)
        finally:
            s.kill()
            s.wait()
    assert rc == 1, (rc, err)
    assert "not a dumpling: not JSON" in err, err


def test_print_reconnects_across_restart():
    texts = sample()
    hub = Hub(HUB).start()
    try:
        port, in_port = hub.out_port, hub.in_port
        p = Program(PRINT, "-h", hub.eaters, "-n", "phoenix", "--json", "-r", "-c", "TestChef",
                    "--count", "2")
        hub.wait_eater("phoenix")
        send_as_kitchen(hub.in_port, "k1", texts[:1])
        hub.stop()
        hub = Hub(HUB, in_port=in_port, out_port=port).start()
        hub.wait_eater("phoenix")
        send_as_kitchen(hub.in_port, "k1", texts[3:4])
        rc, out, err = p.finish()
        assert hub.stop() == 0
    finally:
        hub.kill()
    assert rc == 0, err
    assert out == texts[0] + "\n" + texts[3] + "\n", out
    assert "reconnecting" in err, err


def test_usage_errors():
    rc, out, err = run(PRINT, "--count", "zero")
    assert rc == 2 and "--count" in err, err
    rc, out, err = run(PRINT, "-h", "bad host name:1")
    assert rc == 1 and "bad hub address" in err, err
    rc, out, err = run(HUBSTATUS, "--help")
    assert rc == 0 and "--hub" in out
    rc, out, err = run(HUBDETAILS, "--version")
    assert rc == 0 and "nd-hubdetails" in out


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith("test_")]
    only = os.environ.get("ND_ONLY")
    failed = 0
    for name, fn in tests:
        if only and only not in name:
            continue
        t0 = time.monotonic()
        try:
            fn()
            print("ok   %s (%.1fs)" % (name, time.monotonic() - t0), flush=True)
        except Exception:
            failed += 1
            print("FAIL %s\n%s" % (name, traceback.format_exc()), flush=True)
    print("%d failed" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
