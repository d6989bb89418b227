'use strict';
// Unit tests of the conformance scanner (compact / members / parseVector):
// it must keep strings and number spellings byte for byte and reject bad JSON.

const test = require('node:test');
const assert = require('node:assert/strict');
const { compact, members, parseVector, firstDifference } = require('./conformance.js');

test('compact removes whitespace outside strings only', () => {
  const cases = [
    ['{ "a" : 1 }', '{"a":1}'],
    [' [ 1 ,\n\t2 ,\r\n 3 ] ', '[1,2,3]'],
    ['{"s": "a b\\t c"}', '{"s":"a b\\t c"}'],
    ['{"s": " { [ , : ] } "}', '{"s":" { [ , : ] } "}'],
    ['{"q": "say \\"hi\\" ok"}', '{"q":"say \\"hi\\" ok"}'],
    ['{"b": "back\\\\"  , "c": 2}', '{"b":"back\\\\","c":2}'],
    ['[1.50, 1e+3, -0.0, 2E-7, 0]', '[1.50,1e+3,-0.0,2E-7,0]'],
    ['{"u": "\\u00e9\\ud83d\\ude00 é 😀"}', '{"u":"\\u00e9\\ud83d\\ude00 é 😀"}'],
    ['{}', '{}'],
    ['[ ]', '[]'],
    ['{ "a" : { } , "b" : [ { } ] }', '{"a":{},"b":[{}]}'],
    ['null', 'null'],
    ['  true ', 'true'],
    ['"x y"', '"x y"'],
  ];
  for (const [input, want] of cases) {
    assert.equal(compact(input), want, `compact(${JSON.stringify(input)})`);
  }
});

test('compact keeps number spellings that JSON.stringify would change', () => {
  const input = '{"a": 1.0, "b": 1e2, "c": 0.10000000000000000555, "d": 123456789012345678901234567890}';
  assert.equal(compact(input), '{"a":1.0,"b":1e2,"c":0.10000000000000000555,"d":123456789012345678901234567890}');
  assert.notEqual(JSON.stringify(JSON.parse(input)), compact(input));
});

test('compact rejects invalid JSON with an offset', () => {
  const bad = ['', '{', '{"a" 1}', '{"a":1,}', '[1 2]', '"abc', '"a\nb"', '"\\x"', '01', '-', '1.', 'tru', '{} {}', '{"a":1}x', '"\\u12g4"', '{1:2}'];
  for (const input of bad) {
    assert.throws(() => compact(input), SyntaxError, `compact(${JSON.stringify(input)}) should throw`);
  }
});

test('members returns each value\'s exact source text', () => {
  const m = members('{ "name" : "x" ,\n "request": { "a" : [1, 2.50] },"response":null }');
  assert.deepEqual(m, [
    { key: 'name', text: '"x"' },
    { key: 'request', text: '{ "a" : [1, 2.50] }' },
    { key: 'response', text: 'null' },
  ]);
  assert.deepEqual(members('{"k\\u0061": 1}'), [{ key: 'ka', text: '1' }]);
  assert.throws(() => members('[1]'), SyntaxError);
});

test('parseVector: request is compacted, requestText sent as is, null means no response', () => {
  const v = parseVector(`{
    "name": "dilation basic",
    "request": {"jsonrpc": "2.0", "id": 1, "method": "dilation.compute", "params": {"uncertainty": 0.50}},
    "response": {"jsonrpc": "2.0", "id": 1, "result": {"d": 1.25}}
  }`, 'a.json');
  assert.equal(v.name, 'dilation basic');
  assert.equal(v.request, '{"jsonrpc":"2.0","id":1,"method":"dilation.compute","params":{"uncertainty":0.50}}');
  assert.equal(v.response, '{"jsonrpc":"2.0","id":1,"result":{"d":1.25}}');

  const raw = parseVector('{"name":"bad json","requestText":"{\\"jsonrpc\\": \\"2.0\\",","response":{"error":1}}', 'b.json');
  assert.equal(raw.request, '{"jsonrpc": "2.0",');

  const note = parseVector('{"name":"n","request":{"jsonrpc":"2.0","method":"version"},"response":null}', 'c.json');
  assert.equal(note.response, null);
});

test('parseVector names the file and the missing member', () => {
  assert.throws(() => parseVector('{"request":{},"response":null}', 'x.json'), /x\.json: missing "name"/);
  assert.throws(() => parseVector('{"name":"a","response":null}', 'x.json'), /missing "request"/);
  assert.equal(parseVector('{"name":"a","request":{}}', 'x.json').response, null, 'an absent response means none, as in the Go loader');
  assert.throws(() => parseVector('{"name":"a","request":{},"response":null,"note":1}', 'x.json'), /unknown key "note"/);
  assert.throws(() => parseVector('{"name":"a","name":"b","request":{},"response":null}', 'x.json'), /duplicate member/);
  assert.throws(() => parseVector('{"name":"a","requestText":1,"response":null}', 'x.json'), /must be a string/);
});

test('firstDifference points at the first differing offset', () => {
  assert.match(firstDifference('{"a":1}', '{"a":2}'), /offset 5/);
});
