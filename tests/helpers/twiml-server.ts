// A loopback stand-in for a webhook server in the simulator tests: it checks X-Twilio-Signature
// with twilio's own validateRequest (403 when it does not match) and answers from a route table.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { validateRequest } from "twilio/lib/webhooks/webhooks";

export interface Received {
  method: string;
  /** Path and query as requested. */
  path: string;
  /** The full URL the signature was checked against. */
  url: string;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  signatureValid: boolean;
}

export interface Answer {
  status?: number;
  contentType?: string;
  body?: string;
  /** Hold the answer back this long (to trip the simulator's shortened timeout). */
  delayMs?: number;
  location?: string;
  setCookie?: string[];
}

export type Route = (params: Record<string, string>, received: Received) => Answer;

export interface Fixture {
  base: string;
  received: Received[];
  close(): Promise<void>;
}

export const TOKEN = "12345678901234567890123456789012";

export const twiml = (inner: string): Answer => ({
  contentType: "text/xml; charset=utf-8",
  body: `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`,
});

export async function startFixture(routes: Record<string, Route>, token = TOKEN): Promise<Fixture> {
  const received: Received[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const target = new URL(req.url ?? "/", base);
      const form = req.method === "POST" ? new URLSearchParams(Buffer.concat(chunks).toString("utf8")) : target.searchParams;
      const params = Object.fromEntries(form);
      const url = base + (req.url ?? "/");
      const signature = String(req.headers["x-twilio-signature"] ?? "");
      const signatureValid = validateRequest(token, signature, url, req.method === "POST" ? params : {});
      const entry: Received = { method: req.method ?? "", path: req.url ?? "/", url, params, headers: req.headers, signatureValid };
      received.push(entry);
      const route = routes[target.pathname];
      const answer: Answer = !signatureValid
        ? { status: 403, contentType: "text/plain", body: "Twilio signature does not match." }
        : route
          ? route(params, entry)
          : { status: 404, contentType: "text/plain", body: "no such route" };
      const send = () => {
        const headers: Record<string, string> = {};
        if (answer.contentType !== undefined) headers["Content-Type"] = answer.contentType;
        if (answer.location !== undefined) headers.Location = answer.location;
        if (answer.setCookie !== undefined) res.setHeader("Set-Cookie", answer.setCookie);
        res.writeHead(answer.status ?? 200, headers);
        res.end(answer.body ?? "");
      };
      if (answer.delayMs === undefined) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send();
        }, answer.delayMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
