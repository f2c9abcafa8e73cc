// The live playground: `fleetplay serve --page dist/` in headless Chromium while real tools drive the server.
//
// Each test starts its own servers (it restarts one on purpose) and watches the page they serve:
// - the README's one command, `cargo xtask live`, builds the page and the CLI and serves a page that follows
//   the server (run only when FLEETPLAY_CARGO names cargo: it makes a release build of the CLI);
// - the AWS CLI's `transfer stop-server` and python-openstackclient's `server stop` appear in the page's
//   timeline with every exchange and every state change the server's transcript holds, and the fleet moves;
// - the page's own Send, Step and Reset act on the server (boto3 sees the state the page's Send caused);
// - a restarted server is reconnected to, and the page says it restarted;
// - a page on another origin is refused until the server allows that origin, and then joins it
//   (`?server=`); a request from a foreign origin to the live stream gets 403.
//
// Env (set by `cargo xtask test live`): FLEETPLAY_BIN (the CLI), FLEETPLAY_DIST (the release build of the
// page), FLEETPLAY_VENV_BIN (the venv with awscli, python-openstackclient and boto3), CHROMIUM, and
// FLEETPLAY_CARGO (cargo, for `cargo xtask live`).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { shot, until } from '../support.mjs';

const BIN = process.env.FLEETPLAY_BIN;
const DIST = process.env.FLEETPLAY_DIST;
const VENV = process.env.FLEETPLAY_VENV_BIN;
const skip = BIN && DIST && VENV ? false : 'FLEETPLAY_BIN, FLEETPLAY_DIST and FLEETPLAY_VENV_BIN are not set (cargo xtask test live sets them)';
const CARGO = process.env.FLEETPLAY_CARGO;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const TRANSFER = 's-0123456789abcdef0';
const NOVA = 'a0000000-0000-4000-8000-00000000000a';
const LIGHTSAIL = 'WordPress-1';

let browser;
before(async () => {
  if (skip) return;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
});
after(async () => { await browser?.close(); });

/** `fleetplay serve` on a free port (or `port`), stopped with the test. Resolves once it listens. */
async function serve(t, args = [], port = 0) {
  const child = spawn(BIN, ['serve', '--port', String(port), '--speed', '0', '--page', DIST, ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fleetplay serve exited (${code})`)));
  });
  lines.on('line', () => {});
  const m = /serving on (http:\/\/127\.0\.0\.1:(\d+))/.exec(first);
  assert.ok(m, first);
  const server = {
    url: m[1],
    port: Number(m[2]),
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  t.after(() => server.stop());
  return server;
}

/** A control API call (JSON in and out). */
async function control(server, method, path, body) {
  const r = await fetch(server.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  assert.ok(r.ok, `${method} ${path}: ${r.status}`);
  return r.json();
}

/** Runs a console script of the venv; resolves with its output, rejects on a non-zero exit. */
function tool(name, args, env = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('OS_')));
  return new Promise((resolve, reject) => {
    execFile(join(VENV, name), args, { env: { ...clean, ...env }, timeout: 120000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${name} ${args.join(' ')}: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

const home = mkdtempSync(join(tmpdir(), 'fleetplay-live-'));
const aws = (server, ...args) => tool('aws', ['--endpoint-url', server.url, ...args], {
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG', AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(home, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
  AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true',
});
const openstack = (server, ...args) => tool('openstack', ['--os-auth-type', 'admin_token', '--os-endpoint',
  `${server.url}/v2.1`, '--os-token', 'member-token-aaaa1111', ...args], { HOME: home, OS_CLIENT_CONFIG_FILE: join(home, 'clouds.yaml') });
const boto3 = (server, code) => tool('python', ['-c', `import boto3\nc = boto3.client('lightsail', endpoint_url='${server.url}', region_name='us-west-2', aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='x')\n${code}`]);

/** A page at `url` in a fresh context, ready; page errors and console errors collected in `problems`. */
async function open(t, url, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, ...options });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A stream that breaks (the server restarting) is logged by the browser itself; that is the point.
    if (m.type() === 'error' && !/_fleetplay\/live|ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED|403/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  await page.goto(url);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
  // What the server adds to the page must not put it in quirks mode.
  assert.equal(await page.evaluate(() => document.compatMode), 'CSS1Compat');
  return { page, ctx, problems };
}

const status = (page) => page.getByRole('group', { name: 'Live server' }).getByRole('status');
const timeline = (page) => page.getByRole('list', { name: 'Timeline' });
/** A server's row in the fleet panel, by its accessible name (id, name, state). */
const fleetRow = (page, re) => page.getByRole('treeitem', { name: re })
  .or(page.getByRole('list', { name: 'Fleet' }).getByRole('listitem', { name: re }));
/** The timeline entry of an exchange (its operation, server and status all shown). */
const exchangeEntry = (page, operation, server, status) => timeline(page).getByRole('listitem')
  .filter({ hasText: operation }).filter({ hasText: server }).filter({ hasText: String(status) }).first();
/** The timeline entry of a state change. */
const changeEntry = (page, server, change) => timeline(page).getByRole('listitem')
  .filter({ hasText: server }).filter({ hasText: change }).first();

/** Waits until the page says it follows `server` in step. */
async function connected(page, server) {
  await until(async () => /^Live: connected to /.test((await status(page).textContent()) ?? ''), `connected to ${server.url}`, 20000);
  assert.match(await status(page).textContent(), new RegExp(`connected to ${server.url.replace('http://', '')}`));
}

/** The server's transcript as JSON lines. */
async function transcript(server) {
  const text = await (await fetch(`${server.url}/_fleetplay/transcript`)).text();
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** Every exchange and every state change of the server's transcript is on the page's timeline. */
async function timelineHasTranscript(page, server) {
  const entries = await transcript(server);
  const items = await timeline(page).getByRole('listitem').allTextContents();
  const missing = [];
  let exchanges = 0;
  let events = 0;
  for (const e of entries) {
    const evs = e.type === 'event' ? [e] : e.events;
    if (e.type === 'exchange') {
      exchanges += 1;
      const found = items.some((i) => i.includes(e.operation) && i.includes(String(e.status)) && i.includes(e.time));
      if (!found) missing.push(`exchange #${e.seq} ${e.operation} ${e.status} at ${e.time}`);
    }
    for (const ev of evs) {
      events += 1;
      if (!items.some((i) => i.includes(ev.server) && i.includes(`${ev.from} → ${ev.to}`))) {
        missing.push(`event ${ev.server} ${ev.from} → ${ev.to}`);
      }
    }
  }
  return { missing, exchanges, events, items: items.length };
}

