// End-to-end tests of the documentation-site and classroom features: embed mode at 320 px, an embed inside a
// real iframe on a second localhost origin driven by postMessage (its height against its content at 320, 768
// and 1200 px in each provider, the warnings a wrong setting gets, the host's options, which events it
// reports), code snippets, a shipped lesson run start to finish, the side-by-side view, session export and
// import, keyboard use, and axe-core over every view. The drop-in script, mdBook and Sphinx are in
// integrations.test.mjs.
//
// Env: FLEETPLAY_URL (the release build served from dist/, required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default artifacts/screenshots next to this folder). Run with `node --test e2e/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { newContext, open as openPage, shot as shotPage, skip, until, url, useBrowser } from './support.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TRANSFER = 's-0123456789abcdef0';

useBrowser();

/** A fresh page with extra context options (viewport, colour scheme). */
const open = (t, path = '/', options = {}) => openPage(t, path, { options });
/** Full-page screenshots: these views are taller than the window. */
const shot = (page, name) => shotPage(page, name, { fullPage: true });

/** axe-core over the page (or a frame): no violation at all, whatever its impact. */
async function axe(target, name) {
  await target.addScriptTag({ content: axeSource });
  const result = await target.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  assert.deepEqual(result, [], `${name}: axe found ${JSON.stringify(result, null, 1)}`);
}

/** A tiny static server on 127.0.0.1 (a free port): every path gets the host page. */
async function hostServer(t) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(HOST_PAGE.replaceAll('__PLAYGROUND__', new URL(url).origin));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}`;
}

// A documentation page: two lines of HTML embed the playground (the iframe's allow-list comes from ?allow=, any
// further settings from ?settings=), a script records every message the embed posts, and sizes the iframe
// from fleetplay:resize as docs/embedding.md shows.
const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Docs host</title>
<style>body { margin: 0; } iframe { display: block; width: 100%; border: 0; }</style></head><body>
<h1>StopServer reference</h1>
<script>
  window.received = [];
  const query = new URLSearchParams(location.search);
  const allow = query.get('allow') || location.origin;
  const settings = query.get('settings') || 'provider=transfer&op=StopServer&server=s-0123456789abcdef0';
  const src = '__PLAYGROUND__/?embed&' + settings + '&origin=' + encodeURIComponent(allow);
  document.write('<iframe id="fp" title="fleetplay playground" src="' + src + '" height="900"></iframe>');
  window.addEventListener('message', (e) => {
    window.received.push({ origin: e.origin, data: e.data });
    if (e.data && e.data.type === 'fleetplay:resize') document.getElementById('fp').style.height = e.data.height + 'px';
  });
  window.toEmbed = (msg) => document.getElementById('fp').contentWindow.postMessage(msg, '__PLAYGROUND__');
</script></body></html>`;

/** Opens the host page at `hostOrigin` (allowing `allow`), with the embed ready inside. */
async function openHost(t, hostOrigin, allow, { settings, viewport = { width: 800, height: 1000 }, colorScheme } = {}) {
  const ctx = await newContext({ viewport, ...(colorScheme ? { colorScheme } : {}) });
  const page = await ctx.newPage();
  const problems = [];
  const warnings = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    if (m.type() === 'warning') warnings.push(m.text());
  });
  t.after(async () => { await ctx.close(); });
  const query = new URLSearchParams({ allow });
  if (settings) query.set('settings', settings);
  await page.goto(`${hostOrigin}/docs?${query}`);
  const frame = page.frameLocator('#fp');
  await frame.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
  return { page, frame, problems, warnings };
}

/** The iframe's height, and inside it the height of the content (the body), of the window and of what scrolls. */
async function heights(page) {
  const box = await page.locator('#fp').boundingBox();
  const inner = await (await (await page.locator('#fp').elementHandle()).contentFrame()).evaluate(() => ({
    content: Math.ceil(document.body.getBoundingClientRect().height),
    scroll: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerHeight,
    width: window.innerWidth,
  }));
  return { iframe: Math.round(box.height), ...inner };
}

/** Waits until the iframe is exactly as tall as its content: no inner scrollbar, no empty band, nothing
 * scrolling sideways. */
