// Suite 1: random form bodies, signed as Twilio signs them, reach the handler exactly as sent and
// come back intact; the same request with one character of a name, a value or the URL changed, or
// its signature removed, truncated or made with another token, is refused with 403 before the
// handler runs (its log line, matched by requestId, lacks the handlerRan mark the echo adds).
import { TWILIO_MAX_MESSAGE_CHARACTERS } from "../../contract";
import fc from "fast-check";
import { xmlText } from "../../runtime";
import assert from "node:assert/strict";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { Served } from "./served";
import { ECHO } from "./stacks";
import { OTHER_TOKEN, TOKEN, publicUrl, signedPost, toParams, unescapeXml, type FormStyle, type Pairs } from "./twilio-client";

const FORBIDDEN = "The X-Twilio-Signature header does not match this request.";
const TEXT = "text/plain; charset=utf-8";

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));
const kana = char(0x3041, 0x30ff);
const kanji = char(0x4e00, 0x9fff);
const emoji = char(0x1f300, 0x1faff);
const astral = char(0x10000, 0x10ffff);
const control = char(0x00, 0x1f);
const ascii = char(0x20, 0x7e);
const bmp = char(0xa0, 0xd7ff);
const specials = fc.constantFrom("'", '"', "\\", "&", "=", "+", "%", "%2B", "%20", " ", "\r", "\n", "\r\n", "\t", "\x7f", "?", "#", ";", "/", "\uFFFD", "\uFEFF");

/** One piece of text: Japanese, emoji and other astral characters, form metacharacters, control characters. */
const unit = fc.oneof(
  { weight: 4, arbitrary: specials },
  { weight: 3, arbitrary: kana },
  { weight: 2, arbitrary: kanji },
  { weight: 2, arbitrary: emoji },
  { weight: 1, arbitrary: astral },
  { weight: 2, arbitrary: control },
  { weight: 4, arbitrary: ascii },
  { weight: 1, arbitrary: bmp },
);
/** One code point, what a tampering replaces another with. */
const codePoint = fc.oneof(kana, emoji, control, ascii, bmp);

const cap = (text: string) => Array.from(text).slice(0, TWILIO_MAX_MESSAGE_CHARACTERS).join("");
const name = fc.oneof({ weight: 1, arbitrary: fc.constantFrom("Body", "MediaUrl", "From") }, { weight: 3, arbitrary: fc.string({ unit, maxLength: 10 }) });
const shortValue = fc.string({ unit, maxLength: 12 });
const value = fc.oneof({ weight: 8, arbitrary: shortValue }, { weight: 1, arbitrary: fc.string({ unit, minLength: 200, maxLength: TWILIO_MAX_MESSAGE_CHARACTERS }).map(cap) });
/** Mostly a handful of fields, sometimes hundreds; names repeat. */
const pairs: fc.Arbitrary<Pairs> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(name, value), { maxLength: 8 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(name, shortValue), { minLength: 100, maxLength: 300 }) },
);

type Tamper = "url" | "name" | "value" | "no signature" | "truncated signature" | "other token";
const tamper = fc.record({
  kind: fc.constantFrom<Tamper>("url", "name", "value", "no signature", "truncated signature", "other token"),
  at: fc.nat(),
  by: codePoint,
});

export interface FuzzTargets {
  dev: Served;
  prod: Served;
}

/** Replaces the code point at `at` (modulo the length) by `by`, or by another one if they are equal. */
function changeOne(text: string, at: number, by: string): string {
  const points = Array.from(text);
  const i = at % points.length;
  points[i] = points[i] === by ? (by === "x" ? "y" : "x") : by;
  return points.join("");
}

