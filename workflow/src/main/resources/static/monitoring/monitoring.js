// The AI monitoring page: GET /api/monitoring for the range in the page's URL, shown as tables (the figures) and
// uPlot charts (the same figures over time). Read-only: the range form is a GET of this page.
import { api, el, showUser, signedInUser } from '/review/api.js';

const PALETTE = ['#4ea1ff', '#3fb27f', '#e5534b', '#d4a72c', '#b083f0', '#39c5cf', '#f778ba', '#8b949e'];
const AXIS = { stroke: '#9aa3ad', grid: { stroke: '#2c313c', width: 1 }, ticks: { stroke: '#2c313c', width: 1 } };
const DAY_MS = 86400000;

/** The charts drawn, by element id: the browser test reads them. */
const charts = {};
window.groundflowCharts = charts;

function isoDate(date) {
  return date.toISOString().substring(0, 10);
}

/** The range asked for in the page's URL: from/to (dates or instants), or days back from today; else the last 30 days. */
function rangeOfPage() {
  const query = new URLSearchParams(location.search);
  const days = Number(query.get('days'));
  if (days > 0) {
    return { from: isoDate(new Date(Date.now() - (days - 1) * DAY_MS)), to: isoDate(new Date()) };
  }
  return { from: query.get('from') || '', to: query.get('to') || '' };
}

