/*
 * shared.mjs: what the CEG components share — plain-words reasons, number
 * formatting, the plan diff, and a tiny DOM helper. No dependencies.
 */

/** REASONS: every rejection and infeasibility code in plain words. */
export const REASONS = Object.freeze({
  FORBIDDEN_PROVIDER: 'the contract forbids this provider',
  NOT_ALLOWED_PROVIDER: 'the provider is not on the contract\u2019s allowed list',
  RESOURCE_DOWN: 'the provider is down (health 0 or its circuit breaker is open)',
  MISSING_CAPABILITY: 'it lacks a capability the step needs',
  DETERMINISM_REQUIRED: 'the contract wants deterministic output and this resource is not deterministic',
  EXTERNAL_IO_BLOCKED: 'the contract blocks external calls and this resource is external',
  AUTHORITY_DENIED: 'an authority\u2019s policy denies it',
  LABEL_DENIED: 'it does not accept the data labels the step carries',
  CONSTRAINT_VIOLATED: 'a hard or critical constraint rules it out',
  BLOCKED: 'an active node blocks it (mutual exclusion)',
  MEMORY_ACCESS_DENIED: 'a memory the step needs is not readable under the contract\u2019s memory policy',
  HARD_CONSTRAINT_VIOLATED: 'a hard constraint left a step without any candidate',
  NO_ELIGIBLE_RESOURCES: 'a step has no eligible resource left',
  BUDGET_EXCEEDED: 'even the cheapest assignment costs more than the budget',
  LATENCY_EXCEEDED: 'every assignment is slower than the latency limit',
  COST: 'another candidate is now cheaper in weighted cost',
  NEW_STEP: 'the step is new in this plan',
  DROPPED_STEP: 'the step is no longer planned',
  FEASIBLE: 'the plan became feasible again',
});

/** reasonText returns the plain words for a code (the code itself when unknown). */
export function reasonText(code) {
  return REASONS[code] || String(code || '').toLowerCase().replace(/_/g, ' ');
}

/** usd formats money in US dollars with enough digits for fractions of a cent. */
export function usd(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '\u2013';
  const abs = Math.abs(x);
  const digits = abs === 0 ? 2 : abs < 0.0001 ? 6 : abs < 0.01 ? 5 : abs < 1 ? 4 : 2;
  return `$${x.toFixed(digits)}`;
}

/** ms formats a duration in milliseconds. */
export function ms(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '\u2013';
  return `${Math.round(x).toLocaleString('en-US')} ms`;
}

/** dfmt formats a dilation value. */
export function dfmt(d) {
  return typeof d === 'number' && Number.isFinite(d) ? d.toFixed(2) : '1.00';
}

/**
 * heat maps a dilation D (0.1 .. 5, 1 neutral) to a fill colour: blue below
 * 1 (fast-tracked), white at 1, orange to red above 1 (slowed down). Every
 * colour is light enough for dark text (#1d232b) to keep a contrast of 4.5:1
 * on it (WCAG AA; the browser tests check it).
 */
export function heat(d) {
  const v = typeof d === 'number' && Number.isFinite(d) ? d : 1;
  if (v <= 1) {
    const t = Math.min(1, (1 - v) / 0.9); // 1 -> 0, 0.1 -> 1
    return `hsl(210 80% ${Math.round(96 - 26 * t)}%)`;
  }
  const t = Math.min(1, (v - 1) / 4); // 1 -> 0, 5 -> 1
  return `hsl(${Math.round(40 - 40 * t)} 90% ${Math.round(90 - 25 * t)}%)`;
}

/** h makes an element: h('div', {className: 'x', onclick}, child, 'text'). */
export function h(tag, props = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'className' || k === 'textContent' || k === 'tabIndex' || k === 'title') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids.flat()) if (k !== undefined && k !== null && k !== false) e.append(k);
  return e;
}

/**
 * morph makes the element `from` (in the document) look like `to` (a
 * freshly built element of the same tag) by changing only the attributes,
 * text and children that differ: what is unchanged keeps its element, its
 * layout and its focus. Children are matched by position; a child of
 * another tag is replaced. Listeners are not copied: components that morph
 * listen on a container and read what they need from attributes.
 */