/** axe-core over the page: no serious or critical violation. */
async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // The timeline's buttons have a label that reorders their text (label-content-name-mismatch); the
    // timeline being rewritten meanwhile (issue #13) drops it, and this exclusion goes with it.
    // eslint-disable-next-line no-undef
    const r = await axe.run({ exclude: [['.timeline']] }, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${name}: axe found ${JSON.stringify(bad, null, 1)}`);
}

test("the README's one command, cargo xtask live, serves a page that follows the server", { skip: skip || (CARGO ? false : 'FLEETPLAY_CARGO is not set') }, async (t) => {
  // As a user runs it in a fresh clone: it builds dist/ and the release CLI itself, then serves.
  const child = spawn(CARGO, ['xtask', 'live', '--port', '0', '--speed', '0'],
    { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // cargo, xtask and fleetplay serve: the process group this test started.
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  });
  const lines = createInterface({ input: child.stdout });
  // The server's first line says where it listens; the next one, printed with it, where the page is.
  const address = await new Promise((resolve, reject) => {
    let serving = null;
    lines.on('line', (line) => {
      if (serving !== null) {
        const m = /^fleetplay: the playground, live: (http:\/\/127\.0\.0\.1:\d+)\/ /.exec(line);
        if (m && m[1] === serving) resolve(m[1]);
        else reject(new Error(`after "serving on ${serving}" came ${JSON.stringify(line)}, not the page's address`));
      }
      serving = /^fleetplay: serving on (http:\/\/[^ ]+)/.exec(line)?.[1] ?? serving;
      if (serving !== null) {
        setTimeout(() => reject(new Error(`"serving on ${serving}" but no page address after it`)), 10000).unref();
      }
    });
    child.once('exit', (code) => reject(new Error(`cargo xtask live exited (${code}):\n${log}`)));
  });
  const server = { url: address };
  const { page, problems } = await open(t, `${server.url}/`);
  await connected(page, server);
  await aws(server, 'transfer', 'stop-server', '--server-id', TRANSFER);
  await fleetRow(page, new RegExp(`${TRANSFER} STOPPING`)).waitFor();
  await exchangeEntry(page, 'StopServer', TRANSFER, 200).waitFor();
  assert.deepEqual(problems, []);
});

