// Runs Lambda functions from their deployment zips, as the Lambda service would for API Gateway.
//
// Each execution environment is a worker thread (local/lambda-worker.cjs) holding the unpacked zip:
// - process.env in a worker is its own copy, so each function sees exactly its environment variables
//   and nothing leaks between functions or into the emulator;
// - a timeout terminates the worker, so the timed-out code stops and its module state is gone, as
//   Lambda resets an environment after a timeout; the next call starts cold;
// - workers are kept warm between calls (module state persists, as in Lambda), each handling one
//   call at a time, and replaced when the zip changes on disk.
// Lambda would scale out to one environment per concurrent call; here a function keeps to
// `maxEnvironments` (the core count by default) and further calls wait for the first free one:
// more threads than cores only share the same cores, and each extra one slows every message.
// A call that waited `scaleOutAfterMs` gets an environment of its own, so slow calls still overlap.
// When every environment is busy, up to QUEUE_DEPTH calls more per environment are handed to it
// at once and wait there, each starting the moment the one before it ends: the environment takes its
// calls back to back instead of sleeping until this thread sends the next, and on a busy machine
// waking a sleeping thread costs both threads more than the call itself. A call handed over this
// way is still withdrawn, and run elsewhere, if it has not started by `scaleOutAfterMs`.
// Child processes would isolate as well but cost ~50 ms and far more memory per environment.
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { Writable } from "node:stream";
import { realClock, type Clock } from "./clock";
import { fileStamp } from "./file-stamp";
import {
  endEnvironment,
  exitAnswer,
  handOver,
  reserve,
  startEnvironment,
  type Answer,
  type Environment,
  type LambdaError,
} from "./lambda-environment";
import type { LambdaFunction } from "./stack";
import { readZip } from "./zip";

export type { LambdaError };

export type InvokeResult =
  | { ok: true; /** The result as Lambda serializes it (JSON text). */ payload: string }
  | { ok: false; error: LambdaError };

export interface LambdaRunnerOptions {
  region?: string;
  /**
   * Added to every function's environment last (e.g. TWILIO_AUTH_TOKEN for local signing); a
   * function is asked again at each environment start, and a changed answer starts fresh ones.
   */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Where the functions' console output goes (Lambda sends it to CloudWatch Logs). */
  output?: Writable;
  /** Execution environments per function at most; calls beyond wait for one. Default: the core count, at least 2. */
  maxEnvironments?: number;
  /** How long a call waits for a free environment before it gets a new one past the limit. Default: 250 ms. */
  scaleOutAfterMs?: number;
  /** Times the scale-out wait and each call's timeout. Default: real time. */
  clock?: Clock;
}

/** A call waiting for an environment: handed one (still busy), or undefined to look again. */
type Waiter = (environment: Environment | undefined, behind?: boolean) => void;

interface Loaded {
  zipStamp: string;
  configStamp: string;
  root: string;
  idle: Environment[];
  busy: Set<Environment>;
  waiting: Waiter[];
}

export class LambdaRunner {
  private readonly loaded = new Map<string, Loaded>();
  private readonly roots: string[] = [];
  private readonly configStamps = new WeakMap<LambdaFunction, { extra: Record<string, string>; stamp: string }>();
  private readonly region: string;
  private readonly output: Writable;
  private readonly maxEnvironments: number;
  private readonly scaleOutAfterMs: number;
  private readonly clock: Clock;
  private closed = false;

  constructor(private readonly options: LambdaRunnerOptions = {}) {
    this.region = options.region ?? "us-east-1";
    this.output = options.output ?? process.stdout;
    const max = options.maxEnvironments ?? Math.max(2, availableParallelism());
    if (!Number.isInteger(max) || max < 1) throw new Error(`maxEnvironments must be a whole number of at least 1, not ${max}.`);
    this.maxEnvironments = max;
    this.scaleOutAfterMs = options.scaleOutAfterMs ?? 250;
    this.clock = options.clock ?? realClock;
  }

  /** Calls the function with the event; resolves with its result or its error as Lambda shapes them. */
  invoke(fn: LambdaFunction, event: unknown): Promise<InvokeResult> {
    return this.invokeJson(fn, JSON.stringify(event) ?? "null");
  }

