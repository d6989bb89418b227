/*
 * ceg-trace.mjs: <ceg-trace>, an audit trace as a list with its causal links
 * and the hash chain's verification.
 *
 *   const el = document.createElement('ceg-trace');
 *   el.verifier = ceg;                       // anything with verifyTrace(records) (the loaded binding)
 *   el.records = (await ceg.simulate({ graph, contract })).trace;
 *   el.addEventListener('ceg-select', (e) => console.log(e.detail.id));
 *
 * Each record shows its id, tick, event, actor, a link to its causal parent
 * and a summary of its data. When `verifier` is set, every new `records`
 * value is checked with `verifier.verifyTrace(records)` (trace.verify in the
 * module: SHA-256 hash chain and causal tree) and the result is shown above
 * the list; the first record that does not verify is marked (a ✖ and the
 * words "does not verify", not only a colour). A host can also set
 * `verification` ({valid, count, firstInvalid?, reason?}) itself. Clicking a
 * record or its parent link selects it and dispatches `ceg-select` with
 * `{id, record}`; the component fires `ceg-verified` with the result after
 * each check.
 */
import { BASE_CSS, h } from './shared.mjs';

const CSS = `${BASE_CSS}
.status { font-weight: 600; margin-bottom: .35rem; overflow-wrap: anywhere; }
ol { list-style: none; margin: 0; padding: 0; max-height: var(--ceg-trace-height, 420px); overflow: auto; border: 1px solid var(--ceg-border, #d5dae1); border-radius: 8px; background: var(--ceg-card, #fff); }
li { display: grid; grid-template-columns: 6.2em 3.2em 7.5em 1fr; gap: .1rem .5rem; padding: .2rem .5rem; border-bottom: 1px solid #eef0f3; cursor: pointer; }
li:focus-visible { outline: 2px solid var(--ceg-focus, #1f6feb); outline-offset: -2px; }
li.selected { background: var(--ceg-note, #eef4ff); }
li.tampered { background: #fde8e6; border-left: 4px solid var(--ceg-bad, #b42318); }
li.after { color: var(--ceg-muted, #5b6570); }
.id { font: 12px ui-monospace, monospace; }
.ev { font-weight: 600; }
.data { grid-column: 2 / -1; font: 12px ui-monospace, monospace; color: var(--ceg-muted, #5b6570); word-break: break-all; }
.parent { background: none; border: 0; padding: 0; color: var(--ceg-link, #1f5fbf); text-decoration: underline; cursor: pointer; font: 12px ui-monospace, monospace; }
.mark { color: var(--ceg-bad, #b42318); font-weight: 600; }
`;

function summary(data) {
  if (!data || typeof data !== 'object') return '';
  return Object.entries(data).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
}

/** CegTrace renders trace records (property `records`) and their verification. */
export class CegTrace extends HTMLElement {
  constructor() {
    super();
    this._records = [];
    this._verification = null;
    this._verifier = null;
    this._selected = '';
    this._seq = 0;
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.append(h('style', { textContent: CSS }),
      h('div', { className: 'status', part: 'status', role: 'status', 'aria-live': 'polite' }),
      h('ol', { part: 'list', 'aria-label': 'trace records' }));
    this._render();
  }

  /** The trace records ({id, tick, at, event, actor, causalParent, data, prevHash, hash}). */
  get records() { return this._records; }
  set records(r) {
    this._records = Array.isArray(r) ? r : [];
    this._verification = null;
    this._render();
    this._verify();
  }

  /** Anything with verifyTrace(records) -> {valid, count, firstInvalid?, reason?}, e.g. the loaded binding. */
  get verifier() { return this._verifier; }
  set verifier(v) { this._verifier = v || null; this._verify(); }

  /** The last verification result (null: not checked). */
  get verification() { return this._verification; }
  set verification(v) { this._verification = v || null; this._render(); }

  /** The selected record id ('' for none). */
  get selected() { return this._selected; }
  set selected(id) { this._selected = id || ''; this._render(); }

