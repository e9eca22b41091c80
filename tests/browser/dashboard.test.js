// dashboard.test.js: drives the dashboard in headless Debian Chromium with
// playwright-core.  Run by test_dashboard.py, which owns the hub and the
// test kitchen and restarts the hub when this prints RESTART_HUB.
//
//   node dashboard.test.js synthetic|capture http://127.0.0.1:PORT/ OUTDIR
//
// Both modes: the page loads from the hub and fetches nothing from anywhere
// else, and raises no script error.  synthetic: every panel fills with the
// values the test kitchen sends (ND_EXPECT); after a hub restart the page
// shows the loss, reconnects by itself, says so, and fills again; writes
// OUTDIR/dashboard.png.  capture: prints READY once connected (the caller
// then starts nd-sniff replaying a capture), waits until every panel has
// filled, prints SNAPSHOT and the tables as JSON for the caller to check
// against the dumplings, and writes OUTDIR/dashboard-capture.png.
'use strict';

const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [mode, url, outdir] = process.argv.slice(2);
const expect = JSON.parse(process.env.ND_EXPECT || '{}');
const T = 20000; // generous: the machine is shared

function check(cond, what) {
  if (!cond) throw new Error('check failed: ' + what);
  console.log('ok   ' + what);
}

async function rowTexts(page, sel) {
  return page.$$eval(sel + ' tbody tr', trs => trs.map(tr => [...tr.cells].map(td => td.textContent)));
}

async function rowWith(page, sel, first) {
  const h = await page.waitForFunction(([s, f]) => {
    for (const tr of document.querySelectorAll(s + ' tbody tr'))
      if (tr.cells[0] && tr.cells[0].textContent === f)
        return { cells: [...tr.cells].map(td => td.textContent), cls: tr.className };
    return null;
  }, [sel, first], { timeout: T });
  return h.jsonValue();
}

async function panelsFilled(page, when) {
  const k = await rowWith(page, '#kitchens', expect.kitchen);
  check(k.cells[2] === expect.interface && k.cells[3] === expect.filter,
        when + ': kitchen row shows interface and filter');
  check(k.cells[4].includes('PacketCountChef') && k.cells[4].includes('FlowChef'),
        when + ': kitchen row lists its chefs');
  await page.waitForFunction(([sel, a, b]) => {
    const tr = [...document.querySelectorAll(sel + ' tbody tr')].find(r => r.cells[0].textContent === a);
    return tr && tr.cells[8].textContent === b[0] && tr.cells[9].textContent === b[1];
  }, ['#kitchens', expect.kitchen, [expect.kernel_drops, expect.iface_drops]], { timeout: T });
  check(true, when + ': kitchen drop counters from KitchenStatsChef');
  const e = await rowWith(page, '#eaters', 'dashboard');
  check(e.cells.length === 5, when + ': the dashboard is listed among the eaters');
  await page.waitForFunction(() => Number(document.getElementById('hub-in').textContent.replace(/,/g, '')) > 0,
                             null, { timeout: T });
  check(true, when + ': hub dumplings-in counter is filled');
  await page.waitForFunction(() => /^\d+\.\d$/.test(document.getElementById('hub-in-rate').textContent),
                             null, { timeout: T });
  check(true, when + ': hub rates are computed');

  const top = await rowWith(page, '#dns-top', expect.dns_top[0]);
  check(top.cells[1] === expect.dns_top[1], when + ': most looked-up name and its count');
  await page.waitForFunction(names => {
    const text = document.getElementById('dns-live').textContent;
    return names.every(n => text.includes(n));
  }, expect.dns_live, { timeout: T });
  check(true, when + ': live DNS lookups appear');

  const changed = await rowWith(page, '#arp-table', expect.arp_changed[0]);
  check(changed.cells[1] === expect.arp_changed[1] && changed.cls === 'changed',
        when + ': ARP device with a changed address is highlighted as changed');
  const fresh = await rowWith(page, '#arp-table', expect.arp_new[0]);
  check(fresh.cells[1] === expect.arp_new[1] && fresh.cls === 'new',
        when + ': new ARP device is highlighted as new');

  const talker = await rowWith(page, '#talkers', expect.talker[0]);
  check(JSON.stringify(talker.cells) === JSON.stringify(expect.talker), when + ': top talker row');
  const conv = await rowWith(page, '#conversations', expect.conversation[0]);
  check(JSON.stringify(conv.cells.slice(0, 4)) === JSON.stringify(expect.conversation),
        when + ': top conversation row');
  const sni = await rowWith(page, '#sni-top', expect.sni_top[0]);
  check(sni.cells[1] === expect.sni_top[1], when + ': TLS SNI top name');
  const http = await rowWith(page, '#http-top', expect.http_top[0]);
  check(http.cells[1] === expect.http_top[1], when + ': HTTP Host top name');

  await page.waitForFunction(layers => {
    const names = [...document.querySelectorAll('#layers-table tbody tr')].map(tr => tr.cells[0].textContent);
    return layers.every(l => names.includes(l));
  }, expect.layers, { timeout: T });
  const layers = await rowTexts(page, '#layers-table');
  check(layers[0][0] === 'Ethernet', when + ': layer table sorted, Ethernet first');
  // The chart has drawn lines: some pixels in the series colours.
  await page.waitForFunction(() => {
    const c = document.getElementById('layers-chart');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3] > 0 && Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) coloured++;
    return coloured > 100;
  }, null, { timeout: T });
  check(true, when + ': packets-per-layer chart has drawn its lines');
}

