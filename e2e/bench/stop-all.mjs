// "Stop all" benchmark for `cargo xtask bench`: generated fleets of 1,000 and 10,000 servers (`/?fleet=N`) at
// 100× speed, every running server stopped at once ("Stop all running servers", then the confirmation's "Stop N
// servers"), in headless Chromium.
//
// Four figures per run, all taken inside the page. First, typing at that fleet size: 20 characters put into the
// ServerId field one `input` event at a time (one per frame), each timed from the event to the end of the work
// it causes (the handlers, Yew's re-render, style and layout), median of the 20. Then typing in the fleet's filter
// the same way (a filter walks the whole fleet: this is the page's own worst keystroke). Then how long the
// confirming click holds the page (the N requests, their summary and the re-render, until the frame after the
// one that paints the result), then the gaps between the next 240 animation frames while the servers move
// through their transitions (at 60 Hz a smooth page shows 16.7 ms). Prints each run and the medians; never
// asserts timing.
//
// Env: FLEETPLAY_URL (default http://127.0.0.1:8080), CHROMIUM (default /usr/bin/chromium),
// BENCH_RUNS (default 3), BENCH_FLEETS (default 1000,10000).

import { chromium } from 'playwright-core';

const base = (process.env.FLEETPLAY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const fleets = (process.env.BENCH_FLEETS ?? '1000,10000').split(',').map(Number);
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const runs = Number(process.env.BENCH_RUNS ?? 3);
const FRAMES = 240;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

// Runs in the page: types `count` characters into the focused field, returns the median per keystroke, and
// empties the field again. A keystroke's time runs from the event to the end of the work it causes: the
// handlers, Yew's render (in a microtask), and the style and layout of what it changed (forced by reading a
// size). The next task comes from a MessageChannel, not `setTimeout(0)`, which Chromium clamps to 4 ms once
// timers nest five deep: with it, every keystroke under 4 ms read as 4 ms.
async function typeAndTime(count) {
  const input = document.activeElement;
  const nextTask = () => new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => done();
    channel.port2.postMessage(0);
  });
  const times = [];
  for (let i = 0; i < count; i++) {
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    const start = performance.now();
    input.value += 'a';
    input.dispatchEvent(new InputEvent('input', { bubbles: true, data: 'a', inputType: 'insertText' }));
    await nextTask();
    document.body.getBoundingClientRect();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  input.value = '';
  input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
  return times[Math.floor(times.length / 2)];
}

// Runs in the page: clicks the confirmation's "Stop N servers" and times the frames that follow.
function stopAllAndWatch(frames) {
  return new Promise((resolve, reject) => {
    const button = document.getElementById('stop-all-yes');
    if (!button) {
      reject(new Error('no confirmation button (#stop-all-yes)'));
      return;
    }
    const clicked = performance.now();
    button.click();
    requestAnimationFrame(() => requestAnimationFrame((first) => {
      const held = performance.now() - clicked;
      const times = [first];
      const tick = (t) => {
        times.push(t);
        if (times.length <= frames) requestAnimationFrame(tick);
        else resolve({ held, gaps: times.slice(1).map((x, i) => x - times[i]) });
      };
      requestAnimationFrame(tick);
    }));
  });
}

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const fmt = (n) => n.toLocaleString('en-US');
try {
  for (const n of fleets) {
    const url = `${base}/?fleet=${n}`;
    const held = [];
    const p95s = [];
    const keys = [];
    const filters = [];
    for (let i = 1; i <= runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 60000 });
      await page.getByRole('radio', { name: '100×' }).check();
      await page.getByLabel('ServerId', { exact: true }).focus();
      const key = await page.evaluate(typeAndTime, 20);
      await page.getByLabel('Filter servers by id or name').focus();
      const filter = await page.evaluate(typeAndTime, 20);
      await page.getByRole('button', { name: 'Stop all running servers' }).click();
      const run = await page.evaluate(stopAllAndWatch, FRAMES);
      const gaps = [...run.gaps].sort((a, b) => a - b);
      const p95 = percentile(gaps, 0.95);
      keys.push(key);
      filters.push(filter);
      held.push(run.held);
      p95s.push(p95);
      console.log(
        `stop-all: ${fmt(n)} servers, run ${i}: a keystroke ${key.toFixed(1)} ms (in the fleet filter ${filter.toFixed(1)} ms); ` +
          `the click holds the page ${run.held.toFixed(0)} ms; then ${FRAMES} frame gaps: ` +
          `median ${percentile(gaps, 0.5).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${gaps[gaps.length - 1].toFixed(1)} ms`,
      );
      await context.close();
    }
    if (held.length === runs && runs > 0) {
      console.log(
        `stop-all: ${fmt(n)} servers, median of ${runs} runs: a keystroke ${median(keys).toFixed(1)} ms (fleet filter ` +
          `${median(filters).toFixed(1)} ms); the click holds the page ${median(held).toFixed(0)} ms; frame gap p95 ` +
          `${median(p95s).toFixed(1)} ms (100×, ${url})`,
      );
    }
  }
} finally {
  await browser.close();
}
