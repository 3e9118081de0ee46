// Header maps as API Gateway treats them: names keep the spelling first seen, and are compared
// without regard to case.

export function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  const key = headerKey(headers, lowerName);
  return key === undefined ? undefined : headers[key];
}

/** Sets a header, replacing one of the same name in any case, keeping the first spelling. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  headers[headerKey(headers, name.toLowerCase()) ?? name] = value;
}

/** The key spelling `lowerName` in any case; lengths first, as most names differ in length. */
function headerKey(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const key in headers) if (key.length === lowerName.length && key.toLowerCase() === lowerName) return key;
  return undefined;
}

// Recorded on AWS (tests/conformance/header-remapping.json): request headers API Gateway never
// hands on, the two it spells its own way, and method response headers it renames or drops.
const DROPPED_REQUEST = new Set(["connection", "content-length", "content-md5", "expect", "max-forwards", "proxy-authenticate", "server", "te", "trailer", "transfer-encoding", "upgrade", "www-authenticate"]);
const RESPELLED_REQUEST: Record<string, string> = { authorization: "Authorization", "user-agent": "User-Agent" };
const REMAPPED_RESPONSE = new Set(["authorization", "connection", "content-length", "content-md5", "date", "expect", "host", "max-forwards", "proxy-authenticate", "server", "trailer", "upgrade", "user-agent", "www-authenticate"]);
const DROPPED_RESPONSE = new Set(["transfer-encoding"]);
const RESERVED_INTEGRATION_REQUEST = new Set(["authorization", "connection", "content-length", "expect", "proxy-authenticate", "te", "transfer-encoding"]);

/** A request header as API Gateway hands it on: its name, or undefined when it drops the header. */
export function requestHeaderName(name: string): string | undefined {
  const lower = name.toLowerCase();
  return DROPPED_REQUEST.has(lower) ? undefined : (RESPELLED_REQUEST[lower] ?? name);
}

/** Response headers as API Gateway sends them: reserved names as x-amzn-Remapped-<name>. */
export function remapResponseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (DROPPED_RESPONSE.has(lower)) continue;
    out[REMAPPED_RESPONSE.has(lower) ? `x-amzn-Remapped-${name}` : name] = value;
  }
  return out;
}

/** The integration request header mapping API Gateway fails on with a 500 (recorded), if any. */
export function reservedIntegrationHeader(requestParameters: Record<string, string>): string | undefined {
  return Object.keys(requestParameters).find((target) => {
    const name = /^integration\.request\.header\.(.+)$/.exec(target)?.[1];
    return name !== undefined && RESERVED_INTEGRATION_REQUEST.has(name.toLowerCase());
  });
}
