import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ManualClock } from "../local/clock";
import { LambdaRunner } from "../local/lambda";
import type { LambdaFunction } from "../local/stack";
import { CapturedOutput } from "./helpers/captured-output";
import { zipFiles } from "../scripts/zip";

const dir = mkdtempSync(join(tmpdir(), "denwa-lambda-test-"));
const output = new CapturedOutput();
// No call on this runner waits for an environment; a timeout fires only when a test moves the clock.
const clock = new ManualClock();
const runner = new LambdaRunner({ region: "ap-northeast-1", env: { LOCAL_TOKEN: "from-emulator" }, output, clock });

function fn(name: string, files: Record<string, string>, extra: Partial<LambdaFunction> = {}): LambdaFunction {
  const zip = join(dir, `${name}.zip`);
  writeFileSync(zip, zipFiles(files));
  return {
    key: name,
    name,
    arn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${name}`,
    zip,
    handler: "index.handler",
    runtime: "nodejs22.x",
    timeoutSeconds: 3,
    memoryMb: 256,
    environment: {},
    ...extra,
  };
}

async function ok(f: LambdaFunction, event: unknown = {}): Promise<any> {
  const result = await runner.invoke(f, event);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return JSON.parse(result.payload);
}

const modules = suite("handler modules");

modules("calls a CommonJS handler with the event and a Lambda context", async () => {
  const f = fn("cjs", {
    "index.js": `exports.handler = async (event, context) => ({ event, id: context.awsRequestId, name: context.functionName,
      arn: context.invokedFunctionArn, memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis() });`,
  });
  const started = performance.now();
  const result = await ok(f, { hello: "日本 😀" });
  const elapsed = Math.ceil(performance.now() - started);
  assert.equal(result.event, { hello: "日本 😀" });
  assert.match(result.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(result.name, "cjs");
  assert.is(result.arn, f.arn);
  assert.is(result.memory, "256");
  assert.ok(result.remaining <= 3000 && result.remaining >= 3000 - elapsed - 1, `remaining time counts down from the 3 s timeout: ${result.remaining} ms, ${elapsed} ms after the call`);
});

modules("loads ES modules: .mjs and .js under a package.json of type module", async () => {
  assert.equal(await ok(fn("mjs", { "index.mjs": "export const handler = async () => 'mjs';" })), "mjs");
  const typed = fn("esm", { "package.json": '{"type":"module"}', "src/app.js": "export async function run() { return 'esm'; }" }, { handler: "src/app.run" });
  assert.equal(await ok(typed), "esm");
});

modules("supports callback-style handlers", async () => {
  assert.equal(await ok(fn("callback", { "index.js": "exports.handler = (event, context, callback) => { setImmediate(() => callback(null, 'called back')); };" })), "called back");
});

modules("reports a missing module or export as Lambda does", async () => {
  const missing = await runner.invoke(fn("missing", { "other.js": "" }), {});
  assert.equal(!missing.ok && [missing.error.errorType, missing.error.errorMessage], ["Runtime.ImportModuleError", "Error: Cannot find module 'index'"]);
  const noExport = await runner.invoke(fn("noexport", { "index.js": "exports.other = () => 1;" }), {});
  assert.equal(!noExport.ok && [noExport.error.errorType, noExport.error.errorMessage], ["Runtime.HandlerNotFound", "index.handler is undefined or not exported"]);
});

modules.run();

const errors = suite("errors and timeouts");

errors("an uncaught error becomes {errorType, errorMessage} with its trace", async () => {
  const result = await runner.invoke(fn("throws", { "index.js": "exports.handler = async () => { null.x; };" }), {});
  assert.not.ok(result.ok);
  if (!result.ok) {
    assert.is(result.error.errorType, "TypeError");
    assert.is(result.error.errorMessage, "Cannot read properties of null (reading 'x')");
    assert.ok(result.error.trace?.[0].startsWith("TypeError: Cannot read properties of null"), "the trace starts with the error line");
  }
  const thrownString = await runner.invoke(fn("string", { "index.js": "exports.handler = async () => { throw 'plain'; };" }), {});
  assert.equal(!thrownString.ok && [thrownString.error.errorType, thrownString.error.errorMessage], ["string", "plain"]);
});

errors("a timeout ends the environment: the code stops and the next call starts cold", async () => {
  const marker = join(dir, "still-running.txt");
  const f = fn(
    "slow",
    {
      "index.js": `const fs = require("fs");
        let calls = 0;
        exports.handler = async (event) => {
          calls++;
          if (event.hang) {
            fs.appendFileSync(${JSON.stringify(marker)}, "x");
            setInterval(() => fs.appendFileSync(${JSON.stringify(marker)}, "x"), 1);
            console.log("hanging");
            return new Promise(() => {});
          }
          return calls;
        };`,
    },
    { timeoutSeconds: 1 },
  );
  assert.is(await ok(f), 1);
  const hanging = output.waitFor(/\tINFO\thanging\n/, output.text.length);
  const call = runner.invoke(f, { hang: true });
  await hanging;
  assert.equal(clock.pending(), [1000], "the one timer pending is the call's 1 s timeout");
  clock.advance(1000);
  const result = await call;
  assert.not.ok(result.ok);
  if (!result.ok) {
    assert.is(result.error.errorType, "Sandbox.Timedout");
    assert.match(result.error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
  }
  // The answer comes once the worker has stopped; a whole cold start later, nothing more was written.
  const written = readFileSync(marker, "utf8").length;
  assert.is(await ok(f), 1, "module state starts again after a timeout");
  assert.is(readFileSync(marker, "utf8").length, written, "the timed-out code no longer runs");
});

errors.run();

const pool = suite("execution environments per function");

const POOLED = {
  "index.js": `const fs = require("fs");
    const path = require("path");
    let calls = 0;
    let active = 0;
    // Resolves once the file exists: an event from the test, not a poll.
    const exists = (file) => new Promise((resolve) => {
      const watcher = fs.watch(path.dirname(file), () => fs.existsSync(file) && (watcher.close(), resolve()));
      if (fs.existsSync(file)) (watcher.close(), resolve());
    });
    exports.handler = async (event, context) => {
      calls++;
      active++;
      const overlapped = active > 1;
      if (event.hang) {
        console.log("hanging");
        await new Promise(() => {});
      }
      if (event.waitFor) {
        console.log("waiting");
        await exists(event.waitFor);
      }
      if (event.exit) process.exit(3);
      if (event.write) fs.writeFileSync(event.write, "x");
      await new Promise(setImmediate);
      active--;
      return { calls, overlapped, stream: context.logStreamName };
    };`,
};

/** A runner on its own clock: no call gets an environment past the limit unless the test moves it. */
function pooledRunner(maxEnvironments: number, scaleOutAfterMs = 250) {
  const clock = new ManualClock();
  const output = new CapturedOutput();
  return { limited: new LambdaRunner({ maxEnvironments, scaleOutAfterMs, clock, output }), clock, output };
}

/** Starts a call and hands it back once its handler has logged `line`: it is running, its environment busy. */
async function running<T>(output: CapturedOutput, line: "waiting" | "hanging", start: () => Promise<T>): Promise<{ call: Promise<T> }> {
  const logged = output.waitFor(new RegExp(`\\tINFO\\t${line}\\n`), output.text.length);
  const call = start();
  await logged;
  return { call };
}

async function answer(r: LambdaRunner, f: LambdaFunction, event: unknown): Promise<any> {
  const result = await r.invoke(f, event);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return JSON.parse(result.payload);
}

pool("calls beyond the limit wait for a warm environment, each environment taking one call at a time", async () => {
  const { limited } = pooledRunner(2);
  try {
    const f = fn("pooled", POOLED);
    const results = await Promise.all(Array.from({ length: 12 }, () => answer(limited, f, {})));
    const streams = [...new Set(results.map((r) => r.stream))];
    assert.is(streams.length, 2, "two environments served all twelve calls");
    assert.ok(results.every((r) => !r.overlapped), "no environment ran two calls at once");
    // Which environment boots first varies; what each one did does not: it stayed warm and took
    // its calls in the order they arrived.
    for (const stream of streams) {
      const calls = results.filter((r) => r.stream === stream).map((r) => r.calls);
      assert.equal(calls, calls.map((_, i) => i + 1), `environment ${stream} counted 1, 2, 3… in arrival order`);
    }
  } finally {
    await limited.close();
  }
});

pool("a timed-out environment is replaced while the calls waiting behind it proceed", async () => {
  const { limited, clock, output } = pooledRunner(1, 5000);
  try {
    const f = fn("pooled-timeout", POOLED, { timeoutSeconds: 1 });
    const first = await answer(limited, f, {});
    const hanging = output.waitFor(/\tINFO\thanging\n/);
    const calls = [limited.invoke(f, { hang: true }), answer(limited, f, {}), answer(limited, f, {})] as const;
    await hanging;
    assert.equal(clock.pending(), [1000, 5000, 5000], "the hung call waits for its timeout, two calls for an environment");
    clock.advance(1000);
    const [hung, second, third] = await Promise.all(calls);
    assert.equal(!hung.ok && hung.error.errorType, "Sandbox.Timedout");
    assert.equal([second.calls, third.calls], [1, 2], "the waiting calls ran in order in a fresh environment");
    assert.is(second.stream, third.stream);
    assert.is.not(second.stream, first.stream, "the timed-out environment was not reused");
  } finally {
    await limited.close();
  }
});

pool("a call that waited long enough gets an environment past the limit, which ends once no call waits", async () => {
  const { limited, clock } = pooledRunner(1);
  const marker = join(dir, "released.txt");
  try {
    const f = fn("pooled-scale-out", POOLED);
    // The first call can only finish once the second has run beside it.
    const calls = [answer(limited, f, { waitFor: marker }), answer(limited, f, { write: marker })];
    await new Promise(setImmediate); // both calls have reached their timers
    assert.equal(clock.pending(), [250, 3000], "the second call waits 250 ms for the only environment");
    clock.advance(250);
    const [waiting, releasing] = await Promise.all(calls);
    assert.is.not(waiting.stream, releasing.stream, "the second call ran in an environment of its own");
    const after = await Promise.all([answer(limited, f, {}), answer(limited, f, {})]);
    // Whichever of the two finished first ended (no call was waiting for it); the other stays warm.
    const kept = after[0].stream;
    assert.ok([waiting.stream, releasing.stream].includes(kept), "a warm environment took the next call");
    assert.equal(after.map((r) => [r.stream, r.calls]), [[kept, 2], [kept, 3]], "back to one environment: the second call waited for it");
  } finally {
    await limited.close();
  }
});

pool("a call arriving while every environment is busy waits in one and runs the moment the call before it ends; the next takes its place", async () => {
  const { limited, clock, output } = pooledRunner(1, 5000);
  const marker = join(dir, "handed-over.txt");
  try {
    const f = fn("pooled-hand-over", POOLED);
    const { call: first } = await running(output, "waiting", () => answer(limited, f, { waitFor: marker }));
    const started = join(dir, "handed-over-started.txt");
    const second = answer(limited, f, { write: started });
    await clock.scheduled(5000);
    // Three may wait in the environment: the fifth call waits here, and takes a place there once the second runs.
    const later = [answer(limited, f, {}), answer(limited, f, {}), answer(limited, f, {})];
    await new Promise(setImmediate);
    assert.equal(clock.pending(), [3000, 5000, 5000, 5000, 5000], "the first call's timeout, and how long the others may wait");
    writeFileSync(marker, "x");
    // This thread does not turn its event loop here, so it never hears the first answer: the
    // environment must start the second call on its own.
    const until = Date.now() + 10_000;
    while (!existsSync(started) && Date.now() < until);
    assert.ok(existsSync(started), "the second call started in the environment before this thread heard the first answer");
    rmSync(started);
    const [a, b, ...rest] = await Promise.all([first, second, ...later]);
    assert.equal([b.calls, b.stream, b.overlapped], [2, a.stream, false], "the same environment ran the second call second, not beside the first");
    assert.equal(rest.map((r) => [r.calls, r.stream, r.overlapped]), [3, 4, 5].map((n) => [n, a.stream, false]), "and the others after it, in order");
    assert.equal(clock.pending(), [], "no timer is left behind");
  } finally {
    rmSync(marker, { force: true });
    await limited.close();
  }
});

pool("a call waiting in a busy environment is taken back after scaleOutAfterMs and runs in one of its own, never twice", async () => {
  const { limited, clock, output } = pooledRunner(1);
  const marker = join(dir, "taken-back.txt");
  try {
    const f = fn("pooled-take-back", POOLED);
    const { call: first } = await running(output, "waiting", () => answer(limited, f, { waitFor: marker }));
    const second = answer(limited, f, { write: marker });
    await clock.scheduled(250);
    clock.advance(250);
    const [a, b] = await Promise.all([first, second]);
    assert.is.not(b.stream, a.stream, "the second call ran in an environment of its own");
    assert.equal([a.calls, b.calls], [1, 1]);
    const after = await answer(limited, f, {});
    assert.is(after.calls, 2, "the first environment never ran the call it handed back");
  } finally {
    rmSync(marker, { force: true });
    await limited.close();
  }
});

pool("a call waiting in an environment that times out or exits runs in a fresh one", async () => {
  const { limited, clock, output } = pooledRunner(1, 5000);
  const marker = join(dir, "exits.txt");
  try {
    const f = fn("pooled-ends", POOLED, { timeoutSeconds: 1 });
    const { call: hung } = await running(output, "hanging", () => limited.invoke(f, { hang: true }));
    const behindTimeout = answer(limited, f, {});
    await clock.scheduled(5000);
    clock.advance(1000);
    const timedOut = await hung;
    assert.equal(!timedOut.ok && timedOut.error.errorType, "Sandbox.Timedout");
    const b = await behindTimeout;
    assert.equal(b.calls, 1, "it ran, first in a fresh environment");

    const { call: exiting } = await running(output, "waiting", () => limited.invoke(f, { waitFor: marker, exit: true }));
    const behindExit = answer(limited, f, {});
    await clock.scheduled(5000);
    writeFileSync(marker, "x");
    const exited = await exiting;
    assert.equal(!exited.ok && exited.error.errorType, "Runtime.ExitError");
    const c = await behindExit;
    assert.equal(c.calls, 1, "it ran, first in a fresh environment");
    assert.is.not(c.stream, b.stream);
  } finally {
    rmSync(marker, { force: true });
    await limited.close();
  }
});

pool("closing refuses the calls still waiting and stops the environments", async () => {
  const { limited, output } = pooledRunner(1);
  const f = fn("pooled-close", POOLED);
  const hanging = output.waitFor(/\tINFO\thanging\n/);
  const running = limited.invoke(f, { hang: true });
  const waiting = limited.invoke(f, {}).then(
    () => "started",
    (error: Error) => error.message,
  );
  await hanging;
  await limited.close();
  const stopped = await running;
  assert.equal(!stopped.ok && stopped.error.errorType, "Runtime.ExitError", "the running call ends with its environment");
  assert.is(await waiting, "The Lambda runner was closed.", "a waiting call does not start after close");
});

pool.run();

const environment = suite("environment");

environment("each function sees its own variables plus the emulator's, and the emulator's process.env is untouched", async () => {
  const code = { "index.js": "exports.handler = async () => ({ who: process.env.WHO, token: process.env.LOCAL_TOKEN, name: process.env.AWS_LAMBDA_FUNCTION_NAME, region: process.env.AWS_REGION });" };
  const a = await ok(fn("env-a", code, { environment: { WHO: "a" } }));
  const b = await ok(fn("env-b", code, { environment: { WHO: "b" } }));
  assert.equal(a, { who: "a", token: "from-emulator", name: "env-a", region: "ap-northeast-1" });
  assert.equal(b, { who: "b", token: "from-emulator", name: "env-b", region: "ap-northeast-1" });
  assert.is(process.env.WHO, undefined, "nothing leaks into the emulator");
});

environment("keeps a function warm between calls and reloads it when its zip changes", async () => {
  const f = fn("warm", { "index.js": "let n = 0; exports.handler = async () => `v1:${++n}`;" });
  assert.is(await ok(f), "v1:1");
  assert.is(await ok(f), "v1:2", "module state persists between calls");
  writeFileSync(f.zip, zipFiles({ "index.js": "exports.handler = async () => 'v2 with a longer body';" }));
  assert.is(await ok(f), "v2 with a longer body", "the new zip is loaded");
});

environment("starts fresh environments when a new synth changes the function's variables", async () => {
  const f = fn("reconfigured", { "index.js": "exports.handler = async () => process.env.MODE;" }, { environment: { MODE: "one" } });
  assert.is(await ok(f), "one");
  assert.is(await ok({ ...f, environment: { MODE: "two" } }), "two");
});

environment("a changed local environment (a new token in .env) starts fresh environments; the same one keeps them warm", async () => {
  let added = { LOCAL_TOKEN: "first" };
  const local = new LambdaRunner({ env: () => added, output, clock });
  try {
    const f = fn("local-env", { "index.js": "let n = 0; exports.handler = async () => `${process.env.LOCAL_TOKEN}:${++n}`;" });
    const call = async () => {
      const result = await local.invoke(f, {});
      return result.ok ? JSON.parse(result.payload) : result.error;
    };
    assert.is(await call(), "first:1");
    assert.is(await call(), "first:2", "the same answer keeps the environment warm");
    added = { LOCAL_TOKEN: "second" };
    assert.is(await call(), "second:1", "a new answer starts a fresh environment");
  } finally {
    await local.close();
  }
});

environment("output written with an encoding arrives decoded from that encoding", async () => {
  const f = fn("encodings", { "index.js": "exports.handler = async () => { process.stdout.write('e697a5e69cac0a', 'hex'); process.stdout.write(Buffer.from('語\\n')); return 1; };" });
  const from = output.text.length;
  await ok(f);
  assert.is(output.text.slice(from), "日本\n語\n");
});

environment("console output carries the request id and level, as in CloudWatch; all of a call's output arrives before its answer", async () => {
  const f = fn("logs", {
    "index.js": `exports.handler = async (e, context) => {
      console.log('hello %s', 'world');
      console.error('bad');
      process.stdout.write('{"level":"info","note":"日本語"}\\n');
      return context.awsRequestId;
    };`,
  });
  const from = output.text.length;
  const id = await ok(f);
  // No wait: the lines are already there when the call resolves.
  assert.match(output.text.slice(from), new RegExp(`^\\S+\\t${id}\\tINFO\\thello world\\n\\S+\\t${id}\\tERROR\\tbad\\n\\{"level":"info","note":"日本語"\\}\\n$`));
});

environment.after(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

environment.run();
