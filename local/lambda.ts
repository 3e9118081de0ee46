// Runs Lambda functions from their deployment zips, as the Lambda service would for API Gateway.
//
// Each execution environment is a worker thread (local/lambda-worker.cjs) holding the unpacked zip:
// - process.env in a worker is its own copy, so each function sees exactly its environment variables
//   and nothing leaks between functions or into the emulator;
// - a timeout terminates the worker, so the timed-out code stops and its module state is gone, as
//   Lambda resets an environment after a timeout; the next call starts cold;
// - workers are kept warm between calls (module state persists, as in Lambda), one per concurrent
//   call, and replaced when the zip changes on disk.
// Child processes would isolate as well but cost ~50 ms and far more memory per environment.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import type { LambdaFunction } from "./stack";
import { readZip } from "./zip";

const WORKER = join(__dirname, "lambda-worker.cjs");

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvokeResult =
  | { ok: true; /** The result as Lambda serializes it (JSON text). */ payload: string }
  | { ok: false; error: LambdaError };

export interface LambdaRunnerOptions {
  region?: string;
  /** Added to every function's environment last (e.g. TWILIO_AUTH_TOKEN for local signing). */
  env?: Record<string, string>;
  /** Where the functions' console output goes (Lambda sends it to CloudWatch Logs). */
  output?: Writable;
}

interface Environment {
  worker: Worker;
  logStream: string;
}

interface Loaded {
  stamp: string;
  root: string;
  idle: Environment[];
  busy: Set<Environment>;
}

export class LambdaRunner {
  private readonly loaded = new Map<string, Loaded>();
  private readonly roots: string[] = [];
  private readonly region: string;
  private readonly output: Writable;

  constructor(private readonly options: LambdaRunnerOptions = {}) {
    this.region = options.region ?? "us-east-1";
    this.output = options.output ?? process.stdout;
  }

  /** Calls the function with the event; resolves with its result or its error as Lambda shapes them. */
  async invoke(fn: LambdaFunction, event: unknown): Promise<InvokeResult> {
    const loaded = this.load(fn);
    const environment = loaded.idle.pop() ?? this.start(fn, loaded);
    loaded.busy.add(environment);
    const awsRequestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    const { worker } = environment;
    let keep = false;
    try {
      const answer = await new Promise<{ ok: boolean; payload?: string; error?: LambdaError; initFailed?: boolean }>((settle) => {
        const timer = setTimeout(
          () =>
            settle({
              ok: false,
              error: {
                errorType: "Sandbox.Timedout",
                errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
              },
              initFailed: true,
            }),
          timeoutMs,
        );
        const done = (value: Parameters<typeof settle>[0]) => {
          clearTimeout(timer);
          worker.off("message", done).off("error", crashed).off("exit", exited);
          settle(value);
        };
        const crashed = (error: Error) =>
          done({ ok: false, error: { errorType: error.name || "Error", errorMessage: error.message }, initFailed: true });
        const exited = (code: number) =>
          done({
            ok: false,
            error: { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${awsRequestId} Error: Runtime exited with error: exit status ${code}` },
            initFailed: true,
          });
        worker.on("message", done).once("error", crashed).once("exit", exited);
        worker.postMessage({
          id: awsRequestId,
          event,
          context: {
            awsRequestId,
            functionName: fn.name,
            functionVersion: "$LATEST",
            invokedFunctionArn: fn.arn,
            memoryLimitInMB: String(fn.memoryMb),
            logGroupName: `/aws/lambda/${fn.name}`,
            logStreamName: environment.logStream,
            deadline: Date.now() + timeoutMs,
          },
        });
      });
      keep = !answer.initFailed;
      return answer.ok ? { ok: true, payload: answer.payload ?? "null" } : { ok: false, error: answer.error! };
    } finally {
      loaded.busy.delete(environment);
      if (keep && this.loaded.get(fn.arn) === loaded) loaded.idle.push(environment);
      else void worker.terminate();
    }
  }

  /** Stops every environment and removes the unpacked code. */
  async close(): Promise<void> {
    const workers = [...this.loaded.values()].flatMap((l) => [...l.idle, ...l.busy].map((e) => e.worker));
    this.loaded.clear();
    await Promise.all(workers.map((w) => w.terminate()));
    for (const root of this.roots.splice(0)) rmSync(root, { recursive: true, force: true });
  }

  /** The unpacked code of the function, unpacked again when its zip or configuration changed since the last call. */
  private load(fn: LambdaFunction): Loaded {
    let stat;
    try {
      stat = statSync(fn.zip);
    } catch {
      throw new Error(`Function ${fn.name} has no deployment package at ${fn.zip}: build it first.`);
    }
    // A new synth can change the configuration without the code: that needs fresh environments too.
    const stamp = JSON.stringify([stat.mtimeMs, stat.size, fn.handler, fn.runtime, fn.memoryMb, fn.environment]);
    const current = this.loaded.get(fn.arn);
    if (current?.stamp === stamp) return current;
    const root = mkdtempSync(join(tmpdir(), "denwa-lambda-"));
    this.roots.push(root);
    for (const entry of readZip(readFileSync(fn.zip), fn.zip)) {
      const target = resolve(root, entry.name);
      if (relative(root, target).startsWith("..")) throw new Error(`${fn.zip} has an entry outside its root: ${entry.name}.`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.data);
    }
    if (current) for (const environment of current.idle.splice(0)) void environment.worker.terminate();
    const loaded: Loaded = { stamp, root, idle: [], busy: new Set() };
    this.loaded.set(fn.arn, loaded);
    return loaded;
  }

  private start(fn: LambdaFunction, loaded: Loaded): Environment {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
    const logStream = `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      LANG: "en_US.UTF-8",
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStream,
      LAMBDA_TASK_ROOT: loaded.root,
      ...fn.environment,
      ...this.options.env,
    };
    const worker = new Worker(WORKER, {
      env,
      execArgv: [],
      workerData: { root: loaded.root, handler: fn.handler },
      stdout: true,
      stderr: true,
    });
    // Written chunk by chunk: piping many workers into one stream would stack its listeners.
    worker.stdout.on("data", (chunk: Buffer) => this.output.write(chunk));
    worker.stderr.on("data", (chunk: Buffer) => this.output.write(chunk));
    // A crash between calls (a stray timer throwing) ends that environment only.
    worker.on("error", (error) => this.output.write(`${fn.name}: ${error.stack ?? error.message}\n`));
    worker.once("exit", () => {
      const index = loaded.idle.findIndex((e) => e.worker === worker);
      if (index >= 0) loaded.idle.splice(index, 1);
    });
    // An environment that is idle must not keep the emulator's process alive.
    worker.unref();
    return { worker, logStream };
  }
}
