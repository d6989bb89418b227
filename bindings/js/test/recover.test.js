'use strict';
// Opt-in re-creation after a trap (issue 9, item 1: "or re-creates it from
// a kept snapshot where the host opted in"). With load({recover:
// 'snapshot'}) the binding keeps a graph's document and the ops applied
// since, and a session's snapshot after every turn; an object whose
// instance trapped is re-created in the new instance on its next call and
// goes on exactly as an object that never saw the trap. Default: the
// objects answer INSTANCE_LOST (instance-lost.test.js). Checked in sync,
// async and worker modes.

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, loadSync } = require('../index.js');
const { quiet } = require('./helpers/quiet.js');

const { TWO_PROVIDERS: DOC, TWO_PROVIDERS_CONTRACT: CONTRACT, TRAP } = require('./helpers/graphs.js');

/** failed reports every dispatch of a turn as an error, so the session needs several turns. */
const failed = (turn) => turn.actions.filter((a) => a.type === 'dispatch').map((a) => ({ step: a.step, attempt: a.attempt, status: 'error' }));
const ok = (turn) => turn.actions.filter((a) => a.type === 'dispatch').map((a) => ({ step: a.step, attempt: a.attempt, status: 'ok', latencyMs: 120, cost: 0.001 }));
/** view is what must match between the trapped and the untouched run (ids and hashes carry the epoch). */
const view = (turn) => JSON.stringify({ tick: turn.tick, status: turn.status, actions: turn.actions, events: turn.events.map((e) => [e.id, e.event, e.actor.replace(/\.[0-9a-f]{12}$/, ''), e.tick]) });

/** run drives a graph and a session, trapping where trap says; it returns what it saw. */
async function run(ceg, trap) {
  const seen = [];
  const g = await ceg.graph(DOC);
  await g.addNode({ id: 'backup', kind: 'resource', provider: 'backup', capabilities: ['chat'], costPerToken: 3e-6 });
  await g.apply([{ op: 'addEdge', edge: { from: 'fast', to: 'backup', kind: 'swaps_to' } }, { op: 'advanceTick' }]);
  await trap('after the graph changed');
  seen.push(JSON.stringify(await g.export()));
  const s = await ceg.execute({ graph: g, contract: CONTRACT });
  seen.push(view(s));
  await trap('after start');
  seen.push(view(await s.report(1000, failed(s))));
  await trap('between turns');
  seen.push(view(await s.report(2000, ok(s))));
  seen.push(s.status, s.traceCount);
  seen.push(JSON.stringify((await ceg.verifyTrace((await s.exportGraph()).nodes.filter((n) => n.kind === 'trace').map(record), { expectHead: s.traceHead, expectCount: s.traceCount }))));
  await s.close();
  await g.drop();
  return seen;
}

/** record turns an exported trace node back into a trace record. */
function record(n) {
  return { id: n.id, tick: n.tick, at: n.at, event: n.event, actor: n.actor, causalParent: n.causalParent, data: n.meta, prevHash: n.prevHash, hash: n.hash };
}

async function scenario(make, trapOf) {
  const reference = await run(await make({}), async () => {});
  const { options, log } = quiet();
  const ceg = await make({ recover: 'snapshot', ...options });
  const traps = [];
  const got = await run(ceg, async (where) => {
    traps.push(where);
    await trapOf(ceg);
  });
  assert.deepEqual(got, reference, 'the re-created objects went on as if nothing happened');
  assert.equal(log.recreated.length, 3);
  assert.equal(ceg.recovered(), 3, 'the graph once, the session after each of its two traps (a lost graph is dropped without re-creating it)');
  assert.equal((await ceg.listGraphs()).graphs.length, 0, 'nothing left behind');
  assert.equal((await ceg.listSessions()).sessions.length, 0);
}

