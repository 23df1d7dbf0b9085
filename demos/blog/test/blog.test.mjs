// The blog's browser test: walks every post (newest first), creates a post through the form,
// comments on it, filters by its tags, edits it, deletes a comment and the post, checking what the
// page shows against what was typed, the seeded count, the ordering rules and the API.
import assert from 'node:assert/strict';

export const seed = ['--count', '40'];
const seeded = 40;

/** The post cards the page shows, as the page shows them. */
function shownPosts(page) {
  return page.$$eval('#posts .post-card', (cards) => cards.map((c) => ({
    id: c.dataset.id,
    created: c.dataset.created,
    title: c.querySelector('.title').textContent,
    author: c.querySelector('.author').textContent,
    comments: Number(c.querySelector('.n-comments .count').textContent),
    tags: [...c.querySelectorAll('.tags .chip')].map((t) => t.dataset.tag),
  })));
}

/** The comments the post page shows, top to bottom. */
function shownComments(page) {
  return page.$$eval('#comments li.comment', (lis) => lis.map((li) => ({
    id: li.dataset.id,
    author: li.querySelector('.author').textContent,
    body: li.querySelector('.body').textContent,
    created: li.querySelector('time').getAttribute('datetime'),
  })));
}

/** Does `action` and waits until the page has loaded its view again. */
async function reloaded(page, action) {
  const before = Number(await page.evaluate(() => document.body.dataset.loads || 0));
  await action();
  await page.waitForFunction((b) => Number(document.body.dataset.loads || 0) > b, before);
}

async function open(page, url) {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
}

/** Clicks "Older" until it is disabled; returns every post seen and the number of pages. */
async function walkPages(page) {
  const posts = [];
  let pages = 0;
  for (;;) {
    posts.push(...await shownPosts(page));
    pages += 1;
    if (await page.isDisabled('#next')) return { posts, pages };
    await reloaded(page, () => page.click('#next'));
  }
}

function assertNewestFirst(items, what) {
  for (let i = 1; i < items.length; i += 1) {
    assert.ok(items[i - 1].created >= items[i].created, `${what} newest first (${i})`);
  }
}

