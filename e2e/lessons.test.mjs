// Training sessions that never stall (issue #12), in headless Chromium against the release build: every
// shipped lesson completed after deliberately missing each time-sensitive step once (Retry this step and
// Show the solution); the Nova tokens lesson's first step from its example request alone; a lesson link
// that opens the same lesson (at the chosen step); fault rates in percent, refused out of range; Escape
// on the Faults popover; `fleetplay grade` and the instructor view agreeing on real exported sessions (a
// tampered one among them, and the committed fixtures); a lesson made from a session passing
// `fleetplay lesson check`. Screenshots at 320 px and desktop, light and dark.
//
// Env (besides support.mjs's): FLEETPLAY_CLI, the `fleetplay` binary (xtask builds it); without it the
// comparisons with the CLI are skipped. FLEETPLAY_WRITE_FIXTURES=1 also writes the exported sessions into
// tests/fixtures/grade/ (how the committed fixtures were made).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, readdirSync, copyFileSync, mkdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { open, shot, skip, until, useBrowser } from './support.mjs';

useBrowser();

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const cli = process.env.FLEETPLAY_CLI;
const noCli = skip || (cli ? false : 'FLEETPLAY_CLI is not set (cargo xtask test e2e sets it)');
const lessonFiles = readdirSync(join(root, 'lessons')).filter((f) => f.endsWith('.json')).sort();
const readLesson = (file) => JSON.parse(readFileSync(join(root, 'lessons', file), 'utf8'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core over what this file adds (`selector`; the rest of the page has its own axe test): no violation
 * at all, whatever its impact. */
async function axe(page, name, selector) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (selector) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document.querySelector(selector), { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, selector);
  assert.deepEqual(result, [], `${name}: axe found ${JSON.stringify(result, null, 1)}`);
}

/** The lessons panel's progress line. */
const statusText = (page) => page.locator('#lessons .lesson-progress [role=status]').innerText();
const doneCount = async (page) => {
  const text = await statusText(page);
  const all = /^All (\d+) steps done/.exec(text);
  return all ? Number(all[1]) : Number(/^(\d+) of/.exec(text)[1]);
};

async function startLesson(page, title) {
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: `Start lesson: ${title}` }).click();
  await page.locator('#lessons').getByRole('heading', { name: `Lesson: ${title}` }).waitFor();
}

const playing = async (page) => (await page.locator('.clock button.icon').getAttribute('aria-label')) === 'Pause';
async function setPlaying(page, on) {
  if ((await playing(page)) !== on) await page.locator('.clock button.icon').click();
}
async function setSpeed(page, speed) {
  await page.locator(`.speeds label:has(input[value="${speed}"])`).click();
}

/** Lets `ms` of simulated time pass at 100× (then leaves the clock as the lesson wants it). */
async function letTimePass(page, ms) {
  await setSpeed(page, 100);
  await setPlaying(page, true);
  await sleep(ms / 100 + 400);
}

/** Opens the current step's "Show the solution" (it may still be open from before a retry). */
async function openSolution(page) {
  const details = page.locator('#lessons .step.current details.solution');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
}

/** Follows step `i`'s solution through the page: Show the solution, Put it in the composer, Send. */
async function doSolution(page, step, i) {
  await openSolution(page);
  let put = 0;
  for (const action of step.solution) {
    if (action.wait) {
      const ms = /(\d+)m/.test(action.wait) ? Number(/(\d+)m/.exec(action.wait)[1]) * 60000 : Number(/(\d+)s/.exec(action.wait)[1]) * 1000;
      await letTimePass(page, ms);
      continue;
    }
    // The step's solution list is re-rendered as answers arrive: take the n-th button afresh each time.
    await page.locator('#lessons .step.current details.solution').getByRole('button', { name: 'Put it in the composer' }).nth(put).click();
    put += 1;
    for (let n = 0; n < (action.times ?? 1); n++) {
      await page.getByRole('button', { name: /^Send/ }).click();
      if ((await doneCount(page)) > i) break;
    }
  }
  await until(async () => (await doneCount(page)) > i, `step ${i + 1} done by its solution`, 15000);
}

