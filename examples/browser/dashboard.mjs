/*
 * dashboard.mjs: the CEG dashboard (index.html), built from the package's
 * components (<ceg-graph>, <ceg-plan>, <ceg-trace>).
 *
 * - a scenario picker with built-in scenarios (scenarios.mjs), load and save
 *   of the scenario JSON;
 * - what-if controls (each provider's health, latency, breaker, the
 *   contract's budget, latency limit, allowed and forbidden providers): every
 *   change re-plans with plan.optimize and the plan view shows what moved
 *   and why;
 * - a simulation: the page is the host of an executor session (exec.start /
 *   exec.report) whose outcomes come from the scenario's script; play, pause
 *   and step show dispatches, failovers, swaps, breaker states and D per
 *   tick, and the trace growing and verifying;
 * - an editor for the raw request that shows a structured error at the path
 *   of the offending field.
 *
 * Performance marks for anyone to measure: `ceg:first-plan` when the frame
 * showing the first plan is rendered (navigation is time 0;
 * `ceg:module-compiled` when the module is compiled, `ceg:module-ready` when
 * it is instantiated and initialised), and one `ceg:replan` measure per
 * what-if change (the input event to the frame showing it rendered).
 * window.__ceg exposes the state the browser tests and `make bench` read.
 */
import { load } from '../../bindings/js/browser.mjs';
import { CegGraph, diffPlans, reasonText, usd } from '../../bindings/js/components/index.mjs';
import { SCENARIOS, copyScenario } from './scenarios.mjs';

const WASM_URL = new URL('../../bindings/js/ceg.wasm', import.meta.url);
// index.html starts fetching and compiling the module (streaming) before
// anything else; a page without that script compiles it here. Meanwhile the
// graph layout library loads and the first scenario is laid out.
// `ceg:module-compiled` marks the end of the compile, `ceg:module-ready` the
// end of instantiation and _initialize.
const loading = load({
  wasm: window.__cegCompile || WebAssembly.compileStreaming(fetch(WASM_URL)).then((m) => {
    performance.mark('ceg:module-compiled');
    return m;
  }),
});
import('@dagrejs/dagre').then((d) => CegGraph.useLayout(d), () => { /* <ceg-graph> reports it when it draws */ });

const $ = (id) => document.getElementById(id);
const h = (tag, props = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k in e && typeof v !== 'string') e[k] = v;
    else if (k === 'className' || k === 'textContent') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat()) if (k !== undefined && k !== null && k !== false) e.append(k);
  return e;
};
// afterFrame resolves once the next frame is rendered (a task posted from
// requestAnimationFrame runs after that frame's style, layout and paint),
// with the frame's time stamp and when its rendering began and ended.
const afterFrame = () => new Promise((r) => requestAnimationFrame((stamp) => {
  const rafAt = performance.now();
  const c = new MessageChannel();
  c.port1.onmessage = () => r({ stamp, rafAt, renderedAt: performance.now() });
  c.port2.postMessage(0);
}));

const graphEl = $('graph');
const planEl = $('plan');
const traceEl = $('trace');

const app = {
  ceg: null,
  scenario: null,
  plan: null,
  replans: [], // per what-if change: {what, optimizeMs, workMs, renderMs, busyMs, frameMs, nextFrame} (see planOnce)
  firstPlanMs: null,
  sim: null,
  editorStale: false, // the editor text is behind the request (set while the editor is hidden)
  ready: null,
};
window.__ceg = app;

/* ---------- scenario ---------- */

function providers(request) {
  const out = [];
  for (const n of request.graph.nodes || []) if (n.kind === 'resource' && n.provider && !out.includes(n.provider)) out.push(n.provider);
  return out;
}

function ensureState(req) {
  req.state = req.state || {};
  req.state.resources = req.state.resources || {};
  for (const k of ['health', 'latencyMs', 'breakers']) req.state.resources[k] = req.state.resources[k] || {};
  req.contract.constraints = req.contract.constraints || {};
  return req;
}

function notice(text) {
  const el = $('notice');
  if (el.hidden === !text && el.textContent === (text || '')) return; // nothing to redraw
  el.hidden = !text;
  el.textContent = text || '';
}

