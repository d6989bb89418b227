/*
 * ceg-graph.mjs: <ceg-graph>, a CEG graph drawn as SVG, laid out by dagre.
 *
 *   <script type="importmap">{"imports": {"@dagrejs/dagre": "/vendor/dagre.esm.js"}}</script>
 *   const el = document.createElement('ceg-graph');
 *   el.graph = doc;            // {nodes, edges}, or a Graph from ceg.graph(doc) (exported once)
 *   el.plan = plan;            // optional: the active plan is highlighted
 *   el.dilation = {gpt: 2.1};  // optional: D per node id, over the nodes' own `dilation`
 *   el.addEventListener('ceg-select', (e) => console.log(e.detail.id));
 *
 * Nodes are drawn by kind in shape and colour (intent: ellipse, resource:
 * rectangle, constraint: diamond, authority: hexagon, memory: cylinder,
 * trace: circle, projection: parallelogram; the kind is also written in the
 * node), filled with a heat colour for their D (blue < 1 < orange/red) and
 * labelled with the value. Edges are drawn by kind in colour and dash pattern
 * with the kind written at their middle. The plan's chosen resources and
 * intents get a thick outline and the words "in plan"; a resource the plan
 * rejected says "rejected".
 *
 * Layout: the graph is laid out by @dagrejs/dagre (an optional peer of the
 * package), which the component loads on first use. It is taken from, in
 * order: `CegGraph.useLayout(dagre)` (the module object, for hosts that bundle
 * it), the element's `layout-src` attribute (a URL of dagre's ESM build), or
 * the bare specifier `@dagrejs/dagre` resolved by the page's import map.
 * Without any of them the component shows an error saying so.
 *
 * Size: left to right, or top to bottom when that shrinks the drawing less
 * in the element's width and --ceg-graph-height; it shrinks to fit down to
 * MIN_SCALE and scrolls beyond, so its text stays readable.
 *
 * Drawing: setting `graph` draws it afresh (laid out again only when its
 * node ids, kinds or edges changed); `plan`, `dilation` and `selected`
 * update the drawn elements in place, touching only what changed.
 *
 * Events: `ceg-select` {id, node} on click or Enter/Space on a node;
 * `ceg-rendered` {nodes, edges, layoutMs} after every draw.
 */
import { BASE_CSS, dfmt, h, heat, s } from './shared.mjs';

/** KINDS: per node kind, its shape, outline colour and a short label. */
export const KINDS = Object.freeze({
  intent: { shape: 'ellipse', color: '#6d28d9', w: 150, h: 56 },
  resource: { shape: 'rect', color: '#0f766e', w: 150, h: 56 },
  constraint: { shape: 'diamond', color: '#b45309', w: 170, h: 70 },
  authority: { shape: 'hexagon', color: '#be123c', w: 160, h: 58 },
  memory: { shape: 'cylinder', color: '#1d4ed8', w: 150, h: 60 },
  trace: { shape: 'circle', color: '#52525b', w: 110, h: 56 },
  projection: { shape: 'parallelogram', color: '#4d7c0f', w: 160, h: 56 },
});

/** EDGES: per edge kind, its colour and dash pattern. */
export const EDGES = Object.freeze({
  requires: { color: '#1d232b', dash: '' },
  enables: { color: '#4b5563', dash: '6 4' },
  blocks: { color: '#b42318', dash: '2 3' },
  executes_on: { color: '#0f766e', dash: '' },
  transforms_into: { color: '#6d28d9', dash: '10 3 2 3' },
  observes: { color: '#64748b', dash: '1 4' },
  derives_from: { color: '#1d4ed8', dash: '4 2' },
  projects_to: { color: '#4d7c0f', dash: '8 3' },
  swaps_to: { color: '#b45309', dash: '3 3' },
});

