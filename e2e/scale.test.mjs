// End-to-end tests of the page at any fleet size and from the keyboard: Ctrl+Enter from anywhere, focus that
// follows an action, skip links and the fleet as one Tab stop, the fleet tree's keys, the filter at 10,000
// servers, "Stop all" confirmed and summed up, the timeline's search and Edit, and axe-core (every rule, every
// impact) in every state these tests reach.
//
// Env: FLEETPLAY_URL (the release build served from dist/, required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default artifacts/screenshots next to this folder). Run with `node --test e2e/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { open as openPage, shot, skip, until, useBrowser } from './support.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

useBrowser();

const open = (t, path = '/', options = {}) => openPage(t, path, { options, sameOriginOnly: true });
const fleet = (page) => page.getByRole('tree', { name: 'Fleet' });
const server = (page, re) => fleet(page).getByRole('treeitem', { name: re });
const response = (page) => page.getByRole('region', { name: 'Response' });
const timeline = (page) => page.getByRole('list', { name: 'Timeline' });
const entries = (page) => timeline(page).getByRole('listitem').count();
const pause = (page) => page.getByRole('button', { name: 'Pause', exact: true }).click();

/** What has keyboard focus: its id, role, name-ish text, and whether it lies inside `selector`. */
const focused = (page, selector = 'body') => page.evaluate((selector) => {
  const el = document.activeElement;
  return {
    id: el?.id ?? '',
    role: el?.getAttribute('role') ?? el?.tagName.toLowerCase(),
    text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim().slice(0, 80),
    inside: !!el?.closest(selector),
    posinset: el?.getAttribute('aria-posinset'),
    setsize: el?.getAttribute('aria-setsize'),
  };
}, selector);

/**
 * Numbers written one way: a count of 1,000 or more has its separators wherever a user reads or hears it
 * (visible text, `aria-label`, `title`, `placeholder`). Identifiers are not counts: request numbers (`#1000`),
 * seeds, server ids, and code (the request and response, snippets, fields).
 */
