// Peers: the local servers people use instead, each serving hello and measured with the same
// load. Each installs with npm ci from the bench's own lock file (bench/peers/NAME/) into
// bench/tmp/peers (git-ignored), before any measurement starts. A peer that cannot be installed
// or started is a row with the reason, and the bench goes on.
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";
import { freePort, runProcess } from "../../testkit/process";
import { BENCH_TOKEN } from "./events";
import { runLoad, type LoadLevel, type LoadPlan } from "./load";
import type { Progress } from "./progress";

const ROOT = join(__dirname, "..", "..");
/** package.json and package-lock.json per peer, committed. */
const LOCKS_DIR = join(ROOT, "bench", "peers");
const PEERS_DIR = join(ROOT, "bench", "tmp", "peers");
const INSTALL_TIMEOUT_MS = 300_000;
const START_TIMEOUT_MS = 60_000;

export interface PeerResult {
  name: string;
  packages: Record<string, string>;
  ran: boolean;
  /** Why the peer has no figures, in one sentence. */
  reason?: string;
  /** What differs from denwa's work per request. */
  note?: string;
  levels: LoadLevel[];
}

interface Peer {
  name: string;
  /** Its folder under bench/peers/. */
  dir: string;
  note: string;
  /** Writes the project files into `dir` and returns the command serving hello on `port`. */
  prepare(dir: string, port: number, greeting: string): Promise<{ args: string[]; env: NodeJS.ProcessEnv; url: string }>;
}

const QUIET_ENV = { SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", SLS_DEPRECATION_DISABLE: "*", NO_COLOR: "1", CI: "1" };

const PEERS: Peer[] = [
  {
    name: "twilio-run (Twilio Serverless Toolkit)",
    dir: "twilio-run",
    note: "defaults (live reload, a forked process per request); twilio-run checks no X-Twilio-Signature locally",
    async prepare(dir, port, greeting) {
      mkdirSync(join(dir, "functions", "voice"), { recursive: true });
      mkdirSync(join(dir, "assets"), { recursive: true });
      writeFileSync(join(dir, "functions", "voice", "hello.js"), [
        "exports.handler = function (context, event, callback) {",
        "  const twiml = new Twilio.twiml.VoiceResponse();",
        `  twiml.say({ language: "ja-JP", voice: "Polly.Kazuha-Neural" }, ${JSON.stringify(greeting)});`,
        "  callback(null, twiml);",
        "};",
        "",
      ].join("\n"));
      return {
        args: [join(dir, "node_modules", "twilio-run", "bin", "twilio-run.js"), "start", dir, "--port", String(port), "--logs=false", "--log-level", "error"],
        env: { ...QUIET_ENV, ACCOUNT_SID: "AC0123456789abcdef0123456789abcdef", AUTH_TOKEN: BENCH_TOKEN },
        url: `http://127.0.0.1:${port}/voice/hello`,
      };
    },
  },
  {
    name: "serverless-offline",
    dir: "serverless-offline",
    note: "lambda-proxy integration, denwa's own hello and runtime behind a proxy-event adapter, signature checked",
    async prepare(dir, port) {
      await build({
        stdin: { contents: PROXY_ADAPTER, resolveDir: ROOT, sourcefile: "proxy-hello.ts", loader: "ts" },
        absWorkingDir: ROOT,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "cjs",
        minify: true,
        outfile: join(dir, "handler.js"),
        logLevel: "silent",
      });
      writeFileSync(join(dir, "serverless.yml"), [
        "service: denwa-bench",
        'frameworkVersion: "3"',
        "provider:",
        "  name: aws",
        "  runtime: nodejs20.x",
        "  region: ap-northeast-1",
        "  stage: dev",
        "  environment:",
        `    TWILIO_AUTH_TOKEN: ${BENCH_TOKEN}`,
        `    DENWA_PUBLIC_BASE_URL: http://127.0.0.1:${port}/dev`,
        "    DENWA_STAGE: dev",
        "    DENWA_ROUTE: voice/hello",
        "functions:",
        "  hello:",
        "    handler: handler.handler",
        "    events:",
        "      - http: { path: voice/hello, method: post }",
        "plugins:",
        "  - serverless-offline",
        "",
      ].join("\n"));
      const lambdaPort = await freePort();
      return {
        args: [join(dir, "node_modules", "serverless", "bin", "serverless.js"), "offline", "start", "--httpPort", String(port), "--lambdaPort", String(lambdaPort), "--host", "127.0.0.1", "--noTimeout"],
        env: { ...QUIET_ENV, AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "example" },
        url: `http://127.0.0.1:${port}/dev/voice/hello`,
      };
    },
  },
];

/** denwa's hello and runtime as a lambda-proxy function: the proxy event becomes the GatewayEvent request.vtl would render. */
const PROXY_ADAPTER = `
import webhook from "./functions/voice/hello";
import { lambdaHandler } from "./runtime/webhook";
const run = lambdaHandler(webhook);
export async function handler(event: any) {
  const body = event.body ?? "";
  const result = await run({
    method: event.httpMethod,
    stage: event.requestContext.stage,
    domainName: event.requestContext.domainName ?? "",
    path: event.requestContext.path ?? event.path,
    // serverless-offline puts the stage into requestContext.resourcePath; event.resource has none.
    resourcePath: event.resource ?? event.requestContext.resourcePath,
    requestId: event.requestContext.requestId,
    sourceIp: event.requestContext.identity?.sourceIp ?? "",
    headers: event.headers ?? {},
    query: event.queryStringParameters ?? {},
    stageVariables: event.stageVariables ?? {},
    body: event.isBase64Encoded ? body : Buffer.from(body, "utf8").toString("base64"),
  });
  return { statusCode: result.statusCode, headers: { "Content-Type": result.contentType }, body: result.body };
}
`;


async function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<void> {
  const { status, stderr } = await runProcess(command, args, { cwd, timeoutMs });
  if (status === 0) return;
  const lines = stderr.trim().split("\n");
  const last = lines.filter((l) => /err/i.test(l)).slice(-1)[0] ?? lines.slice(-1)[0];
  throw new Error(status === null ? `npm ci did not finish within ${timeoutMs / 1000} s.` : `npm ci failed: ${last || `exit ${status}`}`);
}

/** The lock file's packages, as `npm ci` installs them; a later run with the same lock file finds them in place. */
async function install(peer: Peer, dir: string): Promise<void> {
  const lock = readFileSync(join(LOCKS_DIR, peer.dir, "package-lock.json"), "utf8");
  const installed = join(dir, "package-lock.json");
  if (existsSync(installed) && readFileSync(installed, "utf8") === lock && existsSync(join(dir, "node_modules", ".package-lock.json"))) return;
  mkdirSync(dir, { recursive: true });
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(LOCKS_DIR, peer.dir, file), join(dir, file));
  await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], dir, INSTALL_TIMEOUT_MS);
}

