import { suite } from "uvu";
import * as assert from "uvu/assert";
import { joinRoute, stageBaseUrl } from "../runtime/public-url";
import { gatewayEvent } from "../testkit";

const BASE = "https://abc.execute-api.ap-northeast-1.amazonaws.com/dev";

const join = suite("joinRoute");

join("puts the route under the stage, with or without its leading slash", () => {
  assert.is(joinRoute(BASE, "/voice/menu"), `${BASE}/voice/menu`);
  assert.is(joinRoute(BASE, "voice/menu"), `${BASE}/voice/menu`);
});

join("writes a query in canonical form, sorted, whether in the route or given apart", () => {
  assert.is(joinRoute(BASE, "/voice/menu?retry=1&a=x y"), `${BASE}/voice/menu?a=x%20y&retry=1`);
  assert.is(joinRoute(BASE, "/voice/menu", { retry: "1", a: "x y" }), `${BASE}/voice/menu?a=x%20y&retry=1`);
});

join("refuses an absolute URL, whatever the case of its scheme", () => {
  for (const url of ["https://example.com/x", "HTTPS://example.com/x", "Tel:+815012345678", "sip:alice@example.com"]) {
    assert.throws(() => joinRoute(BASE, url), (err: Error) => err.message === `urlFor takes a route such as "/voice/menu", not the absolute URL "${url}".`, url);
  }
});

join("a path with a colon after its first segment is a route, not a scheme", () => {
  assert.is(joinRoute(BASE, "/voice/menu:1"), `${BASE}/voice/menu:1`);
});

join.run();

const base = suite("stageBaseUrl");

base("is the host the client used, and the stage", () => {
  const event = gatewayEvent({});
  assert.is(stageBaseUrl(event, { host: "abc.example", "x-forwarded-proto": "http" }), `http://abc.example/${event.stage}`);
});

base("a custom domain's public base URL wins over the host and the stage", () => {
  assert.is(stageBaseUrl(gatewayEvent({}), { host: "abc.example" }, "https://voice.example.jp"), "https://voice.example.jp");
});

base.run();
