// nabla dashboard's page: the run list, and for the chosen runs their curves (Vega, compiled on the server from
// nabla's curve spec), options, summary and pictures, kept up to date through one event stream per run.
// Plain browser JavaScript, no build step; everything it loads comes from the dashboard's own server. The
// server reads the measures: it sends each new line's chart points and says which measures are in percent.
/* global document, window, location, fetch, EventSource, URLSearchParams, setTimeout, setInterval, vega */
'use strict';

const RUNS_EVERY_MS = 3000;

const state = {
  runs: [], // the list from /api/runs
  chosen: [], // ids of chosen runs, in the order chosen
  live: new Map(), // id -> { rows, points, percent, receipt, pictures, source }
  charts: [], // { key, stage, measure, view, dataset, inserted: { id: count } }
  chartKeys: new Set(), // the keys of the drawn charts
  builtCounts: {}, // id -> lines of the run when the charts were last built
  building: null, // the chart rebuild in progress
  rebuildAgain: false,
};

const $ = (id) => document.getElementById(id);
/** The chosen runs that are being followed, in the order chosen. */
const followed = () => state.chosen.filter((id) => state.live.has(id));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

const fileUrl = (id, name) => `/files/${(id ? `${id}/${name}` : name).split('/').map(encodeURIComponent).join('/')}`;
const runName = (id) => state.runs.find((r) => r.id === id)?.name ?? id;

function formatNumber(value) {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  return abs !== 0 && (abs < 1e-3 || abs >= 1e6) ? value.toExponential(3) : String(Number(value.toPrecision(5)));
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return new Date(ms).toISOString().slice(0, 10);
}

// ---- choices kept in the address, so that a reload or a shared link shows the same runs

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  return params.has('run') ? params.getAll('run') : null;
}

function writeHash() {
  const params = new URLSearchParams();
  for (const id of state.chosen) params.append('run', id);
  window.history.replaceState(null, '', `#${params}`);
}

/** The chart options chosen above the charts, as the query of /api/charts and /api/events takes them. */
function optionsQuery(ids) {
  const form = $('controls');
  const params = new URLSearchParams();
  for (const id of ids) params.append('run', id);
  params.set('x', form.x.value);
  params.set('smooth', form.smooth.value);
  if (form.log.checked) params.set('log', '1');
  return params.toString();
}

// ---- the run list

async function refreshRuns() {
  let answer;
  try {
    answer = await (await fetch('/api/runs')).json();
  } catch {
    return; // the server stopped; the page keeps what it shows
  }
  state.runs = answer.runs;
  $('root').textContent = answer.root;
  if (state.chosen.length === 0 && readHash() === null && state.runs.length) choose([state.runs[0].id]);
  syncFollows();
  drawRunList();
}

function statusOf(run) {
  return run.status ?? (Date.now() - run.modified < 60_000 ? 'active' : 'unknown');
}

function drawRunList() {
  const filter = $('filter').value.trim().toLowerCase();
  const shown = state.runs.filter((r) => !filter || r.name.toLowerCase().includes(filter));
  $('run-count').textContent = String(state.runs.length);
  $('runs-empty').hidden = state.runs.length > 0;
  $('runs').replaceChildren(...shown.map((run) => {
    const chosen = state.chosen.includes(run.id);
    const status = statusOf(run);
    const box = el('input', {
      type: 'checkbox', checked: chosen, 'aria-label': `show ${run.name}`,
      onchange: (e) => choose(e.target.checked ? [...state.chosen, run.id] : state.chosen.filter((c) => c !== run.id)),
    });
    const command = run.command ? commandText(run.command) : undefined;
    return el('li', { class: `run${chosen ? ' chosen' : ''}`, 'data-run': run.id },
      el('label', {}, box,
        el('span', { class: `dot ${status}`, title: status }),
        el('span', { class: 'run-text' },
          el('span', { class: 'run-name', text: run.name }),
          el('span', { class: 'run-meta', text: `${status === 'unknown' ? '' : `${status} · `}${ago(run.modified)}` }),
          command ? el('span', { class: 'run-command', text: command, title: command }) : null)));
  }));
}

