"""Addresses, HTTP files and shutdown.

- IPv6: the hub listens on ::1 and carries dumplings over it (skipped when
  the machine has no IPv6 loopback).
- --web-root serves files at / on the out-port while WebSocket eaters
  still connect on any path with no subprotocol.
- SIGTERM closes every connection with 1001 and exits 0 (and, under the
  sanitizer build, without leaks: Hub checks the exit status).
"""
import asyncio
import os
import shutil
import socket
import tempfile

import websockets

from hubtest import Hub, connect, dumpling, eater, kitchen, run, wait_status


def have_ipv6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


async def carry(hub, path="/"):
    e = await connect(hub.out_uri + path)
    await e.send('{"eater_name": "path-eater"}')
    await wait_status(hub, lambda st: st["dumpling_eater_count"] >= 1)
    k = await kitchen(hub, "k")
    await k.send(dumpling("C", "k", n=7))
    assert '"n": 7' in await asyncio.wait_for(e.recv(), 10)
    return e, k


async def main():
    if have_ipv6():
        with Hub("-f", "3600", address="::1") as hub:
            assert hub.host == "::1"
            e, k = await carry(hub)
            await e.close()
            await k.close()
    else:
        print("no IPv6 loopback: IPv6 part skipped")

    # The default address, as netdumplings': every address "localhost" has.
    with Hub("-f", "3600", address="localhost") as hub:
        assert hub.host in ("127.0.0.1", "::1"), hub.host
        e, k = await carry(hub)
        await e.close()
        await k.close()

    web = tempfile.mkdtemp(prefix="nd-hub-web-")
    try:
        with open(os.path.join(web, "index.html"), "w") as f:
            f.write("<!doctype html><title>dumplings</title>\n")
        with open(os.path.join(web, "app.js"), "w") as f:
            f.write("console.log('dumplings');\n")
        with Hub("-f", "3600", "--web-root", web) as hub:
            code, ctype, body = hub.http("/")
            assert code == 200 and ctype.startswith("text/html") and b"dumplings" in body
            code, ctype, body = hub.http("/app.js")
            assert code == 200 and "javascript" in ctype, ctype
            code, _, body = hub.http("/status")
            assert code == 200 and b"total_dumplings_in" in body
            e, k = await carry(hub, "/")
            e2 = await connect(hub.out_uri + "/any/path")
            await e2.send('{"eater_name": "other-path"}')
            await wait_status(hub, lambda st: st["dumpling_eater_count"] == 2)
            # Shutdown: both eaters and the kitchen get 1001.
            hub.proc.terminate()
            for ws in (e, e2, k):
                try:
                    while True:
                        await asyncio.wait_for(ws.recv(), 10)
                except websockets.ConnectionClosed as ex:
                    assert ex.rcvd is not None and ex.rcvd.code == 1001, ex
            assert hub.proc.wait(20) == 0
            assert hub.wait_log(r"dumpling hub signing off")
    finally:
        shutil.rmtree(web)

    # The project's own dashboard (eaters/web), when present in the tree.
    src = os.environ.get("ND_WEB_SRC", "")
    if os.path.isfile(os.path.join(src, "index.html")):
        with Hub("-f", "3600", "--web-root", src) as hub:
            code, ctype, body = hub.http("/")
            assert code == 200 and ctype.startswith("text/html"), ctype
            with open(os.path.join(src, "index.html"), "rb") as f:
                assert body == f.read()
            for name in os.listdir(src):
                if name.endswith(".js"):
                    code, ctype, _ = hub.http("/" + name)
                    assert code == 200 and "javascript" in ctype, (name, ctype)


run(main())
