/*
 * rpc.js: JSON-RPC 2.0 framing over a raw text exchange.
 *
 * createRpc(raw, sync) wraps `raw(text) -> responseText` (synchronous, or
 * returning a Promise when sync is false) with call / notify / batch. Request
 * ids increase from 1; a response must carry the id that was sent. Module
 * errors become CegError with the wire code, path and data.
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var cjs = typeof module === 'object' && module && module.exports;
  var m = cjs ? factory(require('./errors.js')) : factory(reg.errors);
  reg.rpc = m;
  if (cjs) module.exports = m;
})(globalThis, function (errors) {
  'use strict';

  var CegError = errors.CegError;

  function badResponse(method, why, text) {
    return new CegError('BAD_RESPONSE', 'ceg: ' + method + ': ' + why, { data: { response: text.length > 2000 ? text.slice(0, 2000) + '…' : text } });
  }

  function parse(method, text) {
    if (text === '') throw badResponse(method, 'the module sent no response to a request with an id', text);
    try {
      return JSON.parse(text);
    } catch (e) {
      throw badResponse(method, 'the response is not JSON (' + e.message + ')', text);
    }
  }

  function checkMethod(method) {
    if (typeof method !== 'string' || method === '') {
      throw new CegError('INVALID_ARGUMENT', 'ceg: method must be a non-empty string; got ' + (typeof method));
    }
  }

  function envelope(id, method, params) {
    var req = { jsonrpc: '2.0' };
    if (id !== undefined) req.id = id;
    req.method = method;
    req.params = params === undefined ? {} : params;
    return req;
  }

  /**
   * createRpc builds the JSON-RPC layer.
   * @param {(text: string) => (string|Promise<string>)} raw sends request text, returns response text.
   * @param {boolean} sync whether raw is synchronous (the methods then return values, not Promises).
   */
  function createRpc(raw, sync) {
    var nextId = 1;
    // run(fn, k): sync mode applies k to fn()'s value; async mode turns any
    // throw into a rejection so callers always get a Promise.
    var run = sync
      ? function (fn, k) { return k(fn()); }
      : function (fn, k) { return new Promise(function (res) { res(fn()); }).then(k); };

    /**
     * call runs one method and returns its result, or throws CegError.
     * @param {string} method
     * @param {object} [params]
     */
    function call(method, params) {
      var id;
      return run(function () {
        checkMethod(method);
        id = nextId++;
        return raw(JSON.stringify(envelope(id, method, params)));
      }, function (text) {
        var res = parse(method, text);
        if (!res || typeof res !== 'object' || Array.isArray(res)) throw badResponse(method, 'the response is not a JSON-RPC object', text);
        if (res.error) throw CegError.fromRpc(res.error, method);
        if (res.id !== id) throw badResponse(method, 'the response id ' + JSON.stringify(res.id) + ' does not match the request id ' + id, text);
        if (!('result' in res)) throw badResponse(method, 'the response has neither result nor error', text);
        return res.result;
      });
    }

    /**
     * notify runs a method as a JSON-RPC notification (no id): the module
     * answers nothing, so neither result nor error comes back.
     * @param {string} method
     * @param {object} [params]
     */
    function notify(method, params) {
      return run(function () {
        checkMethod(method);
        return raw(JSON.stringify(envelope(undefined, method, params)));
      }, function (text) {
        if (text !== '') throw badResponse(method, 'the module answered a notification', text);
        return undefined;
      });
    }

    /**
     * batch sends several calls in one JSON-RPC batch. The result has one
     * entry per call, in call order: {ok: true, result} or {ok: false, error}.
     * @param {{method: string, params?: object}[]} calls
     */
    function batch(calls) {
      var ids;
      return run(function () {
        if (!Array.isArray(calls)) throw new CegError('INVALID_ARGUMENT', 'ceg: batch takes an array of {method, params}');
        ids = calls.map(function (c) { checkMethod(c && c.method); return nextId++; });
        return raw(JSON.stringify(calls.map(function (c, i) { return envelope(ids[i], c.method, c.params); })));
      }, function (text) {
        var res = parse('batch', text);
        if (!Array.isArray(res)) {
          if (res && res.error) throw CegError.fromRpc(res.error, 'batch');
          throw badResponse('batch', 'a batch response must be an array', text);
        }
        var byId = new Map();
        for (var r of res) byId.set(r && r.id, r);
        return ids.map(function (id, i) {
          var r = byId.get(id);
          if (!r) throw badResponse('batch', 'no response for call ' + i + ' (' + calls[i].method + ')', text);
          if (r.error) return { ok: false, error: CegError.fromRpc(r.error, calls[i].method) };
          return { ok: true, result: r.result };
        });
      });
    }

    return { call: call, notify: notify, batch: batch };
  }

  return { createRpc: createRpc };
});
