// End-to-end tests of the ways a documentation site embeds fleetplay, each on a host page served from a second
// loopback origin: the drop-in script (static/embed.js, served as /embed.js) on a plain page, the example book
// of crates/mdbook-fleetplay built by a real mdBook, integrations/sphinx/example built by a real Sphinx, and
// the drop-in script in the example sites of integrations/mkdocs (MkDocs with Material), integrations/hugo
// (Debian's Hugo) and integrations/docusaurus (Docusaurus), each written as docs/embedding.md tells.
//
// Env: FLEETPLAY_URL (the release build served from dist/, required), CHROMIUM; MDBOOK (an mdBook binary) and
// MDBOOK_FLEETPLAY (the preprocessor's binary) for the mdBook test, SPHINX_PYTHON (a python with Sphinx) for
// the Sphinx test, MKDOCS_PYTHON (a python with MkDocs and Material), HUGO (a Hugo binary) and
// DOCUSAURUS_MODULES (a node_modules folder with Docusaurus) for theirs. `cargo xtask test e2e` installs and
// sets all of them (xtask/src/integrations.rs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newContext, shot, skip, until, url, useBrowser } from './support.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TRANSFER = 's-0123456789abcdef0';

useBrowser();

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

/** Serves `dir` (or, for `/`, the page `html`) on 127.0.0.1 at a free port: the documentation site's origin. */
async function site(t, { dir, html, files = {} }) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/favicon.ico') {
      // A site without a favicon: nothing to fetch, and no 404 in the console.
      res.writeHead(204);
      res.end();
      return;
    }
    if (files[path] !== undefined) {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'text/plain' });
      res.end(files[path]);
      return;
    }
    if (html !== undefined && path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(html);
      return;
    }
    const file = dir && normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file || !file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}`;
}

/** A page at `address`, recording page errors and the console's warnings (the embeds' included). */
async function visit(t, address, options = {}) {
  const ctx = await newContext({ viewport: { width: 1200, height: 900 }, ...options });
  t.after(async () => { await ctx.close(); });
  const page = await ctx.newPage();
  const problems = [];
  const warnings = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await page.goto(address);
  return { page, problems, warnings };
}

/** The embed inside `host` (a locator of the host element), once its app is ready. */
async function embedIn(host) {
  const frame = host.frameLocator('iframe');
  await frame.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
  return frame;
}

/** The iframe's height, and inside it the height of the content (the body), of the window and of what scrolls. */
async function heights(host) {
  const iframe = host.locator('iframe');
  const box = await iframe.boundingBox();
  const inner = await (await (await iframe.elementHandle()).contentFrame()).evaluate(() => ({
    content: Math.ceil(document.body.getBoundingClientRect().height),
    scroll: document.documentElement.scrollHeight,
    viewport: window.innerHeight,
  }));
  return { iframe: Math.round(box.height), ...inner };
}

/** Waits until the iframe is exactly as tall as its content: no inner scrollbar, no empty band. */
async function fitted(host, what) {
  let last = null;
  try {
    await until(async () => {
      last = await heights(host);
      return last.scroll <= last.viewport && Math.abs(last.viewport - last.content) <= 1;
    }, what, 10000);
  } catch {
    assert.fail(`${what}: the iframe does not take its content's height: ${JSON.stringify(last)}`);
  }
}

const DROP_IN_PAGE = (playground) => `<!doctype html><html lang="en" data-theme="light"><head><meta charset="utf-8">
<title>Stopping servers</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 900px; padding: 16px; }
  [data-theme="dark"] body { background: #1b1b1d; color: #e3e3e3; }
  .far { margin-top: 4000px; }
</style></head><body>
<main>
<h1>Stopping servers</h1>
<p>Stop an AWS Transfer Family server:</p>
<div id="first" data-fleetplay="provider=transfer&op=StopServer&server=${TRANSFER}"></div>
<p class="far">And a Lightsail instance, far down the page:</p>
<div id="second" data-fleetplay="provider=lightsail&op=StopInstance&server=Docs-Blog&compact&transparent"
  data-fleetplay-title="fleetplay: stop Docs-Blog" data-fleetplay-scenario="fleets/blog.json"></div>
</main>
<script src="${playground}/embed.js" async></script>
</body></html>`;