function percent(rate) {
  return rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`;
}

function number(value, digits = 2) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  const s = Math.round(seconds);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** A table cell showing {@code text}, with the raw value in data-value for whoever reads the page's figures. */
function cell(field, value, text) {
  return el('td', { 'data-field': field, 'data-value': value === null || value === undefined ? '' : String(value), text });
}

function decisionCells(decisions) {
  return [
    cell('findings', decisions.findings, String(decisions.findings)),
    cell('acceptRate', decisions.acceptRate, `${percent(decisions.acceptRate)} (${decisions.accepted})`),
    cell('editRate', decisions.editRate, `${percent(decisions.editRate)} (${decisions.edited})`),
    cell('rejectRate', decisions.rejectRate, `${percent(decisions.rejectRate)} (${decisions.rejected})`)
  ];
}

function modelRows(model) {
  const key = { 'data-model': model.modelName, 'data-version': model.modelVersion };
  const total = el('tr', { ...key, 'data-label': '*', class: 'total' },
    el('td', { text: model.modelName }), el('td', { text: model.modelVersion }), el('td', { text: 'all labels' }),
    cell('studies', model.studies, String(model.studies)), ...decisionCells(model.decisions),
    cell('findingsPerStudy', model.findingsPerStudy, number(model.findingsPerStudy)),
    cell('medianTimeToSign', model.medianTimeToSign, duration(model.medianTimeToSign)));
  const labels = model.labels.map(label => el('tr', { ...key, 'data-label': label.label },
    el('td', { text: model.modelName }), el('td', { text: model.modelVersion }), el('td', { text: label.label }),
    el('td'), ...decisionCells(label.decisions),
    cell('findingsPerStudy', label.findingsPerStudy, number(label.findingsPerStudy)), el('td')));
  return [total, ...labels];
}

function shareRows(shares) {
  return shares.map(share => el('tr', { 'data-name': share.name },
    el('td', { text: share.name }), cell('series', share.series, String(share.series))));
}

function spread(field, s) {
  return cell(field, s.median, `${number(s.min)} · ${number(s.median)} · ${number(s.max)}`);
}

/** Draws one uPlot chart of {@code lines} ({label, values}) over the buckets' start times. */
function chart(id, xs, lines, { rate = false, minutes = false } = {}) {
  const target = document.getElementById(id);
  if (charts[id]) {
    charts[id].destroy();
  }
  target.replaceChildren();
  const y = { ...AXIS, size: 56 };
  if (rate) {
    y.values = (u, values) => values.map(v => `${Math.round(v * 100)} %`);
  }
  const options = {
    width: Math.max(320, target.clientWidth),
    height: 220,
    scales: { x: { time: true }, y: rate ? { range: [0, 1] } : { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [AXIS, y],
    series: [{}, ...lines.map((line, i) => ({
      label: line.label, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true,
      points: { show: true, size: 7, fill: PALETTE[i % PALETTE.length] },
      value: (u, v) => v === null || v === undefined ? '–' : rate ? percent(v) : minutes ? `${v.toFixed(1)} min` : number(v)
    }))]
  };
  charts[id] = new uPlot(options, [xs, ...lines.map(line => line.values)], target);
}

function modelLines(models, pick) {
  return models.map(m => ({ label: `${m.modelName} ${m.modelVersion}`, values: m.timeline.map(pick) }));
}

function countLines(timeline, pick) {
  const names = [...new Set(timeline.flatMap(bucket => Object.keys(pick(bucket))))].sort();
  return names.map(name => ({ label: name, values: timeline.map(bucket => pick(bucket)[name] || 0) }));
}

function show(report) {
  const models = report.models;
  document.querySelector('#models tbody').replaceChildren(...models.flatMap(modelRows));
  document.getElementById('no-signoffs').hidden = models.length > 0;
  const inputs = report.inputs;
  document.querySelector('#inputs tbody').replaceChildren(el('tr', {},
    cell('series', inputs.series, String(inputs.series)), spread('pixelSpacing', inputs.pixelSpacing),
    spread('sliceThickness', inputs.sliceThickness)));
  document.querySelector('#scanners tbody').replaceChildren(...shareRows(inputs.scanners));
  document.querySelector('#body-parts tbody').replaceChildren(...shareRows(inputs.bodyParts));
  const from = new Date(report.from);
  const to = new Date(report.to);
  const bucket = { PT1H: 'hours', PT24H: 'days', PT168H: 'weeks' }[report.bucket] || report.bucket;
  document.getElementById('range-text').textContent = `From ${from.toISOString()} to ${to.toISOString()} (exclusive),`
    + ` by ${bucket} (UTC): what radiologists did with the model's findings (first sign-offs), and what the model was`
    + ' given.';
  const fromField = document.getElementById('from');
  const toField = document.getElementById('to');
  fromField.value = fromField.value || isoDate(from);
  toField.value = toField.value || isoDate(new Date(to.getTime() - 1));

  const xs = report.bucketStarts.map(start => Date.parse(start) / 1000);
  chart('chart-accept', xs, modelLines(models, b => b.acceptRate), { rate: true });
  chart('chart-edit', xs, modelLines(models, b => b.editRate), { rate: true });
  chart('chart-reject', xs, modelLines(models, b => b.rejectRate), { rate: true });
  chart('chart-time', xs, modelLines(models, b => b.medianTimeToSign === null ? null : b.medianTimeToSign / 60),
    { minutes: true });
  chart('chart-findings', xs, modelLines(models, b => b.findingsPerStudy));
  chart('chart-spacing', xs, [
    { label: 'pixel spacing', values: inputs.timeline.map(b => b.medianPixelSpacing) },
    { label: 'slice thickness', values: inputs.timeline.map(b => b.medianSliceThickness) }]);
  chart('chart-scanners', xs, countLines(inputs.timeline, b => b.scanners));
  chart('chart-body-parts', xs, countLines(inputs.timeline, b => b.bodyParts));
}

async function load() {
  const page = document.getElementById('report');
  const error = document.getElementById('error');
  const range = rangeOfPage();
  document.getElementById('from').value = /^\d{4}-\d{2}-\d{2}$/.test(range.from) ? range.from : '';
  document.getElementById('to').value = /^\d{4}-\d{2}-\d{2}$/.test(range.to) ? range.to : '';
  try {
    showUser(await signedInUser());
    const query = new URLSearchParams();
    if (range.from) {
      query.set('from', range.from);
    }
    if (range.to) {
      query.set('to', range.to);
    }
    show(await api(`/api/monitoring?${query}`));
    error.hidden = true;
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    page.setAttribute('aria-busy', 'false');
  }
}

window.addEventListener('resize', () => Object.values(charts).forEach(u => {
  const width = Math.max(320, u.root.parentElement.clientWidth);
  u.setSize({ width, height: 220 });
}));

load();
