// The emulator serving one stack in a process of its own (forked by ./load.ts), so that the memory
// the load suite reads is the emulator's alone: rss and heapUsed after a full GC, with counts of
// the log lines it saw. Started with --expose-gc; argv: stack folder, auth token.
import { Writable } from "node:stream";
import { startServer } from "../../local/server";

export interface EmulatorStats {
  rss: number;
  heapUsed: number;
  /** Function log lines, those at level error, and those holding the token. */
  lines: number;
  errorLines: number;
  tokenLines: number;
  /** The emulator's "  ! …" lines: a misconfiguration or a Lambda failure. */
  problems: number;
}

export type ToEmulator = { type: "stats" } | { type: "close" };
export type FromEmulator = { type: "ready"; url: string } | { type: "stats"; stats: EmulatorStats } | { type: "failed"; message: string };

async function main(stack: string, token: string): Promise<void> {
  const counts = { lines: 0, errorLines: 0, tokenLines: 0, problems: 0 };
  let partial = "";
  const functionOutput = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        counts.lines++;
        if (line.includes('"level":"error"')) counts.errorLines++;
        if (line.includes(token)) counts.tokenLines++;
      }
      done();
    },
  });
  const log = (line: string) => {
    if (line.startsWith("  !")) counts.problems++;
    if (line.includes(token)) counts.tokenLines++;
  };
  const server = await startServer({ stack, port: 0, host: "127.0.0.1", env: { TWILIO_AUTH_TOKEN: token }, log, functionOutput });
  const reply = (message: FromEmulator) => process.send?.(message);
  process.on("message", async (message: ToEmulator) => {
    if (message.type === "stats") {
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      reply({ type: "stats", stats: { rss, heapUsed, ...counts } });
    } else {
      await server.close();
      process.disconnect();
    }
  });
  reply({ type: "ready", url: server.url });
}

main(process.argv[2], process.argv[3]).catch((error: Error) => {
  process.send?.({ type: "failed", message: error.message });
  process.exit(1);
});
