#!/usr/bin/env node
// Runs one demo's browser test: seeds a keyspace of the test's own, starts the demo's server on a
// port of the system's choosing, drives its page in Debian's Chromium with Playwright, then stops the server with
// SIGTERM (it must exit cleanly). The spec module exports `seed` (the seed program's arguments)
// and a default async function that receives the harness's helpers (see `helpers` below).
//
//   node run-demo.mjs --name catalog --server build/dev/demos/catalog/server \
//     --seed build/dev/demos/catalog/seed --spec demos/catalog/test/catalog.test.mjs --out DIR
//
// DEMO_UPDATE_SCREENSHOTS=1 also copies the screenshot into demos/<name>/screenshot.png.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: opt } = parseArgs({
  options: {
    name: { type: 'string' }, server: { type: 'string' }, seed: { type: 'string' },
    spec: { type: 'string' }, out: { type: 'string' },
  },
});
for (const k of ['name', 'server', 'seed', 'spec', 'out']) {
  if (!opt[k]) { console.error(`run-demo: --${k} is required`); process.exit(2); }
}
await mkdir(opt.out, { recursive: true });
const spec = await import(pathToFileURL(path.resolve(opt.spec)).href);
const env = { ...process.env, COODIE_KEYSPACE: `coodie_demo_${opt.name.replace(/-/g, '_')}_test` };
const t0 = Date.now();
const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(output)
      : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

let server; let serverLog = ''; let serverExit = null;
// The server listens on a port of the system's choosing (--port 0) and names it in its
// "serving http://host:port/" line, so no other process can take the port in between.
async function startServer() {
  server = spawn(opt.server, ['--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  const exited = new Promise((resolve) => server.on('exit', (code, signal) => { serverExit = { code, signal }; resolve(); }));
  server.exited = exited;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    if (serverExit) throw new Error(`the server exited (${JSON.stringify(serverExit)}) before answering:\n${serverLog}`);
    const serving = /serving (http:\/\/[^/\s]+)\//.exec(serverLog);
    if (serving) {
      try {
        const res = await fetch(`${serving[1]}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return serving[1];
      } catch { /* not answering yet */ }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer /healthz within 60 s:\n${serverLog}`);
}

async function stopServer() {
  if (!server) return;
  if (serverExit) throw new Error(`the server exited (${JSON.stringify(serverExit)}) before it was stopped`);
  server.kill('SIGTERM');
  const timeout = new Promise((r) => setTimeout(r, 15_000, 'timeout'));
  if (await Promise.race([server.exited, timeout]) === 'timeout') {
    server.kill('SIGKILL');
    throw new Error('the server did not stop within 15 s of SIGTERM');
  }
  if (serverExit.code !== 0) throw new Error(`the server exited with ${JSON.stringify(serverExit)} on SIGTERM`);
}

const browserArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];
let browser; let page; let failed = false; const pageErrors = [];
try {
  log(`seeding ${env.COODIE_KEYSPACE}: ${path.basename(opt.seed)} ${(spec.seed ?? []).join(' ')}`);
  process.stdout.write(await run(opt.seed, ['--fresh', ...(spec.seed ?? [])]));
  const base = await startServer();
  log(`server up at ${base}`);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: browserArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  // A failed request is checked by the spec where it matters; other console errors fail the test.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
  });
  const helpers = {
    page, base, log,
    /** The server's JSON API, outside the page (to check what the page did). */
    async api(method, p, body) {
      const res = await fetch(base + p, { method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async step(name, fn) { log(`step: ${name}`); await fn(); },
    /** The screenshot the demo's README shows. */
    async screenshot() {
      const file = path.join(opt.out, 'screenshot.png');
      await page.screenshot({ path: file });
      if (process.env.DEMO_UPDATE_SCREENSHOTS === '1') {
        await copyFile(file, path.join(path.dirname(path.resolve(opt.spec)), '..', 'screenshot.png'));
      }
      log(`screenshot: ${file}`);
    },
    serverLog: () => serverLog,
  };
  await spec.default(helpers);
  if (pageErrors.length) throw new Error(`the page reported errors:\n${pageErrors.join('\n')}`);
  log('passed');
} catch (e) {
  failed = true;
  console.error(`FAILED: ${e.stack || e}`);
  if (page) await page.screenshot({ path: path.join(opt.out, 'failure.png') }).catch(() => {});
  console.error(`--- the server's last lines ---\n${serverLog.split('\n').slice(-40).join('\n')}`);
} finally {
  await browser?.close().catch(() => {});
  try {
    await stopServer();
  } catch (e) {
    failed = true;
    console.error(`FAILED: ${e.message}`);
  }
  await writeFile(path.join(opt.out, 'server.log'), serverLog).catch(() => {});
}
process.exit(failed ? 1 : 0);
