"""TLS on both hub ports, with a test PKI made by openssl.

wss:// and https:// with a certificate for localhost/127.0.0.1/::1; our
clients verify it with --ca-file and refuse it without (a clear line
naming the verification error), --insecure connects and says so loudly;
mutual TLS with --tls-ca admits only clients with a certificate from that
CA (a rogue CA's client is refused and counted); a world-readable key
stops the hub; the exposure warning appears for a non-loopback address
without TLS and tokens and not with them.
"""
import asyncio
import json
import os
import re
import ssl
import subprocess

import websockets

from sectest import (EATER_TOKEN, Hub, Workdir, certs, client_ctx, dns_pcap, dumpling,
                     http_get, kitchen_hello, metrics, run, run_tool, sniff_args, tokens, tool)


async def recv_chef(ws, chef, timeout=15):
    end = asyncio.get_running_loop().time() + timeout
    while True:
        left = end - asyncio.get_running_loop().time()
        assert left > 0, "no %s dumpling" % chef
        d = json.loads(await asyncio.wait_for(ws.recv(), left))
        if d["metadata"]["chef"] == chef:
            return d


def tool_run(args, timeout=30):
    return asyncio.get_running_loop().run_in_executor(None, lambda: run_tool(args, timeout))


async def tls_hub(wd, pki):
    kt, et = tokens(wd)
    with Hub("--tls-cert", pki["server"], "--tls-key", pki["server_key"],
             "--kitchen-tokens", kt, "--eater-tokens", et, "-f", "0.2") as hub:
        ctx = client_ctx(pki)
        wss_in = "wss://localhost:%d" % hub.in_port
        wss_out = "wss://localhost:%d" % hub.out_port
        auth = {"Authorization": "Bearer " + EATER_TOKEN}
        assert hub.wait_log(r"listening: kitchens on wss://127\.0\.0\.1:\d+, eaters on wss://")
        assert not hub.wait_log(r"SECURITY WARNING", 0.1)

        eater = await websockets.connect(wss_out, ssl=ctx, extra_headers=auth, open_timeout=10)
        await eater.send(json.dumps({"eater_name": "tls-eater"}))
        assert http_get(hub, "/status", EATER_TOKEN, ctx)[0] == 200

        # Plain ws:// to a TLS port gets nowhere.
        try:
            ws = await websockets.connect("ws://127.0.0.1:%d" % hub.out_port, open_timeout=5,
                                          extra_headers=auth)
            await ws.close()
            raise AssertionError("plain ws:// accepted on a TLS port")
        except (websockets.exceptions.InvalidMessage, websockets.exceptions.InvalidHandshake,
                OSError, asyncio.TimeoutError, EOFError):
            pass

        # nd-sniff over wss with its token and the CA: the dumplings arrive.
        pcap = dns_pcap(wd.p("dns.pcap"), ["tls-%d.example.com" % i for i in range(3)])
        rc, _, err = await tool_run(sniff_args(wss_in, pcap, "k1", "--token-file",
                                               wd.p("k1.token"), "--ca-file", pki["ca"]))
        assert rc == 0 and re.search(r" sent=[1-9]", err), err
        for _ in range(3):
            await recv_chef(eater, "DNSLookupChef")

        # Without the CA (the system store does not know it): refused,
        # with the verification error in words.
        rc, _, err = await tool_run(sniff_args(wss_in, pcap, "k1", "--token-file",
                                               wd.p("k1.token"), "--flush-timeout", "1"))
        assert "sent=0" in err and "certificate was refused" in err, err
        # --insecure connects, and says loudly that it is insecure.
        rc, _, err = await tool_run(sniff_args(wss_in, pcap, "k1", "--token-file",
                                               wd.p("k1.token"), "--insecure"))
        assert rc == 0 and re.search(r" sent=[1-9]", err) and "*** INSECURE ***" in err, err

        # nd-print over wss: with the CA it reads, without it is refused.
        kitchen = await websockets.connect(wss_in, ssl=ctx, open_timeout=10, extra_headers={
            "Authorization": "Bearer " + open(wd.p("k1.token")).read().strip()})
        await kitchen.send(kitchen_hello("k1"))

        async def feed():
            for i in range(300):
                await kitchen.send(dumpling("TLSChef", "k1", seq=i))
                await asyncio.sleep(0.05)
        feeder = asyncio.create_task(feed())
        rc, out, err = await tool_run([tool("ND_PRINT"), "-h", wss_out, "--ca-file", pki["ca"],
                                       "--token-file", wd.p("eater.token"), "--json",
                                       "--count", "2", "-c", "TLSChef"])
        assert rc == 0 and len(out.splitlines()) == 2, (rc, out, err)
        rc, out, err = await tool_run([tool("ND_PRINT"), "-h", wss_out, "--token-file",
                                       wd.p("eater.token"), "--json", "--count", "1"])
        assert rc == 1 and not out and "certificate was refused" in err, err
        feeder.cancel()
        await kitchen.close()
        await eater.close()


