// The blog page: one page, two views chosen by the URL: the post list (?tag=&page=&n=, page
// tokens in the URL so Back, Forward and reload work) and a post with its comments (?post=ID).
import { api, esc, params, setParams, toast } from '/kit.js';

const $ = (id) => document.getElementById(id);
let current = null; // the post shown in the post view
let editing = null; // the post being edited, or null for a new one
let commentsNext = null; // the token of the next page of comments

const colours = ['', 'pink', 'good', 'warn'];
function hash(s) {
  let h = 0;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) % 997;
  return h;
}
function tagChip(t, count) {
  const h = hash(t);
  const n = count === undefined ? '' : ` <span class="n">${count}</span>`;
  const active = params().get('tag') === t ? ' active' : '';
  return `<a class="chip ${colours[h % colours.length]}${active}" href="/?tag=${encodeURIComponent(t)}" data-nav data-tag="${esc(t)}">#${esc(t)}${n}</a>`;
}

const utc = { timeZone: 'UTC' };
const day = (iso) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', ...utc });
const stamp = (iso) => `${day(iso)}, ${new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', ...utc })}`;
const paragraphs = (body) => body.split(/\n\s*\n/).map((p) => `<p>${esc(p)}</p>`).join('');
const excerpt = (body) => (body.length > 200 ? `${body.slice(0, 200).replace(/\s+\S*$/, '')}…` : body);
const initials = (name) => name.split(/\s+/).map((w) => w[0] || '').join('').slice(0, 2).toUpperCase();

function postCard(p) {
  return `<article class="panel post-card" data-id="${esc(p.id)}" data-created="${esc(p.created)}">
    <div class="avatar a${hash(p.author) % 4}" aria-hidden="true">${esc(initials(p.author))}</div>
    <div class="grow">
      <h3><a class="title" href="/?post=${esc(p.id)}" data-nav>${esc(p.title)}</a></h3>
      <div class="meta"><span class="author">${esc(p.author)}</span> &middot;
        <time datetime="${esc(p.created)}">${day(p.created)}</time> &middot;
        <span class="chip good n-comments"><span class="count">${p.comments}</span> comment${p.comments === 1 ? '' : 's'}</span></div>
      <p class="excerpt">${esc(excerpt(p.body.replace(/\n+/g, ' ')))}</p>
      <div class="tags">${p.tags.map((t) => tagChip(t)).join('')}</div>
    </div>
  </article>`;
}

async function loadTags() {
  try {
    const tags = await api('GET', '/api/tags');
    $('tags').innerHTML = tags.length ? tags.map((t) => tagChip(t.tag, t.posts)).join('')
      : '<span class="muted">No tags yet.</span>';
  } catch (e) {
    toast(e.message, 'error');
  }
}

async function loadList() {
  const p = params();
  const tag = p.get('tag');
  $('list-title').textContent = tag ? `Posts tagged #${tag}` : 'Latest posts';
  $('clear-tag').hidden = !tag;
  const q = new URLSearchParams();
  for (const k of ['tag', 'size', 'page']) if (p.get(k)) q.set(k, p.get(k));
  const n = Number(p.get('n') || 1);
  try {
    const page = await api('GET', `/api/posts?${q}`);
    $('posts').innerHTML = page.items.length ? page.items.map(postCard).join('')
      : `<p class="panel muted">${n > 1 ? 'No older posts.' : 'No posts here yet.'}</p>`;
    $('page-info').textContent = `Page ${n} · ${page.items.length} posts`;
    $('prev').disabled = n <= 1;
    $('next').disabled = !page.next;
    $('next').dataset.token = page.next || '';
  } catch (e) {
    $('posts').innerHTML = `<p class="panel error">${esc(e.message)}</p>`;
    toast(e.message, 'error');
  }
}

function commentItem(c) {
  return `<li class="comment" data-id="${esc(c.id)}">
    <div class="avatar small" aria-hidden="true">${esc(initials(c.author))}</div>
    <div class="grow">
      <div class="meta"><span class="author">${esc(c.author)}</span> &middot; <time datetime="${esc(c.created)}">${stamp(c.created)}</time></div>
      <p class="body">${esc(c.body)}</p>
    </div>
    <button class="ghost delete-comment" title="Delete this comment">&times;</button>
  </li>`;
}

