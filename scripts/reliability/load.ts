// Suite 4 (make reliability only): thousands of signed requests at a fixed concurrency on
// voice/hello and sms/reply through the emulator in its own process: every answer must be the
// exact TwiML for its request; latency percentiles and the emulator's memory before and after.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import MessagingResponse from "twilio/lib/twiml/MessagingResponse";
import type { EmulatorStats, FromEmulator, ToEmulator } from "./emulator-process";
import { httpClient, type Send } from "./served";
import { CALL, HELLO_TWIML, TOKEN, signedPost, type Target } from "./twilio-client";

export interface LoadOptions {
  requests: number;
  concurrency: number;
  /** Requests sent first, at the same concurrency, so "before" is a warm emulator. */
  warmup: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  mismatched: number;
  p50Ms: number;
  p99Ms: number;
  seconds: number;
  before: EmulatorStats;
  after: EmulatorStats;
  firstProblem?: string;
}

/** The bound the suite holds the emulator to, after a full GC: no leak per request. */
export const MEMORY_BOUND = { heapUsedMb: 16, rssMb: 96 };

interface Emulator {
  url: string;
  stats(): Promise<EmulatorStats>;
  close(): Promise<void>;
}

async function startEmulatorProcess(stackDir: string): Promise<Emulator> {
  const child: ChildProcess = fork(join(__dirname, "emulator-process.ts"), [stackDir, TOKEN], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = (type: FromEmulator["type"]) =>
    new Promise<FromEmulator>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The emulator process sent no ${type} within 30 s.`)), 30_000);
      const listener = (message: FromEmulator) => {
        if (message.type !== type && message.type !== "failed") return;
        clearTimeout(timer);
        child.off("message", listener);
        if (message.type === "failed") reject(new Error(message.message));
        else resolve(message);
      };
      child.on("message", listener);
    });
  const ready = (await next("ready")) as Extract<FromEmulator, { type: "ready" }>;
  const send = (message: ToEmulator) => child.send(message);
  return {
    url: ready.url,
    stats: async () => {
      const answer = next("stats");
      send({ type: "stats" });
      return ((await answer) as Extract<FromEmulator, { type: "stats" }>).stats;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      send({ type: "close" });
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The i-th request, alternately a call and a message, with the exact answer it must get. */
export function loadRequest(target: Target, stage: string, i: number): { request: Send; expected: string } {
  if (i % 2 === 0) {
    const fields = CALL.map(([n, v]): [string, string] => [n, n === "CallSid" ? `CA${String(i).padStart(32, "0")}` : v]);
    return { request: signedPost(target, `/${stage}/voice/hello`, fields), expected: HELLO_TWIML };
  }
  const body = `テスト${i} 😀 <&> "' %2B+`;
  const twiml = new MessagingResponse();
  twiml.message(`メッセージを受け付けました:「${body}」`);
  const fields: [string, string][] = [["MessageSid", `SM${i}`], ["From", "+819012345678"], ["To", "+815012345678"], ["Body", body], ["NumMedia", "0"]];
  return { request: signedPost(target, `/${stage}/sms/reply`, fields), expected: twiml.toString() };
}

export async function runLoad(stackDir: string, stage: string, options: LoadOptions): Promise<LoadResult> {
  const emulator = await startEmulatorProcess(stackDir);
  const client = httpClient(emulator.url);
  try {
    const blast = async (count: number) => {
      const latencies: number[] = [];
      let errors = 0;
      let mismatched = 0;
      let firstProblem: string | undefined;
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < count; i = next++) {
          const { request, expected } = loadRequest(emulator, stage, i);
          const started = performance.now();
          try {
            const reply = await client.send(request);
            latencies.push(performance.now() - started);
            if (reply.status !== 200) {
              errors++;
              firstProblem ??= `request ${i}: ${reply.status} ${reply.body.slice(0, 200)}`;
            } else if (reply.body !== expected) {
              mismatched++;
              firstProblem ??= `request ${i}: got ${reply.body.slice(0, 200)}`;
            }
          } catch (error) {
            errors++;
            firstProblem ??= `request ${i}: ${(error as Error).message}`;
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      return { latencies, errors, mismatched, firstProblem };
    };
    await blast(options.warmup);
    const before = await emulator.stats();
    const started = performance.now();
    const run = await blast(options.requests);
    const seconds = (performance.now() - started) / 1000;
    const after = await emulator.stats();
    const sorted = run.latencies.sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return { requests: options.requests, errors: run.errors, mismatched: run.mismatched, p50Ms: at(0.5), p99Ms: at(0.99), seconds, before, after, firstProblem: run.firstProblem };
  } finally {
    client.close();
    await emulator.close();
  }
}