/** Misses step `i`'s moment: its requests sent with simulated minutes between them. */
async function missStep(page, step, i) {
  await openSolution(page);
  let put = 0;
  for (const action of step.solution) {
    if (!action.send) continue;
    for (let n = 0; n < (action.times ?? 1); n++) {
      await letTimePass(page, 150000);
      await page.locator('#lessons .step.current details.solution').getByRole('button', { name: 'Put it in the composer' }).nth(put).click();
      await page.getByRole('button', { name: /^Send/ }).click();
    }
    put += 1;
  }
  await sleep(200);
  assert.equal(await doneCount(page), i, `step ${i + 1}'s moment passed, so it is not done`);
}

test('each shipped lesson is completed after deliberately missing every time-sensitive step once', { skip }, async (t) => {
  let missed = 0;
  for (const file of lessonFiles) {
    const lesson = readLesson(file);
    const { page, problems } = await open(t);
    await startLesson(page, lesson.title);
    for (const [i, step] of lesson.steps.entries()) {
      if (step.clock === 'pause') {
        // The lesson paused the clock for this step, and says so in the step.
        await until(async () => !(await playing(page)), `${file}: the clock paused for step ${i + 1}`);
        assert.match(await page.locator('#lessons .step.current .clock-note').innerText(), /pauses the clock/);
        await missStep(page, step, i);
        await page.locator('#lessons .step.current').getByRole('button', { name: 'Retry this step' }).click();
        await until(async () => /Back to the start of step/.test(await page.locator('.toast').innerText().catch(() => '')), 'the retry is confirmed');
        assert.equal(await doneCount(page), i, `${file}: step ${i + 1} is current again`);
        assert.equal(await playing(page), false, `${file}: the retried step has its clock paused`);
        missed += 1;
        if (missed === 1) await shot(page, 'lesson-retried', { fullPage: true });
      }
      await doSolution(page, step, i);
    }
    assert.match(await statusText(page), /^All \d+ steps done/, file);
    assert.deepEqual(problems, [], file);
  }
  assert.ok(missed >= 5, `only ${missed} time-sensitive steps missed`);
});

test('the Nova tokens lesson, step 1: the example request lands in Raw HTTP, says why, and sends', { skip }, async (t) => {
  const { page, problems } = await open(t);
  await startLesson(page, 'Nova tokens, roles, projects and locks');
  await page.getByRole('button', { name: 'Put the example request in the composer' }).click();
  assert.equal(await page.getByRole('tab', { name: 'Raw HTTP' }).getAttribute('aria-selected'), 'true');
  assert.match(await page.locator('.composer .notes').innerText(), /the form would not send this request \(X-Auth-Token is required there\)/);
  const send = page.getByRole('button', { name: /^Send/ });
  assert.equal(await send.isDisabled(), false);
  // The hint names only what is on screen: the Raw HTTP tab, not a fleet to pick from.
  assert.match(await page.locator('#lessons .step.current .hint').first().innerText(), /Raw HTTP tab/);
  await send.click();
  await until(async () => (await statusText(page)) === '1 of 8 steps done', 'step 1 done');
  await shot(page, 'lesson-nova-raw');
  assert.deepEqual(problems, []);
});

