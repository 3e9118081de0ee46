// One Lambda execution environment, run by local/lambda.ts in a worker thread. Plain CommonJS
// JavaScript on purpose: the function's code runs under bare Node as in Lambda, without tsx's loader.
// The worker's process.env is its own copy (the function's environment); a timeout terminates it.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { existsSync, readFileSync } = require("node:fs");
const { dirname, resolve } = require("node:path");
const { pathToFileURL } = require("node:url");
const { format } = require("node:util");

// Lambda's node reads NODE_OPTIONS from the function's environment; a worker thread does not, so
// the one option debug stages set (infra/webhook-function.ts) is applied here, for this thread only.
if (/(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS || "")) process.setSourceMapsEnabled(true);

let requestId = "undefined";
// Output travels on the same port as the answer, so everything a call wrote has reached the
// emulator before its answer does (a worker's own stdout pipe would deliver it at any later time).
for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    const utf8 = typeof encoding !== "string" || /^utf-?8$/i.test(encoding);
    const text = typeof chunk === "string" ? (utf8 ? chunk : Buffer.from(chunk, encoding).toString("utf8")) : Buffer.from(chunk).toString("utf8");
    parentPort.postMessage({ output: text });
    const done = typeof encoding === "function" ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
}
// Lambda's Node runtime prefixes every console line with time, request id and level.
for (const [method, level] of [["log", "INFO"], ["info", "INFO"], ["warn", "WARN"], ["error", "ERROR"], ["debug", "DEBUG"], ["trace", "TRACE"]]) {
  console[method] = (...args) => process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${format(...args)}\n`);
}

function runtimeError(type, message) {
  const error = new Error(message);
  error.name = type;
  return error;
}

function isModuleScope(file, root) {
  for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
    const manifest = resolve(dir, "package.json");
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, "utf8")).type === "module";
    if (dir === root) break;
  }
  return false;
}

async function loadHandler() {
  const { root, handler } = workerData;
  const dot = handler.lastIndexOf(".");
  const modulePath = handler.slice(0, dot);
  const name = handler.slice(dot + 1);
  const file = [".js", ".mjs", ".cjs"].map((ext) => resolve(root, modulePath + ext)).find((f) => existsSync(f));
  if (dot < 1 || !file) throw runtimeError("Runtime.ImportModuleError", `Error: Cannot find module '${modulePath}'`);
  let loaded;
  try {
    const esm = file.endsWith(".mjs") || (file.endsWith(".js") && isModuleScope(file, root));
    loaded = esm ? await import(pathToFileURL(file).href) : require(file);
  } catch (error) {
    if (error instanceof SyntaxError) throw runtimeError("Runtime.UserCodeSyntaxError", `${error.name}: ${error.message}`);
    throw error;
  }
  const fn = loaded[name] ?? (loaded.default && loaded.default[name]);
  if (typeof fn !== "function") throw runtimeError("Runtime.HandlerNotFound", `${handler} is undefined or not exported`);
  return fn;
}

function toLambdaError(error) {
  if (error instanceof Error) {
    return { errorType: error.name || "Error", errorMessage: error.message, trace: String(error.stack || "").split("\n") };
  }
  if (typeof error === "string") return { errorType: "string", errorMessage: error, trace: [] };
  return { errorType: "object", errorMessage: JSON.stringify(error), trace: [] };
}

function call(fn, event, context) {
  return new Promise((resolvePromise, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolvePromise(value));
    const returned = fn(event, context, callback);
    if (returned && typeof returned.then === "function") returned.then(resolvePromise, reject);
    else if (fn.length < 3) resolvePromise(returned);
  });
}

let handler;
// Calls handed over while one runs, in order. Each has a cell in workerData.claims: this thread
// takes it (queued -> taken) when it starts it, unless the emulator took it back first.
const waiting = [];
let running = false;
const { queued: QUEUED, taken: TAKEN } = workerData.claimStates;

// A call is {awsRequestId, event (JSON text, as Lambda receives it), remainingMs, claim when it
// was handed over}; the rest of the context is the environment's and came with workerData.
parentPort.on("message", (call) => {
  if (call.claim === undefined) return void run(call);
  waiting.push(call);
  if (!running) next();
});

function next() {
  for (let call = waiting.shift(); call; call = waiting.shift()) {
    if (Atomics.compareExchange(workerData.claims, call.claim, QUEUED, TAKEN) === QUEUED) return void run(call);
  }
}

async function run(call) {
  running = true;
  try {
    await answer(call);
  } finally {
    running = false;
    next();
  }
}

async function answer({ awsRequestId, event, remainingMs }) {
  requestId = awsRequestId;
  const deadline = Date.now() + remainingMs;
  const lambdaContext = {
    awsRequestId,
    ...workerData.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    handler ??= loadHandler();
    const result = await call(await handler, JSON.parse(event), lambdaContext);
    parentPort.postMessage({ ok: true, payload: JSON.stringify(result === undefined ? null : result) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: toLambdaError(error), reset: handler !== undefined && (await isRejected(handler)) });
  }
}

async function isRejected(promise) {
  return promise.then(() => false, () => true);
}