async function numbersOneWay(page, name) {
  const found = await page.evaluate(() => {
    const bare = /(^|[\s(])\d{4,}(?=$|[\s),.;:!?×%])/;
    const identifier = /seed \d+/g;
    const code = 'pre, code, textarea, input, .mono, script, style, [aria-hidden=true]';
    const out = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest(code) || el.getClientRects().length === 0) continue;
      if (bare.test(n.textContent.replace(identifier, ''))) out.add(`text: ${n.textContent.trim().slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const a of ['aria-label', 'title', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v && bare.test(v.replace(identifier, ''))) out.add(`${a}: ${v.slice(0, 80)}`);
      }
    }
    return [...out];
  });
  assert.deepEqual(found, [], `${name}: numbers without their separators`);
}

/** axe-core over the page: no violation at all, whatever its impact; and numbers written one way. */
async function axe(page, name) {
  await numbersOneWay(page, name);
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  assert.deepEqual(found, [], `${name}: axe found ${JSON.stringify(found, null, 1)}`);
}

test('Ctrl+Enter sends from the fleet, after Import curl, after "Put the example request", and from nowhere in particular', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await pause(page);
  // From the fleet: Enter picks the server (focus stays on it), Ctrl+Enter sends.
  const row = server(page, /s-0123456789abcdef0 ONLINE/);
  await row.focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('ServerId').inputValue(), 's-0123456789abcdef0');
  assert.equal((await focused(page, '[role=tree]')).inside, true, 'focus stays in the fleet');
  await page.keyboard.press('Control+Enter');
  await response(page).getByText('HTTP/1.1 200 OK').waitFor();
  assert.equal(await entries(page), 2, 'the stop and its state change');

  // After Import curl: the button goes, focus goes to the imported request, Ctrl+Enter sends it.
  await page.getByRole('tablist', { name: 'Request view' }).getByRole('tab', { name: 'curl' }).click();
  await page.getByLabel('curl command').fill(
    `curl -X POST https://lightsail.us-west-2.amazonaws.com/ -H 'X-Amz-Target: Lightsail_20161128.StopInstance' ` +
      `-H 'Content-Type: application/x-amz-json-1.1' -d '{"instanceName":"WordPress-1"}'`);
  await page.getByRole('button', { name: 'Import curl' }).focus();
  await page.evaluate(() => {
    window.focusPath = [];
    document.addEventListener('focusin', (e) => window.focusPath.push(e.target.id || e.target.tagName), { capture: true });
  });
  await page.keyboard.press('Enter');
  await until(async () => (await focused(page)).id === 'raw-request', 'focus on the imported request');
  // Straight there: the page's rule for lost focus does not first put it on the composer's panel.
  assert.deepEqual(await page.evaluate(() => window.focusPath), ['raw-request']);
  await page.keyboard.press('Control+Enter');
  await response(page).getByText(/StopInstance/).first().waitFor();
  await server(page, /WordPress-1 stopping/).waitFor();

  // With focus nowhere in particular (the document itself).
  const before = await entries(page);
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Meta+Enter');
  await until(async () => (await entries(page)) > before, '⌘+Enter to send');

  // A field that uses Enter itself (the lesson URL, in a form) keeps the keys.
  await page.getByRole('button', { name: 'Lessons' }).click();
  const sent = await entries(page);
  await page.getByLabel('Your own lesson (URL)').focus();
  await page.keyboard.press('Control+Enter');
  await page.waitForTimeout(200);
  assert.equal(await entries(page), sent, 'nothing sent from the lesson URL field');

  // After "Put the example request in the composer": focus goes to the composer, Ctrl+Enter sends it.
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).click();
  const status = page.locator('#lessons .lesson-progress [role=status]');
  await until(async () => (await status.innerText()) === '0 of 5 steps done', 'the lesson');
  if (await page.getByRole('button', { name: 'Pause', exact: true }).count()) await pause(page);
  await page.getByRole('button', { name: 'Put the example request in the composer' }).focus();
  await page.keyboard.press('Enter');
  await until(async () => (await focused(page, '#composer')).inside, 'focus in the composer');
  await page.keyboard.press('Control+Enter');
  await until(async () => (await status.innerText()) === '1 of 5 steps done', 'step 1 done by Ctrl+Enter');
  // From a control outside the composer too (the lesson's own Leave button).
  await page.getByRole('button', { name: 'Put the example request in the composer' }).click();
  await page.getByRole('button', { name: 'Leave lesson' }).focus();
  await page.keyboard.press('Control+Enter');
  await until(async () => (await status.innerText()) === '2 of 5 steps done', 'step 2 sent from the lesson panel');
  // Blocked, the shortcut says why instead of doing nothing.
  await page.getByRole('button', { name: 'Leave lesson' }).click();
  await page.getByLabel('ServerId').fill('s-0');
  await page.getByLabel('ServerId').press('Control+Enter');
  await page.getByRole('status').getByText(/Nothing sent\. Fix ServerId first/).waitFor();
  assert.deepEqual(problems, []);
});

test('keyboard only: the composer is a handful of Tab presses from the top at ?preset=large; the fleet is one Tab stop', { skip }, async (t) => {
  const { page, problems } = await open(t, '/?preset=large');
  // The first Tab stop is the skip link, visible when focused; Enter takes focus to the composer.
  await page.keyboard.press('Tab');
  const skipLink = page.getByRole('link', { name: 'Skip to the request' });
  assert.equal((await focused(page)).text, 'Skip to the request');
  const box = await skipLink.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 1000, 'the focused skip link is on screen');
  await shot(page, 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page, '#composer')).inside, true);
  await page.keyboard.press('Tab');
  const first = await focused(page, '#composer');
  assert.equal(first.inside, true, `the next Tab stop is in the composer (${first.text})`);
  assert.equal(first.role, 'input');

  // Without the skip links, Tab from the top still reaches the composer soon: the fleet of 1,000 servers is
  // one stop (the tree), beside its filter and Stop all.
  await page.reload();
  await page.locator('body[data-ready="true"]').waitFor();
  const stops = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page, '#composer');
    if (f.inside) break;
    stops.push(await page.evaluate(() => document.activeElement.closest('[role=tree]') ? 'tree' : document.activeElement.tagName));
  }
  assert.ok(stops.length <= 20, `${stops.length} Tab presses before the composer: ${stops.join(' ')}`);
  assert.equal(stops.filter((s) => s === 'tree').length, 1, 'the fleet is one Tab stop');
  const fleetStops = await page.evaluate(() => [...document.querySelectorAll('#fleet *')].filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0 && !(el.type === 'radio' && !el.checked)).length);
  assert.equal(fleetStops, 5, 'the fleet panel: its filter (text, provider, state), the tree, Stop all');
  assert.deepEqual(problems, []);
});

