// The emulator under load: a freshly synthesized dev stack served by local/server.ts in this
// process, the token given as TWILIO_AUTH_TOKEN as `make dev` gives it, logs discarded.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { startServer } from "../../local/server";
import { BENCH_TOKEN } from "./events";
import { runLoad, type LoadLevel, type LoadPlan } from "./load";
import type { Progress } from "./progress";

export async function measureEmulator(stackDir: string, plan: LoadPlan, progress: Progress): Promise<LoadLevel[]> {
  const server = await startServer({
    stack: stackDir,
    port: 0,
    host: "127.0.0.1",
    env: { TWILIO_AUTH_TOKEN: BENCH_TOKEN },
    log: () => {},
    functionOutput: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
  try {
    return await runLoad("emulator", `${server.url}/dev/voice/hello`, plan, progress);
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
