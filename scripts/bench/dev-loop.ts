// The loop a developer lives in, measured as they live it: `make dev` in a copy of the project
// (the starters only, node_modules linked), timed from the command to the first signed request it
// answers; then voice/hello saved with new words, timed until a signed request hears them.
// The copy keeps the user's files out of reach: the bench writes only inside it.
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { isHandlerFile } from "../../contract/webhooks";
import { encodeForm } from "../../runtime/params";
import { BENCH_TOKEN, sampleParams } from "./events";
import { freePort } from "../../testkit/process";
import type { Progress } from "./progress";
import { median } from "./stats";

const ROOT = join(__dirname, "..", "..");
/** What `make dev` reads; the rest of the project stays behind. */
const PROJECT = ["Makefile", "package.json", "package-lock.json", "tsconfig.json", "cdktf.json", "main.ts", "contract", "infra", "runtime", "local", "scripts"];
const HELLO = join("functions", "voice", "hello.ts");
const GREETING = "こんにちは!ぼくはアリスです!";
const READY_TIMEOUT_MS = 60_000;

export interface DevLoop {
  /** make dev, start to the first answered request, per start. */
  readyMs: number[];
  readyMedianMs: number;
  /** A save of voice/hello to the first request that runs it, per save. */
  saveToServedMs: number[];
  saveMedianMs: number;
  saveMaxMs: number;
}

/** A copy of the project with the starter handlers only (and every *.private.ts they may share). */
function copyProject(starters: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-bench-dev-"));
  // Times kept, so make sees the install as up to date; it is never remade here (-o below).
  for (const entry of PROJECT) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, "functions"), join(dir, "functions"), {
    recursive: true,
    filter: (source) => !isHandlerFile(source) || starters.some((route) => source === join(ROOT, "functions", `${route}.ts`)),
  });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** One signed POST of voice/hello's sample call; its body, or undefined while nothing answers 200. */
async function hello(url: string): Promise<string | undefined> {
  const params = sampleParams("voice/hello");
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": getExpectedTwilioSignature(BENCH_TOKEN, url, params) },
      body: encodeForm(params),
    });
    const body = await res.text();
    return res.status === 200 ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Asks until the answer holds `words`, as fast as answers come; the time it took. */
async function until(url: string, words: string, child: ChildProcess, output: () => string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`make dev exited (code ${child.exitCode}): ${output()}`);
    if ((await hello(url))?.includes(words)) return performance.now() - started;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`make dev did not answer with "${words}" within ${READY_TIMEOUT_MS / 1000} s: ${output()}`);
}

function startMakeDev(dir: string, port: number): { child: ChildProcess; output: () => string; started: number } {
  const started = performance.now();
  // -o: the install check is taken as done, so make never runs npm ci through the linked node_modules.
  const child = spawn("make", ["--no-print-directory", "-o", "node_modules/.package-lock.json", "dev"], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), TWILIO_AUTH_TOKEN: BENCH_TOKEN, STAGE: "dev" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-800));
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return { child, output: () => output.trim().split("\n").slice(-4).join(" | "), started };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("close", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

export async function measureDevLoop(starts: number, saves: number, starters: string[], progress: Progress): Promise<DevLoop> {
  if (!starters.includes("voice/hello")) throw new Error("The dev loop saves functions/voice/hello.ts, which is missing.");
  const dir = copyProject(starters);
  const readyMs: number[] = [];
  const saveToServedMs: number[] = [];
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/dev/voice/hello`;
    for (let i = 0; i < starts; i++) {
      const dev = startMakeDev(dir, port);
      try {
        await until(url, GREETING, dev.child, dev.output);
        readyMs.push(performance.now() - dev.started);
        progress(`  make dev ${i + 1}/${starts}: ready in ${readyMs[i].toFixed(0)} ms`);
        if (i < starts - 1) continue;
        const source = readFileSync(join(dir, HELLO), "utf8");
        for (let save = 0; save < saves; save++) {
          const words = `保存${save + 1}回目`;
          const saved = performance.now();
          writeFileSync(join(dir, HELLO), source.replace(GREETING, words));
          await until(url, words, dev.child, dev.output);
          saveToServedMs.push(performance.now() - saved);
          progress(`  save ${save + 1}/${saves}: served in ${saveToServedMs[save].toFixed(0)} ms`);
        }
      } finally {
        await stop(dev.child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    readyMs,
    readyMedianMs: median(readyMs),
    saveToServedMs,
    saveMedianMs: median(saveToServedMs),
    saveMaxMs: Math.max(...saveToServedMs),
  };
}
