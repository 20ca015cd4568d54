// Headless Chromium visit of the AI monitoring page, run by MonitoringUiBrowserTest: sign in as an admin, open the
// page for a range, read the figures from its tables and check that each chart drew its lines.
// Prints one JSON line with what the page shows; exits 1 with a JSON line naming the failure otherwise.
//
// Environment: BASE_URL, USER, PASSWORD, FROM, TO (the range, dates), SCREENSHOT (PNG path), CHROMIUM.
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

const baseUrl = required('BASE_URL').replace(/\/$/, '');
const screenshot = required('SCREENSHOT');
const pageUrl = `${baseUrl}/monitoring/?from=${required('FROM')}&to=${required('TO')}`;
const profile = mkdtempSync(join(tmpdir(), 'groundflow-chromium-'));
mkdirSync(dirname(screenshot), { recursive: true });
const problems = [];
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  context.setDefaultTimeout(20000);
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', r => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  // An anonymous visit lands on the sign-in form, which leads back to the page.
  await page.goto(pageUrl);
  if (!page.url().includes('/login')) {
    throw new Error(`an anonymous visit should land on the sign-in form, got ${page.url()}`);
  }
  await page.fill('input[name=username]', required('USER'));
  await page.fill('input[name=password]', required('PASSWORD'));
  await Promise.all([page.waitForURL(/\/monitoring\//), page.click('button[type=submit]')]);
  await page.waitForSelector('#report[aria-busy="false"]');
  const error = await page.locator('#error').evaluate(e => e.hidden ? null : e.textContent);
  if (error) {
    throw new Error(`the page shows an error: ${error}`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });

  // The figures, as the tables show them (raw values in data-value, the text as read).
  const rows = await page.locator('#models tbody tr').evaluateAll(trs => trs.map(tr => ({
    model: tr.dataset.model, version: tr.dataset.version, label: tr.dataset.label,
    values: Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map(td => [td.dataset.field, td.dataset.value])),
    text: Object.fromEntries([...tr.querySelectorAll('td[data-field]')].map(td => [td.dataset.field, td.textContent]))
  })));
  const inputs = await page.locator('#inputs tbody td[data-field]').evaluateAll(tds =>
    Object.fromEntries(tds.map(td => [td.dataset.field, td.dataset.value])));
  const scanners = await page.locator('#scanners tbody tr').evaluateAll(trs =>
    trs.map(tr => [tr.dataset.name, tr.querySelector('td[data-field=series]').dataset.value]));

  // Each chart: a uPlot canvas, its data, and how many of its pixels have the colour of its first line.
  const charts = await page.evaluate(() => Object.fromEntries(Object.entries(window.groundflowCharts).map(([id, u]) => {
    const canvas = u.root.querySelector('canvas');
    const stroke = u.series.length > 1 ? u.series[1].stroke() : null;
    let lineColoured = 0;
    if (canvas && stroke) {
      const [r, g, b] = [1, 3, 5].map(i => parseInt(stroke.substring(i, i + 2), 16));
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g) + Math.abs(pixels[i + 2] - b) < 40 && pixels[i + 3] > 200) {
          lineColoured++;
        }
      }
    }
    return [id, { canvas: Boolean(canvas), width: canvas ? canvas.width : 0, lines: u.series.length - 1,
      labels: u.series.slice(1).map(s => s.label), data: u.data.slice(1), lineColoured }];
  })));
  if (problems.length) {
    throw new Error(problems.join('; '));
  }
  console.log(JSON.stringify({ ok: true, rows, inputs, scanners, charts }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, error: String(e && e.message || e), problems }));
  process.exitCode = 1;
} finally {
  if (context) {
    await context.close();
  }
  rmSync(profile, { recursive: true, force: true });
}
