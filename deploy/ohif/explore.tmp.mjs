import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createViewerServer } from '/work/main/deploy/ohif/serve.mjs';
const server = createViewerServer({ pacs: 'http://127.0.0.1:28642' });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const port = server.address().port;
const t0 = Date.now();
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'gf-chr-')), { executablePath: '/usr/bin/chromium', headless: true, viewport: {width: 1400, height: 900},
  args: ['--headless','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const page = ctx.pages()[0] || await ctx.newPage();
page.on('console', m => { if (m.type()==='error' || m.type()==='warning') console.log('console', m.type(), m.text().slice(0,200)); });
page.on('pageerror', e => console.log('pageerror', e.message));
await page.addInitScript(() => { localStorage.setItem('shownTours', JSON.stringify(['basicViewerTour'])); });
await page.goto(`http://127.0.0.1:${port}/viewer?StudyInstanceUIDs=${process.argv[2]}`);
await page.waitForTimeout(8000);
console.log('t', Date.now()-t0);
await page.screenshot({ path: '/tmp/scratch/shot1.png' });
const info = await page.evaluate(() => ({ hasServices: !!window.services, keys: window.services ? Object.keys(window.services).slice(0,40) : null,
  ds: window.services?.displaySetService?.getActiveDisplaySets?.().map(d => ({uid: d.displaySetInstanceUID, mod: d.Modality, desc: d.SeriesDescription, sop: d.SOPClassHandlerId, loaded: d.isLoaded})) }));
console.log(JSON.stringify(info, null, 1));
await page.locator('[data-cy="study-browser-thumbnail-no-image"]').first().dblclick();
const yes = page.getByRole('button', { name: /^yes$/i });
await yes.first().click({timeout: 15000});
await page.waitForFunction(() => window.services.segmentationService.getSegmentations().length > 0, null, {timeout: 20000});
console.log('loaded at', Date.now()-t0);
const info2 = await page.evaluate(() => { const s = window.services.segmentationService.getSegmentations()[0];
  const lm = s.representationData.Labelmap; const cs = window.cornerstone;
  const out = { lmKeys: Object.keys(lm), hasCs: !!cs, csKeys: cs ? Object.keys(cs).slice(0,80) : null };
  if (lm.imageIds) { out.n = lm.imageIds.length; out.first = lm.imageIds[0];
    const img = cs.cache.getImage(lm.imageIds[0]); out.imgKeys = img ? Object.keys(img) : null; out.ref = img?.referencedImageId; }
  return out; });
console.log(JSON.stringify(info2, null, 1));
process.exit(0);
const thumbs = await page.locator('[data-cy^="study-browser-thumbnail"]').count();
console.log('thumbs', thumbs, await page.locator('[data-cy]').evaluateAll(els => [...new Set(els.map(e => e.getAttribute('data-cy')))].slice(0,60)));
await ctx.close(); server.close();