// The second embed's own fleet, a file of the documentation site that the script fetches.
const BLOG_FLEET = JSON.stringify({
  format: 'fleetplay-scenario/1',
  fleet: { transfer: [], lightsail: [{ name: 'Docs-Blog', state: 'running' }], nova: { tokens: [], servers: [] } },
});

test('drop-in script: lazy, sized, themed after the host, independent, with a JS API', { skip }, async (t) => {
  const host = await site(t, { html: DROP_IN_PAGE(new URL(url).origin), files: { '/fleets/blog.json': BLOG_FLEET } });
  assert.notEqual(new URL(host).origin, new URL(url).origin);
  const { page, problems, warnings } = await visit(t, host);
  const first = await embedIn(page.locator('#first'));
  // The second embed is 4,000 px down: not created until the reader comes near it.
  assert.equal(await page.locator('#second iframe').count(), 0, 'the far embed waits');
  assert.match(await page.locator('#first iframe').getAttribute('title'), /StopServer/);
  await fitted(page.locator('#first'), 'idle');

  // The JS object: prefill, send, events.
  const result = await page.evaluate(async (id) => {
    const fp = window.fleetplay.get('first');
    const events = [];
    fp.on('event', (e) => events.push(`${e.server} ${e.from}→${e.to}`));
    const domEvents = [];
    fp.element.addEventListener('fleetplay:exchange', (e) => domEvents.push(e.detail.operation));
    await fp.ready;
    const ack = await fp.prefill(`POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: TransferService.StopServer\n\n{"ServerId": "${id}"}`);
    const exchange = await fp.send();
    await new Promise((r) => setTimeout(r, 300));
    let refused = null;
    try { await fp.prefill({ headers: { 'bad name': 'x' } }); } catch (e) { refused = e.message; }
    return { ack: ack.for, provider: ack.provider, status: exchange.status, operation: exchange.operation, events, domEvents, refused };
  }, TRANSFER);
  assert.equal(result.ack, 'fleetplay:prefill');
  assert.equal(result.provider, 'transfer');
  assert.equal(result.status, 200);
  assert.equal(result.operation, 'StopServer');
  assert.deepEqual(result.domEvents, ['StopServer']);
  assert.ok(result.events.some((e) => e.startsWith(`${TRANSFER} ONLINE→STOPPING`)), JSON.stringify(result.events));
  assert.match(result.refused, /header name/);
  assert.match(await first.locator('.status').first().innerText(), /200 OK/);
  await fitted(page.locator('#first'), 'after a send');

  // Scrolled to, the second embed appears, untouched by the first one's send.
  await page.locator('#second').scrollIntoViewIfNeeded();
  const second = await embedIn(page.locator('#second'));
  assert.equal(await page.locator('#second iframe').getAttribute('title'), 'fleetplay: stop Docs-Blog');
  assert.equal(await second.locator('.status').count(), 0, 'nothing was sent in the second embed');
  // Its fleet came from the site's file.
  await until(async () => /Docs-Blog/.test(await second.locator('.embed-server').innerText()), 'the fetched fleet');
  assert.equal(await second.locator('#f-instanceName').inputValue(), 'Docs-Blog');
  await fitted(page.locator('#second'), 'the second embed');
  // A scenario file that is not there: the promise says so, and the embed goes on taking messages.
  const missing = await page.evaluate(async () => {
    const fp = window.fleetplay.get('second');
    const failed = await fp.loadScenario('fleets/missing.json').then(() => null, (e) => e.message);
    const after = await fp.prefill('POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: Lightsail_20161128.StopInstance\n\n{"instanceName": "Docs-Blog"}');
    return { failed, after: after.for };
  });
  assert.match(missing.failed, /the scenario http:\/\/127\.0\.0\.1:\d+\/fleets\/missing\.json could not be loaded \(HTTP 404\)/);
  assert.equal(missing.after, 'fleetplay:prefill');

  // The host switches to its dark theme: both embeds follow, live.
  const theme = (frame) => frame.locator('html').getAttribute('data-theme');
  assert.equal(await theme(first), 'light');
  await page.evaluate(() => { document.documentElement.dataset.theme = 'dark'; });
  await until(async () => (await theme(first)) === 'dark' && (await theme(second)) === 'dark', 'both embeds to turn dark');
  // The second embed is transparent: the host's own dark background shows around its cards.
  assert.equal(await second.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor), 'rgba(0, 0, 0, 0)');
  await second.getByRole('button', { name: /^Send/ }).click();
  await until(async () => /200 OK/.test(await second.locator('.status').first().innerText()), 'a 200 in the second embed');
  await fitted(page.locator('#second'), 'the second embed after a send');
  const look = async (name) => {
    await page.locator('#second').evaluate((e) => e.scrollIntoView());
    await fitted(page.locator('#second'), name);
    await new Promise((r) => setTimeout(r, 300)); // a frame that was out of sight paints again
    await shot(page, name);
  };
  await look('drop-in-1200-dark');
  // A phone: both embeds take the new width and height.
  await page.setViewportSize({ width: 320, height: 800 });
  await fitted(page.locator('#second'), 'the second embed at 320 px');
  // (Browsers pause rendering in frames out of sight, so the first embed measures itself when seen again.)
  await page.locator('#first').evaluate((e) => e.scrollIntoView());
  await fitted(page.locator('#first'), 'the first embed at 320 px');
  await look('drop-in-320-dark');
  await page.evaluate(() => { document.documentElement.dataset.theme = 'light'; });
  await until(async () => (await theme(first)) === 'light' && (await theme(second)) === 'light', 'back to light');
  await look('drop-in-320-light');
  // Only the browser's note about the scenario file that was missing on purpose.
  assert.deepEqual(problems, ['console error: Failed to load resource: the server responded with a status of 404 (Not Found)']);
  assert.deepEqual(warnings.filter((w) => /fleetplay/.test(w)), []);
});