function canonical(params: Record<string, unknown>): [string, unknown][] {
  return Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const ECHO_REPLY = /^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Say>([\s\S]*)<\/Say><\/Response>$/;

export function fuzzProperty(targets: FuzzTargets) {
  return fc.asyncProperty(pairs, fc.constantFrom<FormStyle>("whatwg", "rfc3986"), fc.constantFrom("dev" as const, "prod" as const), tamper, async (fields, style, stage, change) => {
    const served = targets[stage];
    const path = `/${stage}/${ECHO}`;
    const url = publicUrl(served, path);

    const valid = await served.send(signedPost(served, path, fields, { style }));
    assert.equal(valid.status, 200, `a correctly signed form gets 200, not ${valid.status}: ${valid.body}`);
    assert.equal(valid.headers["content-type"], "application/xml");
    const said = ECHO_REPLY.exec(valid.body);
    assert.ok(said, `the reply is the echo's TwiML: ${valid.body.slice(0, 200)}`);
    assert.deepEqual(canonical(JSON.parse(unescapeXml(said[1]))), canonical(toParams(fields)), "the handler received exactly the fields sent, and the reply carries them intact");
    assert.equal(served.logFor(valid.requestId)?.handlerRan, true, "the signed request ran the handler");

    const forged = forge(served, path, url, fields, style, change);
    if (!forged) return fc.pre(false);
    const refused = await served.send(forged);
    assert.equal(refused.status, 403, `${change.kind} tampering gets 403, not ${refused.status}: ${refused.body}`);
    assert.equal(refused.headers["content-type"], TEXT);
    assert.equal(refused.body, FORBIDDEN);
    const line = served.logFor(refused.requestId);
    assert.equal(line?.status, 403, "the refusal is logged");
    assert.equal(line?.handlerRan, undefined, `after ${change.kind} tampering the handler never ran`);
  });
}

/** The tampered request, or undefined when the change leaves what Twilio signs the same. */
function forge(served: Served, path: string, url: string, fields: Pairs, style: FormStyle, { kind, at, by }: { kind: Tamper; at: number; by: string }) {
  const withName = fields.map((f, i) => [f, i] as const).filter(([[n]]) => n !== "");
  const withValue = fields.map((f, i) => [f, i] as const).filter(([[, v]]) => v !== "");
  const pick = kind === "name" ? withName : kind === "value" ? withValue : [];
  if ((kind === "name" || kind === "value") && pick.length > 0) {
    const [[n, v], index] = pick[at % pick.length];
    const sent: Pairs = fields.map((f, i) => (i === index ? (kind === "name" ? [changeOne(n, at, by), v] : [n, changeOne(v, at, by)]) : f));
    // Twilio signs sorted name+value text with repeated values deduplicated: a change that
    // yields the same text is invisible to the scheme itself, not to be blamed on the runtime.
    if (getExpectedTwilioSignature(TOKEN, url, toParams(sent)) === getExpectedTwilioSignature(TOKEN, url, toParams(fields))) return undefined;
    return signedPost(served, path, sent, { style, signedPairs: fields });
  }
  if (kind === "no signature") return signedPost(served, path, fields, { style, signature: () => undefined });
  if (kind === "truncated signature") return signedPost(served, path, fields, { style, signature: (s) => s.slice(0, at % s.length) });
  if (kind === "other token") return signedPost(served, path, fields, { style, token: OTHER_TOKEN });
  return signedPost(served, path, fields, { style, signedUrl: changeOne(url, at, by) });
}

const SMS_REPLY = /^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Message>([\s\S]*)<\/Message><\/Response>$/;
/** The real sms/reply quotes any Body back intact, less the characters XML cannot hold. */
export function smsProperty(targets: FuzzTargets) {
  return fc.asyncProperty(fc.string({ unit, maxLength: TWILIO_MAX_MESSAGE_CHARACTERS }).map(cap), async (body) => {
    const served = targets.dev;
    const reply = await served.send(signedPost(served, "/dev/sms/reply", [["MessageSid", "SM0"], ["From", "+819012345678"], ["Body", body], ["NumMedia", "0"]]));
    assert.equal(reply.status, 200, `a signed SMS gets 200, not ${reply.status}: ${reply.body}`);
    const message = SMS_REPLY.exec(reply.body);
    assert.ok(message, `the reply is one <Message>: ${reply.body.slice(0, 200)}`);
    const kept = xmlText(body);
    assert.equal(unescapeXml(message[1]), `メッセージを受け付けました:${body ? `「${kept}」` : "(本文なし)"}`, "the SMS text comes back intact");
  });
}
