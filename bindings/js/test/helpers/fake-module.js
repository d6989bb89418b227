'use strict';
// Assembles tiny wasm modules that have the CEG export surface but not its
// behaviour, to test what the binding does with a module that speaks another
// ABI, refuses an allocation or traps. The real module cannot be made to do
// these on purpose (its guest-side limits prevent it).

function uleb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, body) => [id, ...uleb(body.length), ...body];
const name = (s) => [...uleb(s.length), ...Buffer.from(s)];

const I32 = 0x7f;
const I64 = 0x7e;

/**
 * fakeModule returns the bytes of a module exporting memory, _initialize,
 * ceg_abi_version (returning abi), ceg_alloc (returning allocPtr), ceg_free
 * and ceg_call (returning 0, or trapping with `unreachable` when callTraps).
 * Exports named in `omit` are left out.
 * @param {{abi?: number, allocPtr?: number, callTraps?: boolean, omit?: string[]}} [o]
 */
function fakeModule({ abi = 0x00010000, allocPtr = 1024, callTraps = false, omit = [] } = {}) {
  const types = [
    [0x60, ...vec([]), ...vec([])], // () -> ()
    [0x60, ...vec([]), ...vec([I32])], // () -> i32
    [0x60, ...vec([I32]), ...vec([I32])], // (i32) -> i32
    [0x60, ...vec([I32]), ...vec([])], // (i32) -> ()
    [0x60, ...vec([I32, I32]), ...vec([I64])], // (i32, i32) -> i64
  ];
  const funcs = [
    { name: '_initialize', type: 0, code: [] },
    { name: 'ceg_abi_version', type: 1, code: [0x41, ...sleb(abi | 0)] },
    { name: 'ceg_alloc', type: 2, code: [0x41, ...sleb(allocPtr | 0)] },
    { name: 'ceg_free', type: 3, code: [] },
    { name: 'ceg_call', type: 4, code: callTraps ? [0x00] : [0x42, 0x00] },
  ];
  const exports = [[...name('memory'), 0x02, 0x00]];
  funcs.forEach((f, i) => { if (!omit.includes(f.name)) exports.push([...name(f.name), 0x00, ...uleb(i)]); });
  const bodies = funcs.map((f) => {
    const body = [0x00, ...f.code, 0x0b]; // no locals, code, end
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(funcs.map((f) => uleb(f.type)))),
    ...section(5, vec([[0x00, 0x01]])), // one memory, min 1 page
    ...section(7, vec(exports)),
    ...section(10, vec(bodies)),
  ]);
}

module.exports = { fakeModule };
