'use strict';
// The WASI shim, call by call, against a plain wasm memory; and its import
// list against the real module's.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { createWasi, WasiExit, ERRNO, IMPLEMENTED } = require('../wasi.js');
const { DEFAULT_WASM } = require('../index.js');

function setup(options) {
  const memory = new WebAssembly.Memory({ initial: 3, maximum: 8 });
  const w = createWasi(options);
  w.bind({ exports: { memory } });
  const fns = w.imports.wasi_snapshot_preview1;
  return { w, fns, memory, dv: () => new DataView(memory.buffer), u8: () => new Uint8Array(memory.buffer) };
}

/** writeIovs puts strings at 1024+ and their iovecs at 0; returns the iov count. */
function writeIovs(env, parts) {
  const enc = new TextEncoder();
  let at = 1024;
  parts.forEach((p, i) => {
    const b = enc.encode(p);
    env.u8().set(b, at);
    env.dv().setUint32(8 * i, at, true);
    env.dv().setUint32(8 * i + 4, b.length, true);
    at += b.length;
  });
  return parts.length;
}

test('the shim implements every WASI import of the real module', () => {
  const module = new WebAssembly.Module(fs.readFileSync(DEFAULT_WASM));
  const wanted = WebAssembly.Module.imports(module);
  assert.ok(wanted.length > 0);
  for (const imp of wanted) {
    assert.equal(imp.module, 'wasi_snapshot_preview1', `unexpected import module ${imp.module}`);
    assert.ok(IMPLEMENTED.includes(imp.name), `the shim lacks ${imp.name}`);
  }
});