/** Copies an example project to a temporary folder (so a build never writes into the repository). */
function scratch(t, from) {
  const dir = mkdtempSync(join(tmpdir(), 'fleetplay-docs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(from, join(dir, 'project'), {
    recursive: true,
    filter: (p) => !/(^|\/)(_build|book|__pycache__|site|public|resources|\.hugo_build\.lock|node_modules|\.docusaurus|build)$/.test(p),
  });
  return { project: join(dir, 'project'), out: join(dir, 'out') };
}

const mdbookSkip = skip || (!process.env.MDBOOK || !process.env.MDBOOK_FLEETPLAY
  ? 'MDBOOK and MDBOOK_FLEETPLAY are not set (cargo xtask test e2e sets them)' : false);

function mdbook(project, out) {
  return spawnSync(process.env.MDBOOK, ['build', project, '--dest-dir', out], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${dirname(process.env.MDBOOK_FLEETPLAY)}${delimiter}${process.env.PATH}`,
      MDBOOK_PREPROCESSOR__FLEETPLAY__URL: `${url}/`,
    },
  });
}

test('mdBook: the example book builds with mdbook-fleetplay into working embeds', { skip: mdbookSkip }, async (t) => {
  const { project, out } = scratch(t, join(root, 'crates/mdbook-fleetplay/example'));
  const built = mdbook(project, out);
  assert.equal(built.status, 0, `mdbook build failed:\n${built.stderr}`);
  const docs = await site(t, { dir: out });
  const { page, problems } = await visit(t, `${docs}/lightsail/stop-instance.html`);
  const frame = await embedIn(page.locator('div.fleetplay'));
  // The block's scenario (two instances of its own) is loaded and its request prefilled.
  await until(async () => (await frame.locator('#f-instanceName').inputValue()) === 'Docs-1', 'the prefilled request');
  await until(async () => /Docs-1/.test(await frame.locator('.embed-server').innerText()), 'the block\'s fleet');
  await frame.getByRole('button', { name: /^Send/ }).click();
  await until(async () => /200 OK/.test(await frame.locator('.status').first().innerText()), 'a 200');
  await fitted(page.locator('div.fleetplay'), 'mdBook, after a send');
  await shot(page, 'mdbook-example');
  // The reader picks mdBook's Navy theme: the embed turns dark with it (from the page's background).
  assert.equal(await frame.locator('html').getAttribute('data-theme'), 'light');
  await page.evaluate(() => { document.documentElement.classList.replace('light', 'navy'); });
  await until(async () => (await frame.locator('html').getAttribute('data-theme')) === 'dark', 'the embed to follow mdBook\'s Navy theme');
  await page.locator('div.fleetplay').evaluate((e) => e.scrollIntoView());
  await shot(page, 'mdbook-example-navy');
  // The other chapter: the built-in fleet, nothing prefilled beyond the URL's server.
  await page.goto(`${docs}/transfer.html`);
  const transfer = await embedIn(page.locator('div.fleetplay'));
  assert.equal(await transfer.locator('#f-ServerId').inputValue(), TRANSFER);
  assert.deepEqual(problems, []);

  // A mistake in a block fails the build, naming the chapter and line.
  writeFileSync(join(project, 'src/transfer.md'), '# Broken\n\n```fleetplay\nprovider = transfer\nopp = StopServer\n```\n');
  const broken = mdbook(project, `${out}-broken`);
  assert.notEqual(broken.status, 0, 'a broken block must fail the build');
  assert.match(broken.stderr, /transfer\.md:5: unknown setting "opp"/);
});

const sphinxSkip = skip || (!process.env.SPHINX_PYTHON ? 'SPHINX_PYTHON is not set (cargo xtask test e2e sets it)' : false);

function sphinx(project, out) {
  return spawnSync(process.env.SPHINX_PYTHON, ['-m', 'sphinx', '-W', '-q', '-b', 'html', '-D', `fleetplay_url=${url}/`, project, out], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
}

test('Sphinx: the example project builds with .. fleetplay:: into working embeds', { skip: sphinxSkip }, async (t) => {
  const { project, out } = scratch(t, join(root, 'integrations/sphinx'));
  const example = join(project, 'example');
  const built = sphinx(example, out);
  assert.equal(built.status, 0, `sphinx-build failed:\n${built.stderr}`);
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.equal((html.match(/embed\.js/g) ?? []).length, 1, 'embed.js once on the page');
  const docs = await site(t, { dir: out });
  const { page, problems } = await visit(t, `${docs}/index.html`);
  const frame = await embedIn(page.locator('div.fleetplay').first());
  const nova = '0199340e-0f3e-4612-96be-6f1861b192b5';
  await until(async () => (await frame.locator('#f-server_id').inputValue()) === nova, 'the prefilled Nova request');
  // The directive's own one-server fleet is loaded, and only Nova is offered.
  await until(async () => (await frame.locator('.embed-server').innerText()).includes(nova), 'the directive\'s fleet');
  assert.equal(await frame.locator('.providers').count(), 0);
  await frame.getByRole('button', { name: /^Send/ }).click();
  await until(async () => /202 Accepted/.test(await frame.locator('.status').first().innerText()), 'a 202');
  await fitted(page.locator('div.fleetplay').first(), 'Sphinx, after a send');
  await shot(page, 'sphinx-example');
  assert.deepEqual(problems, []);

  // A wrong option fails the build (-W), naming the file and line.
  writeFileSync(join(example, 'index.rst'), 'Broken\n======\n\n.. fleetplay::\n   :provider: aws\n');
  const broken = sphinx(example, `${out}-broken`);
  assert.notEqual(broken.status, 0, 'a wrong option must fail the build');
  assert.match(broken.stderr, /index\.rst:4.*provider.*aws/s);
});

/** The docs' stand-in for the playground's address, which the example sites use as they are written. */
const PLACEHOLDER = 'https://fleetplay.example/';

/** Points every text file of a copied example at the playground under test instead of PLACEHOLDER. */
function usePlayground(project) {
  for (const file of readdirSync(project, { recursive: true })) {
    const path = join(project, file);
    if (!statSync(path).isFile() || !/\.(ya?ml|toml|html|md|mdx|js)$/.test(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (text.includes(PLACEHOLDER)) writeFileSync(path, text.replaceAll(PLACEHOLDER, `${url}/`));
  }
}

/** The fenced code blocks of docs/embedding.md's section `heading` (up to the next heading of its level or above). */
function documentedBlocks(heading) {
  const lines = readFileSync(join(root, 'docs/embedding.md'), 'utf8').split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `docs/embedding.md has no "${heading}"`);
  const level = heading.match(/^#+/)[0].length;
  const blocks = [];
  let block = null;
  for (const line of lines.slice(start + 1)) {
    const fence = /^(`{3,})/.exec(line);
    if (block === null && /^#+ /.test(line) && line.match(/^#+/)[0].length <= level) break;
    if (block === null && fence) block = { fence: fence[1], lines: [] };
    else if (block !== null && line === block.fence) { blocks.push(block.lines.join('\n')); block = null; }
    else if (block !== null) block.lines.push(line);
  }
  assert.ok(blocks.length > 0, `docs/embedding.md's "${heading}" has no example`);
  return blocks;
}

