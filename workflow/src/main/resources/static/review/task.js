// One review task: the series with the findings' segments, the draft findings to accept, reject or edit, the
// impression, and the sign-off.
import { api, el, FLASH_KEY, showUser, signedInUser, typing } from './api.js';
import { SliceViewer } from './viewer.js';

const BACK_TO_WORKLIST_MS = 2500;

const state = {
  me: null,
  task: null,
  viewer: null,
  segments: new Map(), // finding number -> segment of the volume view
  decisions: new Map(), // finding number -> {decision, text}
  selected: null, // finding number
  signing: false
};

function fail(message) {
  const error = document.getElementById('error');
  error.textContent = message;
  error.hidden = !message;
}

/** Black or white text, whichever reads better on the colour. */
function textOn(hex) {
  const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.substring(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 ? '#000000' : '#ffffff';
}

function findings() {
  return state.task.findings;
}

function item(number) {
  return document.querySelector(`.finding[data-number="${number}"]`);
}

/** The sentence with its grounded phrase coloured like its segment; clicking the phrase shows the segment. */
function sentence(finding, text) {
  const segment = state.segments.get(finding.number);
  const at = text.indexOf(finding.phrase);
  if (at < 0 || !segment) {
    return [text];
  }
  const phrase = el('span', {
    class: 'phrase', role: 'button', tabindex: '0', 'data-finding': finding.number,
    title: `Show this ${finding.label} (slices ${segment.firstSlice + 1}–${segment.lastSlice + 1})`,
    style: `background-color: ${segment.colour}; color: ${textOn(segment.colour)}`,
    onclick: event => { event.stopPropagation(); select(finding.number); },
    onkeydown: event => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); select(finding.number); } }
  }, finding.phrase);
  return [text.substring(0, at), phrase, text.substring(at + finding.phrase.length)];
}

function details(finding, segment) {
  const parts = [];
  if (finding.location) parts.push(finding.location);
  if (finding.longestDiameterMm != null) parts.push(`${finding.longestDiameterMm.toFixed(1)} mm`);
  if (finding.volumeMl != null) parts.push(`${finding.volumeMl.toFixed(2)} ml`);
  if (finding.confidence != null) parts.push(`confidence ${Math.round(finding.confidence * 100)}%`);
  if (segment && segment.voxelCount) parts.push(`slices ${segment.firstSlice + 1}–${segment.lastSlice + 1}`);
  return parts.join(' · ');
}

function renderFinding(finding) {
  const segment = state.segments.get(finding.number);
  const colour = segment ? segment.colour : '#888888';
  const decision = state.decisions.get(finding.number);
  const text = decision && decision.decision === 'edit' ? decision.text : finding.text;
  const action = (name, key, title) => el('button', {
    type: 'button', 'data-decision': name, 'aria-pressed': String(decision?.decision === name), title,
    disabled: state.signing,
    onclick: event => { event.stopPropagation(); name === 'edit' ? startEdit(finding.number) : decide(finding.number, name); }
  }, name[0].toUpperCase() + name.substring(1), ' ', el('kbd', { text: key }));
  const badge = !decision ? 'to decide' : { accept: 'accepted', reject: 'rejected', edit: 'edited' }[decision.decision];
  return el('li', {
    class: `finding ${decision ? decision.decision : 'open'}${finding.lowConfidence ? ' low' : ''}`, 'data-number': finding.number, 'data-colour': colour,
    'aria-selected': String(state.selected === finding.number), style: `--segment: ${colour}`, tabindex: '-1',
    onclick: () => select(finding.number)
  },
  el('div', { class: 'finding-head' },
    el('span', { class: 'swatch', 'aria-hidden': 'true' }),
    el('strong', { text: `${finding.number}. ${finding.label}` }),
    el('span', { class: 'meta', text: details(finding, segment) }),
    finding.lowConfidence ? el('span', {
      class: 'flag low-confidence', role: 'note',
      title: `The model's confidence (${Math.round(finding.confidence * 100)}%) is below this model's threshold: check this finding with care.`,
      text: 'low confidence'
    }) : null,
    el('span', { class: `badge ${decision ? decision.decision : ''}`, text: badge })),
  el('p', { class: 'text' }, ...sentence(finding, text)),
  decision && decision.decision === 'edit' && text !== finding.text
    ? el('p', { class: 'draft muted' }, 'Draft: ', el('s', { text: finding.text })) : null,
  decision && decision.decision === 'reject'
    ? el('p', { class: 'muted', text: 'Left out of the report and the SEG; its segment is hidden.' }) : null,
  el('div', { class: 'edit', hidden: true },
    el('textarea', { rows: '2', 'aria-label': `New sentence for finding ${finding.number}` }),
    el('div', { class: 'edit-actions' },
      el('button', { type: 'button', class: 'primary', 'data-edit': 'save', onclick: e => { e.stopPropagation(); saveEdit(finding.number); } },
        'Save ', el('kbd', { text: 'Ctrl+Enter' })),
      el('button', { type: 'button', 'data-edit': 'cancel', onclick: e => { e.stopPropagation(); cancelEdit(finding.number); } },
        'Cancel ', el('kbd', { text: 'Esc' })))),
  el('div', { class: 'actions' },
    action('accept', 'a', 'Accept the finding as written (a)'),
    action('reject', 'r', 'Reject the finding (r)'),
    action('edit', 'e', 'Edit the sentence (e)')));
}