export function morph(from, to) {
  for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
  for (const a of to.attributes) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
  const olds = [...from.childNodes];
  const news = [...to.childNodes];
  news.forEach((n, i) => {
    const o = olds[i];
    if (!o) from.append(n);
    else if (o.nodeType !== n.nodeType || o.nodeName !== n.nodeName) from.replaceChild(n, o);
    else if (o.nodeType === 1) morph(o, n);
    else if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
  });
  for (const o of olds.slice(news.length)) o.remove();
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** s makes an SVG element with attributes. */
export function s(tag, attrs = {}, ...kids) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const k of kids.flat()) if (k !== undefined && k !== null) e.append(k);
  return e;
}

/** rejectionOf finds why a resource was rejected for an intent in a plan, or ''. */
export function rejectionOf(plan, intent, resource) {
  if (!plan) return '';
  for (const st of plan.steps || []) {
    if (st.intent !== intent) continue;
    const r = (st.rejected || []).find((x) => x.resource === resource);
    if (r) return r.reason;
  }
  const inf = plan.infeasibility && plan.infeasibility.candidates;
  if (Array.isArray(inf)) {
    for (const c of inf) {
      if (c.intent !== intent) continue;
      const r = (c.rejected || []).find((x) => x.resource === resource);
      if (r) return r.reason;
    }
  }
  return '';
}

/**
 * diffPlans explains what moved between two plans: one entry per intent
 * whose resource changed, `{intent, from, to, fromProvider, toProvider,
 * reason, detail}`, where reason is a code (the rejection code of the old
 * resource, COST when it is still eligible but no longer the best,
 * NEW_STEP / DROPPED_STEP), plus a `plan` entry when feasibility changed.
 * @param {object|null|undefined} prev
 * @param {object|null|undefined} next
 */
export function diffPlans(prev, next) {
  const out = [];
  if (!prev || !next) return out;
  if (prev.feasible !== next.feasible) {
    const code = next.feasible ? 'FEASIBLE' : (next.infeasibility && next.infeasibility.code) || 'NO_ELIGIBLE_RESOURCES';
    out.push({ intent: '', from: '', to: '', reason: code, detail: next.feasible ? 'the plan is feasible again' : `the plan became infeasible: ${reasonText(code)}` });
  }
  const before = new Map((prev.steps || []).map((st) => [st.intent, st]));
  const after = new Map((next.steps || []).map((st) => [st.intent, st]));
  const intents = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const i of intents) {
    const a = before.get(i);
    const b = after.get(i);
    if (a && b && a.resource === b.resource) continue;
    if (!a) { out.push({ intent: i, from: '', to: b.resource, toProvider: b.provider, reason: 'NEW_STEP', detail: `${i} now runs on ${b.resource}` }); continue; }
    if (!b) {
      const why = rejectionOf(next, i, a.resource);
      if (!why && !next.feasible) continue; // an infeasible plan has no steps: the feasibility entry says why
      out.push({ intent: i, from: a.resource, fromProvider: a.provider, to: '', reason: why || 'DROPPED_STEP', detail: `${i} left ${a.resource}${why ? `: ${reasonText(why)}` : ''}` });
      continue;
    }
    const why = rejectionOf(next, i, a.resource);
    if (why) {
      out.push({ intent: i, from: a.resource, fromProvider: a.provider, to: b.resource, toProvider: b.provider, reason: why, detail: `${a.resource} (${a.provider}) was rejected: ${reasonText(why)}` });
    } else {
      const old = (b.fallbacks || []).find((f) => f.resource === a.resource);
      const detail = old
        ? `${b.resource} costs ${b.cost.toFixed(4)} in weighted cost, ${a.resource} now ${old.cost.toFixed(4)} (was ${a.cost.toFixed(4)})`
        : `${b.resource} is now the better choice`;
      out.push({ intent: i, from: a.resource, fromProvider: a.provider, to: b.resource, toProvider: b.provider, reason: 'COST', detail });
    }
  }
  return out;
}

/** BASE_CSS: the components' shared look; hosts theme them with CSS custom properties. */
export const BASE_CSS = `
:host { display: block; font: var(--ceg-font, 13px/1.45 system-ui, sans-serif); color: var(--ceg-fg, #1d232b); }
:host([hidden]) { display: none; }
.muted { color: var(--ceg-muted, #5b6570); }
.ok { color: var(--ceg-ok, #17803d); }
.bad { color: var(--ceg-bad, #b42318); }
button { font: inherit; }
:focus-visible { outline: 2px solid var(--ceg-focus, #1f6feb); outline-offset: 2px; }
`;