test('fd_write delivers whole lines to the sinks, buffered across writes', () => {
  const out = [];
  const err = [];
  const env = setup({ stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  let n = writeIovs(env, ['ab', 'c\nd', 'é\n', 'tail']);
  assert.equal(env.fns.fd_write(1, 0, n, 512), ERRNO.SUCCESS);
  assert.equal(env.dv().getUint32(512, true), 2 + 3 + 3 + 4, 'nwritten counts bytes');
  assert.deepEqual(out, ['abc', 'dé']);
  n = writeIovs(env, ['fatal\n']);
  env.fns.fd_write(2, 0, n, 512);
  assert.deepEqual(err, ['fatal']);
  env.w.flush();
  assert.deepEqual(out, ['abc', 'dé', 'tail'], 'flush emits the partial line');
  assert.deepEqual(env.w.stderr.recent, ['fatal']);
  assert.equal(env.fns.fd_write(3, 0, n, 512), ERRNO.BADF);
});

test('fd_write reads the current buffer after memory growth', () => {
  const out = [];
  const env = setup({ stdout: (l) => out.push(l) });
  env.memory.grow(1);
  const n = writeIovs(env, ['after grow\n']);
  env.fns.fd_write(1, 0, n, 512);
  assert.deepEqual(out, ['after grow']);
});

test('no preopens, no files: prestat is EBADF, path calls ENOSYS, stdin is empty', () => {
  const env = setup();
  assert.equal(env.fns.fd_prestat_get(3, 0), ERRNO.BADF);
  assert.equal(env.fns.fd_prestat_dir_name(3, 0, 0), ERRNO.BADF);
  assert.equal(env.fns.path_open(3, 0, 0, 0, 0, 0n, 0n, 0, 0), ERRNO.NOSYS);
  assert.equal(env.fns.fd_read(0, 0, 0, 256), ERRNO.SUCCESS);
  assert.equal(env.dv().getUint32(256, true), 0);
  assert.equal(env.fns.fd_read(5, 0, 0, 256), ERRNO.BADF);
  assert.equal(env.fns.fd_seek(1, 0n, 0, 0), ERRNO.SPIPE);
  assert.equal(env.fns.fd_close(9), ERRNO.BADF);
  assert.equal(env.fns.fd_fdstat_get(1, 64), ERRNO.SUCCESS);
  assert.equal(env.dv().getUint8(64), 2, 'stdio is a character device');
  assert.equal(env.fns.fd_fdstat_get(7, 64), ERRNO.BADF);
  assert.equal(env.fns.fd_fdstat_set_flags(1, 0), ERRNO.SUCCESS);
  assert.equal(env.fns.fd_filestat_get(2, 128), ERRNO.SUCCESS);
  assert.equal(env.dv().getUint8(128 + 16), 2, 'filestat says character device');
  assert.equal(env.fns.fd_filestat_get(4, 128), ERRNO.BADF);
  assert.equal(env.fns.fd_pread(1, 0, 0, 0n, 0), ERRNO.SPIPE);
  assert.equal(env.fns.fd_pwrite(4, 0, 0, 0n, 0), ERRNO.BADF);
  assert.equal(env.fns.fd_readdir(0, 0, 0, 0n, 0), ERRNO.NOTDIR);
  assert.equal(env.fns.fd_filestat_set_size(1, 0n), ERRNO.INVAL);
  assert.equal(env.fns.fd_sync(1), ERRNO.SUCCESS);
  assert.equal(env.fns.sock_accept(3, 0, 0), ERRNO.BADF);
  assert.equal(env.fns.sock_shutdown(1, 0), ERRNO.NOTSOCK);
  assert.equal(env.fns.some_future_call(), ERRNO.NOSYS, 'unknown imports answer ENOSYS');
});

test('poll_oneoff never blocks and reports every subscription', () => {
  const env = setup();
  const dv = env.dv();
  // two subscriptions at 0 and 48: a clock (tag 0) and an fd_read (tag 1)
  dv.setBigUint64(0, 0x1111n, true);
  dv.setUint8(8, 0);
  dv.setBigUint64(24, 10n ** 12n, true); // a 1000 s timeout must not be waited for
  dv.setBigUint64(48, 0x2222n, true);
  dv.setUint8(56, 1);
  const t0 = Date.now();
  assert.equal(env.fns.poll_oneoff(0, 1024, 2, 2048), ERRNO.SUCCESS);
  assert.ok(Date.now() - t0 < 1000);
  assert.equal(dv.getUint32(2048, true), 2);
  assert.equal(dv.getBigUint64(1024, true), 0x1111n);
  assert.equal(dv.getUint16(1024 + 8, true), 0);
  assert.equal(dv.getUint8(1024 + 10), 0);
  assert.equal(dv.getBigUint64(1056, true), 0x2222n);
  assert.equal(dv.getUint8(1056 + 10), 1);
});

test('random_get fills large buffers in chunks of at most 65536 bytes', () => {
  const sizes = [];
  const env = setup({ randomFill: (v) => { sizes.push(v.length); v.fill(7); } });
  assert.equal(env.fns.random_get(100, 150000), ERRNO.SUCCESS);
  assert.deepEqual(sizes, [65536, 65536, 150000 - 131072]);
  assert.ok(env.u8().subarray(100, 150100).every((b) => b === 7));
  assert.equal(env.u8()[99], 0);
  const real = setup();
  real.fns.random_get(0, 64);
  assert.ok(real.u8().subarray(0, 64).some((b) => b !== 0), 'the default source is crypto.getRandomValues');
});

test('clock_time_get gives nanoseconds; realtime is near Date.now()', () => {
  const env = setup();
  assert.equal(env.fns.clock_time_get(0, 0n, 8), ERRNO.SUCCESS);
  const ms = Number(env.dv().getBigUint64(8, true) / 1000000n);
  assert.ok(Math.abs(ms - Date.now()) < 5000);
  env.fns.clock_time_get(1, 0n, 16);
  const a = env.dv().getBigUint64(16, true);
  env.fns.clock_time_get(1, 0n, 16);
  assert.ok(env.dv().getBigUint64(16, true) >= a, 'monotonic');
  assert.equal(env.fns.clock_time_get(9, 0n, 8), ERRNO.INVAL);
});

test('args and environ are laid out as WASI expects', () => {
  const env = setup({ args: ['ceg', 'x'], env: { B: '2', A: '1' } });
  env.fns.args_sizes_get(0, 4);
  assert.equal(env.dv().getUint32(0, true), 2);
  assert.equal(env.dv().getUint32(4, true), 'ceg\0x\0'.length);
  env.fns.args_get(16, 64);
  assert.equal(env.dv().getUint32(16, true), 64);
  assert.equal(env.dv().getUint32(20, true), 68);
  assert.equal(new TextDecoder().decode(env.u8().subarray(64, 70)), 'ceg\0x\0');
  env.fns.environ_sizes_get(0, 4);
  assert.equal(env.dv().getUint32(0, true), 2);
  env.fns.environ_get(16, 128);
  assert.equal(new TextDecoder().decode(env.u8().subarray(128, 136)), 'A=1\0B=2\0', 'sorted by name');
});

test('proc_exit throws WasiExit with the code, after flushing output', () => {
  const err = [];
  const env = setup({ stderr: (l) => err.push(l) });
  const n = writeIovs(env, ['partial']);
  env.fns.fd_write(2, 0, n, 512);
  assert.throws(() => env.fns.proc_exit(2), (e) => e instanceof WasiExit && e.exitCode === 2);
  assert.deepEqual(err, ['partial']);
});

// Regression (issue 9): Go prints "fatal error: out of memory" and then
// dozens of goroutine trace lines; keeping only the last 20 lines cut the
// one line that says what happened.
test('the fatal line survives a long goroutine trace', () => {
  const { w } = setup({ stderr: () => {} });
  const enc = new TextEncoder();
  w.stderr.write(enc.encode('fatal error: out of memory\n\n'));
  for (let i = 0; i < 60; i++) w.stderr.write(enc.encode('goroutine ' + i + ' [running]:\n'));
  const kept = w.stderr.kept();
  assert.equal(kept[0], 'fatal error: out of memory');
  assert.equal(kept.length, 21);
  assert.equal(kept[20], 'goroutine 59 [running]:');
  const short = setup({ stderr: () => {} });
  short.w.stderr.write(enc.encode('panic: boom\nline\n'));
  assert.deepEqual(short.w.stderr.kept(), ['panic: boom', 'line'], 'a fatal line still among the recent ones is not repeated');
});
