'use strict';
/*
 * provider-cache.js: the chat server's own record of provider outcomes, as
 * the original application keeps it (counts, the last error and latency).
 * The adapter does not replace it: observe() wraps it, so it keeps working
 * and the adapter learns from the same calls.
 */

const cache = new Map();

function entry(id) {
  if (!cache.has(id)) cache.set(id, { successes: 0, failures: 0, lastError: '', lastLatencyMs: null, lastOutcomeAt: 0 });
  return cache.get(id);
}

/** getProviderState returns what the server knows about a provider. */
function getProviderState(id) {
  return Object.assign({}, entry(id));
}

/** recordProviderSuccess notes a reply; meta.latency_ms is its latency. */
function recordProviderSuccess(id, meta = {}) {
  const e = entry(id);
  e.successes++;
  e.lastLatencyMs = typeof meta.latency_ms === 'number' ? meta.latency_ms : null;
  e.lastOutcomeAt = Date.now();
}

/** recordProviderFailure notes a failed call and its error text. */
function recordProviderFailure(id, error = '') {
  const e = entry(id);
  e.failures++;
  e.lastError = String(error && error.message ? error.message : error);
  e.lastOutcomeAt = Date.now();
}

module.exports = { getProviderState, recordProviderSuccess, recordProviderFailure };
