// Reads SecureStrings from SSM Parameter Store with hand-signed (SigV4) HTTPS requests: the auth
// token and the declared secrets in one GetParameters call. The AWS SDK would add tens of
// milliseconds to every cold start for this one call.
import { createHash, createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SsmClientOptions {
  region: string;
  credentials: AwsCredentials;
  /** Where SSM answers; a loopback stand-in in tests (AWS_ENDPOINT_URL_SSM). */
  endpoint?: string;
  /** How long to wait for SSM's answer. Default: 3000 ms; DENWA_SSM_TIMEOUT_MS (tests of a slow store). */
  timeoutMs?: number;
  now?: () => Date;
  /** The retry's jitter and wait, injected by tests (default: Math.random and a timer). */
  retry?: { random?: () => number; sleep?: (ms: number) => Promise<void> };
}

/** The options Lambda's environment implies: its region, its role's session credentials. */
export function ssmOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SsmClientOptions {
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!region || !accessKeyId || !secretAccessKey) {
    throw new Error("AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed to read the auth token from SSM.");
  }
  return {
    region,
    credentials: { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined },
    endpoint: env.AWS_ENDPOINT_URL_SSM || env.AWS_ENDPOINT_URL || undefined,
    timeoutMs: Number(env.DENWA_SSM_TIMEOUT_MS) || undefined,
  };
}

/** GetParameters takes at most this many names a call. */
const NAMES_PER_CALL = 10;

/** The decrypted values of the named SecureStrings; a name SSM does not know is left out (InvalidParameters). */
export async function getSecureParameters(names: readonly string[], options: SsmClientOptions): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    Object.assign(values, await getBatch(names.slice(i, i + NAMES_PER_CALL), options));
  }
  return values;
}

/** The DNS suffix of each partition other than aws (China, and the US isolated regions). */
const PARTITION_SUFFIXES: [RegExp, string][] = [
  [/^cn-/, "amazonaws.com.cn"],
  [/^us-iso-/, "c2s.ic.gov"],
  [/^us-isob-/, "sc2s.sgov.gov"],
];

/** SSM's regional endpoint: ssm.cn-north-1.amazonaws.com.cn in China, ssm.<region>.amazonaws.com elsewhere. */
export function ssmEndpoint(region: string): string {
  const suffix = PARTITION_SUFFIXES.find(([prefix]) => prefix.test(region))?.[1] ?? "amazonaws.com";
  return `https://ssm.${region}.${suffix}/`;
}

/** Error types SSM answers when it throttles the caller (as the AWS SDK's retry strategy lists them). */
const THROTTLING = new Set(["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "ThrottledException", "RequestThrottledException"]);
/** The longest wait before the one retry; the wait is a random share of it (full jitter). */
const RETRY_BASE_MS = 100;

async function getBatch(names: readonly string[], options: SsmClientOptions): Promise<Record<string, string>> {
  const endpoint = new URL(options.endpoint ?? ssmEndpoint(options.region));
  const body = JSON.stringify({ Names: names, WithDecryption: true });
  const attempt = () => {
    const headers = signedHeaders({
      host: endpoint.host,
      region: options.region,
      credentials: options.credentials,
      target: "AmazonSSM.GetParameters",
      body,
      date: (options.now ?? (() => new Date()))(),
    });
    return post(endpoint, headers, body, options.timeoutMs ?? 3000);
  };
  // One retry, after a jittered wait, for what a second try can cure: throttling, a 5xx, and a
  // kept-alive connection that SSM closed while Lambda had the function frozen.
  let answer = await attempt().catch((error: PostError) => (error.reusedSocket && error.code === "ECONNRESET" ? undefined : Promise.reject(error)));
  if (answer === undefined || answer.status >= 500 || (answer.status === 400 && THROTTLING.has(errorType(answer.text)))) {
    const random = options.retry?.random ?? Math.random;
    await (options.retry?.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))))(Math.floor(random() * RETRY_BASE_MS));
    answer = await attempt();
  }
  const { status, text } = answer;
  const reply = parseJson(text);
  if (status !== 200) {
    const type = errorType(text) || `HTTP ${status}`;
    throw new Error(`SSM GetParameters ${names.join(", ")} failed: ${type}.`);
  }
  const values: Record<string, string> = {};
  for (const parameter of Array.isArray(reply?.Parameters) ? reply.Parameters : []) {
    if (typeof parameter?.Name === "string" && typeof parameter.Value === "string") values[parameter.Name] = parameter.Value;
  }
  return values;
}

interface SigningInput {
  host: string;
  region: string;
  credentials: AwsCredentials;
  target: string;
  body: string;
  date: Date;
}

/** SigV4 headers for a JSON-1.1 call to SSM (exported so the test can check them against the SDK's signer). */
export function signedHeaders(input: SigningInput): Record<string, string> {
  const amzDate = input.date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    "content-type": "application/x-amz-json-1.1",
    host: input.host,
    "x-amz-date": amzDate,
    "x-amz-target": input.target,
  };
  if (input.credentials.sessionToken) headers["x-amz-security-token"] = input.credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    "POST",
    "/",
    "",
    ...names.map((n) => `${n}:${headers[n]}`),
    "",
    names.join(";"),
    sha256Hex(input.body),
  ].join("\n");
  const scope = `${day}/${input.region}/ssm/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  let key: Buffer = hmac(`AWS4${input.credentials.secretAccessKey}`, day);
  for (const part of [input.region, "ssm", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  headers.authorization =
    `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${names.join(";")}, Signature=${signature}`;
  return headers;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorType(text: string): string {
  return String(parseJson(text)?.__type ?? "").split("#").pop() ?? "";
}

/** A failed request, and whether it went out on a kept-alive socket from an earlier call. */
type PostError = NodeJS.ErrnoException & { reusedSocket?: boolean };

function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const send = url.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`SSM did not answer within ${timeoutMs} ms.`)));
    req.on("error", (error: PostError) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}