/** setScenario shows a scenario: controls, editor text, graph, a fresh plan. */
async function setScenario(s, opts) {
  showScenario(s, opts);
  await replan(null);
}

/**
 * showScenario shows what a scenario needs no module for: controls, editor
 * text and the graph (laid out now: a later plan only re-marks it).
 */
function showScenario(s, { keepLog } = {}) {
  stopSim();
  app.scenario = s;
  ensureState(s.request);
  $('description').textContent = s.description || '';
  if (![...$('scenario').options].some((o) => o.value === s.name)) $('scenario').append(h('option', { value: s.name }, s.title || s.name));
  $('scenario').value = s.name;
  if (!keepLog) $('changelog').replaceChildren();
  buildControls();
  editorText();
  $('editor-error').replaceChildren();
  $('editor-error').className = 'editor-error';
  app.plan = null;
  planEl.previous = null;
  graphEl.dilation = null;
  graphEl.graph = s.request.graph;
  resetSim();
}

/* ---------- plan and what-if ---------- */

let planning = null;
let dirty = null;

/**
 * replan optimizes the current request and redraws. `change` describes the
 * what-if input that caused it ({what, t0}); changes arriving while a plan
 * is computed are coalesced into one more run.
 */
async function replan(change) {
  if (planning) { dirty = change || dirty || { what: '' }; return planning; }
  planning = (async () => {
    let c = change;
    for (;;) {
      await planOnce(c);
      if (!dirty) break;
      c = dirty;
      dirty = null;
    }
  })();
  try { await planning; } finally { planning = null; }
}

async function planOnce(change) {
  if (!app.ceg) return; // main() plans the current request once the module is ready
  const measured = change && change.what;
  const t0 = measured ? change.t0 : performance.now();
  let plan;
  try {
    plan = await app.ceg.optimize(app.scenario.request);
  } catch (e) {
    notice(`the request does not plan: ${e.code ? e.code + ': ' : ''}${e.message}${e.path ? ` (at ${e.path})` : ''}`);
    return;
  }
  const planned = performance.now();
  notice('');
  const previous = app.plan;
  app.plan = plan;
  planEl.previous = change ? previous : null;
  planEl.plan = plan;
  graphEl.plan = plan; // the layout is kept: only the plan's marks change
  if (measured) logChange(change.what, diffPlans(previous, plan));
  await Promise.all([planEl.rendered, graphEl.ready]);
  const drawn = performance.now();
  const frame = await afterFrame();
  if (measured) {
    // work: the input to the redrawn DOM (optimize + draw); render: style,
    // layout and paint of the frame that shows it; busy = work + render, the
    // main thread's cost of one change; frame: the input to that frame
    // rendered (with the wait for the frame).
    // nextFrame: the change is shown in the first frame after the input
    // (frames share one time stamp).
    const renderMs = frame.renderedAt - Math.max(frame.rafAt, drawn);
    const frameMs = frame.renderedAt - t0;
    const nextFrame = frame.stamp === await change.firstFrame;
    app.replans.push({ what: change.what, optimizeMs: planned - t0, workMs: drawn - t0, renderMs, busyMs: drawn - t0 + renderMs, frameMs, nextFrame });
    performance.measure('ceg:replan', { start: t0, end: frame.renderedAt });
  }
}

function logChange(what, moves) {
  const li = h('li', {}, h('strong', {}, what), ': ');
  if (!moves.length) li.append('no change in the plan');
  else li.append(...moves.map((m, i) => h('span', { 'data-reason': m.reason }, i ? '; ' : '', m.intent ? `${m.intent} ${m.from || '(none)'} \u2192 ${m.to || '(none)'} ` : '', h('code', {}, m.reason))));
  const log = $('changelog');
  log.prepend(li);
  while (log.children.length > 12) log.lastChild.remove();
}

function whatIf(what, mutate) {
  const t0 = performance.now();
  const firstFrame = new Promise((r) => requestAnimationFrame(r)); // the time stamp of the first frame after the input
  mutate(app.scenario.request);
  editorText();
  replan({ what, t0, firstFrame });
}

