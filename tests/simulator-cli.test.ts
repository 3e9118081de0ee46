import { spawn } from "node:child_process";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runProcess, type Finished } from "../testkit/process";
import { startFixture, TOKEN, twiml, type Fixture } from "./helpers/twiml-server";

const ROOT = path.resolve(__dirname, "..");

/** Runs local/call.ts in a child process, asynchronously so the fixture in this process can answer. */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return runProcess(process.execPath, ["--require", "tsx/cjs", "local/call.ts", ...args], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeoutMs: 30_000 });
}

const run = suite<{ server: Fixture }>("local/call.ts: exit codes, transcript and one-sentence errors");

run.before(async (ctx) => {
  ctx.server = await startFixture({
    "/hello": () => twiml(`<Say language="ja-JP" voice="Polly.Kazuha-Neural">こんにちは</Say>`),
    "/sms": (params) => twiml(`<Message>${params.Body}!</Message>`),
    "/again": () => twiml(`<Say>もう一度</Say><Redirect>/again</Redirect>`),
  });
});
run.after(async (ctx) => ctx.server.close());

run("a mistake on the command line: exit 2, one sentence on stderr, nothing on stdout", async () => {
  const result = await cli(["--colour", "red"], { TWILIO_AUTH_TOKEN: TOKEN });
  assert.equal(result, { status: 2, stdout: "", stderr: "make call: Unknown option --colour; see --help for the options.\n" });
  const method = await cli(["--method", "PUT"], { TWILIO_AUTH_TOKEN: TOKEN });
  assert.equal(method, { status: 2, stdout: "", stderr: "make call: The method must be GET or POST, not PUT.\n" });
});

run("`make call | head -1`: once the reader is gone the call ends quietly, exit 0 and no EPIPE stack", async (ctx) => {
  // Each step of the endless redirect writes lines long after the reader took its one and left.
  const child = spawn(process.execPath, ["--require", "tsx/cjs", "local/call.ts", `${ctx.server.base}/again`, "--max-steps", "100"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, TWILIO_AUTH_TOKEN: TOKEN },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const firstLine = await new Promise<string>((resolve) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk;
      if (out.includes("\n")) {
        child.stdout.destroy();
        resolve(out.split("\n")[0]);
      }
    });
  });
  const code = await new Promise((resolve) => child.once("close", resolve));
  assert.match(firstLine, /^POST \S+\/again → 200 /, "the reader got the first line");
  assert.is(stderr, "", "nothing on stderr");
  assert.is(code, 0, "a reader that leaves is no failure (the 100 steps would have ended in one)");
});

run("a good call: exit 0 and a readable transcript", async (ctx) => {
  const result = await cli([`${ctx.server.base}/hello`], { TWILIO_AUTH_TOKEN: TOKEN });
  assert.is(result.status, 0, result.stderr);
  const lines = result.stdout.trimEnd().split("\n");
  assert.match(lines[0], new RegExp(`^POST ${ctx.server.base}/hello → 200 text/xml; charset=utf-8 \\(\\d+ ms\\)$`));
  assert.equal(lines.slice(1), ["  Twilio says [Polly.Kazuha-Neural, ja-JP]: こんにちは", "  Twilio hangs up (end of the document)", "Done: completed, 1 s."]);
  assert.is(result.stderr, "");
});

run("a wrong token: exit 1 and the 403 in the transcript", async (ctx) => {
  const result = await cli([`${ctx.server.base}/hello`, "--token", "wrong"]);
  assert.is(result.status, 1);
  assert.match(result.stdout, /→ 403 text\/plain/);
  assert.match(result.stdout, /error 11200 HTTP retrieval failure: POST \S+\/hello answered HTTP 403/);
  assert.match(result.stdout, /Ended on an error: completed, 0 s\.\n$/);
});

run("--json: every line of stdout is one JSON event, the last one the end", async (ctx) => {
  const result = await cli(["sms", "日本語😀", `${ctx.server.base}/sms`, "--json"], { TWILIO_AUTH_TOKEN: TOKEN });
  assert.is(result.status, 0, result.stderr);
  const events = result.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
  assert.equal(events.map((e) => e.event), ["request", "message", "end"]);
  assert.is(events[1].body, "日本語😀!");
  assert.equal(events[2], { event: "end", status: "1 reply", duration: null, failed: false });
});

run.run();
