/*
 * stream-chat.js: @convergence-io/ceg/stream-chat, a drop-in for the three
 * modules an existing streaming chat server requires — its grounding policy,
 * its provider order and its provider cache — with the same shapes, so that
 * pointing three `require` lines here makes every turn a planned turn that
 * learns from reported outcomes:
 *
 *   const { groundingPolicy, chatDilation, isGroundingDue, GROUNDING_TICK_MS } = require('@convergence-io/ceg/stream-chat');
 *   const { buildBrainOrder } = require('@convergence-io/ceg/stream-chat');
 *   const { getProviderState, recordProviderSuccess, recordProviderFailure } =
 *     require('@convergence-io/ceg/stream-chat').observe(require('./provider-cache'));
 *
 * Every function is synchronous. Call `await preload()` at start so that the
 * module is compiled off the main thread and warmed up; without it the first
 * call compiles synchronously (said once on stderr). docs/GUIDE.md is the
 * migration guide.
 */
'use strict';

const { CegError } = require('./errors.js');
const { Adapter, classify } = require('./chat/adapter.js');
const { makeGrounding, isGroundingDue, D_MIN, D_MAX, D_DEFAULT, GROUNDING_TICK_MS } = require('./chat/grounding.js');
const { DEFAULT_PROVIDERS, PROVIDERS, resolve } = require('./chat/providers.js');

/** The process's adapter: one engine, one graph, the breakers. */
const adapter = new Adapter();

/**
 * ceg returns the adapter's synchronous engine (instantiating it on first
 * use), for anything the drop-in functions do not cover.
 * @returns {import('./index').CegSync}
 */
function ceg() {
  return adapter.ceg();
}

const { dilation, groundingPolicy, chatDilation } = makeGrounding(ceg);

/**
 * buildBrainOrder returns the providers to try for one turn, canonical
 * names in order. Only callable providers appear (an API key is set;
 * ollama always). A `requestedProvider` (name or alias) that does not
 * resolve, cannot be called or is denied by the contract gives []; one that
 * resolves leads and every other callable provider follows as its backstop.
 * Without a pin the order is the plan's (cost, latency, capabilities,
 * health, and the breakers built from reported outcomes): `hintProvider`
 * leads unless the plan rejects it or its breaker is open; a provider whose
 * last outcome was a failure does not lead while one without failures is
 * eligible; providers the plan rejects come last; providers a contract or
 * policy denies never appear. If the module cannot plan, the original rule
 * (pinned or hint first, then the fixed order) answers and stderr says so
 * once.
 * @param {{requestedProvider?: string, hintProvider?: string}} [opts]
 * @returns {string[]}
 */
function buildBrainOrder(opts = {}) {
  return adapter.order(opts || {});
}

/**
 * observe wraps the server's provider-cache module: the returned object has
 * every member of `cache`, and its recordProviderSuccess(id, meta = {}) and
 * recordProviderFailure(id, error = "") also feed the adapter's breakers
 * (and the latency EMA from `meta.latency_ms`) before calling the original,
 * so the next buildBrainOrder learns. A failure whose text says 429, rate
 * limit or quota counts as a quota hit (a 60 s back-off), one that says
 * timeout as a timeout, anything else as an error.
 * @template T
 * @param {T} cache
 * @returns {T}
 */
function observe(cache) {
  if (cache === null || typeof cache !== 'object' && typeof cache !== 'function') {
    throw new CegError('INVALID_ARGUMENT', 'ceg stream-chat: observe(providerCache): expected the provider-cache module object', { path: 'providerCache' });
  }
  const out = Object.assign({}, cache);
  const success = cache.recordProviderSuccess;
  const failure = cache.recordProviderFailure;
  out.recordProviderSuccess = function recordProviderSuccess(id, meta = {}) {
    const m = meta && typeof meta === 'object' ? meta : {};
    adapter.record(id, 'ok', m.latency_ms !== undefined ? m.latency_ms : m.latencyMs);
    return typeof success === 'function' ? success.apply(cache, arguments) : undefined;
  };
  out.recordProviderFailure = function recordProviderFailure(id, error = '') {
    adapter.record(id, classify(error));
    return typeof failure === 'function' ? failure.apply(cache, arguments) : undefined;
  };
  return out;
}

/** recordOutcome feeds one outcome without a provider-cache module. */
function recordOutcome(id, status, latencyMs) {
  if (!['ok', 'error', 'timeout', 'quota'].includes(status)) {
    throw new CegError('INVALID_ARGUMENT', `ceg stream-chat: status must be ok, error, timeout or quota, got ${JSON.stringify(status)}`, { path: 'status' });
  }
  return adapter.record(id, status, latencyMs);
}

/**
 * configure overrides the provider table, the turn contract and the cost
 * weights: {providers?: {name: {model?, costPerToken?, latencyTargetMs?,
 * capabilities?, health?, keys?}}, contract?, weights?}. Checked at once (a
 * plan is made with it); returns the configuration in force.
 */
