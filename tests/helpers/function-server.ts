// The starter webhooks served over loopback HTTP through the real runtime (signature check
// included), so simulator tests walk the real menu without waiting for a build or the emulator.
// The event is what request.vtl renders, reduced to what the runtime reads.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayEvent } from "../../runtime/event";
import { jsonLogger } from "../../runtime/log";
import { runWebhook, type Webhook } from "../../runtime/webhook";

export interface FunctionServer {
  /** The stage root, e.g. http://127.0.0.1:PORT/dev */
  base: string;
  close(): Promise<void>;
}

export async function startFunctionServer(routes: Record<string, Webhook>, token: string): Promise<FunctionServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const target = new URL(req.url ?? "/", "http://placeholder");
      const resourcePath = target.pathname.replace(/^\/dev/, "");
      const webhook = routes[resourcePath];
      if (!target.pathname.startsWith("/dev/") || webhook === undefined) {
        res.writeHead(403, { "Content-Type": "application/json" }).end('{"message":"Missing Authentication Token"}');
        return;
      }
      const headers: Record<string, string> = { "X-Forwarded-Proto": "http" };
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers[name] = value;
      const event: GatewayEvent = {
        method: req.method ?? "GET",
        stage: "dev",
        domainName: req.headers.host ?? "",
        path: target.pathname,
        resourcePath,
        requestId: "req-local",
        sourceIp: "127.0.0.1",
        headers,
        query: Object.fromEntries(target.searchParams),
        stageVariables: {},
        body: Buffer.concat(chunks).toString("base64"),
      };
      const deps = {
        settings: { stage: "dev", route: resourcePath.slice(1), debug: false, verifySignature: true, appSettings: {}, secretParameters: {} },
        tokens: async () => [token],
        secrets: async () => ({}),
        log: jsonLogger(() => undefined),
        now: () => performance.now(),
      };
      const result = await runWebhook(webhook, event, deps);
      res.writeHead(result.statusCode, { "Content-Type": result.contentType }).end(result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
