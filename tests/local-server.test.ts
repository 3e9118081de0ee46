import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startServer } from "../local/server";
import { serveOptions } from "../local/serve";
import { ECHO, startEmulator, writeStack } from "./helpers/local-stack";

const ROOT = join(__dirname, "..");
const fixture = {
  functions: { echo: { files: ECHO } },
  methods: [
    { path: "/voice/hello", method: "POST", function: "echo", requestTemplates: { "application/json": '{"v": 1}' } },
    { path: "/", method: "GET", function: "echo", requestTemplates: { "application/json": '{"root": true}' } },
  ],
};

const server = suite("startServer");

server("lists every route's URL and serves the stack", async () => {
  const emulator = await startEmulator(fixture);
  try {
    assert.equal(emulator.server.routeUrls().sort(), [`GET    ${emulator.server.url}/test`, `POST   ${emulator.server.url}/test/voice/hello`]);
    assert.equal(JSON.parse((await emulator.request("/test")).body), { root: true });
  } finally {
    await emulator.close();
  }
});

server("re-reads the stack when cdk.tf.json changes", async () => {
  const emulator = await startEmulator(fixture);
  try {
    const file = join(emulator.dir, "cdk.tf.json");
    const changed = readFileSync(file, "utf8").replace('{\\"v\\": 1}', '{\\"v\\": 2, \\"changed\\": true}');
    writeFileSync(file, changed);
    const answer = await emulator.request("/test/voice/hello", { method: "POST" });
    assert.equal(JSON.parse(answer.body), { v: 2, changed: true });
    assert.ok(emulator.log.some((line) => line.startsWith("stack ") && line.endsWith("changed: reloaded")));
  } finally {
    await emulator.close();
  }
});

server("refuses a body over API Gateway's 10 MB limit with 413", async () => {
  const emulator = await startEmulator(fixture);
  try {
    const answer = await emulator.request("/test/voice/hello", { method: "POST", body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x61) });
    assert.equal([answer.status, answer.body], [413, '{"message":"Request Too Long"}']);
  } finally {
    await emulator.close();
  }
});

server("runs the functions with the runner it is handed, and closes that runner", async () => {
  const dir = writeStack(fixture);
  const events: string[] = [];
  let closed = false;
  const runner = {
    invokeJson: async (_fn: unknown, event: string) => {
      events.push(event);
      return { ok: true as const, payload: '{"from": "the runner handed in"}' };
    },
    close: async () => void (closed = true),
  };
  const running = await startServer({ stack: dir, port: 0, host: "127.0.0.1", log: () => {}, runner });
  try {
    const answer = await fetch(`${running.url}/test/voice/hello`, { method: "POST" });
    assert.equal([answer.status, await answer.json()], [200, { from: "the runner handed in" }]);
    assert.equal(events, ['{"v": 1}'], "the request template's output reached it");
  } finally {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(closed, "closing the server closes its runner");
});

server.run();

const cli = suite("npm run local");

cli("parses --stack, --port, --host, --api, --environments and --env", () => {
  const dir = writeStack(fixture);
  try {
    const args = ["--stack", dir, "--port", "0", "--host", "0.0.0.0", "--api", "api", "--environments", "3", "--env", "A=1", "--env", "B"];
    const shell = { B: "from-shell" };
    assert.equal(serveOptions(args, shell), {
      stack: dir,
      port: 0,
      host: "0.0.0.0",
      api: "api",
      maxEnvironments: 3,
      env: { A: "1", B: "from-shell" },
      localValues: { env: shell, dotenvFile: join(ROOT, ".env") },
    });
    assert.is(serveOptions(["--stack", dir], { PORT: "4000" }).port, 4000, "PORT is the default port");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

cli("says in one sentence what is wrong with the arguments", () => {
  assert.throws(() => serveOptions([], {}), /^--stack is required/);
  assert.throws(() => serveOptions(["--stack", "/nowhere"], {}), /^No cdk\.tf\.json in \/nowhere: synthesize first/);
  assert.throws(() => serveOptions(["--port", "x"], {}), /^--port must be a number from 0 to 65535, not x\.$/);
  assert.throws(() => serveOptions(["--environments", "0"], {}), /^--environments must be a whole number of at least 1, not 0\.$/);
  assert.throws(() => serveOptions(["--stack"], {}), /^The option --stack needs a value\.$/);
  assert.throws(() => serveOptions(["--bogus"], {}), /^Unknown option --bogus; see --help for the options\.$/);
  assert.throws(() => serveOptions(["--env", "UNSET_FOR_TEST"], {}), /^--env UNSET_FOR_TEST names a variable that is not set here\.$/);
});

cli("prints every route's URL on start, and exits 2 on a missing stack", async () => {
  const dir = writeStack(fixture);
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "local", "serve.ts"), "--stack", dir, "--port", "0"], { cwd: ROOT });
  try {
    const printed = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.split("\n").filter((l) => /^\s+(GET|POST)\s/.test(l)).length === 2) resolve(out);
      });
      child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
    const lines = printed.trim().split("\n");
    assert.match(lines[0], /^Serving .+ as API Gateway at http:\/\/127\.0\.0\.1:\d+$/);
    // Where the token came from depends on the shell and on the project's .env (make dev writes one).
    const [routes, others] = [lines.slice(1).filter((l) => l.startsWith("  ")), lines.slice(1).filter((l) => !l.startsWith("  "))];
    assert.equal(routes.map((l) => l.trim().replace(/:\d+\//, ":PORT/")).sort(), ["GET    http://127.0.0.1:PORT/test", "POST   http://127.0.0.1:PORT/test/voice/hello"]);
    assert.ok(others.every((l) => l.startsWith("Auth token: TWILIO_AUTH_TOKEN in ")), `only the token's source besides the routes: ${others.join(" | ")}`);
  } finally {
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
  const failing = spawn(process.execPath, ["--import", "tsx", join(ROOT, "local", "serve.ts"), "--stack", "/nowhere"], { cwd: ROOT });
  let stderr = "";
  failing.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => failing.once("exit", resolve));
  assert.is(code, 2);
  assert.is(stderr, "npm run local: No cdk.tf.json in /nowhere: synthesize first (make synth) or check the path.\n", "one sentence, no usage dump or stack");
});

cli.run();