test('the fleet tree: arrows, Home/End, type-ahead, folding and every row placed, at 1,000 servers', { skip }, async (t) => {
  const { page, problems } = await open(t, '/?preset=large');
  await page.getByRole('link', { name: 'Skip to the fleet' }).focus();
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'fleet');
  // Tab goes through the filter to the tree's one stop: the first group.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'fleet-g-transfer');
  await page.keyboard.press('ArrowDown');
  let f = await focused(page);
  assert.deepEqual([f.text.split(' ')[0], f.posinset, f.setsize], ['s-00000000100000000', '1', '334']);
  // End: the last server of the last group, drawn although it was far out of view.
  await page.keyboard.press('End');
  f = await focused(page);
  assert.match(f.text, /^vm-0998/);
  assert.deepEqual([f.posinset, f.setsize], ['333', '333']);
  await page.keyboard.press('Home');
  assert.equal((await focused(page)).id, 'fleet-g-transfer');
  // Type-ahead: letters jump to the next server whose name or id starts with them.
  await page.keyboard.type('vm-05');
  f = await focused(page);
  assert.match(f.text, /^vm-0500/);
  assert.equal(f.posinset, '167');
  await page.keyboard.press('PageDown');
  assert.equal((await focused(page)).posinset, '175');
  // Enter picks it; the row says it is selected.
  await page.keyboard.press('Enter');
  assert.equal(await page.getByLabel('server_id').inputValue(), '00000000-0000-4000-8000-00000000020c');
  assert.equal(await server(page, /^vm-0524/).getAttribute('aria-selected'), 'true');
  // Left goes to the group, Left again folds it, Right opens it, Right again enters it.
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused(page)).id, 'fleet-g-nova');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('#fleet-g-nova').getAttribute('aria-expanded'), 'false');
  assert.equal(await fleet(page).getByRole('treeitem', { name: /^vm-/ }).count(), 0, 'a folded group draws no row');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#fleet-g-nova').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowRight');
  assert.match((await focused(page)).text, /^vm-0002/);
  // All three providers show on a desktop screen, each with servers in view.
  for (const id of ['fleet-g-transfer', 'fleet-g-lightsail', 'fleet-g-nova']) {
    const rows = page.locator(`#${id}-rows > [role=treeitem]`).first();
    const r = await rows.boundingBox();
    const bar = await page.locator('footer.bar').boundingBox();
    assert.ok(r && r.y + r.height <= bar.y, `${id}: its first server is in view above the bottom bar`);
  }
  // Only the rows in view (and a few around them) exist, each telling where it sits.
  const drawn = await fleet(page).locator('[aria-level="2"]').count();
  assert.ok(drawn < 120, `${drawn} rows drawn for 1,000 servers`);
  await shot(page, 'fleet-tree-large');
  assert.deepEqual(problems, []);
});

