/*
 * ceg-plan.mjs: <ceg-plan>, an execution plan as people read it.
 *
 *   const el = document.createElement('ceg-plan');
 *   el.plan = await ceg.optimize({ graph, contract });   // an ExecutionPlan
 *   el.previous = oldPlan;                                 // optional: show what moved and why
 *   el.addEventListener('ceg-select', (e) => console.log(e.detail.resource));
 *
 * Shows the plan's verdict (feasible or the infeasibility code in plain
 * words), its totals (money in USD, critical-path latency in ms), each step
 * by wave with money in USD, dilated latency, D and deadline in ms, its
 * failover chain (chosen resource, then fallbacks in order, each with money
 * and weighted cost), and every rejected candidate with its reason in plain
 * words. Clicking (or Enter on) a resource dispatches `ceg-select` with
 * `{resource, provider, step, intent}`. Property changes made in one task
 * are drawn once, in a microtask (before the browser paints); `rendered`
 * resolves when that is done.
 */
import { BASE_CSS, diffPlans, dfmt, h, morph, ms, reasonText, usd } from './shared.mjs';

const CSS = `${BASE_CSS}
.verdict { font-weight: 600; margin-bottom: .35rem; }
.totals { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin-bottom: .5rem; }
.totals b { font-variant-numeric: tabular-nums; }
.wave { margin: .5rem 0 .25rem; font-weight: 600; }
.step { border: 1px solid var(--ceg-border, #d5dae1); border-radius: 8px; padding: .5rem .65rem; margin: .35rem 0; background: var(--ceg-card, #fff); }
.step h4 { margin: 0 0 .3rem; font-size: 1em; }
.nums { display: flex; flex-wrap: wrap; gap: .15rem 1rem; font-variant-numeric: tabular-nums; }
ol.chain { list-style: none; margin: .4rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem; align-items: center; }
ol.chain li { display: contents; }
.res { border: 1px solid var(--ceg-border, #c9ced6); border-radius: 6px; padding: .2rem .5rem; background: var(--ceg-card, #fff); cursor: pointer; text-align: left; color: inherit; }
.res.chosen { border: 2px solid var(--ceg-ok, #17803d); font-weight: 600; }
.arrow { color: var(--ceg-muted, #5b6570); }
ul.rejected { margin: .35rem 0 0; padding-left: 1.1rem; }
ul.rejected li { color: var(--ceg-muted, #5b6570); }
code { font: 12px ui-monospace, monospace; }
.changes { border-left: 3px solid var(--ceg-focus, #1f6feb); padding: .25rem .6rem; margin: .4rem 0 .6rem; background: var(--ceg-note, #eef4ff); }
.changes ul { margin: .2rem 0 0; padding-left: 1.1rem; }
`;

/** CegPlan renders an ExecutionPlan (property `plan`) and, with `previous`, what changed. */
export class CegPlan extends HTMLElement {
  constructor() {
    super();
    this._plan = null;
    this._previous = null;
    this._pending = null;
    this.attachShadow({ mode: 'open' });
    const body = h('div', { part: 'body', className: 'body' });
    body.addEventListener('click', (e) => {
      const b = e.target.closest('button.res');
      if (b) this._select({ resource: b.dataset.resource, provider: b.dataset.provider, step: b.dataset.forStep, intent: b.dataset.forIntent });
    });
    this.shadowRoot.append(h('style', { textContent: CSS }), body);
    this._render();
  }

  /** The ExecutionPlan to show (null: nothing yet). */
  get plan() { return this._plan; }
  set plan(p) { this._plan = p || null; this._invalidate(); }

  /** An earlier plan: when set, the view lists what moved and why. */
  get previous() { return this._previous; }
  set previous(p) { this._previous = p || null; this._invalidate(); }

  /** rendered resolves once the latest property change is drawn. */
  get rendered() { return this._pending || Promise.resolve(); }

  /** _invalidate draws once after the current task's property changes (plan and previous set together draw once). */
  _invalidate() {
    if (this._pending) return;
    this._pending = Promise.resolve().then(() => {
      this._pending = null;
      this._render();
    });
  }

  /** changes is the diff between `previous` and `plan` (see diffPlans). */
  get changes() { return diffPlans(this._previous, this._plan); }

  _select(detail) {
    this.dispatchEvent(new CustomEvent('ceg-select', { detail, bubbles: true, composed: true }));
  }

  _resButton(step, r, chosen) {
    const label = `${r.resource} (${r.provider})`;
    // A click is read from these attributes by the body's one listener (the
    // view is morphed in place, so a button may show another resource later).
    return h('button', {
      type: 'button',
      className: chosen ? 'res chosen' : 'res',
      'data-resource': r.resource,
      'data-provider': r.provider,
      'data-for-step': step.id,
      'data-for-intent': step.intent,
      'aria-label': `${chosen ? 'chosen' : 'fallback'} ${label}, ${usd(r.estimatedCost)}`,
    }, chosen ? '\u2713 ' : '', label, ' ', h('span', { className: 'muted' }, `${usd(r.estimatedCost)} \u00b7 w ${r.cost.toFixed(4)}`));
  }