/**
 * editorText puts the request into the editor when the editor is shown, and
 * otherwise when it is next shown (a what-if change does not pay for
 * formatting the whole request).
 */
function editorText() {
  app.editorStale = $('tab-editor').hidden;
  if (!app.editorStale) $('editor-text').value = JSON.stringify(app.scenario.request, null, 2);
}

function numberOr(v, fallback) {
  const n = Number(v);
  return v === '' || !Number.isFinite(n) ? fallback : n;
}

function buildControls() {
  const req = app.scenario.request;
  const cons = req.contract.constraints;
  const form = $('contract-form');
  form.replaceChildren(h('fieldset', {},
    h('legend', {}, `Contract ${req.contract.id || ''}`),
    h('div', { className: 'row' },
      h('label', { for: 'budget' }, 'Budget (USD)'),
      h('input', { id: 'budget', type: 'number', min: '0', step: '0.001', value: String(cons.maxCost ?? 0.05),
        onchange: (e) => whatIf(`budget \u2192 ${usd(numberOr(e.target.value, 0.05))}`, (r) => { r.contract.constraints.maxCost = numberOr(e.target.value, 0.05); }) }),
      h('span', { className: 'muted small' }, 'USD')),
    h('div', { className: 'row' },
      h('label', { for: 'maxlat' }, 'Latency limit'),
      h('input', { id: 'maxlat', type: 'number', min: '0', step: '100', value: String(cons.maxLatencyMs ?? 10000),
        onchange: (e) => whatIf(`latency limit \u2192 ${numberOr(e.target.value, 10000)} ms`, (r) => { r.contract.constraints.maxLatencyMs = numberOr(e.target.value, 10000); }) }),
      h('span', { className: 'muted small' }, 'ms'))));
  const box = $('providers');
  box.replaceChildren();
  const res = req.state.resources;
  const allowed = new Set(req.contract.allowedProviders || []);
  const forbidden = new Set(req.contract.forbiddenProviders || []);
  for (const p of providers(req)) {
    const health = res.health[p] ?? 1;
    const out = h('output', { id: `health-${p}-value`, for: `health-${p}` }, health.toFixed(2));
    const open = !!(res.breakers[p] && res.breakers[p].state === 'circuit_open');
    box.append(h('fieldset', { 'data-provider': p },
      h('legend', {}, p),
      h('div', { className: 'row' },
        h('label', { for: `health-${p}` }, 'Health'),
        h('input', { id: `health-${p}`, type: 'range', min: '0', max: '1', step: '0.05', value: String(health),
          'aria-valuetext': `${p} health ${health.toFixed(2)}`,
          oninput: (e) => {
            const v = Number(e.target.value);
            out.textContent = v.toFixed(2);
            e.target.setAttribute('aria-valuetext', `${p} health ${v.toFixed(2)}`);
            whatIf(`${p} health \u2192 ${v.toFixed(2)}`, (r) => { r.state.resources.health[p] = v; });
          } }),
        out),
      h('div', { className: 'row' },
        h('label', { for: `latency-${p}` }, 'Latency (ms)'),
        h('input', { id: `latency-${p}`, type: 'number', min: '0', step: '50', placeholder: 'target', value: res.latencyMs[p] !== undefined ? String(res.latencyMs[p]) : '',
          onchange: (e) => {
            const v = e.target.value === '' ? undefined : Math.max(0, Number(e.target.value));
            whatIf(`${p} latency \u2192 ${v === undefined ? 'its target' : `${v} ms`}`, (r) => {
              if (v === undefined) delete r.state.resources.latencyMs[p]; else r.state.resources.latencyMs[p] = v;
            });
          } }),
        h('span', { className: 'muted small' }, 'ms')),
      h('div', { className: 'checks' },
        h('label', {}, h('input', { id: `breaker-${p}`, type: 'checkbox', checked: open,
          onchange: (e) => whatIf(`${p} breaker ${e.target.checked ? 'open' : 'closed'}`, (r) => {
            if (e.target.checked) {
              const now = r.state.now || 0;
              r.state.resources.breakers[p] = { state: 'circuit_open', errors: 3, level: 0, openUntil: now + 30000 };
            } else delete r.state.resources.breakers[p];
          }) }), ' breaker open'),
        h('label', {}, h('input', { id: `forbid-${p}`, type: 'checkbox', checked: forbidden.has(p),
          onchange: (e) => whatIf(`${p} ${e.target.checked ? 'forbidden' : 'no longer forbidden'}`, (r) => {
            const s = new Set(r.contract.forbiddenProviders || []);
            if (e.target.checked) s.add(p); else s.delete(p);
            r.contract.forbiddenProviders = [...s].sort();
            if (!r.contract.forbiddenProviders.length) delete r.contract.forbiddenProviders;
          }) }), ' forbidden'),
        h('label', {}, h('input', { id: `allow-${p}`, type: 'checkbox', checked: allowed.has(p),
          onchange: (e) => whatIf(`${p} ${e.target.checked ? 'on' : 'off'} the allowed list`, (r) => {
            const s = new Set(r.contract.allowedProviders || []);
            if (e.target.checked) s.add(p); else s.delete(p);
            r.contract.allowedProviders = [...s].sort();
            if (!r.contract.allowedProviders.length) delete r.contract.allowedProviders;
          }) }), ' allowed', h('span', { className: 'muted small' }, ' (none ticked: all)')))));
  }
}

