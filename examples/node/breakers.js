'use strict';
/*
 * breakers.js: the chat server's per-provider circuit breakers (SPEC §5.7),
 * turned into the SystemState a plan reads.
 *
 * Success resets the error count and feeds a latency EMA (alpha 0.2, the
 * first sample seeds it); an error or timeout counts, and 3 in a row open
 * the circuit for 30 s · 2^level (capped at 600 s) of host time; a quota
 * answer backs off 60 s. The planner sees them as S.resources.breakers and
 * S.resources.latencyMs: an open circuit makes the provider RESOURCE_DOWN
 * until its probe is due, and recent errors raise its instability cost.
 *
 * When the module's exec.* sessions drive turns, exec.report keeps these
 * breakers inside CEG and this file goes away.
 */

const ALPHA = 0.2;

class Breakers {
  /**
   * @param {{failureThreshold?: number, baseOpenMs?: number, maxOpenMs?: number, quotaBackoffMs?: number}} [o]
   */
  constructor(o = {}) {
    this.failureThreshold = o.failureThreshold || 3;
    this.baseOpenMs = o.baseOpenMs || 30000;
    this.maxOpenMs = o.maxOpenMs || 600000;
    this.quotaBackoffMs = o.quotaBackoffMs || 60000;
    /** @type {Map<string, {state: string, errors: number, level: number, openUntil?: number, latencyEmaMs?: number, samples: number}>} */
    this.by = new Map();
  }

  get(name) {
    let b = this.by.get(name);
    if (!b) {
      b = { state: 'available', errors: 0, level: 0, samples: 0 };
      this.by.set(name, b);
    }
    return b;
  }

  /**
   * record notes one attempt's outcome.
   * @param {string} name provider
   * @param {{status: 'ok'|'error'|'timeout'|'quota', latencyMs?: number}} outcome
   * @param {number} now host clock, ms
   */
  record(name, outcome, now) {
    const b = this.get(name);
    if (outcome.status === 'ok') {
      b.state = 'available';
      b.errors = 0;
      b.level = 0;
      delete b.openUntil;
      if (typeof outcome.latencyMs === 'number') {
        b.latencyEmaMs = b.samples === 0 ? outcome.latencyMs : ALPHA * outcome.latencyMs + (1 - ALPHA) * b.latencyEmaMs;
        b.samples++;
      }
      return;
    }
    if (outcome.status === 'quota') {
      b.state = 'quota_hit';
      b.openUntil = now + this.quotaBackoffMs;
      return;
    }
    b.errors++;
    if (b.errors >= this.failureThreshold) {
      b.state = 'circuit_open';
      b.openUntil = now + Math.min(this.baseOpenMs * 2 ** b.level, this.maxOpenMs);
      b.level++;
    } else {
      b.state = 'degraded';
    }
  }

  /**
   * state returns the SystemState for a plan at host time now.
   * @param {number} now
   */
  state(now) {
    const names = [...this.by.keys()].sort();
    const latencyMs = {};
    const breakers = {};
    for (const n of names) {
      const b = this.by.get(n);
      if (b.samples > 0) latencyMs[n] = Math.round(b.latencyEmaMs);
      const w = { state: b.state, errors: b.errors, level: b.level };
      if (b.openUntil !== undefined) w.openUntil = b.openUntil;
      if (b.samples > 0) {
        w.latencyEmaMs = Math.round(b.latencyEmaMs);
        w.samples = b.samples;
      }
      breakers[n] = w;
    }
    return { now, resources: { latencyMs, breakers } };
  }
}

module.exports = { Breakers };
