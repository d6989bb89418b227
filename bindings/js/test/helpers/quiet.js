'use strict';
// Load options that capture the module's output and re-creation reports
// instead of printing them, so tests can assert on them.

/** quiet returns {options, log} where log collects stdout, stderr and recreations. */
function quiet() {
  const log = { stdout: [], stderr: [], recreated: [] };
  return {
    log,
    options: {
      stdout: (l) => log.stdout.push(l),
      stderr: (l) => log.stderr.push(l),
      onRecreate: (info) => log.recreated.push(info),
    },
  };
}

module.exports = { quiet };