/* ---------- simulation ---------- */

function scriptText(sim) {
  if (!sim || !sim.script || !sim.script.length) return 'Script: every dispatch succeeds at its latency target.';
  return `Script: ${sim.script.map((r) => `${r.note || `${r.provider} ${r.status}`} (ticks ${r.fromTick}\u2013${r.toTick ?? '\u221e'}${r.status === 'slow' ? `, ${r.latencyMs} ms` : ''})`).join('; ')}; everything else succeeds.`;
}

function resetSim() {
  stopSim();
  if (app.sim && app.sim.session && !app.sim.session.done) app.sim.session.close().catch(() => {});
  app.sim = { session: null, tick: 0, now: 0, records: [], done: false, ticks: [] };
  $('sim-ticks').tBodies[0].replaceChildren();
  $('sim-status').textContent = 'not started: press Play or Step';
  $('sim-script').textContent = scriptText(app.scenario.simulation);
  traceEl.records = [];
  $('tamper').disabled = true;
  $('sim-step').disabled = false;
  $('sim-play').disabled = false;
}

let timer = null;
function stopSim() {
  if (timer) clearInterval(timer);
  timer = null;
  $('sim-pause').disabled = true;
  $('sim-play').disabled = !!(app.sim && app.sim.done);
}

/** outcomeFor decides a dispatch's outcome from the scenario's script. */
function outcomeFor(action, tick) {
  const script = (app.scenario.simulation && app.scenario.simulation.script) || [];
  const rule = script.find((r) => r.provider === action.provider && tick >= (r.fromTick ?? 0) && tick <= (r.toTick ?? Infinity));
  const node = app.scenario.request.graph.nodes.find((n) => n.id === action.resource) || {};
  const target = node.latencyTargetMs || 2000;
  const base = { step: action.step, attempt: action.attempt };
  if (!rule || rule.status === 'ok') return { ...base, status: 'ok', latencyMs: target };
  if (rule.status === 'slow') return { ...base, status: 'ok', latencyMs: rule.latencyMs || target * 3 };
  if (rule.status === 'timeout') return { ...base, status: 'timeout' };
  if (rule.status === 'quota') return { ...base, status: 'quota' };
  return { ...base, status: 'error', error: rule.note || 'scripted error' };
}