test('filtering the fleet by state and by name works at 10,000 servers', { skip }, async (t) => {
  const { page, problems } = await open(t, '/?fleet=10000');
  await pause(page);
  await page.locator('#fleet .panel-h').getByText('10,000 servers').waitFor();
  for (const name of ['All 10,000', 'Transfer 3,334', 'Lightsail 3,333', 'Nova 3,333', 'Any state 10,000', 'Running 10,000']) {
    await page.getByRole('radio', { name, exact: true }).waitFor();
  }
  // Stop all asks first, with the count per provider.
  await page.getByRole('button', { name: 'Stop all running servers' }).click();
  const ask = page.getByRole('group', { name: /Stop 10,000 running servers\?/ });
  assert.match(await ask.innerText(),
    /One stop request each: 3,334 AWS Transfer Family, 3,333 Amazon Lightsail, 3,333 OpenStack Nova\./);
  await page.getByRole('button', { name: 'Stop 10,000 servers' }).click();
  await response(page).getByRole('heading', { name: '10,000 requests: 10,000 accepted, 0 refused' }).waitFor({ timeout: 30000 });
  await page.getByRole('status').getByText('Sent 10,000 stop requests.').waitFor();
  await page.locator('.timeline .panel-h').getByText('20,000 entries').waitFor();
  // By state: every server is in transition now (the clock is paused).
  await page.getByRole('radio', { name: 'In transition 10,000' }).check();
  await page.locator('#fleet .panel-h').getByText('10,000 of 10,000 servers shown').waitFor();
  const classes = await fleet(page).locator('[aria-level="2"]').evaluateAll((rows) => rows.map((r) => r.className));
  assert.ok(classes.length > 0 && classes.every((c) => c.includes('f-trans')), 'every row drawn is in transition');
  await page.getByRole('radio', { name: 'Running 0' }).check();
  await page.locator('#fleet .panel-h').getByText('0 of 10,000 servers shown').waitFor();
  await fleet(page).getByText('No Nova server matches the filter.').waitFor();
  // By name, within a state: vm-0902 … vm-0998, every third server being Nova's.
  await page.getByRole('radio', { name: 'In transition 10,000' }).check();
  await page.getByLabel('Filter servers by id or name').fill('VM-09');
  await page.locator('#fleet .panel-h').getByText('33 of 10,000 servers shown').waitFor();
  await page.getByRole('radio', { name: 'Nova 33', exact: true }).waitFor();
  await page.getByRole('radio', { name: 'Transfer 0', exact: true }).waitFor();
  const sizes = await page.locator('#fleet-g-nova-rows > [role=treeitem]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-setsize')));
  assert.ok(sizes.length > 0 && sizes.every((n) => n === '33'), `rows drawn say they are of 33: ${sizes}`);
  await shot(page, 'fleet-filter-10000');
  await axe(page, '10,000 servers stopped, the fleet filtered');
  assert.deepEqual(problems, []);
});

test('focus never drops to the page when the control that had it goes', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await pause(page);
  const notOnBody = async (what) => {
    await page.waitForTimeout(100);
    const f = await focused(page);
    assert.notEqual(f.role, 'body', `${what}: focus dropped to the page`);
    return f;
  };
  // A fleet row that leaves the filter: focus goes to the tree's Tab stop.
  await page.getByRole('radio', { name: /^Running/ }).check();
  await server(page, /s-0123456789abcdef0 ONLINE/).focus();
  await page.keyboard.press('Enter');
  assert.match((await focused(page)).text, /^s-0123456789abcdef0/);
  await page.keyboard.press('Control+Enter');
  await server(page, /s-0123456789abcdef0/).waitFor({ state: 'detached' });
  await notOnBody('the picked row left the "Running" filter');
  assert.equal((await focused(page, '[role=tree]')).inside, true, 'focus stays in the fleet tree');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('tabindex')), '0', 'on its Tab stop');
  await page.getByRole('radio', { name: /^Any state/ }).check();

  // The Stop-all summary: an exchange opened from it, and back.
  await page.getByRole('button', { name: 'Stop all running servers' }).click();
  await page.getByRole('button', { name: /^Stop \d+ servers$/ }).press('Enter');
  await page.getByRole('heading', { name: /requests: \d+ accepted/ }).waitFor();
  await response(page).locator('.x').first().press('Enter');
  await response(page).getByRole('button', { name: 'Back to the summary' }).waitFor();
  await notOnBody('an exchange opened from the summary');
  assert.equal((await focused(page, '#response')).inside, true, 'focus in the response panel');
  await response(page).getByRole('button', { name: 'Back to the summary' }).press('Enter');
  await until(async () => (await focused(page)).id === 'batch-h', 'focus back on the summary');

  // A lesson started from the list, and left.
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).press('Enter');
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  await notOnBody('a lesson started');
  assert.equal((await focused(page, '#lessons')).inside, true, 'focus in the lesson panel');
  await page.getByRole('button', { name: 'Leave lesson' }).press('Enter');
  await page.locator('#lessons').getByRole('heading', { name: 'Lessons' }).waitFor();
  await notOnBody('the lesson left');
  assert.equal((await focused(page, '#lessons')).inside, true, 'focus in the lessons panel');

  // A lesson brought back by a reload (its panel open only for it): leaving it closes the panel, and focus
  // goes to the request.
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).click();
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  await page.waitForTimeout(1500);
  await page.reload();
  await page.locator('body[data-ready="true"]').waitFor();
  await page.getByRole('button', { name: 'Leave lesson' }).press('Enter');
  await page.locator('#lessons').waitFor({ state: 'detached' });
  await notOnBody('the lesson panel closed with the lesson');
  assert.equal((await focused(page, '#composer')).inside, true, 'focus on the request');

  // A click on blank space puts focus on the page on purpose: it stays there when the clicked-away control
  // goes later.
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).focus();
  await page.mouse.click(5, 995);
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).evaluate((b) => b.click());
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  await page.waitForTimeout(100);
  assert.equal((await focused(page)).role, 'body', 'a mouse user who clicked away is not pulled back');
  assert.deepEqual(problems, []);
});

