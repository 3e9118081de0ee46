import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { buildAll, bundle, formatTable } from "../scripts/build";
import { LambdaRunner } from "../local/lambda";
import { listWebhooks } from "../contract/webhooks";
import type { BuiltFunction } from "../contract";
import { loadBundle } from "./helpers/unzip";
import { readZip as unzip } from "../local/zip";
import { SAMPLE_TOKEN as TOKEN, gatewayEvent } from "../testkit";
import { testDeps } from "./helpers/events";
import { runWebhook, type Webhook } from "../runtime/webhook";
import hello from "../functions/voice/hello";
import menu from "../functions/voice/menu";
import reply from "../functions/sms/reply";
import status from "../functions/call/status";
import fallback from "../functions/fallback";
import alerts from "../functions/twilio/alerts";
import { ALERT_EVENT } from "./helpers/twilio-alert";
import { CREDENTIALS, REGION, startSsmStandIn } from "../local/ssm-stand-in";

const SOURCES: Record<string, Webhook> = { "voice/hello": hello, "voice/menu": menu, "sms/reply": reply, "call/status": status, fallback, "twilio/alerts": alerts };

const tmp = mkdtempSync(join(tmpdir(), "denwa-build-"));
let builds: Promise<BuiltFunction[][]> | undefined;
/** Two builds of functions/ that the suites below read, made once, when the first suite starts. */
const twoBuilds = () => (builds ??= Promise.all(["a", "b"].map((name) => buildAll({ outDir: join(tmp, name), manifestPath: join(tmp, `${name}.json`) }))));
const first = () => twoBuilds().then(([a]) => a);

const build = suite("buildAll");

build.before(() => void twoBuilds());

build("writes one zip per webhook, listed in the manifest with its sha256", async () => {
  const built = await first();
  assert.equal(built.map((f) => f.route), listWebhooks().map((w) => w.route), "every webhook in functions/, in route order");
  for (const f of built) {
    const bytes = readFileSync(f.zip);
    assert.is(f.sha256, createHash("sha256").update(bytes).digest("base64"), `${f.route}: manifest sha256`);
    assert.is(f.bytes, bytes.length);
    assert.equal(unzip(bytes).map((e) => e.name), ["index.js"]);
  }
  assert.equal(JSON.parse(readFileSync(join(tmp, "a.json"), "utf8")), built);
});

build("two builds give byte-identical zips", async () => {
  const [a, b] = await twoBuilds();
  assert.equal(a.map((f) => [f.sha256, f.sourceMapped.sha256]), b.map((f) => [f.sha256, f.sourceMapped.sha256]));
});

build("every zip stays under 150 KB and names no path of this machine", async () => {
  for (const f of await first()) {
    assert.ok(f.bytes < 150 * 1024, `${f.route} is ${f.bytes} bytes`);
    const source = unzip(readFileSync(f.zip))[0].data.toString("utf8");
    assert.not.ok(source.includes(process.cwd()), `${f.route} embeds ${process.cwd()}`);
    assert.not.ok(source.includes("node_modules/twilio/lib/rest"), `${f.route} pulled in the twilio REST client`);
  }
});

build("bundles answer exactly as their sources do, with the small XML builder in place of xmlbuilder", async () => {
  const env = { TWILIO_AUTH_TOKEN: TOKEN, DENWA_STAGE: "dev" };
  const cases: [string, Record<string, string>][] = [
    ["voice/hello", { CallSid: "CA1" }],
    ["voice/menu", { CallSid: "CA1" }],
    ["voice/menu", { CallSid: "CA1", Digits: "1" }],
    ["voice/menu", { CallSid: "CA1", Digits: "7" }],
    ["sms/reply", { MessageSid: "SM1", Body: `<"こんにちは" & 'x'>\r\n😀\f`, NumMedia: "1" }],
    ["call/status", { CallSid: "CA1", CallStatus: "completed", CallDuration: "3" }],
    ["fallback", { CallSid: "CA1", ErrorCode: "11200" }],
    ["fallback", { MessageSid: "SM1", ErrorCode: "12300" }],
    ["twilio/alerts", { ...ALERT_EVENT }],
  ];
  for (const [route, params] of cases) {
    const built = (await first()).find((f) => f.route === route)!;
    const source = unzip(readFileSync(built.zip))[0].data.toString("utf8");
    assert.not.ok(source.includes("xmlbuilder"), `${route} bundles xmlbuilder`);
    const event = gatewayEvent({ route: `/${route}`, params });
    const fromBundle = await loadBundle(source, env).handler(event);
    const { deps } = testDeps({ route });
    const fromSource = await runWebhook(SOURCES[route], event, deps);
    assert.equal(fromBundle, fromSource, `${route} ${JSON.stringify(params)}`);
  }
});