/** Asserts that each copy-paste example of the docs' section is, line for line (indentation aside), in one of
 * the example project's files: the project the test builds is the one the docs tell readers to write. */
function assertDocumented(heading, project) {
  const squash = (text) => text.split('\n').map((l) => l.trim()).join('\n');
  const files = readdirSync(project, { recursive: true })
    .map((f) => join(project, f))
    .filter((f) => statSync(f).isFile())
    .map((f) => squash(readFileSync(f, 'utf8')));
  for (const block of documentedBlocks(heading)) {
    assert.ok(files.some((text) => text.includes(squash(block))),
      `docs/embedding.md's "${heading}" example is in no file of the example project:\n${block}`);
  }
}

/** The proof that a docs tool's page works: the element became an iframe that reaches ready, takes its
 * content's height, and answers a send made through the element's JS object with `status`, shown in the embed. */
async function assertWorks(host, what, { status, statusText }) {
  const frame = await embedIn(host);
  await fitted(host, `${what}, idle`);
  const exchange = await host.evaluate(async (el) => {
    const x = await el.fleetplay.send();
    return { status: x.status, operation: x.operation };
  });
  assert.equal(exchange.status, status, `${what}: the send's status`);
  await until(async () => new RegExp(`${status} ${statusText}`).test(await frame.locator('.status').first().innerText()),
    `${what}: ${status} ${statusText} in the embed`);
  await fitted(host, `${what}, after a send`);
  return frame;
}