async function fitted(page, what) {
  let last = null;
  try {
    await until(async () => {
      last = await heights(page);
      return last.scroll <= last.viewport && Math.abs(last.viewport - last.content) <= 1 && last.scrollWidth <= last.width;
    }, what, 10000);
  } catch {
    assert.fail(`${what}: the iframe does not fit its content: ${JSON.stringify(last)}`);
  }
  return last;
}

const messages = (page, type) => page.evaluate((type) => window.received.filter((m) => m.data && m.data.type === type), type);

test('embed mode fits 320 px and shows composer, response and one server', { skip }, async (t) => {
  const { page, problems } = await open(t, `/?embed&provider=transfer&op=StopServer&server=${TRANSFER}`,
    { viewport: { width: 320, height: 900 } });
  assert.equal(await page.locator('.fleet').count(), 0, 'no fleet panel in an embed');
  await page.getByRole('heading', { name: 'Request' }).waitFor();
  const card = page.locator('.embed-server');
  assert.match(await card.innerText(), /ONLINE/);
  assert.match(await page.locator('#f-ServerId').inputValue(), /s-0123456789abcdef0/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (overflow ${overflow}px)`);
  await page.getByRole('button', { name: /^Send/ }).click();
  await until(async () => /200 OK/.test(await page.locator('.status').first().innerText()), 'a 200');
  await until(async () => /STOPPING|OFFLINE/.test(await card.innerText()), 'the card to follow the state');
  await shot(page, 'embed-320');
  await axe(page, 'embed');
  assert.deepEqual(problems, []);
});

test('embed follows prefers-color-scheme and &theme', { skip }, async (t) => {
  const bg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await open(t, `/?embed&provider=nova`, { viewport: { width: 400, height: 800 }, colorScheme: 'dark' });
  assert.equal(await bg(dark.page), 'rgb(12, 17, 24)');
  await shot(dark.page, 'embed-dark');
  await axe(dark.page, 'embed dark');
  const forced = await open(t, `/?embed&provider=lightsail&theme=light`, { viewport: { width: 400, height: 800 }, colorScheme: 'dark' });
  await until(async () => (await bg(forced.page)) === 'rgb(244, 246, 249)', 'theme=light to win over the dark preference');
});

test('&theme=dark applies before the wasm mounts: no light flash', { skip }, async (t) => {
  // A light-preferring visitor, so only the theme parameter can make the page dark. The wasm is held back
  // until the checks are done, and what the page looked like at DOMContentLoaded is recorded from inside it.
  const ctx = await newContext({ viewport: { width: 400, height: 800 }, colorScheme: 'light' });
  t.after(async () => { await ctx.close(); });
  await ctx.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      window.atDomContentLoaded = {
        theme: document.documentElement.getAttribute('data-theme'),
        background: getComputedStyle(document.body).backgroundColor,
        ready: document.body.getAttribute('data-ready'),
        // What shows before the app: index.html's frame, the embed's own.
        frame: [...document.querySelectorAll('#frame > .app')].filter((el) => el.getClientRects().length > 0).map((el) => el.className),
      };
    });
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  let release;
  const held = new Promise((r) => { release = r; });
  let wasmAsked = false;
  await page.route(/\.wasm$/, async (route) => { wasmAsked = true; await held; await route.continue(); });
  await page.goto(new URL('/?embed&provider=transfer&theme=dark', url).href, { waitUntil: 'commit' });
  try {
    await page.waitForFunction(() => window.atDomContentLoaded, null, { timeout: 10000 });
    const early = await page.evaluate(() => window.atDomContentLoaded);
    assert.deepEqual(early, { theme: 'dark', background: 'rgb(12, 17, 24)', ready: null, frame: ['app embed frame-embed'] },
      'the dark theme was in place at DOMContentLoaded, before the app mounted');
    await until(async () => wasmAsked, 'the page to ask for the wasm');
    const waiting = await page.evaluate(() => ({
      background: getComputedStyle(document.body).backgroundColor,
      ready: document.body.getAttribute('data-ready'),
    }));
    assert.deepEqual(waiting, { background: 'rgb(12, 17, 24)', ready: null }, 'dark while the wasm loads');
  } finally {
    release();
  }
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
  const mounted = await page.evaluate(() => ({
    theme: document.documentElement.getAttribute('data-theme'),
    background: getComputedStyle(document.body).backgroundColor,
  }));
  assert.deepEqual(mounted, { theme: 'dark', background: 'rgb(12, 17, 24)' }, 'the app keeps the same theme');
  // Odd query strings never break the page, and a value outside light|dark (or no embed) sets nothing.
  for (const query of ['?embed&theme=Dark', '?theme=dark', '?embed=0&theme=dark', '?embed&theme=dark&theme=%',
    '?embed&%E0%A4%A=1&theme=light&theme']) {
    const odd = await ctx.newPage();
    odd.on('pageerror', (e) => problems.push(`page error on ${query}: ${e.message}`));
    await odd.goto(new URL(`/${query}`, url).href);
    await odd.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
    assert.equal(await odd.evaluate(() => document.documentElement.getAttribute('data-theme')), null, query);
    await odd.close();
  }
  assert.deepEqual(problems, []);
});

test('an embed in an iframe on another origin talks to its host by postMessage', { skip }, async (t) => {
  const playground = new URL(url).origin;
  const host = await hostServer(t);
  assert.notEqual(host, playground);
  const { page, frame, problems } = await openHost(t, host, host);
  await until(async () => (await messages(page, 'fleetplay:ready')).length === 1, 'fleetplay:ready');
  const [ready] = await page.evaluate(() => window.received);
  assert.equal(ready.origin, playground);

  // Load a scenario (the built-in fleet with another seed, as a whole scenario object would be sent).
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:load-scenario', scenario: 'builtin' }));
  await until(async () => (await messages(page, 'fleetplay:ack')).some((m) => m.data.for === 'fleetplay:load-scenario'), 'load ack');

  // Prefill a Lightsail request as {method, target, headers, body}: the composer switches provider.
  await page.evaluate(() => window.toEmbed({
    type: 'fleetplay:prefill',
    request: {
      method: 'POST', target: '/',
      headers: [['Content-Type', 'application/x-amz-json-1.1'], ['X-Amz-Target', 'Lightsail_20161128.StopInstance']],
      body: '{"instanceName": "WordPress-1"}',
    },
  }));
  await until(async () => (await frame.locator('#f-instanceName').count()) === 1
    && (await frame.locator('#f-instanceName').inputValue()) === 'WordPress-1', 'the prefilled form');
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:send' }));
  await until(async () => (await messages(page, 'fleetplay:exchange')).length === 1, 'the exchange');
  const [exchange] = await messages(page, 'fleetplay:exchange');
  assert.equal(exchange.origin, playground);
  assert.equal(exchange.data.exchange.operation, 'StopInstance');
  assert.equal(exchange.data.exchange.status, 200);
  await until(async () => (await messages(page, 'fleetplay:event')).some((m) => m.data.event.to === 'stopping'), 'the stopping event');

  // A raw prefill, then send: Transfer this time.
  await page.evaluate(() => window.toEmbed({
    type: 'fleetplay:prefill',
    raw: 'POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: TransferService.StopServer\n\n{"ServerId": "s-0123456789abcdef0"}',
  }));
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:send' }));
  await until(async () => (await messages(page, 'fleetplay:exchange')).length === 2, 'the second exchange');
  const second = (await messages(page, 'fleetplay:exchange'))[1].data.exchange;
  assert.equal(second.operation, 'StopServer');
  await until(async () => (await messages(page, 'fleetplay:event')).some((m) => m.data.event.server === 's-0123456789abcdef0'), 'its event');

  // Malformed messages get an error naming the problem; the embed keeps working.
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:prefill', request: { headers: { 'bad name': 'x' } } }));
  await page.evaluate(() => window.toEmbed('not json at all'));
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:launch-missiles', id: 'q-3' }));
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:load-scenario', scenario: { fleet: 'nope' } }));
  await until(async () => (await messages(page, 'fleetplay:error')).length === 4, 'four error replies');
  const errors = (await messages(page, 'fleetplay:error')).map((m) => m.data.error);
  assert.match(errors[0], /header name/);
  assert.match(errors[1], /not JSON/);
  assert.match(errors[2], /unknown message type/);
  // An answer carries the id of the message it answers.
  assert.deepEqual((await messages(page, 'fleetplay:error')).map((m) => m.data.id), [undefined, undefined, 'q-3', undefined]);
  assert.match(errors[3], /scenario is invalid/);
  assert.ok((await messages(page, 'fleetplay:error')).every((m) => m.origin === playground));
  // Structures that structured clone allows and JSON has no room for: an object that contains itself, nesting
  // far deeper than any message, a Map. Each gets an error; the embed keeps working.
  await page.evaluate(() => {
    const loop = { type: 'fleetplay:prefill' };
    loop.request = loop;
    window.toEmbed(loop);
    let deep = [];
    for (let i = 0; i < 2000; i++) deep = [deep];
    window.toEmbed({ type: 'fleetplay:prefill', request: deep });
    const map = new Map();
    map.set('self', map);
    window.toEmbed(map);
  });
  await until(async () => (await messages(page, 'fleetplay:error')).length === 7, 'three more error replies');
  const structural = (await messages(page, 'fleetplay:error')).slice(4).map((m) => m.data.error);
  for (const e of structural) assert.match(e, /nested too deeply|not a plain JSON object/, e);
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:send' }));
  await until(async () => (await messages(page, 'fleetplay:exchange')).length === 3, 'a send after the hostile messages');
  await frame.getByRole('heading', { name: 'Request' }).waitFor();
  await shotPage(page, 'embed-iframe-host');
  assert.deepEqual(problems, []);
});

test('messages from an origin not on the allow-list are ignored', { skip }, async (t) => {
  const allowed = await hostServer(t);
  const stranger = await hostServer(t);
  // The stranger's page embeds the playground allowing only the other origin.
  const { page, frame, problems, warnings } = await openHost(t, stranger, allowed);
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:send' }));
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:nonsense' }));
  await page.evaluate(() => window.toEmbed({ type: 'fleetplay:prefill', raw: 'GET /nope HTTP/1.1\n\n' }));
  await new Promise((r) => setTimeout(r, 1000));
  // No ready, no reply, no error went to the stranger, and nothing was sent or prefilled.
  assert.deepEqual(await page.evaluate(() => window.received), []);
  assert.equal(await frame.locator('.status').count(), 0);
  assert.equal(await frame.locator('#f-ServerId').inputValue(), 's-0123456789abcdef0');
  // The embed says so in the console, once for the page framing it and once for its messages (not three times),
  // naming the setting that would allow it.
  const ours = warnings.filter((w) => w.startsWith('fleetplay embed:'));
  assert.equal(ours.length, 2, JSON.stringify(ours, null, 1));
  assert.match(ours[0], new RegExp(`is on a page of ${stranger}, which its &origin does not allow \\(allowed: ${allowed}\\)`));
  assert.match(ours[1], new RegExp(`ignored a message from ${stranger}, .* add &origin=${stranger} to the embed's URL`));
  assert.deepEqual(problems, []);
});

test('a wrong &origin is loud: one console warning with the expected form; the embed never posts to itself', { skip }, async (t) => {
  const host = await hostServer(t);
  // A path where an origin belongs: the example.
  const { page, problems, warnings } = await openHost(t, host, `${host}/docs/`);
  await new Promise((r) => setTimeout(r, 500));
  const ours = warnings.filter((w) => w.startsWith('fleetplay embed:'));
  assert.equal(ours.length, 1, JSON.stringify(ours, null, 1));
  assert.equal(ours[0], `fleetplay embed: &origin=${host}/docs/ is not an origin, so it allows no page to drive this `
    + `embed or hear from it; write the host page's origin alone, scheme://host[:port] with no path (here probably &origin=${host})`);
  // Nothing reached the host but the height (sent to the parent whatever its origin, as it carries nothing else),
  // and no browser error about a postMessage to a mismatched origin (the embed posting to its own).
  const received = await page.evaluate(() => window.received.map((m) => m.data));
  assert.ok(received.length > 0 && received.every((m) => m.type === 'fleetplay:resize' && Object.keys(m).sort().join() === 'height,type'),
    JSON.stringify(received));
  assert.deepEqual(problems, []);
});

const PROVIDERS = [
  { name: 'transfer', settings: `provider=transfer&op=StopServer&server=${TRANSFER}`, status: '200 OK' },
  { name: 'lightsail', settings: 'provider=lightsail&op=StopInstance&server=WordPress-1', status: '200 OK' },
  { name: 'nova', settings: 'provider=nova&op=os-stop', status: '202 Accepted' },
];

test('the iframe takes its content\'s height at 320, 768 and 1200 px, idle and after a send in each provider', { skip }, async (t) => {
  const host = await hostServer(t);
  for (const width of [320, 768, 1200]) {
    for (const p of PROVIDERS) {
      const what = `${p.name} at ${width} px`;
      const colorScheme = p.name === 'lightsail' ? 'dark' : 'light';
      const { page, frame, problems } = await openHost(t, host, host, { settings: p.settings, viewport: { width, height: 700 }, colorScheme });
      const idle = await fitted(page, `${what}, idle`);
      await frame.getByRole('button', { name: /^Send/ }).click();
      await until(async () => (await frame.locator('.status').first().innerText()).includes(p.status), `${what}: ${p.status}`);
      const sent = await fitted(page, `${what}, after a send`);
      assert.ok(sent.iframe > idle.iframe, `${what}: the iframe grew with the response (${idle.iframe} → ${sent.iframe})`);
      if (width !== 768) await shotPage(page, `embed-host-${p.name}-${width}-${colorScheme}`, { fullPage: true });
      // The provider switch stays on one row, and the diagram fits the card.
      const rows = await frame.locator('.providers .seg').evaluateAll((segs) => new Set(segs.map((s) => s.offsetTop)).size);
      assert.equal(rows, 1, `${what}: provider switch on one row`);
      const svg = await frame.locator('.embed-server .machine-svg').boundingBox();
      const card = await frame.locator('.embed-server').boundingBox();
      assert.ok(svg.x >= card.x && svg.x + svg.width <= card.x + card.width + 0.5, `${what}: diagram inside its card`);
      assert.deepEqual(problems, [], what);
      await page.context().close();
    }
  }
});

test('fleetplay:event covers the servers the embed shows, unless the host asks for all', { skip }, async (t) => {
  const host = await hostServer(t);
  // Two servers: the shown one is ONLINE, the other is STOPPING at T+0 and finishes a simulated second later.
  const scenario = {
    format: 'fleetplay-scenario/1',
    settings: { transfer: { stopping: { min_ms: 1000, max_ms: 1000 } } },
    fleet: { transfer: [{ id: TRANSFER, state: 'ONLINE' }, { id: 's-0000000000000000a', state: 'STOPPING' }], lightsail: [], nova: { tokens: [], servers: [] } },
  };
  const run = async (settings) => {
    const { page } = await openHost(t, host, host, { settings });
    await page.evaluate((s) => window.toEmbed({ type: 'fleetplay:load-scenario', scenario: s }), scenario);
    await until(async () => (await messages(page, 'fleetplay:ack')).length === 1, 'the load ack');
    await page.frameLocator('#fp').getByRole('button', { name: /^Send/ }).click();
    await until(async () => (await messages(page, 'fleetplay:event')).some((m) => m.data.event.to === 'STOPPING'), 'the shown server stopping');
    await new Promise((r) => setTimeout(r, 1500));
    return (await messages(page, 'fleetplay:event')).map((m) => `${m.data.event.server} ${m.data.event.to}`);
  };
  const shown = await run(`provider=transfer&op=StopServer&server=${TRANSFER}`);
  assert.ok(shown.every((e) => e.startsWith(TRANSFER)), JSON.stringify(shown));
  const all = await run(`provider=transfer&op=StopServer&server=${TRANSFER}&events=all`);
  assert.ok(all.includes('s-0000000000000000a OFFLINE'), JSON.stringify(all));
});

test('native to the host: transparent, compact, accent, providers, and the full playground a click away', { skip }, async (t) => {
  const { page, problems } = await open(t, `/?embed&provider=lightsail&op=StopInstance&server=WordPress-1&transparent&compact&accent=%23b0126f&providers=lightsail,nova`,
    { viewport: { width: 900, height: 900 } });
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgba(0, 0, 0, 0)');
  assert.equal(await page.locator('.seg.on').evaluate((e) => getComputedStyle(e).backgroundColor), 'rgb(176, 18, 111)');
  assert.deepEqual(await page.locator('.providers .seg').allInnerTexts(), ['Lightsail', 'Nova']);
  await page.getByRole('button', { name: /^Send/ }).click();
  await until(async () => /200 OK/.test(await page.locator('.status').first().innerText()), 'a 200');
  const why = page.locator('details.why-more');
  assert.equal(await why.locator('summary').innerText(), 'Why this answer?');
  assert.equal(await why.evaluate((d) => d.open), false, 'folded');
  assert.equal(await page.locator('.why').isVisible(), false);
  await why.locator('summary').click();
  assert.equal(await page.locator('.why').isVisible(), true);
  await axe(page, 'embed, compact and transparent');
  await shot(page, 'embed-options');
  // Switching to Nova addresses a Nova server: the card and the field agree.
  await page.locator('.seg', { hasText: 'Nova' }).click();
  const novaId = await page.locator('#f-server_id').inputValue();
  assert.match(novaId, /^[0-9a-f-]{36}$/);
  assert.match(await page.locator('.embed-server').innerText(), new RegExp(novaId));
  // The full playground opens on the same request.
  const link = page.getByRole('link', { name: /Open in the full playground/ });
  await link.focus();
  assert.match(await link.getAttribute('href'), /^http:\/\/127\.0\.0\.1:\d+\/#share=/);
  const [full] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await full.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
  assert.equal(await full.locator('.fleet').count(), 1, 'the full page');
  assert.equal(await full.locator('#f-server_id').inputValue(), novaId);
  assert.deepEqual(problems, []);
});

test('axe: nothing on the embed in light and dark, before and after a send', { skip }, async (t) => {
  for (const colorScheme of ['light', 'dark']) {
    for (const p of PROVIDERS) {
      const { page } = await open(t, `/?embed&${p.settings}`, { viewport: { width: 800, height: 900 }, colorScheme });
      await axe(page, `${p.name} ${colorScheme}, idle`);
      await page.getByRole('button', { name: /^Send/ }).click();
      await until(async () => (await page.locator('.status').first().innerText()).includes(p.status), p.status);
      await axe(page, `${p.name} ${colorScheme}, after a send`);
      await page.context().close();
    }
  }
});

test('code snippets: every language tab, copy, and the endpoint toggle', { skip }, async (t) => {
  const { page, ctx, problems } = await open(t);
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  await page.getByRole('treeitem', { name: new RegExp(TRANSFER) }).click();
  const panel = page.locator('section.snippets');
  const tabs = panel.getByRole('tab');
  assert.deepEqual(await tabs.allInnerTexts(),
    ['curl', 'AWS CLI', 'boto3 (Python)', 'AWS SDK for JavaScript v3', 'AWS SDK for Rust']);
  await panel.getByRole('tab', { name: 'AWS CLI' }).click();
  const code = panel.locator('pre');
  assert.match(await code.innerText(), /aws transfer stop-server[\s\\]+--server-id s-0123456789abcdef0/);
  assert.doesNotMatch(await code.innerText(), /--endpoint-url/);
  await panel.getByRole('button', { name: 'Copy' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await code.innerText() + (/\n$/.test(await code.innerText()) ? '' : '\n'));
  // Pointing at the playground: the page's origin becomes the endpoint.
  await panel.getByLabel("Point at the playground's simulated endpoint").check();
  assert.match(await code.innerText(), new RegExp(`--endpoint-url ${new URL(url).origin}`));
  await shot(page, 'snippets');
  // Nova: the OpenStack clients; a request no client can send gets only curl, with the reason.
  await page.getByRole('treeitem', { name: /vm-web-1|d0000000-0000-4000-8000-00000000000d/ }).first().click();
  assert.deepEqual(await tabs.allInnerTexts(), ['curl', 'openstack CLI', 'openstacksdk (Python)', 'python-novaclient']);
  await page.getByRole('tab', { name: 'Raw HTTP' }).click();
  await page.getByLabel('Raw request').fill('POST / HTTP/1.1\nX-Amz-Target: Nope.Op\n\n{}');
  assert.deepEqual(await tabs.allInnerTexts(), ['curl']);
  assert.match(await panel.locator('.notes').innerText(), /Only curl can send this request/);
  assert.deepEqual(problems, []);
});

test('a shipped lesson, start to finish, through the page', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await page.getByRole('button', { name: 'Lessons' }).click();
  const panel = page.locator('#lessons');
  await panel.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).click();
  await panel.getByRole('heading', { name: /Lesson: Stop an AWS Transfer Family server/ }).waitFor();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const status = panel.locator('.lesson-progress [role=status]');
  const send = () => page.getByRole('button', { name: /^Send/ }).click();
  assert.equal(await status.innerText(), '0 of 5 steps done');
  // Step 1: the example StopServer.
  await panel.getByRole('button', { name: 'Put the example request in the composer' }).click();
  await send();
  await until(async () => (await status.innerText()) === '1 of 5 steps done', 'step 1');
  // Step 2: DescribeServer while STOPPING (the clock is paused).
  await panel.getByRole('button', { name: 'Put the example request in the composer' }).click();
  await send();
  await until(async () => (await status.innerText()) === '2 of 5 steps done', 'step 2');
  // Step 3: let time run until OFFLINE (other servers' transitions may come first).
  const stepUntil = async (text) => {
    for (let i = 0; i < 20 && (await status.innerText()) !== text; i++) {
      await page.getByRole('button', { name: 'Step to next transition' }).click();
    }
    await until(async () => (await status.innerText()) === text, text);
  };
  await stepUntil('3 of 5 steps done');
  // Step 4: DescribeServer again (still in the composer).
  await send();
  await until(async () => (await status.innerText()) === '4 of 5 steps done', 'step 4');
  // Step 5: stop s-0000000000000000c and watch it fail.
  await page.getByRole('treeitem', { name: /s-0000000000000000c/ }).first().click();
  await page.getByLabel('Operation').selectOption('StopServer');
  await send();
  await stepUntil('All 5 steps done.');
  assert.equal(await panel.locator('.step.done').count(), 5);
  await shot(page, 'lesson-done');
  assert.deepEqual(problems, []);
});

test('a lesson from a URL, and a broken one is refused with its place', { skip }, async (t) => {
  const { page } = await open(t, '/?lesson=lessons/nova-stop-start-cycle.json');
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  const bad = await open(t, '/?lesson=lessons/README.md');
  await bad.page.getByRole('alert').waitFor();
  assert.match(await bad.page.getByRole('alert').innerText(), /cannot be used: line 1/);
});

test('side by side: three dialects from the simulator, with the right statuses', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await page.getByRole('button', { name: 'Side by side' }).click();
  const cols = page.locator('.cmp-col');
  assert.equal(await cols.count(), 3);
  // The first line of class `what` after the column's sub-heading named `heading` (the answer it introduces).
  const under = async (p, heading, what = 'status') => {
    const h = page.locator(`.cmp-col[data-provider=${p}]`).getByRole('heading', { name: heading, exact: true });
    const line = h.locator(`xpath=following-sibling::p[contains(concat(' ', @class, ' '), ' ${what} ')][1]`);
    return (await line.innerText()).trim();
  };
  const first = (p) => under(p, 'Response');
  const again = (p) => under(p, 'Stop it again once stopped');
  assert.equal(await first('transfer'), '200 OK');
  assert.equal(await first('lightsail'), '200 OK');
  assert.equal(await first('nova'), '202 Accepted');
  // Sent again at once, while each server is still moving.
  assert.equal(await under('transfer', 'Stop again while STOPPING'), '200 OK');
  assert.equal(await under('lightsail', 'Stop again while stopping'), '200 OK');
  assert.equal(await under('nova', 'Stop again while ACTIVE · powering-off'), '409 Conflict');
  assert.equal(await under('nova', 'Stop again while ACTIVE · powering-off', 'err-type'), 'conflictingRequest');
  assert.match(await page.locator('.cmp-col[data-provider=nova]').innerText(), /while it is in task_state powering-off/);
  assert.equal(await again('transfer'), '200 OK');
  assert.match(await again('lightsail'), /^400/);
  assert.equal(await again('nova'), '409 Conflict');
  assert.equal(await under('nova', 'Stop it again once stopped', 'err-type'), 'conflictingRequest');
  await shot(page, 'side-by-side');
  await axe(page, 'side by side');
  assert.deepEqual(problems, []);
});