test('loadSync recover: snapshot: graphs and sessions are re-created after traps', async () => {
  await scenario((o) => loadSync({ ...quiet().options, ...o }), (ceg) => assert.throws(() => ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('load recover: snapshot: the same with Promise helpers', async () => {
  await scenario((o) => load({ ...quiet().options, ...o }), (ceg) => assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('worker recover: snapshot: the same in a worker', async (t) => {
  const made = [];
  t.after(() => Promise.all(made.map((c) => c.close())));
  await scenario(async (o) => { const c = await load({ worker: true, ...quiet().options, ...o }); made.push(c); return c; },
    (ceg) => assert.rejects(ceg[TRAP](), (e) => e.code === 'INSTANCE_TRAPPED'));
});

test('recover: a report after a trap reaches the re-created session; debug.panic and dropping a lost graph re-create nothing', () => {
  const ceg = loadSync({ recover: 'snapshot', ...quiet().options });
  const ref = loadSync(quiet().options);
  const s = ceg.execute({ graph: DOC, contract: CONTRACT });
  const r = ref.execute({ graph: DOC, contract: CONTRACT });
  assert.throws(() => ceg[TRAP]());
  // The report is sent to the re-created session: the same answer.
  assert.equal(view(s.report(1000, failed(s))), view(r.report(1000, failed(r))));
  assert.equal(s.traceHead.length, 64);
  // debug.panic is recovered inside the module: nothing is re-created.
  assert.throws(() => ceg.call('debug.panic'), (e) => e.code === 'INTERNAL');
  assert.equal(s.lost, false);
  assert.equal(ceg.recovered(), 1);
  // Dropping a lost object needs no module and re-creates nothing.
  const g = ceg.graph(DOC);
  assert.throws(() => ceg[TRAP]());
  assert.equal(g.drop(), true);
  assert.equal(ceg.recovered(), 1, 'the session was not touched again and the graph not re-created');
  assert.equal(ceg.listGraphs().graphs.length, 0);
});

test('recover: stand-alone trace logs, fields, guards and registries are not re-created (docs/JS.md, Trap recovery)', () => {
  const ceg = loadSync({ recover: 'snapshot', ...quiet().options });
  const log = ceg.traceLog();
  log.append('kept by the host', { n: 1 });
  const records = log.replay(); // what a host keeps as it goes
  const field = ceg.dilationField();
  const guard = ceg.oscillationGuard();
  const reg = ceg.swapRegistry();
  const g = ceg.graph(DOC);
  assert.throws(() => ceg[TRAP]());
  for (const [x, read] of [[log, () => log.replay()], [field, () => field.snapshot()], [guard, () => guard.check('a', 'b', 0)], [reg, () => reg.summary()]]) {
    assert.equal(x.lost, true);
    for (const f of [read, () => x.drop()]) assert.throws(f, (e) => e.code === 'INSTANCE_LOST' && e.data.id === x.handle, x.kind);
    assert.equal(x.lost, true, 'still lost: nothing was re-created');
  }
  assert.equal(ceg.recovered(), 0);
  assert.equal(ceg.listTraceLogs().logs.length + ceg.listFields().fields.length + ceg.listGuards().guards.length + ceg.listRegistries().registries.length, 0);
  assert.equal(ceg.verifyTrace(records, { expectCount: 1 }).valid, true, 'kept records verify without a handle');
  assert.equal(g.export().nodes.length, 2, 'a graph of the same loader is re-created');
  assert.equal(ceg.recovered(), 1);
});

test('recover: a graph with many ops is compacted and still re-created exactly', () => {
  const ceg = loadSync({ recover: 'snapshot', ...quiet().options });
  const ref = loadSync(quiet().options);
  const g = ceg.graph(DOC);
  const h = ref.graph(DOC);
  const pad = 'x'.repeat(2000);
  for (let i = 0; i < 60; i++) {
    for (const x of [g, h]) x.apply([{ op: 'addNode', node: { id: 'n' + i, kind: 'memory', content: pad } }, { op: 'advanceTick' }]);
  }
  assert.throws(() => ceg[TRAP]());
  assert.deepEqual(g.export(), h.export());
});

test('worker recover: snapshot: objects come back after a timeoutMs termination too', async (t) => {
  const { options, log } = quiet();
  const ceg = await load({ worker: true, recover: 'snapshot', ...options });
  t.after(() => ceg.close());
  const g = await ceg.graph(DOC);
  await g.addNode({ id: 'extra', kind: 'intent', capabilities: ['chat'] });
  const s = await ceg.execute({ graph: DOC, contract: CONTRACT });
  // A run that takes minutes in the module (a 600-intent chain planned
  // tick by tick), ended by its deadline.
  const nodes = [{ id: 'r', kind: 'resource', provider: 'p', capabilities: ['chat'] }];
  const edges = [];
  for (let i = 0; i < 600; i++) {
    nodes.push({ id: 'i' + i, kind: 'intent', capabilities: ['chat'], tokens: 100 });
    if (i > 0) edges.push({ from: 'i' + i, to: 'i' + (i - 1), kind: 'requires' });
  }
  const slow = { graph: { nodes, edges }, contract: { id: 'c', constraints: { maxCost: 1000, maxLatencyMs: 1e9 } }, maxTicks: 1000 };
  await assert.rejects(ceg.simulate(slow, { timeoutMs: 150 }), (e) => e.code === 'TIMEOUT' && e.data.started === true);
  assert.equal(log.recreated.length, 1);
  assert.equal(g.lost, true);
  assert.equal((await g.getNode('extra')).id, 'extra', 'the graph came back with its ops');
  assert.equal((await s.report(1000, ok(s))).status, 'complete', 'the session came back and finished');
  assert.equal(ceg.recovered(), 2);
});
