'use strict';
// The documentation is executed: every example in README.md and docs/*.md
// runs here against the built module, and what the docs state about the
// module is checked against it. The markers a doc writer uses are in
// docs/README.md ("Docs that run"):
//
//   ```json                a request → answer pair, run through the module
//   ```js                  a Node program, run; `console.log(x) // out`
//                          lines must print `out`
//   ```json partial, ```js partial
//                          a fragment or an illustration: not run
//   <!-- doctest prelude … -->  right before a ```js block: hidden set-up
//                          code that runs first
//
// The JSON pairs of one file run in order on one instance, so a pair may use
// the handle (g1, …) or session (s1, …) an earlier pair of the same file made.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const { loadSync, DEFAULT_WASM } = require('../index.js');
const { blocks, headingBefore, methodOf, pairs } = require('./helpers/doctest.js');

const ROOT = path.join(__dirname, '..', '..', '..');
const read = (rel) => fs.readFileSync(path.join(ROOT, rel), 'utf8');

/** The files whose blocks run: the README and every page of docs/. */
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

const JS_LANGS = new Set(['js', 'javascript', 'mjs']);
const isPartial = (b) => b.tags.includes('partial');

for (const file of DOCS) {
  const text = read(file);
  const all = blocks(text);
  const json = all.filter((b) => b.lang === 'json' && !isPartial(b));
  const js = all.filter((b) => JS_LANGS.has(b.lang) && !isPartial(b));

  if (json.length > 0) {
    test(`${file}: JSON-RPC examples answer as documented`, async (t) => {
      const ceg = loadSync({ epoch: false }); // the wire as documented: plain ids (g1, s1), no instance epoch
      let id = 0;
      try {
        for (const b of json) {
          const where = `${file}:${b.line}`;
          let ps;
          try {
            ps = pairs(b.code);
          } catch (e) {
            assert.fail(`${where}: ${e.message}; a \`\`\`json block is "params → result" pairs (docs/README.md, "Docs that run"), or \`\`\`json partial`);
          }
          assert.ok(ps.length > 0, `${where}: a \`\`\`json block must be "params → result" (or "params → error CODE {data}"); mark it \`\`\`json partial if it only shows a shape`);
          for (const [k, p] of ps.entries()) {
            await t.test(ps.length > 1 ? `${where} #${k + 1}` : where, () => check(ceg, p, () => ++id, text, b, where));
          }
        }
      } finally {
        ceg.close();
      }
    });
  }

  for (const b of js) {
    test(`${file}:${b.line}: the JS example runs and prints what its comments say`, () => runJS(file, b));
  }
}

/** check sends one documented request and compares the answer with the doc's. */
function check(ceg, p, nextId, text, b, where) {
  let sent;
  if (p.raw) {
    sent = JSON.stringify(p.request);
  } else {
    const method = methodOf(b, headingBefore(text, b.line));
    assert.ok(method, `${where}: name the method (\`\`\`json plan.optimize) or put the block under a heading that is one method`);
    sent = JSON.stringify({ jsonrpc: '2.0', id: nextId(), method, params: p.request });
  }
  const answer = ceg.callRaw(sent);
  if (p.nothing) {
    assert.equal(answer, '', `${where}: a notification gets no response`);
    return;
  }
  assert.notEqual(answer, '', `${where}: the module sent no response`);
  const got = JSON.parse(answer);
  if (p.raw) {
    assert.deepStrictEqual(got, p.result, `${where}: the response differs from the doc`);
  } else if (p.error) {
    assert.ok(got.error, `${where}: want an error, got: ${JSON.stringify(got.result)}`);
    assert.equal(got.error.code, p.error.code, `${where}: error code: got: ${JSON.stringify(got.error)}`);
    if (p.error.data !== undefined) assert.deepStrictEqual(got.error.data, p.error.data, `${where}: error data differs from the doc`);
  } else {
    assert.ok(!got.error, `${where}: want a result, got error: ${JSON.stringify(got.error)}`);
    assert.deepStrictEqual(got.result, p.result, `${where}: the result differs from the doc`);
  }
}

/**
 * runJS runs one ```js block as an ES module inside the package (so
 * `require('@convergence-io/ceg')` and `import … from '@convergence-io/ceg'`
 * both resolve to this checkout), with top-level await, in its own process.
 * Each `console.log(...)` line that ends in a `// comment` must print exactly
 * the comment (util.format of the arguments) the first time it runs.
 */
