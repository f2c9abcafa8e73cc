// End-to-end checks of the playground page's layout at phone, tablet and desktop sizes: the bottom bar leaves
// the page usable, the faults panel opens inside the window, keyboard focus is never hidden under the bar, and
// long names wrap instead of widening the page. Behaviour, not pixels: every check is a containment or a
// reachability, found through accessible roles and names. The state diagram's labels are measured as drawn
// (SVG text boxes in the page's own fonts) against the boxes and canvas they must fit.
//
// Env: FLEETPLAY_URL (the release build served from dist/, required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default artifacts/screenshots next to this folder). Run with `node --test e2e/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open as openPage, shot, skip, until, useBrowser } from './support.mjs';

useBrowser();

/** A fresh page at a window size (and colour scheme). */
const open = (t, width, height, colorScheme = 'light') =>
  openPage(t, '/', { options: { viewport: { width, height }, colorScheme } });

const fleet = (page) => page.getByRole('tree', { name: 'Fleet' });
const server = (page, re) => fleet(page).getByRole('treeitem', { name: re });
const bar = (page) => page.getByRole('contentinfo');
const response = (page) => page.getByRole('region', { name: 'Response' });
const faults = (page) => page.getByText('Faults', { exact: true });

/** Whether the bottom bar stays on screen over the page (sticky or fixed) rather than ending it. */
const barOverlays = (page) => bar(page).evaluate((el) => ['fixed', 'sticky'].includes(getComputedStyle(el).position));

/** How far the page is wider than the window (0 when nothing widens it). */
const overflowX = (page) => page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);

/** Whether the point at the middle of `locator` hits the element itself (nothing covers it). */
const hitsItself = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return hit !== null && el.contains(hit);
});

for (const [width, height] of [[320, 640], [640, 360]]) {
  test(`${width}×${height}: the bottom bar does not cover the page, and a fleet item can be picked`, { skip }, async (t) => {
    const { page, problems } = await open(t, width, height);
    const box = await bar(page).boundingBox();
    if (await barOverlays(page)) {
      assert.ok(box.height <= height * 0.15, `an overlaying bar ${box.height}px tall in a ${height}px window`);
    }
    // A server well down the list: scrolled to as a user would, then picked with the pointer.
    const item = server(page, /Stuck-1/);
    await item.scrollIntoViewIfNeeded();
    // Nothing (bar, group heading) may lie over the row where it is drawn.
    await until(() => hitsItself(item), 'the fleet item to be on top where it is drawn', 3000);
    await item.click();
    await page.getByRole('img', { name: /Stuck-1 is in stopping/ }).waitFor();
    await shot(page, `layout-${width}x${height}-fleet`);
    // Every clock and scenario control is still there by name, and works.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('radio', { name: '100×' }).check();
    assert.equal(await page.getByRole('radio', { name: '100×' }).isChecked(), true);
    for (const name of ['1×', '10×']) await page.getByRole('radio', { name }).waitFor();
    for (const name of ['Play', 'Step to next transition', 'Reset', 'New seed', 'Save scenario']) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByLabel('Skip animations').check();
    await page.getByRole('group', { name: 'Scenario' }).scrollIntoViewIfNeeded();
    await shot(page, `layout-${width}x${height}-bar`);
    assert.ok(await overflowX(page) <= 0, 'nothing widens the page');
    assert.deepEqual(problems, []);
  });
}

for (const [width, height] of [[320, 640], [768, 1024], [1440, 1000]]) {
  test(`${width}×${height}: the Faults panel opens inside the window and its fields can be used`, { skip }, async (t) => {
    const { page, problems } = await open(t, width, height);
    await faults(page).scrollIntoViewIfNeeded();
    await faults(page).click();
    for (const provider of ['AWS Transfer Family', 'Amazon Lightsail', 'OpenStack Nova']) {
      const set = page.getByRole('group', { name: provider });
      await set.scrollIntoViewIfNeeded();
      const box = await set.boundingBox();
      // (Within a pixel: scrolled into view, a box may end a fraction past the window's edge.)
      assert.ok(box.x >= 0 && box.x + box.width <= width, `${provider} fields lie across the window's edge: ${JSON.stringify(box)}`);
      assert.ok(box.y >= -1 && box.y + box.height <= height + 1, `${provider} fields are out of view: ${JSON.stringify(box)}`);
      // Each field stays inside its own box (not across the next column's border).
      for (const input of await set.getByRole('spinbutton').all()) {
        const b = await input.boundingBox();
        assert.ok(b.x >= box.x && b.x + b.width <= box.x + box.width, `a ${provider} field leaves its group`);
      }
    }
    if (await barOverlays(page)) {
      const top = (await bar(page).boundingBox()).y;
      const transfer = await page.getByRole('group', { name: 'AWS Transfer Family' }).boundingBox();
      assert.ok(transfer.y + transfer.height <= top, 'the faults panel does not hide behind the bar');
    }
    await shot(page, `layout-${width}x${height}-faults`);
    // The pointer reaches a Transfer field (nothing covers it) and the change takes effect.
    const rate = page.getByLabel('Stop ends in STOP_FAILED rate');
    assert.ok(await hitsItself(rate), 'the Transfer field is not covered');
    await rate.click();
    await rate.fill('0.5');
    await rate.press('Enter');
    await page.getByText(/STOP_FAILED rate set to 0\.5/).first().waitFor();
    assert.ok(await overflowX(page) <= 0, 'nothing widens the page');
    assert.deepEqual(problems, []);
  });
}

