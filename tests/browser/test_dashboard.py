#!/usr/bin/python3
"""test_dashboard.py: the dashboard in a real browser.

Starts nd-hub serving eaters/web, feeds it with a test kitchen (feeder.py),
and runs dashboard.test.js (headless Debian Chromium driven by
playwright-core) against it.  When the browser side prints RESTART_HUB the
hub is stopped and started again on the same ports; the page must notice,
say so, reconnect by itself and fill again.  The screenshot is written to
OUTDIR/dashboard.png.

usage: test_dashboard.py synthetic ND-HUB WEB-ROOT OUTDIR
       test_dashboard.py capture ND-HUB WEB-ROOT OUTDIR ND-SNIFF CHEF-DIR ND-GENCAP
(capture: see capture.py.)
Exits 77 (skipped) when Chromium or playwright-core is not installed.
"""
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "eaters"))
from feeder import EXPECT, Feeder  # noqa: E402
from ndtest import Hub  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def run_node(mode, url, outdir, on_line):
    """Runs dashboard.test.js; on_line(line) sees each line it prints."""
    env = dict(os.environ, ND_EXPECT=json.dumps(EXPECT))
    node = subprocess.Popen(["node", os.path.join(HERE, "dashboard.test.js"), mode, url, outdir],
                            stdout=subprocess.PIPE, text=True, env=env, cwd=HERE)
    timer = threading.Timer(150, node.kill)
    timer.start()
    try:
        for line in node.stdout:
            sys.stdout.write("  browser| " + line)
            sys.stdout.flush()
            on_line(line.rstrip("\n"))
        return node.wait()
    finally:
        timer.cancel()
        if node.poll() is None:
            node.kill()
            node.wait()


def synthetic(hub_bin, web_root, outdir):
    """Known values from feeder.py, and a hub restart in the middle."""
    hub = Hub(hub_bin, web_root=web_root).start()
    feeder = Feeder(hub.in_port).start()
    state = {"hub": hub}

    def on_line(line):
        if line == "RESTART_HUB":
            h = state["hub"]
            in_port, out_port = h.in_port, h.out_port
            assert h.stop() == 0, "nd-hub did not exit cleanly"
            time.sleep(1.0)  # long enough for the page to see the loss
            state["hub"] = Hub(hub_bin, in_port=in_port, out_port=out_port,
                               web_root=web_root).start()
    try:
        rc = run_node("synthetic", "http://127.0.0.1:%d/" % hub.out_port, outdir, on_line)
        print("feeder connections: %d" % feeder.connections)
        return rc
    finally:
        feeder.stop()
        assert state["hub"].stop() == 0, "nd-hub did not exit cleanly"


def main():
    mode = sys.argv[1]
    hub_bin = sys.argv[2]
    web_root, outdir = os.path.abspath(sys.argv[3]), os.path.abspath(sys.argv[4])
    if not os.path.exists(CHROMIUM) or not os.path.isdir(
            os.path.join(HERE, "node_modules", "playwright-core")):
        print("skipped: needs %s and tests/browser/node_modules (scripts/setup.sh installs both)"
              % CHROMIUM)
        return 77
    os.makedirs(outdir, exist_ok=True)
    if mode == "synthetic":
        rc = synthetic(hub_bin, web_root, outdir)
    else:
        from capture import capture
        rc = capture(hub_bin, web_root, outdir, *sys.argv[5:8], run_node=run_node)
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