function runJS(file, b) {
  const where = `${file}:${b.line}`;
  const dir = path.join(ROOT, 'build', 'doctest');
  fs.mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${file.replace(/[^\w]+/g, '_')}-L${b.line}.mjs`);
  const header = "import { createRequire as __cr } from 'node:module'; import { format as __fmt } from 'node:util'; " +
    'const require = __cr(import.meta.url); ' +
    "console.log = (...a) => { const m = (new Error().stack.split('\\n')[2] || '').match(/:(\\d+):\\d+\\)?$/); " +
    "process.stdout.write('\\u0001' + JSON.stringify({ line: m ? Number(m[1]) : 0, text: __fmt(...a) }) + '\\n'); };";
  const prelude = b.prelude ? b.prelude + '\n' : '';
  const offset = 1 + (prelude ? prelude.split('\n').length - 1 : 0);
  fs.writeFileSync(out, `${header}\n${prelude}${b.code}\n`);
  let stdout;
  try {
    stdout = execFileSync(process.execPath, [out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    assert.fail(`${where}: the example failed (${out}):\n${e.stderr || e.message}`);
  }
  const printed = new Map();
  for (const l of stdout.split('\n')) {
    if (!l.startsWith('\u0001')) continue;
    const { line, text } = JSON.parse(l.slice(1));
    if (!printed.has(line - offset)) printed.set(line - offset, text);
  }
  const lines = b.code.split('\n');
  let checked = 0;
  lines.forEach((src, i) => {
    const m = src.match(/console\.log\(.*\)\s*;?\s*\}?\s*\/\/\s?(.*)$/);
    if (!m) return;
    const want = m[1].trim();
    const at = `${file}:${b.line + 1 + i}`;
    assert.ok(printed.has(i + 1), `${at}: this console.log never ran; want: ${want}`);
    assert.equal(printed.get(i + 1), want, `${at}: printed: ${printed.get(i + 1)} the comment says: ${want}`);
    checked++;
  });
  return checked;
}

test('docs/BENCHMARKS.md states the size of the module this commit builds (within 10%)', () => {
  const doc = read('docs/BENCHMARKS.md');
  const wasm = fs.readFileSync(DEFAULT_WASM);
  const sizes = { raw: wasm.length, 'gzip -9': zlib.gzipSync(wasm, { level: 9 }).length };
  for (const [row, actual] of Object.entries(sizes)) {
    const m = doc.match(new RegExp(`^\\| ${row} \\| ([\\d,]+) bytes`, 'm'));
    assert.ok(m, `docs/BENCHMARKS.md has no "| ${row} | N bytes" row in its module size table`);
    const documented = Number(m[1].replace(/,/g, ''));
    const off = Math.abs(actual - documented) / actual;
    assert.ok(off <= 0.1, `module size ${row}: got: ${actual} bytes want: ${documented} ± 10% (off by ${(off * 100).toFixed(1)}%); run make bench and make bench-update`);
  }
  assert.doesNotMatch(doc, /sha256 \| `[0-9a-f]{64}`/, 'a module hash in the docs is stale at the next commit: make build prints it');
});

// Files whose rewrite belongs to the work that owns them (the stream-chat
// adapter, issue 8); drop an entry once its file points to DESIGN.md.
test('nothing cites a SPEC the repository does not have: design references go to docs/DESIGN.md', () => {
  for (const file of sourceFiles()) {
    assert.doesNotMatch(read(file), /SPEC \u00a7/, `${file} cites "SPEC \u00a7"; point to a section of docs/DESIGN.md`);
  }
});

test('every link to a section of docs/DESIGN.md names one of its headings', () => {
  const design = read('docs/DESIGN.md');
  const anchors = new Set();
  for (const m of design.matchAll(/^#{1,6}\s+(.*)$/gm)) anchors.add(slug(m[1]));
  for (const m of design.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(m[1]);
  const files = [...DOCS, ...sourceFiles()];
  for (const file of files) {
    for (const m of read(file).matchAll(/DESIGN\.md#([\w-]+)/g)) {
      assert.ok(anchors.has(m[1]), `${file}: DESIGN.md#${m[1]} is not a section of docs/DESIGN.md`);
    }
  }
});

/** anchorsOf lists the section anchors of a Markdown file: its headings (outside code) and <a id> tags. */
function anchorsOf(text) {
  const anchors = new Set();
  let inFence = false;
  for (const l of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    else if (!inFence) {
      const h = l.match(/^#{1,6}\s+(.*)$/);
      if (h) anchors.add(slug(h[1]));
    }
  }
  for (const m of text.matchAll(/<a id="([^"]+)"><\/a>/g)) anchors.add(m[1]);
  return anchors;
}

test('every link between the docs names a file that exists and, with #anchor, one of its sections', () => {
  const files = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => 'docs/' + f)];
  let checked = 0;
  for (const file of files) {
    const text = read(file).replace(/```[\s\S]*?```/g, ''); // links inside code blocks are code
    for (const m of text.matchAll(/\]\(([^)\s]*)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target) || target === '') continue; // http(s), mailto: not checked here
      const [rel, anchor] = target.split('#');
      const to = rel === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), rel));
      assert.ok(fs.existsSync(path.join(ROOT, to)), `${file}: link (${target}) names ${to}, which does not exist`);
      if (anchor !== undefined && to.endsWith('.md')) {
        assert.ok(anchorsOf(read(to)).has(anchor), `${file}: link (${target}): ${to} has no section #${anchor}`);
      }
      checked++;
    }
  }
  assert.ok(checked > 20, `only ${checked} links found: is the pattern right?`);
});

/** slug is GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
function slug(h) {
  return h.trim().toLowerCase().replace(/<[^>]*>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** sourceFiles lists the tracked Go and JS sources (comments cite DESIGN.md anchors too). */
function sourceFiles() {
  const out = execFileSync('git', ['ls-files', '*.go', '*.js', '*.mjs', '*.ts', '*.md'], { cwd: ROOT, encoding: 'utf8' });
  return out.split('\n').filter(Boolean).filter((f) => fs.existsSync(path.join(ROOT, f)));
}

module.exports = { slug };
