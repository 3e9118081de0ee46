// The load generator, in its own process so it does not share an event loop with the server it
// measures: CONCURRENCY loops over one keep-alive agent send the same signed POST until REQUESTS
// have been answered or the time cap passes. Spec: JSON in argv[2]; result: JSON on fd 3.
"use strict";
const http = require("node:http");
const { percentile, runChild } = require("./child-io.cjs");

const spec = JSON.parse(process.argv[2]);
const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
const body = Buffer.from(spec.body, "utf8");
const headers = { ...spec.headers, "content-length": String(body.length) };

function once() {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(spec.url, { method: "POST", agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, body: Buffer.concat(chunks) }));
      res.on("error", (error) => resolve({ error }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("no answer within 10 s")));
    req.on("error", (error) => resolve({ error }));
    req.end(body);
  });
}

/** Sends `count` requests over `concurrency` loops, stopping at the deadline; calls `record` per answer. */
async function run(count, deadline, record) {
  let issued = 0;
  const loop = async () => {
    while (issued < count && Date.now() < deadline) {
      issued++;
      record(await once());
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
}

runChild(async () => {
  // Every concurrent environment starts cold once; steady state is what is measured. The warm-up
  // has a third of the cap, so that a slow server still leaves the measured run its own cap.
  await run(spec.warmup, Date.now() + spec.timeCapMs / 3, () => {});
  const deadline = Date.now() + spec.timeCapMs;
  const latencies = [];
  const result = { requests: 0, ok: 0, non200: 0, wrongBody: 0, errors: 0, firstProblem: undefined };
  const started = process.hrtime.bigint();
  await run(spec.requests, deadline, (answer) => {
    result.requests++;
    if (answer.error) {
      result.errors++;
      result.firstProblem ??= answer.error.message;
      return;
    }
    latencies.push(answer.ms);
    if (answer.status === 200 && answer.body.includes(spec.expect)) return void result.ok++;
    if (answer.status === 200) result.wrongBody++;
    else result.non200++;
    result.firstProblem ??= `HTTP ${answer.status}: ${answer.body.toString("utf8").slice(0, 200)}`;
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  latencies.sort((a, b) => a - b);
  Object.assign(result, {
    elapsedMs,
    timedOut: result.requests < spec.requests,
    rps: result.requests / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  });
  agent.destroy();
  return result;
});
