// The requests the benchmark serves: one signed GatewayEvent per starter route, with the
// parameters Twilio sends for it, as request.vtl renders them behind API Gateway.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { GatewayEvent } from "../../runtime/event";
import { encodeForm, type Params } from "../../runtime/params";

export const BENCH_TOKEN = "bench-auth-token-0123456789abcdef";
const HOST = "abc123.execute-api.ap-northeast-1.amazonaws.com";
const STAGE = "dev";

const CALL: Params = {
  AccountSid: "AC0123456789abcdef0123456789abcdef",
  CallSid: "CA0123456789abcdef0123456789abcdef",
  From: "+81312345678",
  To: "+81501234567",
  CallStatus: "ringing",
  Direction: "inbound",
  ApiVersion: "2010-04-01",
};

/** Parameters per route; a route without an entry is sent those of an incoming call. */
const SAMPLES: Record<string, Params> = {
  "voice/hello": CALL,
  "voice/menu": CALL,
  "sms/reply": {
    AccountSid: CALL.AccountSid,
    MessageSid: "SM0123456789abcdef0123456789abcdef",
    SmsSid: "SM0123456789abcdef0123456789abcdef",
    From: CALL.From,
    To: CALL.To,
    Body: "こんにちは",
    NumMedia: "1",
    MediaUrl0: "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0",
  },
  "call/status": { ...CALL, CallStatus: "completed", CallDuration: "42" },
  fallback: { ...CALL, ErrorCode: "11200", ErrorUrl: `https://${HOST}/${STAGE}/voice/hello` },
};

export function sampleParams(route: string): Params {
  return SAMPLES[route] ?? CALL;
}

/** A POST of the route's sample parameters, signed with BENCH_TOKEN for the execute-api URL. */
export function signedEvent(route: string): GatewayEvent {
  const params = sampleParams(route);
  const url = `https://${HOST}/${STAGE}/${route}`;
  return {
    method: "POST",
    stage: STAGE,
    domainName: HOST,
    path: `/${STAGE}/${route}`,
    resourcePath: `/${route}`,
    requestId: "bench-0001",
    sourceIp: "203.0.113.7",
    headers: {
      Host: HOST,
      "X-Forwarded-Proto": "https",
      "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
      "X-Twilio-Signature": getExpectedTwilioSignature(BENCH_TOKEN, url, params),
    },
    query: {},
    stageVariables: {},
    body: Buffer.from(encodeForm(params), "utf8").toString("base64"),
  };
}