  /** Calls the function with an event given as JSON text, as Lambda receives it. */
  async invokeJson(fn: LambdaFunction, event: string): Promise<InvokeResult> {
    const awsRequestId = randomUUID();
    const timeoutMs = fn.timeoutSeconds * 1000;
    let place = await this.acquire(fn);
    while (place.behind) {
      const outcome = await handOver(place.environment, { call: { awsRequestId, event, remainingMs: timeoutMs }, clock: this.clock, waitMs: this.scaleOutAfterMs });
      if (outcome === "started") break;
      // Waited as long as a waiting call may: an environment of its own, as acquire() gives one.
      place = outcome === "scale-out" && !this.closed ? { loaded: place.loaded, environment: this.startBusy(fn, place.loaded), behind: false } : await this.acquire(fn, true);
    }
    const { loaded, environment } = place;
    environment.requestId = awsRequestId;
    environment.promoted = false;
    let keep = false;
    try {
      const answer = await new Promise<Answer>((settle) => {
        // Its worker ended between the answer before it and now.
        if (environment.exitCode !== undefined) return settle(exitAnswer(awsRequestId, environment.exitCode));
        const cancel = this.clock.after(timeoutMs, () => {
          // Answered once the worker has stopped, so no timed-out code runs after the answer;
          // its exit is this timeout, not a crash.
          environment.settle = undefined;
          endEnvironment(environment);
          const timedOut: Answer = {
            ok: false,
            error: {
              errorType: "Sandbox.Timedout",
              errorMessage: `RequestId: ${awsRequestId} Error: Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`,
            },
            reset: true,
          };
          void environment.worker.terminate().finally(() => settle(timedOut));
        });
        environment.settle = (answer) => {
          environment.settle = undefined;
          cancel();
          settle(answer);
        };
        // The remaining time counts down in the function's own thread, from when the call reaches it.
        if (!place.behind) environment.worker.postMessage({ awsRequestId, event, remainingMs: timeoutMs });
      });
      keep = !answer.reset;
      return answer.ok ? { ok: true, payload: answer.payload ?? "null" } : { ok: false, error: answer.error! };
    } finally {
      this.release(fn, loaded, environment, keep);
    }
  }

  /** Stops every environment and removes the unpacked code. */
  async close(): Promise<void> {
    this.closed = true;
    const loaded = [...this.loaded.values()];
    this.loaded.clear();
    for (const l of loaded) for (const wake of l.waiting.splice(0)) wake(undefined);
    for (const l of loaded) for (const environment of l.busy) endEnvironment(environment);
    await Promise.all(loaded.flatMap((l) => [...l.idle, ...l.busy].map((e) => e.worker.terminate())));
    for (const root of this.roots.splice(0)) rmSync(root, { recursive: true, force: true });
  }

  /**
   * A warm idle environment, else a new one within the limit, else the first one another call
   * frees; a call that has waited scaleOutAfterMs gets a new environment past the limit, as
   * Lambda would have scaled out, so slow or hung calls do not hold up the others for long.
   */
  private async acquire(fn: LambdaFunction, first = false): Promise<{ loaded: Loaded; environment: Environment; behind: boolean }> {
    for (;;) {
      if (this.closed) throw new Error("The Lambda runner was closed.");
      const loaded = this.load(fn);
      const idle = loaded.idle.pop();
      if (idle) loaded.busy.add(idle);
      const environment = idle ?? (loaded.busy.size < this.maxEnvironments ? this.startBusy(fn, loaded) : undefined);
      if (environment) return { loaded, environment, behind: false };
      // A call taken back from an environment that ended waits first in line, as it came first.
      if (!first) {
        for (const busy of loaded.busy) if (busy.settle && reserve(busy)) return { loaded, environment: busy, behind: true };
      }
      // Handed over still busy, so no call arriving meanwhile can take it first.
      const handed = await new Promise<{ environment: Environment; behind: boolean } | undefined>((wake) => {
        const waiter: Waiter = (handed, behind = false) => {
          cancel();
          wake(handed && { environment: handed, behind });
        };
        const cancel = this.clock.after(this.scaleOutAfterMs, () => {
          loaded.waiting.splice(loaded.waiting.indexOf(waiter), 1);
          wake({ environment: this.startBusy(fn, loaded), behind: false });
        });
        if (first) loaded.waiting.unshift(waiter);
        else loaded.waiting.push(waiter);
      });
      if (handed) return { loaded, ...handed };
      first = false;
    }
  }

