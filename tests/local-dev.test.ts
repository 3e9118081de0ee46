import { suite } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { synthesize } from "../main";
import { DevBuild, SynthError, type DevBuildOptions } from "../local/dev-build";
import { startDev } from "../local/dev";
import { watchInputs } from "../local/dev-watch";
import { readManifest } from "../contract/webhooks";
import { signatureHeaders } from "../local/simulator/sign";

const tmp = mkdtempSync(join(tmpdir(), "denwa-dev-test-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
let projects = 0;

/** A resolvable promise, for waiting on an event instead of a time. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** A handler that says `words`; it imports twilio, so its build reads files under node_modules too. */
const handler = (words: string) =>
  [
    'import VoiceResponse from "twilio/lib/twiml/VoiceResponse";',
    "export default function webhook(): VoiceResponse {",
    "  const twiml = new VoiceResponse();",
    `  twiml.say(${JSON.stringify(words)});`,
    "  return twiml;",
    "}",
    "",
  ].join("\n");

/** A project of its own: functions/ with voice/hello and a helper it imports, and folders for dist and cdktf.out. */
function project(): { dir: string; functions: string; options: DevBuildOptions } {
  const dir = join(tmp, `p${projects++}`);
  const functions = join(dir, "functions");
  mkdirSync(join(functions, "voice"), { recursive: true });
  writeFileSync(join(functions, "voice", "hello.ts"), handler("こんにちは"));
  writeFileSync(join(functions, "voice", "menu.ts"), handler("メニュー"));
  const cdktfOut = join(dir, "cdktf.out");
  return {
    dir,
    functions,
    options: {
      functionsDir: functions,
      outDir: join(dir, "dist", "functions"),
      manifestPath: join(dir, "dist", "manifest.json"),
      stackDir: join(cdktfOut, "stacks", "denwa-dev"),
      synth: (built) => {
        synthesize(built, { outdir: cdktfOut, stages: ["dev"] });
        return [join(dir, "stage-settings.ts")];
      },
    },
  };
}

const watching = suite("watchInputs (make dev's watcher, from what the build read)");

watching("a save is one run naming the file; a file in the same folder that no build read is not", async () => {
  const { functions } = project();
  const hello = join(functions, "voice", "hello.ts");
  const notes = join(functions, "voice", "notes.txt");
  writeFileSync(notes, "");
  const runs: Set<string>[] = [];
  const ran = deferred();
  const watcher = watchInputs({ files: () => [hello], trees: [], onChange: async (changed) => void (runs.push(changed), ran.resolve()) });
  try {
    writeFileSync(notes, "not read by any build");
    for (let i = 0; i < 5; i++) writeFileSync(hello, handler(`save ${i}`));
    await ran.promise;
    assert.equal([...runs[0]], [hello], "the handler changed; the notes file is no input");
  } finally {
    watcher.close();
  }
});

watching("an editor's rename-save is seen, and so is every later save", async () => {
  const { functions } = project();
  const hello = join(functions, "voice", "hello.ts");
  let next = deferred<Set<string>>();
  const watcher = watchInputs({ files: () => [hello], trees: [], onChange: async (changed) => next.resolve(changed) });
  try {
    writeFileSync(`${hello}.tmp`, handler("renamed"));
    renameSync(`${hello}.tmp`, hello);
    assert.ok((await next.promise).has(hello), "the rename over the file is a change");
    next = deferred();
    writeFileSync(hello, handler("again"));
    assert.ok((await next.promise).has(hello), "the file that replaced the old inode is watched too");
  } finally {
    watcher.close();
  }
});

watching("changes during a run make exactly one more run with all of them, never two at once", async () => {
  const { functions } = project();
  const hello = join(functions, "voice", "hello.ts");
  const menu = join(functions, "voice", "menu.ts");
  const release = deferred();
  const firstStarted = deferred();
  const second = deferred<Set<string>>();
  const seen = new Map<string, () => void>();
  let running = 0;
  let overlap = false;
  let runs = 0;
  const watcher = watchInputs({
    files: () => [hello, menu],
    trees: [],
    onEvent: (file) => seen.get(file)?.(),
    onChange: async (changed) => {
      overlap ||= running > 0;
      running++;
      runs++;
      if (runs === 1) {
        firstStarted.resolve();
        await release.promise;
      } else second.resolve(changed);
      running--;
    },
  });
  try {
    writeFileSync(hello, handler("one"));
    await firstStarted.promise;
    const menuSeen = new Promise<void>((resolve) => seen.set(menu, resolve));
    writeFileSync(hello, handler("two"));
    writeFileSync(menu, handler("three"));
    await menuSeen;
    release.resolve();
    assert.equal([...(await second.promise)].sort(), [hello, menu], "one more run, with both files");
    assert.not.ok(overlap, "runs never overlap");
  } finally {
    watcher.close();
  }
});

watching("a new file anywhere in a watched tree is a change", async () => {
  const { functions } = project();
  const next = deferred<Set<string>>();
  const watcher = watchInputs({ files: () => [], trees: [functions], onChange: async (changed) => next.resolve(changed) });
  try {
    mkdirSync(join(functions, "sms"));
    writeFileSync(join(functions, "sms", "reply.ts"), handler("new"));
    assert.ok((await next.promise).has(join(functions, "sms", "reply.ts")));
  } finally {
    watcher.close();
  }
});

watching.run();

const building = suite("DevBuild (make dev's incremental build)");

building("rebuilds only the function whose input changed, and patches the stack exactly as a new synth writes it", async () => {
  const { dir, functions, options } = project();
  const build = new DevBuild(options);
  try {
    const first = await build.update();
    assert.equal([first.added, first.stack, first.errors], [["voice/hello", "voice/menu"], "synthesized", []]);
    assert.ok([...build.inputs()].some((file) => file.includes(join("node_modules", "twilio"))), "the inputs come from esbuild's metafile, dependencies included");
    const menuZip = readManifest(options.manifestPath).find((f) => f.route === "voice/menu")!.sourceMapped.zip;
    const menuTime = statSync(menuZip).mtimeMs;

    writeFileSync(join(functions, "voice", "hello.ts"), handler("さようなら"));
    const second = await build.update(new Set([join(functions, "voice", "hello.ts")]));
    assert.equal([second.rebuilt, second.stack, second.added, second.removed], [["voice/hello"], "patched", [], []]);
    assert.is(statSync(menuZip).mtimeMs, menuTime, "voice/menu's zip is left as it was");

    const fresh = join(dir, "fresh");
    synthesize(readManifest(options.manifestPath), { outdir: fresh, stages: ["dev"] });
    assert.is(readFileSync(join(options.stackDir, "cdk.tf.json"), "utf8"), readFileSync(join(fresh, "stacks", "denwa-dev", "cdk.tf.json"), "utf8"), "the patched stack is the one synth writes");

    const unrelated = await build.update(new Set([join(dir, "README.md")]));
    assert.equal([unrelated.rebuilt, unrelated.stack], [[], "unchanged"], "a file no build read changes nothing");
    const settings = await build.update(new Set([join(dir, "stage-settings.ts")]));
    assert.is(settings.stack, "synthesized", "a file synth read synthesizes again");
  } finally {
    await build.dispose();
  }
});

building("names routes added and removed; a failed build names the file and keeps the last good one", async () => {
  const { functions, options } = project();
  const build = new DevBuild(options);
  try {
    await build.update();
    const extra = join(functions, "voice", "extra.ts");
    writeFileSync(extra, handler("追加"));
    const added = await build.update(new Set([extra]));
    assert.equal([added.added, added.stack], [["voice/extra"], "synthesized"]);
    rmSync(extra);
    const removed = await build.update(new Set([extra]));
    assert.equal([removed.removed, removed.stack], [["voice/extra"], "synthesized"]);
    assert.equal(readManifest(options.manifestPath).map((f) => f.route), ["voice/hello", "voice/menu"]);

    const hello = join(functions, "voice", "hello.ts");
    writeFileSync(hello, "export default function (: string {}\n");
    const broken = await build.update(new Set([hello]));
    assert.equal(broken.errors, [`${relative(process.cwd(), hello)}:1:26: Expected identifier but found ":"`], "the compiler's words at the user's file and line");
    assert.is(broken.stack, "unchanged", "the last good build is still served");
    writeFileSync(hello, handler("直りました"));
    const fixed = await build.update(new Set([hello]));
    assert.equal([fixed.errors, fixed.rebuilt, fixed.stack], [[], ["voice/hello"], "patched"]);
  } finally {
    await build.dispose();
  }
});

building("a first build that fails writes no stack, and the fix builds it", async () => {
  const { functions, options } = project();
  const hello = join(functions, "voice", "hello.ts");
  writeFileSync(hello, 'import x from "./missing";\nexport default x;\n');
  const build = new DevBuild(options);
  try {
    const first = await build.update();
    assert.is(first.errors.length, 1);
    assert.is(first.errors[0], `${relative(process.cwd(), hello)}:1:15: Could not resolve "./missing"`);
    assert.not.ok(build.ready, "nothing to serve yet");
    assert.ok(build.inputs().has(hello), "the file the error names is watched");
    writeFileSync(hello, handler("できた"));
    const fixed = await build.update(new Set([hello]));
    assert.equal([fixed.errors, fixed.stack], [[], "synthesized"]);
    assert.ok(build.ready);
  } finally {
    await build.dispose();
  }
});

building("a synth that fails names the files to watch, and the next update synthesizes again", async () => {
  const { dir, options } = project();
  const infra = join(dir, "infra-broken.ts");
  let fail = true;
  const build = new DevBuild({
    ...options,
    synth: (built) => {
      if (fail) throw new SynthError(`${infra}: Unexpected "}"`, [infra]);
      return options.synth(built);
    },
  });
  try {
    const first = await build.update();
    assert.equal([first.errors, build.ready], [[`${infra}: Unexpected "}"`], false]);
    assert.ok(build.inputs().has(infra), "the file synth named is watched, so its fix is seen");
    fail = false;
    const fixed = await build.update(new Set([infra]));
    assert.equal([fixed.errors, fixed.stack, build.ready], [[], "synthesized", true]);
  } finally {
    await build.dispose();
  }
});

building.run();


/** A POST as Twilio signs it (with an auth token, or "sharedkey:SECRET"), to the dev stage served at `base`. */
async function signedPost(base: string, route: string, token: string): Promise<{ status: number; body: string }> {
  const url = `${base}/dev/${route}`;
  const params = { CallSid: "CA0123456789abcdef0123456789abcdef", From: "+81312345678", To: "+81501234567" };
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...signatureHeaders(token, "POST", url, params) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: await res.text() };
}

const dev = suite("startDev (make dev)");

dev("says a port in use before building, serves, reloads what changed, and picks up .env", async () => {
  const { dir, functions } = project();
  const lines: string[] = [];
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const dotenvFile = join(dir, ".env");
  writeFileSync(dotenvFile, "TWILIO_AUTH_TOKEN=first-token\nTWILIO_SHARED_KEY=dev-shared-key-0123456789\n");
  const options = { functionsDir: functions, distDir: join(dir, "dist"), cdktfOut: join(dir, "cdktf.out"), dotenvFile, functionOutput: quiet, log: (line: string) => lines.push(line) };
  const running = await startDev({ ...options, env: { PORT: "0" } });
  try {
    const port = new URL(running.url()).port;
    const before = lines.length;
    const refused = await startDev({ ...options, env: { PORT: port } }).then(() => "started", (error: Error) => error.message);
    assert.is(refused, `Port ${port} is already in use: run make dev PORT=${Number(port) + 1} (or stop the other server).`);
    assert.is(lines.length, before, "the second make dev stopped before building");

    const hello = await signedPost(running.url(), "voice/hello", "first-token");
    assert.is(hello.status, 200);
    assert.match(hello.body, /こんにちは/);
    assert.is((await signedPost(running.url(), "voice/hello", "sharedkey:dev-shared-key-0123456789")).status, 200, ".env's TWILIO_SHARED_KEY checks SharedKey (HMAC-SHA256) webhooks");

    const reloaded = running.nextUpdate();
    writeFileSync(join(functions, "voice", "hello.ts"), handler("新しい声"));
    await reloaded;
    assert.match((await signedPost(running.url(), "voice/hello", "first-token")).body, /新しい声/, "the next request runs the new code");
    assert.is(lines.filter((l) => /reloaded/.test(l)).length, 1, "one reloaded line, not the server's as well");
    assert.match(lines.find((l) => l.startsWith("reloaded"))!, /^reloaded in \d+ ms: rebuilt \/voice\/hello; the next request runs it$/);

    const envChanged = running.nextUpdate();
    writeFileSync(dotenvFile, "TWILIO_AUTH_TOKEN=second-token\n");
    await envChanged;
    assert.is((await signedPost(running.url(), "voice/hello", "first-token")).status, 403, "the old token no longer signs");
    assert.is((await signedPost(running.url(), "voice/hello", "second-token")).status, 200, ".env's new token does, without a restart");
  } finally {
    await running.close();
  }
});

dev.run();
