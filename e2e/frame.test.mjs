// End-to-end tests of the frame index.html paints before the app has loaded: it is on screen from the HTML and
// CSS alone (the wasm held back), says the simulator is loading, and the app replaces it without moving any
// panel of the first screenful, on the page and in an embed, at phone, tablet and desktop widths.
//
// Env: FLEETPLAY_URL (the release build served from dist/, required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default artifacts/screenshots next to this folder). Run with `node --test e2e/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newContext, shot, skip, url, useBrowser } from './support.mjs';

useBrowser();

const EMBED = '/?embed&provider=transfer&op=StopServer&server=s-0123456789abcdef0';

/** The app's panel for each `data-frame` panel of the frame. */
const PANELS = {
  header: '.app > header.top', fleet: '#fleet', composer: '#composer', response: '#response',
  machine: '.col-right > .machine', timeline: '.col-right > .timeline', bar: '.app > footer.bar', card: '.embed-server',
};

/** Top, left and width of each panel in the first screenful (page coordinates). */
function panels(selectors) {
  const boxes = {};
  const place = (key, el) => {
    const r = el.getBoundingClientRect();
    if (r.top < innerHeight && r.width > 0) boxes[key] = { top: r.top + scrollY, left: r.left + scrollX, width: r.width };
  };
  if (document.getElementById('frame')) {
    for (const el of document.querySelectorAll('[data-frame]')) place(el.dataset.frame, el);
  } else {
    for (const [key, selector] of Object.entries(selectors)) {
      const el = document.querySelector(selector);
      if (el) place(key, el);
    }
  }
  return boxes;
}

for (const [path, width, height, scheme] of [
  ['/', 1440, 1000, 'light'], ['/', 412, 823, 'dark'], ['/', 320, 640, 'light'], ['/', 900, 1000, 'dark'],
  [EMBED, 412, 823, 'light'], [EMBED, 800, 900, 'dark'],
]) {
  const what = `${path === '/' ? 'page' : 'embed'} at ${width}×${height}`;
  test(`${what}: the frame shows before the app and the app lands on it`, { skip }, async (t) => {
    const ctx = await newContext({ viewport: { width, height }, colorScheme: scheme });
    t.after(async () => { await ctx.close(); });

    // The wasm held back: what a visitor on a slow network sees first.
    const waiting = await ctx.newPage();
    let release;
    const held = new Promise((r) => { release = r; });
    await waiting.route(/\.wasm$/, async (route) => { await held; await route.continue(); });
    await waiting.goto(new URL(path, url).href, { waitUntil: 'domcontentloaded' });
    const frame = await waiting.evaluate(panels, PANELS);
    const loading = await waiting.evaluate(() => [...document.querySelectorAll('.frame-loading')]
      .filter((el) => el.getClientRects().length > 0).map((el) => el.textContent));
    assert.ok(loading.length === 1 && /^Loading/.test(loading[0]), `one visible loading text: ${loading}`);
    assert.equal(await waiting.getByRole('status').filter({ hasText: 'Loading the simulator' }).count(), 1);
    // Its look-alike controls are inert: Tab never reaches them, a click does nothing.
    for (let i = 0; i < 3; i++) await waiting.keyboard.press('Tab');
    assert.equal(await waiting.evaluate(() => document.activeElement === document.body), true, 'Tab stays out of the frame');
    assert.equal(await waiting.evaluate(() => [...document.querySelectorAll('#frame > .app')].every((el) => el.inert)), true);
    const expected = path === '/' ? ['header', 'composer'] : ['composer', 'response'];
    for (const key of expected) assert.ok(frame[key], `${what}: the frame shows its ${key} in the first screenful`);
    await shot(waiting, `frame-${path === '/' ? 'page' : 'embed'}-${width}-${scheme}`);
    release();
    await waiting.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
    assert.equal(await waiting.locator('#frame').count(), 0, 'the app replaced the frame');

    // The app, loaded normally: every panel of the first screenful where the frame had it.
    const app = await waiting.evaluate(panels, PANELS);
    for (const [key, f] of Object.entries(frame)) {
      const a = app[key];
      assert.ok(a, `${what}: the app shows ${key}`);
      for (const side of ['top', 'left', 'width']) {
        assert.ok(Math.abs(a[side] - f[side]) <= 1, `${what}: ${key} moves from ${side} ${f[side]} to ${a[side]}`);
      }
    }
  });
}
