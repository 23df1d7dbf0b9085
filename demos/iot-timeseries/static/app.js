// The iot-timeseries page: the chart's sensor and range live in the URL (?sensor=&range= or
// &from=&to=), so Back, Forward and reload show the same view. Every refresh reloads the grid of
// latest readings, the chart and the newest readings of the chosen sensor together.
import { api, esc, params, setParams, toast } from '/kit.js';
import { drawChart, timeLabel } from '/chart.js';

const $ = (id) => document.getElementById(id);
const HOUR = 3_600_000; const DAY = 24 * HOUR;
const presets = { '6h': 6 * HOUR, '24h': DAY, '3d': 3 * DAY, '7d': 7 * DAY, '14d': 14 * DAY };
const defaultPreset = '7d';
const colours = { temperature: '#fb923c', humidity: '#22d3ee', pressure: '#a78bfa', co2: '#34d399' };

let sensors = [];
let current = null; // the chart's sensor

/** A value on the chart's axis: at most two decimals, no trailing zeros. */
const fmt = (v) => String(Number(v.toFixed(2)));
/** A reading as the page shows it: ppm in units, the other kinds with two decimals. */
const shown = (v, kind) => v.toFixed(kind === 'co2' ? 0 : 2);
const sensorOf = (id) => sensors.find((s) => s.id === id);