const CSS = `${BASE_CSS}
.wrap { position: relative; border: 1px solid var(--ceg-border, #d5dae1); border-radius: 8px; background: var(--ceg-card, #fff); overflow: auto; max-height: calc(var(--ceg-graph-height, 520px) + 2px); }
svg.graph { display: block; margin: 0 auto; max-width: 100%; height: auto; max-height: var(--ceg-graph-height, 520px); }
g.node { cursor: pointer; }
g.node:focus { outline: none; }
g.node:focus-visible .shape, g.node.selected .shape { stroke: var(--ceg-focus, #1f6feb); stroke-width: 4; }
g.node text { font: 12px system-ui, sans-serif; fill: #1d232b; pointer-events: none; }
g.node text.kind { font-size: 10px; fill: #1d232b; text-transform: uppercase; letter-spacing: .04em; }
g.node.rejected .shape { stroke-dasharray: 5 3; opacity: .8; }
text.elabel { font: 10px system-ui, sans-serif; fill: #4b5563; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.legend { display: flex; flex-wrap: wrap; gap: .2rem .9rem; padding: .35rem .5rem; font-size: 12px; color: var(--ceg-muted, #5b6570); }
.legend svg { width: auto; height: 14px; display: inline; vertical-align: -2px; }
.error { padding: .75rem; color: var(--ceg-bad, #b42318); }
`;

let layoutModule = null;
let layoutPromise = null;

function shapeOf(kind, w, hh, attrs) {
  const x = -w / 2;
  const y = -hh / 2;
  switch (KINDS[kind] ? KINDS[kind].shape : 'rect') {
    case 'ellipse': return s('ellipse', { rx: w / 2, ry: hh / 2, ...attrs });
    case 'diamond': return s('polygon', { points: `0,${y} ${-x},0 0,${-y} ${x},0`, ...attrs });
    case 'hexagon': return s('polygon', { points: `${x + 14},${y} ${-x - 14},${y} ${-x},0 ${-x - 14},${-y} ${x + 14},${-y} ${x},0`, ...attrs });
    case 'cylinder': return s('path', { d: `M${x},${y + 7} a${w / 2},7 0 0,0 ${w},0 a${w / 2},7 0 0,0 ${-w},0 v${hh - 14} a${w / 2},7 0 0,0 ${w},0 v${-(hh - 14)}`, ...attrs });
    case 'circle': return s('ellipse', { rx: hh / 2 + 12, ry: hh / 2, ...attrs });
    case 'parallelogram': return s('polygon', { points: `${x + 14},${y} ${-x},${y} ${-x - 14},${-y} ${x},${-y}`, ...attrs });
    default: return s('rect', { x, y, width: w, height: hh, rx: 4, ...attrs });
  }
}

/** attr sets an attribute only when its value changes (no needless style work). */
function attr(el, k, v) {
  const sv = String(v);
  if (el.getAttribute(k) !== sv) el.setAttribute(k, sv);
}

/** text sets an element's text only when it changes. */
function text(el, t) {
  if (el.textContent !== t) el.textContent = t;
}

/**
 * MIN_SCALE: the drawing shrinks to fit the element down to this scale, so
 * its smallest text (10px) stays at 9px or more; a larger graph scrolls.
 */
const MIN_SCALE = 0.9;

/** fitScale is the scale at which layout fits box (at most 1). */
function fitScale(layout, box) {
  return Math.min(1, box.width / layout.width, box.height / layout.height);
}

function clip(t, n) {
  t = String(t);
  return t.length > n ? `${t.slice(0, n - 1)}\u2026` : t;
}

/** CegGraph draws a CEG graph (property `graph`) with an optional plan highlighted. */
export class CegGraph extends HTMLElement {
  /**
   * useLayout hands the component the dagre module (`import * as dagre from
   * '@dagrejs/dagre'` or its default export) for hosts that bundle it.
   */
  static useLayout(dagre) {
    layoutModule = dagre && dagre.layout ? dagre : dagre && dagre.default;
    layoutPromise = null;
  }

  constructor() {
    super();
    this._doc = null;
    this._plan = null;
    this._dilation = null;
    this._selected = '';
    this._layoutKey = '';
    this._layout = null;
    this._built = null; // the SVG of the last graph and layout, with its elements by node and edge
    this._seq = 0;
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.append(h('style', { textContent: CSS }), h('div', { className: 'wrap', part: 'canvas' }), h('div', { className: 'legend', part: 'legend' }));
    this._legend();
    this._ready = Promise.resolve();
  }

