// Compiled by `npm run typecheck`, never run: the calls issue 11 added (the
// original CEG's capabilities) used the way a TypeScript host would.
import { load, loadSync } from '@convergence-io/ceg';
import type { Ceg, CegSync, ExecutionContract, ExecutionPlan, GraphDoc, TraceLog, TraceRecord } from '@convergence-io/ceg';

const doc: GraphDoc = { nodes: [{ id: 'gpt', kind: 'resource', provider: 'openai' }], edges: [] };

async function contracts(): Promise<void> {
  const ceg: Ceg = await load();
  const c: ExecutionContract = await ceg.contractFromMessage('quick, exact answer', { maxCost: 0.1, determinism: true });
  const level: number | undefined = c.constraints?.determinismLevel;
  const plan: ExecutionPlan = await ceg.optimize({ graph: doc, contract: 'a message is a contract too' });
  const session = await ceg.execute({ graph: doc, contract: 'quick' });
  const g = await ceg.graph(doc);
  await g.swapNode('gpt', { id: 'claude', kind: 'resource', provider: 'anthropic' });
  const undone: boolean | undefined = (await g.rollback('claude')).rolledBack;
  const r = await g.apply([{ op: 'rollback', id: 'claude' }]);
  const log: TraceLog = await ceg.traceLog();
  const root: string = await log.append('user_message', { text: 'hi' }, { at: Date.now() });
  await log.append('answer', undefined, { causalParent: root, actor: 'agent' });
  const chain: TraceRecord[] = await log.causalChain(root);
  const valid: boolean = (await log.verify()).valid;
  await session.trace.append('feedback', { score: 5 });
  const since: TraceRecord[] = await session.trace.replay('t-000001');
  console.log(level, plan.id, session.id, undone, r.results[0].rolledBack, chain.length, valid, since.length, await log.drop());
}

function syncContracts(): void {
  const ceg: CegSync = loadSync();
  const sim = ceg.simulate({ graph: doc, contract: 'brief' });
  const f = ceg.dilationField({ preset: 'original' });
  const d: number = f.update('gpt', { uncertainty: 1, costPressure: 0, confidence: 0 });
  const fh: number = f.fromHealth('claude', 0.2, 3);
  const snap = f.snapshot();
  const applied: number = f.apply(ceg.graph(doc));
  const guard = ceg.oscillationGuard({ limit: 3, window: 10 });
  const chk = guard.recordSwap('a', 'b', 1);
  const osc: boolean = guard.isOscillating('a', 'b', 2);
  const s = ceg.execute({ graph: doc, contract: 'hi' });
  const sd: number = s.field.get('gpt');
  const sc: number = s.guard.check('gpt', 'claude', 0).count;
  const reg = ceg.swapRegistry({ hysteresis: 'incumbent', diversityCap: 1 });
  const added: boolean = reg.register('gpt', { id: 'claude', kind: 'resource', provider: 'anthropic' }).registered;
  const trig = reg.check({ resource: 'gpt', health: 0.2 }).trigger;
  const dec = reg.select({ trigger: 'manual', from: { id: 'gpt', provider: 'openai' } });
  const why: string[] = dec.passed.map((p) => p.reason).concat(dec.refused.map((r) => r.reason));
  const st: number = reg.observe('gpt', 0.5);
  const rb = ceg.captureRollback(ceg.graph(doc), 'gpt', 'claude');
  const sreg = ceg.execute({ graph: doc, contract: 'hi', options: { swapPolicy: { costTolerance: 2 } } }).registry;
  console.log(added, trig, dec.to, why, st, rb.old.id, sreg.summary().policy.costTolerance, reg.candidates('gpt').length);
  console.log(sim.summary.status, d, fh, snap.config.pullBackTo, snap.nodes[0].dwell, applied, chk.count, osc, sd, sc, guard.reset('a', 'b'));
}

void contracts;
void syncContracts;