function ago(t) {
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** ms since the epoch as a datetime-local input's value (local time) and back. */
const toInput = (t) => new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const fromInput = (v) => new Date(v).getTime();

function rangeOf(p) {
  const from = Number(p.get('from')); const to = Number(p.get('to'));
  if (from > 0 && to > from) return { from, to, preset: null };
  const preset = presets[p.get('range')] ? p.get('range') : defaultPreset;
  const now = Date.now();
  return { from: now - presets[preset], to: now, preset };
}

function card(item) {
  const s = item.sensor; const r = item.reading;
  const when = r ? `<span class="time">${timeLabel(r.at, false)}</span>` : '';
  return `<div class="sensor-card${s.id === current ? ' selected' : ''}" role="button" tabindex="0"
      style="--kind: ${colours[s.kind] || '#7c5cff'}" data-sensor="${esc(s.id)}" data-kind="${esc(s.kind)}"
      ${r ? `data-at="${r.at}" data-value="${r.value}"` : ''}
      title="${esc(s.name)} (${esc(s.kind)})${r ? `, ${esc(new Date(r.at).toLocaleString())}, ${ago(r.at)}` : ''}">
    <div class="card-top"><span class="sid">${esc(s.id)}</span>${when}</div>
    <div class="reading"><span class="value">${r ? shown(r.value, s.kind) : '—'}</span><span class="unit">${esc(s.unit)}</span></div>
    <div class="card-foot">${r ? esc(s.location) : 'no readings yet'}</div>
  </div>`;
}

async function loadGrid() {
  const latest = await api('GET', '/api/latest');
  $('grid').innerHTML = latest.items.map(card).join('') || '<p class="muted">No sensors: run the seed program.</p>';
  const found = latest.items.filter((i) => i.reading).length;
  $('latest-info').textContent = `${found} of ${latest.items.length} sensors · PER PARTITION LIMIT 1 over the ${latest.today} partitions` +
    (latest.queries > 1 ? ` and ${latest.queries - 1} day(s) before` : '');
}

function stat(id, label, value, shown = value) {
  return `<span class="stat" id="stat-${id}" data-value="${value ?? ''}">${label} <b>${esc(shown ?? '—')}</b></span>`;
}

let refreshSeq = 0; // the newest refresh's number: a slower, older reply is dropped

async function loadChart(r, seq) {
  const id = current;
  const s = sensorOf(id);
  const q = new URLSearchParams({ from: r.from, to: r.to });
  const data = await api('GET', `/api/sensors/${encodeURIComponent(id)}/series?${q}`);
  if (seq !== refreshSeq) return;
  const colour = colours[s.kind] || '#7c5cff';
  $('chart-title').textContent = s.name;
  $('chart-kind').textContent = s.kind;
  $('chart-where').textContent = `${s.id} · ${s.location}`;
  $('chart-dot').style.background = colour;
  const svg = $('chart');
  drawChart(svg, data, colour, fmt, s.unit);
  Object.assign(svg.dataset, { sensor: id, from: data.from, to: data.to, points: data.series.length });
  const u = (v) => (v == null ? null : `${shown(v, s.kind)} ${s.unit}`);
  $('stats').innerHTML = stat('count', 'readings', data.count, data.count.toLocaleString()) +
    stat('min', 'min', data.min, u(data.min)) + stat('avg', 'avg', data.avg, u(data.avg)) +
    stat('max', 'max', data.max, u(data.max)) + stat('points', 'points', data.series.length) +
    stat('pages', 'pages', data.pages);
  $('days').innerHTML = data.days.map((d) => `<span class="day-chip" data-day="${d.day}" data-n="${d.n}">
      ${esc(d.day.slice(5))} <b>${d.n}</b><button type="button" class="x" title="Delete this day's partition">&times;</button></span>`).join('') ||
    '<span class="muted">none in this range</span>';
  $('range-info').textContent = `One query over ${data.partitions} day partitions, streamed in ${data.pages} ` +
    `page(s) of up to ${data.page_rows} rows and downsampled into ${data.buckets} buckets of ` +
    `${Math.round(data.bucket_ms / 60_000)} min, in ${data.took_ms.toFixed(1)} ms on the server.`;
  $('from').value = toInput(data.from);
  $('to').value = toInput(data.to);
  for (const b of $('presets').querySelectorAll('button')) b.classList.toggle('active', b.dataset.range === r.preset);
}

async function loadRecent(seq) {
  const id = current;
  const s = sensorOf(id);
  const now = Date.now();
  const q = new URLSearchParams({ from: now - 31 * DAY, to: now, limit: 6 });
  const data = await api('GET', `/api/sensors/${encodeURIComponent(id)}/readings?${q}`);
  if (seq !== refreshSeq) return;
  $('recent-of').textContent = `of ${id}`;
  $('recent').innerHTML = data.items.map((r) => `<tr data-at="${r.at}" data-value="${r.value}">
      <td class="muted">${esc(timeLabel(r.at, true))}</td><td class="num">${shown(r.value, s.kind)} ${esc(s.unit)}</td>
      <td class="actions"><button class="danger delete" title="Delete this reading">Delete</button></td></tr>`).join('') ||
    '<tr><td class="muted">No readings in the last 31 days.</td></tr>';
}

function fillSensorSelect() {
  const kinds = [...new Set(sensors.map((s) => s.kind))];
  $('add-sensor').innerHTML = kinds.map((k) => `<optgroup label="${esc(k)}">${sensors.filter((s) => s.kind === k)
    .map((s) => `<option value="${esc(s.id)}">${esc(s.id)} · ${esc(s.location)}</option>`).join('')}</optgroup>`).join('');
}

function showHint() {
  const s = sensorOf($('add-sensor').value);
  if (s) $('add-hint').textContent = `${s.kind}: ${s.range[0]} to ${s.range[1]} ${s.unit}`;
}

async function refresh() {
  const seq = ++refreshSeq;
  const p = params();
  const chosen = p.get('sensor');
  const changed = current !== (sensorOf(chosen) ? chosen : sensors[0]?.id);
  current = sensorOf(chosen) ? chosen : sensors[0]?.id ?? null;
  if (changed && current) { $('add-sensor').value = current; showHint(); }
  const work = [loadGrid()];
  if (current) work.push(loadChart(rangeOf(p), seq), loadRecent(seq));
  const results = await Promise.allSettled(work);
  if (seq !== refreshSeq) return; // a newer refresh counts the load when it ends
  for (const r of results) if (r.status === 'rejected') toast(r.reason.message, 'error');
  document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
}

function navigate(change) {
  const p = params();
  change(p);
  setParams(p);
  refresh();
}

async function addReading(ev) {
  ev.preventDefault();
  $('add-error').textContent = '';
  const body = { sensor: $('add-sensor').value, value: Number($('add-value').value) };
  try {
    const r = await api('POST', '/api/readings', body);
    toast(`Added ${r.value} ${sensorOf(r.sensor).unit} to ${r.sensor}`);
    $('add-value').value = '';
    navigate((p) => p.set('sensor', r.sensor));
  } catch (e) {
    $('add-error').textContent = e.message;
  }
}

async function act(what, done) {
  try {
    const out = await what();
    toast(done(out));
    await refresh();
  } catch (e) {
    toast(e.message, 'error');
  }
}

$('grid').addEventListener('click', (ev) => {
  const c = ev.target.closest('[data-sensor]');
  if (c) navigate((p) => p.set('sensor', c.dataset.sensor));
});
$('grid').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') ev.target.closest('[data-sensor]')?.click(); });
$('presets').addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-range]');
  if (b) navigate((p) => { p.set('range', b.dataset.range); p.delete('from'); p.delete('to'); });
});
$('range-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const from = fromInput($('from').value); const to = fromInput($('to').value);
  if (!(to > from)) { toast('The range must end after it starts', 'error'); return; }
  navigate((p) => { p.set('from', from); p.set('to', to); p.delete('range'); });
});
$('days').addEventListener('click', (ev) => {
  const chip = ev.target.closest('.x') && ev.target.closest('.day-chip');
  if (!chip || !confirm(`Delete all ${chip.dataset.n} readings of ${current} on ${chip.dataset.day}?`)) return;
  act(() => api('DELETE', `/api/sensors/${encodeURIComponent(current)}/days/${chip.dataset.day}`),
    (out) => `Deleted the ${out.day} partition of ${out.sensor}: ${out.deleted} readings`);
});
$('recent').addEventListener('click', (ev) => {
  const tr = ev.target.closest('.delete') && ev.target.closest('tr[data-at]');
  if (!tr || !confirm(`Delete the reading of ${current} at ${new Date(Number(tr.dataset.at)).toLocaleString()}?`)) return;
  act(() => api('DELETE', `/api/readings/${encodeURIComponent(current)}/${tr.dataset.at}`), () => 'Deleted the reading');
});
$('add-form').addEventListener('submit', addReading);
$('add-sensor').addEventListener('change', showHint);
$('refresh').addEventListener('click', refresh);
window.addEventListener('popstate', refresh);

try {
  sensors = await api('GET', '/api/sensors');
  fillSensorSelect();
} catch (e) {
  toast(e.message, 'error');
}
await refresh();
document.body.dataset.ready = 'true';