  /** Hands the environment to the next waiting call, keeps it idle, or ends it. */
  private release(fn: LambdaFunction, loaded: Loaded, environment: Environment, keep: boolean): void {
    // The call that waited in it runs now, and its own release decides; the first call waiting
    // here takes its place behind it.
    if (environment.promoted) {
      while (this.loaded.get(fn.arn) === loaded && loaded.waiting.length > 0 && reserve(environment)) loaded.waiting.shift()!(environment, true);
      return;
    }
    // An environment that timed out, exited or answered with a reset is never handed on.
    keep &&= !environment.ending;
    if (this.loaded.get(fn.arn) !== loaded) {
      // Replaced code: load() already sent the waiting calls to the new environments.
      loaded.busy.delete(environment);
      void environment.worker.terminate();
      return;
    }
    const next = loaded.waiting.shift();
    if (keep && next) return next(environment);
    loaded.busy.delete(environment);
    // Environments past the limit (scaled out for waiting calls) end once no call waits.
    if (keep && loaded.busy.size + loaded.idle.length < this.maxEnvironments) {
      loaded.idle.push(environment);
      return;
    }
    void environment.worker.terminate();
    if (next) next(this.startBusy(fn, loaded));
  }

  private startBusy(fn: LambdaFunction, loaded: Loaded): Environment {
    const environment = this.start(fn, loaded);
    loaded.busy.add(environment);
    return environment;
  }

  /** The unpacked code of the function, unpacked again when its zip or configuration changed since the last call. */
  private load(fn: LambdaFunction): Loaded {
    const zipStamp = fileStamp(fn.zip);
    if (zipStamp === undefined) throw new Error(`Function ${fn.name} has no deployment package at ${fn.zip}: build it first.`);
    // A new synth can change the configuration without the code: that needs fresh environments too.
    const configStamp = this.configStamp(fn);
    const current = this.loaded.get(fn.arn);
    if (current?.zipStamp === zipStamp && current.configStamp === configStamp) return current;
    const root = mkdtempSync(join(tmpdir(), "denwa-lambda-"));
    this.roots.push(root);
    for (const entry of readZip(readFileSync(fn.zip), fn.zip)) {
      const target = resolve(root, entry.name);
      if (relative(root, target).startsWith("..")) throw new Error(`${fn.zip} has an entry outside its root: ${entry.name}.`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.data);
    }
    const loaded: Loaded = { zipStamp, configStamp, root, idle: [], busy: new Set(), waiting: [] };
    this.loaded.set(fn.arn, loaded);
    if (current) {
      for (const environment of current.idle.splice(0)) void environment.worker.terminate();
      for (const wake of current.waiting.splice(0)) wake(undefined);
    }
    return loaded;
  }

  /** The function's configuration as text, written again only when it or the added environment is a new object. */
  private configStamp(fn: LambdaFunction): string {
    const extra = this.extraEnv();
    const known = this.configStamps.get(fn);
    if (known?.extra === extra) return known.stamp;
    const stamp = JSON.stringify([fn.handler, fn.runtime, fn.memoryMb, fn.environment, extra]);
    this.configStamps.set(fn, { extra, stamp });
    return stamp;
  }

  private extraEnv(): Record<string, string> {
    const { env } = this.options;
    return typeof env === "function" ? env() : env ?? {};
  }

  private start(fn: LambdaFunction, loaded: Loaded): Environment {
    return startEnvironment(fn, loaded.root, {
      region: this.region,
      env: this.extraEnv(),
      output: this.output,
      // An environment that exits while idle leaves the pool.
      onExit: (environment) => {
        const index = loaded.idle.indexOf(environment);
        if (index >= 0) loaded.idle.splice(index, 1);
      },
    });
  }
}
