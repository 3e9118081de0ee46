// Where Twilio reached this stage, and so where it must go next. Twilio signs the URL it called,
// and a <Redirect> or <Gather action> must carry the stage prefix (/dev/...) that API Gateway
// strips from resourcePath; a custom domain has no stage in its path at all.
import type { GatewayEvent } from "./event";

/** The stage's public root, without a trailing slash: "https://abc.execute-api…/dev" or the custom base. */
export function stageBaseUrl(event: GatewayEvent, headers: Record<string, string>, publicBaseUrl?: string): string {
  if (publicBaseUrl) return publicBaseUrl;
  const proto = (headers["x-forwarded-proto"] ?? "https").split(",")[0].trim() || "https";
  const host = headers["host"] || event.domainName;
  return `${proto}://${host}/${event.stage}`;
}

/** Joins a route ("/voice/menu", "voice/menu?retry=1") onto the stage's public root. */
export function joinRoute(base: string, route: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(route)) {
    throw new Error(`urlFor takes a route such as "/voice/menu", not the absolute URL "${route}".`);
  }
  return `${base}/${route.replace(/^\/+/, "")}`;
}