const mkdocsSkip = skip || (!process.env.MKDOCS_PYTHON ? 'MKDOCS_PYTHON is not set (cargo xtask test e2e sets it)' : false);

function mkdocs(project, out) {
  return spawnSync(process.env.MKDOCS_PYTHON, ['-m', 'mkdocs', 'build', '--strict', '-q', '-f', join(project, 'mkdocs.yml'), '-d', out], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', NO_MKDOCS_2_WARNING: '1' },
  });
}

test('MkDocs: the example site (Material) gets working embeds from extra_javascript and a <div>, across instant navigation', { skip: mkdocsSkip }, async (t) => {
  const { project, out } = scratch(t, join(root, 'integrations/mkdocs/example'));
  assertDocumented('### MkDocs', project);
  usePlayground(project);
  // The site's origin is known before the build, for site_url (Material's instant navigation needs it).
  const docs = await site(t, { dir: out });
  const config = join(project, 'mkdocs.yml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('https://docs.example.com/', `${docs}/`));
  const built = mkdocs(project, out);
  assert.equal(built.status, 0, `mkdocs build failed:\n${built.stderr}`);
  // Wide enough for Material's navigation sidebar.
  const { page, problems, warnings } = await visit(t, `${docs}/`, { viewport: { width: 1400, height: 900 } });
  const host = page.locator('article [data-fleetplay]');
  const frame = await assertWorks(host, 'MkDocs', { status: 200, statusText: 'OK' });
  assert.equal(await frame.locator('#f-ServerId').inputValue(), TRANSFER);
  await shot(page, 'mkdocs-example');
  // The reader switches Material's palette to its dark scheme: the embed follows (from the page's background).
  const theme = (f) => f.locator('html').getAttribute('data-theme');
  assert.equal(await theme(frame), 'light');
  await page.getByTitle('Switch to dark mode').click();
  await until(async () => (await theme(frame)) === 'dark', 'the embed to follow Material\'s dark scheme');
  await fitted(host, 'MkDocs, dark');
  // The next page, loaded by Material's instant navigation (no reload): its element becomes an embed too.
  await page.evaluate(() => { window.stillTheSamePage = true; });
  await page.locator('.md-sidebar--primary a[href*="lightsail"]').click();
  await page.waitForURL(/lightsail/);
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'Material navigated without a reload');
  const next = await assertWorks(host, 'MkDocs, after navigating', { status: 200, statusText: 'OK' });
  assert.equal(await next.locator('#f-instanceName').inputValue(), 'WordPress-1');
  assert.equal(await theme(next), 'dark');
  await shot(page, 'mkdocs-example-dark');
  await page.getByTitle('Switch to light mode').click();
  await until(async () => (await theme(next)) === 'light', 'the embed to follow Material back to light');
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings.filter((w) => /fleetplay/.test(w)), []);
});