export default async function ({ page, base, api, step, screenshot }) {
  let all;
  await step('lists every seeded post once, newest first, 10 to a page', async () => {
    await open(page, base);
    const walk = await walkPages(page);
    all = walk.posts;
    assert.equal(all.length, seeded, 'every seeded post is listed');
    assert.equal(new Set(all.map((p) => p.id)).size, seeded, 'no post is listed twice');
    assert.ok(walk.pages >= Math.ceil(seeded / 10), 'ten to a page');
    assert.match(page.url(), /[?&]page=[^&]+/, 'the page token is in the URL');
    assertNewestFirst(all, 'posts');
    await open(page, base);
    assert.deepEqual((await shownPosts(page)).map((p) => p.id), all.slice(0, 10).map((p) => p.id));
    await screenshot();
  });

  await step('a seeded post shows as many comments as the list counts, newest first', async () => {
    const busiest = all.reduce((a, b) => (b.comments > a.comments ? b : a));
    assert.ok(busiest.comments > 0);
    await open(page, `${base}/?post=${busiest.id}`);
    const comments = await shownComments(page);
    assert.equal(comments.length, busiest.comments);
    assert.equal(await page.textContent('#comment-count'), String(busiest.comments));
    assertNewestFirst(comments, 'comments');
  });

  // The tag most seeded posts share, given to the new post too, so its tag view has many posts.
  const counts = new Map();
  for (const p of all) for (const t of p.tags) counts.set(t, (counts.get(t) || 0) + 1);
  const popular = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const title = 'Browser test: timeuuids and tags';
  let created;
  await step('creates a post through the form; it is the newest, at the top of the list', async () => {
    await open(page, base);
    await page.click('#new-post');
    await page.fill('#post-form [name=title]', title);
    await page.fill('#post-form [name=author]', 'Playwright');
    await page.fill('#post-form [name=tags]', `${popular.toUpperCase()}, browser-test, ${popular}`);
    await page.fill('#post-form [name=body]', 'First paragraph.\n\nSecond paragraph.');
    await reloaded(page, () => page.click('#save'));
    [created] = await shownPosts(page);
    assert.equal(created.title, title, 'the new post is first');
    assert.equal(created.author, 'Playwright');
    assert.deepEqual(created.tags, [popular, 'browser-test'], 'tags lower-cased, each once');
    assert.equal(created.comments, 0);
    assert.ok(created.created > all[0].created, 'newer than every seeded post');
    const stored = await api('GET', `/api/posts/${created.id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.body, 'First paragraph.\n\nSecond paragraph.');
  });

  const typed = [['Ann', 'First!'], ['Bo', 'Second thoughts'], ['Cy', 'Third time lucky']];
  await step('comments three times; they show newest first and the list counts them', async () => {
    await reloaded(page, () => page.click(`.post-card[data-id="${created.id}"] .title`));
    assert.equal(await page.textContent('#post .title'), title);
    assert.deepEqual(await page.$$eval('#post .body p', (ps) => ps.map((p) => p.textContent)),
      ['First paragraph.', 'Second paragraph.']);
    for (const [author, body] of typed) {
      await page.fill('#comment-form [name=author]', author);
      await page.fill('#comment-form [name=body]', body);
      await reloaded(page, () => page.click('#add-comment'));
    }
    const shown = await shownComments(page);
    assert.deepEqual(shown.map((c) => [c.author, c.body]), [...typed].reverse(), 'newest first');
    assert.equal(await page.textContent('#comment-count'), '3');
    const stored = await api('GET', `/api/posts/${created.id}/comments`);
    assert.deepEqual(stored.body.items.map((c) => c.id), shown.map((c) => c.id));
    await reloaded(page, () => page.click('#post .back'));
    const top = (await shownPosts(page))[0];
    assert.equal(top.id, created.id);
    assert.equal(top.comments, 3, 'the list counts the comments');
  });

  await step(`a tag chip lists exactly the posts tagged #${popular}, newest first`, async () => {
    await reloaded(page, () => page.click(`.post-card[data-id="${created.id}"] .chip[data-tag="${popular}"]`));
    assert.match(page.url(), new RegExp(`[?&]tag=${popular}`));
    const walk = await walkPages(page);
    const expected = [created.id, ...all.filter((p) => p.tags.includes(popular)).map((p) => p.id)];
    assert.deepEqual(walk.posts.map((p) => p.id), expected, 'all of them, in order, and no other');
    assert.ok(walk.posts.every((p) => p.tags.includes(popular)));
    await open(page, `${base}/?tag=browser-test`);
    assert.deepEqual((await shownPosts(page)).map((p) => p.id), [created.id]);
  });

  await step('edits the title, body and tags; the page, the API and the tag views follow', async () => {
    await open(page, `${base}/?post=${created.id}`);
    await page.click('#edit-post');
    assert.ok(await page.isDisabled('#post-form [name=author]'), 'the author is kept');
    await page.fill('#post-form [name=title]', `${title} (edited)`);
    await page.fill('#post-form [name=tags]', 'browser-test, edited');
    await page.fill('#post-form [name=body]', 'Rewritten.');
    await reloaded(page, () => page.click('#save'));
    assert.equal(await page.textContent('#post .title'), `${title} (edited)`);
    assert.equal(await page.textContent('#post .body'), 'Rewritten.');
    assert.deepEqual(await page.$$eval('#post .tags .chip', (cs) => cs.map((c) => c.dataset.tag)),
      ['browser-test', 'edited']);
    assert.ok(await page.isVisible('#post .edited'), 'marked as edited');
    const stored = (await api('GET', `/api/posts/${created.id}`)).body;
    assert.equal(stored.title, `${title} (edited)`);
    assert.equal(stored.author, 'Playwright');
    assert.equal(stored.created, created.created, 'the date is the id\'s: unchanged');
    assert.equal(stored.comments, 3);
    const old = await api('GET', `/api/posts?tag=${popular}&size=50`);
    assert.ok(!old.body.items.some((p) => p.id === created.id), `no longer under #${popular}`);
    await open(page, `${base}/?tag=edited`);
    assert.deepEqual((await shownPosts(page)).map((p) => p.id), [created.id]);
  });

  let remaining;
  await step('deletes a comment; the page, the API and the list count follow', async () => {
    await open(page, `${base}/?post=${created.id}`);
    const before = await shownComments(page);
    page.once('dialog', (d) => d.accept());
    await reloaded(page, () => page.click(`#comments li[data-id="${before[1].id}"] .delete-comment`));
    const after = await shownComments(page);
    assert.deepEqual(after.map((c) => c.id), [before[0].id, before[2].id]);
    assert.equal(await page.textContent('#comment-count'), '2');
    const stored = await api('GET', `/api/posts/${created.id}/comments`);
    assert.deepEqual(stored.body.items.map((c) => c.id), after.map((c) => c.id));
    remaining = after.map((c) => c.id);
    await reloaded(page, () => page.click('#post .back'));
    assert.equal((await shownPosts(page))[0].comments, 2);
  });

  await step('refuses an empty comment with the server\'s message, writing nothing', async () => {
    await open(page, `${base}/?post=${created.id}`);
    await page.evaluate(() => { document.querySelector('#comment-form').noValidate = true; });
    await page.fill('#comment-form [name=author]', 'Nobody');
    await page.click('#add-comment');
    await page.waitForSelector('#comment-error:has-text("body must")');
    assert.equal((await api('GET', `/api/posts/${created.id}`)).body.comments, 2);
  });

  await step('deletes the post and its comments; gone from the page and the database', async () => {
    page.once('dialog', (d) => d.accept());
    await reloaded(page, () => page.click('#delete-post'));
    const top = await shownPosts(page);
    assert.ok(!top.some((p) => p.id === created.id));
    assert.equal(top[0].id, all[0].id, 'the newest seeded post is first again');
    assert.equal((await api('GET', `/api/posts/${created.id}`)).status, 404);
    assert.equal((await api('GET', `/api/posts/${created.id}/comments`)).status, 404);
    for (const id of remaining) {
      const gone = await api('DELETE', `/api/posts/${created.id}/comments/${id}`);
      assert.equal(gone.status, 404, 'its comments were deleted with it');
    }
    assert.equal((await api('GET', '/api/posts/not-an-id')).status, 400);
    assert.equal((await api('GET', '/api/posts?page=not-a-token')).status, 400);
  });
}
