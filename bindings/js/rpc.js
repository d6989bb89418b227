/*
 * rpc.js: JSON-RPC 2.0 framing over a raw text exchange.
 *
 * createRpc(raw, sync) wraps `raw(text) -> responseText` (synchronous, or
 * returning a Promise when sync is false) with call / notify / batch. Request
 * ids increase from 1; a response must carry the id that was sent. Module
 * errors become CegError with the wire code, path and data.
 *
 * Params are checked before they are encoded (encode): JSON.stringify
 * would send NaN and ±Infinity as null (which the module reads as "use
 * the default"), drop undefined and functions, turn a Map into {}, escape
 * lone surrogates that the module then decodes to one replacement
 * character, and throw plain TypeErrors for a BigInt or a cycle. Each of
 * those is a CegError INVALID_ARGUMENT here, with the JSON path of the
 * offending value, and nothing is sent.
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

  /** MAX_DEPTH is the deepest params value the binding encodes. */
  var MAX_DEPTH = 512;
  var IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  var LONE_SURROGATE = /\p{Cs}/u; // in unicode mode a paired surrogate is one code point: only lone ones match
  var REFUSED = [
    typeof Map === 'function' && Map, typeof Set === 'function' && Set,
    typeof WeakMap === 'function' && WeakMap, typeof WeakSet === 'function' && WeakSet,
    typeof Promise === 'function' && Promise, typeof RegExp === 'function' && RegExp,
  ].filter(Boolean);

  function join(path, key) {
    if (typeof key === 'number') return path + '[' + key + ']';
    var k = IDENT.test(key) ? key : '[' + JSON.stringify(key) + ']';
    if (k[0] === '[') return path + k;
    return path === '' ? k : path + '.' + k;
  }

  /** pathOf builds the JSON path of keys under prefix (only when there is an error to report). */
  function pathOf(prefix, keys) {
    var p = prefix;
    for (var i = 0; i < keys.length; i++) p = join(p, keys[i]);
    return p;
  }

  var loneSurrogate = typeof ''.isWellFormed === 'function'
    ? function (s) { return !s.isWellFormed(); }
    : function (s) { return LONE_SURROGATE.test(s); };

  /**
   * Checker walks a params value as JSON.stringify would and throws
   * INVALID_ARGUMENT at the first value that would not survive encoding
   * unchanged: a non-finite number, a BigInt, undefined or a function in
   * an array, a symbol, a string or key with a lone surrogate, a Map, Set,
   * WeakMap, WeakSet, Promise, RegExp or typed array (encoded as objects),
   * a cycle, or nesting deeper than MAX_DEPTH. Undefined and function-valued
   * object members are left out, as JSON.stringify leaves them out (an
   * absent optional field). Values with toJSON (a Date) are checked as what
   * toJSON returns. The path is built only for the error: the walk itself
   * keeps a stack of keys.
   */
  function Checker(prefix) {
    this.prefix = prefix;
    this.keys = []; // the keys from the root to the current value
    this.stack = []; // the objects from the root to the current value (cycles)
  }

  Checker.prototype.fail = function (why, value) {
    var path = pathOf(this.prefix, this.keys);
    var shown = path === '' ? 'params' : path;
    return new CegError('INVALID_ARGUMENT', 'ceg: ' + shown + ': ' + why + '; nothing was sent', { path: path, data: { path: path, type: typeof value } });
  };

  Checker.prototype.value = function (value, key) {
    if (value !== null && (typeof value === 'object' || typeof value === 'bigint') && typeof value.toJSON === 'function') {
      value = value.toJSON(String(key));
    }
    switch (typeof value) {
      case 'string':
        if (loneSurrogate(value)) throw this.fail('the string holds a lone UTF-16 surrogate, which JSON cannot carry', value);
        return;
      case 'number':
        if (!isFinite(value)) throw this.fail(String(value) + ' is not a JSON number (it would be sent as null)', value);
        return;
      case 'boolean':
        return;
      case 'bigint':
        throw this.fail('a BigInt is not a JSON number; pass a Number', value);
      case 'symbol':
        throw this.fail('a symbol has no JSON form', value);
      case 'function':
        throw this.fail('a function has no JSON form', value);
      case 'undefined':
        throw this.fail('undefined has no JSON form (in an array it would be sent as null)', value);
    }
    if (value === null) return;
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      this.value(value.valueOf(), key);
      return;
    }
    for (var r = 0; r < REFUSED.length; r++) {
      if (value instanceof REFUSED[r]) throw this.fail('a ' + REFUSED[r].name + ' has no JSON form (it would be sent as {}); pass a plain object or array', value);
    }
    if (this.stack.length >= MAX_DEPTH) throw this.fail('nested deeper than ' + MAX_DEPTH + ' levels', value);
    if (this.stack.indexOf(value) >= 0) throw this.fail('a circular reference (the value contains itself)', value);
    var keys = this.keys;
    this.stack.push(value);
    if (Array.isArray(value)) {
      for (var i = 0; i < value.length; i++) {
        keys.push(i);
        this.value(value[i], i);
        keys.pop();
      }
    } else if (ArrayBuffer.isView(value)) {
      throw this.fail('a typed array is encoded as an object by JSON; pass Array.from(it)', value);
    } else {
      for (var k in value) {
        if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
        var v = value[k];
        if (v === undefined || typeof v === 'function') continue; // left out, as JSON.stringify does
        keys.push(k);
        if (loneSurrogate(k)) throw this.fail('the key holds a lone UTF-16 surrogate, which JSON cannot carry', k);
        this.value(v, k);
        keys.pop();
      }
    }
    this.stack.pop();
  };

  /** check throws INVALID_ARGUMENT for the first value of params JSON cannot carry unchanged (see Checker). */
  function check(params, prefix) {
    new Checker(prefix || '').value(params, '');
  }

  /**
   * encode returns the JSON text of a request whose params were checked
   * (see check); prefix is prepended to error paths (a batch's "[i]").
   */
  function encode(req, params, prefix) {
    try {
      if (params !== undefined) check(params, prefix);
      return JSON.stringify(req);
    } catch (e) {
      if (e instanceof CegError) throw e;
      var rangeErr = e && e.name === 'RangeError';
      throw new CegError(rangeErr ? 'LIMIT_EXCEEDED' : 'INVALID_ARGUMENT', 'ceg: the request cannot be encoded: ' + (e && e.message), { cause: e });
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
   * @param {(text: string, opts?: {timeoutMs?: number}) => (string|Promise<string>)} raw sends request text, returns response text.
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
     * @param {{timeoutMs?: number}} [opts] per-call options (worker mode).
     */
    function call(method, params, opts) {
      var id;
      return run(function () {
        checkMethod(method);
        id = nextId++;
        return raw(encode(envelope(id, method, params), params), opts);
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
    function notify(method, params, opts) {
      return run(function () {
        checkMethod(method);
        return raw(encode(envelope(undefined, method, params), params), opts);
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
    function batch(calls, opts) {
      var ids;
      return run(function () {
        if (!Array.isArray(calls)) throw new CegError('INVALID_ARGUMENT', 'ceg: batch takes an array of {method, params}');
        calls.forEach(function (c, i) {
          checkMethod(c && c.method);
          if (c.params !== undefined) check(c.params, '[' + i + ']');
        });
        ids = calls.map(function () { return nextId++; });
        return raw(encode(calls.map(function (c, i) { return envelope(ids[i], c.method, c.params); }), undefined), opts);
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

  return { createRpc: createRpc, check: check, MAX_DEPTH: MAX_DEPTH };
});
