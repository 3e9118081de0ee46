import { suite } from "uvu";
import * as assert from "uvu/assert";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { MAX_QUERY_CANDIDATES } from "../runtime/query-encoding";
import { isSignedBy, signatureUrls, type SignedRequest } from "../runtime/signature";

// The vector Twilio publishes in its validation tests and docs: token 12345, this URL and these
// parameters sign to this header value.
const VECTOR: SignedRequest = {
  signature: "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
  settings: undefined,
  method: "POST",
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
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, url: "https://mycompany.com/myapp.php/" }), "a trailing slash Twilio did not sign");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, signature: undefined }), "no header");
  assert.not.ok(isSignedBy(["12345"], { ...VECTOR, signature: VECTOR.signature!.slice(0, -2) }), "a truncated header");
});

published.run();

const TOKEN = "0123456789abcdef0123456789abcdef";
const BASE = "https://abc.execute-api.ap-northeast-1.amazonaws.com/dev/voice/hello";
const CALL = { CallSid: "CA0123456789abcdef0123456789abcdef", From: "+815012345678", To: "+81312345678" };

/** What API Gateway hands the function for a query string: form-decoded, one value per name. */
function decoded(qs: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(qs));
}

/** The request a POST to `configured` makes, signed as Twilio signs it: that exact URL. */
function twilioPost(configured: string, body: Record<string, string> = CALL): SignedRequest {
  const mark = configured.indexOf("?");
  return {
    signature: getExpectedTwilioSignature(TOKEN, configured, body),
    settings: undefined,
    method: "POST",
    url: mark === -1 ? configured : configured.slice(0, mark),
    query: mark === -1 ? {} : decoded(configured.slice(mark + 1)),
    body,
  };
}

// Each query as a person or a library writes it in a number's webhook URL (issue 12).
const SHAPES: Record<string, string> = {
  "a path in a value": "?next=/voice/menu",
  "a colon": "?t=12:30",
  "a comma": "?x=a,b",
  "an at sign": "?to=user@example.com",
  "every raw character RFC 3986 allows in a query": "?v=/:@,!$()*';?",
  "lower-case percent-escapes": "?x=%e3%81%82",
  "upper-case percent-escapes": "?x=%E3%81%82",
  "a key with no =": "?flag",
  "a key with no = beside others": "?flag&x=1",
  "an empty value": "?x=",
  "a bare trailing ?": "?",
  "= inside a value": "?a=b=c",
  "a space as +, an escaped apostrophe (twilio-node#1183)": "?name=William+O%27hara",
  "a raw apostrophe after +": "?name=William+O'hara",
  "a space as %20": "?name=William%20O'hara",
  "URLSearchParams, ~ as %7E": "?x=a%7Eb&y=*",
  "encodeURIComponent, raw ! ' ( ) *": "?x=!'()*&y=%2F",
  "urlFor's canonical form": "?msg=%E3%81%93%20x%2Fy&retry=1",
  "Japanese and an emoji, raw ASCII punctuation": "?x=%E6%97%A5%E6%9C%AC&e=%F0%9F%98%80&t=12:30",
  "the path with a trailing slash": "/",
};

const shapes = suite("isSignedBy: every query shape Twilio signs, and nothing forged");

for (const [name, shape] of Object.entries(SHAPES)) {
  const configured = `${BASE}${shape}`;
  shapes(`${name}: ${shape}`, () => {
    const req = twilioPost(configured);
    assert.ok(signatureUrls(req).includes(configured), `a candidate is the exact URL ${configured}`);
    assert.ok(isSignedBy([TOKEN], req), "accepted as signed");
    assert.not.ok(isSignedBy([TOKEN], { ...req, body: { ...req.body, From: "+819099999999" } }), "a changed body parameter is refused");
    assert.not.ok(isSignedBy([TOKEN], { ...req, query: { ...req.query, injected: "1" } }), "an added query parameter is refused");
    for (const key of Object.keys(req.query)) {
      assert.not.ok(isSignedBy([TOKEN], { ...req, query: { ...req.query, [key]: `${req.query[key]}x` } }), `a changed value of ${key} is refused`);
      const { [key]: _dropped, ...rest } = req.query;
      assert.not.ok(isSignedBy([TOKEN], { ...req, query: rest }), `a dropped ${key} is refused`);
      assert.not.ok(isSignedBy([TOKEN], { ...req, query: { ...rest, [`${key}2`]: req.query[key] } }), `a renamed ${key} is refused`);
    }
  });
}

shapes("a GET: the configured query as typed, then Twilio's parameters in its form encoding", () => {
  const params = { CallSid: "CA1", Caller: "sip:alice@example.com", CallerName: "Taro Yamada", From: "+815012345678" };
  const configured = `${BASE}?next=/voice/menu`;
  const url = `${configured}&${new URLSearchParams(params)}`;
  const req: SignedRequest = { signature: getExpectedTwilioSignature(TOKEN, url, {}), settings: undefined, method: "GET", url: BASE, query: decoded(url.split("?")[1]), body: {} };
  assert.ok(isSignedBy([TOKEN], req));
  assert.not.ok(isSignedBy([TOKEN], { ...req, query: { ...req.query, Caller: "sip:mallory@example.com" } }), "a changed Twilio parameter is refused");
  assert.not.ok(isSignedBy([TOKEN], { ...req, query: { ...req.query, next: "/voice/admin" } }), "a changed configured parameter is refused");
});