  _step(st) {
    const chain = h('ol', { className: 'chain', 'aria-label': `failover chain of ${st.intent}` });
    chain.append(h('li', {}, this._resButton(st, st, true)));
    for (const f of st.fallbacks || []) chain.append(h('li', {}, h('span', { className: 'arrow', 'aria-hidden': 'true' }, '\u2192'), this._resButton(st, f, false)));
    const rejected = (st.rejected || []).map((r) => h('li', { 'data-resource': r.resource, 'data-reason': r.reason },
      h('s', {}, `${r.resource} (${r.provider})`), `: ${reasonText(r.reason)} `, h('code', {}, r.reason), r.detail ? h('span', {}, ` \u2014 ${r.detail}`) : ''));
    const misses = (st.softMisses || []).length ? h('div', { className: 'muted' }, `soft constraints missed: ${st.softMisses.join(', ')}`) : '';
    return h('section', { className: 'step', 'data-step': st.id, 'data-intent': st.intent, 'data-resource': st.resource },
      h('h4', {}, `${st.intent} \u2192 ${st.resource} (${st.provider})`),
      h('div', { className: 'nums' },
        h('span', {}, 'money ', h('b', {}, usd(st.estimatedCost))),
        h('span', {}, 'latency ', h('b', {}, ms(st.dilatedLatencyMs)), h('span', { className: 'muted' }, ` (${ms(st.estimatedLatencyMs)} \u00d7 D ${dfmt(st.dilation)})`)),
        h('span', {}, 'deadline ', h('b', {}, ms(st.deadlineMs))),
        h('span', {}, 'weighted cost ', h('b', {}, st.cost.toFixed(4))),
        (st.dependsOn || []).length ? h('span', { className: 'muted' }, `after ${st.dependsOn.join(', ')}`) : ''),
      chain,
      rejected.length ? h('div', {}, h('div', { className: 'muted' }, `rejected (${rejected.length}):`), h('ul', { className: 'rejected' }, rejected)) : '',
      misses);
  }

  _infeasible(p) {
    const inf = p.infeasibility || {};
    const lists = (inf.candidates || []).map((c) => h('section', { className: 'step', 'data-intent': c.intent },
      h('h4', {}, `${c.intent}: rejected candidates`),
      h('ul', { className: 'rejected' }, (c.rejected || []).map((r) => h('li', { 'data-resource': r.resource, 'data-reason': r.reason },
        h('s', {}, `${r.resource} (${r.provider})`), `: ${reasonText(r.reason)} `, h('code', {}, r.reason), r.detail ? ` \u2014 ${r.detail}` : '')))));
    return [h('p', {}, inf.message || ''), ...lists];
  }

  _changes() {
    const list = this.changes;
    if (!this._previous) return '';
    if (!list.length) return h('div', { className: 'changes', part: 'changes', 'data-changes': '0' }, 'no change in the assignment');
    return h('div', { className: 'changes', part: 'changes', 'data-changes': String(list.length) },
      h('strong', {}, 'what changed'),
      h('ul', {}, list.map((c) => h('li', { 'data-reason': c.reason },
        c.intent ? `${c.intent}: ${c.from || '(none)'} \u2192 ${c.to || '(none)'} ` : '', h('code', {}, c.reason), ` \u2014 ${c.detail}`))));
  }

  _render() {
    const body = this.shadowRoot.querySelector('.body');
    const p = this._plan;
    const next = h('div', { part: 'body', className: 'body' });
    if (!p) next.append(h('div', { className: 'muted' }, 'no plan'));
    else {
      const inf = p.infeasibility || {};
      next.append(p.feasible
        ? h('div', { className: 'verdict ok', 'data-feasible': 'true' }, `\u2714 feasible${p.optimal ? ', optimal' : ', heuristic (not proven optimal)'}`)
        : h('div', { className: 'verdict bad', 'data-feasible': 'false' }, `\u2716 infeasible: ${reasonText(inf.code)} `, h('code', {}, inf.code || '')));
      next.append(h('div', { className: 'totals' },
        h('span', {}, 'total money ', h('b', {}, usd(p.totalCost))),
        h('span', {}, 'critical path ', h('b', {}, ms(p.totalLatencyMs))),
        h('span', {}, 'objective ', h('b', {}, (p.objective || 0).toFixed(4)), h('span', { className: 'muted' }, ' (weighted, no unit)')),
        h('span', { className: 'muted' }, `plan ${String(p.id || '').slice(0, 13)} \u00b7 explored ${p.explored ?? 0}`)));
      const changes = this._changes();
      if (changes) next.append(changes);
      if (!p.feasible) next.append(...this._infeasible(p));
      const waves = new Map();
      for (const st of p.steps || []) {
        if (!waves.has(st.wave)) waves.set(st.wave, []);
        waves.get(st.wave).push(st);
      }
      for (const w of [...waves.keys()].sort((a, b) => a - b)) {
        next.append(h('div', { className: 'wave' }, `wave ${w}`));
        for (const st of waves.get(w)) next.append(this._step(st));
      }
    }
    // The view is built afresh and morphed into the one shown: a re-plan
    // changes, lays out and paints only the text and elements that differ,
    // and a focused button keeps its focus.
    morph(body, next);
  }
}

if (!customElements.get('ceg-plan')) customElements.define('ceg-plan', CegPlan);