async function stepSim() {
  const sim = app.sim;
  if (sim.done || sim.busy) return;
  sim.busy = true;
  try {
    const sc = app.scenario;
    let turn;
    let outcomes = [];
    if (!sim.session) {
      const req = JSON.parse(JSON.stringify(sc.request));
      sim.now = (req.state && req.state.now) || 1000;
      sim.session = await app.ceg.execute({ ...req, options: { maxTicks: (sc.simulation && sc.simulation.maxTicks) || 50 } });
      turn = { tick: sim.session.tick, status: sim.session.status, actions: sim.session.actions, events: sim.session.events };
    } else {
      outcomes = sim.pending || [];
      sim.now += (sc.simulation && sc.simulation.tickMs) || 1000;
      turn = await sim.session.report(sim.now, outcomes);
    }
    sim.records.push(...turn.events);
    sim.pending = turn.actions.filter((a) => a.type === 'dispatch').map((a) => outcomeFor(a, turn.tick));
    const snap = await sim.session.snapshot();
    showTick(turn, outcomes, snap);
    traceEl.records = sim.records.slice();
    if (sim.session.plan) graphEl.plan = sim.session.plan;
    graphEl.dilation = Object.fromEntries((snap.field || []).map((f) => [f.id, f.d]));
    sim.done = sim.session.done;
    $('sim-status').textContent = `tick ${turn.tick} \u00b7 ${turn.status}${sim.done ? ' (finished)' : ''}`;
    if (sim.done) {
      stopSim();
      $('sim-play').disabled = true;
      $('sim-step').disabled = true;
      await traceEl.verified;
      sim.verification = traceEl.verification;
      await sim.session.close().catch(() => {});
    }
  } catch (e) {
    stopSim();
    $('sim-status').textContent = `error: ${e.code ? e.code + ': ' : ''}${e.message}`;
  } finally {
    sim.busy = false;
  }
}

const EVENT_WORDS = { retry: 'failover', swap: 'hot-swap', swap_refused: 'swap refused', fail: 'failed', complete: 'done', dispatch: 'dispatch', rollback: 'rollback', breaker: 'breaker', violation: 'violation', abort: 'abort' };

function showTick(turn, outcomes, snap) {
  const items = [];
  for (const o of outcomes) items.push(h('li', {}, `${o.step}: reported `, h('code', {}, o.status), o.latencyMs ? ` after ${o.latencyMs} ms` : ''));
  for (const e of turn.events) {
    if (!EVENT_WORDS[e.event] || e.event === 'dispatch') continue;
    const d = e.data || {};
    let text = `${EVENT_WORDS[e.event]} ${e.actor}`;
    if (e.event === 'retry') text = `failover ${e.actor}: ${d.from} \u2192 ${d.to} (attempt ${d.attempt})`;
    if (e.event === 'breaker') text = `breaker ${e.actor}: ${d.from} \u2192 ${d.to}`;
    if (e.event === 'swap') text = `hot-swap ${d.from || e.actor} \u2192 ${d.to || ''} (${d.trigger || d.reason || ''})`;
    items.push(h('li', { 'data-event': e.event }, text));
  }
  for (const a of turn.actions) if (a.type === 'dispatch') items.push(h('li', {}, `dispatch ${a.step} on ${a.resource} (${a.provider}), attempt ${a.attempt}`));
  const breakers = Object.entries(snap.breakers || {}).sort(([a], [b]) => a.localeCompare(b))
    .map(([p, b]) => h('li', { 'data-provider': p, 'data-state': b.state }, `${p}: ${b.state.replace('_', ' ')}${b.errors ? ` (${b.errors} errors)` : ''}`));
  const field = (snap.field || []).map((f) => h('li', {}, `${f.id} ${f.d.toFixed(2)}`));
  const row = h('tr', { 'data-tick': String(turn.tick) },
    h('td', {}, String(turn.tick)),
    h('td', {}, h('ul', {}, items)),
    h('td', {}, breakers.length ? h('ul', {}, breakers) : h('span', { className: 'muted' }, 'all closed')),
    h('td', {}, h('ul', {}, field)));
  $('sim-ticks').tBodies[0].append(row);
  row.scrollIntoView({ block: 'nearest' });
  app.sim.ticks.push({ tick: turn.tick, status: turn.status, events: turn.events.map((e) => e.event) });
}

function playSim() {
  if (app.sim.done || timer) return;
  $('sim-pause').disabled = false;
  $('sim-play').disabled = true;
  stepSim();
  timer = setInterval(() => { if (app.sim.done) stopSim(); else stepSim(); }, 700);
}

/* ---------- editor ---------- */

/**
 * locate finds the text range of the value at a JSON path (`a.b[2].c`) in
 * JSON text, or of its nearest existing parent. Returns {start, end, found}.
 */
