import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { isSignedBy, type SignedRequest } from "../runtime/signature";

// The vector Twilio publishes in its validation tests and docs: token 12345, this URL and these
// parameters sign to this header value.
const VECTOR: SignedRequest = {
  signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
  settings: undefined,
  url: "https://mycompany.com/myapp.php",
  query: { foo: "1", bar: "2" },
  body: { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" },
};

const published = suite("isSignedBy: Twilio's published vectors");

published("accepts the published signature, the query rebuilt from its parameters", () => {
  assert.ok(isSignedBy(["12345"], VECTOR));
});

published("accepts the published mixed-case host vector", () => {
  assert.ok(isSignedBy(["12345"], { ...VECTOR, url: "https://MyCompany.com/myapp.php", signature: "g9IN/x4Cft2g517EjYvEvM/W7LU=" }));
});

published("rejects it with another token, a changed value, an extra parameter or query, or no header", () => {
  assert.not.ok(isSignedBy(["54321"], VECTOR), "another token");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, body: { ...VECTOR.body, Digits: "1235" } }), "a changed value");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, body: { ...VECTOR.body, Extra: "" } }), "an extra parameter");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, query: { ...VECTOR.query, x: "1" } }), "an extra query parameter");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, url: "https://mycompany.com/other.php" }), "another path");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, signature: undefined }), "no header");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, signature: VECTOR.signature!.slice(0, -2) }), "a truncated header");
});

published.run();

const rules = suite("isSignedBy: rotation, algorithms, GET");

rules("accepts a signature from any token in the list (rotation)", () => {
  assert.ok(isSignedBy(["new-token-aaaaaaaa", "12345"], VECTOR));
  assert.not.ok(isSignedBy(["new-token-aaaaaaaa"], VECTOR));
});

rules("checks HMAC-SHA256 when the signature settings header names it", () => {
  const url = "https://example.jp/dev/voice/hello";
  const body = { CallSid: "CA1", Body: "こんにちは" };
  const signature = getExpectedTwilioSignature("shared-key-secret", url, body, "HMAC_SHA256");
  const settings = "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256";
  assert.ok(isSignedBy(["shared-key-secret"], { signature, settings, url, query: {}, body }));
  assert.not.ok(isSignedBy(["shared-key-secret"], { signature, settings: undefined, url, query: {}, body }), "SHA-1 check of a SHA-256 signature");
});

rules("a GET signs its URL with the query, in RFC 3986 or WHATWG form escaping, + or %20 for spaces", () => {
  const url = "https://example.jp/dev/voice/hello";
  const query = { From: "+81 50", Body: "a b&c~*!'" };
  for (const qs of [
    "From=%2B81+50&Body=a+b%26c~%2A%21%27",
    "From=%2B81%2050&Body=a%20b%26c~%2A%21%27",
    "From=%2B81+50&Body=a+b%26c%7E*%21%27",
    "From=%2B81%2050&Body=a%20b%26c%7E*%21%27",
  ]) {
    const signature = getExpectedTwilioSignature("tok-12345678", `${url}?${qs}`, {});
    assert.ok(isSignedBy(["tok-12345678"], { signature, settings: undefined, url, query, body: {} }), qs);
  }
});

rules.run();
