'use strict';
// Reads the shared conformance corpus from disk (Node side of conformance.js).

const fs = require('node:fs');
const path = require('node:path');
const { parseVector } = require('../conformance.js');

/** The corpus directory, testdata/conformance at the repository top. */
const CORPUS = path.resolve(__dirname, '../../../../testdata/conformance');

/**
 * readCorpus returns every vector, sorted by file name (as the Go runners do).
 * @returns {ReturnType<typeof parseVector>[]}
 */
function readCorpus(dir = CORPUS) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => parseVector(fs.readFileSync(path.join(dir, f), 'utf8'), f));
}

module.exports = { CORPUS, readCorpus };