test('Stop all confirms, sums up per provider, and each exchange is a click away', { skip }, async (t) => {
  const { page, problems } = await open(t);
  // Lightsail throttled to one request a second: its stops after the first are refused.
  await page.getByText('Faults', { exact: true }).click();
  await page.locator('#fl-throttle').fill('1');
  await page.locator('#fl-throttle').press('Enter');
  await page.getByText(/Throttling set to 1 per simulated second/).first().waitFor();
  await page.getByText('Faults', { exact: true }).click();
  await pause(page);
  const stopAll = page.getByRole('button', { name: 'Stop all running servers' });
  await stopAll.click();
  const ask = page.getByRole('group', { name: /running servers\?/ });
  assert.match(await ask.innerText(), /^Stop \d+ running servers\? One stop request each: \d+ AWS Transfer Family, \d+ Amazon Lightsail, \d+ OpenStack Nova\./);
  assert.equal((await focused(page)).id, 'stop-all-yes', 'focus on the confirming button');
  // Escape changes nothing and gives focus back.
  await page.keyboard.press('Escape');
  assert.equal(await ask.count(), 0);
  assert.equal((await focused(page)).id, 'stop-all');
  assert.equal(await entries(page), 0, 'nothing was sent');
  await stopAll.click();
  await page.getByRole('button', { name: /^Stop \d+ servers$/ }).click();
  const heading = response(page).getByRole('heading', { name: /requests: \d+ accepted, \d+ refused/ });
  await heading.waitFor();
  assert.equal((await focused(page)).id, 'batch-h', 'focus on the summary');
  const table = response(page).getByRole('table', { name: 'Requests per provider' });
  for (const p of ['AWS Transfer Family', 'Amazon Lightsail', 'OpenStack Nova']) await table.getByRole('rowheader', { name: p }).waitFor();
  // The throttled stops are refused: their status and error type are listed, under Lightsail.
  const refused = response(page).locator('.outcome.refused');
  assert.equal(await refused.count(), 1, 'one kind of refusal');
  assert.match(await refused.first().innerText(), /^400 Bad Request · ThrottlingException · [1-9]\d* refused/);
  assert.match(await table.getByRole('row', { name: /Amazon Lightsail/ }).innerText(), /Amazon Lightsail\s+\d+\s+1\s+[1-9]/);
  await shot(page, 'stop-all-summary');
  // Each exchange opens from the summary, and the summary comes back.
  const one = response(page).locator('.outcome.refused .x').first();
  const seq = (await one.innerText()).match(/#(\d+)/)[1];
  await one.click();
  await response(page).getByText(new RegExp(`^#${seq} · `)).waitFor();
  await response(page).getByRole('button', { name: 'Back to the summary' }).click();
  await heading.waitFor();
  // The next single request is the latest answer again.
  await server(page, /web-01/).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await response(page).getByText('HTTP/1.1 409 Conflict').waitFor();
  assert.equal(await heading.count(), 0);
  assert.deepEqual(problems, []);
});

test('the timeline is searched and narrowed, and any request goes back into the composer', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await pause(page);
  await server(page, /s-0123456789abcdef0 ONLINE/).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await response(page).getByText('HTTP/1.1 200 OK').waitFor();
  await page.getByRole('tab', { name: 'Raw HTTP' }).click();
  const sentRaw = (await page.getByLabel('Raw request').inputValue()).replace('abcdef0"', 'abcdef"');
  await page.getByLabel('Raw request').fill(sentRaw);
  await page.getByRole('button', { name: /^Send/ }).click();
  await response(page).getByText('HTTP/1.1 400 Bad Request').waitFor();
  assert.equal(await entries(page), 3);
  const search = page.getByLabel('Search the timeline');
  await search.fill('validationexception');
  await until(async () => (await entries(page)) === 1, 'one match');
  await page.getByText('1 of 3 match; 1 listed').waitFor();
  await search.fill('');
  await page.getByLabel('Entries listed').selectOption('changes');
  await until(async () => (await entries(page)) === 1, 'the state change alone');
  assert.match(await timeline(page).innerText(), /ONLINE → STOPPING/);
  await page.getByLabel('Entries listed').selectOption('requests');
  await until(async () => (await entries(page)) === 2, 'both requests');
  // Edit puts the first request back into the composer, as it was sent.
  await page.getByRole('tab', { name: 'Form' }).click();
  await page.getByRole('button', { name: 'Edit request #1 in the composer' }).click();
  await until(async () => (await focused(page, '#composer')).inside, 'focus in the composer');
  assert.equal(await page.getByLabel('ServerId').inputValue(), 's-0123456789abcdef0');
  assert.deepEqual(problems, []);
});

