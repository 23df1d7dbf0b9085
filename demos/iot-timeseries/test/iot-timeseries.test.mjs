// The iot-timeseries browser test: checks the grid of latest readings against each sensor's raw
// readings and the seed's rule, the chart's figures and points against a downsampling computed
// here from the raw readings, then adds a reading through the form, deletes it and deletes a
// whole day partition through the page.
import assert from 'node:assert/strict';

const count = 60000;
const sensors = 50;
export const seed = ['--count', String(count)];
const perSensor = count / sensors;
const interval = Math.floor((14 * 86_400_000) / perSensor); // the seed's spacing of readings
const loadedAt = Date.now(); // before the harness runs the seed, so before its end time
const DAY = 86_400_000;

/** A reading as the page shows it: ppm in units, the other kinds with two decimals. */
const shown = (v, kind) => v.toFixed(kind === 'co2' ? 0 : 2);

/** What the server's downsampling must give: non-empty buckets of (t - from) * P / (to - from). */
function downsample(items, from, to, P = 300) {
  const buckets = new Map();
  for (const r of items) {
    const i = Math.min(P - 1, Math.floor(((r.at - from) * P) / (to - from)));
    const b = buckets.get(i) ?? { min: Infinity, max: -Infinity, n: 0 };
    b.min = Math.min(b.min, r.value); b.max = Math.max(b.max, r.value); b.n += 1;
    buckets.set(i, b);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
}

async function reloaded(page, action) {
  const before = Number(await page.evaluate(() => document.body.dataset.loads || 0));
  await action();
  await page.waitForFunction((b) => Number(document.body.dataset.loads || 0) > b, before);
}

const cards = (page) => page.$$eval('.sensor-card', (els) => els.map((c) => ({
  sensor: c.dataset.sensor, kind: c.dataset.kind, at: Number(c.dataset.at), value: Number(c.dataset.value),
  shown: c.querySelector('.value').textContent,
})));

/** The chart as drawn: its range, its points and the vertices and runs of its average line. */
const chart = (page) => page.evaluate(() => {
  const svg = document.getElementById('chart');
  const d = svg.querySelector('path.avg')?.getAttribute('d') ?? '';
  const stat = (id) => document.querySelector(`#stat-${id}`).dataset.value;
  return {
    sensor: svg.dataset.sensor, from: Number(svg.dataset.from), to: Number(svg.dataset.to),
    points: Number(svg.dataset.points), vertices: (d.match(/[ML]/g) || []).length, runs: (d.match(/M/g) || []).length,
    count: Number(stat('count')), min: Number(stat('min')), max: Number(stat('max')), avg: Number(stat('avg')),
    ylabels: svg.querySelectorAll('text.ylabel').length, xlabels: svg.querySelectorAll('text.xlabel').length,
    days: [...document.querySelectorAll('.day-chip')].map((c) => ({ day: c.dataset.day, n: Number(c.dataset.n) })),
  };
});

export default async function ({ page, base, api, step, screenshot }) {
  const raw = async (id, from, to, limit = 5000) => {
    const res = await api('GET', `/api/sensors/${id}/readings?from=${from}&to=${to}&limit=${limit}`);
    assert.equal(res.status, 200);
    return res.body.items;
  };
  /** Compares the chart as drawn with the raw readings of its range. */
  const checkChart = async (id) => {
    const c = await chart(page);
    assert.equal(c.sensor, id);
    const items = await raw(id, c.from, c.to);
    assert.ok(items.length < 5000, 'the raw list is whole');
    const values = items.map((r) => r.value);
    assert.equal(c.count, items.length, 'readings in the range');
    assert.equal(c.min, Math.min(...values), 'the range\'s min');
    assert.equal(c.max, Math.max(...values), 'the range\'s max');
    assert.ok(Math.abs(c.avg - values.reduce((a, b) => a + b, 0) / values.length) < 1e-9, 'the average');
    const expected = downsample(items, c.from, c.to);
    assert.equal(c.points, expected.length, 'one point per non-empty bucket');
    assert.equal(c.vertices, expected.length, 'the average line has one vertex per point');
    assert.ok(c.points <= 300 && c.ylabels >= 3 && c.xlabels >= 2, 'at most 300 points, with axes');
    const perDay = {};
    for (const r of items) perDay[r.day] = (perDay[r.day] ?? 0) + 1;
    assert.deepEqual(Object.fromEntries(c.days.map((d) => [d.day, d.n])), perDay, 'readings per day partition');
    const series = await api('GET', `/api/sensors/${id}/series?from=${c.from}&to=${c.to}`);
    assert.deepEqual(series.body.series.map(({ min, max, n }) => ({ min, max, n })), expected, 'the buckets');
    return { ...c, items };
  };

  let before; // the cards as first shown
  await step('the grid shows one card per sensor: its newest reading per the raw readings and the seed', async () => {
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    before = await cards(page);
    const list = (await api('GET', '/api/sensors')).body;
    assert.equal(list.length, sensors);
    assert.deepEqual(before.map((c) => c.sensor).sort(), list.map((s) => s.id).sort(), 'one card per sensor');
    const now = Date.now();
    for (const c of before) {
      const items = await raw(c.sensor, now - DAY, now, 1000);
      const newest = items.reduce((a, b) => (b.at > a.at ? b : a));
      assert.equal(c.at, newest.at, `${c.sensor}: the newest time`);
      assert.equal(c.value, newest.value, `${c.sensor}: the newest value`);
      assert.equal(c.shown, shown(newest.value, c.kind), `${c.sensor}: the value shown`);
      // The seed's rule: the last reading of every sensor is less than one interval before its end.
      assert.ok(c.at > loadedAt - 1000 - interval && c.at <= now, `${c.sensor}: written by this seed, last`);
      const s = list.find((x) => x.id === c.sensor);
      assert.ok(c.value >= s.range[0] && c.value <= s.range[1], `${c.sensor}: a plausible ${s.kind}`);
    }
  });

  await step('a sensor\'s 14 days: 15 partitions streamed, 300 points, min/max equal to the raw readings', async () => {
    await reloaded(page, () => page.click('.sensor-card[data-sensor="co2-04"]'));
    await reloaded(page, () => page.click('#presets [data-range="14d"]'));
    const c = await checkChart('co2-04');
    assert.equal(c.count, perSensor, 'every seeded reading of the sensor is in its 14 days');
    assert.match(await page.textContent('#range-info'), /over 15 day partitions/, 'fourteen days span fifteen');
    assert.ok(c.days.length >= 14, 'readings in (nearly) every one');
    assert.equal(c.points, 300, 'four readings a bucket fill all 300');
    assert.equal(c.runs, 1, 'no gap');
    assert.equal(await page.textContent('#stat-min b'), `${shown(c.min, 'co2')} ppm`);
    assert.equal(await page.textContent('#stat-max b'), `${shown(c.max, 'co2')} ppm`);
    assert.ok(await page.$eval('.sensor-card[data-sensor="co2-04"]', (e) => e.classList.contains('selected')));
    await page.evaluate(() => window.scrollTo(0, 0)); // the card's click scrolled the page
    await screenshot();
  });

  await step('a custom range through the from/to inputs shows the figures of those six hours', async () => {
    const [from, to] = await page.evaluate(() => {
      const local = (t) => new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      return [local(Date.now() - 6 * 3_600_000), local(Date.now() + 60_000)];
    });
    await page.fill('#from', from);
    await page.fill('#to', to);
    await reloaded(page, () => page.click('#apply'));
    const c = await checkChart('co2-04');
    assert.ok(c.to - c.from <= 6 * 3_600_000 + 120_000 && c.to - c.from >= 6 * 3_600_000 - 60_000);
    assert.ok(Math.abs(c.count - (6 * 3_600_000) / interval) <= 2, 'about one reading per interval');
    assert.equal(c.points, c.count, 'sparse readings: one point each');
    assert.match(page.url(), /from=\d+&to=\d+/);
  });

  let added;
  await step('adds a reading through the form: it becomes the sensor\'s latest card and enters the chart', async () => {
    await reloaded(page, () => page.click('.sensor-card[data-sensor="temp-05"]'));
    await reloaded(page, () => page.click('#presets [data-range="24h"]'));
    assert.equal(await page.inputValue('#add-sensor'), 'temp-05', 'the form follows the chart');
    const t0 = Date.now();
    await page.fill('#add-value', '35.5');
    await reloaded(page, () => page.click('#add'));
    const card = (await cards(page)).find((c) => c.sensor === 'temp-05');
    assert.equal(card.value, 35.5);
    assert.equal(card.shown, '35.50');
    assert.ok(card.at >= t0 - 1000 && card.at <= Date.now(), 'taken now');
    added = card;
    const latest = (await api('GET', '/api/latest')).body.items.find((i) => i.sensor.id === 'temp-05');
    assert.deepEqual([latest.reading.at, latest.reading.value], [card.at, 35.5]);
    const c = await checkChart('temp-05');
    assert.equal(c.max, 35.5, 'the new reading is the range\'s max');
    assert.ok(c.items.some((r) => r.at === card.at), 'and in the range');
    assert.equal(Number(await page.getAttribute('#recent tr:first-child', 'data-at')), card.at);
  });

  await step('refuses an out-of-range value with the server\'s message, writing nothing', async () => {
    await page.fill('#add-value', '500');
    await page.click('#add');
    await page.waitForSelector('#add-error:has-text("a temperature reading must be from -60 to 80")');
    const latest = (await api('GET', '/api/latest')).body.items.find((i) => i.sensor.id === 'temp-05');
    assert.equal(latest.reading.at, added.at);
  });

  await step('deletes the added reading: the card falls back to the newest seeded one', async () => {
    page.once('dialog', (d) => d.accept());
    await reloaded(page, () => page.click(`#recent tr[data-at="${added.at}"] .delete`));
    const card = (await cards(page)).find((c) => c.sensor === 'temp-05');
    const first = before.find((c) => c.sensor === 'temp-05');
    assert.deepEqual([card.at, card.value], [first.at, first.value]);
    assert.equal(await page.$(`#recent tr[data-at="${added.at}"]`), null);
    assert.equal((await api('DELETE', `/api/readings/temp-05/${added.at}`)).status, 404, 'gone');
  });

  await step('deletes a whole day partition from the chart\'s day chips', async () => {
    await reloaded(page, () => page.click('.sensor-card[data-sensor="co2-04"]'));
    await reloaded(page, () => page.click('#presets [data-range="14d"]'));
    const c0 = await chart(page);
    const victim = c0.days[5];
    const start = Date.parse(`${victim.day}T00:00:00Z`);
    assert.equal((await raw('co2-04', start, start + DAY - 1)).length, victim.n, 'the chip counts its day');
    page.once('dialog', (d) => d.accept());
    await reloaded(page, () => page.click(`.day-chip[data-day="${victim.day}"] .x`));
    const c = await checkChart('co2-04');
    assert.equal(c.count, c0.count - victim.n, 'the day\'s readings are gone from the range');
    assert.ok(!c.days.some((d) => d.day === victim.day), 'and its chip');
    assert.equal(c.runs, 2, 'the line breaks at the missing day');
    assert.equal((await raw('co2-04', start, start + DAY - 1)).length, 0);
  });

  await step('bad requests are clear 400s and 404s', async () => {
    const now = Date.now();
    assert.equal((await api('GET', `/api/sensors/nope/series?from=${now - DAY}&to=${now}`)).status, 404);
    assert.equal((await api('GET', `/api/sensors/co2-04/series?from=${now}&to=${now - DAY}`)).status, 400);
    assert.equal((await api('GET', `/api/sensors/co2-04/series?from=${now - 40 * DAY}&to=${now}`)).status, 400);
    assert.equal((await api('GET', '/api/sensors/co2-04/series?points=5000')).status, 400);
    assert.equal((await api('POST', '/api/readings', { sensor: 'nope', value: 1 })).status, 404);
    assert.equal((await api('POST', '/api/readings', { sensor: 'co2-04', value: 'wet' })).status, 400);
    assert.equal((await api('DELETE', '/api/sensors/co2-04/days/yesterday')).status, 400);
    assert.equal((await api('DELETE', '/api/readings/co2-04/-5')).status, 400);
  });
}
