'use strict';
// dilation / dilationFromHealth / grounding / estimate against the formulas
// of docs/DESIGN.md#dilation-field and #grounding, written out independently
// here.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync } = require('../index.js');

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** D(u, p, c, x) per docs/DESIGN.md#dilation-field. */
function refDilation(u, p, c, x = 0) {
  [u, p, c, x] = [u, p, c, x].map((v) => clamp(v, 0, 1));
  const d = clamp((1 + u) / ((1 + c) * (1 + p)), 0.1, 5);
  return clamp((1 - x) * d + x * 0.1, 0.1, 5);
}

function refFromHealth(health, ratio) {
  const u = 1 - health;
  const p = Math.max(0, 1 - 1 / Math.max(ratio, 0.01));
  const c = health * Math.max(0, 1 - Math.abs(ratio - 1));
  return refDilation(u, p, c, 0);
}

function refGrounding(d, base = 5, minSources = 2) {
  if (d <= 1) return { fetchExternal: d > 0.5, maxResults: base, minSources, deepMode: false };
  return { fetchExternal: true, maxResults: Math.round(base * d), minSources: minSources + (d >= 3 ? 1 : 0), deepMode: d >= 3 };
}

// The module rounds every D to 12 significant digits (canonical precision).
const close = (got, want, what) => assert.ok(Math.abs(got - want) <= 1e-11 * Math.max(1, Math.abs(want)), `${what}: got ${got}, want ${want}`);

test('dilation matches the formula over a grid, clamping included', () => {
  const s = loadSync();
  const vals = [-0.5, 0, 0.2, 0.5, 0.9, 1, 1.7];
  for (const u of vals) for (const p of vals) for (const c of [0, 0.5, 1]) for (const x of [0, 0.25, 1]) {
    close(s.dilation({ uncertainty: u, costPressure: p, confidence: c, collapseProximity: x }), refDilation(u, p, c, x), `D(${u},${p},${c},${x})`);
  }
  close(s.dilation({ uncertainty: 0.5, costPressure: 0.2, confidence: 0.3 }), refDilation(0.5, 0.2, 0.3), 'collapseProximity defaults to 0');
});

test('dilation requires its inputs', () => {
  assert.throws(() => loadSync().dilation({ uncertainty: 0.5, costPressure: 0.2 }), (e) => e.code === 'INVALID_PARAMS' && e.path === 'confidence');
});

test('dilationFromHealth matches the formula', () => {
  const s = loadSync();
  for (const h of [0, 0.3, 0.8, 1]) for (const r of [0.001, 0.5, 1, 1.5, 3]) {
    close(s.dilationFromHealth(h, r), refFromHealth(h, r), `fromHealth(${h},${r})`);
  }
});

test('grounding matches the policy, with default and custom bases', async () => {
  const s = loadSync();
  for (const d of [0.1, 0.5, 0.51, 1, 1.01, 2, 2.5, 3, 4.99, 5]) {
    assert.deepEqual(s.grounding(d), refGrounding(d), `grounding(${d})`);
    assert.deepEqual(s.grounding(d, { baseMaxResults: 8, baseMinSources: 4 }), refGrounding(d, 8, 4), `grounding(${d}, 8, 4)`);
  }
  const a = await load();
  assert.deepEqual(await a.grounding(3), refGrounding(3));
});

test('estimate scores chat messages per docs/DESIGN.md#estimate', () => {
  const s = loadSync();
  const cases = [
    ['hello there', 0.3],
    ['what is the latest news', 0.6], // fresh facts
    ['compare rust versus go', 0.5], // analytical
    ['not sure this is right, can you verify', 0.5], // unsure
    ['why? really??', 0.6], // analytical + two question marks
    ['prices in 2025 vs 2024 — why?? not sure', 1], // everything, capped at 1
    ['x'.repeat(300), 0.4], // long
  ];
  for (const [text, u] of cases) {
    const r = s.estimate(text);
    close(r.uncertainty, u, `uncertainty of ${JSON.stringify(text.slice(0, 40))}`);
    close(r.d, refDilation(u, 0, 0.5, 0), `d of ${JSON.stringify(text.slice(0, 40))}`);
  }
});

test('estimate matches whole words only, case-insensitively', () => {
  const s = loadSync();
  close(s.estimate('NEWS').uncertainty, 0.6, 'NEWS');
  close(s.estimate('newsletter signup').uncertainty, 0.3, 'newsletter is not news');
});
