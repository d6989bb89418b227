'use strict';
// The doc-test runner's parts: it finds the fenced blocks of a Markdown file
// and reads the JSON-RPC examples out of them. docs.test.js runs them; the
// markers are documented in docs/README.md ("Docs that run").

/**
 * blocks returns every fenced code block of a Markdown text:
 * {lang, tags, code, line, prelude}. `lang` is the first word of the info
 * string, `tags` the other words (e.g. ['partial'] or ['plan.optimize']),
 * `line` the 1-based line of the opening fence and `prelude` the code of an
 * HTML comment `<!-- doctest prelude ... -->` that ends on the line right
 * before the fence (hidden set-up code), or ''.
 */
function blocks(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].match(/^(\s*)(```+|~~~+)\s*(.*)$/);
    if (!open) continue;
    const [, indent, fence, info] = open;
    let j = i + 1;
    while (j < lines.length && !(lines[j].startsWith(indent + fence) && lines[j].trim() === fence)) j++;
    const words = info.trim().split(/\s+/).filter(Boolean);
    out.push({
      lang: words[0] || '',
      tags: words.slice(1),
      code: lines.slice(i + 1, j).map((l) => l.startsWith(indent) ? l.slice(indent.length) : l).join('\n'),
      line: i + 1,
      prelude: preludeBefore(lines, i),
    });
    i = j;
  }
  return out;
}

/** preludeBefore returns the code of a `<!-- doctest prelude ... -->` comment ending at lines[i-1]. */
function preludeBefore(lines, i) {
  if (i === 0 || lines[i - 1].trim() !== '-->') return '';
  for (let k = i - 2; k >= 0; k--) {
    if (lines[k].trim() === '<!-- doctest prelude') return lines.slice(k + 1, i - 1).join('\n');
    if (lines[k].includes('<!--') || lines[k].includes('-->')) return '';
  }
  return '';
}

/** headingBefore returns the text of the nearest Markdown heading above line (1-based), or ''. */
function headingBefore(text, line) {
  const lines = text.split('\n');
  let inFence = false;
  let last = '';
  for (let i = 0; i < line - 1 && i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i])) inFence = !inFence;
    else if (!inFence) {
      const h = lines[i].match(/^#{1,6}\s+(.*)$/);
      if (h) last = h[1].trim();
    }
  }
  return last;
}

const METHOD = /^[a-z]+(\.[a-zA-Z]+)*$/;

/**
 * methodOf names the method of a JSON pair: a tag that looks like a method
 * (```json plan.optimize), else the heading above when it is exactly one
 * method (`## dilation.estimate`), else ''.
 */
function methodOf(block, heading) {
  const tag = block.tags.find((t) => METHOD.test(t));
  if (tag) return tag;
  const h = heading.replace(/`/g, '').trim();
  return METHOD.test(h) ? h : '';
}

/**
 * pairs reads the request → answer pairs of a ```json block, one or more:
 *
 *   PARAMS → RESULT           the params of one call and its expected result
 *   PARAMS → error CODE DATA  its expected error: the JSON-RPC code and the
 *                             data object (DATA may be left out)
 *
 * Any JSON layout works (the arrow may end a line or start the next one;
 * several short pairs may share a block, one per line). When PARAMS is a
 * whole JSON-RPC request (it has "jsonrpc") or a batch (an array), it is sent
 * as is and RESULT is the whole response, or `(nothing)` for a notification.
 * Returns [] when the block has no arrow (it is not a pair); throws on text
 * that is neither JSON, an arrow nor an error.
 */
function pairs(code) {
  if (!code.includes('→')) return [];
  const items = [];
  let i = 0;
  const ws = () => { while (i < code.length && /\s/.test(code[i])) i++; };
  for (ws(); i < code.length; ws()) {
    if (code[i] === '→') {
      items.push({ arrow: true });
      i++;
    } else if (code.startsWith('(nothing)', i)) {
      items.push({ nothing: true });
      i += '(nothing)'.length;
    } else if (code.startsWith('error', i)) {
      i += 'error'.length;
      ws();
      const m = code.slice(i).match(/^-?\d+/);
      if (!m) throw new Error(`"error" must be followed by a JSON-RPC code at offset ${i}`);
      i += m[0].length;
      let j = i;
      while (j < code.length && (code[j] === ' ' || code[j] === '\t')) j++;
      let data;
      if (code[j] === '{') {
        const end = valueEnd(code, j);
        data = JSON.parse(code.slice(j, end));
        i = end;
      }
      items.push({ error: { code: Number(m[0]), data } });
    } else {
      const end = valueEnd(code, i);
      items.push({ value: JSON.parse(code.slice(i, end)) });
      i = end;
    }
  }
  const out = [];
  for (let k = 0; k < items.length; k += 3) {
    const [req, arrow, ans] = items.slice(k, k + 3);
    if (!req || !('value' in req) || !arrow?.arrow || !ans || ans.arrow || (!('value' in ans) && !ans.error && !ans.nothing)) {
      throw new Error(`pair ${k / 3 + 1} is not "request → answer"`);
    }
    const request = req.value;
    const raw = Array.isArray(request) || (request !== null && typeof request === 'object' && 'jsonrpc' in request);
    if (ans.nothing) out.push({ request, raw, nothing: true });
    else if (ans.error) out.push({ request, raw, error: ans.error });
    else out.push({ request, raw, result: ans.value });
  }
  return out;
}

/** valueEnd returns the offset just past the JSON value starting at s[i]. */
function valueEnd(s, i) {
  if (s[i] === '{' || s[i] === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const c = s[j];
      if (c === '"') {
        for (j++; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (--depth === 0) return j + 1;
      }
    }
    throw new Error(`unterminated JSON value at offset ${i}`);
  }
  if (s[i] === '"') {
    let j = i + 1;
    for (; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
    return j + 1;
  }
  const m = s.slice(i).match(/^[^\s→]+/);
  if (!m) throw new Error(`no JSON value at offset ${i}`);
  return i + m[0].length;
}

module.exports = { blocks, headingBefore, methodOf, pairs };
