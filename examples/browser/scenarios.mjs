/*
 * scenarios.mjs: the dashboard's built-in scenarios.
 *
 * A scenario is plain JSON (what "save" writes and "load" reads):
 *   {name, title, description,
 *    request: {graph, contract, state?, weights?},      // the plan.optimize params
 *    simulation: {tickMs, maxTicks, script: [rule]}}    // the scripted failures
 * A script rule is {provider, fromTick, toTick?, status, latencyMs?, note?}:
 * while the tick is in [fromTick, toTick] a dispatch on that provider gets
 * `error` (fails), `timeout` (times out), `slow` (succeeds after latencyMs)
 * or `ok`; past toTick the provider recovers. Dispatches no rule matches
 * succeed at the resource's latency target.
 */

const llm = (id, provider, costPerToken, latencyTargetMs, extra = {}) => ({
  id, kind: 'resource', resourceKind: 'llm', provider, capabilities: ['chat'], costPerToken, latencyTargetMs, external: true, ...extra,
});

const SIX = [
  llm('gpt-4o', 'openai', 0.00001, 900),
  llm('claude', 'anthropic', 0.000012, 1100),
  llm('gemini', 'google', 0.000007, 1000),
  llm('mistral-l', 'mistral', 0.000004, 1400),
  llm('command-r', 'cohere', 0.000005, 1600),
  llm('llama-local', 'local', 0.0000005, 2500, { external: false }),
];

function chatGraph(tokens) {
  return {
    nodes: [
      { id: 'turn', kind: 'intent', label: 'chat turn', text: 'what is the latest price of gold?', capabilities: ['chat'], tokens },
      ...SIX,
    ],
    edges: SIX.map((r) => ({ from: 'turn', to: r.id, kind: 'executes_on' })),
  };
}