  /** The graph: a document {nodes, edges} or a Graph handle (its export() is called). */
  get graph() { return this._doc; }
  set graph(g) {
    if (g && typeof g.export === 'function' && !Array.isArray(g.nodes)) {
      const seq = ++this._seq;
      this._ready = Promise.resolve(g.export()).then((doc) => { if (seq === this._seq) { this._doc = doc; this._built = null; return this._draw(); } });
      return;
    }
    this._seq++;
    this._doc = g || null;
    this._built = null; // a graph set again is drawn afresh (its node fields may have changed)
    this._schedule();
  }

  /** The plan to highlight (null: none). */
  get plan() { return this._plan; }
  set plan(p) { this._plan = p || null; this._schedule(); }

  /** D per node id ({id: number}); overrides each node's own `dilation`. */
  get dilation() { return this._dilation; }
  set dilation(d) { this._dilation = d || null; this._schedule(); }

  /** The selected node id ('' for none). */
  get selected() { return this._selected; }
  set selected(id) { this._selected = id || ''; this._schedule(); }

  /** ready resolves after the latest change is drawn. */
  get ready() { return this._ready; }

  _schedule() {
    this._ready = this._ready.then(() => this._draw(), () => this._draw());
  }

  async _dagre() {
    if (layoutModule) return layoutModule;
    if (!layoutPromise) {
      const src = this.getAttribute('layout-src') || '@dagrejs/dagre';
      layoutPromise = import(/* webpackIgnore: true */ src).then((m) => {
        const d = m && m.layout ? m : m && m.default;
        if (!d || typeof d.layout !== 'function') throw new Error(`${src} is not dagre`);
        layoutModule = d;
        return d;
      }, (e) => {
        layoutPromise = null;
        throw new Error(`cannot load the layout library @dagrejs/dagre (${e.message}); map it in an import map, set layout-src, or call CegGraph.useLayout(dagre)`);
      });
    }
    return layoutPromise;
  }

  _structureKey(doc) {
    return JSON.stringify([doc.nodes.map((n) => [n.id, n.kind]), (doc.edges || []).map((e) => [e.from, e.to, e.kind])]);
  }

  async _positions(doc) {
    const key = this._structureKey(doc);
    if (key === this._layoutKey && this._layout) return { layout: this._layout, ms: 0 };
    const dagre = await this._dagre();
    const t0 = performance.now();
    // Left to right, unless top to bottom fits the element better (it shrinks
    // the drawing less): the one whose text stays larger is kept.
    const box = this._box();
    let layout = this._layoutOnce(dagre, doc, 'LR');
    if (box && fitScale(layout, box) < MIN_SCALE) {
      const tb = this._layoutOnce(dagre, doc, 'TB');
      if (fitScale(tb, box) > fitScale(layout, box)) layout = tb;
    }
    this._layout = layout;
    this._layoutKey = key;
    return { layout, ms: performance.now() - t0 };
  }

  /** _box is the room for the drawing: the element's inner width and --ceg-graph-height, or null while it is not laid out. */
  _box() {
    const wrap = this.shadowRoot.querySelector('.wrap');
    const width = wrap ? wrap.clientWidth : 0;
    if (!width) return null;
    const height = parseFloat(getComputedStyle(this).getPropertyValue('--ceg-graph-height')) || 520;
    return { width, height };
  }

