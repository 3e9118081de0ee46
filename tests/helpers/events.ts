// Builds GatewayEvents as request.vtl renders them, signed as Twilio signs them.
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import type { GatewayEvent } from "../../runtime/event";
import { encodeForm, type Params } from "../../runtime/params";
import { jsonLogger, type Logger } from "../../runtime/log";
import type { RuntimeDeps } from "../../runtime/webhook";
import type { Settings } from "../../runtime/settings";

export const TOKEN = "test-auth-token-0123456789abcdef";
export const HOST = "abc123.execute-api.ap-northeast-1.amazonaws.com";

export interface EventOptions {
  method?: "GET" | "POST";
  route?: string;
  stage?: string;
  params?: Params;
  query?: Record<string, string>;
  token?: string | null;
  headers?: Record<string, string>;
  /** The URL to sign instead of the execute-api one (custom domain, tunnel). */
  signedUrl?: string;
  rawBody?: Buffer;
}

export function twilioEvent({
  method = "POST",
  route = "/voice/hello",
  stage = "dev",
  params = {},
  query = {},
  token = TOKEN,
  headers = {},
  signedUrl,
  rawBody,
}: EventOptions = {}): GatewayEvent {
  const allQuery = method === "GET" ? { ...query, ...(params as Record<string, string>) } : query;
  const qs = encodeForm(allQuery);
  const url = (signedUrl ?? `https://${HOST}/${stage}${route}`) + (qs ? `?${qs}` : "");
  const signature = token === null ? undefined : getExpectedTwilioSignature(token, url, method === "POST" ? params : {});
  const body = method === "POST" ? rawBody ?? Buffer.from(encodeForm(params), "utf8") : Buffer.alloc(0);
  return {
    method,
    stage,
    domainName: HOST,
    path: `/${stage}${route}`,
    resourcePath: route,
    requestId: "req-0001",
    sourceIp: "203.0.113.7",
    headers: {
      Host: HOST,
      "X-Forwarded-Proto": "https",
      ...(method === "POST" ? { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" } : {}),
      ...(signature === undefined ? {} : { "X-Twilio-Signature": signature }),
      ...headers,
    },
    query: allQuery,
    stageVariables: {},
    body: body.toString("base64"),
  };
}

/** A logger that keeps its lines, parsed, for assertions. */
export function recordingLogger(): Logger & { lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const logger = jsonLogger((line) => raw.push(line));
  return {
    ...logger,
    raw,
    get lines() {
      return raw.map((l) => JSON.parse(l));
    },
  };
}

export function testDeps(settings: Partial<Settings> = {}, tokens: string[] = [TOKEN], secrets: Record<string, string> = {}) {
  const log = recordingLogger();
  let tick = 0;
  const deps: RuntimeDeps = {
    settings: { stage: "dev", route: "voice/hello", debug: false, verifySignature: true, appSettings: {}, secretParameters: {}, ...settings },
    tokens: async () => tokens,
    secrets: async () => secrets,
    log,
    now: () => (tick += 5),
  };
  return { deps, log };
}
