// One fresh Node process per sample, run by scripts/bench/cold-start.ts and warm.ts under bare
// node (no tsx, so no loader is billed to the bundle): `cold` loads an unpacked index.js and
// serves the first request; `warm` then serves COUNT more and times each. Result: JSON on fd 3.
"use strict";
const { readFileSync } = require("node:fs");
const { percentile, runChild } = require("./child-io.cjs");

const [mode, file, eventFile, countArg] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
const context = { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 3000 };
// Lambda's runtime has stdout open before it loads a handler; opening it here keeps that cost
// out of the first log line a bundle writes, as on Lambda.
void process.stdout;

runChild(async () => {
  const started = performance.now();
  const { handler } = require(file);
  const first = await handler(event, context);
  const result = { coldMs: performance.now() - started, statusCode: first.statusCode, contentType: first.contentType, body: first.body };
  if (mode === "warm") {
    const count = Number(countArg);
    // Lets the JIT settle before timing, as on a function that has been serving for a while.
    for (let i = 0; i < Math.min(count, 1000); i++) await handler(event, context);
    const micros = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const t = process.hrtime.bigint();
      const answer = await handler(event, context);
      micros[i] = Number(process.hrtime.bigint() - t) / 1000;
      if (answer.statusCode !== 200) throw new Error(`invocation ${i} answered ${answer.statusCode}: ${answer.body}`);
    }
    micros.sort();
    result.p50Us = percentile(micros, 50);
    result.p99Us = percentile(micros, 99);
  }
  return result;
});
