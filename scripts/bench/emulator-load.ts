// The emulator under load: a freshly synthesized dev stack served by local/server.ts in this
// process, the token given as TWILIO_AUTH_TOKEN as `make dev` gives it, logs discarded.
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