build("prints a table of function, route and size", async () => {
  const lines = formatTable(await first()).split("\n");
  assert.match(lines[0], /^function\s+route\s+zip size\s+with source map\s+sha256$/);
  assert.match(lines.find((l) => l.startsWith("voice-hello"))!, /^voice-hello\s+\/voice\/hello\s+\d+\.\d KB\s+\d+\.\d KB\s+\S{12}$/);
});

build.run();

const encoding = suite("bundle: sources are UTF-8 whatever the locale");

encoding("a handler saved with a BOM and CRLF, full of Japanese, builds and says the right words", async () => {
  const dir = join(tmp, "functions-bom");
  mkdirSync(join(dir, "ja"), { recursive: true });
  const source = [
    "// 日本語のコメント:挨拶を返します。",
    'import VoiceResponse from "twilio/lib/twiml/VoiceResponse";',
    "/* 複数行の\r\n   コメント */",
    "export default function aisatsu() {",
    "  const twiml = new VoiceResponse();",
    '  twiml.say({ language: "ja-JP" }, "もしもし、電話ありがとうございます");',
    "  return twiml;",
    "}",
  ].join("\r\n");
  writeFileSync(join(dir, "ja", "aisatsu.ts"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(source, "utf8")]));
  const [webhook] = listWebhooks(dir);
  assert.is(webhook.route, "ja/aisatsu");
  const { handler } = loadBundle(await bundle(webhook), { TWILIO_AUTH_TOKEN: TOKEN, DENWA_STAGE: "dev", DENWA_ROUTE: "ja/aisatsu" });
  const result = await handler(gatewayEvent({ route: "/ja/aisatsu", params: { CallSid: "CA1" } }));
  assert.is(result.body, '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="ja-JP">もしもし、電話ありがとうございます</Say></Response>');
});

encoding.run();

const deployed = suite("a built function as Lambda runs it");

deployed("reads the token from SSM once per cold start, then answers from the cache", async () => {
  const ssm = await startSsmStandIn();
  try {
    ssm.parameters.set("/denwa/dev/twilio-auth-token", { value: TOKEN, type: "SecureString", version: 1 });
    const env = {
      DENWA_STAGE: "dev",
      DENWA_ROUTE: "voice/hello",
      DENWA_TOKEN_PARAMETER: "/denwa/dev/twilio-auth-token",
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
      AWS_ENDPOINT_URL_SSM: ssm.endpoint,
    };
    const hello = (await first()).find((f) => f.route === "voice/hello")!;
    const { handler } = loadBundle(unzip(readFileSync(hello.zip))[0].data.toString("utf8"), env);
    for (let i = 0; i < 3; i++) {
      const result = await handler(gatewayEvent({ params: { CallSid: `CA${i}` } }));
      assert.is(result.statusCode, 200, `invocation ${i}`);
      assert.match(result.body, /こんにちは!ぼくはアリスです!/);
    }
    assert.is(ssm.requests.length, 1, "one GetParameter for three invocations");
    assert.ok(ssm.requests[0].signatureOk);
  } finally {
    await ssm.close();
  }
});

deployed.run();

const maps = suite("source maps (debug stages)");

maps("the source-mapped zip holds index.js.map, and its index.js is the plain one plus the link", async () => {
  for (const f of await first()) {
    const plain = unzip(readFileSync(f.zip));
    const mapped = unzip(readFileSync(f.sourceMapped.zip));
    assert.equal(mapped.map((e) => e.name), ["index.js", "index.js.map"], `${f.route}: the map beside the bundle`);
    assert.is(mapped[0].data.toString("utf8"), plain[0].data.toString("utf8") + "//# sourceMappingURL=index.js.map\n", `${f.route}: the same code`);
    const map = JSON.parse(mapped[1].data.toString("utf8"));
    assert.ok(map.sources.includes(`functions/${f.route}.ts`), `${f.route}: the map names the handler's own file, relative to the project`);
    assert.is(map.sourcesContent, undefined, "no sources inside the map: names and lines are enough");
  }
});

