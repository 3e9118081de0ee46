// API Gateway's method request stage: the headers it hands on and $context, built once per request
// for the mapping templates and the AWS_PROXY event alike.
import { randomFillSync, randomUUID } from "node:crypto";
import { headerValue, requestHeaderName, setHeader } from "./headers";
import type { GatewayRequest, RequestState, Trace } from "./pipeline";
import { parseQuery, type Routed } from "./routing";
import type { RestApi } from "./stack";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function newRequestId(): string {
  return randomUUID();
}

export function requestState(request: GatewayRequest, matched: Routed, api: RestApi, accountId: string, requestId: string, trace: Trace): RequestState {
  const headers = forwardedHeaders(request);
  const now = new Date();
  const host = headerValue(headers, "host") ?? "";
  const domainName = host.replace(/:\d+$/, "");
  return {
    request,
    matched,
    headers,
    query: parseQuery(matched.rawQuery),
    trace,
    context: {
      accountId,
      apiId: api.id,
      domainName,
      domainPrefix: domainName.split(".")[0],
      extendedRequestId: randomPooled(6).toString("base64url"),
      httpMethod: request.method,
      path: matched.rawPath,
      protocol: "HTTP/1.1",
      requestId,
      requestTime: formatRequestTime(now),
      requestTimeEpoch: now.getTime(),
      resourceId: matched.resource.id,
      resourcePath: matched.resource.path,
      stage: matched.stage.name,
      deploymentId: matched.stage.deploymentId,
      // As recorded for a method without authorization or API key: null where nothing is known.
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headerValue(headers, "user-agent") ?? "",
        userArn: null,
      },
    },
  };
}

/**
 * Headers as API Gateway hands them on: names as the client wrote them (but Authorization and
 * User-Agent), none of the hop-by-hop and other headers it drops, the last of repeated headers, X-Forwarded-For with the client's address appended, X-Forwarded-Proto and -Port as a
 * proxy in front said, else what this plain-HTTP emulator is ("http", its own port).
 */
function forwardedHeaders(request: GatewayRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = requestHeaderName(request.rawHeaders[i]);
    if (name !== undefined) setHeader(headers, name, request.rawHeaders[i + 1]);
  }
  const forwardedFor = headerValue(headers, "x-forwarded-for");
  setHeader(headers, "X-Forwarded-For", forwardedFor ? `${forwardedFor}, ${request.sourceIp}` : request.sourceIp);
  if (headerValue(headers, "x-forwarded-proto") === undefined) headers["X-Forwarded-Proto"] = "http";
  if (headerValue(headers, "x-forwarded-port") === undefined) headers["X-Forwarded-Port"] = String(request.localPort);
  // A trace id the client sent is kept, with a Parent added when it has none (recorded:
  // tests/conformance/trace-id.json); else API Gateway starts a trace.
  const traceId = headerValue(headers, "x-amzn-trace-id");
  const parent = `Parent=${randomPooled(8).toString("hex")}`;
  if (traceId === undefined) {
    headers["X-Amzn-Trace-Id"] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomPooled(12).toString("hex")};${parent};Sampled=0`;
  } else if (!/(^|;)\s*Parent=/.test(traceId)) {
    setHeader(headers, "X-Amzn-Trace-Id", `${traceId};${parent}`);
  }
  return headers;
}

function formatRequestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

// Ids are drawn from a pool refilled 4 KB at a time, one call into OpenSSL per few hundred requests.
const randomPool = Buffer.alloc(4096);
let randomPoolAt = randomPool.length;

function randomPooled(size: number): Buffer {
  if (randomPoolAt + size > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolAt = 0;
  }
  randomPoolAt += size;
  return randomPool.subarray(randomPoolAt - size, randomPoolAt);
}