const hugoSkip = skip || (!process.env.HUGO ? 'HUGO is not set (cargo xtask test e2e sets it)' : false);

function hugo(project, out) {
  return spawnSync(process.env.HUGO, ['--source', project, '--destination', out, '--quiet'], { encoding: 'utf8' });
}

test('Hugo: the example site gets working embeds from a shortcode and from a <div> in Markdown', { skip: hugoSkip }, async (t) => {
  const { project, out } = scratch(t, join(root, 'integrations/hugo/example'));
  assertDocumented('### Hugo', project);
  usePlayground(project);
  const built = hugo(project, out);
  assert.equal(built.status, 0, `hugo failed:\n${built.stderr}`);
  const docs = await site(t, { dir: out });
  // A reader whose system is dark: the page follows prefers-color-scheme, and so do the embeds.
  const { page, problems, warnings } = await visit(t, `${docs}/`, { colorScheme: 'dark' });
  const [shortcode, raw] = [page.locator('main [data-fleetplay]').nth(0), page.locator('main [data-fleetplay]').nth(1)];
  assert.equal(await page.locator('main [data-fleetplay]').count(), 2);
  const first = await assertWorks(shortcode, 'Hugo, the shortcode', { status: 200, statusText: 'OK' });
  await raw.scrollIntoViewIfNeeded();
  const second = await assertWorks(raw, 'Hugo, the <div>', { status: 200, statusText: 'OK' });
  assert.equal(await first.locator('#f-ServerId').inputValue(), TRANSFER);
  assert.equal(await second.locator('#f-instanceName').inputValue(), 'WordPress-1');
  assert.equal(await first.locator('html').getAttribute('data-theme'), 'dark');
  assert.equal(await second.locator('html').getAttribute('data-theme'), 'dark');
  await shot(page, 'hugo-example-dark');
  // A phone: the embeds take the new width and their new height.
  await page.setViewportSize({ width: 320, height: 800 });
  await fitted(raw, 'Hugo, the <div> at 320 px');
  await shortcode.evaluate((e) => e.scrollIntoView());
  await fitted(shortcode, 'Hugo, the shortcode at 320 px');
  await shot(page, 'hugo-example-320-dark');
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings.filter((w) => /fleetplay/.test(w)), []);

  // Why the docs ask for `unsafe = true`: without it, Goldmark drops the <div> written in Markdown.
  const toml = join(project, 'hugo.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('unsafe = true', 'unsafe = false'));
  const strict = hugo(project, `${out}-strict`);
  assert.equal(strict.status, 0, `hugo failed:\n${strict.stderr}`);
  const html = readFileSync(join(`${out}-strict`, 'index.html'), 'utf8');
  assert.equal((html.match(/data-fleetplay=/g) ?? []).length, 1, 'only the shortcode\'s element is left');
  assert.match(html, /raw HTML omitted/);
});