maps("with NODE_OPTIONS=--enable-source-maps, as debug stages set it, a stack trace names the handler's file and line", async () => {
  const dir = join(tmp, "functions-crash");
  mkdirSync(join(dir, "voice"), { recursive: true });
  writeFileSync(join(dir, "voice", "crash.ts"), ["export default function crash(): never {", '  throw new Error("kaboom");', "}", ""].join("\n"));
  const [built] = await buildAll({ functionsDir: dir, outDir: join(tmp, "crash"), manifestPath: join(tmp, "crash.json") });
  const runner = new LambdaRunner({ output: new Writable({ write: (_chunk, _encoding, done) => done() }) });
  // A debug stage answers a handler's error with its stack, which is what this looks at.
  const stackOf = async (zip: string, environment: Record<string, string>) => {
    const fn = { key: zip, name: "crash", arn: `arn:aws:lambda:us-east-1:123456789012:function:${zip}`, zip, handler: "index.handler", runtime: "nodejs22.x", timeoutSeconds: 5, memoryMb: 256 };
    const result = await runner.invoke({ ...fn, environment: { TWILIO_AUTH_TOKEN: TOKEN, DENWA_STAGE: "dev", DENWA_DEBUG: "true", ...environment } }, gatewayEvent({ params: { CallSid: "CA1" } }));
    if (!result.ok) throw new Error(`the runtime should answer the error itself: ${JSON.stringify(result.error)}`);
    const answer = JSON.parse(result.payload);
    assert.is(answer.statusCode, 500);
    return String(answer.body);
  };
  try {
    const mapped = await stackOf(built.sourceMapped.zip, { NODE_OPTIONS: "--enable-source-maps" });
    assert.match(mapped, /functions-crash\/voice\/crash\.ts:2:\d+/, "the stack names crash.ts, line 2");
    const plain = await stackOf(built.zip, {});
    assert.not.match(plain, /crash\.ts:\d/, "without the map the stack points into index.js");
    assert.match(plain, /index\.js:1:\d+/);
  } finally {
    await runner.close();
  }
});

maps.run();

process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

const shared = suite("buildAll: shared code and build errors");

shared("a *.private.ts helper is bundled into the handlers that import it, and is no function of its own", async () => {
  const dir = mkdtempSync(join(tmpdir(), "denwa-private-"));
  mkdirSync(join(dir, "voice"));
  mkdirSync(join(dir, "lib"));
  writeFileSync(join(dir, "lib", "greeting.private.ts"), 'export const greeting = "もしもし";\n');
  writeFileSync(join(dir, "voice", "hi.ts"), 'import { greeting } from "../lib/greeting.private";\nexport default () => `<Response><Say>${greeting}</Say></Response>`;\n');
  const built = await buildAll({ functionsDir: dir, outDir: join(dir, "out"), manifestPath: join(dir, "manifest.json") });
  assert.equal(built.map((f) => f.route), ["voice/hi"], "only the handler is a function");
  assert.ok(unzip(readFileSync(built[0].zip))[0].data.toString("utf8").includes("もしもし"), "the helper's code is in the handler's bundle");
});

shared("a build error names the user's file and line, and a missing default export names the handler", async () => {
  const dir = mkdtempSync(join(tmpdir(), "denwa-broken-"));
  const options = { functionsDir: dir, outDir: join(dir, "out"), manifestPath: join(dir, "manifest.json") };
  const handler = relative(process.cwd(), join(dir, "broken.ts"));
  const failure = (promise: Promise<unknown>) => promise.then(() => "built", (err: Error) => err.message);
  writeFileSync(join(dir, "broken.ts"), "export default () => {;\n");
  assert.is(await failure(buildAll(options)), `${handler}:2:1: Unexpected end of file`, "esbuild's error at the user's file and line");
  writeFileSync(join(dir, "broken.ts"), "export const handler = () => null;\n");
  assert.is(
    await failure(buildAll(options)),
    `${handler} has no default export: a webhook exports its handler with \`export default\` (name shared code *.private.ts).`,
    "the generated entry is never named",
  );
});

shared.run();
