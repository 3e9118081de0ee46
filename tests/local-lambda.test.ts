import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LambdaRunner } from "../local/lambda";
import type { LambdaFunction } from "../local/stack";
import { makeZip } from "./helpers/local-stack";

const dir = mkdtempSync(join(tmpdir(), "denwa-lambda-test-"));
let output = "";
const runner = new LambdaRunner({
  region: "ap-northeast-1",
  env: { LOCAL_TOKEN: "from-emulator" },
  output: new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString("utf8");
      done();
    },
  }),
});

function fn(name: string, files: Record<string, string>, extra: Partial<LambdaFunction> = {}): LambdaFunction {
  const zip = join(dir, `${name}.zip`);
  writeFileSync(zip, makeZip(files));
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
  const result = await ok(f, { hello: "日本 😀" });
  assert.equal(result.event, { hello: "日本 😀" });
  assert.match(result.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(result.name, "cjs");
  assert.is(result.arn, f.arn);
  assert.is(result.memory, "256");
  assert.ok(result.remaining > 0 && result.remaining <= 3000, "remaining time counts down from the function's timeout");
});

modules("loads ES modules: .mjs and .js under a package.json of type module", async () => {
  assert.equal(await ok(fn("mjs", { "index.mjs": "export const handler = async () => 'mjs';" })), "mjs");
  const typed = fn("esm", { "package.json": '{"type":"module"}', "src/app.js": "export async function run() { return 'esm'; }" }, { handler: "src/app.run" });
  assert.equal(await ok(typed), "esm");
});

modules("supports callback-style handlers", async () => {
  assert.equal(await ok(fn("callback", { "index.js": "exports.handler = (event, context, callback) => { setTimeout(() => callback(null, 'called back'), 5); };" })), "called back");
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
      "index.js": `let calls = 0;
        exports.handler = async (event) => {
          calls++;
          if (event.hang) { setInterval(() => require("fs").appendFileSync(${JSON.stringify(marker)}, "x"), 20); return new Promise(() => {}); }
          return calls;
        };`,
    },
    { timeoutSeconds: 1 },
  );
  assert.is(await ok(f), 1);
  const result = await runner.invoke(f, { hang: true });
  assert.not.ok(result.ok);
  if (!result.ok) {
    assert.is(result.error.errorType, "Sandbox.Timedout");
    assert.match(result.error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
  }
  const written = readFileSync(marker, "utf8").length;
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.is(readFileSync(marker, "utf8").length, written, "the timed-out code no longer runs");
  assert.is(await ok(f), 1, "module state starts again after a timeout");
});

errors.run();

const pool = suite("execution environments per function");

const POOLED = {
  "index.js": `const fs = require("fs");
    let calls = 0;
    let active = 0;
    exports.handler = async (event, context) => {
      calls++;
      active++;
      const overlapped = active > 1;
      if (event.hang) await new Promise(() => {});
      if (event.waitFor) while (!fs.existsSync(event.waitFor)) await new Promise((resolve) => setTimeout(resolve, 5));
      if (event.write) fs.writeFileSync(event.write, "x");
      await new Promise((resolve) => setTimeout(resolve, event.sleep ?? 0));
      active--;
      return { calls, overlapped, stream: context.logStreamName };
    };`,
};

function pooledRunner(maxEnvironments: number, scaleOutAfterMs = 60_000): LambdaRunner {
  return new LambdaRunner({ maxEnvironments, scaleOutAfterMs, output: new Writable({ write: (_chunk, _encoding, done) => done() }) });
}

async function answer(r: LambdaRunner, f: LambdaFunction, event: unknown): Promise<any> {
  const result = await r.invoke(f, event);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return JSON.parse(result.payload);
}

pool("calls beyond the limit wait for a warm environment, each environment taking one call at a time", async () => {
  const limited = pooledRunner(2);
  try {
    const f = fn("pooled", POOLED);
    const results = await Promise.all(Array.from({ length: 12 }, () => answer(limited, f, { sleep: 5 })));
    assert.is(new Set(results.map((r) => r.stream)).size, 2, "two environments served all twelve calls");
    assert.ok(results.every((r) => !r.overlapped), "no environment ran two calls at once");
    assert.equal(results.map((r) => r.calls).sort((a, b) => a - b), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6], "each environment stayed warm");
  } finally {
    await limited.close();
  }
});

pool("a timed-out environment is replaced while the calls waiting behind it proceed", async () => {
  const limited = pooledRunner(1);
  try {
    const f = fn("pooled-timeout", POOLED, { timeoutSeconds: 1 });
    const first = await answer(limited, f, {});
    const [hung, second, third] = await Promise.all([limited.invoke(f, { hang: true }), answer(limited, f, {}), answer(limited, f, {})]);
    assert.equal(!hung.ok && hung.error.errorType, "Sandbox.Timedout");
    assert.equal([second.calls, third.calls], [1, 2], "the waiting calls ran in order in a fresh environment");
    assert.is(second.stream, third.stream);
    assert.is.not(second.stream, first.stream, "the timed-out environment was not reused");
  } finally {
    await limited.close();
  }
});

pool("a call that waited long enough gets an environment past the limit, which ends once no call waits", async () => {
  const limited = pooledRunner(1, 50);
  const marker = join(dir, "released.txt");
  try {
    const f = fn("pooled-scale-out", POOLED);
    // The first call can only finish once the second has run beside it.
    const [waiting, releasing] = await Promise.all([answer(limited, f, { waitFor: marker }), answer(limited, f, { write: marker })]);
    assert.is.not(waiting.stream, releasing.stream, "the second call ran in an environment of its own");
    const after = await Promise.all([answer(limited, f, {}), answer(limited, f, {})]);
    assert.equal(after.map((r) => r.stream), [waiting.stream, waiting.stream], "back to one environment");
  } finally {
    await limited.close();
  }
});

pool("closing refuses the calls still waiting and stops the environments", async () => {
  const limited = pooledRunner(1);
  const f = fn("pooled-close", POOLED);
  const running = limited.invoke(f, { hang: true });
  const waiting = limited.invoke(f, {}).then(
    () => "started",
    (error: Error) => error.message,
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
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
  writeFileSync(f.zip, makeZip({ "index.js": "exports.handler = async () => 'v2 with a longer body';" }));
  assert.is(await ok(f), "v2 with a longer body", "the new zip is loaded");
});

environment("starts fresh environments when a new synth changes the function's variables", async () => {
  const f = fn("reconfigured", { "index.js": "exports.handler = async () => process.env.MODE;" }, { environment: { MODE: "one" } });
  assert.is(await ok(f), "one");
  assert.is(await ok({ ...f, environment: { MODE: "two" } }), "two");
});

environment("console output carries the request id and level, as in CloudWatch", async () => {
  const f = fn("logs", { "index.js": "exports.handler = async (e, context) => { console.log('hello %s', 'world'); console.error('bad'); return context.awsRequestId; };" });
  const id = await ok(f);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.match(output, new RegExp(`\\t${id}\\tINFO\\thello world\\n`));
  assert.match(output, new RegExp(`\\t${id}\\tERROR\\tbad\\n`));
});

environment.after(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

environment.run();
