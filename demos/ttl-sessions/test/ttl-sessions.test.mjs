// The ttl-sessions browser test: checks the listed sessions and their time left against the API,
// creates a 6 s session and a default-TTL one through the form, extends a session, waits for the
// 6 s one to expire from the page and the database, and logs a session out.
import assert from 'node:assert/strict';

export const seed = ['--count', '120'];
const seeded = 120;
const defaultTtl = 1800;
const user = 'zz-browser-test';

/** The rows the page shows, as the page shows them. */
async function shownRows(page) {
  return page.$$eval('#rows tr[data-id]', (trs) => trs.map((tr) => ({
    id: tr.dataset.id,
    user: tr.dataset.user,
    device: tr.querySelector('.device').textContent,
    lifetime: Number(tr.querySelector('.lifetime').dataset.lifetime),
    remaining: Number(tr.querySelector('.ttl-text').dataset.remaining),
    text: tr.querySelector('.ttl-text').textContent,
    width: parseFloat(tr.querySelector('.ttl-fill').style.width),
    hue: Number(tr.querySelector('.ttl-fill').dataset.hue),
  })));
}

async function rowOf(page, id) {
  return (await shownRows(page)).find((r) => r.id === id);
}

/** Logs in through the form; returns the new row as the page shows it. */
async function login(page, device, ttl) {
  await page.fill('#user', user);
  await page.fill('#device', device);
  if (ttl === undefined) {
    await page.selectOption('#ttl', '');
  } else {
    await page.selectOption('#ttl', 'custom');
    await page.fill('#ttl-custom', String(ttl));
  }
  await page.click('#create');
  const tr = await page.waitForSelector(`#rows tr:has(td.device:text-is("${device}"))`);
  return rowOf(page, await tr.getAttribute('data-id'));
}

const durationText = /^(\d+ s|\d+ min|\d+ h|\d+m \d\ds|\d+h \d\dm)$/;

