// The range chart in plain SVG: a min-max band and the average line of the server's buckets,
// with time and value axes and a hover read-out. A gap in the data (a deleted day) breaks both.
const W = 900; const H = 260;
const M = { left: 58, right: 14, top: 14, bottom: 30 };
const NS = 'http://www.w3.org/2000/svg';

/** About `count` round steps covering [lo, hi]. */
function niceTicks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(10));
  return ticks;
}

const HOUR = 3_600_000;
const timeSteps = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 96 * HOUR];

/** Local-time ticks at round hours or midnights, at most eight of them. */
function timeTicks(from, to) {
  const h = (timeSteps.find((s) => (to - from) / s <= 8) ?? timeSteps.at(-1)) / HOUR;
  const d = new Date(from);
  d.setMinutes(0, 0, 0);
  if (h >= 24) d.setHours(0);
  const ticks = [];
  while (d.getTime() <= to) {
    if ((h >= 24 || d.getHours() % h === 0) && d.getTime() >= from) {
      ticks.push({ t: d.getTime(), day: d.getHours() === 0 });
    }
    if (h >= 24) d.setDate(d.getDate() + h / 24); else d.setHours(d.getHours() + 1);
  }
  return ticks;
}

export function timeLabel(t, withDay) {
  const d = new Date(t);
  const hm = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
  const day = d.toLocaleDateString([], { month: 'short', day: 'numeric' });
  if (withDay === 'day') return day;
  return withDay ? `${day} ${hm}` : hm;
}

function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Runs of points without a gap wider than three typical spacings (or two buckets). */
function segments(points, bucketMs) {
  const gaps = points.slice(1).map((p, i) => p.t - points[i].t).sort((a, b) => a - b);
  const typical = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
  const limit = Math.max(3 * typical, 2.5 * bucketMs);
  const runs = [];
  for (const [i, p] of points.entries()) {
    if (i === 0 || p.t - points[i - 1].t > limit) runs.push([]);
    runs.at(-1).push(p);
  }
  return runs;
}

/**
 * Draws data (the server's series answer) into the <svg> `svg`, in `colour`; `fmt` formats a
 * value and `unit` follows it in the read-out.
 */
export function drawChart(svg, data, colour, fmt, unit) {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const pts = data.series;
  const x = (t) => M.left + ((t - data.from) / (data.to - data.from)) * (W - M.left - M.right);
  let lo = data.min ?? 0; let hi = data.max ?? 1;
  const pad = (hi - lo) * 0.08 || 1;
  lo -= pad; hi += pad;
  const y = (v) => M.top + (1 - (v - lo) / (hi - lo)) * (H - M.top - M.bottom);
  const px = (n) => n.toFixed(1);

  const axes = el('g', { class: 'axes' });
  for (const v of niceTicks(lo, hi, 5)) {
    axes.append(el('line', { x1: M.left, x2: W - M.right, y1: px(y(v)), y2: px(y(v)), class: 'grid' }));
    axes.append(el('text', { x: M.left - 8, y: px(y(v) + 4), 'text-anchor': 'end', class: 'ylabel' }, fmt(v)));
  }
  for (const tick of timeTicks(data.from, data.to)) {
    const tx = x(tick.t);
    if (tx < M.left + 20 || tx > W - M.right - 20) continue;
    axes.append(el('line', { x1: px(tx), x2: px(tx), y1: M.top, y2: H - M.bottom, class: tick.day ? 'grid day' : 'grid' }));
    axes.append(el('text', { x: px(tx), y: H - 10, 'text-anchor': 'middle', class: 'xlabel' }, timeLabel(tick.t, tick.day ? 'day' : false)));
  }
  axes.append(el('line', { x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom, class: 'axis' }));
  axes.append(el('line', { x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, class: 'axis' }));
  svg.append(axes);

  if (!pts.length) {
    svg.append(el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'empty' }, 'No readings in this range'));
    return;
  }
  const runs = segments(pts, data.bucket_ms);
  const band = runs.map((r) => {
    const top = r.map((p) => `${px(x(p.t))},${px(y(p.max))}`);
    const bottom = r.slice().reverse().map((p) => `${px(x(p.t))},${px(y(p.min))}`);
    return `M${top.join('L')}L${bottom.join('L')}Z`;
  }).join('');
  svg.append(el('path', { d: band, class: 'band', fill: colour }));
  const line = runs.map((r) => `M${r.map((p) => `${px(x(p.t))},${px(y(p.avg))}`).join('L')}`).join('');
  svg.append(el('path', { d: line, class: 'avg', stroke: colour }));
  if (pts.length <= 80) {
    const dots = el('g', { class: 'dots', fill: colour });
    for (const p of pts) dots.append(el('circle', { cx: px(x(p.t)), cy: px(y(p.avg)), r: 2.6 }));
    svg.append(dots);
  }

  // The hover read-out: the bucket nearest the pointer.
  const cursor = el('g', { class: 'cursor', visibility: 'hidden' });
  const vline = el('line', { y1: M.top, y2: H - M.bottom });
  const label = el('text', { y: M.top + 12 });
  cursor.append(vline, label);
  svg.append(cursor);
  const hit = el('rect', { x: M.left, y: M.top, width: W - M.left - M.right, height: H - M.top - M.bottom, fill: 'transparent' });
  svg.append(hit);
  hit.addEventListener('mousemove', (ev) => {
    const box = svg.getBoundingClientRect();
    const sx = ((ev.clientX - box.left) / box.width) * W;
    const p = pts.reduce((a, b) => (Math.abs(x(b.t) - sx) < Math.abs(x(a.t) - sx) ? b : a));
    const at = x(p.t);
    vline.setAttribute('x1', px(at)); vline.setAttribute('x2', px(at));
    label.setAttribute('x', px(at < W / 2 ? at + 8 : at - 8));
    label.setAttribute('text-anchor', at < W / 2 ? 'start' : 'end');
    label.textContent = `${timeLabel(p.t, true)} · avg ${fmt(p.avg)} ${unit} (${fmt(p.min)}–${fmt(p.max)}, ${p.n})`;
    cursor.setAttribute('visibility', 'visible');
  });
  hit.addEventListener('mouseleave', () => cursor.setAttribute('visibility', 'hidden'));
}
