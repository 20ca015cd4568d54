// Headless Chromium walk through the review UI, run by ReviewUiBrowserTest:
// sign in, open the read's task from the worklist, check images and coloured phrases, the low-confidence flag and the
// list of what was set aside (on a task answer altered in the page's network), edit the first finding,
// reject the last (keyboard), accept the others, change the impression, sign, and land on the worklist again.
// Prints one JSON line with what was decided; exits 1 with a JSON line naming the failure otherwise.
//
// Environment: BASE_URL, USER, PASSWORD, READ_ID, SCREENSHOT (PNG path of the task page; siblings get the other
// shots), EDIT_TEXT, IMPRESSION, MIN_FINDINGS (default 2), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const STEP_TIMEOUT_MS = 20000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

const baseUrl = required('BASE_URL').replace(/\/$/, '');
const user = required('USER');
const password = required('PASSWORD');
const readId = required('READ_ID');
const screenshot = required('SCREENSHOT');
const editText = process.env.EDIT_TEXT || 'Edited by the radiologist in the browser.';
const impression = process.env.IMPRESSION || 'Impression signed in the browser.';
const minFindings = Number(process.env.MIN_FINDINGS || '2');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const shot = suffix => screenshot.replace(/\.png$/, '') + suffix + '.png';

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

function rgb(hex) {
  const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.substring(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

const profile = mkdtempSync(join(tmpdir(), 'groundflow-chromium-'));
mkdirSync(dirname(screenshot), { recursive: true });
const problems = [];
let context;
let page;
const started = Date.now();
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', r => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  // Sign in through the form; the application sends radiologists to the worklist.
  await page.goto(`${baseUrl}/review/`);
  check(page.url().includes('/login'), `an anonymous visit should land on the sign-in form, got ${page.url()}`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(/\/review\/(\?.*)?$/), page.click('button[type=submit]')]);

  // The worklist lists the read; open its task.
  const row = page.locator(`tr[data-read-id="${readId}"]`);
  await row.waitFor();
  await page.screenshot({ path: shot('-worklist') });
  // The task as the page receives it, with its last finding made a low-confidence one and a note of something set
  // aside: the page must flag the one and list the other (the model rarely doubts the demo study).
  const flagged = [];
  await page.route('**/api/reviews', async route => {
    if (route.request().method() !== 'GET') {
      return route.continue();
    }
    const response = await route.fetch();
    const tasks = await response.json();
    for (const task of tasks.filter(t => t.readId === readId && t.findings.length)) {
      const last = task.findings.reduce((a, b) => (a.number > b.number ? a : b));
      last.confidence = 0.41;
      last.lowConfidence = true;
      task.setAside = [...(task.setAside || []), { label: 'nodule', reason: 'a 42 mm nodule is larger than a nodule\'s 30 mm; reported as mass', keptAs: 'mass' }];
      flagged.splice(0, flagged.length, ...task.findings.filter(f => f.lowConfidence).map(f => f.number));
    }
    return route.fulfill({ response, json: tasks });
  });
  await Promise.all([page.waitForURL(/\/review\/task\.html\?task=/), row.locator('a').click()]);

  // The task page: findings, images, overlay, coloured phrases.
  await page.waitForSelector('#task[aria-busy="false"]');
  const numbers = (await page.locator('.finding').evaluateAll(items => items.map(li => Number(li.dataset.number))))
    .sort((a, b) => a - b);
  check(numbers.length >= minFindings, `expected at least ${minFindings} draft findings, the page shows ${numbers.length}`);
  const shownFlags = (await page.locator('.finding:has(.flag.low-confidence)').evaluateAll(items =>
    items.map(li => Number(li.dataset.number)))).sort((a, b) => a - b);
  check(flagged.includes(numbers[numbers.length - 1]), `the last finding should have been made low-confidence, flagged ${flagged}`);
  check(JSON.stringify(shownFlags) === JSON.stringify([...flagged].sort((a, b) => a - b)),
    `findings flagged low-confidence should be ${flagged}, the page flags ${shownFlags}`);
  check((await page.locator(`.finding[data-number="${numbers[numbers.length - 1]}"] .meta`).innerText()).includes('confidence 41%'),
    'the low-confidence finding should show its confidence, 41%');
  check(await page.locator('#set-aside').isVisible(), 'what the model set aside should be listed');
  check((await page.locator('#set-aside-list').innerText()).includes('reported as mass'),
    `the set-aside list should give the reason, it shows ${await page.locator('#set-aside-list').innerText()}`);
  const volume = await page.evaluate(async id => (await fetch(`/api/reads/${id}/volume`)).json(), readId);
  const segments = new Map(volume.segments.map(s => [s.finding, s]));
  await page.waitForFunction(() => ['slice-image', 'overlay-image'].every(id => {
    const image = document.getElementById(id);
    return image.complete && image.naturalWidth > 0;
  }));
  const sizes = await page.evaluate(() => ['slice-image', 'overlay-image'].map(id => {
    const image = document.getElementById(id);
    return [image.naturalWidth, image.naturalHeight];
  }));
  check(sizes.every(([w, h]) => w === volume.columns && h === volume.rows),
    `slice and overlay images should be ${volume.columns}x${volume.rows}, got ${JSON.stringify(sizes)}`);

  const colours = new Set();
  for (const number of numbers) {
    const segment = segments.get(number);
    check(segment, `finding ${number} has no segment in the volume view`);
    const phrase = page.locator(`.finding[data-number="${number}"] .phrase`);
    check(await phrase.count() === 1, `finding ${number} should show one grounded phrase`);
    const background = await phrase.evaluate(span => getComputedStyle(span).backgroundColor);
    check(background === rgb(segment.colour), `phrase of finding ${number} is ${background}, its segment ${rgb(segment.colour)}`);
    colours.add(segment.colour);

    // Clicking the phrase jumps to the segment, and the overlay there carries the phrase's colour.
    await phrase.click();
    await page.waitForFunction(z => document.getElementById('stage').dataset.slice === String(z), segment.centroidSlice);
    const pixel = await page.evaluate(async s => {
      const image = document.getElementById('overlay-image');
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const g = canvas.getContext('2d');
      g.drawImage(image, 0, 0);
      return Array.from(g.getImageData(s.centroidColumn, s.centroidRow, 1, 1).data);
    }, segment);
    const expected = [1, 3, 5].map(i => parseInt(segment.colour.substring(i, i + 2), 16));
    check(pixel[3] > 0 && expected.every((c, i) => Math.abs(c - pixel[i]) <= 3),
      `overlay at the centre of finding ${number} is rgba(${pixel}), expected ${segment.colour}`);
  }
  check(colours.size === numbers.length, `each finding needs its own colour, got ${[...colours]}`);
  await page.locator(`.finding[data-number="${numbers[0]}"] .phrase`).click();
  await page.waitForFunction(() => document.getElementById('overlay-image').complete);
  await page.screenshot({ path: shot('-open') });

  // Slices scroll with the keyboard and the mouse wheel.
  const clamp = z => Math.max(0, Math.min(volume.slices - 1, z));
  const sliceNow = async () => Number(await page.locator('#stage').getAttribute('data-slice'));
  const sliceBecomes = z => page.waitForFunction(v => document.getElementById('stage').dataset.slice === String(v), z);
  const up = clamp(await sliceNow() + 1);
  await page.keyboard.press('ArrowUp');
  await sliceBecomes(up);
  await page.locator('#stage').hover();
  await page.mouse.wheel(0, 120);
  await sliceBecomes(clamp(up - 1));
  await page.mouse.wheel(0, 120);
  await sliceBecomes(clamp(up - 2));

  // Edit the first finding: select it by its phrase, 'e', type, Ctrl+Enter.
  const first = numbers[0];
  const last = numbers[numbers.length - 1];
  await page.locator(`.finding[data-number="${first}"] .phrase`).click();
  await page.keyboard.press('e');
  const area = page.locator(`.finding[data-number="${first}"] .edit textarea`);
  await area.waitFor();
  await area.fill(editText);
  await area.press('Control+Enter');
  await page.waitForSelector(`.finding.edit[data-number="${first}"]`);
  check((await page.locator(`.finding[data-number="${first}"] .text`).innerText()).includes(editText),
    `finding ${first} should show the edited sentence`);
  // Markup in the edited sentence is text: no element made of it, nothing of it run.
  check(await page.locator(`.finding[data-number="${first}"] .text *:not(.phrase)`).count() === 0,
    `the edited sentence of finding ${first} should be text only, its markup became elements`);
  check(await page.evaluate(() => window.__groundflowInjected === undefined), 'markup in the edited sentence ran as script');

  // 'j' moves on; 'a' accepts the middle findings (each moves to the next), 'r' rejects the last.
  await page.keyboard.press('j');
  const accepted = numbers.slice(1, -1);
  for (const number of accepted) {
    await page.waitForSelector(`.finding[data-number="${number}"][aria-selected="true"]`);
    await page.keyboard.press('a');
    await page.waitForSelector(`.finding.accept[data-number="${number}"]`);
  }
  await page.waitForSelector(`.finding[data-number="${last}"][aria-selected="true"]`);
  await page.keyboard.press('r');
  await page.waitForSelector(`.finding.reject[data-number="${last}"]`);
  const overlaySrc = await page.locator('#overlay-image').getAttribute('src');
  const shown = new URL(overlaySrc, baseUrl).searchParams.get('segments').split(',').filter(Boolean).map(Number);
  check(!shown.includes(segments.get(last).segmentNumber),
    `the rejected finding's segment ${segments.get(last).segmentNumber} should leave the overlay, it shows ${shown}`);

  await page.fill('#impression', impression);
  const sign = page.locator('#sign');
  check(await sign.isEnabled(), 'Sign should be enabled once every finding is decided');
  await page.locator(`.finding[data-number="${first}"] .finding-head`).click();
  await page.waitForFunction(z => document.getElementById('stage').dataset.slice === String(z),
    segments.get(first).centroidSlice);
  await page.waitForFunction(() => document.getElementById('overlay-image').complete);
  await page.screenshot({ path: screenshot });

  // Sign; the page reports the result and returns to the worklist, where the read is gone.
  await sign.click();
  const result = page.locator('#result');
  await result.waitFor({ state: 'visible' });
  const resultText = await result.innerText();
  check(resultText.includes(`Signed by ${user}`), `the result should name the reviewer, got: ${resultText}`);
  await page.screenshot({ path: shot('-signed') });
  await page.waitForURL(/\/review\/(\?.*)?$/);
  await page.locator('#flash').waitFor({ state: 'visible' });
  await page.waitForSelector('main.worklist[data-loaded="true"]');
  check(await page.locator(`tr[data-read-id="${readId}"]`).count() === 0, 'the signed read should leave the worklist');
  check(await page.evaluate(() => window.__groundflowInjected === undefined), 'markup typed in the review ran as script');
  check(problems.length === 0, `the browser reported problems: ${problems.join('; ')}`);

  console.log(JSON.stringify({
    ok: true, findings: numbers.length, edited: [first], accepted, rejected: [last], editText, impression,
    result: resultText, colours: [...colours], seconds: (Date.now() - started) / 1000
  }));
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  if (page) {
    await page.screenshot({ path: shot('-failure') }).catch(() => {});
  }
  console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e), url: page ? page.url() : null, problems }));
  if (context) {
    await context.close().catch(() => {});
  }
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