export default async function ({ page, base, api, step, screenshot }) {
  let listed;
  await step('lists every seeded session, expiring first, with the time left the server reads', async () => {
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    const rows = await shownRows(page);
    const truth = (await api('GET', '/api/sessions')).body;
    listed = truth.items;
    assert.equal(truth.default_ttl, defaultTtl);
    assert.equal(rows.length, seeded, 'every seeded session is listed');
    assert.deepEqual(rows.map((r) => r.id).sort(), listed.map((s) => s.id).sort());
    for (const r of rows) {
      const s = listed.find((x) => x.id === r.id);
      assert.equal(r.user, s.user);
      assert.equal(r.lifetime, s.lifetime);
      assert.ok(Math.abs(r.remaining - s.remaining) <= 2, `time left ${r.remaining} vs ${s.remaining}`);
      assert.ok(r.remaining > 0 && r.remaining <= r.lifetime);
      assert.match(r.text, durationText);
      const pct = (100 * r.remaining) / r.lifetime;
      assert.ok(Math.abs(r.width - pct) <= 1 + 100 / r.lifetime, `bar ${r.width}% for ${pct}%`);
      assert.ok(Math.abs(r.hue - 1.2 * r.width) <= 3, `colour hue ${r.hue} for ${r.width}%`);
    }
    for (let i = 1; i < rows.length; i += 1) {
      assert.ok(rows[i - 1].remaining <= rows[i].remaining, 'sorted by time left');
    }
    assert.ok(listed.some((s) => s.table_default) && listed.some((s) => !s.table_default));
    const emptiest = rows.reduce((a, b) => (b.width < a.width ? b : a));
    assert.ok(emptiest.width < 25 && emptiest.hue < 30, 'a nearly spent session shows a red bar');
    assert.ok(rows.some((r) => r.width > 95 && r.hue > 110), 'a fresh session shows a green bar');
    const users = new Set(listed.map((s) => s.user));
    assert.equal(await page.textContent('#stat-users'), String(users.size));
    assert.equal(await page.textContent('#stat-count'), String(seeded));
    const options = await page.$$eval('#user-filter option', (os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(options.sort(), [...users].sort(), 'the user list is the DISTINCT users');
  });

  await step('a user\'s view lists exactly that user\'s sessions (one partition)', async () => {
    const who = listed[0].user;
    await page.selectOption('#user-filter', who);
    await page.waitForFunction((u) => {
      const trs = [...document.querySelectorAll('#rows tr[data-id]')];
      return trs.length > 0 && trs.every((tr) => tr.dataset.user === u);
    }, who);
    assert.match(page.url(), new RegExp(`[?&]user=${who}`));
    const rows = await shownRows(page);
    const truth = (await api('GET', `/api/sessions?user=${who}`)).body.items;
    assert.deepEqual(rows.map((r) => r.id).sort(), truth.map((s) => s.id).sort());
    assert.deepEqual(truth.map((s) => s.user), rows.map(() => who));
    await page.selectOption('#user-filter', '');
    await page.waitForFunction((n) => document.querySelectorAll('#rows tr[data-id]').length >= n,
      rows.length + 1);
  });

  let short;
  let long;
  await step('logs in with a 6 s TTL through the form', async () => {
    short = await login(page, 'Playwright short-lived', 6);
    assert.equal(short.user, user);
    assert.equal(short.lifetime, 6);
    assert.ok(short.remaining > 0 && short.remaining <= 6, `time left ${short.remaining}`);
    const stored = await api('GET', `/api/sessions/${user}/${short.id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.lifetime, 6);
    assert.equal(stored.body.table_default, false);
    assert.ok(stored.body.remaining > 0 && stored.body.remaining <= 6);
    await page.waitForTimeout(1200);
    const later = (await rowOf(page, short.id))?.remaining ?? 0;
    assert.ok(later < short.remaining, `the page counts down: ${short.remaining} s then ${later} s`);
  });

  await step('logs in with the table\'s default TTL', async () => {
    long = await login(page, 'Playwright default TTL', undefined);
    assert.equal(long.lifetime, defaultTtl);
    assert.ok(long.remaining >= defaultTtl - 5 && long.remaining <= defaultTtl, `time left ${long.remaining}`);
    const stored = await api('GET', `/api/sessions/${user}/${long.id}`);
    assert.equal(stored.body.table_default, true);
    assert.ok(stored.body.remaining >= defaultTtl - 5 && stored.body.remaining <= defaultTtl);
  });

  await step('Extend writes a session again with a fresh TTL: its time left goes back up', async () => {
    const now = (await api('GET', '/api/sessions')).body.items;
    const target = now.find((s) => s.lifetime >= 60 && s.lifetime <= 600 && s.remaining >= 20 &&
      s.remaining <= s.lifetime - 10);
    assert.ok(target, 'a seeded session that has been idle a while');
    const before = await rowOf(page, target.id);
    await page.click(`#rows tr[data-id="${target.id}"] .extend`);
    await page.waitForFunction(({ id, min }) => Number(document.querySelector(
      `#rows tr[data-id="${id}"] .ttl-text`)?.dataset.remaining) >= min, { id: target.id, min: target.lifetime - 2 });
    const after = await rowOf(page, target.id);
    assert.ok(after.remaining > before.remaining, `${before.remaining} then ${after.remaining}`);
    assert.ok(after.width > 95, 'the bar is full again');
    const stored = (await api('GET', `/api/sessions/${target.user}/${target.id}`)).body;
    assert.ok(stored.remaining >= target.lifetime - 2 && stored.remaining <= target.lifetime);
    assert.ok(stored.last_seen > target.last_seen, 'last active moved');
    await page.evaluate(() => { window.scrollTo(0, 0); document.getElementById('toast').className = ''; });
    await page.mouse.move(1270, 850); // no hovered row in the picture
    await screenshot();
  });

  await step('the 6 s session disappears from the page and the API once its TTL runs out', async () => {
    await page.waitForSelector(`#rows tr[data-id="${short.id}"]`, { state: 'detached', timeout: 15_000 });
    assert.equal((await api('GET', `/api/sessions/${user}/${short.id}`)).status, 404);
    const mine = (await api('GET', `/api/sessions?user=${user}`)).body.items.map((s) => s.id);
    assert.deepEqual(mine, [long.id], 'only the default-TTL session is left');
    assert.ok(await rowOf(page, long.id), 'the default-TTL session is still shown');
  });

  await step('logs the default-TTL session out through the page', async () => {
    page.once('dialog', (d) => d.accept());
    await page.click(`#rows tr[data-id="${long.id}"] .logout`);
    await page.waitForSelector(`#rows tr[data-id="${long.id}"]`, { state: 'detached' });
    assert.equal((await api('GET', `/api/sessions/${user}/${long.id}`)).status, 404);
    const users = (await api('GET', '/api/users')).body;
    assert.ok(!users.includes(user), 'a user without a live session is no longer listed');
    await page.waitForFunction((u) => ![...document.querySelectorAll('#user-filter option')]
      .some((o) => o.value === u), user);
  });

  await step('refuses a bad TTL with the server\'s message, writing nothing', async () => {
    await page.fill('#user', 'zz-refused');
    await page.fill('#device', 'Nothing');
    await page.selectOption('#ttl', 'custom');
    await page.fill('#ttl-custom', '0');
    await page.click('#create');
    await page.waitForSelector('#form-error:has-text("ttl must be")');
    assert.equal((await api('GET', '/api/sessions?user=zz-refused')).body.items.length, 0);
    assert.equal((await api('POST', `/api/sessions/${user}/${long.id}/touch`)).status, 404);
    assert.equal((await api('GET', `/api/sessions/${user}/not-an-id`)).status, 400);
    assert.equal((await api('POST', '/api/sessions', { user: 'x', device: 'y', ttl: 'soon' })).status, 400);
  });
}
