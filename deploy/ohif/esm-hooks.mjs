// Module-format hooks for Node 18 (Debian 12). Some dependencies of @cornerstonejs/adapters ship ES module builds as
// plain .js files in packages without "type": "module" (dcmjs 0.52: build/dcmjs.es.js; gl-matrix: esm/*.js).
// Node 20.19+ and 22 detect the syntax; Node 18 loads them as CommonJS and fails. check-adapters.mjs registers these
// hooks before importing the adapters; on newer Node they change nothing that would not load anyway.
const ES_MODULE_BUILDS = /\/node_modules\/(?:dcmjs\/build\/dcmjs\.es\.js|[^?#]*\/esm\/[^?#]*\.js)$/;

export async function load(url, context, nextLoad) {
  if (ES_MODULE_BUILDS.test(url)) {
    return nextLoad(url, { ...context, format: 'module' });
  }
  return nextLoad(url, context);
}
