import { suite } from "uvu";
import * as assert from "uvu/assert";
import { CookieJar } from "../local/simulator/cookies";

const jar = suite("CookieJar: the cookies of one call, as a browser keeps them (RFC 6265, the parts webhooks use)");

jar("a cookie goes back to its host only, and to its path and below", () => {
  const cookies = new CookieJar();
  cookies.store("https://a.example/dev/voice/menu", ["step=2", "all=1; Path=/"]);
  assert.is(cookies.header("https://a.example/dev/voice/menu?retry=1"), "step=2; all=1");
  assert.is(cookies.header("https://a.example/dev/voice/hello"), "step=2; all=1", "the default path is the request's directory");
  assert.is(cookies.header("https://a.example/dev/sms/reply"), "all=1");
  assert.is(cookies.header("https://a.example/dev/voicemail"), "all=1", "/dev/voice does not cover /dev/voicemail");
  assert.is(cookies.header("https://b.example/dev/voice/menu"), undefined, "another host gets nothing");
});

jar("a cookie set again replaces the old value; Max-Age and Expires end it on the call's clock", () => {
  let now = Date.UTC(2026, 11, 1, 10, 0, 0);
  const cookies = new CookieJar(() => now);
  cookies.store("https://a.example/x", ["n=1", "short=y; Max-Age=60", "dated=z; Expires=Tue, 01 Dec 2026 10:00:30 GMT"]);
  cookies.store("https://a.example/x", ["n=2"]);
  assert.is(cookies.header("https://a.example/x"), "short=y; dated=z; n=2");
  now += 31_000;
  assert.is(cookies.header("https://a.example/x"), "short=y; n=2");
  now += 30_000;
  assert.is(cookies.header("https://a.example/x"), "n=2");
  cookies.store("https://a.example/x", ["n=; Max-Age=0"]);
  assert.is(cookies.header("https://a.example/x"), undefined);
});

jar("a Set-Cookie without a name is ignored", () => {
  const cookies = new CookieJar();
  cookies.store("https://a.example/", ["=x", "novalue"]);
  assert.is(cookies.header("https://a.example/"), undefined);
});

jar.run();
