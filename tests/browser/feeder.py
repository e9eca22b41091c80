"""feeder.py: a test kitchen that feeds the dashboard known values.

Connects to a hub's kitchen port as netdumplings' kitchens do and, every
0.25 s, sends one round of dumplings from every chef the dashboard shows,
with values the browser test checks exactly (see EXPECT).  When the hub
goes away it keeps trying to reconnect until stopped, so it survives a hub
restart on the same port.
"""
import asyncio
import json
import threading
import time

import websockets

KITCHEN = "browser-kitchen"
CHEFS = ["packetcountchef.PacketCountChef", "dnslookupchef.DNSLookupChef", "arpchef.ARPChef",
         "flowchef.FlowChef", "tlssnichef.TLSSNIChef", "httphostchef.HTTPHostChef",
         "kitchenstatschef.KitchenStatsChef"]
DNS_NAMES = ["alpha.example", "beta.example", "gamma.example"]

# What the browser test expects to see (kept beside the data that makes it).
EXPECT = {
    "kitchen": KITCHEN,
    "interface": "lo",
    "filter": "tcp or udp or arp",
    "dns_top": ["alpha.example", "7"],
    "dns_live": DNS_NAMES,
    "arp_changed": ["10.0.0.1", "bb:bb:bb:bb:bb:01"],
    "arp_new": ["10.0.0.2", "aa:aa:aa:aa:aa:02"],
    "talker": ["10.0.0.5", "123.5 kB", "45.7 kB", "300"],
    "conversation": ["TCP", "10.0.0.5:40000", "[2001:db8::1]:443", "40.0 kB"],
    "sni_top": ["secure.example", "12"],
    "http_top": ["plain.example", "4"],
    "kernel_drops": "7",
    "iface_drops": "3",
    "layers": ["Ethernet", "IP", "TCP", "UDP"],
}


def dumpling(chef, payload, driver="packet"):
    return json.dumps({"metadata": {"chef": chef, "kitchen": KITCHEN,
                                    "creation_time": time.time(), "driver": driver},
                       "payload": payload})


def arp_round():
    def reply(ip, hw, notes):
        return dumpling("ARPChef", {"operation": "reply", "src_hw": hw, "src_ip": ip,
                                    "dst_hw": "ff:ff:ff:ff:ff:ff", "dst_ip": "10.0.0.254",
                                    "time": time.time(), "notes": notes})
    return [reply("10.0.0.1", "aa:aa:aa:aa:aa:01", "source device is new"),
            reply("10.0.0.2", "aa:aa:aa:aa:aa:02", "source device is new"),
            reply("10.0.0.1", "bb:bb:bb:bb:bb:01", "source device has new IP address")]


def interval_round(n):
    counts = {"Ethernet": 100 * n, "IP": 90 * n, "TCP": 50 * n, "UDP": 40 * n}
    return [
        dumpling("PacketCountChef", {"packet_counts": counts}, "interval"),
        dumpling("DNSLookupChef", {"lookups_seen": {
            "alpha.example": {"count": 7, "latest": time.time()},
            "beta.example": {"count": 3, "latest": time.time()},
            "gamma.example": {"count": 1, "latest": time.time()}}}, "interval"),
        dumpling("FlowChef", {
            "interval": 0.25, "packets": 300, "bytes": 169156,
            "conversations": [{"proto": 6, "proto_name": "TCP", "src": "10.0.0.5", "sport": 40000,
                               "dst": "2001:db8::1", "dport": 443, "packets": 300,
                               "bytes": 90000, "interval_packets": 100,
                               "interval_bytes": 40000, "first_seen": time.time() - 10,
                               "last_seen": time.time()}],
            "talkers": [{"ip": "10.0.0.5", "bytes_sent": 123456, "bytes_received": 45678,
                         "packets_sent": 200, "packets_received": 100}],
            "flows_tracked": 1, "flows_evicted": 0, "talkers_evicted": 0}, "interval"),
        dumpling("TLSSNIChef", {"tls_sni_top": [{"hostname": "secure.example", "count": 12,
                                                 "latest": time.time()}],
                                "hosts_tracked": 1, "hosts_evicted": 0}, "interval"),
        dumpling("HTTPHostChef", {"http_host_top": [{"hostname": "plain.example", "count": 4,
                                                     "latest": time.time()}],
                                  "hosts_tracked": 1, "hosts_evicted": 0}, "interval"),
        dumpling("KitchenStatsChef", {"kitchen_stats": {
            "interval": 0.25, "received": 1000 * n, "dropped_kernel": 7, "dropped_iface": 3,
            "packets_processed": 1000 * n, "packets_dropped": 0, "dumplings_sent": 10 * n,
            "dumplings_dropped": 0}}, "interval"),
    ]


def packet_round(n):
    name = DNS_NAMES[n % len(DNS_NAMES)]
    return [
        dumpling("DNSLookupChef", {"lookup": {"hostname": name, "when": time.time()}}),
        dumpling("TLSSNIChef", {"tls_sni": {"hostname": "secure.example", "when": time.time(),
                                            "client": "10.0.0.5", "server": "2001:db8::1",
                                            "server_port": 443}}),
        dumpling("HTTPHostChef", {"http_host": {"hostname": "plain.example", "method": "GET",
                                                "when": time.time(), "client": "10.0.0.5",
                                                "server": "10.0.0.9", "server_port": 80}}),
    ]


class Feeder:
    """Runs the feeding loop in a thread until stop()."""

    def __init__(self, port):
        self.port = port
        self.stopping = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self.thread.join(10)

    async def _run(self):
        n = 0
        while not self.stopping.is_set():
            try:
                async with websockets.connect("ws://127.0.0.1:%d/" % self.port,
                                              compression=None, open_timeout=5) as ws:
                    self.connections += 1
                    await ws.send(json.dumps({"kitchen_name": KITCHEN, "interface": "lo",
                                              "filter": "tcp or udp or arp", "chefs": CHEFS,
                                              "poke_interval": 0.25}))
                    while not self.stopping.is_set():
                        n += 1
                        # ARP dumplings are packet dumplings (the hub retains
                        # none): repeat them for pages that connect later.
                        arp = arp_round() if n % 8 == 1 else []
                        for t in arp + packet_round(n) + interval_round(n):
                            await ws.send(t)
                        await asyncio.sleep(0.25)
            except (OSError, asyncio.TimeoutError, websockets.WebSocketException):
                await asyncio.sleep(0.2)
