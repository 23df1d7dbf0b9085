// The catalog's browser test: pages through every product, searches by brand, then creates,
// edits and deletes a product through the page, checking what the page shows at each step.
import assert from 'node:assert/strict';

export const seed = ['--count', '60'];
const seeded = 60;

/** The rows the page shows, as the page shows them. */
async function shownRows(page) {
  return page.$$eval('#rows tr[data-id]', (trs) => trs.map((tr) => ({
    id: tr.dataset.id,
    category: tr.dataset.category,
    name: tr.querySelector('.name').textContent,
    brand: tr.querySelector('.brand').textContent,
    price: tr.querySelector('.price').textContent,
    stock: tr.querySelector('.stock').textContent,
    tags: [...tr.querySelectorAll('.tags .chip')].map((c) => c.textContent),
  })));
}

/** Does `action` and waits until the page has loaded its list again. */
async function reloaded(page, action) {
  const before = Number(await page.evaluate(() => document.body.dataset.loads || 0));
  await action();
  await page.waitForFunction((b) => Number(document.body.dataset.loads || 0) > b, before);
}

/** Clicks Next until it is disabled; returns every row seen and the number of pages. */
async function walkPages(page) {
  const rows = [];
  let pages = 0;
  for (;;) {
    rows.push(...await shownRows(page));
    pages += 1;
    if (await page.isDisabled('#next')) return { rows, pages };
    await reloaded(page, () => page.click('#next'));
  }
}

export default async function ({ page, base, api, step, screenshot }) {
  let all;
  await step('pages through every product, 12 to a page, with the page token in the URL', async () => {
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    const walk = await walkPages(page);
    all = walk.rows;
    assert.equal(all.length, seeded, 'every seeded product is listed once');
    assert.equal(new Set(all.map((r) => r.id)).size, seeded, 'no product is listed twice');
    assert.ok(walk.pages >= Math.ceil(seeded / 12), 'twelve to a page');
    assert.match(page.url(), /[?&]page=[^&]+/, 'the page token is in the URL');
    for (const r of all) assert.match(r.price, /^\$\d+\.\d\d$/);
  });

  await step('Back returns to the previous page; a reload shows the same page', async () => {
    const before = await shownRows(page);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.deepEqual(await shownRows(page), before);
    const info = await page.textContent('#page-info');
    await reloaded(page, () => page.goBack());
    assert.notEqual(await page.textContent('#page-info'), info, 'Back shows the page before');
  });

  await step('a category lists only its products, all of them', async () => {
    const category = all[0].category;
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    await reloaded(page, () => page.selectOption('#category', category));
    const walk = await walkPages(page);
    assert.ok(walk.rows.every((r) => r.category === category));
    assert.deepEqual(walk.rows.map((r) => r.id).sort(),
      all.filter((r) => r.category === category).map((r) => r.id).sort());
  });

  await step('a brand search (the secondary index) finds exactly that brand', async () => {
    const brand = all[3].brand;
    await page.goto(`${base}/?size=24`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#brand', brand);
    await reloaded(page, () => page.click('#search'));
    const walk = await walkPages(page);
    assert.ok(walk.rows.length > 0);
    assert.ok(walk.rows.every((r) => r.brand === brand), 'only that brand');
    assert.equal(walk.rows.length, all.filter((r) => r.brand === brand).length, 'all of that brand');
  });

  let created;
  await step('creates a product through the form', async () => {
    await page.goto(`${base}/?category=cameras`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#new-product');
    await page.fill('#product-form [name=name]', 'Browser Test Lens 50mm');
    await page.fill('#product-form [name=brand]', 'Zeiss-Test');
    await page.fill('#product-form [name=price]', '749.5');
    await page.fill('#product-form [name=stock]', '7');
    await page.fill('#product-form [name=tags]', 'new, prime, new');
    await page.fill('#product-form [name=description]', 'A fast prime lens.');
    await page.click('#save');
    await page.waitForSelector('#rows tr:has-text("Browser Test Lens 50mm")');
    const rows = await shownRows(page);
    created = rows.find((r) => r.name === 'Browser Test Lens 50mm');
    assert.equal(created.category, 'cameras');
    assert.equal(created.brand, 'Zeiss-Test');
    assert.equal(created.price, '$749.50');
    assert.equal(created.stock, '7');
    assert.deepEqual(created.tags.sort(), ['new', 'prime']);
    const stored = await api('GET', `/api/products/cameras/${created.id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.description, 'A fast prime lens.');
  });

  await step('refuses a bad price with the server\'s message, writing nothing', async () => {
    await page.click('#new-product');
    await page.fill('#product-form [name=name]', 'Broken');
    await page.fill('#product-form [name=category]', 'cameras');
    await page.fill('#product-form [name=brand]', 'Nobody');
    await page.fill('#product-form [name=price]', '2000000');
    await page.fill('#product-form [name=stock]', '1');
    await page.evaluate(() => { document.querySelector('#product-form').noValidate = true; });
    await page.click('#save');
    await page.waitForSelector('#form-error:has-text("price must be")');
    await page.click('#cancel');
    const found = await api('GET', '/api/products?brand=Nobody');
    assert.equal(found.body.items.length, 0);
  });

  await step('edits the price and tags; the page and a reload show the new values', async () => {
    await page.click(`#rows tr[data-id="${created.id}"] .edit`);
    assert.ok(await page.isDisabled('#product-form [name=category]'), 'the key is not editable');
    await page.fill('#product-form [name=price]', '699');
    await page.fill('#product-form [name=tags]', 'sale');
    await page.click('#save');
    await page.waitForSelector(`#rows tr[data-id="${created.id}"] .price:has-text("$699.00")`);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const row = (await shownRows(page)).find((r) => r.id === created.id);
    assert.equal(row.price, '$699.00');
    assert.deepEqual(row.tags, ['sale']);
    await page.fill('#brand', 'Zeiss-Test');
    await reloaded(page, () => page.click('#search'));
    assert.deepEqual((await shownRows(page)).map((r) => r.id), [created.id], 'the brand finds it alone');
    await reloaded(page, () => page.click('#reset'));
    assert.equal(await page.textContent('#page-info'), 'Page 1 · 12 products');
    await screenshot();
  });

  await step('deletes it; it is gone from the page and the database', async () => {
    await page.goto(`${base}/?category=cameras&size=24`);
    await page.waitForSelector('body[data-ready="true"]');
    page.once('dialog', (d) => d.accept());
    await page.click(`#rows tr[data-id="${created.id}"] .delete`);
    await page.waitForSelector(`#rows tr[data-id="${created.id}"]`, { state: 'detached' });
    assert.equal((await api('GET', `/api/products/cameras/${created.id}`)).status, 404);
  });

  await step('an unknown page shows the themed 404 page', async () => {
    const res = await page.goto(`${base}/no/such/page`);
    assert.equal(res.status(), 404);
    assert.match(await page.textContent('h1'), /404/);
    const bad = await api('GET', '/api/products?page=not-a-token');
    assert.equal(bad.status, 400);
  });
}
