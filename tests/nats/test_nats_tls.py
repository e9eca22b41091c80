"""nd-hub to NATS over TLS with a client certificate: hubs with the CA and a
certificate share dumplings; a hub that does not trust the server's CA, or
has no client certificate, never connects (and keeps serving its own
eaters).

Usage: test_nats_tls.py ND-HUB
"""
import asyncio
import os
import subprocess
import sys
import time

import natstest as nt


def openssl(d, *args):
    subprocess.run(["openssl"] + list(args), cwd=d, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=60)


def make_pki(d):
    for ca in ("ca", "rogue"):
        openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", ca + ".key", "-out", ca + ".pem", "-days", "2",
                "-subj", "/CN=" + ca)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
                      ("client", "extendedKeyUsage=clientAuth\n")):
        with open(os.path.join(d, name + ".ext"), "w") as f:
            f.write(ext)
        openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name)
        openssl(d, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext")
    return {k: os.path.join(d, k) for k in ("ca.pem", "rogue.pem", "server.pem", "server.key",
                                             "client.pem", "client.key")}


async def main():
    cl = nt.NatsCluster(1)
    p = make_pki(cl.dir)
    cl.extra = ["--tlsverify", "--tlscert", p["server.pem"], "--tlskey", p["server.key"],
                "--tlscacert", p["ca.pem"]]
    url = "tls://127.0.0.1:%d" % cl.ports[0]
    with cl:
        tls = ["--nats-tls-ca", p["ca.pem"], "--nats-tls-cert", p["client.pem"],
               "--nats-tls-key", p["client.key"]]
        a = nt.start_hub(cl, 0, "--nats-hub-id", "tlsA", "--nats", url, *tls)
        b = nt.start_hub(cl, 0, "--nats-hub-id", "tlsB", "--nats", url, *tls)
        eb = await nt.Eater(b, "eb").start()
        ka = nt.Kitchen(a.in_uri, "KA")
        await ka.connect()
        for _ in range(100):
            await ka.send()
            await asyncio.sleep(0.05)
            if eb.seqs("KA"):
                break
        first = ka.seq + 1
        await ka.send(500)
        await nt.until(lambda: eb.seqs("KA")[-1:] == [first + 499], 30, "dumplings over TLS")
        assert [s for s in eb.seqs("KA") if s >= first] == list(range(first, first + 500))
        print("two hubs share dumplings over TLS with client certificates")

        for name, opts in (("rogue-ca", ["--nats-tls-ca", p["rogue.pem"], "--nats-tls-cert",
                                         p["client.pem"], "--nats-tls-key", p["client.key"]]),
                           ("no-client-cert", ["--nats-tls-ca", p["ca.pem"]])):
            h = nt.hubtest.Hub("--nats", url, "--nats-hub-id", name, *opts)
            h.__enter__()
            nt._procs.append(h.proc)
            time.sleep(3)
            assert not h.wait_log(r"nats: INFO: connected", 0.1), h.log()
            assert h.wait_log(r"no NATS server reachable", 0.1), h.log()
            e = await nt.Eater(h, "local").start()
            k = nt.Kitchen(h.in_uri, "local-k")
            await k.connect()
            await k.send(20)
            await nt.until(lambda: len(e.seqs("local-k")) == 20, 10, "local service without NATS")
            assert nt.nats_status(h)["connected"] is False
            await k.close()
            await e.stop()
            nt.stop_hub(h)
            print("%s: refused by the server, local service goes on" % name)
        await ka.close()
        await eb.stop()
        nt.stop_hub(a)
        nt.stop_hub(b)

    # libnats gives a connection up for good on a repeated authorization
    # error; the hub opens a new one until NATS lets it in.
    with nt.NatsCluster(1) as cl:
        cl.stop(0)
        cl.extra = ["--user", "nd", "--pass", "secret"]
        cl.start(0)
        h = nt.hubtest.Hub("--nats", cl.url(0), "--nats-hub-id", "noauth")
        h.__enter__()
        nt._procs.append(h.proc)
        assert h.wait_log(r"closed the connection for good", 20), h.log()
        cl.stop(0)
        cl.extra = []
        cl.start(0)
        assert h.wait_log(r"nats: INFO: connected to", 30), h.log()
        other = nt.start_hub(cl, 0, "--nats-hub-id", "other")
        e = await nt.Eater(other, "e").start()
        k = nt.Kitchen(h.in_uri, "K")
        await k.connect()
        for _ in range(100):
            await k.send()
            await asyncio.sleep(0.05)
            if e.seqs("K"):
                break
        assert e.seqs("K"), "no dumplings after the new connection"
        print("a connection closed for good is replaced once NATS accepts the hub")
        await k.close()
        await e.stop()
        nt.stop_hub(h)
        nt.stop_hub(other)
    print("PASS")


if __name__ == "__main__":
    nt.run(main())
    sys.exit(0)
