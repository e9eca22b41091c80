// dashboard.js: the connection.  Opens a WebSocket to the hub that served
// this page (same host and port; wss when the page came over https), says
// {"eater_name": "dashboard"}, and hands each dumpling to its chef's panel
// (panels.js).  When the connection drops it says so on screen and
// reconnects with a doubling delay (0.5 s to 5 s); when the hub's uptime
// goes backwards it says the hub restarted.  A "token" argument in the
// page's URL is passed on to the hub.
'use strict';

(function () {
  const $ = id => document.getElementById(id);
  const state = { ws: null, delay: 500, reconnects: 0, seen: 0, everConnected: false, timer: null };

  function hubUrl() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const token = new URLSearchParams(location.search).get('token');
    return scheme + location.host + '/' + (token ? '?token=' + encodeURIComponent(token) : '');
  }

  function setState(cls, text, detail) {
    const s = $('conn-state');
    s.className = 'state ' + cls;
    s.textContent = text;
    $('conn-detail').textContent = detail || '';
  }

  function banner(text, cls) {
    const b = $('conn-banner');
    b.hidden = !text;
    b.className = cls || '';
    b.textContent = text || '';
  }

  function onDumpling(d) {
    state.seen++;
    $('seen').textContent = state.seen.toLocaleString('en-US');
    const chef = d.metadata.chef;
    if (chef === 'SystemStatusChef') {
      if (Panels.status(d.payload || {}))
        banner('The hub restarted at ' + new Date().toTimeString().slice(0, 8) +
               '; reconnected and receiving again.', 'restarted');
      return;
    }
    const handler = Panels.byChef[chef];
    if (handler) handler(d);
  }

  function connect() {
    state.timer = null;
    let ws;
    try {
      ws = new WebSocket(hubUrl());
    } catch (e) {
      scheduleReconnect(String(e));
      return;
    }
    state.ws = ws;
    setState(state.everConnected ? 'reconnecting' : 'connecting',
             state.everConnected ? 'reconnecting…' : 'connecting…', location.host);
    ws.onopen = () => {
      ws.send(JSON.stringify({ eater_name: 'dashboard' }));
      if (state.everConnected) {
        state.reconnects++;
        $('reconnects').textContent = state.reconnects;
        banner('Reconnected to the hub at ' + new Date().toTimeString().slice(0, 8) +
               ' after the connection was lost.', 'reconnected');
      }
      state.everConnected = true;
      state.delay = 500;
      setState('connected', 'connected', 'ws://' + location.host + '/');
    };
    ws.onmessage = ev => {
      let d;
      try {
        d = JSON.parse(ev.data);
      } catch (e) {
        return; // the hub validates dumplings; ignore anything else
      }
      if (d && d.metadata && typeof d.metadata.chef === 'string') onDumpling(d);
    };
    ws.onclose = ev => {
      if (state.ws !== ws) return;
      state.ws = null;
      scheduleReconnect('code ' + ev.code + (ev.reason ? ' ' + ev.reason : ''));
    };
  }

  function scheduleReconnect(why) {
    if (state.timer) return;
    const secs = (state.delay / 1000).toFixed(1);
    setState('lost', 'disconnected', why);
    banner('Connection to the hub lost (' + why + '); reconnecting in ' + secs + ' s…', 'lost');
    state.timer = setTimeout(connect, state.delay);
    state.delay = Math.min(state.delay * 2, 5000);
  }

  connect();
})();