  _layoutOnce(dagre, doc, rankdir) {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir, nodesep: 16, ranksep: 70, edgesep: 12, marginx: 12, marginy: 12 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of doc.nodes) {
      const k = KINDS[n.kind] || KINDS.resource;
      g.setNode(n.id, { width: k.w, height: k.h });
    }
    for (const e of doc.edges || []) {
      if (g.hasNode(e.from) && g.hasNode(e.to)) g.setEdge(e.from, e.to, { width: 60, height: 12, labelpos: 'c' }, `${e.kind}`);
    }
    dagre.layout(g);
    const nodes = new Map(g.nodes().map((id) => [id, g.node(id)]));
    const edges = new Map(g.edges().map((e) => [`${e.v}\u0000${e.w}\u0000${e.name}`, g.edge(e)]));
    const gg = g.graph();
    return { rankdir, nodes, edges, width: gg.width || 100, height: gg.height || 100 };
  }

  _planMarks() {
    const inPlan = new Set();
    const rejected = new Set();
    const chosenEdges = new Set();
    const p = this._plan;
    if (p) {
      for (const st of p.steps || []) {
        inPlan.add(st.resource);
        inPlan.add(st.intent);
        chosenEdges.add(`${st.intent}\u0000${st.resource}`);
        for (const r of st.rejected || []) rejected.add(r.resource);
      }
      for (const c of (p.infeasibility && p.infeasibility.candidates) || []) for (const r of c.rejected || []) rejected.add(r.resource);
    }
    return { inPlan, rejected, chosenEdges };
  }

  _select(id) {
    this._selected = id;
    for (const g of this.shadowRoot.querySelectorAll('g.node')) g.classList.toggle('selected', g.dataset.id === id);
    const node = this._doc && this._doc.nodes.find((n) => n.id === id);
    this.dispatchEvent(new CustomEvent('ceg-select', { detail: { id, node: node || null }, bubbles: true, composed: true }));
  }

  async _draw() {
    const wrap = this.shadowRoot.querySelector('.wrap');
    const doc = this._doc;
    if (!doc || !Array.isArray(doc.nodes)) { this._built = null; wrap.replaceChildren(h('div', { className: 'muted error' }, 'no graph')); return; }
    let pos;
    try {
      pos = await this._positions(doc);
    } catch (e) {
      this._built = null;
      wrap.replaceChildren(h('div', { className: 'error', role: 'alert' }, e.message));
      return;
    }
    // The SVG is built once per graph and layout; a new plan, D or selection
    // only updates the attributes and words that changed (no re-layout, no
    // new elements), which keeps a what-if redraw within a frame.
    const b = this._built;
    if (!b || b.doc !== doc || b.layout !== pos.layout) this._build(doc, pos.layout, wrap);
    this._mark();
    this.dispatchEvent(new CustomEvent('ceg-rendered', { detail: { nodes: this._built.nodes.length, edges: this._built.edges.length, layoutMs: pos.ms } }));
  }

  /** _build makes the SVG of doc at layout: shapes, edges and text, with no plan marks. */
  _build(doc, layout, wrap) {
    const defs = s('defs', {}, Object.entries(EDGES).map(([k, v]) => s('marker', { id: `arrow-${k}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 10, markerHeight: 10, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', fill: v.color }))));
    const edges = [];
    for (const e of doc.edges || []) {
      const pt = layout.edges.get(`${e.from}\u0000${e.to}\u0000${e.kind}`);
      if (!pt || !pt.points) continue;
      const st = EDGES[e.kind] || EDGES.requires;
      const d = pt.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
      const path = s('path', { d, fill: 'none', stroke: st.color, 'stroke-width': 1.5, 'stroke-dasharray': st.dash || undefined, 'marker-end': `url(#arrow-${e.kind})` });
      const label = typeof pt.x === 'number' ? s('text', { class: 'elabel', x: pt.x, y: pt.y + 3, 'text-anchor': 'middle' }, e.kind) : null;
      const el = s('g', { class: 'edge', 'data-from': e.from, 'data-to': e.to, 'data-kind': e.kind },
        s('title', {}, `${e.from} ${e.kind} ${e.to}`), path, label);
      edges.push({ e, el, path, label });
    }
    const nodes = [];
    for (const n of doc.nodes) {
      const p = layout.nodes.get(n.id);
      if (!p) continue;
      const k = KINDS[n.kind] || KINDS.resource;
      const sub = n.kind === 'resource' && n.provider ? n.provider : n.kind === 'constraint' ? (n.severity || 'hard') : '';
      const title = s('title');
      const shape = shapeOf(n.kind, k.w, k.h, { class: 'shape' });
      const kind = s('text', { class: 'kind', y: -k.h / 2 + 13, 'text-anchor': 'middle' });
      const name = s('text', { y: 3, 'text-anchor': 'middle' }, clip(sub ? `${n.id} (${sub})` : n.id, 22));
      const dText = s('text', { y: k.h / 2 - 7, 'text-anchor': 'middle' });
      const g = s('g', {
        transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`,
        tabindex: 0, role: 'button', 'data-id': n.id, 'data-kind': n.kind,
      }, title, shape, kind, name, dText);
      g.addEventListener('click', () => this._select(n.id));
      g.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); this._select(n.id); } });
      nodes.push({ n, k, sub, g, title, shape, kind, name, dText });
    }
    const w = Math.ceil(layout.width);
    const hh = Math.ceil(layout.height);
    // It shrinks to fit, but not below MIN_SCALE (the box scrolls instead).
    const svg = s('svg', { class: 'graph', viewBox: `0 0 ${w} ${hh}`, role: 'group', 'aria-label': `graph of ${doc.nodes.length} nodes and ${(doc.edges || []).length} edges`, width: w, height: hh,
      style: `min-width:${Math.ceil(w * MIN_SCALE)}px;min-height:${Math.ceil(hh * MIN_SCALE)}px` },
      defs, s('g', { class: 'edges' }, edges.map((x) => x.el)), s('g', { class: 'nodes' }, nodes.map((x) => x.g)));
    wrap.replaceChildren(svg);
    this._built = { doc, layout, nodes, edges };
  }

  /** _mark puts the plan, D and selection on the built SVG, touching only what changed. */
  _mark() {
    const { inPlan, rejected, chosenEdges } = this._planMarks();
    for (const { e, path, label } of this._built.edges) {
      const chosen = e.kind === 'executes_on' && chosenEdges.has(`${e.from}\u0000${e.to}`);
      attr(path, 'stroke-width', chosen ? 4 : 1.5);
      if (label) text(label, chosen ? `${e.kind} \u2714` : e.kind);
    }
    for (const x of this._built.nodes) {
      const { n, k, sub } = x;
      const dv = this._dilation && typeof this._dilation[n.id] === 'number' ? this._dilation[n.id] : (typeof n.dilation === 'number' ? n.dilation : 1);
      const planned = inPlan.has(n.id);
      const rej = !planned && rejected.has(n.id);
      const status = planned ? 'in plan' : rej ? 'rejected' : '';
      const label = `${n.kind} ${n.id}${sub ? ` (${sub})` : ''}, D ${dfmt(dv)}${status ? `, ${status}` : ''}`;
      attr(x.g, 'class', `node${planned ? ' planned' : ''}${rej ? ' rejected' : ''}${n.id === this._selected ? ' selected' : ''}`);
      attr(x.g, 'aria-label', label);
      attr(x.g, 'data-d', dfmt(dv));
      attr(x.g, 'data-status', status || 'none');
      text(x.title, label);
      attr(x.shape, 'fill', heat(dv));
      attr(x.shape, 'stroke', planned ? '#111827' : k.color);
      attr(x.shape, 'stroke-width', planned ? 4 : 2);
      text(x.kind, `${KINDS[n.kind] ? n.kind : '?'}${status ? ` \u00b7 ${planned ? '\u25b6 ' : '\u2716 '}${status}` : ''}`);
      attr(x.name, 'font-weight', planned ? 700 : 400);
      text(x.dText, `D ${dfmt(dv)}`);
    }
  }

  _legend() {
    const items = Object.entries(KINDS).map(([kind, k]) => h('span', {},
      s('svg', { viewBox: `${-k.w / 2 - 2} ${-k.h / 2 - 2} ${k.w + 4} ${k.h + 4}`, width: 28, height: 14, 'aria-hidden': 'true' }, shapeOf(kind, k.w, k.h, { fill: '#fff', stroke: k.color, 'stroke-width': 6 })), ` ${kind}`));
    const edges = Object.entries(EDGES).map(([kind, e]) => h('span', {},
      s('svg', { viewBox: '0 0 30 10', width: 30, height: 10, 'aria-hidden': 'true' }, s('line', { x1: 0, y1: 5, x2: 30, y2: 5, stroke: e.color, 'stroke-width': 2, 'stroke-dasharray': e.dash || undefined })), ` ${kind}`));
    const scale = h('span', {}, 'D: ', ...[0.1, 0.5, 1, 2, 5].map((d) => h('span', { style: `background:${heat(d)};color:#1d232b;padding:0 .3rem;border:1px solid #d5dae1` }, String(d))), ' (below 1 fast-tracked, above 1 slowed)');
    this.shadowRoot.querySelector('.legend').replaceChildren(...items, ...edges, scale);
  }
}

if (!customElements.get('ceg-graph')) customElements.define('ceg-graph', CegGraph);
