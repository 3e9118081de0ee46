// Child processes for tests and the bench: one way to run a command to its end with a deadline,
// without blocking this process (stand-ins served from it keep answering), and a free port.
import { spawn } from "node:child_process";
import { createServer } from "node:net";

export interface Finished {
  /** The exit code; null when the deadline or a signal ended it. */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The deadline, after which the command is killed (SIGKILL). */
  timeoutMs?: number;
}

/** Runs `command` with `args` to its end, or until the deadline. */
export function runProcess(command: string, args: string[], { cwd, env, timeoutMs = 60_000 }: RunOptions = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", (error) => (clearTimeout(timer), reject(new Error(`${command} could not start: ${error.message}.`))));
    child.once("close", (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