function configure(patch) {
  return adapter.configure(patch);
}

/**
 * preload compiles the module off the main thread, instantiates it and
 * (unless `{warmUp: false}`) warms it up in a worker, so that no turn pays
 * for compilation or unoptimised code. Unless `{eagerTierUp: false}`, V8
 * optimises all of the module's code in the background at once rather than
 * function by function as each gets hot (docs/GUIDE.md, "Preload").
 * Call it at start, before listening.
 * @param {{warmUp?: boolean, turns?: number, eagerTierUp?: boolean}} [opts]
 */
function preload(opts) {
  return adapter.preload(opts);
}

/** breakers returns the adapter's breakers (provider -> breaker), a copy. */
function breakers() {
  return JSON.parse(JSON.stringify(adapter.current()));
}

/** lastTurn says what the last buildBrainOrder decided and why. */
function lastTurn() {
  return adapter.last && JSON.parse(JSON.stringify(adapter.last));
}

/** reset forgets every breaker (and empties the state file). */
function reset() {
  adapter.reset();
}

const PROVIDER_FIELDS = ['name', 'provider', 'model', 'resourceKind', 'capabilities', 'costPerToken', 'costPerCall', 'latencyTargetMs', 'health', 'external', 'acceptsLabels', 'minScope'];

/** resourceNode turns one provider description into a resource node. */
function resourceNode(p, i) {
  if (typeof p === 'string') p = { name: p };
  if (!p || typeof p !== 'object' || typeof p.name !== 'string' || p.name === '') {
    throw new CegError('INVALID_ARGUMENT', `ceg: providers[${i}] must be a name or an object with a string name`, { path: `providers[${i}]` });
  }
  for (const k of Object.keys(p)) {
    if (!PROVIDER_FIELDS.includes(k)) {
      throw new CegError('INVALID_ARGUMENT', `ceg: providers[${i}] has unknown field ${JSON.stringify(k)} (known: ${PROVIDER_FIELDS.join(', ')})`, { path: `providers[${i}].${k}` });
    }
  }
  const node = { id: p.name, kind: 'resource', label: p.model || p.name, resourceKind: p.resourceKind || 'llm', provider: p.provider || p.name };
  for (const k of ['capabilities', 'costPerToken', 'costPerCall', 'latencyTargetMs', 'health', 'external', 'acceptsLabels', 'minScope']) {
    if (p[k] !== undefined) node[k] = p[k];
  }
  return node;
}

/**
 * providerOrder plans one chat turn and returns provider names in failover
 * order: [chosen, ...fallbacks]. The providers become resource nodes (id =
 * name); with no intent node the contract's text is one implicit intent over
 * all of them. Providers the plan rejects (down, forbidden,
 * over budget, ...) are left out; when none is eligible the list is empty.
 *
 * @param {Array<string|{name: string, provider?: string, model?: string, costPerToken?: number, costPerCall?: number, latencyTargetMs?: number, health?: number, capabilities?: string[], external?: boolean}>} providers
 * @param {{text?: string, health?: Record<string, number>, latencyMs?: Record<string, number>, state?: object, contract?: object, weights?: object}} [opts]
 *   health / latencyMs are keyed by provider name (the node's `provider`);
 *   `state` (a SystemState) replaces them; `contract` fields override the
 *   implicit chat contract.
 * @returns {string[]}
 */
function providerOrder(providers, opts) {
  if (!Array.isArray(providers)) throw new CegError('INVALID_ARGUMENT', 'ceg: providers must be an array');
  opts = opts || {};
  const nodes = providers.map(resourceNode);
  if (nodes.length === 0) return [];
  let state = opts.state;
  if (!state && (opts.health || opts.latencyMs)) {
    state = { resources: {} };
    if (opts.health) state.resources.health = opts.health;
    if (opts.latencyMs) state.resources.latencyMs = opts.latencyMs;
  }
  const params = {
    graph: { nodes, edges: [] },
    contract: Object.assign({ id: 'chat-turn', intent: opts.text === undefined ? 'chat' : String(opts.text) }, opts.contract),
  };
  if (state) params.state = state;
  if (opts.weights) params.weights = opts.weights;
  const plan = ceg().optimize(params);
  const step = plan.feasible && plan.steps && plan.steps[0];
  if (!step) return [];
  const order = [step.resource].concat((step.fallbacks || []).map((f) => f.resource));
  return order.filter((id, i) => id && order.indexOf(id) === i);
}

module.exports = {
  dilation, groundingPolicy, chatDilation, isGroundingDue, D_MIN, D_MAX, D_DEFAULT, GROUNDING_TICK_MS,
  buildBrainOrder, observe, recordOutcome, configure, preload, breakers, lastTurn, reset,
  providerOrder, resolveProvider: resolve, PROVIDERS, DEFAULT_PROVIDERS, ceg, CegError,
};
