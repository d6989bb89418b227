'use strict';
// Small graphs shared by the plan and exec tests.

/**
 * chatGraph is one chat intent over three LLM resources from different
 * providers: cheap and fast, middling, dear and slow.
 */
function chatGraph() {
  return {
    nodes: [
      { id: 'turn', kind: 'intent', text: 'answer the user', capabilities: ['chat'], tokens: 1000 },
      { id: 'fast', kind: 'resource', resourceKind: 'llm', provider: 'alpha', capabilities: ['chat'], costPerToken: 0.000001, latencyTargetMs: 800 },
      { id: 'mid', kind: 'resource', resourceKind: 'llm', provider: 'beta', capabilities: ['chat'], costPerToken: 0.000004, latencyTargetMs: 1500 },
      { id: 'slow', kind: 'resource', resourceKind: 'llm', provider: 'gamma', capabilities: ['chat'], costPerToken: 0.00001, latencyTargetMs: 4000 },
    ],
    edges: [
      { from: 'turn', to: 'fast', kind: 'executes_on' },
      { from: 'turn', to: 'mid', kind: 'executes_on' },
      { from: 'turn', to: 'slow', kind: 'executes_on' },
    ],
  };
}

const contract = (extra = {}) => ({ id: 'chat', ...extra });

/**
 * TWO_PROVIDERS is the smallest plannable graph: two chat resources, the
 * cheaper one first; TWO_PROVIDERS_CONTRACT plans one turn over it. The
 * lifetime tests (instance loss, recovery, idle eviction, host-state
 * handles) share them.
 */
const TWO_PROVIDERS = Object.freeze({
  nodes: [
    { id: 'fast', kind: 'resource', provider: 'fast', capabilities: ['chat'], costPerToken: 1e-6 },
    { id: 'slow', kind: 'resource', provider: 'slow', capabilities: ['chat'], costPerToken: 2e-6 },
  ],
  edges: [],
});
const TWO_PROVIDERS_CONTRACT = Object.freeze({ id: 'chat', intent: 'hello' });

/** TRAP is the binding's debug hook that makes the real module trap (a second _initialize). */
const TRAP = Symbol.for('@convergence-io/ceg/debugTrap');

module.exports = { chatGraph, contract, TWO_PROVIDERS, TWO_PROVIDERS_CONTRACT, TRAP };
