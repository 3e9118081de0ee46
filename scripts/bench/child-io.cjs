// What the bench's child scripts share: nearest-rank percentiles and how a child hands back its
// result (JSON on fd 3, then exit, since kept-alive sockets would hold the process open).
"use strict";
const { writeSync } = require("node:fs");

/** The p-th percentile of ascending samples, by nearest rank (as scripts/bench/stats.ts). */
function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1] : 0;
}

function runChild(main) {
  main().then(
    (result) => {
      writeSync(3, JSON.stringify(result));
      process.exit(0);
    },
    (error) => {
      process.stderr.write(String((error && error.stack) || error) + "\n");
      process.exit(1);
    },
  );
}

module.exports = { percentile, runChild };
