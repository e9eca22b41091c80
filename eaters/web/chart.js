// chart.js: a small line chart on a <canvas>, for packets per layer over
// time.  No library: a few dozen points per series, redrawn whole on each
// update.  Series keep at most `maxPoints` points; the y axis starts at 0
// and rounds its top to a "nice" number.
'use strict';

const LineChart = (function () {
  const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b',
                  '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#393b79', '#ad494a'];

  function niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function fmt(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (v >= 1e3) return (v / 1e3).toFixed(1) + 'k';
    return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }

  class Chart {
    constructor(canvas, maxPoints) {
      this.canvas = canvas;
      this.maxPoints = maxPoints || 60;
      this.series = new Map(); // name -> [{t, v}]
      this.colors = new Map();
    }

    color(name) {
      if (!this.colors.has(name))
        this.colors.set(name, COLORS[this.colors.size % COLORS.length]);
      return this.colors.get(name);
    }

    // Adds one point per series at time t (seconds); values: {name: number}.
    add(t, values) {
      for (const [name, v] of Object.entries(values)) {
        if (!this.series.has(name)) this.series.set(name, []);
        const s = this.series.get(name);
        s.push({ t, v });
        if (s.length > this.maxPoints) s.shift();
      }
      this.draw();
    }

    // The series names to draw: the `limit` largest by their latest value.
    visible(limit) {
      return [...this.series.entries()]
        .sort((a, b) => (b[1].at(-1)?.v || 0) - (a[1].at(-1)?.v || 0))
        .slice(0, limit).map(e => e[0]);
    }

    draw() {
      const c = this.canvas, dpr = window.devicePixelRatio || 1;
      const w = c.clientWidth || c.width, h = c.clientHeight || c.height;
      if (c.width !== Math.round(w * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
      const g = c.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      const names = this.visible(COLORS.length);
      const pts = names.flatMap(n => this.series.get(n));
      const L = 44, R = 8, T = 8, B = 20;
      g.font = '11px system-ui, sans-serif';
      g.fillStyle = '#777';
      if (!pts.length) {
        g.fillText('waiting for PacketCountChef dumplings…', L, h / 2);
        return;
      }
      const t0 = Math.min(...pts.map(p => p.t)), t1 = Math.max(...pts.map(p => p.t));
      const top = niceMax(Math.max(...pts.map(p => p.v)));
      const x = t => L + (t1 > t0 ? (t - t0) / (t1 - t0) : 1) * (w - L - R);
      const y = v => T + (1 - v / top) * (h - T - B);
      g.strokeStyle = '#e2dfd8';
      g.lineWidth = 1;
      for (let i = 0; i <= 4; i++) {
        const v = top * i / 4;
        g.beginPath(); g.moveTo(L, y(v)); g.lineTo(w - R, y(v)); g.stroke();
        g.fillText(fmt(v), 4, y(v) + 4);
      }
      g.fillText(Math.round(t1 - t0) + ' s', w - R - 30, h - 5);
      g.lineWidth = 2;
      for (const n of names) {
        const s = this.series.get(n);
        g.strokeStyle = this.color(n);
        g.beginPath();
        s.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p.v)) : g.moveTo(x(p.t), y(p.v))));
        if (s.length === 1) g.arc(x(s[0].t), y(s[0].v), 2, 0, 2 * Math.PI);
        g.stroke();
      }
    }
  }

  return Chart;
})();