function packagesOf(peer: Peer): Record<string, string> {
  return JSON.parse(readFileSync(join(LOCKS_DIR, peer.dir, "package.json"), "utf8")).dependencies;
}

export interface PeerInstall {
  peer: Peer;
  /** Why it cannot run, when its install failed. */
  reason?: string;
}

/** Installs every peer first, so no registry is reached while anything is being measured. */
export async function installPeers(progress: Progress): Promise<PeerInstall[]> {
  const installs: PeerInstall[] = [];
  for (const peer of PEERS) {
    progress(`  npm ci ${Object.entries(packagesOf(peer)).map(([n, v]) => `${n}@${v}`).join(" ")} (bench/peers/${peer.dir}/package-lock.json)`);
    try {
      await install(peer, join(PEERS_DIR, peer.dir));
      installs.push({ peer });
    } catch (error) {
      installs.push({ peer, reason: `It could not be installed from its lock file: ${(error as Error).message}` });
    }
  }
  return installs;
}

/** Waits until the server answers anything on `url`, bounded in time; rejects if it exits first. */
async function waitUntilServing(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited (code ${child.exitCode}) before serving: ${output() || "no message"}`);
    const answered = await new Promise<boolean>((resolve) => {
      const req = request(url, { method: "GET", timeout: 1000 }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
      req.end();
    });
    if (answered) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`it did not serve ${url} within ${START_TIMEOUT_MS / 1000} s.`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // Its whole process group: twilio-run forks a process per request.
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
      resolve();
    }, 5000);
    child.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

async function measurePeer({ peer, reason }: PeerInstall, plan: LoadPlan, progress: Progress): Promise<PeerResult> {
  const result: PeerResult = { name: peer.name, packages: packagesOf(peer), ran: false, note: peer.note, levels: [] };
  if (reason) return { ...result, reason };
  const dir = join(PEERS_DIR, peer.dir);
  const port = await freePort();
  const { args, env, url } = await peer.prepare(dir, port, plan.greeting);
  const child = spawn(process.execPath, args, { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-600));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  try {
    await waitUntilServing(child, url, () => output.trim().split("\n").slice(-2).join(" "));
    result.levels = await runLoad(peer.name, url, plan, progress);
    result.ran = result.levels.every((l) => l.ok > 0);
    const failed = result.levels.find((l) => l.ok === 0);
    if (failed) result.reason = `It served no correct hello at concurrency ${failed.concurrency}: ${failed.firstProblem ?? "no answer within the time cap"}.`;
  } catch (error) {
    result.reason = `It could not be run: ${(error as Error).message}`;
  } finally {
    await stop(child);
  }
  return result;
}

export async function measurePeers(installs: PeerInstall[], plan: LoadPlan, progress: Progress): Promise<PeerResult[]> {
  const results: PeerResult[] = [];
  for (const install of installs) results.push(await measurePeer(install, plan, progress));
  return results;
}
