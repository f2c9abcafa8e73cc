// Throttled load benchmark for `cargo xtask bench`: the page, its embed, the floor fixture (xtask/floor, the
// smallest interactive playground on the same simulator, served under /floor/ when the site has it) and two API
// consoles (RapiDoc and Swagger UI, each showing the same small spec) loaded side by side, interleaved, in
// headless Chromium emulating
// a mid-range phone on a slow mobile network: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency (Chromium's network
// emulation), the CPU slowed 4× (Chromium's CPU throttling), a 412×823 screen at 1.75 device pixels.
// Every load is cold (a fresh browser context) and served by the static host with brotli, then with gzip
// (site.mjs builds the two sites; each page is loaded with both in every round, in an order that rotates).
//
// Figures per load, all from the page's own clock (zero is the navigation start):
// - interactive: the moment the control that sends the request exists: fleetplay's `data-ready="true"` (set once
//   the app has mounted: the Send button is there), RapiDoc's "TRY" button, Swagger UI's "Try it out" button;
//   polled every 10 ms by a script installed before the page's own;
// - first paint: `first-contentful-paint`;
// - CLS: the layout shifts of the load (PerformanceObserver, entries without recent input), summed until one
//   second after interactive;
// - frame → app: for fleetplay, how far each panel of the HTML-only frame (elements marked `data-frame`) in the
//   first screenful lies from the app's panel that replaces it (top, left or width), largest over those panels
//   (0 px: the app lands exactly where the frame was; CLS cannot see this, as the app's elements are new ones);
// - transferred: bytes on the wire until interactive (Resource Timing `transferSize`);
// - largest file in: when the largest download of the load (fleetplay's wasm, RapiDoc's and Swagger UI's
//   script bundles) had fully arrived (its Resource Timing `responseEnd`): what is left between it and
//   interactive is compiling, running and the first render.
//
// Prints each load and a Markdown table of medians and ranges, and how much sooner the page and the embed are
// interactive than the fastest console. Never asserts timing.
//
// Env: FLEETPLAY_BR_URL and FLEETPLAY_GZ_URL (the two sites), CHROMIUM (default /usr/bin/chromium),
// BENCH_RUNS (rounds, default 5), BENCH_TIMEOUT_MS per load (default 60000).

import { chromium } from 'playwright-core';

const sites = [
  ['brotli', process.env.FLEETPLAY_BR_URL],
  ['gzip', process.env.FLEETPLAY_GZ_URL],
].filter(([, url]) => url);
if (sites.length === 0) {
  console.error('throttled: set FLEETPLAY_BR_URL and/or FLEETPLAY_GZ_URL');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const rounds = Number(process.env.BENCH_RUNS ?? 5);
const timeout = Number(process.env.BENCH_TIMEOUT_MS ?? 60000);

const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true };

const allTargets = [
  { name: 'fleetplay page', path: '/', kind: 'fleetplay' },
  { name: 'fleetplay embed', path: '/?embed&provider=transfer&op=StopServer&server=s-0123456789abcdef0', kind: 'fleetplay' },
  { name: 'floor: simulator + one textarea', path: '/floor/', kind: 'fleetplay', floor: true },
  { name: 'RapiDoc', path: '/consoles/rapidoc/', kind: 'rapidoc' },
  { name: 'Swagger UI', path: '/consoles/swagger/', kind: 'swagger' },
];

// The floor is loaded only when the sites serve it (site.mjs was given its build); without it, /floor/ is
// the page's own index.html (the static host's rule for unknown paths).
const servesFloor = async (url) => {
  try {
    const response = await fetch(new URL('/floor/', url));
    return response.ok && (await response.text()).includes('fleetplay-floor');
  } catch {
    return false;
  }
};
const hasFloor = (await Promise.all(sites.map(([, url]) => servesFloor(url)))).every(Boolean);
const targets = allTargets.filter((t) => !t.floor || hasFloor);

