// A Debugger webhook post as Twilio documents it ("Debugging Events Webhook",
// https://www.twilio.com/docs/usage/troubleshooting/debugging-event-webhooks): the callback
// parameters Sid, AccountSid, ParentAccountSid, Timestamp, Level, PayloadType and Payload, whose
// JSON holds resource_sid, service_sid, error_code, more_info and webhook. The field names are
// Twilio's; the values are an 11200 (the webhook answered 502) made up for the tests.
import type { AlertPayload, DebuggerEvent } from "../../runtime/twilio-alert";

export const FAILING_URL = "https://voice.example.jp/voice/menu";

export const ALERT_PAYLOAD: AlertPayload = {
  resource_sid: "CA5f3c1a2b4d6e8f0a1b2c3d4e5f6a7b8c",
  service_sid: null,
  error_code: "11200",
  more_info: {
    Msg: "An attempt to retrieve content from https://voice.example.jp/voice/menu returned the HTTP status code 502",
    sourceComponent: "12000",
    ErrorCode: "11200",
    httpResponse: "502",
    LogLevel: "ERROR",
    url: FAILING_URL,
  },
  webhook: {
    type: "application/json",
    request: { url: FAILING_URL, method: "POST", headers: {}, parameters: { CallSid: "CA5f3c1a2b4d6e8f0a1b2c3d4e5f6a7b8c" } },
    response: { status_code: 502, headers: {}, body: "" },
  },
};

export const ALERT_EVENT: DebuggerEvent = {
  Sid: "NO7e6d5c4b3a29180f7e6d5c4b3a291807",
  AccountSid: "AC1f2e3d4c5b6a79880f1e2d3c4b5a6978",
  ParentAccountSid: "AC9a8b7c6d5e4f30219a8b7c6d5e4f3021",
  Timestamp: "2026-12-01T12:00:00Z",
  Level: "Error",
  PayloadType: "application/json",
  Payload: JSON.stringify(ALERT_PAYLOAD),
};
