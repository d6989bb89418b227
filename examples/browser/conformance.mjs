/*
 * conformance.mjs: the conformance page (conformance.html), a test page of its own.
 *
 * Loads the module through the browser entry of the binding, shows its
 * version, plans a sample chat turn and draws the failover chain, and runs
 * the shared conformance corpus (each vector on a fresh instance, response
 * bytes compared exactly with the same conformance.js the Node tests use).
 * The outcome is left in window.__cegResult for the headless test runner.
 */
import { load } from '../../bindings/js/browser.mjs';
import '../../bindings/js/test/conformance.js';

const conformance = globalThis[Symbol.for('@convergence-io/ceg/modules')].conformance;
const WASM_URL = new URL('../../bindings/js/ceg.wasm', import.meta.url);
const TRAP = Symbol.for('@convergence-io/ceg/debugTrap');

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  Object.assign(e, attrs);
  e.append(...kids);
  return e;
};

const SAMPLE = {
  graph: {
    nodes: [
      { id: 'turn', kind: 'intent', text: 'what is new today?', capabilities: ['chat'], tokens: 1000 },
      { id: 'fast', kind: 'resource', resourceKind: 'llm', provider: 'alpha', capabilities: ['chat'], costPerToken: 0.000001, latencyTargetMs: 800 },
      { id: 'mid', kind: 'resource', resourceKind: 'llm', provider: 'beta', capabilities: ['chat'], costPerToken: 0.000004, latencyTargetMs: 1500 },
      { id: 'slow', kind: 'resource', resourceKind: 'llm', provider: 'gamma', capabilities: ['chat'], costPerToken: 0.00001, latencyTargetMs: 4000 },
      { id: 'banned', kind: 'resource', resourceKind: 'llm', provider: 'delta', capabilities: ['chat'], costPerToken: 0.0000005 },
    ],
    edges: ['fast', 'mid', 'slow', 'banned'].map((to) => ({ from: 'turn', to, kind: 'executes_on' })),
  },
  contract: { id: 'sample-turn', forbiddenProviders: ['delta'] },
};

/** renderPlan draws the chosen resource, its fallbacks and the rejections. */
async function renderPlan(ceg) {
  const box = $('plan');
  const plan = await ceg.optimize(SAMPLE);
  box.replaceChildren();
  box.classList.remove('muted');
  for (const s of plan.steps) {
    const chain = el('div', { className: 'chain' }, el('strong', { textContent: `${s.intent}:` }));
    chain.append(el('span', { className: 'res chosen', textContent: `${s.resource} (${s.provider}) ${s.estimatedCost.toFixed(4)} USD, weighted cost ${s.cost.toFixed(4)}` }));
    for (const f of s.fallbacks) chain.append('→', el('span', { className: 'res', textContent: `${f.resource} (${f.provider}) ${f.estimatedCost.toFixed(4)} USD, weighted cost ${f.cost.toFixed(4)}` }));
    for (const r of s.rejected) chain.append(el('span', { className: 'res rejected', textContent: `${r.resource}: ${r.reason}${r.detail ? ` (${r.detail})` : ''}` }));
    box.append(chain);
  }
  box.append(el('div', { className: 'muted', textContent: `plan ${plan.id.slice(0, 12)}… feasible=${plan.feasible} optimal=${plan.optimal} total ${plan.totalCost.toFixed(5)} USD, ${Math.round(plan.totalLatencyMs)} ms` }));
  // The exact bytes too, so the runner can check them against Node's (docs/DESIGN.md#invariants).
  const request = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'plan.optimize', params: SAMPLE });
  return { feasible: plan.feasible, request, response: await ceg.callRaw(request) };
}

/** loadVectors fetches the corpus index and every vector file. */
async function loadVectors() {
  const index = await (await fetch('/conformance/index.json')).json();
  return Promise.all(index.files.map(async (url) => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return conformance.parseVector(await res.text(), url.split('/').pop());
  }));
}

function showVector(r) {
  $('vectors').append(el('tr', {},
    el('td', { textContent: r.name }),
    el('td', { className: r.ok ? 'pass' : 'fail', textContent: r.ok ? 'pass' : 'FAIL' }),
    el('td', { className: 'detail', textContent: r.detail })));
}