async function synthetic(page) {
  await panelsFilled(page, 'first hub');

  console.log('RESTART_HUB');
  await page.waitForFunction(() => document.getElementById('conn-state').classList.contains('lost'),
                             null, { timeout: T });
  const lostBanner = await page.textContent('#conn-banner');
  check(/Connection to the hub lost/.test(lostBanner), 'the loss is shown on screen');
  await page.screenshot({ path: path.join(outdir, 'dashboard-lost.png') });
  await page.waitForFunction(() => document.getElementById('reconnects').textContent === '1' &&
                             document.getElementById('conn-state').textContent === 'connected',
                             null, { timeout: 45000 });
  check(true, 'the page reconnected by itself');
  // Empty every panel, so what follows proves they refill from the new hub.
  await page.evaluate(() => {
    document.querySelectorAll('tbody, ol.live').forEach(el => el.replaceChildren());
  });
  const banner = await page.textContent('#conn-banner');
  check(/Reconnected to the hub|The hub restarted/.test(banner), 'the reconnect is shown on screen');
  // A fresh hub: its uptime restarts near zero.
  await page.waitForFunction(() => /^00:00:0\d$/.test(document.getElementById('hub-uptime').textContent),
                             null, { timeout: T });
  check(true, 'status from the restarted hub');
  await panelsFilled(page, 'restarted hub');
  await page.waitForTimeout(600); // let the chart draw a few more points
  await page.screenshot({ path: path.join(outdir, 'dashboard.png') });
  console.log('screenshot: ' + path.join(outdir, 'dashboard.png'));
}

async function tableRows(page, id) {
  return page.$$eval('#' + id + ' tbody tr', trs => trs.map(tr => [...tr.cells].map(td => td.textContent)));
}

async function captureMode(page) {
  console.log('READY');
  await rowWith(page, '#kitchens', 'capture-kitchen');
  check(true, 'the replaying kitchen is listed');
  const need = { 'dns-top': 3, 'sni-top': 1, 'http-top': 1, talkers: 1, conversations: 1,
                 'layers-table': 3, 'arp-table': 1 };
  await page.waitForFunction(need => Object.entries(need).every(([id, n]) =>
    document.querySelectorAll('#' + id + ' tbody tr').length >= n) &&
    document.querySelectorAll('#dns-live li').length > 0, need, { timeout: 60000 });
  check(true, 'every panel filled from the capture');
  // A few more intervals, so the chart has lines and the rates are set.
  await page.waitForFunction(() => document.getElementById('hub-in-rate').textContent !== '–',
                             null, { timeout: T });
  await page.waitForTimeout(2500);
  const snap = {};
  for (const id of Object.keys(need)) snap[id] = await tableRows(page, id);
  snap['dns-live'] = await page.$$eval('#dns-live li', lis => lis.map(li => li.childNodes[1].textContent));
  console.log('SNAPSHOT ' + JSON.stringify(snap));
  await page.screenshot({ path: path.join(outdir, 'dashboard-capture.png') });
  console.log('screenshot: ' + path.join(outdir, 'dashboard-capture.png'));
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nd-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1100 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const origin = new URL(url);
  const foreign = [];
  const errors = [];
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('request', r => {
      const u = new URL(r.url());
      if (u.host !== origin.host) foreign.push(r.url());
    });
    page.on('websocket', ws => {
      if (new URL(ws.url()).host !== origin.host) foreign.push(ws.url());
    });
    page.on('pageerror', e => errors.push(String(e)));
    const t0 = Date.now();
    const resp = await page.goto(url, { waitUntil: 'load', timeout: T });
    console.log('page load: ' + (Date.now() - t0) + ' ms');
    check(resp && resp.status() === 200, 'index.html served by nd-hub');
    await page.waitForFunction(() => document.getElementById('conn-state').textContent === 'connected',
                               null, { timeout: T });
    check(true, 'the page connected to the hub');
    if (mode === 'capture') await captureMode(page);
    else await synthetic(page);
    check(foreign.length === 0, 'nothing fetched from other hosts (' + foreign.join(' ') + ')');
    check(errors.length === 0, 'no script errors (' + errors.join('; ') + ')');
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), e => {
  console.log('FAIL ' + (e && e.stack || e));
  process.exit(1);
});