test('the AWS CLI and the openstack CLI stop servers while the live page watches every exchange and state change', { skip }, async (t) => {
  const server = await serve(t);
  const { page, problems } = await open(t, `${server.url}/`);
  await connected(page, server);

  assert.equal(await aws(server, 'transfer', 'stop-server', '--server-id', TRANSFER), '');
  await fleetRow(page, new RegExp(`${TRANSFER} STOPPING`)).waitFor();
  await changeEntry(page, TRANSFER, 'ONLINE → STOPPING').waitFor();
  await exchangeEntry(page, 'StopServer', TRANSFER, 200).waitFor();
  // Its full request (as the AWS CLI sent it), its answer and why.
  await exchangeEntry(page, 'StopServer', TRANSFER, 200).getByRole('button').first().click();
  const response = page.getByRole('region', { name: 'Response' });
  await response.getByText('HTTP/1.1 200 OK').waitFor();
  await response.getByText('What happened').waitFor();
  await response.getByText('Request as sent').click();
  await response.getByText(/user-agent: aws-cli\//).waitFor();

  assert.equal(await openstack(server, 'server', 'stop', NOVA), '');
  // (The Nova group's rows may be out of view in a fleet panel that draws only what is in view: the
  // timeline says it.)
  await changeEntry(page, NOVA, 'ACTIVE → ACTIVE · powering-off').waitFor();
  await exchangeEntry(page, 'os-stop', NOVA, 202).waitFor();
  await shot(page, 'live-01-cli-stops');

  // Time moves on the server (a control call, as a test would); the page shows the stops completing.
  await control(server, 'POST', '/_fleetplay/advance?by=10m');
  await fleetRow(page, new RegExp(`${TRANSFER} OFFLINE`)).waitFor();
  await changeEntry(page, NOVA, 'ACTIVE · powering-off → SHUTOFF').waitFor();

  await until(async () => (await timelineHasTranscript(page, server)).missing.length === 0, 'every entry of the transcript on the page', 10000)
    .catch(async () => assert.deepEqual((await timelineHasTranscript(page, server)).missing, []));
  const seen = await timelineHasTranscript(page, server);
  assert.ok(seen.exchanges >= 4 && seen.events >= 4, JSON.stringify(seen));
  await shot(page, 'live-02-stops-completed');
  assert.deepEqual(problems, []);
});

test("the connected page's Send, Step, Play/Pause, scenario changes and Reset act on the server, as boto3 sees", { skip }, async (t) => {
  const server = await serve(t);
  const { page, problems } = await open(t, `${server.url}/`);
  await connected(page, server);
  await fleetRow(page, new RegExp(`${LIGHTSAIL} running`)).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByRole('region', { name: 'Response' }).getByText('HTTP/1.1 200 OK').waitFor();
  assert.equal((await boto3(server, `print(c.get_instance_state(instanceName='${LIGHTSAIL}')['state']['name'])`)).trim(), 'stopping');

  // Step: the server's clock jumps to its next scheduled change, and the page follows.
  const before = await control(server, 'GET', '/_fleetplay/state');
  await page.getByRole('button', { name: 'Step to next transition' }).click();
  await until(async () => (await control(server, 'GET', '/_fleetplay/state')).now === before.next_due, "the server's clock stepped");
  // Play at 100×: the server's speed; Pause: frozen again.
  await page.getByRole('radio', { name: '100×' }).check({ force: true });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await until(async () => (await control(server, 'GET', '/_fleetplay/state')).speed === 100, 'the server runs at 100×');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await until(async () => (await control(server, 'GET', '/_fleetplay/state')).speed === 0, 'the server is paused');

  // A scenario change (the status-code profile): the server loads it.
  await page.getByLabel('Status codes').selectOption('service-model');
  await until(async () => (await (await fetch(`${server.url}/_fleetplay/scenario`)).json()).settings.status_profile === 'service-model',
    'the server loaded the scenario');
  await until(async () => (await control(server, 'GET', '/_fleetplay/state')).run === 2, 'a new run');

  // Reset: the server starts again, and so does the page.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await until(async () => (await control(server, 'GET', '/_fleetplay/state')).run === 3, 'the server was reset');
  await fleetRow(page, new RegExp(`${LIGHTSAIL} running`)).waitFor();
  assert.equal((await boto3(server, `print(c.get_instance_state(instanceName='${LIGHTSAIL}')['state']['name'])`)).trim(), 'running');
  assert.deepEqual(problems, []);
});

test('after the server restarts, the page reconnects and says so', { skip }, async (t) => {
  const first = await serve(t);
  const { page, problems } = await open(t, `${first.url}/`);
  await connected(page, first);
  await aws(first, 'transfer', 'stop-server', '--server-id', TRANSFER);
  await fleetRow(page, new RegExp(`${TRANSFER} STOPPING`)).waitFor();
  await first.stop();
  await until(async () => /reconnecting/i.test((await status(page).textContent()) ?? ''), 'the page notices the server went away', 15000);
  await shot(page, 'live-03-reconnecting');

  const second = await serve(t, ['--seed', '7'], first.port);
  await until(async () => /restarted/.test((await page.getByRole('status').allTextContents()).join(' ')), 'the page says the server restarted', 20000);
  await connected(page, second);
  // The new server's simulation, from its start: the stop sent to the old one is gone.
  await fleetRow(page, new RegExp(`${TRANSFER} ONLINE`)).waitFor();
  assert.match(await page.getByRole('status').filter({ hasText: 'restarted' }).first().textContent(), /seed 7/);
  await shot(page, 'live-04-restarted');
  assert.deepEqual(problems, []);
});

test('a page on another origin is refused until the server allows it, then joins; foreign origins get 403', { skip }, async (t) => {
  const target = await serve(t);
  const other = await serve(t);
  // A browser's request from a foreign origin to the live stream and the control API: refused.
  for (const path of ['/_fleetplay/live', '/_fleetplay/state']) {
    const r = await fetch(target.url + path, { headers: { Origin: 'http://evil.example' } });
    assert.equal(r.status, 403, path);
    assert.match((await r.json()).error, /--allow-origin http:\/\/evil\.example/);
  }
  // The page served by `other` asks to follow `target`, which does not allow its origin.
  const { page, problems } = await open(t, `${other.url}/?server=${encodeURIComponent(target.url)}`);
  await until(async () => /Not following .*may not use the control API/.test((await status(page).textContent()) ?? ''), 'the refusal is shown', 20000);
  await shot(page, 'live-05-refused');

  // The target restarts allowing that origin: the page joins it by itself.
  await target.stop();
  const allowed = await serve(t, ['--allow-origin', other.url], target.port);
  await connected(page, allowed);
  await aws(allowed, 'transfer', 'stop-server', '--server-id', TRANSFER);
  await fleetRow(page, new RegExp(`${TRANSFER} STOPPING`)).waitFor();
  // Its Send goes to the server it follows, not to the one it came from.
  await page.getByRole('button', { name: 'Stop all running servers' }).click();
  await until(async () => {
    // When the page asks first ("Stop 12 servers?"), confirm.
    const confirm = page.getByRole('button', { name: /^Stop [\d,]+ servers?$/ });
    if (await confirm.count()) await confirm.click();
    return (await control(allowed, 'GET', '/_fleetplay/state')).exchanges > 5;
  }, 'the Stop all reached the followed server');
  assert.equal((await control(other, 'GET', '/_fleetplay/state')).exchanges, 0);

  // Disconnect: the page's own simulation again (nothing stopped there), and no ?server= to follow on reload.
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await fleetRow(page, new RegExp(`${TRANSFER} ONLINE`)).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('server'), null);
  // "Connect to a server": the address typed in, and the page follows that server again.
  await page.getByText('Connect to a server').click();
  await page.getByLabel('fleetplay serve address').fill(allowed.url);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await connected(page, allowed);
  await fleetRow(page, new RegExp(`${TRANSFER} STOPPING`)).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('server'), allowed.url);
  assert.deepEqual(problems.filter((p) => !/403|Forbidden/.test(p)), []);
});

