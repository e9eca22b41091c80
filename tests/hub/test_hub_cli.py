"""nd-hub's command line: --help, --version, bad values exit 2, a port in
use exits 1 with a message naming it."""
import socket
import subprocess

from hubtest import hub_binary, run


def call(*args):
    p = subprocess.run([hub_binary()] + list(args), capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout, p.stderr


async def main():
    rc, out, _ = call("--help")
    assert rc == 0 and "--in-port" in out and "--status-freq" in out and "--web-root" in out, out
    rc, out, _ = call("--version")
    assert rc == 0 and out.startswith("nd-hub (netdumplings-c) "), out
    for bad in (["-i", "abc"], ["-o", "70000"], ["-f", "0"], ["--queue-bytes", "12Q"],
                ["--too-slow", "-1"], ["--no-such-flag"], ["extra"], ["--log-level", "loud"],
                ["--max-dumpling-bytes", "2M", "--max-message-bytes", "1M"]):
        rc, out, err = call(*bad)
        assert rc == 2, (bad, rc, err)
        assert err.strip(), bad
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        rc, _, err = call("-a", "127.0.0.1", "-i", str(port), "-o", "0", "--no-web")
        assert rc == 1 and "cannot listen" in err and str(port) in err, (rc, err)


run(main())
