// How every script ends: one sentence on failure, a non-zero exit, never a stack trace
// (DENWA_TRACE=1 shows it when a developer needs it).
export class Refusal extends Error {}

export function runCli(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${name}: ${message}\n`);
    if (process.env.DENWA_TRACE === "1" && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    process.exitCode = err instanceof Refusal ? 2 : 1;
  });
}

/** Asks for a secret on the terminal without echoing it. */
export function promptSecret(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) return Promise.reject(new Refusal(`${question.replace(/:\s*$/, "")} is needed and there is no terminal to ask on.`));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    input.setRawMode(true);
    input.resume();
    input.setEncoding("utf8");
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return done(() => resolve(value));
        if (ch === "\u0003") return done(() => reject(new Refusal("cancelled.")));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (finish: () => void) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      finish();
    };
    input.on("data", onData);
  });
}
