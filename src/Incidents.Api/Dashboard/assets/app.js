// Incidents dashboard: a small hash-routed page over the admin API.
// The admin key lives in sessionStorage and is only ever sent as an Authorization header; every piece of
// data reaches the page through textContent (never innerHTML); the transcript is shown in a sandboxed
// iframe without scripts.
'use strict';

(() => {
  const KEY = 'incidents.adminKey';
  const PAGE_SIZE = 25;
  const POLL_MS = 2000;
  // A channel is being exported while it is between Archived and Verified.
  const EXPORTING = new Set(['Archived', 'Captured', 'Published']);
  const PHASES = ['Archived', 'Captured', 'Published', 'Verified', 'Removed'];

  let settings = null;
  let generation = 0; // bumped on every navigation, so late answers of an old view are dropped
  let pollTimer = null;
  let transcriptShown = null; // "incidentId|channel statuses" of the transcript on screen

  class AuthError extends Error {}

  // ---- DOM helpers -------------------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);

  /** Creates an element; strings among the children become text nodes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** An http(s) URL, or null for anything else (javascript:, data:, garbage). */
  function safeUrl(url) {
    try {
      const parsed = new URL(url, location.href);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
    } catch {
      return null;
    }
  }

  function outLink(url, text, cls) {
    const href = url && safeUrl(url);
    return href
      ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: cls }, text)
      : el('span', { class: cls }, text);
  }

  function setStatus(text, isError) {
    const status = $('status');
    status.textContent = text || '';
    status.classList.toggle('error', !!isError);
  }

  function fmtTime(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  }

  function fmtAge(iso) {
    const ms = Date.now() - new Date(iso).getTime();
    if (!Number.isFinite(ms)) return '—';
    if (ms < 60_000) return ms < 0 ? 'in the future' : 'just now';
    const min = Math.floor(ms / 60_000);
    const h = Math.floor(min / 60);
    const d = Math.floor(h / 24);
    if (d > 0) return `${d} d ${h % 24} h`;
    if (h > 0) return `${h} h ${min % 60} min`;
    return `${min} min`;
  }

  function short(text, max) {
    return text && text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  function chatUrl(channel) {
    if (!settings || !settings.chatUrl || !channel) return null;
    return `${settings.chatUrl}/${settings.privateChannels ? 'group' : 'channel'}/${encodeURIComponent(channel)}`;
  }

  function pill(text, cls) {
    return el('span', { class: `pill ${cls || ''}` }, text);
  }

  function table(headers, rows, emptyText, id) {
    if (rows.length === 0) return el('p', { class: 'empty', id: id && `${id}-empty` }, emptyText);
    return el('table', { id },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows));
  }

  // ---- API ---------------------------------------------------------------------------------------

  async function api(path, options = {}) {
    const key = sessionStorage.getItem(KEY);
    if (!key) throw new AuthError('');
    const response = await fetch(path, {
      ...options,
      headers: { Accept: 'application/json', ...(options.headers || {}), Authorization: `Bearer ${key}` },
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
    if (response.status === 401) {
      sessionStorage.removeItem(KEY);
      throw new AuthError('The key was refused.');
    }
    return response;
  }

  async function problemText(response) {
    try {
      const p = await response.json();
      return [p.title, p.detail].filter(Boolean).join(': ') || `HTTP ${response.status}`;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  async function getJson(path) {
    const response = await api(path);
    if (!response.ok) throw new Error(await problemText(response));
    return response.json();
  }

  async function loadSettings() {
    if (!settings) settings = await getJson('/dashboard/api/settings');
    return settings;
  }

  /** Runs a view step; a refused key leads back to the prompt, anything else is shown in the status line. */
  async function run(step) {
    try {
      await step();
    } catch (e) {
      if (e instanceof AuthError) showKey(e.message);
      else setStatus(e.message || String(e), true);
    }
  }

  // ---- routing -----------------------------------------------------------------------------------

  function stopPolling() {
    if (pollTimer !== null) clearTimeout(pollTimer);
    pollTimer = null;
  }

  function route() {
    stopPolling();
    const gen = ++generation;
    if (!sessionStorage.getItem(KEY)) {
      showKey('');
      return;
    }
    $('key-view').hidden = true;
    $('sign-out').hidden = false;
    const hash = location.hash || '#/';
    const incident = /^#\/incidents\/([0-9a-fA-F-]{36})$/.exec(hash);
    if (incident) {
      transcriptShown = null;
      run(() => showIncident(incident[1], gen));
      return;
    }
    const query = new URLSearchParams(hash.split('?')[1] || '');
    const state = ['open', 'closed'].includes(query.get('state')) ? query.get('state') : '';
    const page = Math.max(1, parseInt(query.get('page'), 10) || 1);
    run(() => showList(state, page, gen));
  }

  function listHash(state, page) {
    const query = new URLSearchParams();
    if (state) query.set('state', state);
    if (page > 1) query.set('page', String(page));
    const text = query.toString();
    return text ? `#/?${text}` : '#/';
  }

  // ---- key prompt --------------------------------------------------------------------------------

  function showKey(message) {
    stopPolling();
    $('view').replaceChildren();
    $('sign-out').hidden = true;
    $('key-view').hidden = false;
    const error = $('key-error');
    error.textContent = message || '';
    error.hidden = !message;
    setStatus('');
    $('key-input').focus();
  }

  function submitKey(event) {
    event.preventDefault();
    const input = $('key-input');
    const key = input.value.trim();
    input.value = '';
    if (!key) return;
    sessionStorage.setItem(KEY, key);
    settings = null;
    route();
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
    settings = null;
    route();
  }

  // ---- incident list -----------------------------------------------------------------------------

  async function showList(state, page, gen) {
    setStatus('Loading incidents…');
    const query = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    if (state) query.set('state', state);
    const [data] = await Promise.all([getJson(`/incidents?${query}`), loadSettings()]);
    const ids = data.items.map((i) => i.id);
    const problems = ids.length === 0 ? [] : await getJson(`/dashboard/api/problems?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}`);
    if (gen !== generation) return;
    const byId = new Map(problems.map((p) => [p.id, p]));

    const filter = el('select', { id: 'state-filter', 'aria-label': 'State' },
      el('option', { value: '' }, 'all states'),
      el('option', { value: 'open' }, 'open'),
      el('option', { value: 'closed' }, 'closed'));
    filter.value = state;
    filter.addEventListener('change', () => { location.hash = listHash(filter.value, 1); });

    const rows = data.items.map((item) => incidentRow(item, byId.get(item.id)));
    const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
    const pager = el('div', { class: 'pager' },
      el('button', { type: 'button', id: 'prev-page', disabled: page <= 1, onclick: () => { location.hash = listHash(state, page - 1); } }, '‹ Newer'),
      el('span', {}, `Page ${data.page} of ${pages}${data.totalIsLowerBound ? '+' : ''} · ${data.total}${data.totalIsLowerBound ? '+' : ''} incident${data.total === 1 ? '' : 's'}`),
      el('button', { type: 'button', id: 'next-page', disabled: page >= pages && !(data.totalIsLowerBound && data.items.length === data.pageSize), onclick: () => { location.hash = listHash(state, page + 1); } }, 'Older ›'));

    $('view').replaceChildren(
      el('h1', {}, 'Incidents'),
      el('div', { class: 'toolbar' }, el('label', { for: 'state-filter' }, 'State'), filter,
        el('button', { type: 'button', onclick: route }, 'Refresh')),
      table(['Ticket', 'State', 'Channel', 'Age', 'Problems'], rows, 'No incidents.', 'incidents'),
      pager);
    setStatus(`Updated ${fmtTime(new Date().toISOString())}`);
  }

  function incidentRow(item, problem) {
    const troubled = problem && (problem.dead > 0 || problem.lastError);
    const problems = [];
    if (problem && problem.dead > 0) problems.push(pill(`${problem.dead} dead`, 'dead'), ' ');
    if (problem && problem.pending > 0) problems.push(pill(`${problem.pending} pending`), ' ');
    if (problem && problem.lastError) problems.push(el('div', { class: 'error', title: problem.lastError }, short(problem.lastError, 160)));
    const channelUrl = item.channelStatus && item.channelStatus !== 'Removed' && item.channelStatus !== 'Pending' ? chatUrl(item.channel) : null;
    return el('tr', { class: troubled ? 'problem' : null, 'data-id': item.id },
      el('td', {},
        el('a', { href: `#/incidents/${item.id}`, class: 'incident-link' }, item.title || item.ticketRef),
        el('div', {}, outLink(item.url, item.ticketRef, 'mono'))),
      el('td', {}, pill(item.state, item.state)),
      el('td', {},
        item.channel ? outLink(channelUrl, item.channel, 'mono') : el('span', { class: 'empty' }, 'none'),
        item.channelStatus ? el('div', {}, item.channelStatus, item.periods > 1 ? ` · period ${item.periods}` : '') : null),
      el('td', { class: 'age', title: fmtTime(item.createdAt) }, fmtAge(item.createdAt)),
      el('td', {}, problems.length ? problems : el('span', { class: 'empty' }, 'none')));
  }

  // ---- one incident ------------------------------------------------------------------------------

  async function showIncident(id, gen) {
    if (!$('incident')) setStatus('Loading the incident…');
    const [d] = await Promise.all([getJson(`/incidents/${encodeURIComponent(id)}`), loadSettings()]);
    if (gen !== generation) return;

    const latest = d.channels[d.channels.length - 1];
    const exporting = d.channels.some((c) => EXPORTING.has(c.status));
    const main = el('div', { id: 'incident' },
      el('p', {}, el('a', { href: '#/' }, '‹ All incidents')),
      el('h1', {}, d.title),
      el('dl', { class: 'facts' },
        el('dt', {}, 'Ticket'), el('dd', {}, outLink(d.url, d.ticketRef, 'mono')),
        el('dt', {}, 'State'), el('dd', {}, pill(d.state, d.state), ` since ${fmtTime(d.stateAt)}`),
        el('dt', {}, 'Author'), el('dd', {}, d.author),
        el('dt', {}, 'Labels'), el('dd', {}, d.labels.length ? d.labels.join(', ') : '—'),
        el('dt', {}, 'Assignees'), el('dd', {}, d.assignees.length ? d.assignees.join(', ') : '—'),
        el('dt', {}, 'Created'), el('dd', {}, `${fmtTime(d.createdAt)} (${fmtAge(d.createdAt)} ago)`),
        el('dt', {}, 'Updated'), el('dd', {}, fmtTime(d.updatedAt))),
      actions(d, latest),
      el('h2', {}, 'Channels'),
      table(['Period', 'Channel', 'Status', 'Opened', 'Closed', 'Export', 'Transcript', 'Last error'], d.channels.map(channelRow), 'No channel yet.', 'channels'),
      el('h2', {}, `Dead work (${d.deadWork.length})`),
      workTable(d.deadWork, true),
      el('h2', {}, `Pending work (${d.pendingWork.length})`),
      workTable(d.pendingWork, false),
      el('h2', {}, 'Timeline'),
      d.timeline.length
        ? el('ol', { class: 'timeline', id: 'timeline' }, d.timeline.map((t) => el('li', { class: `kind-${t.kind}` },
          el('span', { class: 'mono' }, fmtTime(t.at)),
          el('span', { class: 'kind' }, t.kind),
          el('span', {}, t.summary),
          el('span', { class: 'dur' }, t.durationMs === null || t.durationMs === undefined ? '' : `${Math.round(t.durationMs)} ms`))))
        : el('p', { class: 'empty' }, 'Nothing recorded yet.'));

    const view = $('view');
    let transcript = $('transcript-section');
    if (!transcript) {
      transcript = el('section', { id: 'transcript-section' });
      view.replaceChildren(main, transcript);
    } else {
      view.replaceChild(main, $('incident'));
    }
    // Reload the transcript only when a channel's phase changed, not on every poll.
    const signature = `${d.id}|${d.channels.map((c) => c.status).join(',')}`;
    if (signature !== transcriptShown) {
      transcriptShown = signature;
      await showTranscript(d, latest, transcript, gen);
    }

    setStatus(exporting ? `Export running, refreshing every ${POLL_MS / 1000} s…` : `Updated ${fmtTime(new Date().toISOString())}`);
    if (exporting && gen === generation) {
      pollTimer = setTimeout(() => run(() => showIncident(id, gen)), POLL_MS);
    }
  }

  function actions(d, latest) {
    const status = latest ? latest.status : null;
    const result = el('p', { id: 'action-result' });
    const button = (id, label, path, enabled, confirmText, cls) => el('button', {
      type: 'button',
      id,
      class: cls,
      disabled: !enabled,
      onclick: (event) => run(() => act(event.currentTarget, d.id, path, confirmText, result)),
    }, label);
    return el('div', {},
      el('div', { class: 'actions' },
        button('action-requeue', 'Re-queue dead work', 'requeue', d.deadWork.length > 0),
        button('action-close', 'Close now', 'close', d.channels.some((c) => c.status === 'Pending' || c.status === 'Open'),
          'Close the incident now and archive its channel, as if the ticket had closed?', 'danger'),
        button('action-retry-verification', 'Retry verification', 'retry-verification', status === 'Published'),
        button('action-export', 'Export again', 'export', PHASES.slice(0, 4).includes(status),
          'Capture, render and publish the transcript again from the channel\'s history?', 'danger')),
      result);
  }

  async function act(button, id, path, confirmText, result) {
    if (confirmText && !window.confirm(confirmText)) return;
    button.disabled = true;
    const response = await api(`/incidents/${encodeURIComponent(id)}/${path}`, { method: 'POST' });
    if (response.ok) {
      const r = await response.json();
      result.className = '';
      result.textContent = `${r.action}: ${r.detail}`;
    } else {
      result.className = 'error';
      result.textContent = await problemText(response);
    }
    stopPolling();
    transcriptShown = null;
    const message = result.textContent;
    const resultClass = result.className;
    await showIncident(id, generation);
    const shown = $('action-result');
    shown.textContent = message;
    shown.className = resultClass;
  }

  function channelRow(c) {
    const live = c.status !== 'Removed' && c.status !== 'Pending';
    const phase = PHASES.indexOf(c.status);
    const e = c.export;
    const exportCell = phase < 0 && e.pages === 0
      ? el('span', { class: 'empty' }, '—')
      : el('div', { class: EXPORTING.has(c.status) ? 'export-running' : null },
        EXPORTING.has(c.status) ? el('progress', { max: PHASES.length - 1, value: phase, title: c.status }) : null,
        el('div', {}, `${e.pages} page${e.pages === 1 ? '' : 's'} · ${e.messages} message${e.messages === 1 ? '' : 's'} · ${e.files} file${e.files === 1 ? '' : 's'}`),
        el('div', { class: 'empty' }, e.historyComplete ? 'history complete' : 'reading history'));
    const transcript = c.transcriptHash
      ? el('div', {},
        el('div', { class: 'mono', title: c.transcriptHash }, c.transcriptHash.slice(0, 12)),
        el('div', {}, `${c.transcriptCommentIds.length} comment${c.transcriptCommentIds.length === 1 ? '' : 's'}`),
        c.transcriptUrl ? outLink(c.transcriptUrl, 'in the ticket') : null)
      : el('span', { class: 'empty' }, '—');
    return el('tr', { class: c.lastError ? 'problem' : null, 'data-status': c.status },
      el('td', { class: 'num' }, c.period),
      el('td', {}, outLink(live ? chatUrl(c.name) : null, c.name, 'mono')),
      el('td', {}, pill(c.status, c.status === 'Removed' ? 'closed' : '')),
      el('td', {}, fmtTime(c.openedAt)),
      el('td', {}, c.closedAt ? fmtTime(c.closedAt) : '—', c.removedAt ? el('div', { class: 'empty' }, `removed ${fmtTime(c.removedAt)}`) : null),
      el('td', {}, exportCell),
      el('td', {}, transcript),
      el('td', {}, c.lastError ? el('div', { class: 'error' }, c.lastError) : '—'));
  }

  function workTable(items, dead) {
    const rows = items.map((w) => el('tr', { class: dead ? 'problem' : (w.lastError ? 'warn' : null) },
      el('td', { class: 'num' }, w.id),
      el('td', { class: 'mono' }, w.kind),
      el('td', {}, dead ? fmtTime(w.deadAt) : fmtTime(w.dueAt)),
      el('td', { class: 'num' }, w.attempts),
      el('td', { class: 'num' }, w.failures),
      el('td', {}, w.leaseUntil ? fmtTime(w.leaseUntil) : '—'),
      el('td', {}, w.lastError ? el('div', { class: dead ? 'error' : '' }, w.lastError) : '—')));
    return table(['Row', 'Kind', dead ? 'Dead since' : 'Due', 'Attempts', 'Failures', 'Leased until', 'Last error'], rows,
      dead ? 'No dead work.' : 'No pending work.', dead ? 'dead-work' : 'pending-work');
  }

  // ---- transcript --------------------------------------------------------------------------------

  async function showTranscript(d, latest, section, gen) {
    const heading = el('h2', {}, 'Transcript');
    const none = () => section.replaceChildren(heading, el('p', { class: 'empty', id: 'no-transcript' }, 'No transcript yet: it is captured when the ticket closes.'));
    // A transcript exists from the Captured phase on; before that there is nothing to ask for.
    if (!d.channels.some((c) => PHASES.indexOf(c.status) >= 1)) {
      none();
      return;
    }
    const response = await api(`/incidents/${encodeURIComponent(d.id)}/transcript?format=html`, { headers: { Accept: 'text/html' } });
    if (gen !== generation) return;
    if (response.status === 404) {
      none();
      return;
    }
    if (!response.ok) {
      section.replaceChildren(heading, el('p', { class: 'error' }, await problemText(response)));
      return;
    }
    const html = await response.text();
    const name = latest ? latest.name : 'transcript';
    // No allow-scripts and no allow-same-origin: the document cannot run code nor reach this page. Its links
    // open in a new tab (base target) outside the sandbox.
    const frame = el('iframe', {
      id: 'transcript',
      class: 'transcript',
      title: `Transcript of ${name}`,
      sandbox: 'allow-popups allow-popups-to-escape-sandbox',
      referrerpolicy: 'no-referrer',
    });
    frame.srcdoc = html.replace(/<head>/i, '<head><base target="_blank">');
    const downloads = el('div', { class: 'actions' },
      ['html', 'md', 'json'].map((format) => el('button', {
        type: 'button',
        onclick: () => run(() => download(d.id, name, format)),
      }, `Download ${format}`)));
    section.replaceChildren(heading, downloads, frame);
  }

  async function download(id, name, format) {
    const response = await api(`/incidents/${encodeURIComponent(id)}/transcript?format=${format}`);
    if (!response.ok) throw new Error(await problemText(response));
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: `${name}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  // ---- start -------------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', submitKey);
    $('sign-out').addEventListener('click', signOut);
    window.addEventListener('hashchange', route);
    route();
  });
})();
