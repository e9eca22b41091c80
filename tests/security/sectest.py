"""sectest.py: shared pieces of the security tests.

Builds on tests/hub/hubtest.py (nd-hub on ephemeral loopback ports, its
log, clean stop) and adds: test certificates made with openssl in a
private temporary directory (a CA, a server certificate for localhost,
127.0.0.1 and ::1, a client certificate, and a rogue CA with its own
client), token files, HTTP(S) requests with a token, and running the
project's own clients (nd-sniff, nd-print) with a timeout.
"""
import json
import os
import re
import shutil
import ssl
import struct
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "hub"))
import hubtest  # noqa: E402
from hubtest import Hub, run, wait_until, dumpling, kitchen_hello  # noqa: E402,F401

hubtest.LISTEN_RE = re.compile(
    r"listening: kitchens on wss?://(\S+):(\d+), eaters on wss?://(\S+):(\d+)")

KITCHEN_TOKEN = "kt-" + os.urandom(12).hex()
ANY_KITCHEN_TOKEN = "ka-" + os.urandom(12).hex()
EATER_TOKEN = "et-" + os.urandom(12).hex()


def tool(name):
    """A program of ours, from the environment CMake sets (ND_SNIFF, ND_PRINT)."""
    return os.environ[name]


class Workdir:
    """A private temporary directory (0700), removed at exit."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="nd-sec.")
        os.chmod(self.path, 0o700)
        return self

    def __exit__(self, *a):
        shutil.rmtree(self.path, ignore_errors=True)
        return False

    def file(self, name, text, mode=0o600):
        p = os.path.join(self.path, name)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
        return p

    def p(self, name):
        return os.path.join(self.path, name)


def tokens(wd):
    """Writes the hub's token files and the clients' token files."""
    kt = wd.file("kitchen-tokens", "# token kitchen\n%s k1\n%s *\n" % (KITCHEN_TOKEN,
                                                                      ANY_KITCHEN_TOKEN))
    et = wd.file("eater-tokens", "%s *\n" % EATER_TOKEN)
    wd.file("k1.token", KITCHEN_TOKEN + "\n")
    wd.file("eater.token", EATER_TOKEN + "\n")
    wd.file("bad.token", "not-" + os.urandom(12).hex() + "\n")
    return kt, et


def _openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, timeout=60)


def _ca(d, name):
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "2",
             "-subj", "/CN=" + name, cwd=d)


def _leaf(d, ca, name, cn, ext):
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write(ext)
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn, cwd=d)
    _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
             "-CAcreateserial", "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext",
             cwd=d)


def certs(wd):
    """Makes the test PKI in wd; returns a dict of paths."""
    d = wd.path
    _ca(d, "ca")
    _ca(d, "rogue-ca")
    _leaf(d, "ca", "server", "localhost",
          "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n")
    _leaf(d, "ca", "client", "k1", "extendedKeyUsage=clientAuth\n")
    _leaf(d, "rogue-ca", "rogue", "k1", "extendedKeyUsage=clientAuth\n")
    for f in os.listdir(d):
        if f.endswith(".key"):
            os.chmod(os.path.join(d, f), 0o600)
    return {k: wd.p(k + ".pem") for k in ("ca", "rogue-ca", "server", "client", "rogue")} | {
        k + "_key": wd.p(k + ".key") for k in ("server", "client", "rogue")}


def client_ctx(pki, cert=None, key=None):
    ctx = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=pki["ca"])
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


def http_get(hub, path, token=None, ctx=None, url_token=False):
    """GET on the out-port; returns (status, body).  Never raises for HTTP errors."""
    scheme = "https" if ctx else "http"
    url = "%s://%s%s" % (scheme, hub.netloc(hub.out_port), path)
    headers = {}
    if token and url_token:
        url += ("&" if "?" in url else "?") + "token=" + token
    elif token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10, context=ctx) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def metrics(hub, token=None, ctx=None):
    """The hub's /metrics counters as a dict of name -> float (unlabelled only)."""
    st, body = http_get(hub, "/metrics", token, ctx)
    assert st == 200, "GET /metrics: %s" % st
    out = {}
    for line in body.decode().splitlines():
        if line.startswith("#") or "{" in line or not line.strip():
            continue
        k, v = line.split()[:2]
        out[k] = float(v)
    return out


def status(hub, token=None, ctx=None):
    st, body = http_get(hub, "/status", token, ctx)
    assert st == 200, "GET /status: %s" % st
    return json.loads(body)


def run_tool(args, timeout=30, env=None):
    """Runs a client program; returns (returncode, stdout, stderr)."""
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=timeout, env=e)
    sys.stderr.write("".join("  %s| %s\n" % (os.path.basename(args[0]), l)
                             for l in p.stderr.splitlines()[-15:]))
    return p.returncode, p.stdout, p.stderr


def _ip_checksum(b):
    s = sum(int.from_bytes(b[i:i + 2], "big") for i in range(0, len(b), 2))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def dns_pcap(path, names):
    """Writes a pcap with one DNS query (Ethernet/IPv4/UDP) per name."""
    out = [struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)]
    for i, name in enumerate(names):
        q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
        dns = struct.pack(">HHHHHH", 0x1000 + i, 0x0100, 1, 0, 0, 0) + q + struct.pack(">HH", 1, 1)
        udp = struct.pack(">HHHH", 40000 + i, 53, 8 + len(dns), 0) + dns
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0,
                         bytes([10, 0, 0, 1]), bytes([10, 0, 0, 53]))
        ip = ip[:10] + struct.pack(">H", _ip_checksum(ip)) + ip[12:]
        frame = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00" + ip + udp
        out.append(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(b"".join(out))
    return path


def sniff_args(hub_url, pcap, name="k1", *extra):
    """nd-sniff reading pcap into the hub with the DNS chef only."""
    return [tool("ND_SNIFF"), "-n", name, "-h", hub_url, "-r", pcap, "-m", os.environ["ND_CHEFS"],
            "-c", "DNSLookupChef", "-p", "0", "--flush-timeout", "10"] + list(extra)
