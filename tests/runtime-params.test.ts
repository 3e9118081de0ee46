import { suite } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { encodeForm, parseForm, type Params } from "../runtime/params";
import { HttpError } from "../runtime/http-error";

const form = (text: string) => parseForm(Buffer.from(text, "utf8"));
const plain = (p: Params) => JSON.parse(JSON.stringify(p));

const parse = suite("parseForm");

parse("decodes Twilio's form body: + is a space, %2B a plus, UTF-8 percent-encoding", () => {
  assert.equal(plain(form("From=%2B815012345678&Body=%E3%81%93%E3%82%93%E3%81%AB%E3%81%A1%E3%81%AF+%F0%9F%98%80")), {
    From: "+815012345678",
    Body: "こんにちは 😀",
  });
});

parse("keeps quotes, backslashes, ampersands, equals signs and newlines of values", () => {
  assert.equal(plain(form("Body=%27%22%5C%26%3D%0D%0Aend&Empty=&Bare")), { Body: `'"\\&=\r\nend`, Empty: "", Bare: "" });
});

parse("keeps repeated keys as an array in the order sent", () => {
  assert.equal(plain(form("MediaUrl=a&Digits=1&MediaUrl=b&MediaUrl=c")), { MediaUrl: ["a", "b", "c"], Digits: "1" });
});

parse("an empty body has no parameters, and stray & are ignored", () => {
  assert.equal(plain(form("")), {});
  assert.equal(plain(form("&&A=1&&")), { A: "1" });
});

parse("a name like __proto__ is an ordinary parameter", () => {
  const params = form("__proto__=x&constructor=y");
  assert.is(params["__proto__"], "x");
  assert.is(params["constructor"], "y");
});

parse("answers 400 for broken percent-encoding", () => {
  for (const bad of ["Body=%", "Body=%E", "Body=%ZZ", "A%G1=1"]) {
    assert.throws(() => form(bad), (err: unknown) => err instanceof HttpError && err.statusCode === 400, `${bad} must be a 400`);
  }
});

parse("answers 400 for bytes that are not UTF-8, raw or percent-encoded", () => {
  assert.throws(() => parseForm(Buffer.from([0x42, 0x3d, 0xff])), (err: unknown) => err instanceof HttpError && err.statusCode === 400);
  assert.throws(() => form("Body=%FF%FE"), (err: unknown) => err instanceof HttpError && /not valid UTF-8/.test((err as Error).message));
});

parse("answers 400 for a raw U+FFFD, which API Gateway leaves where a byte was not UTF-8, and keeps an escaped one", () => {
  assert.throws(() => form("Body=a\uFFFDb"), (err: unknown) => err instanceof HttpError && err.statusCode === 400 && err.message === "The request body is not valid UTF-8.");
  assert.equal(plain(form("Body=a%EF%BF%BDb")), { Body: "a\uFFFDb" });
});

parse("keeps a leading byte order mark as U+FEFF, as the bytes were sent", () => {
  assert.equal(plain(parseForm(Buffer.from("\uFEFFBody=x", "utf8"))), { "\uFEFFBody": "x" });
});

parse.run();

const fuzz = suite("parseForm fuzzing");
const SEED = 20261129;
const text = fc.string({ unit: fc.oneof(fc.constantFrom("'", '"', "\\", "&", "=", "+", "%", "%2B", "\r", "\n", "こ", "😀", ""), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), maxLength: 40 });

fuzz(`encodeForm then parseForm gives back every parameter (seed ${SEED})`, () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(text.filter((s) => s !== ""), text), { maxLength: 30 }), (pairs) => {
      const expected = new Map<string, string[]>();
      for (const [name, value] of pairs) expected.set(name, [...(expected.get(name) ?? []), value]);
      const sent: Params = Object.create(null);
      for (const [name, values] of expected) sent[name] = values.length === 1 ? values[0] : values;
      const got = parseForm(Buffer.from(encodeForm(sent), "utf8"));
      assert.equal(plain(got), plain(sent));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

fuzz(`arbitrary bytes give parameters or a 400, never another error (seed ${SEED})`, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        parseForm(bytes);
      } catch (err) {
        assert.ok(err instanceof HttpError && err.statusCode === 400, `unexpected ${String(err)}`);
      }
    }),
    { seed: SEED, numRuns: 500 },
  );
});

fuzz(`raw bytes are refused exactly when a strict UTF-8 decoder refuses them (seed ${SEED})`, () => {
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const noEscapes = fc.uint8Array({ maxLength: 60 }).map((bytes) => bytes.map((b) => (b === 0x25 ? 0x26 : b)));
  fc.assert(
    fc.property(noEscapes, (bytes) => {
      let decoded: string | undefined;
      try {
        decoded = strict.decode(bytes);
      } catch {
        decoded = undefined;
      }
      const refused = decoded === undefined || decoded.includes("\uFFFD");
      let got: unknown;
      try {
        got = plain(parseForm(bytes));
      } catch (err) {
        assert.ok(refused && err instanceof HttpError && err.statusCode === 400, `refused bytes ${Buffer.from(bytes).toString("hex")}: ${String(err)}`);
        return;
      }
      assert.ok(!refused, `accepted bytes a strict decoder refuses: ${Buffer.from(bytes).toString("hex")}`);
      assert.equal(got, plain(parseForm(Buffer.from(decoded!, "utf8"))));
    }),
    { seed: SEED, numRuns: 500 },
  );
});

fuzz(`percent-encoded bytes decode exactly as a strict UTF-8 decoder says, or give a 400 (seed ${SEED})`, () => {
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const validText = fc.string({ unit: "binary", maxLength: 20 }).map((t) => new Uint8Array(Buffer.from(t, "utf8")));
  const corrupted = fc.tuple(validText, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, v]) => (b.length ? b.map((x, i) => (i === at % b.length ? v : x)) : b));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), validText, corrupted), (bytes) => {
      const encoded = Buffer.from("v=" + [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join(""));
      let expected: string | undefined;
      try {
        expected = strict.decode(bytes);
      } catch {
        expected = undefined;
      }
      if (expected === undefined) {
        assert.throws(() => parseForm(encoded), (err: unknown) => err instanceof HttpError && err.statusCode === 400);
      } else {
        assert.is(parseForm(encoded).v, expected);
      }
    }),
    { seed: SEED, numRuns: 1000 },
  );
});

fuzz.run();
