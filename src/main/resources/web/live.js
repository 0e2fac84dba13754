// seqcast live page: polls /api/series and /api/series/{id}, draws hand-written SVG charts.
// Written for tests too: each chart records what it drew in data-* attributes (data-points, ...).
(function () {
  'use strict';
  var POLL_MS = 1000;
  var NS = 'http://www.w3.org/2000/svg';
  var select = document.getElementById('series-select');
  var state = document.getElementById('engine-state');
  var status = document.getElementById('status');
  var wanted = new URLSearchParams(location.search).get('series') || decodeURIComponent(location.hash.slice(1));
  var current = null;
  var busy = false;

  function get(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); }
      return r.json();
    });
  }

  function refreshList() {
    return get('api/series').then(function (list) {
      state.textContent = 'engine: ' + list.engine;
      state.dataset.state = list.engine;
      var ids = list.series.map(function (s) { return s.series; });
      var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
      if (ids.join('\n') !== have.join('\n')) {
        select.innerHTML = '';
        list.series.forEach(function (s) {
          var o = document.createElement('option');
          o.value = s.series;
          o.textContent = s.series + (s.pipeline ? ' (' + s.pipeline + ')' : '');
          select.appendChild(o);
        });
      }
      if (!current || ids.indexOf(current) < 0) {
        var withData = list.series.filter(function (s) { return s.points > 0; }).map(function (s) { return s.series; });
        current = ids.indexOf(wanted) >= 0 ? wanted : (withData[0] || ids[0] || null);
      }
      if (current) { select.value = current; }
      if (!ids.length) { status.textContent = 'no watched series yet (metrics.series / metrics.series.max)'; }
    });
  }

  function refreshSeries() {
    if (!current) { return Promise.resolve(); }
    return get('api/series/' + encodeURIComponent(current)).then(draw, function (e) {
      status.textContent = current + ': no data yet';
    });
  }

  function tick() {
    if (busy) { return; }
    busy = true;
    refreshList().then(refreshSeries).catch(function (e) {
      status.textContent = 'engine unreachable: ' + e.message;
      state.dataset.state = 'UNREACHABLE';
      state.textContent = 'engine: unreachable';
    }).then(function () { busy = false; });
  }

  select.addEventListener('change', function () {
    current = select.value;
    history.replaceState(null, '', '#' + encodeURIComponent(current));
    tick();
  });

  // --- drawing -----------------------------------------------------------------------------------------------

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function finite(v) { return typeof v === 'number' && isFinite(v); }

  function frame(svg) {
    var w = Math.max(300, Math.round(svg.getBoundingClientRect().width) || 1000);
    var h = Math.round(svg.getBoundingClientRect().height) || 300;
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    svg.setAttribute('preserveAspectRatio', 'xMinYMin meet');
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    return { w: w, h: h, left: 64, right: 12, top: 8, bottom: 22 };
  }

  function scales(f, t0, t1, y0, y1) {
    if (t1 <= t0) { t1 = t0 + 1; }
    if (y1 <= y0) { y1 = y0 + 1; }
    return {
      x: function (t) { return f.left + (t - t0) / (t1 - t0) * (f.w - f.left - f.right); },
      y: function (v) { return f.top + (1 - (v - y0) / (y1 - y0)) * (f.h - f.top - f.bottom); },
      t0: t0, t1: t1, y0: y0, y1: y1
    };
  }

  // a polyline as a path; breaks where the value is missing
  function line(points, s, value) {
    var d = '', pen = false;
    points.forEach(function (p) {
      var v = value(p);
      if (!finite(v)) { pen = false; return; }
      d += (pen ? 'L' : 'M') + s.x(p.time).toFixed(1) + ' ' + s.y(v).toFixed(1);
      pen = true;
    });
    return d;
  }

  // a band between lower and upper, one closed shape per unbroken run
  function band(points, s, lower, upper) {
    var d = '', run = [];
    function flush() {
      if (run.length > 1) {
        d += 'M' + run.map(function (p) { return s.x(p.time).toFixed(1) + ' ' + s.y(upper(p)).toFixed(1); }).join('L');
        d += 'L' + run.slice().reverse().map(function (p) { return s.x(p.time).toFixed(1) + ' ' + s.y(lower(p)).toFixed(1); }).join('L') + 'Z';
      }
      run = [];
    }
    points.forEach(function (p) { if (finite(lower(p)) && finite(upper(p))) { run.push(p); } else { flush(); } });
    flush();
    return d;
  }

  function axes(svg, f, s, yTicks, format) {
    el('line', { x1: f.left, y1: f.h - f.bottom, x2: f.w - f.right, y2: f.h - f.bottom, 'class': 'axis' }, svg);
    el('line', { x1: f.left, y1: f.top, x2: f.left, y2: f.h - f.bottom, 'class': 'axis' }, svg);
    yTicks.forEach(function (v) {
      var y = s.y(v);
      el('line', { x1: f.left - 4, y1: y, x2: f.w - f.right, y2: y, 'class': 'axis', opacity: 0.35 }, svg);
      el('text', { x: f.left - 6, y: y + 4, 'text-anchor': 'end' }, svg).textContent = format(v);
    });
    for (var i = 0; i <= 4; i++) {
      var t = s.t0 + (s.t1 - s.t0) * i / 4;
      el('text', { x: s.x(t), y: f.h - 6, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' }, svg)
        .textContent = new Date(t).toISOString().slice(0, 16).replace('T', ' ');
    }
  }

  function ticks(lo, hi) {
    var out = [];
    for (var i = 0; i <= 4; i++) { out.push(lo + (hi - lo) * i / 4); }
    return out;
  }

  function number(v) {
    var a = Math.abs(v);
    return a >= 1e5 || (a > 0 && a < 1e-2) ? v.toExponential(1) : a >= 100 ? v.toFixed(0) : v.toFixed(2);
  }

  function alertSpans(alerts, lastTime) {
    var open = {}, spans = [];
    alerts.forEach(function (a) {
      if (a.lifecycle === 'resolved') {
        spans.push({ from: a.openedAt, to: a.time, severity: a.severity });
        delete open[a.alertId];
      } else {
        open[a.alertId] = a;
      }
    });
    Object.keys(open).forEach(function (k) { spans.push({ from: open[k].openedAt, to: lastTime, severity: open[k].severity }); });
    return spans;
  }

  function drawValues(data) {
    var svg = document.getElementById('chart-values');
    var f = frame(svg);
    var pts = data.points, ahead = data.forecast || [];
    if (!pts.length) { svg.dataset.points = 0; return; }
    var t0 = pts[0].time, t1 = ahead.length ? ahead[ahead.length - 1].time : pts[pts.length - 1].time;
    var lo = Infinity, hi = -Infinity;
    function take(v) { if (finite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
    pts.forEach(function (p) { take(p.observed); take(p.lower); take(p.upper); });
    ahead.forEach(function (p) { take(p.lower); take(p.upper); take(p.value); });
    var pad = (hi - lo) * 0.05 || 1;
    var s = scales(f, t0, t1, lo - pad, hi + pad);
    alertSpans(data.alerts, pts[pts.length - 1].time).forEach(function (a) {
      if (a.to < t0) { return; }
      var x0 = s.x(Math.max(a.from, t0)), x1 = Math.max(s.x(a.to), x0 + 2);
      el('rect', { x: x0, y: f.top, width: x1 - x0, height: f.h - f.top - f.bottom, 'class': 'alert-span' }, svg);
    });
    axes(svg, f, s, ticks(s.y0, s.y1), number);
    var bandPts = pts.filter(function (p) { return finite(p.lower) && finite(p.upper); }).length;
    el('path', { d: band(pts, s, function (p) { return p.lower; }, function (p) { return p.upper; }), 'class': 'band' }, svg);
    el('path', { d: line(pts, s, function (p) { return p.expected; }), 'class': 'expected' }, svg);
    el('path', { d: line(pts, s, function (p) { return p.observed; }), 'class': 'observed' }, svg);
    if (ahead.length) {
      var last = pts[pts.length - 1];
      var joined = [{ time: last.time, value: last.observed, lower: last.observed, upper: last.observed }].concat(ahead);
      el('path', { d: band(joined, s, function (p) { return p.lower; }, function (p) { return p.upper; }), 'class': 'ahead-band' }, svg);
      el('path', { d: line(joined, s, function (p) { return p.value; }), 'class': 'ahead' }, svg);
    }
    svg.dataset.points = pts.filter(function (p) { return finite(p.observed); }).length;
    svg.dataset.bandPoints = bandPts;
    svg.dataset.forecastSteps = ahead.length;
  }

  function drawScores(data) {
    var svg = document.getElementById('chart-score');
    var f = frame(svg);
    var pts = data.points;
    if (!pts.length) { svg.dataset.points = 0; return; }
    var s = scales(f, pts[0].time, (data.forecast && data.forecast.length) ? data.forecast[data.forecast.length - 1].time : pts[pts.length - 1].time, 0, 1);
    axes(svg, f, s, [0, 0.5, 1], function (v) { return v.toFixed(1); });
    el('path', { d: line(pts, s, function (p) { return p.score; }), 'class': 'score-line' }, svg);
    var marks = 0;
    data.alerts.forEach(function (a) {
      if (a.time < s.t0 || !finite(a.score)) { return; }
      var c = el('circle', { cx: s.x(a.time), cy: s.y(a.score), r: a.lifecycle === 'opened' ? 4 : 2.5, 'class': 'alert-mark' }, svg);
      el('title', {}, c).textContent = a.lifecycle + ' ' + a.severity;
      marks++;
    });
    svg.dataset.points = pts.filter(function (p) { return finite(p.score); }).length;
    svg.dataset.alertMarks = marks;
  }

  function drawAlerts(data) {
    var table = document.getElementById('alerts');
    var body = table.tBodies[0];
    body.innerHTML = '';
    data.alerts.slice().reverse().forEach(function (a) {
      var tr = document.createElement('tr');
      tr.className = a.lifecycle;
      [new Date(a.time).toISOString().replace('T', ' ').slice(0, 19), a.lifecycle, a.severity,
        finite(a.observed) ? number(a.observed) : '', finite(a.score) ? a.score.toFixed(4) : '',
        finite(a.peakScore) ? a.peakScore.toFixed(4) : '', a.alertId].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!data.alerts.length) {
      body.innerHTML = '<tr><td colspan="7">no alerts in the recent past of this series</td></tr>';
    }
    table.dataset.rows = data.alerts.length;
  }

  function draw(data) {
    drawValues(data);
    drawScores(data);
    drawAlerts(data);
    if (finite(data.coverage)) {
      document.getElementById('coverage-label').textContent = Math.round(data.coverage * 100) + '% interval';
    }
    if (data.model) {
      document.getElementById('model').textContent = 'model ' + data.model.name + ' ' + data.model.version;
    }
    var last = data.points[data.points.length - 1];
    status.textContent = data.points.length + ' points' + (last ? ', last event time ' +
      new Date(last.time).toISOString().replace('T', ' ').slice(0, 19) : '') + ', updated ' +
      new Date().toLocaleTimeString();
    document.body.dataset.series = data.series;
    document.body.dataset.ready = 'true';
  }

  tick();
  setInterval(tick, POLL_MS);
})();