/** checks exercises what the corpus does not: worker mode and trap recovery. */
async function checks(module) {
  const out = [];
  const check = async (name, fn) => {
    try {
      await fn();
      out.push({ name, ok: true, detail: '' });
    } catch (e) {
      out.push({ name, ok: false, detail: `${e.code ? e.code + ': ' : ''}${e.message}` });
    }
  };
  const probe = [
    '{"jsonrpc":"2.0","id":1,"method":"version","params":{}}',
    '{"jsonrpc":"2.0","id":2,"method":"dilation.estimate","params":{"text":"latest news vs yesterday??"}}',
    '{"jsonrpc":"2.0","id":3,"method":"graph.create","params":{"graph":{"nodes":[{"id":"a","kind":"intent"}],"edges":[]}}}',
  ];
  await check('load() with no wasm option fetches ceg.wasm next to the binding', async () => {
    const ceg = await load();
    if ((await ceg.version()).abi !== '1.0') throw new Error('no version');
    const byUrl = await load({ wasm: WASM_URL.href, worker: true });
    try {
      if ((await byUrl.version()).abi !== '1.0') throw new Error('no version from the worker');
    } finally {
      await byUrl.close();
    }
  });
  await check('worker mode answers byte-identically', async () => {
    const here = await load({ wasm: module, epoch: false }); // plain ids: two instances compared byte for byte
    const there = await load({ wasm: module, worker: true, epoch: false });
    try {
      if (!there.worker) throw new Error('not in a worker');
      for (const req of probe) {
        const [a, b] = [await here.callRaw(req), await there.callRaw(req)];
        if (a !== b) throw new Error(`differs for ${req}:\n${a}\n${b}`);
      }
    } finally {
      await there.close();
    }
  });
  await check('warmup runs on a throwaway instance: the loaded one is pristine; bad values are refused', async () => {
    const warm = await load({ wasm: module, epoch: false, warmup: 20 });
    const cold = await load({ wasm: module, epoch: false });
    for (const req of probe) {
      const [a, b] = [await warm.callRaw(req), await cold.callRaw(req)];
      if (a !== b) throw new Error(`differs for ${req}:\n${a}\n${b}`); // graph.create answers g1 in both
    }
    for (const [bad, why] of [[{ warmup: 'yes' }, 'a string'], [{ warmup: -1 }, 'a negative count'], [{ warmup: 5, worker: true }, 'worker mode']]) {
      let e = null;
      try { await load({ wasm: module, ...bad }); } catch (x) { e = x; }
      if (!e || e.code !== 'INVALID_OPTIONS' || e.path !== 'warmup') throw new Error(`${why}: want INVALID_OPTIONS at warmup, got ${e ? e.code + ' ' + e.path : 'no error'}`);
    }
  });
  await check('a trapped instance is replaced and the next call works', async () => {
    const seen = [];
    const ceg = await load({ wasm: module, onRecreate: (i) => seen.push(i), stderr: () => {} });
    let code = '';
    try { await ceg[TRAP](); } catch (e) { code = e.code; }
    if (code !== 'INSTANCE_TRAPPED') throw new Error(`want INSTANCE_TRAPPED, got ${code || 'no error'}`);
    if (seen.length !== 1) throw new Error(`want one recreation report, got ${seen.length}`);
    if ((await ceg.version()).abi !== '1.0') throw new Error('the fresh instance does not answer');
  });
  return out;
}

async function main() {
  const module = await WebAssembly.compileStreaming(fetch(WASM_URL));
  const ceg = await load({ wasm: module });
  const version = await ceg.version();
  $('version').textContent = `module ${version.module}, ABI ${version.abi}, built with ${version.go}; memory ${(await ceg.memoryBytes() / 1048576).toFixed(1)} MiB`;
  const plan = await renderPlan(ceg);

  const vectors = await loadVectors();
  const run = await conformance.runAll(vectors, async () => {
    const fresh = await load({ wasm: module, epoch: false, stderr: () => {} }); // plain ids: the vectors compare bytes
    return { callRaw: fresh.callRaw, close: fresh.close };
  });
  run.results.forEach(showVector);
  const extra = await checks(module);
  for (const c of extra) showVector({ name: `check: ${c.name}`, ok: c.ok, detail: c.detail });
  const failed = run.failed + extra.filter((c) => !c.ok).length;
  $('summary').textContent = `${run.passed} of ${vectors.length} vectors passed; ${extra.filter((c) => c.ok).length} of ${extra.length} checks passed`;
  $('summary').className = `summary ${failed ? 'fail' : 'pass'}`;
  return {
    version,
    plan,
    vectors: run.results.map((r) => ({ file: r.file, name: r.name, ok: r.ok, got: r.got, detail: r.detail })),
    checks: extra,
  };
}

main().then((result) => { window.__cegResult = result; }, (e) => {
  $('summary').textContent = `error: ${e.message}`;
  $('summary').className = 'summary fail';
  window.__cegResult = { error: `${e.code ? e.code + ': ' : ''}${e.message}\n${e.stack || ''}` };
});
