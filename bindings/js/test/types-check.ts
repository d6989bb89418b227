// Compiled by `npm run typecheck` (tsc --noEmit), never run: it uses the
// public API the way a TypeScript host would, so index.d.ts and
// stream-chat.d.ts must describe every call below.
import { load, loadSync, CegError, Graph, Session, TraceLog, DilationField, OscillationGuard, SwapRegistry } from '@convergence-io/ceg';
import type { Ceg, CegSync, GraphList, SessionList, LiveEntry, ExecutionPlan, GraphDoc, Node, Outcome, Route, RouteTarget, SessionTurn, TraceRecord, VerifyResult, RecreateInfo } from '@convergence-io/ceg';
import { dilation, groundingPolicy, chatDilation, isGroundingDue, providerOrder, buildBrainOrder, observe, configure, preload, breakers, lastTurn, recordOutcome, D_MIN, D_MAX, GROUNDING_TICK_MS, DEFAULT_PROVIDERS, resolveProvider } from '@convergence-io/ceg/stream-chat';

const doc: GraphDoc = {
  nodes: [
    { id: 'ask', kind: 'intent', text: 'hello', capabilities: ['chat'], tokens: 500 },
    { id: 'gpt', kind: 'resource', resourceKind: 'llm', provider: 'openai', costPerToken: 0.000002, health: 0.9 },
    { id: 'cap', kind: 'constraint', predicate: 'money <= 0.01', severity: 'hard' },
    { id: 'nap', kind: 'authority', policySet: [{ effect: 'deny', provider: 'shady' }], identityScope: 'operator' },
  ],
  edges: [{ from: 'ask', to: 'gpt', kind: 'executes_on', weight: 1 }],
};

async function asyncApi(): Promise<void> {
  const ceg: Ceg = await load({ worker: true, onRecreate: (i: RecreateInfo) => console.warn(i.reason, i.recreations) });
  const v = await ceg.version();
  const abi: string = v.abi;
  const g: Graph = await ceg.graph(doc);
  const n: Node = await g.getNode('ask');
  const ids: string[] = await g.blockedBy('gpt');
  const applied = await g.apply([{ op: 'addNode', node: { id: 'm', kind: 'memory', content: 'x' } }, { op: 'advanceTick' }]);
  const tick: number = applied.snapshot.tick;
  const plan: ExecutionPlan = await ceg.optimize({ graph: g, contract: { id: 'c', constraints: { maxCost: 0.02 } } });
  const step = plan.steps[0];
  const order: string[] = [step.provider, ...step.fallbacks.map((f) => f.provider)];
  const r: Route = await ceg.route({ graph: g, contract: { id: 'c' } });
  const first: string | undefined = r.steps[0]?.provider;
  const chain: string[] = (r.steps[0]?.failover ?? []).map((t: RouteTarget) => t.provider);
  const re = await ceg.reoptimize({ handle: g.handle, contract: { id: 'c' }, previous: plan, done: [] });
  const moved: string[] = re.changes.map((c) => c.to);
  const session: Session = await ceg.execute({ graph: doc, contract: { id: 'c' }, options: { maxTicks: 20 } });
  for await (const turn of session) {
    const t: SessionTurn = turn;
    const outcomes: Outcome[] = t.actions.filter((a) => a.type === 'dispatch').map((a) => ({ step: a.step, attempt: a.attempt, status: 'ok', latencyMs: 120 }));
    await session.report(Date.now(), outcomes);
  }
  const sim = await ceg.simulate({ graph: doc, contract: { id: 'c' }, scenario: { seed: 1, outcomes: [{ provider: 'openai', status: 'error' }] } });
  const trace: TraceRecord[] = sim.trace;
  const ok: VerifyResult = await ceg.verifyTrace(trace);
  const graphs: GraphList = await ceg.listGraphs();
  const firstGraph: LiveEntry | undefined = graphs.graphs[0];
  const sessions: SessionList = await ceg.listSessions();
  const idle: Graph = await ceg.graph(doc, { maxIdleCalls: 100 });
  console.log(firstGraph?.bytes, firstGraph?.idleCalls, sessions.totals.evicted, graphs.totals.calls, idle.handle);
  const d: number = await ceg.dilation({ uncertainty: 0.5, costPressure: 0.2, confidence: 0.3 });
  const gr = await ceg.grounding(d, { baseMaxResults: 8 });
  const mem: number = await ceg.memoryBytes();
  const raw: string = await ceg.callRaw('{"jsonrpc":"2.0","id":1,"method":"version"}');
  const b = await ceg.batch([{ method: 'version' }, { method: 'dilation.compute', params: { uncertainty: 1, costPressure: 0, confidence: 0 } }]);
  if (!b[0].ok) console.log(b[0].error.code);
  console.log(abi, n.id, ids, tick, order, first, chain, moved, trace.length, ok.valid, gr.deepMode, mem, raw, session.status);
  await ceg.close();
}

