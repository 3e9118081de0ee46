// `make dev`: builds every webhook, synthesizes the dev stage, serves it on 127.0.0.1:PORT as
// API Gateway would, and does it all again when a source changes.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { watch, type FSWatcher } from "node:fs";
import { join, relative } from "node:path";
import { readDotEnv, writeDotEnvValue } from "./dotenv";
import { startServer, type RunningServer } from "./server";

const ROOT = join(__dirname, "..");
const STACK = join(ROOT, "cdktf.out", "stacks", "denwa-dev");
const DOTENV = join(ROOT, ".env");
/** What a change in these means: rebuild the functions and synthesize again. */
const WATCHED = ["functions", "runtime", "contract", "infra", "main.ts", "scripts/build.ts"];

export interface LocalToken {
  token: string;
  /** Where it came from, for the banner. */
  source: string;
}

/** TWILIO_AUTH_TOKEN from the environment, else from .env, else a new one saved in .env. */
export function localToken(env: NodeJS.ProcessEnv, dotenvFile = DOTENV): LocalToken {
  if (env.TWILIO_AUTH_TOKEN) return { token: env.TWILIO_AUTH_TOKEN, source: "TWILIO_AUTH_TOKEN in the environment" };
  const saved = readDotEnv(dotenvFile).TWILIO_AUTH_TOKEN;
  if (saved) return { token: saved, source: `TWILIO_AUTH_TOKEN in ${relative(process.cwd(), dotenvFile) || dotenvFile}` };
  const token = randomBytes(16).toString("hex");
  writeDotEnvValue(dotenvFile, "TWILIO_AUTH_TOKEN", token);
  return { token, source: `a generated local token, saved in ${relative(process.cwd(), dotenvFile) || dotenvFile} for make call: ${token}` };
}

/** Runs one step in its own process, so a failed build never takes the server down. */
function step(label: string, script: string): Promise<boolean> {
  const started = Date.now();
  process.stdout.write(`${label}…\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("close", (code) => {
      if (code === 0) process.stdout.write(`${label}: done in ${Date.now() - started} ms\n`);
      else process.stdout.write(`${label} failed, still serving the last good build:\n${output.trim()}\n`);
      resolve(code === 0);
    });
  });
}

async function rebuild(): Promise<boolean> {
  return (await step("building functions", "scripts/build.ts")) && (await step("synthesizing stacks", "main.ts"));
}

/**
 * Rebuilds once per burst of changes; a change during a rebuild queues exactly one more. Node's
 * recursive watch follows inodes, so a file an editor replaced by renaming would go unseen:
 * the watchers are made anew after every burst.
 */
export function watchSources(paths: string[], onChange: () => Promise<unknown>, quietMs = 150): { close(): void } {
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  const trigger = () => {
    if (running) return void (again = true);
    rewatch();
    running = onChange().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        trigger();
      }
    });
  };
  const rewatch = () => {
    watchers.forEach((w) => w.close());
    watchers = paths.map((path) =>
      watch(path, { recursive: true }, (_event, file) => {
        if (file && /(^|\/)\.|~$/.test(String(file))) return;
        clearTimeout(timer);
        timer = setTimeout(trigger, quietMs);
      }),
    );
  };
  rewatch();
  return {
    close: () => {
      clearTimeout(timer);
      watchers.forEach((w) => w.close());
    },
  };
}

async function main(): Promise<void> {
  const portSetting = process.env.PORT || readDotEnv(DOTENV).PORT || "3000";
  const port = Number(portSetting);
  if (!/^\d+$/.test(portSetting) || port > 65535) throw new Error(`PORT=${portSetting} is not a port number.`);
  const { token, source } = localToken(process.env);
  if (!(await rebuild())) throw new Error("The first build failed: fix the error above and run make dev again.");
  let server: RunningServer;
  try {
    server = await startServer({ stack: STACK, port, host: "127.0.0.1", env: { TWILIO_AUTH_TOKEN: token } });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new Error(`Port ${port} is already in use: run make dev PORT=3001 (or stop the other server).`);
    throw error;
  }
  console.log(`\nThe dev stage is served at ${server.url}/dev, as API Gateway would serve it.`);
  console.log(`Auth token: ${source}`);
  console.log("Webhooks:");
  for (const line of server.routeUrls()) console.log(`  ${line}`);
  // make call finds the port the way make dev did (PORT, then .env); say it when it would not.
  const portArg = port === 3000 || process.env.PORT === undefined ? "" : ` PORT=${port}`;
  console.log(`\nTry: make call${portArg}   |   make call URL=${server.url}/dev/voice/menu DIGITS=1   |   make sms${portArg} TEXT="こんにちは"`);
  console.log(`Watching ${WATCHED.join(", ")}; Ctrl-C stops.\n`);
  const watching = watchSources(WATCHED.map((path) => join(ROOT, path)), async () => {
    if (await rebuild()) console.log("reloaded: the next request runs the new build");
  });
  const stop = () => {
    watching.close();
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`make dev: ${error.message}`);
    process.exit(1);
  });
}
