/*
 * errors.js: CegError, the one error type the binding throws.
 *
 * Errors from the module keep the wire data: `code` is the JSON-RPC error's
 * `data.code` (a stable string such as CYCLE or INVALID_PARAMS), `path` its
 * `data.path`, `rpcCode` the numeric JSON-RPC code. Errors raised by the
 * binding itself (ABI_MISMATCH, INSTANCE_TRAPPED, ...) have no rpcCode.
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var m = factory();
  reg.errors = m;
  if (typeof module === 'object' && module && module.exports) module.exports = m;
})(globalThis, function () {
  'use strict';

  /** Codes for JSON-RPC errors whose data carries no string code. */
  var RPC_CODES = Object.freeze({
    '-32700': 'PARSE_ERROR',
    '-32600': 'INVALID_REQUEST',
    '-32601': 'METHOD_NOT_FOUND',
    '-32602': 'INVALID_PARAMS',
    '-32603': 'INTERNAL',
  });

  /**
   * CegError is an Error with a stable string `code`, the JSON `path` of the
   * offending input (when there is one), the wire `data`, the evidence `ids`
   * and, for errors returned by the module, the numeric JSON-RPC `rpcCode`
   * and the `method` that failed.
   */
  class CegError extends Error {
    /**
     * @param {string} code stable error code.
     * @param {string} message human-readable message.
     * @param {{path?: string, data?: object, rpcCode?: number, method?: string, ids?: string[], cause?: unknown}} [extra]
     */
    constructor(code, message, extra) {
      extra = extra || {};
      super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
      this.name = 'CegError';
      this.code = code;
      this.path = extra.path === undefined ? (extra.data && typeof extra.data.path === 'string' ? extra.data.path : undefined) : extra.path;
      this.data = extra.data;
      this.rpcCode = extra.rpcCode;
      this.method = extra.method;
      this.ids = extra.ids || (extra.data && Array.isArray(extra.data.ids) ? extra.data.ids : undefined);
    }

    /**
     * fromRpc turns a JSON-RPC error object into a CegError.
     * @param {{code: number, message: string, data?: any}} err
     * @param {string} [method] the method that was called.
     * @returns {CegError}
     */
    static fromRpc(err, method) {
      var data = err && typeof err.data === 'object' && err.data !== null ? err.data : undefined;
      var code = data && typeof data.code === 'string' ? data.code : RPC_CODES[String(err && err.code)] || 'RPC_ERROR';
      var message = (err && err.message) || code;
      return new CegError(code, method ? method + ': ' + message : message, { data: data, rpcCode: err && err.code, method: method });
    }

    /** @returns {object} a structured-clone-safe copy (used across workers). */
    toJSON() {
      return { name: this.name, code: this.code, message: this.message, path: this.path, data: this.data, rpcCode: this.rpcCode, method: this.method, ids: this.ids };
    }

    /**
     * revive rebuilds a CegError from its toJSON form.
     * @param {{code: string, message: string}} o
     */
    static revive(o) {
      return new CegError(o.code, o.message, o);
    }
  }

  return { CegError: CegError, RPC_CODES: RPC_CODES };
});
