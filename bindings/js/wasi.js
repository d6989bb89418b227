/*
 * wasi.js: the minimal WASI preview1 shim the CEG module runs on.
 *
 * The module is a Go wasip1 reactor. It needs no filesystem, network or
 * environment: of its imports only the clock, random_get, fd_write (stdout
 * and stderr, delivered line by line to a sink) and poll_oneoff do anything.
 * The same file runs in Node (CommonJS) and in browsers (loaded as an ES
 * module for its side effect; see browser.mjs), with no dependency.
 *
 * Guarantees: every import reads the memory buffer afresh (growth replaces
 * it); preopens are absent (fd_prestat_get answers EBADF, path_* ENOSYS); poll_oneoff never
 * blocks; proc_exit throws WasiExit so the host can discard the instance; any
 * wasi_snapshot_preview1 import the shim does not know answers ENOSYS.
 */
(function (root, factory) {
  'use strict';
  var key = Symbol.for('@convergence-io/ceg/modules');
  var reg = root[key] || (root[key] = {});
  var m = factory();
  reg.wasi = m;
  if (typeof module === 'object' && module && module.exports) module.exports = m;
})(globalThis, function () {
  'use strict';

  /** WASI errno values the shim returns. */
  var ERRNO = Object.freeze({ SUCCESS: 0, BADF: 8, INVAL: 28, NOSYS: 52, NOTDIR: 54, NOTSOCK: 57, SPIPE: 70 });

  var CLOCK_REALTIME = 0;
  var FILETYPE_CHARACTER_DEVICE = 2;
  var EVENTTYPE_CLOCK = 0;
  var RANDOM_CHUNK = 65536; // crypto.getRandomValues refuses more per call
  var SUBSCRIPTION_SIZE = 48;
  var EVENT_SIZE = 32;
  var FILESTAT_SIZE = 64;

  /**
   * WasiExit is thrown by proc_exit: the guest asked to terminate (Go does so
   * after a fatal error or panic), so the instance must not be used again.
   */
  class WasiExit extends Error {
    /** @param {number} code the exit code the guest passed to proc_exit. */
    constructor(code) {
      super('wasm module called proc_exit(' + code + ')');
      this.name = 'WasiExit';
      this.exitCode = code;
    }
  }

  /**
   * LineSink buffers bytes written to one fd and hands complete lines
   * (without the newline) to a callback. It keeps the last `keep` lines so a
   * host can attach them to a trap report.
   */
  class LineSink {
    /**
     * @param {(line: string) => void} emit called once per complete line.
     * @param {number} [keep] how many recent lines to remember (default 20).
     */
    constructor(emit, keep) {
      this.emit = emit;
      this.keep = keep === undefined ? 20 : keep;
      this.recent = [];
      /**
       * The first lines that say why the runtime died ("fatal error: out of
       * memory", "panic: ...", "runtime: ..."), kept however many goroutine
       * trace lines follow them: the last `keep` lines alone lost them.
       */
      this.fatal = [];
      this.pending = [];
      this.decoder = new TextDecoder('utf-8');
    }

    /** @param {Uint8Array} bytes a chunk of output; it is copied. */
    write(bytes) {
      var start = 0;
      for (var i = 0; i < bytes.length; i++) {
        if (bytes[i] === 10) {
          this.pending.push(bytes.slice(start, i));
          this.line();
          start = i + 1;
        }
      }
      if (start < bytes.length) this.pending.push(bytes.slice(start));
    }

    /** Emits a trailing partial line, if any. */
    flush() {
      if (this.pending.length) this.line();
    }

    /**
     * kept returns the lines to attach to a trap report: the fatal lines
     * (when they scrolled out of the recent ones) followed by the recent ones.
     * @returns {string[]}
     */
    kept() {
      var recent = this.recent;
      var lost = this.fatal.filter(function (l) { return recent.indexOf(l) < 0; });
      return lost.concat(recent);
    }

    line() {
      var n = 0;
      for (var p of this.pending) n += p.length;
      var all = new Uint8Array(n);
      var o = 0;
      for (var q of this.pending) { all.set(q, o); o += q.length; }
      this.pending = [];
      var text = this.decoder.decode(all);
      if (this.fatal.length < 4 && /^(fatal error:|panic:|runtime:|fatal:)/.test(text)) this.fatal.push(text);
      this.recent.push(text);
      if (this.recent.length > this.keep) this.recent.shift();
      if (this.emit) this.emit(text);
    }
  }

  function defaultRandom(view) {
    if (!globalThis.crypto || !globalThis.crypto.getRandomValues) {
      throw new Error('ceg: no crypto.getRandomValues in this runtime; pass options.randomFill');
    }
    globalThis.crypto.getRandomValues(view);
  }

  function nowNs(id) {
    var perf = globalThis.performance;
    if (id === CLOCK_REALTIME || !perf) {
      var ms = perf && perf.timeOrigin ? perf.timeOrigin + perf.now() : Date.now();
      return BigInt(Math.round(ms * 1e6));
    }
    return BigInt(Math.round(perf.now() * 1e6));
  }

  /**
   * createWasi returns the import object for one instance and the means to
   * bind it to that instance's memory.
   *
   * @param {object} [options]
   * @param {(line: string) => void} [options.stdout] sink for stdout lines (default console.log).
   * @param {(line: string) => void} [options.stderr] sink for stderr lines (default console.error).
   * @param {string[]} [options.args] argv (default ["ceg"]).
   * @param {Record<string,string>} [options.env] environment (default empty).
   * @param {(view: Uint8Array) => void} [options.randomFill] fills a view of at most 65536 bytes with random bytes.
   * @returns {{imports: WebAssembly.Imports, bind(instance: WebAssembly.Instance): void, flush(): void, stdout: LineSink, stderr: LineSink}}
   */
  function createWasi(options) {
    options = options || {};
    var enc = new TextEncoder();
    var args = (options.args || ['ceg']).map(function (a) { return enc.encode(a + '\0'); });
    var env = Object.keys(options.env || {}).sort().map(function (k) { return enc.encode(k + '=' + options.env[k] + '\0'); });
    var randomFill = options.randomFill || defaultRandom;
    /* eslint-disable no-console */
    var out = new LineSink(options.stdout || function (l) { console.log(l); });
    var err = new LineSink(options.stderr || function (l) { console.error(l); });
    /* eslint-enable no-console */
    var memory = null;

    function view() {
      if (!memory) throw new Error('ceg: WASI import called before the instance was bound');
      return new DataView(memory.buffer);
    }
    function bytes(ptr, len) { return new Uint8Array(memory.buffer, ptr, len); }

    function sizes(list, countPtr, sizePtr) {
      var dv = view();
      var total = 0;
      for (var b of list) total += b.length;
      dv.setUint32(countPtr, list.length, true);
      dv.setUint32(sizePtr, total, true);
      return ERRNO.SUCCESS;
    }
    function strings(list, ptrsPtr, bufPtr) {
      var dv = view();
      for (var i = 0; i < list.length; i++) {
        dv.setUint32(ptrsPtr + 4 * i, bufPtr, true);
        bytes(bufPtr, list[i].length).set(list[i]);
        bufPtr += list[i].length;
      }
      return ERRNO.SUCCESS;
    }
    function isStdio(fd) { return fd === 0 || fd === 1 || fd === 2; }

    var fns = {
      args_sizes_get: function (c, s) { return sizes(args, c, s); },
      args_get: function (p, b) { return strings(args, p, b); },
      environ_sizes_get: function (c, s) { return sizes(env, c, s); },
      environ_get: function (p, b) { return strings(env, p, b); },

      clock_time_get: function (id, _precision, timePtr) {
        if (id < 0 || id > 3) return ERRNO.INVAL;
        view().setBigUint64(timePtr, nowNs(id), true);
        return ERRNO.SUCCESS;
      },

      fd_write: function (fd, iovs, iovsLen, nwrittenPtr) {
        if (fd !== 1 && fd !== 2) return ERRNO.BADF;
        var dv = view();
        var sink = fd === 1 ? out : err;
        var n = 0;
        for (var i = 0; i < iovsLen; i++) {
          var ptr = dv.getUint32(iovs + 8 * i, true);
          var len = dv.getUint32(iovs + 8 * i + 4, true);
          sink.write(bytes(ptr, len));
          n += len;
        }
        dv.setUint32(nwrittenPtr, n, true);
        return ERRNO.SUCCESS;
      },

      fd_read: function (fd, _iovs, _iovsLen, nreadPtr) {
        if (fd !== 0) return ERRNO.BADF;
        view().setUint32(nreadPtr, 0, true); // stdin is always at EOF
        return ERRNO.SUCCESS;
      },

      fd_close: function (fd) { return isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF; },

      fd_fdstat_get: function (fd, ptr) {
        if (!isStdio(fd)) return ERRNO.BADF;
        var dv = view();
        dv.setUint8(ptr, FILETYPE_CHARACTER_DEVICE);
        dv.setUint8(ptr + 1, 0);
        dv.setUint16(ptr + 2, 0, true); // fs_flags
        dv.setUint32(ptr + 4, 0, true);
        dv.setBigUint64(ptr + 8, 0xffffffffffffffffn, true); // rights_base
        dv.setBigUint64(ptr + 16, 0xffffffffffffffffn, true); // rights_inheriting
        return ERRNO.SUCCESS;
      },

      fd_fdstat_set_flags: function (fd) { return isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF; },

      fd_filestat_get: function (fd, ptr) {
        if (!isStdio(fd)) return ERRNO.BADF;
        var dv = view();
        for (var k = 0; k < FILESTAT_SIZE; k += 8) dv.setBigUint64(ptr + k, 0n, true);
        dv.setUint8(ptr + 16, FILETYPE_CHARACTER_DEVICE); // dev u64, ino u64, filetype u8, ...
        return ERRNO.SUCCESS;
      },

      // stdio are character devices: no seeking, positional I/O, sizes,
      // directories or sockets; every other fd is unknown.
      fd_seek: function (fd) { return isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF; },
      fd_pread: function (fd) { return isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF; },
      fd_pwrite: function (fd) { return isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF; },
      fd_filestat_set_size: function (fd) { return isStdio(fd) ? ERRNO.INVAL : ERRNO.BADF; },
      fd_readdir: function (fd) { return isStdio(fd) ? ERRNO.NOTDIR : ERRNO.BADF; },
      fd_sync: function (fd) { return isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF; },
      sock_accept: function (fd) { return isStdio(fd) ? ERRNO.NOTSOCK : ERRNO.BADF; },
      sock_shutdown: function (fd) { return isStdio(fd) ? ERRNO.NOTSOCK : ERRNO.BADF; },
      // No filesystem: there are no preopens, so nothing can be opened.
      path_open: function () { return ERRNO.NOSYS; },
      path_filestat_get: function () { return ERRNO.NOSYS; },
      fd_prestat_get: function () { return ERRNO.BADF; },
      fd_prestat_dir_name: function () { return ERRNO.BADF; },

      poll_oneoff: function (inPtr, outPtr, nsubs, neventsPtr) {
        // Never blocks: every subscription is reported ready at once. The
        // module's exports are synchronous, so the Go scheduler only polls
        // when it has nothing left to run.
        var dv = view();
        for (var i = 0; i < nsubs; i++) {
          var s = inPtr + SUBSCRIPTION_SIZE * i;
          var e = outPtr + EVENT_SIZE * i;
          var tag = dv.getUint8(s + 8);
          dv.setBigUint64(e, dv.getBigUint64(s, true), true); // userdata
          dv.setUint16(e + 8, ERRNO.SUCCESS, true); // error
          dv.setUint8(e + 10, tag); // type
          for (var k = 11; k < EVENT_SIZE; k++) dv.setUint8(e + k, 0);
          if (tag !== EVENTTYPE_CLOCK) dv.setBigUint64(e + 16, 0n, true); // nbytes
        }
        dv.setUint32(neventsPtr, nsubs, true);
        return ERRNO.SUCCESS;
      },

      proc_exit: function (code) {
        out.flush();
        err.flush();
        throw new WasiExit(code);
      },

      random_get: function (ptr, len) {
        for (var o = 0; o < len; o += RANDOM_CHUNK) {
          randomFill(bytes(ptr + o, Math.min(RANDOM_CHUNK, len - o)));
        }
        return ERRNO.SUCCESS;
      },

      sched_yield: function () { return ERRNO.SUCCESS; },
    };

    var table = Object.assign({}, fns);
    var imports = {
      wasi_snapshot_preview1: new Proxy(table, {
        // Any import the shim does not implement answers ENOSYS.
        get: function (t, name) {
          if (typeof name !== 'string') return undefined;
          return Object.prototype.hasOwnProperty.call(t, name) ? t[name] : function () { return ERRNO.NOSYS; };
        },
      }),
    };

    return {
      imports: imports,
      /** Binds the shim to an instance's exported memory. */
      bind: function (instance) { memory = instance.exports.memory; },
      /** Emits any partial stdout/stderr line. */
      flush: function () { out.flush(); err.flush(); },
      stdout: out,
      stderr: err,
    };
  }

  /** The preview1 import names the shim implements; any other answers ENOSYS. */
  var IMPLEMENTED = Object.freeze([
    'args_get', 'args_sizes_get', 'clock_time_get', 'environ_get', 'environ_sizes_get',
    'fd_close', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_filestat_get', 'fd_filestat_set_size',
    'fd_pread', 'fd_prestat_dir_name', 'fd_prestat_get', 'fd_pwrite', 'fd_read', 'fd_readdir',
    'fd_seek', 'fd_sync', 'fd_write', 'path_filestat_get', 'path_open', 'poll_oneoff', 'proc_exit',
    'random_get', 'sched_yield', 'sock_accept', 'sock_shutdown',
  ]);

  return { createWasi: createWasi, WasiExit: WasiExit, LineSink: LineSink, ERRNO: ERRNO, IMPLEMENTED: IMPLEMENTED };
});