async function loadPost(id) {
  try {
    const [post, comments] = await Promise.all([
      api('GET', `/api/posts/${encodeURIComponent(id)}`),
      api('GET', `/api/posts/${encodeURIComponent(id)}/comments`),
    ]);
    current = post;
    const edited = post.updated ? ` &middot; <span class="muted edited">edited ${day(post.updated)}</span>` : '';
    $('post').innerHTML = `<a href="/" data-nav class="back">&larr; all posts</a>
      <h2 class="title">${esc(post.title)}</h2>
      <div class="meta"><span class="author">${esc(post.author)}</span> &middot;
        <time datetime="${esc(post.created)}">${stamp(post.created)}</time>${edited}</div>
      <div class="tags">${post.tags.map((t) => tagChip(t)).join('')}</div>
      <div class="body">${paragraphs(post.body)}</div>
      <div class="row actions"><span class="grow"></span>
        <button class="ghost" id="edit-post">Edit</button><button class="danger" id="delete-post">Delete</button></div>`;
    $('comment-count').textContent = String(post.comments);
    $('comments').innerHTML = comments.items.map(commentItem).join('');
    commentsNext = comments.next;
    $('older-comments').hidden = !commentsNext;
    document.title = `${post.title} · coodie blog`;
  } catch (e) {
    current = null;
    $('post').innerHTML = `<a href="/" data-nav class="back">&larr; all posts</a><p class="error">${esc(e.message)}</p>`;
    $('comments').innerHTML = '';
    $('comment-count').textContent = '0';
    $('older-comments').hidden = true;
  }
}

async function load() {
  const id = params().get('post');
  $('list-view').hidden = !!id;
  $('post-view').hidden = !id;
  if (id) await loadPost(id);
  else {
    document.title = 'coodie blog';
    await loadList();
  }
  for (const a of document.querySelectorAll('#tags .chip')) a.classList.toggle('active', a.dataset.tag === params().get('tag'));
  document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
}

function go(search) {
  setParams(new URLSearchParams(search));
  window.scrollTo(0, 0);
  return load();
}

function openEditor(post) {
  editing = post;
  const f = $('post-form');
  f.reset();
  $('form-error').textContent = '';
  $('editor-title').textContent = post ? 'Edit post' : 'New post';
  $('save').textContent = post ? 'Save' : 'Publish';
  f.author.disabled = !!post; // the author stays; so does the date (the post's timeuuid)
  if (post) {
    f.title.value = post.title;
    f.author.value = post.author;
    f.tags.value = post.tags.join(', ');
    f.body.value = post.body;
  }
  $('editor').showModal();
}

async function save(ev) {
  ev.preventDefault();
  const f = $('post-form');
  const body = {
    title: f.title.value, body: f.body.value,
    tags: f.tags.value.split(',').map((t) => t.trim()).filter(Boolean),
  };
  try {
    if (editing) {
      await api('PUT', `/api/posts/${editing.id}`, body);
      toast('Saved');
      $('editor').close();
      await load();
    } else {
      body.author = f.author.value;
      const p = await api('POST', '/api/posts', body);
      toast(`Published "${p.title}"`);
      $('editor').close();
      await go(''); // the first page: a new post is the newest
    }
    await loadTags();
  } catch (e) {
    $('form-error').textContent = e.message;
  }
}

async function deletePost() {
  if (!current || !confirm(`Delete "${current.title}" and its comments?`)) return;
  try {
    await api('DELETE', `/api/posts/${current.id}`);
    toast(`Deleted "${current.title}"`);
    await go('');
    await loadTags();
  } catch (e) {
    toast(e.message, 'error');
  }
}

async function addComment(ev) {
  ev.preventDefault();
  const f = $('comment-form');
  $('comment-error').textContent = '';
  try {
    await api('POST', `/api/posts/${current.id}/comments`, { author: f.author.value, body: f.body.value });
    f.body.value = '';
    await load();
  } catch (e) {
    $('comment-error').textContent = e.message;
  }
}

async function deleteComment(li) {
  if (!confirm('Delete this comment?')) return;
  try {
    await api('DELETE', `/api/posts/${current.id}/comments/${li.dataset.id}`);
    toast('Comment deleted');
    await load();
  } catch (e) {
    toast(e.message, 'error');
  }
}

async function olderComments() {
  const q = new URLSearchParams({ page: commentsNext });
  const page = await api('GET', `/api/posts/${current.id}/comments?${q}`).catch((e) => toast(e.message, 'error'));
  if (!page) return;
  $('comments').insertAdjacentHTML('beforeend', page.items.map(commentItem).join(''));
  commentsNext = page.next;
  $('older-comments').hidden = !commentsNext;
}

document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a[data-nav]');
  if (a && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey && ev.button === 0) {
    ev.preventDefault();
    go(new URL(a.href).search);
    return;
  }
  if (ev.target.closest('#edit-post')) openEditor(current);
  if (ev.target.closest('#delete-post')) deletePost();
  const del = ev.target.closest('.delete-comment');
  if (del) deleteComment(del.closest('li'));
});
$('new-post').addEventListener('click', () => openEditor(null));
$('cancel').addEventListener('click', () => $('editor').close());
$('post-form').addEventListener('submit', save);
$('comment-form').addEventListener('submit', addComment);
$('older-comments').addEventListener('click', olderComments);
$('next').addEventListener('click', () => {
  const p = params();
  p.set('page', $('next').dataset.token);
  p.set('n', String(Number(p.get('n') || 1) + 1));
  go(p.toString());
});
$('prev').addEventListener('click', () => history.back());
window.addEventListener('popstate', load);

await Promise.all([loadTags(), load()]);
document.body.dataset.ready = 'true';
