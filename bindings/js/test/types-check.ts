// Compiled by `npm run typecheck` (tsc --noEmit), never run: it uses the
// public API the way a TypeScript host would, so index.d.ts and
// stream-chat.d.ts must describe every call below.
import { load, loadSync, CegError, Graph, Session } from '@convergence-io/ceg';
import type { Ceg, CegSync, GraphList, SessionList, LiveEntry, ExecutionPlan, GraphDoc, Node, Outcome, Route, RouteTarget, SessionTurn, TraceRecord, VerifyResult, RecreateInfo } from '@convergence-io/ceg';
import { dilation, groundingPolicy, chatDilation, isGroundingDue, providerOrder } from '@convergence-io/ceg/stream-chat';

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

function syncApi(): void {
  const ceg: CegSync = loadSync({ stderr: () => undefined });
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

function adapter(): void {
  const d: number = dilation(0.5, 0.2, 0.3);
  const p = groundingPolicy(d, 5, 2);
  const due: boolean = isGroundingDue('what changed today?');
  const cd = chatDilation('hi');
  const order: string[] = providerOrder(['a', { name: 'b', costPerToken: 0.000001, latencyTargetMs: 900 }], { text: 'hi', health: { a: 0.5 } });
  console.log(p.fetchExternal, due, cd.d, order);
}

void asyncApi;
void syncApi;
void adapter;