/** SCENARIOS: name -> scenario, in picker order. */
export const SCENARIOS = {
  'chat-failover': {
    name: 'chat-failover',
    title: 'Chat failover across six providers',
    description: 'One chat turn that may run on any of six LLM providers. The plan picks one and orders the rest as its failover chain. Lower a provider\u2019s health or open its breaker to see the choice move.',
    request: {
      graph: chatGraph(1000),
      contract: { id: 'chat-turn', constraints: { maxCost: 0.05, maxLatencyMs: 10000 } },
      state: { now: 1000, resources: { health: { openai: 1, anthropic: 1, google: 0.6, mistral: 1, cohere: 1, local: 1 }, latencyMs: {}, breakers: {} } },
    },
    simulation: {
      tickMs: 1000,
      maxTicks: 30,
      script: [
        { provider: 'mistral', fromTick: 0, toTick: 1, status: 'error', note: 'mistral answers 502' },
        { provider: 'openai', fromTick: 0, toTick: 3, status: 'timeout', note: 'openai stops answering' },
        { provider: 'google', fromTick: 0, toTick: 9, status: 'slow', latencyMs: 2600, note: 'google is slow' },
      ],
    },
  },
  'agent-tools': {
    name: 'agent-tools',
    title: 'A multi-step agent with tools, memory labels and an authority',
    description: 'An agent plans, searches the web and reads CRM notes (labelled customer-pii), then answers. The data policy keeps customer data away from external model providers; the answer inherits the label from the notes.',
    request: {
      graph: {
        nodes: [
          { id: 'plan-task', kind: 'intent', label: 'plan the task', capabilities: ['reasoning'], tokens: 1500 },
          { id: 'search-web', kind: 'intent', label: 'search the web', capabilities: ['web-search'], tokens: 200 },
          { id: 'read-notes', kind: 'intent', label: 'read CRM notes', capabilities: ['vector-search'], tokens: 300 },
          { id: 'answer', kind: 'intent', label: 'answer the customer', capabilities: ['chat'], tokens: 1200 },
          { id: 'crm-notes', kind: 'memory', label: 'CRM notes', content: 'account history', provenance: 'crm', accessPolicy: 'operator', labels: ['customer-pii'] },
          { id: 'data-policy', kind: 'authority', label: 'customer data policy', identityScope: 'operator', policySet: [{ effect: 'deny', label: 'customer-pii', provider: 'openai' }, { effect: 'deny', label: 'customer-pii', provider: 'anthropic' }] },
          { id: 'spend-cap', kind: 'constraint', label: 'per-step spend cap', predicate: 'money <= 0.03', scope: 'request', severity: 'hard' },
          { id: 'gpt-4o', kind: 'resource', resourceKind: 'llm', provider: 'openai', capabilities: ['chat', 'reasoning'], costPerToken: 0.00001, latencyTargetMs: 1200, external: true },
          { id: 'claude', kind: 'resource', resourceKind: 'llm', provider: 'anthropic', capabilities: ['chat', 'reasoning'], costPerToken: 0.000012, latencyTargetMs: 1400, external: true },
          { id: 'llama-local', kind: 'resource', resourceKind: 'llm', provider: 'local', capabilities: ['chat', 'reasoning'], costPerToken: 0.000001, latencyTargetMs: 3000, external: false },
          { id: 'web-search', kind: 'resource', resourceKind: 'tool', provider: 'searchco', capabilities: ['web-search'], costPerCall: 0.002, latencyTargetMs: 800, external: true },
          { id: 'web-search-b', kind: 'resource', resourceKind: 'tool', provider: 'searchalt', capabilities: ['web-search'], costPerCall: 0.003, latencyTargetMs: 900, external: true },
          { id: 'vector-db', kind: 'resource', resourceKind: 'tool', provider: 'pgvector', capabilities: ['vector-search'], costPerCall: 0.0005, latencyTargetMs: 300, external: false, acceptsLabels: ['customer-pii'] },
        ],
        edges: [
          { from: 'search-web', to: 'plan-task', kind: 'requires' },
          { from: 'read-notes', to: 'plan-task', kind: 'requires' },
          { from: 'answer', to: 'search-web', kind: 'requires' },
          { from: 'read-notes', to: 'answer', kind: 'transforms_into' },
          { from: 'read-notes', to: 'crm-notes', kind: 'observes' },
          { from: 'data-policy', to: 'answer', kind: 'enables' },
          { from: 'data-policy', to: 'read-notes', kind: 'enables' },
          { from: 'web-search', to: 'web-search-b', kind: 'swaps_to' },
        ],
      },
      contract: { id: 'agent-run', constraints: { maxCost: 0.08, maxLatencyMs: 20000, memoryPolicy: 'operator' } },
      state: { now: 1000, resources: { health: { openai: 1, anthropic: 1, local: 1, searchco: 1, searchalt: 1, pgvector: 1 }, latencyMs: {}, breakers: {} } },
    },
    simulation: {
      tickMs: 1000,
      maxTicks: 40,
      script: [
        { provider: 'searchco', fromTick: 0, toTick: 4, status: 'error', note: 'the search API errors, then recovers' },
        { provider: 'openai', fromTick: 0, toTick: 2, status: 'slow', latencyMs: 3000, note: 'openai is slow at first' },
      ],
    },
  },
  'infeasible-budget': {
    name: 'infeasible-budget',
    title: 'An infeasible budget',
    description: 'A long chat turn (8,000 tokens) with a budget of $0.002: even the cheapest provider costs more. Raise the budget to see the plan become feasible.',
    request: {
      graph: chatGraph(8000),
      contract: { id: 'tight-budget', constraints: { maxCost: 0.002, maxLatencyMs: 10000 } },
      state: { now: 1000, resources: { health: {}, latencyMs: {}, breakers: {} } },
    },
    simulation: { tickMs: 1000, maxTicks: 10, script: [] },
  },
};

/** copyScenario returns a deep copy (built-ins are never changed in place). */
export function copyScenario(s) {
  return JSON.parse(JSON.stringify(s));
}