function choose(ids) {
  state.chosen = [...new Set(ids)];
  writeHash();
  syncFollows();
  drawRunList();
  drawDetails();
}

/**
 * Follows the chosen runs that are listed and no others. A run named in the address before its folder holds
 * metrics.jsonl or run.json is followed once the list shows it; a stream the server ended is started again.
 */
function syncFollows() {
  const listed = new Set(state.runs.map((r) => r.id));
  const wanted = state.chosen.filter((id) => listed.has(id));
  let changed = false;
  for (const [id, live] of state.live) {
    if (!wanted.includes(id) || live.source.readyState === EventSource.CLOSED) {
      live.source.close();
      state.live.delete(id);
      changed = true;
    }
  }
  for (const id of wanted) {
    if (state.live.has(id)) continue;
    follow(id);
    changed = true;
  }
  if (changed) rebuildCharts();
}

// ---- following a run

function follow(id) {
  const live = {
    rows: [], points: [], percent: new Set(), receipt: null, pictures: [], figures: new Map(), curvesOpen: false,
    source: null,
  };
  state.live.set(id, live);
  listen(id, live);
}

/**
 * Opens a run's event stream, in place of the one it had: its lines come with their points for the chart
 * options chosen now (points[i], by chart key, are those of rows[i]), so a change of options opens it again.
 * The old points go at once; the old lines stay on the run's card until the new stream sends them all again.
 */
function listen(id, live) {
  live.source?.close();
  live.points = [];
  const source = new EventSource(`/api/events?${optionsQuery([id])}`);
  live.source = source;
  const on = (name, handler) => source.addEventListener(name, (e) => {
    if (state.live.get(id) === live && live.source === source) handler(JSON.parse(e.data));
  });
  let first = true;
  const keep = (update, all) => {
    if (all) {
      live.rows = [];
      live.points = [];
    }
    live.rows.push(...update.rows);
    live.points.push(...update.points);
    for (const measure of update.percent) live.percent.add(measure);
  };
  on('rows', (update) => {
    keep(update, first);
    first = false;
    if (update.rows.length) pointsArrived(update.points);
    drawDetails();
  });
  on('reset', (update) => {
    keep(update, true);
    first = false;
    rebuildCharts();
    drawDetails();
  });
  on('receipt', ({ receipt, percent }) => {
    live.receipt = receipt;
    for (const measure of percent) live.percent.add(measure);
    const listed = state.runs.find((r) => r.id === id);
    if (listed && receipt && listed.status !== receipt.status) {
      listed.status = receipt.status;
      drawRunList();
    }
    drawDetails();
  });
  on('pictures', (pictures) => {
    live.pictures = pictures;
    const current = new Set(pictures.map((p) => `${p.name}@${p.modified}`));
    for (const key of live.figures.keys()) if (!current.has(key)) live.figures.delete(key);
    drawDetails();
  });
}

// ---- the charts

/** Adds to every chart the points of the lines of each run that it does not hold yet, as the server made them. */
function catchUp() {
  for (const chart of state.charts) {
    const points = [];
    for (const id of followed()) {
      const lines = state.live.get(id).points;
      const from = chart.inserted[id] ?? 0;
      if (lines.length <= from) continue;
      for (const line of lines.slice(from)) points.push(...(line[chart.key] ?? []));
      chart.inserted[id] = lines.length;
    }
    if (points.length) chart.view.change(chart.dataset, vega.changeset().insert(points)).runAsync();
  }
}

/**
 * New lines' points go into the drawn charts, unless they belong to a chart not drawn yet (a new measure or
 * stage), or a run has doubled its lines since the charts were built (the spec chooses markers and axes by the
 * number of points).
 */
