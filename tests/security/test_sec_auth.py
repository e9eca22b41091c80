"""Tokens and Origin checks on plain ws:// ports.

Kitchens and eaters without a valid bearer token get HTTP 401 before the
upgrade; a kitchen token admits only the kitchen_name it names; eaters may
present their token in the URL (as the dashboard does); browser Origins
other than the hub's own and the allowed list get 403; /status and
/metrics need the eater token.  Each refusal is counted in /metrics.  Our
own clients (nd-sniff, nd-print) authenticate with --token-file.
"""
import asyncio
import base64
import json
import os
import socket

import websockets

from sectest import (ANY_KITCHEN_TOKEN, EATER_TOKEN, KITCHEN_TOKEN, Hub, Workdir, dns_pcap,
                     dumpling, http_get, kitchen_hello, metrics, run, run_tool, sniff_args,
                     tokens, tool)


def bearer(tok):
    return {"Authorization": "Bearer " + tok}


async def refused(uri, code, **kw):
    try:
        ws = await websockets.connect(uri, open_timeout=10, **kw)
    except websockets.exceptions.InvalidStatusCode as e:
        assert e.status_code == code, "got HTTP %d, expected %d" % (e.status_code, code)
        return
    await ws.close()
    raise AssertionError("%s: upgrade accepted, expected HTTP %d" % (uri, code))


async def closed_with(ws, code):
    try:
        await asyncio.wait_for(ws.recv(), 10)
    except websockets.exceptions.ConnectionClosed:
        pass
    assert ws.close_code == code, "close code %s, expected %s" % (ws.close_code, code)


async def recv_json(ws, pred, timeout=15):
    end = asyncio.get_running_loop().time() + timeout
    while True:
        left = end - asyncio.get_running_loop().time()
        assert left > 0, "expected dumpling not received"
        d = json.loads(await asyncio.wait_for(ws.recv(), left))
        if pred(d):
            return d


