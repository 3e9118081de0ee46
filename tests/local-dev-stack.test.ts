// Our own dev stack end to end over HTTP: the real build (dist/, made by `make build`, which
// `make test` runs first), synthesized as main.ts does, served by the emulator, called as Twilio calls.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signGet, signPost, withQuery } from "../local/simulator/sign";
import { readManifest } from "../contract/webhooks";
import { synthStage } from "./helpers/infra-synth";
import { startEmulator, type Emulator } from "./helpers/local-stack";
import { CALL } from "../testkit";

const TOKEN = "0123456789abcdef0123456789abcdef";
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

type Context = { emulator: Emulator; dir: string };
const dev = suite<Context>("dev stack through the emulator");

dev.before(async (context) => {
  context.dir = synthStage("dev", { functions: readManifest() }).dir;
  context.emulator = await startEmulator(context.dir, { TWILIO_AUTH_TOKEN: TOKEN });
});

dev.after(async ({ emulator, dir }) => {
  await emulator.close();
  rmSync(join(dir, "..", ".."), { recursive: true, force: true });
});

function post(emulator: Emulator, path: string, params: Record<string, string>, url = emulator.server.url + path, headers: Record<string, string> = {}) {
  return emulator.request(path, {
    method: "POST",
    headers: { ...FORM, ...headers, "X-Twilio-Signature": signPost(TOKEN, url, params) },
    body: new URLSearchParams(params).toString(),
  });
}

const unescapeXml = (text: string) =>
  text.replace(/&(lt|gt|amp|quot|apos|#xD|#13);/g, (_, name: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", "#xD": "\r", "#13": "\r" })[name] as string);

dev("a signed voice call POST gets 200 application/xml with the Japanese greeting", async ({ emulator }) => {
  const answer = await post(emulator, "/dev/voice/hello", CALL);
  assert.is(answer.status, 200);
  assert.is(answer.headers["content-type"], "application/xml");
  assert.match(answer.body, /^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Say language="ja-JP"[^>]*>こんにちは/);
  assert.not.match(answer.body, /\n$/, "no stray newline after the TwiML");
});

dev("the same call over GET, signed over the URL with its query string", async ({ emulator }) => {
  const path = withQuery("/dev/voice/hello", CALL);
  const answer = await emulator.request(path, { headers: { "X-Twilio-Signature": signGet(TOKEN, emulator.server.url + path) } });
  assert.is(answer.status, 200);
  assert.match(answer.body, /<Say language="ja-JP"[^>]*>こんにちは/);
});

dev("behind a tunnel: signed for the public https URL that Host and X-Forwarded-Proto name", async ({ emulator }) => {
  const answer = await post(emulator, "/dev/voice/hello", CALL, "https://abc.example/dev/voice/hello", { Host: "abc.example", "X-Forwarded-Proto": "https" });
  assert.is(answer.status, 200);
});

dev("a tampered parameter gets 403", async ({ emulator }) => {
  const signature = signPost(TOKEN, `${emulator.server.url}/dev/voice/hello`, CALL);
  const answer = await emulator.request("/dev/voice/hello", {
    method: "POST",
    headers: { ...FORM, "X-Twilio-Signature": signature },
    body: new URLSearchParams({ ...CALL, From: "+819099999999" }).toString(),
  });
  assert.is(answer.status, 403);
});

dev("text/plain gets API Gateway's 415", async ({ emulator }) => {
  const answer = await emulator.request("/dev/voice/hello", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hello" });
  assert.equal([answer.status, answer.body], [415, '{"message":"Unsupported Media Type"}']);
});

dev("an SMS with Japanese, emoji, quotes, & < and newlines comes back intact in the reply", async ({ emulator }) => {
  const text = `こんにちは 😀 'single' "double" & <tag>\nline two\r\nline three`;
  const answer = await post(emulator, "/dev/sms/reply", { ...CALL, MessageSid: "SM00000000000000000000000000000001", Body: text, NumMedia: "0" });
  assert.is(answer.status, 200);
  assert.is(answer.headers["content-type"], "application/xml");
  const message = /<Message>([\s\S]*)<\/Message>/.exec(answer.body)?.[1] ?? "";
  assert.ok(unescapeXml(message).includes(`「${text}」`), `the reply quotes the text exactly: ${answer.body}`);
});

dev.run();