/** What the model segmented that the draft rewords or drops as implausible for its label, with the reasons. */
function renderSetAside() {
  const notes = state.task.setAside || [];
  const box = document.getElementById('set-aside');
  box.hidden = notes.length === 0;
  document.getElementById('set-aside-count').textContent = String(notes.length);
  document.getElementById('set-aside-list').replaceChildren(...notes.map(note => el('li', {},
    el('strong', { text: note.label }), ': ', note.reason)));
}

function render() {
  const list = document.getElementById('findings');
  list.replaceChildren(...findings().map(renderFinding));
  const decided = findings().filter(f => state.decisions.has(f.number)).length;
  document.getElementById('progress').textContent = findings().length ? `${decided} of ${findings().length} decided` : '';
  const ready = decided === findings().length && !state.signing;
  document.getElementById('sign').disabled = !ready;
  document.getElementById('sign-hint').hidden = ready || state.signing;
  document.getElementById('impression').readOnly = state.signing;
  const shown = findings().filter(f => state.decisions.get(f.number)?.decision !== 'reject')
    .map(f => state.segments.get(f.number)).filter(Boolean).map(s => s.segmentNumber);
  state.viewer.setSegments(shown);
}

function select(number, jump = true) {
  if (!state.segments.has(number) && !findings().some(f => f.number === number)) {
    return;
  }
  state.selected = number;
  document.querySelectorAll('.finding').forEach(li => li.setAttribute('aria-selected', String(Number(li.dataset.number) === number)));
  item(number)?.scrollIntoView({ block: 'nearest' });
  state.viewer.select(state.segments.get(number) || null, jump);
}

function move(delta) {
  const numbers = findings().map(f => f.number);
  if (!numbers.length) return;
  const at = numbers.indexOf(state.selected);
  select(numbers[Math.max(0, Math.min(numbers.length - 1, at < 0 ? 0 : at + delta))]);
}

/** Records a decision; the same decision again takes it back. Accepting or rejecting moves on to the next finding. */
function decide(number, decision, text) {
  const current = state.decisions.get(number);
  if (current && current.decision === decision && decision !== 'edit') {
    state.decisions.delete(number);
    render();
    select(number, false);
    return;
  }
  state.decisions.set(number, decision === 'edit' ? { decision, text } : { decision });
  render();
  const numbers = findings().map(f => f.number);
  const next = numbers[numbers.indexOf(number) + 1];
  if (decision !== 'edit' && next !== undefined) {
    select(next);
  } else {
    select(number, false);
  }
}

function startEdit(number) {
  select(number, state.selected !== number);
  const li = item(number);
  const finding = findings().find(f => f.number === number);
  const decision = state.decisions.get(number);
  const box = li.querySelector('.edit');
  const area = box.querySelector('textarea');
  area.value = decision && decision.decision === 'edit' ? decision.text : finding.text;
  box.hidden = false;
  li.querySelector('.actions').hidden = true;
  area.addEventListener('keydown', event => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      saveEdit(number);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      cancelEdit(number);
    }
  });
  area.focus();
  area.select();
}

