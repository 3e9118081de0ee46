// A stack served by the real emulator (local/server.ts) on 127.0.0.1:0, with a keep-alive client,
// the functions' log lines and the emulator's own lines kept for the suites, and every answer and
// line also handed to the process-wide record that the leak suite reads.
import { Agent, request as httpRequest } from "node:http";
import { Writable } from "node:stream";
import { ManualClock } from "../../local/clock";
import { startServer, type RunningServer } from "../../local/server";

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** x-amzn-RequestId: the requestId of the function's log line. */
  requestId: string;
}

export interface Send {
  method?: "GET" | "POST";
  /** Path under the server, stage included: "/dev/voice/hello". */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Served {
  url: string;
  stage: string;
  /** Times the functions' timeouts: none fires until a suite moves it. */
  clock: ManualClock;
  send(request: Send): Promise<Reply>;
  /** The functions' output so far, one entry per line. */
  functionLines(): string[];
  /** The emulator's lines so far (one per request, and "  ! …" lines naming a failure). */
  gatewayLines: string[];
  /** The function's JSON log line for a request: already there when the answer is (local/lambda.ts). */
  logFor(requestId: string): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

/** Everything any served stack answered or logged in this process. */
export const observed = { replies: [] as { stage: string; path: string; reply: Reply }[], lines: [] as { stage: string; line: string }[] };

export async function serve(stackDir: string, stage: string, env: Record<string, string>): Promise<Served> {
  let output = "";
  const gatewayLines: string[] = [];
  const clock = new ManualClock();
  const functionOutput = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString("utf8");
      done();
    },
  });
  const server: RunningServer = await startServer({
    stack: stackDir,
    port: 0,
    host: "127.0.0.1",
    env,
    clock,
    functionOutput,
    log: (line) => {
      gatewayLines.push(line);
      observed.lines.push({ stage, line });
    },
  });
  const client = httpClient(server.url);
  let recorded = 0;
  const functionLines = () => {
    const lines = output.split("\n").filter((l) => l !== "");
    for (; recorded < lines.length; recorded++) observed.lines.push({ stage, line: lines[recorded] });
    return lines;
  };
  return {
    url: server.url,
    stage,
    clock,
    gatewayLines,
    functionLines,
    send: async (request) => {
      const reply = await client.send(request);
      observed.replies.push({ stage, path: request.path, reply });
      return reply;
    },
    logFor: (requestId) =>
      functionLines()
        .filter((l) => l.includes(requestId))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.requestId === requestId),
    close: async () => {
      client.close();
      functionLines();
      await server.close();
    },
  };
}

export interface HttpClient {
  send(request: Send): Promise<Reply>;
  close(): void;
}

/** Keep-alive connections to a server, as many at once as the load suite's concurrency. */
export function httpClient(base: string): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return { send: (request) => send(base, agent, request), close: () => agent.destroy() };
}

function send(base: string, agent: Agent, { method = "POST", path, headers = {}, body }: Send): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { method, agent, headers, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          requestId: String(res.headers["x-amzn-requestid"] ?? ""),
        }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} got no answer within 30 s.`)));
    req.on("error", reject);
    req.end(body);
  });
}
