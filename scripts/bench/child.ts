// Runs a bench child script under bare node and reads its JSON result from fd 3, leaving stdout
// to whatever the code under test logs. Every child is bounded in time and killed past it.
import { spawn } from "node:child_process";

export interface ChildOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs: number;
  /** Names the child in errors: "cold start of naive voice-hello". */
  label: string;
}

export function runNodeChild<T>(script: string, args: string[], { env, cwd, timeoutMs, label }: ChildOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, cwd, stdio: ["ignore", "ignore", "pipe", "pipe"] });
    const result: Buffer[] = [];
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-2000)));
    (child.stdio[3] as NodeJS.ReadableStream).on("data", (chunk: Buffer) => result.push(chunk));
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`${label} could not start: ${error.message}`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return reject(new Error(`${label} did not finish within ${timeoutMs / 1000} s.`));
      const last = stderr.trim().split("\n").slice(-3).join(" | ");
      if (code !== 0) return reject(new Error(`${label} failed (exit ${code}): ${last || "no message"}`));
      try {
        resolve(JSON.parse(Buffer.concat(result).toString("utf8")) as T);
      } catch {
        reject(new Error(`${label} ended without a result.`));
      }
    });
  });
}
