/*
 * stream-chat.js: @convergence-io/ceg/stream-chat, a drop-in adapter for an
 * existing streaming chat server.
 *
 * Its functions keep the shapes such a server already calls, so switching to
 * CEG's dilation, grounding and planned provider failover is one `require`
 * line. They are synchronous: the module is instantiated on first use with
 * loadSync() and kept for the process (a trapped instance is replaced by the
 * binding; these functions hold no handles, so nothing is lost).
 */
'use strict';

const { loadSync, CegError } = require('./index.js');

let engine = null;

/**
 * ceg returns the adapter's synchronous engine, loading it on first use.
 * @returns {import('./index').CegSync}
 */
function ceg() {
  if (!engine) engine = loadSync();
  return engine;
}

/**
 * dilation is D(u, p, c, x) of SPEC §5.1: uncertainty, cost pressure,
 * confidence and collapse proximity (default 0), each clamped to [0, 1].
 * @param {number} u
 * @param {number} p
 * @param {number} c
 * @param {number} [x]
 * @returns {number}
 */
function dilation(u, p, c, x) {
  return ceg().dilation({ uncertainty: u, costPressure: p, confidence: c, collapseProximity: x === undefined ? 0 : x });
}

/**
 * groundingPolicy is grounding(D, baseMaxResults = 5, baseMinSources = 2)
 * of SPEC §5.2.
 * @param {number} d
 * @param {number} [baseMaxResults]
 * @param {number} [baseMinSources]
 * @returns {{fetchExternal: boolean, maxResults: number, minSources: number, deepMode: boolean}}
 */
function groundingPolicy(d, baseMaxResults, baseMinSources) {
  const base = {};
  if (baseMaxResults !== undefined) base.baseMaxResults = baseMaxResults;
  if (baseMinSources !== undefined) base.baseMinSources = baseMinSources;
  return ceg().grounding(d, base);
}

/**
 * chatDilation estimates a chat message's uncertainty and its D.
 * @param {string} text
 * @returns {{d: number, uncertainty: number}}
 */
function chatDilation(text) {
  return ceg().estimate(String(text));
}

/**
 * isGroundingDue says whether a message calls for external grounding:
 * groundingPolicy(chatDilation(text).d).fetchExternal.
 * @param {string} text
 * @returns {boolean}
 */
function isGroundingDue(text) {
  return groundingPolicy(chatDilation(text).d).fetchExternal;
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
 * all of them (SPEC §5.6). Providers the plan rejects (down, forbidden,
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

module.exports = { dilation, groundingPolicy, chatDilation, isGroundingDue, providerOrder, ceg, CegError };