function pointsArrived(added) {
  if (state.building) return; // the rebuild catches up when it is done
  const fresh = added.some((line) => Object.keys(line).some((key) => !state.chartKeys.has(key)));
  const lines = (id) => state.live.get(id)?.rows.length ?? 0;
  const grown = followed().some((id) => lines(id) >= 2 * (state.builtCounts[id] ?? 0) + 10);
  if (fresh || grown) rebuildCharts();
  else catchUp();
}

function rebuildCharts() {
  if (state.building) {
    state.rebuildAgain = true;
    return;
  }
  state.building = buildCharts().finally(() => {
    state.building = null;
    if (state.rebuildAgain) {
      state.rebuildAgain = false;
      rebuildCharts();
    } else {
      catchUp();
    }
  });
}

async function buildCharts() {
  const section = $('curves-section');
  if (followed().length === 0) {
    for (const chart of state.charts) chart.view.finalize();
    state.charts = [];
    state.chartKeys = new Set();
    section.hidden = true;
    $('charts').replaceChildren();
    return;
  }
  let answer;
  try {
    const response = await fetch(`/api/charts?${optionsQuery(followed())}`);
    if (!response.ok) return;
    answer = await response.json();
  } catch {
    return;
  }
  const cards = [];
  const charts = [];
  for (const chart of answer.charts) {
    const holder = el('div', { class: 'chart' });
    const view = new vega.View(vega.parse(chart.vega), { renderer: 'svg', container: holder, hover: true });
    await view.runAsync();
    cards.push(el('figure', { class: 'card chart-card', 'data-measure': chart.measure }, holder));
    charts.push({ ...chart, view, inserted: { ...answer.counts } });
  }
  for (const chart of state.charts) chart.view.finalize();
  state.charts = charts;
  state.builtCounts = answer.counts;
  state.chartKeys = new Set(charts.map((c) => c.key));
  section.hidden = charts.length === 0;
  $('charts').replaceChildren(...cards);
}

// ---- a run's options, summary and pictures

/** A value of a table; the measures in `percent` (errors and rates, as the server says) are fractions. */
function formatValue(key, value, percent) {
  if (Array.isArray(value)) return value.map((v) => formatValue(key, v, percent)).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  if (typeof value === 'number' && percent.has(key) && value >= 0 && value <= 1) return `${Number((100 * value).toFixed(3))}%`;
  return formatNumber(value);
}

function table(entries, percent) {
  const row = ([key, value]) => el('tr', {}, el('th', { text: key }), el('td', { text: formatValue(key, value, percent) }));
  return el('table', { class: 'kv' }, el('tbody', {}, entries.map(row)));
}

/** The entries of an object that read as one line: numbers, strings, flags and short lists of them. */
function flatEntries(object) {
  const plain = (v) => v !== undefined && v !== null && typeof v !== 'object';
  const shortList = (v) => Array.isArray(v) && v.length <= 8 && v.every(plain);
  return Object.entries(object ?? {}).filter(([, v]) => plain(v) || shortList(v));
}

const when = (iso) => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** What ran where: run.json's seed, versions, machine and times. */
function receiptFacts(receipt) {
  const facts = [];
  if (receipt.seed !== undefined && receipt.seed !== null) facts.push(['seed', receipt.seed]);
  if (receipt.nabla) {
    const commit = receipt.nabla.commit ? ` (${receipt.nabla.commit.slice(0, 10)}${receipt.nabla.dirty ? ', modified' : ''})` : '';
    facts.push(['nabla', `${receipt.nabla.version}${commit}`]);
  }
  if (receipt.node) facts.push(['node', receipt.node]);
  if (receipt.backend) facts.push(['backend', receipt.backend]);
  if (receipt.cpu) facts.push(['cpu', [receipt.cpu.model, receipt.cpu.simd].filter(Boolean).join(', ')]);
  if (receipt.blas) facts.push(['openblas', `${receipt.blas.core} kernels, ${receipt.blas.threads} threads`]);
  if (receipt.started) facts.push(['started', when(receipt.started)]);
  for (const resumed of receipt.resumed ?? []) facts.push(['resumed', when(resumed)]);
  if (receipt.ended) facts.push(['ended', when(receipt.ended)]);
  return facts;
}

