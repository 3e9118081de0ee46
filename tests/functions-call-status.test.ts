import { suite } from "uvu";
import * as assert from "uvu/assert";
import status from "../functions/call/status";
import { CALL, XML_HEAD, fakeRequest } from "./helpers/fake-request";

const callback = suite("call/status");

callback("answers an empty response and logs status and duration", () => {
  const { req, logged } = fakeRequest({ ...CALL, CallStatus: "completed" as const, CallDuration: "42" }, { route: "/call/status" });
  assert.is(status(req).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(logged, { callStatus: "completed", callDurationSeconds: 42 });
});

callback("a status without duration logs no duration", () => {
  const { req, logged } = fakeRequest({ ...CALL, CallStatus: "busy" as const }, { route: "/call/status" });
  assert.is(status(req).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(logged, { callStatus: "busy", callDurationSeconds: undefined });
});

callback.run();