test('export a session and import it elsewhere; a bad file changes nothing', { skip }, async (t) => {
  const { page } = await open(t);
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).click();
  await page.getByRole('button', { name: 'Put the example request in the composer' }).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await until(async () => /1 of 5/.test(await page.locator('.lesson-progress').innerText()), 'step 1 done');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export session' }).click()]);
  const dir = mkdtempSync(join(tmpdir(), 'fleetplay-'));
  const file = join(dir, 'work.json');
  await download.saveAs(file);
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(saved.sends.length, 1);
  assert.equal(saved.progress.steps[0].state, 'done');

  const other = await open(t);
  await other.page.locator('label:has-text("Import session") input[type=file]').setInputFiles(file);
  await other.page.locator('#lessons').getByRole('heading', { name: /Lesson: Stop an AWS Transfer/ }).waitFor();
  assert.match(await other.page.locator('.lesson-progress').innerText(), /1 of 5 steps done/);
  assert.match(await other.page.locator('.timeline').innerText(), /StopServer/);
  // A broken file: a clear message, the session stays.
  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{"format": "fleetplay-session/1", "sends": 3');
  await other.page.locator('label:has-text("Import session") input[type=file]').setInputFiles(junk);
  await other.page.getByRole('alert').waitFor();
  assert.match(await other.page.getByRole('alert').innerText(), /junk\.json cannot be imported: .*Nothing was changed/);
  assert.match(await other.page.locator('.lesson-progress').innerText(), /1 of 5 steps done/);
  assert.match(await other.page.locator('.timeline').innerText(), /StopServer/);
});

