// `make dev`: builds every webhook, synthesizes the dev stage, serves it on 127.0.0.1:PORT as
// API Gateway would, and brings it up to date when a file it read changes. All in this process:
// esbuild contexts stay warm between rebuilds, and synth's modules stay loaded.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { join, relative, sep } from "node:path";
import type { Writable } from "node:stream";
import { DevBuild, SynthError, type DevBuildOptions, type Outcome } from "./dev-build";
import { watchInputs, type Watching } from "./dev-watch";
import { ENV, UserError } from "../contract";
import { runCommand } from "../contract/cli";
import { readDotEnv, writeDotEnvValue } from "./dotenv";
import { findLocal } from "./local-env";
import type { RunningServer } from "./server";

const ROOT = join(__dirname, "..");
const STAGE = "dev";

export interface LocalToken {
  token: string;
  /** Where it came from, for the banner. */
  source: string;
}

/** TWILIO_SHARED_KEY from the environment or .env, for SharedKey (HMAC-SHA256) webhooks; none by default. */
function sharedKeyEnv(env: NodeJS.ProcessEnv, dotenvFile: string): Record<string, string> {
  const key = findLocal(ENV.sharedKey, env, dotenvFile)?.value;
  return key ? { TWILIO_SHARED_KEY: key } : {};
}

/** TWILIO_AUTH_TOKEN from the environment, else from .env, else a new one saved in .env. */
export function localToken(env: NodeJS.ProcessEnv, dotenvFile = join(ROOT, ".env")): LocalToken {
  const found = findLocal(ENV.authToken, env, dotenvFile);
  if (found) return { token: found.value, source: found.source };
  const token = randomBytes(16).toString("hex");
  writeDotEnvValue(dotenvFile, ENV.authToken, token);
  return { token, source: `a generated local token, saved in ${relative(process.cwd(), dotenvFile) || dotenvFile} for make call: ${token}` };
}

export interface DevOptions {
  functionsDir?: string;
  /** Where dist/ and cdktf.out/ go. */
  distDir?: string;
  cdktfOut?: string;
  dotenvFile?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  functionOutput?: Writable;
  quietMs?: number;
}

export interface RunningDev {
  /** Settles once the first update is done, served or not. */
  firstUpdate: Promise<Outcome>;
  /** "http://127.0.0.1:3000" */
  url(): string;
  /** Settles after the update the next burst of changes starts. */
  nextUpdate(): Promise<Outcome>;
  close(): Promise<void>;
}

/** PORT from the environment, then .env, then 3000; one sentence when it is no port. */
function portOf(env: NodeJS.ProcessEnv, dotenvFile: string): number {
  const setting = env.PORT || readDotEnv(dotenvFile).PORT || "3000";
  const port = Number(setting);
  if (!/^\d+$/.test(setting) || port > 65535) throw new UserError(`PORT=${setting} is not a port number.`);
  return port;
}

/** Holds the port from the start, so a port in use is said before any build; answers 503 until the first build serves. */
function holdPort(port: number, why: () => string): Promise<Server> {
  const holder = createServer((_req, res) => res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8" }).end(why()));
  return new Promise((resolve, reject) => {
    holder.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new UserError(`Port ${port} is already in use: run make dev PORT=${port + 1} (or stop the other server).`) : error),
    );
    holder.listen(port, "127.0.0.1", () => resolve(holder));
  });
}

const closeServer = (server: Server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));

/**
 * Synthesizes the dev stage in this process. The project modules synth loads are loaded afresh
 * for every synth after the first (a change in one of them is why synth runs again), and are what
 * the watcher watches for synth; `preload` loads them while esbuild builds, in its own process.
 */
function synthInProcess(cdktfOut: string): Pick<DevBuildOptions, "synth" | "preload"> {
  let modules: string[] = [];
  let preloaded: typeof import("../main") | undefined;
  const load = (): typeof import("../main") => {
    for (const file of modules) delete require.cache[file];
    const before = new Set(Object.keys(require.cache));
    try {
      return require("../main") as typeof import("../main");
    } finally {
      // Also when loading failed: the modules it got to are watched, so their fix is seen.
      modules = Object.keys(require.cache).filter((file) => !before.has(file) && !file.split(sep).includes("node_modules"));
    }
  };
  return {
    preload: () => {
      try {
        preloaded ??= load();
      } catch {
        // synth() meets the same error and reports it.
      }
    },
    synth: (functions) => {
      try {
        const { synthesize } = preloaded ?? load();
        preloaded = undefined;
        synthesize(functions, { outdir: cdktfOut, stages: [STAGE] });
        return modules;
      } catch (error) {
        throw new SynthError((error as Error).message, [...modules, ...projectFilesIn(String((error as Error).stack))]);
      }
    },
  };
}

