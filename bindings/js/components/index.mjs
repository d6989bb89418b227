/*
 * @convergence-io/ceg/components: standard Web Components for CEG plans,
 * graphs and traces. Importing this module defines <ceg-graph>, <ceg-plan>
 * and <ceg-trace> (once; importing it again is harmless). No framework and
 * no build step: properties in, DOM events out. See docs/JS.md.
 *
 *   import '@convergence-io/ceg/components';
 *   document.querySelector('ceg-plan').plan = await ceg.optimize({ graph, contract });
 */
export { CegGraph, KINDS, EDGES } from './ceg-graph.mjs';
export { CegPlan } from './ceg-plan.mjs';
export { CegTrace } from './ceg-trace.mjs';
export { REASONS, reasonText, diffPlans, usd, ms, heat } from './shared.mjs';
