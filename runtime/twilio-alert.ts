// Twilio's Debugger webhook: the account's error and warning alerts, posted as a form whose
// Payload field is JSON. Parameters and payload fields as documented in "Debugging Events
// Webhook" (twilio.com/docs/usage/troubleshooting/debugging-event-webhooks). The log fields
// below are a contract: infra/stage-alarms.ts counts alerts by the code field.
import { HttpError } from "./http-error";
import type { LogFields } from "./log";

/** The form Twilio posts to the Debugger webhook. */
export interface DebuggerEvent {
  /** The alert's own SID (NO…). */
  Sid: string;
  AccountSid: string;
  /** Only when the account is a subaccount. */
  ParentAccountSid?: string;
  Timestamp: string;
  Level: "Error" | "Warning";
  PayloadType: "application/json";
  /** JSON text of an AlertPayload. */
  Payload: string;
}

/** What Payload holds; more_info and webhook vary by product and error. */
export interface AlertPayload {
  /** The call, message or other resource the alert is about (CA…, SM…). */
  resource_sid?: string;
  service_sid?: string | null;
  error_code: string;
  more_info?: { Msg?: string; msg?: string; url?: string; [key: string]: unknown };
  webhook?: { request?: { url?: string; method?: string; [key: string]: unknown }; [key: string]: unknown };
}

/** The names of the fields each alert adds to its request's log line. */
export const ALERT_LOG_FIELDS = {
  code: "alertCode",
  level: "alertLevel",
  alertSid: "alertSid",
  url: "alertUrl",
  description: "alertDescription",
} as const;

/** Twilio's descriptions quote URLs and parameters; a log line stays short. */
const DESCRIPTION_LIMIT = 300;

/** The alert as one log line's fields: code, level, failing URL, the call or message SID (as `sid`), description. */
export function alertLogFields(event: DebuggerEvent): LogFields {
  const payload = readPayload(event);
  const description = payload.more_info?.Msg ?? payload.more_info?.msg;
  return {
    [ALERT_LOG_FIELDS.code]: String(payload.error_code),
    [ALERT_LOG_FIELDS.level]: event.Level,
    [ALERT_LOG_FIELDS.alertSid]: event.Sid,
    [ALERT_LOG_FIELDS.url]: payload.more_info?.url ?? payload.webhook?.request?.url,
    sid: payload.resource_sid,
    [ALERT_LOG_FIELDS.description]: typeof description === "string" ? description.slice(0, DESCRIPTION_LIMIT) : undefined,
  };
}

function readPayload(event: DebuggerEvent): AlertPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(typeof event.Payload === "string" ? event.Payload : "");
  } catch {
    payload = undefined;
  }
  const code = (payload as Partial<AlertPayload> | undefined)?.error_code;
  if (typeof payload !== "object" || payload === null || (typeof code !== "string" && typeof code !== "number")) {
    throw new HttpError(400, "This is not a Twilio Debugger alert: its Payload must be JSON with an error_code.");
  }
  return payload as AlertPayload;
}