async def mutual_tls_hub(wd, pki):
    with Hub("--tls-cert", pki["server"], "--tls-key", pki["server_key"],
             "--tls-ca", pki["ca"]) as hub:
        wss_out = "wss://localhost:%d" % hub.out_port
        good = client_ctx(pki, pki["client"], pki["client_key"])
        ws = await websockets.connect(wss_out, ssl=good, open_timeout=10)
        await ws.send(json.dumps({"eater_name": "mtls"}))
        for name, ctx in (("no certificate", client_ctx(pki)),
                          ("rogue CA", client_ctx(pki, pki["rogue"], pki["rogue_key"]))):
            try:
                bad = await websockets.connect(wss_out, ssl=ctx, open_timeout=10)
                # TLS 1.3 reports a refused client certificate after the
                # handshake: the connection must not stay up.
                await asyncio.wait_for(bad.recv(), 5)
                raise AssertionError("%s: connection accepted" % name)
            except (ssl.SSLError, OSError, websockets.exceptions.ConnectionClosed,
                    websockets.exceptions.InvalidMessage, EOFError):
                pass
        assert hub.wait_log(r"client certificate refused: ")
        # nd-sniff with its client certificate gets in; without, it does not.
        pcap = dns_pcap(wd.p("mtls.pcap"), ["mtls-%d.example.com" % i for i in range(3)])
        wss_in = "wss://localhost:%d" % hub.in_port
        rc, _, err = await tool_run(sniff_args(wss_in, pcap, "k1", "--ca-file", pki["ca"],
                                               "--cert", pki["client"], "--key",
                                               pki["client_key"]))
        assert rc == 0 and re.search(r" sent=[1-9]", err), err
        await recv_chef(ws, "DNSLookupChef")
        rc, _, err = await tool_run(sniff_args(wss_in, pcap, "k1", "--ca-file", pki["ca"],
                                               "--flush-timeout", "1"))
        assert "sent=0" in err, err
        # nd-print likewise.
        async def feed():
            k = await websockets.connect("wss://localhost:%d" % hub.in_port, ssl=good,
                                         open_timeout=10)
            await k.send(kitchen_hello("k-mtls"))
            for i in range(300):
                await k.send(dumpling("MtlsChef", "k-mtls", seq=i + 1))
                await asyncio.sleep(0.05)
        feeder = asyncio.create_task(feed())
        rc, out, err = await tool_run([tool("ND_PRINT"), "-h", wss_out, "--ca-file", pki["ca"],
                                       "--cert", pki["client"], "--key", pki["client_key"],
                                       "--json", "--count", "2", "-c", "MtlsChef"])
        assert rc == 0 and len(out.splitlines()) == 2, (rc, out, err)
        rc, out, err = await tool_run([tool("ND_PRINT"), "-h", wss_out, "--ca-file", pki["ca"],
                                       "--json", "--count", "1"])
        assert rc == 1 and not out, (rc, out, err)
        feeder.cancel()
        m = metrics(hub, ctx=good)
        assert m["nd_hub_tls_refused_total"] >= 1, m
        await ws.close()


def bad_key_and_warnings(wd, pki):
    os.chmod(pki["server_key"], 0o644)
    p = subprocess.run([hubbin(), "-a", "127.0.0.1", "-i", "0", "-o", "0", "--no-web",
                        "--tls-cert", pki["server"], "--tls-key", pki["server_key"]],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=20)
    assert p.returncode == 1 and "--tls-key" in p.stderr and "readable" in p.stderr, p.stderr
    os.chmod(pki["server_key"], 0o600)
    p = subprocess.run([hubbin(), "--tls-cert", pki["server"]], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=20)
    assert p.returncode == 2, p.stderr
    # Every address, not loopback, without TLS and tokens: the warning.
    with Hub(address="0.0.0.0") as hub:
        assert hub.wait_log(r"dumpling hub \S+ running")  # signal handlers are in place
        assert hub.wait_log(r"\*\*\* SECURITY WARNING \*\*\* listening on 0\.0\.0\.0, which is "
                            r"not a loopback address, without TLS, kitchen tokens and eater tokens")
    with Hub(address="127.0.0.1") as hub:
        assert hub.wait_log(r"dumpling hub \S+ running")
        assert not hub.wait_log(r"SECURITY WARNING", 0.5)


def hubbin():
    import sys
    return sys.argv[1]


async def main():
    with Workdir() as wd:
        pki = certs(wd)
        await tls_hub(wd, pki)
        await mutual_tls_hub(wd, pki)
        bad_key_and_warnings(wd, pki)


if __name__ == "__main__":
    run(main())