export function locate(text, path) {
  const want = [];
  for (const m of String(path || '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)) want.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  let i = 0;
  let best = { start: 0, end: text.length, depth: -1 };
  const ws = () => { while (i < text.length && /\s/.test(text[i])) i++; };
  const str = () => { const s = i; i++; while (i < text.length && text[i] !== '"') { if (text[i] === '\\') i++; i++; } i++; return JSON.parse(text.slice(s, i)); };
  const value = (path, keyStart) => {
    ws();
    const start = i;
    const matches = path.length <= want.length && path.every((p, k) => p === want[k]);
    if (text[i] === '{') {
      i++; ws();
      if (text[i] === '}') i++;
      else for (;;) {
        ws(); const ks = i; const k = str(); ws(); i++; // ':'
        value([...path, k], ks); ws();
        if (text[i] === ',') { i++; continue; }
        i++; break;
      }
    } else if (text[i] === '[') {
      i++; ws();
      if (text[i] === ']') i++;
      else for (let n = 0; ; n++) {
        value([...path, n], -1); ws();
        if (text[i] === ',') { i++; continue; }
        i++; break;
      }
    } else if (text[i] === '"') str();
    else while (i < text.length && /[^,\]}\s]/.test(text[i])) i++;
    if (matches && path.length > best.depth) best = { start: keyStart >= 0 ? keyStart : start, end: i, depth: path.length };
  };
  try { value([], -1); } catch { /* keep the best so far */ }
  return { start: best.start, end: best.end, found: best.depth === want.length };
}

function lineOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const lineText = text.split('\n')[line - 1] || '';
  return { line, col, lineText };
}

function showEditorError({ code, message, path, offset }) {
  const ta = $('editor-text');
  const text = ta.value;
  let at = null;
  if (typeof offset === 'number') at = { start: offset, end: Math.min(text.length, offset + 1), found: true };
  else if (path) at = locate(text, path);
  const box = $('editor-error');
  box.className = 'editor-error';
  const where = at ? lineOf(text, at.start) : null;
  box.replaceChildren(
    h('strong', {}, code),
    path ? h('div', {}, 'at ', h('code', { className: 'path', 'data-path': path }, path), at && !at.found ? ' (the field is missing; its parent is marked)' : '') : '',
    where ? h('div', { className: 'line', 'data-line': String(where.line) }, `line ${where.line}, column ${where.col}:`) : '',
    where ? h('pre', {}, where.lineText.trim()) : '',
    h('div', { className: 'message' }, message));
  box.dataset.path = path || '';
  box.dataset.code = code;
  if (at) {
    ta.focus();
    ta.setSelectionRange(at.start, at.end);
    // Scroll the marked line into view.
    const lines = text.slice(0, at.start).split('\n').length;
    ta.scrollTop = Math.max(0, (lines - 3) * parseFloat(getComputedStyle(ta).lineHeight || '18'));
  }
}

async function applyEditor() {
  const text = $('editor-text').value;
  let req;
  try {
    req = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e.message);
    const lc = /line (\d+) column (\d+)/.exec(e.message);
    let offset;
    if (m) offset = Number(m[1]);
    else if (lc) offset = text.split('\n').slice(0, Number(lc[1]) - 1).join('\n').length + Number(lc[2]);
    showEditorError({ code: 'PARSE_ERROR', message: `not valid JSON: ${e.message}`, path: '', offset });
    return false;
  }
  if (!req || typeof req !== 'object' || Array.isArray(req)) {
    showEditorError({ code: 'INVALID_PARAMS', message: 'the request must be an object with graph, contract and state', path: '' });
    return false;
  }
  try {
    await app.ceg.optimize(req);
  } catch (e) {
    showEditorError({ code: e.code || 'ERROR', message: e.message, path: e.path || '' });
    return false;
  }
  const s = { ...app.scenario, request: req };
  await setScenario(s, { keepLog: true });
  const box = $('editor-error');
  box.className = 'editor-error ok';
  box.replaceChildren(h('strong', {}, 'applied'), h('div', {}, 'the request is valid and planned'));
  box.dataset.path = '';
  box.dataset.code = 'OK';
  return true;
}

