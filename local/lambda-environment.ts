// One Lambda execution environment (local/lambda.ts runs the pool): a worker thread
// (local/lambda-worker.cjs) with its function's variables and the unpacked code, the call in
// progress, and the calls handed over to wait in it.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import type { Clock } from "./clock";
import type { LambdaFunction } from "./stack";

const WORKER = join(__dirname, "lambda-worker.cjs");

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** What an environment answers for one call; `reset` ends the environment (Lambda would reset it). */
export interface Answer {
  ok: boolean;
  payload?: string;
  error?: LambdaError;
  reset?: boolean;
}

export interface Environment {
  worker: Worker;
  /** The call in progress or the last one. */
  requestId?: string;
  /** Settles the call in progress; undefined while idle. */
  settle?: (answer: Answer) => void;
  /** The calls handed over to wait behind the one in progress, in order. */
  queue: Queued[];
  /** Timed out or gone: it takes no call more. */
  ending?: boolean;
  /** Its worker's exit code, once it has exited. */
  exitCode?: number;
  /** The handed-over call became the one in progress and has not yet set `settle`. */
  promoted?: boolean;
  /** Calls on their way to wait in it: no other may take their places. */
  reserved: number;
  /**
   * Shared with the worker, a cell per call handed over: queued until the worker takes it or
   * this thread takes it back (CLAIM), whichever comes first.
   */
  claims: Int32Array;
  nextClaim: number;
}

/** How a handed-over call left the queue: it began, it waited too long, or its environment ended. */
export type QueueOutcome = "started" | "scale-out" | "again";

interface Queued {
  /** Becomes the call in progress: the one before it answered. */
  start(): void;
  /** Takes the call back if the worker has not taken it; false once it has. */
  withdraw(outcome: Exclude<QueueOutcome, "started">): boolean;
}

/** A cell's states, handed to the worker with its cells: the worker takes a call, this thread withdraws it. */
const CLAIM = { queued: 1, taken: 2, withdrawn: 3 } as const;
/** Calls that may wait in a busy environment: enough that it never waits for this thread's next. */
export const QUEUE_DEPTH = 3;
// More than the calls that can hold a cell at once: QUEUE_DEPTH waiting, and one started that has not yet answered.
const CLAIM_CELLS = 8;


export interface EnvironmentOptions {
  region: string;
  /** Added to the function's variables last. */
  env: Record<string, string>;
  output: Writable;
  /** Its worker exited (a crash, a timeout, or the end of the pool). */
  onExit(environment: Environment): void;
}

/** Starts a worker on the unpacked code at `root`; it loads the handler at its first call. */
export function startEnvironment(fn: LambdaFunction, root: string, options: EnvironmentOptions): Environment {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, "/");
  const logStream = `${day}/[$LATEST]${randomBytes(16).toString("hex")}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    LANG: "en_US.UTF-8",
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream,
    LAMBDA_TASK_ROOT: root,
    ...fn.environment,
    ...options.env,
  };
  // What every call's context holds that does not change between calls.
  const context = {
    functionName: fn.name,
    functionVersion: "$LATEST",
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: String(fn.memoryMb),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: logStream,
  };
  const claims = new Int32Array(new SharedArrayBuffer(CLAIM_CELLS * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WORKER, {
    env,
    execArgv: [],
    workerData: { root, handler: fn.handler, context, claims, claimStates: CLAIM },
    stdout: true,
    stderr: true,
  });
  const { output } = options;
  const environment: Environment = { worker, queue: [], reserved: 0, claims, nextClaim: 0 };
  worker.on("message", (message: Answer | { output: string }) => {
    if ("output" in message) return void output.write(message.output);
    environment.settle?.(message);
    // The call waiting behind it is the one in progress now, unless this answer ends the
    // environment and the call could still be taken back.
    if (message.reset) endEnvironment(environment);
    environment.queue[0]?.start();
  });
  // Whatever bypasses the worker's patched streams. Written chunk by chunk: piping many
  // workers into one stream would stack its listeners.
  worker.stdout.on("data", (chunk: Buffer) => output.write(chunk));
  worker.stderr.on("data", (chunk: Buffer) => output.write(chunk));
  // A crash between calls (a stray timer throwing) ends that environment only.
  worker.on("error", (error) => {
    endEnvironment(environment);
    output.write(`${fn.name}: ${error.stack ?? error.message}\n`);
    environment.settle?.({ ok: false, error: { errorType: error.name || "Error", errorMessage: error.message }, reset: true });
  });
  worker.once("exit", (code) => {
    environment.exitCode = code;
    endEnvironment(environment);
    environment.queue[0]?.start();
    options.onExit(environment);
    environment.settle?.(exitAnswer(environment.requestId, code));
  });
  // An environment that is idle must not keep the emulator's process alive.
  worker.unref();
  return environment;
}

export interface HandOver {
  call: { awsRequestId: string; event: string; remainingMs: number };
  clock: Clock;
  /** How long the call may wait in the environment before it is taken back to run elsewhere. */
  waitMs: number;
}

/**
 * Hands a call to a busy environment to wait there; resolves once it is the call in progress
 * (the one before it answered), or once it was taken back: it waited `waitMs`, or the
 * environment ended first.
 */
export function handOver(environment: Environment, { call, clock, waitMs }: HandOver): Promise<QueueOutcome> {
  environment.reserved--;
  // It ended on the way here: nothing would ever take the call back.
  if (environment.ending) return Promise.resolve("again");
  const claim = environment.nextClaim;
  environment.nextClaim = (claim + 1) % CLAIM_CELLS;
  Atomics.store(environment.claims, claim, CLAIM.queued);
  return new Promise((resolve) => {
    const cancel = clock.after(waitMs, () => void queued.withdraw("scale-out"));
    const queued: Queued = {
      start: () => {
        cancel();
        environment.queue.shift();
        environment.promoted = true;
        resolve("started");
      },
      withdraw: (outcome) => {
        if (Atomics.compareExchange(environment.claims, claim, CLAIM.queued, CLAIM.withdrawn) !== CLAIM.queued) return false;
        cancel();
        environment.queue.splice(environment.queue.indexOf(queued), 1);
        resolve(outcome);
        return true;
      },
    };
    environment.queue.push(queued);
    environment.worker.postMessage({ ...call, claim });
  });
}

/** Holds a place for one more call to wait in the environment, when it still takes calls and has room; handOver() fills it. */
export function reserve(environment: Environment): boolean {
  if (environment.ending || environment.queue.length + environment.reserved >= QUEUE_DEPTH) return false;
  environment.reserved++;
  return true;
}

/** It takes no call more; the calls waiting in it that it has not taken go back to wait first in line. */
export function endEnvironment(environment: Environment): void {
  environment.ending = true;
  // Last first: each goes back to the front of the line, so they keep their order there.
  for (const queued of [...environment.queue].reverse()) queued.withdraw("again");
}

export function exitAnswer(requestId: string | undefined, code: number): Answer {
  return {
    ok: false,
    error: { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}` },
    reset: true,
  };
}
