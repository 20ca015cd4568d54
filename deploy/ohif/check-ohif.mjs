// Opens the study in the real OHIF 3.13.2 viewer (prebuilt dist/, served by serve.mjs with a same-origin proxy to the
// PACS) in Debian's headless Chromium, loads the published SEG as a user does (double-click its thumbnail, "Yes"),
// and asks the page's segmentation service what it loaded: exactly the published segments with their labels, and
// per source image the expected voxel counts read from the labelmap in cornerstone's cache. "No console errors"
// proves nothing here (a SEG OHIF cannot use is skipped silently), so only the service's state counts.
// Keeps a screenshot. Prints one JSON line; exit 0 when everything matched.
//
// Environment: ORTHANC_URL (PACS root), EXPECTED (JSON file, as check-adapters.mjs), SCREENSHOT (PNG path),
// CHROMIUM (default /usr/bin/chromium), OHIF_DIST (default ~/.cache/groundflow/ohif-app-3.13.2/dist).
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expected, finish, required } from './dicomweb.mjs';
import { DEFAULT_DIST, createViewerServer } from './serve.mjs';

const STEP_TIMEOUT_MS = 30000;
const started = Date.now();
const problems = [];
const timings = {};
const mark = name => { timings[name] = Date.now() - started; };

const want = expected();
const screenshot = required('SCREENSHOT');
const server = createViewerServer({ dist: process.env.OHIF_DIST || DEFAULT_DIST, pacs: required('ORTHANC_URL') });
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const profile = mkdtempSync(join(tmpdir(), 'groundflow-ohif-chromium-'));
mkdirSync(dirname(screenshot), { recursive: true });
let context;
let page;
let result = {};
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  page = context.pages()[0] || await context.newPage();
  const pageErrors = [];
  page.on('pageerror', error => pageErrors.push(error.message));
  await page.addInitScript(() => localStorage.setItem('shownTours', JSON.stringify(['basicViewerTour'])));
  await page.goto(`${base}/viewer?StudyInstanceUIDs=${want.study}`);
  mark('opened');

  // The source series is on screen once its viewport has an image; the SEG waits in the study browser.
  await page.waitForFunction(series => {
    const displaySets = window.services?.displaySetService?.getActiveDisplaySets?.() || [];
    return displaySets.some(d => d.SeriesInstanceUID === series);
  }, want.seg.series);
  await page.locator('[data-cy="viewport-pane"] canvas').first().waitFor();
  mark('study shown');
  const thumbnail = page.locator('[data-cy="study-browser-thumbnail-no-image"]')
    .filter({ hasText: want.seg.seriesDescription }).first();
  await thumbnail.dblclick();
  // OHIF previews the SEG, then asks whether to open (hydrate) it, as a radiologist would answer.
  const yes = page.getByRole('button', { name: /^yes$/i }).first();
  await yes.waitFor({ state: 'visible' });
  await yes.click();
  await yes.waitFor({ state: 'hidden' });
  await page.waitForFunction(count => {
    const segmentations = window.services.segmentationService.getSegmentations();
    return segmentations.length > 0
      && Object.values(segmentations[0].segments || {}).filter(Boolean).length >= count;
  }, want.segments.length);
  mark('seg loaded');

  const loaded = await page.evaluate(() => {
    const segmentations = window.services.segmentationService.getSegmentations();
    const cache = window.cornerstone.cache;
    return segmentations.map(segmentation => {
      const segments = Object.values(segmentation.segments || {}).filter(Boolean)
        .map(s => ({ number: s.segmentIndex, label: s.label }));
      const counts = {};
      const imageIds = segmentation.representationData?.Labelmap?.imageIds || [];
      for (const imageId of imageIds) {
        const image = cache.getImage(imageId);
        if (!image) {
          continue;
        }
        const sop = /\/instances\/([0-9.]+)/.exec(image.referencedImageId || '')?.[1] || 'unknown';
        const pixels = image.getPixelData();
        for (let i = 0; i < pixels.length; i++) {
          if (pixels[i] !== 0) {
            const entry = counts[pixels[i]] || (counts[pixels[i]] = { voxels: 0, slices: {} });
            entry.voxels++;
            entry.slices[sop] = (entry.slices[sop] || 0) + 1;
          }
        }
      }
      return { id: segmentation.segmentationId, label: segmentation.label, segments, counts, labelmapImages: imageIds.length };
    });
  });
  // For the screenshot, the source slice where the first segment is largest.
  const first = want.segments[0];
  const sop = Object.entries(first.slices).sort((a, b) => b[1] - a[1])[0]?.[0];
  await page.evaluate(uid => {
    const viewport = window.cornerstone.getRenderingEngines()[0]?.getViewports()
      .find(v => typeof v.getImageIds === 'function');
    const index = viewport ? viewport.getImageIds().findIndex(id => id.includes(`/instances/${uid}/`)) : -1;
    if (index >= 0) {
      viewport.setImageIdIndex(index);
    }
  }, sop);
  await page.waitForTimeout(700);
  await page.screenshot({ path: screenshot });
  mark('screenshot');

  if (loaded.length !== 1) {
    problems.push(`the segmentation service holds ${loaded.length} segmentations, expected 1`);
  }
  const segmentation = loaded[0] || { segments: [], counts: {} };
  const labels = segmentation.segments.map(s => `${s.number}:${s.label}`);
  const wantLabels = want.segments.map(s => `${s.number}:${s.label}`);
  if (JSON.stringify(labels) !== JSON.stringify(wantLabels)) {
    problems.push(`segments ${JSON.stringify(labels)}, expected ${JSON.stringify(wantLabels)}`);
  }
  for (const segment of want.segments) {
    const got = segmentation.counts[segment.number] || { voxels: 0, slices: {} };
    if (got.voxels !== segment.voxels) {
      problems.push(`segment ${segment.number}: ${got.voxels} voxels in the viewer's labelmap, expected ${segment.voxels}`);
    }
    for (const [sop, count] of Object.entries(segment.slices)) {
      if (got.slices[sop] !== count) {
        problems.push(`segment ${segment.number} on source instance ${sop}: ${got.slices[sop] || 0} voxels, expected ${count}`);
      }
    }
  }
  if (pageErrors.length > 0) {
    problems.push(`page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
  }
  result = { segmentations: loaded.map(({ counts, ...rest }) => ({
    ...rest, voxels: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v.voxels])) })) };
} catch (error) {
  problems.push(String(error && error.stack || error));
  if (page) {
    await page.screenshot({ path: screenshot }).catch(() => {});
  }
} finally {
  if (context) {
    await context.close().catch(() => {});
  }
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
finish({ ok: problems.length === 0, check: 'ohif', ohif: '3.13.2', ...result, screenshot, timings, problems,
  ms: Date.now() - started });
