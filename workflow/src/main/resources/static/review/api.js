// The review UI's calls to Groundflow's JSON API: same-origin cookies, the CSRF token echoed on every change.

const CSRF_COOKIE = 'GF-XSRF-TOKEN';
const DEFAULT_CSRF_HEADER = 'X-GF-XSRF-TOKEN';

let csrfHeader = DEFAULT_CSRF_HEADER;

/** An answer other than 2xx, with the API's own message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function cookie(name) {
  const prefix = name + '=';
  const found = document.cookie.split(';').map(c => c.trim()).find(c => c.startsWith(prefix));
  return found ? decodeURIComponent(found.substring(prefix.length)) : null;
}

/** Calls the API; JSON in and out. A lost session reloads the page, which sends the user to sign in again. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET') {
    const token = cookie(CSRF_COOKIE);
    if (token) {
      headers[csrfHeader] = token;
    }
  }
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (response.status === 401) {
    location.assign(location.href);
    throw new ApiError(401, 'Your session has ended; sign in again.');
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = null;
  }
  if (!response.ok) {
    const message = data && data.message ? data.message : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return data;
}

/** The signed-in user ({userId, groups, admin, viewerUrl, csrfHeader}); also makes sure the CSRF cookie is set. */
export async function signedInUser() {
  const me = await api('/api/me');
  csrfHeader = me.csrfHeader || DEFAULT_CSRF_HEADER;
  return me;
}

/** Fills the page header with the user and wires the sign-out form (a POST carrying the CSRF token). */
export function showUser(me) {
  document.getElementById('user').textContent = me.userId;
  const logout = document.getElementById('logout');
  logout.addEventListener('submit', () => {
    logout.querySelector('input[name=_csrf]').value = cookie(CSRF_COOKIE) || '';
  });
}

/** Creates an element; attributes by name ('class', 'text', data-*, on* handlers), then children. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'text') {
      element.textContent = value;
    } else if (name.startsWith('on')) {
      element.addEventListener(name.substring(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) {
      element.append(child);
    }
  }
  return element;
}

/** True when a key press belongs to a text field rather than to the page's shortcuts. */
export function typing(event) {
  const target = event.target;
  const field = target && (target.isContentEditable || ['TEXTAREA', 'SELECT'].includes(target.tagName)
    || (target.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button', 'submit'].includes(target.type)));
  return event.ctrlKey || event.metaKey || event.altKey || Boolean(field);
}

export const FLASH_KEY = 'groundflow.review.flash';
