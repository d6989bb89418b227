/*
 * providers.js: the stream-chat adapter's provider table — the five
 * providers a chat server knows, their aliases, which can be called (an API
 * key in the environment), and the configuration that overrides the
 * defaults. Pure data and validation: no module calls.
 */
'use strict';

const { CegError } = require('../errors.js');

/**
 * The providers, in the fixed backstop order the original server used.
 * Costs are USD per token; latency targets are ms to a complete answer.
 * `ollama` (a local model) is free and the slowest: the last resort.
 */
const DEFAULT_PROVIDERS = Object.freeze({
  anthropic: Object.freeze({ model: 'claude-sonnet', costPerToken: 0.000015, latencyTargetMs: 1500, capabilities: ['chat', 'stream', 'tools'], health: 1, keys: ['ANTHROPIC_API_KEY'] }),
  gemini: Object.freeze({ model: 'gemini-pro', costPerToken: 0.0000035, latencyTargetMs: 1700, capabilities: ['chat', 'stream', 'tools'], health: 1, keys: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] }),
  openai: Object.freeze({ model: 'gpt', costPerToken: 0.00001, latencyTargetMs: 1900, capabilities: ['chat', 'stream', 'tools'], health: 1, keys: ['OPENAI_API_KEY'] }),
  xai: Object.freeze({ model: 'grok', costPerToken: 0.000015, latencyTargetMs: 2100, capabilities: ['chat', 'stream', 'tools'], health: 1, keys: ['XAI_API_KEY'] }),
  ollama: Object.freeze({ model: 'local', costPerToken: 0, latencyTargetMs: 6000, capabilities: ['chat', 'stream'], health: 1, keys: [] }),
});

/** The canonical names in backstop order. */
const PROVIDERS = Object.freeze(Object.keys(DEFAULT_PROVIDERS));

/** Exact aliases (lower case) of the canonical names. */
const ALIASES = Object.freeze({ claude: 'anthropic', 'claude-sonnet': 'anthropic', google: 'gemini', gpt: 'openai', grok: 'xai', local: 'ollama' });

/**
 * resolve maps a provider name or alias, case-insensitively and ignoring
 * surrounding space, to its canonical name, or null: `claude`,
 * `claude-sonnet` → anthropic; `google` and any `gemini-*` → gemini; `gpt` →
 * openai; `grok` → xai; `local` → ollama.
 * @param {unknown} name
 * @returns {string|null}
 */
function resolve(name) {
  if (typeof name !== 'string') return null;
  const n = name.trim().toLowerCase();
  if (Object.prototype.hasOwnProperty.call(DEFAULT_PROVIDERS, n)) return n;
  if (Object.prototype.hasOwnProperty.call(ALIASES, n)) return ALIASES[n];
  if (n.startsWith('gemini-')) return 'gemini';
  return null;
}

/**
 * callable reports whether a provider can be called: one of its API key
 * variables is set (non-empty) in env; a provider with none (ollama) always.
 * @param {{keys: string[]}} p
 * @param {Record<string, string|undefined>} env
 */
function callable(p, env) {
  return p.keys.length === 0 || p.keys.some((k) => Boolean(env[k]));
}

const FIELDS = {
  model: (v) => typeof v === 'string' && v !== '' ? null : 'expected a non-empty string',
  costPerToken: (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 ? null : 'expected a finite number >= 0 (USD per token)',
  latencyTargetMs: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'expected a finite number > 0 (ms)',
  health: (v) => typeof v === 'number' && v >= 0 && v <= 1 ? null : 'expected a number within [0, 1]',
  capabilities: (v) => Array.isArray(v) && v.every((c) => typeof c === 'string' && c !== '') ? null : 'expected an array of non-empty strings',
  keys: (v) => Array.isArray(v) && v.every((c) => typeof c === 'string' && c !== '') ? null : 'expected an array of environment variable names',
};

function bad(path, msg) {
  return new CegError('INVALID_ARGUMENT', `ceg stream-chat: ${path}: ${msg}`, { path });
}

function plainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * mergeConfig returns base with the overrides of `patch` applied and checked:
 * `{providers?: {name: {field: value}}, contract?, weights?}`. Provider names
 * may be aliases; fields are those of DEFAULT_PROVIDERS. `contract` and
 * `weights` replace field by field and are checked by the module when the
 * adapter plans with them. A bad value throws CegError INVALID_ARGUMENT with
 * the path under `where` (for example `configure.providers.openai.health`).
 * @param {{providers: object, contract: object, weights: object}} base
 * @param {unknown} patch
 * @param {string} where
 */
function mergeConfig(base, patch, where) {
  if (!plainObject(patch)) throw bad(where, 'expected an object {providers?, contract?, weights?}');
  const out = { providers: Object.assign({}, base.providers), contract: Object.assign({}, base.contract), weights: Object.assign({}, base.weights) };
  for (const k of Object.keys(patch)) {
    if (k !== 'providers' && k !== 'contract' && k !== 'weights') throw bad(`${where}.${k}`, 'unknown field (known: providers, contract, weights)');
  }
  if (patch.providers !== undefined) {
    if (!plainObject(patch.providers)) throw bad(`${where}.providers`, 'expected an object keyed by provider name');
    for (const name of Object.keys(patch.providers)) {
      const id = resolve(name);
      const path = `${where}.providers.${name}`;
      if (!id) throw bad(path, `unknown provider (known: ${PROVIDERS.join(', ')} and their aliases)`);
      const fields = patch.providers[name];
      if (!plainObject(fields)) throw bad(path, 'expected an object of provider fields');
      const p = Object.assign({}, out.providers[id]);
      for (const f of Object.keys(fields)) {
        if (!Object.prototype.hasOwnProperty.call(FIELDS, f)) throw bad(`${path}.${f}`, `unknown field (known: ${Object.keys(FIELDS).join(', ')})`);
        const msg = FIELDS[f](fields[f]);
        if (msg) throw bad(`${path}.${f}`, msg);
        p[f] = Array.isArray(fields[f]) ? fields[f].slice() : fields[f];
      }
      out.providers[id] = Object.freeze(p);
    }
  }
  for (const k of ['contract', 'weights']) {
    if (patch[k] === undefined) continue;
    if (!plainObject(patch[k])) throw bad(`${where}.${k}`, 'expected an object');
    Object.assign(out[k], patch[k]);
  }
  return out;
}

/** defaultConfig is the table above with the chat-turn contract. */
function defaultConfig() {
  return { providers: Object.assign({}, DEFAULT_PROVIDERS), contract: {}, weights: {} };
}

/**
 * graphDoc is the planning graph of a configuration: one resource node per
 * provider (id = provider = canonical name), no intent node — each turn's
 * contract text is the implicit intent over all of them.
 */
function graphDoc(config) {
  const nodes = PROVIDERS.map((id) => {
    const p = config.providers[id];
    return {
      id, kind: 'resource', label: p.model, resourceKind: 'llm', provider: id,
      capabilities: p.capabilities.slice(), costPerToken: p.costPerToken, latencyTargetMs: p.latencyTargetMs, health: p.health,
      external: id !== 'ollama',
    };
  });
  return { nodes, edges: [] };
}

module.exports = { DEFAULT_PROVIDERS, PROVIDERS, ALIASES, resolve, callable, mergeConfig, defaultConfig, graphDoc };
