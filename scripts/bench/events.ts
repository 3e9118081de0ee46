// The requests the benchmark serves: one signed GatewayEvent per starter route, with the test
// kit's sample parameters for it, as request.vtl renders them behind API Gateway.
import type { GatewayEvent } from "../../runtime/event";
import type { Params } from "../../runtime/params";
import { CALL, callStatusParams, fallbackParams, gatewayEvent, messageSample, SAMPLE_HOST } from "../../testkit";

export const BENCH_TOKEN = "bench-auth-token-0123456789abcdef";

/** Parameters per route; a route without an entry is sent those of an incoming call. */
const SAMPLES: Record<string, object> = {
  "voice/hello": CALL,
  "voice/menu": CALL,
  "sms/reply": messageSample("こんにちは", ["https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0"]),
  "call/status": callStatusParams(42),
  fallback: fallbackParams(`https://${SAMPLE_HOST}/dev/voice/hello`),
};

export function sampleParams(route: string): Params {
  return (SAMPLES[route] ?? CALL) as Params;
}

/** A POST of the route's sample parameters, signed with BENCH_TOKEN for the execute-api URL. */
export function signedEvent(route: string): GatewayEvent {
  return gatewayEvent({ route: `/${route}`, params: sampleParams(route), token: BENCH_TOKEN, requestId: "bench-0001" });
}