test('a share link copied inside a lesson opens the same lesson, at the step the instructor chose', { skip }, async (t) => {
  const lesson = readLesson('lightsail-stop-and-force.json');
  const { page, ctx } = await open(t);
  await startLesson(page, lesson.title);
  await doSolution(page, lesson.steps[0], 0);
  await page.locator('#lessons .step.current details.solution summary').click().catch(() => {});
  await axe(page, 'lesson with its solution shown', '#lessons');
  await page.getByRole('button', { name: 'Copy share link' }).click();
  const link = await page.getByLabel('Share link').inputValue();
  assert.match(link, /#share=/);
  const other = await ctx.newPage();
  await other.goto(link);
  await other.locator('body[data-ready="true"]').waitFor();
  await other.locator('#lessons').getByRole('heading', { name: `Lesson: ${lesson.title}` }).waitFor();
  assert.equal(await statusText(other), `0 of ${lesson.steps.length} steps done`);
  assert.match(await other.locator('.notice').innerText(), /Opened a shared lesson/);
  // The class link, starting at step 4: the steps before it are done on opening, the operation id filled.
  await page.locator('#lessons details.class-link summary').click();
  await page.getByLabel('Start at').selectOption('3');
  await page.getByRole('button', { name: 'Copy lesson link' }).click();
  const classLink = await page.getByLabel('Lesson link').inputValue();
  await shot(page, 'lesson-class-link', { fullPage: true });
  const student = await ctx.newPage();
  await student.goto(classLink);
  await student.locator('body[data-ready="true"]').waitFor();
  await until(async () => (await statusText(student)) === '3 of 6 steps done', 'started at step 4');
  await student.locator('#lessons .step.current details.solution summary').click();
  assert.match(await student.locator('#lessons .step.current details.solution pre').innerText(), /"operationId": "[0-9a-f-]{36}"/);
  // A damaged lesson in a link is refused with the place of the problem.
  const damaged = classLink.replace(/#share=(.*)$/, (_, b64) => {
    const json = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
    json.lesson = json.lesson.replace('"goal"', '"gaol"');
    return '#share=' + Buffer.from(JSON.stringify(json)).toString('base64url');
  });
  const bad = await ctx.newPage();
  await bad.goto(damaged);
  await bad.locator('body[data-ready="true"]').waitFor();
  assert.match(await bad.getByRole('alert').innerText(), /the lesson it carries is invalid \(steps\[0\]\.gaol/);
});

test('a fault rate of 50 means 50 %, 150 is refused with a message, and Escape closes the Faults popover', { skip }, async (t) => {
  const { page, problems } = await open(t);
  const summary = page.locator('details.faults summary');
  await summary.click();
  const field = page.locator('#ft-internal');
  assert.equal(await field.inputValue(), '0');
  assert.match(await page.locator('.fault:has(#ft-internal) .unit').innerText(), /%/);
  assert.match(await page.locator('.fault-help').innerText(), /simulated second: at 10× one simulated second passes in 0\.1 s/);
  await field.fill('50');
  await field.press('Tab');
  await until(async () => /set to 50 %/.test(await page.locator('.toast').innerText().catch(() => '')), 'the rate applied');
  const saved = async () => JSON.parse(await page.evaluate(() => localStorage.getItem('fleetplay.session.v1')));
  await until(async () => (await saved())?.scenario?.faults?.transfer?.internal_error_rate === 0.5, 'the scenario holds 0.5');
  assert.equal(await field.inputValue(), '50');
  // Out of range: refused with a message, the scenario unchanged (not clamped to 100 %).
  await field.fill('150');
  await field.press('Tab');
  assert.equal(await page.locator('.fault:has(#ft-internal) .field-err').innerText(), '150 % is outside 0–100 %: not applied.');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  await axe(page, 'faults with a refused value', 'details.faults');
  assert.equal((await saved()).scenario.faults.transfer.internal_error_rate, 0.5);
  await shot(page, 'faults-refused');
  // Escape closes the popover and puts focus back on its button.
  await field.focus();
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('details.faults').getAttribute('open'), null);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY');
  // Half the DescribeServer calls fail (seeded: the same run every time).
  await page.getByRole('treeitem', { name: /s-0123456789abcdef0/ }).click();
  await page.getByLabel('Operation').selectOption('DescribeServer');
  for (let i = 0; i < 20; i++) await page.getByRole('button', { name: /^Send/ }).click();
  await until(async () => (await page.locator('.timeline .tl-x').count()) === 20, 'twenty answers');
  const errors = (await page.locator('.timeline .tl-x .code-pill').allInnerTexts()).filter((s) => s.startsWith('5')).length;
  assert.ok(errors >= 5 && errors <= 15, `${errors} of 20 failed at 50 %`);
  assert.deepEqual(problems, []);
});

