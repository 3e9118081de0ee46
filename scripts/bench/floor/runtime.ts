// The floor's whole runtime: what a webhook needs at the least, by hand and with node alone.
// The token comes through the same SSM request as denwa's (runtime/ssm.ts is plain node), so the
// two pay the same for it and differ only in everything else.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { GatewayEvent, WebhookResult } from "../../../runtime/event";
import { getSecureParameters, ssmOptionsFromEnv } from "../../../runtime/ssm";

export interface FloorRequest {
  params: URLSearchParams;
  query: Record<string, string>;
  stageVariables: Record<string, string>;
  /** The stage's public root, "https://host/dev". */
  base: string;
}

export type Render = (req: FloorRequest) => string;

let token: Promise<string> | undefined;

export function floorHandler(render: Render): (event: GatewayEvent) => Promise<WebhookResult> {
  return async (event) => {
    const name = process.env.DENWA_TOKEN_PARAMETER ?? "";
    token ??= getSecureParameters([name], ssmOptionsFromEnv()).then((values) => values[name] ?? "");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(event.headers)) headers[name.toLowerCase()] = value;
    const params = new URLSearchParams(Buffer.from(event.body, "base64").toString("utf8"));
    const base = `${headers["x-forwarded-proto"] ?? "https"}://${headers.host}/${event.stage}`;
    const qs = new URLSearchParams(event.query).toString();
    let signed = base + event.resourcePath + (qs ? `?${qs}` : "");
    for (const name of [...new Set(params.keys())].sort()) for (const value of params.getAll(name).sort()) signed += name + value;
    const expected = Buffer.from(createHmac("sha1", await token).update(signed, "utf8").digest("base64"));
    const given = Buffer.from(headers["x-twilio-signature"] ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { statusCode: 403, contentType: "text/plain; charset=utf-8", body: "Forbidden" };
    }
    const body = render({ params, query: event.query, stageVariables: event.stageVariables, base });
    return { statusCode: 200, contentType: "application/xml", body };
  };
}
