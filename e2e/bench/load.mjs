// Load-time benchmark for `cargo xtask bench`: time from navigation to interactive in headless Chromium.
//
// Interactive means the app has mounted and set `data-ready="true"` on <body> or on #app (the contract in
// README.md). Each run opens a fresh browser context, so every load is cold (no HTTP cache). The moment is
// taken with performance.now(), whose zero is the navigation start, by a MutationObserver installed before
// any page script runs. Prints each run and the median; exits non-zero if the app never becomes ready.
//
// Env: FLEETPLAY_URL (default http://127.0.0.1:8080), CHROMIUM (default /usr/bin/chromium),
// BENCH_RUNS (default 5), BENCH_TIMEOUT_MS per load (default 30000).

import { chromium } from 'playwright-core';

const url = (process.env.FLEETPLAY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '') + '/';
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const runs = Number(process.env.BENCH_RUNS ?? 5);
const timeout = Number(process.env.BENCH_TIMEOUT_MS ?? 30000);

// Runs inside the page before its own scripts.
function watchForReady() {
  const selector = 'body[data-ready="true"], #app[data-ready="true"]';
  const check = () => {
    if (window.__fleetplayReadyAt === undefined && document.querySelector(selector)) {
      window.__fleetplayReadyAt = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-ready'],
  });
  check();
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

const ready = [];
const loaded = [];
try {
  for (let i = 1; i <= runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(watchForReady);
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(() => window.__fleetplayReadyAt !== undefined, null, { timeout });
    } catch {
      console.error(`load: no element with data-ready="true" on <body> or #app within ${timeout} ms at ${url}`);
      process.exitCode = 1;
      await context.close();
      break;
    }
    const readyAt = await page.evaluate(() => window.__fleetplayReadyAt);
    const domContentLoaded = await page.evaluate(
      () => performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? NaN,
    );
    ready.push(readyAt);
    loaded.push(domContentLoaded);
    console.log(
      `load: run ${i}: interactive at ${readyAt.toFixed(1)} ms (DOMContentLoaded ${domContentLoaded.toFixed(1)} ms)`,
    );
    await context.close();
  }
} finally {
  await browser.close();
}

if (ready.length === runs && runs > 0) {
  console.log(
    `load: median of ${runs} cold loads: interactive at ${median(ready).toFixed(1)} ms ` +
      `(DOMContentLoaded ${median(loaded).toFixed(1)} ms), ${url}`,
  );
}