/** Drives a student through the first `steps` steps of the Transfer lesson and exports the session. */
async function student(t, dir, name, steps) {
  const lesson = readLesson('transfer-stop-lifecycle.json');
  const { page } = await open(t);
  await startLesson(page, lesson.title);
  for (let i = 0; i < steps; i++) await doSolution(page, lesson.steps[i], i);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export session' }).click()]);
  const file = join(dir, name);
  await download.saveAs(file);
  return file;
}

/** RFC 4180 CSV into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Loads `files` into the instructor view and reads its table: one array of seven cells per row. */
async function instructorTable(page, files) {
  await page.getByRole('button', { name: 'Instructor' }).click();
  await page.locator('label:has-text("choose files") input[type=file]').setInputFiles(files);
  await page.locator('table.grades tbody tr').first().waitFor();
  await until(async () => (await page.locator('table.grades tbody tr').count()) === files.length, 'every file graded');
  return page.locator('table.grades tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('th, td')].slice(0, 7).map((c) => c.innerText.trim())));
}

const cliTable = (lesson, files) => {
  const out = spawnSync(cli, ['grade', lesson, ...files, '--format', 'csv'], { encoding: 'utf8' });
  assert.ok(out.status === 0 || out.status === 1, out.stderr);
  return parseCsv(out.stdout).slice(1);
};

test('fleetplay grade and the instructor view agree on real exported sessions, a tampered one among them', { skip: noCli }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fleetplay-class-'));
  const alice = await student(t, dir, 'alice.json', 5);
  const bob = await student(t, dir, 'bob.json', 2);
  const mallory = await student(t, dir, 'mallory.json', 1);
  // Mallory edits her file to claim every step.
  const edited = JSON.parse(readFileSync(mallory, 'utf8'));
  for (const s of edited.progress.steps) { s.state = 'done'; s.proved_at ??= 'T+00:00:00'; }
  writeFileSync(mallory, JSON.stringify(edited, null, 2));
  const files = [alice, bob, mallory];
  if (process.env.FLEETPLAY_WRITE_FIXTURES) {
    const fixtures = join(root, 'tests', 'fixtures', 'grade');
    mkdirSync(fixtures, { recursive: true });
    for (const f of files) copyFileSync(f, join(fixtures, f.split('/').pop()));
  }
  const lessonPath = join(root, 'lessons', 'transfer-stop-lifecycle.json');
  const expected = cliTable(lessonPath, files);
  const { page, problems } = await open(t);
  const shown = await instructorTable(page, files);
  assert.deepEqual(shown, expected.map((r) => r.map((c) => c || '')));
  assert.deepEqual(shown.map((r) => [r[0], r[1], r[2]]), [['alice.json', 'complete', '5/5'], ['bob.json', 'partial', '2/5'], ['mallory.json', 'tampered', '1/5']]);
  assert.match(shown[2][6], /claims steps 2, 3, 4, 5 done/);
  assert.match(shown[0][4], /GMT \(\d+s after the first request\)|GMT \(\dm\d\ds after the first request\)/);
  // Each student's transcript is one click away.
  await page.getByRole('button', { name: 'Transcript of bob.json' }).click();
  assert.equal(await page.getByRole('button', { name: 'Hide transcript of bob.json' }).getAttribute('aria-expanded'), 'true');
  assert.match(await page.locator('section.transcript pre').innerText(), /DescribeServer[\s\S]*"State":"STOPPING"/);
  await shot(page, 'instructor', { fullPage: true });
  await axe(page, 'instructor view with a transcript open', 'main.instructor');
  assert.deepEqual(problems, []);
});

test('the committed fixtures grade the same in the CLI and the page', { skip: noCli }, async (t) => {
  const dir = join(root, 'tests', 'fixtures', 'grade');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
  assert.ok(files.length >= 3, 'fixtures are there');
  const expected = cliTable(join(root, 'lessons', 'transfer-stop-lifecycle.json'), files);
  const { page } = await open(t);
  const shown = await instructorTable(page, files);
  assert.deepEqual(shown, expected);
  assert.ok(shown.some((r) => r[1] === 'tampered'));
});