shapes("API Gateway may hand the query over in another order: sorted names (the canonical order) still match", () => {
  const req = twilioPost(`${BASE}?a=1&next=/voice/menu&retry=2`);
  const reversed = Object.fromEntries(Object.entries(req.query).reverse());
  assert.ok(isSignedBy([TOKEN], { ...req, query: reversed }));
  const params = { AccountSid: "AC1", CallSid: "CA1", Caller: "+815012345678", Digits: "1" };
  const url = `${BASE}?next=/voice/menu&${new URLSearchParams(params)}`;
  const get: SignedRequest = { signature: getExpectedTwilioSignature(TOKEN, url, {}), settings: undefined, method: "GET", url: BASE, query: {}, body: {} };
  const shuffled = { Digits: "1", CallSid: "CA1", next: "/voice/menu", Caller: "+815012345678", AccountSid: "AC1" };
  assert.ok(isSignedBy([TOKEN], { ...get, query: shuffled }), "a GET: the configured names, then Twilio's, each sorted");
  assert.not.ok(isSignedBy([TOKEN], { ...get, query: { ...shuffled, Digits: "2" } }), "and still nothing changed");
});

shapes.run();

const candidates = suite("signatureUrls: bounded, and each decodes to exactly the request's query");

/** A random query from the characters the shapes above are made of. */
function randomQuery(next: () => number): Record<string, string> {
  const alphabet = ["a", "Z", "0", " ", "+", "%", "&", "=", "#", "?", "/", ":", "@", ",", "!", "$", "(", ")", "*", "'", ";", "~", "日", "😀", ""];
  const text = (max: number) => Array.from({ length: Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
  const query: Record<string, string> = {};
  const count = 1 + Math.floor(next() * 6);
  for (let i = 0; i < count; i++) query[(next() < 0.3 ? "A" : "k") + text(4)] = next() < 0.2 ? "" : text(8);
  return query;
}

const byName = (pairs: [string, string][]) => [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

candidates("for 500 random queries, every candidate decodes back to the same names and values, within the bound", () => {
  let seed = 12;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let run = 0; run < 500; run++) {
    const query = randomQuery(next);
    for (const method of ["GET", "POST"] as const) {
      const urls = signatureUrls({ method, url: BASE, query });
      assert.ok(urls.length >= 1 && urls.length <= MAX_QUERY_CANDIDATES, `between 1 and ${MAX_QUERY_CANDIDATES} candidates, not ${urls.length}`);
      assert.is(new Set(urls).size, urls.length, "no candidate twice");
      for (const url of urls) {
        assert.is(url.slice(0, BASE.length + 1), `${BASE}?`);
        assert.equal(byName([...new URLSearchParams(url.slice(BASE.length + 1))]), byName(Object.entries(query)), `${url} decodes to the query`);
      }
    }
  }
});

candidates("the canonical form comes first; an empty query is the URL with and without a bare ?", () => {
  assert.is(signatureUrls({ method: "POST", url: BASE, query: { msg: "こ x/y", retry: "1" } })[0], `${BASE}?msg=%E3%81%93%20x%2Fy&retry=1`);
  assert.equal(signatureUrls({ method: "POST", url: BASE, query: {} }), [BASE, `${BASE}?`]);
});

candidates("a value no URL can carry (a lone surrogate) has no candidate, so it is refused", () => {
  assert.equal(signatureUrls({ method: "POST", url: BASE, query: { x: "\uD800" } }), []);
});

candidates.run();

const algorithms = suite("isSignedBy: auth tokens sign HMAC-SHA1, shared keys HMAC-SHA256, never the other way");

const SHARED = "shared-key-secret-0123456789";
const SETTINGS = "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256";
const body = { CallSid: "CA1", Body: "こんにちは" };
const sha256 = (key: string, url: string): SignedRequest => ({
  signature: getExpectedTwilioSignature(key, url, body, "HMAC_SHA256"),
  settings: SETTINGS,
  method: "POST",
  url: url.split("?")[0],
  query: url.includes("?") ? decoded(url.split("?")[1]) : {},
  body,
});

algorithms("a SharedKey signature (HMAC-SHA256, as the settings header names) checks against the shared key", () => {
  assert.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], sha256(SHARED, BASE)));
  assert.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], sha256(SHARED, `${BASE}?next=/voice/menu`)), "the candidate URLs hold for SHA-256 too");
  assert.not.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], { ...sha256(SHARED, BASE), body: { ...body, CallSid: "CA2" } }), "tampered");
});

algorithms("the auth token never validates a SHA-256 signature, the shared key never a SHA-1 one", () => {
  assert.not.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], sha256(TOKEN, BASE)), "SHA-256 made with the auth token");
  const sha1BySharedKey = { ...sha256(SHARED, BASE), settings: undefined, signature: getExpectedTwilioSignature(SHARED, BASE, body) };
  assert.not.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], sha1BySharedKey), "SHA-1 made with the shared key, no settings header");
  assert.not.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], { ...sha1BySharedKey, settings: "key=webhooks_sharedkey_1,algorithm=HMAC_SHA1" }), "SHA-1 named in the header");
  assert.not.ok(isSignedBy([TOKEN], sha256(SHARED, BASE)), "no shared key stored: SHA-256 is refused");
  assert.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], { ...sha1BySharedKey, signature: getExpectedTwilioSignature(TOKEN, BASE, body) }), "SHA-1 by the token still holds");
});

algorithms("an algorithm Twilio has not defined is refused", () => {
  assert.not.ok(isSignedBy([TOKEN, `sharedkey:${SHARED}`], { ...sha256(SHARED, BASE), settings: "key=k,algorithm=HMAC_MD5" }));
});

algorithms("during a rotation a signature from any auth token in the list is accepted", () => {
  const req = twilioPost(BASE);
  assert.ok(isSignedBy(["new-token-aaaaaaaa", TOKEN], req));
  assert.not.ok(isSignedBy(["new-token-aaaaaaaa"], req));
});

algorithms.run();
