/*
 * conformance.js: reads and runs the shared conformance vectors
 * (testdata/conformance/*.json, docs/DESIGN.md#conformance) in Node and in the browser page.
 *
 * A vector file is one object {"name", "request", "response"} and may carry
 * "requestText" (a JSON string holding raw request bytes, for malformed
 * input). Bytes are compared, not parsed values: the request sent is the
 * requestText string when present, else the `request` value's exact text
 * with insignificant whitespace removed; the module's response must equal
 * the `response` value's text compacted the same way, and a `null` response
 * means no response at all (a notification). The scanner below never
 * re-serialises a value, so number spellings and string escapes survive.
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var m = factory();
  reg.conformance = m;
  if (typeof module === 'object' && module && module.exports) module.exports = m;
})(globalThis, function () {
  'use strict';

  function fail(s, i, what) {
    var e = new SyntaxError('JSON: ' + what + ' at offset ' + i + ' near ' + JSON.stringify(s.slice(Math.max(0, i - 10), i + 10)));
    e.offset = i;
    throw e;
  }

  function isWs(c) { return c === ' ' || c === '\t' || c === '\n' || c === '\r'; }

  /** skipWs returns the first index at or after i that is not JSON whitespace. */
  function skipWs(s, i) {
    while (i < s.length && isWs(s[i])) i++;
    return i;
  }

  /** scanString returns the index just past the string literal opening at i. */
  function scanString(s, i) {
    if (s[i] !== '"') fail(s, i, 'expected a string');
    i++;
    while (i < s.length) {
      var c = s.charCodeAt(i);
      if (c === 34) return i + 1; // "
      if (c < 0x20) fail(s, i, 'control character in string');
      if (c === 92) { // backslash
        var e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) fail(s, i, 'bad \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.indexOf(e) >= 0) {
          i += 2;
        } else {
          fail(s, i, 'bad escape');
        }
      } else {
        i++;
      }
    }
    return fail(s, i, 'unterminated string');
  }

  var NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

  /**
   * scanValue returns the index just past the JSON value that starts at i
   * (i must not point at whitespace).
   */
  function scanValue(s, i) {
    var c = s[i];
    if (c === '"') return scanString(s, i);
    if (c === '{' || c === '[') {
      var close = c === '{' ? '}' : ']';
      i = skipWs(s, i + 1);
      if (s[i] === close) return i + 1;
      for (;;) {
        if (c === '{') {
          i = skipWs(s, scanString(s, i));
          if (s[i] !== ':') fail(s, i, 'expected :');
          i = skipWs(s, i + 1);
        }
        i = skipWs(s, scanValue(s, i));
        if (s[i] === close) return i + 1;
        if (s[i] !== ',') fail(s, i, 'expected , or ' + close);
        i = skipWs(s, i + 1);
      }
    }
    for (var lit of ['true', 'false', 'null']) {
      if (s.startsWith(lit, i)) return i + lit.length;
    }
    NUMBER.lastIndex = i;
    var m = NUMBER.exec(s);
    if (m && m[0].length > 0) return i + m[0].length;
    return fail(s, i, 'unexpected ' + (c === undefined ? 'end of input' : JSON.stringify(c)));
  }

  /**
   * compact returns the text of the one JSON value in s with every
   * insignificant whitespace character removed; string contents and number
   * spellings are kept byte for byte. Throws SyntaxError on invalid JSON.
   * @param {string} s
   * @returns {string}
   */
  function compact(s) {
    var start = skipWs(s, 0);
    var end = scanValue(s, start);
    if (skipWs(s, end) !== s.length) fail(s, skipWs(s, end), 'trailing text');
    var out = '';
    var i = start;
    while (i < end) {
      if (s[i] === '"') {
        var j = scanString(s, i);
        out += s.slice(i, j);
        i = j;
      } else {
        var k = i;
        while (k < end && s[k] !== '"' && !isWs(s[k])) k++;
        out += s.slice(i, k);
        i = skipWs(s, k);
      }
    }
    return out;
  }

  /**
   * members returns the members of the JSON object in s as
   * [{key, text}], where text is the member value's exact source text.
   * @param {string} s
   * @returns {{key: string, text: string}[]}
   */
  function members(s) {
    var i = skipWs(s, 0);
    if (s[i] !== '{') fail(s, i, 'expected an object');
    var end = scanValue(s, i);
    if (skipWs(s, end) !== s.length) fail(s, skipWs(s, end), 'trailing text');
    var out = [];
    i = skipWs(s, i + 1);
    while (s[i] !== '}') {
      var k = scanString(s, i);
      var name = JSON.parse(s.slice(i, k));
      i = skipWs(s, skipWs(s, k) + 1); // past ':'
      var v = scanValue(s, i);
      out.push({ key: name, text: s.slice(i, v) });
      i = skipWs(s, v);
      if (s[i] === ',') i = skipWs(s, i + 1);
    }
    return out;
  }

  var KEYS = ['name', 'request', 'requestText', 'response'];

  /**
   * parseVector reads one vector file.
   * @param {string} text the file's contents.
   * @param {string} file its name, for messages.
   * @returns {{name: string, file: string, request: string, response: string|null}}
   *   request: the exact text to send; response: the exact text expected, or
   *   null when no response is expected.
   */
  function parseVector(text, file) {
    var by = {};
    for (var m of members(text)) {
      if (KEYS.indexOf(m.key) < 0) throw new Error(file + ': unknown key ' + JSON.stringify(m.key) + ' (a vector has ' + KEYS.join(', ') + ')');
      if (m.key in by) throw new Error(file + ': duplicate member ' + JSON.stringify(m.key));
      by[m.key] = m.text;
    }
    if (!('name' in by)) throw new Error(file + ': missing "name"');
    var name = JSON.parse(by.name);
    if (typeof name !== 'string' || name === '') throw new Error(file + ': "name" must be a non-empty string');
    var request;
    if ('requestText' in by) {
      request = JSON.parse(by.requestText);
      if (typeof request !== 'string') throw new Error(file + ': "requestText" must be a string');
    } else if ('request' in by) {
      request = compact(by.request);
    } else {
      throw new Error(file + ': missing "request" (or "requestText")');
    }
    // As in the Go loader, an absent response means none is expected.
    var response = 'response' in by ? compact(by.response) : 'null';
    return { name: name, file: file, request: request, response: response === 'null' ? null : response };
  }

  /** firstDifference describes where two strings part, with context. */
  function firstDifference(got, want) {
    var i = 0;
    while (i < got.length && i < want.length && got[i] === want[i]) i++;
    var from = Math.max(0, i - 40);
    return 'first difference at offset ' + i + ':\n  got:  …' + got.slice(from, i + 40) + '\n  want: …' + want.slice(from, i + 40);
  }

  /**
   * runVector sends the vector's request through callRaw (sync or async)
   * and compares the response bytes.
   * @param {{name: string, file: string, request: string, response: string|null}} vector
   * @param {(text: string) => (string|Promise<string>)} callRaw
   * @returns {Promise<{name: string, file: string, ok: boolean, got: string, want: string|null, detail: string}>}
   */
  async function runVector(vector, callRaw) {
    var got = await callRaw(vector.request);
    var want = vector.response === null ? '' : vector.response;
    var ok = got === want;
    var detail = ok ? '' : vector.response === null
      ? 'expected no response (notification), got: ' + got
      : got === '' ? 'expected a response, got none' : firstDifference(got, want);
    return { name: vector.name, file: vector.file, ok: ok, got: got, want: vector.response, detail: detail };
  }

  /**
   * runAll runs each vector on a fresh instance, as every runtime does (a
   * vector's handles start from a new engine), and returns the per-vector
   * results and counts. An empty corpus throws: a runner must never pass by
   * running nothing.
   * @param {{name: string, file: string, request: string, response: string|null}[]} vectors
   * @param {() => Promise<{callRaw: (text: string) => (string|Promise<string>), close?: () => unknown}>} fresh
   */
  async function runAll(vectors, fresh) {
    if (!vectors.length) throw new Error('the conformance corpus is empty');
    var results = [];
    for (var v of vectors) {
      var inst = null;
      try {
        inst = await fresh();
        results.push(await runVector(v, inst.callRaw));
      } catch (e) {
        results.push({ name: v.name, file: v.file, ok: false, got: '', want: v.response, detail: 'threw ' + (e && e.code ? e.code + ': ' : '') + (e && e.message) });
      } finally {
        if (inst && inst.close) await inst.close();
      }
    }
    var passed = results.filter(function (r) { return r.ok; }).length;
    return { results: results, passed: passed, failed: results.length - passed };
  }

  return { compact: compact, members: members, scanValue: scanValue, parseVector: parseVector, runVector: runVector, runAll: runAll, firstDifference: firstDifference };
});
