#!/usr/bin/python3
"""test_dashboard.py: the dashboard in a real browser.

Starts nd-hub serving eaters/web, feeds it with a test kitchen (feeder.py),
and runs dashboard.test.js (headless Debian Chromium driven by
playwright-core) against it.  When the browser side prints RESTART_HUB the
hub is stopped and started again on the same ports; the page must notice,
say so, reconnect by itself and fill again.  The screenshot is written to
OUTDIR/dashboard.png.

usage: test_dashboard.py ND-HUB WEB-ROOT OUTDIR
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


def main():
    hub_bin, web_root, outdir = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    if not os.path.exists(CHROMIUM) or not os.path.isdir(
            os.path.join(HERE, "node_modules", "playwright-core")):
        print("skipped: needs %s and tests/browser/node_modules (scripts/setup.sh installs both)"
              % CHROMIUM)
        return 77
    os.makedirs(outdir, exist_ok=True)
    hub = Hub(hub_bin, web_root=web_root).start()
    feeder = Feeder(hub.in_port).start()
    node = None
    try:
        env = dict(os.environ, ND_EXPECT=json.dumps(EXPECT))
        node = subprocess.Popen(["node", os.path.join(HERE, "dashboard.test.js"),
                                 "http://127.0.0.1:%d/" % hub.out_port, outdir],
                                stdout=subprocess.PIPE, text=True, env=env, cwd=HERE)
        timer = threading.Timer(150, node.kill)
        timer.start()
        for line in node.stdout:
            sys.stdout.write("  browser| " + line)
            sys.stdout.flush()
            if line.strip() == "RESTART_HUB":
                in_port, out_port = hub.in_port, hub.out_port
                assert hub.stop() == 0, "nd-hub did not exit cleanly"
                time.sleep(1.0)  # long enough for the page to see the loss
                hub = Hub(hub_bin, in_port=in_port, out_port=out_port, web_root=web_root).start()
        rc = node.wait()
        timer.cancel()
        print("feeder connections: %d" % feeder.connections)
        return 0 if rc == 0 else 1
    finally:
        if node and node.poll() is None:
            node.kill()
        feeder.stop()
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