async def main():
    with Workdir() as wd:
        kt, et = tokens(wd)
        with Hub("--kitchen-tokens", kt, "--eater-tokens", et,
                 "--allowed-origin", "https://dash.example", "-f", "0.2") as hub:
            own = "http://" + hub.netloc(hub.out_port)
            before = metrics(hub, EATER_TOKEN)

            # No token, a wrong token: 401 on both ports, before any upgrade.
            await refused(hub.in_uri, 401)
            await refused(hub.in_uri, 401, extra_headers=bearer("x" * 32))
            await refused(hub.in_uri, 401, extra_headers=bearer(EATER_TOKEN))
            await refused(hub.out_uri, 401)
            await refused(hub.out_uri + "/?token=" + KITCHEN_TOKEN, 401)
            assert http_get(hub, "/status")[0] == 401
            assert http_get(hub, "/metrics", "y" * 20)[0] == 401
            assert http_get(hub, "/status", EATER_TOKEN)[0] == 200
            assert http_get(hub, "/status", EATER_TOKEN, url_token=True)[0] == 200
            assert hub.wait_log(r"kitchen refused: peer=127\.0\.0\.1: no bearer token")
            assert hub.wait_log(r"kitchen refused: peer=127\.0\.0\.1: unknown token")
            assert KITCHEN_TOKEN not in hub.log() and EATER_TOKEN not in hub.log()

            # Origin: a foreign page is refused even with a token; the hub's
            # own page and the allowed origin are not.
            await refused(hub.out_uri + "/?token=" + EATER_TOKEN, 403,
                          origin="http://evil.example")
            for origin in ("https://dash.example", own):
                ws = await websockets.connect(hub.out_uri + "/?token=" + EATER_TOKEN,
                                              origin=origin, open_timeout=10)
                await ws.close()
            assert hub.wait_log(r"Origin http://evil\.example is not allowed")

            # An eater with its token in the header, one with it in the URL.
            e1 = await websockets.connect(hub.out_uri, extra_headers=bearer(EATER_TOKEN),
                                          open_timeout=10)
            await e1.send(json.dumps({"eater_name": "e1"}))
            e2 = await websockets.connect(hub.out_uri + "/?token=" + EATER_TOKEN,
                                          open_timeout=10)
            await e2.send(json.dumps({"eater_name": "e2"}))

            # A token for k1 does not admit k2; "*" admits any name.
            k2 = await websockets.connect(hub.in_uri, extra_headers=bearer(KITCHEN_TOKEN),
                                          open_timeout=10)
            await k2.send(kitchen_hello("k2"))
            await closed_with(k2, 1008)
            assert hub.wait_log(r"its token admits kitchen k1, not k2")
            k1 = await websockets.connect(hub.in_uri, extra_headers=bearer(KITCHEN_TOKEN),
                                          open_timeout=10)
            await k1.send(kitchen_hello("k1"))
            k9 = await websockets.connect(hub.in_uri, extra_headers=bearer(ANY_KITCHEN_TOKEN),
                                          open_timeout=10)
            await k9.send(kitchen_hello("k9"))
            await k1.send(dumpling("SecChef", "k1", seq=1))
            await k9.send(dumpling("SecChef", "k9", seq=1))
            for e in (e1, e2):
                got = set()
                while got != {"k1", "k9"}:
                    d = await recv_json(e, lambda d: d["metadata"]["chef"] == "SecChef")
                    got.add(d["metadata"]["kitchen"])

            after = metrics(hub, EATER_TOKEN)
            assert after["nd_hub_auth_refused_total"] - before["nd_hub_auth_refused_total"] >= 7, after
            assert after["nd_hub_origin_refused_total"] - before["nd_hub_origin_refused_total"] >= 1
            assert after["nd_hub_kitchens"] == 2 and after["nd_hub_eaters"] == 2, after

            # Our own clients.  nd-sniff with the k1 token: its dumplings arrive.
            pcap = dns_pcap(wd.p("dns.pcap"), ["secure-%d.example.com" % i for i in range(5)])
            rc, _, err = await asyncio.get_running_loop().run_in_executor(None, lambda: run_tool(
                sniff_args(hub.in_uri, pcap, "k1", "--token-file", wd.p("k1.token"))))
            assert rc == 0, err
            for i in range(5):
                await recv_json(e1, lambda d: d["metadata"]["chef"] == "DNSLookupChef" and
                                d["payload"].get("lookup", {}).get("hostname") == "secure-%d.example.com" % i)
            # As root dropping to nobody (-Z): the token is read before the drop.
            if os.geteuid() == 0:
                rc, _, err = await asyncio.get_running_loop().run_in_executor(
                    None, lambda: run_tool(sniff_args(hub.in_uri, pcap, "k1", "--token-file",
                                                      wd.p("k1.token"), "-Z", "nobody")))
                assert rc == 0 and "running as user nobody" in err, err
                for i in range(5):
                    await recv_json(e1, lambda d: d["metadata"]["chef"] == "DNSLookupChef" and
                                    d["payload"].get("lookup", {}).get("hostname") == "secure-%d.example.com" % i)
            # A wrong token: refused, nothing arrives.
            rc, _, err = await asyncio.get_running_loop().run_in_executor(None, lambda: run_tool(
                sniff_args(hub.in_uri, pcap, "k1", "--token-file", wd.p("bad.token"),
                           "--flush-timeout", "1")))
            assert hub.wait_log(r"kitchen refused: peer=127\.0\.0\.1: unknown token")
            # A token file others can read is refused by the client itself.
            loose = wd.file("loose.token", KITCHEN_TOKEN + "\n", 0o644)
            rc, _, err = await asyncio.get_running_loop().run_in_executor(None, lambda: run_tool(
                sniff_args(hub.in_uri, pcap, "k1", "--token-file", loose)))
            assert rc != 0 and "token-file" in err, err

            # nd-print with and without its token.
            async def feed():
                for i in range(200):
                    await k1.send(dumpling("SecChef", "k1", seq=10 + i))
                    await asyncio.sleep(0.05)
            feeder = asyncio.create_task(feed())
            rc, out, err = await asyncio.get_running_loop().run_in_executor(None, lambda: run_tool(
                [tool("ND_PRINT"), "-h", hub.out_uri, "--token-file", wd.p("eater.token"),
                 "--json", "--count", "3", "-c", "SecChef"]))
            assert rc == 0 and len(out.splitlines()) == 3, (rc, out, err)
            rc, out, err = await asyncio.get_running_loop().run_in_executor(None, lambda: run_tool(
                [tool("ND_PRINT"), "-h", hub.out_uri, "--json", "--count", "1"]))
            assert rc == 1 and not out, (rc, out, err)
            feeder.cancel()
            for ws in (e1, e2, k1, k9):
                await ws.close()


def raw_upgrade(port, host, origin):
    """The status code of a hand-made upgrade request with these headers."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\nUpgrade: websocket\r\n"
               "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n" % (host, origin, key)).encode())
    resp = b""
    while b"\r\n" not in resp:
        c = s.recv(256)
        if not c:
            break
        resp += c
    s.close()
    return int(resp.split(b" ")[1]) if resp else 0


async def rebinding():
    """Without tokens, a page whose name merely resolves to the hub (DNS
    rebinding) is not the hub's own page; one named by address is."""
    with Hub() as hub:
        p = hub.out_port
        assert raw_upgrade(p, "rebind.example:%d" % p, "http://rebind.example:%d" % p) == 403
        assert raw_upgrade(p, "127.0.0.1:%d" % p, "http://127.0.0.1:%d" % p) == 101
        assert raw_upgrade(p, "localhost:%d" % p, "http://localhost:%d" % p) == 101
        assert raw_upgrade(p, "127.0.0.1:%d" % p, "http://127.0.0.1:%d" % (p + 1)) == 403
    with Hub("--allowed-origin", "http://rebind.example:8080") as hub:
        p = hub.out_port
        assert raw_upgrade(p, "rebind.example:%d" % p, "http://rebind.example:8080") == 101


async def all_tests():
    await main()
    await rebinding()


if __name__ == "__main__":
    run(all_tests())