/* ---------- load / save ---------- */

function save() {
  const blob = new Blob([JSON.stringify(app.scenario, null, 2) + '\n'], { type: 'application/json' });
  const a = h('a', { href: URL.createObjectURL(blob), download: `${app.scenario.name || 'scenario'}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function loadFile(file) {
  let s;
  try {
    s = JSON.parse(await file.text());
  } catch (e) {
    notice(`${file.name}: not valid JSON (${e.message})`);
    return;
  }
  if (!s || !s.request || !s.request.graph || !s.request.contract) {
    notice(`${file.name}: a scenario needs request.graph and request.contract (save one to see the format)`);
    return;
  }
  s.name = s.name || file.name.replace(/\.json$/, '');
  s.simulation = s.simulation || { tickMs: 1000, maxTicks: 50, script: [] };
  try {
    await app.ceg.validate(s.request.graph);
  } catch (e) {
    notice(`${file.name}: ${e.code}: ${e.message}${e.path ? ` (at request.${e.path.replace(/^graph\.?/, 'graph.')})` : ''}`);
    return;
  }
  await setScenario(s);
}

/* ---------- wiring ---------- */

function showTab(name) {
  for (const b of document.querySelectorAll('.tab')) b.setAttribute('aria-pressed', String(b.dataset.tab === name));
  for (const p of ['plan', 'sim', 'editor']) $(`tab-${p}`).hidden = p !== name;
  if (name === 'editor' && app.editorStale) editorText();
}

async function main() {
  for (const s of Object.values(SCENARIOS)) $('scenario').append(h('option', { value: s.name }, s.title));
  $('scenario').addEventListener('change', (e) => {
    const s = SCENARIOS[e.target.value];
    if (s) setScenario(copyScenario(s));
  });
  $('save').addEventListener('click', save);
  $('load').addEventListener('change', (e) => { if (e.target.files[0]) loadFile(e.target.files[0]); e.target.value = ''; });
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => showTab(b.dataset.tab));
  $('sim-play').addEventListener('click', playSim);
  $('sim-pause').addEventListener('click', stopSim);
  $('sim-step').addEventListener('click', () => { stopSim(); stepSim(); });
  $('sim-reset').addEventListener('click', resetSim);
  traceEl.addEventListener('ceg-select', () => { $('tamper').disabled = false; });
  $('tamper').addEventListener('click', () => {
    const id = traceEl.selected;
    const recs = traceEl.records.map((r) => (r.id === id ? { ...r, data: { ...r.data, tampered: true } } : r));
    traceEl.records = recs;
  });
  $('editor-apply').addEventListener('click', applyEditor);
  $('editor-revert').addEventListener('click', () => { $('editor-text').value = JSON.stringify(app.scenario.request, null, 2); $('editor-error').replaceChildren(); });
  $('editor-text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); applyEditor(); } });
  graphEl.addEventListener('ceg-select', (e) => {
    const n = e.detail.node;
    if (n && n.kind === 'resource' && n.provider) {
      const input = $(`health-${n.provider}`);
      if (input) input.focus();
    }
  });

  // The first scenario's controls and graph layout need no module: show
  // them while it compiles, then plan.
  const start = new URLSearchParams(location.search).get('scenario');
  showScenario(copyScenario(SCENARIOS[start] || SCENARIOS['chat-failover']));
  app.ceg = await loading;
  performance.mark('ceg:module-ready');
  traceEl.verifier = app.ceg;
  await replan(null);
  performance.mark('ceg:first-plan');
  app.firstPlanMs = performance.getEntriesByName('ceg:first-plan')[0].startTime;
  app.ceg.version().then((v) => {
    $('version').textContent = `module ${v.module} \u00b7 ABI ${v.abi} \u00b7 first plan ${Math.round(app.firstPlanMs)} ms after navigation`;
  });
}

app.ready = main().catch((e) => {
  notice(`error: ${e.code ? e.code + ': ' : ''}${e.message}`);
  throw e;
});
// Plain words for the rejection codes, for the tests' eyes and ours.
app.reasonText = reasonText;
