// The catalog page: filters and page tokens live in the URL (?category=&brand=&size=&page=&n=),
// so Back, Forward and reload show the same page.
import { api, esc, params, setParams, toast } from '/kit.js';

const $ = (id) => document.getElementById(id);
let editing = null; // the product being edited, or null for a new one

function stockCell(n) {
  const cls = n === 0 ? 'stock-out' : n < 10 ? 'stock-low' : '';
  return `<span class="num ${cls}">${n}</span>`;
}

function row(p) {
  const tags = p.tags.map((t) => `<span class="chip pink">${esc(t)}</span>`).join('');
  return `<tr data-id="${esc(p.id)}" data-category="${esc(p.category)}">
    <td class="name">${esc(p.name)}</td>
    <td class="brand"><span class="chip">${esc(p.brand)}</span></td>
    <td class="category">${esc(p.category)}</td>
    <td class="price">$${p.price.toFixed(2)}</td>
    <td class="stock">${stockCell(p.stock)}</td>
    <td class="tags">${tags}</td>
    <td class="actions"><button class="ghost edit">Edit</button><button class="danger delete">Delete</button></td>
  </tr>`;
}

async function loadCategories() {
  const cats = await api('GET', '/api/categories');
  cats.sort();
  const current = params().get('category') || '';
  $('category').innerHTML = '<option value="">All categories</option>' +
    cats.map((c) => `<option${c === current ? ' selected' : ''}>${esc(c)}</option>`).join('');
  $('category-list').innerHTML = cats.map((c) => `<option value="${esc(c)}">`).join('');
}

let loadSeq = 0; // the newest load's number: an older reply arriving late is dropped

async function load() {
  const seq = ++loadSeq;
  const p = params();
  $('brand').value = p.get('brand') || '';
  $('size').value = p.get('size') || '12';
  $('category').value = p.get('category') || '';
  const q = new URLSearchParams();
  for (const k of ['category', 'brand', 'size', 'page']) if (p.get(k)) q.set(k, p.get(k));
  const n = Number(p.get('n') || 1);
  try {
    const page = await api('GET', `/api/products?${q}`);
    if (seq !== loadSeq) return;
    $('rows').innerHTML = page.items.length ? page.items.map(row).join('')
      : '<tr><td colspan="7" class="muted">No products here.</td></tr>';
    $('rows').products = page.items;
    $('page-info').textContent = `Page ${n} · ${page.items.length} products`;
    $('prev').disabled = n <= 1;
    $('next').disabled = !page.next;
    $('next').dataset.token = page.next || '';
  } catch (e) {
    if (seq !== loadSeq) return;
    $('rows').innerHTML = `<tr><td colspan="7" class="error">${esc(e.message)}</td></tr>`;
    toast(e.message, 'error');
  }
  document.body.dataset.loads = String(Number(document.body.dataset.loads || 0) + 1);
}

function openEditor(product) {
  editing = product;
  const f = $('product-form');
  f.reset();
  $('form-error').textContent = '';
  $('editor-title').textContent = product ? `Edit ${product.name}` : 'New product';
  f.category.disabled = !!product; // the partition key: a product does not move
  if (product) {
    for (const k of ['name', 'category', 'brand', 'price', 'stock']) f[k].value = product[k];
    f.tags.value = product.tags.join(', ');
    f.description.value = product.description || '';
  } else if (params().get('category')) {
    f.category.value = params().get('category');
  }
  $('editor').showModal();
}

async function save(ev) {
  ev.preventDefault();
  const f = $('product-form');
  const body = {
    name: f.name.value, brand: f.brand.value, price: Number(f.price.value), stock: Number(f.stock.value),
    tags: f.tags.value.split(',').map((t) => t.trim()).filter(Boolean), description: f.description.value,
  };
  try {
    if (editing) {
      await api('PUT', `/api/products/${encodeURIComponent(editing.category)}/${editing.id}`, body);
      toast(`Saved ${body.name}`);
    } else {
      body.category = f.category.value;
      const p = await api('POST', '/api/products', body);
      toast(`Created ${p.name} in ${p.category}`);
    }
    $('editor').close();
    await loadCategories();
    await load();
  } catch (e) {
    $('form-error').textContent = e.message;
  }
}

async function remove(product) {
  if (!confirm(`Delete ${product.name}?`)) return;
  try {
    await api('DELETE', `/api/products/${encodeURIComponent(product.category)}/${product.id}`);
    toast(`Deleted ${product.name}`);
    await load();
  } catch (e) {
    toast(e.message, 'error');
  }
}

function search(ev) {
  ev?.preventDefault();
  const p = new URLSearchParams();
  if ($('category').value) p.set('category', $('category').value);
  if ($('brand').value.trim()) p.set('brand', $('brand').value.trim());
  if ($('size').value !== '12') p.set('size', $('size').value);
  setParams(p);
  load();
}

$('filters').addEventListener('submit', search);
$('category').addEventListener('change', search);
$('size').addEventListener('change', search);
$('reset').addEventListener('click', () => { setParams(new URLSearchParams()); load(); });
$('new-product').addEventListener('click', () => openEditor(null));
$('cancel').addEventListener('click', () => $('editor').close());
$('product-form').addEventListener('submit', save);
$('next').addEventListener('click', () => {
  const p = params();
  p.set('page', $('next').dataset.token);
  p.set('n', String(Number(p.get('n') || 1) + 1));
  setParams(p);
  load();
});
$('prev').addEventListener('click', () => history.back());
window.addEventListener('popstate', load);
$('rows').addEventListener('click', (ev) => {
  const tr = ev.target.closest('tr[data-id]');
  if (!tr) return;
  const product = $('rows').products.find((p) => p.id === tr.dataset.id);
  if (ev.target.classList.contains('edit')) openEditor(product);
  if (ev.target.classList.contains('delete')) remove(product);
});

await loadCategories().catch((e) => toast(e.message, 'error'));
await load();
document.body.dataset.ready = 'true';
