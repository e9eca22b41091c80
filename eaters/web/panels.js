// panels.js: one handler per chef, each turning dumplings into a panel.
// Everything from the network is written with textContent (never as
// HTML).  Lists and tables are bounded.  Handlers get the parsed dumpling;
// they ignore payloads that do not have the shape they expect.
'use strict';

const Panels = (function () {
  const $ = id => document.getElementById(id);
  const LIVE_MAX = 20, TOP_MAX = 10, ARP_MAX = 256;

  function num(v) {
    return typeof v === 'number' ? v.toLocaleString('en-US') : '–';
  }

  function clock(t) {
    const d = t ? new Date(t * 1000) : new Date();
    return d.toTimeString().slice(0, 8);
  }

  function bytes(v) {
    if (typeof v !== 'number') return '–';
    const u = ['B', 'kB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return (i ? v.toFixed(1) : String(v)) + ' ' + u[i];
  }

  // Replaces a table body with rows of cells; a cell is a string or
  // {text, num, cls}.  rowClass(i) may name a class for row i.
  function fillTable(id, rows, rowClass) {
    const body = $(id).tBodies[0];
    const frag = document.createDocumentFragment();
    rows.forEach((cells, i) => {
      const tr = document.createElement('tr');
      const cls = rowClass && rowClass(i);
      if (cls) tr.className = cls;
      for (const c of cells) {
        const td = document.createElement('td');
        const cell = typeof c === 'object' && c !== null ? c : { text: c };
        td.textContent = cell.text === undefined || cell.text === null ? '' : String(cell.text);
        if (cell.num) td.className = 'num';
        if (cell.cls) td.classList.add(cell.cls);
        if (cell.swatch) {
          const s = document.createElement('span');
          s.className = 'swatch';
          s.style.background = cell.swatch;
          td.prepend(s);
        }
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
  }

  function pushLive(id, when, text, cls) {
    const ol = $(id);
    const li = document.createElement('li');
    const w = document.createElement('span');
    w.className = 'when';
    w.textContent = clock(when);
    li.append(w, document.createTextNode(text));
    if (cls) li.className = cls;
    ol.prepend(li);
    while (ol.children.length > LIVE_MAX) ol.lastChild.remove();
  }

  // --- hub status (SystemStatusChef) -------------------------------------
  const hub = { last: null, kitchenStats: new Map() };

  function uptime(s) {
    s = Math.floor(s || 0);
    const p = n => String(n).padStart(2, '0');
    return p(Math.floor(s / 3600)) + ':' + p(Math.floor(s / 60) % 60) + ':' + p(s % 60);
  }

  // Returns true when the hub's uptime went backwards (it restarted).
  function status(p) {
    const prev = hub.last;
    const restarted = prev && p.server_uptime < prev.server_uptime;
    $('hub-uptime').textContent = uptime(p.server_uptime);
    $('hub-in').textContent = num(p.total_dumplings_in);
    $('hub-out').textContent = num(p.total_dumplings_out);
    $('hub-kitchens').textContent = num(p.dumpling_kitchen_count);
    $('hub-eaters').textContent = num(p.dumpling_eater_count);
    $('hub-dropped').textContent = num(p.total_dumplings_dropped);
    $('hub-invalid').textContent = num(p.total_dumplings_invalid);
    $('hub-version').textContent = p.hub_version || 'netdumplings';
    if (prev && !restarted && p.server_uptime > prev.server_uptime) {
      const dt = p.server_uptime - prev.server_uptime;
      $('hub-in-rate').textContent = ((p.total_dumplings_in - prev.total_dumplings_in) / dt).toFixed(1);
      $('hub-out-rate').textContent = ((p.total_dumplings_out - prev.total_dumplings_out) / dt).toFixed(1);
    }
    hub.last = p;
    renderKitchens();
    const eaters = (p.dumpling_eaters || []).map(e => {
      const fe = e.info_from_eater || {}, fh = e.info_from_hub || {};
      return [fe.eater_name, (fh.host || '') + ':' + (fh.port || ''),
              { text: num(fh.dumplings_out), num: true }, { text: num(fh.dropped), num: true },
              { text: num(fh.queued), num: true }];
    });
    fillTable('eaters', eaters);
    return restarted;
  }

  function renderKitchens() {
    const p = hub.last;
    if (!p) return;
    const rows = (p.dumpling_kitchens || []).map(k => {
      const fk = k.info_from_kitchen || {}, fh = k.info_from_hub || {};
      const seq = fh.seq ? fh.seq.gaps + ' / ' + fh.seq.missing : '–';
      const ks = hub.kitchenStats.get(fk.kitchen_name) || {};
      const kdrops = (ks.packets_dropped || 0) + (ks.dumplings_dropped || 0);
      return [fk.kitchen_name, (fh.host || '') + ':' + (fh.port || ''), fk.interface, fk.filter,
              (fk.chefs || []).map(c => String(c).split('.').pop()).join(', '),
              { text: num(fh.dumplings_in), num: true }, { text: num(fh.invalid_dumplings), num: true },
              seq, { text: num(ks.dropped_kernel), num: true },
              { text: num(ks.dropped_iface), num: true },
              { text: ks.packets_processed === undefined ? '–' : num(kdrops), num: true }];
    });
    fillTable('kitchens', rows);
  }

  function kitchenStats(d) {
    const s = d.payload && d.payload.kitchen_stats;
    if (!s) return;
    hub.kitchenStats.set(d.metadata.kitchen, s);
    renderKitchens();
  }

  // --- packets per layer (PacketCountChef) --------------------------------
  const layers = { chart: null, prev: new Map(), totals: new Map() };

  function packetCounts(d) {
    const counts = d.payload && d.payload.packet_counts;
    if (!counts || typeof counts !== 'object') return;
    if (!layers.chart) layers.chart = new LineChart($('layers-chart'), 60);
    const kitchen = d.metadata.kitchen || '';
    const prev = layers.prev.get(kitchen);
    const t = d.metadata.creation_time || Date.now() / 1000;
    if (prev && t > prev.t) {
      const rates = {};
      for (const [layer, n] of Object.entries(counts)) {
        const before = prev.counts[layer] || 0;
        if (n >= before) rates[layer] = (n - before) / (t - prev.t);
      }
      layers.chart.add(t, rates);
    }
    layers.prev.set(kitchen, { t, counts });
    layers.totals.set(kitchen, counts);
    const sum = new Map();
    for (const c of layers.totals.values())
      for (const [layer, n] of Object.entries(c)) sum.set(layer, (sum.get(layer) || 0) + n);
    const rows = [...sum.entries()].sort((a, b) => b[1] - a[1])
      .map(([layer, n]) => [{ text: layer, swatch: layers.chart.color(layer) }, { text: num(n), num: true }]);
    fillTable('layers-table', rows);
  }

  // --- DNS (DNSLookupChef) --------------------------------------------------
  function dns(d) {
    const p = d.payload || {};
    if (p.lookup && typeof p.lookup.hostname === 'string') {
      pushLive('dns-live', p.lookup.when, p.lookup.hostname);
    } else if (p.lookups_seen && typeof p.lookups_seen === 'object') {
      const top = Object.entries(p.lookups_seen)
        .sort((a, b) => (b[1].count - a[1].count) || (a[0] < b[0] ? -1 : 1))
        .slice(0, TOP_MAX)
        .map(([host, v]) => [host, { text: num(v.count), num: true }]);
      fillTable('dns-top', top);
    }
  }

  // --- ARP (ARPChef) ---------------------------------------------------------
  const arp = new Map(); // ip -> {hw, time, note, cls}

  function arpPacket(d) {
    const p = d.payload || {};
    if (!p.src_ip || !p.src_hw) return;
    const old = arp.get(p.src_ip);
    let cls = '';
    if (p.notes === 'source device is new' || !old) cls = 'new';
    if (p.notes === 'source device has new IP address' || (old && old.hw !== p.src_hw)) cls = 'changed';
    arp.delete(p.src_ip);
    arp.set(p.src_ip, { hw: p.src_hw, time: p.time, note: p.notes || (old ? old.note : ''), cls });
    while (arp.size > ARP_MAX) arp.delete(arp.keys().next().value);
    const entries = [...arp.entries()].reverse();
    fillTable('arp-table', entries.map(([ip, e]) => [ip, e.hw, clock(e.time), e.note || '']),
              i => entries[i][1].cls);
  }

  // --- flows (FlowChef) ------------------------------------------------------
  function flows(d) {
    const p = d.payload || {};
    if (Array.isArray(p.talkers)) {
      fillTable('talkers', p.talkers.slice(0, TOP_MAX).map(t => [
        t.ip, { text: bytes(t.bytes_sent), num: true }, { text: bytes(t.bytes_received), num: true },
        { text: num((t.packets_sent || 0) + (t.packets_received || 0)), num: true }]));
    }
    if (Array.isArray(p.conversations)) {
      const ep = (a, port) => (String(a).includes(':') ? '[' + a + ']' : a) + (port ? ':' + port : '');
      fillTable('conversations', p.conversations.slice(0, TOP_MAX).map(c => [
        c.proto_name || c.proto, ep(c.src, c.sport), ep(c.dst, c.dport),
        { text: bytes(c.interval_bytes), num: true }, { text: bytes(c.bytes), num: true }]));
    }
  }

  // --- TLS SNI and HTTP Host ---------------------------------------------------
  function hostTop(id, list) {
    fillTable(id, list.slice(0, TOP_MAX).map(h => [h.hostname, { text: num(h.count), num: true }]));
  }

  function sni(d) {
    const p = d.payload || {};
    if (p.tls_sni) pushLive('hosts-live', p.tls_sni.when, 'TLS  ' + p.tls_sni.hostname);
    if (Array.isArray(p.tls_sni_top)) hostTop('sni-top', p.tls_sni_top);
  }

  function httpHost(d) {
    const p = d.payload || {};
    if (p.http_host) pushLive('hosts-live', p.http_host.when,
                              'HTTP ' + (p.http_host.method ? p.http_host.method + ' ' : '') + p.http_host.hostname);
    if (Array.isArray(p.http_host_top)) hostTop('http-top', p.http_host_top);
  }

  return {
    status, kitchenStats,
    byChef: {
      PacketCountChef: packetCounts, DNSLookupChef: dns, ARPChef: arpPacket, FlowChef: flows,
      TLSSNIChef: sni, HTTPHostChef: httpHost, KitchenStatsChef: kitchenStats,
    },
  };
})();
