// Headless Chromium walk through an amendment in the review UI, run by AmendUiBrowserTest: sign in, reopen a signed
// read from the worklist's amend form, find the task starting from the signed decisions (the last finding rejected,
// the others accepted), accept the rejected finding, sign, and land on the worklist again.
// Prints one JSON line with what was done; exits 1 with a JSON line naming the failure otherwise.
//
// Environment: BASE_URL, USER, PASSWORD, READ_ID, SCREENSHOT (PNG path), CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const baseUrl = required('BASE_URL').replace(/\/$/, '');
const readId = required('READ_ID');
const screenshot = required('SCREENSHOT');
const profile = mkdtempSync(join(tmpdir(), 'groundflow-chromium-'));
mkdirSync(dirname(screenshot), { recursive: true });
const problems = [];
let context;
let page;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  context.setDefaultTimeout(20000);
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('response', r => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  await page.goto(`${baseUrl}/review/`);
  await page.fill('input[name=username]', required('USER'));
  await page.fill('input[name=password]', required('PASSWORD'));
  await Promise.all([page.waitForURL(/\/review\/(\?.*)?$/), page.click('button[type=submit]')]);

  // The worklist's amend form reopens the signed read and opens its task.
  await page.waitForSelector('main.worklist[data-loaded="true"]');
  await page.fill('#amend-read', readId);
  await Promise.all([page.waitForURL(/\/review\/task\.html\?task=/), page.click('#amend button[type=submit]')]);
  await page.waitForSelector('#task[aria-busy="false"]');
  const numbers = (await page.locator('.finding').evaluateAll(items => items.map(li => Number(li.dataset.number))))
    .sort((a, b) => a - b);
  const last = numbers[numbers.length - 1];
  check(await page.locator(`.finding.reject[data-number="${last}"]`).count() === 1,
    `finding ${last} should start rejected, as signed`);
  for (const number of numbers.slice(0, -1)) {
    check(await page.locator(`.finding.accept[data-number="${number}"]`).count() === 1,
      `finding ${number} should start accepted, as signed`);
  }
  check(await page.locator('#sign').isEnabled(), 'an amendment starts with every finding decided');

  await page.locator(`.finding[data-number="${last}"] .finding-head`).click();
  await page.keyboard.press('a');
  await page.waitForSelector(`.finding.accept[data-number="${last}"]`);
  await page.screenshot({ path: screenshot });
  await page.locator('#sign').click();
  await page.locator('#result').waitFor({ state: 'visible' });
  await page.waitForURL(/\/review\/(\?.*)?$/);
  check(problems.length === 0, `the browser reported problems: ${problems.join('; ')}`);

  console.log(JSON.stringify({ ok: true, findings: numbers.length, accepted: last }));
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  if (page) {
    await page.screenshot({ path: screenshot.replace(/\.png$/, '-failure.png') }).catch(() => {});
  }
  console.log(JSON.stringify({ ok: false, error: String(e && e.stack || e), url: page ? page.url() : null, problems }));
  if (context) {
    await context.close().catch(() => {});
  }
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
