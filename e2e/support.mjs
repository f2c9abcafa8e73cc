// Shared setup of the end-to-end tests: where the site is, one headless Chromium per test file, fresh pages
// that record page errors, screenshots, and polling. Not a test file itself (Node's runner only picks up
// `*.test.mjs`).
//
// Env: FLEETPLAY_URL (the release build served from dist/, required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default artifacts/screenshots next to this folder).

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const url = process.env.FLEETPLAY_URL;
const shots = process.env.SCREENSHOTS ?? join(here, '..', 'artifacts', 'screenshots');
export const skip = url ? false : 'FLEETPLAY_URL is not set (serve a release dist/ and point it there)';

let browser;

/** Launches Debian's Chromium before the file's tests and closes it after (call once, at top level). */
export function useBrowser() {
  before(async () => {
    if (skip) return;
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
  });
}

/** A new browser context (closed with the test unless the caller passes its own to `open`). */
export function newContext(options = {}) {
  return browser.newContext({ viewport: { width: 1440, height: 1000 }, ...options });
}

/**
 * A fresh page at `path`, waited until the app says it is ready. `problems` collects page errors, console
 * errors and, with `sameOriginOnly`, requests to any host but the site's own.
 */
export async function open(t, path = '/', { context, options, sameOriginOnly = false } = {}) {
  const ctx = context ?? (await newContext(options));
  const page = await ctx.newPage();
  const problems = [];
  const origin = new URL(url).origin;
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  if (sameOriginOnly) {
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) {
        problems.push(`request to another host: ${u}`);
      }
    });
  }
  await page.goto(new URL(path, url).href);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 20000 });
  t.after(async () => { await ctx.close(); });
  return { page, ctx, problems };
}

/** Saves a screenshot into the artifacts folder. */
export async function shot(page, name, { fullPage = false } = {}) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
}

/** Polls `check` until it returns true, failing with `what` after `timeout` ms. */
export async function until(check, what, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