/** A command line as a user would type it. */
const commandText = (command) => (command[0] === 'nabla' ? command : ['nabla', ...command]).join(' ');

function runCard(id) {
  const live = state.live.get(id);
  const receipt = live.receipt;
  const last = live.rows[live.rows.length - 1];
  const status = receipt?.status ?? (last ? 'has metrics' : 'waiting');
  const head = el('header', { class: 'run-head' },
    el('h3', { text: runName(id) }),
    el('span', { class: `badge ${receipt?.status ?? 'none'}`, text: status }),
    receipt?.command ? el('code', { class: 'command', text: commandText(receipt.command) }) : null);
  const block = (title, entries) => el('div', { class: 'block' }, el('h4', { text: title }), table(entries, live.percent));
  const figures = [];
  if (receipt?.summary) figures.push(block('Summary', summaryEntries(receipt)));
  if (last) {
    const latest = Object.entries(last).filter(([k]) => k !== 'stage');
    figures.push(block(`Latest line (${live.rows.length} so far${last.stage ? `, ${last.stage}` : ''})`, latest));
  }
  const setup = [];
  if (receipt?.options) setup.push(block('Options', flatEntries(receipt.options)));
  if (receipt) setup.push(block('Run', receiptFacts(receipt)));
  else setup.push(el('p', { class: 'hint', text: 'No run.json in this folder: its options and summary are unknown.' }));
  const pictures = live.pictures.filter((p) => !p.curve);
  const curves = live.pictures.filter((p) => p.curve);
  const keepOpen = (e) => (live.curvesOpen = e.target.open);
  const curvesBox = el('details', { class: 'curve-pictures', open: live.curvesOpen, ontoggle: keepOpen },
    el('summary', { text: `learning-curve pictures written by the run (${curves.length})` }),
    el('div', { class: 'pictures' }, curves.map((p) => figure(id, live, p))));
  return el('article', { class: 'card run-card', 'data-run': id }, head,
    figures.length ? el('div', { class: 'blocks' }, figures) : null,
    pictures.length ? el('div', { class: 'pictures' }, pictures.map((p) => figure(id, live, p))) : null,
    curves.length ? curvesBox : null,
    el('div', { class: 'blocks setup' }, setup));
}

/** The summary's final figures: without the files' paths, and without what the options already say. */
function summaryEntries(receipt) {
  const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const options = receipt.options ?? {};
  return flatEntries(receipt.summary).filter(([key, value]) => !key.endsWith('_path') && options[camel(key)] !== value);
}

/**
 * A picture's figure, made once per version of the file: the cards are drawn anew as lines arrive, and a kept
 * image element is not fetched again.
 */
function figure(id, live, picture) {
  const key = `${picture.name}@${picture.modified}`;
  let node = live.figures.get(key);
  if (!node) {
    const url = fileUrl(id, picture.name);
    node = el('figure', { class: 'picture' },
      el('a', { href: url, target: '_blank', rel: 'noopener' },
        el('img', { src: `${url}?v=${Math.round(picture.modified)}`, alt: picture.name })),
      el('figcaption', { text: picture.name }));
    live.figures.set(key, node);
  }
  return node;
}

let detailsTimer = null;
function drawDetails() {
  // Lines can arrive many times a second; the cards are drawn at most five times a second.
  if (detailsTimer) return;
  detailsTimer = setTimeout(() => {
    detailsTimer = null;
    $('choose').hidden = state.chosen.length > 0;
    $('details').replaceChildren(...followed().map(runCard));
  }, 200);
}

// ---- start

window.addEventListener('DOMContentLoaded', () => {
  $('controls').addEventListener('change', () => {
    for (const [id, live] of state.live) listen(id, live);
    rebuildCharts();
  });
  $('filter').addEventListener('input', drawRunList);
  const fromHash = readHash();
  if (fromHash) choose(fromHash);
  refreshRuns();
  setInterval(refreshRuns, RUNS_EVERY_MS);
});