test('a folder of sessions chosen with "choose a folder" grades as its files do; other files in it are skipped', { skip: noCli }, async (t) => {
  const fixtures = join(root, 'tests', 'fixtures', 'grade');
  const names = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort();
  const folder = mkdtempSync(join(tmpdir(), 'fleetplay-folder-'));
  for (const f of names) copyFileSync(join(fixtures, f), join(folder, f));
  writeFileSync(join(folder, 'notes.txt'), 'not a session');
  const expected = cliTable(join(root, 'lessons', 'transfer-stop-lifecycle.json'), names.map((f) => join(folder, f)));
  const { page, problems } = await open(t);
  await page.getByRole('button', { name: 'Instructor' }).click();
  await page.locator('label:has-text("choose a folder") input[type=file]').setInputFiles(folder);
  await until(async () => (await page.locator('table.grades tbody tr').count()) === names.length, 'every session in the folder graded');
  const shown = await page.locator('table.grades tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('th, td')].slice(0, 7).map((c) => c.innerText.trim())));
  assert.deepEqual(shown, expected);
  assert.deepEqual(problems, []);
});

test('a lesson made from a session passes fleetplay lesson check', { skip: noCli }, async (t) => {
  const { page, problems } = await open(t);
  await page.getByRole('treeitem', { name: /s-0123456789abcdef0/ }).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByLabel('Operation').selectOption('DescribeServer');
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByRole('button', { name: 'Step to next transition' }).click();
  await page.getByRole('button', { name: /^Send/ }).click();
  await page.getByRole('button', { name: 'Lessons' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Make a lesson from this session' }).click()]);
  const file = join(mkdtempSync(join(tmpdir(), 'fleetplay-made-')), 'lesson.json');
  await download.saveAs(file);
  const made = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(made.steps.length >= 2, JSON.stringify(made));
  assert.ok(made.steps.every((s) => s.solution?.length > 0 && s.check.response));
  const out = spawnSync(cli, ['lesson', 'check', file], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stderr, /the steps' solutions complete all \d+ steps/);
  // And it loads as a lesson in the page.
  await page.locator('label:has-text("Load a lesson file") input[type=file]').setInputFiles(file);
  await page.locator('#lessons').getByRole('heading', { name: /^Lesson: A lesson made from a session/ }).waitFor();
  assert.deepEqual(problems, []);
});

test('screenshots: lessons, faults and the instructor view at 320 px and desktop, light and dark', { skip }, async (t) => {
  for (const colorScheme of ['light', 'dark']) {
    for (const width of [320, 1280]) {
      const { page } = await open(t, '/', { options: { colorScheme, viewport: { width, height: 900 } } });
      const tag = `${width}-${colorScheme}`;
      if (width === 320) {
        await page.getByRole('button', { name: 'Lessons' }).click();
      } else {
        await page.getByRole('button', { name: 'Lessons' }).click();
      }
      await page.getByRole('button', { name: 'Start lesson: Stop an AWS Transfer Family server and watch it go OFFLINE' }).click();
      await page.locator('#lessons .step.current details.solution summary').click();
      await page.locator('#lessons').screenshot({ path: join(root, 'artifacts', 'screenshots', `lessons-panel-${tag}.png`) });
      await page.locator('details.faults summary').click();
      await page.locator('#ft-internal').fill('150');
      await page.locator('#ft-internal').press('Tab');
      await shot(page, `faults-${tag}`);
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Instructor' }).click();
      const fixtures = join(root, 'tests', 'fixtures', 'grade');
      const files = readdirSync(fixtures).filter((f) => f.endsWith('.json')).map((f) => join(fixtures, f));
      if (files.length) {
        await page.locator('label:has-text("choose files") input[type=file]').setInputFiles(files);
        await page.locator('table.grades tbody tr').first().waitFor();
      }
      await shot(page, `instructor-${tag}`, { fullPage: true });
    }
  }
});
