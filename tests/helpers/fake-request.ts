// A TwilioRequest for calling a handler directly, as the runtime would hand it over.
import type { LogFields } from "../../runtime/log";
import { declaredValue, type TwilioRequest } from "../../runtime/request";

export const BASE = "https://abc123.execute-api.ap-northeast-1.amazonaws.com/dev";

export interface FakeOptions {
  query?: Record<string, string>;
  stageVariables?: Record<string, string>;
  route?: string;
  /** The function's declared settings and secrets, as req.setting() and req.secret() read them. */
  settings?: Record<string, string>;
  secrets?: Record<string, string>;
}

export function fakeRequest<P>(params: P, { query = {}, stageVariables = {}, route = "/voice/hello", settings = {}, secrets = {} }: FakeOptions = {}) {
  const logged: LogFields = {};
  const req: TwilioRequest<P> = {
    method: "POST",
    params,
    query,
    stage: "dev",
    url: `${BASE}${route}`,
    headers: {},
    stageVariables,
    requestId: "req-0001",
    urlFor: (r) => `${BASE}/${r.replace(/^\/+/, "")}`,
    log: (fields) => Object.assign(logged, fields),
    setting: (name) => declaredValue({ route, settings, secrets: () => secrets }, "setting", name),
    secret: (name) => declaredValue({ route, settings, secrets: () => secrets }, "secret", name),
  };
  return { req, logged };
}

export const CALL = {
  CallSid: "CA0123456789abcdef0123456789abcdef",
  AccountSid: "AC0123456789abcdef0123456789abcdef",
  From: "+815012345678",
  To: "+815098765432",
  CallStatus: "ringing",
  ApiVersion: "2010-04-01",
  Direction: "inbound",
} as const;

export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';