// Runs in the page before its own scripts: watches for the interactive moment, layout shifts, and the frame.
function install(kind) {
  const bench = (window.__bench = { ready: undefined, cls: 0, frame: null, app: null });
  const interactive = {
    fleetplay: () => document.body?.getAttribute('data-ready') === 'true',
    // The TRY button sits in a shadow root inside the element's own.
    rapidoc: () => {
      const find = (root) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.tagName === 'BUTTON' && el.textContent.trim() === 'TRY') return true;
          if (el.shadowRoot && find(el.shadowRoot)) return true;
        }
        return false;
      };
      const root = document.querySelector('rapi-doc')?.shadowRoot;
      return !!root && find(root);
    },
    swagger: () => !!document.querySelector('.try-out__btn'),
  }[kind];
  // The app's panel for each panel of the frame.
  const panels = {
    header: '.app > header.top', fleet: '#fleet', composer: '#composer', response: '#response',
    machine: '.col-right > .machine', timeline: '.col-right > .timeline', bar: '.app > footer.bar',
    card: '.embed-server',
  };
  const rect = (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + scrollY, left: r.left + scrollX, width: r.width };
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) bench.cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  } catch {}
  document.addEventListener('DOMContentLoaded', () => {
    const frame = {};
    // The panels a visitor sees before scrolling.
    for (const el of document.querySelectorAll('[data-frame]')) {
      if (el.getClientRects().length > 0 && el.getBoundingClientRect().top < innerHeight) frame[el.dataset.frame] = rect(el);
    }
    bench.frame = frame;
  });
  const timer = setInterval(() => {
    if (bench.ready === undefined && interactive()) {
      bench.ready = performance.now();
      clearInterval(timer);
      if (bench.frame) {
        const app = {};
        for (const key of Object.keys(bench.frame)) {
          const el = document.querySelector(panels[key]);
          if (el) app[key] = rect(el);
        }
        bench.app = app;
      }
    }
  }, 10);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${Math.round(x).toLocaleString('en-US')} ms`;
const range = (xs) => `${ms(Math.min(...xs)).replace(' ms', '')}–${ms(Math.max(...xs))}`;

async function load(browser, base, target) {
  const context = await browser.newContext(PHONE);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', NETWORK);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.addInitScript(install, target.kind);
    await page.goto(base + target.path, { waitUntil: 'commit', timeout });
    await page.waitForFunction(() => window.__bench?.ready !== undefined, null, { timeout, polling: 50 });
    await page.waitForTimeout(1000);
    return await page.evaluate(() => {
      const b = window.__bench;
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
      const loaded = entries.filter((e) => e && e.responseEnd <= b.ready);
      const bytes = loaded.reduce((sum, e) => sum + (e.transferSize ?? 0), 0);
      const largest = loaded.reduce((a, e) => ((e.transferSize ?? 0) > (a?.transferSize ?? -1) ? e : a), null);
      let jump = null;
      if (b.frame && b.app && Object.keys(b.frame).length > 0) {
        jump = { px: 0, panel: '' };
        for (const [key, f] of Object.entries(b.frame)) {
          const a = b.app[key];
          const d = a ? Math.max(Math.abs(a.top - f.top), Math.abs(a.left - f.left), Math.abs(a.width - f.width)) : Infinity;
          if (d > jump.px || jump.panel === '') jump = { px: d, panel: key };
        }
      }
      return { ready: b.ready, paint, cls: b.cls, bytes, jump, largestEnd: largest?.responseEnd ?? NaN,
        largestName: largest ? new URL(largest.name).pathname.split('/').pop() : '' };
    });
  } finally {
    await context.close();
  }
}

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const results = new Map();
const plan = sites.flatMap(([encoding, base]) => targets.map((target) => ({ encoding, base, target })));
try {
  for (let round = 1; round <= rounds; round++) {
    // Rotate the order every round, so no page always loads first or right after the same one.
    const order = plan.map((_, i) => plan[(i + round - 1) % plan.length]);
    for (const { encoding, base, target } of order) {
      const key = `${target.name}|${encoding}`;
      let r;
      try {
        r = await load(browser, base, target);
      } catch (e) {
        console.error(`throttled: round ${round}: ${target.name} (${encoding}) did not become interactive: ${e.message.split('\n')[0]}`);
        process.exitCode = 1;
        continue;
      }
      if (!results.has(key)) results.set(key, []);
      results.get(key).push(r);
      const jump = r.jump ? `, frame → app ${Math.round(r.jump.px)} px (${r.jump.panel})` : '';
      console.log(
        `throttled: round ${round}: ${target.name}, ${encoding}: interactive ${ms(r.ready)}, first paint ${ms(r.paint)}, ` +
          `CLS ${r.cls.toFixed(3)}${jump}, ${(r.bytes / 1000).toFixed(1)} KB, largest file (${r.largestName}) in at ${ms(r.largestEnd)}`,
      );
    }
  }
} finally {
  await browser.close();
}

console.log('');
console.log(
  `Throttled load (${NETWORK.downloadThroughput * 8 / 1e6} Mbit/s down, ${NETWORK.uploadThroughput * 8 / 1e3} kbit/s up, ` +
    `${NETWORK.latency} ms latency, ${CPU_SLOWDOWN}× CPU slowdown, 412×823 phone screen; ${rounds} interleaved rounds): ` +
    'median (range)',
);
console.log('');
console.log('| page | encoding | interactive | first paint | largest file in | CLS | frame → app | transferred |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const [encoding] of sites) {
  for (const target of targets) {
    const rs = results.get(`${target.name}|${encoding}`) ?? [];
    if (rs.length === 0) continue;
    const ready = rs.map((r) => r.ready);
    const paint = rs.map((r) => r.paint);
    const largest = rs.map((r) => r.largestEnd);
    const cls = rs.map((r) => r.cls);
    const jumps = rs.map((r) => r.jump?.px).filter((x) => x !== undefined);
    console.log(
      `| ${target.name} | ${encoding} | ${ms(median(ready))} (${range(ready)}) | ${ms(median(paint))} (${range(paint)}) | ` +
        `${ms(median(largest))} (${range(largest)}) | ` +
        `${median(cls).toFixed(3)} (max ${Math.max(...cls).toFixed(3)}) | ` +
        `${jumps.length ? `${Math.round(Math.max(...jumps))} px` : '—'} | ${(median(rs.map((r) => r.bytes)) / 1000).toFixed(1)} KB |`,
    );
  }
}
console.log('');
for (const [encoding] of sites) {
  const med = (name) => {
    const rs = results.get(`${name}|${encoding}`) ?? [];
    return rs.length ? median(rs.map((r) => r.ready)) : NaN;
  };
  const consoles = targets.filter((t) => t.kind !== 'fleetplay').map((t) => [t.name, med(t.name)]).filter(([, m]) => !Number.isNaN(m));
  if (consoles.length === 0) continue;
  const [fastest, best] = consoles.reduce((a, b) => (b[1] < a[1] ? b : a));
  const ratio = (name) => (best / med(name)).toFixed(2);
  const floor = targets.find((t) => t.floor);
  console.log(
    `throttled (${encoding}): the fastest console is ${fastest} at ${ms(best)}; the page is interactive ${ratio('fleetplay page')}× sooner, ` +
      `the embed ${ratio('fleetplay embed')}× sooner${floor ? `, the floor fixture ${ratio(floor.name)}× sooner` : ''} (goal: 1.5×)`,
  );
}
