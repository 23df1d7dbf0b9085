// The session store's page: the list is read again every few seconds (expired rows are gone
// because Cassandra no longer returns them) and each row's time left, read with TTL(column),
// counts down in the browser between reads. The user filter lives in the URL (?user=).
import { api, esc, params, setParams, toast } from '/kit.js';

const $ = (id) => document.getElementById(id);
const refreshMs = 3000;
const rowsById = new Map(); // session id -> <tr>, kept across reads so rows update in place
let defaultTtl = 0;
let started = 0; // reads started; an older read that returns late is dropped
let timer;

/** "42 s", "12m 05s", "7h 32m"; whole minutes and hours as "30 min", "8 h". */
function duration(s) {
  s = Math.max(0, Math.ceil(s));
  if (s < 60) return `${s} s`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s < 3600 && s % 60 === 0) return `${s / 60} min`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function ago(ms) {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  return s < 5 ? 'just now' : `${duration(s)} ago`;
}

/** Seconds a session has left now: what the server said, less the time since it said it. */
function left(tr) {
  return Math.max(0, tr.session.remaining - (performance.now() - tr.readAt) / 1000);
}

function lifetimeCell(s) {
  return s.table_default
    ? `<span class="chip good">${duration(s.lifetime)}</span> <span class="muted small">default</span>`
    : `<span class="chip ${s.lifetime < 3600 ? 'warn' : 'pink'}">${duration(s.lifetime)}</span>`;
}

/** A new row's cells; fill() writes what changes, so its buttons stay the same elements. */
function skeleton(tr) {
  tr.innerHTML = `
    <td class="user"><span class="chip"></span></td>
    <td class="device"></td>
    <td class="started muted"></td>
    <td class="seen muted"></td>
    <td class="lifetime"></td>
    <td class="left"><div class="ttl"><div class="ttl-bar"><div class="ttl-fill"></div></div>
      <span class="ttl-text num"></span></div></td>
    <td class="actions"><button class="ghost extend">Extend</button><button class="danger logout">Log out</button></td>`;
}

function fill(tr, s, readAt) {
  tr.session = s;
  tr.readAt = readAt;
  tr.dataset.user = s.user;
  tr.querySelector('.user .chip').textContent = s.user;
  tr.querySelector('.device').textContent = s.device;
  tr.querySelector('.started').textContent = ago(s.started);
  tr.querySelector('.seen').textContent = ago(s.last_seen);
  const life = tr.querySelector('.lifetime');
  life.dataset.lifetime = String(s.lifetime);
  life.innerHTML = lifetimeCell(s);
}

/** Redraws one row's countdown: the text, the bar's width and its colour (green to red). */
function tick(tr) {
  if (tr.session.remaining === null) return; // no TTL (cannot happen with a default TTL)
  const secs = left(tr);
  const frac = Math.min(1, secs / tr.session.lifetime);
  const text = tr.querySelector('.ttl-text');
  text.dataset.remaining = String(Math.ceil(secs));
  text.textContent = secs > 0 ? duration(secs) : 'expired';
  const bar = tr.querySelector('.ttl-fill');
  const hue = Math.round(120 * frac);
  bar.dataset.hue = String(hue);
  bar.style.width = `${(frac * 100).toFixed(1)}%`;
  bar.style.background = `linear-gradient(90deg, hsl(${hue} 85% 42%), hsl(${hue} 90% 58%))`;
  tr.classList.toggle('expired', secs <= 0);
  tr.classList.toggle('soon', secs > 0 && frac < 0.15);
}

function tickAll() {
  let soon = 0;
  for (const tr of rowsById.values()) {
    tick(tr);
    if (left(tr) > 0 && left(tr) <= 60) soon += 1;
  }
  $('stat-soon').textContent = String(soon);
}

function render(items, readAt) {
  const tbody = $('rows');
  tbody.querySelector('.placeholder')?.remove();
  items.sort((a, b) => a.remaining - b.remaining || a.user.localeCompare(b.user) || a.id.localeCompare(b.id));
  const ids = new Set(items.map((s) => s.id));
  for (const [id, tr] of rowsById) {
    if (!ids.has(id)) { tr.remove(); rowsById.delete(id); }
  }
  // Rows already in place stay put: moving one restarts its highlight animation.
  let at = tbody.firstElementChild;
  for (const s of items) {
    let tr = rowsById.get(s.id);
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.id = s.id;
      skeleton(tr);
      rowsById.set(s.id, tr);
    }
    fill(tr, s, readAt);
    if (tr === at) at = at.nextElementSibling;
    else tbody.insertBefore(tr, at);
  }
  if (!items.length) tbody.innerHTML = '<tr class="placeholder"><td colspan="7" class="muted">No live session here.</td></tr>';
  tickAll();
}

