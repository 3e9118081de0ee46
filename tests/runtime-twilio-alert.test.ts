// alertLogFields over Twilio's documented Debugger webhook parameters (tests/helpers/twilio-alert.ts
// cites the page): one log line's fields per alert, and a 400 for a post that is not an alert.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { HttpError } from "../runtime/http-error";
import { alertLogFields } from "../runtime/twilio-alert";
import { ALERT_EVENT, ALERT_PAYLOAD, FAILING_URL } from "./helpers/twilio-alert";

const fields = suite("alertLogFields");

fields("the documented payload gives code, level, alert SID, failing URL, the call's SID and Twilio's description", () => {
  assert.equal(alertLogFields(ALERT_EVENT), {
    alertCode: "11200",
    alertLevel: "Error",
    alertSid: "NO7e6d5c4b3a29180f7e6d5c4b3a291807",
    alertUrl: FAILING_URL,
    sid: "CA5f3c1a2b4d6e8f0a1b2c3d4e5f6a7b8c",
    alertDescription: "An attempt to retrieve content from https://voice.example.jp/voice/menu returned the HTTP status code 502",
  });
});

fields("without more_info, the URL comes from the webhook request and the description is absent; a numeric code becomes text", () => {
  const payload = { resource_sid: "SM0123456789abcdef0123456789abcdef", error_code: 30003, webhook: { request: { url: "https://example.jp/sms" } } };
  assert.equal(alertLogFields({ ...ALERT_EVENT, Level: "Warning", Payload: JSON.stringify(payload) }), {
    alertCode: "30003",
    alertLevel: "Warning",
    alertSid: ALERT_EVENT.Sid,
    alertUrl: "https://example.jp/sms",
    sid: "SM0123456789abcdef0123456789abcdef",
    alertDescription: undefined,
  });
});

fields("a long description is cut to 300 characters, so one alert stays one short line", () => {
  const payload = { ...ALERT_PAYLOAD, more_info: { msg: "長".repeat(1000) } };
  assert.is(alertLogFields({ ...ALERT_EVENT, Payload: JSON.stringify(payload) }).alertDescription, "長".repeat(300));
});

fields("a Payload that is not JSON, or JSON without error_code, is a 400 that says what an alert is", () => {
  for (const Payload of ["not json", "[]", JSON.stringify({ resource_sid: "CA1" }), undefined as unknown as string]) {
    assert.throws(
      () => alertLogFields({ ...ALERT_EVENT, Payload }),
      (err: unknown) => err instanceof HttpError && err.statusCode === 400 && err.message === "This is not a Twilio Debugger alert: its Payload must be JSON with an error_code.",
      `Payload ${String(Payload)}`,
    );
  }
});

fields.run();
