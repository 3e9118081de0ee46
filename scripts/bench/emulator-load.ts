// The emulator under load: a freshly synthesized dev stack served by local/server.ts in this
// process, the token given as TWILIO_AUTH_TOKEN as `make dev` gives it, logs discarded.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { startServer, type ServerOptions } from "../../local/server";
import { BENCH_TOKEN } from "./events";
import { runLoad, type LoadLevel, type LoadPlan } from "./load";
import type { Progress } from "./progress";

/** Where Twilio would POST voice/hello on the dev stage: every load of this module asks for it. */
const HELLO = "/dev/voice/hello";

export async function measureEmulator(stackDir: string, plan: LoadPlan, progress: Progress): Promise<LoadLevel[]> {
  return serveAndLoad("emulator", { stack: stackDir }, plan, progress);
}

/**
 * The same emulator with every function answered at once with `result` (voice/hello's own
 * answer): what its HTTP and API Gateway stages cost alone, so that a latency figure can be split
 * between the gateway and the functions' threads.
 */
export async function measureGatewayStages(stackDir: string, result: string, plan: LoadPlan, progress: Progress): Promise<LoadLevel[]> {
  const runner = { invokeJson: async () => ({ ok: true as const, payload: result }), close: async () => {} };
  return serveAndLoad("emulator, functions answered at once", { stack: stackDir, runner }, plan, progress);
}

async function serveAndLoad(name: string, options: Pick<ServerOptions, "stack" | "runner">, plan: LoadPlan, progress: Progress): Promise<LoadLevel[]> {
  const server = await serveQuietly(options);
  try {
    return await runLoad(name, `${server.url}${HELLO}`, plan, progress);
  } finally {
    await server.close();
  }
}

function serveQuietly(options: Pick<ServerOptions, "stack" | "runner">) {
  return startServer({
    ...options,
    port: 0,
    host: "127.0.0.1",
    env: { TWILIO_AUTH_TOKEN: BENCH_TOKEN },
    log: () => {},
    functionOutput: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
}

export interface P99Rounds {
  concurrency: number;
  emulator: LoadLevel[];
  ceiling: LoadLevel[];
}

/**
 * The p99 target's own figures: the emulator and the fixed-reply server at one concurrency, in
 * turn, `rounds` times. One pair of runs moved the ratio between 1.3x and 2.4x on the same code,
 * most of it in the ceiling's own tail; the median of adjacent pairs is what the target reads.
 */
export async function measureP99Rounds(stackDir: string, answer: string, plan: LoadPlan, rounds: number, progress: Progress): Promise<P99Rounds> {
  const concurrency = plan.levels[plan.levels.length - 1];
  const single = { ...plan, levels: [concurrency] };
  const emulator = await serveQuietly({ stack: stackDir });
  const ceiling = await serveFixedReply(answer);
  try {
    // One round first that is not counted: a new server, with new function threads, still speeds
    // up over its first thousands of requests, and it is steady state that the target is about.
    await runLoad("warm-up round (not counted): emulator", `${emulator.url}${HELLO}`, single, progress);
    await runLoad("warm-up round (not counted): fixed reply", `${ceiling.url}${HELLO}`, single, progress);
    const result: P99Rounds = { concurrency, emulator: [], ceiling: [] };
    for (let round = 1; round <= rounds; round++) {
      result.emulator.push(...(await runLoad(`round ${round}/${rounds}: emulator`, `${emulator.url}${HELLO}`, single, progress)));
      result.ceiling.push(...(await runLoad(`round ${round}/${rounds}: fixed reply`, `${ceiling.url}${HELLO}`, single, progress)));
    }
    return result;
  } finally {
    await ceiling.close();
    await emulator.close();
  }
}

/**
 * The machine's ceiling for this load: a node:http server that answers every request with the
 * same TwiML and does nothing else, loaded by the same generator. No emulator can beat it, so it
 * says how much of a latency figure is the machine's and the generator's.
 */
export async function measureCeiling(answer: string, plan: LoadPlan, progress: Progress): Promise<LoadLevel[]> {
  const server = await serveFixedReply(answer);
  try {
    return await runLoad("fixed reply", `${server.url}${HELLO}`, plan, progress);
  } finally {
    await server.close();
  }
}

async function serveFixedReply(answer: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/xml" }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
