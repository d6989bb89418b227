/*
 * grounding.js: the dilation and grounding functions of a chat server, with
 * the exact shapes and defaults the original `grounding-policy` module
 * exported, computed by the module (dilation.compute, dilation.grounding,
 * dilation.estimate).
 */
'use strict';

const { CegError } = require('../errors.js');

/** The range and neutral value of D. */
const D_MIN = 0.1;
const D_MAX = 5.0;
const D_DEFAULT = 1.0;
const DEFAULT_TICK_MS = 1800000;

/**
 * groundingTick is the cadence of time-based grounding: the integer in
 * env.GROUNDING_TICK_MS when it parses as one (`parseInt`, base 10; `0` or
 * a negative value switches cadence grounding off), else 1,800,000 ms.
 * @param {Record<string, string|undefined>} env
 */
function groundingTick(env) {
  const n = Number.parseInt(env.GROUNDING_TICK_MS || '', 10);
  return Number.isInteger(n) ? n : DEFAULT_TICK_MS;
}

/** GROUNDING_TICK_MS as read once when the adapter is first required. */
const GROUNDING_TICK_MS = groundingTick(process.env);

/**
 * num reads an argument the way the original's arithmetic did (Number
 * coercion: `null` is 0, `"0.5"` is 0.5) but refuses what it cannot read:
 * a value that coerces to NaN throws CegError INVALID_ARGUMENT rather than
 * reaching a default.
 */
function num(v, path) {
  const x = typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'symbol' ? NaN : Number(v);
  if (Number.isNaN(x)) throw new CegError('INVALID_ARGUMENT', `ceg stream-chat: ${path}: expected a number, got ${typeof v === 'number' ? 'NaN' : typeof v}`, { path });
  return x;
}

function clamp(x, lo, hi) { return Math.min(hi, Math.max(lo, x)); }

/**
 * base reads a grounding base: an integer (the module's bases are counts) in
 * [0, 1,000,000]; anything else throws CegError INVALID_ARGUMENT.
 */
function base(v, def, path) {
  if (v === undefined) return def;
  const x = num(v, path);
  if (!Number.isInteger(x) || x < 0 || x > 1000000) {
    throw new CegError('INVALID_ARGUMENT', `ceg stream-chat: ${path}: expected an integer within [0, 1000000], got ${x}`, { path });
  }
  return x;
}

/**
 * makeGrounding returns the functions bound to an engine getter (a function
 * returning a synchronous CEG API).
 * @param {() => import('../index').CegSync} engine
 */
function makeGrounding(engine) {
  /**
   * dilation(uncertainty, costPressure = 0, confidence = 0.5,
   * collapseProximity = 0) → D. Inputs are clamped to [0, 1] by the module.
   */
  function dilation(uncertainty, costPressure = 0, confidence = 0.5, collapseProximity = 0) {
    return engine().dilation({
      uncertainty: clamp(num(uncertainty, 'uncertainty'), 0, 1),
      costPressure: clamp(num(costPressure, 'costPressure'), 0, 1),
      confidence: clamp(num(confidence, 'confidence'), 0, 1),
      collapseProximity: clamp(num(collapseProximity, 'collapseProximity'), 0, 1),
    });
  }

  /**
   * groundingPolicy(D, {baseMaxResults = 5, baseMinSources = 2} = {}) →
   * {fetchExternal, maxResults, minSources, deepMode}; D is clamped to
   * [D_MIN, D_MAX].
   */
  function groundingPolicy(D, opts = {}) {
    const o = opts === null || typeof opts !== 'object' ? {} : opts;
    const d = clamp(num(D, 'D'), D_MIN, D_MAX);
    return engine().grounding(d, {
      baseMaxResults: base(o.baseMaxResults, 5, 'baseMaxResults'),
      baseMinSources: base(o.baseMinSources, 2, 'baseMinSources'),
    });
  }

  /**
   * chatDilation(message, {confidence = 0.5, collapseProximity = 0} = {}) →
   * the D of the message's estimated uncertainty (a number). A non-string
   * message is `String(message || "")`.
   */
  function chatDilation(message, opts = {}) {
    const o = opts === null || typeof opts !== 'object' ? {} : opts;
    const text = typeof message === 'string' ? message : String(message || '');
    return engine().estimate(text, {
      confidence: clamp(num(o.confidence === undefined ? 0.5 : o.confidence, 'confidence'), 0, 1),
      collapseProximity: clamp(num(o.collapseProximity === undefined ? 0 : o.collapseProximity, 'collapseProximity'), 0, 1),
    }).d;
  }

  return { dilation, groundingPolicy, chatDilation };
}

/**
 * isGroundingDue(lastGroundedAtMs, nowMs = Date.now(), cadenceMs =
 * GROUNDING_TICK_MS): false when cadenceMs is falsy or <= 0; true when
 * lastGroundedAtMs is falsy (never grounded); else nowMs - last >= cadenceMs.
 */
function isGroundingDue(lastGroundedAtMs, nowMs = Date.now(), cadenceMs = GROUNDING_TICK_MS) {
  if (!cadenceMs || cadenceMs <= 0) return false;
  if (!lastGroundedAtMs) return true;
  return nowMs - lastGroundedAtMs >= cadenceMs;
}

module.exports = { makeGrounding, isGroundingDue, groundingTick, D_MIN, D_MAX, D_DEFAULT, GROUNDING_TICK_MS, DEFAULT_TICK_MS };