let usersShown = null; // the filter's options as last written (not rewritten while unchanged)
function fillUsers(users) {
  users.sort();
  $('stat-users').textContent = String(users.length);
  const current = params().get('user') || '';
  const shown = current && !users.includes(current) ? [current, ...users] : users;
  const key = JSON.stringify([current, shown]);
  if (key === usersShown) return;
  usersShown = key;
  $('user-filter').innerHTML = '<option value="">All users</option>' +
    shown.map((u) => `<option${u === current ? ' selected' : ''}>${esc(u)}</option>`).join('');
  $('user-list').innerHTML = users.map((u) => `<option value="${esc(u)}">`).join('');
}

/** Reads the list (and the users) again, then schedules the next read. */
async function load() {
  clearTimeout(timer);
  const mine = ++started;
  const user = params().get('user');
  try {
    const [list, users] = await Promise.all([
      api('GET', `/api/sessions${user ? `?user=${encodeURIComponent(user)}` : ''}`),
      api('GET', '/api/users'),
    ]);
    if (mine !== started) return; // a newer read is under way
    defaultTtl = list.default_ttl;
    $('ttl-default').textContent = `Table default (${duration(defaultTtl)})`;
    $('stat-default').textContent = duration(defaultTtl);
    fillUsers(users);
    render(list.items, performance.now());
    $('stat-count').textContent = String(list.items.length);
    $('list-info').textContent = `${list.items.length} sessions${list.truncated ? ' (first ones only)' : ''}` +
      ` · expiring first · read at ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    if (mine !== started) return;
    toast(e.message, 'error');
  }
  document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
  timer = setTimeout(load, refreshMs);
}

/** Lights a row up for a moment (a new or extended session). */
function flash(id) {
  const tr = rowsById.get(id);
  if (!tr) return;
  tr.classList.remove('fresh');
  void tr.offsetWidth; // restarts the animation
  tr.classList.add('fresh');
  // Dropped once played: moving a row into sorted place would replay it.
  tr.addEventListener('animationend', () => tr.classList.remove('fresh'), { once: true });
}

async function create(ev) {
  ev.preventDefault();
  const f = $('login-form');
  const choice = f.ttl.value;
  const body = { user: f.user.value, device: f.device.value };
  if (choice === 'custom') body.ttl = Number(f['ttl-custom'].value);
  else if (choice) body.ttl = Number(choice);
  $('form-error').textContent = '';
  try {
    const s = await api('POST', '/api/sessions', body);
    toast(`Logged in ${s.user} on ${s.device}: ${duration(s.remaining)} left`);
    f.device.value = '';
    await load();
    flash(s.id);
  } catch (e) {
    $('form-error').textContent = e.message;
  }
}

async function extend(s) {
  try {
    const t = await api('POST', `/api/sessions/${encodeURIComponent(s.user)}/${s.id}/touch`);
    toast(`Extended ${t.user}'s session on ${t.device}: ${duration(t.remaining)} left again`);
    await load();
    flash(s.id);
  } catch (e) {
    toast(e.message, 'error');
    await load();
  }
}

async function logout(s) {
  if (!confirm(`Log ${s.user} out of ${s.device}?`)) return;
  try {
    await api('DELETE', `/api/sessions/${encodeURIComponent(s.user)}/${s.id}`);
    toast(`Logged ${s.user} out of ${s.device}`);
  } catch (e) {
    toast(e.message, 'error');
  }
  await load();
}

$('login-form').addEventListener('submit', create);
$('ttl').addEventListener('change', () => { $('custom-label').hidden = $('ttl').value !== 'custom'; });
$('user-filter').addEventListener('change', () => {
  const p = new URLSearchParams();
  if ($('user-filter').value) p.set('user', $('user-filter').value);
  setParams(p);
  load();
});
window.addEventListener('popstate', load);
$('rows').addEventListener('click', (ev) => {
  const tr = ev.target.closest('tr[data-id]');
  if (!tr) return;
  if (ev.target.classList.contains('extend')) extend(tr.session);
  if (ev.target.classList.contains('logout')) logout(tr.session);
});
setInterval(tickAll, 250);

await load();
document.body.dataset.ready = 'true';