const docusaurusSkip = skip || (!process.env.DOCUSAURUS_MODULES
  ? 'DOCUSAURUS_MODULES is not set (cargo xtask test e2e sets it)' : false);

function docusaurus(project, out) {
  return spawnSync(process.execPath, [join(project, 'node_modules/@docusaurus/core/bin/docusaurus.mjs'), 'build', project, '--out-dir', out], {
    encoding: 'utf8',
    // A fresh build each time, which writes nothing into the shared node_modules.
    env: { ...process.env, DOCUSAURUS_NO_PERSISTENT_CACHE: '1', NO_UPDATE_NOTIFIER: '1' },
  });
}

test('Docusaurus: the example site gets working embeds from scripts and a <div> in MDX, across navigation', { skip: docusaurusSkip, timeout: 240000 }, async (t) => {
  const { project, out } = scratch(t, join(root, 'integrations/docusaurus/example'));
  assertDocumented('### Docusaurus', project);
  usePlayground(project);
  symlinkSync(process.env.DOCUSAURUS_MODULES, join(project, 'node_modules'), 'dir');
  const built = docusaurus(project, out);
  assert.equal(built.status, 0, `docusaurus build failed:\n${built.stdout}\n${built.stderr}`);
  const docs = await site(t, { dir: out });
  const { page, problems, warnings } = await visit(t, `${docs}/`);
  // React hydrates the page the script has already changed: the embed must survive it.
  const first = await assertWorks(page.locator('article [data-fleetplay]'), 'Docusaurus', { status: 200, statusText: 'OK' });
  assert.equal(await first.locator('#f-ServerId').inputValue(), TRANSFER);
  assert.equal(await first.locator('html').getAttribute('data-theme'), 'light');
  // The reader switches Docusaurus to dark (its toggle cycles through the modes): the embed follows.
  for (let i = 0; i < 3 && (await page.locator('html').getAttribute('data-theme')) !== 'dark'; i++) {
    await page.getByRole('button', { name: /dark and light mode/ }).click();
  }
  await until(async () => (await first.locator('html').getAttribute('data-theme')) === 'dark', 'the embed to follow Docusaurus\'s dark mode');
  await shot(page, 'docusaurus-example-dark');
  // A page rendered on navigation (no reload): the script picks up its element too.
  await page.evaluate(() => { window.stillTheSamePage = true; });
  await page.getByRole('link', { name: 'Stop a Lightsail instance' }).first().click();
  await page.waitForURL(/stop-instance/);
  assert.equal(await page.evaluate(() => window.stillTheSamePage), true, 'Docusaurus navigated without a reload');
  const host = page.locator('article [data-fleetplay]');
  const second = await assertWorks(host, 'Docusaurus, after navigating', { status: 200, statusText: 'OK' });
  assert.equal(await second.locator('#f-instanceName').inputValue(), 'WordPress-1');
  assert.equal(await second.locator('html').getAttribute('data-theme'), 'dark');
  await shot(page, 'docusaurus-example-navigated');
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings.filter((w) => /fleetplay/.test(w)), []);
});