function saveEdit(number) {
  const text = item(number).querySelector('.edit textarea').value.trim();
  if (!text) {
    fail(`Finding ${number}: an edited sentence cannot be empty; reject the finding instead.`);
    return;
  }
  fail('');
  decide(number, 'edit', text);
  item(number)?.focus();
}

function cancelEdit(number) {
  render();
  select(number, false);
}

async function sign() {
  if (state.signing) return;
  state.signing = true;
  render();
  fail('');
  const body = {
    decisions: findings().map(f => ({ finding: f.number, ...state.decisions.get(f.number) })),
    impression: document.getElementById('impression').value,
    reviewer: state.me.userId
  };
  try {
    const done = await api(`/api/reviews/${encodeURIComponent(state.task.taskId)}`, { method: 'POST', body });
    const message = `Signed by ${state.me.userId}: ${done.kept} finding(s) kept, ${done.rejected} rejected. `
      + 'The SEG and the report are being published.';
    const result = document.getElementById('result');
    result.textContent = `${message} Back to the worklist…`;
    result.hidden = false;
    document.getElementById('task').dataset.signed = 'true';
    sessionStorage.setItem(FLASH_KEY, `${message} (study ${state.task.studyInstanceUid})`);
    setTimeout(() => location.assign('/review/'), BACK_TO_WORKLIST_MS);
  } catch (e) {
    state.signing = false;
    render();
    fail(`Not signed: ${e.message}`);
  }
}

function onKey(event) {
  if (typing(event) || state.signing || !state.viewer) return;
  if (event.target && event.target.type === 'range' && event.key.startsWith('Arrow')) return;
  const keys = {
    a: () => state.selected && decide(state.selected, 'accept'),
    r: () => state.selected && decide(state.selected, 'reject'),
    e: () => state.selected && startEdit(state.selected),
    j: () => move(1), n: () => move(1), k: () => move(-1), p: () => move(-1),
    ArrowUp: () => state.viewer.step(1), ArrowDown: () => state.viewer.step(-1),
    PageUp: () => state.viewer.step(5), PageDown: () => state.viewer.step(-5),
    w: () => state.viewer.toggleWindow(), o: () => state.viewer.setOverlay(!state.viewer.overlay)
  };
  const action = keys[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
}

function showSliceSegments(z, segments) {
  const box = document.getElementById('slice-segments');
  box.replaceChildren(...segments.map(s => el('span', {
    class: 'chip', style: `--segment: ${s.colour}`, text: `${s.finding}. ${s.label}`,
    onclick: () => select(s.finding, false)
  })));
}

async function start() {
  const taskId = new URLSearchParams(location.search).get('task');
  if (!taskId) {
    fail('No task was named: open a review from the worklist.');
    return;
  }
  state.me = await signedInUser();
  showUser(state.me);
  document.getElementById('reviewer').textContent = state.me.userId;
  const tasks = await api('/api/reviews');
  state.task = tasks.find(t => t.taskId === taskId);
  if (!state.task) {
    fail('This review is no longer open: it was signed already, or it is not offered to your groups.');
    return;
  }
  document.title = `Review ${state.task.studyInstanceUid} · Groundflow review`;
  const study = document.getElementById('study');
  study.textContent = state.task.studyInstanceUid;
  if (state.me.viewerUrl) {
    const ohif = document.getElementById('ohif');
    ohif.href = state.me.viewerUrl.replace('{studyInstanceUid}', encodeURIComponent(state.task.studyInstanceUid));
    ohif.hidden = false;
  }
  const volume = await api(`/api/reads/${encodeURIComponent(state.task.readId)}/volume`);
  volume.segments.forEach(s => state.segments.set(s.finding, s));
  state.viewer = new SliceViewer(state.task.readId, volume, showSliceSegments);
  document.getElementById('impression').value = state.task.impression || '';
  document.getElementById('no-findings').hidden = findings().length > 0;
  renderSetAside();
  document.getElementById('sign').addEventListener('click', sign);
  document.addEventListener('keydown', onKey);
  render();
  if (findings().length) {
    select(findings()[0].number);
  } else {
    state.viewer.show(Math.floor(volume.slices / 2));
  }
  document.getElementById('task').setAttribute('aria-busy', 'false');
}

start().catch(e => fail(`The review could not be opened: ${e.message}`));
