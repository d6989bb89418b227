'use strict';
// Run by gc.test.js as `node --expose-gc gc-child.js <sync|async|worker|off>`;
// prints one JSON line.
const { load, loadSync } = require('../../index.js');

const quiet = { stderr: () => {}, onRecreate: () => {} };
const DOC = { nodes: [{ id: 'r', kind: 'resource', provider: 'r', capabilities: ['chat'] }], edges: [] };

async function collect() {
  for (let i = 0; i < 6; i++) {
    global.gc();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function main(mode) {
  const ceg = mode === 'sync' || mode === 'off' ? loadSync({ ...quiet, autoFree: mode !== 'off' })
    : await load({ ...quiet, worker: mode === 'worker' });
  const kept = await ceg.graph(DOC);
  if (mode === 'off') {
    let limit = '';
    try {
      for (let i = 0; i < 300; i++) { await ceg.graph(DOC); if (i % 50 === 0) await collect(); }
    } catch (e) { limit = e.code; }
    return { limit, freed: ceg.autoFreed() };
  }
  // 300 graphs, never dropped: past the 256-handle limit only if the
  // collected ones are freed.
  let before = 0;
  let firstHandle = '';
  let firstSession = '';
  for (let i = 0; i < 300; i++) {
    const g = await ceg.graph(DOC);
    if (i === 0) firstHandle = g.handle;
    before++;
    if (i % 50 === 49) await collect();
  }
  for (let i = 0; i < 20; i++) {
    const s = await ceg.execute({ graph: DOC, contract: { id: 'c', intent: 'hi' } });
    if (i === 0) firstSession = s.id;
  }
  await collect();
  await collect();
  const code = async (method, params) => {
    try { await ceg.call(method, params); return 'ok'; } catch (e) { return e.code; }
  };
  const gone = { graph: await code('graph.query', { handle: firstHandle, query: 'snapshot' }), session: await code('exec.snapshot', { session: firstSession }) };
  const keptAlive = (await kept.snapshot()).nodes + (await kept.export()).nodes.length;
  const sameObject = ceg.openGraph(kept.handle) === kept;
  const freed = ceg.autoFreed();
  await kept.drop();
  if (ceg.close) await ceg.close();
  return { before, gone, keptAlive, freed, sameObject };
}

main(process.argv[2]).then((r) => { console.log(JSON.stringify(r)); }, (e) => { console.log(JSON.stringify({ error: String(e && e.stack) })); process.exitCode = 1; });
