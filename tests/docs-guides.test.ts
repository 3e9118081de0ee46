// The guides cannot drift from the code: every command in README.md and README.ja.md is either
// run here (against loopback stand-ins where it would talk to Twilio or AWS) or named below as
// one that needs an AWS account, and both guides list the same commands.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { CREDENTIALS, startSsmStandIn } from "../local/ssm-stand-in";
import { freePort, runProcess, type Finished } from "../testkit/process";
import { startTwilioApiStandIn } from "./helpers/twilio-api-stand-in";

const ROOT = join(__dirname, "..");
const GUIDES = ["README.md", "README.ja.md"];
const TOKEN = "0123456789abcdef0123456789abcdef";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const SHARED_KEY = "sk_guide_0123456789abcdef";

/** Commands that need a real AWS account and the AWS provider download; run only to see them refuse cleanly. */
const NEED_AWS = [/^make (plan|deploy|destroy|outputs|ci-role)\b/, /^terraform /];

function guideText(name: string): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(readFileSync(join(ROOT, name)));
}

function commands(name: string): string[] {
  const found: string[] = [];
  for (const block of guideText(name).matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1].split("\n")) if (line.trim()) found.push(line.trim());
  }
  return found;
}

const texts = suite("guides: text");

texts("both guides are UTF-8 with no mojibake", () => {
  for (const name of GUIDES) {
    const text = guideText(name);
    assert.not.ok(text.includes("\uFFFD"), `${name} holds a replacement character`);
    assert.not.match(text, /[縺繧繝]|ã[\u0080-\u00bf]|Ã[\u0080-\u00bf]/, `${name} holds UTF-8 read as another code page`);
  }
  assert.match(guideText("README.md"), /\[日本語のガイドはこちら \(README\.ja\.md\)\]\(README\.ja\.md\)/, "README.md links the Japanese guide at the top");
});

texts("both guides list the same commands", () => {
  assert.equal(commands("README.ja.md"), commands("README.md"));
  assert.ok(commands("README.md").length >= 20, "the guides show their commands in sh blocks");
});

texts("the unit test both guides show is tests/functions-voice-hello.test.ts, word for word", () => {
  const example = readFileSync(join(ROOT, "tests", "functions-voice-hello.test.ts"), "utf8");
  for (const name of GUIDES) assert.ok(guideText(name).includes("```ts\n" + example + "```"), `${name} shows the unit test as it runs`);
});

texts("the flow test both guides show is tests/voice-menu-flow.test.ts, word for word", () => {
  const example = readFileSync(join(ROOT, "tests", "voice-menu-flow.test.ts"), "utf8");
  for (const name of GUIDES) assert.ok(guideText(name).includes("```ts\n" + example + "```"), `${name} shows the flow test as it runs`);
});

texts("every make target a guide names exists in make help", () => {
  const help = spawnSync("make", ["help"], { cwd: ROOT, encoding: "utf8" }).stdout;
  for (const command of commands("README.md")) {
    const target = /^make (\S+)/.exec(command)?.[1];
    if (target && !target.includes("=")) assert.match(help, new RegExp(`^  make ${target} `, "m"), `make ${target} is documented but has no target`);
  }
});

texts.run();

/** What the project copy leaves out: what commands write, and this checkout's own state. */
const NOT_COPIED = new Set(["node_modules", ".git", "dist", "cdktf.out", "outputs", ".env", ".install.lock"]);
/** The installed packages are this checkout's: the copy never reinstalls them. */
const COPY_ENV = { MAKEFLAGS: "-o node_modules/.package-lock.json" };

/**
 * A copy of the project to run the guides' commands in, so that what they build and synthesize
 * lands in its dist/ and cdktf.out/, never in this checkout's.
 */
function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "denwa-guides-"));
  const copied = (source: string) => {
    const parts = relative(ROOT, source).split(sep);
    return !NOT_COPIED.has(parts[0]) && !parts.includes("node_modules");
  };
  cpSync(ROOT, dir, { recursive: true, preserveTimestamps: true, filter: copied });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

let work = ROOT;

/** Runs a command to its end without blocking this process, where the stand-ins answer. */
function run(command: string, env: NodeJS.ProcessEnv): Promise<Finished> {
  return runProcess("bash", ["-c", command], { cwd: work, env: { ...process.env, ...COPY_ENV, ...env } });
}

