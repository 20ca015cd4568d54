// Small DICOMweb helpers for the viewer checks (Node 18+ fetch, no dependencies): QIDO-RS searches, WADO-RS series
// metadata and one instance as Part 10 bytes, and reading the expected results the Java test writes.
import { readFileSync } from 'node:fs';

export function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`environment variable ${name} is not set`);
  }
  return value;
}

/** The expected results: {study, source: {series}, seg: {series, instance, seriesDescription}, segments: [...]}. */
export function expected() {
  const expectedFile = required('EXPECTED');
  const value = JSON.parse(readFileSync(expectedFile, 'utf8'));
  if (!Array.isArray(value.segments) || value.segments.length === 0) {
    throw new Error(`${expectedFile} lists no segments`);
  }
  return value;
}

export class DicomWeb {
  /** @param {string} pacs the PACS root, e.g. http://127.0.0.1:8042 (DICOMweb under /dicom-web) */
  constructor(pacs) {
    this.root = pacs.replace(/\/+$/, '').replace(/\/dicom-web$/, '') + '/dicom-web';
  }

  async json(path) {
    const response = await fetch(this.root + path, { headers: { Accept: 'application/dicom+json' } });
    if (!response.ok) {
      throw new Error(`GET ${this.root + path} answered ${response.status}`);
    }
    return response.status === 204 ? [] : response.json();
  }

  series(study) {
    return this.json(`/studies/${study}/series`);
  }

  seriesMetadata(study, series) {
    return this.json(`/studies/${study}/series/${series}/metadata`);
  }

  /** One instance as its Part 10 bytes, from a multipart/related WADO-RS answer. */
  async instance(study, series, instance) {
    const url = `${this.root}/studies/${study}/series/${series}/instances/${instance}`;
    const response = await fetch(url, { headers: { Accept: 'multipart/related; type="application/dicom"' } });
    if (!response.ok) {
      throw new Error(`GET ${url} answered ${response.status}`);
    }
    const type = response.headers.get('content-type') || '';
    const boundary = /boundary="?([^";]+)"?/i.exec(type);
    const body = Buffer.from(await response.arrayBuffer());
    if (!boundary) {
      return body;
    }
    return firstPart(body, boundary[1]);
  }
}

function firstPart(body, boundary) {
  const delimiter = Buffer.from(`--${boundary}`);
  const start = body.indexOf(delimiter);
  const headersEnd = body.indexOf(Buffer.from('\r\n\r\n'), start);
  const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd);
  if (start < 0 || headersEnd < 0 || end < 0) {
    throw new Error('WADO-RS answer is not a multipart/related body with one part');
  }
  return body.subarray(headersEnd + 4, end);
}

/** The value of a tag in a DICOM JSON object, e.g. value(item, '00080018'). */
export function value(item, tag) {
  const element = item[tag];
  return element && element.Value ? element.Value[0] : undefined;
}

/** Prints the one JSON result line and exits 0, or 1 when not ok. */
export function finish(result) {
  console.log(JSON.stringify(result));
  process.exit(result.ok ? 0 : 1);
}