test('the connected page, desktop and 320 px, light and dark: screenshots and axe', { skip }, async (t) => {
  const server = await serve(t);
  await aws(server, 'transfer', 'stop-server', '--server-id', TRANSFER);
  await openstack(server, 'server', 'stop', NOVA);
  for (const [name, width, colorScheme] of [['desktop-light', 1440, 'light'], ['desktop-dark', 1440, 'dark'], ['320-light', 320, 'light'], ['320-dark', 320, 'dark']]) {
    const { page, problems } = await open(t, `${server.url}/`, { viewport: { width, height: 900 }, colorScheme });
    await connected(page, server);
    await fleetRow(page, new RegExp(`${TRANSFER} STOPPING`)).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name}: the page scrolls sideways by ${overflow}px`);
    // Each exchange's line (time, status, operation, server) stays inside its row, clear of its Edit button.
    const spilled = await timeline(page).getByRole('listitem').evaluateAll((items) => items
      .map((item) => item.querySelector('button'))
      .filter((view) => view && view.scrollWidth > view.clientWidth + 1)
      .map((view) => view.textContent));
    assert.deepEqual(spilled, [], `${name}: timeline entries run out of their row`);
    await shot(page, `live-06-connected-${name}`);
    await axe(page, name);
    assert.deepEqual(problems, []);
  }
});
