'use strict';
/*
 * mock-providers.js: local stand-ins for LLM provider APIs, on loopback.
 *
 * Each provider is an HTTP server on 127.0.0.1 (ephemeral port) answering
 * POST /v1/chat {message} with a stream of NDJSON lines {"token": "..."}
 * and a final {"done": true, "tokens": n}. Behaviours:
 *   healthy  streams a deterministic reply at once;
 *   failing  answers HTTP 500;
 *   quota    answers HTTP 429 (rate limited);
 *   slow     waits `delayMs` before the first token (past any sane deadline);
 *   drop     streams `dropAfter` tokens (default 2), then an error line
 *            {"error": "..."} and ends: the reply breaks mid-stream.
 * `sequence` (optional) gives the behaviour call by call: the n-th call uses
 * sequence[n-1], and the last entry repeats. The reply is a function of the
 * provider name and the message, so tests can assert on the exact text.
 */

const http = require('node:http');

/**
 * replyFor is the text a healthy provider streams back.
 * @param {string} name
 * @param {string} message
 */
function replyFor(name, message) {
  return `[${name}] You said: ${message}`;
}

/**
 * startProvider starts one mock provider.
 * @param {{name: string, behavior?: Behavior, sequence?: Behavior[], delayMs?: number, tokenDelayMs?: number, dropAfter?: number}} spec
 * @returns {Promise<{name: string, behavior: string, url: string, calls: number, close(): Promise<void>}>}
 * @typedef {'healthy'|'failing'|'quota'|'slow'|'drop'} Behavior
 */
function startProvider(spec) {
  const sequence = Array.isArray(spec.sequence) && spec.sequence.length > 0 ? spec.sequence : null;
  const behavior = sequence ? sequence.join(',') : spec.behavior || 'healthy';
  const dropAfter = spec.dropAfter === undefined ? 2 : spec.dropAfter;
  const delayMs = spec.delayMs === undefined ? 5000 : spec.delayMs;
  const tokenDelayMs = spec.tokenDelayMs || 0;
  const info = { name: spec.name, behavior, url: '', calls: 0, close: null };
  const timers = new Set();
  const later = (ms, fn) => {
    const t = setTimeout(() => { timers.delete(t); fn(); }, ms);
    timers.add(t);
  };

  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat') {
      res.writeHead(404).end();
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      info.calls++;
      const act = sequence ? sequence[Math.min(info.calls, sequence.length) - 1] : behavior;
      let message = '';
      try {
        message = String(JSON.parse(body).message || '');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
        return;
      }
      if (act === 'failing') {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `${spec.name} is down` }));
        return;
      }
      if (act === 'quota') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' }).end(JSON.stringify({ error: `${spec.name}: rate limit exceeded` }));
        return;
      }
      const words = replyFor(spec.name, message).split(/(?<= )/);
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        if (act === 'drop' && i >= dropAfter) {
          res.end(JSON.stringify({ error: `${spec.name}: connection reset mid-stream` }) + '\n');
          return;
        }
        if (i < words.length) {
          res.write(JSON.stringify({ token: words[i++] }) + '\n');
          if (tokenDelayMs) later(tokenDelayMs, next);
          else next();
          return;
        }
        res.end(JSON.stringify({ done: true, tokens: words.length }) + '\n');
      };
      if (act === 'slow') later(delayMs, next);
      else next();
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      info.url = `http://127.0.0.1:${server.address().port}`;
      info.close = () => new Promise((done) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => done());
      });
      resolve(info);
    });
  });
}

/**
 * startProviders starts several mock providers.
 * @param {Array<Parameters<typeof startProvider>[0]>} specs
 */
async function startProviders(specs) {
  return Promise.all(specs.map(startProvider));
}

module.exports = { startProvider, startProviders, replyFor };