async function hostile(): Promise<void> {
  const ceg: Ceg = await load({ worker: true, timeoutMs: 5000, autoFree: true, epoch: true });
  const g = await ceg.graph(doc);
  const lost: boolean = g.lost || g.epoch !== ceg.epoch();
  const plan = await ceg.optimize({ graph: g, contract: { id: 'c' } }, { timeoutMs: 200 });
  const s = await ceg.execute({ graph: g, contract: { id: 'c' } }, { timeoutMs: 1000 });
  await s.report(Date.now(), [], { timeoutMs: 500 });
  const snap = await s.snapshot();
  const digest: string = snap.digest + snap.module;
  const back: Session = await ceg.restore(snap);
  const v = await ceg.verifyTrace(s.events, { expectHead: s.traceHead, expectCount: s.traceCount });
  const keyed: { keyed: boolean } = await ceg.setTraceKey(new Uint8Array(32));
  await ceg.setTraceKey(null);
  try {
    await ceg.call('version', {}, { timeoutMs: 10 });
  } catch (e) {
    if (e instanceof CegError && (e.code === 'TIMEOUT' || e.code === 'INSTANCE_LOST')) console.log(e.data);
  }
  console.log(lost, plan.id, digest, back.id, v.valid, keyed.keyed, ceg.autoFreed());
  // Idle eviction by the host clock, and re-creation after a trap.
  let now = 0;
  const kept: Ceg = await load({ clock: () => now, recover: 'snapshot' });
  const ig: Graph = await kept.graph(doc, { maxIdleMs: 60000, maxIdleCalls: 1000 });
  const is: Session = await kept.execute({ graph: ig, contract: { id: 'c' }, maxIdleMs: 30000 });
  const ir: Session = await kept.restore(await is.snapshot(), { maxIdleMs: 1000, timeoutMs: undefined });
  now += 1;
  const evicted: number = await kept.evictIdle();
  const idleMs: number | undefined = (await kept.listGraphs()).graphs[0]?.idleMs;
  console.log(ir.id, evicted, idleMs, kept.recovered(), kept.idleEvicted());
  // The same for the stand-alone host-state objects.
  const il: TraceLog = await kept.traceLog({ maxIdleMs: 60000, maxIdleCalls: 1000 });
  const iff: DilationField = await kept.dilationField({ preset: 'original' }, { maxIdleMs: 60000 });
  const io: OscillationGuard = await kept.oscillationGuard({ limit: 3, maxIdleMs: 60000 });
  const irg: SwapRegistry = await kept.swapRegistry(undefined, { maxIdleMs: 60000 });
  const logIdle: number | undefined = (await kept.listTraceLogs()).logs[0]?.idleMs;
  const maxes: Array<number | undefined> = [
    (await kept.listFields()).fields[0]?.maxIdleMs,
    (await kept.listGuards()).guards[0]?.maxIdleMs,
    (await kept.listRegistries()).registries[0]?.maxIdleMs,
  ];
  console.log(il.handle, iff.handle, io.handle, irg.handle, logIdle, maxes);
}

function syncApi(): void {
  const ceg: CegSync = loadSync({ stderr: () => undefined, epoch: false, autoFree: false });
  const g: Graph<true> = ceg.graph();
  const snap = g.snapshot();
  const count: number = snap.nodes + (snap.byKind.intent ?? 0);
  const est = ceg.estimate('latest news?', { confidence: 0.5 });
  try {
    ceg.validate({ nodes: [], edges: [] });
  } catch (e) {
    if (e instanceof CegError) console.log(e.code, e.path, e.rpcCode, e.data?.ids);
  }
  console.log(count, est.d + est.uncertainty);
}

async function adapter(): Promise<void> {
  await preload({ warmUp: true });
  const d: number = dilation(0.5);
  const p = groundingPolicy(chatDilation('hi', { confidence: 0.6 }), { baseMaxResults: 5 });
  const due: boolean = isGroundingDue(Date.now() - 60_000, Date.now(), GROUNDING_TICK_MS);
  const order: string[] = buildBrainOrder({ requestedProvider: 'claude', hintProvider: null });
  const cache = observe({ getProviderState: (id: string) => id, recordProviderSuccess: (id: string, meta?: { latency_ms?: number }) => meta, recordProviderFailure: (id: string, error?: unknown) => error });
  cache.recordProviderSuccess(order[0], { latency_ms: 420 });
  const name: string = cache.getProviderState('xai');
  const conf = configure({ providers: { openai: { costPerToken: 0.00001 } }, contract: { forbiddenProviders: ['xai'] } });
  const ok: boolean = recordOutcome('openai', 'timeout');
  const last = lastTurn();
  const legacy: string[] = providerOrder(['a', { name: 'b', costPerToken: 0.000001, latencyTargetMs: 900 }], { text: 'hi', health: { a: 0.5 } });
  console.log(p.fetchExternal, due, d + D_MIN + D_MAX, name, ok, conf.providers.openai.latencyTargetMs, breakers().openai?.state, last?.why, legacy, DEFAULT_PROVIDERS.ollama.costPerToken, resolveProvider('grok'));
}

void asyncApi;
void syncApi;
void adapter;
void hostile;

// The components (DOM types only: never run in Node).
import { CegGraph, CegPlan, CegTrace, diffPlans, reasonText } from '@convergence-io/ceg/components';
import type { PlanDiff, GraphSelectDetail } from '@convergence-io/ceg/components';

export async function components(ceg: Ceg, plan: ExecutionPlan, before: ExecutionPlan, records: TraceRecord[]): Promise<void> {
  CegGraph.useLayout({ layout() {} });
  const g: CegGraph = document.createElement('ceg-graph');
  g.graph = doc;
  g.plan = plan;
  g.dilation = { gpt: 2.5 };
  await g.ready;
  g.addEventListener('ceg-select', (e) => console.log((e as CustomEvent<GraphSelectDetail>).detail.id));
  const p: CegPlan = document.createElement('ceg-plan');
  p.plan = plan;
  p.previous = before;
  const moved: PlanDiff[] = p.changes.concat(diffPlans(before, plan));
  console.log(moved.map((c) => `${c.intent}: ${reasonText(c.reason)}`));
  const t: CegTrace = document.createElement('ceg-trace');
  t.verifier = ceg;
  t.records = records;
  const v = await t.verified;
  console.log(v && v.valid);
}