/** Starts a long-running command and resolves once its output matches `ready`. */
function start(command: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  const child = spawn("bash", ["-c", `exec ${command}`], { cwd: work, env: { ...process.env, ...COPY_ENV, ...env }, detached: true });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} was not ready in 60 s:\n${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += d;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`${command} exited with ${code}:\n${output}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    process.kill(-child.pid!, "SIGTERM");
  });
}

const documented = suite("guides: every command runs as written");

documented.before(() => {
  work = projectCopy();
});

documented.after(() => rmSync(work, { recursive: true, force: true }));

documented("local commands: make help, make synth, make dev with make call and make sms, npm run local", async () => {
  const port = await freePort();
  const env = { PORT: String(port), TWILIO_AUTH_TOKEN: TOKEN };
  const local = (c: string) => c.replace(/127\.0\.0\.1:3000/g, `127.0.0.1:${port}`).replace(/--port 3000/, `--port ${port}`);
  const ran = new Set<string>();
  const dev = await start("make dev", env, /Watching /);
  ran.add("make dev");
  try {
    for (const command of commands("README.md")) {
      if (!/^(make (help|synth|call|sms)|npm run (call|sms))\b/.test(command)) continue;
      const result = await run(local(command), env);
      assert.is(result.status, 0, `${command}\n${result.stdout}${result.stderr}`);
      ran.add(command);
    }
  } finally {
    await stop(dev);
  }
  const served = await start(local("npm run local -- --stack cdktf.out/stacks/denwa-dev --port 3000"), env, /POST\s+http:\/\/127\.0\.0\.1:\d+\/dev\/voice\/hello/);
  await stop(served);
  ran.add("npm run local -- --stack cdktf.out/stacks/denwa-dev --port 3000");
  for (const command of ["make dev", "make call", "make sms TEXT=\"こんにちは 😀\"", "make synth", "npm run local -- --stack cdktf.out/stacks/denwa-dev --port 3000"]) {
    assert.ok(ran.has(command), `${command} was run`);
  }
});

documented("the command for one test file runs that file alone", async () => {
  const command = commands("README.md").find((c) => c.startsWith("npx uvu "));
  assert.ok(command, "the guides show how to run one test file");
  const result = await run(command!, {});
  assert.is(result.status, 0, `${command}\n${result.stdout}${result.stderr}`);
  assert.match(result.stdout, /functions-voice-hello\.test\.ts/, "that file ran");
  assert.not.match(result.stdout, /functions-voice-menu/, "and no other");
});

documented("make secret and make wire, against stand-ins for SSM and Twilio", async () => {
  const ssm = await startSsmStandIn();
  const twilio = await startTwilioApiStandIn(ACCOUNT, { [ACCOUNT]: TOKEN });
  twilio.numbers.set("PN0123456789abcdef0123456789abcdef", { sid: "PN0123456789abcdef0123456789abcdef", phone_number: "+815012345678", voice_url: "" });
  const outputs = mkdtempSync(join(tmpdir(), "denwa-guide-outputs-"));
  const base = "https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod";
  const urls = Object.fromEntries(["call/status", "fallback", "sms/reply", "voice/hello", "voice/menu"].map((r) => [r, `${base}/${r}`]));
  writeFileSync(join(outputs, "prod.json"), JSON.stringify({ "denwa-prod": { invoke_url: base, webhook_urls: urls } }));
  const env = {
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_SHARED_KEY: SHARED_KEY,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_API_BASE_URL: twilio.baseUrl,
    DENWA_OUTPUTS_DIR: outputs,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_SSM: ssm.endpoint,
  };
  try {
    const ops = commands("README.md").filter((c) => /^make (secret|wire)\b/.test(c));
    assert.equal(ops, [
      "make secret STAGE=prod",
      "make wire STAGE=prod NUMBER=+815012345678 DRY_RUN=1",
      "make wire STAGE=prod NUMBER=+815012345678",
      "make secret STAGE=prod ROTATE=1",
      "make secret STAGE=prod SHARED_KEY=1",
    ]);
    for (const command of ops) {
      const result = await run(command, env);
      assert.is(result.status, 0, `${command}\n${result.stdout}${result.stderr}`);
    }
    assert.is(ssm.parameters.get("/denwa/prod/twilio-auth-token")?.value, `${TOKEN},sharedkey:${SHARED_KEY}`, "the token and the shared key are stored where prod reads them");
    assert.is(twilio.numbers.get("PN0123456789abcdef0123456789abcdef")?.voice_url, `${base}/voice/hello`);
  } finally {
    await ssm.close();
    await twilio.close();
  }
});

documented("commands that need an AWS account stop with one sentence without one", async () => {
  const needAws = commands("README.md").filter((c) => NEED_AWS.some((re) => re.test(c)));
  assert.ok(needAws.length >= 5, "deploy, outputs and the plain-Terraform path are documented");
  const empty = mkdtempSync(join(tmpdir(), "denwa-no-aws-"));
  for (const command of needAws.filter((c) => c.startsWith("make "))) {
    const result = await run(command, { HOME: empty, AWS_PROFILE: "", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", PATH: `${join(ROOT, "node_modules", ".bin")}:${process.env.PATH}` });
    assert.is.not(result.status, 0, `${command} must stop`);
    assert.match(result.stderr, /^preflight: (No AWS credentials found|Terraform is not installed)[^\n]*\n/m, `${command}: one sentence`);
  }
});

documented.run();