test('axe-core finds nothing in any state: sends, filters, Stop all, lessons, side by side, faults, dark, embed', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await axe(page, 'main, light');
  await pause(page);
  await server(page, /s-0123456789abcdef0 ONLINE/).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await response(page).getByText('HTTP/1.1 200 OK').waitFor();
  await page.getByLabel('ServerId').fill('s-0');
  await page.getByRole('tab', { name: 'Raw HTTP' }).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await response(page).getByText('HTTP/1.1 400 Bad Request').waitFor();
  await axe(page, 'after sends');
  await page.getByLabel('Search the timeline').fill('stop');
  await page.getByRole('radio', { name: /^Stopped/ }).check();
  await page.locator('#fleet-g-lightsail').click();
  await axe(page, 'fleet filtered, a group folded, timeline searched');
  await page.getByRole('radio', { name: /^Any state/ }).check();
  await page.getByRole('button', { name: 'Stop all running servers' }).click();
  await axe(page, 'Stop all confirmation');
  await page.getByRole('button', { name: /^Stop \d+ servers$/ }).click();
  await response(page).getByRole('heading', { name: /accepted/ }).waitFor();
  await axe(page, 'Stop all summary');
  await page.getByText('Faults', { exact: true }).click();
  await axe(page, 'faults open');
  await page.getByText('Faults', { exact: true }).click();
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.locator('.lesson-list li').first().waitFor();
  await axe(page, 'lessons list');
  await page.getByRole('button', { name: /Start lesson: Stop an AWS Transfer Family server/ }).click();
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: / }).waitFor();
  await axe(page, 'lesson open');
  await page.getByRole('button', { name: 'Side by side' }).click();
  await page.locator('.cmp-col').first().waitFor();
  await axe(page, 'side by side');
  const dark = await open(t, '/?preset=large', { colorScheme: 'dark' });
  await axe(dark.page, 'main, dark, 1,000 servers');
  for (const scheme of ['light', 'dark']) {
    const embed = await open(t, '/?embed&provider=nova&op=os-stop', { colorScheme: scheme, viewport: { width: 400, height: 900 } });
    await axe(embed.page, `embed, ${scheme}`);
    await embed.page.getByRole('button', { name: /^Send/ }).click();
    await embed.page.getByText(/HTTP\/1\.1 \d+/).first().waitFor();
    await axe(embed.page, `embed after a send, ${scheme}`);
  }
  assert.deepEqual(problems, []);
});
