/**
 * The dashboard: one self-contained page (inline CSS, script and SVG) that reads only the
 * public API of this service. Data reaches the DOM through textContent, never as HTML.
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Incidents dashboard</title>
<style>
  :root { --ink: #1d2733; --muted: #6b7785; --line: #d9dee4; --bg: #f6f7f9; --accent: #2f6db5; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
  header { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); }
  header h1 { font-size: 18px; margin: 0 12px 0 0; }
  header label { color: var(--muted); }
  main { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; padding: 16px 20px; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; min-width: 0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  .muted { color: var(--muted); }
  .legend span { display: inline-flex; align-items: center; gap: 4px; margin-right: 10px; font-size: 12px; }
  .legend i { width: 10px; height: 10px; display: inline-block; border-radius: 2px; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--muted); font-weight: 600; }
  tr.incident { cursor: pointer; }
  tr.incident:hover, tr.incident.selected { background: #eef4fb; }
  .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; background: #fde7c7; color: #7a4b00; margin-left: 4px; }
  .badge.merged { background: #e3e6ea; color: #444; }
  .num { font-variant-numeric: tabular-nums; }
  #lag.bad { color: #b02a2a; }
  #stale { display: none; color: #b02a2a; font-weight: 600; }
  #error { color: #b02a2a; }
  .flags { color: var(--muted); font-size: 12px; }
</style>
</head>
<body data-ready="false">
<header>
  <h1>Incidents</h1>
  <label>as of (UTC) <input id="asof" type="datetime-local" step="1"></label>
  <button id="now" type="button">now</button>
  <label>attacks per <select id="grain"><option value="day">day</option><option value="week">week</option></select></label>
  <span>projection lag: <strong id="lag" class="num">…</strong></span>
  <span id="stale">stale data</span>
  <span id="keybox" hidden><label>API key <input id="key" type="password" size="16"></label> <button id="usekey" type="button">use</button></span>
  <span id="error"></span>
</header>
<main>
  <section>
    <h2>Attacks per <span id="grain-label">day</span>, by method</h2>
    <div id="attacks-legend" class="legend"></div>
    <svg id="attacks-chart" width="100%" height="220" role="img" aria-label="attacks per period stacked by method"></svg>
    <table id="attacks-table"><thead><tr><th>period</th><th>attacks</th><th>by method</th></tr></thead><tbody></tbody></table>
    <p id="attacks-imprecise" class="muted"></p>
  </section>
  <section>
    <h2>Casualties (low – best – high)</h2>
    <svg id="casualty-chart" width="100%" height="40" role="img" aria-label="casualty tallies with uncertainty"></svg>
    <table id="casualty-table"><thead><tr><th>role</th><th>outcome</th><th>nationality</th><th>low / best / high</th></tr></thead><tbody></tbody></table>
  </section>
  <section class="wide">
    <h2>Incidents</h2>
    <table id="incident-table"><thead><tr><th>date</th><th>incident</th><th>kind / method</th><th>place</th><th>munitions</th><th>top perpetrator</th></tr></thead><tbody></tbody></table>
  </section>
  <section class="wide" id="detail" hidden>
    <h2>Incident <span id="detail-id"></span> <span id="detail-status" class="muted"></span></h2>
    <h3>Discrepancies between sources</h3>
    <table id="discrepancy-table"><thead><tr><th>field</th><th>figure</th><th>sources</th></tr></thead><tbody></tbody></table>
    <h3>Timeline</h3>
    <table id="timeline-table"><thead><tr><th>time</th><th>event</th><th>source</th><th>flags</th></tr></thead><tbody></tbody></table>
  </section>
</main>
<script>
(function () {
  'use strict';
  var COLORS = ['#2f6db5', '#e07b39', '#3a9d5d', '#b8465f', '#7b5ea7', '#c9a227', '#4a9fb0', '#8c6d46', '#d36fb0', '#6b7785', '#2b4c7e', '#9bb83a'];
  var key = sessionStorage.getItem('queryKey') || '';
  var selected = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function lbh(x) { return x ? [x.low, x.best, x.high].map(function (v) { return v === null ? '?' : v; }).join(' / ') : 'unknown'; }
  function asOf() {
    var v = $('asof').value;
    if (!v) return null;
    if (v.length === 16) v += ':00';
    return v + 'Z';
  }
  function api(path, params) {
    var q = new URLSearchParams(params || {});
    var a = asOf();
    if (a && path !== '/v1/projections') q.set('asOf', a);
    var qs = q.toString();
    return fetch(path + (qs ? '?' + qs : ''), { headers: key ? { authorization: 'Bearer ' + key } : {} }).then(function (res) {
      if (res.status === 401) { $('keybox').hidden = false; }
      return res.json().then(function (body) {
        if (!res.ok) { var e = new Error(body.detail || ('HTTP ' + res.status)); e.status = res.status; throw e; }
        if (body.stale) $('stale').style.display = 'inline';
        return body;
      });
    });
  }
  function clear(tbody) { while (tbody.firstChild) tbody.removeChild(tbody.firstChild); }

  function renderAttacks(stats) {
    var grain = $('grain').value;
    $('grain-label').textContent = grain;
    var periods = [], methods = [], by = {};
    stats.rows.forEach(function (r) {
      if (periods.indexOf(r.period) < 0) periods.push(r.period);
      if (methods.indexOf(r.method) < 0) methods.push(r.method);
      (by[r.period] = by[r.period] || {})[r.method] = r.incidents;
    });
    periods.sort(); methods.sort();
    var legend = $('attacks-legend'); legend.textContent = '';
    methods.forEach(function (m, i) {
      var s = el('span'); var sw = el('i'); sw.style.background = COLORS[i % COLORS.length]; s.appendChild(sw); s.appendChild(document.createTextNode(m)); legend.appendChild(s);
    });
    var chart = $('attacks-chart'); chart.textContent = '';
    var width = chart.clientWidth || 500, height = 220, pad = 28;
    var totals = periods.map(function (p) { return methods.reduce(function (s, m) { return s + ((by[p] || {})[m] || 0); }, 0); });
    var max = Math.max(1, Math.max.apply(null, totals.concat([1])));
    var bw = Math.max(8, Math.min(60, (width - pad * 2) / Math.max(1, periods.length) - 10));
    chart.appendChild(svg('line', { x1: pad, y1: height - pad, x2: width - 4, y2: height - pad, stroke: '#999' }));
    periods.forEach(function (p, i) {
      var x = pad + i * (bw + 10) + 5, y = height - pad;
      methods.forEach(function (m, j) {
        var n = (by[p] || {})[m] || 0; if (!n) return;
        var h = n / max * (height - pad * 2);
        y -= h;
        var r = svg('rect', { x: x, y: y, width: bw, height: h, fill: COLORS[j % COLORS.length], 'data-period': p, 'data-method': m, 'data-count': n });
        var t = svg('title'); t.textContent = p + ' ' + m + ': ' + n; r.appendChild(t);
        chart.appendChild(r);
      });
      var label = svg('text', { x: x + bw / 2, y: height - pad + 14, 'text-anchor': 'middle', 'font-size': 11 }); label.textContent = p; chart.appendChild(label);
      var total = svg('text', { x: x + bw / 2, y: y - 4, 'text-anchor': 'middle', 'font-size': 11 }); total.textContent = totals[i]; chart.appendChild(total);
    });
    var tbody = $('attacks-table').tBodies[0]; clear(tbody);
    periods.forEach(function (p, i) {
      var tr = el('tr', null, { 'data-period': p });
      tr.appendChild(el('td', p));
      tr.appendChild(el('td', totals[i], { class: 'num attack-total' }));
      tr.appendChild(el('td', methods.filter(function (m) { return (by[p] || {})[m]; }).map(function (m) { return m + ' ' + by[p][m]; }).join(', ')));
      tbody.appendChild(tr);
    });
    var n = stats.not_in_series.incidents;
    $('attacks-imprecise').textContent = n ? n + ' attack(s) too imprecise for this chart: ' + stats.not_in_series.incident_ids.join(', ') + (stats.not_in_series.incident_ids_complete ? '' : ', …') : '';
  }

  function renderCasualties(t) {
    var tbody = $('casualty-table').tBodies[0]; clear(tbody);
    var chart = $('casualty-chart'); chart.textContent = '';
    var width = chart.clientWidth || 500, rowH = 22, left = 240;
    chart.setAttribute('height', String(Math.max(40, t.rows.length * rowH + 10)));
    var max = Math.max.apply(null, [1].concat(t.rows.map(function (r) { return r.high; })));
    var scale = function (v) { return left + v / max * (width - left - 40); };
    t.rows.forEach(function (r, i) {
      var label = r.role + ' ' + r.outcome + ' ' + (r.nationality || '?');
      var tr = el('tr', null, { 'data-key': r.role + '/' + r.outcome + '/' + (r.nationality || '') });
      tr.appendChild(el('td', r.role)); tr.appendChild(el('td', r.outcome)); tr.appendChild(el('td', r.nationality || 'unknown'));
      tr.appendChild(el('td', r.low + ' / ' + r.best + ' / ' + r.high + (r.incomplete ? ' (incomplete)' : ''), { class: 'num casualty-lbh' }));
      tbody.appendChild(tr);
      var y = 5 + i * rowH;
      var text = svg('text', { x: 0, y: y + 14, 'font-size': 11 }); text.textContent = label; chart.appendChild(text);
      chart.appendChild(svg('rect', { x: left, y: y + 4, width: Math.max(1, scale(r.best) - left), height: 12, fill: '#9db8dc' }));
      chart.appendChild(svg('line', { x1: scale(r.low), x2: scale(r.high), y1: y + 10, y2: y + 10, stroke: '#1d2733', 'stroke-width': 2, class: 'uncertainty' }));
      chart.appendChild(svg('line', { x1: scale(r.low), x2: scale(r.low), y1: y + 5, y2: y + 15, stroke: '#1d2733' }));
      chart.appendChild(svg('line', { x1: scale(r.high), x2: scale(r.high), y1: y + 5, y2: y + 15, stroke: '#1d2733' }));
      var v = svg('text', { x: scale(r.high) + 4, y: y + 14, 'font-size': 11 }); v.textContent = r.best; chart.appendChild(v);
    });
  }

  function renderIncidents(list) {
    var tbody = $('incident-table').tBodies[0]; clear(tbody);
    list.items.forEach(function (r) {
      var tr = el('tr', null, { class: 'incident', 'data-id': r.incident_id });
      tr.appendChild(el('td', (r.local_date || '?') + ' (' + r.time_precision + ')'));
      var name = el('td', r.incident_id);
      if (r.has_discrepancy) name.appendChild(el('span', 'sources differ', { class: 'badge' }));
      if (r.status !== 'active') name.appendChild(el('span', r.status + (r.merged_into ? ' → ' + r.merged_into : ''), { class: 'badge merged' }));
      tr.appendChild(name);
      tr.appendChild(el('td', r.kind + ' / ' + r.method));
      tr.appendChild(el('td', [r.site_id, r.admin1, r.country_iso3].filter(Boolean).join(', ') + ' (' + r.place_precision + ')'));
      tr.appendChild(el('td', lbh(r.munitions), { class: 'num munitions' }));
      tr.appendChild(el('td', r.top_perpetrator ? r.top_perpetrator + ' (' + r.top_perpetrator_likelihood + ')' : '—'));
      tr.addEventListener('click', function () { selected = r.incident_id; loadDetail(); });
      tbody.appendChild(tr);
    });
  }

  function loadDetail() {
    if (!selected) return Promise.resolve();
    Array.prototype.forEach.call(document.querySelectorAll('tr.incident'), function (tr) { tr.classList.toggle('selected', tr.getAttribute('data-id') === selected); });
    $('detail').setAttribute('data-ready', 'false');
    return api('/v1/incidents/' + encodeURIComponent(selected)).then(function (d) {
      $('detail').hidden = false;
      $('detail-id').textContent = d.incident.incident_id;
      $('detail-status').textContent = d.incident.status + (d.merged_into ? ' into ' + d.merged_into.incident_id : '');
      var disc = $('discrepancy-table').tBodies[0]; clear(disc);
      d.discrepancies.forEach(function (x) {
        var tr = el('tr', null, { 'data-field': x.field });
        tr.appendChild(el('td', (x.scope_kind === 'operation' ? x.scope_id + ': ' : '') + x.field));
        tr.appendChild(el('td', lbh(x.figure) + ' (' + x.figure_source + ')', { class: 'num' }));
        tr.appendChild(el('td', x.series.map(function (s) { return s.source_id + ' [' + s.reliability + '] ' + (s.best === null ? '?' : s.best) + (s.via_merge ? ' via merge' : ''); }).join('; ')));
        disc.appendChild(tr);
      });
      if (!d.discrepancies.length) { var none = el('tr'); none.appendChild(el('td', 'none', { colspan: '3', class: 'muted' })); disc.appendChild(none); }
      var tl = $('timeline-table').tBodies[0]; clear(tl);
      d.timeline.forEach(function (t) {
        var tr = el('tr', null, { class: 'timeline-entry', 'data-event': t.event_id });
        tr.appendChild(el('td', t.time)); tr.appendChild(el('td', t.type + ' ' + t.event_id));
        tr.appendChild(el('td', t.source_id ? t.source_id + ' [' + t.source_reliability + ']' : '—'));
        var flags = [];
        if (t.via_merge) flags.push('via merge from ' + t.merged_from);
        if (t.superseded) flags.push('superseded'); if (t.retracted) flags.push('retracted'); if (t.duplicate_entity) flags.push('duplicate');
        tr.appendChild(el('td', flags.concat(t.flags).join(', '), { class: 'flags' }));
        tl.appendChild(tr);
      });
      $('detail').setAttribute('data-ready', 'true');
    }).catch(function (e) {
      $('detail').hidden = false; $('detail-id').textContent = selected; $('detail-status').textContent = e.status === 404 ? 'did not exist at that time' : e.message;
      clear($('discrepancy-table').tBodies[0]); clear($('timeline-table').tBodies[0]);
      $('detail').setAttribute('data-ready', 'true');
    });
  }

  function loadLag() {
    return api('/v1/projections').then(function (p) {
      var main = p.projections[0];
      if (!main) { $('lag').textContent = 'no projection yet'; return; }
      $('lag').textContent = (main.lag_events === null ? '?' : main.lag_events) + ' events, ' + (main.lag_seconds === null ? '?' : Math.round(main.lag_seconds)) + ' s';
      $('lag').className = 'num' + (main.lag_events ? ' bad' : '');
    }).catch(function (e) { $('lag').textContent = e.status === 401 || e.status === 403 ? 'needs an admin key' : 'unknown'; });
  }

  function load() {
    document.body.setAttribute('data-ready', 'false');
    $('stale').style.display = 'none';
    $('error').textContent = '';
    return Promise.all([
      api('/v1/stats/attacks', { grain: $('grain').value, groupBy: 'method', kind: 'attack' }).then(renderAttacks),
      api('/v1/stats/casualties', { groupBy: 'role,outcome,nationality' }).then(renderCasualties),
      api('/v1/incidents', { status: 'all', sort: '-date', limit: '100' }).then(renderIncidents),
      loadLag(),
    ]).then(loadDetail).catch(function (e) { $('error').textContent = e.message; }).then(function () {
      document.body.setAttribute('data-ready', 'true');
    });
  }

  $('asof').addEventListener('change', load);
  $('grain').addEventListener('change', load);
  $('now').addEventListener('click', function () { $('asof').value = ''; load(); });
  $('usekey').addEventListener('click', function () { key = $('key').value; sessionStorage.setItem('queryKey', key); load(); });
  setInterval(loadLag, 10000);
  load();
})();
</script>
</body>
</html>
`;