/** The project's own .ts files an error's text names (a syntax error names its file only there). */
function projectFilesIn(text: string): string[] {
  return [...text.matchAll(/\/[^\s:()'"]+\.ts/g)].map((m) => m[0]).filter((file) => file.startsWith(ROOT + sep) && !file.split(sep).includes("node_modules"));
}

export async function startDev(options: DevOptions = {}): Promise<RunningDev> {
  const { functionsDir = join(ROOT, "functions"), distDir = join(ROOT, "dist"), cdktfOut = join(ROOT, "cdktf.out"), dotenvFile = join(ROOT, ".env"), env = process.env } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  let port = portOf(env, dotenvFile);
  let firstErrors = "make dev is building the functions; try again in a moment.";
  let holder: Server | undefined = await holdPort(port, () => firstErrors);
  port = (holder.address() as { port: number }).port;
  const stackDir = join(cdktfOut, "stacks", `denwa-${STAGE}`);
  const synth = synthInProcess(cdktfOut);
  // The emulator's modules load while esbuild builds, too (before synth's, which are watched).
  const emulator = () => require("./server") as typeof import("./server");
  const build = new DevBuild({
    functionsDir,
    outDir: join(distDir, "functions"),
    manifestPath: join(distDir, "manifest.json"),
    stackDir,
    synth: synth.synth,
    preload: () => (emulator(), synth.preload?.()),
  });
  let server: RunningServer | undefined;
  let token = localToken(env, dotenvFile);
  let sharedKey = sharedKeyEnv(env, dotenvFile);
  const serve = async () => {
    if (holder) await closeServer(holder);
    holder = undefined;
    server = await emulator().startServer({
      stack: stackDir,
      port,
      host: "127.0.0.1",
      env: { TWILIO_AUTH_TOKEN: token.token, ...sharedKey },
      functionOutput: options.functionOutput,
      localValues: { env, dotenvFile },
      // make dev says what a reload changed itself; the server's own line would repeat it.
      log: (line) => /^stack .* changed: reloaded$/.test(line) || log(line),
    });
  };
  const banner = () => {
    log(`\nThe dev stage is served at ${server!.url}/${STAGE}, as API Gateway would serve it.`);
    log(`Auth token: ${token.source}`);
    log("Webhooks:");
    for (const line of server!.routeUrls()) log(`  ${line}`);
    // make call finds the port the way make dev did (PORT, then .env); say it when it would not.
    const portArg = port === 3000 || env.PORT === undefined ? "" : ` PORT=${port}`;
    log(`\nTry: make call${portArg}   |   make call URL=${server!.url}/${STAGE}/voice/menu DIGITS=1   |   make sms${portArg} TEXT="こんにちは"`);
    log(`Watching the ${build.inputs().size} files the build and synth read, and new files in ${relative(process.cwd(), functionsDir) || functionsDir}/; Ctrl-C stops.\n`);
  };

  const started = performance.now();
  log(`building the functions and synthesizing the ${STAGE} stage…`);
  const first = await build.update();
  if (build.ready) {
    await serve();
    log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    banner();
  } else {
    firstErrors = `The first build failed; make dev serves once it builds:\n${first.errors.join("\n")}\n`;
    log(`${firstErrors}Watching for the fix…`);
  }

  const waiting: ((outcome: Outcome) => void)[] = [];
  let failing = first.errors.length > 0;
  const update = async (changed: Set<string>) => {
    const began = performance.now();
    const outcome = await build.update(changed);
    if (failing && !outcome.errors.length && build.ready && server) log("the build works again");
    failing = outcome.errors.length > 0;
    const envChanged = changed.has(dotenvFile) && (await reloadEnv());
    const ms = Math.round(performance.now() - began);
    if (outcome.errors.length) {
      const what = build.ready ? "still serving the last good build" : "make dev serves once it builds";
      firstErrors = `The build failed; ${what}:\n${outcome.errors.join("\n")}\n`;
      log(`build failed, ${what}:\n${outcome.errors.join("\n")}`);
    }
    if (build.ready && !server) {
      await serve();
      log(`built after all, in ${ms} ms`);
      banner();
    } else if (server && (outcome.stack !== "unchanged" || envChanged)) log(describe(outcome, server, ms));
    for (const wake of waiting.splice(0)) wake(outcome);
  };
  /** .env's token, shared key or port changed: the server starts again with them (no environment is open until a call). */
  const reloadEnv = async (): Promise<boolean> => {
    const next = localToken(env, dotenvFile);
    let nextPort = port;
    try {
      nextPort = portOf(env, dotenvFile);
    } catch (error) {
      log(`.env: ${(error as Error).message} Keeping port ${port}.`);
    }
    const nextKey = sharedKeyEnv(env, dotenvFile);
    if (next.token === token.token && nextKey.TWILIO_SHARED_KEY === sharedKey.TWILIO_SHARED_KEY && nextPort === port) return false;
    token = next;
    sharedKey = nextKey;
    if (!server) return false;
    await server.close();
    server = undefined;
    const previous = port;
    port = nextPort;
    try {
      await serve();
    } catch (error) {
      log(`.env: ${(error as Error).message} Serving on ${previous} again.`);
      port = previous;
      await serve();
    }
    log(`.env changed: serving on ${server!.url} with the auth token from ${token.source}`);
    return true;
  };

  const watching: Watching = watchInputs({ files: () => [...build.inputs(), dotenvFile], trees: [functionsDir], onChange: update, quietMs: options.quietMs });
  return {
    firstUpdate: Promise.resolve(first),
    url: () => server?.url ?? `http://127.0.0.1:${port}`,
    nextUpdate: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      watching.close();
      await build.dispose();
      if (server) await server.close();
      if (holder) await closeServer(holder);
    },
  };
}

/** "reloaded in 84 ms: added http://127.0.0.1:3000/dev/voice/new, removed /voice/old, rebuilt /voice/hello; …" */
function describe(outcome: Outcome, server: RunningServer, ms: number): string {
  const parts = [
    ...outcome.added.map((route) => `added ${server.url}/${STAGE}/${route}`),
    ...outcome.removed.map((route) => `removed /${route}`),
    ...outcome.rebuilt.filter((route) => !outcome.added.includes(route)).map((route) => `rebuilt /${route}`),
  ];
  const what = parts.length ? parts.join(", ") : outcome.stack === "synthesized" ? "the stack synthesized again" : "new settings";
  return `reloaded in ${ms} ms: ${what}; the next request runs it`;
}

if (require.main === module) {
  runCommand({ name: "make dev", usage: "usage: make dev [PORT=3000]: builds, synthesizes and serves the dev stage, rebuilding on change", options: {} }, async () => {
    const dev = await startDev();
    const stop = () => void dev.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