test('1440×1000: moving through the fleet by key never leaves the focused server under the bottom bar', { skip }, async (t) => {
  const { page } = await open(t, 1440, 1000);
  // The fleet is one Tab stop; the arrow keys walk every group and server in turn.
  await fleet(page).getByRole('treeitem').first().focus();
  const nodes = await fleet(page).locator('[role="treeitem"]').count();
  let servers = 0;
  for (let i = 1; i < nodes; i++) {
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      const bar = document.querySelector('footer').getBoundingClientRect();
      const list = el.closest('.rows')?.getBoundingClientRect();
      return { level: el.getAttribute('aria-level'), top: r.top, bottom: r.bottom, barTop: bar.top, label: el.textContent,
        inList: !list || (r.top >= list.top - 2 && r.bottom <= list.bottom + 2) };
    });
    assert.ok(focused.top >= 0 && focused.bottom <= focused.barTop,
      `${focused.label} is focused under the bar (${focused.top}–${focused.bottom}, bar from ${focused.barTop})`);
    assert.ok(focused.inList, `${focused.label} is focused outside its group's scrolled view`);
    if (focused.level === '2') servers += 1;
  }
  assert.equal(servers, 24, 'the arrow keys reached every server of the demo fleet');
  await shot(page, 'layout-1440-focus-last-fleet-item');
});

