// A loopback stand-in for SSM Parameter Store's JSON API (GetParameter, GetParameters, PutParameter). It checks
// every request's SigV4 signature with the AWS SDK's own signer, so a client that signs wrongly
// fails here as it would against AWS.
import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignatureV4 } from "@smithy/signature-v4";

export const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token-example" };
export const REGION = "ap-northeast-1";

type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) => (typeof data === "string" ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data));

class Sha256 {
  private readonly hash;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytes(secret));
  }
  update(data: Data) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

export interface StoredParameter {
  value: string;
  type: string;
  version: number;
}

export interface SsmStandIn {
  endpoint: string;
  parameters: Map<string, StoredParameter>;
  /** Every request, in order: target and decoded JSON body. */
  requests: { target: string; body: Record<string, unknown>; signatureOk: boolean }[];
  /** While set, every request waits for it to settle before it is answered (a slow store). */
  hold?: Promise<void>;
  /** Answer every request with this HTTP status and error type instead (an unhealthy store). */
  failWith?: { status: number; type: string };
  close(): Promise<void>;
}

export async function startSsmStandIn(): Promise<SsmStandIn> {
  const signer = new SignatureV4({ credentials: CREDENTIALS, region: REGION, service: "ssm", sha256: Sha256, applyChecksum: false });
  const state: Omit<SsmStandIn, "endpoint" | "close"> = { parameters: new Map(), requests: [] };
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const target = String(req.headers["x-amz-target"] ?? "");
    const signatureOk = await verify(signer, req, raw);
    const body = JSON.parse(raw || "{}");
    state.requests.push({ target, body, signatureOk });
    await state.hold;
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(payload));
    };
    if (state.failWith) return reply(state.failWith.status, { __type: state.failWith.type, message: "stand-in failure" });
    if (!signatureOk) return reply(403, { __type: "SignatureDoesNotMatch", message: "The request signature does not match." });
    const name = String(body.Name);
    if (target === "AmazonSSM.GetParameter") {
      const stored = state.parameters.get(name);
      if (!stored) return reply(400, { __type: "ParameterNotFound" });
      const value = stored.type === "SecureString" && body.WithDecryption !== true ? "encrypted-blob" : stored.value;
      return reply(200, { Parameter: { Name: name, Type: stored.type, Value: value, Version: stored.version } });
    }
    if (target === "AmazonSSM.GetParameters") {
      // AWS answers the names it knows in Parameters and lists the rest in InvalidParameters.
      const names = Array.isArray(body.Names) ? body.Names.map(String) : [];
      if (names.length < 1 || names.length > 10) return reply(400, { __type: "ValidationException" });
      const found = names.filter((n: string) => state.parameters.has(n));
      return reply(200, {
        Parameters: found.map((n: string) => {
          const stored = state.parameters.get(n)!;
          const value = stored.type === "SecureString" && body.WithDecryption !== true ? "encrypted-blob" : stored.value;
          return { Name: n, Type: stored.type, Value: value, Version: stored.version };
        }),
        InvalidParameters: names.filter((n: string) => !state.parameters.has(n)),
      });
    }
    if (target === "AmazonSSM.PutParameter") {
      const existing = state.parameters.get(name);
      if (existing && body.Overwrite !== true) return reply(400, { __type: "ParameterAlreadyExists" });
      const version = (existing?.version ?? 0) + 1;
      state.parameters.set(name, { value: String(body.Value), type: String(body.Type ?? "String"), version });
      return reply(200, { Version: version, Tier: "Standard" });
    }
    reply(400, { __type: "UnknownOperationException" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Re-signs the request with the SDK's signer over the headers the client said it signed. */
async function verify(signer: SignatureV4, req: IncomingMessage, body: string): Promise<boolean> {
  const auth = String(req.headers.authorization ?? "");
  const signedNames = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(";") ?? [];
  const amzDate = String(req.headers["x-amz-date"] ?? "");
  if (!signedNames.includes("host") || !/^\d{8}T\d{6}Z$/.test(amzDate)) return false;
  const headers: Record<string, string> = {};
  for (const name of signedNames) headers[name] = String(req.headers[name] ?? "");
  const when = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  const signed = await signer.sign(
    { method: req.method ?? "POST", protocol: "http:", hostname: headers.host.split(":")[0], path: req.url ?? "/", headers, body, query: {} },
    { signingDate: when },
  );
  return signed.headers.authorization === auth;
}
