// The worklist: open review tasks of the signed-in user's groups, oldest first.
import { api, el, FLASH_KEY, showUser, signedInUser, typing } from './api.js';

const REFRESH_MS = 20000;
let selected = 0;

function summary(findings) {
  if (!findings.length) {
    return 'none';
  }
  const counts = new Map();
  findings.forEach(f => counts.set(f.label, (counts.get(f.label) || 0) + 1));
  return [...counts].map(([label, n]) => `${n} ${label}${n === 1 ? '' : 's'}`).join(', ');
}

function shortUid(uid) {
  return uid && uid.length > 28 ? `${uid.substring(0, 12)}…${uid.substring(uid.length - 12)}` : uid;
}

function rows() {
  return [...document.querySelectorAll('#tasks tbody tr')];
}

function select(index) {
  const all = rows();
  if (!all.length) {
    return;
  }
  selected = Math.max(0, Math.min(all.length - 1, index));
  all.forEach((row, i) => row.setAttribute('aria-selected', String(i === selected)));
  all[selected].scrollIntoView({ block: 'nearest' });
}

async function load() {
  const error = document.getElementById('error');
  try {
    const tasks = await api('/api/reviews');
    error.hidden = true;
    const body = document.querySelector('#tasks tbody');
    body.replaceChildren(...tasks.map(task => {
      const href = `/review/task.html?task=${encodeURIComponent(task.taskId)}`;
      return el('tr', { 'data-task-id': task.taskId, 'data-read-id': task.readId, onclick: () => location.assign(href) },
        el('td', {}, el('code', { title: task.studyInstanceUid, text: shortUid(task.studyInstanceUid) })),
        el('td', { text: summary(task.findings || []) }),
        el('td', { text: new Date(task.created).toLocaleString() }),
        el('td', {}, el('a', { class: 'button primary', href, text: task.kind === 'AmendRead' ? 'Amend' : 'Review' })));
    }));
    document.getElementById('tasks').hidden = tasks.length === 0;
    document.getElementById('empty').hidden = tasks.length !== 0;
    select(selected);
    document.querySelector('main.worklist').dataset.loaded = 'true';
  } catch (e) {
    error.textContent = `The worklist could not be loaded: ${e.message}`;
    error.hidden = false;
  }
}

/** Reopens a signed read for amendment and opens its review task. */
async function amend(event) {
  event.preventDefault();
  const readId = document.getElementById('amend-read').value.trim();
  const error = document.getElementById('error');
  try {
    const opened = await api(`/api/reads/${encodeURIComponent(readId)}/amendments`, { method: 'POST' });
    location.assign(`/review/task.html?task=${encodeURIComponent(opened.taskId)}`);
  } catch (e) {
    error.textContent = `Read ${readId} could not be reopened: ${e.message}`;
    error.hidden = false;
  }
}

function showFlash() {
  const text = sessionStorage.getItem(FLASH_KEY);
  if (text) {
    sessionStorage.removeItem(FLASH_KEY);
    const flash = document.getElementById('flash');
    flash.textContent = text;
    flash.hidden = false;
  }
}

document.addEventListener('keydown', event => {
  if (typing(event)) {
    return;
  }
  if (event.key === 'j' || event.key === 'ArrowDown') {
    select(selected + 1);
  } else if (event.key === 'k' || event.key === 'ArrowUp') {
    select(selected - 1);
  } else if (event.key === 'Enter' && rows()[selected]) {
    rows()[selected].click();
  } else {
    return;
  }
  event.preventDefault();
});

(async () => {
  showFlash();
  try {
    const me = await signedInUser();
    showUser(me);
    document.getElementById('groups').textContent = me.groups.length ? me.groups.join(', ') : 'your groups (you are in none)';
  } catch (e) {
    const error = document.getElementById('error');
    error.textContent = `Who is signed in could not be found out: ${e.message}`;
    error.hidden = false;
    return;
  }
  document.getElementById('refresh').addEventListener('click', load);
  document.getElementById('amend').addEventListener('submit', amend);
  await load();
  setInterval(load, REFRESH_MS);
})();
