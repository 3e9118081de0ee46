// The emulator under load: a freshly synthesized dev stack served by local/server.ts in this
// process, the token given as TWILIO_AUTH_TOKEN as `make dev` gives it, logs discarded.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { startServer, type ServerOptions } from "../../local/server";
import { BENCH_TOKEN } from "./events";
import { runLoad, type LoadLevel, type LoadPlan } from "./load";
import type { Progress } from "./progress";

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
  const server = await startServer({
    ...options,
    port: 0,
    host: "127.0.0.1",
    env: { TWILIO_AUTH_TOKEN: BENCH_TOKEN },
    log: () => {},
    functionOutput: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  try {
    return await runLoad(name, `${server.url}/dev/voice/hello`, plan, progress);
  } finally {
    await server.close();
  }
}

/**
 * The machine's ceiling for this load: a node:http server that answers every request with the
 * same TwiML and does nothing else, loaded by the same generator. No emulator can beat it, so it
 * says how much of a latency figure is the machine's and the generator's.
 */
export async function measureCeiling(answer: string, plan: LoadPlan, progress: Progress): Promise<LoadLevel[]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/xml" }).end(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await runLoad("fixed reply", `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev/voice/hello`, plan, progress);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
