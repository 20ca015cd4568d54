// Serves OHIF 3.13.2's prebuilt viewer (the dist/ of npm @ohif/app, unpacked by deploy/setup.sh) with Groundflow's
// app-config.js, and proxies DICOMweb to the PACS on the same origin, so the browser needs no CORS.
//
//   node deploy/ohif/serve.mjs --port 3000 --pacs http://127.0.0.1:8042 [--host 127.0.0.1] [--dist DIR]
//
// --pacs is the PACS's root (Orthanc's REST root): /dicom-web/... and /wado are forwarded to it unchanged. Unknown
// paths (/viewer, /segmentation, ...) get index.html, as the single-page app expects. The viewer opens a study at
// http://HOST:PORT/viewer?StudyInstanceUIDs=UID. No dependencies beyond Node 18.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { homedir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OHIF_VERSION = '3.13.2';
export const DEFAULT_DIST = join(homedir(), '.cache', 'groundflow', `ohif-app-${OHIF_VERSION}`, 'dist');
const PROXIED = ['/dicom-web/', '/dicom-web?', '/wado'];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.map': 'application/json', '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml'
};

/** The viewer's configuration: one DICOMweb data source on this origin, with the flags Orthanc needs. */
export function appConfig() {
  const config = {
    routerBasename: null,
    extensions: [],
    modes: [],
    customizationService: {},
    showStudyList: true,
    maxNumberOfWebWorkers: 2,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: false,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    investigationalUseDialog: { option: 'never' },
    defaultDataSourceName: 'groundflow',
    dataSources: [{
      namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
      sourceName: 'groundflow',
      configuration: {
        friendlyName: 'Groundflow PACS',
        name: 'groundflow',
        wadoUriRoot: '/wado',
        qidoRoot: '/dicom-web',
        wadoRoot: '/dicom-web',
        qidoSupportsIncludeField: false,
        supportsReject: false,
        supportsFuzzyMatching: false,
        supportsWildcard: true,
        imageRendering: 'wadors',
        thumbnailRendering: 'wadors',
        enableStudyLazyLoad: true,
        dicomUploadEnabled: false,
        omitQuotationForMultipartRequest: true,
        bulkDataURI: { enabled: true }
      }
    }]
  };
  return `window.config = ${JSON.stringify(config, null, 2)};\n`;
}

/**
 * An HTTP server for the viewer; call listen(port, host) on it.
 *
 * @param {{dist?: string, pacs: string}} options dist: the unpacked dist/ folder; pacs: the PACS root URL
 */
export function createViewerServer({ dist = DEFAULT_DIST, pacs }) {
  const root = resolve(dist);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`OHIF ${OHIF_VERSION} is not unpacked at ${root}: run deploy/setup.sh`);
  }
  const target = new URL(pacs.replace(/\/+$/, '').replace(/\/dicom-web$/, '') + '/');
  const config = appConfig();
  return http.createServer((request, response) => {
    const path = request.url || '/';
    if (PROXIED.some(prefix => path.startsWith(prefix)) || path === '/dicom-web') {
      proxy(request, response, target);
    } else if (path.split('?')[0] === '/app-config.js') {
      response.writeHead(200, { 'Content-Type': TYPES['.js'], 'Cache-Control': 'no-store' });
      response.end(config);
    } else {
      serveFile(root, path, response);
    }
  });
}

function proxy(request, response, target) {
  const upstream = http.request({
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    method: request.method,
    path: target.pathname.replace(/\/$/, '') + request.url,
    headers: { ...request.headers }
  }, answer => {
    response.writeHead(answer.statusCode || 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', error => {
    if (!response.headersSent) {
      response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
    response.end(`PACS at ${target.origin} did not answer: ${error.message}\n`);
  });
  request.pipe(upstream);
}

function serveFile(root, url, response) {
  let path;
  try {
    path = decodeURIComponent(url.split('?')[0]);
  } catch {
    response.writeHead(400).end();
    return;
  }
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(403).end();
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) {
    file = join(root, 'index.html');
  }
  const type = TYPES[extname(file)] || 'application/octet-stream';
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': statSync(file).size });
  createReadStream(file).pipe(response);
}

function options(argv) {
  const values = { port: '3000', host: '127.0.0.1', pacs: 'http://127.0.0.1:8042', dist: process.env.OHIF_DIST || DEFAULT_DIST };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in values) || i + 1 >= argv.length) {
      throw new Error(`usage: serve.mjs [--port 3000] [--host 127.0.0.1] [--pacs http://127.0.0.1:8042] [--dist DIR]; got ${argv[i]}`);
    }
    values[name] = argv[++i];
  }
  return values;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { port, host, pacs, dist } = options(process.argv.slice(2));
    const server = createViewerServer({ dist, pacs });
    server.listen(Number(port), host, () => {
      console.log(`ohif: OHIF ${OHIF_VERSION} on http://${host}:${server.address().port}/ (PACS ${pacs})`);
    });
    const stop = () => server.close(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (error) {
    console.error(`ohif: ${error.message}`);
    process.exit(1);
  }
}