  /** verified resolves when the current records have been checked. */
  get verified() { return this._pending || Promise.resolve(this._verification); }

  _verify() {
    if (!this._verifier || typeof this._verifier.verifyTrace !== 'function') return;
    const seq = ++this._seq;
    const records = this._records;
    this._pending = (async () => {
      let v;
      try {
        v = await this._verifier.verifyTrace(records);
      } catch (e) {
        v = { valid: false, count: records.length, reason: `${e.code ? e.code + ': ' : ''}${e.message}` };
      }
      if (seq !== this._seq) return this._verification;
      this._verification = v;
      this._render();
      this.dispatchEvent(new CustomEvent('ceg-verified', { detail: v, bubbles: true, composed: true }));
      return v;
    })();
  }

  _select(id, focus) {
    this._selected = id;
    this._render();
    const li = this.shadowRoot.querySelector(`li[data-id="${CSS_escape(id)}"]`);
    if (li && focus) { li.focus(); li.scrollIntoView({ block: 'nearest' }); }
    const record = this._records.find((r) => r.id === id) || null;
    this.dispatchEvent(new CustomEvent('ceg-select', { detail: { id, record }, bubbles: true, composed: true }));
  }

  _render() {
    const status = this.shadowRoot.querySelector('.status');
    const list = this.shadowRoot.querySelector('ol');
    const v = this._verification;
    const bad = v && !v.valid && typeof v.firstInvalid === 'number' ? v.firstInvalid : -1;
    if (!this._records.length) status.replaceChildren(h('span', { className: 'muted' }, 'no trace records'));
    else if (!v) status.replaceChildren(h('span', { className: 'muted', 'data-valid': 'unknown' }, `${this._records.length} records (not verified)`));
    else if (v.valid) status.replaceChildren(h('span', { className: 'ok', 'data-valid': 'true' }, `\u2714 hash chain verifies: ${v.count} records`));
    else {
      const r = this._records[bad];
      status.replaceChildren(h('span', { className: 'bad', 'data-valid': 'false', 'data-first-invalid': String(bad) },
        `\u2716 does not verify at record ${bad >= 0 ? `#${bad}${r ? ` (${r.id})` : ''}` : '?'}: ${v.reason || 'hash mismatch'}`));
    }
    const items = this._records.map((r, i) => {
      const cls = [i === bad ? 'tampered' : '', bad >= 0 && i > bad ? 'after' : '', r.id === this._selected ? 'selected' : ''].filter(Boolean).join(' ');
      return h('li', {
        className: cls,
        tabIndex: 0,
        'data-id': r.id,
        'data-index': String(i),
        'data-tampered': i === bad ? 'true' : false,
        'aria-selected': r.id === this._selected ? 'true' : 'false',
        onclick: () => this._select(r.id, false),
        onkeydown: (e) => {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this._select(r.id, false); }
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const next = this._records[i + (e.key === 'ArrowDown' ? 1 : -1)];
            if (next) this._select(next.id, true);
          }
        },
      },
      h('span', { className: 'id' }, i === bad ? h('span', { className: 'mark' }, '\u2716 ') : '', r.id),
      h('span', { className: 'muted' }, `t${r.tick}`),
      h('span', { className: 'ev' }, r.event),
      h('span', {}, r.actor || '', r.causalParent ? [' \u2190 ', h('button', {
        type: 'button', className: 'parent', 'aria-label': `go to causal parent ${r.causalParent}`,
        onclick: (e) => { e.stopPropagation(); this._select(r.causalParent, true); },
      }, r.causalParent)] : ''),
      h('span', { className: 'data' }, i === bad ? h('span', { className: 'mark' }, 'does not verify \u2014 ') : '', summary(r.data)));
    });
    list.replaceChildren(...items);
  }
}

function CSS_escape(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

if (!customElements.get('ceg-trace')) customElements.define('ceg-trace', CegTrace);