test('keyboard only: snippet tabs, lessons and views', { skip }, async (t) => {
  const { page } = await open(t);
  await page.getByRole('treeitem', { name: new RegExp(TRANSFER) }).focus();
  await page.keyboard.press('Enter');
  const tab = page.locator('section.snippets').getByRole('tab', { name: 'curl' });
  await tab.focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'AWS CLI');
  await page.keyboard.press('End');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-selected')), 'true');
  await page.getByRole('button', { name: 'Lessons' }).focus();
  await page.keyboard.press('Enter');
  const start = page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer/ });
  await start.waitFor();
  await start.focus();
  await page.keyboard.press('Enter');
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  await page.getByRole('button', { name: 'Side by side' }).focus();
  await page.keyboard.press('Space');
  await page.locator('.cmp-col').first().waitFor();
});

test('axe: nothing on the main page, lessons and snippets', { skip }, async (t) => {
  const { page } = await open(t);
  await axe(page, 'main');
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.locator('.lesson-list li').first().waitFor();
  await shot(page, 'lessons-list');
  await axe(page, 'lessons list');
  await page.getByRole('button', { name: /Start lesson: Throttling|Start lesson: .*[Tt]hrottl/ }).first().click();
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  await axe(page, 'lesson in progress');
  await page.getByRole('treeitem', { name: new RegExp(TRANSFER) }).click();
  await page.locator('section.snippets').getByRole('tab', { name: 'boto3 (Python)' }).click();
  await axe(page, 'snippets');
  await shot(page, 'main-with-lesson');
  const dark = await open(t, '/', { colorScheme: 'dark' });
  await axe(dark.page, 'main dark');
});