for (const [width, height, scheme] of [[320, 640, 'dark'], [1440, 1000, 'light']]) {
  test(`${width}×${height}: long names and titles wrap instead of widening the page`, { skip }, async (t) => {
    const { page, problems } = await open(t, width, height, scheme);
    const within = async (inner, outer, what) => {
      const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
      assert.ok(a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1, `${what} runs past its panel: ${JSON.stringify([a, b])}`);
    };
    await page.getByRole('radio', { name: 'Amazon Lightsail' }).check();
    const long = 'my_company_production_wordpress_blog_instance_us_west_2a_primary_2024_backup_restore_test_01';
    await page.getByLabel('instanceName').fill(long);
    await page.getByRole('tab', { name: 'Raw HTTP' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    const why = response(page).getByText(/^Why: /);
    await why.waitFor();
    await within(why, response(page), 'the Why paragraph');
    assert.ok(await overflowX(page) <= 0, 'a long instance name does not widen the page');
    await why.scrollIntoViewIfNeeded();
    await shot(page, `layout-${width}-long-name`);

    // A 200 KB name: the response's summary line stays in its panel.
    await page.getByRole('tab', { name: 'Form' }).click();
    await page.getByLabel('instanceName').fill('n'.repeat(200000));
    await page.getByRole('tab', { name: 'Raw HTTP' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await response(page).getByText(/^#2 /).waitFor();
    await within(response(page).getByText(/^#2 /), response(page), 'the response summary line');
    assert.ok(await overflowX(page) <= 0, 'a 200 KB name does not widen the page');

    // A 300-character title without a space: the page header wraps it.
    const title = 'T'.repeat(300);
    await page.getByLabel('Load scenario').setInputFiles({
      name: 'long-title.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ format: 'fleetplay-scenario/1', title })),
    });
    const scn = page.getByRole('banner').getByText(title, { exact: false });
    await scn.waitFor();
    await within(scn, page.getByRole('banner'), 'the scenario title');
    assert.ok(await overflowX(page) <= 0, 'a long scenario title does not widen the page');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, `layout-${width}-long-title`);
    assert.deepEqual(problems, []);
  });
}

/** A scenario with a server in every state each provider's diagram has, so every state and edge label shows. */
const everyState = {
  format: 'fleetplay-scenario/1',
  title: 'Every state',
  fleet: {
    transfer: ['ONLINE', 'STOPPING', 'OFFLINE', 'STOP_FAILED', 'STARTING', 'START_FAILED']
      .map((state, i) => ({ id: `s-0000000000000000${i + 1}`, state })),
    lightsail: ['running', 'stopping', 'stopped', 'pending'].map((state) => ({ name: `L-${state}`, state })),
    nova: {
      servers: [['active', null], ['active', 'powering-off'], ['stopped', null], ['stopped', 'powering-on'],
        ['error', null], ['paused', null]]
        .map(([vm_state, task_state], i) => ({
          id: `a0000000-0000-4000-8000-00000000000${i + 1}`, name: `N-${task_state ?? vm_state}`,
          project_id: 'aaaa1111', vm_state, task_state,
        })),
    },
  },
};

/** What the selected server's diagram draws: each state's box and label, each shown edge label, the canvas. */
const diagram = (page) => page.locator('section.machine .machine-svg').evaluate((svg) => {
  const box = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });
  return {
    canvas: { width: svg.viewBox.baseVal.width, height: svg.viewBox.baseVal.height },
    states: [...svg.querySelectorAll('.node')].map((g) => {
      const text = g.querySelector('text');
      return { label: text.textContent, box: box(g.querySelector('rect').getBBox()), text: box(text.getBBox()),
        length: text.getComputedTextLength() };
    }),
    edges: [...svg.querySelectorAll('.edge-label')].map((text) => ({ label: text.textContent, text: box(text.getBBox()) })),
  };
});

/** Room (SVG units) a label keeps from each side of its box: the current state's 3-unit stroke is half inside. */
const PAD = 2;

for (const [width, height] of [[320, 640], [1440, 1000]]) {
  test(`${width}×${height}: every state's label fits its box and every edge label the canvas, as drawn`, { skip }, async (t) => {
    const { page, problems } = await open(t, width, height);
    await page.getByLabel('Load scenario').setInputFiles({
      name: 'every-state.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(everyState)),
    });
    await page.getByRole('banner').getByText('Every state').waitFor();
    // Time stands still, so each server stays in its state (and its transition) while the test looks.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const servers = [
      ...everyState.fleet.transfer.map((s) => [s.id, s.id]),
      ...everyState.fleet.lightsail.map((s) => [s.name, s.name]),
      ...everyState.fleet.nova.servers.map((s) => [s.name, s.id]),
    ];
    const labels = new Set();
    const edgeLabels = new Set();
    for (const [name, id] of servers) {
      // (Playwright scrolls the item out from under the sticky group heading or the bottom bar.)
      await server(page, new RegExp(name)).click();
      const img = page.getByRole('img', { name: new RegExp(`${id} is in`) });
      await img.waitFor();
      const drawn = await diagram(page);
      for (const { label, box, text, length } of drawn.states) {
        labels.add(label);
        const where = `${name}'s diagram: "${label}" (${length.toFixed(1)} units of text in a box ${box.width} wide)`;
        assert.ok(length > 0 && text.width > 0, `${where} is drawn`);
        assert.ok(length <= box.width - 2 * PAD, `${where} does not fit its box`);
        assert.ok(text.x >= box.x + PAD && text.x + text.width <= box.x + box.width - PAD,
          `${where} runs over its box's side: text ${JSON.stringify(text)}, box ${JSON.stringify(box)}`);
        assert.ok(text.y >= box.y && text.y + text.height <= box.y + box.height,
          `${where} runs over its box's top or bottom: text ${JSON.stringify(text)}, box ${JSON.stringify(box)}`);
      }
      for (const { label, text } of drawn.edges) {
        edgeLabels.add(label);
        assert.ok(text.x >= 0 && text.x + text.width <= drawn.canvas.width,
          `${name}'s diagram: the edge label "${label}" leaves the canvas (0 to ${drawn.canvas.width}): ${JSON.stringify(text)}`);
        for (const state of drawn.states) {
          const b = state.text;
          const covers = text.x < b.x + b.width && b.x < text.x + text.width && text.y < b.y + b.height && b.y < text.y + text.height;
          assert.ok(!covers, `${name}'s diagram: the edge label "${label}" covers the state "${state.label}"`);
        }
      }
      if (name === 'N-paused') {
        await img.scrollIntoViewIfNeeded();
        await shot(page, `layout-${width}-diagram-nova`);
      }
    }
    // Every state of every provider was drawn, and the edge labels of every state's way out.
    assert.equal(labels.size, 16, [...labels].join(', '));
    assert.equal(edgeLabels.size, 16, [...edgeLabels].join(', '));
    assert.deepEqual(problems, []);
  });
}
