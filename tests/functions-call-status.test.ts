import { suite } from "uvu";
import * as assert from "uvu/assert";
import status from "../functions/call/status";
import { callStatus, XML_HEAD } from "../testkit";

const callback = suite("call/status");

callback("answers an empty response and logs status and duration", () => {
  const req = callStatus({ seconds: 42 });
  assert.is(status(req).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(req.logged, { callStatus: "completed", callDurationSeconds: 42 });
});

callback("a status without duration logs no duration", () => {
  const req = callStatus({ params: { CallStatus: "busy", CallDuration: undefined } });
  assert.is(status(req).toString(), `${XML_HEAD}<Response/>`);
  assert.equal(req.logged, { callStatus: "busy", callDurationSeconds: undefined });
});

callback.run();
